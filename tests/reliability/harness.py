"""Drive :mod:`tests.reliability.crash_worker` from a test and keep the ledger of what it acked."""

from __future__ import annotations

import json
import os
import select
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: No line for this long means the worker hangs: fail instead of blocking CI.
LINE_TIMEOUT = 20.0


class Worker:
    """The forking worker process, with a line reader that never blocks forever."""

    def __init__(self, db_path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_worker", str(db_path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=os.environ | {"PYTHONHASHSEED": "0"},
        )
        self._buffer = b""
        ready = self.read()
        assert "ready" in ready, ready

    def send(self, command: str) -> None:
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()

    def read(self, timeout: float = LINE_TIMEOUT) -> dict:
        """The next JSON line; raises TimeoutError when none comes in time."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("the crash worker printed nothing")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError("the crash worker exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def read_until(self, key: str, ledger: Ledger | None = None, timeout: float = LINE_TIMEOUT):
        """Read lines (feeding acks to ``ledger``) until one holding ``key``; return it."""
        while True:
            message = self.read(timeout)
            if "error" in message:
                raise AssertionError(f"worker failed: {message['error']}\n{message['trace']}")
            if ledger is not None:
                ledger.record(message)
            if key in message:
                return message

    def drain(self, seconds: float, ledger: Ledger) -> None:
        """Read acks for ``seconds`` (the child keeps running)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.read(left)
            except TimeoutError:
                return
            if "error" in message:
                raise AssertionError(f"worker failed: {message['error']}\n{message['trace']}")
            ledger.record(message)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()


@dataclass
class Ledger:
    """What the worker acknowledged: ratings by review id, and the last draft of each card."""

    ratings: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)
    #: Undos started but not yet acknowledged, by (worker pid, review id): (card, answer). The
    #: pid is needed because another worker may reuse the review id once the undo commits.
    pending_undo: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    acked_ratings: int = 0
    acked_drafts: int = 0
    acked_undos: int = 0

    def record(self, message: dict) -> None:
        if "draft" in message:
            self.drafts[message["draft"]] = message["text"]
            self.acked_drafts += 1
        elif "rated" in message:
            card = message["card"]
            self.ratings[message["rated"]] = (card, message["rating"], message["answer"])
            self.drafts.pop(card, None)  # a committed rating clears the card's draft
            self.acked_ratings += 1
        elif "undoing" in message:
            card, _rating, answer = self.ratings.pop(message["undoing"])
            self.pending_undo[message["w"], message["undoing"]] = (card, answer)
        elif "undone" in message:
            card, answer = self.pending_undo.pop((message["w"], message["undone"]))
            self.drafts[card] = answer  # undo puts the answer back as the draft
            self.acked_undos += 1


_RATING_NUMBER = {"again": 1, "hard": 2, "good": 3, "easy": 4}


def check_database(db_path: Path, ledger: Ledger) -> list[str]:
    """Everything acknowledged is in the database; returns the problems found (none expected).

    Settles an undo the worker was killed in the middle of: either outcome is allowed, as long
    as the answer is kept (as the review's attempt, or as the card's draft).
    """
    problems: list[str] = []
    conn = sqlite3.connect(db_path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'reviews'").fetchall():
            # Killed before the schema was created: nothing can have been acknowledged yet.
            conn.execute("CREATE TEMP TABLE reviews (id, card_key, rating, attempt_id)")
            conn.execute("CREATE TEMP TABLE attempts (id, card_key, answer)")
            conn.execute("CREATE TEMP TABLE drafts (card_key, text)")
        reviews = {
            row[0]: (row[1], row[2], row[3])
            for row in conn.execute(
                "SELECT r.id, r.card_key, r.rating, a.answer FROM reviews r "
                "LEFT JOIN attempts a ON a.id = r.attempt_id"
            )
        }
        drafts = dict(conn.execute("SELECT card_key, text FROM drafts"))
        answers: dict[str, list[str]] = {}
        for card, answer in conn.execute("SELECT card_key, answer FROM attempts"):
            answers.setdefault(card, []).append(answer)
    finally:
        conn.close()
    for (_pid, review_id), (card, answer) in ledger.pending_undo.items():
        if review_id in reviews:
            ledger.ratings[review_id] = (card, _rating_name(reviews[review_id][1]), answer)
        else:
            ledger.drafts[card] = answer
    ledger.pending_undo.clear()
    for review_id, (card, rating, answer) in ledger.ratings.items():
        stored = reviews.get(review_id)
        if stored != (card, _RATING_NUMBER[rating], answer):
            problems.append(f"acknowledged rating {review_id} of {card}: stored as {stored}")
    for card, text in ledger.drafts.items():
        # Later keystrokes extend the draft; a rating committed just before the kill holds it.
        kept = drafts.get(card, "").startswith(text) or any(
            a.startswith(text) for a in answers.get(card, [])
        )
        if not kept:
            problems.append(f"acknowledged draft of {card} lost: {text!r} vs {drafts.get(card)!r}")
    return problems


def _rating_name(number: int) -> str:
    return {n: name for name, n in _RATING_NUMBER.items()}[number]
