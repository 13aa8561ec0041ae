"""Start-up stays light: the home screen's path imports neither the grader nor sqlite-utils."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from failtui.storage import db as storage_db
from failtui.storage import migrations


def test_known_migrations_list_every_migration() -> None:
    # Adding a migration? Add its name to KNOWN_MIGRATIONS in storage/db.py too.
    assert list(storage_db.KNOWN_MIGRATIONS) == [m.name for m in migrations.migrations._migrations]
    assert storage_db.MIGRATION_SET == migrations.MIGRATION_SET


def test_opening_an_up_to_date_database_leaves_out_grader_sqlite_utils_and_backups(
    tmp_path: Path,
) -> None:
    path = tmp_path / "failtui.db"
    storage_db.open_db(path).close()  # created and migrated (sqlite-utils used here)
    code = (
        "import sys\n"
        "from failtui.storage.db import open_db\n"
        "import failtui.session, failtui.stats, failtui.decks.catalog\n"
        f"store = open_db({str(path)!r})\n"
        "store.query('SELECT count(*) FROM card_state')\n"
        "store.close()\n"
        "print(sorted(m for m in ('sqlite_utils', 'rapidfuzz', 'failtui.grading', "
        "'failtui.storage.backup', 'failtui.storage.restoring') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_new_database_is_migrated_and_written_through_sqlite_utils(tmp_path: Path) -> None:
    store = storage_db.open_db(tmp_path / "new.db")
    try:
        assert storage_db._applied_migrations(store.conn) == set(storage_db.KNOWN_MIGRATIONS)
        with store.write() as db:
            db["settings"].insert({"key": "k", "value": "1"})
        assert store.query("SELECT value FROM settings WHERE key = 'k'")[0][0] == "1"
    finally:
        store.close()


def test_the_home_screen_imports_neither_statistics_nor_the_grader() -> None:
    # The overview line comes from failtui.overview; the statistics screen imports the rest.
    code = (
        "import sys\n"
        "import failtui.ui.app, failtui.ui.screens.home\n"
        "print(sorted(m for m in ('failtui.stats', 'failtui.grading', 'rapidfuzz') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_home_screens_first_frame_leaves_out_click_fsrs_and_the_models() -> None:
    # A plain `failtui` goes from failtui.launch to the app and home: none of these is needed
    # before the first frame (a drill imports the session, a deck parse the reader).
    code = (
        "import sys\n"
        "import failtui.launch, failtui.ui.app, failtui.ui.screens.home\n"
        "print(sorted(m for m in ('click', 'fsrs', 'failtui.models', 'failtui.session', "
        "'failtui.decks.reader', 'failtui.storage.queries', 'sqlite_utils', 'tomllib') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_only_a_plain_run_skips_the_command_line() -> None:
    from failtui.launch import plain_run

    assert plain_run([]) == (True, None)
    assert plain_run(["--home", "/tmp/x"]) == (True, "/tmp/x")
    assert plain_run(["--home=/tmp/x"]) == (True, "/tmp/x")
    assert plain_run(["--home", ""]) == (True, None)
    assert plain_run(["--home"]) == (False, None)
    assert plain_run(["--version"]) == (False, None)
    assert plain_run(["drill", "--home", "/tmp/x"]) == (False, None)
    assert plain_run(["--home", "/tmp/x", "stats"]) == (False, None)


def test_a_plain_run_on_a_damaged_database_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "failtui.db").write_text("not a database")
    result = subprocess.run(
        [sys.executable, "-m", "failtui", "--home", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {tmp_path / 'failtui.db'}: not a usable failtui database (it is not an SQLite "
        "database). The file was not changed. Run 'failtui doctor --restore' to put back the "
        "newest backup (the file is kept aside).\n"
    )


def test_home_counts_its_decks_without_fsrs_the_models_or_the_queries(tmp_path: Path) -> None:
    # Run as the app runs, up to home's counts: what the first frame's work imports, not only
    # what importing the modules does. The first run creates the database and the deck index
    # (which needs the models and the reader); the second is every later start.
    code = (
        "import asyncio, sys\n"
        "from failtui.ui.app import make_app\n"
        "from failtui.ui.screens.home import HomeScreen\n"
        "counted = []\n"
        "original = HomeScreen.on_mount\n"
        "def on_mount(self):\n"
        "    original(self)\n"
        "    counted.append(sorted(m for m in ('click', 'fsrs', 'failtui.models', "
        "'failtui.session', 'failtui.decks.reader', 'failtui.storage.queries', "
        "'sqlite_utils', 'tomllib') if m in sys.modules))\n"
        "HomeScreen.on_mount = on_mount\n"
        f"app = make_app(data_dir={str(tmp_path / 'home')!r})\n"
        "async def main():\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "        app.backup_job.join()\n"
        "asyncio.run(main())\n"
        "print(counted)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    assert [(run.returncode, run.stderr) for run in runs] == [(0, ""), (0, "")]
    assert runs[1].stdout == "[[]]\n"


def test_a_plain_run_pauses_the_cycle_collector_only_while_the_app_starts(
    monkeypatch, tmp_path: Path
) -> None:
    import gc

    import failtui.cli
    from failtui import app_runner, launch
    from failtui.storage.db import DatabaseError
    from failtui.ui import app as ui_app

    seen: list[tuple[object, bool]] = []
    monkeypatch.setattr(ui_app, "make_app", lambda data_dir: "the app")
    monkeypatch.setattr(app_runner, "run_app", lambda app: seen.append((app, gc.isenabled())))
    launch._open_app(tmp_path, [])
    assert seen == [("the app", False)]  # the app turns it back on after its first frame
    assert gc.isenabled()

    def crash(app: object) -> None:
        raise RuntimeError("the app crashed")

    monkeypatch.setattr(app_runner, "run_app", crash)
    with pytest.raises(RuntimeError, match="the app crashed"):
        launch._open_app(tmp_path, [])
    assert gc.isenabled()

    def refuse(data_dir: Path) -> None:
        raise DatabaseError("damaged")

    seen.clear()
    monkeypatch.setattr(ui_app, "make_app", refuse)
    monkeypatch.setattr(failtui.cli, "main", lambda args: seen.append((args, gc.isenabled())))
    launch._open_app(tmp_path, ["--home", str(tmp_path)])
    assert seen == [(["--home", str(tmp_path)], True)]  # the command line explains, collecting
    assert gc.isenabled()
