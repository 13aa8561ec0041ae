"""The ``failtui`` command's entry point: a plain ``failtui`` opens the app straight away.

``failtui`` and ``failtui --home DIR`` are the runs whose speed a user feels, so they start
the app without importing click and the command modules; everything else (and any error)
goes through the click command line in :mod:`failtui.cli`. A new subcommand is added there
and needs nothing here.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path


def plain_run(args: list[str]) -> tuple[bool, str | None]:
    """(whether ``args`` only open the app, the ``--home`` they give or None)."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--home":
        return True, args[1] or None
    if len(args) == 1 and args[0].startswith("--home="):
        return True, args[0].removeprefix("--home=") or None
    return False, None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``failtui`` console script."""
    args = sys.argv[1:] if argv is None else list(argv)
    plain, home = plain_run(args)
    if plain:
        from failtui import locations
        from failtui.studyday import LATEST_SANE_CLOCK, utc_now

        try:
            data_dir = locations.data_dir(home)
        except Exception:
            data_dir = None
        if data_dir is not None and utc_now() < LATEST_SANE_CLOCK:
            _open_app(data_dir, args)
            return
    from failtui.cli import main as cli_main

    cli_main(args)


def _open_app(data_dir: Path, args: list[str]) -> None:
    """Start the app, the cycle collector paused until home's first frame."""
    # Python's cycle collector would run dozens of times while Textual and the app are
    # imported and home is built, and find next to nothing: what is made then lives as long
    # as the app. It is off until home's first frame is drawn (FailtuiApp.after_first_frame
    # turns it back on), and on again on every way out of here.
    gc.disable()
    try:
        _run(data_dir, args)
    finally:
        gc.enable()


def _run(data_dir: Path, args: list[str]) -> None:
    """Start the app; a problem opening it goes to the command line, which explains it."""
    from failtui.storage.db import DatabaseError

    try:
        from failtui.ui.app import make_app

        app = make_app(data_dir=data_dir)
    except (DatabaseError, OSError, ImportError, ValueError):
        from failtui.cli import main as cli_main

        gc.enable()
        cli_main(args)  # opens it again, and turns the problem into one "Error:" line
        return
    from failtui.app_runner import run_app

    try:
        run_app(app)
    except Exception as exc:
        from click import ClickException

        from failtui.cli_common import explain

        error = exc if isinstance(exc, ClickException) else explain(exc, lambda: data_dir)
        if error is None:
            raise
        error.show()
        sys.exit(1)
