"""Which of the user's stories the daily drill uses: the active one, the others paused.

Several stories may live in the ``my-stories`` deck. The one source of truth is the setting
holding the active story's card key: the drill (:class:`~failtui.session.DrillSession`), the
home counts and the story list all ask :func:`paused_story_keys`, so a story written, renamed or
deleted later is paused or drilled consistently. Nothing is suspended: a story the user paused
by hand (ctrl+g in the drill) stays so, and an active story that no longer exists means every
story is drilled again.
"""

from __future__ import annotations

from collections.abc import Collection

from failtui.storage import home_queries as queries
from failtui.storage.db import Store

ACTIVE_STORY_SETTING = "active_story"


def activate_story(store: Store, active_key: str) -> None:
    """Make ``active_key`` the one story the daily drill uses."""
    queries.set_setting(store, ACTIVE_STORY_SETTING, active_key)


def clear_active_story(store: Store) -> None:
    """Drill every story again: forget the choice."""
    queries.set_setting(store, ACTIVE_STORY_SETTING, None)


def active_story(store: Store, story_keys: Collection[str] | None = None) -> str | None:
    """The card key of the active story, or None when every story is drilled.

    With ``story_keys`` (the stories that exist), an active story that is not among them counts
    as none.
    """
    value = queries.get_setting(store, ACTIVE_STORY_SETTING)
    if not isinstance(value, str):
        return None
    if story_keys is not None and value not in story_keys:
        return None
    return value


def paused_story_keys(store: Store, story_keys: Collection[str]) -> set[str]:
    """The stories the daily drill leaves out: all but the active one (none if none is)."""
    active = active_story(store, story_keys)
    if active is None:
        return set()
    return {key for key in story_keys if key != active}
