"""Build a realistic failtui collection for the benchmarks: deck files, card states and history.

    python benchmarks/generate.py --home DIR --cards 10000 --reviews 100000

writes ``DIR/decks/bench-NN.toml`` (question cards sharing the built-in key points and red flags,
every fourth card with one key point of its own) and ``DIR/failtui.db`` with the schema of
``failtui.storage.migrations``: reviews spread over several years, each with its attempt (answer
text, grade JSON) and one attempt-item row per key point and per red flag raised, and a
``card_state`` row per reviewed card that agrees with its last review.

The scheduling history is a cheap imitation of FSRS (stability grows with good ratings, lapses
send a card to relearning), not a replay of fsrs: the benchmarks need the sizes, dates and shapes
of real data, and a million fsrs reviews would take minutes. Every row is inserted in one
transaction with the secondary indexes dropped and rebuilt afterwards, which is how a million
reviews generate in about a minute.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from failtui import locations
from failtui.decks.catalog import load_catalog
from failtui.models import RATING_LABELS, KeyPoint, RedFlag
from failtui.storage.db import open_db

#: Cards per generated deck file (10k cards make 20 files).
CARDS_PER_DECK = 500
#: The history ends at this moment (fixed, so two runs build the same collection).
END = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

_PROMPTS = (
    "Tell me about a time a {thing} went wrong because of you.",
    "What is the biggest mistake you made with a {thing}?",
    "Describe a {thing} you would handle differently today.",
    "When did a {thing} of yours fail, and what did you learn?",
)
_THINGS = (
    "project", "deadline", "handover", "order", "release", "budget", "launch", "audit",
    "rota", "report", "migration", "presentation", "hire", "estimate", "client call",
)  # fmt: skip
_SENTENCES = (
    "I was working as a shift supervisor at a busy distribution centre.",
    "One of my responsibilities was signing off the weekly stock count.",
    "I skipped the second check because we were behind and I trusted the scanner totals.",
    "Forty pallets went to the wrong store and it cost us about three days of deliveries.",
    "I told my manager straight away and drove the replacement stock over myself.",
    "What I learned is that a check I skip under pressure is the one that matters most.",
    "Since then I run the second count whatever the clock says.",
    "Last quarter it caught a mislabelled batch before it left the building.",
    "The client was unhappy and we refunded part of the invoice.",
    "I should have asked for help instead of hoping it would work out.",
    "It taught me to say early when something is slipping.",
    "Now I flag risks in the Monday meeting before they become problems.",
)


#: The statistics tally of every rated attempt (migration 0002 builds it with the same query).
TALLY_REBUILD = """
    INSERT INTO item_tally (kind, item_id, deck_id, study_day, expected, missed)
    SELECT i.kind, i.item_id, r.deck_id, r.study_day, count(*),
           sum(CASE WHEN i.kind = 'key_point' THEN i.hit = 0 ELSE i.hit END)
    FROM reviews r JOIN attempt_items i ON i.attempt_id = r.attempt_id
    GROUP BY i.kind, i.item_id, r.deck_id, r.study_day
"""


@dataclass
class _CardHistory:
    """What the generator tracks of one card while it walks through the reviews in time order."""

    state: str = "new"
    stability: float = 0.0
    difficulty: float = 5.0
    due: str | None = None
    last_review: str | None = None
    reps: int = 0
    lapses: int = 0
    step: int | None = None
    first_day: str | None = None


def _iso(moment: datetime) -> str:
    # The same fixed-width form as failtui.scheduling.format_utc, so text order is time order.
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _toml(value) -> str:
    # JSON strings and lists of strings are valid TOML basic strings and arrays.
    return json.dumps(value)


def _shared_items() -> tuple[tuple[KeyPoint, ...], tuple[RedFlag, ...]]:
    """The built-in question deck's key points and red flags (realistic cues, standard ids)."""
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    return card.key_points, card.red_flags


def write_decks(home: Path, cards: int, seed: int = 1) -> list[tuple[str, str, list[str]]]:
    """Write the deck files; return (deck id, card id, key point ids) for every card."""
    rng = random.Random(seed)
    key_points, red_flags = _shared_items()
    folder = locations.user_decks_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("bench-*.toml"):
        old.unlink()
    made: list[tuple[str, str, list[str]]] = []
    decks = max(1, -(-cards // CARDS_PER_DECK))
    for number in range(decks):
        deck_id = f"bench-{number:02d}"
        lines = [
            f"id = {_toml(deck_id)}",
            f"title = {_toml(f'Benchmark deck {number}')}",
            'description = "Generated by benchmarks/generate.py"',
            "",
        ]
        for kp in key_points:
            lines += [
                "[[key_points]]",
                f"id = {_toml(kp.id)}",
                f"label = {_toml(kp.label)}",
                f"hint = {_toml(kp.hint)}",
                f"cues = {_toml(list(kp.cues))}",
                "",
            ]
        for rf in red_flags:
            lines += [
                "[[red_flags]]",
                f"id = {_toml(rf.id)}",
                f"label = {_toml(rf.label)}",
                f"advice = {_toml(rf.advice)}",
                f"cues = {_toml(list(rf.cues))}",
                "",
            ]
        count = min(CARDS_PER_DECK, cards - number * CARDS_PER_DECK)
        for index in range(count):
            card_id = f"card-{index:04d}"
            kp_ids = [kp.id for kp in key_points]
            kp_list = [_toml(k) for k in kp_ids]
            if index % 4 == 0:
                own = f"own-{index}"
                kp_ids.append(own)
                kp_list.append(
                    f'{{id = "{own}", label = "The stakeholder you told", '
                    'cues = ["i told my manager", "i flagged it", "i escalated"]}'
                )
            prompt = rng.choice(_PROMPTS).format(thing=rng.choice(_THINGS))
            lines += [
                "[[cards]]",
                f"id = {_toml(card_id)}",
                'kind = "question"',
                f"prompt = {_toml(prompt)}",
                f"answer = {_toml(' '.join(rng.sample(_SENTENCES, 3)))}",
                f"tags = {_toml(['bench', rng.choice(_THINGS)])}",
                f"key_points = [{', '.join(kp_list)}]",
                f"red_flags = {_toml([rf.id for rf in red_flags])}",
                "",
            ]
            made.append((deck_id, card_id, kp_ids))
        (folder / f"{deck_id}.toml").write_text("\n".join(lines), encoding="utf-8")
    return made


def _review_times(
    rng: random.Random, cards: int, reviews: int, years: float
) -> list[tuple[float, int]]:
    """(timestamp, card index) of every review, in time order.

    About two cards in three have been studied; the busier a card, the earlier it was first seen.
    """
    end = END.timestamp()
    span = years * 365.25 * 86400
    studied = max(1, min(cards, round(cards * 0.66))) if reviews else 0
    weights = [rng.paretovariate(1.5) for _ in range(studied)]
    total = sum(weights)
    times: list[tuple[float, int]] = []
    remaining = reviews
    for index in range(studied):
        count = remaining if index == studied - 1 else round(reviews * weights[index] / total)
        count = max(1, min(count, remaining - (studied - index - 1)))
        remaining -= count
        first = end - span * min(1.0, 0.05 + count / 40) * rng.random()
        times.extend((rng.uniform(first, end), index) for _ in range(count))
        if remaining <= 0:
            break
    times.sort()
    return times


def _rows(
    made: list[tuple[str, str, list[str]]],
    times: list[tuple[float, int]],
    kp_labels: dict[str, str],
    red_flags: tuple[RedFlag, ...],
    seed: int,
) -> tuple[Iterator[tuple], dict[int, _CardHistory]]:
    """Batches of (attempt, attempt-item, review) rows, and the card histories they leave.

    The histories are complete once the batches have been consumed.
    """
    rng = random.Random(seed)
    histories: dict[int, _CardHistory] = {}
    attempts: list[tuple] = []
    items: list[tuple] = []
    reviews: list[tuple] = []

    def flush():
        batch = (attempts[:], items[:], reviews[:])
        attempts.clear()
        items.clear()
        reviews.clear()
        return batch

    def batches() -> Iterator[tuple]:
        for row_id, (stamp, index) in enumerate(times, 1):
            deck_id, card_id, kp_ids = made[index]
            key = f"{deck_id}/{card_id}"
            history = histories.setdefault(index, _CardHistory())
            moment = datetime.fromtimestamp(stamp, UTC)
            now_iso = _iso(moment)
            day = (moment - timedelta(hours=4)).date().isoformat()
            rating = rng.choices((1, 2, 3, 4), weights=(10, 15, 60, 15))[0]
            before = {
                "card_key": key,
                "state": history.state,
                "due": history.due,
                "stability": history.stability or None,
                "difficulty": history.difficulty if history.reps else None,
                "step": history.step,
                "last_review": history.last_review,
                "reps": history.reps,
                "lapses": history.lapses,
                "buried_until": None,
                "suspended": False,
            }
            state_before = history.state
            stability_before = history.stability or None
            difficulty_before = history.difficulty if history.reps else None
            interval_before = (
                (stamp - datetime.fromisoformat(history.last_review).timestamp()) / 86400
                if history.last_review
                else None
            )
            # A rough FSRS: ratings move difficulty and multiply stability; a lapse relearns.
            history.difficulty = min(10.0, max(1.0, history.difficulty + (3 - rating) * 0.6))
            if rating == 1:
                history.lapses += history.state == "review"
                history.state = "relearning" if history.state == "review" else "learning"
                history.stability = max(0.1, history.stability * 0.3)
                interval = 10 / 1440
                history.step = 0
            else:
                growth = {2: 1.2, 3: 2.5, 4: 4.0}[rating] * (11 - history.difficulty) / 6
                history.stability = min(3650.0, max(1.0, history.stability * max(1.1, growth)))
                history.state = "review"
                history.step = None
                interval = history.stability
            due = moment + timedelta(days=interval)
            history.due = _iso(due)
            history.last_review = now_iso
            history.reps += 1
            if history.first_day is None:
                history.first_day = day
            covered = [rng.random() < 0.3 + 0.08 * rating for _ in kp_ids]
            raised = [rf for rf in red_flags if rng.random() < 0.04 * (5 - rating)]
            coverage = sum(covered) / len(kp_ids)
            words = rng.randint(60, 420)
            answer = " ".join(rng.choices(_SENTENCES, k=max(3, words // 14)))
            suggested = RATING_LABELS[min(3, int(coverage * 4))]
            grade = {
                "card": card_id,
                "deck": deck_id,
                "key_points": [
                    {
                        "id": kp,
                        "label": kp_labels.get(kp, kp),
                        "covered": hit,
                        "score": 95.0 if hit else 0.0,
                        "evidence": _SENTENCES[i % len(_SENTENCES)] if hit else "",
                    }
                    for i, (kp, hit) in enumerate(zip(kp_ids, covered, strict=True))
                ],
                "red_flags": [
                    {"id": rf.id, "label": rf.label, "evidence": "", "advice": rf.advice}
                    for rf in raised
                ],
                "coverage": round(coverage, 3),
                "words": words,
                "speaking_seconds": round(words / 130 * 60, 1),
                "lesson_share": 0.3,
                "suggested_rating": suggested,
                "speaking_rate_wpm": 130.0,
            }
            attempts.append(
                (
                    row_id, key, deck_id, now_iso, answer, coverage, words, words / 130 * 60,
                    0.3, suggested, RATING_LABELS[rating - 1], json.dumps(grade),
                )
            )  # fmt: skip
            items.extend(
                (row_id, "key_point", kp, kp_labels.get(kp, kp), int(hit), 95.0 if hit else 0.0,
                 now_iso)
                for kp, hit in zip(kp_ids, covered, strict=True)
            )  # fmt: skip
            items.extend((row_id, "red_flag", rf.id, rf.label, 1, None, now_iso) for rf in raised)
            reviews.append(
                (
                    row_id, key, deck_id, row_id, now_iso, day, rating, suggested,
                    rng.randint(20_000, 240_000), state_before, history.state, stability_before,
                    history.stability, difficulty_before, history.difficulty, before["due"],
                    history.due, interval_before, interval, json.dumps(before),
                )
            )  # fmt: skip
            if len(reviews) >= 20_000:
                yield flush()
        if reviews:
            yield flush()

    return batches(), histories


def generate(home: Path, cards: int, reviews: int, *, years: float = 3.0, seed: int = 1) -> dict:
    """Build the collection in ``home`` (replacing a database already there); return its sizes."""
    started = time.perf_counter()
    home.mkdir(parents=True, exist_ok=True)
    locations.ensure_data_dir(home)
    made = write_decks(home, cards, seed)
    key_points, red_flags = _shared_items()
    kp_labels = {kp.id: kp.label for kp in key_points}
    db_file = locations.db_path(home)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    open_db(db_file).close()  # the real schema, through the real migrations

    conn = sqlite3.connect(db_file, isolation_level=None)
    # Bulk load: no journal, no syncs; the file is thrown away if this is interrupted.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    # The statistics triggers look reviews up by attempt for every item row: without the
    # indexes that is a scan per row (hours at a million reviews). They are dropped with the
    # indexes, and the tally they keep is rebuilt once at the end, as the migration builds it.
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _sql in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX {name}")
    times = _review_times(random.Random(seed), len(made), reviews, years)
    batches, histories = _rows(made, times, kp_labels, red_flags, seed)
    item_count = 0
    for attempts, items, review_rows in batches:
        conn.executemany(
            "INSERT INTO attempts (id, card_key, deck_id, answered_at, answer, coverage, words, "
            "speaking_seconds, lesson_share, suggested_rating, rating, grade_json) "
            f"VALUES ({', '.join('?' * 12)})",
            attempts,
        )
        conn.executemany("INSERT INTO attempt_items VALUES (?, ?, ?, ?, ?, ?, ?)", items)
        conn.executemany(f"INSERT INTO reviews VALUES ({', '.join('?' * 20)})", review_rows)
        item_count += len(items)
    conn.executemany(
        "INSERT INTO card_state (card_key, deck_id, state, step, stability, difficulty, due, "
        "last_review, reps, lapses, first_seen_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                f"{made[index][0]}/{made[index][1]}", made[index][0], h.state, h.step,
                h.stability, h.difficulty, h.due, h.last_review, h.reps, h.lapses, h.first_day,
            )
            for index, h in histories.items()
        ),
    )  # fmt: skip
    for _name, sql in indexes:
        conn.execute(sql)
    if any(name.startswith("item_tally") for name, _sql in triggers):
        conn.execute(TALLY_REBUILD)
    for _name, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return {
        "cards": len(made),
        "reviews": len(times),
        "attempt_items": item_count,
        "card_states": len(histories),
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": db_file.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--home DIR --cards N --reviews M [--years Y] [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", required=True, type=Path, help="data dir to fill")
    parser.add_argument("--cards", type=int, default=10_000, help="cards in the user's decks")
    parser.add_argument("--reviews", type=int, default=100_000, help="reviews in the history")
    parser.add_argument("--years", type=float, default=3.0, help="how far back the history goes")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    if args.cards < 1 or args.reviews < 0:
        parser.error("--cards must be at least 1 and --reviews at least 0")
    sizes = generate(args.home, args.cards, args.reviews, years=args.years, seed=args.seed)
    print(json.dumps(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
