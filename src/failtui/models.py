"""Frozen dataclasses shared by every layer: decks, cards, grades and attempts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

# The articles' advice, shared by the grader, the reports and the statistics (kept here so the
# statistics need not import the grader, which is off the start-up path).
#: Words per minute used for the speaking-time estimate (a calm interview pace).
SPEAKING_RATE_WPM = 130.0
#: An answer of two to three minutes.
ADVISED_SECONDS = (120.0, 180.0)
#: Over half of the answer on the lesson and its later use.
ADVISED_LESSON_SHARE = 0.5

CARD_KINDS: tuple[str, ...] = ("question", "tip", "pitfall")

#: The most characters of a title given to a deck or an interview (it is shown on one line).
MAX_TITLE = 200


def title_problem(title: str) -> str | None:
    """Why ``title`` is too long for a deck or an interview (one line), or None if it is not."""
    if len(title) > MAX_TITLE:
        return f"the title is {len(title):,} characters; the limit is {MAX_TITLE}"
    return None


class Rating(IntEnum):
    """The four ratings, numbered as the rating keys and FSRS number them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """The name a rating is stored, printed and typed under: ``again`` ... ``easy``."""
        return self.name.lower()

    @property
    def key(self) -> str:
        """The key that gives the rating (``1`` for Again ... ``4`` for Easy)."""
        return str(self.value)


#: The rating names, Again to Easy.
RATING_LABELS: tuple[str, ...] = tuple(r.label for r in Rating)
#: The standard key point and red flag ids of the failure question (DESIGN.md), in order. The
#: grader's model decides them on question cards, so a deck may give them without cues.
STANDARD_KEY_POINTS = (
    "context",
    "task",
    "failure",
    "impact",
    "quantified",
    "remedy",
    "lesson",
    "applied",
)
STANDARD_RED_FLAGS = (
    "never-failed",
    "blame",
    "humblebrag",
    "non-work",
    "catastrophic",
    "negative",
    "hypothetical",
    "trivial",
)


def cues_required(item_id: str) -> bool:
    """Whether a key point or red flag with this id needs cues (every id but the standard ones)."""
    return item_id not in STANDARD_KEY_POINTS and item_id not in STANDARD_RED_FLAGS


#: The kinds of item a grade labels (attempt rows and corrections name them so).
KEY_POINT = "key_point"
RED_FLAG = "red_flag"


def is_failure_question(card: Card) -> bool:
    """A question card graded on the eight standard key points of the failure question.

    Speaking-time and lesson-share advice are about that answer only: not about tips, pitfalls,
    or an imported "Why do you want to leave?".
    """
    return card.kind == "question" and {kp.id for kp in card.key_points} >= set(STANDARD_KEY_POINTS)


@dataclass(frozen=True)
class KeyPoint:
    """Something a good answer contains, recognised by its cues."""

    id: str
    label: str
    cues: tuple[str, ...]
    weight: float = 1.0
    hint: str = ""


@dataclass(frozen=True)
class RedFlag:
    """Something a good answer avoids, with advice on what to do instead."""

    id: str
    label: str
    cues: tuple[str, ...]
    advice: str = ""


@dataclass(frozen=True)
class Card:
    """One prompt of a deck; its identity is (deck_id, id)."""

    deck_id: str
    id: str
    kind: str
    prompt: str
    answer: str
    tags: tuple[str, ...] = ()
    key_points: tuple[KeyPoint, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()

    @property
    def key(self) -> str:
        """The card's stable identity across edits: ``deck/card``."""
        return f"{self.deck_id}/{self.id}"


#: The order in which a missed standard key point is asked about again (DESIGN.md): the first
#: missed of these is the interviewer's follow-up.
FOLLOWUP_ORDER = (
    "failure",
    "impact",
    "lesson",
    "remedy",
    "applied",
    "quantified",
    "context",
    "task",
)


@dataclass(frozen=True)
class FollowUp:
    """A question an interviewer asks when an answer misses a standard key point."""

    key_point: str
    prompt: str


@dataclass(frozen=True)
class FollowUpAnswer:
    """The answer to a follow-up question, graded against the one key point it probes."""

    key_point: str
    prompt: str
    answer: str
    covered: bool
    evidence: str = ""


@dataclass(frozen=True)
class Deck:
    """A deck file, parsed and validated."""

    id: str
    title: str
    description: str
    cards: tuple[Card, ...]
    version: int | None = None
    path: Path | None = None
    builtin: bool = False
    #: Follow-up questions (``[[followups]]``) for its failure-question cards.
    followups: tuple[FollowUp, ...] = ()

    def card(self, card_id: str) -> Card | None:
        """Return the card with this id, or None."""
        for card in self.cards:
            if card.id == card_id:
                return card
        return None


@dataclass(frozen=True)
class DeckError:
    """Why a deck file could not be loaded: file, line (when known), card (when known), problem."""

    path: Path
    message: str
    line: int | None = None
    card_id: str | None = None

    def __str__(self) -> str:
        from failtui.safefiles import shown

        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        if self.card_id:
            where += f": card '{self.card_id}'"
        # A file name or message may hold escape sequences: printed, they are made inert.
        return shown(f"{where}: {self.message}")


@dataclass(frozen=True)
class KeyPointResult:
    """Whether the answer covered one key point, how well, and the text that showed it."""

    id: str
    label: str
    covered: bool
    score: float
    evidence: str = ""
    hint: str = ""
    weight: float = 1.0
    #: The model's probability that the answer shows it (None where cues alone decide).
    probability: float | None = None
    #: For ``quantified``: the number in the evidence that measures the damage.
    number: str = ""


@dataclass(frozen=True)
class RedFlagResult:
    """A red flag raised by the answer, with the text that raised it."""

    id: str
    label: str
    evidence: str
    advice: str
    #: The model's probability that the answer shows it (None where cues alone decide).
    probability: float | None = None
    #: Raised by the model with less confidence (a probability under 0.5, above the red flags'
    #: lowered threshold): shown as possible, and it keeps the suggested rating from Good
    #: without sending it to Again.
    tentative: bool = False

    @property
    def shown_label(self) -> str:
        """The label as the feedback shows it: a tentative flag reads as a possible one."""
        return f"{self.label} (possible)" if self.tentative else self.label


@dataclass(frozen=True)
class Grade:
    """The grader's verdict on one answer to one card."""

    card: str
    deck: str
    key_points: tuple[KeyPointResult, ...]
    red_flags: tuple[RedFlagResult, ...]
    coverage: float
    words: int
    speaking_seconds: float
    lesson_share: float
    suggested_rating: str
    speaking_rate_wpm: float = 130.0
    #: The model's probability that a strong interviewer would accept the answer (None on cards
    #: the model does not grade).
    good_probability: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of `failtui grade --json` (see DESIGN.md)."""
        return {
            "card": self.card,
            "deck": self.deck,
            "key_points": [_key_point_dict(k) for k in self.key_points],
            "red_flags": [_red_flag_dict(r) for r in self.red_flags],
            "coverage": round(self.coverage, 3),
            "words": self.words,
            "speaking_seconds": round(self.speaking_seconds, 1),
            "lesson_share": round(self.lesson_share, 3),
            "suggested_rating": self.suggested_rating,
            "speaking_rate_wpm": self.speaking_rate_wpm,
        } | (
            {"good_probability": round(self.good_probability, 3)}
            if self.good_probability is not None
            else {}
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Grade:
        """The grade of a :meth:`to_dict` object, as stored with each attempt.

        Keys an older stored grade lacks take their defaults; a key point's hint and weight are
        not stored, so they are the defaults too.
        """
        return cls(
            card=str(data.get("card", "")),
            deck=str(data.get("deck", "")),
            key_points=tuple(
                KeyPointResult(
                    id=k["id"],
                    label=k.get("label", k["id"]),
                    covered=bool(k.get("covered", False)),
                    score=float(k.get("score", 0.0)),
                    evidence=k.get("evidence", ""),
                    probability=k.get("probability"),
                    number=k.get("number", ""),
                )
                for k in data.get("key_points", [])
            ),
            red_flags=tuple(
                RedFlagResult(
                    id=r["id"],
                    label=r.get("label", r["id"]),
                    evidence=r.get("evidence", ""),
                    advice=r.get("advice", ""),
                    probability=r.get("probability"),
                    tentative=bool(r.get("tentative", False)),
                )
                for r in data.get("red_flags", [])
            ),
            coverage=float(data.get("coverage", 0.0)),
            words=int(data.get("words", 0)),
            speaking_seconds=float(data.get("speaking_seconds", 0.0)),
            lesson_share=float(data.get("lesson_share", 0.0)),
            suggested_rating=str(data.get("suggested_rating", "")),
            speaking_rate_wpm=float(data.get("speaking_rate_wpm", SPEAKING_RATE_WPM)),
            good_probability=data.get("good_probability"),
        )


def _key_point_dict(k: KeyPointResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": k.id,
        "label": k.label,
        "covered": k.covered,
        "score": round(k.score, 1),
        "evidence": k.evidence,
    }
    if k.probability is not None:
        out["probability"] = round(k.probability, 3)
    if k.number:
        out["number"] = k.number
    return out


def _red_flag_dict(r: RedFlagResult) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "label": r.label, "evidence": r.evidence, "advice": r.advice}
    if r.probability is not None:
        out["probability"] = round(r.probability, 3)
    if r.tentative:
        out["tentative"] = True
    return out


@dataclass(frozen=True)
class CardState:
    """The scheduler's view of one card, as stored."""

    card_key: str
    state: str  # "new" | "learning" | "review" | "relearning"
    due: str | None  # ISO UTC, None for new cards
    stability: float | None = None
    difficulty: float | None = None
    step: int | None = None
    last_review: str | None = None
    reps: int = 0
    lapses: int = 0
    buried_until: str | None = None
    suspended: bool = False


@dataclass(frozen=True)
class Attempt:
    """One stored answer with its grade summary."""

    id: int
    card_key: str
    answered_at: str
    answer: str
    coverage: float
    words: int
    rating: str | None = None
    suggested_rating: str | None = None
    grade_json: str = field(default="", repr=False)
    #: Said aloud: the seconds it took (None for a typed answer).
    spoken_seconds: float | None = None
    #: The answer to the follow-up question asked after it, if one was answered.
    followup: FollowUpAnswer | None = None

    def grade(self) -> Grade:
        """The grade stored with the attempt (as the user left it)."""
        return Grade.from_dict(json.loads(self.grade_json or "{}"))


@dataclass(frozen=True)
class Correction:
    """One item the user labelled differently from the grader."""

    kind: str  # KEY_POINT | RED_FLAG
    item_id: str
    label: str
    model: bool  # the grader's label: key point covered / red flag raised
    user: bool  # the user's label
    #: For a key point the user marked covered: the sentence taught to the card as a cue.
    cue: str = ""
    #: For a red flag: dismissed again by the session, because the user dismissed it on the
    #: same clause of an earlier answer (the user saw it and left it so).
    remembered: bool = False
