"""Plain-text renderings of a grade, shared by `failtui grade` and the plain drill."""

from __future__ import annotations

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
    """One line comparing speaking time and lesson share with the advice."""
    low, high = ADVISED_SECONDS
    if grade.speaking_seconds < low:
        length = "short of the advised 2-3 minutes"
    elif grade.speaking_seconds > high:
        length = "over the advised 2-3 minutes"
    else:
        length = "within the advised 2-3 minutes"
    lesson = "over" if grade.lesson_share > ADVISED_LESSON_SHARE else "under"
    return (
        f"{count(grade.words, 'word')}, "
        f"about {format_seconds(grade.speaking_seconds)} spoken ({length}); "
        f"lessons {grade.lesson_share:.0%} of the answer ({lesson} the advised half)"
    )


def grade_report(card: Card, grade: Grade) -> str:
    """A readable report: every key point covered or missed, red flags with advice, the rating."""
    lines = [f"{card.key}: {card.prompt}", ""]
    lines.append(f"Key points ({grade.coverage:.0%} covered):")
    for kp in grade.key_points:
        if kp.covered:
            lines.append(f'  [x] {kp.label}  - "{kp.evidence}"')
        else:
            hint = f"  ({kp.hint})" if kp.hint else ""
            lines.append(f"  [ ] {kp.label}  - missed{hint}")
    if grade.red_flags:
        lines.append("Red flags:")
        for rf in grade.red_flags:
            lines.append(f'  (!) {rf.label}  - "{rf.evidence}"')
            if rf.advice:
                lines.append(f"      {rf.advice}")
    else:
        lines.append("Red flags: none")
    if is_failure_question(card):
        lines.append(speaking_advice(grade))
    lines.append(f"Suggested rating: {grade.suggested_rating.capitalize()}")
    # Evidence quotes the answer as given, which may hold terminal escapes: none reach stdout.
    return clean_text("\n".join(lines))
