"""Edit deck text: a new deck, its title, its follow-ups, and cards added, updated or deleted,
keeping the user's text.

Deck files are plain TOML that people also edit by hand, so an edit here changes only what it
must. Each card is a block of lines (its ``[[cards]]`` header, its sub-tables, and the comment
lines right above the header); an edit re-renders that one block with tomlkit, which keeps the
comments and formatting inside it, and splices it back. Everything outside the block stays byte
for byte. Every new text is validated with :func:`~failtui.decks.reader.parse_deck`, so a text
made here always loads; :mod:`failtui.decks.files` writes it to disk.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict

import tomlkit
import tomlkit.items

from failtui.decks.files import DeckWriteError, atomic_write, write_new_deck_file
from failtui.decks.ids import (
    DECK_ID_PATTERN,
    DECK_ID_RULE,
    ID_RULE,
    is_valid_id,
    slugify,
    unique_id,
)
from failtui.decks.items import ItemProblem, check_gradable, check_new_items
from failtui.decks.reader import DeckLoadError, parse_deck, toml_problem
from failtui.models import (
    CARD_KINDS,
    MAX_TITLE,
    Card,
    Deck,
    FollowUp,
    KeyPoint,
    RedFlag,
    title_problem,
)
from failtui.textclean import clean_text

_CARD_HEADER = re.compile(r"^\s*\[\[\s*cards\s*\]\]\s*(?:#.*)?$")
_CARD_SUB_HEADER = re.compile(r"^\s*\[{1,2}\s*cards\s*\.")
_ANY_HEADER = re.compile(r"^\s*\[")
_COMMENT = re.compile(r"^\s*#")


# -- new decks ---------------------------------------------------------------------------------
def check_deck_id(deck_id: str) -> None:
    """Refuse a deck id that is not a lowercase slug usable as a file name.

    Raises:
        DeckWriteError: with a one-line reason.
    """
    if not DECK_ID_PATTERN.match(deck_id or ""):
        raise DeckWriteError(f"deck id {deck_id!r} must be {DECK_ID_RULE}")


def check_deck_title(title: str) -> str:
    """The title as a deck file keeps it (cleaned, trimmed), if it is not too long.

    Raises:
        DeckWriteError: the title is over :data:`~failtui.models.MAX_TITLE` characters.
    """
    cleaned = clean_text(title).strip()
    problem = title_problem(cleaned)
    if problem:
        raise DeckWriteError(problem)
    return cleaned


def derived_title(base: str, suffix: str = "") -> str:
    """A title made from another (a copy's: ``base`` + " (copy)"), ``base`` cut short with "…"
    so that the whole stays within :data:`~failtui.models.MAX_TITLE`.

    Nobody typed it, so it is made to fit rather than refused.
    """
    base = " ".join(clean_text(base).split())
    room = MAX_TITLE - len(suffix)
    if len(base) > room:
        base = base[: room - 1].rstrip() + "…"
    return base + suffix


def new_deck_text(deck_id: str, title: str, description: str = "") -> str:
    """The TOML of an empty deck (a comment line says how to add cards by hand)."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("A failtui deck. Edit it in the app (e from home) or by hand."))
    doc.add(tomlkit.comment("The format is described in failtui's README (Decks)."))
    doc.add("id", deck_id)
    doc.add("title", clean_text(title) or deck_id)
    doc.add("description", clean_text(description))
    return tomlkit.dumps(doc)


def create_deck(folder: Path, deck_id: str, title: str = "", description: str = "") -> Path:
    """Create ``folder/ID.toml`` holding an empty deck.

    Raises:
        DeckWriteError: a bad id, or a file of that name already exists.
    """
    check_deck_id(deck_id)
    title = check_deck_title(title)
    path = folder / f"{deck_id}.toml"
    if path.exists():
        raise DeckWriteError(f"{path}: a deck file with this id already exists")
    text = new_deck_text(deck_id, title or deck_id, description)
    _validate(text, path)
    atomic_write(path, text, exclusive=True)
    return path


def unique_deck_id(folder: Path, wanted: str, taken: Iterable[str] = ()) -> str:
    """``wanted`` slugified, or with ``-2``, ``-3``... if a file or a loaded deck already has it."""
    used = set(taken)
    return unique_id(
        slugify(wanted, limit=56) or "deck",
        lambda c: c in used or (folder / f"{c}.toml").exists(),
    )


def copy_deck_text(text: str, new_id: str, new_title: str, path: Path) -> str:
    """The text of a deck file with its id and title replaced (comments and cards kept).

    Raises:
        DeckWriteError: the title is too long, or the text is not TOML.
    """
    new_title = check_deck_title(new_title)
    doc = _parse_toml(text, path)
    doc["id"] = new_id
    doc["title"] = new_title
    result = tomlkit.dumps(doc)
    _validate(result, path)
    return result


def set_deck_fields(
    text: str,
    path: Path,
    *,
    title: str | None = None,
    description: str | None = None,
    deck_id: str | None = None,
) -> str:
    """The deck text with a new title, description and/or id, everything else unchanged."""
    doc = _parse_toml(text, path)
    if deck_id is not None:
        check_deck_id(deck_id)
        doc["id"] = deck_id
    if title is not None:
        title = check_deck_title(title)
        if not title:
            raise DeckWriteError(f"{path}: the title is empty")
        doc["title"] = title
    if description is not None:
        doc["description"] = clean_text(description)
    result = tomlkit.dumps(doc)
    _validate(result, path)
    return result


def set_followups(text: str, path: Path, followups: tuple[FollowUp, ...]) -> str:
    """The deck text with its ``[[followups]]`` replaced by ``followups``, the rest unchanged.

    Tables are edited in place, in order, so comments among them stay; new ones go after the
    last; none left removes the key.

    Raises:
        DeckWriteError, DeckLoadError: the text is not a deck, or the result would not load.
    """
    doc = _parse_toml(text, path)
    current = doc.get("followups")
    wanted = [{"key_point": f.key_point, "prompt": clean_text(f.prompt).strip()} for f in followups]
    if not wanted:
        if current is not None:
            del doc["followups"]
    elif isinstance(current, tomlkit.items.AoT):
        _update_followup_tables(current, wanted)
    else:
        if current is not None:
            del doc["followups"]  # an inline array, or junk the reader refused: written anew
        aot = tomlkit.aot()
        for values in wanted:
            aot.append(_followup_table(values))
        doc["followups"] = aot
    # Tables added or removed at the end leave blank lines behind: end as the file ended.
    ending = "\n" * max(1, len(text) - len(text.rstrip("\n")))
    result = tomlkit.dumps(doc).rstrip("\n") + ending
    deck = _validate(result, path)
    if deck.followups != tuple(FollowUp(**values) for values in wanted):
        raise DeckWriteError(f"{path}: the follow-ups could not be written as given")
    return result


def _update_followup_tables(current: Any, wanted: list[dict[str, str]]) -> None:
    """Edit ``[[followups]]`` tables in place: the ones kept stay as written (with comments)."""
    have = [(_plain(t.get("key_point")), _plain(t.get("prompt"))) for t in current]
    want = [(w["key_point"], w["prompt"]) for w in wanted]
    matcher = difflib.SequenceMatcher(a=have, b=want, autojunk=False)
    # From the end, so the indices of the tables still to edit do not move.
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        shared = min(i2 - i1, j2 - j1)
        for offset in range(shared):
            table, values = current[i1 + offset], wanted[j1 + offset]
            for key, value in values.items():
                if key not in table or _plain(table[key]) != value:
                    table[key] = _text_value(value) if key == "prompt" else value
        for index in reversed(range(i1 + shared, i2)):
            del current[index]
        for offset, values in enumerate(wanted[j1 + shared : j2]):
            at = i1 + shared + offset
            if at == len(current):
                current.append(_followup_table(values))
            else:
                current.insert(at, _followup_table(values, blank_after=True))


def _followup_table(values: dict[str, str], *, blank_after: bool = False) -> Any:
    table = tomlkit.table()
    table["key_point"] = values["key_point"]
    table["prompt"] = _text_value(values["prompt"])
    if blank_after:
        table.add(tomlkit.nl())
    return table


# -- cards -------------------------------------------------------------------------------------
def set_card(text: str, path: Path, card: Card, *, old_id: str | None = None) -> str:
    """The deck text with ``card`` added, or replacing the card ``old_id`` (default: its own id).

    Replacing keeps the card's place in the file and the comments inside its block. A card whose
    id changes is a new card for the review history; callers ask the user first.

    Raises:
        DeckWriteError, DeckLoadError: the card is invalid, or its id is taken by another card.
    """
    return apply_card_changes(text, path, upserts=[card], renames={card.id: old_id or card.id})


def delete_card(text: str, path: Path, card_id: str) -> str:
    """The deck text without the card ``card_id`` (with the comment lines right above it).

    Raises:
        DeckWriteError: there is no such card.
    """
    return apply_card_changes(text, path, deletes=[card_id])


def apply_card_changes(
    text: str,
    path: Path,
    *,
    upserts: Iterable[Card] = (),
    deletes: Iterable[str] = (),
    renames: dict[str, str] | None = None,
    extras: dict[str, dict[str, Any]] | None = None,
) -> str:
    """Add, replace and delete cards in one pass over the file (imports use it for many cards).

    ``renames`` maps a card's new id to the id of the block it replaces. A card whose id is
    already in the file replaces that card in place; others are appended after the last card.
    ``extras`` maps a card id to more keys of its table that the reader ignores (a story's
    parts), written after the card's own fields.

    Raises:
        DeckWriteError: an invalid card, a duplicate id, or a card to delete that is missing.
        DeckLoadError: the result would not load (nothing is written by this function anyway).
    """
    renames = dict(renames or {})
    extras = dict(extras or {})
    before = parse_deck(text, path)
    shared = shared_items(text, path)
    upserts = list(upserts)
    for card in upserts:
        check_card(card)
    lines = text.splitlines(keepends=True)
    blocks, region_end = _card_blocks(lines)
    block_ids = [_block_card_id(lines, b) for b in blocks]
    if None in block_ids or len(blocks) != len(before.cards):
        # Blocks the scan cannot use (e.g. cards in an inline array, cards = [{...}]).
        return _apply_with_tomlkit(text, path, shared, upserts, deletes, renames, extras)
    index_of = {cid: i for i, cid in enumerate(block_ids)}
    replacement: dict[int, str | None] = {}
    appended: list[str] = []
    for card_id in deletes:
        if card_id not in index_of:
            raise DeckWriteError(f"{path}: no card '{card_id}' to delete")
        replacement[index_of[card_id]] = None
    seen_new: set[str] = set()
    for card in upserts:
        if card.id in seen_new:
            raise DeckWriteError(f"{path}: card '{card.id}' is given twice")
        seen_new.add(card.id)
        target = renames.get(card.id, card.id)
        if target != card.id and card.id in index_of and index_of[card.id] not in replacement:
            raise DeckWriteError(f"{path}: card id '{card.id}' is already used in this deck")
        if target in index_of:
            i = index_of[target]
            block_text = "".join(lines[blocks[i][0] : blocks[i][1]])
            replacement[i] = _render_card_block(block_text, card, shared, path, extras.get(card.id))
        else:
            appended.append(_render_card_block(None, card, shared, path, extras.get(card.id)))
    out: list[str] = []
    position = 0
    for i, (start, end) in enumerate(blocks):
        out.extend(lines[position:start])
        if i in replacement:
            block = replacement[i]
            if block is not None:
                out.append(block)
        else:
            out.extend(lines[start:end])
        position = end
    insert_at = region_end if blocks else len(lines)
    out.extend(lines[position:insert_at])
    if appended:
        head = "".join(out)
        if head and not head.endswith("\n"):
            head += "\n"
        if head and not head.endswith("\n\n"):
            head += "\n"
        out = [head, "\n".join(appended)]
        tail = "".join(lines[insert_at:])
        if tail:
            out.append("\n")
    out.extend(lines[insert_at:])
    result = "".join(out)
    try:
        after = _validate(result, path)
    except DeckLoadError:
        after = None  # e.g. cards in an inline array (cards = [{...}]): no blocks were found
    expected = _expected_cards(before, upserts, deletes, renames)
    if after is None or list(after.cards) != expected:
        # The line scan was fooled (e.g. a multi-line string holding "[[cards]]"): redo it
        # through tomlkit's document model, which is always right but moves some comments.
        return _apply_with_tomlkit(text, path, shared, upserts, deletes, renames, extras)
    return result


def check_card(card: Card) -> None:
    """Check a card's fields before it is written; one line naming the card and the problem.

    Raises:
        DeckWriteError
    """
    where = f"card '{card.id}'"
    if not is_valid_id(card.id):
        raise DeckWriteError(f"card id {card.id!r} must be {ID_RULE}")
    if card.kind not in CARD_KINDS:
        raise DeckWriteError(f"{where}: kind must be one of {', '.join(CARD_KINDS)}")
    if not card.prompt.strip():
        raise DeckWriteError(f"{where}: the prompt is empty")
    for tag in card.tags:
        if not tag.strip():
            raise DeckWriteError(f"{where}: a tag is empty")
    try:
        check_new_items(card.key_points, card.red_flags)
        check_gradable(card.answer, card.key_points, "the guidance")
    except ItemProblem as exc:
        raise DeckWriteError(f"{where}: {exc}") from None


def _expected_cards(
    before: Deck, upserts: list[Card], deletes: Iterable[str], renames: dict[str, str]
) -> list[Card]:
    deleted = set(deletes)
    by_target = {renames.get(c.id, c.id): c for c in upserts}
    result = []
    for card in before.cards:
        if card.id in deleted:
            continue
        new = by_target.pop(card.id, None)
        result.append(_as_loaded(new, before.id) if new else card)
    result += [_as_loaded(c, before.id) for c in by_target.values()]
    return result


def _as_loaded(card: Card, deck_id: str) -> Card:
    # What the reader gives back for a written card: the deck's id, cleaned text, trimmed cues.
    return Card(
        deck_id=deck_id,
        id=card.id,
        kind=card.kind,
        prompt=clean_text(card.prompt),
        answer=clean_text(card.answer),
        tags=tuple(clean_text(t) for t in card.tags),
        key_points=tuple(
            KeyPoint(
                kp.id,
                clean_text(kp.label),
                tuple(clean_text(c).strip() for c in kp.cues if c.strip()),
                float(kp.weight),
                clean_text(kp.hint),
            )
            for kp in card.key_points
        ),
        red_flags=tuple(
            RedFlag(
                rf.id,
                clean_text(rf.label),
                tuple(clean_text(c).strip() for c in rf.cues if c.strip()),
                clean_text(rf.advice),
            )
            for rf in card.red_flags
        ),
    )


# -- the line scan -----------------------------------------------------------------------------
def _card_blocks(lines: list[str]) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) line ranges of each card block, and where the cards region ends."""
    headers: list[int] = []
    region_end = len(lines)
    in_string: str | None = None
    in_cards = False
    for number, line in enumerate(lines):
        if in_string is None and not _COMMENT.match(line):
            if _CARD_HEADER.match(line):
                headers.append(number)
                in_cards = True
            elif in_cards and _ANY_HEADER.match(line) and not _CARD_SUB_HEADER.match(line):
                # Another top-level table after the cards: the cards region ends above it.
                region_end = _attached_comments_start(lines, number)
                in_cards = False
                break
        in_string = _string_state(line, in_string)
    starts = [_attached_comments_start(lines, h) for h in headers]
    blocks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else region_end
        blocks.append((start, end))
    if blocks:
        blocks[-1] = (blocks[-1][0], _end_before_trailing_comments(lines, *blocks[-1]))
    return blocks, region_end


def _end_before_trailing_comments(lines: list[str], start: int, end: int) -> int:
    """Where the last card's block ends: comments after its last line belong to the file."""
    last = end - 1
    while last > start and (not lines[last].strip() or _COMMENT.match(lines[last])):
        last -= 1
    return next((i for i in range(last + 1, end) if _COMMENT.match(lines[i])), end)


def _attached_comments_start(lines: list[str], header: int) -> int:
    start = header
    while start > 0 and _COMMENT.match(lines[start - 1]):
        start -= 1
    return start


def _string_state(line: str, in_string: str | None) -> str | None:
    """Track whether a multi-line string is open after this line (good enough for deck files)."""
    position = 0
    while True:
        if in_string is None:
            hash_at = line.find("#", position)
            candidates = [(line.find(q, position), q) for q in ('"""', "'''")]
            candidates = [(at, q) for at, q in candidates if at >= 0]
            if not candidates:
                return None
            at, quote = min(candidates)
            if 0 <= hash_at < at and line.count('"', 0, hash_at) % 2 == 0:
                return None
            in_string = quote
            position = at + 3
        else:
            at = line.find(in_string, position)
            if at < 0:
                return in_string
            in_string = None
            position = at + 3


def _block_card_id(lines: list[str], block: tuple[int, int]) -> str | None:
    try:
        data = tomllib.loads("".join(lines[block[0] : block[1]]))
        card_id = data["cards"][0]["id"]
    except (tomllib.TOMLDecodeError, KeyError, IndexError, TypeError):
        return None
    return card_id if isinstance(card_id, str) else None


# -- rendering a card --------------------------------------------------------------------------
class SharedItems(TypedDict):
    """A deck's deck-level key points and red flags, by id."""

    key_points: dict[str, KeyPoint]
    red_flags: dict[str, RedFlag]


def shared_items(text: str, path: Path) -> SharedItems:
    """The deck-level key points and red flags, as cards that reference them would see them."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeckWriteError(str(toml_problem(exc, text, path))) from None
    shared: SharedItems = {"key_points": {}, "red_flags": {}}
    for raw in data.get("key_points", []) or []:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            shared["key_points"][raw["id"]] = KeyPoint(
                id=raw["id"],
                label=clean_text(raw.get("label", "")),
                cues=tuple(clean_text(c).strip() for c in raw.get("cues", [])),
                weight=float(raw.get("weight", 1.0)),
                hint=clean_text(raw.get("hint", "")),
            )
    for raw in data.get("red_flags", []) or []:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            shared["red_flags"][raw["id"]] = RedFlag(
                id=raw["id"],
                label=clean_text(raw.get("label", "")),
                cues=tuple(clean_text(c).strip() for c in raw.get("cues", [])),
                advice=clean_text(raw.get("advice", "")),
            )
    return shared


def _item_table(item: KeyPoint | RedFlag, inline: bool, blank_after: bool = False) -> Any:
    table = tomlkit.inline_table() if inline else tomlkit.table()
    table["id"] = item.id
    table["label"] = clean_text(item.label)
    if isinstance(item, KeyPoint):
        if item.weight != 1.0:
            table["weight"] = item.weight
        if item.hint:
            table["hint"] = clean_text(item.hint)
    table["cues"] = [clean_text(c).strip() for c in item.cues if c.strip()]
    if isinstance(item, RedFlag) and item.advice:
        table["advice"] = clean_text(item.advice)
    if blank_after:
        table.add(tomlkit.nl())  # set apart from the next table, as people write them
    return table


def _items_value(
    items: Sequence[KeyPoint | RedFlag], shared: Mapping[str, KeyPoint | RedFlag]
) -> Any:
    """Deck-level items are written by id; the rest as tables (inline when mixed with ids)."""
    refs = [item.id in shared and shared[item.id] == item for item in items]
    if all(refs):
        array = tomlkit.array()
        array.extend(item.id for item in items)
        return array
    if not any(refs):
        aot = tomlkit.aot()
        for item in items:
            aot.append(_item_table(item, inline=False))
        return aot
    array = tomlkit.array()
    for item, ref in zip(items, refs, strict=True):
        array.append(item.id if ref else _item_table(item, inline=True))
    array.multiline(True)
    return array


def _plain(value: Any) -> Any:
    """A tomlkit value as plain Python, for comparing."""
    return value.unwrap() if hasattr(value, "unwrap") else value


def _text_value(text: str) -> str | tomlkit.items.String:
    text = clean_text(text)
    if "\n" in text:
        # Multi-line text reads best as a multi-line string in a hand-edited file.
        return tomlkit.string(text, multiline=True)
    return text


def _render_card_block(
    block_text: str | None,
    card: Card,
    shared: SharedItems,
    path: Path,
    extra: dict[str, Any] | None = None,
) -> str:
    """The TOML block of a card: the old block edited in place, or a new one."""
    if block_text is None:
        doc = tomlkit.document()
        aot = tomlkit.aot()
        aot.append(tomlkit.table())
        doc["cards"] = aot
    else:
        doc = _parse_toml(block_text, path)
    table = doc["cards"][0]
    _fill_card_table(table, card, shared, extra)
    rendered = tomlkit.dumps(doc)
    if not rendered.endswith("\n"):
        rendered += "\n"
    if block_text is not None and block_text.endswith("\n\n") and not rendered.endswith("\n\n"):
        rendered += "\n"
    return rendered


def _fill_card_table(
    table: Any, card: Card, shared: SharedItems, extra: dict[str, Any] | None = None
) -> None:
    fields = {
        "id": card.id,
        "kind": card.kind,
        "prompt": card.prompt,
        "answer": card.answer,
    }
    existing = bool(table)
    for key, value in fields.items():
        if key in table and _plain(table[key]) == clean_text(value):
            continue
        if existing and key == "kind" and "kind" not in table and value == "question":
            continue  # the reader's default: a hand-written card without 'kind' stays so
        table[key] = _text_value(value) if key in ("prompt", "answer") else value
    tags = [clean_text(t) for t in card.tags]
    if [clean_text(t) for t in _plain(table.get("tags", []))] != tags and (tags or "tags" in table):
        table["tags"] = tags
    for key, items, pool in (
        ("key_points", card.key_points, shared["key_points"]),
        ("red_flags", card.red_flags, shared["red_flags"]),
    ):
        new = _items_value(items, pool)
        if key in table and _plain(table[key]) == _plain(new):
            continue
        if not items:
            if key in table:
                del table[key]
            continue
        current = table.get(key)
        if isinstance(current, tomlkit.items.AoT) and isinstance(new, tomlkit.items.AoT):
            _update_aot(current, items)
            continue
        if key in table:
            del table[key]
        table[key] = new
    for key, value in (extra or {}).items():
        if key in table and _plain(table[key]) == value:
            continue
        if isinstance(value, dict) and key in table and hasattr(table[key], "items"):
            sub = table[key]
            for name in [n for n in sub if n not in value]:
                del sub[name]
            for name, item in value.items():
                if name not in sub or _plain(sub[name]) != item:
                    sub[name] = _text_value(item) if isinstance(item, str) else item
            continue
        if isinstance(value, dict):
            new_table = tomlkit.table()
            for name, item in value.items():
                new_table[name] = _text_value(item) if isinstance(item, str) else item
            table[key] = new_table
            continue
        table[key] = value


def _update_aot(current: Any, items: Sequence[KeyPoint | RedFlag]) -> None:
    """Edit an array of tables in place (matching by id), so comments inside it stay."""
    wanted = {item.id: _item_table(item, inline=False, blank_after=True) for item in items}
    for index in reversed(range(len(current))):
        if str(_plain(current[index].get("id"))) not in wanted:
            del current[index]
    present = {str(_plain(t.get("id"))): t for t in current}
    for item_id, fresh in wanted.items():
        table = present.get(item_id)
        if table is None:
            current.append(fresh)
            continue
        for key in [k for k in table if k not in fresh]:
            del table[key]
        for key, value in fresh.items():
            if key not in table or _plain(table[key]) != _plain(value):
                table[key] = value


def _apply_with_tomlkit(
    text: str,
    path: Path,
    shared: SharedItems,
    upserts: list[Card],
    deletes: Iterable[str],
    renames: dict[str, str],
    extras: dict[str, dict[str, Any]],
) -> str:
    doc = _parse_toml(text, path)
    cards = doc.get("cards")
    if cards is None:
        cards = tomlkit.aot()
        doc["cards"] = cards
    ids = [str(_plain(t.get("id"))) for t in cards]
    for card_id in deletes:
        if card_id not in ids:
            raise DeckWriteError(f"{path}: no card '{card_id}' to delete")
        del cards[ids.index(card_id)]
        ids.remove(card_id)
    for card in upserts:
        target = renames.get(card.id, card.id)
        if target != card.id and card.id in ids:
            raise DeckWriteError(f"{path}: card id '{card.id}' is already used in this deck")
        inline = isinstance(cards, tomlkit.items.Array)
        if target in ids:
            index = ids.index(target)
            if inline:
                # An inline table cannot hold sub-tables: the card is written anew, inline.
                cards[index] = _inline_card(card, shared, extras.get(card.id))
            else:
                _fill_card_table(cards[index], card, shared, extras.get(card.id))
            ids[index] = card.id
        else:
            if inline:
                cards.append(_inline_card(card, shared, extras.get(card.id)))
            else:
                table = tomlkit.table()
                _fill_card_table(table, card, shared, extras.get(card.id))
                cards.append(table)
            ids.append(card.id)
    result = tomlkit.dumps(doc)
    _validate(result, path)
    return result


def _inline_card(card: Card, shared: SharedItems, extra: dict[str, Any] | None = None) -> Any:
    """A card as an inline table, for decks that write ``cards = [{...}]``."""
    table = tomlkit.inline_table()
    table.update({"id": card.id, "kind": card.kind, "prompt": clean_text(card.prompt)})
    table["answer"] = clean_text(card.answer)
    if card.tags:
        table["tags"] = [clean_text(t) for t in card.tags]
    for key, items, pool in (
        ("key_points", card.key_points, shared["key_points"]),
        ("red_flags", card.red_flags, shared["red_flags"]),
    ):
        if items:
            array = tomlkit.array()
            for item in items:
                shared_ref = item.id in pool and pool[item.id] == item
                array.append(item.id if shared_ref else _item_table(item, inline=True))
            table[key] = array
    for key, value in (extra or {}).items():
        table[key] = value
    return table


def _parse_toml(text: str, path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        # Worded as the reader words it (and `decks validate`), from tomllib's own error.
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as toml_exc:
            raise DeckWriteError(str(toml_problem(toml_exc, text, path))) from None
        message = str(exc).rsplit(" at line ", 1)[0]  # its line is put first, as above
        raise DeckWriteError(f"{path}:{exc.line}: invalid TOML: {message}") from None


def _validate(text: str, path: Path) -> Deck:
    """The deck the text holds; a DeckLoadError if it would not load (so it is not written)."""
    return parse_deck(text, path)


def save_as_copy(folder: Path, text: str, source_path: Path, taken: Iterable[str] = ()) -> Path:
    """Keep both versions: write ``text`` as a new deck beside the original, with a new id.

    The copy's id is the original's with ``-copy`` (numbered if needed), so both load.
    """
    doc = _parse_toml(text, source_path)
    base = str(_plain(doc.get("id", "deck")))
    new_id = unique_deck_id(folder, f"{base}-copy", taken)
    title = str(_plain(doc.get("title", base)))
    copied = copy_deck_text(text, new_id, derived_title(title, " (copy)"), source_path)
    return write_new_deck_file(folder, copied, new_id)


__all__ = [
    "apply_card_changes",
    "check_card",
    "check_deck_id",
    "check_deck_title",
    "copy_deck_text",
    "create_deck",
    "delete_card",
    "derived_title",
    "new_deck_text",
    "save_as_copy",
    "set_card",
    "set_deck_fields",
    "set_followups",
    "shared_items",
    "unique_deck_id",
]
