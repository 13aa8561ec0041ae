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


def test_an_answer_far_too_long_to_say_is_at_most_good():
    """Seed 003's worked answer is Easy; said four times over (about 5 minutes) still Easy, five
    times (over twice the advised 3 minutes) Good, and the report says why."""
    import json
    from pathlib import Path

    from failtui.decks.catalog import load_catalog
    from failtui.grading import grade_answer
    from failtui.report import speaking_advice

    seeds = json.loads((Path(__file__).parents[1] / "data" / "seed_answers.json").read_text())
    text = seeds[2]["text"]
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    once, four, five = (grade_answer(card, " ".join([text] * n)) for n in (1, 4, 5))
    assert [g.suggested_rating for g in (once, four, five)] == ["easy", "easy", "good"]
    assert (round(four.speaking_seconds), round(five.speaking_seconds)) == (306, 383)
    assert speaking_advice(four) == (
        "664 words, about 5:06 spoken (over the advised 2-3 minutes); "
        "lessons 45% of the answer (under the advised half)"
    )
    assert speaking_advice(five) == (
        "830 words, about 6:23 spoken (far over the advised 2-3 minutes: at most Good); "
        "lessons 42% of the answer (under the advised half)"
    )


def test_the_length_rule_lowers_only_easy():
    from failtui.grading.verdict import LONGEST_EASY_SECONDS, capped_for_length

    assert LONGEST_EASY_SECONDS == 360
    over = LONGEST_EASY_SECONDS + 1
    assert [capped_for_length(r, over) for r in ("easy", "good", "hard", "again")] == [
        "good", "good", "hard", "again"
    ]  # fmt: skip
    assert capped_for_length("easy", LONGEST_EASY_SECONDS) == "easy"


def test_a_spoken_answer_far_too_long_is_at_most_good():
    from failtui.decks.catalog import load_catalog
    from failtui.models import KEY_POINT
    from failtui.speaking import checklist, spoken_grade

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    every = {(i.kind, i.id) for i in checklist(card) if i.kind == KEY_POINT}
    ratings = [spoken_grade(card, every, s).suggested_rating for s in (150, 360, 361)]
    assert ratings == ["easy", "easy", "good"]
