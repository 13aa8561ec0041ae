"""The settings a user may change: their names, defaults, validation and storage.

Shared by ``failtui settings`` and the settings screen. Values live in the ``settings`` table
as JSON; a few keep the storage names they had before they could be changed here
(``new_per_day``, ``rollover_hour``). Per-deck limits are stored as ``deck/ID/KEY``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from failtui.storage import home_queries as queries
from failtui.storage.db import Store, refuse_damaged
from failtui.studyday import DEFAULT_ROLLOVER_HOUR, Settings

#: Textual's built-in themes (the core does not import Textual; a test keeps this list true).
THEMES = (
    "textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula",
    "tokyo-night", "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe",
    "catppuccin-macchiato", "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon",
    "rose-pine-dawn", "atom-one-dark", "atom-one-light", "ansi-dark", "ansi-light",
)  # fmt: skip

#: How many daily backups of the database are kept, unless the user sets ``backups_keep``.
DEFAULT_BACKUPS_KEPT = 10
#: The most backups ``backups_keep`` may ask for.
MAX_BACKUPS_KEPT = 1000

_TRUE = {"on", "true", "yes", "1"}
_FALSE = {"off", "false", "no", "0"}


class SettingError(ValueError):
    """A setting name or value that cannot be used; the message is one line for the user."""


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class SettingSpec(NamedTuple):
    """One setting: its key, default, what it accepts, and whether a deck may set its own."""

    key: str
    default: Any
    kind: str  # int | float | bool | hour | choice
    help: str
    stored_as: str = ""
    per_deck: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def storage_key(self) -> str:
        return self.stored_as or self.key

    def accepts(self) -> str:
        """What values are allowed, for error messages and the settings screen."""
        if self.kind == "bool":
            return "on or off"
        if self.kind == "choice":
            return ", ".join(self.choices)
        if self.kind == "hour":
            return "an hour from 0 to 23"
        low, high = self.low, self.high
        assert low is not None and high is not None  # every number setting has bounds
        if self.kind == "float":
            return f"a number from {low} to {high}"
        return f"a whole number from {int(low)} to {int(high)}"

    def parse(self, text: str) -> Any:
        """The value ``text`` stands for.

        Raises:
            SettingError: ``text`` is not a value this setting accepts.
        """
        raw = text.strip()
        bad = SettingError(f"{self.key}: {raw!r} is not {self.accepts()}")
        if self.kind == "bool":
            if raw.lower() in _TRUE:
                return True
            if raw.lower() in _FALSE:
                return False
            raise bad
        if self.kind == "choice":
            if raw.lower() in self.choices:
                return raw.lower()
            raise bad
        if not raw.isascii():  # int() and float() read any script's digits, such as ٣ or ５
            raise bad
        if self.kind == "hour":
            hour, _, minutes = raw.partition(":")
            if not hour.isdigit() or minutes not in ("", "0", "00") or not 0 <= int(hour) <= 23:
                raise bad
            return int(hour)
        try:
            value = float(raw) if self.kind == "float" else int(raw)
        except ValueError:
            raise bad from None
        assert self.low is not None and self.high is not None  # every number setting has bounds
        if not self.low <= value <= self.high:
            raise bad
        return value

    def format(self, value: Any) -> str:
        """The value as ``failtui settings`` prints it (and ``parse`` reads it back)."""
        if self.kind == "bool":
            return "on" if value else "off"
        return str(value)


SPECS = (
    SettingSpec(
        "new_cards_per_day", 10, "int", "New cards a day", "new_per_day", True, 0, 9999
    ),
    SettingSpec("reviews_per_day", 200, "int", "Reviews a day", "", True, 0, 99999),
    SettingSpec(
        "desired_retention", 0.9, "float", "Desired retention (0.7-0.99)", "",
        False, 0.7, 0.99,
    ),
    SettingSpec(
        "day_starts_at", DEFAULT_ROLLOVER_HOUR, "hour", "Study day starts at (hour)",
        "rollover_hour",
    ),
    SettingSpec(
        "all_decks_order", "interleaved", "choice", 'Order in "All decks"',
        choices=("interleaved", "by-deck"),
    ),
    SettingSpec("exam_mode", False, "bool", "Exam mode (no live panel)"),
    SettingSpec("theme", "textual-dark", "choice", "Colour theme", choices=THEMES),
    SettingSpec(
        "backups_keep", DEFAULT_BACKUPS_KEPT, "int", "Daily backups kept", "",
        False, 1, MAX_BACKUPS_KEPT,
    ),
)  # fmt: skip
BY_KEY = {spec.key: spec for spec in SPECS}


def spec_for(key: str, deck_id: str | None = None) -> SettingSpec:
    """The setting named ``key``.

    Raises:
        SettingError: no such setting, or it cannot be set per deck.
    """
    spec = BY_KEY.get(key)
    if spec is None:
        raise SettingError(f"no setting {key!r}; the settings are: {', '.join(BY_KEY)}")
    if deck_id is not None and not spec.per_deck:
        per_deck = ", ".join(s.key for s in SPECS if s.per_deck)
        raise SettingError(f"{key} is not set per deck; a deck may set: {per_deck}")
    return spec


def _deck_key(deck_id: str, spec: SettingSpec) -> str:
    return f"deck/{deck_id}/{spec.key}"


def get(store: Store, key: str, deck_id: str | None = None) -> Any:
    """A setting's value, or its default; a deck's own limit, or the overall one."""
    spec = spec_for(key, deck_id)
    overall = queries.get_setting(store, spec.storage_key, spec.default)
    try:
        overall = spec.parse(spec.format(overall))
    except SettingError:  # a value written by hand that is not valid: the default
        overall = spec.default
    if deck_id is None:
        return overall
    own = queries.get_setting(store, _deck_key(deck_id, spec))
    return overall if own is None else own


def is_set(store: Store, key: str, deck_id: str | None = None) -> bool:
    """Whether the setting (or the deck's own) has a stored value."""
    spec = spec_for(key, deck_id)
    name = spec.storage_key if deck_id is None else _deck_key(deck_id, spec)
    return queries.get_setting(store, name) is not None


def set_value(store: Store, key: str, text: str, deck_id: str | None = None) -> Any:
    """Set a setting from its text (``default`` removes the stored value); returns the value.

    Raises:
        SettingError: unknown key or a value it does not accept.
        sqlite3.DatabaseError: the database is damaged (nothing is written).
    """
    return set_values(store, [(key, text)], deck_id)[0]


def set_values(
    store: Store, texts: Sequence[tuple[str, str]], deck_id: str | None = None
) -> list[Any]:
    """Set settings from (key, text) pairs, as :func:`set_value` does; returns their values.

    Every text is checked, and the database too (once), before anything is written.

    Raises:
        SettingError: an unknown key or a value it does not accept (nothing is written).
        sqlite3.DatabaseError: the database is damaged (nothing is written).
    """
    changes = []  # (key, stored name, back to the default, value)
    for key, text in texts:
        spec = spec_for(key, deck_id)
        name = spec.storage_key if deck_id is None else _deck_key(deck_id, spec)
        if text.strip().lower() == "default":
            changes.append((key, name, True, None))
        else:
            changes.append((key, name, False, spec.parse(text)))
    refuse_damaged(store)
    for _key, name, to_default, value in changes:
        if to_default:
            with store.write() as db:
                db.execute("DELETE FROM settings WHERE key = ?", (name,))
        else:
            queries.set_setting(store, name, value)
    return [
        get(store, key, deck_id) if to_default else value
        for key, _name, to_default, value in changes
    ]


def listing(store: Store, deck_id: str | None = None) -> list[tuple[str, str]]:
    """Every setting (only the per-deck ones with a deck) as (key, value) text, defaults filled."""
    return [
        (spec.key, spec.format(get(store, spec.key, deck_id)))
        for spec in SPECS
        if deck_id is None or spec.per_deck
    ]


def deck_limits(store: Store) -> dict[str, dict[str, int]]:
    """Each deck's own limits: {deck id: {"new_cards_per_day": n, ...}}."""
    rows = store.query("SELECT key, value FROM settings WHERE key LIKE 'deck/%/%'")
    limits: dict[str, dict[str, int]] = {}
    for row in rows:
        _prefix, deck_id, key = row["key"].split("/", 2)
        if key in BY_KEY and BY_KEY[key].per_deck:
            try:
                limits.setdefault(deck_id, {})[key] = int(json.loads(row["value"]))
            except (TypeError, ValueError):
                continue  # written by hand and not a number: the overall limit applies
    return limits


def scheduling_settings(store: Store) -> Settings:
    """The scheduling settings the drill uses, with defaults for those never set."""
    limits = deck_limits(store)

    def per_deck(key: str) -> dict[str, int]:
        return {deck_id: own[key] for deck_id, own in limits.items() if key in own}

    from failtui.fsrs_params import fitted

    fit = fitted(store)
    return Settings(
        parameters=fit.parameters if fit is not None else None,
        desired_retention=float(get(store, "desired_retention")),
        new_per_day=int(get(store, "new_cards_per_day")),
        reviews_per_day=int(get(store, "reviews_per_day")),
        rollover_hour=int(get(store, "day_starts_at")),
        deck_new_per_day=per_deck("new_cards_per_day"),
        deck_reviews_per_day=per_deck("reviews_per_day"),
        interleave=get(store, "all_decks_order") == "interleaved",
    )


def capped_limits(store: Store, deck_id: str | None = None) -> list[str]:
    """One line for each deck limit (of ``deck_id``, or of every deck) that the overall limit
    caps: a deck never gets more than the overall daily limit, so a higher own limit does
    nothing, and the user should be told rather than left to wonder."""
    notes = []
    for deck, own in sorted(deck_limits(store).items()):
        if deck_id is not None and deck != deck_id:
            continue
        for key, value in own.items():
            overall = int(get(store, key))
            if value > overall:
                notes.append(
                    f"note: {deck}'s {key} ({value}) is above the overall {overall}, which caps it"
                )
    return notes
