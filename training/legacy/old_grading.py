"""The grader before the trained model (kept only to compare in training/REPORT.md).

Grade an answer against a card's key points and red flags with rapidfuzz.

The answer is cut into clauses (sentences, and long run-on sentences cut at conjunctions). Each cue
is looked for in each clause with ``fuzz.partial_ratio`` and then re-scored against the whole
words it aligned with, so a cue cannot match inside another word. What a naive matcher gets wrong
is handled explicitly:

* short cues (one short word) must match as a whole word, exactly;
* a negated clause ("I didn't learn much") does not count, unless the cue itself is negative;
* numbers written as words ("two weeks", "a third of") count as quantities;
* typos are tolerated by the fuzzy score; text with no punctuation is cut into clauses anyway.

Everything here is pure: no database, no UI, no clock.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from re import _constants as _sre
from re import _parser as _sre_parser

from old_detectors import (
    AFTER_FAILURE,
    KEY_POINT_DETECTORS,
    OPENING,
    RED_FLAG_DETECTORS,
    Detector,
)
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from failtui.models import (
    SPEAKING_RATE_WPM,
    Card,
    Grade,
    KeyPoint,
    KeyPointResult,
    RedFlag,
    RedFlagResult,
)

#: Key points whose clauses count towards ``lesson_share``.
LESSON_POINTS = frozenset({"lesson", "applied"})

# A cue whose processed form is shorter than this, or a single word, must match a whole word.
_SHORT_CUE = 8
# A clause longer than this many words is cut at conjunctions so evidence and negation stay local.
_LONG_CLAUSE = 22

_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "didnt",
        "dont",
        "doesnt",
        "wasnt",
        "werent",
        "isnt",
        "arent",
        "cant",
        "couldnt",
        "wouldnt",
        "wont",
        "shouldnt",
        "hardly",
        "barely",
        "nothing",
        "nobody",
        "neither",
        "nor",
        "havent",
        "hasnt",
        "hadnt",
        "without",
    ]
)
# Negators that also negate when they follow the cue: "I learned nothing".
# Only "nothing" negates from behind ("I learned nothing"): "not" and "never" after a cue
# usually start the lesson itself ("I learned never to skip", "taught me not to guess").
_TRAILING_NEGATORS = frozenset({"nothing", "not", "never"})
_SPLIT_MARKERS = re.compile(
    r"\s(?=(?:and then|and so|but|so|because|which meant|which|after that|then|since then|"
    r"from then on|now|these days|and i|and we|and it|and that)\s)"
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|thousand|million|billion|half|third|quarter|dozen|couple|a few|several|double|twice|"
    "triple"
)
_UNITS = (
    r"percent|per cent|pc|%|hours?|hrs?|days?|weeks?|months?|minutes?|mins?|dollars?|pounds?|"
    r"euros?|quid|bucks|grand|k|usd|gbp|eur|customers?|clients?|patients?|orders?|units?|items?|"
    r"pallets?|shipments?|deliveries|people|staff|users?|accounts?|complaints?|calls?|tickets?|"
    r"bugs?|errors?|shifts?|points?|students?|samples?|runs?|covers?|tables?|meals?|plates?|"
    r"boxes?|cases?|sales|leads?|deals?|invoices?|records?|files?|pages?|jobs?|sites?|beds?|doses?|"
    r"percentage points|stars?|lines?|incidents?|refunds?|returns?|miles?|kilos?|kg|tonnes?|"
    r"litres?|liters?|batches?|experiments?|weekends?|nights?|sprints?|releases?|rows?"
)
_QUANTITY = re.compile(
    rf"(?:\b(?:\d[\d,.]*|{_NUMBER_WORDS})\b(?:\s+(?:of|more|extra|whole|full|entire|lost|"
    rf"late|or so|and a half|additional|hundred|thousand|million|other))*\s*(?:{_UNITS})\b)"
    rf"|(?:[$£€]\s?\d)|(?:\b\d+\s?%)|(?:\b(?:{_NUMBER_WORDS}) of (?:the|our|my|them|us)\b)"
)
# Numbers that set the scene rather than measure a consequence.
_CONTEXT_NUMBER = re.compile(
    r"\b(?:years? ago|months? ago|years? into|years? old|team of|years? of experience|"
    r"year at|first year|second year|final year|months? in\b|weeks? in\b|years? in\b)"
)


@dataclass(frozen=True)
class _Clause:
    text: str  # as typed, for evidence
    norm: str  # processed: lowercase, apostrophes dropped, punctuation to spaces
    words: int
    # Its words and pairs of adjacent words: a pattern whose every match starts with words
    # missing here cannot match, so it is not run (see _literal_keys).
    keys: frozenset[str] = field(default=frozenset(), compare=False)


# Typing changes one clause at a time: the others come back as the same objects.
@lru_cache(maxsize=4096)
def _make_clause(text: str, norm: str) -> _Clause:
    tokens = norm.split()
    keys = set(tokens)
    keys.update(f"{a} {b}" for a, b in pairwise(tokens))
    return _Clause(text, norm, len(text.split()), frozenset(keys))


@dataclass(frozen=True)
class _Hit:
    clause: int
    score: float
    negated: bool


def normalize(text: str) -> str:
    """Lowercase, drop apostrophes (so "didn't" is "didnt"), punctuation to spaces, trim."""
    return default_process(text.replace("'", "").replace("\u2019", ""))


def split_clauses(answer: str) -> list[tuple[str, str]]:
    """Cut an answer into (original text, normalized text) clauses.

    Sentences end at ``. ! ? ;`` or a line break; a sentence longer than a few dozen words (an
    answer typed with no punctuation) is cut again before conjunctions and discourse markers.
    """
    clauses: list[tuple[str, str]] = []
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+|(?<=[.!?])(?=[A-Z])", answer):
        sentence = sentence.strip()
        if not sentence:
            continue
        for piece in _cut_long(sentence):
            norm = normalize(piece)
            if norm:
                clauses.append((piece.strip(), norm))
    return clauses


def _cut_long(sentence: str) -> list[str]:
    if len(sentence.split()) <= _LONG_CLAUSE:
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
        while len(words) > _LONG_CLAUSE * 2:
            result.append(" ".join(words[:_LONG_CLAUSE]))
            words = words[_LONG_CLAUSE:]
        result.append(" ".join(words))
    return [p for p in result if p.strip()]


@dataclass(frozen=True)
class _Cue:
    norm: str
    exact: re.Pattern | None  # whole-word pattern for short cues
    negators: frozenset[str]
    threshold: float


@lru_cache(maxsize=4096)
def _compile_cue(cue: str) -> _Cue | None:
    norm = normalize(cue)
    if not norm:
        return None
    words = norm.split()
    exact = None
    if len(norm) < _SHORT_CUE or (len(words) == 1 and len(norm) < 10):
        exact = re.compile(r"\b" + re.escape(norm) + r"\b")
    # Longer cues tolerate more typos.
    threshold = 90.0 if len(norm) < 14 else 86.0
    return _Cue(norm, exact, frozenset(w for w in words if w in _NEGATORS), threshold)


# Past this many alternatives the literal start of a pattern is not worth expanding.
_MAX_STARTS = 64
# Marks the end of a whole word in a literal start (a \b matched there).
_WORD_END = "\x00"


def _literal_starts(items) -> tuple[set[str], bool]:
    """The literal strings every match of a parsed pattern starts with, and whether they are
    the whole match (so a caller may append what follows)."""
    starts = {""}
    for op, arg in items:
        if op is _sre.AT:  # zero-width (\b, ^): consumes nothing
            if arg is _sre.AT_BOUNDARY:
                # A boundary after a literal word ends that word: mark it as whole.
                starts = {s + _WORD_END if s else s for s in starts}
            continue
        if op is _sre.LITERAL:
            starts = {s + chr(arg) for s in starts}
            continue
        if op is _sre.SUBPATTERN:
            branches = [arg[3]]
        elif op is _sre.BRANCH:
            branches = arg[1]
        else:  # a repeat, a class, \w...: the literal start ends here
            return starts, False
        tails: set[str] = set()
        complete = True
        for branch in branches:
            sub, whole = _literal_starts(branch)
            tails |= sub
            complete = complete and whole
        expanded = {s + t for s in starts for t in tails}
        if len(expanded) > _MAX_STARTS:
            return starts, False
        starts = expanded
        if not complete:
            return starts, False
    return starts, True


# Bounded: the exact patterns of the user's own short cues pass through here too.
@lru_cache(maxsize=8192)
def _literal_keys(pattern: re.Pattern) -> frozenset[str] | None:
    """Keys (a word, or two adjacent words) of which every match of ``pattern`` contains one.

    A pattern starting at a word boundary with literal words ("\\bi (?:joined|was hired)")
    can only match a clause holding one of those words or word pairs, which a set lookup
    answers far faster than the regex engine. None when no such key can be derived (the
    pattern then always runs), so the result is always exactly that of ``pattern.search``.
    """
    items = list(_sre_parser.parse(pattern.pattern, pattern.flags))
    if pattern.flags & re.IGNORECASE or not items or items[0][0] is not _sre.AT:
        return None  # a match may start inside a word: its first word is not a whole token
    starts, _complete = _literal_starts(items)
    keys = set()
    for start in starts:
        # Words followed by a space or a \b are whole; a last word may be cut short.
        words = start.replace(_WORD_END + " ", " ").replace(_WORD_END, " ").split(" ")[:-1]
        if not words or not words[0] or not all(w.isalnum() for w in words[:2]):
            return None
        keys.add(" ".join(words[:2]))
    return frozenset(keys) if keys else None


def _match_cue(cue: _Cue, clause: _Clause) -> tuple[float, bool] | None:
    """Score of ``cue`` in ``clause`` and whether that occurrence is negated, or None."""
    text = clause.norm
    if cue.exact is not None:
        found = cue.exact.search(text)
        if not found:
            return None
        start, end, score = found.start(), found.end(), 100.0
    else:
        if cue.norm in text:
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
    return score, _is_negated(cue, text, start, end)


def _is_negated(cue: _Cue, text: str, start: int, end: int) -> bool:
    before = text[:start].split()[-4:]
    span = text[start:end].split()
    after = text[end:].split()[:2]
    # "I learned to never skip" starts the lesson itself: a negator after "to" is not negation.
    negators = {w for w in before + span if w in _NEGATORS} | {
        w
        for i, w in enumerate(after)
        if w in _TRAILING_NEGATORS and (i == 0 or after[i - 1] != "to")
    }
    # A cue that is itself negative ("wasnt my fault", "never really failed") is not negated by
    # its own words.
    return bool(negators - cue.negators)


def _best_hits(cues: tuple[str, ...], clauses: list[_Clause]) -> list[_Hit]:
    """For every clause, the best non-negated hit of any cue (or a negated one if that is all)."""
    hits: list[_Hit] = []
    norms = [c.norm for c in clauses]
    whole = " ".join(norms)
    for raw in cues:
        cue = _compile_cue(raw)
        if cue is None:
            continue
        if cue.exact is None:
            indexes = _fuzzy_candidates(cue, norms, whole)
        else:
            keys = _literal_keys(cue.exact)
            indexes = [
                i
                for i, c in enumerate(clauses)
                if (keys is None or not keys.isdisjoint(c.keys)) and cue.exact.search(c.norm)
            ]
        for index in indexes:
            matched = _match_cue(cue, clauses[index])
            if matched is not None:
                hits.append(_Hit(index, *matched))
    return _merge(hits)


def _whole_answer_cutoff(threshold: float) -> float:
    """The score the whole answer must reach for some clause to reach ``threshold``.

    A clause reaches ``threshold`` through a window of k <= n characters (n = the cue's length)
    sharing L characters in order with the cue: 200 L / (n + k) >= threshold, with L <= k. The
    window of n characters starting there in the whole answer shares those L characters too, so
    it scores at least 200 L / 2n, which is at least 100 t / (200 - t) at the smallest k allowed.
    """
    return 100.0 * threshold / (200.0 - threshold) - 0.01  # a hair under, for float rounding


def _fuzzy_candidates(cue: _Cue, norms: list[str], whole: str) -> list[int]:
    """Clauses where ``partial_ratio`` of the cue reaches its threshold (exactly those)."""
    pool: range | list[int] = range(len(norms))
    if len(whole) >= len(cue.norm) and not fuzz.partial_ratio(
        cue.norm, whole, score_cutoff=_whole_answer_cutoff(cue.threshold)
    ):
        # One pass over the whole answer rules out every clause at least as long as the cue.
        # (A shorter clause is aligned inside the cue instead, so the bound does not cover it.)
        if min(map(len, norms)) >= len(cue.norm):
            return []
        pool = [i for i, norm in enumerate(norms) if len(norm) < len(cue.norm)]
    candidates = process.extract(
        cue.norm,
        [norms[i] for i in pool],
        scorer=fuzz.partial_ratio,
        score_cutoff=cue.threshold,
        limit=None,
    )
    return sorted(pool[index] for _, _, index in candidates)


_CONSEQUENCE = re.compile(
    r"\b(?:cost|lost|late|delay|missed|behind|extra|refund|complain|over budget|wasted|down|"
    r"drop|dropped|fell|short)"
)


def _quantity_hits(clauses: list[_Clause]) -> list[_Hit]:
    """Clauses that put a number on something, written in digits or in words."""
    hits = []
    for index, clause in enumerate(clauses):
        # "%" is punctuation to the normalizer, so look for it in the lowered original.
        text = clause.text.lower() if "%" in clause.text else clause.norm
        if not _QUANTITY.search(text):
            continue
        # "three years ago", "a team of five": numbers that set the scene, unless the clause
        # is also about a consequence.
        if _CONTEXT_NUMBER.search(clause.norm) and not _CONSEQUENCE.search(clause.norm):
            continue
        hits.append(_Hit(index, 100.0, False))
    return hits


def _answer_key_points(card: Card) -> tuple[KeyPoint, ...]:
    """Key points for a card that has none: one per sentence of its guidance.

    The cues are the sentence's content words, so an answer that uses most of them covers it.
    """
    points = []
    for number, (text, norm) in enumerate(split_clauses(card.answer), 1):
        words = [w for w in norm.split() if len(w) >= 4 and w not in _STOPWORDS]
        if not words:
            continue
        points.append(KeyPoint(id=f"answer-{number}", label=text, cues=tuple(words)))
    return tuple(points)


_STOPWORDS = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "they",
        "them",
        "their",
        "there",
        "what",
        "when",
        "where",
        "which",
        "while",
        "have",
        "been",
        "were",
        "will",
        "would",
        "could",
        "should",
        "about",
        "into",
        "than",
        "then",
        "your",
        "yours",
        "just",
        "also",
        "very",
        "more",
        "most",
        "some",
        "such",
        "only",
        "over",
        "after",
        "before",
        "because",
        "being",
        "does",
        "doing",
        "each",
        "other",
    ]
)


@dataclass(frozen=True)
class _Detection:
    hits: list[_Hit]

    @property
    def positive(self) -> list[_Hit]:
        return [h for h in self.hits if not h.negated]


@cache
def _planned(patterns: tuple[re.Pattern, ...]) -> tuple[tuple[re.Pattern, frozenset | None], ...]:
    return tuple((pattern, _literal_keys(pattern)) for pattern in patterns)


def _detector_hits(detector: Detector, clauses: list[_Clause]) -> list[_Hit]:
    """Clauses matched by a built-in detector (weak patterns need two matches)."""
    strong, weak = _detector_raw(detector, clauses)
    return _combine_detector_hits(
        detector, strong, weak, lambda index: _excluded(detector, clauses[index])
    )


def _detector_raw(detector: Detector, clauses: list[_Clause]) -> tuple[list[_Hit], list[_Hit]]:
    """Each clause's hit by the detector's strong patterns, and by its weak ones, before the
    rules that look at the whole answer.

    In each clause the first of the detector's patterns that matches decides the hit. Patterns
    run in order over the clauses that may hold their literal words (see :func:`_literal_keys`),
    and a clause stops being searched once a pattern has matched it: the same first match.
    """
    by_key = _clauses_by_key(clauses)
    everywhere = range(len(clauses))
    hits: list[_Hit] = []
    weak: list[_Hit] = []
    for patterns, bucket in ((detector.patterns, hits), (detector.weak, weak)):
        decided: set[int] = set()
        for pattern, keys in _planned(patterns):
            if keys is None:
                candidates = everywhere
            else:
                candidates = sorted({i for key in keys for i in by_key.get(key, ())})
            for index in candidates:
                if index in decided:
                    continue
                norm = clauses[index].norm
                found = pattern.search(norm)
                if found is None:
                    continue
                decided.add(index)
                # Negators inside the match are part of the pattern ("wasnt a big deal").
                own = _Cue("", None, frozenset(found.group().split()), 100.0)
                negated = detector.negatable and _is_negated(own, norm, found.start(), found.end())
                bucket.append(_Hit(index, 95.0, negated))
        bucket.sort(key=lambda h: h.clause)
    return hits, weak


def _combine_detector_hits(
    detector: Detector, strong: list[_Hit], weak: list[_Hit], excluded
) -> list[_Hit]:
    """The detector's hits: weak ones count when two clauses or a strong hit back them; a clause
    matching an ``unless`` pattern (``excluded(index)``) never counts."""
    hits = list(strong)
    if len({h.clause for h in weak}) >= 2 or hits:
        hits += weak
    if detector.unless:
        hits = [h for h in hits if not excluded(h.clause)]
    return hits


# The key index of the last clause list seen: every detector of one grading shares it.
_key_index: tuple[int, list[_Clause], dict[str, list[int]]] | None = None


def _clauses_by_key(clauses: list[_Clause]) -> dict[str, list[int]]:
    """For each word and word pair of the answer, the clauses holding it, in order."""
    global _key_index
    cached = _key_index
    if cached is not None and cached[0] == id(clauses) and cached[1] is clauses:
        return cached[2]
    index: dict[str, list[int]] = {}
    for number, clause in enumerate(clauses):
        for key in clause.keys:
            index.setdefault(key, []).append(number)
    _key_index = (id(clauses), clauses, index)
    return index


def _excluded(detector: Detector, clause: _Clause) -> bool:
    return any(pattern.search(clause.norm) for pattern in detector.unless)


def _merge(*groups: list[_Hit]) -> list[_Hit]:
    """One hit per clause, preferring a non-negated one, then the best score."""
    best: dict[int, _Hit] = {}
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


def _in_region(region: str, index: int, total: int, failure_at: int | None) -> bool:
    if region == OPENING:
        # The scene is set in the first few sentences.
        return index < max(3, round(total * 0.4))
    if region == AFTER_FAILURE:
        return index >= (failure_at if failure_at is not None else 1)
    return True


def _detect_key_point(
    kp: KeyPoint,
    position: int,
    found: _Findings,
    clauses: list[_Clause],
    derived: bool,
    failure_at: int | None = None,
) -> _Detection:
    if derived:
        # A sentence of guidance is covered when most of its content words appear.
        return _Detection(_best_word_hits(kp.cues, clauses))
    groups = [found.cue_hits(position)]
    detector = KEY_POINT_DETECTORS.get(kp.id)
    if detector is not None:
        groups.append(
            [
                h
                for h in found.detector_hits(detector)
                if _in_region(detector.region, h.clause, len(clauses), failure_at)
            ]
        )
    if kp.id == "quantified":
        groups.append(found.quantity_hits())
    return _Detection(_merge(*groups))


def _best_word_hits(words: tuple[str, ...], clauses: list[_Clause]) -> list[_Hit]:
    vocabulary = {w for c in clauses for w in c.norm.split()}
    present = 0
    for word in words:
        if word in vocabulary or process.extractOne(
            word, vocabulary, scorer=fuzz.ratio, score_cutoff=85
        ):
            present += 1
    share = present / len(words)
    if share < 0.5:
        return []
    # Evidence: the clause sharing most words with the guidance sentence.
    wordset = set(words)
    best = max(range(len(clauses)), key=lambda i: len(wordset & set(clauses[i].norm.split())))
    return [_Hit(best, round(100 * share, 1), False)]


# -- what each clause holds, kept between keystrokes ------------------------------------------
#
# Live feedback grades the whole answer on every keystroke, and typing changes one clause at a
# time. What a clause holds for a card (its best hit of every cue set, of every detector's
# patterns, whether it states a quantity) does not depend on the other clauses, so it is kept by
# clause text; only the rules that look across clauses (weak patterns needing two clauses,
# regions, the order of the story, red flag corroboration) run on every grade. The clauses not
# seen before are examined together, with the same whole-text shortcuts as before, so a cold
# grade costs what it did and gives the same result.


class _Plan:
    """A card's cue sets (key points, then red flags) and detectors, in a fixed order.

    Hashed by identity: it is made once per card object and keys the clause cache.
    """

    def __init__(self, card: Card):
        self.card = card
        self.cue_sets = tuple(kp.cues for kp in card.key_points) + tuple(
            rf.cues for rf in card.red_flags
        )
        detectors: dict[int, Detector] = {}
        for kp in card.key_points:
            if (detector := KEY_POINT_DETECTORS.get(kp.id)) is not None:
                detectors.setdefault(id(detector), detector)
        for rf in card.red_flags:
            if (detector := RED_FLAG_DETECTORS.get(rf.id)) is not None:
                detectors.setdefault(id(detector), detector)
        self.detectors = tuple(detectors.values())
        self.detector_position = {key: n for n, key in enumerate(detectors)}
        self.quantity = any(kp.id == "quantified" for kp in card.key_points)


@dataclass(frozen=True)
class _ClauseFindings:
    """What one clause holds for one card, whatever the other clauses say."""

    cues: tuple[tuple[float, bool] | None, ...]  # best (score, negated) per cue set
    strong: tuple[tuple[float, bool] | None, ...]  # per detector: its strong patterns' hit
    weak: tuple[tuple[float, bool] | None, ...]  # per detector: its weak patterns' hit
    excluded: tuple[bool, ...]  # per detector: an ``unless`` pattern matches (if anything hit)
    quantity: bool


#: Plans of the cards graded lately, by object id (the plan holds the card, so ids stay unique).
_plans: dict[int, _Plan] = {}
_MAX_PLANS = 16
#: Findings by (plan, clause text), least recently used first.
_findings: OrderedDict[tuple[_Plan, str], _ClauseFindings] = OrderedDict()
_MAX_FINDINGS = 4096


def clear_caches() -> None:
    """Forget every clause graded so far (to time a cold grade; grades never depend on it)."""
    _plans.clear()
    _findings.clear()
    _make_clause.cache_clear()


def _plan_of(card: Card) -> _Plan:
    plan = _plans.get(id(card))
    if plan is None or plan.card is not card:
        if len(_plans) >= _MAX_PLANS:
            _plans.pop(next(iter(_plans)))
        plan = _plans[id(card)] = _Plan(card)
    return plan


def _examine(plan: _Plan, clauses: list[_Clause]) -> list[_ClauseFindings]:
    """The findings of clauses not seen before, examined together (whole-text shortcuts)."""
    cues: list[list] = [[None] * len(plan.cue_sets) for _ in clauses]
    for position, cue_set in enumerate(plan.cue_sets):
        for hit in _best_hits(cue_set, clauses):
            cues[hit.clause][position] = (hit.score, hit.negated)
    strong: list[list] = [[None] * len(plan.detectors) for _ in clauses]
    weak: list[list] = [[None] * len(plan.detectors) for _ in clauses]
    for position, detector in enumerate(plan.detectors):
        strong_hits, weak_hits = _detector_raw(detector, clauses)
        for hit in strong_hits:
            strong[hit.clause][position] = (hit.score, hit.negated)
        for hit in weak_hits:
            weak[hit.clause][position] = (hit.score, hit.negated)
    quantities = {h.clause for h in _quantity_hits(clauses)} if plan.quantity else set()
    found = []
    for index, clause in enumerate(clauses):
        # ``unless`` only ever removes a hit: it is looked for where something hit.
        anything = any(cues[index]) or any(strong[index]) or any(weak[index])
        excluded = tuple(
            anything and bool(detector.unless) and _excluded(detector, clause)
            for detector in plan.detectors
        )
        found.append(
            _ClauseFindings(
                tuple(cues[index]),
                tuple(strong[index]),
                tuple(weak[index]),
                excluded,
                index in quantities,
            )
        )
    return found


class _Findings:
    """The findings of every clause of an answer, with the hits each check would return."""

    def __init__(self, card: Card, clauses: list[_Clause]):
        self.plan = plan = _plan_of(card)
        found: list[_ClauseFindings | None] = []
        unseen: list[int] = []
        for index, clause in enumerate(clauses):
            known = _findings.get((plan, clause.text))
            if known is None:
                unseen.append(index)
            else:
                _findings.move_to_end((plan, clause.text))
            found.append(known)
        if unseen:
            fresh = _examine(plan, [clauses[i] for i in unseen])
            for index, findings in zip(unseen, fresh, strict=True):
                found[index] = findings
                _findings[(plan, clauses[index].text)] = findings
            while len(_findings) > _MAX_FINDINGS:
                _findings.popitem(last=False)
        self.clauses: list[_ClauseFindings] = found  # type: ignore[assignment]

    def cue_hits(self, position: int) -> list[_Hit]:
        """What ``_best_hits`` returns for the plan's cue set at ``position``."""
        return [
            _Hit(index, *f.cues[position])
            for index, f in enumerate(self.clauses)
            if f.cues[position] is not None
        ]

    def detector_hits(self, detector: Detector) -> list[_Hit]:
        """What ``_detector_hits`` returns for one of the plan's detectors."""
        position = self.plan.detector_position[id(detector)]
        strong = [
            _Hit(i, *f.strong[position])
            for i, f in enumerate(self.clauses)
            if f.strong[position] is not None
        ]
        weak = [_Hit(i, *f.weak[position]) for i, f in enumerate(self.clauses) if f.weak[position]]
        return _combine_detector_hits(detector, strong, weak, lambda i: self.excluded(detector, i))

    def excluded(self, detector: Detector, index: int) -> bool:
        """Whether clause ``index`` matches an ``unless`` pattern of the detector."""
        return self.clauses[index].excluded[self.plan.detector_position[id(detector)]]

    def quantity_hits(self) -> list[_Hit]:
        """What ``_quantity_hits`` returns."""
        return [_Hit(i, 100.0, False) for i, f in enumerate(self.clauses) if f.quantity]


def grade_answer(card: Card, answer: str) -> Grade:
    """Grade ``answer`` against ``card``: key points covered, red flags raised, and a rating.

    Args:
        card: the card answered; a card without key points is graded against its guidance.
        answer: the text the user typed (any length, any punctuation).

    Returns:
        A :class:`~failtui.models.Grade`, as printed by ``failtui grade --json``.
    """
    clauses = [_make_clause(t, n) for t, n in split_clauses(answer)]
    words = sum(c.words for c in clauses)
    derived = not card.key_points
    key_points = card.key_points or _answer_key_points(card)

    found = _Findings(card, clauses)

    # The failure (or its consequence) is found first: remedies and lessons come after it.
    detections: dict[str, _Detection] = {}
    for position, kp in enumerate(key_points):
        if kp.id in ("failure", "impact"):
            detections[kp.id] = _detect_key_point(kp, position, found, clauses, derived)
    story_at = min((h.clause for d in detections.values() for h in d.positive), default=None)
    for position, kp in enumerate(key_points):
        if kp.id not in detections:
            detections[kp.id] = _detect_key_point(kp, position, found, clauses, derived, story_at)
    results = []
    for kp in key_points:
        positive = detections[kp.id].positive
        best = max(positive, key=lambda h: h.score, default=None)
        results.append(
            KeyPointResult(
                id=kp.id,
                label=kp.label,
                covered=best is not None,
                score=best.score if best else _best_negated(detections[kp.id]),
                evidence=clauses[best.clause].text if best else "",
                hint=kp.hint,
                weight=kp.weight,
            )
        )

    covered_ids = {r.id for r in results if r.covered}
    flags = []
    for number, rf in enumerate(card.red_flags):
        detector = RED_FLAG_DETECTORS.get(rf.id)
        groups = [found.cue_hits(len(card.key_points) + number)]
        if detector is not None:
            groups.append(found.detector_hits(detector))
        hits = [h for h in _merge(*groups) if not h.negated]
        if detector is not None and detector.unless:
            hits = [h for h in hits if not found.excluded(detector, h.clause)]
        if _flag_raised(rf, hits, covered_ids, clauses, detections):
            best = max(hits, key=lambda h: h.score)
            flags.append(RedFlagResult(rf.id, rf.label, clauses[best.clause].text, rf.advice))

    total_weight = sum(kp.weight for kp in key_points)
    coverage = (
        sum(kp.weight for kp in key_points if kp.id in covered_ids) / total_weight
        if total_weight
        else 0.0
    )
    lesson_share = _lesson_share(clauses, detections, words)
    return Grade(
        card=card.id,
        deck=card.deck_id,
        key_points=tuple(results),
        red_flags=tuple(flags),
        coverage=coverage,
        words=words,
        speaking_seconds=words / SPEAKING_RATE_WPM * 60.0,
        lesson_share=lesson_share,
        suggested_rating=suggest_rating(card, coverage, covered_ids, flags, words),
        speaking_rate_wpm=SPEAKING_RATE_WPM,
    )


def _best_negated(detection: _Detection) -> float:
    return max((h.score for h in detection.hits), default=0.0)


_BIG_NUMBER = re.compile(
    r"\b(?:hundred|hundreds|thousand|thousands|million|grand|percent|per cent|\d{3,})\b|%"
)
_OWNING = re.compile(
    r"\b(?:but|however|although|still)\b.*\b(?:i should have|the failure was mine|my fault|"
    r"on me|i didnt|my mistake|was mine)\b"
)


# Flags that need corroboration, because their cues also occur in good answers.
def _flag_raised(
    rf: RedFlag,
    hits: list[_Hit],
    covered: set[str],
    clauses: list[_Clause],
    detections: dict[str, _Detection],
) -> bool:
    if not hits:
        return False
    if rf.id == "hypothetical":
        # "These days I would always..." is a lesson applied; an answer is hypothetical when it
        # keeps saying what would happen, or never says what did.
        return len(hits) >= 2 or "failure" not in covered
    if rf.id == "negative":
        # Dwelling is a problem when nothing positive follows it.
        return len(hits) >= 2 or not covered & {"lesson", "applied", "remedy"}
    if rf.id == "blame":
        # "It wasn't my fault that the factory was late, but the failure was mine" owns it.
        def owned(hit: _Hit) -> bool:
            nearby = " ".join(c.norm for c in clauses[hit.clause : hit.clause + 2])
            return bool(_OWNING.search(nearby))

        return any(not owned(h) for h in hits)
    if rf.id == "trivial":
        # A small slip with a large, measured cost is not trivial.
        quantities = detections.get("quantified")
        big = quantities is not None and any(
            _BIG_NUMBER.search(clauses[h.clause].norm + " " + clauses[h.clause].text)
            for h in quantities.positive
        )
        return not big
    return True


def _lesson_share(clauses: list[_Clause], detections: dict[str, _Detection], words: int) -> float:
    """Share of words in the part of the answer about lessons and their later use.

    Each clause belongs to the last key point mentioned at or before it, so the sentences that
    elaborate a lesson count with it.
    """
    if not words:
        return 0.0
    owner: dict[int, str] = {}
    for kp_id, detection in detections.items():
        for hit in detection.positive:
            # The lesson wins a clause shared with another point: it is what the advice measures.
            if hit.clause not in owner or kp_id in LESSON_POINTS:
                owner[hit.clause] = kp_id
    current = None
    lesson_words = 0
    for index, clause in enumerate(clauses):
        current = owner.get(index, current)
        if current in LESSON_POINTS:
            lesson_words += clause.words
    return lesson_words / words


_SEVERE_FLAGS = frozenset({"never-failed", "catastrophic", "non-work", "blame", "humblebrag"})


def suggest_rating(
    card: Card, coverage: float, covered: set[str], flags: list[RedFlagResult], words: int
) -> str:
    """Suggest Again/Hard/Good/Easy from coverage and red flags.

    A severe red flag is Again; any other red flag caps the rating at Hard. A question answered
    without its lesson is at most Hard, since the lesson is what the interviewer is listening for.
    """
    if any(f.id in _SEVERE_FLAGS for f in flags):
        return "again"
    if coverage >= 0.85:
        rating = "easy"
    elif coverage >= 0.55:
        rating = "good"
    elif coverage >= 0.3:
        rating = "hard"
    else:
        rating = "again"
    capped = bool(flags) or (
        any(kp.id == "lesson" for kp in card.key_points) and "lesson" not in covered
    )
    if capped and rating in ("good", "easy"):
        rating = "hard"
    return rating
