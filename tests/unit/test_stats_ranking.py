"""Weak points that point at real weak points: ids unique to imported cards, Wilson ranking,
groups for the question's key points and the tips' and pitfalls'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from failtui import stats
from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.session import DrillSession
from failtui.storage import open_db

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

IMPORTED = """id = "imported"
title = "Imported"
description = "Front/back cards: no key points of their own"

[[cards]]
id = "leave"
kind = "question"
prompt = "Why do you want to leave?"
answer = "Growth matters to me. The team is shrinking."

[[cards]]
id = "hire"
kind = "question"
prompt = "Why should we hire you?"
answer = "Proven delivery record. Strong references."
"""


def test_wilson_lower_bound_ranks_many_misses_above_two_of_two():
    assert stats.wilson_lower_bound(2, 2) == pytest.approx(0.3424, abs=1e-4)
    assert stats.wilson_lower_bound(145, 195) == pytest.approx(0.6780, abs=1e-4)
    assert stats.wilson_lower_bound(0, 10) == 0.0
    assert stats.wilson_lower_bound(0, 0) == 0.0


def test_generated_key_point_ids_are_unique_to_their_card(tmp_path: Path):
    catalog = DeckCatalog(decks=[parse_deck(IMPORTED, Path("imported.toml"))])
    store = open_db(tmp_path / "f.db")
    session = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False)
    for card in catalog.cards():
        session.rate(card, "nothing", session.grade(card, "nothing"), "again")
    scope = stats.make_scope(store, NOW + timedelta(minutes=5), tz=UTC, catalog=catalog)
    weak = stats.weak_key_points(store, scope)
    assert sorted((k.id, k.missed, k.expected) for k in weak) == [
        ("imported/hire:answer-1", 1, 1),
        ("imported/hire:answer-2", 1, 1),
        ("imported/leave:answer-1", 1, 1),
        ("imported/leave:answer-2", 1, 1),
    ]


def _tally(store, item_id: str, missed: int, expected: int, card_key: str) -> None:
    """Store ``expected`` attempts at ``card_key`` with ``item_id`` missed ``missed`` times."""
    with store.write() as db:
        for n in range(expected):
            attempt = db["attempts"].insert(
                {
                    "card_key": card_key, "deck_id": card_key.split("/")[0],
                    "answered_at": f"2026-11-20T10:00:{n % 60:02d}.{n:06d}+00:00", "answer": "x",
                    "coverage": 0.0, "words": 1, "speaking_seconds": 1.0, "lesson_share": 0.0,
                    "suggested_rating": "again", "rating": "again", "grade_json": "{}",
                }
            ).last_pk  # fmt: skip
            db["attempt_items"].insert(
                {
                    "attempt_id": attempt, "kind": "key_point", "item_id": item_id,
                    "label": item_id.title(), "hit": int(n >= missed),
                    "answered_at": f"2026-11-20T10:00:{n % 60:02d}.{n:06d}+00:00",
                }
            )  # fmt: skip
            db["reviews"].insert(
                {
                    "card_key": card_key, "deck_id": card_key.split("/")[0], "attempt_id": attempt,
                    "reviewed_at": "2026-11-20T10:00:00.000000+00:00", "study_day": "2026-11-20",
                    "rating": 1, "state_before": "review", "state_after": "review",
                    "due_after": "2026-11-21T10:00:00.000000+00:00", "interval_after_days": 1.0,
                    "card_state_before": "{}",
                }
            )  # fmt: skip


def test_weak_points_rank_by_wilson_bound_and_carry_their_group(tmp_path: Path):
    from failtui.decks.catalog import load_catalog

    catalog = load_catalog(None)
    store = open_db(tmp_path / "f.db")
    _tally(store, "context", 2, 2, "failure-question/biggest-failure")
    _tally(store, "impact", 145, 195, "failure-question/biggest-failure")
    tip = catalog.deck("failure-tips").cards[0]
    _tally(store, tip.key_points[0].id, 3, 10, tip.key)
    scope = stats.make_scope(store, NOW, tz=UTC, catalog=catalog)
    result = stats.collect_statistics(store, scope, catalog)
    assert [(k.id, k.missed, k.expected, k.group) for k in result.weak_key_points] == [
        ("impact", 145, 195, "question"),
        ("context", 2, 2, "question"),
        (tip.key_points[0].id, 3, 10, "tip-pitfall"),
    ]
    entries = result.to_dict()["weak_key_points"]
    assert [(e["id"], e["group"], round(e["score"], 4)) for e in entries] == [
        ("impact", "question", 0.678),
        ("context", "question", 0.3424),
        (tip.key_points[0].id, "tip-pitfall", 0.1078),
    ]


def test_migration_0005_gives_old_answer_key_points_to_their_cards(tmp_path: Path):
    from sqlite_utils import Database

    from failtui.storage.migrations import migrations

    path = tmp_path / "old.db"
    open_db(path).close()
    path.unlink()
    db = Database(path)
    migrations.apply(db, stop_before="0005_answer_key_points_per_card")
    for attempt, card, hit in (
        (1, "imported/leave", 0),
        (2, "imported/hire", 0),
        (3, "imported/hire", 1),
    ):
        db.execute(
            "INSERT INTO attempts (id, card_key, deck_id, answered_at, answer, coverage, words, "
            "speaking_seconds, lesson_share, suggested_rating, grade_json) "
            f"VALUES ({attempt}, '{card}', 'imported', '2026-11-23T12:00:00', '', 0, 0, 0, 0, "
            "'again', '{}')"
        )
        db.execute(
            f"INSERT INTO attempt_items VALUES ({attempt}, 'key_point', 'answer-1', 'S', {hit}, "
            "NULL, '2026-11-23T12:00:00')"
        )
        db.execute(
            "INSERT INTO reviews (card_key, deck_id, attempt_id, reviewed_at, study_day, rating, "
            "state_before, state_after, due_after, interval_after_days, card_state_before) "
            f"VALUES ('{card}', 'imported', {attempt}, '2026-11-23T12:00:00', '2026-11-23', 1, "
            "'new', 'learning', '2026-11-23T12:01:00', 0.001, '{{}}')"
        )
    db.conn.commit()
    assert db.execute("SELECT item_id, expected, missed FROM item_tally").fetchall() == [
        ("answer-1", 3, 2)
    ]
    db.close()
    store = open_db(path)
    try:
        tally = store.query("SELECT item_id, expected, missed FROM item_tally ORDER BY item_id")
        assert [tuple(row) for row in tally] == [
            ("imported/hire:answer-1", 2, 1),
            ("imported/leave:answer-1", 1, 1),
        ]
        assert [
            r[0] for r in store.query("SELECT item_id FROM attempt_items ORDER BY attempt_id")
        ] == ["imported/leave:answer-1", "imported/hire:answer-1", "imported/hire:answer-1"]
    finally:
        store.close()
