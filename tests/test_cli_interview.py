"""`failtui interview`, `failtui plan` and `failtui optimize` (fixed clock)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from failtui import cli_common
from failtui.cli import cli
from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.session import DrillSession
from failtui.storage import open_db

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(cli_common, "system_now", lambda: NOW)
    # The study day follows the machine's zone: UTC here, so the day starts at 04:00 UTC.
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()


def run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


def test_add_list_and_remove(data_home):
    added = run("interview", "add", "2026-12-01", "--title", "Acme", "--deck", "failure-question")
    assert added.exit_code == 0, added.output
    assert added.output == (
        "Added interview 1: 2026-12-01 (Acme), failure-question; in 8 study days.\n"
    )
    run("interview", "add", "2026-11-30")
    listed = run("interview", "list", "--json")
    assert json.loads(listed.output) == [
        {"id": 2, "day": "2026-11-30", "title": "", "decks": [], "days_left": 7,
         "missing_decks": [], "empty_decks": []},
        {"id": 1, "day": "2026-12-01", "title": "Acme", "decks": ["failure-question"],
         "days_left": 8, "missing_decks": [], "empty_decks": []},
    ]  # fmt: skip
    assert run("interview", "remove", "2").output == "Removed interview 2.\n"
    missing = run("interview", "remove", "2")
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: no interview with id 2 (see 'failtui interview list')\n",
    )
    assert [i["id"] for i in json.loads(run("interview", "list", "--json").output)] == [1]
    # The next interview does not take the removed one's id: an old `remove 2` in the shell's
    # history must not remove it.
    again = run("interview", "add", "2026-11-29")
    assert again.output.startswith("Added interview 3: 2026-11-29")
    assert run("interview", "remove", "2").exit_code == 1
    assert [i["id"] for i in json.loads(run("interview", "list", "--json").output)] == [3, 1]


def test_add_says_how_many_cards_it_brought_forward(data_home):
    run("stats")  # creates the database
    store = open_db(data_home / "failtui.db")
    try:
        with store.write() as db:
            for card, due in (("biggest-failure", "2027-02-01"), ("missed-deadline", "2026-11-26")):
                db["card_state"].insert(
                    {
                        "card_key": f"failure-question/{card}",
                        "deck_id": "failure-question",
                        "state": "review",
                        "stability": 60.0,
                        "difficulty": 5.0,
                        "due": f"{due}T09:00:00.000000+00:00",
                        "last_review": "2026-11-20T09:00:00.000000+00:00",
                        "reps": 4,
                    }
                )
    finally:
        store.close()
    result = run("interview", "add", "2026-12-01", "--title", "Acme")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Added interview 1: 2026-12-01 (Acme), every deck; in 8 study days.\n"
        "1 card due after 2026-11-30, the day before, is now due by then (only due dates moved; "
        "FSRS memory state is kept).\n"
    )
    store = open_db(data_home / "failtui.db")
    try:
        dues = dict(store.query("SELECT card_key, due FROM card_state ORDER BY card_key"))
    finally:
        store.close()
    assert dues == {
        "failure-question/biggest-failure": "2026-11-30T04:00:00.000000+00:00",
        "failure-question/missed-deadline": "2026-11-26T09:00:00.000000+00:00",
    }


def test_list_prints_readable_columns(data_home, monkeypatch):
    assert run("interview", "list").output == (
        "No interviews. Add one with 'failtui interview add YYYY-MM-DD'.\n"
    )
    run("interview", "add", "2026-12-10", "--title", "Acme onsite")
    run("interview", "add", "2026-11-23", "--deck", "failure-question", "--deck", "failure-tips")
    run("interview", "add", "2026-11-24", "--title", "Globex\nphone screen")
    # A day later, the one on the 23rd is past and the one on the 24th is today. One with no
    # title is named "Interview", as the plan screen names it.
    monkeypatch.setattr(cli_common, "system_now", lambda: NOW + timedelta(days=1))
    assert run("interview", "list").output == (
        "ID  Date        When              Title                Decks\n"
        " 2  2026-11-23  past              Interview            failure-question, failure-tips\n"
        " 3  2026-11-24  today             Globex phone screen  every deck\n"
        " 1  2026-12-10  in 16 study days  Acme onsite          every deck\n"
    )


def test_add_warns_when_the_limits_leave_cards_unseen(data_home):
    result = run("interview", "add", "2026-11-24", "--deck", "failure-tips")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 33 cards of the interview on 2026-11-24 are new and the daily limits let in "
        "10 before 2026-11-24: set new_cards_per_day to 33 ('failtui settings "
        "new_cards_per_day 33'), or study them now with 'failtui drill --new'\n"
    )


def test_add_with_a_bad_date_is_one_line(data_home):
    result = run("interview", "add", "2026-02-30")
    assert (result.exit_code, result.output) == (
        1,
        "Error: '2026-02-30' is not a date: February 2026 has no day 30\n",
    )
    result = run("interview", "add", "20261220")
    assert (result.exit_code, result.output) == (
        1,
        "Error: '20261220' is not a date: write it as YYYY-MM-DD, such as 2026-12-20\n",
    )


def test_plan_json(data_home):
    run("interview", "add", "2026-11-26", "--deck", "failure-pitfalls", "--title", "Acme")
    result = run("plan", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["interview"] == {
        "id": 1, "day": "2026-11-26", "title": "Acme", "decks": ["failure-pitfalls"],
    }  # fmt: skip
    assert (plan["today"], plan["days_left"], plan["readiness"]) == ("2026-11-23", 3, 0.0)
    assert plan["decks"] == [
        {"deck": "failure-pitfalls", "cards": 25, "studied": 0, "readiness": 0.0}
    ]
    assert plan["due_per_day"] == [
        {"day": "2026-11-23", "reviews": 0},
        {"day": "2026-11-24", "reviews": 0},
        {"day": "2026-11-25", "reviews": 0},
    ]
    assert plan["new_cards"] == {
        "unseen": 25, "days": 3, "needed_per_day": 9, "allowed": 25, "possible": True,
    }  # fmt: skip
    assert plan["problem"] is None


def test_plan_without_an_interview(data_home):
    result = run("plan")
    assert (result.exit_code, result.output) == (
        1,
        "Error: no interview ahead: add one with 'failtui interview add YYYY-MM-DD'\n",
    )
    assert run("plan", "--interview", "7").output == (
        "Error: no interview with id 7 (see 'failtui interview list')\n"
    )


def test_optimize_with_too_few_reviews_fits_nothing(data_home):
    result = run("optimize", "--json")
    assert json.loads(result.output) == {
        "reviews": 0,
        "held_back": 0,
        "log_loss_before": None,
        "log_loss_after": None,
        "rmse_before": None,
        "rmse_after": None,
        "applied": False,
        "parameters": None,
        "reason": "0 reviews; a fit needs 400 (the latest fifth is held back to judge it, and "
        "fewer than 80 held back cannot tell a better fit from luck)",
    }


def simulated_history(store, cards: int, seed: int = 4) -> int:
    """Reviews of a user who forgets faster than fsrs' defaults assume, scheduled by them."""
    from fsrs import Card, Rating, Scheduler

    rng = random.Random(seed)
    truth_params = list(Scheduler().parameters)
    truth_params[0:4] = [0.1, 0.5, 0.9, 3.0]
    truth_params[8], truth_params[20] = 1.2, 0.3
    truth = Scheduler(parameters=truth_params, enable_fuzzing=False)
    plan = Scheduler(enable_fuzzing=False)
    rows = []
    start = NOW - timedelta(days=700)
    for c in range(cards):
        card, true_card = Card(card_id=c + 1, due=start), Card(card_id=c + 1, due=start)
        t = start + timedelta(days=rng.random() * 200)
        for i in range(rng.randint(2, 15)):
            if i == 0:
                rating = Rating.Good
            elif rng.random() < truth.get_card_retrievability(true_card, t):
                rating = Rating(rng.choice([2, 3, 3, 4]))
            else:
                rating = Rating.Again
            at = t.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
            state = "new" if i == 0 else "review"
            rows.append((f"d/c{c}", "d", at, t.date().isoformat(), int(rating), state))
            card, _ = plan.review_card(card, rating, t)
            true_card, _ = truth.review_card(true_card, rating, t)
            t = card.due + timedelta(hours=rng.random() * 30)
    with store.write() as db:
        db.conn.executemany(
            "INSERT INTO reviews (card_key, deck_id, reviewed_at, study_day, rating, state_before,"
            " state_after, due_after, interval_after_days, card_state_before) "
            "VALUES (?, ?, ?, ?, ?, ?, 'review', '', 1, '{}')",
            rows,
        )
    return len(rows)


def test_optimize_fits_applies_and_resets(data_home):
    from failtui import fsrs_params
    from failtui.user_settings import scheduling_settings

    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    try:
        count = simulated_history(store, 150)
    finally:
        store.close()
    result = json.loads(run("optimize", "--json").output)
    assert result["reviews"] == count == 1221
    assert result["held_back"] == 226
    # The fit (seeded, so the same each run) predicts the later reviews better.
    assert (result["log_loss_before"], result["log_loss_after"]) == (0.3552, 0.3519)
    assert (result["rmse_before"], result["rmse_after"]) == (0.3189, 0.3178)
    assert result["applied"] is True
    store = open_db(data_home / "failtui.db")
    try:
        fit = fsrs_params.fitted(store)
        assert fit is not None
        assert list(fit.parameters) == result["parameters"]
        assert scheduling_settings(store).parameters == fit.parameters
        assert fsrs_params.in_use_text(store) == (
            f"fitted to your 1,221 reviews on 2026-11-23 (log loss on held-back reviews "
            f"0.355 with the defaults, {result['log_loss_after']:.3f} fitted)"
        )
    finally:
        store.close()
    reset = run("optimize", "--reset", "--json")
    # The fields the README lists for --json (those of a fit), with nothing fitted.
    assert json.loads(reset.output) == {
        "reviews": 1221, "held_back": 0, "log_loss_before": None, "log_loss_after": None,
        "rmse_before": None, "rmse_after": None, "applied": False, "parameters": None,
        "reason": "back to the defaults", "reset": True,
    }  # fmt: skip
    assert set(json.loads(reset.output)) - {"reset"} == set(result)
    store = open_db(data_home / "failtui.db")
    try:
        assert fsrs_params.fitted(store) is None
        assert scheduling_settings(store).parameters is None
    finally:
        store.close()
    assert run("optimize", "--reset").output == "fsrs' default parameters were already in use.\n"


def test_plan_text_opens_with_the_interview_and_its_countdown(data_home):
    run("interview", "add", "2026-11-26", "--deck", "failure-pitfalls", "--title", "Acme")
    result = run("plan")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Interview 1: Acme (2026-11-26), failure-pitfalls",
        "Countdown: in 3 study days",
    ]


def test_an_interview_more_than_three_years_ahead_is_refused(data_home):
    result = run("interview", "add", "9999-12-31")
    assert (result.exit_code, result.output) == (
        1,
        "Error: 9999-12-31 is 2,912,116 days away; give a date at most 1,096 days (about three "
        "years) ahead\n",
    )
    assert run("interview", "add", "2029-11-23").exit_code == 0  # 1,096 days: the last allowed


def test_a_plan_months_ahead_lists_two_weeks_then_weeks(data_home):
    run("interview", "add", "2027-01-31", "--deck", "failure-pitfalls")  # 69 study days
    result = run("plan")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("Reviews due (a day a line for 14 days, then a week a line):")
    rows = [line.split()[:2] for line in lines[start + 1 :] if line.startswith("  20")]
    assert rows[:2] == [["2026-11-23", "Mon"], ["2026-11-24", "Tue"]]
    assert rows[13:16] == [["2026-12-06", "Sun"], ["2026-12-07", "week"], ["2026-12-14", "week"]]
    assert rows[-1] == ["2027-01-25", "week"]  # the last week holds the days up to the 30th
    assert len(rows) == 14 + 8


@pytest.mark.parametrize("interview_id", ["0", "99999999999999999999999"])
def test_removing_an_id_no_interview_can_have_is_one_line(data_home, interview_id):
    result = run("interview", "remove", interview_id)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: no interview with id {interview_id} (see 'failtui interview list')\n",
    )


def test_the_plan_of_an_interview_today_speaks_of_today(data_home):
    result = run("interview", "add", "2026-11-23")  # NOW's study day, no title
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Added interview 1: 2026-11-23, every deck; today.\n"
        "warning: 85 cards of the interview on 2026-11-23 are new and the daily limits let in 10 "
        "today: run 'failtui drill --new' to study them now\n"
    )
    lines = run("plan").output.splitlines()
    assert lines[:2] == ["Interview 1 (2026-11-23), every deck", "Countdown: today"]
    assert "New cards: 85 never studied; the interview is today (the limits let in 10 now)." in (
        lines
    )
    assert not any("before the day" in line or "before 2026-11-23" in line for line in lines)


def plan_of_one_studied_card(data_home) -> str:
    """``failtui plan`` of an interview on 2026-11-26 for a deck of one card, studied the day
    before with a stability of 2 days."""
    from tests.conftest import SMALLEST_DECK
    from tests.unit.test_interview import review_state, store_state

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "my-deck.toml").write_text(SMALLEST_DECK)
    store = open_db(data_home / "failtui.db")
    try:
        store_state(store, review_state("my-deck/first", 2.0, NOW - timedelta(days=1)), "my-deck")
    finally:
        store.close()
    run("interview", "add", "2026-11-26", "--deck", "my-deck")
    result = run("plan")
    assert result.exit_code == 0, result.output
    return result.output


def test_plan_names_the_chance_of_recall_of_the_cards_likeliest_forgotten(data_home):
    # A bare "87%" beside "Likeliest to be forgotten" reads as the chance of forgetting it.
    assert plan_of_one_studied_card(data_home).splitlines()[-2:] == [
        "Likeliest to be forgotten on the day:",
        "  recall  85%  my-deck/first",
    ]
    # The JSON field keeps its name and meaning: the chance of recall, 0..1.
    assert json.loads(run("plan", "--json").output)["at_risk"] == [
        {"card": "my-deck/first", "recall": 0.8533}
    ]


def test_a_card_failed_the_evening_before_is_not_sure_to_be_recalled_on_the_day(
    data_home, monkeypatch
):
    # Rated Again at 21:00 on the 23rd: 7 hours before the interview's day starts (04:00 UTC),
    # at the 0.212 days of stability FSRS gives a failed new card. py-fsrs counts whole days
    # (none yet), which put it at 100% on the day.
    from tests.conftest import SMALLEST_DECK

    evening = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
    monkeypatch.setattr(cli_common, "system_now", lambda: evening)
    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "my-deck.toml").write_text(SMALLEST_DECK)
    # Rated as the drill rates (the plain drill's session keeps the real clock).
    store = open_db(data_home / "failtui.db")
    try:
        catalog = DeckCatalog(decks=[parse_deck(SMALLEST_DECK, Path("my-deck.toml"))])
        session = DrillSession(store, catalog, clock=lambda: evening)
        card = session.next_card()
        session.rate(card, "It went wrong.", session.grade(card, "It went wrong."), "again")
    finally:
        store.close()
    run("interview", "add", "2026-11-24", "--deck", "my-deck")
    # (1 + FACTOR * (7/24) / 0.212) ** DECAY = 0.8766 (FSRS 6: DECAY -0.1542, FACTOR 0.9803)
    assert run("plan").output.splitlines()[-2:] == [
        "Likeliest to be forgotten on the day:",
        "  recall  88%  my-deck/first",
    ]
    assert json.loads(run("plan", "--json").output)["at_risk"] == [
        {"card": "my-deck/first", "recall": 0.8766}
    ]


def test_plan_counts_one_card_in_the_singular(data_home):
    assert plan_of_one_studied_card(data_home).splitlines()[2:4] == [
        "Readiness: 85% (the mean chance of recall of its 1 card on the day; the 0 never "
        "studied count 0)",
        "  my-deck                     1 card     1 studied   85%",
    ]


def test_add_and_plan_warn_when_the_review_limit_leaves_reviews_undone(data_home):
    from tests.unit.test_interview import review_state, store_state

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "my-deck.toml").write_text(SMALLEST_DECK_OF_THREE)
    store = open_db(data_home / "failtui.db")
    try:
        for card in ("first", "second", "third"):  # each due long after the interview
            store_state(store, review_state(f"my-deck/{card}", 60.0, NOW), "my-deck")
    finally:
        store.close()
    assert run("settings", "reviews_per_day", "1").exit_code == 0
    result = run("interview", "add", "2026-11-25", "--deck", "my-deck", "--title", "Acme")
    assert result.stdout == (
        "Added interview 1: 2026-11-25 (Acme), my-deck; in 2 study days.\n"
        "3 cards due after 2026-11-24, the day before, are now due by then, spread over 2 study "
        "days (only due dates moved; FSRS memory state is kept).\n"
    )
    warning = (
        "3 reviews of Acme are due by 2026-11-24 and reviews_per_day (1) lets in 2 of them by "
        "then: set reviews_per_day to 2 ('failtui settings reviews_per_day 2'), or practise "
        "ahead (p on home) on the days before"
    )
    assert result.stderr == f"warning: {warning}\n"
    lines = run("plan").output.splitlines()
    assert f"Not every review fits the daily limit: {warning}" in lines
    assert lines[lines.index("Reviews due:") + 1 :][:2] == [
        "  2026-11-23 Mon    1 ###############",
        "  2026-11-24 Tue    2 ##############################",
    ]
    assert json.loads(run("plan", "--json").output)["review_problem"] == warning


def test_add_and_plan_count_the_other_decks_reviews_that_share_the_limit(data_home):
    from tests.unit.test_interview import deck_text, review_state, store_state

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "my-deck.toml").write_text(SMALLEST_DECK_OF_THREE)
    (data_home / "decks" / "other.toml").write_text(deck_text("other", 6))
    store = open_db(data_home / "failtui.db")
    try:
        for card in ("first", "second", "third"):  # each due long after the interview
            store_state(store, review_state(f"my-deck/{card}", 60.0, NOW), "my-deck")
        for n in range(1, 7):  # due since yesterday: the drill shows them before my-deck's
            store_state(store, review_state(f"other/c{n}", 5.0, NOW - timedelta(days=6)), "other")
    finally:
        store.close()
    assert run("settings", "reviews_per_day", "4").exit_code == 0
    # Four a day over two days would hold my-deck's three, but the other deck's six come
    # first: four today, two tomorrow, leaving two of the four places to my-deck.
    result = run("interview", "add", "2026-11-25", "--deck", "my-deck", "--title", "Acme")
    warning = (
        "3 reviews of Acme are due by 2026-11-24 and reviews_per_day (4), shared with 6 reviews "
        "of other decks, lets in 2 of them by then: set reviews_per_day to 5 ('failtui settings "
        "reviews_per_day 5'), or practise ahead (p on home) on the days before"
    )
    assert result.stderr == f"warning: {warning}\n"
    assert f"Not every review fits the daily limit: {warning}" in run("plan").output.splitlines()
    assert run("settings", "reviews_per_day", "5").exit_code == 0
    assert json.loads(run("plan", "--json").output)["review_problem"] is None


SMALLEST_DECK_OF_THREE = """id = "my-deck"
title = "My deck"
description = ""
""" + "".join(
    f'\n[[cards]]\nid = "{card}"\nkind = "tip"\nprompt = "P {card}?"\nanswer = "A."\n'
    '[[cards.key_points]]\nid = "point"\nlabel = "The point"\ncues = ["the point"]\n'
    for card in ("first", "second", "third")
)


def test_a_past_interview_plan_says_it_is_over(data_home, monkeypatch):
    run("interview", "add", "2026-11-24", "--deck", "failure-pitfalls", "--title", "Acme")
    monkeypatch.setattr(cli_common, "system_now", lambda: NOW + timedelta(days=3))
    result = run("plan", "--interview", "1")
    assert result.output == (
        "Interview 1: Acme (2026-11-24), failure-pitfalls\n"
        "Interview was on 2026-11-24, 2 days ago: it is over. Remove it with 'failtui interview "
        "remove 1'.\n"
    )
    plan = json.loads(run("plan", "--interview", "1", "--json").output)
    assert (plan["days_left"], plan["over"], plan["problem"], plan["due_per_day"]) == (
        -2,
        True,
        None,
        [],
    )


def test_a_deck_deleted_or_empty_is_named_by_add_plan_and_list(data_home):
    (data_home / "decks").mkdir(parents=True)
    deck_file = data_home / "decks" / "temp-deck.toml"
    deck_file.write_text('id = "temp-deck"\ntitle = "Temp deck"\ndescription = ""\n')
    added = run("interview", "add", "2026-11-30", "--deck", "temp-deck", "--title", "Temp")
    assert added.exit_code == 0, added.output
    assert added.stderr == (
        "warning: deck temp-deck has no cards yet: add cards before the day; the plan counts "
        "them as they come\n"
    )
    assert run("plan").output.splitlines()[2] == (
        "Deck temp-deck has no cards yet: no cards to plan for. Restore or fill its deck, or "
        "remove the interview and add it again with another deck."
    )
    deck_file.unlink()
    assert run("plan").output == (
        "Interview 1: Temp (2026-11-30), temp-deck\n"
        "Countdown: in 7 study days\n"
        "Deck temp-deck is not found (deleted?): no cards to plan for. Restore or fill its deck, "
        "or remove the interview and add it again with another deck.\n"
    )
    plan = json.loads(run("plan", "--json").output)
    assert (plan["missing_decks"], plan["deck_problem"], plan["readiness"]) == (
        ["temp-deck"],
        "deck temp-deck is not found (deleted?)",
        None,
    )
    assert run("interview", "list").output == (
        "ID  Date        When             Title  Decks\n"
        " 1  2026-11-30  in 7 study days  Temp   temp-deck (not found)\n"
    )
    (listed,) = json.loads(run("interview", "list", "--json").output)
    assert (listed["missing_decks"], listed["empty_decks"]) == (["temp-deck"], [])


def test_a_deck_whose_file_no_longer_loads_is_named_so(data_home):
    (data_home / "decks").mkdir(parents=True)
    deck_file = data_home / "decks" / "mine.toml"  # the file's name is not the deck's id
    deck_file.write_text('id = "my-deck"\ntitle = "Mine"\ndescription = ""\n')
    added = run("interview", "add", "2026-11-30", "--deck", "my-deck", "--title", "Temp")
    assert added.exit_code == 0, added.output
    deck_file.write_text('id = "my-deck"\ntitle = "Mine"\ndescription = ""\nbroken = \n')
    why = f"mine.toml:4: invalid TOML: Invalid value; run 'failtui decks validate {deck_file}'"
    assert run("plan").output.splitlines()[2] == (
        f"Deck my-deck does not load: {why}: no cards to plan for. Restore or fill its deck, "
        "or remove the interview and add it again with another deck."
    )
    plan = json.loads(run("plan", "--json").output)
    assert (plan["missing_decks"], plan["broken_decks"], plan["deck_problem"]) == (
        ["my-deck"],
        [{"deck": "my-deck", "error": why}],
        f"deck my-deck does not load: {why}",
    )
    assert run("interview", "list").output.splitlines()[1] == (
        f" 1  2026-11-30  in 7 study days  Temp   my-deck (does not load: {why})"
    )
