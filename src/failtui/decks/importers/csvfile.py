"""CSV whose first row names the columns, failtui's own export among them (read back exactly).

Named ``csvfile`` rather than ``csv`` so that the package's own modules can import the standard
library's :mod:`csv` without doubt.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from failtui.decks.card_text import CardTextError, parse_key_points, parse_red_flags
from failtui.decks.exporters import CSV_HEADER, restore_formula
from failtui.decks.importers.base import (
    ImportResult,
    Row,
    delimited_records,
    field_text,
    split_tags,
)
from failtui.decks.items import ItemProblem, key_point_from, red_flag_from
from failtui.models import KeyPoint, RedFlag
from failtui.textclean import clean_text

Item = TypeVar("Item", KeyPoint, RedFlag)


_COLUMN_NAMES = {
    "front": ("front", "question", "prompt", "q"),
    "back": ("back", "answer", "guidance", "a"),
    "tags": ("tags", "tag"),
    "id": ("id", "card", "card_id"),
    "kind": ("kind", "type"),
    "key_points": ("key_points",),
    "red_flags": ("red_flags",),
}


def has_csv_header(first_line: str) -> bool:
    """Whether a line names a front and a back column (``front,back``, ``prompt;answer``...)."""
    for separator in (",", ";", "\t"):
        names = {f.strip().strip('"').lower() for f in first_line.split(separator)}
        if names & set(_COLUMN_NAMES["front"]) and names & set(_COLUMN_NAMES["back"]):
            return True
    return False


def csv_rows(text: str, path: Path, result: ImportResult) -> Iterator[Row]:
    """Rows of a CSV file whose first row names the columns (front/back or prompt/answer...)."""
    first = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        separator = dialect.delimiter
    except csv.Error:
        separator = ","
    records = delimited_records(text, separator, 1)
    first_record = next(records, None)
    if first_record is None or first_record[2] is not None or not first_record[1]:
        yield Row(1, problem="the header row is missing")
        return
    header = [h.strip().lower() for h in first_record[1]]
    # failtui's own export is read back exactly: no HTML guessing, no trimming, tags as written.
    ours = tuple(header) == CSV_HEADER
    read_field = clean_text if ours else (lambda value: field_text(value, None))
    where: dict[str, int] = {}
    for name, aliases in _COLUMN_NAMES.items():
        for index, column in enumerate(header):
            if column in aliases and name not in where:
                where[name] = index
    if "front" not in where or "back" not in where:
        yield Row(
            1,
            problem="the header row needs a front and a back column "
            "(front/back, question/answer or prompt/answer)",
        )
        return
    for start, fields, problem in records:
        if problem is not None:
            yield Row(start, problem=problem)
            continue
        if not fields or not any(f.strip() for f in fields):
            continue

        def cell(name: str, fields: list[str] = fields) -> str:
            index = where.get(name)
            value = fields[index] if index is not None and index < len(fields) else ""
            # failtui's export defuses cells a spreadsheet would run: undo that, exactly.
            return restore_formula(value) if ours else value

        if max(where["front"], where["back"]) >= len(fields):
            # A short row is fine (spreadsheets drop empty trailing cells) if it has both sides.
            yield Row(
                start,
                problem=f"{len(fields)} fields: no front and back (the header has {len(header)})",
            )
            continue
        row = Row(
            start,
            read_field(cell("front")),
            read_field(cell("back")),
            card_id=cell("id").strip() or None,
            kind=cell("kind").strip() or None,
        )
        try:
            row.tags = _tags_cell(cell("tags"))
        except ValueError as exc:
            row.problem = f"the tags column is not valid: {exc}"
        except RecursionError:
            row.problem = "the tags column is nested too deeply to be a list of tags"
        if "tags" in where:
            row.given.add("tags")
        if row.kind is not None:
            row.given.add("kind")
        try:
            row.key_points = _items_cell(cell("key_points"), _key_point, parse_key_points)
            row.red_flags = _items_cell(cell("red_flags"), _red_flag, parse_red_flags)
        except ItemProblem as exc:
            row.problem = str(exc)
        except CardTextError as exc:
            row.problem = f"{exc}"
        except ValueError as exc:  # JSON that is not valid
            row.problem = f"key_points/red_flags column is not valid JSON: {exc}"
        except RecursionError:
            row.problem = "key_points/red_flags column is nested too deeply"
        # An empty cell says nothing: the card's key points and red flags stay as they are.
        row.given.update(name for name in ("key_points", "red_flags") if cell(name).strip())
        yield row


def _tags_cell(value: str) -> tuple[str, ...]:
    """Tags written as a JSON list (failtui's export, when a tag holds a space) or as words."""
    if not value.strip().startswith("["):
        return split_tags(value)
    tags = json.loads(value)
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise ValueError("expected a JSON list of non-empty strings")
    return tuple(clean_text(t) for t in tags)


def _items_cell(
    value: str,
    from_json: Callable[[object], Item],
    from_lines: Callable[[str, dict[str, Item]], tuple[Item, ...]],
) -> tuple[Item, ...]:
    """Key points or red flags from a CSV cell: the editor's lines, or JSON (older exports).

    A cell that is a JSON list (it starts with ``[``, as failtui wrote them before) is read as
    JSON; anything else as lines ``id | label | cue; cue`` with no deck-level items.
    """
    if value.strip().startswith("["):
        try:
            data = _json_list(value)
        except ValueError:
            data = None  # not JSON after all: a label may start with "["
        if data is not None:
            return tuple(from_json(d) for d in data)
    return tuple(from_lines(clean_text(value), {}))


def _json_list(value: str) -> list[object]:
    if not value.strip():
        return []
    data = json.loads(value)
    if not isinstance(data, list):
        raise ValueError("expected a JSON list")
    return data


def _key_point(data: object) -> KeyPoint:
    return key_point_from(data, new=True)


def _red_flag(data: object) -> RedFlag:
    return red_flag_from(data, new=True)
