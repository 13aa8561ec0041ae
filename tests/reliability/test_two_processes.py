"""Two failtui processes on one database: no "database is locked", no lost rating."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from failtui.storage.lock import InstanceLock, in_use
from tests.reliability.harness import Ledger, Worker, check_database

PLAIN_ARGS = ("--limit", "8", "--deck", "failure-question")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker forks (POSIX only)")


def test_two_drills_and_a_plain_drill_write_at_once(data_home):
    db_path = data_home / "failtui.db"
    data_home.mkdir(parents=True)
    ledger = Ledger()
    worker = Worker(db_path)
    try:
        # Two drilling children and `failtui drill --plain`, all writing the same file at once
        # (on different decks, so each can check its own undo gives its own answer back). The
        # children drill until the plain drill has finished, so the three really overlap.
        worker.send("run 1 1000000 failure-tips")
        worker.send("run 2 1000000 failure-pitfalls")
        while ledger.acked_ratings < 2:
            worker.read_until("rated", ledger)
        plain = subprocess.Popen(
            [sys.executable, "-m", "failtui", "drill", "--plain", *PLAIN_ARGS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = plain.communicate("I learned to test first.\n.\n3\n" * 8, timeout=60)
        (data_home / "failtui.db.stop").touch()
        worker.send("wait")
        exits = [worker.read_until("exit", ledger) for _ in range(2)]
    finally:
        worker.close()
    assert plain.returncode == 0, err
    assert "locked" not in err.lower() and "Traceback" not in err
    assert "Done: 8 cards rated." in out
    assert [e["status"] for e in exits] == [0, 0]
    rated_by_children = ledger.acked_ratings - ledger.acked_undos
    assert rated_by_children > 2
    assert check_database(db_path, ledger) == []
    conn = sqlite3.connect(db_path)
    (reviews,) = conn.execute("SELECT count(*) FROM reviews").fetchone()
    conn.close()
    assert reviews == rated_by_children + 8


async def test_second_app_warns_that_another_is_open(app_factory, data_home):
    data_home.mkdir(parents=True)
    with InstanceLock(data_home) as other:
        assert other.acquire()
        app = app_factory()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("Another failtui is open" in m for m in messages)
            # A warning, not a refusal: the app works.
            assert [row.key for row in app.screen.deck_rows][:2] == ["__all__", "failure-question"]
    assert not in_use(data_home)


async def test_first_app_holds_the_lock_and_warns_nobody(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not [n for n in app._notifications if "Another failtui" in n.message]
        assert in_use(data_home)
    assert not in_use(data_home)
