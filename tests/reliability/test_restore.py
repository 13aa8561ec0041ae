"""`failtui doctor --restore`: kept-aside names never collide, and a kill at any step loses nothing.

Items 1, 2 and 14 of the second reliability review: two restores in the same second, a kill
before every file-system step of a restore (each one, in turn), names already taken by files and
symlinks, and the leftovers of an interrupted restore cleaned (or finished) at the next start.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from failtui.decks.catalog import load_catalog
from failtui.session import DrillSession
from failtui.storage import open_db
from failtui.storage.backup import backup_if_due, backups_dir, restore_backup
from tests.conftest import FIXED_NOW


def rate(store, clock, count: int) -> list[int]:
    """Rate ``count`` cards; returns the review ids (the acknowledged ratings)."""
    session = DrillSession(store, load_catalog(None), clock=clock, fuzz=False, ahead=True)
    ids = []
    for n in range(count):
        card = session.next_card()
        answer = f"I learned lesson {n}."
        ids.append(session.rate(card, answer, session.grade(card, answer), "good").review_id)
    return ids


def review_ids(db: Path) -> set[int]:
    """The review ids in a database file (opened with its WAL, as SQLite does)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in conn.execute("SELECT id FROM reviews")}
    finally:
        conn.close()


@pytest.fixture
def crashed_home(tmp_path, clock):
    """A data dir holding one backup (1 rating) and a database whose 3 later ratings are in a
    WAL that was never checkpointed (the state a crash leaves), with the ids acknowledged."""
    source = tmp_path / "source"
    source.mkdir()
    store = open_db(source / "failtui.db")
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    first = rate(store, clock, 1)
    clock.advance(days=1)
    backup = backup_if_due(store, backups_dir(source), clock())
    clock.advance(minutes=5)
    later = rate(store, clock, 3)
    # Copied while open: the WAL holds the three later ratings, the main file does not.
    home = tmp_path / "crashed"
    home.mkdir(mode=0o700)
    shutil.copytree(backups_dir(source), backups_dir(home))
    for name in ("failtui.db", "failtui.db-wal"):
        shutil.copy2(source / name, home / name)
    store.close()
    assert (home / "failtui.db-wal").stat().st_size > 0
    return home, backups_dir(home) / backup.name, set(first), set(first) | set(later)


def test_two_restores_in_the_same_second_keep_both_replaced_files(crashed_home):
    home, backup, in_backup, acked = crashed_home
    db = home / "failtui.db"
    first = restore_backup(home, db, backup, FIXED_NOW)
    second = restore_backup(home, db, backup, FIXED_NOW)
    assert first.kept_aside != second.kept_aside
    assert first.kept_aside.name == "failtui-before-restore-20261123T120000Z.db"
    assert second.kept_aside.name == "failtui-before-restore-20261123T120000Z-2.db"
    assert review_ids(first.kept_aside) == acked  # with its WAL: all 4 ratings
    assert review_ids(second.kept_aside) == in_backup
    assert review_ids(db) == in_backup


def test_names_already_taken_by_files_and_symlinks_are_never_written(crashed_home, tmp_path):
    home, backup, _in_backup, acked = crashed_home
    db = home / "failtui.db"
    stamp = "20261123T120000Z"
    victim = tmp_path / "someone-elses-file"
    victim.write_text("theirs")
    # The first free names are taken: a file, a dangling symlink, a symlink to a file, and a
    # WAL name whose main file is free.
    (home / f"failtui-before-restore-{stamp}.db").write_text("a file")
    (home / f"failtui-before-restore-{stamp}-2.db").symlink_to(tmp_path / "nowhere")
    (home / f"failtui-before-restore-{stamp}-3.db").symlink_to(victim)
    (home / f"failtui-before-restore-{stamp}-4.db-wal").write_text("orphan wal")
    (home / ".failtui.db.restoring").symlink_to(victim)  # planted at the temporary name
    result = restore_backup(home, db, backup, FIXED_NOW)
    assert result.kept_aside.name == f"failtui-before-restore-{stamp}-5.db"
    assert review_ids(result.kept_aside) == acked
    assert victim.read_text() == "theirs"
    assert (home / f"failtui-before-restore-{stamp}.db").read_text() == "a file"
    assert (home / f"failtui-before-restore-{stamp}-4.db-wal").read_text() == "orphan wal"
    assert not (tmp_path / "nowhere").exists()


FS_CALLS = ("open", "link", "rename", "replace", "unlink", "fsync")


def restore_killed_before_call(home: Path, backup: Path, kill_at: int) -> bool:
    """Run a restore in a forked child that is SIGKILL-like stopped (``os._exit``) just before
    its ``kill_at``-th file-system call; returns whether the child finished instead."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            count = 0
            for name in FS_CALLS:
                real = getattr(os, name)

                def counting(*args, _real=real, _name=name, **kwargs):
                    nonlocal count
                    if _name != "open" or (len(args) > 1 and args[1] & os.O_CREAT):
                        count += 1
                        if count > kill_at:
                            os._exit(9)
                    return _real(*args, **kwargs)

                setattr(os, name, counting)
            restore_backup(home, home / "failtui.db", backup, FIXED_NOW)
        except BaseException:
            os._exit(3)
        os._exit(0)
    deadline = time.monotonic() + 30
    while True:  # never wait for ever: a child stuck on a lock fails the test instead
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"the restore child hung (kill at {kill_at})")
        time.sleep(0.005)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, 9), f"the restore failed instead of being killed ({code})"
    return code == 0


@pytest.mark.slow
def test_a_kill_before_any_step_of_a_restore_loses_nothing(crashed_home, tmp_path, clock):
    template, backup, in_backup, acked = crashed_home
    kill_at, restored = 0, 0
    while True:
        home = tmp_path / f"run-{kill_at}"
        shutil.copytree(template, home)
        finished = restore_killed_before_call(home, backups_dir(home) / backup.name, kill_at)
        db = home / "failtui.db"
        # The next start: opening the database finishes or undoes the interrupted restore.
        store = open_db(db)
        live = {row[0] for row in store.query("SELECT id FROM reviews")}
        asides = sorted(home.glob("failtui-before-restore-*.db"))
        kept = [review_ids(a) for a in asides]
        assert live in (acked, in_backup), f"kill at {kill_at}: live database holds {live}"
        if live == in_backup:
            restored += 1
            assert acked in kept, f"kill at {kill_at}: the replaced ratings are not kept"
        for aside_ids in kept:
            assert aside_ids in (acked, in_backup)
        # Nothing of the restore is left behind.
        leftovers = [p.name for p in home.iterdir() if p.name.startswith(".failtui.db")]
        assert leftovers == [], f"kill at {kill_at}: {leftovers}"
        # A later rating goes to the live database only; the kept copies do not change.
        rate(store, clock, 1)
        store.close()
        assert [review_ids(a) for a in asides] == kept
        assert len(review_ids(db)) == len(live) + 1
        if finished:
            break
        kill_at += 1
    print(f"\nrestore: killed before each of {kill_at} file-system calls, {restored} finished")
    assert kill_at >= 10  # every step was tried, the last run finished
    assert restored >= 2  # some kills came after the commit and were finished at start


def test_cli_restore_twice_in_a_row_and_stale_leftovers_cleaned(crashed_home, monkeypatch):
    home, _backup, in_backup, acked = crashed_home
    monkeypatch.setenv("FAILTUI_HOME", str(home))
    runner = CliRunner()
    first = runner.invoke(cli, ["doctor", "--restore"])
    second = runner.invoke(cli, ["doctor", "--restore"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    asides = sorted(home.glob("failtui-before-restore-*.db"))
    assert len(asides) == 2
    assert sorted(len(review_ids(a)) for a in asides) == [len(in_backup), len(acked)]
    # Left by a kill before the commit: a partial copy of the backup, a temporary copy.
    (home / ".failtui.db.restoring").write_bytes(b"half a database")
    (home / ".failtui.db.aside-123.tmp").write_bytes(b"half a copy")
    assert runner.invoke(cli, ["stats"]).exit_code == 0
    assert not (home / ".failtui.db.restoring").exists()
    assert not (home / ".failtui.db.aside-123.tmp").exists()
    assert review_ids(home / "failtui.db") == in_backup
