"""Plain-text renderings of a grade, shared by `failtui grade` and the plain drill."""

from __future__ import annotations

from failtui.corrections import dismissed_flags
from failtui.grading.verdict import LONGEST_EASY_SECONDS
from failtui.models import (
    ADVISED_LESSON_SHARE,
    ADVISED_SECONDS,
    Card,
    Grade,
    is_failure_question,
)
from failtui.textclean import clean_text
from failtui.words import count


def format_seconds(seconds: float) -> str:
    """``95`` -> ``1:35``."""
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def speaking_advice(grade: Grade) -> str:
    """One line comparing speaking time and lesson share with the advice (for an answer said
    aloud, the time measured only: its words are not known)."""
    low, high = ADVISED_SECONDS
    if grade.speaking_seconds < low:
        length = "short of the advised 2-3 minutes"
    elif grade.speaking_seconds > LONGEST_EASY_SECONDS:
        length = "far over the advised 2-3 minutes: at most Good"
    elif grade.speaking_seconds > high:
        length = "over the advised 2-3 minutes"
    else:
        length = "within the advised 2-3 minutes"
    if grade.words == 0 and grade.speaking_seconds > 0:
        return f"said aloud in {format_seconds(grade.speaking_seconds)} ({length})"
    lesson = "over" if grade.lesson_share > ADVISED_LESSON_SHARE else "under"
    return (
        f"{count(grade.words, 'word')}, "
        f"about {format_seconds(grade.speaking_seconds)} spoken ({length}); "
        f"lessons {grade.lesson_share:.0%} of the answer ({lesson} the advised half)"
    )


def grade_report(
    card: Card,
    grade: Grade,
    model_grade: Grade | None = None,
    remembered: frozenset[str] = frozenset(),
) -> str:
    """A readable report: every key point covered or missed, red flags with advice, the rating.

    With ``model_grade`` (the grader's, when ``grade`` is the user's correction of it), each
    item the user changed says so, and red flags the user dismissed are listed; those in
    ``remembered`` were dismissed again because the user dismissed them on the same sentence
    before, and say so (typing the id raises one again).
    """
    model_covered = {kp.id: kp.covered for kp in (model_grade or grade).key_points}
    model_flags = {rf.id: rf for rf in (model_grade or grade).red_flags}
    lines = [f"{card.key}: {card.prompt}", ""]
    lines.append(f"Key points ({grade.coverage:.0%} covered):")
    for kp in grade.key_points:
        yours = "  (your correction)" if model_covered.get(kp.id, kp.covered) != kp.covered else ""
        if kp.covered:
            number = f" ({kp.number})" if kp.number else ""
            evidence = f'  - "{kp.evidence}"' if kp.evidence else ""
            lines.append(f"  [x] {kp.label}{number}{evidence}{yours}")
        else:
            hint = f"  ({kp.hint})" if kp.hint else ""
            lines.append(f"  [ ] {kp.label}  - missed{hint}{yours}")
    if grade.red_flags:
        lines.append("Red flags:")
        for rf in grade.red_flags:
            if rf.id in model_flags:
                lines.append(f'  (!) {rf.shown_label}  - "{rf.evidence}"')
            else:
                lines.append(f"  (!) {rf.label}  (your correction)")
            if rf.advice:
                lines.append(f"      {rf.advice}")
    else:
        lines.append("Red flags: none")
    now, again = dismissed_flags(model_grade or grade, grade, remembered)
    if now:
        lines.append(f"Dismissed by you: {', '.join(rf.label for rf in now)}")
    for rf in again:
        lines.append(
            f'Dismissed again: {rf.label}  - "{rf.evidence}" (you dismissed it on this '
            f"sentence before; type {rf.id} to raise it)"
        )
    if is_failure_question(card):
        lines.append(speaking_advice(grade))
    lines.append(f"Suggested rating: {grade.suggested_rating.capitalize()}")
    # Evidence quotes the answer as given, which may hold terminal escapes: none reach stdout.
    return clean_text("\n".join(lines))
