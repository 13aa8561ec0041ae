"""Cut an answer into clauses: the units the grader labels and names as evidence.

A clause is a sentence, a bullet line, or a piece of a long run-on sentence (a spoken answer
typed with no punctuation is cut before conjunctions, so each piece tells one thing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.utils import default_process

# A sentence longer than this many words is cut again before conjunctions and discourse markers.
LONG_CLAUSE = 30

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[.!?])(?=[A-Z])")
_SPLIT_MARKERS = re.compile(
    r"\s(?=(?:and then|and so|but|so|because|which meant|which|after that|then|since then|"
    r"from then on|now|these days|and i|and we|and it|and that)\s)"
)


@dataclass(frozen=True)
class Clause:
    """One clause: its text as typed (for evidence) and its normalized form (for matching)."""

    text: str
    norm: str

    @property
    def words(self) -> int:
        """Words in the clause as typed."""
        return len(self.text.split())


def normalize(text: str) -> str:
    """Lowercase, drop apostrophes (so "didn't" is "didnt"), punctuation to spaces, trim."""
    return default_process(text.replace("'", "").replace("\u2019", ""))


@lru_cache(maxsize=8192)
def make_clause(text: str) -> Clause:
    """A clause of ``text`` (cached: typing changes one clause at a time)."""
    return Clause(text, normalize(text))


def split_clauses(answer: str) -> list[Clause]:
    """Cut an answer into clauses, in order; clauses with no letters or digits are dropped."""
    clauses: list[Clause] = []
    for sentence in _SENTENCE_END.split(answer):
        sentence = sentence.strip()
        if not sentence:
            continue
        for piece in _cut_long(sentence):
            clause = make_clause(piece.strip())
            if clause.norm:
                clauses.append(clause)
    return clauses


def _cut_long(sentence: str) -> list[str]:
    if len(sentence.split()) <= LONG_CLAUSE:
        return [sentence]
    pieces: list[str] = []
    current = ""
    lowered = sentence.lower()
    last = 0
    for match in _SPLIT_MARKERS.finditer(lowered):
        candidate = sentence[last : match.start()]
        if len((current + candidate).split()) >= 8:
            pieces.append(current + candidate)
            current = ""
        else:
            current += candidate
        last = match.start()
    pieces.append(current + sentence[last:])
    # Still too long (no markers at all): cut into windows of words.
    result: list[str] = []
    for piece in pieces:
        words = piece.split()
        while len(words) > LONG_CLAUSE * 2:
            result.append(" ".join(words[:LONG_CLAUSE]))
            words = words[LONG_CLAUSE:]
        result.append(" ".join(words))
    return [p for p in result if p.strip()]
