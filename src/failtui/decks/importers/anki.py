"""Anki's "Notes in plain text" export: ``#key:value`` headers, then one note a line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from failtui.decks.importers.base import (
    SEPARATORS,
    ImportResult,
    Row,
    delimited_records,
    field_text,
    separator_name,
    split_lines,
)
from failtui.textclean import clean_text


def _anki_tags(value: str) -> tuple[str, ...]:
    # Anki separates tags with spaces only (a comma may be part of a tag).
    return tuple(clean_text(value).split())


def anki_rows(text: str, path: Path, result: ImportResult) -> Iterator[Row]:
    """Rows of an Anki "Notes in plain text" export.

    Headers (``#key:value`` lines at the top) set the separator, whether fields are HTML and
    which column holds the tags; other columns Anki may add (guid, notetype, deck) are skipped.
    """
    separator: str | None = None
    html: bool | None = None
    tags_column: int | None = None
    skip_columns: set[int] = set()
    body_start = 0
    body_offset = 0
    for number, line in enumerate(split_lines(text, keep_ends=False)):
        # Only Anki's own "#key:value" lines are headers: a note whose front starts with "#"
        # is a note, even on the first line.
        header = _ANKI_HEADER.match(line)
        if header is None or header.group(1).strip().lower() not in _ANKI_HEADER_KEYS:
            break
        key, value = header.group(1).strip().lower(), header.group(2).strip()
        body_start = number + 1
        body_offset += len(line) + 1
        if key == "separator":
            separator = SEPARATORS.get(value.lower(), value[:1] or None)
        elif key == "html":
            html = value.lower() == "true"
        elif key == "tags column" and value.isdigit():
            tags_column = int(value) - 1
        elif key in ("guid column", "notetype column", "deck column") and value.isdigit():
            skip_columns.add(int(value) - 1)
    body = text[body_offset:]
    if separator is None:
        separator = _sniff_separator(list(islice(split_lines(body, keep_ends=False), 20)))
    yield from _delimited_rows(
        body, separator, body_start + 1, html, tags_column, skip_columns, path
    )


_ANKI_HEADER = re.compile(r"^#([A-Za-z ]+):(.*?)\r?$")


_ANKI_HEADER_KEYS = frozenset(
    {
        "separator", "html", "tags", "columns", "notetype", "deck", "if matches",
        "tags column", "guid column", "notetype column", "deck column",
    }
)  # fmt: skip


def _sniff_separator(sample: list[str]) -> str:
    # Anki's own guess: tab if any line has one, then semicolon, then comma.
    joined = "\n".join(sample)
    for candidate in ("\t", ";", ","):
        if candidate in joined:
            return candidate
    return "\t"


def _delimited_rows(
    body: str,
    separator: str,
    first_line: int,
    html: bool | None,
    tags_column: int | None,
    skip_columns: set[int],
    path: Path,
) -> Iterator[Row]:
    for start, fields, problem in delimited_records(body, separator, first_line):
        if problem is not None:
            yield Row(start, problem=problem)
            continue
        if not fields or not any(f.strip() for f in fields):
            continue
        columns = [f for i, f in enumerate(fields) if i not in skip_columns and i != tags_column]
        tags = (
            _anki_tags(fields[tags_column])
            if tags_column is not None and tags_column < len(fields)
            else ()
        )
        if len(columns) < 2:
            yield Row(
                start,
                problem=f"expected a front and a back separated by {separator_name(separator)}, "
                f"found {len(columns)} field",
            )
            continue
        row = Row(start, field_text(columns[0], html), field_text(columns[1], html), tags)
        if tags_column is not None:
            row.given.add("tags")
        yield row
