"""Cleaning of user text (deck files, answers) before it is stored or shown."""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline, DEL, and the Unicode bidi overrides that can
# make stored text display differently from what it says.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Return ``text`` with control characters other than tab and newline removed.

    ``\\r\\n`` and lone ``\\r`` become ``\\n`` so nothing typed is lost, only its line ends change.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)
