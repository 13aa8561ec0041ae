"""Import cards from other tools: Anki plain-text exports, CSV with a header, Markdown Q:/A: pairs.

Each importer turns a file into :class:`~failtui.models.Card` objects and a list of problems, one
per bad row with its line number, so the caller can import the rest or, in strict mode, nothing.
HTML (Anki's default) is reduced to plain text with the standard library's ``html.parser``.
Imported cards have no key points; the grader then grades an answer against the card's answer.

Importing into a deck that has cards: a row with an id, or whose front is the prompt of a card
already there, updates that card, and only in the fields the file carries (an Anki or Markdown
row carries the front, the back and maybe tags; a CSV row the columns it has, non-empty), so
kind, key points and red flags written in the app stay. :func:`plan_import` works that out.
"""

from __future__ import annotations

import csv
import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from itertools import islice
from pathlib import Path
from typing import TypeVar

from failtui.decks.card_text import CardTextError, parse_key_points, parse_red_flags
from failtui.decks.exporters import CSV_HEADER, restore_formula
from failtui.decks.formats import IMPORT_FORMATS
from failtui.decks.ids import ID_RULE, is_valid_id, slugify, unique_id
from failtui.decks.items import ItemProblem, key_point_from, red_flag_from
from failtui.decks.reader import MAX_CARDS
from failtui.decks.writer import DeckWriteError, check_card
from failtui.models import CARD_KINDS, Card, Deck, KeyPoint, RedFlag
from failtui.safefiles import FileRefused, read_regular_file, shown
from failtui.textclean import clean_text

Item = TypeVar("Item", KeyPoint, RedFlag)

#: A file larger than this is refused before it is read (the deck it makes could not load).
MAX_IMPORT_BYTES = 16 * 1024 * 1024
#: Longest text accepted in one field; longer ones are reported as bad rows.
MAX_FIELD_CHARS = 20_000

#: ``progress(rows_done, rows_total)``, called now and then during a long import.
Progress = Callable[[int, int], None]

_SEPARATORS = {
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


@dataclass
class ImportPlan:
    """What an import does to a deck: the cards to write, and how many are new or changed."""

    upserts: list[Card]
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def plan_import(existing: Deck | None, result: ImportResult) -> ImportPlan:
    """The cards to write for an import into ``existing`` (None: a new deck).

    A card already in the deck keeps every field the import did not carry; a card the import
    leaves as it was is not written at all.
    """
    plan = ImportPlan([])
    for card in result.cards:
        old = existing.card(card.id) if existing is not None else None
        if old is None:
            plan.upserts.append(card)
            plan.added += 1
            continue
        given = result.given.get(card.id, frozenset(("prompt", "answer")))
        merged = replace(old, **{name: getattr(card, name) for name in given})
        if merged == old:
            plan.unchanged += 1
        else:
            plan.upserts.append(merged)
            plan.updated += 1
    return plan


# -- HTML -------------------------------------------------------------------------------------
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


# -- reading files ----------------------------------------------------------------------------
def read_text(path: Path) -> str:
    """The text of a file to import.

    Raises:
        ImportFailed: missing, unreadable, too large, or not UTF-8 text (with the line).
    """
    try:
        # Bounded, and refusing devices and FIFOs: /dev/zero says its size is 0 and never ends.
        raw = read_regular_file(path, MAX_IMPORT_BYTES)
    except FileRefused as exc:
        raise ImportFailed(str(exc)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{shown(path)}:{line}: not UTF-8 text (binary file?)") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFailed(f"{shown(path)}:{line}: binary data (a NUL byte) in a text file")
    return text


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the extension and the first lines."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = text.lstrip()[:4000]
    if head.startswith("#separator:") or head.startswith("#html:") or head.startswith("#tags"):
        return "anki"
    if re.search(r"^\s*Q:", head, re.M) and re.search(r"^\s*A:", head, re.M):
        return "markdown"
    if _has_csv_header(head.split("\n", 1)[0]):
        return "csv"
    return "anki"


def _has_csv_header(first_line: str) -> bool:
    """Whether a line names a front and a back column (``front,back``, ``prompt;answer``...)."""
    for separator in (",", ";", "\t"):
        names = {f.strip().strip('"').lower() for f in first_line.split(separator)}
        if names & set(_COLUMN_NAMES["front"]) and names & set(_COLUMN_NAMES["back"]):
            return True
    return False


def import_file(
    path: Path,
    deck_id: str,
    *,
    format: str | None = None,
    progress: Progress | None = None,
    taken_ids: set[str] | None = None,
    existing: Sequence[Card] = (),
) -> ImportResult:
    """Read the cards of a file to import into deck ``deck_id``.

    Args:
        path: the file (Anki text export, CSV with a header row, or Markdown Q:/A: pairs).
        deck_id: the deck the cards will belong to.
        format: one of :data:`~failtui.decks.formats.IMPORT_FORMATS`, or None to detect it.
        progress: called with (rows done, rows total) every few hundred rows.
        taken_ids: card ids already used by other cards, avoided for generated ids.
        existing: the cards of the deck imported into: a row without an id whose front is one
            of their prompts gets that card's id (so it updates the card, not doubles it).

    Raises:
        ImportFailed: the file as a whole cannot be read.
    """
    text = read_text(path)
    chosen = format or detect_format(path, text)
    if chosen not in IMPORT_FORMATS:
        raise ImportFailed(f"unknown format {chosen!r} (known: {', '.join(IMPORT_FORMATS)})")
    reader = {"anki": _anki_rows, "csv": _csv_rows, "markdown": _markdown_rows}[chosen]
    result = ImportResult(chosen)
    ids = _IdMaker(set(taken_ids or ()) | {c.id for c in existing}, existing)
    existing_ids = {c.id for c in existing}
    room = MAX_CARDS - len(existing_ids)  # how many new cards the deck can still take
    total = max(1, text.count("\n") + 1)
    for row in reader(text, path, result):
        result.rows += 1
        if progress is not None and result.rows % 250 == 0:
            progress(min(row.line, total), total)
        problem = row.problem or _check_row(row)
        if problem:
            result.problems.append(ImportProblem(path, row.line, problem))
            continue
        try:
            card_id = ids.take(row.card_id, row.front, row.line)
        except ValueError as exc:
            result.problems.append(ImportProblem(path, row.line, str(exc)))
            continue
        card = Card(
            deck_id=deck_id,
            id=card_id,
            kind=row.kind or "question",
            prompt=row.front,
            answer=row.back,
            tags=row.tags,
            key_points=row.key_points,
            red_flags=row.red_flags,
        )
        try:
            # The rules the deck file will be held to, so one bad row never stops the write.
            check_card(card)
        except DeckWriteError as exc:
            ids.release(card_id)
            result.problems.append(ImportProblem(path, row.line, str(exc)))
            continue
        result.given[card_id] = frozenset(row.given)
        result.cards.append(card)
        if card_id in existing_ids:
            result.updates += 1
        elif len(result.cards) - result.updates > room:
            # Stop at once: reading on would only build a deck that cannot load.
            raise ImportFailed(
                f"{shown(path)}:{row.line}: card {MAX_CARDS + 1:,} of the deck "
                f"({len(existing_ids):,} there already); the limit is {MAX_CARDS:,} per deck. "
                "Nothing was imported; split the file."
            )
    if progress is not None:
        progress(total, total)
    return result


@dataclass
class _Row:
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


def _check_row(row: _Row) -> str | None:
    if not row.front.strip():
        return "the front (question) is empty"
    if len(row.front) > MAX_FIELD_CHARS or len(row.back) > MAX_FIELD_CHARS:
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    if row.kind is not None and row.kind not in CARD_KINDS:
        return f"kind must be one of {', '.join(CARD_KINDS)}, not {row.kind!r}"
    if row.card_id is not None and not is_valid_id(row.card_id):
        return f"id {row.card_id!r} must be {ID_RULE}"
    return None


class _IdMaker:
    """Card ids: the row's own id if it has one, else the id of the existing card with the same
    prompt, else a slug of the front, made unique."""

    def __init__(self, taken: set[str], existing: Sequence[Card] = ()):
        self.taken = set(taken)
        self.used: dict[str, int] = {}
        self.by_prompt: dict[str, str] = {}
        for card in existing:
            self.by_prompt.setdefault(card.prompt.strip(), card.id)

    def take(self, wanted: str | None, front: str, line: int) -> str:
        if wanted:
            if wanted in self.used:
                raise ValueError(f"duplicate id '{wanted}' (also on line {self.used[wanted]})")
            self.used[wanted] = line
            return wanted
        same = self.by_prompt.get(front.strip())
        if same is not None and same not in self.used:
            self.used[same] = line
            return same
        candidate = unique_id(
            slugify(front, limit=48) or "card", lambda c: c in self.used or c in self.taken
        )
        self.used[candidate] = line
        return candidate

    def release(self, card_id: str) -> None:
        """Forget an id given to a row that was then refused."""
        self.used.pop(card_id, None)


def _field(value: str, html: bool | None) -> str:
    value = clean_text(value)
    if html is True or (html is None and _LOOKS_LIKE_HTML.search(value)):
        return html_to_text(value)
    return value.strip()


def _anki_tags(value: str) -> tuple[str, ...]:
    # Anki separates tags with spaces only (a comma may be part of a tag).
    return tuple(clean_text(value).split())


def _split_tags(value: str) -> tuple[str, ...]:
    # Tags of CSV and Markdown: words separated by spaces or commas.
    return tuple(t for t in clean_text(value).replace(",", " ").split() if t)


# -- Anki plain text --------------------------------------------------------------------------
def _anki_rows(text: str, path: Path, result: ImportResult) -> Iterator[_Row]:
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
    for number, line in enumerate(_split_lines(text, keep_ends=False)):
        # Only Anki's own "#key:value" lines are headers: a note whose front starts with "#"
        # is a note, even on the first line.
        header = _ANKI_HEADER.match(line)
        if header is None or header.group(1).strip().lower() not in _ANKI_HEADER_KEYS:
            break
        key, value = header.group(1).strip().lower(), header.group(2).strip()
        body_start = number + 1
        body_offset += len(line) + 1
        if key == "separator":
            separator = _SEPARATORS.get(value.lower(), value[:1] or None)
        elif key == "html":
            html = value.lower() == "true"
        elif key == "tags column" and value.isdigit():
            tags_column = int(value) - 1
        elif key in ("guid column", "notetype column", "deck column") and value.isdigit():
            skip_columns.add(int(value) - 1)
    body = text[body_offset:]
    if separator is None:
        separator = _sniff_separator(list(islice(_split_lines(body, keep_ends=False), 20)))
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
) -> Iterator[_Row]:
    for start, fields, problem in _records(body, separator, first_line):
        if problem is not None:
            yield _Row(start, problem=problem)
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
            yield _Row(
                start,
                problem=f"expected a front and a back separated by {_name(separator)}, "
                f"found {len(columns)} field",
            )
            continue
        row = _Row(start, _field(columns[0], html), _field(columns[1], html), tags)
        if tags_column is not None:
            row.given.add("tags")
        yield row


def _split_lines(text: str, *, keep_ends: bool = True) -> Iterator[str]:
    """The lines of ``text`` split on ``"\\n"`` only, one at a time (no list of them all)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        yield text[start:end] + ("\n" if keep_ends else "")
        start = end + 1


def _records(
    text: str, separator: str, first_line: int
) -> Iterator[tuple[int, list[str], str | None]]:
    """The records of delimited text: (line it starts on, fields, problem or None).

    A quoted field may span lines. A quote that is never closed (or closed only by the quote
    of a later row) would swallow the following rows into one field, so a record spanning lines
    that does not parse strictly is reported on the line where it starts, and reading goes on
    with the next line. Lines are read as they are needed: the rows stream, and an import that
    stops early (at the card limit) never looks at the rest.
    """
    source = _split_lines(text)
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


def _name(separator: str) -> str:
    names = {v: k for k, v in _SEPARATORS.items()}
    return names.get(separator, repr(separator))


# -- CSV with a header ------------------------------------------------------------------------
_COLUMN_NAMES = {
    "front": ("front", "question", "prompt", "q"),
    "back": ("back", "answer", "guidance", "a"),
    "tags": ("tags", "tag"),
    "id": ("id", "card", "card_id"),
    "kind": ("kind", "type"),
    "key_points": ("key_points",),
    "red_flags": ("red_flags",),
}


def _csv_rows(text: str, path: Path, result: ImportResult) -> Iterator[_Row]:
    """Rows of a CSV file whose first row names the columns (front/back or prompt/answer...)."""
    first = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        separator = dialect.delimiter
    except csv.Error:
        separator = ","
    records = _records(text, separator, 1)
    first_record = next(records, None)
    if first_record is None or first_record[2] is not None or not first_record[1]:
        yield _Row(1, problem="the header row is missing")
        return
    header = [h.strip().lower() for h in first_record[1]]
    # failtui's own export is read back exactly: no HTML guessing, no trimming, tags as written.
    ours = tuple(header) == CSV_HEADER
    read_field = clean_text if ours else (lambda value: _field(value, None))
    where: dict[str, int] = {}
    for name, aliases in _COLUMN_NAMES.items():
        for index, column in enumerate(header):
            if column in aliases and name not in where:
                where[name] = index
    if "front" not in where or "back" not in where:
        yield _Row(
            1,
            problem="the header row needs a front and a back column "
            "(front/back, question/answer or prompt/answer)",
        )
        return
    for start, fields, problem in records:
        if problem is not None:
            yield _Row(start, problem=problem)
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
            yield _Row(
                start,
                problem=f"{len(fields)} fields: no front and back (the header has {len(header)})",
            )
            continue
        row = _Row(
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
        return _split_tags(value)
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


# -- Markdown Q:/A: ---------------------------------------------------------------------------
# "Q:", "**Q:**", "**Q**:", "- Q:", "- **Q:** ...": bold around the mark, colon in or out.
_MD_MARK = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*(Q|A|Tags)\s*(?::\*\*|\*\*\s*:)|(Q|A|Tags)\s*:)[ \t]?(.*)$", re.I
)
#: A Markdown heading ("# Part 2"); a "#tag" or "#1" at the start of a line is text.
_MD_HEADING = re.compile(r"^#{1,6}(?:\s|$)")


def _markdown_rows(text: str, path: Path, result: ImportResult) -> Iterator[_Row]:
    """Pairs of ``Q:`` and ``A:`` paragraphs; text after them continues them until the next mark.

    An optional ``Tags:`` line after the answer gives space-separated tags. Headings and other
    text outside a pair are ignored.
    """
    current: _Row | None = None
    part: str | None = None
    buffer: dict[str, list[str]] = {}

    def finish() -> Iterator[_Row]:
        if current is None:
            return
        if "a" not in buffer:
            current.problem = "a Q: with no A: after it"
        current.front = _field("\n".join(buffer.get("q", [])).strip(), None)
        current.back = _field("\n".join(buffer.get("a", [])).strip(), None)
        yield current

    for number, line in enumerate(_split_lines(text, keep_ends=False), 1):
        mark = _MD_MARK.match(line)
        if mark:
            name, rest = (mark.group(1) or mark.group(2)).lower(), mark.group(3)
            if name == "q":
                yield from finish()
                current, part, buffer = _Row(number), "q", {"q": [rest]}
            elif name == "a":
                if current is None or "a" in buffer:
                    yield from finish()
                    yield _Row(number, problem="an A: with no Q: before it")
                    current, part, buffer = None, None, {}
                    continue
                part = "a"
                buffer["a"] = [rest]
            elif current is not None:
                current.tags = _split_tags(rest)
                current.given.add("tags")
                part = None
            continue
        if current is None or part is None:
            continue
        if _MD_HEADING.match(line):
            part = None  # a heading ends the pair's text
            continue
        buffer[part].append(line)
    yield from finish()


__all__ = [
    "ImportFailed",
    "ImportPlan",
    "ImportProblem",
    "ImportResult",
    "detect_format",
    "html_to_text",
    "import_file",
    "plan_import",
    "read_text",
]
