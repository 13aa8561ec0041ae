"""SIGKILL a drilling process at random moments: nothing acknowledged is ever lost.

A worker process drills through the real DrillSession, printing a line after each committed
rating and each saved draft. The test kills it at a seeded random moment, checks the database
(integrity, every acknowledged rating, the last acknowledged draft of every card), and starts
it again on the same file, KILLS times.
"""

from __future__ import annotations

import os
import random
import signal

import pytest

from tests.reliability.harness import Ledger, Worker, check_database

KILLS = 60
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
    assert ledger.acked_ratings > KILLS
    assert ledger.acked_drafts > ledger.acked_ratings
    assert ledger.acked_undos > 0
    print(
        f"\ncrash safety: {killed} SIGKILLs survived, {ledger.acked_ratings} ratings, "
        f"{ledger.acked_drafts} drafts and {ledger.acked_undos} undos acknowledged, 0 lost"
    )
