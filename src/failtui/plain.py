"""`failtui drill --plain`: the drill line by line, for screen readers, pipes and dumb terminals."""

from __future__ import annotations

from typing import TextIO

from failtui.corrections import CorrectionError, parse_marks
from failtui.models import Card, Grade
from failtui.report import grade_report
from failtui.scheduling import format_interval
from failtui.session import AnswerTooLong, DrillSession
from failtui.words import count

_RATING_KEYS = {"1": "again", "2": "hard", "3": "good", "4": "easy"}
_RATING_KEYS |= {name: name for name in _RATING_KEYS.values()}


def _read_answer(stdin: TextIO) -> tuple[str, bool]:
    """Read lines up to one holding only ``.``; returns (answer, reached end of input)."""
    lines = []
    for line in stdin:
        if line.rstrip("\r\n") == ".":
            return "\n".join(lines), False
        lines.append(line.rstrip("\r\n"))
    return "\n".join(lines), True


def _example_ids(card: Card, grade: Grade) -> str:
    """Ids of this card for the reminder of the correction line: a missed key point (or the
    first), then a red flag raised (or the card's first) with the ``-`` that dismisses it."""
    missed = [kp for kp in grade.key_points if not kp.covered] or list(grade.key_points)
    flags = list(grade.red_flags) or list(card.red_flags)
    return " ".join([kp.id for kp in missed[:1]] + [f"-{rf.id}" for rf in flags[:1]])


def run_plain_drill(session: DrillSession, stdin: TextIO, stdout: TextIO) -> int:
    """Run the drill until no card is left, the input ends, or the user types ``q``.

    Returns the number of cards rated.
    """

    def say(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    first = session.next_card()
    if first is None:
        say(nothing_due_text(session))
    while (card := first or session.next_card()) is not None:
        first = None
        say(f"[{card.kind}] {card.deck_id}/{card.id}")
        say(card.prompt)
        draft = session.draft(card)
        if draft:
            say(
                f"(saved draft, {count(len(draft.split()), 'word')}; "
                "it is used if you send an empty answer)"
            )
        say("Type your answer; end it with a line holding only '.'.")
        answer, ended = _read_answer(stdin)
        if ended and not answer.strip() and not draft:
            break  # the input ended before an answer: nothing to rate
        if not answer.strip() and draft:
            answer = draft
        elif answer.strip():
            session.save_draft(card, answer)
        try:
            grade = session.grade(card, answer)
        except AnswerTooLong as exc:
            say(f"Not graded: {exc} (it is kept as the card's draft)")
            if ended:
                break
            continue
        say()
        say(grade_report(card, grade))
        say(f"Guidance: {card.answer}")
        intervals = session.intervals(card)
        options = "  ".join(
            f"{n} {name.capitalize()} ({format_interval(intervals[name])})"
            for n, name in (("1", "again"), ("2", "hard"), ("3", "good"), ("4", "easy"))
        )

        def ask_rating(grade: Grade, options: str = options) -> None:
            say(f"Rate: {options}; empty line = {grade.suggested_rating.capitalize()}, q = stop")

        ask_rating(grade)
        if grade.key_points or card.red_flags:
            say(f"(To correct the grade first, type ids: {_example_ids(card, grade)})")
        model_grade, marks = grade, {}
        while True:
            line = "" if ended else stdin.readline()
            if line == "" and not ended:
                ended = True  # end of input: take the suggestion, then stop
            choice = line.strip().lower()
            if choice == "q":
                say("Stopped; your draft is saved.")
                return len(session.rated)
            rating = grade.suggested_rating if choice == "" else _RATING_KEYS.get(choice)
            if rating is not None:
                break
            # Not a rating: a line of ids that corrects the grade (``remedy -blame``).
            try:
                marks |= parse_marks(choice, card, model_grade)
            except CorrectionError as exc:
                if len(choice.split()) == 1:
                    say(
                        f"'{exc.item_id}' is not a rating, key point or red flag of this card: "
                        f"type 1-4, an empty line, q, or ids ({_example_ids(card, grade)})"
                    )
                else:
                    say(f"{exc}; the line was not applied: type it again, or rate")
                continue
            grade = session.correct(card, answer, model_grade, marks)
            say()
            say("Corrected:")
            say(grade_report(card, grade, model_grade))
            ask_rating(grade)
        corrected = grade is not model_grade
        rated = session.rate(
            card, answer, grade, rating, model_grade=model_grade if corrected else None
        )
        say(
            f"Rated {rating.capitalize()}; "
            f"next review in {format_interval(rated.due - session.now())}."
        )
        say()
        if ended:
            break
    summary = session.summary()
    say(f"Done: {summary.done} card{'s' * (summary.done != 1)} rated.")
    if summary.next_due is not None:
        say(session.describe_next((summary.next_due, summary.next_card_key)))
    return summary.done


def nothing_due_text(session: DrillSession) -> str:
    """Why a drill shows nothing, and how to study held-back new cards (one line)."""
    held = session.held_new_count()
    if not held:
        return "Nothing is due."
    return (
        f"Nothing is due: {session.new_limit_reason()}; {held} new card{'s' * (held != 1)} "
        "wait. Run 'failtui drill --plain --new' to study them now."
    )
