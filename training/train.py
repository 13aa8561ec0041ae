"""Train the grader's model from the labelled corpus: ``python training/train.py``.

Reads ``training/corpus/``, splits it by story and site (see corpus_io.split_of), fits the three
stages of failtui.grading.model on train, calibrates them on dev, and writes
``src/failtui/grading/model.npz``. Deterministic: the same corpus gives the same file.
Needs the ``[train]`` extra (scikit-learn, numpy).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parents[1]))
from failtui.grading.features import clause_features, in_answer_bag
from failtui.grading.model import (
    FORMAT_VERSION,
    VERDICT_EXTRAS,
    answer_dense,
    context_features,
    vocabulary_array,
)
from failtui.grading.model import verdict_inputs as model_verdict_inputs
from training.corpus_io import (
    CORPUS,
    FLAG_ONLY,
    FLAG_SENTENCES,
    FLAG_SENTENCES_ALL,
    MODEL_LABELS,
    RED_FLAGS,
    Answer,
    load,
    split_of,
)
from training.thresholds import (
    RED_FLAG_SHIFTS,
    balanced_red_flags,
    shifted,
    unshifted_thresholds,
)

#: The model's columns: every label a card can show, then the internal ones (``safeguard``).
LABELS = MODEL_LABELS

OUT = Path(__file__).parents[1] / "src" / "failtui" / "grading" / "model.npz"
SEED = 0
FOLDS = 5
#: Regularization of each stage (inverse strength), chosen on dev (see REPORT.md).
C_CLAUSE = 0.5
C_CONTEXT = 1.0
C_ANSWER = 0.3
MIN_COUNT = 2
#: Whether the answer stage weighs up the rare class of each red flag.
BALANCE_FLAGS = False
#: How strongly the red flags' answer stage scales each word by how unevenly it falls between
#: answers with and without the flag (naive-Bayes log-count ratios, to this power; 0 turns it
#: off). Chosen on dev and cross-validated (README, "Twenty-first round").
NB_GAMMA = 0.5
#: Add-one smoothing of the counts behind those ratios.
NB_ALPHA = 1.0
#: Labels the answer stage reads from the clauses' scores and the length only, without the bag of
#: the answer's words: a setting and a role are told in a sentence or two, and words elsewhere
#: in the answer ("once", "role") only tipped borderline answers (cross-validated the same;
#: README, "Eighth round").
WITHOUT_ANSWER_WORDS = ("context",)
#: How many dense inputs the answer stage has beside the answer's words.
DENSE_WIDTH = len(answer_dense(np.zeros((1, len(LABELS))), 1))


#: What the verdict reads: what the labelling guide's verdict is defined by. An owned failure,
#: its consequence, the takeaway (an explicit lesson or a lasting safeguard, whichever is
#: stronger, since the guide accepts either), and every red flag. Left out, because the guide's
#: verdict does not rest on them and the verdict learned from them what the guide does not say:
#: setting and task (stating them made an answer worse), the damage's number, the answer's
#: length, the lesson used later and `remedy` (a good answer without them fell short; a lasting
#: remedy still counts, as the takeaway's safeguard), and lesson and safeguard apart (a
#: safeguard without a stated lesson fell short): README, "Fourteenth round" and "Fifteenth
#: round".
#: None: every label, the takeaway and the length.
VERDICT_INPUTS: frozenset[str] | None = frozenset({"failure", "impact", "takeaway", *RED_FLAGS})


def build_vocabulary(answers: list[Answer], drop: tuple[str, ...] = ()) -> dict[str, int]:
    """Features seen in at least MIN_COUNT clauses of the training answers (leaving out those
    starting with a prefix in ``drop``, for ablations: the grader ignores unknown features)."""
    counts: dict[str, int] = {}
    for a in answers:
        for c in a.clauses:
            for f in clause_features(c.text, c.norm):
                if not f.startswith(drop) or not drop:
                    counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    return {f: i for i, f in enumerate(kept)}


def clause_matrix(answers: list[Answer], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    r = 0
    for a in answers:
        for c in a.clauses:
            for f in clause_features(c.text, c.norm):
                if f in vocab:
                    rows.append(r)
                    cols.append(vocab[f])
            r += 1
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(r, len(vocab)))


def answer_matrix(answers: list[Answer], vocab: dict[str, int]) -> sparse.csr_matrix:
    """The answer stage's bag: each answer's features once, those :func:`in_answer_bag` keeps
    (the others' weights stay zero, so the grader needs no test of its own for them)."""
    rows, cols = [], []
    for r, a in enumerate(answers):
        feats = {
            vocab[f]
            for c in a.clauses
            for f in clause_features(c.text, c.norm)
            if f in vocab and in_answer_bag(f)
        }
        rows += [r] * len(feats)
        cols += sorted(feats)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(answers), len(vocab)))


def clause_targets(answers: list[Answer]) -> np.ndarray:
    return np.array(
        [[lab in labels for lab in LABELS] for a in answers for labels in a.clause_labels],
        dtype=np.int8,
    )


def answer_targets(answers: list[Answer]) -> np.ndarray:
    return np.array(
        [[lab in (a.key_points | a.red_flags | a.internal) for lab in LABELS] for a in answers],
        dtype=np.int8,
    )


def fit(x, y, c: float, balanced: bool = False) -> tuple[np.ndarray, float]:
    """Weights and bias of a logistic regression (a constant model when y has one class);
    ``balanced`` weighs a rare class up (the scores are calibrated on dev afterwards)."""
    if y.min() == y.max():
        return np.zeros(x.shape[1]), (8.0 if y[0] else -8.0)
    model = LogisticRegression(
        C=c,
        solver="liblinear",
        max_iter=2000,
        random_state=SEED,
        class_weight="balanced" if balanced else None,
    )
    model.fit(x, y)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def nb_scale(x, y: np.ndarray, width: int, gamma: float) -> np.ndarray:
    """Per input column, |log((p_j / |p|) / (q_j / |q|))| ** gamma, where p and q count the
    first ``width`` columns (the words) over rows with and without the label, plus NB_ALPHA;
    1 for the columns after them (the dense inputs).

    A regression over inputs scaled this way (Wang and Manning's NB-LR) lets a word that falls
    mostly on one side weigh more under the same L2 penalty, and shrinks the words that fall
    evenly. Its weights times the scale are the same model over the unscaled words, so the
    grader reads them as it reads any other weights."""
    x = sparse.csr_matrix(x)
    pos = np.asarray(x[y == 1][:, :width].sum(axis=0)).ravel() + NB_ALPHA
    neg = np.asarray(x[y == 0][:, :width].sum(axis=0)).ravel() + NB_ALPHA
    scale = np.ones(x.shape[1])
    scale[:width] = np.abs(np.log((pos / pos.sum()) / (neg / neg.sum()))) ** gamma
    return scale


def fit_scaled(
    x, y: np.ndarray, c: float, balanced: bool, width: int, gamma: float
) -> tuple[np.ndarray, float]:
    """:func:`fit` over inputs scaled by :func:`nb_scale`, with weights for the unscaled ones."""
    if y.min() == y.max() or not gamma:
        return fit(x, y, c, balanced)
    scale = nb_scale(x, y, width, gamma)
    w, b = fit(sparse.csr_matrix(x) @ sparse.diags(scale), y, c, balanced)
    return w * scale, b


def fit_all(
    x, y: np.ndarray, c: float, balanced=(), flag_extra=None, skip=(), flag_scaling=(0, 0.0)
) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per label column: weights (features x labels) and biases;
    ``balanced`` names the columns whose rare class is weighed up; ``flag_extra`` (inputs,
    targets), when given, are more rows for the red flags' columns only; ``skip`` names columns
    left at zero (the caller fits them); ``flag_scaling`` (width, gamma) scales the red flags'
    first ``width`` inputs as :func:`fit_scaled` does."""
    flags = {LABELS.index(f) for f in RED_FLAGS}
    flag_columns = {LABELS.index(f) for f in RED_FLAGS} if flag_extra is not None else set()
    if flag_extra is not None:
        more_x, more_y = flag_extra
        both_x = sparse.vstack([x, more_x]).tocsr()
    w, b = np.zeros((x.shape[1], y.shape[1])), np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        if j in skip:
            continue
        if j in flag_columns:
            flag_y = np.concatenate([y[:, j], more_y[:, j]])
            w[:, j], b[j] = fit_scaled(both_x, flag_y, c, j in balanced, *flag_scaling)
        elif j in flags:
            w[:, j], b[j] = fit_scaled(x, y[:, j], c, j in balanced, *flag_scaling)
        else:
            w[:, j], b[j] = fit(x, y[:, j], c, j in balanced)
    return w, b


def fit_answer_stage(
    x, y: np.ndarray, c: float, balanced=(), flag_extra=None, nb_gamma: float = NB_GAMMA
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`fit_all` for the answer stage, whose inputs ``x`` are the answer's words followed by
    its ``DENSE_WIDTH`` dense inputs; the labels of ``WITHOUT_ANSWER_WORDS`` are fitted on the
    dense inputs alone and get no weight on the words; the red flags' words are scaled by
    :func:`nb_scale` to the power ``nb_gamma``."""
    dense_only = {LABELS.index(label) for label in WITHOUT_ANSWER_WORDS}
    scaling = (x.shape[1] - DENSE_WIDTH, nb_gamma)
    w, b = fit_all(x, y, c, balanced, flag_extra, skip=dense_only, flag_scaling=scaling)
    for j in dense_only:
        w[-DENSE_WIDTH:, j], b[j] = fit(x[:, -DENSE_WIDTH:], y[:, j], c, j in balanced)
    return w, b


def per_answer(answers: list[Answer], matrix: np.ndarray) -> list[np.ndarray]:
    """Cut a clause-level matrix back into one block per answer."""
    out, start = [], 0
    for a in answers:
        out.append(matrix[start : start + len(a.clauses)])
        start += len(a.clauses)
    return out


class Stages:
    """The fitted weights of the three stages, and how they score answers.

    ``flag_answers`` teach the red flags' answer stage only: they are scored by the clause and
    context stages fitted on ``train``. ``flag_sentences`` teach the red flags at every stage:
    their clauses' own labels at the clause and context stages, their answers' labels at the
    answer stage, each scored out of fold as the training split's answers are (in five folds
    of their own, paired with the training split's). No key point's column learns from either,
    though the context stage reads every label's clause scores.
    """

    def __init__(
        self,
        train: list[Answer],
        vocab: dict[str, int],
        c_clause=C_CLAUSE,
        c_context=C_CONTEXT,
        c_answer=C_ANSWER,
        context=True,
        bow=True,
        balance_flags=BALANCE_FLAGS,
        nb_gamma=NB_GAMMA,
        log=print,
        flag_answers: Sequence[Answer] = (),
        flag_sentences: Sequence[Answer] = (),
    ):
        self.vocab = vocab
        self.bow = bow
        x = clause_matrix(train, vocab)
        y = clause_targets(train)
        flag_sentences = list(flag_sentences)
        sentences = None
        if flag_sentences:
            sentences = (clause_matrix(flag_sentences, vocab), clause_targets(flag_sentences))
        groups = np.array([a.group for a in train for _ in a.clauses])
        # Out-of-fold clause scores, so the later stages learn from scores like unseen answers'.
        oof = np.zeros(y.shape, dtype=np.float64)
        folds = list(GroupKFold(FOLDS).split(x, groups=groups))
        if sentences:
            sx, sy = sentences
            sentence_groups = np.array([a.group for a in flag_sentences for _ in a.clauses])
            sentence_folds = list(GroupKFold(FOLDS).split(sx, groups=sentence_groups))
            sentence_oof = np.zeros(sy.shape, dtype=np.float64)
        for fold, (fit_idx, out_idx) in enumerate(folds):
            extra = None
            if sentences:
                sentence_fit, sentence_out = sentence_folds[fold]
                extra = (sx[sentence_fit], sy[sentence_fit])
            w, b = fit_all(x[fit_idx], y[fit_idx], c_clause, flag_extra=extra)
            oof[out_idx] = x[out_idx] @ w + b
            if sentences:
                sentence_oof[sentence_out] = sx[sentence_out] @ w + b
            log(f"  clause stage, fold {fold + 1}/{FOLDS}")
        self.clause_w, self.clause_b = fit_all(x, y, c_clause, flag_extra=sentences)
        ctx_in = np.vstack([context_features(s) for s in per_answer(train, oof)])
        context_extra = None
        if sentences:
            sentence_ctx_in = np.vstack(
                [context_features(s) for s in per_answer(flag_sentences, sentence_oof)]
            )
            context_extra = (sentence_ctx_in, sy)
        if context:
            self.context_w, self.context_b = fit_all(ctx_in, y, c_context, flag_extra=context_extra)
        else:  # ablation: each clause keeps its own score
            self.context_w = np.zeros((ctx_in.shape[1], len(LABELS)))
            self.context_w[: len(LABELS), : len(LABELS)] = np.eye(len(LABELS))
            self.context_b = np.zeros(len(LABELS))
        log("  context stage")
        context = per_answer(train, ctx_in @ self.context_w + self.context_b)
        # For the verdict model: from out-of-fold clause scores (the context stage itself was
        # fitted on these answers, a small optimism the answer stage's scores share).
        self.train_evidence_oof = evidence_scores(context)
        dense = np.vstack(
            [answer_dense(s, self.words(a)) for a, s in zip(train, context, strict=False)]
        )
        bag = answer_matrix(train, vocab)
        if not bow:
            bag = sparse.csr_matrix(bag.shape, dtype=np.float32)  # ablation: no answer words
        ya = answer_targets(train)
        both = sparse.hstack([bag, sparse.csr_matrix(dense)]).tocsr()
        flag_columns = [LABELS.index(f) for f in RED_FLAGS]
        self.balanced = balanced = flag_columns if balance_flags else ()
        extra = None
        scored = self.context_scores(list(flag_answers))
        if flag_sentences:
            scored += per_answer(flag_sentences, sentence_ctx_in @ self.context_w + self.context_b)
        flag_answers = [*flag_answers, *flag_sentences]
        if flag_answers:
            extra_dense = np.vstack(
                [answer_dense(s, self.words(a)) for a, s in zip(flag_answers, scored, strict=True)]
            )
            extra_bag = answer_matrix(flag_answers, vocab)
            if not bow:
                extra_bag = sparse.csr_matrix(extra_bag.shape, dtype=np.float32)
            extra_x = sparse.hstack([extra_bag, sparse.csr_matrix(extra_dense)]).tocsr()
            extra = (extra_x, answer_targets(flag_answers))
        w, self.answer_b = fit_answer_stage(both, ya, c_answer, balanced, extra, nb_gamma)
        self.answer_bow, self.answer_w = w[: len(vocab)], w[len(vocab) :]
        log("  answer stage")
        # Out-of-fold answer scores for the verdict model.
        answer_groups = np.array([a.group for a in train])
        self.train_answer_oof = np.zeros(ya.shape)
        for fit_idx, out_idx in GroupKFold(FOLDS).split(both, groups=answer_groups):
            wf, bf = fit_answer_stage(
                both[fit_idx], ya[fit_idx], c_answer, balanced, extra, nb_gamma
            )
            self.train_answer_oof[out_idx] = both[out_idx] @ wf + bf

    @staticmethod
    def words(a: Answer) -> int:
        return sum(c.words for c in a.clauses)

    def clause_scores(self, answers: list[Answer]) -> list[np.ndarray]:
        x = clause_matrix(answers, self.vocab)
        return per_answer(answers, x @ self.clause_w + self.clause_b)

    def context_scores(self, answers: list[Answer]) -> list[np.ndarray]:
        return [
            context_features(s) @ self.context_w + self.context_b
            for s in self.clause_scores(answers)
        ]

    def scores(self, answers: list[Answer]) -> tuple[np.ndarray, np.ndarray]:
        """The answer stage's scores and the evidence scores (answers x labels)."""
        context = self.context_scores(answers)
        dense = np.vstack(
            [answer_dense(s, self.words(a)) for a, s in zip(answers, context, strict=False)]
        )
        bow = answer_matrix(answers, self.vocab)
        answer = bow @ self.answer_bow + dense @ self.answer_w + self.answer_b
        return answer, evidence_scores(context)


def evidence_scores(context: list[np.ndarray]) -> np.ndarray:
    """Each answer's best context score per label: how clearly its strongest clause shows it."""
    return np.vstack([s.max(axis=0) for s in context])


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling of one label's scores on dev: p = sigmoid(a * score + b)."""
    if y.min() == y.max():
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    model.fit(scores.reshape(-1, 1), y)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


#: The labels a single clause can show on its own: every key point but ``context``, and the
#: internal ``safeguard``. For them the answer's probability is the higher of the answer
#: stage's and its best clause's, each calibrated on dev, so the words of the rest of an answer
#: cannot talk a clearly stated consequence out of counting. ``context`` needs a setting and a
#: role, often in different sentences: its best clause alone credited "I was a shift lead."
#: Red flags are read from the whole answer only.
EVIDENCE_LABELS = frozenset(lab for lab in LABELS if lab not in RED_FLAGS) - {"context"}
#: Platt parameters that give a label's evidence no say (a probability of about 1e-13).
NO_EVIDENCE = (0.0, -30.0)


def calibrate(
    answer: np.ndarray, evidence: np.ndarray, y: np.ndarray, evidence_labels=EVIDENCE_LABELS
) -> tuple[np.ndarray, np.ndarray]:
    """Platt parameters (labels x 2) of the answer stage's scores and of the evidence scores
    (NO_EVIDENCE for a label outside ``evidence_labels`` or with one class on dev)."""
    calib = np.array([platt(answer[:, j], y[:, j]) for j in range(len(LABELS))])
    ev_calib = np.array(
        [
            platt(evidence[:, j], y[:, j])
            if lab in evidence_labels and y[:, j].min() != y[:, j].max()
            else NO_EVIDENCE
            for j, lab in enumerate(LABELS)
        ]
    )
    return calib, ev_calib


def probabilities(
    answer: np.ndarray, evidence: np.ndarray, calib: np.ndarray, ev_calib: np.ndarray
) -> np.ndarray:
    """Per answer and label, the higher of the two calibrated probabilities (as the grader)."""
    return sigmoid(
        np.maximum(calib[:, 0] * answer + calib[:, 1], ev_calib[:, 0] * evidence + ev_calib[:, 1])
    )


def red_flag_shift_on_dev(
    p_dev: np.ndarray, y_dev: np.ndarray, unshifted: np.ndarray
) -> tuple[float, bool]:
    """How far the red flags' thresholds are lowered (log-odds): until dev's recall meets its
    precision, or as far as the search goes when it never does (then False)."""
    shift = balanced_red_flags(p_dev, y_dev, unshifted)
    if shift is None:
        return float(RED_FLAG_SHIFTS[-1]), False
    return shift, True


def verdict_table(p: np.ndarray, answers: Sequence[Answer]) -> np.ndarray:
    """The verdict model's inputs for ``answers`` from their calibrated probabilities ``p``."""
    return model_verdict_inputs(p, np.array([Stages.words(a) for a in answers]))


def fit_verdict(
    v_train: np.ndarray,
    v_dev: np.ndarray,
    train: Sequence[Answer],
    dev: Sequence[Answer],
    inputs: frozenset[str] | None,
) -> tuple[np.ndarray, float]:
    """The verdict's weights and bias: a logistic regression over ``inputs`` (None: every
    column) of the training answers, Platt-calibrated on dev."""
    if inputs is not None:
        # A column left out is zero in training, so its weight is zero and it has no say.
        mask = np.array([n in inputs for n in [*LABELS, *VERDICT_EXTRAS]], dtype=float)
        v_train = v_train * mask
    w, b = fit(v_train, np.array([a.verdict == "good" for a in train], dtype=np.int8), 1.0)
    slope, bias = platt(v_dev @ w + b, np.array([a.verdict == "good" for a in dev], dtype=np.int8))
    return slope * w, slope * b + bias


# One BLAS thread: with more, sums run in an order that depends on the number of cores, the
# weights then differ from machine to machine, and the same corpus must give the same file
# everywhere. The time goes to liblinear, which uses one thread anyway.
@threadpool_limits.wrap(limits=1)
def train(
    corpus: list[Path],
    out: Path,
    log=print,
    drop: tuple[str, ...] = (),
    safeguard: bool = True,
    verdict_inputs: frozenset[str] | None = VERDICT_INPUTS,
    evidence_labels: frozenset[str] = EVIDENCE_LABELS,
    flag_only: Sequence[Path] = FLAG_ONLY,
    flag_sentences: Sequence[Path] = FLAG_SENTENCES,
    flag_sentences_all: Sequence[Path] = FLAG_SENTENCES_ALL,
    **c,
) -> dict:
    """Fit, calibrate and save the model; return a summary for the report. ``safeguard=False``
    (an ablation) trains without the internal label: its column learns a constant;
    ``evidence_labels=frozenset()`` (an ablation) reads every label from the answer stage only;
    ``flag_only`` are the folders of answers that teach the red flags' answer stage only (an
    ablation leaves some out); the training parts of ``flag_sentences``, and every answer of
    ``flag_sentences_all``, teach the red flags at every stage."""
    started = time.perf_counter()
    answers = load(corpus)
    if not safeguard:
        for a in answers:
            a.internal = set()
            a.clause_labels = [labels - {"safeguard"} for labels in a.clause_labels]
    split = {name: [a for a in answers if split_of(a) == name] for name in ("train", "dev", "test")}
    log(", ".join(f"{k} {len(v)}" for k, v in split.items()) + " answers")
    vocab = build_vocabulary(split["train"], drop)
    log(f"vocabulary: {len(vocab)} features")
    flag_sets = {folder.name: load([folder]) for folder in flag_only}
    sentence_sets = {
        folder.name: [a for a in load([folder]) if split_of(a) == "train"]
        for folder in flag_sentences
    }
    sentence_sets |= {folder.name: load([folder]) for folder in flag_sentences_all}
    sentences = [a for batch in sentence_sets.values() for a in batch]
    flag_answers = [a for batch in flag_sets.values() for a in batch]
    log(
        f"{len(flag_answers)} answers for the red flags' answer stage only, {len(sentences)} "
        "for the red flags at every stage"
    )
    stages = Stages(
        split["train"],
        vocab,
        log=log,
        flag_answers=flag_answers,
        flag_sentences=sentences,
        **c,
    )
    dev = split["dev"]
    dev_scores, dev_evidence = stages.scores(dev)
    y_dev = answer_targets(dev)
    calib, ev_calib = calibrate(dev_scores, dev_evidence, y_dev, evidence_labels)
    p_dev = probabilities(dev_scores, dev_evidence, calib, ev_calib)
    unshifted = unshifted_thresholds(p_dev, y_dev)
    red_flag_shift, balanced = red_flag_shift_on_dev(p_dev, y_dev, unshifted)
    if not balanced:
        log(f"red flags: recall never reached precision on dev; lowered by {red_flag_shift:.2f}")
    thresholds = shifted(unshifted, red_flag_shift)
    log(f"red-flag thresholds lowered by {red_flag_shift:.2f} log-odds (dev recall = precision)")
    # The verdict: trained on train's out-of-fold probabilities, calibrated on dev.
    p_train = probabilities(stages.train_answer_oof, stages.train_evidence_oof, calib, ev_calib)
    verdict_w, verdict_b = fit_verdict(
        verdict_table(p_train, split["train"]),
        verdict_table(p_dev, dev),
        split["train"],
        dev,
        verdict_inputs,
    )
    meta = {
        "format": FORMAT_VERSION,
        "labels": list(LABELS),
        "answers": {k: len(v) for k, v in split.items()},
        "flag_only_answers": {name: len(batch) for name, batch in flag_sets.items()},
        "flag_sentence_answers": {name: len(batch) for name, batch in sentence_sets.items()},
        "vocabulary": len(vocab),
        "red_flag_shift": red_flag_shift,
        "unshifted_thresholds": [round(float(t), 2) for t in unshifted],
        "C": {
            "clause": c.get("c_clause", C_CLAUSE),
            "context": c.get("c_context", C_CONTEXT),
            "answer": c.get("c_answer", C_ANSWER),
        },
        "red_flag_nb_gamma": c.get("nb_gamma", NB_GAMMA),
    }
    words = sorted(vocab, key=vocab.get)
    arrays = {
        "meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
        "vocabulary": vocabulary_array(words),
        "clause_w": stages.clause_w.astype(np.float16),
        "clause_b": stages.clause_b.astype(np.float32),
        "context_w": stages.context_w.T.astype(np.float32),
        "context_b": stages.context_b.astype(np.float32),
        "answer_w": stages.answer_w.T.astype(np.float32),
        "answer_b": stages.answer_b.astype(np.float32),
        "platt": calib.astype(np.float32),
        "evidence_platt": ev_calib.astype(np.float32),
        "threshold": thresholds.astype(np.float32),
        "verdict_w": verdict_w.astype(np.float32),
        "verdict_b": np.float32(verdict_b),
    }
    if stages.bow:
        arrays["answer_bow"] = stages.answer_bow.astype(np.float16)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # the weights stay uncompressed: read faster on first use
    out.write_bytes(buffer.getvalue())
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s")
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=[CORPUS])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    train(args.corpus, args.out)


if __name__ == "__main__":
    main()
