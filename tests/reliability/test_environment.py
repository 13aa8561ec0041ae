"""Environment faults: a full disk, a data dir that cannot be written, a deck file removed.

Each gives a clear message, loses nothing the user typed, and the app keeps running.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest
from textual.widgets import TextArea

from failtui.storage import open_db, queries
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.screens.feedback import FeedbackScreen
from failtui.ui.screens.home import HomeScreen
from tests.conftest import SMALLEST_DECK

#: Long enough to need new database pages, so a database at its size limit cannot take it.
LONG_ANSWER = "I learned to measure before I promise. " * 500


def fill_disk(store) -> None:
    """Let the database grow no more: the next write needing a page fails as on a full disk."""
    pages = store.query("PRAGMA page_count")[0][0]
    store.query(f"PRAGMA max_page_count = {pages}")


def free_disk(store) -> None:
    store.query("PRAGMA max_page_count = 1073741823")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_full_disk_while_rating_keeps_the_answer_and_the_app(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        assert isinstance(app.screen, DrillScreen)
        card = app.screen.card
        app.screen.query_one("#answer", TextArea).insert(LONG_ANSWER)
        fill_disk(app.store)
        # The draft cannot be saved: said once, the text stays, the screen stays.
        assert app.screen.save_draft() is False
        await pilot.pause()
        assert any(m.startswith("Could not save your draft") for m in messages(app))
        await pilot.press("escape")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.query_one("#answer", TextArea).text == LONG_ANSWER
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)  # not rated, not moved on
        assert any(m.startswith("Could not save your rating") for m in messages(app))
        assert "the disk is full" in " ".join(messages(app))
        assert app.store.query("SELECT count(*) FROM reviews")[0][0] == 0
        free_disk(app.store)
        await pilot.press("3")  # the same key again, once there is room
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen) and app.screen.card.key != card.key
    store = open_db(data_home / "failtui.db")
    (answer,) = store.query("SELECT answer FROM attempts WHERE card_key = ?", (card.key,))[0]
    assert answer == LONG_ANSWER
    assert store.query("PRAGMA integrity_check")[0][0] == "ok"
    store.close()


async def test_full_disk_then_leaving_the_drill_saves_the_draft_once_there_is_room(
    app_factory, data_home
):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        card = app.screen.card
        app.screen.query_one("#answer", TextArea).insert(LONG_ANSWER)
        fill_disk(app.store)
        await pilot.press("escape")
        assert isinstance(app.screen, DrillScreen)  # the text is not left unsaved
        free_disk(app.store)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert queries.load_draft(app.store, card.key) == LONG_ANSWER


def _fsize_limited(limit: int):
    def apply() -> None:
        # Without this the kernel kills the process (SIGXFSZ) instead of failing the write.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_plain_drill_on_a_full_disk_says_so_and_keeps_earlier_ratings(data_home):
    run = [sys.executable, "-m", "failtui", "drill", "--plain", "--limit", "1"]
    first = subprocess.run(run, input="I learned a lot.\n.\n3\n", capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    db = data_home / "failtui.db"
    size = max(db.stat().st_size, 64 * 1024)
    # Every file may grow to what the database is now and no further: the long answer needs more.
    second = subprocess.run(
        run,
        input=LONG_ANSWER * 4 + "\n.\n3\n",
        capture_output=True,
        text=True,
        preexec_fn=_fsize_limited(size),
    )
    assert second.returncode == 1, second.stdout + second.stderr
    (line,) = [line for line in second.stderr.splitlines() if line.startswith("Error: ")]
    assert str(db) in line and "Ratings before this one are saved" in line
    assert "Traceback" not in second.stderr
    # The answer that could not be stored is printed back whole, to be copied (item 4).
    kept = second.stdout.split("----- your answer -----\n", 1)[1]
    assert kept.split("\n----- end of your answer -----", 1)[0] == (LONG_ANSWER * 4).rstrip("\n")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    conn.close()


def _without_root_powers() -> list[str] | None:
    """A command prefix that runs a child without the powers that make root ignore chmod."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run(
        [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "true"],
        capture_output=True,
    )
    return (
        [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
        if not probe.returncode
        else None
    )


@pytest.mark.parametrize("with_database", [False, True], ids=["new", "existing"])
@pytest.mark.parametrize("command", [["drill", "--plain"], ["drill"], []], ids=str)
def test_data_dir_that_cannot_be_written(data_home, command, with_database):
    prefix = _without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod cannot take write access away")
    data_home.mkdir(parents=True)
    if with_database:
        store = open_db(data_home / "failtui.db")
        queries.set_setting(store, "kept", True)
        store.close()
    data_home.chmod(0o500)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "failtui", *command],
            input="",
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        data_home.chmod(0o700)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert str(data_home) in line and "writable" in line
    assert "Traceback" not in result.stderr
    if with_database:
        store = open_db(data_home / "failtui.db")
        assert queries.get_setting(store, "kept") is True
        store.close()


async def test_deck_file_removed_while_the_app_runs(app_factory, data_home):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    (decks / "mine.toml").write_text(SMALLEST_DECK)
    app = app_factory(deck_id="my-deck", start_drill=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen) and app.screen.card.key == "my-deck/first"
        (decks / "mine.toml").unlink()
        app.screen.query_one("#answer", TextArea).insert("I learned to keep backups.")
        # The card is still in memory: it can be answered and rated.
        await pilot.press("ctrl+s")
        await pilot.press("escape")  # back to the answer
        await pilot.press("escape")  # home, which can reload the decks
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await pilot.pause()
        assert app.catalog.deck("my-deck") is None
        assert queries.load_draft(app.store, "my-deck/first") == "I learned to keep backups."
    # The file comes back: so does the card, with its draft.
    (decks / "mine.toml").write_text(SMALLEST_DECK)
    app = app_factory(deck_id="my-deck", start_drill=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#answer", TextArea).text == "I learned to keep backups."


def on_a_read_only_database(data_home, args: list[str], stdin: str = ""):
    """Run ``failtui ARGS`` on a database it may read but not write (skipped where root's
    powers cannot be dropped); returns the finished process, the file and its bytes before."""
    prefix = _without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod cannot take write access away")
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    queries.set_setting(store, "kept", True)
    store.close()
    db = data_home / "failtui.db"
    before = db.read_bytes()
    db.chmod(0o400)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "failtui", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        db.chmod(0o600)
    return result, db, before


def test_plain_drill_on_a_read_only_database_prints_the_answer_back(data_home):
    """Another member of the class of item 4: the file cannot be written at all."""
    answer = "I learned that [b]markup[/b] and\ttabs survive.\nSecond line 漢字."
    result, db, before = on_a_read_only_database(
        data_home, ["drill", "--plain", "--limit", "1"], answer + "\n.\n3\n"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert str(db) in line and "read-only" in line
    assert "Traceback" not in result.stderr
    kept = result.stdout.split("----- your answer -----\n", 1)[1]
    assert kept.split("\n----- end of your answer -----", 1)[0] == answer
    assert db.read_bytes() == before


def in_a_month(arg: str) -> str:
    """``arg``, or for ``IN_A_MONTH`` the date a month from today (the child reads the real
    clock)."""
    if arg != "IN_A_MONTH":
        return arg
    from datetime import date, timedelta

    return (date.today() + timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    "command",
    [
        ["settings", "theme", "nord"],
        ["settings", "--deck", "failure-tips", "new_cards_per_day", "3"],
        ["interview", "add", "IN_A_MONTH"],
        ["cards", "suspend", "failure-question/biggest-failure"],
        ["optimize", "--reset"],
    ],
    ids=" ".join,
)
def test_a_write_command_on_a_read_only_database_says_so_in_one_line(data_home, command):
    """Every command that writes, not only the drill: one error line, no traceback."""
    args = [in_a_month(arg) for arg in command]
    result, db, before = on_a_read_only_database(data_home, args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == f"Error: {db}: not saved, the database or its folder is read-only\n"
    assert db.read_bytes() == before
