"""training/crossval.py: how a variant names the verdict's inputs, and what its report says (the
cross-validation itself trains five models and runs by hand: training/README.md)."""

from __future__ import annotations

import numpy as np
import pytest

from training.crossval import SHIPPED, report, variant_inputs
from training.train import VERDICT_INPUTS


def test_a_variant_adds_and_takes_away_inputs_from_the_shipped_ones():
    assert variant_inputs("+remedy") == VERDICT_INPUTS | {"remedy"}
    assert variant_inputs("-takeaway,+lesson,+safeguard") == (
        VERDICT_INPUTS - {"takeaway"} | {"lesson", "safeguard"}
    )


@pytest.mark.parametrize("spec", ["remedy", "+nonsense", "-"])
def test_a_variant_that_names_no_input_is_refused_with_one_line(spec):
    with pytest.raises(SystemExit, match=r"^crossval: .* is not \+label or -label"):
        variant_inputs(spec)


def test_the_report_counts_accuracy_by_kind_and_the_answers_each_variant_alone_gets_right():
    # Rows: (is a paraphrase, called good, is good).
    shipped = np.array(
        [[1, 1, 1], [1, 0, 1], [1, 0, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0]], dtype=bool
    )
    other = np.array([[1, 1, 1], [1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0]], dtype=bool)
    assert report({SHIPPED: shipped, "+x": other}) == [
        "| verdict reads | all | paraphrases (good called good, bad called bad) | written |",
        "| --- | --- | --- | --- |",
        "| shipped | 0.8333 | 0.7500 (0.500, 1.000) | 1.0000 |",
        "| +x | 0.6667 | 0.7500 (1.000, 0.500) | 0.5000 |",
        "- +x, all: right where the shipped is wrong 1, the other way 2",
        "- +x, paraphrases: right where the shipped is wrong 1, the other way 1",
        "- +x, written: right where the shipped is wrong 0, the other way 1",
    ]
