"""The rules of a key point and a red flag, in one place.

A deck file (the reader), a CSV row (the importers) and a card the app writes (the writer) are
held to these rules with the same messages, so what one accepts the others accept too. A
problem is an :class:`ItemProblem` whose message names the item; each caller adds where it is
(the file and line, the CSV row, the card).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from failtui.decks.ids import ID_RULE, is_valid_id
from failtui.models import KeyPoint, RedFlag, cues_required
from failtui.textclean import clean_text

#: The largest weight of a key point (coverage adds weights: 1e308 twice is infinity).
MAX_WEIGHT = 1000


#: The keys a key point table may hold.
KEY_POINT_KEYS = ("id", "label", "cues", "weight", "hint")
#: The keys a red flag table may hold.
RED_FLAG_KEYS = ("id", "label", "cues", "advice")


class ItemProblem(ValueError):
    """A value breaks a rule of the deck format; the message says which and why (one line).

    ``key`` is the key at fault when the problem is one key's, so a caller can point at its line.
    """

    def __init__(self, message: str, *, key: str | None = None):
        super().__init__(message)
        self.key = key


def kind_of(value: Any) -> str:
    """The deck format's name for the type of a parsed TOML or JSON value ("a list")."""
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def is_finite_number(number: float) -> bool:
    """Whether a number is finite; an integer too large for a float is not."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


class UnknownKey(NamedTuple):
    """A key a table holds that the deck format does not know, and what to say of it."""

    key: str
    problem: str
    #: The known key it is a close match of, if any: a typo whose value would be lost unread,
    #: so an error. Any other unknown key (``author``, a ``[meta]`` table, a key a later
    #: failtui reads) is only a warning, so that a deck holding one still loads.
    meant: str | None


def unknown_keys(table: dict[str, Any], known: Sequence[str]) -> list[UnknownKey]:
    """Each key of ``table`` that is not one of ``known``, in file order.

    The problem names the known key it is closest to, if one is ("did you mean 'tags'?").
    """
    found = []
    for key in table:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1)
        if close:
            found.append(
                UnknownKey(key, f"unknown key '{key}' (did you mean '{close[0]}'?)", close[0])
            )
        else:
            problem = f"unknown key '{key}' is ignored (known keys: {', '.join(known)})"
            found.append(UnknownKey(key, problem, None))
    return found


def text_field(table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    """``table[key]`` as clean text; a missing optional field is ``""``.

    Raises:
        ItemProblem: the field is missing (and required) or not a string.
    """
    value = table.get(key)
    if value is None:
        if required:
            raise ItemProblem(f"{where} is missing '{key}'", key=key)
        return ""
    if not isinstance(value, str):
        raise ItemProblem(f"{where} '{key}' must be a string, not {kind_of(value)}", key=key)
    return clean_text(value)


def item_id(table: dict[str, Any], where: str) -> str:
    """The ``id`` of a card, key point or red flag table.

    Raises:
        ItemProblem: the id is missing or not made of :data:`~failtui.decks.ids.ID_RULE`.
    """
    value = table.get("id")
    if not isinstance(value, str) or not is_valid_id(value):
        raise ItemProblem(f"{where} needs an 'id' of {ID_RULE}: {value!r}")
    return value


def key_point_from(table: Any, where: str = "key point", *, new: bool = False) -> KeyPoint:
    """A key point from its table (``id``, ``label``, ``cues``, optional ``weight`` and ``hint``).

    ``new`` is for an item being added (an import, the editor): it must also have a label. A
    deck file written before may keep an empty one.

    Raises:
        ItemProblem: the first rule the table breaks.
    """
    table = _table(table, where)
    kp_id = item_id(table, where)
    where = f"{where} '{kp_id}'"
    _only_known_keys(table, KEY_POINT_KEYS, where)
    weight = table.get("weight", 1.0)
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not is_finite_number(weight)  # inf and nan are TOML floats; coverage needs finite
        or weight <= 0
    ):
        raise ItemProblem(
            f"{where} 'weight' must be a positive number, not {weight!r}", key="weight"
        )
    if weight > MAX_WEIGHT:
        raise ItemProblem(
            f"{where} 'weight' must be at most {MAX_WEIGHT:,}, not {weight!r}", key="weight"
        )
    return KeyPoint(
        id=kp_id,
        label=_label(table, where, new),
        cues=_cues(table, where),
        weight=float(weight),
        hint=text_field(table, "hint", where, required=False),
    )


def red_flag_from(table: Any, where: str = "red flag", *, new: bool = False) -> RedFlag:
    """A red flag from its table (``id``, ``label``, ``cues``, optional ``advice``).

    Raises:
        ItemProblem: the first rule the table breaks (``new`` as for :func:`key_point_from`).
    """
    table = _table(table, where)
    rf_id = item_id(table, where)
    where = f"{where} '{rf_id}'"
    _only_known_keys(table, RED_FLAG_KEYS, where)
    return RedFlag(
        id=rf_id,
        label=_label(table, where, new),
        cues=_cues(table, where),
        advice=text_field(table, "advice", where, required=False),
    )


def check_new_items(key_points: Iterable[KeyPoint], red_flags: Iterable[RedFlag]) -> None:
    """Check a card's key points and red flags before they are written to a deck file.

    Each is held to the rules of its table as the writer writes it (blank cues dropped),
    with a label, and ids are not repeated within the card.

    Raises:
        ItemProblem: the first problem.
    """
    for noun, items in (("key point", tuple(key_points)), ("red flag", tuple(red_flags))):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ItemProblem(f"{noun} id '{item.id}' is used twice")
            seen.add(item.id)
            table: dict[str, Any] = {
                "id": item.id,
                "label": item.label,
                "cues": [clean_text(c).strip() for c in item.cues if c.strip()],
            }
            if isinstance(item, KeyPoint):
                key_point_from(table | {"weight": item.weight, "hint": item.hint}, new=True)
            else:
                red_flag_from(table | {"advice": item.advice}, new=True)


def check_gradable(answer: str, key_points: Sequence[KeyPoint], field: str) -> None:
    """Check that a card has something to grade an answer against: key points or guidance.

    ``field`` names the card's guidance as the caller's file or form calls it (a CSV row's
    "the back (answer)", a deck file's "'answer'").

    Raises:
        ItemProblem: the guidance is blank and there are no key points.
    """
    if not answer.strip() and not key_points:
        # A card without key points is graded against its guidance: with none, every answer
        # would score 0% and be rated Again.
        raise ItemProblem(
            f"{field} is empty: a card without key points is graded against it", key="answer"
        )


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ItemProblem(f"{where} must be a table, not {kind_of(value)}")
    return value


def _only_known_keys(table: dict[str, Any], known: Sequence[str], where: str) -> None:
    """Raise for the first key that looks like a typo of a known one (others are ignored)."""
    for unknown in unknown_keys(table, known):
        if unknown.meant is not None:
            raise ItemProblem(f"{where}: {unknown.problem}", key=unknown.key)


def _label(table: dict[str, Any], where: str, new: bool) -> str:
    label = text_field(table, "label", where)
    if new and not label.strip():
        raise ItemProblem(f"{where} has no label", key="label")
    return label


def _cues(table: dict[str, Any], where: str) -> tuple[str, ...]:
    cues = table.get("cues")
    required = cues_required(table.get("id", ""))
    if cues is None and not required:
        return ()
    if not isinstance(cues, list) or (not cues and required):
        raise ItemProblem(f"{where} needs 'cues', a non-empty list of phrases", key="cues")
    cleaned = []
    for cue in cues:
        if not isinstance(cue, str) or not cue.strip():
            raise ItemProblem(
                f"{where} has a cue that is not a non-empty string: {cue!r}", key="cues"
            )
        cleaned.append(clean_text(cue).strip())
    return tuple(cleaned)
