"""Keeping what is typed in an answer box as a draft: the drill's answer, the follow-up's answer.

The promise (README, "What you type is kept"): a draft is saved within two seconds of the last
keystroke and whenever the box leaves the screen, so a crash or ``ctrl+q`` loses at most the
last two seconds of typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

if TYPE_CHECKING:
    from failtui.ui.screens.base import FailtuiScreen

#: The draft is saved this long after the last keystroke (the promise is "within two seconds").
DRAFT_DELAY = 1.5


class DraftKeeper:
    """Saves the text of one answer box through ``store`` (a session's draft saver).

    The screen calls :meth:`changed` on each edit, :meth:`loaded` when it puts a saved text in
    the box, and :meth:`save` when the text leaves the screen. A save that fails (disk full,
    read-only) is told once as "Not saved ... ``what``"; the text stays in the box and is saved
    at the next pause in typing.
    """

    def __init__(
        self,
        screen: FailtuiScreen,
        what: str,
        text: Callable[[], str],
        store: Callable[[str], None],
    ):
        self.screen = screen
        self.what = what
        self.text = text
        self.store = store
        self._timer: Timer | None = None
        self._dirty = False
        self._failing = False  # the last save failed (told once)

    def changed(self) -> None:
        """The text was edited: save it once typing pauses for :data:`DRAFT_DELAY`."""
        self._dirty = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(DRAFT_DELAY, self.save)

    def loaded(self) -> None:
        """The box now holds a text that is already saved."""
        self._dirty = self._failing = False

    def save(self) -> bool:
        """Store the text if it changed since the last save; False when it could not be."""
        if not self._dirty:
            return True
        was_failing, self._failing = self._failing, True
        with self.screen.app.storage_errors(self.what, quiet=was_failing):
            self.store(self.text())
            self._dirty = self._failing = False
        return not self._dirty
