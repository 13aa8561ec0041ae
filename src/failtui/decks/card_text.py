"""Key points and red flags as lines of text, the way the card editor shows and reads them.

One item per line, fields separated by ``|`` and cues by ``;``::

    lesson | What you learned | i learned; taught me          (key point: id | label | cues)
    What you learned | i learned; taught me                     (id made from the label)
    blame | Blaming others | my boss; not my fault | Own it.    (red flag: ... | advice)
    context                                                     (a deck-level item, by id)
    lesson | What you learned | i learned | Say it. | 2.0       (and a hint, and a weight)

A ``|`` or ``;`` that belongs to the text is written ``\\|`` or ``\\;`` (and a backslash
``\\\\``), so every label, cue and advice survives the round trip through the editor. Tags
are separated by spaces or commas; a tag holding either is written in double quotes.

A deck's follow-up questions are lines too, ``key point | question``::

    lesson | Looking back, what would you do differently now?

Parsing returns the items or one line saying which line is wrong and how to write it. Nothing
here knows about the UI.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from failtui.decks.ids import ID_PATTERN, ID_RULE, slugify
from failtui.models import STANDARD_KEY_POINTS, FollowUp, KeyPoint, RedFlag, cues_required

T = TypeVar("T")


class CardTextError(ValueError):
    """A line of key points or red flags cannot be read; the message names the line."""


_SPECIAL = "\\|;"


def escape_field(text: str) -> str:
    """Text as one field of an editor line: ``\\``, ``|`` and ``;`` get a backslash."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def _split_escaped(text: str, separator: str) -> list[str]:
    """Split at separators without a backslash before them; the escapes stay for later."""
    parts, current, index = [], [], 0
    while index < len(text):
        ch = text[index]
        if ch == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        index += 1
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    # Only the three escapes are undone; any other backslash is the user's text.
    return re.sub(r"\\([\\|;])", r"\1", text)


def _cues(items: Sequence[str]) -> str:
    return "; ".join(escape_field(c) for c in items)


def format_key_points(points: Sequence[KeyPoint], shared: Mapping[str, KeyPoint]) -> str:
    """Key points as editor lines (deck-level ones by id only).

    A key point's hint and weight are added when it has them (``id | label | cues | hint`` and
    ``... | hint | weight``), so the lines hold every field: the editor shows them and CSV
    export writes them.
    """
    lines = []
    for kp in points:
        if shared.get(kp.id) == kp:
            lines.append(kp.id)
            continue
        line = f"{kp.id} | {escape_field(kp.label)} | {_cues(kp.cues)}"
        if kp.weight != 1.0:
            line += f" | {escape_field(kp.hint)} | {kp.weight!r}"
        elif kp.hint:
            line += f" | {escape_field(kp.hint)}"
        lines.append(line)
    return "\n".join(lines)


def format_red_flags(flags: Sequence[RedFlag], shared: Mapping[str, RedFlag]) -> str:
    """Red flags as editor lines (deck-level ones by id only)."""
    lines = []
    for rf in flags:
        if shared.get(rf.id) == rf:
            lines.append(rf.id)
        else:
            advice = f" | {escape_field(rf.advice)}" if rf.advice else ""
            lines.append(f"{rf.id} | {escape_field(rf.label)} | {_cues(rf.cues)}{advice}")
    return "\n".join(lines)


def _split(line: str) -> list[str]:
    # Fields keep their escapes until the cues are split; labels and advice are unescaped here.
    return [part.strip() for part in _split_escaped(line, "|")]


def _cue_list(text: str) -> tuple[str, ...]:
    cues = (_unescape(c).strip() for c in _split_escaped(text, ";"))
    return tuple(c for c in cues if c)


def _id_and_rest(parts: list[str], minimum: int) -> tuple[str, list[str]]:
    # With one field fewer than the full form, the id is made from the label.
    if len(parts) == minimum:
        return slugify(parts[0], limit=40), parts
    return parts[0], parts[1:]


KEY_POINT_FORM = "'label | cue; cue' or 'id | label | cue; cue'"
RED_FLAG_FORM = "'id | label | cue; cue | advice'"


def _deck_level(item_id: str, shared: Mapping[str, T], where: str, kind: str, form: str) -> T:
    """The deck-level item a one-part line names, or a CardTextError saying how to write it."""
    if item_id in shared:
        return shared[item_id]
    raise CardTextError(f"{where}: '{item_id}' is not a deck-level {kind}; write {form}")


def parse_key_points(text: str, shared: Mapping[str, KeyPoint]) -> tuple[KeyPoint, ...]:
    """Read key point lines; a line without a hint or weight has none (weight 1).

    The lines show every field (:func:`format_key_points`), so a hint deleted from its line is
    gone, as the user sees it.

    Raises:
        CardTextError: the first bad line, e.g. "key points, line 2: ...".
    """
    points: list[KeyPoint] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = _split(line)
        where = f"key points, line {number}"
        if len(parts) == 1:
            points.append(_deck_level(parts[0], shared, where, "key point", KEY_POINT_FORM))
            continue
        if len(parts) > 5:
            raise CardTextError(
                f"{where}: too many '|'; write 'id | label | cue; cue' (then '| hint | weight')"
            )
        extra = parts[3:] if len(parts) > 3 else []
        kp_id, (label, cues) = _id_and_rest(parts[:3], 2)
        label = _unescape(label)
        _check_item(where, kp_id, label, cues)
        hint = _unescape(extra[0]) if extra else ""
        weight = _weight(extra[1], where) if len(extra) > 1 else 1.0
        points.append(
            KeyPoint(id=kp_id, label=label, cues=_cue_list(cues), weight=weight, hint=hint)
        )
    _check_unique(points, "key point")
    return tuple(points)


def parse_red_flags(text: str, shared: Mapping[str, RedFlag]) -> tuple[RedFlag, ...]:
    """Read red flag lines (``id | label | cues | advice``; the id and advice may be left out).

    Raises:
        CardTextError: the first bad line.
    """
    flags: list[RedFlag] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = _split(line)
        where = f"red flags, line {number}"
        if len(parts) == 1:
            flags.append(_deck_level(parts[0], shared, where, "red flag", RED_FLAG_FORM))
            continue
        if len(parts) > 4:
            raise CardTextError(f"{where}: too many '|'; write 'id | label | cue; cue | advice'")
        if len(parts) == 2:
            rf_id, label, cues, advice = slugify(parts[0], limit=40), parts[0], parts[1], ""
        elif len(parts) == 3:
            rf_id, label, cues, advice = parts[0], parts[1], parts[2], ""
        else:
            rf_id, label, cues, advice = parts
        label, advice = _unescape(label), _unescape(advice)
        _check_item(where, rf_id, label, cues)
        flags.append(RedFlag(id=rf_id, label=label, cues=_cue_list(cues), advice=advice))
    _check_unique(flags, "red flag")
    return tuple(flags)


def _weight(text: str, where: str) -> float:
    """A key point's weight as written after its hint: a positive number."""
    try:
        weight = float(text)
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight) or weight <= 0:
        raise CardTextError(f"{where}: the weight must be a positive number, not {text!r}")
    return weight


def _check_item(where: str, item_id: str, label: str, cues: str) -> None:
    if not ID_PATTERN.match(item_id or ""):
        raise CardTextError(f"{where}: id {item_id!r} must be {ID_RULE}")
    if not label:
        raise CardTextError(f"{where}: the label is empty")
    if not _cue_list(cues) and cues_required(item_id):
        raise CardTextError(f"{where}: give at least one cue (phrases separated by ';')")


def _check_unique(items: Iterable[KeyPoint | RedFlag], noun: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise CardTextError(f"{noun} id '{item.id}' is used twice")
        seen.add(item.id)


def format_tags(tags: Sequence[str]) -> str:
    """Tags as the editor shows them: separated by spaces, in double quotes when they must be."""
    return " ".join(_quote_tag(tag) for tag in tags)


def _quote_tag(tag: str) -> str:
    if tag and not re.search(r'[\s,"\\]', tag):
        return tag
    return '"' + tag.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TAG = re.compile(r'"((?:[^"\\]|\\.)*)("?)|([^\s,"]+)')


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed as words separated by spaces or commas; ``"time management"`` is one tag.

    Raises:
        CardTextError: a quote left open (what follows it would silently become one tag).
    """
    tags = []
    for match in _TAG.finditer(text):
        if match.group(1) is not None and not match.group(2):
            opened = " ".join(match.group(0).split())
            raise CardTextError(f"tags: the quote in {opened[:24]!r} is not closed")
        if match.group(3) is not None:
            tags.append(match.group(3))
        else:
            tag = re.sub(r"\\(.)", r"\1", match.group(1)).strip()
            if tag:
                tags.append(tag)
    return tuple(tags)


FOLLOWUP_FORM = "'key point | question'"


def format_followup(followup: FollowUp) -> str:
    """One follow-up as an editor line; only ``\\`` and ``|`` in the question get a backslash."""
    question = followup.prompt.replace("\\", "\\\\").replace("|", "\\|")
    return f"{followup.key_point} | {' '.join(question.split())}"


def format_followups(followups: Sequence[FollowUp]) -> str:
    """A deck's follow-ups as editor lines, one a line, in the deck's order."""
    return "\n".join(format_followup(f) for f in followups)


def parse_followups(text: str, previous: Sequence[FollowUp] = ()) -> tuple[FollowUp, ...]:
    """Read follow-up lines (``key point | question``), empty lines skipped.

    A line that reads exactly as one of ``previous`` was shown keeps that follow-up as it was
    (a question written over several lines in the file is shown on one).

    Raises:
        CardTextError: the first bad line, e.g. "follow-ups, line 2: ...".
    """
    unchanged = {format_followup(f): f for f in previous}
    followups: list[FollowUp] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.strip() in unchanged:
            followups.append(unchanged[line.strip()])
            continue
        where = f"follow-ups, line {number}"
        parts = _split(line)
        if len(parts) == 1:
            raise CardTextError(f"{where}: write {FOLLOWUP_FORM}")
        if len(parts) > 2:
            raise CardTextError(f"{where}: too many '|'; a '|' in the question is written '\\|'")
        key_point, question = parts[0], _unescape(parts[1]).strip()
        if key_point not in STANDARD_KEY_POINTS:
            raise CardTextError(
                f"{where}: {key_point!r} is not one of {', '.join(STANDARD_KEY_POINTS)}"
            )
        if not question:
            raise CardTextError(f"{where}: the question is empty")
        followups.append(FollowUp(key_point=key_point, prompt=question))
    return tuple(followups)


__all__ = [
    "CardTextError",
    "escape_field",
    "format_followup",
    "format_followups",
    "format_key_points",
    "format_red_flags",
    "format_tags",
    "parse_followups",
    "parse_key_points",
    "parse_red_flags",
    "parse_tags",
]
