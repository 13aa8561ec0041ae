"""Three-way merge of what the app edits in a deck file: what the editor loaded, what the user
typed, what is on disk now.

The card editor saves only the fields the user changed, and the follow-up editor saves a deck's
follow-ups only if the user changed them. When the file changed on disk meanwhile, a value
changed only on disk keeps the disk's value, a value changed only in the editor takes the
editor's, and a value changed on both sides to different values is a conflict: the editor's value
is saved and the caller keeps the disk's version of the file in a backup and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from failtui.models import Card, FollowUp

T = TypeVar("T")

#: The fields of a card that are merged one by one (the id is the editor's: a rename asks first).
MERGED_FIELDS = ("kind", "prompt", "answer", "tags", "key_points", "red_flags")
#: How the editor names each field, for messages.
FIELD_NAMES = {
    "kind": "kind",
    "prompt": "prompt",
    "answer": "guidance",
    "tags": "tags",
    "key_points": "key points",
    "red_flags": "red flags",
}


@dataclass(frozen=True)
class CardMerge:
    """The card to write and the fields both sides changed differently (the editor's kept)."""

    card: Card
    conflicts: tuple[str, ...] = ()
    deleted_on_disk: bool = False


def merge_value(base: T, mine: T, theirs: T) -> tuple[T, bool]:
    """One value merged three ways: the value to write, and whether both sides changed it."""
    if mine == base:
        return theirs, False
    return mine, theirs not in (base, mine)


def merge_followups(
    base: tuple[FollowUp, ...], mine: tuple[FollowUp, ...], theirs: tuple[FollowUp, ...]
) -> tuple[tuple[FollowUp, ...], bool]:
    """A deck's follow-ups merged as one list: the list to write, and whether it is a conflict.

    Args:
        base: the follow-ups as the editor loaded them.
        mine: the follow-ups as the editor has them now.
        theirs: the follow-ups in the file now.
    """
    return merge_value(base, mine, theirs)


def merge_card(base: Card | None, mine: Card, theirs: Card | None) -> CardMerge:
    """Merge the editor's card into the one on disk, field by field.

    Args:
        base: the card as the editor loaded it (None for a new card).
        mine: the card as the editor has it now.
        theirs: the card as it is in the file now (None if it is not there any more).

    Returns:
        The merged card (with ``mine``'s id), the conflicting fields, and whether the card had
        been deleted on disk (then ``mine`` is written back whole: nothing typed is lost).
    """
    if base is None:
        return CardMerge(mine)
    if theirs is None:
        return CardMerge(mine, deleted_on_disk=True)
    values = {}
    conflicts = []
    for name in MERGED_FIELDS:
        values[name], conflict = merge_value(
            getattr(base, name), getattr(mine, name), getattr(theirs, name)
        )
        if conflict:
            conflicts.append(name)
    return CardMerge(replace(mine, **values), tuple(conflicts))


__all__ = [
    "FIELD_NAMES",
    "MERGED_FIELDS",
    "CardMerge",
    "merge_card",
    "merge_followups",
    "merge_value",
]
