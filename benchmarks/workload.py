"""The inputs the benchmarks time: the grading card, a 600-word answer, typing text.

The card is the worst case: 12 key points and 8 red flags of 6 cues each. Eight key points and
all eight red flags use the standard ids of the failure question, so the trained model runs and
the cues are matched as well (a user's card that adds cues to the standard ids); their cues are
the first six of each in the hand-written deck the model replaced (training/legacy/).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from failtui.decks.reader import load_deck
from failtui.models import Card, KeyPoint, RedFlag

REPO = Path(__file__).resolve().parents[1]
#: Labelled answers written for the grader's evaluation: real prose, not random words.
ANSWERS_FILE = REPO / "tests" / "data" / "failure_answers.toml"
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


def grading_card() -> Card:
    """A question card with 12 key points and 8 red flags of 6 cues each."""
    base = load_deck(LEGACY_DECK).card("biggest-failure")
    assert base is not None
    points = [KeyPoint(kp.id, kp.label, kp.cues[:6], kp.weight, kp.hint) for kp in base.key_points]
    points += [KeyPoint(kp_id, label, tuple(cues)) for kp_id, label, cues in _EXTRA_POINTS]
    flags = [RedFlag(rf.id, rf.label, rf.cues[:6], rf.advice) for rf in base.red_flags]
    assert len(points) == 12 and len(flags) == 8
    assert all(len(item.cues) == 6 for item in (*points, *flags))
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
