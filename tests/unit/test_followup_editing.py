"""A deck's follow-ups edited as lines: the line format, the three-way merge and the writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from failtui.decks.card_merge import merge_followups, merge_value
from failtui.decks.card_text import (
    CardTextError,
    format_followup,
    format_followups,
    parse_followups,
)
from failtui.decks.reader import DeckLoadError, load_deck, parse_deck
from failtui.decks.writer import set_followups
from failtui.locations import builtin_decks_dir
from failtui.models import FollowUp

PATH = Path("mine.toml")

DECK = """# Mine, by hand.
id = "mine"
title = "Mine"
description = ""

[[cards]]
id = "slip"
prompt = "Tell me about a slip."
answer = "Own it."

# Asked when the lesson is missing.
[[followups]]
key_point = "lesson"
prompt = "What would you do differently?"  # my favourite

[[followups]]
key_point = "impact"
prompt = "What did it cost?"
"""


def test_lines_round_trip_a_bar_and_backslashes_in_the_question():
    followups = (
        FollowUp("lesson", "Looking back | what now?"),
        FollowUp("impact", r"Cost in C:\temp; or more\?"),
    )
    text = format_followups(followups)
    assert text == "lesson | Looking back \\| what now?\nimpact | Cost in C:\\\\temp; or more\\\\?"
    assert parse_followups(text) == followups


def test_empty_lines_are_skipped_and_spaces_around_fields_dropped():
    assert parse_followups("\n  task |  What was yours to deliver?  \n\n") == (
        FollowUp("task", "What was yours to deliver?"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lesson | ok\nWhat now?", "follow-ups, line 2: write 'key point | question'"),
        (
            "lessons | What now?",
            "follow-ups, line 1: 'lessons' is not one of context, task, failure, impact, "
            "quantified, remedy, lesson, applied",
        ),
        ("lesson |   ", "follow-ups, line 1: the question is empty"),
        (
            "lesson | a | b",
            "follow-ups, line 1: too many '|'; a '|' in the question is written '\\|'",
        ),
    ],
)
def test_a_bad_line_is_named_in_one_line(text, message):
    with pytest.raises(CardTextError) as caught:
        parse_followups(text)
    assert str(caught.value) == message


def test_a_question_on_several_lines_is_kept_whole_unless_its_line_is_edited():
    multi = FollowUp("lesson", "What now?\nAnd why?")
    assert format_followup(multi) == "lesson | What now? And why?"
    kept = parse_followups("lesson | What now? And why?\ntask | Yours?", previous=(multi,))
    assert kept == (multi, FollowUp("task", "Yours?"))
    edited = parse_followups("lesson | What now? And why not?", previous=(multi,))
    assert edited == (FollowUp("lesson", "What now? And why not?"),)


def test_merge_takes_the_side_that_changed_and_calls_both_a_conflict():
    base = (FollowUp("lesson", "A?"),)
    mine = (FollowUp("lesson", "B?"),)
    theirs = (FollowUp("impact", "C?"),)
    assert merge_followups(base, base, theirs) == (theirs, False)
    assert merge_followups(base, mine, base) == (mine, False)
    assert merge_followups(base, mine, mine) == (mine, False)
    assert merge_followups(base, mine, theirs) == (mine, True)
    assert merge_value(1, 1, 1) == (1, False)


def test_editing_one_question_changes_only_its_line():
    changed = (FollowUp("lesson", "What would you do differently?"), FollowUp("impact", "Cost?"))
    assert set_followups(DECK, PATH, changed) == DECK.replace(
        'prompt = "What did it cost?"', 'prompt = "Cost?"'
    )


def test_unchanged_follow_ups_leave_the_file_byte_for_byte():
    assert set_followups(DECK, PATH, parse_deck(DECK, PATH).followups) == DECK
    builtin = (builtin_decks_dir() / "failure-question.toml").read_text(encoding="utf-8")
    followups = parse_deck(builtin, PATH).followups
    assert set_followups(builtin, PATH, followups) == builtin


def test_deleting_the_first_and_inserting_one_keeps_the_others_as_written():
    result = set_followups(
        DECK,
        PATH,
        (FollowUp("failure", "Whose step was it?"), FollowUp("impact", "What did it cost?")),
    )
    assert result == DECK.replace(
        'key_point = "lesson"\nprompt = "What would you do differently?"  # my favourite',
        'key_point = "failure"\nprompt = "Whose step was it?"  # my favourite',
    )
    inserted = set_followups(
        DECK,
        PATH,
        (
            FollowUp("lesson", "What would you do differently?"),
            FollowUp("task", "Yours?"),
            FollowUp("impact", "What did it cost?"),
        ),
    )
    assert inserted == DECK.replace(
        '# my favourite\n\n[[followups]]\nkey_point = "impact"',
        '# my favourite\n\n[[followups]]\nkey_point = "task"\nprompt = "Yours?"\n\n'
        '[[followups]]\nkey_point = "impact"',
    )


def test_follow_ups_are_added_to_a_deck_without_any_and_removed_again():
    head = DECK.split("\n# Asked when")[0]
    assert head.endswith('answer = "Own it."\n')
    added = set_followups(head, PATH, (FollowUp("lesson", 'Say "why"?'),))
    assert added == head + '\n[[followups]]\nkey_point = "lesson"\nprompt = "Say \\"why\\"?"\n'
    assert set_followups(added, PATH, ()) == head


def test_follow_ups_in_an_inline_array_are_written_as_tables(tmp_path):
    text = 'id = "x"\ntitle = "X"\nfollowups = [{key_point = "task", prompt = "Yours?"}]\n'
    result = set_followups(text, PATH, (FollowUp("impact", "Cost?"),))
    assert result == (
        'id = "x"\ntitle = "X"\n\n[[followups]]\nkey_point = "impact"\nprompt = "Cost?"\n'
    )
    path = tmp_path / "x.toml"
    path.write_text(result)
    assert load_deck(path).followups == (FollowUp("impact", "Cost?"),)


def test_a_text_that_is_not_a_deck_is_refused():
    with pytest.raises(DeckLoadError):
        set_followups('title = "no id"\n', PATH, (FollowUp("task", "Yours?"),))
