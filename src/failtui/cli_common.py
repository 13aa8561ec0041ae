"""What every ``failtui`` command shares: the ``--home`` option and the data dir it names, the
database it opens, the clock, and the one-line error for a problem no command handled.

Both command modules (:mod:`failtui.cli` and :mod:`failtui.cli_interview`) and the launcher
import this; it imports none of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from failtui import locations
from failtui.safefiles import shown
from failtui.studyday import utc_now

if TYPE_CHECKING:
    from failtui.storage.db import Store

_Command = TypeVar("_Command", bound=Callable[..., Any])

HOME_HELP = "Data directory (default: $FAILTUI_HOME or the platform's user data dir)."


def system_now() -> datetime:
    """The time now, UTC: the one clock of every command (a test sets it here).

    Commands read it, and hand it to the session, the queue and the app they start, rather
    than reading :func:`failtui.studyday.utc_now` themselves.
    """
    return utc_now()


def explain(exc: Exception, data_dir: Callable[[], Path]) -> click.ClickException | None:
    """The one-line error for a problem no command handled itself, or None to let it through.

    ``data_dir`` gives the data dir, for messages that name it.
    """
    from failtui.storage.db import DatabaseError as StoreError  # only on the error path

    if isinstance(exc, StoreError):
        return click.ClickException(str(exc))  # it names the file and what to do
    if isinstance(exc, sqlite3.DatabaseError):
        db = shown(locations.db_path(data_dir()))
        return click.ClickException(
            f"{db}: the database is damaged ({shown(exc)}). Nothing more was written. Run "
            "'failtui doctor' to check it, then 'failtui doctor --restore' to put back the "
            "newest good backup."
        )
    if isinstance(exc, locations.UnsafeDataDir):
        return click.ClickException(str(exc))
    if isinstance(exc, RecursionError):
        return click.ClickException(
            "the input is nested too deeply to be read (nothing was changed)"
        )
    if isinstance(exc, UnicodeError | OverflowError):
        return click.ClickException(f"cannot handle this input: {shown(exc)}")
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else data_dir()
        return click.ClickException(f"{shown(name)}: {shown(exc.strerror or exc)}"[:2000])
    return None


def home_option(func: _Command) -> _Command:
    """Add ``--home DIR`` to a command; a value given here wins over one given to the group."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            ctx.ensure_object(dict)["home"] = value
        return value

    return click.option(
        "--home",
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=remember,
        is_eager=True,
        help=HOME_HELP,
    )(func)


def data_dir_of(ctx: click.Context) -> Path:
    """The data dir chosen by ``--home`` (on the group or the command) or the environment."""
    home = None
    node: click.Context | None = ctx
    while node is not None:
        if node.obj and node.obj.get("home"):
            home = node.obj["home"]
            break
        node = node.parent
    return locations.data_dir(home)


def data_dir_error(exc: Exception, data_dir: Path) -> click.ClickException:
    """The one-line CLI error for a data dir that cannot be used (its database damaged or
    too new, the folder unsafe, or the file system refusing)."""
    if isinstance(exc, FileExistsError) and data_dir.exists() and not data_dir.is_dir():
        return click.ClickException(f"{data_dir}: is a file, not a folder; give a data directory")
    if isinstance(exc, OSError) and not isinstance(exc, locations.UnsafeDataDir):
        return click.ClickException(
            f"{data_dir}: cannot use the data directory: {exc.strerror or exc}"
        )
    return click.ClickException(str(exc))


def open_store(data_dir: Path) -> Store:
    """Open the database of a data dir, turning problems into one-line CLI errors."""
    from failtui.storage.db import DatabaseError, open_db

    try:
        locations.ensure_data_dir(data_dir)
        return open_db(locations.db_path(data_dir))
    except (DatabaseError, locations.UnsafeDataDir, OSError) as exc:
        raise data_dir_error(exc, data_dir) from None
