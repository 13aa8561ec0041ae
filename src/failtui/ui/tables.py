"""Small helpers shared by the screens that list things in a DataTable."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


def restore_cursor(
    table: DataTable, ids: Sequence[str], select: str | None, previous_row: int | None = None
) -> None:
    """After a refill, put the cursor on ``select`` if it is listed, else back on its old row."""
    if select is not None and select in ids:
        table.move_cursor(row=list(ids).index(select))
    elif select is None and previous_row and previous_row < table.row_count:
        table.move_cursor(row=previous_row)
