"""A database that is not one, is truncated, or is from a newer failtui: clear error, untouched.

Every command that opens the database says which file, what is wrong and what to do, exits
non-zero, and leaves the file byte for byte as it was (checked with a hash).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from failtui.storage import DatabaseError, open_db, queries


def make_real_database(path):
    """A database with a few hundred rows, so it has many pages, checkpointed and closed."""
    store = open_db(path)
    for n in range(300):
        queries.set_setting(store, f"key-{n}", "x" * 200)
    store.close()


def not_a_database(path):
    path.write_bytes(b"this is my shopping list, not a database\n" * 40)


def random_bytes(path):
    path.write_bytes(os.urandom(8192))


def truncated(path):
    make_real_database(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def header_only(path):
    make_real_database(path)
    path.write_bytes(path.read_bytes()[:60])


def newer_schema(path):
    make_real_database(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('failtui', '9999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


BAD_FILES = [not_a_database, random_bytes, truncated, header_only, newer_schema]
#: Every command that opens the database; `failtui` alone and `drill` start the TUI.
COMMANDS = [[], ["drill"], ["drill", "--plain"]]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("make_bad", BAD_FILES, ids=lambda f: f.__name__)
def test_open_db_refuses_without_writing(tmp_path, make_bad):
    path = tmp_path / "failtui.db"
    make_bad(path)
    before = digest(path)
    with pytest.raises(DatabaseError) as error:
        open_db(path)
    message = str(error.value)
    assert str(path) in message
    if make_bad is newer_schema:
        assert "newer failtui" in message and "upgrade failtui" in message
    else:
        assert "failtui doctor --restore" in message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failtui.db"]  # no -wal, no -shm


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "failtui")
@pytest.mark.parametrize("make_bad", BAD_FILES, ids=lambda f: f.__name__)
def test_commands_say_what_and_where_and_exit_nonzero(data_home, make_bad, command):
    data_home.mkdir(parents=True)
    path = data_home / "failtui.db"
    make_bad(path)
    before = digest(path)
    result = CliRunner().invoke(cli, command, input="")
    assert result.exit_code == 1, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert str(path) in line
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert digest(path) == before


def test_a_good_database_still_opens_after_all_that(tmp_path):
    path = tmp_path / "failtui.db"
    make_real_database(path)
    store = open_db(path)
    assert queries.get_setting(store, "key-299") == "x" * 200
    store.close()


def test_an_empty_file_beside_backups_is_refused_not_made_new(data_home):
    """An empty file where the database was (a crash or a full disk while it was copied) is
    refused while backups of the real one exist: a new database would hide the loss, and its
    own daily backups would later push the good ones out."""
    data_home.mkdir(parents=True)
    path = data_home / "failtui.db"
    make_real_database(path)
    (data_home / "backups").mkdir()
    (data_home / "backups" / "failtui-20261201T080000Z.db").write_bytes(path.read_bytes())
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["stats"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {path}: not a usable failtui database (it is empty, but backups of it exist). "
        "The file was not changed. Run 'failtui doctor --restore' to put back the newest backup "
        "(the file is kept aside).\n",
    )
    assert path.read_bytes() == b""
    restored = CliRunner().invoke(cli, ["doctor", "--restore"])
    assert restored.exit_code == 0, restored.output
    store = open_db(path)
    assert queries.get_setting(store, "key-299") == "x" * 200
    store.close()


def test_an_empty_file_with_no_backups_is_a_new_database(tmp_path):
    """failtui creates the file empty before writing its schema: killed in between, it starts
    afresh, as there is nothing to lose."""
    path = tmp_path / "failtui.db"
    path.write_bytes(b"")
    store = open_db(path)
    assert queries.get_setting(store, "anything") is None
    store.close()
