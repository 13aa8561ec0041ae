"""Saving a deck file from the app, asking the user when the file changed on disk meanwhile.

The saving itself is the core's (:mod:`failtui.decks.editing`): an edit applied to the text as
read, or to the file as it is now ("merge"), written over the file with theirs kept in
``backups/`` ("overwrite"), or saved as a separate deck beside it ("keep both"). This module asks
which, says what came of it, and reloads the decks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from failtui.decks.editing import DeckEdit, Edit, Saved, SaveError, delete_card_from_file
from failtui.decks.files import DeckChangedOnDisk, DeckSource
from failtui.ui.screens.choice import ChoiceScreen

#: Called after the save with the new source (None when nothing was written).
Done = Callable[[DeckSource | None], None]

CONFLICT_CHOICES = [
    ("merge", "Apply my change to the file as it is now (their edits stay)"),
    ("overwrite", "Overwrite it with my version (theirs is copied to backups/)"),
    ("copy", "Keep both: save my version as a separate deck"),
    ("cancel", "Cancel: go on editing, nothing saved yet"),
]


def save_deck(app, source: DeckSource, edit: Edit, done: Done) -> None:
    """Apply ``edit`` to the deck file and write it; on a conflict, ask; then reload the decks."""
    _save(app, DeckEdit(source, edit, app.data_dir), done)


def delete_card_after_asking(
    app, path: Path, card_id: str, question: str, what: str, then: Callable[[], None]
) -> None:
    """Ask ``question`` ("Yes, delete the <what>"), then delete the card from its deck file
    (with the same saving as any edit, the file copied to backups/decks/ first) and call
    ``then``."""

    def answered(choice: str | None) -> None:
        if choice != "delete":
            return
        try:
            deletion = delete_card_from_file(path, card_id, app.data_dir)
        except SaveError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        _save(app, deletion, lambda _: then(), f"Deleted the {what} from {path.name}")

    app.push_screen(
        ChoiceScreen(question, [("keep", "No, keep it"), ("delete", f"Yes, delete the {what}")]),
        answered,
    )


def _save(app, editing: DeckEdit, done: Done, done_message: str = "") -> None:
    """Save; ``done_message`` says what was done (default: "Saved NAME")."""
    name = editing.source.path.name
    try:
        saved = editing.save()
    except DeckChangedOnDisk:
        app.push_screen(
            ChoiceScreen(
                f"{name} changed on disk since you opened it. "
                "Your change is not saved yet. What should happen?",
                CONFLICT_CHOICES,
            ),
            lambda choice: _resolve(app, editing, done, choice),
        )
        return
    except SaveError as exc:
        _fail(app, str(exc), done)
        return
    _saved(app, saved.source, done, f"{done_message or f'Saved {name}'}.{_note(saved)}")


def _resolve(app, editing: DeckEdit, done: Done, choice: str | None) -> None:
    name = editing.source.path.name
    try:
        if choice == "merge":
            saved = editing.merge()
            new_source = saved.source
            message = f"Saved your change into the new version of {name}.{_note(saved)}"
        elif choice == "overwrite":
            new_source = editing.overwrite()
            message = f"Overwrote {name}; the version on disk is in backups/decks/."
        elif choice == "copy":
            path = editing.keep_both({d.id for d in app.catalog.decks})
            app.reload_catalog()
            app.notify(f"Kept both: your version is the new deck {path.name}.", markup=False)
            done(None)
            return
        else:
            app.notify("Not saved. Your change is still in the form.", severity="warning")
            done(None)
            return
    except SaveError as exc:
        _fail(app, str(exc), done)
        return
    _saved(app, new_source, done, message)


def _note(saved: Saved) -> str:
    """What a save overrode of changes made on disk, or what it kept a copy of, and where that
    version is kept."""
    if saved.backup is None:
        return ""
    if not saved.overridden:
        return f" The deck as it was is in backups/decks/{saved.backup.name}."
    return (
        f" {saved.overridden}: yours is saved; the version on disk is in "
        f"backups/decks/{saved.backup.name}."
    )


def _saved(app, new_source: DeckSource, done: Done, message: str) -> None:
    app.reload_catalog()
    app.notify(message, markup=False)
    done(new_source)


def _fail(app, message: str, done: Done) -> None:
    app.notify(f"Not saved: {message}", severity="error", markup=False)
    done(None)
