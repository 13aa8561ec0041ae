"""Cross-validate the verdict's inputs over train and dev (never test or the external sets).

Five folds grouped like the splits (by story, and by site for a paraphrase). For each fold: the
next fold calibrates the probabilities and sets the thresholds, the other three train every
stage (with the flag-only answers, as train.py does), and the fold itself is scored with the
grader's own decision: the verdict at even odds, no red flag present, and failure and impact
present. Each variant is the shipped ``VERDICT_INPUTS`` with some inputs added or taken away:

    python training/crossval.py --variant +remedy --variant +applied

prints verdict accuracy on all answers, on the paraphrases (with good called good and bad called
bad apart) and on the written answers, and, for each variant, how many answers it alone gets
right against the shipped inputs. Takes a few minutes on two cores. README.md, "Fifteenth round",
shows its output for ``+remedy``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parents[1]))

from failtui.grading.model import VERDICT_EXTRAS
from training import train as T
from training.corpus_io import (
    CORPUS,
    FLAG_ONLY,
    FLAG_SENTENCES,
    FLAG_SENTENCES_ALL,
    RED_FLAGS,
    load,
    split_of,
)
from training.thresholds import shifted, unshifted_thresholds

SHIPPED = "shipped"


def variant_inputs(spec: str) -> frozenset[str]:
    """The shipped inputs changed by ``spec``: comma-separated ``+name`` or ``-name``."""
    inputs = set(T.VERDICT_INPUTS)
    known = {*T.LABELS, *VERDICT_EXTRAS}
    for part in filter(None, spec.split(",")):
        name = part[1:]
        if part[0] not in "+-" or name not in known:
            raise SystemExit(
                f"crossval: {part!r} is not +label or -label (labels: {sorted(known)})"
            )
        (inputs.add if part[0] == "+" else inputs.discard)(name)
    return frozenset(inputs)


@threadpool_limits.wrap(limits=1)
def cross_validate(variants: dict[str, frozenset[str]]) -> dict[str, np.ndarray]:
    """Per variant, one row per answer of train and dev: (is a paraphrase, called good, is good)."""
    answers = [a for a in load([CORPUS]) if split_of(a) in ("train", "dev")]
    flag_answers = load(list(FLAG_ONLY))
    flag_sentences = [a for a in load(list(FLAG_SENTENCES)) if split_of(a) == "train"]
    flag_sentences += load(list(FLAG_SENTENCES_ALL))
    groups = np.array([a.group for a in answers])
    fold_of = np.zeros(len(answers), dtype=int)
    for k, (_, held) in enumerate(GroupKFold(T.FOLDS).split(np.zeros(len(answers)), groups=groups)):
        fold_of[held] = k
    flags = [T.LABELS.index(f) for f in RED_FLAGS]
    failure, impact = T.LABELS.index("failure"), T.LABELS.index("impact")
    rows: dict[str, list[np.ndarray]] = {v: [] for v in variants}
    for k in range(T.FOLDS):
        calibrating = (k + 1) % T.FOLDS
        fit_on = [a for a, f in zip(answers, fold_of, strict=True) if f not in (k, calibrating)]
        dev = [a for a, f in zip(answers, fold_of, strict=True) if f == calibrating]
        held = [a for a, f in zip(answers, fold_of, strict=True) if f == k]
        stages = T.Stages(
            fit_on,
            T.build_vocabulary(fit_on),
            log=lambda *_: None,
            flag_answers=flag_answers,
            flag_sentences=flag_sentences,
        )
        dev_scores, dev_evidence = stages.scores(dev)
        y_dev = T.answer_targets(dev)
        calib, ev_calib = T.calibrate(dev_scores, dev_evidence, y_dev)
        p_dev = T.probabilities(dev_scores, dev_evidence, calib, ev_calib)
        unshifted = unshifted_thresholds(p_dev, y_dev)
        thresholds = shifted(unshifted, T.red_flag_shift_on_dev(p_dev, y_dev, unshifted)[0])
        p_fit = T.probabilities(stages.train_answer_oof, stages.train_evidence_oof, calib, ev_calib)
        held_scores, held_evidence = stages.scores(held)
        p_held = T.probabilities(held_scores, held_evidence, calib, ev_calib)
        v_fit, v_dev = T.verdict_table(p_fit, fit_on), T.verdict_table(p_dev, dev)
        v_held = T.verdict_table(p_held, held)
        present = p_held >= thresholds
        gate = ~present[:, flags].any(axis=1) & present[:, failure] & present[:, impact]
        paraphrase = np.array([bool(a.item.get("site")) for a in held])
        good = np.array([a.verdict == "good" for a in held])
        for variant, chosen in variants.items():
            w, b = T.fit_verdict(v_fit, v_dev, fit_on, dev, chosen)
            called = (v_held @ w + b >= 0) & gate
            rows[variant].append(np.column_stack([paraphrase, called, good]))
        print(f"fold {k + 1}/{T.FOLDS} done", file=sys.stderr, flush=True)
    return {v: np.vstack(r) for v, r in rows.items()}


def report(results: dict[str, np.ndarray]) -> list[str]:
    """A Markdown table of the variants, and each one's answers right where the shipped is not."""
    lines = [
        "| verdict reads | all | paraphrases (good called good, bad called bad) | written |",
        "| --- | --- | --- | --- |",
    ]
    for variant, r in results.items():
        right = r[:, 1] == r[:, 2]
        para = r[:, 0]
        good_para, bad_para = para & r[:, 2], para & ~r[:, 2]
        lines.append(
            f"| {variant} | {right.mean():.4f} | {right[para].mean():.4f} "
            f"({r[good_para, 1].mean():.3f}, {1 - r[bad_para, 1].mean():.3f}) "
            f"| {right[~para].mean():.4f} |"
        )
    base = results[SHIPPED]
    base_right = base[:, 1] == base[:, 2]
    for variant, r in results.items():
        if variant == SHIPPED:
            continue
        right = r[:, 1] == r[:, 2]
        for kind, mask in (
            ("all", np.ones(len(r), bool)),
            ("paraphrases", r[:, 0]),
            ("written", ~r[:, 0]),
        ):
            lines.append(
                f"- {variant}, {kind}: right where the shipped is wrong "
                f"{int((right & ~base_right & mask).sum())}, the other way "
                f"{int((~right & base_right & mask).sum())}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        help="inputs added or taken away, e.g. +remedy or -takeaway,+lesson",
    )
    args = parser.parse_args()
    variants = {SHIPPED: frozenset(T.VERDICT_INPUTS)}
    variants |= {spec: variant_inputs(spec) for spec in args.variant}
    print("\n".join(report(cross_validate(variants))))


if __name__ == "__main__":
    main()
