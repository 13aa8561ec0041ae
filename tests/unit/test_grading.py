"""The grader's handling of what a naive matcher gets wrong."""

from __future__ import annotations

import pytest

from failtui.decks.catalog import load_catalog
from failtui.grading import grade_answer, split_clauses
from failtui.models import Card, KeyPoint, RedFlag


@pytest.fixture(scope="module")
def question() -> Card:
    return load_catalog(None).find_card("biggest-failure", "failure-question")


def covered(grade) -> set[str]:
    return {k.id for k in grade.key_points if k.covered}


def evidence(grade, kp_id: str) -> str:
    return next(k.evidence for k in grade.key_points if k.id == kp_id)


def flags(grade) -> set[str]:
    return {r.id for r in grade.red_flags}


def card_with(*points: KeyPoint, red_flags: tuple[RedFlag, ...] = ()) -> Card:
    return Card("d", "c", "tip", "p?", "Guidance.", key_points=points, red_flags=red_flags)


def test_short_cue_matches_whole_words_only():
    card = card_with(KeyPoint("fix", "Fix", ("fix",)))
    assert not grade_answer(card, "The prefix was wrong.").key_points[0].covered
    assert grade_answer(card, "I had to fix it.").key_points[0].covered


def test_cue_does_not_match_inside_another_word():
    card = card_with(red_flags=(RedFlag("lie", "Lie", ("i lied to",), "Don't."),))
    assert not grade_answer(card, "I relied to a fault on the old system.").red_flags
    assert grade_answer(card, "I lied to the client.").red_flags


def test_negated_sentence_does_not_cover_a_point(question):
    grade = grade_answer(question, "I didn't really learn anything from it.")
    assert "lesson" not in covered(grade)
    assert "lesson" in covered(grade_answer(question, "It went wrong. I learned to ask early."))


def test_a_negated_cue_does_not_cover_a_key_point_of_the_users_own():
    card = card_with(KeyPoint("pilot", "Piloted it first", ("ran a pilot",)))
    assert not grade_answer(card, "We never ran a pilot.").key_points[0].covered
    assert grade_answer(card, "So we ran a pilot with two stores.").key_points[0].covered


def test_the_label_and_hint_in_other_forms_cover_a_key_point():
    point = KeyPoint(
        "tell-early",
        "Communicate early",
        ("raise the alarm",),
        hint="Tell the people affected as soon as you know.",
    )
    card = card_with(point)
    # No cue is in the answer; the label's words are, in other forms.
    answer = "Looking back, I should have communicated it to everyone it affected."
    grade = grade_answer(card, answer)
    assert grade.key_points[0].covered
    assert grade.key_points[0].evidence == answer
    assert not grade_answer(card, "The weather was bad that week.").key_points[0].covered


def test_a_lesson_that_starts_with_to_never_is_not_negated():
    card = card_with(KeyPoint("lesson", "Lesson", ("i learned",)))
    assert grade_answer(card, "I learned to never trade testing for speed.").key_points[0].covered
    assert not grade_answer(card, "Honestly I learned nothing.").key_points[0].covered


def test_a_service_going_down_is_an_impact(question):
    answer = (
        "I was the on-call engineer for our payments API. I pushed a config change on a Friday "
        "without a canary. The service went down for four hours, costing us customers. I rolled "
        "it back and added a canary stage to every deploy."
    )
    grade = grade_answer(question, answer)
    assert {"impact", "quantified"} <= covered(grade)
    assert (
        evidence(grade, "impact") == "The service went down for four hours, costing us customers."
    )


def test_negative_cue_is_not_cancelled_by_its_own_negation():
    card = card_with(red_flags=(RedFlag("blame", "Blame", ("wasnt my fault",), "Own it."),))
    assert grade_answer(card, "Honestly it wasn't my fault.").red_flags


def test_numbers_written_as_words_count_as_quantities(question):
    answer = (
        "I ran dispatch at a small bakery. I forgot to book the van for a big catering order, so "
        "the delivery was two days late and we refunded the client. Now the van is booked when "
        "the order is taken, and I learned to confirm transport the same day."
    )
    grade = grade_answer(question, answer)
    assert "quantified" in covered(grade)
    assert next(k.number for k in grade.key_points if k.id == "quantified") == "two days"


def number_card() -> Card:
    return card_with(
        KeyPoint("impact", "Consequence", ("outage",)),
        KeyPoint("quantified", "Damage measured", ("cost us",)),
    )


def test_quantified_is_not_covered_in_an_answer_that_holds_no_number():
    grade = grade_answer(number_card(), "The outage cost us a lot of trust.")
    assert covered(grade) == {"impact"}
    assert evidence(grade, "quantified") == ""


def test_quantified_names_the_number_of_another_clause_when_its_evidence_has_none():
    grade = grade_answer(number_card(), "The outage cost us dearly. We refunded 1,800 orders.")
    quantified = next(k for k in grade.key_points if k.id == "quantified")
    assert quantified.covered
    assert (quantified.evidence, quantified.number) == ("We refunded 1,800 orders.", "1,800 orders")


def test_quantified_takes_the_number_of_the_clause_the_model_scores_highest():
    import numpy as np

    from failtui.grading import _quantified_needs_a_number
    from failtui.grading.labels import MODEL_LABELS
    from failtui.grading.model import Scores
    from failtui.models import KeyPointResult

    clauses = split_clauses("It went badly. We lost 40 orders. Refunds came to $9,000.")
    clause_scores = np.zeros((len(clauses), len(MODEL_LABELS)))
    clause_scores[:, MODEL_LABELS.index("quantified")] = [3.0, 0.5, 1.0]
    scores = Scores(clause_scores, {}, {}, 0.5)
    results = [
        KeyPointResult("impact", "Consequence", True, 90.0, clauses[0].text),
        KeyPointResult("quantified", "Damage measured", True, 90.0, clauses[0].text),
    ]
    quantified = _quantified_needs_a_number(results, clauses, scores)[1]
    assert (quantified.covered, quantified.evidence, quantified.number) == (
        True,
        "Refunds came to $9,000.",
        "$9,000",
    )


def test_quantified_needs_impact():
    grade = grade_answer(number_card(), "It cost us $9,000.")
    assert covered(grade) == set()


def test_an_answer_whose_only_numbers_set_the_scene_is_not_quantified(question):
    answer = (
        "Two years ago I was a junior analyst on a team of five at an insurer. I sent the wrong "
        "quarterly report to a client without checking it, and it cost us a lot of trust. I "
        "called them, apologised and sent the right one, and now I check every report twice."
    )
    grade = grade_answer(question, answer)
    assert "impact" in covered(grade)
    assert "quantified" not in covered(grade)
    quantified = next(k for k in grade.key_points if k.id == "quantified")
    assert (quantified.evidence, quantified.number) == ("", "")


def test_scene_setting_numbers_are_not_quantified_impact(question):
    grade = grade_answer(question, "Three years ago I joined a team of five as a junior analyst.")
    assert "quantified" not in covered(grade)


def test_typos_still_match(question):
    answer = (
        "i was a store manger at a shoe shop and i forgot to lock the stockroom one night. "
        "we lost about fourty pairs to theft. i told the area manager and now i do a lock check "
        "list every night. i lerned that routines beat memory."
    )
    grade = grade_answer(question, answer)
    assert {"context", "failure", "impact", "remedy"} <= covered(grade)


def test_run_on_answer_without_punctuation_is_cut_into_clauses(question):
    answer = (
        "so i was a shift lead in the warehouse and my job was to get the orders out and i "
        "forgot to check the pallets so forty orders went out wrong and it cost us two grand "
        "and i rang every customer and set up a checklist and i learned that checks save time "
        "and since then i always check before the truck leaves"
    )
    assert len(split_clauses(answer)) >= 4
    grade = grade_answer(question, answer)
    # "since then i always check" is a remedy, not a later instance (docs/labelling.md).
    assert {"context", "failure", "impact", "quantified", "remedy", "lesson"} <= covered(grade)
    assert grade.suggested_rating in ("good", "easy")


def test_dodge_is_flagged_and_rated_again(question):
    grade = grade_answer(question, "I can't really think of one. I don't really fail.")
    assert "never-failed" in flags(grade)
    assert grade.suggested_rating == "again"


def test_empty_answer(question):
    grade = grade_answer(question, "")
    assert grade.words == 0
    assert grade.coverage == 0
    assert grade.suggested_rating == "again"
    assert grade.lesson_share == 0


def test_lesson_share_counts_the_lesson_part(question):
    answer = (
        "I was a buyer. I ordered the wrong stock. We lost money. "
        "I learned that I must check the forecast first. It taught me to ask for a second opinion "
        "and to write my assumptions down. Since then I always share the order before I place it, "
        "and the team catches problems early."
    )
    grade = grade_answer(question, answer)
    assert grade.lesson_share > 0.5


def test_speaking_time_uses_the_stated_rate(question):
    grade = grade_answer(question, "word " * 260)
    assert grade.words == 260
    assert grade.speaking_seconds == pytest.approx(120.0)


def test_card_without_key_points_is_graded_against_its_guidance():
    card = Card(
        "d",
        "c",
        "tip",
        "How long?",
        "Keep the answer to two or three minutes. Spend more than half of it on the lesson.",
    )
    grade = grade_answer(card, "Keep it to about three minutes and spend half on the lessons.")
    assert len(grade.key_points) == 2
    assert all(k.covered for k in grade.key_points)
    assert not grade_answer(card, "Talk about the weather.").key_points[0].covered


def test_markup_like_answer_is_just_text(question):
    grade = grade_answer(question, "[/b] [@click=app.quit]x[/] I learned [link=http://x]y[/link]")
    assert any("[/b]" in k.evidence for k in grade.key_points if k.covered)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("twelve thousand customers", "12000 customers"),
        ("12,000 customers, 40k euros", "12000 customers, 40000 euros"),
        ("half a million users and a dozen stores", "500000 users and 12 stores"),
        ("two hundred and fifty orders in 1.5 million", "250 orders in 1500000"),
        ("forty-two people on ten twelve-hour shifts", "42 people on 10 12-hour shifts"),
        ("between two and three days", "between 2 and 3 days"),
        ("Half the team", "Half the team"),
    ],
)
def test_numbers_as_digits_reads_numbers_in_words_and_figures(text, digits):
    from failtui.grading.quantities import numbers_as_digits

    assert numbers_as_digits(text) == digits


def test_a_cue_holding_a_number_matches_it_in_words_and_no_other_number():
    card = card_with(KeyPoint("count", "The count", ("12,000 customers", "six hours")))
    grade = grade_answer(card, "We locked out twelve thousand customers.")
    assert (grade.key_points[0].covered, grade.key_points[0].evidence) == (
        True,
        "We locked out twelve thousand customers.",
    )
    assert grade_answer(card, "It took 6 hours.").key_points[0].covered
    assert (
        not grade_answer(card, "We locked out 13,000 customers for 16 hours.").key_points[0].covered
    )


VENDOR = RedFlag("vendor", "Blaming the vendor", ("vendor's fault", "the vendor"), "")


@pytest.mark.parametrize(
    ("answer", "raised_on"),
    [
        (
            "The vendor never delivered on time, and we had no rollback plan",
            "The vendor never delivered on time, and we had no rollback plan",
        ),
        ("We had no plan b and the vendor was slow.", "We had no plan b and the vendor was slow."),
        ("We had no plan b. The vendor was slow.", "The vendor was slow."),
        ("It was the vendor's fault, not mine.", "It was the vendor's fault, not mine."),
        ("It was not the vendor's fault.", None),
        ("I won't blame the vendor.", None),
    ],
)
def test_a_negation_cancels_a_cue_only_where_it_governs_the_cues_words(answer, raised_on):
    grade = grade_answer(card_with(red_flags=(VENDOR,)), answer)
    assert [(f.id, f.evidence) for f in grade.red_flags] == (
        [("vendor", raised_on)] if raised_on else []
    )


def test_a_not_after_a_cue_starts_what_it_says():
    card = card_with(KeyPoint("lesson", "Lesson", ("i learned",)))
    assert grade_answer(card, "I learned not to guess.").key_points[0].covered
    assert not grade_answer(card, "I learned nothing at all.").key_points[0].covered


def test_a_blame_said_beside_an_unrelated_negation_is_not_easy():
    card = card_with(KeyPoint("lesson", "Lesson", ("i learned",)), red_flags=(VENDOR,))
    answer = (
        "The vendor never delivered on time, and we had no rollback plan. I learned to keep a "
        "plan b."
    )
    grade = grade_answer(card, answer)
    assert ([f.id for f in grade.red_flags], grade.suggested_rating) == (["vendor"], "hard")
