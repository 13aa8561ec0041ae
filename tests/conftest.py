"""Shared fixtures: every test gets its own data dir and a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from failtui.models import Deck, DeckError

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


@pytest.fixture(autouse=True, scope="session")
def builtin_decks_parsed_once() -> Iterator[None]:
    """Parse each built-in deck once per run, not once per test that loads the decks.

    Most tests load the built-in decks (every catalog and every new app does), each time
    parsing the same files. A deck parses to frozen dataclasses, so one parse of the same text,
    path and limits serves every test without sharing anything a test could change.
    Only built-in decks are kept (user decks and generated ones are parsed every time), and the
    parser's own tests call ``parse_deck`` as imported, which this leaves as it is.
    """
    from failtui.decks import items, reader

    parse = reader.parse_deck
    parsed: dict[tuple[object, ...], Deck] = {}

    def parse_deck(
        text: str,
        path: Path,
        *,
        builtin: bool = False,
        every_problem: bool = False,
        warnings: list[DeckError] | None = None,
    ):
        if not builtin or warnings is not None:
            return parse(
                text, path, builtin=builtin, every_problem=every_problem, warnings=warnings
            )
        limits = (reader.MAX_CARDS, reader.MAX_NESTING, items.MAX_WEIGHT)
        key = (text, path, every_problem, limits)
        if key not in parsed:
            parsed[key] = parse(text, path, builtin=True, every_problem=every_problem)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "parse_deck", parse_deck)
        yield


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FAILTUI_HOME at a fresh folder so no test touches the user's real data."""
    home = tmp_path / "home"
    monkeypatch.setenv("FAILTUI_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def migrated_db_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The file of a database with every migration applied and no rows, made once per run."""
    from failtui.storage import open_db

    path = tmp_path_factory.mktemp("migrated") / "failtui.db"
    open_db(path).close()
    # Closing the only connection checkpoints the WAL into the file and removes it, so the
    # file alone is the whole database.
    assert not path.with_name(path.name + "-wal").exists()
    return path.read_bytes()


@pytest.fixture(scope="session")
def copy_migrated_db(migrated_db_bytes: bytes) -> Callable[[Path], Path]:
    """Put a copy of the migrated database at a path, as failtui would create it there.

    For tests that only need a working store: opening the copy skips the migrations, which
    every first run pays. Tests of the first run, migrations, damaged or old databases, the
    doctor and restores start from nothing instead. Each call writes a file of its own.
    """

    def copy(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Private and never over an existing file, as failtui creates its database.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(migrated_db_bytes)
        return path

    return copy


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
