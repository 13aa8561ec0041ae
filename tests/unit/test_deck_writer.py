"""Writing deck files: comments and order kept, validation first, changes on disk noticed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from failtui.decks.files import (
    DeckChangedOnDisk,
    DeckSource,
    DeckWriteError,
    delete_deck_file,
    write_deck,
)
from failtui.decks.reader import DeckLoadError, load_deck, parse_deck
from failtui.decks.writer import (
    apply_card_changes,
    copy_deck_text,
    create_deck,
    delete_card,
    derived_title,
    save_as_copy,
    set_card,
    set_deck_fields,
)
from failtui.locations import builtin_decks_dir
from failtui.models import Card, KeyPoint, RedFlag

HAND_WRITTEN = """# My own deck, written by hand.
id = "mine"   # do not change: it is the identity of my cards
title = "Mine"
description = "Cards I wrote"

# The one I always get wrong.
[[cards]]
id = "first"
kind = "question"
prompt = "Tell me about a time you failed."  # the phrasing from my last interview
answer = "What happened, what it cost, what I did."
tags = ["mine"]

[[cards.key_points]]
id = "lesson"   # the lesson matters most
label = "What you learned"
cues = ["i learned", "taught me"]

# A tip I keep forgetting.
[[cards]]
id = "second"
kind = "tip"
prompt = "Keep it short."
answer = "Two minutes."
"""


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def test_editing_a_card_keeps_every_comment_and_the_order(deck_path):
    source = DeckSource.read(deck_path)
    card = source.deck().card("first")
    edited = replace(card, prompt="What was your biggest failure?", tags=("mine", "core"))
    text = set_card(source.text, deck_path, edited)
    for line in HAND_WRITTEN.splitlines():
        if line.lstrip().startswith("#") or ("#" in line and "prompt" not in line):
            assert line in text
    assert (
        'prompt = "What was your biggest failure?"  # the phrasing from my last interview' in text
    )
    deck = parse_deck(text, deck_path)
    assert [c.id for c in deck.cards] == ["first", "second"]
    assert deck.card("first").tags == ("mine", "core")
    # Only the changed lines differ.
    changed = set(text.splitlines()) ^ set(HAND_WRITTEN.splitlines())
    assert len(changed) == 4


def test_a_new_card_is_appended_and_loads_back(deck_path):
    text = deck_path.read_text()
    card = Card(
        deck_id="mine",
        id="third",
        kind="pitfall",
        prompt="Blaming [/b] the team",
        answer="Own it.\nSay what you changed.",
        tags=("trap",),
        key_points=(KeyPoint("own", "You own it", ("my fault", "i should have")),),
        red_flags=(RedFlag("blame", "Blame", ("my boss",), "Own your part."),),
    )
    new_text = set_card(text, deck_path, card)
    assert new_text.startswith(HAND_WRITTEN.rstrip("\n"))
    loaded = parse_deck(new_text, deck_path).card("third")
    assert loaded == card


def test_deleting_a_card_removes_its_comment_and_keeps_the_next_ones(deck_path):
    text = delete_card(deck_path.read_text(), deck_path, "first")
    assert "The one I always get wrong" not in text
    assert "# A tip I keep forgetting." in text
    assert "# My own deck, written by hand." in text
    assert [c.id for c in parse_deck(text, deck_path).cards] == ["second"]


def test_renaming_a_card_keeps_its_place_and_refuses_a_taken_id(deck_path):
    text = deck_path.read_text()
    card = parse_deck(text, deck_path).card("second")
    renamed = set_card(text, deck_path, replace(card, id="short"), old_id="second")
    assert [c.id for c in parse_deck(renamed, deck_path).cards] == ["first", "short"]
    with pytest.raises(DeckWriteError, match="already used"):
        set_card(text, deck_path, replace(card, id="first"), old_id="second")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"id": "bad id"},
            "card id 'bad id' must be 1-100 letters, digits, '-', '_' or '.', starting with a "
            "letter or digit",
        ),
        ({"prompt": "  "}, "card 'first': the prompt is empty"),
        ({"kind": "essay"}, "card 'first': kind must be one of question, tip, pitfall"),
        (
            {"key_points": (KeyPoint("x", "X", ()),)},
            "card 'first': key point 'x' needs 'cues', a non-empty list of phrases",
        ),
        ({"key_points": (KeyPoint("x", "", ("a",)),)}, "card 'first': key point 'x' has no label"),
        (
            {"key_points": (KeyPoint("x", "X", ("a",), weight=float("nan")),)},
            "card 'first': key point 'x' 'weight' must be a positive number, not nan",
        ),
        (
            {"key_points": (KeyPoint("x", "X", ("a",), weight=float("inf")),)},
            "card 'first': key point 'x' 'weight' must be a positive number, not inf",
        ),
        (
            {"red_flags": (RedFlag("bad id", "B", ("b",)),)},
            "card 'first': red flag needs an 'id' of 1-100 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit: 'bad id'",
        ),
        (
            {"key_points": (KeyPoint("x", "X", ("a",)), KeyPoint("x", "Y", ("b",)))},
            "card 'first': key point id 'x' is used twice",
        ),
    ],
)
def test_an_invalid_card_is_refused_with_one_line(deck_path, change, message):
    card = replace(parse_deck(HAND_WRITTEN, deck_path).card("first"), **change)
    with pytest.raises(DeckWriteError) as info:
        set_card(HAND_WRITTEN, deck_path, card)
    assert str(info.value) == message


def test_cards_of_the_builtin_deck_keep_their_shared_references():
    path = builtin_decks_dir() / "failure-question.toml"
    text = copy_deck_text(path.read_text(), "fq-mine", "My copy", path)
    card = parse_deck(text, path).cards[3]
    new_text = set_card(text, path, replace(card, prompt="Changed?"))
    diff = set(new_text.splitlines()) ^ set(text.splitlines())
    assert diff == {f'prompt = "{card.prompt}"', 'prompt = "Changed?"'}


def test_a_multiline_string_holding_a_card_header_is_not_mistaken_for_a_card(tmp_path):
    path = tmp_path / "tricky.toml"
    text = (
        'id = "t"\ntitle = "T"\n\n[[cards]]\nid = "a"\nprompt = "A"\n'
        'answer = """Looks like\n[[cards]]\nid = "fake"\n"""\n\n'
        '[[cards]]\nid = "b"\nprompt = "B"\nanswer = "x"\n'
    )
    card = parse_deck(text, path).card("b")
    result = set_card(text, path, replace(card, prompt="B2"))
    deck = parse_deck(result, path)
    assert [c.prompt for c in deck.cards] == ["A", "B2"]
    assert '[[cards]]\nid = "fake"' in deck.cards[0].answer


def test_many_cards_in_one_pass():
    path = Path("big.toml")
    text = 'id = "big"\ntitle = "Big"\n'
    cards = [Card("big", f"c{i}", "question", f"Prompt {i}", f"Answer {i}") for i in range(300)]
    text = apply_card_changes(text, path, upserts=cards)
    deck = parse_deck(text, path)
    assert [c.id for c in deck.cards] == [f"c{i}" for i in range(300)]


def test_create_deck_refuses_bad_ids_and_existing_files(tmp_path):
    path = create_deck(tmp_path, "interview-prep", "Interview prep")
    deck = load_deck(path)
    assert (deck.id, deck.title, deck.cards) == ("interview-prep", "Interview prep", ())
    with pytest.raises(DeckWriteError, match="already exists"):
        create_deck(tmp_path, "interview-prep")
    for bad in ("", "Has Space", "../up", "UPPER", "-dash"):
        with pytest.raises(DeckWriteError, match="lowercase"):
            create_deck(tmp_path, bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["interview-prep.toml"]


def test_a_deck_title_over_the_limit_is_refused_wherever_one_is_given(deck_path, tmp_path):
    too_long = "x" * 201
    attempts = {
        "new": lambda: create_deck(tmp_path, "new-deck", too_long),
        "rename": lambda: set_deck_fields(HAND_WRITTEN, deck_path, title=too_long),
        "copy": lambda: copy_deck_text(HAND_WRITTEN, "copy", too_long, deck_path),
    }
    for name, attempt in attempts.items():
        with pytest.raises(DeckWriteError) as caught:
            attempt()
        assert str(caught.value) == "the title is 201 characters; the limit is 200", name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]
    # The limit itself is fine, counted as the file keeps the title (cleaned and trimmed).
    text = set_deck_fields(HAND_WRITTEN, deck_path, title=f"  \x1b[31m{'y' * 200}\n ")
    assert parse_deck(text, deck_path).title == "y" * 200


def test_a_title_made_from_another_is_cut_to_fit_the_limit():
    assert derived_title("Mine", " (copy)") == "Mine (copy)"
    assert derived_title("word " * 100, " (copy)") == "word " * 38 + "wo… (copy)"
    assert len(derived_title("word " * 100, " (copy)")) == 200
    assert derived_title("A\nB  C") == "A B C"


def test_keep_both_of_a_deck_with_a_title_written_too_long_cuts_the_copys_title(tmp_path):
    path = tmp_path / "long.toml"
    text = HAND_WRITTEN.replace('title = "Mine"', f'title = "{"Long " * 1000}"')
    copy = save_as_copy(tmp_path, text, path, taken={"mine"})
    assert load_deck(copy).title == "Long " * 38 + "Lo… (copy)"


def test_renaming_a_deck_changes_only_its_title(deck_path):
    text = set_deck_fields(HAND_WRITTEN, deck_path, title="My cards")
    assert 'title = "My cards"' in text
    assert text.replace('title = "My cards"', 'title = "Mine"') == HAND_WRITTEN


def test_write_refuses_a_file_changed_on_disk_and_force_keeps_a_backup(deck_path, tmp_path):
    source = DeckSource.read(deck_path)
    mine = set_deck_fields(source.text, deck_path, title="Mine, edited in the app")
    theirs = HAND_WRITTEN.replace("Keep it short.", "Keep it short (edited by hand).")
    deck_path.write_text(theirs, encoding="utf-8")
    with pytest.raises(DeckChangedOnDisk):
        write_deck(source, mine)
    assert deck_path.read_text() == theirs  # nothing written
    backups = tmp_path / "backups" / "decks"
    written = write_deck(source, mine, force=True, backups=backups)
    assert deck_path.read_text() == mine
    (backup,) = backups.iterdir()
    assert backup.read_text() == theirs  # their version is kept
    assert not written.changed_on_disk()


def test_keep_both_writes_a_copy_that_loads_beside_the_original(deck_path, tmp_path):
    mine = set_deck_fields(HAND_WRITTEN, deck_path, title="Edited")
    copy = save_as_copy(tmp_path, mine, deck_path, taken={"mine"})
    assert copy.name == "mine-copy.toml"
    deck = load_deck(copy)
    assert (deck.id, deck.title) == ("mine-copy", "Edited (copy)")
    assert deck_path.read_text() == HAND_WRITTEN


def test_an_invalid_text_is_never_written(deck_path):
    source = DeckSource.read(deck_path)
    with pytest.raises(DeckLoadError):
        write_deck(source, 'id = "mine"\ntitle = \n')
    assert deck_path.read_text() == HAND_WRITTEN


@pytest.mark.parametrize(
    ("written", "by_hand", "problem"),
    [
        (
            'title = "Mine"',
            'title "Mine"',
            "3: invalid TOML: Expected '=' after a key in a key/value pair",
        ),
        (
            'kind = "tip"\n',
            'kind = "tip"\nprompt = "A"\n',
            "24: invalid TOML: 'prompt' is already set on line 23",
        ),
    ],
)
def test_a_file_broken_by_hand_is_refused_in_the_words_of_decks_validate(
    deck_path, written, by_hand, problem
):
    from failtui.decks.story import Story, save_story

    text = HAND_WRITTEN.replace(written, by_hand)
    message = f"{deck_path}:{problem}"
    with pytest.raises(DeckLoadError) as loading:
        parse_deck(text, deck_path)
    assert str(loading.value) == message  # what `failtui decks validate` prints
    story = Story(title="Pallets", mistake="I skipped it.", result="40 orders.", lesson="Check.")
    for edit in (
        lambda: save_story(text, deck_path, story, "pallets"),  # read by tomllib
        lambda: set_deck_fields(text, deck_path, title="Renamed"),  # read by tomlkit
    ):
        with pytest.raises(DeckWriteError) as writing:
            edit()
        assert str(writing.value) == message


def test_deleting_a_deck_moves_it_to_backups(deck_path, tmp_path):
    target = delete_deck_file(deck_path, tmp_path / "backups" / "decks")
    assert not deck_path.exists()
    assert target.parent == tmp_path / "backups" / "decks"
    assert target.read_text() == HAND_WRITTEN


def test_editor_lines_round_trip_separators_that_are_text():
    from failtui.decks.card_text import (
        format_key_points,
        format_red_flags,
        format_tags,
        parse_key_points,
        parse_red_flags,
        parse_tags,
    )

    points = (KeyPoint("cost", "Cost | in %; per day", ("number; percent", "a\\b", "end\\")),)
    flags = (RedFlag("vague", "Vague | x", ("a lot",), "Say it: 12% | 3 days; \\ ok"),)
    tags = ("time management", "a,b", 'say "hi"', "back\\slash", "plain")
    assert parse_key_points(format_key_points(points, {}), {}) == points
    assert parse_red_flags(format_red_flags(flags, {}), {}) == flags
    assert parse_tags(format_tags(tags)) == tags
    assert parse_tags("mine projects, other") == ("mine", "projects", "other")


def test_merge_card_takes_each_field_from_the_side_that_changed_it():
    from failtui.decks.card_merge import merge_card

    base = parse_deck(HAND_WRITTEN, Path("mine.toml")).card("first")
    mine = replace(base, prompt="Mine?", answer="Mine.")
    theirs = replace(base, answer="Theirs.", tags=("theirs",))
    merged = merge_card(base, mine, theirs)
    assert (merged.card.prompt, merged.card.answer, merged.card.tags) == (
        "Mine?",
        "Mine.",
        ("theirs",),
    )
    assert merged.conflicts == ("answer",)
    assert merge_card(base, mine, replace(theirs, answer="Mine.")).conflicts == ()
    assert merge_card(base, mine, None).deleted_on_disk


ENDING_COMMENT = """id = "d"
title = "D"

[[cards]]
id = "a"
prompt = "A"
answer = "x"

# A comment about b
[[cards]]
id = "b"
prompt = "B"
answer = "x"

# End of my deck: add more cards above.
"""


def test_deleting_or_editing_the_last_card_keeps_the_comment_that_ends_the_file():
    path = Path("d.toml")
    deleted = delete_card(ENDING_COMMENT, path, "b")
    assert deleted.endswith('answer = "x"\n\n# End of my deck: add more cards above.\n')
    assert "# A comment about b" not in deleted
    card = parse_deck(ENDING_COMMENT, path).card("b")
    edited = set_card(ENDING_COMMENT, path, replace(card, prompt="B2"))
    assert edited == ENDING_COMMENT.replace('prompt = "B"', 'prompt = "B2"')


INLINE_CARDS = """id = "d"
title = "D"
# My cards, inline.
cards = [ {id = "a", prompt = "A", answer = "x"}, {id = "b", prompt = "B", answer = "x" } ]
"""


def test_cards_in_an_inline_array_can_be_edited_added_and_deleted():
    path = Path("d.toml")
    card = parse_deck(INLINE_CARDS, path).card("a")
    changed = replace(card, prompt="A2", key_points=(KeyPoint("k", "K", ("x",)),))
    text = set_card(INLINE_CARDS, path, changed)
    assert parse_deck(text, path).card("a") == changed
    assert "# My cards, inline." in text
    text = set_card(text, path, replace(card, id="c", prompt="C"))
    text = delete_card(text, path, "b")
    assert [(c.id, c.prompt) for c in parse_deck(text, path).cards] == [("a", "A2"), ("c", "C")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('mine "time management', "tags: the quote in '\"time management' is not closed"),
        ('mine "', "tags: the quote in '\"' is not closed"),
    ],
)
def test_a_tag_quote_left_open_is_an_error_not_one_long_tag(typed, message):
    from failtui.decks.card_text import CardTextError, parse_tags

    with pytest.raises(CardTextError) as caught:
        parse_tags(typed)
    assert str(caught.value) == message
