"""Editing a deck file from a form: the form's text to a card, the edit merged with what changed
on disk meanwhile, and the save with its backup. The screens only collect input and show results.

Every edit is a function from the file's text to the new text (:data:`Edit`), so when someone else
changed the file (an editor, a sync tool) the same edit can be applied to their version
(:meth:`DeckEdit.merge`), written over it with theirs kept in the backups
(:meth:`DeckEdit.overwrite`), or saved as a separate deck beside it (:meth:`DeckEdit.keep_both`).
Nothing either side wrote is lost: when a merge finds that both sides changed the same thing, the
edit says so (:class:`Edited`) and the version on disk is copied to the backups before it is
written over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from failtui import locations
from failtui.decks.card_merge import FIELD_NAMES, merge_card, merge_followups
from failtui.decks.card_text import (
    CardTextError,
    format_key_points,
    format_red_flags,
    format_tags,
    parse_key_points,
    parse_red_flags,
    parse_tags,
)
from failtui.decks.files import (
    DeckChangedOnDisk,
    DeckSource,
    DeckWriteError,
    backup_file,
    write_deck,
)
from failtui.decks.ids import slugify, unique_id
from failtui.decks.reader import DeckLoadError, parse_deck
from failtui.decks.story import Story, merge_story, read_stories, save_story
from failtui.decks.writer import (
    SharedItems,
    check_card,
    delete_card,
    save_as_copy,
    set_card,
    set_followups,
    shared_items,
)
from failtui.models import Card, Deck, FollowUp


@dataclass(frozen=True)
class Edited:
    """The new text of an edit, and what it overrode of changes made on disk (for the user)."""

    text: str
    overridden: str = ""


#: A change to a deck: the text it was made on in, the new text (or an :class:`Edited`) out.
#: It may raise :class:`~failtui.decks.reader.DeckLoadError` or
#: :class:`~failtui.decks.files.DeckWriteError` when the text cannot take the change.
Edit = Callable[[str], "str | Edited"]


class SaveError(Exception):
    """A deck file was not saved; the message says what is wrong and where, in one line."""


@dataclass(frozen=True)
class Saved:
    """A saved edit: the file as written, and what it overrode of changes made on disk."""

    source: DeckSource
    #: What the edit overrode of changes made on disk ("" when nothing was).
    overridden: str = ""
    #: The copy of the file as it was on disk before it was written over, when one was made.
    backup: Path | None = None


class DeckEdit:
    """One edit to one deck file, as read when the form opened, and the ways to save it."""

    def __init__(self, source: DeckSource, edit: Edit, data_dir: Path, *, keep_copy: bool = False):
        """``keep_copy``: copy the file to the backups before writing it, whatever changed on
        disk (an edit that removes something, so it can be got back)."""
        self.source = source
        self.edit = edit
        self.data_dir = data_dir
        self.keep_copy = keep_copy

    @classmethod
    def of_file(
        cls, path: Path, edit: Edit, data_dir: Path, *, keep_copy: bool = False
    ) -> DeckEdit:
        """The edit of the file as it is now.

        Raises:
            SaveError: the file cannot be read.
        """
        try:
            return cls(DeckSource.read(path), edit, data_dir, keep_copy=keep_copy)
        except DeckWriteError as exc:
            raise SaveError(str(exc)) from exc

    @property
    def _backups(self) -> Path:
        return locations.deck_backups_dir(self.data_dir)

    def save(self) -> Saved:
        """Apply the edit to the text as read and write it.

        Raises:
            DeckChangedOnDisk: the file changed on disk since it was read (nothing is written;
                :meth:`merge`, :meth:`overwrite` and :meth:`keep_both` are the ways on).
            SaveError: the edit or the file's new text is not valid, or it cannot be written.
        """
        try:
            return self._write(self.source, self.edit(self.source.text))
        except DeckChangedOnDisk:
            raise
        except (DeckLoadError, DeckWriteError) as exc:
            raise SaveError(str(exc)) from exc

    def merge(self) -> Saved:
        """Apply the edit to the file as it is now, keeping the changes made on disk.

        Raises:
            SaveError: as for :meth:`save`, or the file changed again meanwhile.
        """
        try:
            fresh = DeckSource.read(self.source.path)
            return self._write(fresh, self.edit(fresh.text))
        except (DeckLoadError, DeckWriteError) as exc:
            raise SaveError(str(exc)) from exc

    def overwrite(self) -> DeckSource:
        """Write the edit over the file as it is now; that version is copied to the backups.

        Raises:
            SaveError: as for :meth:`save`.
        """
        try:
            text = _text(self.edit(self.source.text))
            if self.keep_copy and not self.source.changed_on_disk():
                # write_deck copies only a file that changed on disk; this one must be kept too.
                backup_file(self.source.path, self._backups)
            return write_deck(self.source, text, force=True, backups=self._backups)
        except (DeckLoadError, DeckWriteError) as exc:
            raise SaveError(str(exc)) from exc

    def keep_both(self, taken: Iterable[str]) -> Path:
        """Save the edited text as a new deck beside the file (an id not in ``taken``).

        Raises:
            SaveError: as for :meth:`save`.
        """
        try:
            text = _text(self.edit(self.source.text))
            folder = locations.user_decks_dir(self.data_dir)
            return save_as_copy(folder, text, self.source.path, taken)
        except (DeckLoadError, DeckWriteError) as exc:
            raise SaveError(str(exc)) from exc

    def _write(self, source: DeckSource, edited: str | Edited) -> Saved:
        """Write an edit; if it overrode changes made on disk, or keeps a copy, back the file
        up first."""
        overridden = edited.overridden if isinstance(edited, Edited) else ""
        if not (overridden or self.keep_copy):
            return Saved(write_deck(source, _text(edited)))
        if source.changed_on_disk():
            # Refused before the copy is made, so a save that writes nothing leaves no copy.
            raise DeckChangedOnDisk(source.path)
        backup = backup_file(source.path, self._backups)
        return Saved(write_deck(source, _text(edited)), overridden, backup)


def _text(edited: str | Edited) -> str:
    return edited.text if isinstance(edited, Edited) else edited


# -- cards ----------------------------------------------------------------------------------


class CardFormError(ValueError):
    """The card form does not describe a valid card; the message says what and where."""


@dataclass(frozen=True)
class CardForm:
    """The card editor's fields as typed."""

    id: str = ""
    kind: str = "question"
    prompt: str = ""
    answer: str = ""
    tags: str = ""
    key_points: str = ""
    red_flags: str = ""

    @classmethod
    def of(cls, card: Card, shared: SharedItems) -> CardForm:
        """The form showing ``card`` (deck-level key points and red flags by their ids)."""
        return cls(
            id=card.id,
            kind=card.kind,
            prompt=card.prompt,
            answer=card.answer,
            tags=format_tags(card.tags),
            key_points=format_key_points(card.key_points, shared["key_points"]),
            red_flags=format_red_flags(card.red_flags, shared["red_flags"]),
        )


@dataclass(frozen=True)
class LoadedCard:
    """A card as the editor read it from its file: what the form is checked and merged against."""

    deck_id: str
    #: The id of the card being edited (None: a new card).
    original_id: str | None
    #: The card as the file held it (None: a new card, or one no longer in the file).
    card: Card | None
    #: The deck's deck-level key points and red flags, which the form names by id.
    shared: SharedItems

    @classmethod
    def of(
        cls, source: DeckSource, deck_id: str, card_id: str | None, card: Card | None
    ) -> LoadedCard:
        """``card`` (the card ``card_id`` as ``source``'s text holds it), with its deck's items.

        Raises:
            DeckWriteError: the text is not valid TOML.
        """
        return cls(deck_id, card_id, card, shared_items(source.text, source.path))


def card_from_form(
    form: CardForm, loaded: LoadedCard, loaded_form: CardForm | None, deck: Deck | None
) -> Card:
    """The card the form describes.

    A field the user did not touch (the same in ``form`` as in ``loaded_form``, the form as it
    first showed the card) keeps the card's own value exactly: the form's text of it need not
    read back the same (a hand-written file may hold anything). An empty id is made from the
    prompt, unique in ``deck`` (the deck as loaded in the app).

    Raises:
        CardFormError: one line saying what is wrong and where.
    """
    base = loaded.card
    untouched = (
        {f.name for f in fields(CardForm) if getattr(form, f.name) == getattr(loaded_form, f.name)}
        if base is not None and loaded_form is not None
        else set()
    )
    taken = {c.id for c in deck.cards} if deck else set()
    taken.discard(loaded.original_id or "")
    card_id = form.id.strip() or unique_id(
        slugify(form.prompt, limit=40) or "card", taken.__contains__
    )
    shared = loaded.shared

    def value(name: str, parse: Callable[[str], Any]) -> Any:
        # An untouched field is never parsed: its form text need not read back the same.
        return getattr(base, name) if name in untouched else parse(getattr(form, name))

    try:
        card = Card(
            deck_id=loaded.deck_id,
            id=card_id,
            kind=value("kind", str),
            prompt=value("prompt", str.strip),
            answer=value("answer", str.strip),
            tags=value("tags", parse_tags),
            key_points=value(
                "key_points", lambda text: parse_key_points(text, shared["key_points"])
            ),
            red_flags=value("red_flags", lambda text: parse_red_flags(text, shared["red_flags"])),
        )
        if not card.prompt:
            raise CardFormError("the prompt is empty: write the question or the tip")
        check_card(card)
    except (CardTextError, DeckWriteError) as exc:
        raise CardFormError(str(exc)) from exc
    if card.id in taken:  # the card's own id was taken out of ``taken`` above
        raise CardFormError(f"card id '{card.id}' is already used in this deck")
    return card


def card_edit(path: Path, loaded: LoadedCard, card: Card) -> Edit:
    """The edit that saves ``card`` into the deck text, merged with the card found there.

    The text is the file as the editor read it, or as it is now (a merge): only the fields
    changed in the form replace the card's fields there (:func:`~failtui.decks.card_merge.
    merge_card`), and what that overrides of changes made on disk is named.
    """
    old_id = loaded.original_id

    def edit(text: str) -> Edited:
        on_disk = parse_deck(text, path)
        theirs = on_disk.card(old_id) if old_id else None
        if old_id is None and on_disk.card(card.id):
            raise DeckWriteError(
                f"card id '{card.id}' was added to the file meanwhile; choose another id"
            )
        merged = merge_card(loaded.card, card, theirs)
        overridden = ""
        if merged.conflicts:
            names = ", ".join(FIELD_NAMES[name] for name in merged.conflicts)
            overridden = f"The file also changed this card's {names}"
        elif merged.deleted_on_disk:
            overridden = "This card had been deleted in the file; it is saved again"
        target = old_id if theirs is not None else None
        return Edited(set_card(text, path, merged.card, old_id=target), overridden)

    return edit


def card_deletion(path: Path, card_id: str) -> Edit:
    """The edit that deletes the card ``card_id`` from the deck text."""
    return lambda text: delete_card(text, path, card_id)


def delete_card_from_file(path: Path, card_id: str, data_dir: Path) -> DeckEdit:
    """The deletion of the card ``card_id`` from the deck file ``path``, ready to save.

    As before a deck is deleted or overwritten, the file is first copied to the backups
    (:attr:`Saved.backup` names the copy), so the card can be got back.

    Raises:
        SaveError: the file cannot be read.
    """
    return DeckEdit.of_file(path, card_deletion(path, card_id), data_dir, keep_copy=True)


def followups_edit(path: Path, base: tuple[FollowUp, ...], mine: tuple[FollowUp, ...]) -> Edit:
    """The edit that saves a deck's follow-ups, merged as one list with those found there.

    ``base`` is the list as the editor loaded it, ``mine`` as the editor has it now.
    """

    def edit(text: str) -> Edited:
        theirs = parse_deck(text, path).followups
        merged, conflict = merge_followups(base, mine, theirs)
        overridden = "The file's follow-ups had also changed" if conflict else ""
        return Edited(set_followups(text, path, merged), overridden)

    return edit


# -- stories --------------------------------------------------------------------------------


def story_edit(
    path: Path, base: Story, mine: Story, card_id: str, old_id: str | None
) -> tuple[Edit, Callable[[], Story]]:
    """The edit that saves a story card, merged with the story found in the file, and a
    function that gives the story as written (``mine`` until the edit has run).

    ``base`` is the story as the form loaded it; ``old_id`` its card id, None for a new story.
    The file is read when saving, so someone may have edited this story by hand since the form
    opened: parts changed only there stay (:func:`~failtui.decks.story.merge_story`).

    Raises (from the edit):
        DeckWriteError: a new story's id was added to the file meanwhile.
    """
    written = {"story": mine}

    def edit(text: str) -> Edited:
        stories = read_stories(text)
        theirs = stories.get(old_id) if old_id else None
        if old_id is None and card_id in stories:
            raise DeckWriteError(f"story id '{card_id}' was added meanwhile; save again")
        merged, conflicts = merge_story(base, mine, theirs)
        written["story"] = merged
        overridden = f"The file also changed this story's {', '.join(conflicts)}"
        return Edited(
            save_story(text, path, merged, card_id, old_id=old_id),
            overridden if conflicts else "",
        )

    return edit, lambda: written["story"]
