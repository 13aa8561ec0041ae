"""Red flags the model raises with less confidence: below a flag's own F1-best threshold but at
the threshold lowered with the others' (training/thresholds.py). They are shown as possible and
keep the rating from Good, but a severe one does not send it to Again."""

from __future__ import annotations

import json

from failtui.decks.catalog import load_catalog
from failtui.grading import grade_answer
from failtui.grading.clauses import split_clauses
from failtui.grading.labels import RED_FLAGS
from failtui.grading.model import load_model
from failtui.grading.verdict import suggest_rating
from failtui.models import Grade, RedFlagResult
from failtui.report import grade_report
from failtui.ui.screens.feedback import feedback_text

ALL = {"context", "failure", "impact", "remedy", "lesson"}
# A short ordinary answer the shipped model flags `catastrophic` between the two thresholds.
SKIPPED_REVIEW = "I was team lead on a release. I skipped the review and the release failed."


def test_a_tentative_severe_flag_caps_the_rating_at_hard():
    assert suggest_rating(0.9, ALL, ["blame"], 0.9, tentative=["blame"]) == "hard"
    assert suggest_rating(0.9, ALL, ["blame"], 0.9) == "again"
    assert suggest_rating(0.1, ALL, ["blame"], 0.2, tentative=["blame"]) == "again"
    assert suggest_rating(0.9, ALL, ["blame", "non-work"], 0.9, tentative=["blame"]) == "again"


def test_the_model_marks_exactly_the_flags_between_the_two_thresholds():
    model = load_model()
    for text in (SKIPPED_REVIEW, "I blamed my team for the delay and never owned it."):
        clauses = split_clauses(text)
        scores = model.score(clauses, sum(c.words for c in clauses))
        for flag in RED_FLAGS:
            j = list(scores.probability).index(flag)
            p = scores.probability[flag]
            expected = bool(model.threshold[j] <= p < model.f1_best[j])
            assert scores.tentative[flag] == expected, (text, flag, p)


def test_a_tentative_flag_is_shown_as_possible_and_stored_as_such():
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(card, SKIPPED_REVIEW)
    assert [(rf.id, rf.tentative) for rf in grade.red_flags] == [("catastrophic", True)]
    assert grade.suggested_rating == "hard"
    label = "Unethical, illegal, unsafe or career-ending (possible)"
    assert grade.red_flags[0].shown_label == label
    evidence = '"I skipped the review and the release failed."'
    lines = feedback_text(card, grade).plain.splitlines()
    assert lines[lines.index("Red flags") + 1] == f" ! {label}  {evidence}"
    assert f"  (!) {label}  - {evidence}" in grade_report(card, grade).splitlines()
    stored = json.loads(json.dumps(grade.to_dict()))
    assert stored["red_flags"][0]["tentative"] is True
    again = Grade.from_dict(stored)
    assert again.red_flags[0].tentative is True
    assert again.to_dict() == grade.to_dict()


def test_a_sure_flag_has_no_tentative_key_in_the_json():
    flag = RedFlagResult("blame", "Blaming others", "their fault", "", 0.9)
    grade = Grade("c", "d", (), (flag,), 0.0, 3, 1.0, 0.0, "again")
    assert "tentative" not in grade.to_dict()["red_flags"][0]
    assert flag.shown_label == "Blaming others"
