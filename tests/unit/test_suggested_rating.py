"""The suggested rating's rules on a failure-question card (failtui.grading.verdict)."""

from __future__ import annotations

import pytest

from failtui.grading.verdict import suggest_rating

EVERY = {"context", "task", "failure", "impact", "quantified", "remedy", "lesson", "applied"}


@pytest.mark.parametrize(
    ("covered", "expected"),
    [
        (EVERY, "easy"),
        (EVERY - {"applied"}, "easy"),
        (EVERY - {"remedy"}, "good"),  # no word on what was done about it
        (EVERY - {"lesson"}, "good"),  # a lasting remedy carries the takeaway, not the lesson
        (EVERY - {"remedy", "applied"}, "good"),
        (EVERY - {"impact"}, "hard"),  # no consequence: never Good
    ],
)
def test_easy_needs_a_remedy_and_a_lesson_beside_a_sure_verdict(covered, expected):
    assert suggest_rating(0.8, covered, [], 0.95) == expected


def test_a_likely_verdict_short_of_sure_is_good_and_an_unlikely_one_hard():
    assert suggest_rating(0.9, EVERY, [], 0.7) == "good"
    assert suggest_rating(0.9, EVERY, [], 0.3) == "hard"
    assert suggest_rating(0.2, EVERY, [], 0.3) == "again"
