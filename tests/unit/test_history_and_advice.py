"""History shows each answer's red flags; speaking advice only on failure-question cards."""

from __future__ import annotations

import json
from pathlib import Path

from failtui.decks.catalog import load_catalog
from failtui.decks.reader import parse_deck
from failtui.grading import grade_answer
from failtui.models import Attempt, Grade, KeyPointResult, RedFlagResult, is_failure_question
from failtui.report import grade_report
from failtui.ui.screens.history import attempt_detail

LEAVE = parse_deck(
    """id = "imported"
title = "Imported"
description = ""

[[cards]]
id = "leave"
kind = "question"
prompt = "Why do you want to leave?"
answer = "Growth matters to me."
""",
    Path("imported.toml"),
).cards[0]


def test_history_lists_the_red_flags_an_answer_raised():
    grade = {
        "key_points": [{"id": "lesson", "label": "What you learned", "covered": False}],
        "red_flags": [{"id": "blame", "label": "Blaming others", "evidence": "my boss did it"}],
    }
    attempt = Attempt(
        1, "d/c", "2026-11-20T10:00:00.000000+00:00", "my boss did it", 0.0, 4, "again",
        grade_json=json.dumps(grade),
    )  # fmt: skip
    lines = attempt_detail(attempt, None).plain.splitlines()
    assert lines[4:9] == [
        "Key points", " ✗ What you learned", "", "Red flags", ' ! Blaming others  "my boss did it"',
    ]  # fmt: skip


def test_speaking_advice_only_for_the_failure_question():
    catalog = load_catalog(None)
    failure = catalog.find_card("biggest-failure", "failure-question")
    tip = catalog.deck("failure-tips").cards[0]
    assert [is_failure_question(c) for c in (failure, tip, LEAVE)] == [True, False, False]
    assert grade_report(LEAVE, grade_answer(LEAVE, "I want to grow.")).splitlines() == [
        "imported/leave: Why do you want to leave?", "", "Key points (0% covered):",
        "  [ ] Growth matters to me.  - missed", "Red flags: none", "Suggested rating: Again",
    ]  # fmt: skip
    failure_report = grade_report(failure, grade_answer(failure, "I want to grow.")).splitlines()
    assert failure_report[-2] == (
        "4 words, about 0:02 spoken (short of the advised 2-3 minutes); "
        "lessons 0% of the answer (under the advised half)"
    )


def test_counted_nouns_are_singular_for_one():
    from failtui.words import count

    assert [count(1, "card"), count(2, "card"), count(0, "practice day")] == [
        "1 card", "2 cards", "0 practice days",
    ]  # fmt: skip
    assert count(1200, "card", fmt="{:,}") == "1,200 cards"
    assert count(1, "empty draft") == "1 empty draft"


def test_a_stored_grade_reads_back_as_the_same_grade():
    failure = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(failure, "I shipped late and lost a client. I learned to plan ahead.")
    stored = json.loads(json.dumps(grade.to_dict()))
    assert Grade.from_dict(stored).to_dict() == grade.to_dict()


def test_an_older_stored_grade_without_scores_reads_with_defaults():
    old = {"key_points": [{"id": "lesson", "covered": True}], "red_flags": [{"id": "blame"}]}
    grade = Grade.from_dict(old)
    assert grade.key_points == (KeyPointResult("lesson", "lesson", True, 0.0),)
    assert grade.red_flags == (RedFlagResult("blame", "blame", "", ""),)
    assert (grade.coverage, grade.words, grade.suggested_rating) == (0.0, 0, "")
