"""Bindings every screen shares: Help comes first in each footer.

Where ``?`` is typed text (the answer box, the forms, a filter) ``f1`` opens the help instead,
and ``?`` is bound hidden (or shown only while no field has the focus) so the footer shows one
Help key only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.binding import Binding

_Action = TypeVar("_Action", bound=Callable[..., Any])

HELP = Binding("question_mark", "app.help", "Help", key_display="?")
HELP_F1 = Binding("f1", "app.help", "Help")
QUESTION_MARK_HIDDEN = Binding("question_mark", "app.help", "Help", show=False)
#: Help on a screen with a filter to type in: ``?`` there is typed text, and Textual's footer
#: leaves out a key the focused field takes, so ``f1`` is bound too. The footer shows one key
#: per action, the first active one: ``?``, or ``f1`` while a field has the focus.
HELP_WITH_FILTER = [HELP, HELP_F1]

#: Tab and shift+tab in forms, as priority bindings: the app then moves focus as it reads the
#: key, so a key typed straight after Tab goes to the new field. Left to the field, Tab is
#: queued to it and the next key, handed on before the field has moved focus, lands in the
#: field being left.
FORM_TAB_BINDINGS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]


#: PageUp and PageDown as a screen's keys to scroll what it shows, named once in its footer
#: (``pgup pgdn Scroll``). Priority bindings: the focused list or table would take them
#: otherwise, and the footer leaves out a key a focused widget takes. The screen defines
#: ``action_scroll_page(direction)``, ``"up"`` or ``"down"``.
SCROLL_GROUP = Binding.Group("Scroll")
SCROLL_PAGE_BINDINGS = [
    Binding(
        "pageup",
        "scroll_page('up')",
        "Page up",
        key_display="pgup",
        priority=True,
        group=SCROLL_GROUP,
    ),
    Binding(
        "pagedown",
        "scroll_page('down')",
        "Page down",
        key_display="pgdn",
        priority=True,
        group=SCROLL_GROUP,
    ),
]


def help_first(bindings: dict) -> dict:
    """The active bindings with the Help key(s) moved to the front (for the footer)."""
    first = {k: b for k, b in bindings.items() if b.binding.action in ("app.help", "help")}
    return first | {k: b for k, b in bindings.items() if k not in first}


def after_typed_keys(action: _Action) -> _Action:
    """Run a screen's save or submit action after the keys typed before its key.

    ``ctrl+s`` is a priority binding, handled as the app reads it; keys typed just before it in
    one burst may still wait in the focused field's queue, and the answer or form would be read
    without them. The action is queued behind them in that field instead.
    """

    @functools.wraps(action)
    def queued(screen: Any, *args: Any) -> None:
        (screen.focused or screen).call_later(action, screen, *args)

    return queued  # type: ignore[return-value]
