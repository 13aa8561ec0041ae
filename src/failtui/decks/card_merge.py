"""Three-way merge of one card: what the editor loaded, what the user typed, what is on disk now.

The card editor saves only the fields the user changed. When the file changed on disk meanwhile,
a field changed only on disk keeps the disk's value, a field changed only in the editor takes the
editor's, and a field changed on both sides to different values is a conflict: the editor's value
is saved and the caller keeps the disk's version of the file in a backup and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from failtui.models import Card

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
        old, ours, disk = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        if ours == old:
            values[name] = disk
            continue
        values[name] = ours
        if disk not in (old, ours):
            conflicts.append(name)
    return CardMerge(replace(mine, **values), tuple(conflicts))


__all__ = ["FIELD_NAMES", "MERGED_FIELDS", "CardMerge", "merge_card"]
