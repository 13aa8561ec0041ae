"""Fit the FSRS parameters to the user's own review history (``failtui optimize``).

py-fsrs ships an ``Optimizer``, but it needs PyTorch (hundreds of megabytes) for its gradients.
FSRS has 21 parameters and a forward pass of a few arithmetic operations per review, so this
module does the same fit with numpy, which failtui already depends on: the memory model of
py-fsrs 6 written over arrays (every card's n-th review at once), the loss py-fsrs minimises
(binary cross-entropy of the predicted recall against "not rated Again", on reviews a day or
more after the one before), and its optimiser (Adam, learning rate 0.04 with cosine decay,
parameters kept within fsrs' bounds). The gradient is taken by central differences: each
step evaluates the 43 parameter sets (the point, and each parameter nudged both ways) in one
vectorised pass. A test checks that the forward pass predicts what py-fsrs' own scheduler does.

The fit is judged on reviews it never saw: the latest :data:`HELD_BACK` of them (by time) are
held back; the parameters are fitted on the earlier ones, then both parameter sets predict the
held-back reviews from each card's whole history before them. The fit is applied only when its
log loss there is lower than the defaults'.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import numpy as np
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

#: Fewer reviews than this and no fit is made. The latest fifth is held back to judge the fit;
#: at 400 reviews that is 80, about the fewest on which a gain in log loss of a few hundredths
#: stands out from chance (the standard error of a mean log loss over n reviews is about
#: 0.5 / sqrt(n): 0.056 at 80, 0.035 at the 200 of 1,000 reviews).
MIN_REVIEWS = 400
#: The share of reviews, the latest, held back to judge the fit.
HELD_BACK = 0.2
#: As py-fsrs' optimiser: at most a card's first 64 reviews, learning rate 0.04.
MAX_SEQUENCE = 64
LEARNING_RATE = 0.04
#: Gradient steps, and the cards drawn for each (all of them when there are fewer).
STEPS = 80
CARDS_PER_STEP = 1024
SEED = 42

_LOW = np.array(LOWER_BOUNDS_PARAMETERS)
_HIGH = np.array(UPPER_BOUNDS_PARAMETERS)
_DEFAULTS = np.array(DEFAULT_PARAMETERS)
_EPS = 1e-7
#: A pull toward fsrs' defaults, as a Gaussian prior on each parameter with a tenth of its
#: range as spread, worth this many reviews' loss. Without it, a few thousand reviews are
#: over-fitted: in simulated histories the fit learned the earlier reviews better than the
#: true parameters did and predicted the held-back ones worse than the defaults.
PRIOR = 3.0
_SPREAD = (_HIGH - _LOW) / 10


@dataclass(frozen=True)
class ReviewRow:
    """One review as the fit needs it."""

    card_key: str
    reviewed_at: datetime
    rating: int  # 1 again .. 4 easy
    #: The card was new before this review (a card made new again starts a new history).
    first: bool


@dataclass(frozen=True)
class FitResult:
    """What ``failtui optimize`` reports."""

    reviews: int
    held_back: int
    log_loss_before: float | None
    log_loss_after: float | None
    rmse_before: float | None
    rmse_after: float | None
    parameters: tuple[float, ...] | None
    #: Why no fit was made, or "" when one was.
    reason: str = ""

    @property
    def better(self) -> bool:
        """Whether the fitted parameters predict the held-back reviews better."""
        return (
            self.log_loss_after is not None
            and self.log_loss_before is not None
            and self.log_loss_after < self.log_loss_before
        )


@dataclass
class _Histories:
    """Every card's reviews as padded arrays, one row per card history."""

    ratings: np.ndarray  # (cards, steps) int, 0 where padded
    elapsed: np.ndarray  # (cards, steps) whole days since the review before (0 for the first)
    recalled: np.ndarray  # (cards, steps) 1.0 unless rated Again
    train: np.ndarray  # (cards, steps) bool: a prediction the fit learns from
    test: np.ndarray  # (cards, steps) bool: a held-back prediction

    def rows(self, chosen: np.ndarray) -> _Histories:
        return _Histories(*(a[chosen] for a in (self.ratings, self.elapsed, self.recalled,
                                               self.train, self.test)))  # fmt: skip


def histories(rows: Sequence[ReviewRow], split_at: datetime | None) -> _Histories:
    """Card histories from reviews sorted by card and time; reviews at or after ``split_at``
    are held back (None: none are)."""
    sequences: list[list[ReviewRow]] = []
    current_key = None
    for row in rows:
        if row.card_key != current_key or row.first or not sequences:
            sequences.append([])
            current_key = row.card_key
        sequences[-1].append(row)
    sequences = [s[:MAX_SEQUENCE] for s in sequences]
    width = max((len(s) for s in sequences), default=1)
    shape = (len(sequences), width)
    ratings = np.zeros(shape, dtype=np.int64)
    elapsed = np.zeros(shape)
    recalled = np.zeros(shape)
    train = np.zeros(shape, dtype=bool)
    test = np.zeros(shape, dtype=bool)
    for n, sequence in enumerate(sequences):
        for i, row in enumerate(sequence):
            ratings[n, i] = row.rating
            recalled[n, i] = 1.0 if row.rating > 1 else 0.0
            if i == 0:
                continue
            # As py-fsrs: whole days (timedelta.days), and only a review on a later day is
            # predicted.
            days = (row.reviewed_at - sequence[i - 1].reviewed_at).days
            elapsed[n, i] = max(days, 0)
            if days >= 1:
                held = split_at is not None and row.reviewed_at >= split_at
                test[n, i] = held
                train[n, i] = not held
    return _Histories(ratings, elapsed, recalled, train, test)


def predict(params: np.ndarray, h: _Histories) -> np.ndarray:
    """The predicted recall of every review, for each parameter set.

    ``params`` is (sets, 21); the result is (sets, cards, steps), meaningful where a review is
    predicted (``train`` or ``test``). The memory model of py-fsrs 6 (``fsrs.scheduler``).
    """
    w = params[:, :, None]  # (sets, 21, 1): each parameter broadcasts over the cards
    sets, (cards, steps) = params.shape[0], h.ratings.shape
    decay = -w[:, 20]
    factor = 0.9 ** (1 / decay) - 1
    out = np.zeros((sets, cards, steps))
    first = h.ratings[:, 0]
    stability = np.maximum(params[:, (first - 1).clip(0)], 0.001)
    difficulty = np.clip(w[:, 4] - np.exp(w[:, 5] * (first - 1)) + 1, 1.0, 10.0)
    easy_difficulty = w[:, 4] - np.exp(w[:, 5] * 3) + 1  # unclamped, as fsrs' mean reversion
    for i in range(1, steps):
        rating = h.ratings[:, i]
        present = rating > 0
        if not present.any():
            break
        days = h.elapsed[:, i]
        recall = (1 + factor * days / stability) ** decay
        out[:, :, i] = recall
        # Same day: the short-term stability; a later day: the stability after recall or lapse.
        short = stability * np.exp(w[:, 17] * (rating - 3 + w[:, 18])) * stability ** -w[:, 19]
        short = np.where(rating >= 2, np.maximum(short, stability), short)
        hard = np.where(rating == 2, w[:, 15], 1.0)
        easy = np.where(rating == 4, w[:, 16], 1.0)
        recalled = stability * (
            1
            + np.exp(w[:, 8])
            * (11 - difficulty)
            * stability ** -w[:, 9]
            * (np.exp((1 - recall) * w[:, 10]) - 1)
            * hard
            * easy
        )
        forgot = np.minimum(
            w[:, 11]
            * difficulty ** -w[:, 12]
            * ((stability + 1) ** w[:, 13] - 1)
            * np.exp((1 - recall) * w[:, 14]),
            stability / np.exp(w[:, 17] * w[:, 18]),
        )
        later = np.where(rating == 1, forgot, recalled)
        new_stability = np.maximum(np.where(days < 1, short, later), 0.001)
        damped = difficulty + (10 - difficulty) * (-w[:, 6] * (rating - 3)) / 9
        new_difficulty = np.clip(w[:, 7] * easy_difficulty + (1 - w[:, 7]) * damped, 1.0, 10.0)
        stability = np.where(present, new_stability, stability)
        difficulty = np.where(present, new_difficulty, difficulty)
    return out


def log_loss(recall: np.ndarray, h: _Histories, mask: np.ndarray) -> np.ndarray:
    """Mean binary cross-entropy of the predictions where ``mask``, one per parameter set."""
    p = np.clip(recall, _EPS, 1 - _EPS)
    y = h.recalled
    losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return cast(np.ndarray, (losses * mask).sum(axis=(1, 2)) / max(mask.sum(), 1))


def rmse(recall: np.ndarray, h: _Histories, mask: np.ndarray) -> float:
    """Root mean squared error of the predicted recall against the outcome, where ``mask``."""
    errors = (recall[0] - h.recalled) ** 2
    return float(math.sqrt((errors * mask).sum() / max(mask.sum(), 1)))


def fit_parameters(h: _Histories, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Parameters fitted on the ``train`` reviews of ``h``, starting from fsrs' defaults."""
    rng = np.random.default_rng(SEED)
    learnable = np.flatnonzero(h.train.any(axis=1))
    params = _DEFAULTS.copy()
    first_moment = np.zeros_like(params)
    second_moment = np.zeros_like(params)
    beta1, beta2 = 0.9, 0.999
    nudge = np.maximum(np.abs(params), 0.1) * 1e-4
    best, best_loss = params.copy(), math.inf
    for step in range(1, STEPS + 1):
        chosen = (
            learnable
            if len(learnable) <= CARDS_PER_STEP
            else rng.choice(learnable, CARDS_PER_STEP, replace=False)
        )
        batch = h.rows(chosen)
        sets = np.repeat(params[None, :], 2 * len(params) + 1, axis=0)
        for j in range(len(params)):
            sets[1 + 2 * j, j] += nudge[j]
            sets[2 + 2 * j, j] -= nudge[j]
        sets = np.clip(sets, _LOW, _HIGH)
        losses = log_loss(predict(sets, batch), batch, batch.train)
        losses = losses + PRIOR * (((sets - _DEFAULTS) / _SPREAD) ** 2).sum(axis=1) / max(
            int(batch.train.sum()), 1
        )
        if len(chosen) == len(learnable) and losses[0] < best_loss:
            best, best_loss = params.copy(), losses[0]
        index = np.arange(len(params))
        # The nudge actually taken (a bound may have cut it); none at all: no gradient.
        spread = sets[1 + 2 * index, index] - sets[2 + 2 * index, index]
        change = losses[1 + 2 * index] - losses[2 + 2 * index]
        gradient = np.where(spread > 0, change / np.maximum(spread, 1e-12), 0.0)
        first_moment = beta1 * first_moment + (1 - beta1) * gradient
        second_moment = beta2 * second_moment + (1 - beta2) * gradient**2
        rate = LEARNING_RATE * 0.5 * (1 + math.cos(math.pi * (step - 1) / STEPS))
        corrected = first_moment / (1 - beta1**step)
        scale = np.sqrt(second_moment / (1 - beta2**step)) + 1e-8
        params = np.clip(params - rate * corrected / scale, _LOW, _HIGH)
        if progress is not None:
            progress(step, STEPS)
    if len(learnable) > CARDS_PER_STEP:
        return params  # mini-batches: the last parameters, as py-fsrs' epochs end
    final = log_loss(predict(params[None, :], h), h, h.train)[0]
    return params if final <= best_loss else best


def optimize(
    rows: Sequence[ReviewRow], progress: Callable[[int, int], None] | None = None
) -> FitResult:
    """Fit the parameters to ``rows`` (sorted by card, then time) and judge them on the latest
    reviews, held back. No fit is made with fewer than :data:`MIN_REVIEWS` reviews."""
    count = len(rows)
    times = sorted(r.reviewed_at for r in rows)
    split_at = times[min(int(count * (1 - HELD_BACK)), count - 1)] if rows else None
    h = histories(rows, split_at)
    held = int(h.test.sum())
    before = after = rmse_before = rmse_after = None
    if held:
        default_recall = predict(_DEFAULTS[None, :], h)
        before = float(log_loss(default_recall, h, h.test)[0])
        rmse_before = rmse(default_recall, h, h.test)
    if count < MIN_REVIEWS:
        reason = (
            f"{count:,} review{'s' * (count != 1)}; a fit needs {MIN_REVIEWS:,} (the latest "
            f"fifth is held back to judge it, and fewer than {MIN_REVIEWS // 5} held back "
            "cannot tell a better fit from luck)"
        )
        return FitResult(count, held, before, None, rmse_before, None, None, reason)
    if not held or not h.train.any():
        reason = (
            "no review came a day or more after the card's review before it, in the earlier "
            "and in the latest reviews both: there is nothing to predict yet"
        )
        return FitResult(count, held, before, None, rmse_before, None, None, reason)
    fitted = fit_parameters(h, progress)
    fitted_recall = predict(fitted[None, :], h)
    after = float(log_loss(fitted_recall, h, h.test)[0])
    rmse_after = rmse(fitted_recall, h, h.test)
    parameters = tuple(float(p) for p in np.clip(fitted, _LOW, _HIGH))
    return FitResult(count, held, before, after, rmse_before, rmse_after, parameters)
