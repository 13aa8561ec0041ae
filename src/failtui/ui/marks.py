"""How a graded key point is shown on every screen: a green tick and label, or a red cross."""

from __future__ import annotations

from rich.text import Text


def key_point_mark(covered: bool) -> Text:
    """The mark before a graded key point: ``✓`` in bold green, or ``✗`` in bold red."""
    text = Text()
    if covered:
        text.append(" ✓ ", style="bold green")
    else:
        text.append(" ✗ ", style="bold red")
    return text


#: After a key point the answer missed and the answer to the follow-up gave.
GIVEN_IN_FOLLOWUP = " (given in the follow-up)"


def graded_key_point(label: str | Text, covered: bool, *, in_followup: bool = False) -> Text:
    """A graded key point's mark and label: covered in green, missed in the plain colour; a
    missed one that the follow-up's answer gave (``in_followup``) says so."""
    text = key_point_mark(covered)
    text.append(label, style="green" if covered else "")
    if in_followup and not covered:
        text.append(GIVEN_IN_FOLLOWUP, style="green")
    return text
