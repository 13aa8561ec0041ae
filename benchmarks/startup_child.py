"""One start-up measurement, run in a fresh process by ``run.py``.

    python benchmarks/startup_child.py bare
    python benchmarks/startup_child.py failtui DATA_DIR
    python benchmarks/startup_child.py failtui-drill DATA_DIR

``bare`` is the reference: a Textual app with a Header, one Static and a Footer. ``failtui`` runs
the real ``failtui --home DATA_DIR`` console entry point. Both run headless and print
``time.time()`` of their first frame (for failtui: the first frame in which the home screen
lists the decks with their counts), their peak RSS at that frame, and their peak RSS once
settled; the parent subtracts the moment it started the process. ``failtui-drill`` then parses
every deck, as a drill over all decks does behind its first card, before reporting the peak.
"""

from __future__ import annotations

import asyncio
import sys
import time

from textual.app import App

#: Whether to parse every deck after the first frame (``failtui-drill``).
_PARSE_EVERY_DECK = len(sys.argv) > 1 and sys.argv[1] == "failtui-drill"
#: The moment the first frame showing what counts was rendered, and the peak RSS then.
_FIRST_FRAME: dict[str, float] = {}


def _ready(app) -> bool:
    """Whether the frame being displayed is the one measured."""
    if not hasattr(app, "catalog"):  # the bare app: its first frame is all there is
        return True
    return bool(getattr(app.screen, "deck_rows", None))  # home, its decks counted


def _timed_display(original):
    """Wrap ``App._display``, which every rendered frame reaches (headless: not written out)."""

    def display(self, screen, renderable):
        original(self, screen, renderable)
        if renderable is not None and not _FIRST_FRAME and _ready(self):
            _FIRST_FRAME.update(moment=time.time(), peak_kib=_peak_rss_kib())

    return display


async def _until_ready(pilot) -> None:
    """Wait for the first frame, then for the app to settle; report both, and quit.

    The frame is caught where Textual hands it to the driver, not by waiting for the process
    to go idle (Pilot's pause). Settled means the app's workers and its daily check and backup
    have finished and it has gone idle once; the peak RSS then is the app's real peak at home.
    """
    app = pilot.app
    while not _FIRST_FRAME:
        await asyncio.sleep(0.001)
    await app.workers.wait_for_complete()
    if hasattr(app, "backup_job") and app.store.path is not None:
        while app.backup_job is None:  # started just after the first frame
            await asyncio.sleep(0.001)
        while app.backup_job.is_alive():  # polled: a helper thread would add its own memory
            await asyncio.sleep(0.005)
    if _PARSE_EVERY_DECK:
        app.catalog.parse_decks()
    await pilot.pause()
    print(
        f"READY {_FIRST_FRAME['moment']:.6f} {int(_FIRST_FRAME['peak_kib'])} {_peak_rss_kib()}",
        flush=True,
    )
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


def _run_headless(original):
    def run(self, *args, **kwargs):
        kwargs.update(headless=True, auto_pilot=_until_ready)
        return original(self, *args, **kwargs)

    return run


def main() -> None:
    """Start the app named on the command line."""
    App.run = _run_headless(App.run)
    App._display = _timed_display(App._display)
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
        from failtui.launch import main as failtui_main

        sys.argv = ["failtui", "--home", sys.argv[2]]
        failtui_main()


if __name__ == "__main__":
    main()
