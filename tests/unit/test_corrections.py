"""Corrections of a grade: the id line, the corrected grade, the sentence taught as a cue."""

from __future__ import annotations

import pytest

from failtui.corrections import (
    CorrectionError,
    apply_marks,
    corrections_between,
    cue_sentence,
    dismissed_clauses,
    parse_marks,
    remembered_dismissals,
    same_clause,
    sentences,
    still_remembered,
    with_personal_cues,
)
from failtui.decks.catalog import load_catalog
from failtui.models import (
    KEY_POINT,
    RED_FLAG,
    Card,
    Correction,
    Grade,
    KeyPoint,
    KeyPointResult,
    RedFlag,
    RedFlagResult,
)

CARD = Card(
    deck_id="my-deck",
    id="first",
    kind="question",
    prompt="Tell me about a time you failed.",
    answer="Say what happened and what you learned.",
    key_points=(
        KeyPoint("context", "Situation and your role", ("as a",)),
        KeyPoint("failure", "Your own mistake", ("i forgot",), weight=2.0),
        KeyPoint("remedy", "What you fixed", ("i fixed", "to fix it")),
        KeyPoint("lesson", "What you learned", ("i learned",)),
    ),
    red_flags=(
        RedFlag("blame", "Blaming others", ("my boss",), "Own your part."),
        RedFlag("trivial", "Too small", ("a typo",), "Pick something that mattered."),
    ),
)
ANSWER = (
    "As a shift lead I ran the night crew. I forgot to check the pallets. "
    "My boss was furious. That night I rechecked every pallet with the driver. "
    "I learned to check before loading."
)


def model_grade() -> Grade:
    """What the grader said: remedy missed, blame raised."""
    return Grade(
        card="first",
        deck="my-deck",
        key_points=(
            KeyPointResult("context", "Situation and your role", True, 90.0,
                           "As a shift lead I ran the night crew."),
            KeyPointResult("failure", "Your own mistake", True, 95.0,
                           "I forgot to check the pallets.", weight=2.0),
            KeyPointResult("remedy", "What you fixed", False, 40.0, "", hint="Say what you fixed."),
            KeyPointResult("lesson", "What you learned", True, 100.0,
                           "I learned to check before loading."),
        ),
        red_flags=(
            RedFlagResult("blame", "Blaming others", "My boss was furious.", "Own your part."),
        ),
        coverage=0.8,
        words=30,
        speaking_seconds=13.8,
        lesson_share=0.2,
        suggested_rating="again",
    )  # fmt: skip


def test_parse_marks_reads_ids_and_minus_ids():
    assert parse_marks("remedy -blame", CARD, model_grade()) == {
        (KEY_POINT, "remedy"): True,
        (RED_FLAG, "blame"): False,
    }
    assert parse_marks("  -lesson, trivial ", CARD, model_grade()) == {
        (KEY_POINT, "lesson"): False,
        (RED_FLAG, "trivial"): True,
    }
    assert parse_marks("", CARD, model_grade()) == {}


def test_parse_marks_names_the_unknown_id():
    with pytest.raises(CorrectionError) as caught:
        parse_marks("remedy -humblebrag", CARD, model_grade())
    assert str(caught.value) == "'humblebrag' is not a key point or red flag of this card"
    assert caught.value.item_id == "humblebrag"


def test_sentences_split_on_stops_and_lines():
    assert sentences("One two. Three?\n- four\n\nfive!  ") == [
        "One two.",
        "Three?",
        "- four",
        "five!",
    ]


def test_cue_sentence_is_the_unused_sentence_between_its_neighbours():
    # Between failure (sentence 2) and lesson (sentence 5): "My boss was furious." raised a red
    # flag, so the remedy is the sentence after it.
    assert cue_sentence(CARD, model_grade(), "remedy", ANSWER) == (
        "That night I rechecked every pallet with the driver."
    )


def test_cue_sentence_without_neighbours_takes_the_closest_words():
    grade = model_grade()
    bare = Grade(**{**grade.__dict__, "key_points": tuple(
        KeyPointResult(k.id, k.label, False, 0.0, "") for k in grade.key_points
    ), "red_flags": ()})  # fmt: skip
    answer = "We shipped late. To fix it I rewrote the loader. Nobody noticed."
    assert cue_sentence(CARD, bare, "remedy", answer) == "To fix it I rewrote the loader."


def test_cue_sentence_skips_sentences_too_short_to_teach():
    grade = model_grade()
    assert cue_sentence(CARD, grade, "remedy", "Yes. I did.") == ""


def test_apply_marks_corrects_labels_coverage_and_rating():
    grade = model_grade()
    corrected = apply_marks(CARD, ANSWER, grade, {(KEY_POINT, "remedy"): True,
                                                  (RED_FLAG, "blame"): False})  # fmt: skip
    assert [(k.id, k.covered) for k in corrected.key_points] == [
        ("context", True), ("failure", True), ("remedy", True), ("lesson", True),
    ]  # fmt: skip
    remedy = corrected.key_points[2]
    assert remedy.evidence == "That night I rechecked every pallet with the driver."
    assert remedy.score == 100.0
    assert corrected.red_flags == ()
    assert corrected.coverage == 1.0
    assert corrected.suggested_rating == "easy"
    # What the answer is and how long it takes to say are not the user's to correct.
    assert (corrected.words, corrected.lesson_share) == (grade.words, grade.lesson_share)


def test_apply_marks_misses_a_key_point_and_raises_a_flag():
    corrected = apply_marks(CARD, ANSWER, model_grade(), {(KEY_POINT, "failure"): False,
                                                          (RED_FLAG, "trivial"): True})  # fmt: skip
    failure = corrected.key_points[1]
    assert (failure.covered, failure.evidence, failure.score) == (False, "", 0.0)
    assert corrected.red_flags == (
        RedFlagResult("blame", "Blaming others", "My boss was furious.", "Own your part."),
        RedFlagResult("trivial", "Too small", "", "Pick something that mattered."),
    )
    assert corrected.coverage == pytest.approx(2 / 5)
    assert corrected.suggested_rating == "again"  # blame is still raised


def test_no_marks_is_the_grade_itself():
    grade = model_grade()
    assert apply_marks(CARD, ANSWER, grade, {}) is grade


def test_corrections_between_lists_only_what_differs():
    grade = model_grade()
    corrected = apply_marks(CARD, ANSWER, grade, {
        (KEY_POINT, "remedy"): True, (KEY_POINT, "lesson"): True,  # lesson: as graded
        (RED_FLAG, "blame"): False, (RED_FLAG, "trivial"): True,
    })  # fmt: skip
    assert corrections_between(grade, corrected) == (
        Correction(KEY_POINT, "remedy", "What you fixed", False, True,
                   "That night I rechecked every pallet with the driver."),
        Correction(RED_FLAG, "blame", "Blaming others", True, False),
        Correction(RED_FLAG, "trivial", "Too small", False, True),
    )  # fmt: skip
    assert corrections_between(grade, grade) == ()


def test_with_personal_cues_adds_to_the_key_points_cues():
    cued = with_personal_cues(
        CARD, {"remedy": ("I rechecked every pallet.", "i fixed"), "gone": ("x y z",)}
    )
    assert cued.key_points[2].cues == ("i fixed", "to fix it", "I rechecked every pallet.")
    assert [k.cues for k in cued.key_points[:2]] == [("as a",), ("i forgot",)]
    assert cued.red_flags == CARD.red_flags
    assert with_personal_cues(CARD, {}) is CARD
    assert with_personal_cues(CARD, {"remedy": ("to fix it",)}) is CARD


def test_cue_sentence_with_no_close_match_goes_by_the_key_points_place():
    grade = model_grade()
    bare = Grade(**{**grade.__dict__, "key_points": tuple(
        KeyPointResult(k.id, k.label, False, 0.0, "") for k in grade.key_points
    ), "red_flags": ()})  # fmt: skip
    answer = "We ran nights. Pallets went out wrong. Everyone stayed on to swap them. Calm helps."
    # remedy is third of four key points: two thirds of the way through the answer.
    assert cue_sentence(CARD, bare, "remedy", answer) == "Everyone stayed on to swap them."
    assert cue_sentence(CARD, bare, "context", answer) == "We ran nights."


def _modelled_grade(card, covered: set[str], good: float):
    from failtui.models import Grade, KeyPointResult

    points = tuple(
        KeyPointResult(kp.id, kp.label, kp.id in covered, 90.0 if kp.id in covered else 10.0,
                       "I did it." if kp.id in covered else "", kp.hint, kp.weight, 0.5)
        for kp in card.key_points
    )  # fmt: skip
    total = sum(kp.weight for kp in card.key_points)
    coverage = sum(kp.weight for kp in card.key_points if kp.id in covered) / total
    return Grade(card.id, card.deck_id, points, (), coverage, 3, 1.4, 0.0, "hard",
                 good_probability=good)  # fmt: skip


def test_a_correction_of_the_setting_or_task_keeps_the_models_verdict():
    from failtui.corrections import apply_marks
    from failtui.models import KEY_POINT

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    covered = {"context", "failure", "impact", "remedy", "lesson"}
    grade = _modelled_grade(card, covered, good=0.21)
    corrected = apply_marks(card, "I did it.", grade, {(KEY_POINT, "task"): True})
    assert corrected.good_probability == 0.21
    assert corrected.suggested_rating == "hard"
    # Marking the setting missed does not raise the rating either.
    corrected = apply_marks(card, "I did it.", grade, {(KEY_POINT, "context"): False})
    assert corrected.suggested_rating == "hard"


def test_a_correction_of_the_failure_follows_the_labelling_guide():
    from failtui.corrections import apply_marks
    from failtui.models import KEY_POINT

    card = load_catalog(None).find_card("biggest-failure", "failure-question")
    covered = {"context", "task", "failure", "impact", "remedy", "lesson"}
    grade = _modelled_grade(card, covered, good=0.95)
    corrected = apply_marks(card, "I did it.", grade, {(KEY_POINT, "failure"): False})
    assert corrected.good_probability == 0.0
    assert corrected.suggested_rating == "hard"


# -- red flags dismissed again ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("dismissed", "marks"),
    [
        # The same sentence, and the same one retold with a word changed or a comma added.
        ({"blame": ("My boss was furious.",)}, {(RED_FLAG, "blame"): False}),
        ({"blame": ("My boss was so furious.",)}, {(RED_FLAG, "blame"): False}),
        ({"blame": ("my boss was furious",)}, {(RED_FLAG, "blame"): False}),
        # The same words negated, another sentence of the story, another flag, or nothing
        # dismissed: nothing holds.
        ({"blame": ("My boss wasn't furious.",)}, {}),
        ({"blame": ("My boss was not furious.",)}, {}),
        ({"blame": ("Well, my boss was furious",)}, {}),
        ({"blame": ("My boss never told me about the change.",)}, {}),
        ({"trivial": ("My boss was furious.",)}, {}),
        ({}, {}),
    ],
)
def test_remembered_dismissals_hold_on_the_same_sentence_only(dismissed, marks):
    assert remembered_dismissals(model_grade(), dismissed) == marks


def test_a_flag_raised_by_the_user_has_no_sentence_and_is_never_dismissed_again():
    grade = apply_marks(CARD, "", model_grade(), {(RED_FLAG, "trivial"): True})
    assert [(r.id, r.evidence) for r in grade.red_flags] == [
        ("blame", "My boss was furious."),
        ("trivial", ""),
    ]
    assert remembered_dismissals(grade, {"trivial": ("",), "blame": ("x",)}) == {}


def test_still_remembered_leaves_out_a_flag_the_user_raised_again():
    remembered = {(RED_FLAG, "blame"): False, (RED_FLAG, "trivial"): False}
    assert still_remembered(remembered, remembered) == {"blame", "trivial"}
    marks = {(RED_FLAG, "blame"): True, (RED_FLAG, "trivial"): False, (KEY_POINT, "remedy"): True}
    assert still_remembered(remembered, marks) == {"trivial"}
    assert still_remembered(remembered, {}) == frozenset()


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("It was their fault really.", "it was their fault, really", True),
        ("It was my fault.", "It was not my fault.", False),  # ratio 88, and a negation
        ("My manager was right.", "My manager was wrong.", False),  # ratio 85
        ("The vendor was late, but that was not the reason.",
         "The vendor was late, and that was the reason.", False),
        ("", "", False),
    ],
)  # fmt: skip
def test_same_clause_needs_the_same_negations_and_nearly_the_same_words(one, other, same):
    assert same_clause(one, other) is same


def test_dismissed_clauses_follow_the_users_latest_word():
    dismissed, retold = "My boss was furious.", "My boss was so furious."
    # Dismissed once, then dismissed again (by the session) on the clause retold: the clause
    # the user judged stays the only one, so repeats never drift away from it.
    history = [("blame", dismissed, False), ("blame", retold, False)]
    assert dismissed_clauses(history) == {"blame": (dismissed,)}
    # Kept (raised again) on the clause retold: the dismissal ends; dismissed on another
    # clause later: that one holds.
    history += [("blame", retold, True), ("blame", "The night team never told me.", False)]
    assert dismissed_clauses(history) == {"blame": ("The night team never told me.",)}
    assert dismissed_clauses([("trivial", "It cost nothing.", True)]) == {}


def login_story_card() -> Card:
    from pathlib import Path

    from failtui.decks.reader import parse_deck
    from failtui.decks.story import Story, save_story, story_deck_text
    from failtui.locations import builtin_decks_dir

    story = Story(
        title="Login outage",
        mistake="I skipped the regression checks to meet the deadline.",
        result="12,000 customers locked out for six hours, 40,000 euros in overtime.",
        lesson="A deadline never justifies skipping checks.",
    )
    path = Path("my-stories.toml")
    text = story_deck_text(builtin_decks_dir() / "failure-question.toml")
    return parse_deck(save_story(text, path, story, "login"), path).card("login")


# The grader misses the story's first and third numbers ("people", not "customers"; no
# "euros"), and the sentence that holds them also shows the impact and the second number.
STORY_ANSWER = (
    "I was a backend developer at a bank and owned the login release. I skipped the regression "
    "checks to meet the deadline. A login bug locked out twelve thousand people for six hours "
    "and cost about forty thousand in overtime. I rolled back within the hour and added a "
    "regression gate. I learned that a deadline never justifies skipping checks."
)
NUMBERS_SENTENCE = (
    "A login bug locked out twelve thousand people for six hours and cost about forty thousand "
    "in overtime."
)


def test_a_story_number_marked_covered_teaches_the_sentence_holding_it():
    from failtui.grading import grade_answer

    card = login_story_card()
    model = grade_answer(card, STORY_ANSWER)
    numbers = ["story-login-number-1", "story-login-number-2", "story-login-number-3"]
    assert [(k.id, k.covered) for k in model.key_points if k.id in numbers] == [
        ("story-login-number-1", False),
        ("story-login-number-2", True),
        ("story-login-number-3", False),
    ]
    marks = {(KEY_POINT, numbers[0]): True, (KEY_POINT, numbers[2]): True}
    corrected = apply_marks(card, STORY_ANSWER, model, marks)
    taught = {c.item_id: c.cue for c in corrections_between(model, corrected)}
    assert taught == {numbers[0]: NUMBERS_SENTENCE, numbers[2]: NUMBERS_SENTENCE}
    # Next time, an answer without the numbers is not credited with them.
    cued = with_personal_cues(card, {k: (cue,) for k, cue in taught.items()})
    later = grade_answer(cued, "I rolled back within the hour and added a regression gate.")
    assert [k.covered for k in later.key_points if k.id in numbers] == [False, False, False]


def test_a_story_number_no_sentence_holds_teaches_nothing():
    from failtui.grading import grade_answer

    card = login_story_card()
    answer = "I skipped the regression checks. I rolled back within the hour and added a gate."
    model = grade_answer(card, answer)
    corrected = apply_marks(card, answer, model, {(KEY_POINT, "story-login-number-1"): True})
    number = next(k for k in corrected.key_points if k.id == "story-login-number-1")
    assert (number.covered, number.evidence) == (True, "")
    assert corrections_between(model, corrected)[0].cue == ""
