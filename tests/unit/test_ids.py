"""Ids made from text (decks/ids.py): ASCII, whole words, valid by the id rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from failtui.decks.files import DeckWriteError
from failtui.decks.ids import DECK_ID_PATTERN, DECK_ID_RULE, ID_PATTERN, ID_RULE, slugify
from failtui.decks.writer import check_deck_id


def test_accented_letters_become_plain_and_other_characters_are_dropped():
    slug = slugify("Tell me about a failure 💥 with ünïcödé", limit=40)
    assert slug == "tell-me-about-a-failure-with-unicode"
    assert ID_PATTERN.match(slug) and DECK_ID_PATTERN.match(slug)
    # Letters with no accent to take off have their usual spelling; a letter with no plain form
    # leaves its word whole; a symbol between words separates them.
    assert slugify("Straße Ærø Łódź crash→burn Ｆｕｌｌ") == "strasse-aero-lodz-crash-burn-full"
    assert slugify("ab失败cd") == "abcd"
    assert slugify("💥 失败") == ""


def test_a_slug_is_cut_between_words_never_inside_one():
    assert slugify("Tell me about a time you missed a deadline", limit=40) == (
        "tell-me-about-a-time-you-missed-a"
    )
    assert slugify("Déjà vu: the déploiement failed again", limit=20) == "deja-vu-the"
    # Only a first word longer than the limit is cut: there is no word boundary to cut at.
    assert slugify("Supercalifragilistic", limit=5) == "super"


def test_the_id_rules_in_words_are_the_patterns_the_code_checks():
    assert ID_RULE == "1-100 letters, digits, '-', '_' or '.', starting with a letter or digit"
    assert DECK_ID_RULE == (
        "1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit"
    )
    for good in ("a", "My.Deck_2", "x" * 100):
        assert ID_PATTERN.match(good), good
    for bad in ("", "-a", ".a", "a b", "x" * 101):
        assert not ID_PATTERN.match(bad), bad
    for good in ("a", "interview-prep_2", "x" * 64):
        assert DECK_ID_PATTERN.match(good), good
    for bad in ("", "-a", "my.deck", "Mine", "x" * 65):
        assert not DECK_ID_PATTERN.match(bad), bad


def test_the_deck_format_doc_gives_the_id_rules_of_the_code():
    doc = (Path(__file__).parents[2] / "docs" / "deck-format.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| `id` | yes |")]

    def in_markdown(rule: str) -> str:
        return re.sub(r"'([^']+)'", r"`\1`", rule)

    assert rows == [
        # The deck's id.
        f"| `id` | yes | {in_markdown(ID_RULE)}; a deck you create in failtui (`n` or `c` in the "
        "deck list, `failtui decks new` or `decks import`) names its file `ID.toml`, so its id "
        f"is {in_markdown(DECK_ID_RULE)} |",
        # A card's id.
        f"| `id` | yes | as a deck's id ({in_markdown(ID_RULE)}), unique in its deck; with the "
        "deck id it is the card's identity, so editing the text keeps its history |",
    ]


def test_a_new_deck_id_with_a_dot_is_refused_with_the_rule():
    with pytest.raises(DeckWriteError) as caught:
        check_deck_id("interview.prep")
    assert str(caught.value) == (
        "deck id 'interview.prep' must be 1-64 lowercase letters, digits, '-' or '_', starting "
        "with a letter or digit"
    )
