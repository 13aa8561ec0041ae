"""SIGKILL a drilling process at random moments: nothing acknowledged is ever lost.

A worker process drills through the real DrillSession, printing a line after each committed
rating and each saved draft. The test kills it at a seeded random moment, checks the database
(integrity, every acknowledged rating, the last acknowledged draft of every card), and starts
it again on the same file, KILLS times. A last test kills the real TUI in a pseudo-terminal
while an answer is being typed.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import sys
import time

import pytest

from tests.reliability.harness import Ledger, Worker, check_database
from tests.reliability.nasty import scaled

#: Fuzzing and killed processes take seconds each: `pytest -m "not slow"` leaves them out.
pytestmark = pytest.mark.slow

KILLS = scaled(60)
#: The longest a child runs before it is killed; the moment is drawn uniformly below this.
MAX_RUN_SECONDS = 0.15

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker forks (POSIX only)")


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path):
    db_path = tmp_path / "failtui.db"
    rng = random.Random(20261123)
    ledger = Ledger()
    worker = Worker(db_path)
    killed = 0
    try:
        for round_number in range(KILLS):
            worker.send(f"run {rng.randrange(2**32)} 1000000")
            pid = worker.read_until("pid", ledger)["pid"]
            if round_number % 2:
                # Half the kills come after a committed rating, so that however slow the
                # machine, the harness always exercises ratings (the others may hit start-up).
                worker.read_until("rated", ledger)
            worker.drain(rng.uniform(0.0, MAX_RUN_SECONDS), ledger)
            os.kill(pid, signal.SIGKILL)
            worker.send("wait")
            exit_line = worker.read_until("exit", ledger)
            assert exit_line["status"] == -signal.SIGKILL, exit_line
            killed += 1
            problems = check_database(db_path, ledger)
            assert not problems, f"after kill {round_number + 1}: {problems}"
    finally:
        worker.close()
    assert killed == KILLS
    # The harness really exercised the writes it claims to protect.
    assert ledger.acked_ratings >= KILLS // 2
    assert ledger.acked_drafts > ledger.acked_ratings
    assert ledger.acked_undos > 0
    print(
        f"\ncrash safety: {killed} SIGKILLs survived, {ledger.acked_ratings} ratings, "
        f"{ledger.acked_drafts} drafts and {ledger.acked_undos} undos acknowledged, 0 lost"
    )


def _read_for(fd: int, seconds: float) -> bytes:
    """Read what the app draws for ``seconds`` (a terminal must be read or the app blocks)."""
    end = time.monotonic() + seconds
    data = b""
    while (left := end - time.monotonic()) > 0:
        if select.select([fd], [], [], min(left, 0.05))[0]:
            try:
                data += os.read(fd, 65536)
            except OSError:
                break
    return data


def test_the_real_app_killed_while_typing_keeps_the_draft(data_home):
    """The TUI itself, in a pseudo-terminal: type, pause, SIGKILL; the draft is in the file."""
    import pty

    from failtui.ui.draft_keeper import DRAFT_DELAY

    env = os.environ | {"FAILTUI_HOME": str(data_home), "TERM": "xterm-256color"}
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes failtui, drawing on the pseudo-terminal
        os.execve(sys.executable, [sys.executable, "-m", "failtui"], env)
    try:
        screen = b""
        deadline = time.monotonic() + 20
        while b"Drill" not in screen and time.monotonic() < deadline:
            screen += _read_for(fd, 0.1)
        assert b"Drill" in screen, "the app did not start"
        os.write(fd, b"\x1b[B")  # down: the question deck
        _read_for(fd, 0.2)
        os.write(fd, b"\r")  # enter: start the drill
        _read_for(fd, 0.5)
        for char in "I learned to save often.":
            os.write(fd, char.encode())
            _read_for(fd, 0.01)
        # The draft is due DRAFT_DELAY after the last keystroke; kill a little after that.
        _read_for(fd, DRAFT_DELAY + 0.5)
    finally:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    conn = sqlite3.connect(data_home / "failtui.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        drafts = conn.execute("SELECT card_key, text FROM drafts").fetchall()
    finally:
        conn.close()
    assert drafts == [("failure-question/biggest-failure", "I learned to save often.")]
