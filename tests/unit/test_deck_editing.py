"""Deck editing in the core: the card form to a card, the edit merged with what changed on disk,
and the save with its backup (decks/editing.py; the screens only collect the form)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from failtui.decks.editing import (
    CardForm,
    CardFormError,
    DeckEdit,
    Edited,
    LoadedCard,
    Saved,
    SaveError,
    card_deletion,
    card_edit,
    card_from_form,
    delete_card_from_file,
    followups_edit,
)
from failtui.decks.files import DeckChangedOnDisk, DeckSource
from failtui.decks.reader import parse_deck
from failtui.models import Card, FollowUp, KeyPoint

DECK = """# Written by hand.
id = "mine"
title = "Mine"

[[key_points]]
id = "shared"
label = "A shared point"
cues = ["shared cue"]

[[cards]]
id = "first"
prompt = "Tell me about a failure."   # my phrasing
answer = "What happened."
tags = ["mine"]
key_points = ["shared"]

[[cards]]
id = "second"
kind = "tip"
prompt = "Keep it short."
answer = "Two minutes."
"""


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "decks" / "mine.toml"
    path.parent.mkdir()
    path.write_text(DECK, encoding="utf-8")
    return path


def loaded(path: Path, card_id: str | None) -> tuple[DeckSource, LoadedCard, CardForm | None]:
    """The file read as the editor reads it, and the form as it would first show the card."""
    source = DeckSource.read(path)
    card = source.deck().card(card_id) if card_id else None
    base = LoadedCard.of(source, "mine", card_id, card)
    return source, base, CardForm.of(card, base.shared) if card else None


def edit_on_disk(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the form -------------------------------------------------------------------------------


def test_the_form_of_a_card_names_deck_level_points_by_id(deck_path):
    _source, _base, form = loaded(deck_path, "first")
    assert form == CardForm(
        id="first",
        kind="question",
        prompt="Tell me about a failure.",
        answer="What happened.",
        tags="mine",
        key_points="shared",
        red_flags="",
    )


HINTED = """id = "mine"
title = "Mine"

[[cards]]
id = "deploy"
prompt = "Tell me about a failed deploy."
answer = "No rollback plan."

[[cards.key_points]]
id = "rollback-plan"
label = "No rollback plan"
cues = ["rollback plan", "no way back"]
hint = "Say you had no rollback plan."

[[cards.key_points]]
id = "cost"
label = "What it cost"
cues = ["cost"]
weight = 2.0
"""


def test_the_form_shows_a_key_points_hint_and_weight_as_it_reads_them(deck_path):
    deck_path.write_text(HINTED, encoding="utf-8")
    source, base, form = loaded(deck_path, "deploy")
    assert form is not None
    assert form.key_points == (
        "rollback-plan | No rollback plan | rollback plan; no way back"
        " | Say you had no rollback plan.\n"
        "cost | What it cost | cost |  | 2.0"
    )
    # The lines read back as the very key points: retyping them keeps the hint and weight ...
    retyped = replace(form, key_points=form.key_points + "\n")
    assert card_from_form(retyped, base, form, source.deck()) == base.card
    # ... and a hint deleted from its line is gone.
    cleared = replace(
        form, key_points=form.key_points.replace(" | Say you had no rollback plan.", "")
    )
    card = card_from_form(cleared, base, form, source.deck())
    assert [kp.hint for kp in card.key_points] == ["", ""]


def test_a_new_card_gets_an_id_made_from_its_prompt(deck_path):
    source, base, _form = loaded(deck_path, None)
    form = CardForm(prompt=" Keep it short. ", answer="Say less.", tags="a b")
    card = card_from_form(form, base, CardForm(), source.deck())
    assert card == Card(
        deck_id="mine",
        id="keep-it-short",
        kind="question",
        prompt="Keep it short.",
        answer="Say less.",
        tags=("a", "b"),
    )


def test_a_new_cards_id_from_a_prompt_with_accents_and_an_emoji_is_plain_whole_words(deck_path):
    source, base, _form = loaded(deck_path, None)
    form = CardForm(prompt="Tell me about a failure 💥 with ünïcödé", answer="Say it.")
    card = card_from_form(form, base, CardForm(), source.deck())
    assert card.id == "tell-me-about-a-failure-with-unicode"
    form = CardForm(prompt="Tell me about a time you missed a deadline", answer="Say it.")
    card = card_from_form(form, base, CardForm(), source.deck())
    assert card.id == "tell-me-about-a-time-you-missed-a"  # 40 characters at most, whole words


def test_untouched_fields_keep_the_cards_own_values_exactly(deck_path):
    source, base, form = loaded(deck_path, "first")
    assert form is not None
    card = card_from_form(replace(form, answer=" New guidance. "), base, form, source.deck())
    assert card == replace(base.card, answer="New guidance.")
    assert card.key_points == (KeyPoint("shared", "A shared point", ("shared cue",)),)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"prompt": "  "}, "the prompt is empty: write the question or the tip"),
        ({"id": "second"}, "card id 'second' is already used in this deck"),
        (
            {"key_points": "nope"},
            "key points, line 1: 'nope' is not a deck-level key point; "
            "write 'label | cue; cue' or 'id | label | cue; cue'",
        ),
    ],
)
def test_a_form_that_is_not_a_card_says_what_is_wrong(deck_path, change, message):
    source, base, form = loaded(deck_path, "first")
    assert form is not None
    with pytest.raises(CardFormError) as caught:
        card_from_form(replace(form, **change), base, form, source.deck())
    assert str(caught.value) == message


def test_a_new_card_with_neither_guidance_nor_key_points_is_refused(deck_path):
    # Graded against nothing, every answer to it would score 0% and be rated Again.
    source, base, _form = loaded(deck_path, None)
    form = CardForm(id="stakeholder-miss", prompt="Tell me about a stakeholder you missed.")
    with pytest.raises(CardFormError) as caught:
        card_from_form(form, base, CardForm(), source.deck())
    assert str(caught.value) == (
        "card 'stakeholder-miss': the guidance is empty: "
        "a card without key points is graded against it"
    )
    card = card_from_form(replace(form, answer="Name them all."), base, CardForm(), source.deck())
    assert (card.answer, card.key_points) == ("Name them all.", ())


# -- saving and the three-way merge ----------------------------------------------------------


def test_no_change_on_disk_saves_the_edit_with_no_backup(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, "first")
    mine = replace(base.card, answer="Mine.")
    saved = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path).save()
    assert saved == Saved(DeckSource.read(deck_path))
    assert deck_path.read_text(encoding="utf-8") == DECK.replace(
        'answer = "What happened."', 'answer = "Mine."'
    )
    assert not (tmp_path / "backups").exists()


def test_a_different_card_changed_on_disk_is_kept_by_a_merge(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, "first")
    mine = replace(base.card, answer="Mine.")
    edit_on_disk(deck_path, 'answer = "Two minutes."', 'answer = "Theirs."')
    editing = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path)
    with pytest.raises(DeckChangedOnDisk):
        editing.save()
    assert deck_path.read_text(encoding="utf-8") == DECK.replace("Two minutes.", "Theirs.")
    saved = editing.merge()
    assert (saved.overridden, saved.backup) == ("", None)
    assert deck_path.read_text(encoding="utf-8") == DECK.replace("Two minutes.", "Theirs.").replace(
        'answer = "What happened."', 'answer = "Mine."'
    )


def test_the_same_card_changed_on_disk_is_a_conflict_with_theirs_backed_up(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, "first")
    mine = replace(base.card, answer="Mine.", prompt="My prompt?")
    edit_on_disk(deck_path, "What happened.", "Their answer.")
    edit_on_disk(deck_path, 'tags = ["mine"]', 'tags = ["theirs"]')
    theirs_text = deck_path.read_text(encoding="utf-8")
    saved = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path).merge()
    assert saved.overridden == "The file also changed this card's guidance"
    assert saved.backup is not None
    assert saved.backup.parent == tmp_path / "backups" / "decks"
    assert saved.backup.read_text(encoding="utf-8") == theirs_text
    # Mine where I changed a field, theirs where only they did.
    assert parse_deck(deck_path.read_text(encoding="utf-8"), deck_path).card("first") == replace(
        base.card, prompt="My prompt?", answer="Mine.", tags=("theirs",)
    )


def test_a_card_deleted_on_disk_is_saved_again_and_said_so(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, "second")
    mine = replace(base.card, answer="Mine.")
    edit_on_disk(deck_path, DECK[DECK.index('\n[[cards]]\nid = "second"') :], "\n")
    saved = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path).merge()
    assert saved.overridden == "This card had been deleted in the file; it is saved again"
    assert [c.id for c in parse_deck(deck_path.read_text(encoding="utf-8"), deck_path).cards] == [
        "first",
        "second",
    ]
    assert parse_deck(deck_path.read_text(encoding="utf-8"), deck_path).card("second") == mine


def test_overwrite_writes_mine_and_keeps_theirs_in_the_backups(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, "first")
    mine = replace(base.card, answer="Mine.")
    edit_on_disk(deck_path, "Two minutes.", "Theirs.")
    theirs_text = deck_path.read_text(encoding="utf-8")
    written = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path).overwrite()
    assert written.text == DECK.replace('answer = "What happened."', 'answer = "Mine."')
    assert deck_path.read_text(encoding="utf-8") == written.text
    (backup,) = (tmp_path / "backups" / "decks").iterdir()
    assert backup.read_text(encoding="utf-8") == theirs_text


def test_keep_both_saves_mine_as_a_new_deck_beside_theirs(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, "first")
    mine = replace(base.card, answer="Mine.")
    edit_on_disk(deck_path, "Two minutes.", "Theirs.")
    copy = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path).keep_both({"mine"})
    assert copy == tmp_path / "decks" / "mine-copy.toml"
    kept = parse_deck(copy.read_text(encoding="utf-8"), copy)
    assert (kept.id, kept.card("first").answer, kept.card("second").answer) == (
        "mine-copy",
        "Mine.",
        "Two minutes.",
    )
    assert deck_path.read_text(encoding="utf-8") == DECK.replace("Two minutes.", "Theirs.")


def test_a_new_card_whose_id_was_taken_on_disk_meanwhile_is_not_saved(deck_path, tmp_path):
    source, base, _form = loaded(deck_path, None)
    mine = Card(deck_id="mine", id="third", kind="question", prompt="Third?", answer="")
    edit_on_disk(deck_path, 'id = "second"', 'id = "third"')
    editing = DeckEdit(source, card_edit(deck_path, base, mine), tmp_path)
    with pytest.raises(SaveError) as caught:
        editing.merge()
    assert str(caught.value) == "card id 'third' was added to the file meanwhile; choose another id"


def test_deleting_a_card_of_a_file_that_cannot_be_read_says_which(tmp_path):
    missing = tmp_path / "gone.toml"
    with pytest.raises(SaveError) as caught:
        DeckEdit.of_file(missing, card_deletion(missing, "first"), tmp_path)
    assert str(caught.value) == f"{missing}: cannot read file: No such file or directory"


def test_deleting_a_card_saves_the_deck_without_it_and_keeps_a_copy(deck_path, tmp_path):
    saved = delete_card_from_file(deck_path, "second", tmp_path).save()
    # The card's block goes and nothing else changes, the hand-written comments included.
    assert deck_path.read_text(encoding="utf-8") == DECK[: DECK.index('[[cards]]\nid = "second"')]
    # The file as it was is copied to the backups first, as before a deck is deleted.
    (backup,) = (tmp_path / "backups" / "decks").iterdir()
    assert (saved.overridden, saved.backup) == ("", backup)
    assert backup.read_text(encoding="utf-8") == DECK
    assert backup.name.startswith("mine.") and backup.suffix == ".toml"


def test_deleting_a_card_of_a_file_changed_on_disk_copies_it_only_when_written(deck_path, tmp_path):
    deletion = delete_card_from_file(deck_path, "second", tmp_path)
    edit_on_disk(deck_path, "Two minutes.", "Theirs.")
    theirs = deck_path.read_text(encoding="utf-8")
    with pytest.raises(DeckChangedOnDisk):
        deletion.save()
    assert not (tmp_path / "backups").exists()  # nothing written, so no copy either
    saved = deletion.merge()
    assert saved.backup is not None and saved.backup.read_text(encoding="utf-8") == theirs
    assert deck_path.read_text(encoding="utf-8") == DECK[: DECK.index('[[cards]]\nid = "second"')]


def test_overwriting_with_a_card_deletion_keeps_a_copy_of_the_file(deck_path, tmp_path):
    deletion = delete_card_from_file(deck_path, "second", tmp_path)
    deletion.overwrite()  # the file did not change on disk: it is copied all the same
    (backup,) = (tmp_path / "backups" / "decks").iterdir()
    assert backup.read_text(encoding="utf-8") == DECK


def test_followups_changed_on_both_sides_are_a_conflict():
    path = Path("mine.toml")
    base = (FollowUp("lesson", "What did you learn?"),)
    mine = (FollowUp("lesson", "What exactly did you learn?"),)
    text = DECK + '\n[[followups]]\nkey_point = "lesson"\nprompt = "Theirs?"\n'
    edited = followups_edit(path, base, mine)(text)
    assert isinstance(edited, Edited)
    assert edited.overridden == "The file's follow-ups had also changed"
    assert parse_deck(edited.text, path).followups == mine
