"""Match a card's own cues, and its key points' labels and hints, against an answer's clauses.

Key points that are not decided by the model (tip and pitfall cards, the user's own decks, the
story-specific points of a story card) are found here, and so are the cues a card adds to a
standard key point. A cue is looked for in each clause with ``fuzz.partial_ratio`` and then
re-scored against the whole words it aligned with, so a cue cannot match inside another word:

* short cues (one short word) must match as a whole word, exactly;
* a cue holding a number matches that number in digits or in words ("12,000 customers" is
  "twelve thousand customers"), and never another number;
* a negated cue ("I didn't learn much") does not count, unless the cue itself is negative;
  only a negation that governs the cue's words counts ("it was not the vendor's fault", not
  "we had no plan b and the vendor was slow");
* a key point's label and hint count too: a clause holding most of their content words, in any
  form ("communicated" for "communication"), says the same thing in other words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from failtui.grading.clauses import Clause, normalize, split_clauses
from failtui.grading.features import FUNCTION_WORDS, stem
from failtui.grading.features import NEGATORS as _NEGATORS
from failtui.grading.quantities import NUMBER_WORD_FORMS, is_quantity, numbers_as_digits
from failtui.models import KeyPoint

# A cue whose processed form is shorter than this, or a single word, must match a whole word.
_SHORT_CUE = 8

# Only this negates from behind ("I learned nothing", but not "I learned to do nothing").
_TRAILING_NEGATORS = frozenset({"nothing"})
# Words that start another clause: a negation before them does not reach past them.
_CLAUSE_STARTS = frozenset(
    "and but or so because while when whereas although though since then until if yet".split()  # noqa: SIM905
)

# Words that carry no meaning of their own when a label or hint is compared with a clause.
_STOPWORDS = FUNCTION_WORDS


@dataclass(frozen=True)
class Hit:
    """A clause that matched, how well (0..100), and whether that match was negated."""

    clause: int
    score: float
    negated: bool


@dataclass(frozen=True)
class _Cue:
    norm: str
    exact: re.Pattern[str] | None  # whole-word pattern for short cues
    negators: frozenset[str]
    threshold: float
    numbers: frozenset[str]  # its numbers, in digits: matched in clauses with numbers in digits


@lru_cache(maxsize=4096)
def _compile_cue(cue: str) -> _Cue | None:
    norm = normalize(numbers_as_digits(cue))
    if not norm:
        return None
    words = norm.split()
    numbers = frozenset(w for w in words if w.isdigit())
    exact = None
    if len(norm) < _SHORT_CUE or (len(words) == 1 and len(norm) < 10):
        exact = re.compile(r"\b" + re.escape(norm) + r"\b")
    # Longer cues tolerate more typos.
    threshold = 90.0 if len(norm) < 14 else 86.0
    return _Cue(norm, exact, frozenset(w for w in words if w in _NEGATORS), threshold, numbers)


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8192)
def _digits_norm(text: str, norm: str) -> str:
    """A clause's text normalized with its numbers in digits, for cues that hold a number.
    ``norm`` is the clause's normalized text, kept as it is when the clause holds no number:
    most clauses hold none, and reading numbers in words is the costliest step of a grade."""
    if NUMBER_WORD_FORMS.isdisjoint(norm.split()) and _DIGIT.search(norm) is None:
        return norm
    return normalize(numbers_as_digits(text))


def _match_cue(cue: _Cue, text: str) -> tuple[float, bool] | None:
    """Score of ``cue`` in a normalized clause ``text`` and whether that occurrence is negated,
    or None."""
    if cue.exact is not None:
        found = cue.exact.search(text)
        if not found:
            return None
        start, end, score = found.start(), found.end(), 100.0
    elif cue.norm in text:
        start = text.index(cue.norm)
        end, score = start + len(cue.norm), 100.0
    else:
        alignment = fuzz.partial_ratio_alignment(cue.norm, text, score_cutoff=cue.threshold)
        if alignment is None:
            return None
        # Widen the aligned span to whole words and score the cue against those words, so
        # "i lied" cannot match inside "i relied".
        start = text.rfind(" ", 0, alignment.dest_start) + 1
        end = text.find(" ", alignment.dest_end)
        end = len(text) if end == -1 else end
        score = fuzz.ratio(cue.norm, text[start:end])
        if score < cue.threshold:
            return None
    if cue.numbers:
        # "12000 customers" is close to "13000 customers", but the number is what it says.
        words = text[text.rfind(" ", 0, start) + 1 : end].split()
        if not cue.numbers <= set(words):
            return None
    return score, is_negated(text, start, end, cue.negators)


def is_negated(text: str, start: int, end: int, own: frozenset[str] = frozenset()) -> bool:
    """Whether the span ``text[start:end]`` of a normalized clause is negated: by a negator that
    governs its words, not by one anywhere in the clause.

    A negator governs the span from inside it, from up to four words before it when no word
    that starts another clause stands between ("it was not the vendors fault", "i wont blame the
    vendor"; not "we had no plan b and the vendor was slow"), or from right after it as what it
    says ("i learned nothing"). A "not" or "never" after the span governs the words after it
    ("the vendor never delivered", "i learned not to guess"). ``own`` are negators that belong
    to the phrase itself ("wasnt my fault"), which do not negate it.
    """
    before = text[:start].split()[-4:]
    ends = [i for i, w in enumerate(before) if w in _CLAUSE_STARTS]
    before = before[ends[-1] + 1 :] if ends else before
    span = text[start:end].split()
    after = text[end:].split()[:2]
    negators = {w for w in before + span if w in _NEGATORS} | {
        w
        for i, w in enumerate(after)
        if w in _TRAILING_NEGATORS and (i == 0 or after[i - 1] != "to")
    }
    return bool(negators - own)


def cue_hits(cues: tuple[str, ...], clauses: list[Clause]) -> list[Hit]:
    """For every clause, the best hit of any cue (a non-negated one first)."""
    hits: list[Hit] = []
    if not cues or not clauses:
        return hits
    # The clauses' normalized texts, their join and the shortest's length: as typed, and with
    # their numbers in digits (worked out only for a cue holding a number).
    forms: dict[bool, tuple[list[str], str, int]] = {}
    for raw in cues:
        cue = _compile_cue(raw)
        if cue is None:
            continue
        in_digits = bool(cue.numbers)
        if in_digits not in forms:
            texts = [_digits_norm(c.text, c.norm) if in_digits else c.norm for c in clauses]
            forms[in_digits] = (texts, " ".join(texts), min(map(len, texts)))
        norms, whole, shortest = forms[in_digits]
        if cue.exact is not None:
            if not cue.exact.search(whole):
                continue
            indexes: list[int] | range = [
                i for i, norm in enumerate(norms) if cue.exact.search(norm)
            ]
        else:
            indexes = _fuzzy_candidates(cue, norms, whole, shortest)
        for index in indexes:
            matched = _match_cue(cue, norms[index])
            if matched is not None:
                hits.append(Hit(index, *matched))
    return merge(hits)


def _whole_answer_cutoff(threshold: float) -> float:
    """The score the whole answer must reach for some clause to reach ``threshold``.

    A clause reaches ``threshold`` through a window of k <= n characters (n = the cue's length)
    sharing L characters in order with the cue: 200 L / (n + k) >= threshold, with L <= k. The
    window of n characters starting there in the whole answer shares those L characters too, so
    it scores at least 200 L / 2n, which is at least 100 t / (200 - t) at the smallest k allowed.
    """
    return 100.0 * threshold / (200.0 - threshold) - 0.01  # a hair under, for float rounding


def _fuzzy_candidates(cue: _Cue, norms: list[str], whole: str, shortest: int) -> list[int]:
    """Clauses where ``partial_ratio`` of the cue reaches its threshold (exactly those);
    ``shortest`` is the length of the shortest clause."""
    pool: range | list[int] = range(len(norms))
    if len(whole) >= len(cue.norm) and not fuzz.partial_ratio(
        cue.norm, whole, score_cutoff=_whole_answer_cutoff(cue.threshold)
    ):
        # One pass over the whole answer rules out every clause at least as long as the cue.
        # (A shorter clause is aligned inside the cue instead, so the bound does not cover it.)
        if shortest >= len(cue.norm):
            return []
        pool = [i for i, norm in enumerate(norms) if len(norm) < len(cue.norm)]
    found = process.extract(
        cue.norm,
        [norms[i] for i in pool],
        scorer=fuzz.partial_ratio,
        score_cutoff=cue.threshold,
        limit=None,
    )
    return sorted(pool[index] for _, _, index in found)


def merge(*groups: list[Hit]) -> list[Hit]:
    """One hit per clause, preferring a non-negated one, then the best score."""
    best: dict[int, Hit] = {}
    for group in groups:
        for hit in group:
            old = best.get(hit.clause)
            if (
                old is None
                or (old.negated and not hit.negated)
                or (old.negated == hit.negated and hit.score > old.score)
            ):
                best[hit.clause] = hit
    return sorted(best.values(), key=lambda h: h.clause)


def content_stems(text: str) -> frozenset[str]:
    """The stems of the words of ``text`` that carry meaning (no stopwords, no short words)."""
    return _norm_stems(normalize(text))


@lru_cache(maxsize=8192)
def _norm_stems(norm: str) -> frozenset[str]:
    return frozenset(filter(None, map(_content_stem, norm.split())))


@lru_cache(maxsize=16384)
def _content_stem(word: str) -> str:
    return stem(word) if len(word) > 2 and word not in _STOPWORDS else ""


#: Words of a key point's profile that a clause (with the next one) must hold to say the same.
MEANING_WORDS = 2
#: Clauses read together: advice is often given over two short sentences.
MEANING_WINDOW = 2
# Words are compared by the first letters of their stems, so "honest" meets "honesty".
_PREFIX = 5


@lru_cache(maxsize=16384)
def _content_prefix(word: str) -> str:
    return _content_stem(word)[:_PREFIX]


@lru_cache(maxsize=8192)
def clause_words(norm: str) -> frozenset[str]:
    """A normalized clause's meaningful words as :func:`meaning_hits` compares them."""
    return frozenset(map(_content_prefix, norm.split())) - {""}


@lru_cache(maxsize=4096)
def _profile(kp: KeyPoint) -> frozenset[str]:
    """The meaningful words of a key point: its label's, its hint's and its cues'.

    Negators are left out: "never" says which way a sentence leans, not what it is about, and
    with it a lesson "rollback is never optional" was met by "my manager never checked" and a
    later "I learned".
    """
    words = (w for t in (kp.label, kp.hint, *kp.cues) for w in normalize(t).split())
    return frozenset(_content_prefix(w) for w in words if w not in _NEGATORS) - {""}


def meaning_hits(kp: KeyPoint, clauses: list[Clause]) -> list[Hit]:
    """Clauses that, with the clause after them, hold at least MEANING_WORDS words of the key
    point's label, hint and cues, in any form and any order: the same point in other words.
    Each hit names the clause of the two holding most of those words (the caller merges hits
    on one clause).

    A negation of the shared words ("we never ran a pilot") cancels the hit (see
    :func:`_negated`), unless the key point is itself put in the negative ("no blame on
    others"), as advice often is. A key point that asks for a number (:func:`quantity_cues`)
    has no hits: other words never say that number.
    """
    if quantity_cues(kp):
        return []
    profile = _profile(kp)
    # Each clause's share of the profile; a window shares the union of its clauses' shares.
    own = [profile.intersection(clause_words(c.norm)) for c in clauses]
    negative_point = _negative(kp)
    hits = []
    for index in range(len(clauses)):
        window = range(index, min(index + MEANING_WINDOW, len(clauses)))
        shared = frozenset().union(*(own[i] for i in window))
        if len(shared) >= MEANING_WORDS:
            # The window's clause holding most of the shared words is the one that says it,
            # and the evidence the feedback quotes (the earlier one when they hold as many).
            said = max(window, key=lambda i: (len(own[i]), -i))
            negated = not negative_point and _negated(clauses, window, shared)
            hits.append(Hit(said, round(100 * len(shared) / len(profile), 1), negated))
    return hits


@lru_cache(maxsize=4096)
def quantity_cues(kp: KeyPoint) -> tuple[str, ...]:
    """The cues of a key point that are a number with what it counts ("12,000 customers", a
    story's numbers): a key point with one asks for that number, in digits or in words."""
    return tuple(cue for cue in kp.cues if is_quantity(cue))


@lru_cache(maxsize=4096)
def _negative(kp: KeyPoint) -> bool:
    """Whether the key point itself is put in the negative ("no blame", "don't exaggerate")."""
    return any(w in _NEGATORS for t in (kp.label, kp.hint, *kp.cues) for w in normalize(t).split())


def _negated(clauses: list[Clause], window: range, shared: frozenset[str]) -> bool:
    """Whether the window says the point only under a negation: fewer than MEANING_WORDS of the
    ``shared`` words stand outside the three words after a negator ("we never ran a pilot"),
    while "put things right so it wouldn't happen again" still says the fix."""
    negated: set[str] = set()
    for i in window:
        words = clauses[i].norm.split()
        for n, w in enumerate(words):
            if w in _NEGATORS:
                negated.update(stem(x)[:_PREFIX] for x in words[n + 1 : n + 4])
    return len(shared - negated) < MEANING_WORDS


def guidance_key_points(card_answer: str) -> tuple[KeyPoint, ...]:
    """Key points for a card that has none: one per sentence of its guidance, whose content
    words are its cues (an answer using most of them covers it)."""
    points = []
    for number, clause in enumerate(split_clauses(card_answer), 1):
        words = tuple(sorted(content_stems(clause.text)))
        if words:
            points.append(KeyPoint(id=f"answer-{number}", label=clause.text, cues=words))
    return tuple(points)


def guidance_hits(stems: tuple[str, ...], clauses: list[Clause]) -> list[Hit]:
    """The clause sharing most content stems with a guidance sentence, when the answer holds at
    least half of them (a typo'd word still counts when it is close to one)."""
    vocabulary = set().union(*(_norm_stems(c.norm) for c in clauses)) if clauses else set()
    present = sum(
        1
        for s in stems
        if s in vocabulary or process.extractOne(s, vocabulary, scorer=fuzz.ratio, score_cutoff=85)
    )
    share = present / len(stems)
    if share < 0.5:
        return []
    wanted = set(stems)
    best = max(range(len(clauses)), key=lambda i: len(wanted & _norm_stems(clauses[i].norm)))
    return [Hit(best, round(100 * share, 1), False)]
