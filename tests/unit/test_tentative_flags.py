"""Red flags the model raises with less confidence: a probability under 0.5 but at the red
flags' lowered threshold (training/thresholds.py). They are shown as possible and keep the
rating from Good, but a severe one does not send it to Again."""

from __future__ import annotations

import json

from failtui.decks.catalog import load_catalog
from failtui.grading import grade_answer
from failtui.grading.clauses import split_clauses
from failtui.grading.labels import RED_FLAGS
from failtui.grading.model import load_model
from failtui.grading.verdict import suggest_rating
from failtui.models import Grade, RedFlagResult
from failtui.report import grade_report
from failtui.ui.screens.feedback import feedback_text

ALL = {"context", "failure", "impact", "remedy", "lesson"}
# Grave harm told briefly, the issue's own example, which the shipped model flags
# `catastrophic` between the two thresholds (rightly, if with less confidence than it should:
# training/README.md, "Intended use and known limits"; without "I learned to be careful." the
# flag is sure, over 0.5).
COMPANY_WENT_UNDER = (
    "I deleted the main customer database by mistake and the company went under; 30 people "
    "were laid off. I learned to be careful."
)
POSSIBLE = "Unethical, illegal, unsafe or career-ending"
BLAME = "That wasn't our fault, our suppliers had made a mistake on their side."


def test_a_tentative_severe_flag_does_not_by_itself_suggest_again():
    assert suggest_rating(0.9, ALL, ["blame"], 0.9, tentative=["blame"]) == "hard"
    assert suggest_rating(0.9, ALL, ["blame"], 0.9) == "again"
    assert suggest_rating(0.1, ALL, ["blame"], 0.2, tentative=["blame"]) == "again"
    assert suggest_rating(0.9, ALL, ["blame", "non-work"], 0.9, tentative=["blame"]) == "again"


def test_a_flag_the_model_is_sure_of_is_not_tentative():
    # `blame` at about 0.8, over 0.5; the company gone under `catastrophic` at about 0.48,
    # between the lowered threshold (about 0.3) and 0.5.
    model = load_model()
    flagged = {}
    for text in (COMPANY_WENT_UNDER, BLAME):
        clauses = split_clauses(text)
        scores = model.score(clauses, sum(c.words for c in clauses))
        flagged[text] = {f: scores.tentative[f] for f in RED_FLAGS if scores.present[f]}
    assert flagged == {COMPANY_WENT_UNDER: {"catastrophic": True}, BLAME: {"blame": False}}
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    assert grade_answer(card, BLAME).suggested_rating == "again"


def test_a_tentative_flag_is_shown_as_possible_and_stored_as_such():
    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(card, COMPANY_WENT_UNDER)
    assert [(rf.id, rf.tentative) for rf in grade.red_flags] == [("catastrophic", True)]
    assert grade.suggested_rating == "hard"
    label = f"{POSSIBLE} (possible)"
    assert grade.red_flags[0].shown_label == label
    evidence = '"I deleted the main customer database by mistake and the company went under;"'
    lines = feedback_text(card, grade).plain.splitlines()
    assert lines[lines.index("Red flags") + 1] == f" ! {label}  {evidence}"
    assert f"  (!) {label}  - {evidence}" in grade_report(card, grade).splitlines()
    stored = json.loads(json.dumps(grade.to_dict()))
    assert stored["red_flags"][0]["tentative"] is True
    again = Grade.from_dict(stored)
    assert again.red_flags[0].tentative is True
    assert again.to_dict() == grade.to_dict()


def test_a_sure_flag_has_no_tentative_key_in_the_json():
    flag = RedFlagResult("blame", "Blaming others", "their fault", "", 0.9)
    grade = Grade("c", "d", (), (flag,), 0.0, 3, 1.0, 0.0, "again")
    assert grade.to_dict()["red_flags"] == [
        {"id": "blame", "label": "Blaming others", "evidence": "their fault", "advice": "",
         "probability": 0.9}
    ]  # fmt: skip
    assert flag.shown_label == "Blaming others"


def test_corrections_keep_a_possible_flag_dismiss_it_or_confirm_it():
    from failtui.corrections import apply_marks
    from failtui.models import KEY_POINT, RED_FLAG

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(card, COMPANY_WENT_UNDER)

    def flags_and_rating(marks):
        corrected = apply_marks(card, COMPANY_WENT_UNDER, grade, marks)
        return [(rf.id, rf.tentative) for rf in corrected.red_flags], corrected.suggested_rating

    # Another correction leaves it possible; dismissing it removes it; naming it confirms it,
    # and a confirmed severe flag suggests Again.
    assert flags_and_rating({(KEY_POINT, "lesson"): True}) == ([("catastrophic", True)], "hard")
    assert flags_and_rating({(RED_FLAG, "catastrophic"): False})[0] == []
    assert flags_and_rating({(RED_FLAG, "catastrophic"): True}) == (
        [("catastrophic", False)],
        "again",
    )


def test_the_live_panel_marks_a_possible_flag_with_a_question_mark():
    from failtui.ui.widgets.live_panel import live_panel_text

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    grade = grade_answer(card, COMPANY_WENT_UNDER)
    lines = live_panel_text(grade, 0.0).plain.splitlines()
    assert lines[lines.index("Red flags") + 1] == f" ? {POSSIBLE}"


def test_a_flag_found_by_the_cards_own_cue_is_never_tentative():
    from dataclasses import replace

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    cued = replace(
        card,
        red_flags=tuple(
            replace(rf, cues=("the company went under",)) if rf.id == "catastrophic" else rf
            for rf in card.red_flags
        ),
    )
    grade = grade_answer(cued, COMPANY_WENT_UNDER)
    assert [(rf.id, rf.tentative) for rf in grade.red_flags] == [("catastrophic", False)]
    assert grade.suggested_rating == "again"


def test_the_corrections_export_tells_a_possible_flag_from_a_sure_one():
    from failtui.corrections import apply_marks, export_record
    from failtui.models import RED_FLAG
    from failtui.storage.queries import CorrectedAnswer

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    model = grade_answer(card, COMPANY_WENT_UNDER)
    flags = {rf.id: rf.label for rf in card.red_flags}
    grave = list(flags).index("catastrophic")

    def exported(marks: dict) -> list[dict]:
        user = apply_marks(card, COMPANY_WENT_UNDER, model, marks)
        answer = CorrectedAnswer(
            1, "failure-question/biggest-failure", "failure-question",
            "2026-12-05T12:00:00+00:00", COMPANY_WENT_UNDER, user.to_dict(), model.to_dict(), (),
        )  # fmt: skip
        return export_record(answer, card)["red_flags"]

    expected = [
        {"id": i, "label": label, "model": False, "user": i == "blame"}
        for i, label in flags.items()
    ]
    # The user adds `blame` and leaves the possible `catastrophic` as it is.
    expected[grave] = {
        "id": "catastrophic", "label": flags["catastrophic"], "model": True, "tentative": True,
        "user": True, "user_tentative": True,
    }  # fmt: skip
    assert exported({(RED_FLAG, "blame"): True}) == expected
    # Confirmed, it is the user's sure label.
    expected[grave] = {
        "id": "catastrophic", "label": flags["catastrophic"], "model": True, "tentative": True,
        "user": True,
    }  # fmt: skip
    assert exported({(RED_FLAG, "blame"): True, (RED_FLAG, "catastrophic"): True}) == expected
