"""The grader's shortcuts skip only work whose result is known: they never change a grade."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from failtui import detectors
from failtui.grading import (
    _compile_cue,
    _fuzzy_candidates,
    _literal_keys,
    _make_clause,
    normalize,
    split_clauses,
)

DATA = Path(__file__).resolve().parents[1] / "data"
PATTERNS = [
    pattern
    for detector in (
        *detectors.KEY_POINT_DETECTORS.values(),
        *detectors.RED_FLAG_DETECTORS.values(),
    )
    for pattern in (*detector.patterns, *detector.weak)
]


def _labelled_clauses() -> list[str]:
    answers = tomllib.loads((DATA / "failure_answers.toml").read_text(encoding="utf-8"))
    return [norm for item in answers["answers"] for _text, norm in split_clauses(item["text"])]


def test_most_detector_patterns_get_literal_keys() -> None:
    keyed = [p for p in PATTERNS if _literal_keys(p) is not None]
    assert len(keyed) > 0.8 * len(PATTERNS)
    role = next(p for p in PATTERNS if p.pattern.startswith(r"\bi (?:joined|started"))
    assert "i joined" in _literal_keys(role)


def test_a_pattern_never_matches_a_clause_without_one_of_its_keys() -> None:
    checked = 0
    for norm in _labelled_clauses():
        clause = _make_clause(norm, norm)
        for pattern in PATTERNS:
            keys = _literal_keys(pattern)
            if keys is not None and pattern.search(norm):
                assert not keys.isdisjoint(clause.keys), (pattern.pattern, norm)
                checked += 1
    assert checked > 100


def test_keys_of_patterns_that_may_start_inside_a_word_are_not_used() -> None:
    import re

    assert _literal_keys(re.compile(r"i (?:joined|left)")) is None  # "taxi joined"
    assert _literal_keys(re.compile(r"\b(?:delay(?:ed|s)?|late)")) is None  # no whole word
    assert _literal_keys(re.compile(r"\bmy boss\b")) == frozenset({"my boss"})


words = st.sampled_from(
    [
        "i",
        "we",
        "learned",
        "learnt",
        "lesson",
        "the",
        "a",
        "my",
        "boss",
        "fault",
        "never",
        "failed",
        "checked",
        "check",
        "team",
        "it",
        "taught",
        "me",
        "that",
        "so",
        "and",
        "cost",
        "three",
        "days",
        "late",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    cue=st.lists(words, min_size=2, max_size=5).map(" ".join),
    clauses=st.lists(st.lists(words, min_size=1, max_size=14).map(" ".join), min_size=1),
)
def test_fuzzy_candidates_are_exactly_the_clauses_reaching_the_threshold(cue, clauses) -> None:
    compiled = _compile_cue(cue)
    if compiled is None or compiled.exact is not None:
        return
    norms = [normalize(c) for c in clauses]
    expected = [
        i
        for i, norm in enumerate(norms)
        if fuzz.partial_ratio(compiled.norm, norm, score_cutoff=compiled.threshold)
    ]
    assert _fuzzy_candidates(compiled, norms, " ".join(norms)) == expected
