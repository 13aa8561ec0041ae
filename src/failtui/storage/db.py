"""Open the database safely and run write transactions that work with a second writer.

Every write goes through :meth:`Store.write`, which starts with ``BEGIN IMMEDIATE`` so a second
process waits (up to the busy timeout) instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The migration set failtui records in sqlite-utils' ``_sqlite_migrations`` table.
MIGRATION_SET = "failtui"
#: Every migration in ``failtui.storage.migrations``, in order (a test keeps the two equal). An
#: up-to-date database is recognised from this list with one query, so opening it does not
#: import sqlite-utils, which costs tens of milliseconds at start-up.
KNOWN_MIGRATIONS = ("0001_initial", "0002_statistics")

#: How long a writer waits for another process's transaction, in milliseconds.
BUSY_TIMEOUT_MS = 10_000


class DatabaseError(Exception):
    """The database cannot be used; the message names the file and what to do."""


class Store:
    """An open failtui database: the sqlite-utils handle plus transaction helpers."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self.conn = conn
        self.path = path
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """The sqlite-utils handle on the connection, made on first use (it is imported then)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read query and return its rows (``sqlite3.Row``, indexable by name)."""
        cursor = self.conn.execute(sql, params)
        return cursor.fetchall()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def open_db(path: Path | str) -> Store:
    """Open (creating if needed) the failtui database at ``path`` and bring its schema up to date.

    ``":memory:"`` opens a private in-memory database, for tests.

    Raises:
        DatabaseError: the file is not a failtui database, is damaged, or was written by a newer
            failtui. The file is left untouched.
    """
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        _create_private(path)
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        # Reading the schema first fails fast, without writing, on a file that is not SQLite.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL keeps every committed transaction through a process crash.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path}: not a usable failtui database ({exc}). Move it aside or restore a backup "
            "with 'failtui doctor --restore'."
        ) from None
    store = Store(conn, None if memory else Path(path))
    _migrate(store, path)
    return store


def _create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only (SQLite would use the umask)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _applied_migrations(conn: sqlite3.Connection) -> set[str]:
    """Names of the failtui migrations recorded in the database (read-only)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return set()
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
    )
    return {row[0] for row in rows}


def _migrate(store: Store, path: Path | str) -> None:
    known = set(KNOWN_MIGRATIONS)
    try:
        applied = _applied_migrations(store.conn)
        newer = applied - known
        if newer:
            raise DatabaseError(
                f"{path}: written by a newer failtui (schema {sorted(newer)[-1]}); "
                "upgrade failtui to open it. The file was not changed."
            )
        if applied >= known:
            return
        from failtui.storage.migrations import migrations

        with store.write():
            migrations.apply(store.db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path}: cannot read the failtui schema ({exc}). Move the file aside or restore a "
            "backup with 'failtui doctor --restore'."
        ) from None


def schema_version() -> str:
    """The name of the newest migration this failtui knows."""
    return f"{MIGRATION_SET}:{KNOWN_MIGRATIONS[-1]}"
