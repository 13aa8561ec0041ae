"""Measure the grader on a labelled answer set (used by the quality test and for tuning)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from failtui.decks.catalog import load_catalog
from failtui.grading import grade_answer

DATA = Path(__file__).parent / "data"


@dataclass
class Scores:
    """Counts and the figures the issue asks for."""

    kp_tp: int = 0
    kp_fp: int = 0
    kp_fn: int = 0
    rf_tp: int = 0
    rf_fp: int = 0
    rf_fn: int = 0
    verdict_ok: int = 0
    answers: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def kp_f1(self) -> float:
        return 2 * self.kp_tp / (2 * self.kp_tp + self.kp_fp + self.kp_fn)

    @property
    def rf_recall(self) -> float:
        return self.rf_tp / (self.rf_tp + self.rf_fn)

    @property
    def rf_precision(self) -> float:
        return self.rf_tp / (self.rf_tp + self.rf_fp) if self.rf_tp + self.rf_fp else 0.0

    @property
    def verdict_accuracy(self) -> float:
        return self.verdict_ok / self.answers

    def line(self) -> str:
        return (
            f"{self.answers} answers: key-point micro-F1 {self.kp_f1:.3f}, red-flag recall "
            f"{self.rf_recall:.3f}, precision {self.rf_precision:.3f}, verdict accuracy "
            f"{self.verdict_accuracy:.3f}"
        )


def evaluate(name: str) -> Scores:
    """Grade every answer of ``tests/data/<name>`` against the biggest-failure card."""
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    answers = tomllib.loads((DATA / name).read_text(encoding="utf-8"))["answers"]
    scores = Scores()
    for item in answers:
        grade = grade_answer(card, item["text"])
        got_kp = {k.id for k in grade.key_points if k.covered}
        want_kp = set(item["key_points"])
        got_rf = {r.id for r in grade.red_flags}
        want_rf = set(item["red_flags"])
        scores.kp_tp += len(got_kp & want_kp)
        scores.kp_fp += len(got_kp - want_kp)
        scores.kp_fn += len(want_kp - got_kp)
        scores.rf_tp += len(got_rf & want_rf)
        scores.rf_fp += len(got_rf - want_rf)
        scores.rf_fn += len(want_rf - got_rf)
        good = grade.suggested_rating in ("good", "easy")
        scores.answers += 1
        if good == (item["verdict"] == "good"):
            scores.verdict_ok += 1
        if got_kp != want_kp or got_rf != want_rf or good != (item["verdict"] == "good"):
            scores.mistakes.append(
                f"{item['id']}: kp +{sorted(got_kp - want_kp)} -{sorted(want_kp - got_kp)} "
                f"rf +{sorted(got_rf - want_rf)} -{sorted(want_rf - got_rf)} "
                f"verdict {item['verdict']} got {grade.suggested_rating} ({grade.coverage:.2f})"
            )
    return scores


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ["failure_answers.toml"]:
        result = evaluate(name)
        print("\n".join(result.mistakes))
        print(name, result.line())
