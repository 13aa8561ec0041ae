"""`failtui cards`, `failtui settings` and the plain drill's word when nothing is shown."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import timedelta

import pytest
from click.testing import CliRunner

from failtui import cli_common
from failtui.cli import cli
from failtui.locations import db_path
from failtui.models import CardState
from failtui.storage import open_db
from failtui.studyday import format_utc
from tests.conftest import FIXED_NOW, SMALLEST_DECK

TWO_CARD_DECK = (
    SMALLEST_DECK
    + """
[[cards]]
id = "second"
kind = "tip"
prompt = "Keep it short."
answer = "Two to three minutes."
"""
)


@pytest.fixture
def my_deck(data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    path = data_home / "decks" / "mine.toml"
    path.write_text(TWO_CARD_DECK)
    return path


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def cards_json(*args):
    result = run("cards", "--deck", "my-deck", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cards_json_lists_every_card_of_the_deck(my_deck):
    assert cards_json() == [
        {
            "deck": "my-deck", "card": "first", "kind": "question", "state": "new",
            "due": None, "last_rating": None, "lapses": 0, "last_coverage": None,
            "prompt": "Tell me about a time you failed.",
        },
        {
            "deck": "my-deck", "card": "second", "kind": "tip", "state": "new", "due": None,
            "last_rating": None, "lapses": 0, "last_coverage": None, "prompt": "Keep it short.",
        },
    ]  # fmt: skip


def test_suspend_bury_and_undo_them_from_the_command_line(my_deck):
    result = run("cards", "suspend", "my-deck/first", "second")
    assert result.output == "my-deck/first: suspended\nmy-deck/second: suspended\n"
    assert [c["state"] for c in cards_json()] == ["suspended", "suspended"]
    assert [c["card"] for c in cards_json("--state", "suspended")] == ["first", "second"]
    assert run("cards", "unsuspend", "my-deck/second").output == "my-deck/second: unsuspended\n"
    assert run("cards", "bury", "my-deck/second").output == (
        "my-deck/second: buried until the next study day\n"
    )
    assert [c["state"] for c in cards_json()] == ["suspended", "buried"]
    run("cards", "unbury", "my-deck/second")
    run("cards", "unsuspend", "my-deck/first")
    assert [c["state"] for c in cards_json()] == ["new", "new"]


def test_a_suspended_card_is_not_buried_and_undoing_what_was_not_done_says_so(my_deck):
    run("cards", "suspend", "my-deck/first")
    assert run("cards", "suspend", "my-deck/first").output == "my-deck/first: already suspended\n"
    assert run("cards", "bury", "my-deck/first").output == (
        "my-deck/first: is suspended, so not buried (unsuspend it to bring it back)\n"
    )
    assert run("cards", "unbury", "my-deck/first").output == (
        "my-deck/first: was not buried: nothing to do\n"
    )
    assert run("cards", "unsuspend", "my-deck/second").output == (
        "my-deck/second: was not suspended: nothing to do\n"
    )
    assert run("cards", "unsuspend", "my-deck/first").output == "my-deck/first: unsuspended\n"
    assert [c["state"] for c in cards_json()] == ["new", "new"]


def test_suspending_a_buried_card_lifts_the_bury(my_deck):
    run("cards", "bury", "my-deck/first")
    assert run("cards", "suspend", "my-deck/first").output == "my-deck/first: suspended\n"
    run("cards", "unsuspend", "my-deck/first")
    assert [c["state"] for c in cards_json()] == ["new", "new"]


def test_forget_makes_a_rated_card_new_and_keeps_its_history(my_deck, data_home):
    run("drill", "--plain", "--deck", "my-deck", "--limit", "1", input="I learned.\n.\n3\n")
    (rated,) = [c for c in cards_json() if c["card"] == "first"]
    assert (rated["state"], rated["last_rating"]) == ("learning", "good")
    assert run("cards", "forget", "my-deck/first").output == (
        "my-deck/first: forgotten: new again (its history is kept)\n"
    )
    (forgotten,) = [c for c in cards_json() if c["card"] == "first"]
    assert (forgotten["state"], forgotten["due"], forgotten["last_rating"]) == ("new", None, "good")


def test_an_unknown_card_changes_nothing_and_is_one_line(my_deck):
    result = run("cards", "suspend", "my-deck/first", "my-deck/nope")
    assert result.exit_code == 1
    assert result.output == (
        "Error: my-deck/nope: no card 'nope' in deck 'my-deck'; no card was changed\n"
    )
    assert [c["state"] for c in cards_json()] == ["new", "new"]


def test_cards_table_fits_80_columns(my_deck, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("cards")
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[:3] == [
        "failure-question (27 cards)",
        "  card                          kind     state     due        last  lapses cover",
        "  biggest-failure               question new       -          -          0     -",
    ]
    assert "my-deck (2 cards)" in lines


def test_settings_list_defaults_one_per_line(data_home):
    assert run("settings").output == (
        "new_cards_per_day 10\nreviews_per_day 200\ndesired_retention 0.9\nday_starts_at 4\n"
        "all_decks_order interleaved\nexam_mode off\ntheme textual-dark\nbackups_keep 10\n"
    )


def test_settings_set_validate_and_reset(data_home, my_deck):
    assert run("settings", "desired_retention", "0.85").output == "desired_retention 0.85\n"
    assert run("settings", "desired_retention").output == "desired_retention 0.85\n"
    bad = run("settings", "desired_retention", "2")
    assert (bad.exit_code, bad.output) == (
        1, "Error: desired_retention: '2' is not a number from 0.7 to 0.99\n"
    )  # fmt: skip
    assert run("settings", "day_starts_at", "06:00").output == "day_starts_at 6\n"
    assert run("settings", "exam_mode", "on").output == "exam_mode on\n"
    assert run("settings", "--deck", "my-deck", "new_cards_per_day", "1").output == (
        "new_cards_per_day 1\n"
    )
    assert run("settings", "--deck", "my-deck").output == (
        "new_cards_per_day 1\nreviews_per_day 200\n"
    )
    assert run("settings", "--deck", "my-deck", "theme", "nord").output == (
        "Error: theme is not set per deck; a deck may set: new_cards_per_day, reviews_per_day\n"
    )
    assert run("settings", "colour", "red").output == (
        "Error: no setting 'colour'; the settings are: new_cards_per_day, reviews_per_day, "
        "desired_retention, day_starts_at, all_decks_order, exam_mode, theme, backups_keep\n"
    )
    assert run("settings", "backups_keep", "3").output == "backups_keep 3\n"
    assert run("settings", "backups_keep", "0").output == (
        "Error: backups_keep: '0' is not a whole number from 1 to 1000\n"
    )
    assert run("settings", "desired_retention", "default").output == "desired_retention 0.9\n"


def test_a_deck_limit_holds_its_new_cards_and_plain_says_how_to_study_them(data_home, my_deck):
    run("settings", "--deck", "my-deck", "new_cards_per_day", "0")
    result = run("drill", "--plain", "--deck", "my-deck", input="")
    assert result.output.splitlines()[0] == (
        "Nothing is due: the deck's own new-card limit is reached (new_cards_per_day: "
        "my-deck 0); 2 new cards wait. Run 'failtui drill --plain --new' to study them now."
    )
    run("settings", "--deck", "my-deck", "new_cards_per_day", "default")
    run("settings", "new_cards_per_day", "0")
    result = run("drill", "--plain", "--deck", "my-deck", input="")
    assert result.output.splitlines()[0] == (
        "Nothing is due: today's new cards are used up (new_cards_per_day is 0); 2 new cards "
        "wait. Run 'failtui drill --plain --new' to study them now."
    )
    result = run(
        "drill", "--plain", "--deck", "my-deck", "--new", "--limit", "1", input="x\n.\n1\n"
    )
    assert result.output.splitlines()[0] == "[question] my-deck/first"
    assert "Done: 1 card rated." in result.output.splitlines()


def test_a_deck_limit_above_the_overall_one_is_taken_and_said_to_be_capped(data_home, my_deck):
    assert run("settings", "--deck", "my-deck", "new_cards_per_day", "30").output == (
        "new_cards_per_day 30\n"
        "note: my-deck's new_cards_per_day (30) is above the overall 10, which caps it\n"
    )
    assert run("settings", "--deck", "my-deck", "new_cards_per_day", "10").output == (
        "new_cards_per_day 10\n"
    )
    # Lowering the overall limit names the decks it now caps.
    assert run("settings", "new_cards_per_day", "4").output == (
        "new_cards_per_day 4\n"
        "note: my-deck's new_cards_per_day (10) is above the overall 4, which caps it\n"
    )


def test_a_negative_setting_value_is_checked_not_taken_for_an_option(data_home):
    assert run("settings", "new_cards_per_day", "-1").output == (
        "Error: new_cards_per_day: '-1' is not a whole number from 0 to 9999\n"
    )
    assert run("settings", "--deck", "failure-tips", "reviews_per_day", "-5").output == (
        "Error: reviews_per_day: '-5' is not a whole number from 0 to 99999\n"
    )


def test_a_setting_takes_only_ascii_digits(data_home):
    assert run("settings", "day_starts_at", "\u0663").output == (
        "Error: day_starts_at: '\u0663' is not an hour from 0 to 23\n"
    )
    assert run("settings", "day_starts_at", "\u00b3").output == (  # superscript 3
        "Error: day_starts_at: '\u00b3' is not an hour from 0 to 23\n"
    )
    assert run("settings", "new_cards_per_day", "\uff15").output == (  # fullwidth 5
        "Error: new_cards_per_day: '\uff15' is not a whole number from 0 to 9999\n"
    )
    assert run("settings", "desired_retention", "0.\u0669").output == (
        "Error: desired_retention: '0.\u0669' is not a number from 0.7 to 0.99\n"
    )
    assert run("settings").output.splitlines()[:1] == ["new_cards_per_day 10"]


def test_state_help_says_what_each_state_holds():
    text = " ".join(run("cards", "--help").output.split())
    assert "learning (in its first steps or relearning, due now or later today)" in text
    assert (
        "due (what the drill shows now: learned and due today, and learning cards whose step "
        "is due, shown as learning)"
    ) in text


def test_state_due_lists_the_learning_cards_the_drill_shows_now(my_deck):
    run("drill", "--plain", "--deck", "my-deck", "--limit", "1", input="I forgot.\n.\n1\n")
    due = [(c["card"], c["state"], c["last_rating"]) for c in cards_json("--state", "due")]
    assert due == [("first", "learning", "again")]
    assert [c["card"] for c in cards_json("--state", "learning")] == ["first"]
    assert cards_json("--state", "review") == []


def test_a_learning_card_is_due_once_its_step_is_within_the_drills_learn_ahead():
    from failtui.card_browser import in_state

    by = "2026-03-02T10:20:00Z"  # now + LEARN_AHEAD
    assert in_state("learning", "due", "2026-03-02T10:20:00Z", by)
    assert not in_state("learning", "due", "2026-03-02T10:21:00Z", by)
    assert in_state("learning", "learning", "2026-03-02T10:21:00Z", by)
    assert not in_state("review", "due", "2026-03-03T10:00:00Z", by)


def test_the_plain_drill_of_an_empty_deck_says_so_and_how_to_add_a_card(data_home):
    assert run("decks", "new", "interview").exit_code == 0
    result = run("drill", "--plain", "--deck", "interview", input="")
    assert result.output == (
        "Nothing to drill: the deck 'interview' has no cards yet; write one in the app (run "
        "'failtui', press e, enter on the deck, then n) or import some with 'failtui decks "
        "import FILE --deck interview'.\nDone: 0 cards rated.\n"
    )
    assert run("decks", "new", "my-stories").exit_code == 0
    result = run("drill", "--plain", "--deck", "my-stories", input="")
    assert result.output == (
        "Nothing to drill: the deck 'my-stories' has no cards yet; write a story in the app "
        "(run 'failtui', press e, then s, then n).\nDone: 0 cards rated.\n"
    )


@pytest.fixture
def in_utc(monkeypatch):
    """The local time zone is UTC (the plain drill and the listings show local times)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_every_command_reads_the_command_lines_one_clock(data_home, monkeypatch, in_utc):
    # The system clock is past the card's due (FIXED_NOW is behind it), so a command that read
    # it instead would call the card due today and bury it until after the system's today.
    monkeypatch.setattr(cli_common, "system_now", lambda: FIXED_NOW)
    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "mine.toml").write_text(SMALLEST_DECK)
    store = open_db(db_path(data_home))
    tomorrow = format_utc(FIXED_NOW + timedelta(days=1))
    studied = format_utc(FIXED_NOW - timedelta(days=4))
    state = CardState("my-deck/first", "review", tomorrow, 5.0, 5.0, None, studied, 1)
    with store.write() as db:
        db["card_state"].upsert(asdict(state) | {"deck_id": "my-deck"}, pk="card_key")
    assert run("cards", "--state", "due").output == "No card matches.\n"
    assert run("drill", "--plain", "--deck", "my-deck", input="").output == (
        "Nothing is due.\n"
        "Done: 0 cards rated.\n"
        "Next card: my-deck/first, due in 1d (Tue 24 Nov 12:00).\n"
    )
    stats = json.loads(run("stats", "--json", "--deck", "my-deck").output)
    assert stats["scope"] == {"deck": "my-deck", "days": None, "today": "2026-11-23"}
    bury = run("cards", "bury", "my-deck/first").output
    assert bury == "my-deck/first: buried until the next study day\n"
    (buried_until,) = store.query("SELECT buried_until FROM card_state")[0]
    store.close()
    assert buried_until == "2026-11-24T04:00:00.000000+00:00"  # the next study day's start
