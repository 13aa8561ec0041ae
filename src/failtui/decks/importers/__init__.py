"""Import cards from other tools (Anki plain-text exports, CSV with a header, Markdown Q:/A:
pairs) and from failtui's own deck files (another deck's export).

A failtui deck file made into a new deck is kept whole (:func:`deck_file_text`): its title,
description, follow-ups, deck-level key points and red flags and comments, under its own id or
the one chosen. Into a deck that exists it brings its cards only; :func:`left_out` says what
else it held.

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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from failtui.decks.files import DeckWriteError
from failtui.decks.formats import IMPORT_FORMATS
from failtui.decks.ids import ID_RULE, is_valid_id, slugify, unique_id
from failtui.decks.importers.anki import anki_rows
from failtui.decks.importers.base import (
    ImportFailed,
    ImportProblem,
    ImportResult,
    Row,
    html_to_text,
)
from failtui.decks.importers.csvfile import csv_rows, has_csv_header
from failtui.decks.importers.markdown import markdown_rows
from failtui.decks.items import ItemProblem, check_gradable
from failtui.decks.reader import MAX_CARDS, DeckLoadError, deck_text, parse_deck
from failtui.decks.writer import check_card, set_deck_fields, shared_items
from failtui.models import CARD_KINDS, Card, Deck, DeckError
from failtui.safefiles import FileRefused, read_regular_file, shown

#: A file larger than this is refused before it is read (the deck it makes could not load).
MAX_IMPORT_BYTES = 16 * 1024 * 1024


#: Longest text accepted in one field; longer ones are reported as bad rows.
MAX_FIELD_CHARS = 20_000


#: ``progress(rows_done, rows_total)``, called now and then during a long import.
Progress = Callable[[int, int], None]


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
    try:
        # As a deck file is read, so a file that imports also loads (a byte-order mark dropped).
        text = deck_text(raw, path)
    except DeckLoadError as exc:
        raise ImportFailed(str(exc.error)) from None
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
    if suffix == ".toml" or re.search(r"^\s*\[\[cards\]\]\s*$", head, re.M):
        return "toml"
    if head.startswith("#separator:") or head.startswith("#html:") or head.startswith("#tags"):
        return "anki"
    if re.search(r"^\s*Q:", head, re.M) and re.search(r"^\s*A:", head, re.M):
        return "markdown"
    if has_csv_header(head.split("\n", 1)[0]):
        return "csv"
    return "anki"


@dataclass(frozen=True)
class ImportSource:
    """A file to import, read: its text, its format and, for a failtui deck file, its deck."""

    path: Path
    text: str
    format: str
    #: The deck a failtui deck file holds (its id, title, follow-ups); None for other formats.
    deck: Deck | None = None
    #: The keys of a deck file that failtui does not know and ignores, each at its line.
    warnings: tuple[DeckError, ...] = ()


def read_import(path: Path, format: str | None = None) -> ImportSource:
    """Read a file to import, in ``format`` (one of :data:`IMPORT_FORMATS`, None: detect it).

    A failtui deck file is checked whole, as when it loads; the keys it ignores are the
    source's ``warnings``.

    Raises:
        ImportFailed: the file cannot be read, its format is unknown, or (a deck file) it is
            not a valid deck: the first problem, with its line.
    """
    text = read_text(path)
    chosen = format or detect_format(path, text)
    if chosen not in IMPORT_FORMATS:
        raise ImportFailed(f"unknown format {chosen!r} (known: {', '.join(IMPORT_FORMATS)})")
    if chosen != "toml":
        return ImportSource(path, text, chosen)
    warnings: list[DeckError] = []
    try:
        deck = parse_deck(text, path, warnings=warnings)
    except DeckLoadError as exc:
        # A deck file has no independent rows to skip: a problem fails the whole import.
        raise ImportFailed(str(exc.error)) from None
    return ImportSource(path, text, chosen, deck, tuple(warnings))


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
        path: the file (Anki text export, CSV with a header row, Markdown Q:/A: pairs, or a
            failtui deck file).
        deck_id: the deck the cards will belong to.
        format: one of :data:`~failtui.decks.formats.IMPORT_FORMATS`, or None to detect it.
        progress: called with (rows done, rows total) every few hundred rows.
        taken_ids: card ids already used by other cards, avoided for generated ids.
        existing: the cards of the deck imported into: a row without an id whose front is one
            of their prompts gets that card's id (so it updates the card, not doubles it).

    Raises:
        ImportFailed: the file as a whole cannot be read.
    """
    return import_cards(
        read_import(path, format),
        deck_id,
        progress=progress,
        taken_ids=taken_ids,
        existing=existing,
    )


def import_cards(
    source: ImportSource,
    deck_id: str,
    *,
    progress: Progress | None = None,
    taken_ids: set[str] | None = None,
    existing: Sequence[Card] = (),
) -> ImportResult:
    """The cards of a file read by :func:`read_import`, for deck ``deck_id``.

    The arguments are those of :func:`import_file`.

    Raises:
        ImportFailed: more cards than a deck may hold.
    """
    path, text = source.path, source.text
    if source.deck is not None:
        return _deck_file_cards(source.deck, path, deck_id, existing)
    reader = {"anki": anki_rows, "csv": csv_rows, "markdown": markdown_rows}[source.format]
    result = ImportResult(source.format)
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


#: What a card read from a deck file carries: every field, so an update takes all of them.
_EVERY_FIELD = frozenset(("kind", "prompt", "answer", "tags", "key_points", "red_flags"))


def _deck_file_cards(
    deck: Deck, path: Path, deck_id: str, existing: Sequence[Card]
) -> ImportResult:
    """The cards of a failtui deck file (``failtui decks export``'s TOML), for deck ``deck_id``."""
    result = ImportResult("toml", rows=len(deck.cards))
    existing_ids = {c.id for c in existing}
    for card in deck.cards:
        result.cards.append(replace(card, deck_id=deck_id))
        result.given[card.id] = _EVERY_FIELD
        result.updates += card.id in existing_ids
    if len(result.cards) - result.updates > MAX_CARDS - len(existing_ids):
        raise ImportFailed(
            f"{shown(path)}: {len(result.cards) - result.updates:,} new cards for a deck of "
            f"{len(existing_ids):,}; the limit is {MAX_CARDS:,} per deck. Nothing was imported."
        )
    return result


def deck_file_text(source: ImportSource, deck_id: str) -> str:
    """The text of a new deck ``deck_id`` made from a failtui deck file: the file as it is
    (title, description, version, follow-ups, deck-level items, comments), its id set to
    ``deck_id``.

    Raises:
        DeckWriteError: ``deck_id`` cannot name a deck file.
    """
    assert source.deck is not None, "only a failtui deck file is kept whole"
    if source.deck.id == deck_id:
        return source.text
    return set_deck_fields(source.text, source.path, deck_id=deck_id)


def left_out(source: ImportSource, existing: Deck, existing_text: str) -> list[str]:
    """What a failtui deck file holds besides its cards that an import into ``existing`` (a
    deck that exists, whose file holds ``existing_text``) does not take, one line each.

    Such an import brings cards only. A deck-level key point or red flag of the file that the
    deck does not have as the file has it is written into each card that uses it.
    """
    deck = source.deck
    if deck is None:
        return []
    name = shown(source.path.name)
    lines = []
    differ = [
        what
        for what, theirs, ours in (
            ("title", deck.title, existing.title),
            ("description", deck.description, existing.description),
            ("version", deck.version, existing.version),
            ("follow-up questions", deck.followups, existing.followups),
        )
        if theirs != ours and (theirs or theirs == 0)
    ]
    if differ:
        listed = ", ".join(differ[:-1]) + (" and " if len(differ) > 1 else "") + differ[-1]
        verb = "are" if len(differ) > 1 or differ[0].endswith("s") else "is"
        lines.append(
            f"{name}: its {listed} {verb} not imported: only cards go into '{existing.id}', a "
            "deck that exists (--deck NEW makes a new deck of the whole file)"
        )
    theirs, ours = shared_items(source.text, source.path), shared_items(existing_text, Path())
    used = {kp.id for card in deck.cards for kp in card.key_points}
    used |= {rf.id for card in deck.cards for rf in card.red_flags}
    pools: tuple[tuple[str, Mapping[str, object], Mapping[str, object]], ...] = (
        ("key points", theirs["key_points"], ours["key_points"]),
        ("red flags", theirs["red_flags"], ours["red_flags"]),
    )
    for noun, in_file, in_deck in pools:
        copied = [
            item_id
            for item_id, item in in_file.items()
            if item_id in used and in_deck.get(item_id) != item
        ]
        if len(copied) == 1:
            lines.append(
                f"{name}: its deck-level {noun[:-1]} '{copied[0]}' is not in '{existing.id}' as "
                "the file defines it: each card that uses it holds its own copy"
            )
        elif copied:
            listed = ", ".join(f"'{item_id}'" for item_id in copied)
            lines.append(
                f"{name}: its deck-level {noun} {listed} are not in '{existing.id}' as the file "
                "defines them: each card that uses one holds its own copy"
            )
    return lines


def _check_row(row: Row) -> str | None:
    if not row.front.strip():
        return "the front (question) is empty"
    try:
        check_gradable(row.back, row.key_points, "the back (answer)")
    except ItemProblem as exc:
        return str(exc)
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


__all__ = [
    "ImportFailed",
    "ImportPlan",
    "ImportProblem",
    "ImportResult",
    "ImportSource",
    "deck_file_text",
    "detect_format",
    "html_to_text",
    "import_cards",
    "import_file",
    "left_out",
    "plan_import",
    "read_import",
    "read_text",
]
