"""The user's corrections of a grade: the user is the final judge of what an answer shows.

A correction marks a key point covered or missed, or raises or dismisses a red flag. The
corrected grade is a :class:`~failtui.models.Grade` like the grader's, so every screen, report
and statistic reads it the same way; the grader's own grade is kept beside it when stored.

A key point the user marks covered teaches the card: the answer's sentence most like that key
point becomes a *personal cue* of the card (stored by the session), added to the key point's
cues before the next grade. Cues add to the grader's findings (DESIGN.md, "The grade"), so this
needs nothing of the grader but :func:`~failtui.grading.grade_answer` and the cues of a card.

A red flag the user dismisses is remembered the other way: cues never take away, so the grader
raises it again, and the session dismisses it again (:func:`remembered_dismissals`) when it
stands on the same clause retold (:func:`same_clause`). Someone who drills their own story
every day would otherwise dismiss the same false flag every day. The feedback says which flags
were dismissed this way, and one correction raises them again, for good
(:func:`dismissed_clauses`: the user's latest word on a clause holds).

No UI here: the feedback screen and the plain drill both use these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from failtui.models import (
    KEY_POINT,
    RED_FLAG,
    STANDARD_KEY_POINTS,
    Card,
    Correction,
    Grade,
    KeyPointResult,
    RedFlagResult,
    is_failure_question,
)
from failtui.studyday import format_utc
from failtui.textclean import clean_text

if TYPE_CHECKING:
    from datetime import datetime

    from failtui.storage.db import Store
    from failtui.storage.queries import CorrectedAnswer

#: A personal cue longer than this is cut at a word boundary: a run-on answer with no full stop
#: would otherwise teach the whole answer as one cue.
MAX_CUE_CHARS = 300
#: A match of a key point's words this good says something (see :func:`cue_sentence`).
CLOSE_MATCH = 80.0
#: A sentence shorter than this (in words) says too little to be a cue ("Yes.", "So.").
MIN_CUE_WORDS = 3
#: How alike (rapidfuzz ``ratio`` of the processed texts, 0-100) a red flag's clause must be to
#: one the user dismissed that flag on before, for the dismissal to hold again: the same clause
#: retold with a word or so changed, not another clause of the same story. The two must also
#: hold the same negations: "it was my fault" and "it was not my fault" score 88.
SAME_CLAUSE = 90.0

# A sentence ends at . ! or ? followed by a space, or at a line break (bullets, STAR headings).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
_ID_TOKEN = re.compile(r"-?[^\s,;]+")


class CorrectionError(ValueError):
    """A correction line names an id the card lacks; the message is one line naming it."""

    def __init__(self, item_id: str):
        self.item_id = clean_text(item_id)
        super().__init__(f"'{self.item_id}' is not a key point or red flag of this card")


#: The user's marks: (kind, id) -> covered (key point) or raised (red flag).
Marks = Mapping[tuple[str, str], bool]


def parse_marks(line: str, card: Card, grade: Grade) -> dict[tuple[str, str], bool]:
    """Read a line of ids such as ``remedy -blame``.

    An id marks a key point covered or raises a red flag; ``-id`` marks a key point missed or
    dismisses a red flag. Ids are separated by spaces (or commas). An id that is both a key point
    and a red flag of the card is taken as the key point.

    Raises:
        CorrectionError: an id the card (or, for a card without key points, its grade) lacks.
    """
    key_points = {kp.id for kp in grade.key_points}
    red_flags = {rf.id for rf in card.red_flags}
    marks: dict[tuple[str, str], bool] = {}
    for token in _ID_TOKEN.findall(line):
        value = not token.startswith("-")
        item_id = token.lstrip("-")
        if item_id in key_points:
            marks[(KEY_POINT, item_id)] = value
        elif item_id in red_flags:
            marks[(RED_FLAG, item_id)] = value
        else:
            raise CorrectionError(item_id or token)  # a lone "-" is named as typed
    return marks


def sentences(answer: str) -> list[str]:
    """The answer's sentences (or lines), stripped, in order."""
    return [s.strip() for s in _SENTENCE_END.split(answer) if s and s.strip()]


def cue_sentence(card: Card, grade: Grade, key_point_id: str, answer: str) -> str:
    """The sentence of ``answer`` most like a key point, to teach the card as a personal cue.

    Neither the feedback screen nor the plain drill asks the user to point at a sentence (one
    key, or one id, per correction, the same in both), so the sentence is chosen, by in turn:

    1. a sentence that shows the key point by its own words, even when it shows another key
       point too: for a key point that asks for a number (a story's "12,000 customers"), one
       holding that number, in digits or in words; for any other, one whose words match the
       key point's cues, label or hint well (rapidfuzz ``partial_ratio`` on processed text of
       at least :data:`CLOSE_MATCH`; below that, short cues score 50-75 against almost any
       sentence, which says nothing);
    2. its place: an answer tells its parts in about the order the card lists them, so the
       sentence lies between the evidence of the covered key point before it on the card and
       that of the covered one after it (all of the answer when there are none);
    3. a sentence that shows no other key point or red flag (the sentence that showed the
       failure is unlikely to be the remedy the grader missed);
    4. its place again: the closest to where the key point stands in the card's list (the
       remedy, sixth of eight, is most likely about three quarters of the way through);
    5. the best match, then the earlier sentence.

    A detail no sentence shows by its own words teaches nothing, rather than a sentence that
    would credit it wrongly next time: a key point that asks for a number, and on a
    failure-question card any key point but the eight standard ones (a story's details), which
    the card lists after the answer's parts, so its place there says nothing.

    The feedback shows the sentence chosen as the key point's evidence, so the user sees what
    the card learns.

    Returns:
        The sentence, cut to :data:`MAX_CUE_CHARS`; ``""`` when no sentence has
        :data:`MIN_CUE_WORDS` words, or none shows a detail.
    """
    from rapidfuzz import fuzz, utils

    from failtui.grading.cues import quantity_cues
    from failtui.grading.quantities import number_values

    parts = sentences(answer)
    key_point = next((kp for kp in card.key_points if kp.id == key_point_id), None)
    numbers = frozenset().union(*map(number_values, quantity_cues(key_point) if key_point else ()))
    order = [kp.id for kp in grade.key_points]
    results = {kp.id: kp for kp in grade.key_points}
    result = results.get(key_point_id)
    texts = [*(key_point.cues if key_point else ()), result.label if result else ""]
    texts = [utils.default_process(t) for t in (*texts, result.hint if result else "")]
    texts = [t for t in texts if t]

    def where(evidence: str) -> int | None:
        return next((n for n, p in enumerate(parts) if evidence in p or p in evidence), None)

    low, high = 0, len(parts) - 1
    # Where the key point stands in the card's list, 0 (first) to 1 (last); 0.5 if alone.
    at = order.index(key_point_id) if key_point_id in order else len(order) // 2
    expected = at / (len(order) - 1) if len(order) > 1 else 0.5
    if key_point_id in order:
        at = order.index(key_point_id)
        before = [
            n
            for i in order[:at]
            if results[i].covered and (n := where(results[i].evidence)) is not None
        ]
        after = [
            n
            for i in order[at + 1 :]
            if results[i].covered and (n := where(results[i].evidence)) is not None
        ]
        low = before[-1] if before else low
        high = after[0] if after else high
        if low > high:  # the answer tells its parts in another order: no place is known
            low, high = 0, len(parts) - 1
    used = {kp.evidence for kp in grade.key_points if kp.covered and kp.id != key_point_id}
    used = {e for e in used | {rf.evidence for rf in grade.red_flags} if e}
    best: tuple[bool, bool, bool, float, float, int] | None = None
    chosen = ""
    for position, sentence in enumerate(parts):
        if len(sentence.split()) < MIN_CUE_WORDS:
            continue
        processed = utils.default_process(sentence)
        score = max((fuzz.partial_ratio(t, processed) for t in texts), default=0.0)
        shows_it = bool(numbers & number_values(sentence)) if numbers else score >= CLOSE_MATCH
        fresh = not any(sentence in e or e in sentence for e in used)
        place = position / (len(parts) - 1) if len(parts) > 1 else 0.5
        rank = (
            shows_it,
            low <= position <= high,
            fresh,
            -abs(place - expected),
            score,
            -position,
        )
        if best is None or rank > best:
            best, chosen = rank, sentence
    detail = numbers or (is_failure_question(card) and key_point_id not in STANDARD_KEY_POINTS)
    if best is not None and not best[0] and detail:
        return ""
    return _cut(clean_text(chosen))


def _cut(text: str) -> str:
    if len(text) <= MAX_CUE_CHARS:
        return text
    cut = text[:MAX_CUE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def apply_marks(card: Card, answer: str, grade: Grade, marks: Marks) -> Grade:
    """The grade as the user corrected it, with coverage and the suggested rating worked out again.

    ``grade`` is the grader's grade; ``marks`` hold every mark the user made (a mark equal to
    the grader's label changes nothing). A key point marked covered shows the sentence chosen by
    :func:`cue_sentence` as its evidence; a red flag the user raises has no evidence.
    """
    if not marks:
        return grade
    key_points = []
    for kp in grade.key_points:
        covered = marks.get((KEY_POINT, kp.id), kp.covered)
        if covered == kp.covered:
            key_points.append(kp)
        elif covered:
            evidence = cue_sentence(card, grade, kp.id, answer)
            key_points.append(replace(kp, covered=True, score=100.0, evidence=evidence))
        else:
            key_points.append(replace(kp, covered=False, score=0.0, evidence=""))
    raised = {rf.id: rf for rf in grade.red_flags}
    red_flags = []
    for rf in card.red_flags:
        mark = marks.get((RED_FLAG, rf.id))
        if not (rf.id in raised if mark is None else mark):
            continue
        flag = raised.get(rf.id) or RedFlagResult(rf.id, rf.label, "", rf.advice)
        if mark and flag.tentative:
            flag = replace(flag, tentative=False)  # the user confirms a possible flag
        red_flags.append(flag)
    return _regraded(card, grade, tuple(key_points), tuple(red_flags))


def _regraded(
    card: Card,
    grade: Grade,
    key_points: tuple[KeyPointResult, ...],
    red_flags: tuple[RedFlagResult, ...],
) -> Grade:
    total = sum(kp.weight for kp in key_points)
    coverage = sum(kp.weight for kp in key_points if kp.covered) / total if total else 0.0
    # The grader's own rules, applied to the corrected labels. On a card the model grades, the
    # verdict follows the labelling guide from the user's labels when the user changed what the
    # verdict rests on (the failure, its consequence, the takeaway, a red flag); a change to
    # the setting, the task, the number or the later use keeps the model's verdict.
    from failtui.grading.verdict import VERDICT_LABELS, guide_verdict, suggest_rating

    covered = {kp.id for kp in key_points if kp.covered}
    flags = [rf.id for rf in red_flags]
    verdict = grade.good_probability
    before = {kp.id for kp in grade.key_points if kp.covered} | {rf.id for rf in grade.red_flags}
    changed = (covered | set(flags)) ^ before
    if verdict is not None and changed & VERDICT_LABELS:
        verdict = guide_verdict(covered, flags)
    rating = suggest_rating(
        coverage,
        covered,
        flags,
        good_probability=verdict,
        lesson_expected=any(kp.id == "lesson" for kp in card.key_points),
        tentative=[rf.id for rf in red_flags if rf.tentative],
        speaking_seconds=grade.speaking_seconds,
    )
    return replace(
        grade,
        key_points=key_points,
        red_flags=red_flags,
        coverage=coverage,
        suggested_rating=rating,
        good_probability=verdict,
        lesson_share=_corrected_lesson_share(grade, key_points),
    )


def _corrected_lesson_share(grade: Grade, key_points: tuple[KeyPointResult, ...]) -> float:
    """The share of the answer spent on lessons, as the corrected key points leave it.

    The grader counts the sentences it reads as the lesson or its later use (``LESSON_POINTS``).
    Once the user says which of those the answer covers, the share follows: none covered, no
    lesson part; one marked covered where the grader found no lesson part, its evidence
    sentence. Otherwise the user left the lesson as graded, and so is its share.
    """
    from failtui.grading.labels import LESSON_POINTS

    def lessons(points: Iterable[KeyPointResult]) -> set[str]:
        return {kp.id for kp in points if kp.covered and kp.id in LESSON_POINTS}

    now = lessons(key_points)
    if now == lessons(grade.key_points):
        return grade.lesson_share
    if not now:
        return 0.0
    if grade.lesson_share or not grade.words:
        return grade.lesson_share
    said = sum(len(kp.evidence.split()) for kp in key_points if kp.id in now)
    return min(1.0, said / grade.words)


def corrections_between(model: Grade, corrected: Grade) -> tuple[Correction, ...]:
    """Every item the user labelled differently from the grader, key points first."""
    found = []
    by_id = {kp.id: kp for kp in model.key_points}
    for kp in corrected.key_points:
        before = by_id.get(kp.id)
        if before is not None and before.covered != kp.covered:
            cue = kp.evidence if kp.covered else ""
            found.append(Correction(KEY_POINT, kp.id, kp.label, before.covered, kp.covered, cue))
    model_flags = {rf.id: rf for rf in model.red_flags}
    user_flags = {rf.id: rf for rf in corrected.red_flags}
    for rf_id in [*model_flags, *(i for i in user_flags if i not in model_flags)]:
        if (rf_id in model_flags) != (rf_id in user_flags):
            rf = model_flags.get(rf_id) or user_flags[rf_id]
            found.append(
                Correction(RED_FLAG, rf_id, rf.label, rf_id in model_flags, rf_id in user_flags)
            )
    return tuple(found)


def dismissed_clauses(history: Iterable[tuple[str, str, bool]]) -> dict[str, tuple[str, ...]]:
    """The clauses each red flag stays dismissed on, from a card's history of flags raised by
    the grader, oldest first: (red flag id, clause, whether the user kept it).

    The user's latest word on a clause holds: a flag kept (or raised again) on a clause like one
    dismissed before ends that dismissal. A dismissal on a clause like one already dismissed
    adds nothing, so the session's own repeats never move the clause away from the one the
    user judged.
    """
    dated = _dated_dismissals((flag, clause, kept, "") for flag, clause, kept in history)
    return {flag: tuple(clause for clause, _at in clauses) for flag, clauses in dated.items()}


def _dated_dismissals(
    history: Iterable[tuple[str, str, bool, str]],
) -> dict[str, list[tuple[str, str]]]:
    """:func:`dismissed_clauses` from a history whose events say when, last: each clause with
    when the user first dismissed it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for flag, clause, kept, at in history:
        clauses = found.setdefault(flag, [])
        # The very clause matches too (same_clause finds none in a clause of no words).
        matching = [c for c in clauses if c[0] == clause or same_clause(clause, c[0])]
        if kept:
            clauses[:] = [c for c in clauses if c not in matching]
        elif not matching:
            clauses.append((clause, at))
    return {flag: clauses for flag, clauses in found.items() if clauses}


def remembered_dismissals(
    grade: Grade, dismissed: Mapping[str, Iterable[str]]
) -> dict[tuple[str, str], bool]:
    """Marks that dismiss again each red flag of ``grade`` the user dismissed before.

    ``dismissed`` holds, by red flag id, the clauses the user dismissed it on (on earlier
    answers to the same card, :func:`dismissed_clauses`). A flag is dismissed again only when
    the clause it stands on now is one of them retold (:func:`same_clause`): a flag raised on
    another clause is another judgement, and the user sees it.
    """
    marks: dict[tuple[str, str], bool] = {}
    for rf in grade.red_flags:
        if rf.evidence and any(same_clause(rf.evidence, s) for s in dismissed.get(rf.id, ())):
            marks[(RED_FLAG, rf.id)] = False
    return marks


def same_clause(one: str, other: str) -> bool:
    """Whether two clauses are the same one retold: within :data:`SAME_CLAUSE`, with the same
    negations ("not", "never", "didn't" ...)."""
    from rapidfuzz import fuzz

    from failtui.grading.clauses import normalize
    from failtui.grading.features import NEGATORS

    a, b = normalize(one), normalize(other)
    if not a or NEGATORS.intersection(a.split()) != NEGATORS.intersection(b.split()):
        return False
    return bool(fuzz.ratio(a, b, score_cutoff=SAME_CLAUSE))


def dismissed_flags(
    model: Grade, grade: Grade, remembered: frozenset[str] = frozenset()
) -> tuple[list[RedFlagResult], list[RedFlagResult]]:
    """The grader's red flags that ``grade`` (the user's) leaves out: those the user dismissed
    on this answer, then those dismissed again (ids in ``remembered``)."""
    raised = {rf.id for rf in grade.red_flags}
    left_out = [rf for rf in model.red_flags if rf.id not in raised]
    return (
        [rf for rf in left_out if rf.id not in remembered],
        [rf for rf in left_out if rf.id in remembered],
    )


def still_remembered(remembered: Marks, marks: Marks) -> frozenset[str]:
    """The ids of the red flags of ``remembered`` (:func:`remembered_dismissals`) that the
    user's ``marks`` still dismiss: one the user raised again is the user's own mark now."""
    return frozenset(
        item for (kind, item), mark in remembered.items() if marks.get((kind, item)) == mark
    )


def with_personal_cues(card: Card, cues: Mapping[str, Iterable[str]]) -> Card:
    """The card with the user's personal cues added to its key points' cues (by key point id).

    Cues of key points the card no longer has are left out; a cue the key point already has is
    not added twice. Returns ``card`` itself when nothing is added.
    """
    if not cues:
        return card
    key_points = []
    changed = False
    for kp in card.key_points:
        extra = tuple(c for c in dict.fromkeys(cues.get(kp.id, ())) if c not in kp.cues)
        if extra:
            changed = True
            key_points.append(replace(kp, cues=kp.cues + extra))
        else:
            key_points.append(kp)
    return replace(card, key_points=tuple(key_points)) if changed else card


@dataclass(frozen=True)
class Learnt:
    """What the user's corrections taught a card, as ``failtui cues`` lists it: a personal cue
    of a key point, or a red flag that stays dismissed on a clause (:func:`dismissed_clauses`)."""

    #: Its place in ``failtui cues`` (every card's, from 1), which ``failtui cues forget`` takes.
    number: int
    card_key: str
    kind: str  # KEY_POINT (a personal cue) or RED_FLAG (a remembered dismissal)
    item_id: str
    sentence: str
    #: When the rating that taught it was given (stored UTC text).
    taught_at: str
    #: A personal cue's row id, which forgetting it deletes (None for a dismissal).
    cue_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``failtui cues --json`` form."""
        deck, _, card = self.card_key.partition("/")
        return {
            "number": self.number,
            "deck": deck,
            "card": card,
            "kind": self.kind,
            "id": self.item_id,
            "sentence": self.sentence,
            "taught_at": self.taught_at,
        }


class UnknownCueError(LookupError):
    """``failtui cues forget`` was given numbers ``failtui cues`` does not list; the message
    names them."""

    def __init__(self, numbers: Iterable[int]):
        self.numbers = tuple(numbers)
        listed = ", ".join(map(str, self.numbers))
        super().__init__(
            f"no cue or dismissal numbered {listed} ('failtui cues' lists them); nothing was "
            "forgotten"
        )


def learnt(store: Store, card_key: str | None = None) -> list[Learnt]:
    """Every card's personal cues then remembered dismissals, by card, oldest first, numbered
    from 1 in that order (or one card's, with the numbers they have among every card's: a
    number names one thing however the list was asked for)."""
    from failtui.storage import queries

    found: dict[str, list[Learnt]] = {}
    for cue in queries.personal_cue_rows(store):
        found.setdefault(cue.card_key, []).append(
            Learnt(
                0, cue.card_key, KEY_POINT, cue.key_point_id, cue.cue, cue.created_at, cue.row_id
            )
        )
    for key in queries.cards_with_dismissed_flags(store):
        history = queries.dated_red_flag_history(store, key)
        for flag, clauses in _dated_dismissals(history).items():
            found.setdefault(key, []).extend(
                Learnt(0, key, RED_FLAG, flag, clause, at) for clause, at in clauses
            )
    every = [item for key in sorted(found) for item in found[key]]
    numbered = [replace(item, number=n) for n, item in enumerate(every, 1)]
    return [item for item in numbered if card_key is None or item.card_key == card_key]


def forget(store: Store, numbers: Iterable[int], now: datetime) -> list[Learnt]:
    """Forget what ``failtui cues`` lists at these numbers, all or none: a personal cue no longer
    credits its key point, and a red flag is no longer dismissed again on that clause (until
    the user dismisses it there again).

    Raises:
        UnknownCueError: some number is not listed (nothing is forgotten).
    """
    from failtui.storage import queries

    listed = {item.number: item for item in learnt(store)}
    wanted = list(dict.fromkeys(numbers))
    missing = [n for n in wanted if n not in listed]
    if missing:
        raise UnknownCueError(missing)
    chosen = [listed[n] for n in wanted]
    queries.forget_learnt(
        store,
        [item.cue_id for item in chosen if item.cue_id is not None],
        [(item.card_key, item.item_id, item.sentence) for item in chosen if item.kind == RED_FLAG],
        format_utc(now),
    )
    return chosen


def forget_card(store: Store, card_key: str, now: datetime) -> list[Learnt]:
    """Forget everything ``failtui cues`` lists for a card (see :func:`forget`)."""
    return forget(store, [item.number for item in learnt(store, card_key)], now)


def export_record(answer: CorrectedAnswer, card: Card | None) -> dict[str, Any]:
    """One line of ``failtui corrections export``: the card, the answer, and for each key point
    and red flag the grader's label (``model``) and the user's (``user``).

    Key points are those graded, in the card's order. Red flags are every red flag of the card
    (a flag neither raised is false in both), then any the card no longer has. A flag the grader
    raised only as a possible one also has ``"tentative": true``, and one the user left possible
    (neither confirmed nor dismissed) ``"user_tentative": true``, so a contributor can tell
    doubtful labels from sure ones; a flag dismissed again because the user dismissed it on the
    same clause of an earlier answer has ``"user_remembered": true``. Ids are the card's own,
    so the failure question's are the eight standard ones the corpus uses.
    """
    user_points = {kp["id"]: kp for kp in answer.grade["key_points"]}
    key_points = []
    for kp in answer.model_grade["key_points"]:
        user = user_points.get(kp["id"], kp)
        key_points.append(
            {
                "id": kp["id"],
                "label": kp["label"],
                "model": bool(kp["covered"]),
                "user": bool(user["covered"]),
                "evidence": user["evidence"] if user["covered"] else "",
            }
        )
    model_flags = {rf["id"]: rf for rf in answer.model_grade["red_flags"]}
    user_flags = {rf["id"]: rf for rf in answer.grade["red_flags"]}
    remembered = {c.item_id for c in answer.corrections if c.kind == RED_FLAG and c.remembered}
    labels = {rf.id: rf.label for rf in card.red_flags} if card is not None else {}
    for flags in (model_flags, user_flags):
        for rf_id, rf in flags.items():
            labels.setdefault(rf_id, rf["label"])
    red_flags = []
    for rf_id, label in labels.items():
        record = {"id": rf_id, "label": label, "model": rf_id in model_flags}
        if model_flags.get(rf_id, {}).get("tentative"):
            record["tentative"] = True
        record["user"] = rf_id in user_flags
        if user_flags.get(rf_id, {}).get("tentative"):
            record["user_tentative"] = True
        if rf_id in remembered:
            record["user_remembered"] = True
        red_flags.append(record)
    _deck, _, card_id = answer.card_key.partition("/")
    return {
        "deck": answer.deck_id,
        "card": card_id,
        "question": card.prompt if card is not None else None,
        "answered_at": answer.answered_at,
        "answer": answer.answer,
        "key_points": key_points,
        "red_flags": red_flags,
    }
