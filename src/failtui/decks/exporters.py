"""Export a deck: its TOML file as it is, CSV with a header row, or Anki's plain-text format.

* ``toml``: the deck file's own text (comments and all); a deck without a file is rendered anew.
* ``csv``: ``id,kind,prompt,answer,tags,key_points,red_flags``; tags space-separated (a JSON
  list when a tag holds a space, a comma or a quote), key points and red flags as the card
  editor's lines, one item a line (``id | label | cue; cue``, a key point's hint and weight
  after it when it has them; ``id | label | cue; cue | advice`` for a red flag), readable and
  editable in a spreadsheet. The importer knows this header and reads such a file back
  exactly (no HTML guessing, no trimming), so importing the CSV gives the same cards. A cell
  that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return) gets a leading ``'``, which the importer takes off again.
* ``anki``: the headers Anki reads (``#separator:tab``, ``#html:false``, ``#tags column:3``) and
  one note per card: front, back, tags (spaces inside a tag become ``_``, as Anki needs). A
  front starting with ``#`` is quoted, so it is never taken for a header.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from failtui.decks.card_text import format_key_points, format_red_flags
from failtui.decks.formats import EXPORT_FORMATS
from failtui.decks.reader import deck_text
from failtui.decks.writer import apply_card_changes, new_deck_text
from failtui.models import Card, Deck

CSV_HEADER = ("id", "kind", "prompt", "answer", "tags", "key_points", "red_flags")


def export_deck(deck: Deck, format: str = "toml") -> str:
    """The deck in one of :data:`EXPORT_FORMATS`.

    Raises:
        ValueError: an unknown format.
    """
    if format == "toml":
        return export_toml(deck)
    if format == "csv":
        return export_csv(deck.cards)
    if format == "anki":
        return export_anki(deck.cards)
    raise ValueError(f"unknown export format {format!r} (use {', '.join(EXPORT_FORMATS)})")


def export_toml(deck: Deck) -> str:
    """The deck file's text, unchanged; or a new file holding its cards if it has none."""
    if deck.path is not None and deck.path.is_file():
        return deck_text(deck.path.read_bytes(), deck.path)
    return deck_toml(deck.id, deck.title, deck.description, deck.cards)


def deck_toml(deck_id: str, title: str, description: str, cards: Iterable[Card]) -> str:
    """A new deck file holding ``cards`` (validated on the way)."""
    text = new_deck_text(deck_id, title, description)
    cards = list(cards)
    if not cards:
        return text
    return apply_card_changes(text, Path(f"{deck_id}.toml"), upserts=cards)


#: What a spreadsheet takes for the start of a formula (tab and carriage return too, as the
#: OWASP guide on CSV injection lists them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(cell: str) -> str:
    """A CSV cell a spreadsheet will not run: one starting like a formula gets a leading ``'``.

    A cell that already starts with ``'`` before such a character gets one more, so that
    :func:`restore_formula` gives back exactly what was exported.
    """
    if cell.startswith(FORMULA_STARTS) or (
        cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS)
    ):
        return "'" + cell
    return cell


def restore_formula(cell: str) -> str:
    """The cell :func:`defuse_formula` was given (its leading ``'`` taken off)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def export_csv(cards: Iterable[Card]) -> str:
    """Cards as CSV with a header row (see the module docstring for the columns).

    Every cell goes through :func:`defuse_formula`; the importer restores them.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for card in cards:
        row = [
            card.id,
            card.kind,
            card.prompt,
            card.answer,
            _csv_tags(card.tags),
            # In full: a CSV row stands alone, with no deck-level items to refer to.
            format_key_points(card.key_points, {}),
            format_red_flags(card.red_flags, {}),
        ]
        writer.writerow([defuse_formula(cell) for cell in row])
    return buffer.getvalue()


def _csv_tags(tags: Sequence[str]) -> str:
    if any(not tag or re.search(r'[\s,"\[]', tag) for tag in tags):
        return json.dumps(list(tags), ensure_ascii=False)
    return " ".join(tags)


def _anki_tag(tag: str) -> str:
    return "_".join(tag.split())


def export_anki(cards: Iterable[Card]) -> str:
    """Cards as an Anki plain-text import file: front, back and tags, tab-separated."""
    buffer = io.StringIO(newline="")
    buffer.write("#separator:tab\n#html:false\n#tags column:3\n")
    for card in cards:
        row = io.StringIO(newline="")
        csv.writer(row, delimiter="\t", lineterminator="\n").writerow(
            [card.prompt, card.answer, " ".join(_anki_tag(t) for t in card.tags)]
        )
        line = row.getvalue()
        if line.startswith("#"):
            # Quoted, the front cannot be read as a "#key:value" header line.
            line = '"' + card.prompt.replace('"', '""') + '"' + line[len(card.prompt) :]
        buffer.write(line)
    return buffer.getvalue()


__all__ = [
    "CSV_HEADER",
    "EXPORT_FORMATS",
    "deck_toml",
    "defuse_formula",
    "export_deck",
    "restore_formula",
]
