"""Running the built Textual app for a console command.

Shared by the plain start (:mod:`failtui.launch`) and the command line (:mod:`failtui.cli`),
and imports neither; click is imported only when there is an error to report, so a plain
``failtui`` reaches its first frame without it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from failtui.ui.app import FailtuiApp


def run_app(app: FailtuiApp) -> None:
    """Run a built app; a fatal problem it met becomes one ``Error:`` line and exit code 1.

    Standard input must be a terminal: the app reads its keys there, and text piped in would
    be typed into the answer while the keyboard went unheard.
    """
    if not sys.stdin.isatty():
        from click import ClickException

        raise ClickException(
            "standard input is not a terminal, and the app reads its keys there; for answers "
            "from a pipe or a file use 'failtui drill --plain'"
        )
    app.run()
    if app.fatal_message:
        from click import ClickException

        raise ClickException(app.fatal_message)
    if app.return_code:
        sys.exit(app.return_code)  # an error the app has already shown
