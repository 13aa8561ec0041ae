"""Speak mode: an answer said aloud, timed, then labelled from memory by the user's ticks.

Nothing is typed, so there is nothing to grade: the user ticks the key points they covered and
the red flags they raised, and those ticks are the attempt's labels (stored like a graded
answer's, so the statistics count them). The suggested rating follows the ticks by the grader's
own rules (:func:`failtui.corrections.apply_marks`, as for a corrected grade), but an answer
spoken in less than :data:`MIN_SPOKEN_SECONDS` is suggested at most Hard; the speaking time is
the time measured, not an estimate from words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from failtui.models import KEY_POINT, RED_FLAG, Card, Grade
from failtui.words import count

#: An answer said aloud in less time than this is too short to have said what its ticks claim
#: (a typed answer is graded on its words; a spoken one only on the user's ticks), so its
#: suggested rating is at most Hard.
MIN_SPOKEN_SECONDS = 30


@dataclass(frozen=True)
class ChecklistItem:
    """One row of the checklist: a key point (tick if covered) or a red flag (tick if raised)."""

    kind: str  # KEY_POINT | RED_FLAG
    id: str
    label: str


def checklist(card: Card) -> tuple[ChecklistItem, ...]:
    """The card's key points (those the grader uses, so a card made of guidance has its
    sentences), then its red flags."""
    base = _empty_grade(card)
    return tuple(ChecklistItem(KEY_POINT, kp.id, kp.label) for kp in base.key_points) + tuple(
        ChecklistItem(RED_FLAG, rf.id, rf.label) for rf in card.red_flags
    )


def _empty_grade(card: Card) -> Grade:
    from failtui.grading import grade_answer

    return grade_answer(card, "")


def spoken_grade(card: Card, ticked: set[tuple[str, str]], seconds: float) -> Grade:
    """The grade of a spoken answer: ``ticked`` (kind, id) items covered or raised, the rest
    not, the coverage and suggested rating worked out from them (at most Hard when
    :func:`too_short`), ``seconds`` the time taken."""
    from failtui.corrections import apply_marks

    # The time measured, not an estimate from words: the ratings' length rule reads it.
    base = replace(_empty_grade(card), speaking_seconds=max(0.0, seconds))
    marks = {(KEY_POINT, kp.id): True for kp in base.key_points if (KEY_POINT, kp.id) in ticked}
    marks |= {(RED_FLAG, rf.id): True for rf in card.red_flags if (RED_FLAG, rf.id) in ticked}
    grade = apply_marks(card, "", base, marks)
    rating = grade.suggested_rating
    if too_short(seconds) and rating in ("good", "easy"):
        rating = "hard"
    return replace(
        grade,
        words=0,
        lesson_share=0.0,
        suggested_rating=rating,
    )


def too_short(seconds: float) -> bool:
    """Whether an answer spoken for ``seconds`` is too short to be suggested Good or Easy."""
    return seconds < MIN_SPOKEN_SECONDS


def too_short_note(seconds: float) -> str:
    """The rule on short answers in words, when it holds for ``seconds`` ("" when not)."""
    if not too_short(seconds):
        return ""
    return (
        f"Under {count(MIN_SPOKEN_SECONDS, 'second')} spoken: at most Hard (too short for all "
        "you ticked)."
    )


class UnknownIds(ValueError):
    """A line of ids that names something the card does not have."""


def parse_ticks(line: str, card: Card) -> set[tuple[str, str]]:
    """The items named on a line of ids (spaces or commas between; empty: none).

    Raises:
        UnknownIds: an id is not a key point or red flag of the card (the message names it and
            lists the card's ids).
    """
    items = checklist(card)
    by_id = {item.id: item for item in items}
    ticked: set[tuple[str, str]] = set()
    unticked: set[tuple[str, str]] = set()
    for word in line.replace(",", " ").split():
        # ``-id``, the typed drill's "not", says what an untyped id says already: not ticked.
        negated = word.startswith("-") and word[1:] in by_id and word not in by_id
        item = by_id.get(word[1:] if negated else word)
        if item is None:
            raise UnknownIds(
                f"'{word[:80]}' is not a key point or red flag of this card (its ids: "
                f"{' '.join(by_id)})"
            )
        (unticked if negated else ticked).add((item.kind, item.id))
    return ticked - unticked
