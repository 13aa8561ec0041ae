"""The benchmark harness runs from a checkout and writes the table as JSON (timings not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = {
    "startup-builtin", "startup-large", "memory-builtin", "memory-large",
    "grading", "grading-keystroke", "typing", "rating", "stats",
}  # fmt: skip


@pytest.mark.slow
def test_quick_run_writes_every_figure_as_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--data",
            str(tmp_path / "data"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["machine"]["quick"] is True
    assert payload["machine"]["cpus"] >= 1
    rows = payload["rows"]
    assert {row["key"] for row in rows} == FIGURES
    for row in rows:
        assert set(row) >= {"figure", "value", "reference", "ratio", "target", "passed", "unit"}
        if row["value"] is not None:
            assert row["value"] > 0 and row["reference"] > 0
            assert row["ratio"] == row["value"] / row["reference"]
            assert isinstance(row["passed"], bool)
    # The table printed for people names every figure too.
    for row in rows:
        assert row["figure"] in result.stdout


def test_generator_builds_consistent_history(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from failtui.decks.catalog import load_catalog
    from failtui.storage.db import open_db

    sizes = generate.generate(tmp_path / "home", cards=30, reviews=200)
    assert sizes["cards"] == 30 and sizes["reviews"] == 200
    catalog = load_catalog(tmp_path / "home")
    assert not catalog.errors
    assert len([c for c in catalog.cards() if c.deck_id.startswith("bench-")]) == 30
    store = open_db(tmp_path / "home" / "failtui.db")
    try:
        reviews = store.query("SELECT count(*) FROM reviews")[0][0]
        attempts = store.query("SELECT count(*) FROM attempts")[0][0]
        orphans = store.query(
            "SELECT count(*) FROM attempt_items i LEFT JOIN attempts a ON a.id = i.attempt_id "
            "WHERE a.id IS NULL"
        )[0][0]
        # Each stored state agrees with the card's last review.
        mismatched = store.query(
            "SELECT count(*) FROM card_state s JOIN reviews r ON r.card_key = s.card_key "
            "AND r.reviewed_at = s.last_review WHERE r.state_after != s.state "
            "OR r.due_after != s.due"
        )[0][0]
        states = store.query("SELECT count(*) FROM card_state")[0][0]
        reviewed = store.query("SELECT count(DISTINCT card_key) FROM reviews")[0][0]
        # The statistics tally equals what its triggers would have kept, and they are back.
        tally = store.query("SELECT * FROM item_tally ORDER BY 1, 2, 3, 4")
        expected_tally = store.query(
            "SELECT i.kind, i.item_id, r.deck_id, r.study_day, count(*), "
            "sum(CASE WHEN i.kind = 'key_point' THEN i.hit = 0 ELSE i.hit END) "
            "FROM reviews r JOIN attempt_items i ON i.attempt_id = r.attempt_id "
            "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        )
        triggers = {
            r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    finally:
        store.close()
    assert reviews == attempts == 200
    assert orphans == 0 and mismatched == 0
    assert states == reviewed > 0
    assert [tuple(r) for r in tally] == [tuple(r) for r in expected_tally] != []
    assert triggers == {
        "item_tally_review_added",
        "item_tally_review_removed",
        "item_tally_item_added",
        "item_tally_item_removed",
        "home_counts_card_added",
        "home_counts_card_removed",
        "home_counts_card_changed",
    }
