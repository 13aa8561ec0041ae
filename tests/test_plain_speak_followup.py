"""The plain drill said aloud (`drill --plain --speak`) and the follow-up line (fixed clock)."""

from __future__ import annotations

import io
from datetime import UTC

import pytest

from failtui.decks.catalog import load_catalog
from failtui.plain import run_plain_drill
from failtui.session import DrillSession
from failtui.storage import open_db, queries
from tests.conftest import Clock


class TimedInput(io.StringIO):
    """Standard input whose first empty line arrives ``seconds`` after the prompt."""

    def __init__(self, text: str, clock: Clock, seconds: float):
        super().__init__(text)
        self.clock = clock
        self.seconds = seconds

    def readline(self, size: int = -1) -> str:
        line = super().readline(size)
        if line == "\n" and self.seconds:
            self.clock.advance(seconds=self.seconds)
            self.seconds = 0
        return line


@pytest.fixture
def session(data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    clock = Clock()
    session = DrillSession(
        store,
        load_catalog(data_home),
        clock=clock,
        fuzz=False,
        tz=UTC,
        deck_id="failure-question",
        limit=1,
    )
    session.test_clock = clock
    yield session
    store.close()


CHECKLIST = (
    "Key points (type the id if you covered it):\n"
    "  context        Situation and your role\n"
    "  task           The goal or responsibility you had\n"
    "  failure        Your own action or decision that caused it\n"
    "  impact         The consequence\n"
    "  quantified     A number for the impact\n"
    "  remedy         What you did to fix it or prevent a repeat\n"
    "  lesson         What you learned\n"
    "  applied        The lesson applied later, with a better outcome\n"
    "Red flags (type the id if you raised it):\n"
    "  never-failed   Claims never to have failed, or dodges\n"
    "  blame          Blames others or circumstances\n"
    "  humblebrag     A disguised strength\n"
    "  non-work       A personal-life story instead of work or study\n"
    "  catastrophic   Unethical, illegal, unsafe or career-ending\n"
    "  negative       Dwells, self-flagellates or turns bitter\n"
    "  hypothetical   Says what they would do instead of what happened\n"
    "  trivial        Too small to matter\n"
    "The ids you covered or raised, on one line (an empty line for none):\n"
)


def test_speak_times_the_answer_reads_the_ticks_and_stores_them(session):
    out = io.StringIO()
    script = "\ncontext failure impact nope\ncontext failure impact lesson remedy\n\n"
    stdin = TimedInput(script, session.test_clock, 150)
    assert run_plain_drill(session, stdin, out, speak=True) == 1
    assert out.getvalue() == (
        "[question] failure-question/biggest-failure\n"
        "What is your biggest failure?\n"
        "Say your answer aloud, then press enter on an empty line.\n"
        "Spoken for 2:30 (the advice is 2-3 minutes).\n" + CHECKLIST + "'nope' is not a key "
        "point or red flag of this card (its ids: context task failure impact quantified remedy "
        "lesson applied never-failed blame humblebrag non-work catastrophic negative "
        "hypothetical trivial); type the line again\n"
        "Key points covered: 65%; red flags: none.\n"
        "Suggested rating: Good\n"
        "Rate: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (8d); empty line = Good, "
        "q = stop\n"
        "(To correct the grade first, type ids: task never-failed)\n"
        "Rated Good; next review in 10m.\n"
        "\n"
        "Done: 1 card rated.\n"
        "Next card: failure-question/biggest-failure-current-job, due now.\n"
    )
    store = session.store
    (attempt,) = store.query("SELECT * FROM attempts")
    assert (attempt["spoken"], attempt["speaking_seconds"], attempt["words"]) == (1, 150.0, 0)
    assert (attempt["answer"], attempt["rating"], attempt["model_grade_json"]) == ("", "good", None)
    hits = {
        (r["kind"], r["item_id"]): r["hit"]
        for r in store.query("SELECT kind, item_id, hit FROM attempt_items")
    }
    assert {k for k, hit in hits.items() if hit} == {
        ("key_point", i) for i in ("context", "failure", "impact", "lesson", "remedy")
    }
    assert len(hits) == 8  # the eight key points; no red flag raised
    (review,) = store.query("SELECT duration_ms FROM reviews")
    assert review["duration_ms"] == 150_000
    # The statistics count the ticks like a graded answer's labels.
    tally = store.query(
        "SELECT item_id, expected, missed FROM item_tally WHERE kind = 'key_point' "
        "AND item_id IN ('lesson', 'applied') ORDER BY item_id"
    )
    assert [tuple(r) for r in tally] == [("applied", 1, 1), ("lesson", 1, 0)]


def test_speak_with_a_red_flag_ticked_suggests_again(session):
    out = io.StringIO()
    stdin = TimedInput("\ncontext failure impact lesson blame\n1\n", session.test_clock, 40)
    run_plain_drill(session, stdin, out, speak=True)
    assert "Spoken for 0:40 (the advice is 2-3 minutes).\n" in out.getvalue()
    assert "Key points covered: 54%; red flags: Blames others or circumstances.\n" in (
        out.getvalue()
    )
    assert "Suggested rating: Again\n" in out.getvalue()
    assert queries.attempts_for_card(session.store, "failure-question/biggest-failure")[
        0
    ].spoken_seconds == pytest.approx(40.0)


def test_speak_takes_the_typed_drills_minus_as_not_ticked(session):
    """``-blame`` on the tick line (the correction line's "not") ticks nothing, not an error."""
    out = io.StringIO()
    stdin = TimedInput("\ncontext failure -blame\n1\n", session.test_clock, 40)
    assert run_plain_drill(session, stdin, out, speak=True) == 1
    assert "is not a key point or red flag" not in out.getvalue()
    assert "Key points covered: 27%; red flags: none.\n" in out.getvalue()
    hits = {
        (r["kind"], r["item_id"])
        for r in session.store.query("SELECT kind, item_id FROM attempt_items WHERE hit")
    }
    assert hits == {("key_point", "context"), ("key_point", "failure")}


def test_speak_input_ending_before_the_ticks_rates_nothing(session):
    out = io.StringIO()
    assert run_plain_drill(session, TimedInput("\n", session.test_clock, 30), out, speak=True) == 0
    assert out.getvalue().endswith(
        "The ids you covered or raised, on one line (an empty line for none):\n"
        "\n"
        "Done: 0 cards rated.\n"
        "Next card: failure-question/biggest-failure, due now.\n"
    )
    assert session.store.query("SELECT count(*) FROM reviews")[0][0] == 0


def test_plain_feedback_prints_the_follow_up_for_the_first_missed_key_point(session):
    out = io.StringIO()
    answer = "I was team lead on a release. I forgot to update the config and the release failed."
    run_plain_drill(session, io.StringIO(f"{answer}\n.\n\n"), out)
    lines = out.getvalue().splitlines()
    # Failure and impact are covered; the lesson is the first missed in the interviewer's order.
    assert lines[lines.index("Suggested rating: Hard") + 1] == (
        "Follow-up: Looking back, what would you do differently now?"
    )
    assert sum(line.startswith("Follow-up: ") for line in lines) == 1


def test_an_empty_answer_gets_the_guidance_and_no_follow_up(session):
    out = io.StringIO()
    run_plain_drill(session, io.StringIO(".\n\n"), out)
    lines = out.getvalue().splitlines()
    assert sum(line.startswith("Follow-up: ") for line in lines) == 0
    assert sum(line.startswith("Guidance: ") for line in lines) == 1


class TickingClock(Clock):
    """A clock that moves on a second each time it is read, as a real one does."""

    def __call__(self):
        self.advance(seconds=1)
        return self.now


def test_the_interval_said_after_rating_is_the_one_shown_and_an_interview_hold_is_named(
    data_home,
):
    from failtui.storage.interviews import add_interview

    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    try:
        clock = TickingClock()
        # FIXED_NOW is 2026-11-23 12:00 UTC: the day before is Mon 30 Nov.
        add_interview(store, "2026-12-01", "Acme", ("failure-question",), "x")
        session = DrillSession(
            store,
            load_catalog(data_home),
            clock=clock,
            fuzz=False,
            tz=UTC,
            deck_id="failure-question",
            limit=1,
        )
        out = io.StringIO()
        assert run_plain_drill(session, io.StringIO("It went wrong.\n.\n2\n"), out) == 1
        lines = out.getvalue().splitlines()
        rate_at = next(i for i, line in enumerate(lines) if line.startswith("Rate: "))
        assert lines[rate_at - 1 : rate_at + 1] == [
            "Intervals stop at Mon 30 Nov, the day before Acme (Tue 01 Dec).",
            "Rate: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (7d); empty line = Again, "
            "q = stop",
        ]
        assert "Rated Hard; next review in 6m." in lines
    finally:
        store.close()


class Terminal(io.StringIO):
    """A terminal's standard input: the lines typed so far, and reading on waits for more."""

    def readline(self, size: int = -1) -> str:
        line = super().readline(size)
        if not line:
            raise AssertionError("the drill waited for another line after the lone 'q'")
        return line


def test_a_lone_q_typed_as_the_answer_stops_at_once(session):
    out = io.StringIO()
    assert run_plain_drill(session, Terminal("q\n"), out) == 0
    assert out.getvalue().splitlines()[-2:] == [
        "Type your answer; end it with a line holding only '.' (a lone 'q' stops).",
        "Stopped.",
    ]
    assert session.store.query("SELECT count(*) FROM reviews")[0][0] == 0


ALL_KEY_POINTS = "context task failure impact quantified remedy lesson applied"


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (
            3,
            "Suggested rating: Hard\n"
            "Under 30 seconds spoken: at most Hard (too short for all you ticked).\n",
        ),
        (30, "Suggested rating: Easy\nRate: "),
    ],
)
def test_speak_suggests_at_most_hard_for_an_answer_too_short_to_hold_its_ticks(
    session, seconds, said
):
    out = io.StringIO()
    stdin = TimedInput(f"\n{ALL_KEY_POINTS}\n\n", session.test_clock, seconds)
    run_plain_drill(session, stdin, out, speak=True)
    printed = out.getvalue()
    summary = printed.index("Key points covered: 100%; red flags: none.\n")
    assert printed[summary:].startswith("Key points covered: 100%; red flags: none.\n" + said)
    assert printed.count("Suggested rating:") == 1
