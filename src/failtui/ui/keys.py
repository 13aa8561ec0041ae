"""Bindings every screen shares: Help comes first in each footer.

Where ``?`` is typed text (the answer box, the forms) ``f1`` opens the help instead, and ``?``
is bound hidden so the footer shows one Help key only.
"""

from __future__ import annotations

from textual.binding import Binding

HELP = Binding("question_mark", "app.help", "Help", key_display="?")
HELP_F1 = Binding("f1", "app.help", "Help")
QUESTION_MARK_HIDDEN = Binding("question_mark", "app.help", "Help", show=False)


def help_first(bindings: dict) -> dict:
    """The active bindings with the Help key(s) moved to the front (for the footer)."""
    first = {k: b for k, b in bindings.items() if b.binding.action in ("app.help", "help")}
    return first | {k: b for k, b in bindings.items() if k not in first}
