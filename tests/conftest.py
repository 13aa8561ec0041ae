"""Shared fixtures: every test gets its own data dir and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

FIXED_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

SMALLEST_DECK = """id = "my-deck"
title = "My deck"
description = "Cards I wrote"

[[cards]]
id = "first"
kind = "question"
prompt = "Tell me about a time you failed."
answer = "Say what happened, what it cost, what you did and what you learned."
tags = ["mine"]

[[cards.key_points]]
id = "lesson"
label = "What you learned"
cues = ["i learned", "taught me", "what stuck with me"]

[[cards.red_flags]]
id = "blame"
label = "Blaming others"
cues = ["my boss", "not my fault"]
advice = "Own your part; say what you would do differently."
"""


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FAILTUI_HOME at a fresh folder so no test touches the user's real data."""
    home = tmp_path / "home"
    monkeypatch.setenv("FAILTUI_HOME", str(home))
    return home


class Clock:
    """A settable clock for tests."""

    def __init__(self, now: datetime = FIXED_NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        from datetime import timedelta

        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()
