"""The suggested rating: what the grade says the user should press.

On a failure-question card the model's verdict decides between Good and not: it was trained on
answers labelled good or bad by the labelling guide (a real failure the speaker owns, a
consequence, a takeaway, no red flag). Rules that hold whatever the model says: never Good or
Easy with a red flag or without an owned failure and its consequence; never Easy without both a
remedy and a lesson; Again with a severe red flag the model is sure of (one it raised with less
confidence does not by itself send the rating to Again). Length decides nothing, but for one
rule: an answer far too long to say in an interview is at most Good (:func:`capped_for_length`).
On other cards the rating follows the weighted share of key points covered.
"""

from __future__ import annotations

from collections.abc import Collection

from failtui.grading.labels import RED_FLAGS
from failtui.models import ADVISED_SECONDS

#: Flags that make an answer one an interviewer would hold against the candidate.
SEVERE_FLAGS = frozenset({"never-failed", "catastrophic", "non-work", "blame", "humblebrag"})
#: Verdict probability from which a modelled answer is Good, and Easy (with most key points).
GOOD_AT = 0.5
EASY_AT = 0.85
EASY_COVERAGE = 0.75
#: An Easy answer also says what was done about the failure and what was learned: the guide
#: accepts either as the takeaway of a good answer, but an interviewer asks for the other.
EASY_NEEDS = frozenset({"remedy", "lesson"})
#: An answer that takes more than twice the advised longest time to say is at most Good: an
#: interviewer stops listening well before its end, whatever it covers.
LONGEST_EASY_SECONDS = 2 * ADVISED_SECONDS[1]


def capped_for_length(rating: str, speaking_seconds: float) -> str:
    """``rating``, lowered from Easy to Good for an answer too long to say in an interview."""
    return "good" if rating == "easy" and speaking_seconds > LONGEST_EASY_SECONDS else rating


#: The labels the guide's verdict rests on: an owned failure, its consequence, a takeaway (a
#: lesson or a lasting remedy) and every red flag.
VERDICT_LABELS = frozenset({"failure", "impact", "lesson", "remedy", *RED_FLAGS})


def guide_verdict(covered: Collection[str], flags: Collection[str]) -> float:
    """The labelling guide's verdict from labels alone, as a probability (1.0 good, 0.0 bad): an
    owned failure, its consequence, a takeaway (a lesson or a lasting remedy) and no red flag.

    Used where the user has corrected the labels: the user is the judge of what the answer
    shows, and this rule turns their labels into the verdict the model would aim for.
    """
    covered = set(covered)
    good = {"failure", "impact"} <= covered and bool(covered & {"lesson", "remedy"}) and not flags
    return 1.0 if good else 0.0


def _by_coverage(coverage: float) -> str:
    if coverage >= 0.85:
        return "easy"
    if coverage >= 0.55:
        return "good"
    if coverage >= 0.3:
        return "hard"
    return "again"


def suggest_rating(
    coverage: float,
    covered: Collection[str],
    flags: Collection[str],
    good_probability: float | None = None,
    lesson_expected: bool = False,
    tentative: Collection[str] = (),
    speaking_seconds: float = 0.0,
) -> str:
    """Suggest again / hard / good / easy.

    Args:
        coverage: weighted share of the card's key points covered (0..1).
        covered: ids of the key points covered.
        flags: ids of the red flags raised.
        good_probability: the model's verdict on a failure-question card, else None.
        lesson_expected: the card has a ``lesson`` key point (a card without its lesson is at
            most Hard: the lesson is what the interviewer listens for).
        tentative: ids of the flags the model raised with less confidence; like any flag they
            keep the rating from Good, but a severe one sends it to Again only when sure.
        speaking_seconds: how long the answer takes to say (:func:`capped_for_length`).
    """
    if any(f in SEVERE_FLAGS and f not in tentative for f in flags):
        return "again"
    if good_probability is None:
        rating = _by_coverage(coverage)
        capped = bool(flags) or (lesson_expected and "lesson" not in covered)
    else:
        if good_probability >= EASY_AT and coverage >= EASY_COVERAGE and set(covered) >= EASY_NEEDS:
            rating = "easy"
        elif good_probability >= GOOD_AT:
            rating = "good"
        else:
            rating = "hard" if coverage >= 0.3 else "again"
        capped = bool(flags) or not {"failure", "impact"} <= set(covered)
    if capped and rating in ("good", "easy"):
        rating = "hard"
    return capped_for_length(rating, speaking_seconds)
