"""Property-based: any answer text goes through the grader and the store without harm.

Markup-like text, control characters and escape sequences, emoji and wide characters,
right-to-left text: the grade is well-formed, the stored answer is the text as typed minus
control characters, and the printed report holds no escape. Plus the stated answer limit.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failtui.cli import cli
from failtui.decks.catalog import load_catalog
from failtui.report import grade_report
from failtui.session import MAX_ANSWER_CHARS, AnswerTooLong, DrillSession
from failtui.storage import open_db, queries
from failtui.textclean import clean_text, is_empty_answer
from tests.reliability.nasty import NASTY, scaled, texts

#: Fuzzing and killed processes take seconds each: `pytest -m "not slow"` leaves them out.
pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=scaled(800),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: Control characters a terminal acts on (tab and newline are text).
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
answers = st.one_of(
    texts,
    st.lists(st.one_of(texts, st.sampled_from(NASTY)), max_size=12).map("".join),
    st.text(max_size=400),
)


@pytest.fixture
def drill(tmp_path, clock):
    store = open_db(tmp_path / "failtui.db")
    yield DrillSession(store, load_catalog(None), clock=clock, fuzz=False, ahead=True)
    store.close()


def test_any_answer_is_graded_stored_and_reported_safely(drill, clock):
    cards = [c for c in drill.catalog.cards() if c.kind == "question"][:2] + [
        c for c in drill.catalog.cards() if c.kind != "question"
    ][:2]
    seen = Counter()

    @FUZZ
    @given(answers, st.sampled_from(cards), st.sampled_from(["again", "hard", "good", "easy"]))
    def check(answer, card, rating):
        grade = drill.grade(card, answer)
        assert 0.0 <= grade.coverage <= 1.0 and grade.words >= 0
        assert grade.suggested_rating in ("again", "hard", "good", "easy")
        json.dumps(grade.to_dict())  # --json can always print it
        assert not _TERMINAL_CONTROL.search(grade_report(card, grade))
        drill.save_draft(card, answer)
        assert drill.draft(card) == ("" if is_empty_answer(answer) else clean_text(answer))
        rated = drill.rate(card, answer, grade, rating)
        (stored,) = drill.store.query(
            "SELECT a.answer FROM reviews r JOIN attempts a ON a.id = r.attempt_id WHERE r.id = ?",
            (rated.review_id,),
        )[0]
        assert stored == ("" if is_empty_answer(answer) else clean_text(answer))  # blank: empty
        assert not _TERMINAL_CONTROL.search(stored)
        assert drill.draft(card) == ""  # the rating took the draft's place
        clock.advance(minutes=1)
        seen["answers"] += 1
        seen["characters"] += len(answer)

    check()
    assert seen["answers"] == FUZZ.max_examples
    assert drill.store.query("SELECT count(*) FROM reviews")[0][0] == seen["answers"]
    print(
        f"\nfuzz: {seen['answers']} answers, {seen['characters']:,} characters, graded and stored"
    )


def test_an_answer_at_the_limit_is_graded_and_stored_whole(drill):
    card = drill.next_card()
    sentence = "I learned to measure 🔥 漢字 before I promise. "
    answer = (sentence * (MAX_ANSWER_CHARS // len(sentence) + 1))[:MAX_ANSWER_CHARS]
    assert len(answer) == MAX_ANSWER_CHARS == 100_000
    grade = drill.grade(card, answer)
    drill.rate(card, answer, grade, "good")
    (attempt,) = queries.attempts_for_card(drill.store, card.key)
    assert attempt.answer == answer


def test_an_answer_over_the_limit_is_refused_with_its_length_and_kept_as_a_draft(drill):
    card = drill.next_card()
    answer = "x" * (MAX_ANSWER_CHARS + 1)
    with pytest.raises(AnswerTooLong, match="100,001 characters; the limit is 100,000"):
        drill.grade(card, answer)
    grade = drill.grade(card, "short")
    with pytest.raises(AnswerTooLong):
        drill.rate(card, answer, grade, "good")
    assert drill.store.query("SELECT count(*) FROM reviews")[0][0] == 0
    drill.save_draft(card, answer)  # drafts keep whatever was typed
    assert drill.draft(card) == answer


def test_cli_grade_and_plain_drill_state_the_limit(tmp_path):
    too_long = tmp_path / "answer.txt"
    too_long.write_text("y" * (MAX_ANSWER_CHARS + 1))
    runner = CliRunner()
    result = runner.invoke(cli, ["grade", "--card", "biggest-failure", str(too_long)])
    assert result.exit_code == 1
    assert "limit is 100,000" in result.output and str(too_long) in result.output
    plain = runner.invoke(cli, ["drill", "--plain", "--limit", "1"],
                          input="y" * (MAX_ANSWER_CHARS + 1) + "\n.\n")  # fmt: skip
    assert plain.exit_code == 0, plain.output
    assert "Not graded: the answer is 100,001 characters" in plain.output
    assert "kept as the card's draft" in plain.output
