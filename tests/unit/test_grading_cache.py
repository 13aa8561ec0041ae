"""Live grading keeps what each clause holds between keystrokes, and grades exactly as cold."""

from __future__ import annotations

import random

import pytest

from failtui.decks.catalog import load_catalog
from failtui.grading import clear_caches, grade_answer

STORY = (
    "I was a shift lead at a warehouse and my job was to sign off the weekly stock count. "
    "I skipped the second check because we were behind, and it was my fault. "
    "Forty pallets went to the wrong store and it cost us three days. "
    "My boss was furious but I told my manager straight away. "
    "I never really failed before that; I learned that the check I skip is the one that matters. "
    "Since then I run the second count every time, and last quarter it caught a mislabelled batch."
)


@pytest.fixture
def card():
    return load_catalog(None).find_card("biggest-failure", "failure-question")


def cold_grade(card, answer):
    clear_caches()
    return grade_answer(card, answer)


def test_typing_grades_exactly_as_a_cold_grade(card):
    clear_caches()
    for end in range(0, len(STORY) + 1, 7):  # the answer as it is typed
        assert grade_answer(card, STORY[:end]) == cold_grade(card, STORY[:end])
        grade_answer(card, STORY[:end])  # leave the cache warm for the next, longer answer


def test_edits_anywhere_grade_exactly_as_cold(card):
    rng = random.Random(7)
    sentences = STORY.split(". ")
    clear_caches()
    for _ in range(40):
        edited = list(sentences)
        action = rng.choice(("drop", "swap", "typo", "negate"))
        i = rng.randrange(len(edited))
        if action == "drop":
            edited.pop(i)
        elif action == "swap":
            j = rng.randrange(len(edited))
            edited[i], edited[j] = edited[j], edited[i]
        elif action == "typo":
            word = rng.randrange(len(edited[i]))
            edited[i] = edited[i][:word] + edited[i][word + 1 :]
        else:
            edited[i] = "I did not say that " + edited[i].lower()
        answer = ". ".join(edited)
        warm = grade_answer(card, answer)
        assert warm == cold_grade(card, answer)
        grade_answer(card, STORY)
