"""Small helpers shared by the screens that list things in a DataTable."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


def cursor_target(
    ids: Sequence[str], select: str | None, previous_row: int | None = None
) -> int | None:
    """The row the cursor goes to after a refill listing ``ids``: ``select``'s row if it is
    listed, else its old row if that is still there; None leaves the cursor at the top."""
    if select is not None and select in ids:
        return list(ids).index(select)
    if select is None and previous_row and previous_row < len(ids):
        return previous_row
    return None


def restore_cursor(
    table: DataTable, ids: Sequence[str], select: str | None, previous_row: int | None = None
) -> None:
    """After a refill, put the cursor on ``select`` if it is listed, else back on its old row."""
    row = cursor_target(ids, select, previous_row)
    if row is not None and row < table.row_count:
        table.move_cursor(row=row)
