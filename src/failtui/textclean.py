"""Cleaning of user text (deck files, answers) before it is stored or shown."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters except tab and newline, DEL, and the Unicode bidi overrides that can
# make stored text display differently from what it says.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Terminal escape sequences, whole: CSI ("\x1b[31m", also as the one-byte C1 CSI), OSC
# ("\x1b]0;title" ended by BEL or ST, or by the end of the text) and two-character ones
# ("\x1bM"). Only their ESC is a control character: left to _CONTROL, "[31m" would stay.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
)


def clean_text(text: str) -> str:
    """Return ``text`` with terminal escape sequences and control characters other than tab
    and newline removed.

    ``\\r\\n`` and lone ``\\r`` become ``\\n`` so nothing typed is lost, only its line ends change.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE.sub("", text))


def is_empty_answer(text: str) -> bool:
    """Whether an answer (or a draft of one) says nothing: it is empty, or only spaces, tabs and
    newlines. A blank answer is an empty one everywhere: not graded by ``failtui grade``, shown
    as "no answer" with the card's guidance, stored empty, never kept as a draft."""
    return not text.strip()


def one_line(text: str, width: int) -> str:
    """``text`` on one line (each run of spaces and line breaks one space) of at most ``width``
    terminal cells, cut with "…" when longer.

    For a title someone wrote by hand in a file, so it cannot push the columns beside it off
    the screen. A wide character (CJK, most emoji) takes two cells.
    """
    line = " ".join(text.split())
    cells = 0
    for index, char in enumerate(line):
        cells += _cells(char)
        if cells > width:
            cut, used = line[:index], cells - _cells(char)
            while cut and used > width - 1:  # room for the "…"
                used -= _cells(cut[-1])
                cut = cut[:-1]
            return cut.rstrip() + "…"
    return line


# Counted here rather than with rich.cells: this module sits below the layers that may import
# rich (the import-linter contracts in pyproject.toml).
def _cells(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
