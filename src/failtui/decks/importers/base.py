"""What every import format shares: the result and its problems, a row read from a file, reading
delimited records that may span lines, and reducing Anki's HTML to plain text."""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from failtui.models import Card, KeyPoint, RedFlag
from failtui.safefiles import shown
from failtui.textclean import clean_text

#: Anki's ``#separator:`` names and the characters they stand for.
SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "space": " ",
    "colon": ":",
}
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:br|div|p|span|b|i|u|em|strong|li|ul|ol|font|img|a)\b[^>]*>|</\w+>|&\w+;|&#\d+;", re.I
)


class ImportFailed(Exception):
    """The whole file cannot be imported (unreadable, binary, too large, unknown format)."""


@dataclass(frozen=True)
class ImportProblem:
    """One bad row: the file, its line and what is wrong."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return shown(f"{self.path}:{self.line}: {self.message}")


@dataclass
class ImportResult:
    """The cards read from a file, the rows that could not be read, and the format used.

    ``given`` names, per card id, the card fields its row carried (``prompt``, ``answer``, and
    maybe ``tags``, ``kind``, ``key_points``, ``red_flags``): an update changes only those.
    """

    format: str
    cards: list[Card] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0
    given: dict[str, frozenset[str]] = field(default_factory=dict)
    #: How many of ``cards`` update a card already in the deck (the rest are new).
    updates: int = 0


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BREAKS:
            self._break()

    def _break(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Reduce HTML to plain text: tags dropped, entities decoded, ``<br>``/blocks as line breaks."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass
class Row:
    """One note, record or Q:/A: pair as read from a file, before it becomes a card."""

    line: int
    front: str = ""
    back: str = ""
    tags: tuple[str, ...] = ()
    card_id: str | None = None
    kind: str | None = None
    key_points: tuple[KeyPoint, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    problem: str | None = None
    #: The card fields this row carries (see :attr:`ImportResult.given`).
    given: set[str] = field(default_factory=lambda: {"prompt", "answer"})


def field_text(value: str, html: bool | None) -> str:
    """A field as card text: HTML reduced to text when ``html`` (None: when it looks like HTML)."""
    value = clean_text(value)
    if html is True or (html is None and _LOOKS_LIKE_HTML.search(value)):
        return html_to_text(value)
    return value.strip()


def split_tags(value: str) -> tuple[str, ...]:
    """Tags of CSV and Markdown: words separated by spaces or commas."""
    return tuple(t for t in clean_text(value).replace(",", " ").split() if t)


def split_lines(text: str, *, keep_ends: bool = True) -> Iterator[str]:
    """The lines of ``text`` split on ``"\\n"`` only, one at a time (no list of them all)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        yield text[start:end] + ("\n" if keep_ends else "")
        start = end + 1


def delimited_records(
    text: str, separator: str, first_line: int
) -> Iterator[tuple[int, list[str], str | None]]:
    """The records of delimited text: (line it starts on, fields, problem or None).

    A quoted field may span lines. A quote that is never closed (or closed only by the quote
    of a later row) would swallow the following rows into one field, so a record spanning lines
    that does not parse strictly is reported on the line where it starts, and reading goes on
    with the next line. Lines are read as they are needed: the rows stream, and an import that
    stops early (at the card limit) never looks at the rest.
    """
    source = split_lines(text)
    pending: deque[str] = deque()  # lines read ahead and given back
    index = 0
    while True:
        used: list[str] = []

        def feed(used: list[str] = used) -> Iterator[str]:
            while True:
                if pending:
                    line = pending.popleft()
                else:
                    read = next(source, None)
                    if read is None:
                        return
                    line = read
                used.append(line)
                yield line

        reader = csv.reader(feed(), delimiter=separator, strict=False)
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # Go on with the next record, so one bad row does not stop the import.
            yield first_line + index, [], f"cannot read this row: {exc}"
            consumed = max(1, reader.line_num)
            pending.extendleft(reversed(used[consumed:]))
            index += consumed
            continue
        consumed = max(1, reader.line_num)
        if consumed > 1 and not _parses_strictly(used[:consumed], separator):
            yield (
                first_line + index,
                [],
                ('a quote (") opened on this line is never closed; this row is skipped'),
            )
            pending.extendleft(reversed(used[1:]))
            index += 1
            continue
        pending.extendleft(reversed(used[consumed:]))
        yield first_line + index, fields, None
        index += consumed


def _parses_strictly(lines: list[str], separator: str) -> bool:
    try:
        list(csv.reader(lines, delimiter=separator, strict=True))
    except csv.Error:
        return False
    return True


def separator_name(separator: str) -> str:
    """A separator as Anki's header names it ("tab"), for messages."""
    names = {v: k for k, v in SEPARATORS.items()}
    return names.get(separator, repr(separator))
