"""The trained model: which clauses show each standard key point and red flag, and the verdict.

Three linear stages, trained by ``training/train.py`` and stored in ``model.npz`` beside this file
(plain arrays, read with ``allow_pickle=False``; no training library is needed to grade):

1. *clause*: a logistic regression per label over the clause's own features (words, word pairs,
   stems, shapes; see :mod:`failtui.grading.features`);
2. *context*: per label, over the clause's scores, its neighbours' scores, the best scores before
   it and its position, so "so now I always..." after a failure reads as a remedy;
3. *answer*: per label, over the best and mean context score of each label, the answer's
   length and (for every label but ``context``) its words; calibrated on the development set
   (Platt scaling), with a threshold per label. For a key point one sentence can show (all
   but ``context``, which needs a setting and a role), the probability is the higher of this
   stage's and its best clause's (its context score, calibrated on its own), so a key point
   stated plainly in one sentence counts whatever the rest of the answer says; red flags come
   from this stage. The red flags share one threshold, lowered from 0.5 on dev until their
   recall met their precision; a flag present with a probability under 0.5 is *tentative*.

A fourth model gives the probability that a strong interviewer would accept the answer, from
the probabilities of the labels the labelling guide's verdict rests on (an owned failure, its
consequence, a takeaway: the higher of a lesson and a lasting safeguard, and the red flags);
setting, task, the damage's number, the remedy (a lasting one counts through the takeaway), the
lesson used later and length have no weight.
The model loads on first use, never at import.
"""

from __future__ import annotations

import json
import math
import threading
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat
from typing import TYPE_CHECKING

from failtui.grading.features import clause_features
from failtui.grading.labels import MODEL_LABELS

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from failtui.grading.clauses import Clause

MODEL_FILE = "model.npz"
FORMAT_VERSION = 5


def vocabulary_array(words: list[str]) -> np.ndarray:
    """The feature names as ``model.npz`` stores them: one per line, zlib-compressed (text
    shrinks to a quarter, which keeps the model under 5 MB)."""
    import numpy as np

    return np.frombuffer(zlib.compress("\n".join(words).encode(), 9), dtype=np.uint8)


def vocabulary_words(array: np.ndarray) -> list[str]:
    """The feature names stored by :func:`vocabulary_array`, in order."""
    return zlib.decompress(bytes(array)).decode().split("\n")


def context_features(clause_scores: np.ndarray) -> np.ndarray:
    """Stage-2 inputs for every clause, from the stage-1 scores (clauses x labels): its own
    scores, the previous clause's, the next one's, the best before it, and its position."""
    import numpy as np

    n, width = clause_scores.shape
    out = np.zeros((n, 4 * width + 4), dtype=clause_scores.dtype)
    out[:, :width] = clause_scores
    out[1:, width : 2 * width] = clause_scores[:-1]
    out[:-1, 2 * width : 3 * width] = clause_scores[1:]
    np.maximum.accumulate(clause_scores[:-1], axis=0, out=out[1:, 3 * width : 4 * width])
    out[0, 4 * width] = 1  # the first clause
    out[n - 1, 4 * width + 1] = 1  # the last
    out[:, 4 * width + 2] = np.arange(n) / max(1, n - 1)
    out[:, 4 * width + 3] = n <= 2
    return out


def answer_dense(context_scores: np.ndarray, words: int) -> np.ndarray:
    """Stage-3 dense inputs: each label's best clause score, its mean, and the answer's length."""
    import numpy as np

    return np.concatenate(
        [
            context_scores.max(axis=0),
            context_scores.mean(axis=0),
            [math.log1p(words), math.log1p(len(context_scores))],
        ]
    ).astype(context_scores.dtype)


#: The verdict's inputs beside the labels' probabilities: the takeaway (the guide's "an
#: explicit lesson, or a lasting safeguard that carries it", the higher of the two), and the
#: answer's length (log words).
VERDICT_EXTRAS = ("takeaway", "words")


def verdict_inputs(probabilities: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The verdict model's inputs (answers x (labels + VERDICT_EXTRAS)) from the calibrated
    probabilities (answers x labels) and the answers' word counts."""
    import numpy as np

    lesson, safeguard = MODEL_LABELS.index("lesson"), MODEL_LABELS.index("safeguard")
    takeaway = np.maximum(probabilities[:, lesson], probabilities[:, safeguard])
    return np.column_stack([probabilities, takeaway, np.log1p(words)])


@dataclass(frozen=True)
class Scores:
    """What the model says about one answer."""

    #: Per clause and label, the context stage's score (higher: more likely shown there).
    clause_scores: np.ndarray
    #: Per label, the probability that the answer shows it (calibrated on dev; for a key point
    #: read from its best clause too, the higher of two calibrated probabilities, so slightly
    #: above the observed rate in the middle of the range: training/REPORT.md, Calibration).
    probability: dict[str, float]
    #: Per label, whether the probability reaches the label's threshold.
    present: dict[str, bool]
    #: Probability that a strong interviewer would accept the answer.
    good: float
    #: Per red flag present, whether it is present only because the red flags' threshold was
    #: lowered (its probability is under even odds: training/thresholds.py).
    tentative: dict[str, bool] = field(default_factory=dict)

    def evidence(self, label: str, among: Sequence[int] | None = None) -> int:
        """Index of the clause that shows ``label`` best (of the clauses ``among``, if given)."""
        scores = self.clause_scores[:, MODEL_LABELS.index(label)]
        if among is None:
            return int(scores.argmax())
        return max(among, key=lambda clause: scores[clause])


class Model:
    """The arrays of ``model.npz`` and the arithmetic that scores an answer with them."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        meta = json.loads(bytes(arrays["meta"]).decode())
        if meta["format"] != FORMAT_VERSION or tuple(meta["labels"]) != MODEL_LABELS:
            raise ValueError(f"{MODEL_FILE} is for another version of failtui")
        self.meta = meta
        import numpy as np

        words = vocabulary_words(arrays["vocabulary"])
        # Row 0 of the weight matrices is zeros and stands for every unknown feature, so a
        # clause's rows are looked up without a test per feature.
        self.vocabulary = dict(zip(words, range(1, len(words) + 1), strict=False))
        f32 = "float32"

        def with_zero_row(matrix: np.ndarray) -> np.ndarray:
            # Kept in the file's half precision: widening the whole matrix on load costs more
            # than widening the few rows each grade gathers (see ``score``).
            return np.concatenate([np.zeros((1, matrix.shape[1]), matrix.dtype), matrix])

        self.clause_w = with_zero_row(arrays["clause_w"])
        self.clause_b = arrays["clause_b"].astype(f32)
        self.context_w = arrays["context_w"].astype(f32)
        self.context_b = arrays["context_b"].astype(f32)
        # Optional: the words of the whole answer, when the model was trained with them.
        bow = arrays.get("answer_bow")
        self.answer_bow = None if bow is None else with_zero_row(bow)
        self.answer_w = arrays["answer_w"].astype(f32)
        self.answer_b = arrays["answer_b"].astype(f32)
        self.platt = arrays["platt"].astype(f32)
        # Calibration of each label's best clause score; (0, -30) for a label it has no say in.
        self.evidence_platt = arrays["evidence_platt"].astype(f32)
        self.threshold = arrays["threshold"].astype(f32)
        # Each label's threshold before the red flags were lowered together (0.5 for a flag).
        self.unshifted = np.array(meta["unshifted_thresholds"], dtype=f32)
        self.verdict_w = arrays["verdict_w"].astype(f32)
        self.verdict_b = float(arrays["verdict_b"])
        self._rows: dict[str, list[int]] = {}

    def rows(self, clause: Clause) -> list[int]:
        """The weight rows of a clause's features (0, a row of zeros, for unknown ones)."""
        rows = self._rows.get(clause.text)
        if rows is None:
            feats = clause_features(clause.text, clause.norm)
            rows = list(map(self.vocabulary.get, feats, repeat(0)))
            if len(self._rows) > 8192:
                self._rows.clear()
            self._rows[clause.text] = rows
        return rows

    def forget_clauses(self) -> None:
        """Empty the cache of each clause's feature rows."""
        self._rows.clear()

    def score(self, clauses: list[Clause], words: int) -> Scores:
        """Score an answer already cut into clauses (at least one)."""
        import numpy as np

        rows = [self.rows(c) for c in clauses]
        lengths = [len(r) for r in rows]
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.intp, count=sum(lengths))
        starts = np.cumsum([0, *lengths[:-1]])
        gathered = self.clause_w[flat].astype(np.float32)
        clause_scores = np.add.reduceat(gathered, starts, axis=0) + self.clause_b
        context = context_features(clause_scores) @ self.context_w.T + self.context_b
        answer = answer_dense(context, words) @ self.answer_w.T + self.answer_b
        if self.answer_bow is not None:
            # Each feature of the answer counts once, however many clauses hold it (a sort and
            # a comparison of neighbours: cheaper than np.unique on a thousand indices).
            ordered = np.sort(flat)
            first = np.empty(len(ordered), dtype=bool)
            first[0] = True
            np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
            answer = answer + self.answer_bow[ordered[first]].astype(np.float32).sum(axis=0)
        # The higher of the two calibrated probabilities: the sigmoid of the higher logit.
        logit = np.maximum(
            self.platt[:, 0] * answer + self.platt[:, 1],
            self.evidence_platt[:, 0] * context.max(axis=0) + self.evidence_platt[:, 1],
        )
        calibrated = 1.0 / (1.0 + np.exp(-np.clip(logit, -30.0, 30.0)))
        probability = {label: float(p) for label, p in zip(MODEL_LABELS, calibrated, strict=True)}
        present = {
            label: bool(p >= t)
            for label, p, t in zip(MODEL_LABELS, calibrated, self.threshold, strict=True)
        }
        tentative = {
            label: present[label] and bool(p < own)
            for label, p, own in zip(MODEL_LABELS, calibrated, self.unshifted, strict=True)
        }
        verdict_in = verdict_inputs(calibrated[None, :], np.array([words]))[0]
        verdict = min(30.0, max(-30.0, float(verdict_in @ self.verdict_w) + self.verdict_b))
        good = 1.0 / (1.0 + math.exp(-verdict))
        return Scores(context, probability, present, good, tentative)


def shipped_arrays() -> dict[str, np.ndarray]:
    """The arrays of the ``model.npz`` shipped beside this module (no pickle allowed)."""
    import numpy as np

    source = resources.files("failtui.grading").joinpath(MODEL_FILE)
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


_loading = threading.Lock()


@lru_cache(maxsize=1)
def _shipped_model() -> Model:
    return Model(shipped_arrays())


def load_model() -> Model:
    """The shipped model, read once on first use. A caller that comes while another thread is
    reading it waits for that reading instead of starting a second one."""
    with _loading:
        return _shipped_model()


def model_loaded() -> bool:
    """Whether the shipped model has been read."""
    return _shipped_model.cache_info().currsize > 0


def forget_model() -> None:
    """Forget the shipped model, so the next :func:`load_model` reads it again (for tests)."""
    with _loading:
        _shipped_model.cache_clear()
