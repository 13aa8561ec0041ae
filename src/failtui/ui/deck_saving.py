"""Saving a deck file from the app, asking the user when the file changed on disk meanwhile.

Every edit in the app is a function from the file's text to the new text, so when someone else
changed the file (an editor, a sync tool), the same edit can be applied to their version
("merge"), or written over it with their version kept in ``backups/`` ("overwrite"), or saved as
a separate deck beside it ("keep both"). Nothing either side wrote is lost: when a merge finds
that both sides changed the same thing, the edit says so (:class:`Edited`) and their version of
the file is copied to ``backups/`` before it is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from failtui import locations
from failtui.decks.files import (
    DeckChangedOnDisk,
    DeckSource,
    DeckWriteError,
    backup_file,
    write_deck,
)
from failtui.decks.reader import DeckLoadError
from failtui.decks.writer import save_as_copy
from failtui.ui.screens.choice import ChoiceScreen


@dataclass(frozen=True)
class Edited:
    """The new text of an edit, and what it overrode of changes made on disk (for the user)."""

    text: str
    overridden: str = ""


#: A change to a deck: the text it was made on in, the new text (or an :class:`Edited`) out.
Edit = Callable[[str], "str | Edited"]
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
    try:
        new_source, note = _write_edited(app, source, edit(source.text))
    except DeckChangedOnDisk:
        app.push_screen(
            ChoiceScreen(
                f"{source.path.name} changed on disk since you opened it. "
                "Your change is not saved yet. What should happen?",
                CONFLICT_CHOICES,
            ),
            lambda choice: _resolve(app, source, edit, done, choice),
        )
        return
    except (DeckLoadError, DeckWriteError) as exc:
        _fail(app, _problem(exc), done)
        return
    _saved(app, new_source, done, f"Saved {source.path.name}.{note}")


def delete_card_after_asking(
    app, path: Path, card_id: str, question: str, what: str, then: Callable[[], None]
) -> None:
    """Ask ``question`` ("Yes, delete the <what>"), then delete the card from its deck file
    (with the same saving as any edit) and call ``then``."""
    from failtui.decks.writer import delete_card

    def answered(choice: str | None) -> None:
        if choice != "delete":
            return
        try:
            source = DeckSource.read(path)
        except DeckWriteError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        save_deck(app, source, lambda text: delete_card(text, path, card_id), lambda _: then())

    app.push_screen(
        ChoiceScreen(question, [("keep", "No, keep it"), ("delete", f"Yes, delete the {what}")]),
        answered,
    )


def _problem(exc: DeckLoadError | DeckWriteError) -> str:
    """The one line that says what is wrong with the file that was to be written."""
    return str(exc.error) if isinstance(exc, DeckLoadError) else str(exc)


def _resolve(app, source: DeckSource, edit: Edit, done: Done, choice: str | None) -> None:
    try:
        if choice == "merge":
            fresh = DeckSource.read(source.path)
            new_source, note = _write_edited(app, fresh, edit(fresh.text))
            message = f"Saved your change into the new version of {source.path.name}.{note}"
        elif choice == "overwrite":
            new_source = write_deck(
                source,
                _text(edit(source.text)),
                force=True,
                backups=locations.deck_backups_dir(app.data_dir),
            )
            message = f"Overwrote {source.path.name}; the version on disk is in backups/decks/."
        elif choice == "copy":
            taken = {d.id for d in app.catalog.decks}
            path = save_as_copy(
                locations.user_decks_dir(app.data_dir), _text(edit(source.text)), source.path, taken
            )
            app.reload_catalog()
            app.notify(f"Kept both: your version is the new deck {path.name}.", markup=False)
            done(None)
            return
        else:
            app.notify("Not saved. Your change is still in the form.", severity="warning")
            done(None)
            return
    except (DeckLoadError, DeckWriteError) as exc:
        _fail(app, _problem(exc), done)
        return
    _saved(app, new_source, done, message)


def _write_edited(app, source: DeckSource, edited: str | Edited) -> tuple[DeckSource, str]:
    """Write an edit; if it overrode changes made on disk, back the file up first and say so."""
    note = ""
    if isinstance(edited, Edited) and edited.overridden:
        backup = backup_file(source.path, locations.deck_backups_dir(app.data_dir))
        note = (
            f" {edited.overridden}: yours is saved; the version on disk is in "
            f"backups/decks/{backup.name}."
        )
    return write_deck(source, edited.text if isinstance(edited, Edited) else edited), note


def _text(edited: str | Edited) -> str:
    return edited.text if isinstance(edited, Edited) else edited


def _saved(app, new_source: DeckSource, done: Done, message: str) -> None:
    app.reload_catalog()
    app.notify(message, markup=False)
    done(new_source)


def _fail(app, message: str, done: Done) -> None:
    app.notify(f"Not saved: {message}", severity="error", markup=False)
    done(None)
