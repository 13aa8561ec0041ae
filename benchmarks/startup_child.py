"""One start-up measurement, run in a fresh process by ``run.py``.

    python benchmarks/startup_child.py bare
    python benchmarks/startup_child.py failtui DATA_DIR

``bare`` is the reference: a Textual app with a Header, one Static and a Footer. ``failtui`` runs
the real ``failtui --home DATA_DIR`` command line (click, lazy imports, database, decks). Both
run headless and print ``time.time()`` and their peak RSS once the first frame is on screen (for
failtui: once the home screen lists the decks); the parent subtracts the moment it started the
process.
"""

from __future__ import annotations

import sys
import time

from textual.app import App


async def _until_ready(pilot) -> None:
    """Wait for the first frame (and, for failtui, for the deck list), report, and quit."""
    app = pilot.app
    while True:
        await pilot.pause()
        table = _deck_table(app)
        if table is not None and table.row_count > 0:
            break
        if not hasattr(app, "catalog"):  # the bare app: its first frame is all there is
            break
    print(f"READY {time.time():.6f} {_peak_rss_kib()}", flush=True)
    app.exit()


def _peak_rss_kib() -> int:
    """This process's peak resident set so far, in KiB (VmHWM; 0 where /proc is missing).

    Read here rather than from the parent's ``wait4``: a forked child's high-water mark starts
    from the parent's memory, before ``exec`` replaces it.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _deck_table(app):
    from textual.widgets import DataTable

    try:
        return app.screen.query_one("#decks", DataTable)
    except Exception:
        return None


def _run_headless(original):
    def run(self, *args, **kwargs):
        kwargs.update(headless=True, auto_pilot=_until_ready)
        return original(self, *args, **kwargs)

    return run


def main() -> None:
    """Start the app named on the command line."""
    App.run = _run_headless(App.run)
    if sys.argv[1] == "bare":
        from textual.app import ComposeResult
        from textual.widgets import Footer, Header, Static

        class BareApp(App):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("Hello")
                yield Footer()

        BareApp().run()
    else:
        from failtui.cli import main as failtui_main

        sys.argv = ["failtui", "--home", sys.argv[2]]
        failtui_main()


if __name__ == "__main__":
    main()
