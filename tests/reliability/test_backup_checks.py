"""Backups are checked before they are kept, the last good one is never pruned, and stray files in
the backups folder stop nothing (items 3 and 7 of the second reliability review)."""

from __future__ import annotations

import os
import sqlite3

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from failtui.storage import backup, open_db, queries
from failtui.storage.backup import (
    DatabaseDamaged,
    backup_if_due,
    backups_dir,
    find_backup,
    list_backups,
    prune,
)
from tests.reliability.test_backup_doctor import corrupt_a_page, rate_one


@pytest.fixture
def store(data_home):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    yield store
    store.close()


def fill(store, rows: int = 400) -> None:
    """Enough rows for many pages, so a page in the middle holds table data."""
    for n in range(rows):
        queries.set_setting(store, f"k{n}", "x" * 300)


def daily_backups(store, clock, folder, days: int) -> list:
    taken = []
    for _ in range(days):
        rate_one(store, clock)
        taken.append(backup_if_due(store, folder, clock()))
        clock.advance(days=1, minutes=1)
    return taken


def test_a_damaged_database_is_never_backed_up_and_the_good_backups_stay(data_home, clock):
    data_home.mkdir(parents=True)
    path = data_home / "failtui.db"
    store = open_db(path)
    fill(store)
    queries.set_setting(store, "backups_keep", 3)
    folder = backups_dir(data_home)
    good = daily_backups(store, clock, folder, 3)
    store.close()
    corrupt_a_page(path)
    store = open_db(path)
    # Ten days of opening a damaged database: no backup, nothing pruned, each time said.
    for _day in range(10):
        with pytest.raises(DatabaseDamaged, match="is damaged") as error:
            backup_if_due(store, folder, clock())
        clock.advance(days=1)
    store.close()
    assert "failtui doctor --restore" in str(error.value)
    assert [b.path for b in list_backups(folder)] == good[::-1]
    assert find_backup(data_home, None) == good[-1]
    runner = CliRunner()
    doctor = runner.invoke(cli, ["doctor"])
    assert doctor.exit_code == 1
    assert f"the newest good backup, {good[-1].name}" in doctor.output
    plain = runner.invoke(cli, ["drill", "--plain", "--limit", "1"], input="")
    assert "WARNING:" in plain.output and "is damaged" in plain.output
    restored = runner.invoke(cli, ["doctor", "--restore"])
    assert restored.exit_code == 0, restored.output
    assert f"from {good[-1].name}" in restored.output
    assert runner.invoke(cli, ["doctor"]).exit_code == 0


def test_restore_skips_damaged_newer_backups_and_says_so(store, data_home, clock):
    """Backups that an older failtui took of a damaged file: the newest good one is chosen."""
    fill(store)
    folder = backups_dir(data_home)
    taken = daily_backups(store, clock, folder, 4)
    for bad in taken[2:]:
        corrupt_a_page(bad)
    store.close()
    result = CliRunner().invoke(cli, ["doctor", "--restore"])
    assert result.exit_code == 0, result.output
    assert f"from {taken[1].name}" in result.output
    assert result.output.count("Skipped failtui-") == 2


def test_pruning_never_deletes_the_last_good_backup(store, data_home, clock):
    fill(store)
    folder = backups_dir(data_home)
    taken = daily_backups(store, clock, folder, 5)
    for bad in taken[2:]:
        corrupt_a_page(bad)  # the three newest are damaged
    removed = prune(folder, 2)
    kept = {b.path for b in list_backups(folder)}
    assert kept == {taken[4], taken[3], taken[1]}  # the newest good one survives
    assert set(removed) == {taken[2], taken[0]}


async def test_the_app_checks_after_the_first_frame_and_says_loudly_when_damaged(
    app_factory, data_home, clock
):
    data_home.mkdir(parents=True)
    path = data_home / "failtui.db"
    store = open_db(path)
    fill(store)
    rate_one(store, clock)
    store.close()
    # The page of the answer: the start-up path reads the settings and the counts, not answers.
    corrupt_a_page(path, holding=b"I learned to ask for help early.")
    app = app_factory()
    assert app.backup_job is None  # nothing on the start-up path
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.backup_job.join()
        await pilot.pause()
        (note,) = [n for n in app._notifications if n.title == "Your database is damaged"]
        assert note.severity == "error" and note.timeout >= 3600
        # No backup exists yet, so the note does not send the user to restore one.
        assert note.message.endswith(
            "It was not copied, and there is no backup yet to put back. Run 'failtui doctor' "
            "to see the damage."
        )
    assert not list_backups(backups_dir(data_home))


def test_the_damage_message_promises_a_restore_only_when_there_is_a_backup(tmp_path):
    path = tmp_path / "failtui.db"
    assert backup.damaged_message(path, ["page 3 is bad", "page 4 is bad"], False) == (
        f"{path} is damaged (page 3 is bad and 1 more). It was not copied, and there is no "
        "backup yet to put back. Run 'failtui doctor' to see the damage."
    )
    assert backup.damaged_message(path, ["page 3 is bad"], True) == (
        f"{path} is damaged (page 3 is bad). No backup was taken, so your good backups are "
        "kept. Run 'failtui doctor' to see it, then 'failtui doctor --restore' to put back the "
        "newest good backup (the damaged file is kept aside)."
    )


STRAY = [
    "failtui-20261399T000000Z.db",  # month 13
    "failtui-20260230T000000Z.db",  # 30 February
    "failtui-99999999T999999Z.db",
    "failtui-00000101T000000Z.db",  # year 0
    "failtui-20261123T120000Z-99999999999999999999.db",
    "failtui-.db",
    "notes.txt",
    ".hidden",
]


@pytest.mark.parametrize("kind", ["file", "folder", "fifo", "symlink"])
def test_stray_and_future_dated_files_stop_nothing(store, data_home, clock, kind):
    folder = backups_dir(data_home)
    folder.mkdir(exist_ok=True)
    for name in STRAY:
        target = folder / name
        if kind == "file":
            target.write_text("stray")
        elif kind == "folder":
            target.mkdir()
        elif kind == "fifo":
            os.mkfifo(target)
        else:
            target.symlink_to("/dev/zero")
    # A clock that was ahead by years, and a FIFO and a folder under valid backup names.
    future = [folder / f"failtui-{year}0101T000000Z.db" for year in (2030, 2031, 9999)]
    for path in future:
        path.write_bytes(b"")
        sqlite3.connect(path).close()
    os.mkfifo(folder / "failtui-20261120T000000Z.db")
    (folder / "failtui-20261121T000000Z.db").mkdir()
    rate_one(store, clock)
    queries.set_setting(store, "backups_keep", 2)
    new = backup_if_due(store, folder, clock())
    assert new is not None  # the future-dated ones did not make it wait
    listed = list_backups(folder, clock())
    assert listed[0].path == new  # not picked as the newest
    assert [b.future for b in listed] == [False, True]  # pruned down to 2: the oldest future
    clock.advance(days=1, minutes=1)
    rate_one(store, clock)
    newer = backup_if_due(store, folder, clock())
    assert [b.path for b in list_backups(folder, clock())] == [newer, new]  # new ones stay
    runner = CliRunner()
    for command in (["doctor", "--list"], ["doctor"], ["stats"], ["drill", "--plain"]):
        result = runner.invoke(cli, command, input="")
        assert result.exit_code == 0, (command, result.output)
        assert "Traceback" not in result.output
    assert find_backup(data_home, None, clock()) == newer
    for name in STRAY:
        assert os.path.lexists(folder / name)  # never deleted: not failtui's


async def test_the_app_starts_and_backs_up_beside_stray_files(app_factory, data_home, clock):
    folder = backups_dir(data_home)
    folder.mkdir(parents=True)
    for name in STRAY:
        (folder / name).write_text("stray")
    os.mkfifo(folder / "failtui-20261120T000000Z.db")
    (folder / "failtui-20991231T235959Z.db").write_text("from a clock that was ahead")
    store = open_db(data_home / "failtui.db")
    rate_one(store, clock)
    store.close()
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.backup_job.join()
        await pilot.pause()
        assert not app._notifications  # nothing to say: the backup was taken
    newest = list_backups(folder, clock())[0]
    assert newest.taken_at == clock() and not newest.future


def test_the_background_backup_is_a_checked_full_copy_made_with_small_caches(
    store, data_home, clock, monkeypatch
):
    fill(store)
    rate_one(store, clock)
    caches = []
    real_small_cache = backup._small_cache

    def small_cache(conn):
        real_small_cache(conn)
        caches.append(
            (
                conn.execute("PRAGMA cache_size").fetchone()[0],
                conn.execute("PRAGMA mmap_size").fetchone()[0],
            )
        )

    monkeypatch.setattr(backup, "_small_cache", small_cache)
    said = []
    folder = backups_dir(data_home)
    backup.backup_in_background(
        data_home / "failtui.db", folder, clock(), lambda *message: said.append(message)
    ).join()
    # The reading connection and the copy's own: both a 256 KiB cache, no memory map.
    assert caches == [(-256, 0), (-256, 0)]
    assert said == []
    (taken,) = list_backups(folder)
    assert backup.backup_problem(taken.path) is None  # the full integrity check
    assert list(folder.iterdir()) == [taken.path]  # no partial copy left beside it
    copy = sqlite3.connect(taken.path)
    try:
        assert list(copy.iterdump()) == list(store.conn.iterdump())  # every table, every row
    finally:
        copy.close()
