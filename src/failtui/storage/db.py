"""Open the database safely and run write transactions that work with a second writer.

Every write goes through :meth:`Store.write`, which starts with ``BEGIN IMMEDIATE`` so a second
process waits (up to the busy timeout) instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from failtui import locations

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The migration set failtui records in sqlite-utils' ``_sqlite_migrations`` table.
MIGRATION_SET = "failtui"
#: Every migration in ``failtui.storage.migrations``, in order (a test keeps the two equal). An
#: up-to-date database is recognised from this list with one query, so opening it does not
#: import sqlite-utils, which costs tens of milliseconds at start-up.
KNOWN_MIGRATIONS = (
    "0001_initial",
    "0002_statistics",
    "0003_statistics_indexes",
    "0004_corrections",
    "0005_answer_key_points_per_card",
    "0006_interview_day",
    "0007_home_counts",
    "0008_remembered_dismissals",
    "0009_forgotten_dismissals",
    "0010_followup_drafts",
)

#: The first bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: How long a writer waits for another process's transaction, in milliseconds.
BUSY_TIMEOUT_MS = 10_000
#: What SQLite says of a damaged file (``sqlite3_errstr(SQLITE_CORRUPT)``), the words a damaged
#: page met half-way through a query gives.
DAMAGED_FILE = "database disk image is malformed"
#: ``PRAGMA application_id`` of a failtui database ("FAIL"): how failtui knows its own files.
APPLICATION_ID = 0x4641494C


class DatabaseError(Exception):
    """The database cannot be used; the message names the file and what to do."""


class WriteError(DatabaseError):
    """A write failed and was rolled back; the message names the file and the reason."""


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
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

        Raises:
            WriteError: the write could not be made (disk full, read-only file or folder, I/O
                error, another process busy too long). Nothing of it was stored.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise WriteError(self._write_failure(exc)) from None
        try:
            yield self.db
            self.conn.execute("COMMIT")
        except BaseException as exc:
            # A failed COMMIT (disk full) leaves the transaction open: end it here.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise WriteError(self._write_failure(exc)) from None
            raise

    def _write_failure(self, exc: sqlite3.OperationalError) -> str:
        text = str(exc)
        if "full" in text:
            reason = "the disk is full"
        elif "readonly" in text or "read-only" in text:
            reason = "the database or its folder is read-only"
        elif "locked" in text or "busy" in text:
            reason = f"another failtui kept the database busy for {BUSY_TIMEOUT_MS // 1000} s"
        else:
            reason = text
        return f"{self.path or 'the database'}: not saved, {reason}"

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read query and return its rows (``sqlite3.Row``, indexable by name)."""
        cursor = self.conn.execute(sql, params)
        return cursor.fetchall()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def check_database(store: Store) -> list[str]:
    """The problems ``PRAGMA quick_check`` finds in the open database (empty when it is fine)."""
    try:
        rows = [row[0] for row in store.query("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:  # damage bad enough that the check itself stops
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def refuse_damaged(store: Store) -> None:
    """Before a write that may touch no damaged page (a setting), refuse a damaged file as a
    damaged page met half-way through a query refuses it: the write would change the file that
    ``failtui doctor`` is to check and restore, while every other command stops.

    Raises:
        sqlite3.DatabaseError: ``PRAGMA quick_check`` finds damage; the front ends say so in
            one line that points to ``failtui doctor``, as for any damaged page.
    """
    if check_database(store):
        raise sqlite3.DatabaseError(DAMAGED_FILE)


def open_db(path: Path | str) -> Store:
    """Open (creating if needed) the failtui database at ``path`` and bring its schema up to date.

    ``":memory:"`` opens a private in-memory database, for tests. A second process opening the
    same file at the same moment waits for the first (up to the busy timeout).

    Raises:
        DatabaseError: the file is not a failtui database, is damaged or truncated, was written
            by a newer failtui, or its folder cannot be written. The file is left untouched.
    """
    if str(path) == ":memory:":
        return _open(":memory:", memory=True)
    path = Path(path)
    _finish_interrupted_restore(path)
    if path.exists():
        _check_existing(path)
    try:
        _create_private(path)
    except OSError as exc:
        raise DatabaseError(_unwritable(path, exc.strerror or str(exc))) from None
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return _open(path, memory=False)
        except _Busy:
            # Two processes creating or migrating the file at once: SQLite reports "locked"
            # without waiting in a few of these steps (changing the journal mode), so wait here.
            if time.monotonic() > deadline:
                raise DatabaseError(
                    f"{path}: another failtui has kept the database busy for "
                    f"{BUSY_TIMEOUT_MS // 1000} seconds. Close it and try again."
                ) from None
            time.sleep(0.02)


def open_reader(path: Path) -> Store:
    """A second, read-only connection to an open database, for a thread of its own.

    One connection is not to be shared between threads: the app may close its own while a
    thread still reads (closing a connection under a running query crashes the process).
    """
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    conn.row_factory = sqlite3.Row
    return Store(conn, Path(path))


def _finish_interrupted_restore(path: Path) -> None:
    """Finish (or clean up after) a ``doctor --restore`` that was killed part-way."""
    if not (
        os.path.lexists(locations.restore_incoming(path))
        or os.path.lexists(locations.restore_ready_marker(path))
    ):
        return  # the usual case: nothing to do, and the restore code is not imported
    from failtui.storage.restoring import RestoreError, finish_interrupted_restore

    try:
        finish_interrupted_restore(path)
    except RestoreError as exc:
        raise DatabaseError(str(exc)) from None


class _Busy(Exception):
    """Another connection holds a lock SQLite would not wait for; try again."""


def _is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _unwritable(path: Path, reason: str) -> str:
    return (
        f"{path}: cannot write to {path.parent} ({reason}). Check that the folder exists, is "
        "yours and writable, and that the disk is not full; or choose another with --home."
    )


def _check_existing(path: Path) -> None:
    """Refuse a file that is not SQLite, is truncated, or comes from a newer failtui.

    Everything here only reads: the header by hand, then the schema over a read-only connection
    (which, unlike a read-write one, never checkpoints a WAL into the file on close). With a
    non-empty WAL beside it the file is left to SQLite, which replays the WAL when it opens.
    """
    damaged = (
        f"{path}: not a usable failtui database ({{}}). The file was not changed. Run "
        "'failtui doctor --restore' to put back the newest backup (the file is kept aside)."
    )
    try:
        with path.open("rb") as file:
            # The size before the header: another failtui may be writing a new file's first
            # page right now, and an empty read followed by a later size looked damaged.
            size = os.fstat(file.fileno()).st_size
            header = file.read(100)
        wal = path.with_name(path.name + "-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read the database ({exc.strerror or exc}).") from None
    if size == 0:
        if locations.has_backups(path.parent):
            # Backups are only taken of a database with the user's data: this file lost it
            # (a crash or a full disk while it was copied), and a new one would hide that.
            raise DatabaseError(damaged.format("it is empty, but backups of it exist"))
        return  # created empty by failtui, killed before the schema was written
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(damaged.format("it is not an SQLite database"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_size_valid = header[24:28] == header[92:96]
    # With a non-empty WAL the file may lag behind its header until SQLite replays the WAL.
    if header_size_valid and wal_size == 0 and size < pages * page_size:
        raise DatabaseError(
            damaged.format(f"it is truncated: {size:,} of {pages * page_size:,} bytes")
        )
    if wal_size:
        return  # another failtui is writing, or one crashed: the read-write open replays the WAL
    try:
        # immutable: no -wal or -shm file is created next to a file that may not be ours.
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(damaged.format(exc)) from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        applied = _applied_migrations(conn)
        _refuse_foreign(path, conn)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(damaged.format(exc)) from None
    finally:
        conn.close()
    _refuse_newer(path, applied)


def foreign_reason(conn: sqlite3.Connection) -> str | None:
    """Why an SQLite database is not failtui's, or None when it is (or is new and empty).

    A failtui database carries :data:`APPLICATION_ID`; one made before that was set is known by
    its failtui migrations. Anything else (another program's database, any other file that
    passes the integrity check) is foreign: failtui never writes to it. Only reads.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return None
    if app_id != 0:
        return f"it belongs to another program (application id {app_id:#x})"
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if not tables:
        return None  # an empty database: failtui's own, created and killed before its schema
    if _applied_migrations(conn):
        return None
    return "it is an SQLite database of another program (no failtui schema in it)"


def _refuse_foreign(path: Path | str, conn: sqlite3.Connection) -> None:
    reason = foreign_reason(conn)
    if reason is not None:
        raise DatabaseError(
            f"{path}: not a failtui database ({reason}). The file was not changed; move it "
            "away, or choose another data folder with --home."
        )


def _refuse_newer(path: Path | str, applied: set[str]) -> None:
    """Raise if the file records migrations this failtui does not know."""
    newer = applied - set(KNOWN_MIGRATIONS)
    if newer:
        raise DatabaseError(
            f"{path}: written by a newer failtui (schema {sorted(newer)[-1]}). The file was not "
            "changed: upgrade failtui to open it."
        )


def _open(path: Path | str, *, memory: bool) -> Store:
    conn = None
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            # Before anything writes (even the journal mode is a header write): refuse a file
            # that is not failtui's, for example one whose WAL kept it from the check above.
            _refuse_foreign(path, conn)
            conn.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL keeps every committed transaction through a process crash.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        store = Store(conn, None if memory else Path(path))
        _migrate(store, path)
        _mark_as_ours(store)
        return store
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        if _is_busy(exc):
            raise _Busy() from None
        if "readonly" in str(exc) or "unable to open" in str(exc) or "disk" in str(exc):
            raise DatabaseError(_unwritable(Path(path), str(exc))) from None
        raise DatabaseError(
            f"{path}: not a usable failtui database ({exc}). Run 'failtui doctor --restore' to "
            "put back the newest backup (the file is kept aside)."
        ) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _mark_as_ours(store: Store) -> None:
    """Set failtui's application id on a database made before failtui set it (once)."""
    if store.query("PRAGMA application_id")[0][0] == APPLICATION_ID:
        return
    # A read-only file cannot take it now: it is set the next time the file can be written.
    with contextlib.suppress(WriteError), store.write():
        store.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only (SQLite would use the umask).

    Never through a symlink planted under the name, and never over a file made meanwhile.
    """
    if os.path.lexists(path):
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return  # another failtui created it at the same moment
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
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path}: cannot read the failtui schema ({exc}). Move the file aside or restore a "
            "backup with 'failtui doctor --restore'."
        ) from None
    _refuse_newer(path, applied)
    if applied >= known:
        return
    from failtui.storage.migrations import migrations

    # The pending list is read again inside the transaction: another process may have just
    # applied the same migrations.
    with store.write():
        migrations.apply(store.db)


def schema_version() -> str:
    """The name of the newest migration this failtui knows."""
    return f"{MIGRATION_SET}:{KNOWN_MIGRATIONS[-1]}"
