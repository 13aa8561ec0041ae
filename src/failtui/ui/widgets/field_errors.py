"""A form's error line: what is wrong with each field, until that field is changed."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static


class FieldErrors(Static):
    """The errors a form's save found, each about the value one field (by its widget id) held.

    An error stays while its field holds that value: a message about a value the user has
    since changed would say the new value is wrong. The screen calls :meth:`field_changed` from
    its fields' ``Changed`` messages; one that arrives late, still with the value the error is
    about, leaves the error on screen.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._errors: dict[str, tuple[object, str]] = {}

    def show_errors(self, errors: Iterable[tuple[str, object, str]]) -> None:
        """Show these errors (field id, the value it held, message) in their order, in place of
        any shown."""
        self._errors = {field_id: (value, message) for field_id, value, message in errors}
        self._show()

    def clear(self) -> None:
        """Show no error."""
        self.show_errors(())

    def field_changed(self, field_id: str | None, value: object) -> None:
        """The field with this id now holds ``value``: its error goes, unless it is about that
        value."""
        if field_id in self._errors and self._errors[field_id][0] != value:
            del self._errors[field_id]
            self._show()

    def _show(self) -> None:
        self.update(
            Text("\n".join(message for _, message in self._errors.values()), style="bold red")
        )
