"""Which of the user's stories the daily drill uses: the active one, the others suspended.

Several stories may live in the ``my-stories`` deck. Marking one active suspends the other story
cards (their history stays, and any of them can be made active again); clearing the choice
brings them all back into the drill.
"""

from __future__ import annotations

from collections.abc import Iterable

from failtui.storage import queries
from failtui.storage.db import Store

ACTIVE_STORY_SETTING = "active_story"


def activate_story(store: Store, deck_id: str, story_keys: Iterable[str], active_key: str) -> None:
    """Make ``active_key`` the story the drill uses: unsuspend it, suspend the other stories."""
    for key in story_keys:
        queries.set_card_flags(store, key, deck_id, suspended=key != active_key)
    queries.set_setting(store, ACTIVE_STORY_SETTING, active_key)


def clear_active_story(store: Store, deck_id: str, story_keys: Iterable[str]) -> None:
    """Drill every story again: unsuspend them all and forget the choice."""
    for key in story_keys:
        queries.set_card_flags(store, key, deck_id, suspended=False)
    queries.set_setting(store, ACTIVE_STORY_SETTING, None)


def active_story(store: Store) -> str | None:
    """The card key of the active story, or None when every story is drilled."""
    value = queries.get_setting(store, ACTIVE_STORY_SETTING)
    return value if isinstance(value, str) else None
