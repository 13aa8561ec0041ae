"""Work the app runs in worker threads behind the screen, kept from slowing the screen down."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Python's thread switch interval (s) while background work runs (Python's default is 0.005).
#: A worker holding the interpreter makes the UI thread wait up to one interval for its turn;
#: at half a millisecond a keystroke never waits long enough to be seen.
BACKGROUND_SWITCH_INTERVAL = 0.0005

_lock = threading.Lock()
_users = 0
_saved = 0.005


@contextmanager
def short_switch_interval() -> Iterator[None]:
    """Shorten the thread switch interval while any background work runs, then restore it."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = sys.getswitchinterval()
            sys.setswitchinterval(BACKGROUND_SWITCH_INTERVAL)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                sys.setswitchinterval(_saved)


def behind_the_screen(work: Callable[[], object]) -> Callable[[], None]:
    """``work`` wrapped to run in a worker thread with the short switch interval."""

    def run() -> None:
        with short_switch_interval():
            work()

    return run
