"""Read and validate one deck file (TOML, see DESIGN.md) into a :class:`~failtui.models.Deck`.

Every problem becomes a :class:`DeckLoadError` carrying a :class:`~failtui.models.DeckError` that
names the file, the line where it can be found, the card and what is wrong.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TypedDict, TypeVar, Unpack

from failtui.decks import items as item_rules
from failtui.decks.ids import ID_RULE, is_valid_id
from failtui.decks.items import KEY_POINT_KEYS, RED_FLAG_KEYS, ItemProblem, kind_of
from failtui.models import (
    CARD_KINDS,
    STANDARD_KEY_POINTS,
    Card,
    Deck,
    DeckError,
    FollowUp,
    KeyPoint,
    RedFlag,
)
from failtui.safefiles import FileRefused, read_regular_file, shown
from failtui.textclean import clean_text

#: A deck file larger than this is refused before it is parsed.
MAX_DECK_BYTES = 16 * 1024 * 1024
#: A deck may hold at most this many cards.
MAX_CARDS = 100_000
#: Lists and tables nested deeper than this are refused (a deck needs four; tomlkit, which
#: writes deck files, stops at 100, and Python's parsers recurse).
MAX_NESTING = 50

_TOML_LINE = re.compile(r"at line (\d+)")

#: The keys a deck file may hold at its top; any other is a problem of the file.
DECK_KEYS = (
    "id",
    "title",
    "description",
    "version",
    "key_points",
    "red_flags",
    "cards",
    "followups",
)
#: The keys a card may hold. ``story`` keeps the parts of a story card (:mod:`failtui.decks.story`
#: reads them; the reader leaves them alone).
CARD_KEYS = ("id", "kind", "prompt", "answer", "tags", "key_points", "red_flags", "story")
#: The keys of a ``[[followups]]`` table.
FOLLOWUP_KEYS = ("key_point", "prompt")


class DeckLoadError(Exception):
    """A deck file could not be loaded; ``error`` says where and why."""

    def __init__(self, error: DeckError, errors: list[DeckError] | None = None):
        super().__init__(str(error))
        self.error = error
        #: Every problem found (``failtui decks validate`` reports them all); first is ``error``.
        self.errors = errors or [error]


def load_deck(
    path: Path,
    *,
    builtin: bool = False,
    every_problem: bool = False,
    warnings: list[DeckError] | None = None,
) -> Deck:
    """Read, parse and validate the deck file at ``path``.

    With ``every_problem`` the whole file is checked and the error lists every problem found
    (each card's fields and items on their own), not only the first. ``warnings``, if given,
    gets what does not stop the deck loading: each unknown key that is not a typo of a known
    one (``failtui decks validate`` shows them).

    Raises:
        DeckLoadError: the file is unreadable, too large, not TOML, or not a valid deck.
    """
    try:
        # Bounded, and refusing devices and FIFOs: /dev/zero says its size is 0 and never ends.
        raw = read_regular_file(path, MAX_DECK_BYTES, "deck file")
    except FileRefused as exc:
        raise DeckLoadError(DeckError(path, _after_name(str(exc), path))) from None
    text = deck_text(raw, path)
    return parse_deck(text, path, builtin=builtin, every_problem=every_problem, warnings=warnings)


#: The byte-order mark some editors (Windows Notepad among them) write at the start of UTF-8.
UTF8_BOM = b"\xef\xbb\xbf"


def deck_text(raw: bytes, path: Path) -> str:
    """The text of a deck file's bytes: UTF-8, without a leading byte-order mark.

    Every reader of a deck file (loading, editing, importing, exporting) goes through here, so
    they all accept the same files.

    Raises:
        DeckLoadError: the bytes are not UTF-8 text (the error names the line).
    """
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckLoadError(DeckError(path, "not UTF-8 text (binary file?)", line=line)) from None


#: A deck file's top-level ``id = "..."`` line.
_ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")


def claimed_deck_id(path: Path) -> str:
    """The deck id a deck file gives at its top (before its first table), read even when the
    file does not load, so a broken file can be matched to the deck it is meant to be; its
    file name without the suffix when it gives none or cannot be read."""
    try:
        with path.open("rb") as file:
            head = file.read(65536)
    except OSError:
        return path.stem
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    for line in head.decode("utf-8", errors="replace").splitlines():
        if line.lstrip().startswith("["):
            break
        found = _ID_LINE.match(line)
        if found:
            return found.group(1)
    return path.stem


def _after_name(message: str, path: Path) -> str:
    """The reason of a ``FileRefused`` message, without the file name DeckError adds itself."""
    prefix = f"{shown(path)}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def parse_deck(
    text: str,
    path: Path,
    *,
    builtin: bool = False,
    every_problem: bool = False,
    warnings: list[DeckError] | None = None,
) -> Deck:
    """Parse deck TOML ``text`` (read from ``path``, used in messages) and validate it.

    ``every_problem`` and ``warnings`` are as for :func:`load_deck`.
    """
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise DeckLoadError(
            DeckError(path, f"values nested too deeply (the limit is {MAX_NESTING} levels)")
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DeckLoadError(toml_problem(exc, text, path)) from None
    deepest = nesting_depth(data, MAX_NESTING)
    if deepest > MAX_NESTING:
        raise DeckLoadError(
            DeckError(path, f"values nested too deeply (the limit is {MAX_NESTING} levels)")
        )
    validator = _DeckValidator(text, path, builtin, every_problem=every_problem)
    try:
        deck = validator.deck(data)
    finally:
        if warnings is not None:
            warnings.extend(validator.warnings)
    if validator.problems:
        raise DeckLoadError(validator.problems[0], validator.problems)
    return deck


def toml_problem(exc: tomllib.TOMLDecodeError, text: str, path: Path) -> DeckError:
    """tomllib's error on ``text`` (read from ``path``) as a plain problem: one line, its line
    number apart (``file:3: invalid TOML: ...``), a key or table given twice named."""
    message = str(exc)
    match = _TOML_LINE.search(message)
    line = int(match.group(1)) if match else None
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    message = re.sub(r"\s*\(at end of document\)", " (at end of file)", message)
    if line is not None:
        message, line = defined_twice(message, line, text.split("\n"))
    return DeckError(path, f"invalid TOML: {message}", line=line)


#: tomllib's messages for a key or table given a second time, naming the key as a tuple
#: (``Cannot mutate immutable namespace ('cards', 'key_points')``) or not at all.
_DEFINED_TWICE = re.compile(
    r"^(?:Cannot mutate immutable namespace (?P<frozen>\(.*\))"
    r"|Cannot declare (?P<declared>\(.*\)) twice"
    r"|Cannot redefine namespace (?P<redefined>\(.*\))"
    r"|Cannot overwrite a value)$"
)
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]")
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
#: The start of a ``key = value`` line (a dotted key too); the value may go on for lines.
_KEY_VALUE = re.compile(rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")


def defined_twice(message: str, line: int, lines: list[str]) -> tuple[str, int]:
    """tomllib's ``message`` about ``line`` in plain words when it is about a key or table
    defined twice (its own words name neither which key nor where else); else as it is.

    Returns the message and the line to report: the line starting the statement at fault
    (tomllib's is where the value ends, so the last line of a list going on for lines).
    """
    found = _DEFINED_TWICE.match(message)
    statement = _statement_at(lines, line) if found else None
    if found is None or statement is None:
        return message, line
    start, header, key = statement
    named = found.group("frozen") or found.group("declared") or found.group("redefined")
    parts = _key_parts(named) if named is not None else _dotted(key)
    if not parts:
        return message, line
    dotted, name = ".".join(parts), parts[-1]
    # The nearest line before that defines it: a table header of that name, or the key set.
    first, first_header = None, None
    for number in range(start - 1, 0, -1):
        earlier = _statement_at(lines, number, back=False)
        if earlier is None:
            continue
        _, earlier_header, earlier_key = earlier
        if earlier_header is not None and _dotted(earlier_key) == parts:
            first, first_header = number, earlier_header
            break
        if earlier_header is None and _dotted(earlier_key)[:1] == [name]:
            first = number
            break
    if header is not None:
        if first is None:
            said = f"{header} defines '{dotted}' again"
        elif first_header is not None:
            said = f"{header} defines '{dotted}' again (line {first} has {first_header})"
        else:
            how = (
                f"them all inline or all as {header} tables"
                if header.startswith("[[")
                else f"it inline or as a {header} table"
            )
            said = f"{header} adds to '{name}', which line {first} already sets inline: write {how}"
    elif first is None:
        said = f"'{name}' is set twice"
    elif first_header is not None:
        said = f"'{name}' is set here, but line {first} already has {first_header}"
    else:
        said = f"'{name}' is already set on line {first}"
    return said, start


def _statement_at(
    lines: list[str], line: int, *, back: bool = True
) -> tuple[int, str | None, str] | None:
    """The statement on ``line`` (with ``back``, the nearest at or before it): its line, its
    table header as written (``[[cards.key_points]]``, None for a ``key = value``) and its key
    (``cards.key_points``, or the key set). None if there is none."""
    for number in range(min(line, len(lines)), 0, -1) if back else (line,):
        text = lines[number - 1]
        header = _HEADER.match(text)
        if header is not None:
            brackets = header.group(1)
            written = f"{brackets}{header.group(2)}{']' * len(brackets)}"
            return number, written, header.group(2)
        assignment = _KEY_VALUE.match(text)
        if assignment is not None:
            return number, None, assignment.group(1)
    return None


def _key_parts(named: str) -> list[str]:
    """The keys of tomllib's tuple ``('cards', 'key_points')``, or [] if it is not one."""
    try:
        parts = ast.literal_eval(named)
    except (ValueError, SyntaxError):
        return []
    return [str(part) for part in parts] if isinstance(parts, tuple) else []


def _dotted(key: str) -> list[str]:
    """The parts of a dotted key as written (``cards . "key_points"``), unquoted."""
    return [part.strip().strip("\"'") for part in re.findall(rf"{_KEY}", key)]


def nesting_depth(value: Any, limit: int) -> int:
    """How deeply lists and tables nest in ``value``, counted without recursion, stopping once
    past ``limit`` (so a hostile file costs no more than a plain one)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth) for child in children if isinstance(child, dict | list))
    return deepest


class Where(TypedDict, total=False):
    """Where a problem is, for :class:`DeckError`: the card, and its line (or how to find it)."""

    card_id: str | None
    line: int | Callable[[], int | None] | None


Item = TypeVar("Item", KeyPoint, RedFlag)
T = TypeVar("T")


class _DeckValidator:
    """Turns parsed TOML into a Deck, raising at the first problem with its location."""

    def __init__(self, text: str, path: Path, builtin: bool, *, every_problem: bool = False):
        # Lines as TOML counts them: split on "\n" only (splitlines also splits on U+2028 etc).
        self.lines = text.split("\n")
        self.path = path
        self.builtin = builtin
        self._headers: list[int] | None = None
        self.every_problem = every_problem
        self.problems: list[DeckError] = []
        #: What does not stop the deck loading (unknown keys that are not typos).
        self.warnings: list[DeckError] = []

    def attempt(self, build: Callable[[], Any], default: Any = None) -> Any:
        """``build()``; checking every problem, a failure is noted and ``default`` returned."""
        if not self.every_problem:
            return build()
        try:
            return build()
        except DeckLoadError as exc:
            self.problems.append(exc.error)
            return default

    def fail(
        self,
        message: str,
        *,
        card_id: str | None = None,
        line: int | Callable[[], int | None] | None = None,
    ) -> NoReturn:
        # A card's line is looked up only when it is reported: finding it is a scan of the file.
        if callable(line):
            line = line()
        raise DeckLoadError(DeckError(self.path, message, line=line, card_id=card_id))

    # Line numbers are found in the source text, since tomllib does not report them. The card
    # headers are found once, so a deck of many cards is not scanned once per card.
    def card_headers(self) -> list[int]:
        if self._headers is None:
            self._headers = [
                number
                for number, line in enumerate(self.lines, 1)
                if line.strip().startswith("[[cards]]")
            ]
        return self._headers

    def card_block(self, index: int) -> tuple[int, int] | None:
        """The first and last line of the ``index``-th card, sub-tables included."""
        headers = self.card_headers()
        if index >= len(headers):
            return None
        end = headers[index + 1] - 1 if index + 1 < len(headers) else len(self.lines)
        return headers[index], end

    def line_of_card(self, index: int, card_id: str | None) -> int | None:
        block = self.card_block(index)
        if block is None:
            return None
        if card_id is not None:
            pattern = re.compile(r"^\s*id\s*=\s*[\"']" + re.escape(card_id) + r"[\"']")
            for number in range(block[0], block[1] + 1):
                if pattern.match(self.lines[number - 1]):
                    return number
        return block[0]

    def line_of_card_key(self, index: int, key: str) -> int | None:
        """The line where the ``index``-th card sets ``key`` or opens it as a table, or None."""
        block = self.card_block(index)
        if block is None:
            return None
        return self.line_in_table(block[0], key) or self.line_of_table(f"cards.{key}", *block)

    def card_key_line(
        self, index: int, key: str, card_line: Callable[[], int | None]
    ) -> Callable[[], int | None]:
        """How to find the line of the ``index``-th card's ``key``, else ``card_line()``: a
        problem of one key is reported at that key's line."""
        return partial(_first_found, partial(self.line_of_card_key, index), card_line, key)

    def line_in_table(self, header: int, key: str) -> int | None:
        """The line setting ``key`` in the table whose header is on line ``header`` (up to the
        next table), or None."""
        pattern = _assignment(key)
        for number in range(header + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if line.lstrip().startswith("["):
                return None
            if pattern.match(line):
                return number
        return None

    def line_of_table(self, name: str, first: int = 1, last: int | None = None) -> int | None:
        """The first header of the table ``name`` (``[name]``, ``[[name]]`` or ``[name.sub]``)
        between lines ``first`` and ``last``, or None."""
        pattern = re.compile(r"^\s*\[\[?\s*" + re.escape(name) + r"\s*[\].]")
        for number in range(first, (last or len(self.lines)) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def line_of_item_key(
        self, header: str, card_index: int | None, item_id: str, key: str
    ) -> int | None:
        """The line where the key point or red flag ``item_id`` sets ``key``, or None.

        The item is a table under ``header`` (``[[cards.key_points]]``) or an inline table, in
        the ``card_index``-th card (None: among the deck-level items).
        """
        block = (1, len(self.lines)) if card_index is None else self.card_block(card_index)
        if block is None:
            return None
        sets_id = re.compile(r"(?:^|[{,])\s*id\s*=\s*[\"']" + re.escape(item_id) + r"[\"']")
        inline_key = re.compile(r"[{,]\s*(?:" + _key_names(key) + r")\s*[=.]")
        table = None  # the header line of the item table the lines are in
        for number in range(block[0], block[1] + 1):
            line = self.lines[number - 1]
            if line.lstrip().startswith("["):
                table = number if line.strip().startswith(header) else None
            elif sets_id.search(line):
                if table is not None and line.lstrip().startswith("id"):
                    found = self.line_in_table(table, key)
                    if found is not None:
                        return found
                elif inline_key.search(line):
                    return number
        return None

    def line_of_key(self, key: str) -> int | None:
        pattern = _assignment(key)
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                return number
        return None

    def line_of_deck_key(self, key: str) -> int | None:
        """The line of a key at the top of the file (before its first table), or of its table."""
        pattern = _assignment(key)
        for number, line in enumerate(self.lines, 1):
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return self.line_of_table(key)

    def report_unknown_keys(
        self,
        table: dict[str, Any],
        known: tuple[str, ...],
        line: Callable[[str], int | None],
        where: str = "",
        card_id: str | None = None,
    ) -> set[str]:
        """Each key of ``table`` the format does not know (``line(key)`` finds it): a problem
        if it is a typo of a known key, else a warning (see ``items.UnknownKey``).

        Returns the known keys ``table`` lacks because a typo stands in their place: the typo
        is their one problem, so the caller does not report them missing as well.
        """
        misspelt = set()
        for unknown in item_rules.unknown_keys(table, known):
            message = f"{where}: {unknown.problem}" if where else unknown.problem
            found = partial(line, unknown.key)
            if unknown.meant is not None:
                self.attempt(partial(self.fail, message, card_id=card_id, line=found))
                if unknown.meant not in table:
                    misspelt.add(unknown.meant)
            else:
                self.warnings.append(DeckError(self.path, message, found(), card_id))
        return misspelt

    def checked(self, rule: Callable[[], T], **loc: Unpack[Where]) -> T:
        """``rule()``, its :class:`ItemProblem` reported at ``loc`` as this file's problem."""
        try:
            return rule()
        except ItemProblem as exc:
            self.fail(str(exc), **loc)

    def text_field(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        **loc: Unpack[Where],
    ) -> str:
        return self.checked(
            partial(item_rules.text_field, table, key, where, required=required), **loc
        )

    def item_id(self, table: dict[str, Any], where: str, **loc: Unpack[Where]) -> str:
        return self.checked(partial(item_rules.item_id, table, where), **loc)

    def item(
        self,
        build: Callable[[Any, str], Item],
        known: tuple[str, ...],
        key_line: Callable[[str, str], int | None],
        table: Any,
        where: str,
        **loc: Unpack[Where],
    ) -> Item:
        """A key point or red flag ``build`` makes of ``table``; a problem of one of its keys is
        reported at that key's line (``key_line(item_id, key)``), else at ``loc``."""
        try:
            item = build(table, where)
        except ItemProblem as exc:
            line = loc.get("line")
            if exc.key is not None:
                item_id = table["id"]  # the id is checked before any other key
                # A key it lacks is reported where the item starts (its id).
                item_line = partial(_first_found, partial(key_line, item_id), line, "id")
                line = partial(_first_found, partial(key_line, item_id), item_line, exc.key)
            self.fail(str(exc), card_id=loc.get("card_id"), line=line)
        # Built, so no key is a typo: any unknown key left is a warning.
        item_line = partial(_first_found, lambda key: key_line(item.id, key), loc.get("line"))
        self.report_unknown_keys(
            table, known, item_line, f"{where} '{item.id}'", card_id=loc.get("card_id")
        )
        return item

    def shared(
        self,
        data: dict[str, Any],
        key: str,
        build: Callable[[Any, str], Item],
        known: tuple[str, ...],
    ) -> dict[str, Item]:
        items = data.get(key, [])
        if not isinstance(items, list):
            self.fail(f"'{key}' must be a list of tables", line=self.line_of_key(key))
        result: dict[str, Item] = {}
        noun = f"deck-level {key[:-1].replace('_', ' ')}"
        for item in items:
            key_line = partial(self.line_of_item_key, f"[[{key}]]", None)
            built = self.attempt(partial(self.item, build, known, key_line, item, noun))
            if built is None:
                continue
            if built.id in result:
                self.attempt(partial(self.fail, f"duplicate {noun} id '{built.id}'"))
            result[built.id] = built
        return result

    def card_items(
        self,
        card: dict[str, Any],
        key: str,
        shared: dict[str, Item],
        build: Callable[[Any, str], Item],
        known: tuple[str, ...],
        card_index: int,
        card_id: str | None,
        line: Callable[[], int | None],
    ) -> tuple[Item, ...]:
        """The card's key points or red flags (``key``); a problem of the list, or of an id in
        it, is reported at the card's ``key`` line, else at ``line``."""
        items = card.get(key, [])
        loc: Where = {"card_id": card_id, "line": self.card_key_line(card_index, key, line)}
        if not isinstance(items, list):
            self.attempt(partial(self.fail, f"'{key}' must be a list of ids or tables", **loc))
            return ()
        result: list[Item] = []
        seen: set[str] = set()
        noun = key[:-1].replace("_", " ")
        key_line = partial(self.line_of_item_key, f"[[cards.{key}]]", card_index)

        def one(item: Any) -> Item:
            if isinstance(item, str):
                if item not in shared:
                    defined = ", ".join(sorted(shared)) or "none defined"
                    self.fail(f"unknown {noun} '{item}' (deck-level: {defined})", **loc)
                built = shared[item]
            elif isinstance(item, dict):
                built = self.item(build, known, key_line, item, noun, **loc)
            else:
                self.fail(f"{noun} must be a table or a {noun} id, not {kind_of(item)}", **loc)
            if built.id in seen:
                self.fail(f"duplicate {noun} id '{built.id}'", **loc)
            return built

        for item in items:
            built = self.attempt(partial(one, item))
            if built is not None:
                seen.add(built.id)
                result.append(built)
        return tuple(result)

    def deck(self, data: dict[str, Any]) -> Deck:
        misspelt = self.report_unknown_keys(data, DECK_KEYS, self.line_of_deck_key)
        deck_id = data.get("id")
        if not isinstance(deck_id, str) or not is_valid_id(deck_id):
            if "id" not in misspelt:
                self.attempt(
                    partial(
                        self.fail,
                        f"deck needs an 'id' of {ID_RULE}"
                        + ("" if deck_id is None else f": {deck_id!r}"),
                        line=self.line_of_key("id"),
                    )
                )
            deck_id = "?"
        title = ""
        if "title" not in misspelt:
            title = self.attempt(
                partial(self.text_field, data, "title", "deck", line=self.line_of_key("title")),
                "",
            )
        description = self.attempt(
            partial(self.text_field, data, "description", "deck", required=False), ""
        )
        version = data.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            self.attempt(
                partial(self.fail, "'version' must be an integer", line=self.line_of_key("version"))
            )
            version = None
        shared_kps = self.shared(data, "key_points", item_rules.key_point_from, KEY_POINT_KEYS)
        shared_rfs = self.shared(data, "red_flags", item_rules.red_flag_from, RED_FLAG_KEYS)
        raw_cards = data.get("cards", [])
        if not isinstance(raw_cards, list):
            self.fail(
                "'cards' must be an array of tables ([[cards]])", line=self.line_of_key("cards")
            )
        if len(raw_cards) > MAX_CARDS:
            self.fail(f"{len(raw_cards):,} cards; the limit is {MAX_CARDS:,} per deck")
        cards = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_cards):
            card = self.attempt(
                partial(self.card, index, raw, deck_id, seen, shared_kps, shared_rfs)
            )
            if card is not None:
                cards.append(card)
        followups = self.followups(data)
        return Deck(
            id=deck_id,
            title=title,
            description=description,
            cards=tuple(cards),
            version=version,
            path=self.path,
            builtin=self.builtin,
            followups=followups,
        )

    def followups(self, data: dict[str, Any]) -> tuple[FollowUp, ...]:
        """The deck's ``[[followups]]``: each a standard key point id and a question."""
        items = data.get("followups", [])
        if not isinstance(items, list):
            self.attempt(
                partial(
                    self.fail,
                    "'followups' must be an array of tables ([[followups]])",
                    line=self.line_of_key("followups"),
                )
            )
            return ()
        found = []
        for number, item in enumerate(items, 1):
            found.append(self.attempt(partial(self.followup, number, item)))
        return tuple(f for f in found if f is not None)

    def followup(self, number: int, item: Any) -> FollowUp | None:
        """The ``number``-th follow-up; None if a required key of it is misspelt or wrong (its
        problem is reported already)."""
        where = f"follow-up #{number}"
        line = partial(self.line_of_header, "[[followups]]", number)
        if not isinstance(item, dict):
            self.fail(f"{where} must be a table", line=line)
        key_line = partial(_first_found, partial(self.line_of_followup_key, number), line)
        problems_before = len(self.problems)
        misspelt = self.report_unknown_keys(item, FOLLOWUP_KEYS, key_line, where)
        # Each key is checked, at its own line, however the other fares: validate lists all.
        key_point = item.get("key_point")
        if key_point not in STANDARD_KEY_POINTS and "key_point" not in misspelt:
            message = (
                f"{where} 'key_point' must be one of {', '.join(STANDARD_KEY_POINTS)}, "
                f"not {key_point!r}"
            )
            self.attempt(partial(self.fail, message, line=partial(key_line, "key_point")))
        prompt = ""
        if "prompt" not in misspelt:
            prompt_line = partial(key_line, "prompt")
            prompt = self.attempt(
                partial(self.text_field, item, "prompt", where, line=prompt_line), "?"
            )
            if not prompt.strip():
                self.attempt(partial(self.fail, f"{where} 'prompt' is empty", line=prompt_line))
        if misspelt or len(self.problems) > problems_before:
            return None
        return FollowUp(key_point=str(key_point), prompt=prompt.strip())  # a standard id here

    def line_of_followup_key(self, number: int, key: str) -> int | None:
        """The line where the ``number``-th (from 1) ``[[followups]]`` sets ``key``, or None."""
        header = self.line_of_header("[[followups]]", number)
        return self.line_in_table(header, key) if header is not None else None

    def line_of_header(self, header: str, number: int) -> int | None:
        """The line of the ``number``-th (from 1) ``header`` line, such as ``[[followups]]``."""
        seen = 0
        for line_number, line in enumerate(self.lines, 1):
            if line.strip().startswith(header):
                seen += 1
                if seen == number:
                    return line_number
        return None

    def card(
        self,
        index: int,
        raw: Any,
        deck_id: str,
        seen: set[str],
        shared_kps: dict[str, KeyPoint],
        shared_rfs: dict[str, RedFlag],
    ) -> Card | None:
        """One card; checking every problem, each field is checked (and reported) on its own.

        None if its id is missing, misspelt or invalid: that is reported (a typo as the problem
        of a card with no id), and so are the card's other problems, each at its key's line.
        """
        if not isinstance(raw, dict):
            self.fail(f"card #{index + 1} must be a table", line=self.line_of_card(index, None))
        raw_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        line = partial(self.line_of_card, index, raw_id)
        named = raw_id is not None and is_valid_id(raw_id)
        misspelt = self.report_unknown_keys(
            raw,
            CARD_KEYS,
            partial(_first_found, partial(self.line_of_card_key, index), line),
            "" if named else f"card #{index + 1}",
            card_id=raw_id if named else None,
        )
        card_id: str | None = None
        if "id" not in misspelt:
            # Checking every problem, a bad id does not stop the card's other checks: validate
            # lists them all at once.
            card_id = self.attempt(partial(self.item_id, raw, f"card #{index + 1}", line=line))
        problems_before = len(self.problems)

        def at(key: str) -> Where:
            """Where a problem of the card's ``key`` is: its line, or the card's if it has none."""
            return {"card_id": card_id, "line": self.card_key_line(index, key, line)}

        if card_id in seen:
            # Its other fields are still checked: validate lists every problem at once.
            message = "duplicate card id (ids must be unique in a deck)"
            self.attempt(partial(self.fail, message, **at("id")))
        if card_id is not None:
            seen.add(card_id)
        kind = raw.get("kind", "question")
        if kind not in CARD_KINDS:
            message = f"'kind' must be one of {', '.join(CARD_KINDS)}, not {kind!r}"
            self.attempt(partial(self.fail, message, **at("kind")))
        prompt = "?"
        if "prompt" not in misspelt:
            prompt = self.attempt(
                partial(self.text_field, raw, "prompt", "card", **at("prompt")), "?"
            )
            if not prompt.strip():
                self.attempt(partial(self.fail, "'prompt' is empty", **at("prompt")))
        tags = raw.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.attempt(partial(self.fail, "'tags' must be a list of strings", **at("tags")))
            tags = []
        answer = ""
        problems_before_answer = len(self.problems)
        if "answer" not in misspelt:
            answer = self.attempt(
                partial(self.text_field, raw, "answer", "card", **at("answer")), ""
            )
        key_points = self.card_items(
            raw,
            "key_points",
            shared_kps,
            item_rules.key_point_from,
            KEY_POINT_KEYS,
            index,
            card_id,
            line,
        )
        if not {"answer", "key_points"} & misspelt and len(self.problems) == problems_before_answer:
            # Only when both were read: a bad key point is reported as such, not as this. A
            # warning, not a problem: a deck saved before the rule keeps loading, while
            # validate and import say what to fix (the editor refuses to save such a card).
            try:
                item_rules.check_gradable(answer, key_points, "'answer'")
            except ItemProblem as exc:
                where = at("answer")
                found = where["line"]
                self.warnings.append(
                    DeckError(self.path, str(exc), found() if callable(found) else found, card_id)
                )
        red_flags = self.card_items(
            raw,
            "red_flags",
            shared_rfs,
            item_rules.red_flag_from,
            RED_FLAG_KEYS,
            index,
            card_id,
            line,
        )
        if card_id is None:
            # With no id to name it by, the card's problems name it by its place, as the id's does.
            self.problems[problems_before:] = [
                replace(problem, message=f"card #{index + 1}: {problem.message}")
                for problem in self.problems[problems_before:]
            ]
            return None
        return Card(
            deck_id=deck_id,
            id=card_id,
            kind=kind,
            prompt=prompt,
            answer=answer,
            tags=tuple(clean_text(t) for t in tags),
            key_points=key_points,
            red_flags=red_flags,
        )


def _key_names(key: str) -> str:
    """A regex alternation of ``key`` as TOML may write it: bare or quoted."""
    quoted = re.escape(key)
    return rf"{quoted}|\"{quoted}\"|'{quoted}'"


def _assignment(key: str) -> re.Pattern[str]:
    """A line setting ``key`` (bare or quoted) to a value, or a dotted key under it."""
    return re.compile(rf"^\s*(?:{_key_names(key)})\s*[=.]")


def _first_found(
    find: Callable[[str], int | None], fallback: int | Callable[[], int | None] | None, key: str
) -> int | None:
    """The line ``find(key)`` gives, else ``fallback`` (a line, or how to find one)."""
    found = find(key)
    if found is not None:
        return found
    return fallback() if callable(fallback) else fallback
