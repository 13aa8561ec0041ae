"""The interviewer's follow-up: the question asked when an answer misses a standard key point.

Follow-up questions are deck content (``[[followups]]`` in a deck file, each naming the standard
key point it probes). A failure-question card takes its own deck's; a deck without any (your
stories, an older copy) takes the built-in question deck's. Of the key points an answer misses,
the first in :data:`~failtui.models.FOLLOWUP_ORDER` that has a question is asked; a key point
with several questions asks them in turn.

The answer is graded by the grader, and only that key point's result is read: the follow-up is
about one thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from failtui.models import (
    FOLLOWUP_ORDER,
    Card,
    Deck,
    FollowUp,
    FollowUpAnswer,
    Grade,
    is_failure_question,
)

#: The built-in deck whose follow-ups a deck without its own uses.
BUILTIN_FOLLOWUP_DECK = "failure-question"


class DeckSource(Protocol):
    """What a catalog offers that this module needs."""

    def deck(self, deck_id: str) -> Deck | None: ...


def followups_for(catalog: DeckSource, card: Card) -> tuple[FollowUp, ...]:
    """The follow-up questions that apply to ``card``: its deck's, else the built-in ones."""
    deck = catalog.deck(card.deck_id)
    if deck is not None and deck.followups:
        return deck.followups
    return fallback_followups(catalog)


def fallback_followups(catalog: DeckSource) -> tuple[FollowUp, ...]:
    """The follow-ups of a deck that has none of its own: the built-in question deck's."""
    builtin = catalog.deck(BUILTIN_FOLLOWUP_DECK)
    if builtin is not None and builtin.builtin:
        return builtin.followups
    return builtin_followups()


def builtin_followups() -> tuple[FollowUp, ...]:
    """The built-in question deck's follow-ups, read from its file (when a deck of the user's
    has taken its id)."""
    from failtui.decks.reader import DeckLoadError, load_deck
    from failtui.locations import builtin_decks_dir

    try:
        deck = load_deck(builtin_decks_dir() / f"{BUILTIN_FOLLOWUP_DECK}.toml", builtin=True)
    except DeckLoadError:
        return ()
    return deck.followups


def choose_followup(
    card: Card, grade: Grade, followups: Sequence[FollowUp], turn: int = 0
) -> FollowUp | None:
    """The follow-up an interviewer would ask after this grade, or None.

    Only on a failure-question card, to an answer that says something, and only when it missed
    a key point that has a question. ``turn`` picks among several questions on one key point
    (the card's review count, so they take turns).
    """
    if not is_failure_question(card) or grade.words == 0:
        return None  # an empty answer shows the guidance: there is nothing to follow up
    missed = {kp.id for kp in grade.key_points if not kp.covered}
    for key_point in FOLLOWUP_ORDER:
        if key_point not in missed:
            continue
        options = [f for f in followups if f.key_point == key_point]
        if options:
            return options[turn % len(options)]
    return None


def grade_followup(card: Card, followup: FollowUp, answer: str, told: str = "") -> FollowUpAnswer:
    """Grade the answer to a follow-up against the one key point it probes.

    ``told`` is the answer the follow-up follows: the follow-up's answer is read after it, as
    an interviewer hears it ("Last quarter I insisted on the gate" uses the lesson told before
    it), and the key point counts only when a sentence of the follow-up's answer shows it.
    """
    from failtui.grading import grade_answer

    text = f"{told.rstrip()}\n\n{answer}" if told.strip() else answer
    grade = grade_answer(card, text)
    result = next((kp for kp in grade.key_points if kp.id == followup.key_point), None)
    covered = bool(result and result.covered and result.evidence in answer)
    return FollowUpAnswer(
        key_point=followup.key_point,
        prompt=followup.prompt,
        answer=answer,
        covered=covered,
        evidence=result.evidence if result and covered else "",
    )


def given_in_followup(key_point: str, answer: FollowUpAnswer | None) -> bool:
    """Whether the answer to the follow-up covered ``key_point``. The key point still counts as
    missed by the answer itself (coverage, rating, statistics): the interviewer had to ask."""
    return answer is not None and answer.covered and answer.key_point == key_point


def key_point_label(card: Card, key_point: str) -> str:
    """The label the card gives a key point (its id if the card has none by that id)."""
    return next((kp.label for kp in card.key_points if kp.id == key_point), key_point)
