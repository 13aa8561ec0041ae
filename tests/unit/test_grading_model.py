"""The shipped model: loaded on first use only, small, and naming its evidence and numbers."""

from __future__ import annotations

import math
import subprocess
import sys
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from failtui.decks.catalog import load_catalog
from failtui.grading import grade_answer, split_clauses
from failtui.grading.quantities import damage_number

ANSWER = (
    "I was the QA lead for a checkout release at an online shop. I signed off the release "
    "without running the payment tests because we were late. Checkout failed for a weekend and "
    "we lost 1,800 orders. I rolled it back and added the payment suite to the release gate. I "
    "learned that a deadline never justifies skipping the tests that protect money."
)


def run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_importing_the_grader_loads_no_model_and_no_numpy():
    assert run("import sys, failtui.grading; print('numpy' in sys.modules)") == "False"


def test_a_card_the_model_does_not_grade_never_loads_it():
    code = (
        "import sys\n"
        "from failtui.decks.catalog import load_catalog\n"
        "from failtui.grading import grade_answer\n"
        "card = load_catalog(None).cards('failure-tips')[0]\n"
        "grade_answer(card, 'Interviewers want to see how you learn from mistakes.')\n"
        "print('numpy' in sys.modules)"
    )
    assert run(code) == "False"


def test_the_model_file_is_small_and_holds_no_pickle():
    import numpy as np

    path = resources.files("failtui.grading").joinpath("model.npz")
    assert path.stat().st_size <= 5 * 1024 * 1024
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)


def test_evidence_is_a_clause_of_the_answer_and_quantified_names_its_number():
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(card, ANSWER)
    clauses = {c.text for c in split_clauses(ANSWER)}
    for kp in grade.key_points:
        assert (kp.evidence in clauses) if kp.covered else kp.evidence == "", kp.id
        assert 0.0 <= kp.probability <= 1.0
    quantified = next(k for k in grade.key_points if k.id == "quantified")
    assert quantified.covered
    assert quantified.number == "1,800 orders"
    assert grade.to_dict()["key_points"][4]["number"] == "1,800 orders"


@pytest.mark.parametrize(
    ("clause", "number"),
    [
        ("Checkout failed: 1,800 orders were lost, about $120,000 in sales.", "about $120,000"),
        ("We ended up two weeks behind schedule.", "two weeks"),
        ("Sales dropped 12% that quarter.", "12%"),
        ("It cost us forty thousand pounds.", "forty thousand pounds"),
        ("About three hundred orders went out a day late.", "About three hundred orders"),
        ("The patient waited ninety minutes for the dose.", "ninety minutes"),
        ("Two years ago I joined a team of five, and we lost 40 customers.", "40 customers"),
        ("Forty orders went out wrong.", "Forty orders"),
        ("We lost 300 customer accounts that week.", "300 customer accounts"),
        ("Then one customer complained to the press.", "one customer"),
        ("It cost maybe £300k in all.", "£300k"),
        ("We refunded £12,400 twice over.", "£12,400"),
        ("Twenty-six cancellations came in.", "Twenty-six cancellations"),
        ("It came to around eighteen thousand pounds.", "around eighteen thousand pounds"),
        ("Nothing was counted.", ""),
        ("In 2019 I sent the report to 300 clients.", "300 clients"),
        ("At 9:30 the site went down and 40 orders failed.", "40 orders"),
        ("At 9 pm I pushed it and we lost 2000 orders.", "2000 orders"),
        ("We shipped two weeks behind schedule and lost 1,800 orders.", "1,800 orders"),
        ("I forgot the invoices one month and we were paid six weeks late.", "six weeks"),
        ("For three days the site was down, costing 40 bookings.", "40 bookings"),
    ],
)
def test_damage_number_prefers_money_then_counts_then_a_delay_over_other_numbers(clause, number):
    assert damage_number(clause) == number


@pytest.mark.parametrize(
    ("clause", "number"),
    [
        ("Two years ago I joined a team of five.", "Two years"),
        ("In 2019 I was a junior analyst.", "2019"),
        ("At 9 pm on a Friday I pushed it.", "9 pm"),
    ],
)
def test_numbers_that_set_the_scene_are_a_last_resort_and_can_be_refused(clause, number):
    assert damage_number(clause) == number
    assert damage_number(clause, scene=False) == ""


def test_the_internal_safeguard_label_is_scored_but_never_shown():
    from failtui.grading.labels import LABELS, MODEL_LABELS
    from failtui.grading.model import load_model

    assert (*LABELS, "safeguard") == MODEL_LABELS
    scores = load_model().score(split_clauses(ANSWER), len(ANSWER.split()))
    assert list(scores.probability) == list(MODEL_LABELS)
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(card, ANSWER)
    shown = {k.id for k in grade.key_points} | {r.id for r in grade.red_flags}
    assert "safeguard" not in shown
    assert [k.id for k in grade.key_points] == [kp.id for kp in card.key_points]


def test_the_verdict_reads_only_the_labels_the_guide_defines_it_by():
    """Setting, task, the damage's number, a one-off remedy, the lesson used later and length have
    no say in the verdict; lesson and safeguard speak only through the takeaway (the higher of
    the two)."""
    from failtui.grading.labels import MODEL_LABELS, RED_FLAGS
    from failtui.grading.model import VERDICT_EXTRAS, load_model

    names = [*MODEL_LABELS, *VERDICT_EXTRAS]
    weights = dict(zip(names, load_model().verdict_w.tolist(), strict=True))
    assert {name for name, w in weights.items() if w == 0.0} == {
        "context",
        "task",
        "quantified",
        "remedy",
        "lesson",
        "applied",
        "safeguard",
        "words",
    }
    assert weights["takeaway"] > 0
    assert weights["failure"] > 0
    assert weights["impact"] > 0
    assert all(weights[flag] < 0 for flag in RED_FLAGS)


def test_key_points_one_sentence_shows_are_also_read_from_their_best_clause():
    """Every key point but ``context`` (a setting and a role, often in two sentences) has its
    best clause calibrated as evidence; ``context`` and the red flags have none."""
    import numpy as np

    from failtui.grading.labels import MODEL_LABELS, RED_FLAGS
    from failtui.grading.model import load_model

    evidence = load_model().evidence_platt
    without = {
        label
        for label, (slope, bias) in zip(MODEL_LABELS, evidence.tolist(), strict=True)
        if slope == 0.0 and bias == -30.0
    }
    assert without == {"context", *RED_FLAGS}
    with_evidence = [i for i, label in enumerate(MODEL_LABELS) if label not in without]
    assert np.all(evidence[with_evidence, 0] > 0)  # a better clause never lowers it


def test_a_key_points_probability_is_the_higher_of_the_answer_and_its_best_clause():
    """Scored with and without the best-clause reading: a key point read from its best clause
    gets the higher of the two probabilities; context and red flags get the answer's alone."""
    import numpy as np

    from failtui.grading.labels import MODEL_LABELS, RED_FLAGS
    from failtui.grading.model import Model, shipped_arrays

    arrays = shipped_arrays()
    shipped = Model(arrays)
    no_evidence = np.tile(np.array([[0.0, -30.0]], dtype=np.float32), (len(MODEL_LABELS), 1))
    answer_only = Model({**arrays, "evidence_platt": no_evidence})
    answer = (
        "I was a shift lead at a warehouse. I skipped the pallet check to save time. "
        "Forty orders went out wrong. Now I always run the check."
    )
    clauses = split_clauses(answer)
    got = shipped.score(clauses, len(answer.split()))
    alone = answer_only.score(clauses, len(answer.split()))
    best = got.clause_scores.max(axis=0)
    slope, bias = shipped.evidence_platt[:, 0], shipped.evidence_platt[:, 1]
    from_clause = 1.0 / (1.0 + np.exp(-np.clip(slope * best + bias, -30.0, 30.0)))
    for i, label in enumerate(MODEL_LABELS):
        expected = max(alone.probability[label], float(from_clause[i]))
        assert got.probability[label] == pytest.approx(expected, abs=1e-6), label
    for label in ("context", *RED_FLAGS):
        assert got.probability[label] == alone.probability[label]
    # Its consequence is one plain sentence, which counts more than the short answer around it:
    # the clause's reading is the one used, and it is higher.
    impact = MODEL_LABELS.index("impact")
    assert got.probability["impact"] == pytest.approx(float(from_clause[impact]), abs=1e-6)
    assert got.probability["impact"] > alone.probability["impact"]


def test_the_verdict_takeaway_is_the_higher_of_lesson_and_safeguard():
    import numpy as np

    from failtui.grading.labels import MODEL_LABELS
    from failtui.grading.model import VERDICT_EXTRAS, verdict_inputs

    p = np.zeros((2, len(MODEL_LABELS)))
    p[0, MODEL_LABELS.index("lesson")] = 0.2
    p[0, MODEL_LABELS.index("safeguard")] = 0.9
    p[1, MODEL_LABELS.index("lesson")] = 0.7
    p[1, MODEL_LABELS.index("safeguard")] = 0.1
    inputs = verdict_inputs(p, np.array([0, 99]))
    takeaway = len(MODEL_LABELS) + VERDICT_EXTRAS.index("takeaway")
    words = len(MODEL_LABELS) + VERDICT_EXTRAS.index("words")
    assert inputs[:, takeaway].tolist() == [0.9, 0.7]
    assert inputs[:, words].tolist() == pytest.approx([0.0, math.log(100)], abs=1e-12)
    assert inputs[:, : len(MODEL_LABELS)].tolist() == p.tolist()


#: Pieces of text near the money and percentage patterns' edges, joined at random.
SHAPE_PIECES = [
    *"0123456789$£€%,. kmbnKMB",
    *("dollars", "Pounds ", "EURO", "quid", "bucks", "grand", "per cent", "percent", "cent"),
    *("a", "the "),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SHAPE_PIECES), max_size=12).map("".join))
def test_money_and_percent_shapes_match_their_patterns_exactly(text):
    """The cheap tests before the money and percentage searches never change what they find."""
    from failtui.grading.clauses import normalize
    from failtui.grading.features import _MONEY, _PERCENT, clause_features

    feats = clause_features.__wrapped__(text, normalize(text))
    assert ("#money" in feats) == bool(_MONEY.search(text))
    assert ("#percent" in feats) == bool(_PERCENT.search(text))


def test_a_model_file_of_another_format_is_refused():
    import json

    import numpy as np

    from failtui.grading.model import FORMAT_VERSION, Model, shipped_arrays

    arrays = shipped_arrays()
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta["format"] = FORMAT_VERSION - 1
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with pytest.raises(ValueError, match="another version of failtui"):
        Model(arrays)


def test_the_setting_is_read_without_the_answers_words():
    # training/train.py, WITHOUT_ANSWER_WORDS: the answer stage gives context no word weights.
    from failtui.grading.labels import MODEL_LABELS
    from failtui.grading.model import shipped_arrays

    bow = shipped_arrays()["answer_bow"]
    assert not bow[:, MODEL_LABELS.index("context")].any()
    assert bow[:, MODEL_LABELS.index("impact")].any()


def test_threads_that_load_the_model_together_share_one_reading():
    from concurrent.futures import ThreadPoolExecutor

    from failtui.grading.model import forget_model, load_model

    forget_model()
    with ThreadPoolExecutor(max_workers=4) as pool:
        models = list(pool.map(lambda _: load_model(), range(4)))
    assert all(m is models[0] for m in models)
    assert load_model() is models[0]


def test_a_model_that_fails_to_load_in_advance_is_reported_by_the_first_grade(monkeypatch):
    import pytest

    from failtui.grading import load_in_advance
    from failtui.grading import model as model_module

    def broken() -> dict:
        raise ValueError("model.npz is for another version of failtui")

    model_module.forget_model()
    monkeypatch.setattr(model_module, "shipped_arrays", broken)
    try:
        assert load_in_advance() is None
        assert not model_module.model_loaded()
        with pytest.raises(ValueError, match="another version"):
            model_module.load_model()
    finally:
        monkeypatch.undo()
        model_module.forget_model()
