"""The report's gauge of the issue's check set (training/evaluate.py): distances, what the
red flags found imply for the check set, and the mix of two sets, on figures worked out by hand."""

from __future__ import annotations

import pytest

from training.evaluate import (
    ISSUE_CHECK_SET_OLD,
    GaugeTransfer,
    Tally,
    mixed_headline,
    old_grader_distance,
)


def test_distance_is_euclidean_over_the_four_headline_figures():
    same = dict(ISSUE_CHECK_SET_OLD)
    assert old_grader_distance(same) == 0.0
    off = same | {"kp_f1": same["kp_f1"] + 0.3, "rf_recall": same["rf_recall"] - 0.4}
    assert old_grader_distance(off) == pytest.approx(0.5)


def test_gauge_transfer_reads_the_check_set_from_c_q_and_false_flags():
    # The old grader found 10 flags, the new one 9 of those; the old one missed 20, the new one
    # found 15 of those; the new one raised 14 false flags on 70 answers.
    t = GaugeTransfer(
        found_both=9, old_found=10, found_new_only=15, old_missed=20, new_false=14, answers=70
    )
    assert (t.c, t.q, t.false_per_answer) == pytest.approx((0.9, 0.75, 0.2))
    # The check set: 89 flags, 36 found by the old grader, 140 answers.
    found = 36 * 0.9 + 53 * 0.75
    assert t.check_set_recall == pytest.approx(found / 89)
    assert t.check_set_precision == pytest.approx(found / (found + 140 * 0.2))


def _tally(tp: dict, fp: dict, fn: dict, verdict_ok: int, answers: int) -> Tally:
    t = Tally()
    t.tp.update(tp)
    t.fp.update(fp)
    t.fn.update(fn)
    t.verdict_ok, t.answers = verdict_ok, answers
    return t


def test_mixed_headline_scales_each_set_to_its_share_of_answers():
    # 10 answers: blame found 8 times, missed 2, raised wrongly 2; failure 10 of 10.
    a = _tally({"blame": 8, "failure": 10}, {"blame": 2}, {"blame": 2}, 9, 10)
    # 20 answers: blame found 2 times, missed 8, raised wrongly 2; failure 10, missed 10.
    b = _tally({"blame": 2, "failure": 10}, {"blame": 2}, {"blame": 8, "failure": 10}, 10, 20)
    h = mixed_headline([(a, 0.5), (b, 0.5)])
    # Per answer: a gives 0.8 tp, 0.2 fp, 0.2 fn; b gives 0.1 tp, 0.1 fp, 0.4 fn.
    assert h["rf_recall"] == pytest.approx(0.9 / 1.5)
    assert h["rf_precision"] == pytest.approx(0.9 / 1.2)
    assert h["verdict"] == pytest.approx(0.5 * 0.9 + 0.5 * 0.5)
    # failure: a 1.0 tp per answer; b 0.5 tp and 0.5 fn.
    assert h["kp_f1"] == pytest.approx(2 * 1.5 / (2 * 1.5 + 0.5))
    assert mixed_headline([(a, 1.0)])["rf_recall"] == pytest.approx(0.8)
