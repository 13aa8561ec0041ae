"""The inputs the benchmarks time: the grading card, a 600-word answer, typing text.

The card is a story card's shape: 12 key points and 8 red flags, of which the eight standard key
points and all eight red flags are decided by the trained model and four key points of the
user's own are matched by six cues each (see grading_card).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from failtui.decks.reader import load_deck
from failtui.models import Card, KeyPoint, RedFlag

REPO = Path(__file__).resolve().parents[1]
#: Labelled answers written for the grader's evaluation: real prose, not random words.
ANSWERS_FILE = REPO / "tests" / "data" / "failure_answers.toml"
BUILTIN_DECK = REPO / "decks" / "failure-question.toml"
#: The built-in deck as it was before the model: its standard key points carry many cues.
LEGACY_DECK = REPO / "training" / "legacy" / "failure-question.toml"

_EXTRA_POINTS = (
    ("stakeholders", "Who you told", ["i told my manager", "i flagged it", "i escalated it",
                                      "i let the client know", "i owned up", "i reported it"]),
    ("timeline", "When it happened", ["a few weeks later", "the next morning", "by friday",
                                      "two days before", "at the end of the quarter", "that week"]),
    ("team", "The team around you", ["my team", "the other engineers", "my colleagues",
                                     "the night shift", "the project team", "the whole team"]),
    ("closing", "Link to the job", ["in this role", "for this position", "why i want",
                                    "what i would bring", "the job i am applying for",
                                    "relevant to this role"]),
)  # fmt: skip


def grading_card(*, cues_everywhere: bool = False) -> Card:
    """A question card with 12 key points and 8 red flags, as a story card has them.

    The eight standard key points and eight red flags are the built-in deck's (no cues: the
    model decides them); four key points of the user's own have six cues each. With
    ``cues_everywhere`` every standard item also carries six hand-written cues, the first six of
    the deck the model replaced: the worst case, a user who adds cues to every standard item.
    """
    base = load_deck(BUILTIN_DECK).card("biggest-failure")
    legacy = load_deck(LEGACY_DECK).card("biggest-failure")
    assert base is not None and legacy is not None
    cue_source = {item.id: item.cues[:6] for item in (*legacy.key_points, *legacy.red_flags)}

    def cues(item_id: str) -> tuple[str, ...]:
        return cue_source[item_id] if cues_everywhere else ()

    points = [KeyPoint(kp.id, kp.label, cues(kp.id), kp.weight, kp.hint) for kp in base.key_points]
    points += [KeyPoint(kp_id, label, tuple(c)) for kp_id, label, c in _EXTRA_POINTS]
    flags = [RedFlag(rf.id, rf.label, cues(rf.id), rf.advice) for rf in base.red_flags]
    assert len(points) == 12 and len(flags) == 8
    return Card(
        deck_id=base.deck_id,
        id="bench-card",
        kind="question",
        prompt=base.prompt,
        answer=base.answer,
        key_points=tuple(points),
        red_flags=tuple(flags),
    )


def answer_of(words: int) -> str:
    """An answer of exactly ``words`` words: labelled answers joined one after another."""
    answers = tomllib.loads(ANSWERS_FILE.read_text(encoding="utf-8"))["answers"]
    taken: list[str] = []
    count = 0
    for item in answers:
        text = " ".join(item["text"].split())
        taken.append(text)
        count += len(text.split())
        if count >= words:
            break
    return " ".join(" ".join(taken).split()[:words])
