"""`failtui drill --plain`: the drill line by line, for screen readers, pipes and dumb terminals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from failtui.report import grade_report
from failtui.safefiles import shown
from failtui.scheduling import format_interval
from failtui.session import AnswerTooLong, DrillSession
from failtui.storage.db import DatabaseError

_RATING_KEYS = {"1": "again", "2": "hard", "3": "good", "4": "easy"}
_RATING_KEYS |= {name: name for name in _RATING_KEYS.values()}


class NotText(Exception):
    """Standard input held bytes that are not UTF-8 text; ``partial`` is the answer read so far."""

    def __init__(self, line: int, partial: str = ""):
        super().__init__(
            f"standard input, line {line}: not UTF-8 text; the drill stopped there "
            "(ratings before are saved)"
        )
        self.line = line
        self.partial = partial


class _Input:
    """Standard input line by line, counting lines, refusing what is not UTF-8 text."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.line = 0

    def readline(self) -> str:
        try:
            line = self.stream.readline()
        except UnicodeDecodeError:
            raise NotText(self.line + 1) from None
        if line:
            self.line += 1
        try:
            line.encode("utf-8")  # lone surrogates: bytes a surrogateescape stream let through
        except UnicodeEncodeError:
            raise NotText(self.line) from None
        return line


def _read_answer(stdin: _Input) -> tuple[str, bool]:
    """Read lines up to one holding only ``.``; returns (answer, reached end of input)."""
    lines: list[str] = []
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
        lines.append(line.rstrip("\r\n"))


@contextmanager
def _keeping(answer: str, say) -> Iterator[None]:
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


def run_plain_drill(session: DrillSession, stdin: TextIO, stdout: TextIO) -> int:
    """Run the drill until no card is left, the input ends, or the user types ``q``.

    Returns the number of cards rated.
    """

    def say(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    try:
        return _drill(session, _Input(stdin), say)
    except NotText as exc:
        if exc.partial.strip():
            say()
            say("Not saved. Your answer up to that line is below; copy it somewhere:")
            say("----- your answer -----")
            say(exc.partial)
            say("----- end of your answer -----")
        raise


def _drill(session: DrillSession, stdin: _Input, say) -> int:
    while (card := session.next_card()) is not None:
        say(f"[{card.kind}] {card.deck_id}/{card.id}")
        say(card.prompt)
        draft = session.draft(card)
        if draft:
            say(
                f"(saved draft, {len(draft.split())} words; it is used if you send an empty answer)"
            )
        say("Type your answer; end it with a line holding only '.'.")
        answer, ended = _read_answer(stdin)
        if ended and not answer.strip() and not draft:
            break  # the input ended before an answer: nothing to rate
        if not answer.strip() and draft:
            answer = draft
        elif answer.strip():
            with _keeping(answer, say):
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
        say(f"Rate: {options}; empty line = {grade.suggested_rating.capitalize()}, q = stop")
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
            say(f"'{shown(choice)}' is not a rating: type 1-4, an empty line or q")
        with _keeping(answer, say):
            rated = session.rate(card, answer, grade, rating)
        say(
            f"Rated {rating.capitalize()}; "
            f"next review in {format_interval(rated.due - session.now())}."
        )
        say()
        if ended:
            break
    summary = session.summary()
    say(f"Done: {summary.done} card(s) rated.")
    if summary.next_due:
        say(f"Next card due {summary.next_due.astimezone().strftime('%Y-%m-%d %H:%M')}.")
    return summary.done
