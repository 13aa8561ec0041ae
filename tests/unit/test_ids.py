"""Ids made from text (decks/ids.py): ASCII, whole words, valid by the id rule."""

from __future__ import annotations

from failtui.decks.ids import DECK_ID_PATTERN, ID_PATTERN, slugify


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
