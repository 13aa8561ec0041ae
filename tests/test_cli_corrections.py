"""Corrections from the command line: the plain drill's id line and `failtui corrections export`."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner

from failtui import cli_common
from failtui.cli import cli
from failtui.decks.catalog import load_catalog
from failtui.models import KEY_POINT, RED_FLAG
from failtui.plain import run_plain_drill
from failtui.session import DrillSession
from failtui.storage import open_db
from tests.conftest import SMALLEST_DECK, Clock

ANSWER = "My boss rushed me. I learned to ask early."


@pytest.fixture
def my_deck(data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text(SMALLEST_DECK, encoding="utf-8")
    return data_home / "decks" / "mine.toml"


@pytest.fixture
def session(data_home, my_deck):
    store = open_db(data_home / "failtui.db")
    catalog = load_catalog(data_home)
    yield DrillSession(store, catalog, clock=Clock(), fuzz=False, tz=UTC, deck_id="my-deck")
    store.close()


FEEDBACK = """\
my-deck/first: Tell me about a time you failed.

Key points (100% covered):
  [x] What you learned  - "I learned to ask early."
Red flags:
  (!) Blaming others  - "My boss rushed me."
      Own your part; say what you would do differently.
Suggested rating: Again
Guidance: Say what happened, what it cost, what you did and what you learned.
Rate: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (8d); empty line = Again, q = stop
"""


def test_plain_drill_corrects_before_the_rating(session):
    session.limit = 1
    out = io.StringIO()
    script = f"{ANSWER}\n.\nxyz\nlesson -blame nope\n-blame\n3\n"
    assert run_plain_drill(session, io.StringIO(script), out) == 1
    assert out.getvalue() == (
        "[question] my-deck/first\n"
        "Tell me about a time you failed.\n"
        "Type your answer; end it with a line holding only '.' (a lone 'q' stops).\n"
        "\n" + FEEDBACK + "(To correct the grade first, type ids: lesson -blame)\n"
        "'xyz' is not a rating, key point or red flag of this card: type 1-4, an empty line, q, "
        "or ids (lesson -blame)\n"
        "'nope' is not a key point or red flag of this card; the line was not applied: type it "
        "again, or rate\n"
        "\n"
        "Corrected:\n"
        "my-deck/first: Tell me about a time you failed.\n"
        "\n"
        "Key points (100% covered):\n"
        '  [x] What you learned  - "I learned to ask early."\n'
        "Red flags: none\n"
        "Dismissed by you: Blaming others\n"
        "Suggested rating: Easy\n"
        "Rate: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (8d); empty line = Easy, q = stop\n"
        "Rated Good; next review in 10m.\n"
        "\n"
        "Done: 1 card rated.\n"
        + session.describe_next((session.summary().next_due, session.summary().next_card_key))
        + "\n"
    )
    store = session.store
    assert [tuple(r) for r in store.query("SELECT kind, item_id, hit FROM attempt_items")] == [
        ("key_point", "lesson", 1)
    ]
    assert [
        tuple(r)
        for r in store.query("SELECT kind, item_id, model_hit, user_hit FROM attempt_corrections")
    ] == [("red_flag", "blame", 1, 0)]
    assert store.query("SELECT rating, suggested_rating FROM attempts")[0][:] == ("good", "easy")


def test_plain_drill_without_corrections_stores_none(session):
    session.limit = 1
    out = io.StringIO()
    run_plain_drill(session, io.StringIO(f"{ANSWER}\n.\n\n"), out)
    assert "Rated Again; next review in 1m." in out.getvalue()
    assert "Corrected:" not in out.getvalue()
    store = session.store
    assert store.query("SELECT count(*) FROM attempt_corrections")[0][0] == 0
    assert store.query("SELECT model_grade_json FROM attempts")[0][0] is None


def corrected_history(session) -> None:
    """Two corrected answers and one left as graded."""
    card = session.catalog.card_by_key("my-deck/first")
    model = session.grade(card, ANSWER)
    corrected = session.correct(card, ANSWER, model, {(RED_FLAG, "blame"): False})
    session.rate(card, ANSWER, corrected, "good", model_grade=model)
    session.clock.advance(minutes=20)
    plain = "I learned nothing."
    session.rate(card, plain, session.grade(card, plain), "again")
    session.clock.advance(minutes=20)
    other = "It went wrong because I rushed. What stays with me now is to plan ahead."
    model = session.grade(card, other)
    marks = {(KEY_POINT, "lesson"): True, (RED_FLAG, "blame"): True}
    session.rate(card, other, session.correct(card, other, model, marks), "hard", model_grade=model)


EXPORTED = [
    {
        "deck": "my-deck",
        "card": "first",
        "question": "Tell me about a time you failed.",
        "answered_at": "2026-11-23T12:00:00.000000+00:00",
        "answer": ANSWER,
        "key_points": [
            {"id": "lesson", "label": "What you learned", "model": True, "user": True,
             "evidence": "I learned to ask early."},
        ],
        "red_flags": [{"id": "blame", "label": "Blaming others", "model": True, "user": False}],
    },
    {
        "deck": "my-deck",
        "card": "first",
        "question": "Tell me about a time you failed.",
        "answered_at": "2026-11-23T12:40:00.000000+00:00",
        "answer": "It went wrong because I rushed. What stays with me now is to plan ahead.",
        "key_points": [
            {"id": "lesson", "label": "What you learned", "model": False, "user": True,
             "evidence": "What stays with me now is to plan ahead."},
        ],
        "red_flags": [{"id": "blame", "label": "Blaming others", "model": False, "user": True}],
    },
]  # fmt: skip


def test_export_writes_one_json_line_per_corrected_answer(session, data_home):
    corrected_history(session)
    result = CliRunner().invoke(cli, ["corrections", "export"])
    assert result.exit_code == 0, result.output
    assert result.output == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in EXPORTED)


def test_export_to_a_file_refuses_to_overwrite(session, tmp_path):
    corrected_history(session)
    target = tmp_path / "corrections.jsonl"
    result = CliRunner().invoke(cli, ["corrections", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in target.read_text("utf-8").splitlines()] == EXPORTED
    assert "Exported 2 corrected answers" in result.output
    target.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["corrections", "export", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: the file exists (use --force to overwrite it)\n"
    assert target.read_text("utf-8") == "mine"
    result = CliRunner().invoke(cli, ["corrections", "export", "-o", str(target), "--force"])
    assert result.exit_code == 0
    assert len(target.read_text("utf-8").splitlines()) == 2


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/out.jsonl", "cannot write: No such file or directory"),
        (".", "is a folder; give a file name"),
    ],
)
def test_export_bad_output_is_one_line(session, tmp_path, where, message):
    corrected_history(session)
    target = Path(tmp_path / where)
    result = CliRunner().invoke(cli, ["corrections", "export", "-o", str(target)])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_export_with_nothing_corrected_prints_no_line_and_says_why(session):
    for dash in ([], ["-o", "-"]):
        result = CliRunner().invoke(cli, ["corrections", "export", *dash])
        assert (result.exit_code, result.stdout, result.stderr) == (
            0,
            "",
            "No corrected answers to export: correct a grade in a drill (c on the feedback) "
            "to add one.\n",
        )


def test_standard_ids_are_exported_as_the_corpus_spells_them(data_home):
    catalog = load_catalog(data_home)
    store = open_db(data_home / "failtui.db")
    session = DrillSession(store, catalog, clock=Clock(), fuzz=False, tz=UTC)
    card = catalog.card_by_key("failure-question/biggest-failure")
    answer = "I never really failed at anything. My team was great."
    model = session.grade(card, answer)
    marks = {(RED_FLAG, "never-failed"): True, (RED_FLAG, "humblebrag"): True}
    session.rate(card, answer, session.correct(card, answer, model, marks), "again",
                 model_grade=model)  # fmt: skip
    store.close()
    (line,) = CliRunner().invoke(cli, ["corrections", "export"]).output.splitlines()
    record = json.loads(line)
    assert (record["deck"], record["card"]) == ("failure-question", "biggest-failure")
    assert [k["id"] for k in record["key_points"]] == [
        "context", "task", "failure", "impact", "quantified", "remedy", "lesson", "applied",
    ]  # fmt: skip
    assert [r["id"] for r in record["red_flags"]] == [
        "never-failed", "blame", "humblebrag", "non-work", "catastrophic", "negative",
        "hypothetical", "trivial",
    ]  # fmt: skip
    user = {r["id"] for r in record["red_flags"] if r["user"]}
    assert {"never-failed", "humblebrag"} <= user


def test_plain_drill_rates_nothing_when_the_input_ends_before_an_answer(session):
    card = session.next_card()
    session.save_draft(card, ANSWER)
    out = io.StringIO()
    assert run_plain_drill(session, io.StringIO(""), out) == 0
    assert session.store.query("SELECT count(*) FROM reviews")[0][0] == 0
    assert session.draft(card) == ANSWER


def test_plain_drill_lines_that_change_nothing_count_as_bad_lines(session):
    from failtui.plain import MAX_BAD_RATINGS, PlainInputError

    session.limit = 1
    out = io.StringIO()
    script = f"{ANSWER}\n.\n" + ",\n" * MAX_BAD_RATINGS
    with pytest.raises(PlainInputError, match=f"{MAX_BAD_RATINGS} lines in a row"):
        run_plain_drill(session, io.StringIO(script), out)
    assert out.getvalue().count("',' changes nothing") == MAX_BAD_RATINGS - 1
    assert "Corrected:" not in out.getvalue()


def test_plain_drill_reads_ids_with_capitals(data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "caps.toml").write_text(
        SMALLEST_DECK.replace('id = "my-deck"', 'id = "caps"').replace(
            'id = "lesson"', 'id = "Lesson"'
        ),
        encoding="utf-8",
    )
    store = open_db(data_home / "failtui.db")
    try:
        catalog = load_catalog(data_home)
        session = DrillSession(store, catalog, clock=Clock(), fuzz=False, tz=UTC, deck_id="caps")
        session.limit = 1
        out = io.StringIO()
        run_plain_drill(session, io.StringIO("I rushed it.\n.\nLesson\n3\n"), out)
        before, after = out.getvalue().split("Corrected:")
        assert "  [ ] What you learned  - missed\n" in before
        assert '  [x] What you learned  - "I rushed it."  (your correction)\n' in after
    finally:
        store.close()


def test_plain_drill_dismisses_a_red_flag_again_and_the_user_can_raise_it(session):
    session.limit = 1
    run_plain_drill(session, io.StringIO(f"{ANSWER}\n.\n-blame\n1\n"), io.StringIO())
    session.clock.advance(minutes=2)  # rated Again: due again after a minute
    session.rated.clear()
    out = io.StringIO()
    assert run_plain_drill(session, io.StringIO(f"{ANSWER}\n.\nblame\n2\n"), out) == 1
    report = (
        "my-deck/first: Tell me about a time you failed.\n"
        "\n"
        "Key points (100% covered):\n"
        '  [x] What you learned  - "I learned to ask early."\n'
    )
    rate = "Rate: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (1d); empty line = "
    assert out.getvalue() == (
        "[question] my-deck/first\n"
        "Tell me about a time you failed.\n"
        "Type your answer; end it with a line holding only '.' (a lone 'q' stops).\n"
        "\n" + report + "Red flags: none\n"
        'Dismissed again: Blaming others  - "My boss rushed me." (you dismissed it on this '
        "sentence before; type blame to raise it)\n"
        "Suggested rating: Easy\n"
        "Guidance: Say what happened, what it cost, what you did and what you learned.\n"
        + rate
        + "Easy, q = stop\n"
        "(To correct the grade first, type ids: lesson blame)\n"
        "\n"
        "Corrected:\n" + report + "Red flags:\n"
        '  (!) Blaming others  - "My boss rushed me."\n'
        "      Own your part; say what you would do differently.\n"
        "Suggested rating: Again\n" + rate + "Again, q = stop\n"
        "Rated Hard; next review in 6m.\n"
        "\n"
        "Done: 1 card rated.\n"
        "Next card: my-deck/first, due in 6m (Mon 23 Nov 12:07).\n"
    )
    store = session.store
    # The first attempt dismissed the flag; the second raised it again, as the grader had.
    assert [
        tuple(r)
        for r in store.query(
            "SELECT attempt_id, item_id, model_hit, user_hit FROM attempt_corrections"
        )
    ] == [(1, "blame", 1, 0)]
    assert [tuple(r) for r in store.query("SELECT rating FROM attempts ORDER BY id")] == [
        ("again",),
        ("hard",),
    ]


def test_plain_drill_stores_a_flag_dismissed_again_as_remembered(session):
    session.limit = 1
    run_plain_drill(session, io.StringIO(f"{ANSWER}\n.\n-blame\n1\n"), io.StringIO())
    session.clock.advance(minutes=2)
    session.rated.clear()
    assert run_plain_drill(session, io.StringIO(f"{ANSWER}\n.\n3\n"), io.StringIO()) == 1
    rows = session.store.query(
        "SELECT attempt_id, item_id, model_hit, user_hit, remembered FROM attempt_corrections"
    )
    assert [tuple(r) for r in rows] == [(1, "blame", 1, 0, 0), (2, "blame", 1, 0, 1)]


def test_plain_drill_a_mark_the_grade_already_says_changes_nothing(session):
    # "lesson" is covered already and blame is raised: "lesson blame" says what the grade says.
    session.limit = 1
    out = io.StringIO()
    script = f"{ANSWER}\n.\nlesson blame\n3\n"
    assert run_plain_drill(session, io.StringIO(script), out) == 1
    after_feedback = out.getvalue().split("(To correct the grade first, type ids: lesson -blame)\n")
    assert after_feedback[1].splitlines()[0] == (
        "'lesson blame' changes nothing: type 1-4, an empty line, q, or ids (lesson -blame)"
    )
    assert "Corrected:" not in out.getvalue()
    assert session.store.query("SELECT count(*) FROM attempt_corrections")[0][0] == 0


def test_plain_drill_names_a_lone_dash_as_typed(session):
    session.limit = 1
    out = io.StringIO()
    assert run_plain_drill(session, io.StringIO(f"{ANSWER}\n.\n-\n3\n"), out) == 1
    after = out.getvalue().split("(To correct the grade first, type ids: lesson -blame)\n")[1]
    assert after.splitlines()[0] == (
        "'-' is not a rating, key point or red flag of this card: type 1-4, an empty line, q, "
        "or ids (lesson -blame)"
    )


def test_grade_uses_the_cues_the_users_corrections_taught_the_card(data_home, my_deck):
    answer = "Now I always ask early when a deadline looks tight."

    def lesson_covered() -> bool:
        result = CliRunner().invoke(
            cli, ["grade", "--card", "my-deck/first", "--json"], input=answer
        )
        assert result.exit_code == 0, result.output
        (lesson,) = json.loads(result.output)["key_points"]
        return lesson["covered"]

    assert lesson_covered() is False
    # The plain drill: the same answer, marked covered by the user, then rated.
    drill = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck"], input=f"{answer}\n.\nlesson\n3\n"
    )
    assert drill.exit_code == 0, drill.output
    assert lesson_covered() is True


LONG_LESSON = (
    "Now I always ask early when a deadline looks tight and I write down every risk I can "
    "think of before the project starts."
)


@pytest.fixture
def taught(session, monkeypatch):
    """A personal cue of "lesson" taught by a long sentence, and "blame" dismissed, in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("COLUMNS", "80")
    time.tzset()
    card = session.catalog.card_by_key("my-deck/first")
    model = session.grade(card, LONG_LESSON)
    corrected = session.correct(card, LONG_LESSON, model, {(KEY_POINT, "lesson"): True})
    session.rate(card, LONG_LESSON, corrected, "good", model_grade=model)
    session.clock.advance(days=1)
    model = session.grade(card, ANSWER)
    corrected = session.correct(card, ANSWER, model, {(RED_FLAG, "blame"): False})
    session.rate(card, ANSWER, corrected, "good", model_grade=model)
    yield session
    monkeypatch.delenv("TZ")
    time.tzset()


def cli_run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_cues_lists_personal_cues_and_dismissals_cut_to_80_columns(taught):
    result = cli_run("cues")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "my-deck/first",
        '  1  lesson           2026-11-23  "Now I always ask early when a deadline look…"',
        '  2  dismissed blame  2026-11-24  "My boss rushed me."',
        "Forget a wrong cue or dismissal with: failtui cues forget N",
        "A dismissed red flag stays so on that sentence until you raise it or forget it.",
    ]
    assert max(map(len, result.output.splitlines())) == 80
    assert cli_run("cues", "--card", "my-deck/first").output == result.output


def test_cues_json_gives_whole_sentences(taught):
    result = cli_run("cues", "--json")
    assert result.exit_code == 0, result.output
    card = {"deck": "my-deck", "card": "first"}
    assert json.loads(result.output) == [
        {"number": 1, **card, "kind": "key_point", "id": "lesson", "sentence": LONG_LESSON}
        | {"taught_at": "2026-11-23T12:00:00.000000+00:00"},
        {"number": 2, **card, "kind": "red_flag", "id": "blame"}
        | {"sentence": "My boss rushed me.", "taught_at": "2026-11-24T12:00:00.000000+00:00"},
    ]


def test_cues_forget_stops_the_grader_crediting_the_sentence(taught):
    def lesson_covered() -> bool:
        result = cli_run("grade", "--card", "my-deck/first", "--json", input=LONG_LESSON)
        assert result.exit_code == 0, result.output
        (lesson,) = json.loads(result.output)["key_points"]
        return lesson["covered"]

    assert lesson_covered() is True
    result = cli_run("cues", "forget", "1")
    assert (result.exit_code, result.output) == (
        0,
        'Forgot 1: my-deck/first lesson "Now I always ask early when a deadline looks t…"\n',
    )
    assert lesson_covered() is False
    assert cli_run("cues", "--json").output.count('"key_point"') == 0


def test_cues_forget_a_dismissal_by_its_number_and_the_flag_is_raised_again(taught, monkeypatch):
    card = taught.catalog.card_by_key("my-deck/first")
    assert taught.remembered_marks(card, taught.grade(card, ANSWER)) == {(RED_FLAG, "blame"): False}
    monkeypatch.setattr(cli_common, "system_now", taught.clock)
    result = cli_run("cues", "forget", "2")
    assert (result.exit_code, result.output) == (
        0,
        'Forgot 2: my-deck/first dismissed blame "My boss rushed me."\n',
    )
    assert cli_run("cues").output.splitlines() == [
        "my-deck/first",
        '  1  lesson  2026-11-23  "Now I always ask early when a deadline looks tight a…"',
        "Forget a wrong cue or dismissal with: failtui cues forget N",
    ]
    # A new drill's session: the grader's red flag on that sentence stands again.
    fresh = DrillSession(taught.store, taught.catalog, clock=taught.clock, fuzz=False, tz=UTC)
    assert fresh.remembered_marks(card, fresh.grade(card, ANSWER)) == {}
    # Dismissed on it again later, it is remembered again.
    taught.clock.advance(days=1)
    model = fresh.grade(card, ANSWER)
    corrected = fresh.correct(card, ANSWER, model, {(RED_FLAG, "blame"): False})
    fresh.rate(card, ANSWER, corrected, "good", model_grade=model)
    assert cli_run("cues").output.splitlines()[2] == (
        '  2  dismissed blame  2026-11-25  "My boss rushed me."'
    )


def test_cues_forget_an_unknown_number_forgets_nothing(taught):
    result = cli_run("cues", "forget", "2", "99")
    assert (result.exit_code, result.output) == (
        1,
        "Error: no cue or dismissal numbered 99 ('failtui cues' lists them); nothing was "
        "forgotten\n",
    )
    assert taught.store.query("SELECT count(*) FROM personal_cues")[0][0] == 1
    assert taught.store.query("SELECT count(*) FROM forgotten_dismissals")[0][0] == 0


def test_cues_forget_everything_a_card_learnt(taught):
    result = cli_run("cues", "forget", "--card", "my-deck/first", "--all")
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            'Forgot 1: my-deck/first lesson "Now I always ask early when a deadline looks t…"',
            'Forgot 2: my-deck/first dismissed blame "My boss rushed me."',
        ],
    )
    assert taught.store.query("SELECT count(*) FROM personal_cues")[0][0] == 0
    again = cli_run("cues", "forget", "--card", "my-deck/first", "--all")
    assert again.output == "my-deck/first: no personal cues or dismissed red flags to forget\n"


def test_cues_with_nothing_taught_says_how_cues_are_made(session):
    result = cli_run("cues")
    assert (result.exit_code, result.output) == (
        0,
        "No personal cues: marking a key point covered in a drill teaches the card a sentence "
        "of your answer.\n",
    )
