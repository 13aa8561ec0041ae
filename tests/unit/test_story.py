"""The user's story: STAR parts become a card whose key points check the story's details."""

from __future__ import annotations

from pathlib import Path

import pytest

from failtui.decks.files import DeckWriteError
from failtui.decks.reader import parse_deck
from failtui.decks.story import (
    STANDARD_KEY_POINTS,
    STANDARD_RED_FLAGS,
    Story,
    key_phrases,
    numbers_in,
    read_stories,
    save_story,
    specific_key_points,
    story_deck_text,
)
from failtui.grading import grade_answer
from failtui.locations import builtin_decks_dir
from failtui.models import KeyPoint
from failtui.storage import open_db, queries
from failtui.storage.stories import (
    activate_story,
    active_story,
    clear_active_story,
    paused_story_keys,
)

PATH = Path("my-stories.toml")

PALLETS = Story(
    title="The Friday pallet count",
    situation="I was a shift lead at Northfield Logistics, running the evening dispatch.",
    task="I was responsible for getting every order onto the 9pm trucks.",
    mistake="I skipped the final pallet count to make the cut-off.",
    result="40 orders went out wrong and returns cost us $2,000 over three weeks.",
    fix="I rang every affected customer and set up a two-person check on the last pallets.",
    lesson="A shortcut that saves ten minutes can cost a week of cleanup.",
    use_now="During the peak season rush I kept the count and we had zero mis-picks.",
)

DETAILED = (
    "In my last job I was a shift lead at Northfield Logistics, responsible for the evening "
    "dispatch. One Friday I skipped the final pallet count to make the cut-off. As a result 40 "
    "orders went out wrong and the returns cost us $2,000 over three weeks. I rang every affected "
    "customer and set up a two-person check on the last pallets. I learned that a shortcut that "
    "saves ten minutes can cost a week of cleanup. In the peak season rush I kept the count and "
    "we had zero mis-picks."
)
# The same shape (context, failure, impact, remedy, lesson, later use) without the details.
GENERIC = (
    "In my last job I was a team lead and I was responsible for our deliveries. I made a mistake "
    "with some orders and it cost us a lot of money. I apologised and changed how we check our "
    "work. I learned to be more careful. Since then I always check, and it has gone much better."
)


@pytest.fixture
def stories_text() -> str:
    return story_deck_text(builtin_decks_dir() / "failure-question.toml")


def test_numbers_and_phrases_are_the_story_details():
    assert numbers_in(PALLETS.result) == ["40 orders", "$2,000", "three weeks"]
    assert numbers_in("we lost 15% of sales and 3 of us quit") == ["15%", "3"]
    phrases = key_phrases(PALLETS.fix)
    assert "two-person check" in phrases
    assert "affected customer" in phrases
    assert not {"i", "set", "up", "the"} & {p.lower() for p in phrases}


def test_every_number_word_of_the_grader_counts_in_a_story_teens_and_scales_too():
    result = "Thirteen thousand customers waited, sixteen orders went out wrong and nineteen days"
    assert numbers_in(result + " of rework followed; a billion requests failed.") == [
        "Thirteen thousand customers",
        "sixteen orders",
        "nineteen days",
        "billion requests",
    ]


def test_a_number_word_with_no_unit_after_it_is_not_a_number_of_the_story():
    use_now = "Since then every migration has a rehearsed rollback; the next one had zero downtime."
    assert numbers_in(use_now) == []
    assert numbers_in("half the team left; the one who stayed; twenty percent; two weeks") == [
        "twenty percent",
        "two weeks",
    ]
    story = Story(
        title="The migration",
        mistake="I skipped the rehearsal.",
        result="We lost 40 orders.",
        lesson="Rehearse.",
        use_now=use_now,
    )
    numbers = [kp for kp in specific_key_points(story, "m") if "-number-" in kp.id]
    assert numbers == [
        KeyPoint(
            id="story-m-number-1",
            label="A number from your story",
            cues=("40 orders",),
            hint="Say the number of your story: 40 orders.",
        )
    ]


def test_story_card_has_standard_and_specific_key_points(stories_text):
    text = save_story(stories_text, PATH, PALLETS, "pallet-count")
    card = parse_deck(text, PATH).card("pallet-count")
    ids = [kp.id for kp in card.key_points]
    assert ids[:8] == list(STANDARD_KEY_POINTS)
    # The ids hold the story's id, so two stories' details never merge in the statistics.
    assert ids[8:] == [
        "story-pallet-count-number-1",
        "story-pallet-count-number-2",
        "story-pallet-count-number-3",
        "story-pallet-count-mistake",
        "story-pallet-count-fix",
        "story-pallet-count-lesson",
        "story-pallet-count-use-now",
    ]
    assert [rf.id for rf in card.red_flags] == list(STANDARD_RED_FLAGS)
    assert "The Friday pallet count" in card.prompt
    assert "What I fixed: I rang every affected customer" in card.answer
    # The standard items are shared references, as in the built-in deck.
    assert 'key_points = [\n    "context",' in text


def test_telling_the_story_with_its_details_covers_the_specific_points(stories_text):
    card = parse_deck(save_story(stories_text, PATH, PALLETS, "p"), PATH).card("p")
    detailed = {k.id: k.covered for k in grade_answer(card, DETAILED).key_points}
    generic = {k.id: k.covered for k in grade_answer(card, GENERIC).key_points}
    specific = [k for k in detailed if k.startswith("story-")]
    assert all(detailed[k] for k in specific), detailed
    assert not any(generic[k] for k in specific), generic
    # Both have the right shape: the generic one still covers standard points.
    assert generic["context"] and generic["lesson"]


def test_stories_are_kept_in_the_file_and_read_back(stories_text):
    text = save_story(stories_text, PATH, PALLETS, "pallet-count")
    other = Story(title="Late report", mistake="I did not ask", result="2 days late", lesson="ask")
    text = save_story(text, PATH, other, "late-report")
    assert read_stories(text) == {"pallet-count": PALLETS, "late-report": other}
    edited = Story(**{**PALLETS.__dict__, "result": "45 orders went out wrong."})
    text = save_story(text, PATH, edited, "pallet-count")
    assert read_stories(text)["pallet-count"].result == "45 orders went out wrong."
    card = parse_deck(text, PATH).card("pallet-count")
    assert ("45 orders",) in [k.cues for k in card.key_points]
    assert [c.id for c in parse_deck(text, PATH).cards] == ["pallet-count", "late-report"]


def test_a_story_without_its_essentials_is_refused(stories_text):
    with pytest.raises(DeckWriteError, match="needs a title, 'What I did wrong'"):
        save_story(stories_text, PATH, Story(title=" "), "x")


def test_the_active_story_pauses_the_others_without_suspending_them(tmp_path):
    store = open_db(tmp_path / "f.db")
    keys = {"my-stories/a", "my-stories/b", "my-stories/c"}
    activate_story(store, "my-stories/b")
    assert active_story(store) == "my-stories/b"
    assert paused_story_keys(store, keys) == {"my-stories/a", "my-stories/c"}
    assert not queries.card_state(store, "my-stories/a").suspended
    # A story written later is paused too; once the active one is gone, every story is drilled.
    assert paused_story_keys(store, keys | {"my-stories/d"}) == keys - {"my-stories/b"} | {
        "my-stories/d"
    }
    assert paused_story_keys(store, keys - {"my-stories/b"}) == set()
    assert active_story(store, keys - {"my-stories/b"}) is None
    clear_active_story(store)
    assert active_story(store) is None
    assert paused_story_keys(store, keys) == set()
    store.close()


def test_labels_name_what_to_say_and_the_story_itself_is_in_the_hints():
    # The labels are on screen while answering: they must not give the story away.
    story_words = {"pallet", "40", "$2,000", "two-person", "shortcut", "mis-picks", "Northfield"}
    points = specific_key_points(PALLETS, "p")
    for kp in points:
        assert not any(word.lower() in kp.label.lower() for word in story_words), kp.label
    hints = " ".join(kp.hint for kp in points)
    assert "40 orders" in hints and "two-person check" in hints


def test_cues_are_distinctive_phrases_not_single_common_words(stories_text):
    launch = Story(
        title="The big switch",
        mistake="I skipped the pilot and switched all 12 warehouses at once.",
        result="We lost 4000 customers in a month.",
        fix="I rolled back and ran a two-week pilot with one warehouse.",
        lesson="Pilot before you switch.",
        use_now="Last spring I piloted the new scanner with customers first.",
    )
    points = specific_key_points(launch, "switch")
    cues = [cue.lower() for kp in points if "-number-" not in kp.id for cue in kp.cues]
    for generic in ("customers", "switched", "piloted", "warehouses", "pilot"):
        assert generic not in cues
    mistake = next(kp for kp in points if kp.id.endswith("-mistake"))
    assert "skipped the pilot" in mistake.cues
    card = parse_deck(save_story(stories_text, PATH, launch, "switch"), PATH).card("switch")
    grade = grade_answer(card, "We lost 4000 customers and I was sad about it.")
    covered = {k.id for k in grade.key_points if k.covered}
    assert "story-switch-use-now" not in covered


def test_story_key_point_ids_stay_valid_for_a_long_card_id():
    from failtui.decks.ids import ID_PATTERN

    ids = [kp.id for kp in specific_key_points(PALLETS, "x" * 100)]
    assert ids and all(ID_PATTERN.match(i) for i in ids)


def test_a_story_edit_keeps_parts_changed_only_in_the_file_and_names_the_conflicts(stories_text):
    from dataclasses import replace

    from failtui.decks.editing import story_edit

    on_disk = save_story(stories_text, PATH, PALLETS, "pallet-count")
    # Since the form opened: the file changed the lesson and the fix; the form changed the fix
    # and the result.
    theirs = replace(PALLETS, lesson="Count first, always.", fix="I added a scanner check.")
    on_disk = save_story(on_disk, PATH, theirs, "pallet-count")
    mine = replace(PALLETS, fix="A second person counts.", result="41 orders went out wrong.")
    edit, written = story_edit(PATH, PALLETS, mine, "pallet-count", "pallet-count")
    assert written() == mine  # before the edit has run
    edited = edit(on_disk)
    merged = replace(mine, lesson="Count first, always.")
    assert read_stories(edited.text) == {"pallet-count": merged}
    assert edited.overridden == "The file also changed this story's What I fixed"
    assert written() == merged


def test_a_new_storys_id_taken_in_the_file_meanwhile_is_refused(stories_text):
    from failtui.decks.editing import story_edit

    on_disk = save_story(stories_text, PATH, PALLETS, "pallet-count")
    edit, _ = story_edit(PATH, Story(title=""), PALLETS, "pallet-count", None)
    with pytest.raises(DeckWriteError, match="story id 'pallet-count' was added meanwhile"):
        edit(on_disk)


LOGIN = Story(
    title="Login outage",
    mistake="I skipped the regression checks to meet the deadline.",
    result="12,000 customers locked out for six hours, 40,000 euros in overtime.",
    lesson="A deadline never justifies skipping checks.",
)
LOGIN_ANSWER = (
    "I skipped the regression checks to meet the deadline. A login bug locked out twelve "
    "thousand customers for six hours and cost about forty thousand euros. I rolled back "
    "within the hour and added a regression gate."
)


def test_a_number_of_the_story_said_in_words_covers_it(stories_text):
    card = parse_deck(save_story(stories_text, PATH, LOGIN, "login"), PATH).card("login")
    numbers = [k for k in grade_answer(card, LOGIN_ANSWER).key_points if "-number-" in k.id]
    said = (
        "A login bug locked out twelve thousand customers for six hours and cost about forty "
        "thousand euros."
    )
    assert [(k.label, k.covered, k.evidence) for k in numbers] == [
        ("A number from your story (1 of 3)", True, said),
        ("A number from your story (2 of 3)", True, said),
        ("A number from your story (3 of 3)", True, said),
    ]
    # Another number is not the story's, however close in digits or words.
    other = grade_answer(card, "Thirteen thousand customers waited and 4,000 euros went.")
    assert [k.covered for k in other.key_points if "-number-" in k.id] == [False, False, False]
