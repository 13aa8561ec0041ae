"""How the model's thresholds are chosen on dev: one per key point, one for all red flags, then
the red flags lowered together. numpy only, so the tests can check the rules without the
training extra."""

from __future__ import annotations

import numpy as np

from failtui.grading.labels import MODEL_LABELS, RED_FLAGS

#: The range a key point's threshold is chosen in: at the edges of a wider range the F1-best
#: threshold fits a few answers of dev; on dev this range scores the same (REPORT.md) and keeps
#: calibrated probabilities near their meaning. (Red flags start from RED_FLAG_BASE instead.)
THRESHOLD_RANGE = (0.35, 0.65)

#: A threshold whose dev F1 is within this of the best is as good as the best: one answer more
#: or less on dev moves F1 about this much, so the choice among them is noise.
THRESHOLD_TOLERANCE = 0.005

#: Every red flag's threshold before the shift: where its calibrated probability is even. On dev
#: a flag's F1 barely moves across THRESHOLD_RANGE (`non-work`, 85 answers: 0.81 to 0.84), so a
#: threshold per flag would be chosen by a few answers and move with any retraining; one
#: shift for all (balanced_red_flags) then sets where flags are raised.
RED_FLAG_BASE = 0.5

#: The shifts (in log-odds) tried by balanced_red_flags, smallest first.
RED_FLAG_SHIFTS = np.round(np.arange(0.0, 1.51, 0.05), 2)

_FLAG_COLUMNS = [MODEL_LABELS.index(f) for f in RED_FLAGS]


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold in THRESHOLD_RANGE with the best F1 on dev, or, among those within
    THRESHOLD_TOLERANCE of it, the one nearest 0.5 (where calibrated probabilities mean what
    they say); 0.5 when the label is absent."""
    if y.sum() == 0:
        return 0.5
    low, high = THRESHOLD_RANGE
    scores = {}
    for t in np.arange(low, high + 0.001, 0.05):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        scores[float(round(t, 2))] = (
            2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
        )
    best_f1 = max(scores.values())
    near_best = [t for t, f1 in scores.items() if f1 >= best_f1 - THRESHOLD_TOLERANCE]
    return min(near_best, key=lambda t: (abs(t - 0.5), t))


def unshifted_thresholds(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One threshold per column of MODEL_LABELS before the red flags' shift: each key point's
    (and the internal label's) best_threshold on dev, and RED_FLAG_BASE for every red flag."""
    out = np.array([best_threshold(p[:, j], y[:, j]) for j in range(len(MODEL_LABELS))])
    out[_FLAG_COLUMNS] = RED_FLAG_BASE
    return out


def shifted(thresholds: np.ndarray, shift: float) -> np.ndarray:
    """``thresholds`` (one per column of MODEL_LABELS) with every red flag's lowered by
    ``shift`` log-odds (raised, for a negative shift); the key points' are left as they are."""
    out = np.asarray(thresholds, dtype=float).copy()
    flags = out[_FLAG_COLUMNS]
    out[_FLAG_COLUMNS] = 1.0 / (1.0 + np.exp(-(np.log(flags / (1 - flags)) - shift)))
    return out


def balanced_red_flags(p: np.ndarray, y: np.ndarray, thresholds: np.ndarray) -> float | None:
    """The smallest shift in RED_FLAG_SHIFTS at which, over all red flags on dev, recall reaches
    precision: that is, the flags raised at least number the flags present. None when no shift
    in the grid gets there.

    At RED_FLAG_BASE the model misses more flags on dev than it raises wrongly. The aims set
    recall and precision the same bar, and the lower of the two is what falls short of it; one
    shift for all flags fits a single number to every flag on dev, not a few answers per flag,
    and keeps their order."""
    truth = y[:, _FLAG_COLUMNS] == 1
    for shift in RED_FLAG_SHIFTS:
        raised = p[:, _FLAG_COLUMNS] >= shifted(thresholds, shift)[_FLAG_COLUMNS]
        if raised.sum() >= truth.sum():
            return float(shift)
    return None
