"""Asking before unsaved text is left behind: escape (leave the screen) or ctrl+q (quit the app).

A screen with a form offers ``has_unsaved_changes()``, ``save(then)`` (``then`` runs once the
save succeeded) and ``confirm_quit()``; the app's quit asks each open screen through
:func:`confirm_quit` before it exits, so nothing typed is lost to a stray ctrl+q.
"""

from __future__ import annotations

from collections.abc import Callable

from failtui.ui.screens.choice import ChoiceScreen

#: ``save(then)``: save, and call ``then`` if it worked.
Save = Callable[[Callable[[], None]], None]


def ask_before_leaving(
    screen, question: str, save: Save, leave: Callable[[], object], *, quitting: bool = False
) -> None:
    """Ask whether to save, discard or stay; then save and leave, leave, or do nothing."""
    if isinstance(screen.app.screen, ChoiceScreen):
        # A question is already open (e.g. ctrl+q pressed twice): answer that one first.
        screen.app.bell()
        return
    verb = "quit" if quitting else "leave"

    def leave_after_saving() -> None:
        leave()  # what it returns (pop_screen's awaitable) is not needed

    def answered(choice: str | None) -> None:
        if choice == "save":
            save(leave_after_saving)
        elif choice == "discard":
            leave()

    screen.app.push_screen(
        ChoiceScreen(
            question,
            [
                ("save", f"Save them, then {verb}"),
                ("discard", f"Discard them and {verb}"),
                ("stay", "Go on editing"),
            ],
        ),
        answered,
    )


def confirm_quit(app) -> bool:
    """Whether a screen with unsaved changes took over the quit (it asks the user)."""
    for screen in reversed(app.screen_stack):
        has_changes = getattr(screen, "has_unsaved_changes", None)
        if has_changes is not None and has_changes():
            ask_before_leaving(
                screen,
                getattr(screen, "UNSAVED_QUESTION", "There are unsaved changes."),
                screen.save,
                app.exit,
                quitting=True,
            )
            return True
    return False
