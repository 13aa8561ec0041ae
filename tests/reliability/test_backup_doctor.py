"""Automatic backups, `failtui doctor` (check and repair) and `failtui doctor --restore`."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from failtui.decks.catalog import load_catalog
from failtui.session import DrillSession
from failtui.storage import open_db, queries
from failtui.storage.backup import (
    BackupError,
    backup_if_due,
    backups_dir,
    find_backup,
    list_backups,
    restore_backup,
)
from failtui.storage.doctor import run_doctor
from failtui.storage.lock import InstanceLock
from tests.conftest import FIXED_NOW


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(data_home):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    yield store
    store.close()


def rate_one(store, clock, answer="I learned to ask for help early."):
    session = DrillSession(store, load_catalog(None), clock=clock, fuzz=False, ahead=True)
    card = session.next_card()
    return session.rate(card, answer, session.grade(card, answer), "good")


def test_backup_only_when_due_and_changed(store, data_home, clock):
    folder = backups_dir(data_home)
    assert backup_if_due(store, folder, clock()) is None  # nothing worth keeping yet
    rate_one(store, clock)
    first = backup_if_due(store, folder, clock())
    assert first is not None and first.parent == folder
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    copy = sqlite3.connect(first)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    copy.close()
    clock.advance(hours=20)
    rate_one(store, clock)
    assert backup_if_due(store, folder, clock()) is None  # not a day yet
    clock.advance(hours=5)
    second = backup_if_due(store, folder, clock())
    assert second is not None and second != first
    clock.advance(days=3)
    assert backup_if_due(store, folder, clock()) is None  # a day later, but nothing changed
    assert [b.path for b in list_backups(folder)] == [second, first]
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]


def test_only_the_newest_n_backups_are_kept(store, data_home, clock):
    folder = backups_dir(data_home)
    queries.set_setting(store, "backups_keep", 3)
    taken = []
    for _day in range(5):
        rate_one(store, clock)
        taken.append(backup_if_due(store, folder, clock()))
        clock.advance(days=1, minutes=1)
    assert [b.path for b in list_backups(folder)] == taken[:1:-1]


def test_a_clock_set_back_does_not_stop_backups(store, data_home, clock):
    folder = backups_dir(data_home)
    rate_one(store, clock)
    assert backup_if_due(store, folder, clock()) is not None
    clock.advance(days=-30)
    rate_one(store, clock)
    assert backup_if_due(store, folder, clock()) is not None
    assert len(list_backups(folder)) == 2


def test_backup_is_consistent_while_another_connection_writes(store, data_home, clock):
    rate_one(store, clock)
    other = sqlite3.connect(data_home / "failtui.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings (key, value) VALUES ('uncommitted', '1')")
    path = backup_if_due(store, backups_dir(data_home), clock())
    other.execute("ROLLBACK")
    other.close()
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("SELECT count(*) FROM settings WHERE key = 'uncommitted'").fetchone() == (
        0,
    )
    copy.close()


def test_backup_into_an_unwritable_place_raises_a_clear_error(store, data_home, clock):
    rate_one(store, clock)
    folder = data_home / "backups"
    folder.write_text("a file where the folder should be")
    with pytest.raises(BackupError, match="cannot write a backup"):
        backup_if_due(store, folder, clock())


async def test_app_takes_a_backup_on_open_and_warns_when_it_cannot(app_factory, data_home, clock):
    store = open_db(_home_db(data_home))
    rate_one(store, clock)
    store.close()
    app = app_factory()
    assert not backups_dir(data_home).exists() or not list_backups(backups_dir(data_home))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.backup_job.join()  # started after the first frame, in the background
    assert len(list_backups(backups_dir(data_home))) == 1
    # The next day, with the backups folder replaced by a file: a warning, and the app runs.
    for backup in list_backups(backups_dir(data_home)):
        backup.path.unlink()
    backups_dir(data_home).rmdir()
    backups_dir(data_home).write_text("not a folder")
    clock.advance(days=1)
    store = open_db(data_home / "failtui.db")
    rate_one(store, clock)
    store.close()
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.backup_job.join()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("No backup was taken") for m in messages), messages
        assert app.screen.query_one("#decks") is not None


def _home_db(data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    return data_home / "failtui.db"


def test_doctor_repairs_orphans_and_stale_drafts_after_a_backup(store, data_home, clock):
    rated = rate_one(store, clock, "I learned to write things down.")
    card_key = rated.card.key
    other_card, followed_card = [c.key for c in load_catalog(None).cards() if c.key != card_key][:2]
    # Damage of the kind an older failtui, a crash with foreign keys off or a hand edit leaves.
    raw = sqlite3.connect(data_home / "failtui.db", isolation_level=None)
    raw.executescript(
        f"""
        INSERT INTO attempt_items VALUES (999, 'key_point', 'x', 'x', 1, 1, 't');
        INSERT INTO drafts VALUES ('gone-deck/card', 'typed for a deleted deck', 't', '');
        INSERT INTO drafts VALUES ('{card_key}', 'I learned to write things down.', 't', '');
        INSERT INTO drafts VALUES ('failure-tips/be-honest', '  ', 't', '');
        INSERT INTO drafts VALUES ('{other_card}', 'keep me', 't', '');
        INSERT INTO drafts VALUES ('{followed_card}', '', 't', 'a follow-up answer');
        UPDATE reviews SET attempt_id = 12345;
        DELETE FROM card_state;
        """
    )
    raw.close()
    report = run_doctor(store, backups_dir(data_home), clock(), load_catalog(None))
    assert report.healthy
    assert report.backup is not None and report.backup.exists()
    assert len(report.repairs) == 6, report.repairs
    assert store.query("SELECT count(*) FROM attempt_items WHERE attempt_id = 999")[0][0] == 0
    state = queries.card_state(store, card_key)
    assert state.state == "learning"
    assert state.due is not None and state.reps == 1
    drafts = {
        r[0]: (r[1], r[2]) for r in store.query("SELECT card_key, text, followup FROM drafts")
    }
    # Only the drafts of cards that still exist, holding text stored nowhere else, are kept.
    assert drafts == {other_card: ("keep me", ""), followed_card: ("", "a follow-up answer")}
    # What was removed is still in the backup taken first.
    copy = sqlite3.connect(report.backup)
    assert copy.execute("SELECT text FROM drafts WHERE card_key = 'gone-deck/card'").fetchone()
    copy.close()
    again = run_doctor(store, backups_dir(data_home), clock(), load_catalog(None))
    assert again.healthy and not again.repairs and again.backup is None


def test_doctor_keeps_drafts_when_a_deck_failed_to_load(store, data_home, clock):
    (data_home / "decks").mkdir(exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text("id = 'mine'\ntitle = [broken\n")
    queries.save_draft(store, "mine/first", "half an answer", "t")
    report = run_doctor(store, backups_dir(data_home), clock(), load_catalog(data_home))
    assert not report.repairs
    assert queries.load_draft(store, "mine/first") == "half an answer"


def corrupt_a_page(path, holding: bytes = b"k200"):
    """Overwrite the page that holds ``holding`` in a valid database (the header stays valid);
    by default a settings row that the tests fill the database with.

    A page with rows in it: the middle page of the file can be an empty table's root, whose
    unused bytes no check reads (it was, once migration 0004 added its tables).
    """
    data = bytearray(path.read_bytes())
    page = 4096
    start = (data.index(holding) // page) * page
    data[start + 8 : start + page] = b"\xff" * (page - 8)
    path.write_bytes(bytes(data))


def test_doctor_reports_a_damaged_file_and_changes_nothing(data_home, clock):
    path = _home_db(data_home)
    store = open_db(path)
    for n in range(400):
        queries.set_setting(store, f"k{n}", "x" * 300)
    store.close()
    corrupt_a_page(path, b"k200")
    before = digest(path)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "Problem:" in result.output
    # No backup yet: it says so, and how to save what can be read, instead of --restore.
    assert "there is no good backup to restore" in result.output
    assert ".recover" in result.output
    assert digest(path) == before


def test_cli_doctor_restore_puts_back_a_backup_and_keeps_the_broken_file(store, data_home, clock):
    rate_one(store, clock)
    backup = backup_if_due(store, backups_dir(data_home), clock())
    store.close()
    path = data_home / "failtui.db"
    path.write_bytes(b"garbage " * 100)
    broken = digest(path)
    runner = CliRunner()
    assert runner.invoke(cli, ["drill", "--plain"], input="").exit_code == 1
    listed = runner.invoke(cli, ["doctor", "--list"])
    assert backup.name in listed.output
    result = runner.invoke(cli, ["doctor", "--restore"])
    assert result.exit_code == 0, result.output
    assert f"from {backup.name}" in result.output
    (aside,) = data_home.glob("failtui-before-restore-*.db")
    assert digest(aside) == broken
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reopened = open_db(path)
    assert reopened.query("SELECT count(*) FROM reviews")[0][0] == 1
    reopened.close()
    assert runner.invoke(cli, ["doctor"]).exit_code == 0


def test_restore_by_name_and_its_refusals(store, data_home, clock):
    folder = backups_dir(data_home)
    rate_one(store, clock)
    older = backup_if_due(store, folder, clock())
    clock.advance(days=2)
    rate_one(store, clock)
    backup_if_due(store, folder, clock())
    store.close()
    path = data_home / "failtui.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["doctor", "--restore", "failtui-nope.db"])
    assert result.exit_code == 1 and older.name in result.output  # the message lists them
    assert runner.invoke(cli, ["doctor", older.name]).exit_code == 2  # BACKUP needs --restore
    with InstanceLock(data_home) as other:
        assert other.acquire()
        before = digest(path)
        result = runner.invoke(cli, ["doctor", "--restore", older.name])
        assert result.exit_code == 1 and "another failtui is open" in result.output
        assert digest(path) == before
    damaged = folder / "failtui-20200101T000000Z.db"
    damaged.write_bytes(b"not sqlite")
    with pytest.raises(BackupError, match="not a usable backup"):
        restore_backup(data_home, path, damaged, FIXED_NOW)
    result = runner.invoke(cli, ["doctor", "--restore", older.name])
    assert result.exit_code == 0, result.output
    reopened = open_db(path)
    assert reopened.query("SELECT count(*) FROM reviews")[0][0] == 1
    reopened.close()
    assert find_backup(data_home, None) != older


def test_doctor_has_help():
    result = CliRunner().invoke(cli, ["doctor", "--help"])
    assert result.exit_code == 0
    assert "--restore" in result.output and "--list" in result.output and "--home" in result.output


def test_every_file_failtui_creates_is_readable_by_the_user_only(data_home, clock):
    runner = CliRunner()
    plain = runner.invoke(cli, ["drill", "--plain", "--limit", "1"], input="I learned.\n.\n3\n")
    assert plain.exit_code == 0  # it also created the lock file
    clock.advance(days=2)
    store = open_db(data_home / "failtui.db")
    rate_one(store, clock)
    assert backup_if_due(store, backups_dir(data_home), clock()) is not None
    # While open, the WAL and shared-memory files exist too.
    found = {p.name: stat.S_IMODE(p.stat().st_mode) for p in data_home.rglob("*")}
    store.close()
    assert runner.invoke(cli, ["doctor", "--restore"]).exit_code == 0
    found |= {p.name: stat.S_IMODE(p.stat().st_mode) for p in data_home.rglob("*")}
    assert {"failtui.db-wal", "failtui.db-shm", "failtui.lock", "backups"} <= set(found)
    assert any(name.startswith("failtui-before-restore-") for name in found)
    for name, mode in found.items():
        is_dir = name in ("backups", "decks")
        assert mode == (0o700 if is_dir else 0o600), f"{name}: {oct(mode)}"


def test_copies_left_half_made_by_a_crash_are_cleaned_up(store, data_home, clock):
    folder = backups_dir(data_home)
    folder.mkdir()
    stale = folder / ".failtui-20200101T000000Z-123.partial"
    fresh = folder / ".failtui-20261123T115959Z-456.partial"  # another failtui, writing now
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (0, 0))
    rate_one(store, clock)
    assert backup_if_due(store, folder, clock()) is not None
    assert not stale.exists() and fresh.exists()
