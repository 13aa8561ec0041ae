"""Matching a key point's meaning (its label, hint and cues in other words): what counts."""

from __future__ import annotations

from pathlib import Path

from failtui.decks.reader import parse_deck
from failtui.decks.story import Story, save_story, story_deck_text
from failtui.grading import grade_answer
from failtui.locations import builtin_decks_dir

PATH = Path("my-stories.toml")
MIGRATION = Story(
    title="The migration without a rollback",
    situation="I was the database lead at Northwind.",
    task="I owned the customer database migration.",
    mistake="I ran the database migration without rehearsing the rollback.",
    result="300 customers could not log in for six hours.",
    fix="I restored from the nightly backup and rebuilt the missing orders by hand.",
    lesson="I learned that rehearsing the rollback is never optional.",
    use_now="Since then every migration has a rehearsed rollback.",
)


def _lesson_covered(answer: str) -> bool:
    text = save_story(
        story_deck_text(builtin_decks_dir() / "failure-question.toml"), PATH, MIGRATION, "migration"
    )
    card = parse_deck(text, PATH).card("migration")
    covered = {k.id: k.covered for k in grade_answer(card, answer).key_points}
    return covered["story-migration-lesson"]


def test_a_negator_shared_with_a_story_lesson_does_not_tell_that_lesson():
    # "never" and "learned" are all this answer shares with the lesson.
    answer = (
        "At Northwind I ran the migration. The vendor messed up and my manager never checked, "
        "so it failed for 300 customers. I learned to check vendors."
    )
    assert _lesson_covered(answer) is False


def test_the_story_lesson_in_other_words_still_counts():
    answer = (
        "At Northwind I ran the migration and it failed for 300 customers. Since then I know "
        "a rollback must be rehearsed before any migration."
    )
    assert _lesson_covered(answer) is True


def _tip_card(prompt_start: str):
    from failtui.decks.catalog import load_catalog

    catalog = load_catalog(None)
    return next(c for d in catalog.decks for c in d.cards if c.prompt.startswith(prompt_start))


def test_the_evidence_is_the_sentence_holding_the_shared_words_not_the_one_before():
    card = _tip_card("Why do interviewers ask")
    answer = (
        "They are not trying to catch you out. They want to see whether you are honest about "
        "your mistakes, and above all whether you learned something and did better afterwards."
    )
    evidence = {k.label: k.evidence for k in grade_answer(card, answer).key_points if k.covered}
    assert evidence["Growth after the setback"] == (
        "They want to see whether you are honest about your mistakes, and above all whether you "
        "learned something and did better afterwards."
    )


def test_a_point_said_beside_a_negation_still_counts_when_enough_of_it_is_not_negated():
    from failtui.decks.catalog import load_catalog

    card = load_catalog(None).find_card("no-remedy")
    answer = (
        "It skips the bit where they dealt with it. The interviewer wants to know how they put "
        "things right and what they did so it wouldn't happen again, before getting to the lesson."
    )
    covered = {k.id: k.covered for k in grade_answer(card, answer).key_points}
    assert covered["instead"] is True
