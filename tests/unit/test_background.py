"""The app's background work shortens the thread switch interval only while it runs."""

import sys
import threading

import pytest

from failtui.ui.background import (
    BACKGROUND_SWITCH_INTERVAL,
    behind_the_screen,
    short_switch_interval,
)


def test_the_interval_is_short_while_work_runs_and_restored_after():
    before = sys.getswitchinterval()
    seen = []
    behind_the_screen(lambda: seen.append(sys.getswitchinterval()))()
    assert seen == [BACKGROUND_SWITCH_INTERVAL]
    assert sys.getswitchinterval() == before


def test_overlapping_work_restores_the_interval_only_when_the_last_one_ends():
    before = sys.getswitchinterval()
    first_inside = threading.Event()
    release_first = threading.Event()
    during = []

    def first():
        with short_switch_interval():
            first_inside.set()
            release_first.wait(5)

    worker = threading.Thread(target=first)
    worker.start()
    assert first_inside.wait(5)
    with short_switch_interval():
        during.append(sys.getswitchinterval())
    during.append(sys.getswitchinterval())  # the first is still running
    release_first.set()
    worker.join(5)
    assert during == [BACKGROUND_SWITCH_INTERVAL, BACKGROUND_SWITCH_INTERVAL]
    assert sys.getswitchinterval() == before


def test_work_that_fails_still_restores_the_interval():
    before = sys.getswitchinterval()

    def broken():
        raise ValueError("parse failed")

    with pytest.raises(ValueError, match="parse failed"):
        behind_the_screen(broken)()
    assert sys.getswitchinterval() == before
