"""Fixtures for driving the app headless: a fixed clock, a private data dir, still cursors."""

from __future__ import annotations

import os
from datetime import UTC

import pytest

from failtui import locations
from failtui.ui.app import make_app
from tests.conftest import Clock

MARKUP_DECK = """id = "markup"
title = "Markup [b]deck[/b]"
description = "Deck text that looks like markup"

[[cards]]
id = "tricky"
kind = "question"
prompt = "Why [/b] and [@click=app.quit]x[/] and [link=http://x]y[/link]?"
answer = "Guidance with [/b] and [@click=app.quit]x[/] and [link=http://x]y[/link]."
tags = ["[red]tag[/red]"]

[[cards.key_points]]
id = "lesson"
label = "Lesson [/b] label"
cues = ["i learned", "[@click=app.quit]x[/]"]
hint = "Hint [link=http://x]y[/link]"

[[cards.red_flags]]
id = "blame"
label = "Blame [@click=app.quit]x[/]"
cues = ["my boss"]
advice = "Advice [/b] here"
"""


@pytest.fixture(autouse=True)
def still_cursors(monkeypatch):
    """Cursors do not blink in these tests, so a snapshot never catches one half-way."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)


def build_app(data_home, clock, **kwargs):
    """The app on a data dir, UTC, the given clock (unless one is passed), no scheduler fuzz."""
    return make_app(
        data_dir=data_home,
        clock=kwargs.pop("clock", clock),
        tz=UTC,
        fuzz=False,
        **kwargs,
    )


@pytest.fixture
def app_factory(data_home, clock, copy_migrated_db):
    """Build the app on the test's data dir, UTC, fixed clock, no scheduler fuzz.

    A data dir without a database gets a copy of the migrated one: these tests need a working
    store, not the first run (which the reliability tests' ``app_factory`` keeps).
    """

    def build(**kwargs):
        db_file = locations.db_path(data_home)
        if not os.path.lexists(db_file):
            copy_migrated_db(db_file)
        return build_app(data_home, clock, **kwargs)

    return build


@pytest.fixture
def markup_deck(data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "markup.toml").write_text(MARKUP_DECK, encoding="utf-8")
    return data_home / "decks" / "markup.toml"


__all__ = ["Clock"]
