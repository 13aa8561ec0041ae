"""A small index of the deck files, so the home screen lists the decks without parsing them all.

Parsing ten thousand cards of TOML takes most of a second, and the home screen needs only each
deck's id, title and card ids. The index keeps those in ``deck-index.json`` in the data dir, one
entry per deck file keyed by its path, size and modification time (ns); a file that changed is
parsed again and its entry replaced. The cache is plain JSON (never pickle: the data dir is not
trusted to hold code), and one that is unreadable or malformed in any way is ignored and
written again. A file that fails to load is never cached: it is parsed, and its error reported,
every time.

:class:`LazyCatalog` offers what :class:`~failtui.decks.catalog.DeckCatalog` offers; the
summaries, card ids and errors come from the index at once; a deck's cards are parsed when
something asks for that deck, and every deck when something asks for all of them or when the
app parses a drill's decks behind its first card (:meth:`LazyCatalog.parse_decks`).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from failtui.decks.sources import deck_order, deck_sources
from failtui.safefiles import NEW_FILE_FLAGS, FileRefused, read_regular_file

if TYPE_CHECKING:
    from failtui.decks.catalog import DeckCatalog
    from failtui.models import Card, Deck, DeckError

# The reader and the catalog (with the models) are imported only when a file must be parsed:
# listing the decks from an up-to-date index needs neither.


def load_deck(path: Path, *, builtin: bool = False) -> Deck:
    """Read, parse and validate one deck file (see :func:`failtui.decks.reader.load_deck`)."""
    from failtui.decks.reader import load_deck as read_deck

    return read_deck(path, builtin=builtin)


#: The cache file in the data dir.
INDEX_FILE = "deck-index.json"
#: Bumped when the shape of an entry changes, or the reader's rules change which files load:
#: a cache of another version is ignored. 2: an unknown key is an error only when it is a typo
#: of a known one (a deck indexed under the stricter rule of 1 is read again).
INDEX_VERSION = 2
#: A cache larger than this is not read (it is written again).
MAX_INDEX_BYTES = 64 * 1024 * 1024


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class DeckSummary(NamedTuple):
    """What the home screen shows of a deck: no card text, only ids."""

    id: str
    title: str
    path: Path
    builtin: bool
    card_ids: tuple[str, ...]
    kind_counts: dict[str, int]  # how many cards of each kind (question, tip, pitfall)


def summarize(deck: Deck) -> DeckSummary:
    """The summary of a deck read from its file."""
    assert deck.path is not None  # decks in a catalog are read from files
    return DeckSummary(
        id=deck.id,
        title=deck.title,
        path=deck.path,
        builtin=deck.builtin,
        card_ids=tuple(card.id for card in deck.cards),
        kind_counts=dict(Counter(card.kind for card in deck.cards)),
    )


def _file_stamp(path: Path) -> list[int] | None:
    """[size, mtime_ns] of a file, or None if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _read_cache(cache_file: Path) -> dict[str, dict[str, Any]]:
    """The cached entries by path; empty if the cache is missing, unreadable or malformed."""
    try:
        raw = read_regular_file(cache_file, MAX_INDEX_BYTES, "deck index")
        data = json.loads(raw.decode("utf-8"))
    except (FileRefused, ValueError, RecursionError):  # missing, huge, a FIFO, not JSON, nested
        return {}
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {path: entry for path, entry in files.items() if _valid_entry(entry)}


def _valid_entry(entry: object) -> bool:
    def strings(value: object) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    return (
        isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and isinstance(entry.get("title"), str)
        and isinstance(entry.get("builtin"), bool)
        and strings(entry.get("card_ids"))
        and isinstance(entry.get("kind_counts"), dict)
        and all(
            isinstance(kind, str) and type(n) is int for kind, n in entry["kind_counts"].items()
        )
        and isinstance(entry.get("stamp"), list)
        and len(entry["stamp"]) == 2
        and all(type(n) is int for n in entry["stamp"])
    )


def forget_files(data_dir: Path | None, paths: Iterable[Path]) -> None:
    """Drop these files' entries from the index, such as files that no longer load.

    An entry is keyed by the file's size and modification time, so a file that loaded when it
    was indexed and now fails (its deck was found broken when parsed) would otherwise be
    listed as a deck on every start.
    """
    if data_dir is None:
        return
    cache_file = data_dir / INDEX_FILE
    forgotten = {str(path) for path in paths}
    cached = _read_cache(cache_file)
    kept = {path: entry for path, entry in cached.items() if path not in forgotten}
    if kept != cached:
        _write_cache(cache_file, kept)


def _write_cache(cache_file: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Replace the cache atomically, readable by the user only; a failure only costs speed."""
    temporary = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink(missing_ok=True)
        # Never through a symlink planted under the temporary name.
        fd = os.open(temporary, NEW_FILE_FLAGS, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": INDEX_VERSION, "files": entries}, out, separators=(",", ":"))
        os.replace(temporary, cache_file)
    except OSError:
        temporary.unlink(missing_ok=True)


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class DeckIndex(NamedTuple):
    """The summaries of the decks that load, in catalog order, and the errors of those that do not.

    ``parsed`` holds the decks parsed while building it (files new or changed since the cache
    was written), with the stamp they were read at, so loading the catalog does not parse
    them twice.
    """

    summaries: list[DeckSummary]
    errors: list[DeckError]
    parsed: dict[Path, tuple[list[int] | None, Deck]]
    from_cache: int = 0  # files whose summary came from the cache


def build_index(data_dir: Path | None, *, include_builtin: bool = True) -> DeckIndex:
    """Summaries of every deck, from the cache where a file is unchanged, else by parsing it.

    The rules are those of :func:`~failtui.decks.catalog.load_catalog`: a file that fails to
    load is an error, and so is a deck id already used by an earlier file.
    """
    cache_file = data_dir / INDEX_FILE if data_dir is not None else None
    cached = _read_cache(cache_file) if cache_file is not None else {}
    entries: dict[str, dict[str, Any]] = {}
    summaries: list[DeckSummary] = []
    errors: list[DeckError] = []
    parsed: dict[Path, tuple[list[int] | None, Deck]] = {}
    seen: dict[str, Path] = {}
    from_cache = 0
    for path, builtin in deck_sources(data_dir, include_builtin=include_builtin):
        stamp = _file_stamp(path)
        entry = cached.get(str(path))
        fresh = entry is not None and entry["stamp"] == stamp and entry["builtin"] == builtin
        if fresh and entry is not None and stamp is not None:
            from_cache += 1
            summary = DeckSummary(
                entry["id"],
                entry["title"],
                path,
                builtin,
                tuple(entry["card_ids"]),
                entry["kind_counts"],
            )
        else:
            from failtui.decks.reader import DeckLoadError

            try:
                deck = load_deck(path, builtin=builtin)
            except DeckLoadError as exc:
                errors.append(exc.error)
                continue
            parsed[path] = (stamp, deck)
            summary = summarize(deck)
        if stamp is not None:
            entries[str(path)] = {
                "stamp": stamp,
                "id": summary.id,
                "title": summary.title,
                "builtin": builtin,
                "card_ids": list(summary.card_ids),
                "kind_counts": summary.kind_counts,
            }
        if summary.id in seen:
            from failtui.decks.catalog import duplicate_id_error

            errors.append(duplicate_id_error(path, summary.id, seen[summary.id]))
            continue
        seen[summary.id] = path
        summaries.append(summary)
    summaries.sort(key=lambda s: deck_order(s.id, s.builtin))
    if cache_file is not None and entries != cached:
        _write_cache(cache_file, entries)
    return DeckIndex(summaries, errors, parsed, from_cache)


class LazyCatalog:
    """A deck catalog that lists decks from the index and parses a deck only when it is needed.

    It answers everything :class:`~failtui.decks.catalog.DeckCatalog` answers. ``summaries``,
    ``card_ids_by_deck`` and ``errors`` never parse. ``deck``, ``card_by_key`` and
    ``cards(deck_id)`` parse that one deck (a drill reads only the decks of the cards it
    shows). ``decks``, ``cards()`` and ``find_card`` parse every deck, once, reusing the decks
    already parsed; from then on summaries and errors follow that full catalog, which read the
    files last.
    """

    def __init__(self, data_dir: Path | None, *, include_builtin: bool = True):
        self.data_dir = data_dir
        self.include_builtin = include_builtin
        index = build_index(data_dir, include_builtin=include_builtin)
        self._summaries = {summary.id: summary for summary in index.summaries}
        self._errors = index.errors
        #: Decks parsed so far, by path, with the file stamp they were read at.
        self._parsed = index.parsed
        self._by_id: dict[str, Deck] = {
            deck.id: deck
            for _stamp, deck in index.parsed.values()
            if deck.id in self._summaries and self._summaries[deck.id].path == deck.path
        }
        self._catalog: DeckCatalog | None = None
        # The UI thread and a background load may both ask for decks: one parses at a time.
        self._lock = threading.RLock()

    # -- from the index, without parsing -------------------------------------------------------
    def summaries(self) -> list[DeckSummary]:
        """Every deck's id, title, path and card ids, in catalog order."""
        if self._catalog is not None:
            return [summarize(deck) for deck in self._catalog.decks]
        return list(self._summaries.values())

    def card_ids_by_deck(self) -> Mapping[str, Sequence[str]]:
        """The ids of every deck's cards, by deck id, in deck order."""
        if self._catalog is not None:
            return self._catalog.card_ids_by_deck()
        return {deck_id: s.card_ids for deck_id, s in self._summaries.items()}

    @property
    def errors(self) -> list[DeckError]:
        """The files that failed to load, each with where and why."""
        return self._catalog.errors if self._catalog is not None else self._errors

    @property
    def loaded(self) -> bool:
        """Whether every deck has been parsed."""
        return self._catalog is not None

    # -- one deck --------------------------------------------------------------------------------
    def deck(self, deck_id: str) -> Deck | None:
        """The deck with this id, or None (parses that deck's file only)."""
        with self._lock:
            if self._catalog is not None:
                return self._catalog.deck(deck_id)
            if deck_id in self._by_id:
                return self._by_id[deck_id]
            summary = self._summaries.get(deck_id)
            if summary is None:
                return None
            from failtui.decks.reader import DeckLoadError

            try:
                deck = self._read_deck(summary.path, summary.builtin)
            except DeckLoadError:
                deck = None
            if deck is None or deck.id != deck_id:
                # The file changed since the index was made: read everything again, by the rules.
                return self.load().deck(deck_id)
            self._by_id[deck_id] = deck
            return deck

    def card_by_key(self, key: str) -> Card | None:
        """The card whose ``deck/card`` key this is, or None (parses its deck only)."""
        deck_id, _, card_id = key.partition("/")
        deck = self.deck(deck_id)
        return deck.card(card_id) if deck else None

    def cards(self, deck_id: str | None = None) -> list[Card]:
        """Every card, or those of one deck, in file order."""
        if deck_id is None:
            return self.load().cards()
        deck = self.deck(deck_id)
        return list(deck.cards) if deck else []

    # -- every deck ------------------------------------------------------------------------------
    def load(self) -> DeckCatalog:
        """Parse every deck not parsed yet (once) and return the full catalog."""
        with self._lock:
            if self._catalog is None:
                from failtui.decks.catalog import load_catalog

                catalog = load_catalog(
                    self.data_dir, include_builtin=self.include_builtin, read_deck=self._read_deck
                )
                # A file that failed to parse leaves the index (one whose deck id is taken
                # parsed, so it stays: the index reports that itself).
                broken = [e.path for e in catalog.errors if e.path not in self._parsed]
                if broken:
                    forget_files(self.data_dir, broken)
                self._parsed = {}
                self._by_id = {}
                self._catalog = catalog
            return self._catalog

    def parse_decks(self, deck_ids: Iterable[str] | None = None) -> None:
        """Parse these decks (every deck with None) ahead of need; safe to call from a thread.

        The app runs it in a worker behind a drill's first card, so a rating never waits for a
        deck to be parsed. Should a parse fail, the UI thread parses again when it needs the
        deck, and reports it.
        """
        with suppress(Exception):
            if deck_ids is None:
                self.load()
                return
            for deck_id in deck_ids:
                self.deck(deck_id)

    def _read_deck(self, path: Path, builtin: bool) -> Deck:
        stamp = _file_stamp(path)
        known = self._parsed.get(path)
        if known is not None and known[0] == stamp and known[1].builtin == builtin:
            return known[1]
        deck = load_deck(path, builtin=builtin)
        self._parsed[path] = (stamp, deck)
        return deck

    @property
    def decks(self) -> list[Deck]:
        """Every loaded deck, in catalog order."""
        return self.load().decks

    def find_card(self, card_id: str, deck_id: str | None = None) -> Card:
        """Find a card by id, in one deck or in all of them (see ``DeckCatalog.find_card``)."""
        return self.load().find_card(card_id, deck_id)
