"""The grader on answers it was never trained or tuned on (see training/REPORT.md).

The external sets were written by writers who never saw the corpus, the model or the cues; the test
split holds stories and sites the model never saw. Each floor is the shipped model's figure as
training/REPORT.md gives it (three decimals) minus 0.03, rounded down to a hundredth: room for the
few answers a retrain moves, not for a model or feature change that makes the feedback worse. Set
again when a model ships.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.corpus_io import (
    CORPUS,
    EXTERNAL,
    EXTERNAL2,
    EXTERNAL3,
    EXTERNAL4,
    EXTERNAL5,
    EXTERNAL6,
    IN_PASSING,
    PASSING,
    SHORT_CHECK,
    load,
    split_of,
)
from training.evaluate import biggest_failure_card, measure, new_grader

SEEDS = Path(__file__).parents[1] / "data" / "seed_answers.json"


@pytest.fixture(scope="module")
def external():
    return measure(load([EXTERNAL]), new_grader()).headline()


@pytest.fixture(scope="module")
def external2():
    return measure(load([EXTERNAL2]), new_grader()).headline()


@pytest.fixture(scope="module")
def external3():
    return measure(load([EXTERNAL3]), new_grader()).headline()


@pytest.fixture(scope="module")
def external4():
    return measure(load([EXTERNAL4]), new_grader()).headline()


@pytest.fixture(scope="module")
def in_passing():
    """The check set, and the dev and test parts of passing/ (its training part is trained on)."""
    grader = new_grader()
    passing = load([PASSING])
    return {
        "check": measure(load([IN_PASSING]), grader).headline(),
        **{
            part: measure([a for a in passing if split_of(a) == part], grader).headline()
            for part in ("dev", "test")
        },
    }


@pytest.fixture(scope="module")
def test_split():
    """The test split's written answers and its paraphrases of published answers, measured apart:
    red flags are found far less often in the second, so a floor on the whole split would move
    with the mix of the two as well as with the grader."""
    answers = [a for a in load([CORPUS]) if split_of(a) == "test"]
    grader = new_grader()
    return {
        "written": measure([a for a in answers if not a.item["site"]], grader).headline(),
        "paraphrases": measure([a for a in answers if a.item["site"]], grader).headline(),
    }


def assert_floors(figures: dict, kp_f1: float, verdict: float, recall: float, precision: float):
    """Each headline figure reaches its floor (and the set is big enough to mean something)."""
    assert figures["answers"] >= 150, figures
    assert figures["kp_f1"] >= kp_f1, figures
    assert figures["verdict"] >= verdict, figures
    assert figures["rf_recall"] >= recall, figures
    assert figures["rf_precision"] >= precision, figures


def test_external_set(external):
    assert_floors(external, kp_f1=0.89, verdict=0.94, recall=0.89, precision=0.85)


def test_second_external_set(external2):
    # Paraphrases of answers published on sites the corpus never used: the grader's weakest
    # ground (red flags most of all, see training/REPORT.md).
    assert_floors(external2, kp_f1=0.84, verdict=0.83, recall=0.59, precision=0.60)


def test_third_external_set(external3):
    # Four more writers: paraphrases of example answers on career sites, and hard cases.
    assert_floors(external3, kp_f1=0.86, verdict=0.89, recall=0.70, precision=0.71)


def test_fourth_external_set(external4):
    # Four more writers, half of it paraphrases of complete published answers (some translated):
    # the verdict is furthest from the aims here (training/REPORT.md).
    assert_floors(external4, kp_f1=0.85, verdict=0.82, recall=0.64, precision=0.71)


def test_fifth_external_set():
    # Hard cases by a writer who role-played as many job seekers (training/REPORT.md); all 78
    # labelled twice.
    figures = measure(load([EXTERNAL5]), new_grader()).headline()
    assert figures["answers"] == 78
    floors = {"kp_f1": 0.91, "verdict": 0.93, "rf_recall": 0.84, "rf_precision": 0.84}
    assert all(figures[k] >= v for k, v in floors.items()), figures


def test_sixth_external_set():
    # By two writers who saw nothing of the project, labelled twice from the guide
    # (training/REPORT.md); the nearest to the check set in the old grader's eyes.
    figures = measure(load([EXTERNAL6]), new_grader()).headline()
    assert figures["answers"] == 120
    floors = {"kp_f1": 0.84, "verdict": 0.90, "rf_recall": 0.78, "rf_precision": 0.84}
    assert all(figures[k] >= v for k, v in floors.items()), figures


def test_external_sets_pooled():
    # The nearest figure to answers written outside the project: every external set at once.
    sets = [EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4, EXTERNAL5, EXTERNAL6]
    assert_floors(
        measure(load(sets), new_grader()).headline(),
        kp_f1=0.86, verdict=0.88, recall=0.74, precision=0.75,
    )  # fmt: skip


def test_red_flags_said_in_passing(in_passing):
    # Strong answers with one red flag said in one sentence: the grader's blind spot
    # (training/REPORT.md, "Red flags said in passing"). Two labellers agree on every flag of
    # the check set, whose writer the model never read; the grader finds about three in four.
    assert [in_passing[k]["answers"] for k in ("check", "dev", "test")] == [89, 529, 599]
    for part, floors in (
        ("check", {"kp_f1": 0.95, "verdict": 0.80, "rf_recall": 0.75, "rf_precision": 0.87}),
        ("dev", {"kp_f1": 0.94, "verdict": 0.73, "rf_recall": 0.68, "rf_precision": 0.81}),
        ("test", {"kp_f1": 0.95, "verdict": 0.72, "rf_recall": 0.66, "rf_precision": 0.79}),
    ):
        figures = in_passing[part]
        assert all(figures[k] >= v for k, v in floors.items()), (part, figures)


def test_short_answers_as_users_type_them():
    # A hundred short answers by a writer who role-played as many job seekers, many naming no
    # workplace (training/REPORT.md, "Short answers as users type them"); never trained on.
    check = measure(load([SHORT_CHECK]), new_grader()).headline()
    assert check["answers"] == 100
    floors = {"kp_f1": 0.84, "verdict": 0.79, "rf_recall": 0.81, "rf_precision": 0.65}
    assert all(check[k] >= v for k, v in floors.items()), check


def test_test_split_written_answers(test_split):
    assert_floors(test_split["written"], kp_f1=0.90, verdict=0.91, recall=0.89, precision=0.82)


def test_test_split_paraphrases(test_split):
    # The grader's weakest ground (training/REPORT.md).
    assert_floors(test_split["paraphrases"], kp_f1=0.79, verdict=0.81, recall=0.47, precision=0.50)


def test_red_flags_are_raised_where_recall_meets_precision_on_dev():
    # train.py lowers the red flags' common threshold from 0.5 until dev's red-flag recall meets
    # its precision (training/thresholds.py); at 0.5, dev reads 0.746 / 0.894.
    dev = measure([a for a in load([CORPUS]) if split_of(a) == "dev"], new_grader()).headline()
    assert abs(dev["rf_recall"] - dev["rf_precision"]) <= 0.03, dev


# Seeds the grader is known to get wrong (see training/REPORT.md). strict: the test fails once
# the grader gets one right, so the mark goes.
KNOWN_MISSES: set[str] = set()


def _seed_params():
    for seed in json.loads(SEEDS.read_text(encoding="utf-8")):
        marks = ()
        if seed["source"] in KNOWN_MISSES:
            marks = pytest.mark.xfail(strict=True, reason="known gap, see training/REPORT.md")
        yield pytest.param(seed, id=seed["source"], marks=marks)


@pytest.mark.parametrize("seed", _seed_params())
def test_the_seeds_worked_answers_are_good(seed):
    from failtui.grading import grade_answer

    grade = grade_answer(biggest_failure_card(), seed["text"])
    assert grade.suggested_rating in ("good", "easy")
    assert grade.red_flags == ()
    covered = {k.id for k in grade.key_points if k.covered}
    assert {"context", "failure", "impact", "remedy"} <= covered


PLAIN_SHORT_STORY = (
    "I was a shift lead in a warehouse and my job was to get the orders out. "
    "I forgot to check the pallets, so forty orders went out wrong. I learned to double check."
)


def test_a_plain_short_work_story_raises_no_flag():
    from failtui.grading import grade_answer

    grade = grade_answer(biggest_failure_card(), PLAIN_SHORT_STORY)
    assert grade.red_flags == ()
    assert {k.id for k in grade.key_points if k.covered} >= {"failure", "lesson"}


def test_a_consequence_in_the_failures_sentence_is_credited():
    from failtui.grading import grade_answer

    grade = grade_answer(biggest_failure_card(), PLAIN_SHORT_STORY)
    assert "impact" in {k.id for k in grade.key_points if k.covered}


QA_LEAD = (
    "As a QA lead at an online shop I skipped the regression suite before a release to hit the "
    "date. A pricing bug went live and we refunded 1,800 orders, about 120,000 dollars. {slip}"
    "I rolled back within the hour and added a rule that no release ships without the suite. "
    "I learned that a deadline never justifies skipping the checks."
)


@pytest.mark.parametrize(
    ("slip", "flags", "ratings"),
    [
        ("", set(), {"easy"}),
        ("I won't blame the developers; the call was mine. ", set(), {"easy"}),
        ("Honestly it was not really my fault. ", {"blame"}, {"again"}),
        (
            "To keep my job I changed the test report so it looked like the suite had passed. ",
            {"catastrophic"},
            {"again"},
        ),
        ("The real problem is that I care too much and work too hard. ", {"humblebrag"}, {"again"}),
    ],
    ids=["strong", "near-miss", "blame", "falsified", "humblebrag"],
)
def test_a_red_flag_said_in_one_sentence_of_a_strong_answer(slip, flags, ratings):
    # The issue's own example ("Honestly it was not really my fault" credited as owning the
    # mistake), an unethical act and a disguised strength told in passing (training/README.md,
    # "Eighteenth round").
    from failtui.grading import grade_answer

    grade = grade_answer(biggest_failure_card(), QA_LEAD.format(slip=slip))
    assert {f.id for f in grade.red_flags} == flags
    assert grade.suggested_rating in ratings


def test_tip_and_pitfall_cards_on_answers_never_tuned_on():
    # Answers to the built-in tip and pitfall cards, matched by cues, label and hint
    # (training/REPORT.md, "Cards with their own key points"): the test part's key-point F1.
    from training.evaluate import tipset_tallies

    test = tipset_tallies()["test"]
    assert test.answers == 104
    _precision, _recall, f1 = test.prf(set(test.tp) | set(test.fp) | set(test.fn))
    assert f1 >= 0.82, (test.tp, test.fp, test.fn)
