"""How the answer to an interviewer's follow-up is graded: read after the answer it follows."""

from __future__ import annotations

from failtui.decks.catalog import load_catalog
from failtui.followups import grade_followup
from failtui.models import FollowUp, FollowUpAnswer

TOLD = (
    "I was the release manager. I skipped staging to ship a hotfix faster and it took checkout "
    "down for two hours, about 300 orders lost. I rolled back and made staging a required gate. "
    "I learned that speed never justifies skipping the gate."
)
LATER = (
    "Last quarter a teammate wanted to skip staging for a hotfix; I insisted on the gate and it "
    "caught a bug that would have broken checkout."
)
ASKED = FollowUp(
    "applied", "Has that lesson paid off since? Tell me about a later time you used it."
)


def card():
    return load_catalog(None).find_card("biggest-failure", "failure-question")


def test_a_later_use_of_the_lesson_is_read_after_the_answer_it_follows():
    assert grade_followup(card(), ASKED, LATER, TOLD) == FollowUpAnswer(
        key_point="applied",
        prompt=ASKED.prompt,
        answer=LATER,
        covered=True,
        evidence="I insisted on the gate and it caught a bug that would have broken checkout.",
    )


def test_only_a_sentence_of_the_follow_ups_answer_covers_its_key_point():
    asked = FollowUp("lesson", "What did you learn from it?")
    answer = grade_followup(card(), asked, "I am not sure, to be honest.", TOLD)
    assert (answer.covered, answer.evidence) == (False, "")
