"""The numpy FSRS fit predicts exactly what py-fsrs' scheduler does, and splits by time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fsrs import Card, Rating, Scheduler

from failtui.fsrs_fit import _DEFAULTS, MIN_REVIEWS, ReviewRow, histories, optimize, predict


def random_histories(seed: int, parameters=None):
    rng = random.Random(seed)
    scheduler = Scheduler(**({"parameters": parameters} if parameters else {}))
    rows, expected = [], {}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for c in range(40):
        card = Card(card_id=c + 1, due=start)
        t = start + timedelta(hours=rng.random() * 100)
        for i in range(rng.randint(1, 12)):
            if i > 0 and (t - card.last_review).days >= 1:
                expected[(c, i)] = scheduler.get_card_retrievability(card, t)
            rating = Rating(rng.choice([1, 2, 3, 3, 4]))
            rows.append(ReviewRow(f"d/{c:02}", t, int(rating), i == 0))
            card, _ = scheduler.review_card(card, rating, t)
            # Same-day steps and longer gaps both: the short-term stability is used too.
            t += timedelta(hours=rng.choice([0.2, 5, 30, 80, 200, 500]))
    return rows, expected


@pytest.mark.parametrize("seed", [1, 2])
def test_the_forward_pass_matches_py_fsrs(seed):
    rows, expected = random_histories(seed)
    predicted = predict(_DEFAULTS[None, :], histories(rows, None))[0]
    assert len(expected) > 100
    assert max(abs(predicted[c, i] - r) for (c, i), r in expected.items()) < 1e-12


def test_other_parameters_too():
    params = list(_DEFAULTS)
    params[0:4] = [0.3, 0.9, 4.0, 12.0]
    params[20] = 0.5
    rows, expected = random_histories(3, params)
    predicted = predict(np.array(params)[None, :], histories(rows, None))[0]
    assert max(abs(predicted[c, i] - r) for (c, i), r in expected.items()) < 1e-12


def test_reviews_from_the_split_on_are_held_back_and_a_new_card_starts_a_history():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        ReviewRow("d/a", t0, 3, True),
        ReviewRow("d/a", t0 + timedelta(days=2), 3, False),
        ReviewRow("d/a", t0 + timedelta(days=5), 1, False),
        ReviewRow("d/a", t0 + timedelta(days=6), 3, True),  # forgotten, then new again
        ReviewRow("d/a", t0 + timedelta(days=9), 3, False),
    ]
    h = histories(rows, t0 + timedelta(days=5))
    assert h.ratings.tolist() == [[3, 3, 1], [3, 3, 0]]
    assert h.train.tolist() == [[False, True, False], [False, False, False]]
    assert h.test.tolist() == [[False, False, True], [False, True, False]]
    assert h.recalled[0].tolist() == [1.0, 1.0, 0.0]


def test_no_fit_below_the_minimum():
    rows, _ = random_histories(1)
    assert len(rows) < MIN_REVIEWS
    result = optimize(rows)
    assert (result.log_loss_after, result.parameters, result.better) == (None, None, False)
    assert result.reason.startswith(f"{len(rows)} reviews; a fit needs 400")
