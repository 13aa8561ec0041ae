"""How the model's thresholds are chosen (training/thresholds.py) and that the shipped model
follows it."""

from __future__ import annotations

import numpy as np
import pytest

from failtui.grading.labels import KEY_POINTS, MODEL_LABELS, RED_FLAGS
from failtui.grading.model import load_model
from training.thresholds import (
    RED_FLAG_BASE,
    balanced_red_flags,
    best_threshold,
    shifted,
    unshifted_thresholds,
)

FLAGS = [MODEL_LABELS.index(f) for f in RED_FLAGS]
KEYS = [MODEL_LABELS.index(k) for k in KEY_POINTS]


def test_a_shift_lowers_the_red_flags_only_and_can_be_undone():
    thresholds = np.full(len(MODEL_LABELS), 0.5)
    lowered = shifted(thresholds, 0.55)
    assert np.array_equal(lowered[KEYS], thresholds[KEYS])
    assert np.allclose(lowered[FLAGS], 1 / (1 + np.exp(0.55)))
    assert np.allclose(shifted(lowered, -0.55), thresholds)
    assert np.array_equal(shifted(thresholds, 0.0), thresholds)


def one_flag_on_dev(positives: list[float], negatives: list[float]) -> tuple:
    """Probabilities and truth for dev answers where only ``blame`` is ever present."""
    n = len(positives) + len(negatives)
    p = np.zeros((n, len(MODEL_LABELS)))
    y = np.zeros((n, len(MODEL_LABELS)), dtype=np.int8)
    blame = MODEL_LABELS.index("blame")
    p[:, blame] = positives + negatives
    y[: len(positives), blame] = 1
    return p, y


def test_the_shift_is_the_smallest_that_raises_as_many_flags_as_there_are():
    # At 0.5, two of the four flags are raised; 0.30 log-odds (threshold 0.426) raises three,
    # 0.35 (0.413) raises four: 0.9, 0.6, 0.45 and the false 0.42.
    p, y = one_flag_on_dev([0.9, 0.6, 0.45, 0.40], [0.42, 0.3, 0.2, 0.1, 0.05, 0.01])
    assert balanced_red_flags(p, y, np.full(len(MODEL_LABELS), 0.5)) == pytest.approx(0.35)


def test_no_shift_when_the_flags_are_already_balanced():
    p, y = one_flag_on_dev([0.9, 0.6], [0.7, 0.1])
    assert balanced_red_flags(p, y, np.full(len(MODEL_LABELS), 0.5)) == 0.0


def test_none_when_no_shift_in_the_grid_balances_them():
    p, y = one_flag_on_dev([0.0, 0.0], [0.0])
    assert balanced_red_flags(p, y, np.full(len(MODEL_LABELS), 0.5)) is None


def test_the_shipped_thresholds_are_its_unshifted_ones_shifted():
    model = load_model()
    unshifted = np.array(model.meta["unshifted_thresholds"])
    assert np.array_equal(unshifted[FLAGS], np.full(len(FLAGS), RED_FLAG_BASE))
    assert model.meta["red_flag_shift"] > 0
    assert np.allclose(model.threshold, shifted(unshifted, model.meta["red_flag_shift"]), atol=1e-6)


def test_key_points_get_their_best_threshold_and_every_red_flag_the_same():
    # On dev, `impact` scores best at 0.55 and `blame` at 0.35; the flag still starts at 0.5.
    n = 8
    p = np.zeros((n, len(MODEL_LABELS)))
    y = np.zeros((n, len(MODEL_LABELS)), dtype=np.int8)
    impact, blame = MODEL_LABELS.index("impact"), MODEL_LABELS.index("blame")
    p[:, impact] = [0.9, 0.8, 0.7, 0.6, 0.52, 0.51, 0.2, 0.1]
    y[:4, impact] = 1
    p[:, blame] = [0.9, 0.4, 0.38, 0.36, 0.2, 0.1, 0.05, 0.0]
    y[:4, blame] = 1
    assert best_threshold(p[:, impact], y[:, impact]) == 0.55
    assert best_threshold(p[:, blame], y[:, blame]) == 0.35
    thresholds = unshifted_thresholds(p, y)
    assert thresholds[impact] == 0.55
    assert np.array_equal(thresholds[FLAGS], np.full(len(FLAGS), 0.5))
