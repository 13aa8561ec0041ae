"""The answers written to show two or three red flags at once (training/two_flags/; the checker's
test is in test_corpus_format.py): a sample is labelled twice, and they teach the shipped model's
red flags only: every key point, and the clause and context stages, are what the training split
alone gives."""

from __future__ import annotations

from collections import Counter

import numpy as np

from failtui.grading.labels import MODEL_LABELS, RED_FLAGS
from failtui.grading.model import load_model
from training.corpus_io import SECOND, TWO_FLAGS, load


def test_the_shipped_model_was_trained_with_them():
    assert load_model().meta["flag_only_answers"]["two_flags"] == len(load([TWO_FLAGS]))


def test_twelve_answers_of_each_writer_are_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([TWO_FLAGS])}
    second = {a.id: a.text for a in load([SECOND]) if a.id in first}
    assert Counter(i.split("-")[0] for i in second) == {f"w{n}": 12 for n in range(61, 69)}
    assert all(first[i] == text for i, text in second.items())


def test_extra_answers_change_the_red_flags_columns_of_the_answer_stage_only():
    from scipy import sparse

    from training.train import DENSE_WIDTH, fit_answer_stage

    rng = np.random.default_rng(0)
    width = 30 + DENSE_WIDTH

    def answers(n):
        x = sparse.csr_matrix((rng.random((n, width)) > 0.7).astype(np.float32))
        y = (rng.random((n, len(MODEL_LABELS))) > 0.6).astype(np.int8)
        return x, y

    x, y = answers(80)
    w, b = fit_answer_stage(x, y, 0.3)
    w_more, b_more = fit_answer_stage(x, y, 0.3, flag_extra=answers(40))
    flags = [MODEL_LABELS.index(f) for f in RED_FLAGS]
    others = [j for j in range(len(MODEL_LABELS)) if j not in flags]
    assert np.array_equal(w[:, others], w_more[:, others])
    assert np.array_equal(b[others], b_more[others])
    assert all(not np.array_equal(w[:, j], w_more[:, j]) for j in flags)


def test_answers_for_the_red_flags_only_leave_every_key_point_of_the_stages_as_they_were():
    from training.corpus_io import CORPUS, FLAG_PARAPHRASES, split_of
    from training.train import Stages, build_vocabulary

    train = [a for a in load([CORPUS]) if split_of(a) == "train"][:300]
    vocab = build_vocabulary(train)
    extra = load([TWO_FLAGS])[:40] + load([FLAG_PARAPHRASES])[:40]
    quiet = {"log": lambda *_: None}
    alone, more = Stages(train, vocab, **quiet), Stages(train, vocab, flag_answers=extra, **quiet)
    flags = [MODEL_LABELS.index(f) for f in RED_FLAGS]
    others = [j for j in range(len(MODEL_LABELS)) if j not in flags]
    assert np.array_equal(alone.clause_w, more.clause_w)
    assert np.array_equal(alone.context_w, more.context_w)
    assert np.array_equal(alone.answer_bow[:, others], more.answer_bow[:, others])
    assert np.array_equal(alone.answer_w[:, others], more.answer_w[:, others])
    assert np.array_equal(alone.answer_b[others], more.answer_b[others])
    assert not np.array_equal(alone.answer_bow[:, flags], more.answer_bow[:, flags])


def test_flag_sentences_teach_the_red_flags_clause_columns_and_leave_the_key_points():
    from training.corpus_io import CORPUS, PASSING, split_of
    from training.train import Stages, build_vocabulary

    train = [a for a in load([CORPUS]) if split_of(a) == "train"][:300]
    vocab = build_vocabulary(train)
    sentences = [a for a in load([PASSING]) if split_of(a) == "train"][:60]
    quiet = {"log": lambda *_: None}
    alone = Stages(train, vocab, **quiet)
    more = Stages(train, vocab, flag_sentences=sentences, **quiet)
    flags = [MODEL_LABELS.index(f) for f in RED_FLAGS]
    others = [j for j in range(len(MODEL_LABELS)) if j not in flags]
    assert np.array_equal(alone.clause_w[:, others], more.clause_w[:, others])
    assert np.array_equal(alone.clause_b[others], more.clause_b[others])
    assert all(not np.array_equal(alone.clause_w[:, j], more.clause_w[:, j]) for j in flags)


def test_the_shipped_model_was_trained_with_the_training_part_of_passing_and_all_of_the_rest():
    from training.corpus_io import GRAVE, PASSING, SHORT, TYPED, WORK_OR_LIFE, split_of

    trained = sum(split_of(a) == "train" for a in load([PASSING]))
    assert load_model().meta["flag_sentence_answers"] == {
        "passing": trained,
        "work_or_life": len(load([WORK_OR_LIFE])),
        "typed": len(load([TYPED])),
        "short": len(load([SHORT])),
        "grave": len(load([GRAVE])),
    }
    assert trained == 2507
