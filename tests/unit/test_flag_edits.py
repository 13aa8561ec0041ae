"""The minimal red-flag edits kept for a later model (training/unused/flag-edits/; the checker's
test is in test_corpus_format.py): each does what its row of edits.tsv asked of its base, and
stays on the training side of every split."""

from __future__ import annotations

import csv
from collections import Counter

from training.corpus_io import CORPUS, FLAG_EDITS, FLAG_PARAPHRASES, load, split_of

FLAG_PREFIXES = tuple(f"p{n}-" for n in range(25, 39))


def edits_asked() -> list[dict]:
    with (FLAG_EDITS / "edits.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_each_edit_does_what_was_asked_of_its_base():
    edited = {a.id: a for a in load([FLAG_EDITS])}
    asked = edits_asked()
    assert [row["id"] for row in asked] == sorted(
        edited, key=lambda i: (int(i[1:].split("-")[0]), i)
    )
    assert Counter(row["edit"].split()[0] for row in asked) == {
        "add": 420, "near-miss": 120, "remove": 180
    }  # fmt: skip
    for row in asked:
        answer = edited[row["id"]]
        kind, flags = row["edit"].split()
        flags = set(flags.split(","))
        if kind == "add":
            assert flags <= set(answer.red_flags), row
        elif kind == "near-miss":
            assert flags <= set(answer.item["near_miss"]) and not answer.red_flags, row
        else:
            assert not flags & set(answer.red_flags), row


def test_each_base_is_on_the_training_side_with_the_same_story_and_site():
    bases = {a.id: a for a in load([FLAG_PARAPHRASES])}
    bases.update({a.id: a for a in load([CORPUS]) if split_of(a) == "train"})
    edited = {a.id: a for a in load([FLAG_EDITS])}
    for row in edits_asked():
        base, answer = bases[row["base"]], edited[row["id"]]
        assert (answer.item["story"], answer.item["site"]) == (
            base.item["story"],
            base.item["site"],
        )
        assert base.id.startswith(FLAG_PREFIXES) or split_of(answer) == "train"


def test_a_sample_of_each_first_writer_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([FLAG_EDITS])}
    second = {a.id: a.text for a in load([FLAG_EDITS.parent / "second-flag-edits.jsonl"])}
    assert Counter(i.split("-")[0] for i in second) == {f"e{n}": 7 for n in range(1, 9)}
    assert all(first[i] == text for i, text in second.items())
