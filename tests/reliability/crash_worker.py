"""A process that drills on purpose so a test can kill it: the crash-safety harness's worker.

Run as ``python -m tests.reliability.crash_worker DB``. It imports failtui and loads the built-in
decks once, then reads commands on standard input:

``run SEED RATINGS [DECK]``
    fork a child that opens ``DB`` and drills ``RATINGS`` cards (of all decks, or of ``DECK``)
    through the real
    :class:`~failtui.session.DrillSession`, typing each answer in pieces and saving a draft after
    each piece as the TUI does. The child prints one JSON line (flushed, one ``write``) *after*
    each write has committed: ``{"pid": ...}`` first, then ``{"draft": key, "text": ...}``,
    ``{"undoing": review_id}`` / ``{"undone": review_id, "card": key}`` and
    ``{"rated": review_id, "card": key, "rating": ..., "answer": ...}``, and ``{"done": n}`` at
    the end. A child also stops, cleanly, when a file ``DB.stop`` exists. An error prints
    ``{"error": "..."}`` and exits 1.
``wait``
    reap every child and print ``{"exit": pid, "status": ...}`` for each (-9 after a SIGKILL).
``quit``
    stop.

Children are forked from this already-warm process so a test can kill and restart one fifty
times in a few seconds; each child opens its own SQLite connection after the fork, so every kill
is a real SIGKILL of a process in the middle of its own writes.
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
from datetime import UTC, datetime, timedelta

from failtui.decks.catalog import load_catalog
from failtui.scheduling import Settings, parse_utc
from failtui.session import DrillSession
from failtui.storage import open_db

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

#: Pieces answers are made of: plain prose, and text that has broken programs before.
PHRASES = (
    "I was the team lead on the billing migration. ",
    "I skipped the load test to hit the date, ",
    "so checkout was down for 3 hours and we lost 40 orders. ",
    "I rolled back, wrote the postmortem and added a load test to the pipeline. ",
    "I learned to push back on a date with numbers. ",
    "Six months later I used that to move a launch by a week, and it went smoothly. ",
    "[b]not markup[/b] [@click=app.quit]x[/] ",
    "emoji 🔥🙈 and wide 漢字テスト ",
    "שלום עולם right to left ",
    "tab\tand\nnew line ",
)


class SteppingClock:
    """A clock that moves forward only when told to (the drill's notion of now)."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def emit(message: dict) -> None:
    """Print one acknowledgement line, tagged with the process id, in a single write."""
    line = json.dumps(message | {"w": os.getpid()}, ensure_ascii=False) + "\n"
    os.write(1, line.encode())


def drill(db_path: str, seed: int, ratings: int, catalog, deck_id: str | None = None) -> None:
    """Drill ``ratings`` cards, acknowledging each committed write."""
    rng = random.Random(seed)
    store = open_db(db_path)
    # Checkpoint often, so kills also land in the middle of WAL checkpoints.
    store.conn.execute("PRAGMA wal_autocheckpoint = 16")
    last = store.query("SELECT max(reviewed_at) FROM reviews")[0][0]
    clock = SteppingClock((parse_utc(last) if last else START) + timedelta(minutes=1))
    session = DrillSession(
        store,
        catalog,
        deck_id=deck_id,
        clock=clock,
        settings=Settings(new_per_day=10_000, reviews_per_day=10_000),
        tz=UTC,
        fuzz=False,
        ahead=True,
    )
    done = 0
    stop_file = f"{db_path}.stop"
    while done < ratings and not os.path.exists(stop_file):
        card = session.next_card()
        if card is None:  # cannot happen with ahead=True and a non-empty catalog
            raise RuntimeError("no card to drill")
        # The draft comes back with the card (a crash in the middle of typing): go on from it.
        text = session.draft(card)
        for _ in range(rng.randint(1, 4)):
            text += rng.choice(PHRASES)
            session.save_draft(card, text)
            emit({"draft": card.key, "text": text})
            clock.now += timedelta(seconds=rng.randint(1, 30))
        grade = session.grade(card, text)
        rating = rng.choice(("again", "hard", "good", "easy"))
        rated = session.rate(card, text, grade, rating)
        emit({"rated": rated.review_id, "card": card.key, "rating": rating, "answer": text})
        done += 1
        if rng.random() < 0.15:
            emit({"undoing": rated.review_id})
            undone_card, answer = session.undo()
            if answer != text or session.draft(undone_card) != text:
                raise RuntimeError(f"undo did not give back the answer of {card.key}")
            emit({"undone": rated.review_id, "card": card.key})
            done -= 1
        clock.now += timedelta(hours=rng.randint(1, 72))
    store.close()
    emit({"done": done})


def serve(db_path: str) -> None:
    """Read commands from standard input until ``quit`` or its end."""
    catalog = load_catalog(None)
    children: list[int] = []
    emit({"ready": len(catalog.cards())})
    for line in sys.stdin:
        command, *args = line.split()
        if command == "run":
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    emit({"pid": os.getpid()})
                    drill(db_path, int(args[0]), int(args[1]), catalog, *args[2:3])
                except BaseException as exc:
                    emit({"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()})
                    status = 1
                os._exit(status)
            children.append(pid)
        elif command == "wait":
            for pid in children:
                _, status = os.waitpid(pid, 0)
                emit({"exit": pid, "status": os.waitstatus_to_exitcode(status)})
            children.clear()
        elif command == "quit":
            break


if __name__ == "__main__":
    serve(sys.argv[1])
