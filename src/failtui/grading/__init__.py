"""Grade an answer against a card: key points covered, red flags raised, a suggested rating.

On a failure-question card (a question card using the standard ids of DESIGN.md) a trained
model decides the standard key points and red flags (:mod:`.model`); the card's own cues add
to it. Every other key point is matched by its cues, label and hint (:mod:`.cues`). Everything
here is pure: no database, no UI, no clock. The model loads on the first grade (or earlier,
from :func:`load_in_advance`), never at import.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from failtui.grading.clauses import Clause, split_clauses
from failtui.grading.cues import (
    Hit,
    cue_hits,
    guidance_hits,
    guidance_key_points,
    meaning_hits,
    merge,
)
from failtui.grading.labels import KEY_POINTS, LESSON_POINTS, MODEL_LABELS, RED_FLAGS
from failtui.grading.quantities import damage_number
from failtui.grading.verdict import suggest_rating
from failtui.models import (
    SPEAKING_RATE_WPM,
    Card,
    Grade,
    KeyPoint,
    KeyPointResult,
    RedFlagResult,
    is_failure_question,
)

if TYPE_CHECKING:
    from failtui.grading.model import Model, Scores

__all__ = ["clear_caches", "grade_answer", "load_in_advance", "split_clauses", "suggest_rating"]


def load_in_advance() -> None:
    """Load the model now (numpy and ``model.npz``, about a tenth of a second), so that the
    first key typed in a drill is graded without waiting for it. Meant for a worker thread: a
    grade that comes meanwhile waits for this reading instead of starting its own. A model
    that fails to load is left for that first grade to report, as it would have without this."""
    from failtui.grading.model import load_model

    try:
        load_model()
    except Exception:  # the first grade reports it, where it used to be
        return


def clear_caches() -> None:
    """Forget every clause seen so far (to time a cold grade; grades never depend on it).

    Word stems and compiled cues are kept: they do not depend on the answer.
    """
    from failtui.grading import clauses, cues, features, model

    clauses.make_clause.cache_clear()
    features.clause_features.cache_clear()
    cues._norm_stems.cache_clear()
    cues._digits_norm.cache_clear()
    cues.clause_words.cache_clear()
    if model.model_loaded():
        model.load_model().forget_clauses()


def _positive(hits: list[Hit]) -> Hit | None:
    return max((h for h in hits if not h.negated), key=lambda h: h.score, default=None)


def grade_answer(card: Card, answer: str, model: Model | None = None) -> Grade:
    """Grade ``answer`` against ``card``.

    Args:
        card: the card answered; a card without key points is graded against its guidance.
        answer: the text the user typed (any length, any punctuation).
        model: the model to use instead of the shipped one (training compares models with it).

    Returns:
        A :class:`~failtui.models.Grade`, as printed by ``failtui grade --json``.
    """
    clauses = split_clauses(answer)
    words = sum(c.words for c in clauses)
    derived = not card.key_points
    key_points = card.key_points or guidance_key_points(card.answer)
    scores = None
    if is_failure_question(card) and clauses:
        if model is None:
            from failtui.grading.model import load_model

            model = load_model()
        scores = model.score(clauses, words)

    results = [_key_point_result(kp, clauses, scores, derived) for kp in key_points]
    results = _quantified_needs_a_number(results, clauses, scores)

    flags: list[RedFlagResult] = []
    for rf in card.red_flags:
        hit = _positive(cue_hits(rf.cues, clauses))
        probability = None
        tentative = False
        if scores is not None and rf.id in RED_FLAGS:
            probability = scores.probability[rf.id]
            if hit is None and scores.present[rf.id]:
                hit = Hit(scores.evidence(rf.id), 100 * probability, False)
                tentative = scores.tentative.get(rf.id, False)
        if hit is not None:
            flags.append(
                RedFlagResult(
                    rf.id, rf.label, clauses[hit.clause].text, rf.advice, probability, tentative
                )
            )

    total_weight = sum(kp.weight for kp in key_points)
    speaking_seconds = words / SPEAKING_RATE_WPM * 60.0
    covered_ids = {r.id for r in results if r.covered}
    coverage = (
        sum(kp.weight for kp in key_points if kp.id in covered_ids) / total_weight
        if total_weight
        else 0.0
    )
    verdict = scores.good if scores is not None else None
    if verdict is None and is_failure_question(card):
        verdict = 0.0  # a failure-question card answered with nothing: nothing to accept
    return Grade(
        card=card.id,
        deck=card.deck_id,
        key_points=tuple(results),
        red_flags=tuple(flags),
        coverage=coverage,
        words=words,
        speaking_seconds=speaking_seconds,
        lesson_share=_lesson_share(clauses, results, scores, words),
        suggested_rating=suggest_rating(
            coverage,
            covered_ids,
            [f.id for f in flags],
            good_probability=verdict,
            tentative=[f.id for f in flags if f.tentative],
            lesson_expected=any(kp.id == "lesson" for kp in key_points),
            speaking_seconds=speaking_seconds,
        ),
        speaking_rate_wpm=SPEAKING_RATE_WPM,
        good_probability=verdict,
    )


def _key_point_result(
    kp: KeyPoint, clauses: list[Clause], scores: Scores | None, derived: bool
) -> KeyPointResult:
    """One key point: found by the card's cues (and label and hint, or guidance), and on a
    failure-question card by the model too; the evidence is the clause that shows it best."""
    modelled = scores is not None and kp.id in KEY_POINTS
    if derived:
        hits = guidance_hits(kp.cues, clauses) if clauses else []
    elif modelled:
        # The card's own cues add to the model, which finds the point in words no cue lists.
        hits = cue_hits(kp.cues, clauses)
    else:
        hits = merge(cue_hits(kp.cues, clauses), meaning_hits(kp, clauses))
    best = _positive(hits)
    covered = best is not None
    score = best.score if best else max((h.score for h in hits), default=0.0)
    evidence = clauses[best.clause].text if best else ""
    probability = None
    if modelled and scores is not None:
        probability = scores.probability[kp.id]
        if scores.present[kp.id] and not covered:
            covered, score = True, 100 * probability
            evidence = clauses[scores.evidence(kp.id)].text
        elif not covered:
            score = 100 * probability
    return KeyPointResult(
        id=kp.id,
        label=kp.label,
        covered=covered,
        score=score,
        evidence=evidence,
        hint=kp.hint,
        weight=kp.weight,
        probability=probability,
    )


def _quantified_needs_a_number(
    results: list[KeyPointResult], clauses: list[Clause], scores: Scores | None
) -> list[KeyPointResult]:
    """``quantified`` is a number that measures described damage: never covered without
    ``impact``. A covered ``quantified`` names its number: its evidence's, or else the number of
    the clause the model scores highest among those holding one that does not set the scene
    ("two years ago"; without a model, the first such clause), which becomes the evidence; with
    no such clause it is not covered."""
    impact = next((r for r in results if r.id == "impact"), None)
    out = []
    for r in results:
        if r.id == "quantified" and r.covered:
            if impact is not None and not impact.covered:
                r = replace(r, covered=False, evidence="")
            elif number := damage_number(r.evidence):
                r = replace(r, number=number)
            else:
                r = _number_from_another_clause(r, clauses, scores)
        out.append(r)
    return out


def _number_from_another_clause(
    result: KeyPointResult, clauses: list[Clause], scores: Scores | None
) -> KeyPointResult:
    numbers = {i: n for i, c in enumerate(clauses) if (n := damage_number(c.text, scene=False))}
    if not numbers:
        return replace(result, covered=False, evidence="")
    best = scores.evidence("quantified", among=list(numbers)) if scores else min(numbers)
    return replace(result, evidence=clauses[best].text, number=numbers[best])


def _lesson_share(
    clauses: list[Clause], results: list[KeyPointResult], scores: Scores | None, words: int
) -> float:
    """Share of words in the part of the answer about lessons and their later use.

    Each clause belongs to the key point it shows most clearly, or else to the one before it,
    so the sentences that elaborate a lesson count with it.
    """
    if not words:
        return 0.0
    shown: dict[int, str] = {}
    if scores is not None:
        import numpy as np

        key_point_scores = scores.clause_scores[:, [MODEL_LABELS.index(k) for k in KEY_POINTS]]
        best = key_point_scores.argmax(axis=1).tolist()
        for index in np.flatnonzero(key_point_scores.max(axis=1) > 0).tolist():
            shown[index] = KEY_POINTS[best[index]]
    evidence = {r.evidence: r.id for r in results if r.covered and r.evidence}
    for index, clause in enumerate(clauses):
        if clause.text in evidence and evidence[clause.text] in LESSON_POINTS:
            shown[index] = evidence[clause.text]
    current = None
    lesson_words = 0
    for index, clause in enumerate(clauses):
        current = shown.get(index, current)
        if current in LESSON_POINTS:
            lesson_words += clause.words
    return lesson_words / words
