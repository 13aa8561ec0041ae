"""The paraphrases that teach the red flags only (training/flag_paraphrases/; the checker's test
is in test_corpus_format.py): from sites no other set uses, a sample labelled twice, and in the
shipped model."""

from __future__ import annotations

from collections import Counter

from failtui.grading.model import load_model
from training.corpus_io import (
    CORPUS,
    EXTERNAL,
    EXTERNAL2,
    EXTERNAL3,
    EXTERNAL4,
    FLAG_PARAPHRASES,
    SECOND,
    TWO_FLAGS,
    load,
)


def domain(site: str) -> str:
    return site.lower().removeprefix("www.")


def test_the_shipped_model_was_trained_with_them():
    assert load_model().meta["flag_only_answers"] == {
        "two_flags": len(load([TWO_FLAGS])),
        "flag_paraphrases": len(load([FLAG_PARAPHRASES])),
    }


def test_no_site_or_story_of_theirs_is_in_another_set():
    mine = load([FLAG_PARAPHRASES])
    others = load([CORPUS, EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4, TWO_FLAGS])
    other_sites = {domain(a.item["site"]) for a in others if a.item.get("site")}
    assert {domain(a.item["site"]) for a in mine}.isdisjoint(other_sites)
    assert {a.item["story"] for a in mine}.isdisjoint({a.item["story"] for a in others})


def test_twelve_answers_of_each_writer_are_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([FLAG_PARAPHRASES])}
    second = {a.id: a.text for a in load([SECOND]) if a.id in first}
    assert Counter(i.split("-")[0] for i in second) == {f"p{n}": 12 for n in range(25, 39)}
    assert all(first[i] == text for i, text in second.items())
