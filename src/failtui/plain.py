"""`failtui drill --plain`: the drill line by line, for screen readers, pipes and dumb terminals."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from failtui.corrections import CorrectionError, Marks, parse_marks, still_remembered
from failtui.decks.sources import STORY_DECK_ID
from failtui.models import KEY_POINT, RED_FLAG, Card, Grade, Rating, is_failure_question
from failtui.report import format_seconds, grade_report
from failtui.safefiles import shown
from failtui.scheduling import format_interval
from failtui.session import MAX_ANSWER_CHARS, AnswerTooLong, DrillSession
from failtui.speaking import UnknownIds, checklist, parse_ticks, too_short_note
from failtui.storage.db import DatabaseError
from failtui.textclean import is_empty_answer
from failtui.words import count

#: Prints one line (no argument: an empty line), as ``print`` does.
Say = Callable[..., None]

#: What a rating line may hold: the rating's key or its name.
_RATING_KEYS = {r.key: r.label for r in Rating} | {r.label: r.label for r in Rating}


#: The most characters read for one answer: four times the answer limit. A longer answer is
#: still kept as the card's draft (up to here); endless input (``yes |``, ``< /dev/zero``)
#: stops here instead of filling the memory.
MAX_READ_CHARS = 4 * MAX_ANSWER_CHARS
#: Lines in a row that are not a rating before the drill gives up on the input.
MAX_BAD_RATINGS = 100


class PlainInputError(Exception):
    """Standard input cannot be drilled on; ``partial`` is the answer read so far."""

    def __init__(self, message: str, partial: str = ""):
        super().__init__(message)
        self.partial = partial


class NotText(PlainInputError):
    """Standard input held bytes that are not UTF-8 text."""

    def __init__(self, line: int, partial: str = ""):
        super().__init__("", partial)
        self.line = line

    def __str__(self) -> str:
        # Worded when raised to the user: ``partial`` is filled in after the line is read.
        kept = "; the answer's lines before it are the card's draft" if self.partial.strip() else ""
        return (
            f"standard input, line {self.line}: not UTF-8 text; the drill stopped there "
            f"(ratings before are saved{kept})"
        )


class _Input:
    """Standard input line by line, counting lines, refusing what is not UTF-8 text."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.line = 0

    def readline(self) -> str:
        try:
            # Bounded: a "line" of /dev/zero never ends.
            line = self.stream.readline(MAX_READ_CHARS + 1)
        except UnicodeDecodeError:
            raise NotText(self.line + 1) from None
        if line:
            self.line += 1
        try:
            line.encode("utf-8")  # lone surrogates: bytes a surrogateescape stream let through
        except UnicodeEncodeError:
            raise NotText(self.line) from None
        return line


def _asks_to_stop(text: str) -> bool:
    """Whether an answer (or its first line) is the lone ``q`` that stops the drill."""
    return text.strip().lower() == "q"


def _read_answer(stdin: _Input) -> tuple[str, bool]:
    """Read lines up to one holding only ``.``; returns (answer, reached end of input).

    A first line holding only ``q`` is returned at once, so the drill stops without waiting
    for the ``.`` line.

    Raises:
        NotText: a line is not UTF-8 (the answer so far is in ``partial``).
        PlainInputError: the answer goes past :data:`MAX_READ_CHARS` (the first part is in
            ``partial``).
    """
    lines: list[str] = []
    size = 0
    while True:
        try:
            line = stdin.readline()
        except NotText as exc:
            exc.partial = "\n".join(lines)
            raise
        if not line:
            return "\n".join(lines), True
        if line.rstrip("\r\n") == ".":
            return "\n".join(lines), False
        if not lines and _asks_to_stop(line):
            return line.strip(), False
        lines.append(line.rstrip("\r\n"))
        size += len(line)
        if size > MAX_READ_CHARS:
            raise PlainInputError(
                f"standard input, line {stdin.line}: the answer goes on past "
                f"{MAX_READ_CHARS:,} characters; the drill stopped there (the first "
                f"{MAX_READ_CHARS:,} are kept as the card's draft)",
                "\n".join(lines)[:MAX_READ_CHARS],
            )


@contextmanager
def _keeping(answer: str, say: Say) -> Iterator[None]:
    """If the write fails (disk full, read-only database), print the answer back, so the user
    can copy it: it is not stored anywhere. The error then ends the drill."""
    try:
        yield
    except (DatabaseError, sqlite3.DatabaseError):
        say()
        say("Not saved. Your answer is below, so that it is not lost; copy it somewhere:")
        say("----- your answer -----")
        say(answer)
        say("----- end of your answer -----")
        raise


def _labels(grade: Grade) -> tuple[frozenset[str], frozenset[tuple[str, bool]]]:
    """What a correction can change: the key points covered, and the red flags (and whether
    each is only possible)."""
    return (
        frozenset(kp.id for kp in grade.key_points if kp.covered),
        frozenset((rf.id, rf.tentative) for rf in grade.red_flags),
    )


def _example_ids(card: Card, grade: Grade) -> str:
    """Ids of this card for the reminder of the correction line: a missed key point (or the
    first), then a red flag raised with the ``-`` that dismisses it, or else the card's first
    red flag, which could only be raised."""
    missed = [kp for kp in grade.key_points if not kp.covered] or list(grade.key_points)
    raised = [f"-{rf.id}" for rf in grade.red_flags] or [rf.id for rf in card.red_flags]
    return " ".join([kp.id for kp in missed[:1]] + raised[:1])


def run_plain_drill(
    session: DrillSession, stdin: TextIO, stdout: TextIO, *, speak: bool = False
) -> int:
    """Run the drill until no card is left, the input ends, or the user types ``q``.

    With ``speak`` each answer is said aloud: the time until an empty line is the speaking
    time, then a line of the ids covered or raised labels it. Returns the number of cards rated.
    """

    def say(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    return _drill(session, _Input(stdin), say, speak)


def _drill(session: DrillSession, stdin: _Input, say: Say, speak: bool = False) -> int:
    first = session.next_card()
    if first is None:
        say(nothing_due_text(session))
    while (card := first or session.next_card()) is not None:
        first = None
        say(f"[{card.kind}] {card.deck_id}/{card.id}")
        say(card.prompt)
        if speak:
            outcome = _speak(session, card, stdin, say)
            if outcome is None:
                return len(session.rated)
            say()
            if outcome:
                break
            continue
        draft = session.draft(card)
        if draft:
            say(
                f"(saved draft, {count(len(draft.split()), 'word')}; "
                "it is used if you send an empty answer)"
            )
        say("Type your answer; end it with a line holding only '.' (a lone 'q' stops).")
        try:
            answer, ended = _read_answer(stdin)
        except PlainInputError as exc:
            if not is_empty_answer(exc.partial):
                with _keeping(exc.partial, say):
                    session.save_draft(card, exc.partial)
            raise
        if ended and is_empty_answer(answer):
            break  # the input ended before an answer: nothing to rate (a draft stays a draft)
        if _asks_to_stop(answer):
            # Meant for the rating prompt, or to leave: as an answer it would replace the draft.
            say("Stopped; your draft is kept." if draft else "Stopped.")
            return len(session.rated)
        if is_empty_answer(answer) and draft:
            answer = draft
        elif not is_empty_answer(answer):
            with _keeping(answer, say):
                session.save_draft(card, answer)
        try:
            grade = session.grade(card, answer)
        except AnswerTooLong as exc:
            say(f"Not graded: {exc} (it is kept as the card's draft)")
            if ended:
                break
            continue
        # Red flags the user dismissed on the same clause before are dismissed again.
        model_grade = grade
        remembered, grade = session.apply_remembered(card, answer, model_grade)
        say()
        say(
            grade_report(
                card,
                grade,
                model_grade if remembered else None,
                frozenset(item_id for _kind, item_id in remembered),
            )
        )
        _say_followup(session, card, grade, say)
        say(f"Guidance: {card.answer}")
        outcome = _rate(
            session,
            card,
            answer,
            grade,
            stdin,
            say,
            ended,
            model_grade=model_grade,
            marks=remembered,
        )
        if outcome is None:
            return len(session.rated)
        ended = outcome
        say()
        if ended:
            break
    summary = session.summary()
    say(f"Done: {summary.done} card{'s' * (summary.done != 1)} rated.")
    if summary.next_due is not None and summary.next_card_key is not None:
        say(session.describe_next((summary.next_due, summary.next_card_key)))
    return summary.done


def _speak(session: DrillSession, card: Card, stdin: _Input, say: Say) -> bool | None:
    """One card said aloud: time it, read the ticks, then the rating.

    Returns whether the input has ended (nothing more to read), or None when the user typed
    ``q``. Input that ends before the ticks rates nothing.
    """
    say("Say your answer aloud, then press enter on an empty line.")
    started = session.now()
    while True:
        line = stdin.readline()
        if line == "":
            return True
        if not line.strip():
            break
    seconds = max(0.0, (session.now() - started).total_seconds())
    advice = " (the advice is 2-3 minutes)" if is_failure_question(card) else ""
    say(f"Spoken for {format_seconds(seconds)}{advice}.")
    items = checklist(card)
    say("Key points (type the id if you covered it):")
    for item in items:
        if item.kind == KEY_POINT:
            say(f"  {item.id:<14} {item.label}")
    if any(item.kind == RED_FLAG for item in items):
        say("Red flags (type the id if you raised it):")
        for item in items:
            if item.kind == RED_FLAG:
                say(f"  {item.id:<14} {item.label}")
    say("The ids you covered or raised, on one line (an empty line for none):")
    bad_lines = 0
    while True:
        line = stdin.readline()
        if line == "":
            return True  # the input ended before the ticks: nothing to rate
        try:
            ticked = parse_ticks(line.strip(), card)
            break
        except UnknownIds as exc:
            bad_lines += 1
            if bad_lines >= MAX_BAD_RATINGS:
                raise PlainInputError(
                    f"standard input, line {stdin.line}: {MAX_BAD_RATINGS} lines in a row "
                    "without the ids of this card; the drill stopped there"
                ) from None
            say(f"{shown(str(exc))}; type the line again")
    grade = session.spoken_grade(card, ticked, seconds)
    flags = ", ".join(rf.shown_label for rf in grade.red_flags) or "none"
    say(f"Key points covered: {grade.coverage:.0%}; red flags: {flags}.")
    say(f"Suggested rating: {grade.suggested_rating.capitalize()}")
    short = too_short_note(seconds)
    if short:
        say(short)
    return _rate(
        session, card, "", grade, stdin, say, False, spoken=True, duration_ms=int(seconds * 1000)
    )


def _say_followup(session: DrillSession, card: Card, grade: Grade, say: Say) -> None:
    """The interviewer's follow-up to a failure-question answer that missed a key point."""
    followup = session.followup(card, grade)
    if followup is not None:
        say(f"Follow-up: {followup.prompt}")


def _rate(
    session: DrillSession,
    card: Card,
    answer: str,
    grade: Grade,
    stdin: _Input,
    say: Say,
    ended: bool,
    *,
    spoken: bool = False,
    duration_ms: int | None = None,
    model_grade: Grade | None = None,
    marks: Marks | None = None,
) -> bool | None:
    """Read a rating (correcting the grade first if a line of ids comes) and rate the card.

    ``grade`` is the grade shown; ``model_grade`` the grader's, when ``grade`` already holds
    ``marks`` (red flags dismissed again). Returns whether the input has ended (then nothing
    is rated), or None when the user typed ``q``.
    """
    intervals = session.intervals(card)
    options = "  ".join(
        f"{n} {name.capitalize()} ({format_interval(intervals[name])})"
        for n, name in ((r.key, r.label) for r in Rating)
    )

    def ask_rating(grade: Grade) -> None:
        say(f"Rate: {options}; empty line = {grade.suggested_rating.capitalize()}, q = stop")

    held = session.held_before(card)
    if held is not None:
        from failtui.interview import hold_note

        say(hold_note(held, session.today()))
    ask_rating(grade)
    if grade.key_points or card.red_flags:
        say(f"(To correct the grade first, type ids: {_example_ids(card, grade)})")
    model_grade = model_grade or grade
    remembered = dict(marks or {})
    marks = dict(remembered)
    bad_ratings = 0
    while True:
        line = "" if ended else stdin.readline()
        if line == "":
            # The input ended before a rating: a rating is the user's to give, so none is
            # recorded (an empty *line* is what takes the suggestion).
            kept = "" if spoken else " (your answer is kept as its draft)"
            say(f"The input ended before a rating: the card is not rated{kept}.")
            return True
        choice = line.strip().lower()
        if choice == "q":
            say("Stopped; your draft is saved." if not spoken else "Stopped.")
            return None
        rating = grade.suggested_rating if choice == "" else _RATING_KEYS.get(choice)
        if rating is not None:
            break

        # Not a rating: a line of ids that corrects the grade (``remedy -blame``). Ids keep
        # their case (a deck may spell one with capitals).
        def not_applied(message: str) -> None:
            nonlocal bad_ratings
            bad_ratings += 1
            if bad_ratings >= MAX_BAD_RATINGS:
                raise PlainInputError(
                    f"standard input, line {stdin.line}: {MAX_BAD_RATINGS} lines in a row "
                    "that are not a rating; the drill stopped there (your answer is kept as "
                    "the card's draft)"
                ) from None
            say(message)

        try:
            new_marks = marks | parse_marks(line.strip(), card, model_grade)
        except CorrectionError as exc:
            item = shown(exc.item_id[:80])
            if len(choice.split()) == 1:
                not_applied(
                    f"'{item}' is not a rating, key point or red flag of this card: "
                    f"type 1-4, an empty line, q, or ids ({_example_ids(card, grade)})"
                )
            else:
                not_applied(
                    f"'{item}' is not a key point or red flag of this card; the line was "
                    "not applied: type it again, or rate"
                )
            continue
        regraded = session.correct(card, answer, model_grade, new_marks)
        # No id at all, only what was already marked, or what the grade already says
        # ("-blame" where no blame was raised): reprinting the same grade would hide that.
        if new_marks == marks or _labels(regraded) == _labels(grade):
            not_applied(
                f"'{shown(line.strip()[:80])}' changes nothing: type 1-4, an empty line, q, "
                f"or ids ({_example_ids(card, grade)})"
            )
            continue
        marks = new_marks
        bad_ratings = 0
        grade = regraded
        say()
        say("Corrected:")
        say(grade_report(card, grade, model_grade, still_remembered(remembered, marks)))
        if not spoken:
            _say_followup(session, card, grade, say)
        ask_rating(grade)
    # A spoken answer's labels are the user's own ticks: there is no grader's grade to keep.
    corrected = grade is not model_grade and not spoken
    with _keeping(answer, say):
        session.rate(
            card,
            answer,
            grade,
            rating,
            duration_ms,
            model_grade=model_grade if corrected else None,
            spoken=spoken,
            remembered=still_remembered(remembered, marks),
        )
    # The interval shown is the one applied (counted from the rating), so it is said again as
    # shown: measured afresh it is a moment shorter and may round down (6m shown, 5m said).
    say(f"Rated {rating.capitalize()}; next review in {format_interval(intervals[rating])}.")
    return False  # a rating was read: the input goes on


def nothing_due_text(session: DrillSession) -> str:
    """Why a drill shows nothing (one line): an empty deck and how to add its first card, or
    the cards a daily limit holds back and how to study them (the limits and counts are
    :meth:`DrillSession.held_back`'s)."""
    deck_id = session.deck_id
    if deck_id is not None and not session.catalog.card_ids_by_deck().get(deck_id):
        if deck_id == STORY_DECK_ID:
            how = "write a story in the app (run 'failtui', press e, then s, then n)"
        else:
            how = (
                "write one in the app (run 'failtui', press e, enter on the deck, then n) or "
                f"import some with 'failtui decks import FILE --deck {deck_id}'"
            )
        return f"Nothing to drill: the deck '{deck_id}' has no cards yet; {how}."
    held = session.held_back()
    if not held:
        return "Nothing is due."
    why = "; ".join(f"{limit.reason}; {limit.wait}" for limit in held)
    if any(limit.new for limit in held):
        how = "study them now" if len(held) == 1 else "study the new cards now"
        return f"Nothing is due: {why}. Run 'failtui drill --plain --new' to {how}."
    return (
        f"Nothing is due: {why}. Come back tomorrow, or raise reviews_per_day with "
        "'failtui settings'."
    )
