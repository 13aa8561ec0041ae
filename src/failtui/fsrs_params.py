"""The FSRS parameters in use: fsrs' defaults, or those ``failtui optimize`` fitted and applied.

Kept in the ``settings`` table as one JSON object under :data:`SETTING`, with when and on how
many reviews they were fitted and the held-back figures that justified them. A stored value
that is not 21 numbers within fsrs' bounds (edited by hand) is ignored: the defaults apply.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from failtui.storage import home_queries as queries
from failtui.storage.db import Store
from failtui.studyday import format_utc, parse_utc

if TYPE_CHECKING:
    from failtui.fsrs_fit import ReviewRow

SETTING = "fsrs_parameters"


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class FittedParameters(NamedTuple):
    """Parameters fitted to the user's reviews, and the evidence they are better."""

    parameters: tuple[float, ...]
    fitted_at: str
    reviews: int
    log_loss_before: float
    log_loss_after: float

    def describe(self) -> str:
        """One line for the settings screen and ``failtui settings``."""
        when = parse_utc(self.fitted_at)
        day = when.strftime("%Y-%m-%d") if when else self.fitted_at
        return (
            f"fitted to your {self.reviews:,} reviews on {day} (log loss on held-back reviews "
            f"{self.log_loss_before:.3f} with the defaults, {self.log_loss_after:.3f} fitted)"
        )


def fitted(store: Store) -> FittedParameters | None:
    """The applied fit, or None when fsrs' defaults are in use."""
    value = queries.get_setting(store, SETTING)
    if not isinstance(value, dict):
        return None  # the usual case, on the home screen's first frame: fsrs is not imported
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    params = value.get("parameters")
    if not isinstance(params, list) or len(params) != len(LOWER_BOUNDS_PARAMETERS):
        return None
    try:
        numbers = tuple(float(p) for p in params)
        if not all(
            low <= p <= high
            for p, low, high in zip(
                numbers, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
            )
        ):
            return None
        return FittedParameters(
            numbers,
            str(value.get("fitted_at", "")),
            int(value.get("reviews", 0)),
            float(value.get("log_loss_before", 0.0)),
            float(value.get("log_loss_after", 0.0)),
        )
    except (TypeError, ValueError):
        return None


def in_use_text(store: Store) -> str:
    """Which parameters the scheduler uses, in words."""
    fit = fitted(store)
    return "fsrs defaults (not fitted: 'failtui optimize')" if fit is None else fit.describe()


def apply_fit(
    store: Store,
    parameters: tuple[float, ...],
    reviews: int,
    log_loss_before: float,
    log_loss_after: float,
    now: datetime,
) -> None:
    """Store fitted parameters as the ones in use."""
    queries.set_setting(
        store,
        SETTING,
        {
            "parameters": list(parameters),
            "fitted_at": format_utc(now),
            "reviews": reviews,
            "log_loss_before": log_loss_before,
            "log_loss_after": log_loss_after,
        },
    )


def reset(store: Store) -> bool:
    """Go back to fsrs' defaults; False when they were in use already."""
    was = fitted(store) is not None or bool(queries.get_setting(store, SETTING))
    with store.write() as db:
        db.execute("DELETE FROM settings WHERE key = ?", (SETTING,))
    return was


def review_rows(store: Store) -> list[ReviewRow]:
    """Every review, by card and time, as :class:`failtui.fsrs_fit.ReviewRow`."""
    from failtui.fsrs_fit import ReviewRow

    return [
        ReviewRow(key, parse_utc(at), rating, before == "new")
        for key, at, rating, before in store.conn.execute(
            "SELECT card_key, reviewed_at, rating, state_before FROM reviews "
            "ORDER BY card_key, reviewed_at, id"
        )
    ]
