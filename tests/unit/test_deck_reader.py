"""Reading and validating deck files."""

from __future__ import annotations

from pathlib import Path

import pytest

from failtui.decks.catalog import CardLookupError, load_catalog
from failtui.decks.reader import DeckLoadError, load_deck, parse_deck
from failtui.locations import builtin_decks_dir
from failtui.models import DeckError
from tests.conftest import SMALLEST_DECK


def write(tmp_path: Path, text: str, name: str = "deck.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(DeckLoadError) as info:
        load_deck(write(tmp_path, text))
    return str(info.value)


def test_smallest_deck_loads_as_written(tmp_path):
    deck = load_deck(write(tmp_path, SMALLEST_DECK))
    assert deck.id == "my-deck"
    (card,) = deck.cards
    assert card.key == "my-deck/first"
    assert [kp.id for kp in card.key_points] == ["lesson"]
    assert card.red_flags[0].advice.startswith("Own your part")
    assert card.tags == ("mine",)


def test_deck_level_points_are_shared_by_reference(tmp_path):
    text = """id = "d"
title = "D"
[[key_points]]
id = "lesson"
label = "Lesson"
cues = ["i learned"]
weight = 1.5
[[red_flags]]
id = "blame"
label = "Blame"
cues = ["my boss"]
advice = "Own it."
[[cards]]
id = "a"
prompt = "A?"
answer = "A."
key_points = ["lesson"]
red_flags = ["blame"]
[[cards]]
id = "b"
prompt = "B?"
answer = "B."
key_points = ["lesson", {id = "extra", label = "Extra", cues = ["something else"]}]
"""
    deck = load_deck(write(tmp_path, text))
    a, b = deck.cards
    assert a.key_points[0] is b.key_points[0]
    assert a.key_points[0].weight == 1.5
    assert [kp.id for kp in b.key_points] == ["lesson", "extra"]
    assert a.kind == "question"


def test_broken_toml_names_file_and_line(tmp_path):
    message = error_of(tmp_path, 'id = "d"\ntitle = "D"\n[[cards]]\nid = "a\n')
    assert "deck.toml:4" in message
    assert "invalid TOML" in message


CARD_HEAD = 'id = "d"\ntitle = "D"\n\n[[cards]]\nid = "a"\nprompt = "P"\nanswer = "A"\n'


@pytest.mark.parametrize(
    ("rest", "said"),
    [
        (  # key points written inline, then as tables (tomllib: "Cannot mutate immutable
            # namespace ('cards', 'key_points')")
            'key_points = [{ id = "x", label = "X", cues = ["x"] }]\n\n'
            '[[cards.key_points]]\nid = "y"\nlabel = "Y"\ncues = ["y"]\n',
            "10: invalid TOML: [[cards.key_points]] adds to 'key_points', which line 8 already "
            "sets inline: write them all inline or all as [[cards.key_points]] tables",
        ),
        (
            'story = { title = "x" }\n[cards.story]\ntitle = "y"\n',
            "9: invalid TOML: [cards.story] adds to 'story', which line 8 already sets inline: "
            "write it inline or as a [cards.story] table",
        ),
        (  # a card's table header with one pair of brackets
            '\n[cards]\nid = "b"\n',
            "9: invalid TOML: [cards] defines 'cards' again (line 4 has [[cards]])",
        ),
        (
            '[[cards.key_points]]\nid = "k"\nlabel = "K"\ncues = ["x"]\n[cards.key_points]\n',
            "12: invalid TOML: [cards.key_points] defines 'cards.key_points' again "
            "(line 8 has [[cards.key_points]])",
        ),
        (  # tomllib names the line where the list ends; the key's own line is reported
            'prompt = [\n  "again",\n]\n',
            "8: invalid TOML: 'prompt' is already set on line 6",
        ),
    ],
    ids=["inline-then-tables", "inline-then-table", "cards-table", "list-then-table", "key"],
)
def test_a_key_or_table_defined_twice_is_named_with_both_lines(tmp_path, rest, said):
    assert error_of(tmp_path, CARD_HEAD + rest) == f"{tmp_path / 'deck.toml'}:{said}"


def test_missing_prompt_names_card_and_line(tmp_path):
    text = (
        'id = "d"\ntitle = "D"\n\n[[cards]]\nid = "a"\nprompt = "P"\nanswer = "x"\n\n'
        '[[cards]]\nid = "second"\nanswer = "x"\n'
    )
    message = error_of(tmp_path, text)
    assert message == f"{tmp_path / 'deck.toml'}:10: card 'second': card is missing 'prompt'"


def test_duplicate_card_id(tmp_path):
    text = (
        'id = "d"\ntitle = "D"\n[[cards]]\nid = "a"\nprompt = "P"\nanswer = "x"\n'
        '[[cards]]\nid = "a"\nprompt = "Q"\nanswer = "x"\n'
    )
    assert "card 'a': duplicate card id" in error_of(tmp_path, text)


def test_unknown_key_point_reference(tmp_path):
    text = (
        'id = "d"\ntitle = "D"\n[[cards]]\nid = "a"\nprompt = "P"\nanswer = ""\n'
        'key_points = ["nope"]\n'
    )
    assert "unknown key point 'nope'" in error_of(tmp_path, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "x"', "deck needs an 'id'"),
        ('id = "d"', "deck is missing 'title'"),
        (
            'id = "d"\ntitle = "t"\n[[cards]]\nid = "a"\nprompt = "p"\nanswer = ""\nkind = "quiz"',
            "'kind' must be one of",
        ),
        (
            'id = "d"\ntitle = "t"\n[[cards]]\nid = "a"\nprompt = "p"\nanswer = ""\ntags = "x"',
            "'tags' must be a list",
        ),
        (
            'id = "d"\ntitle = "t"\n[[cards]]\nid = "a"\nprompt = "p"\nanswer = ""\n'
            '[[cards.key_points]]\nid = "k"\nlabel = "K"\ncues = []',
            "needs 'cues'",
        ),
        (
            'id = "d"\ntitle = "t"\n[[cards]]\nid = "a"\nprompt = "p"\nanswer = ""\n'
            '[[cards.key_points]]\nid = "k"\nlabel = "K"\ncues = ["x"]\nweight = -1',
            "'weight'",
        ),
        ('id = "bad id!"\ntitle = "t"', "deck needs an 'id'"),
    ],
)
def test_invalid_decks_give_one_line(tmp_path, text, expected):
    message = error_of(tmp_path, text)
    assert expected in message
    assert "\n" not in message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "deck.toml"
    path.write_bytes(b'id = "d"\n\xff\xfe\x00binary')
    with pytest.raises(DeckLoadError, match=r"deck.toml:2: not UTF-8"):
        load_deck(path)


def test_control_characters_are_stripped(tmp_path):
    text = SMALLEST_DECK.replace("Tell me about", "Tell\\u001b[31m me\\u0007 about")
    deck = load_deck(write(tmp_path, text))
    assert deck.cards[0].prompt.startswith("Tell me about")  # the whole sequence goes


def test_broken_deck_does_not_stop_others(tmp_path):
    home = tmp_path / "home"
    (home / "decks").mkdir(parents=True)
    write(home / "decks", SMALLEST_DECK, "good.toml")
    write(home / "decks", "id = [", "broken.toml")
    catalog = load_catalog(home, include_builtin=False)
    assert [d.id for d in catalog.decks] == ["my-deck"]
    assert len(catalog.errors) == 1
    assert "broken.toml" in str(catalog.errors[0])


def test_duplicate_deck_id_across_files_is_an_error(tmp_path):
    home = tmp_path / "home"
    (home / "decks").mkdir(parents=True)
    write(home / "decks", SMALLEST_DECK, "a.toml")
    write(home / "decks", SMALLEST_DECK, "b.toml")
    catalog = load_catalog(home, include_builtin=False)
    assert len(catalog.decks) == 1
    assert "already used by" in str(catalog.errors[0])


def test_ambiguous_card_lists_candidates(tmp_path):
    home = tmp_path / "home"
    (home / "decks").mkdir(parents=True)
    write(home / "decks", SMALLEST_DECK, "a.toml")
    write(home / "decks", SMALLEST_DECK.replace('id = "my-deck"', 'id = "other"'), "b.toml")
    catalog = load_catalog(home, include_builtin=False)
    with pytest.raises(CardLookupError, match="my-deck/first, other/first"):
        catalog.find_card("first")
    assert catalog.find_card("first", "other").deck_id == "other"


def test_parse_deck_without_file():
    deck = parse_deck(SMALLEST_DECK, Path("inline.toml"))
    assert deck.title == "My deck"


def test_builtin_decks_load_without_errors():
    catalog = load_catalog(None)
    assert catalog.errors == []
    ids = {d.id for d in catalog.decks}
    assert {"failure-question", "failure-tips", "failure-pitfalls"} <= ids
    assert all(d.builtin for d in catalog.decks)
    assert builtin_decks_dir().is_dir()


def test_builtin_question_deck_contract():
    catalog = load_catalog(None)
    deck = catalog.deck("failure-question")
    questions = [c for c in deck.cards if c.kind == "question"]
    assert len({c.prompt for c in questions}) >= 15
    card = deck.card("biggest-failure")
    assert card.prompt == "What is your biggest failure?"
    kp_ids = {"context", "task", "failure", "impact", "quantified", "remedy", "lesson", "applied"}
    rf_ids = {
        "never-failed",
        "blame",
        "humblebrag",
        "non-work",
        "catastrophic",
        "negative",
        "hypothetical",
        "trivial",
    }
    for question in questions:
        assert {kp.id for kp in question.key_points} == kp_ids, question.id
        # "What would you do differently?" invites a would-answer, so it may drop `hypothetical`.
        assert rf_ids - {"hypothetical"} <= {rf.id for rf in question.red_flags}, question.id
    assert {rf.id for rf in card.red_flags} == rf_ids
    # The model decides the standard ids: the built-in deck gives them a label, a hint or advice,
    # and no cues (a cue would add to the model, and hand-written cues cost precision).
    for kp in card.key_points:
        assert kp.cues == () and kp.label and kp.hint, kp.id
    for rf in card.red_flags:
        assert rf.cues == () and rf.label and rf.advice, rf.id


def test_only_the_standard_ids_may_leave_out_cues(tmp_path):
    base = (
        'id = "d"\ntitle = "t"\n[[cards]]\nid = "a"\nkind = "question"\nprompt = "p"\nanswer = ""\n'
    )
    standard = tmp_path / "standard.toml"
    standard.write_text(
        base + '[[cards.key_points]]\nid = "lesson"\nlabel = "L"\n', encoding="utf-8"
    )
    assert load_deck(standard).cards[0].key_points[0].cues == ()
    own = tmp_path / "own.toml"
    own.write_text(base + '[[cards.key_points]]\nid = "pilot"\nlabel = "P"\n', encoding="utf-8")
    with pytest.raises(DeckLoadError, match="key point 'pilot' needs 'cues'"):
        load_deck(own)


def test_tip_and_pitfall_decks_have_key_points():
    catalog = load_catalog(None)
    for deck_id, kind in (("failure-tips", "tip"), ("failure-pitfalls", "pitfall")):
        cards = catalog.deck(deck_id).cards
        assert len(cards) >= 8
        for card in cards:
            assert card.kind == kind
            assert card.key_points, card.id


@pytest.mark.parametrize("weight", ["inf", "-inf", "nan", "+nan", "0", "0.0"])
def test_a_weight_that_is_not_a_positive_finite_number_is_refused(tmp_path, weight):
    # inf and nan are valid TOML floats; a deck holding one made the coverage NaN and the
    # drill crash when storing the attempt, so the reader refuses them with file:line:card.
    text = (
        'id = "d"\ntitle = "t"\n\n[[cards]]\nid = "a"\nprompt = "p"\nanswer = ""\n'
        f'[[cards.key_points]]\nid = "k"\nlabel = "K"\ncues = ["x"]\nweight = {weight}\n'
    )
    message = error_of(tmp_path, text)
    # At the line of the weight, not of the card.
    shown = {"+nan": "nan", "0": "0"}.get(weight, repr(float(weight)))
    assert message.endswith(
        f"deck.toml:12: card 'a': key point 'k' 'weight' must be a positive number, not {shown}"
    )


def test_a_deck_level_weight_of_inf_is_refused(tmp_path):
    text = (
        'id = "d"\ntitle = "t"\n[[key_points]]\nid = "k"\nlabel = "K"\ncues = ["x"]\nweight = inf\n'
    )
    assert "'weight' must be a positive number, not inf" in error_of(tmp_path, text)


def test_a_byte_order_mark_is_read_as_every_reader_reads_it(tmp_path):
    """Windows editors save UTF-8 with a BOM: loading, editing and importing all accept it."""
    from failtui.decks.files import DeckSource
    from failtui.decks.importers import import_file

    path = tmp_path / "bom.toml"
    path.write_bytes(
        b'\xef\xbb\xbfid = "bom"\ntitle = "BOM"\n[[cards]]\nid = "a"\nprompt = "P"\nanswer = "A"\n'
    )
    assert load_deck(path).id == "bom"
    assert DeckSource.read(path).text == path.read_bytes()[3:].decode("utf-8")
    assert [card.id for card in import_file(path, "bom").cards] == ["a"]


DECK_KEY_LIST = "id, title, description, version, key_points, red_flags, cards, followups"

UNKNOWN_KEYS_DECK = """id = "d"
title = "D"
titel = "typo"
[[key_points]]
id = "shared"
label = "Shared"
cue = ["x"]
[[followups]]
key_point = "lesson"
promt = "What did you learn?"
prompt = "What did you learn?"
[[cards]]
id = "a"
prompt = "P"
answer = "A"
tgas = ["x"]
notes = "mine"
[[cards.red_flags]]
id = "r"
label = "R"
cues = ["y"]
advise = "Do not."
[cards.story]
title = "T"
"""


def test_an_unknown_key_close_to_a_known_one_is_a_problem_at_its_own_line(tmp_path):
    path = write(tmp_path, UNKNOWN_KEYS_DECK)
    warnings: list[DeckError] = []
    with pytest.raises(DeckLoadError) as info:
        load_deck(path, every_problem=True, warnings=warnings)
    assert [str(error) for error in info.value.errors] == [
        f"{path}:3: unknown key 'titel' (did you mean 'title'?)",
        f"{path}:7: deck-level key point 'shared': unknown key 'cue' (did you mean 'cues'?)",
        f"{path}:16: card 'a': unknown key 'tgas' (did you mean 'tags'?)",
        f"{path}:22: card 'a': red flag 'r': unknown key 'advise' (did you mean 'advice'?)",
        f"{path}:10: follow-up #1: unknown key 'promt' (did you mean 'prompt'?)",
    ]
    # A key like no known one loses nothing a typo would: it is only a warning.
    assert [str(warning) for warning in warnings] == [
        f"{path}:17: card 'a': unknown key 'notes' is ignored (known keys: id, kind, prompt, "
        "answer, tags, key_points, red_flags, story)",
    ]
    # Loading stops at the first, as for every other problem of a deck file.
    assert str(error_of(tmp_path, UNKNOWN_KEYS_DECK)) == str(info.value.errors[0])


MISSPELT_REQUIRED_KEYS_DECK = """ids = "d"
titel = "D"
[[cards]]
iid = "a"
prompt = "P"
answer = "A"
[[cards]]
id = "b"
promt = "P"
answr = "A"
[[cards]]
id = "c"
answer = "A"
[[followups]]
key_pont = "lesson"
promt = "What did you learn?"
"""


def test_a_misspelt_required_key_is_one_problem_at_the_typo_and_a_missing_one_is_still_named(
    tmp_path,
):
    path = write(tmp_path, MISSPELT_REQUIRED_KEYS_DECK)
    with pytest.raises(DeckLoadError) as info:
        load_deck(path, every_problem=True)
    assert [str(error) for error in info.value.errors] == [
        f"{path}:1: unknown key 'ids' (did you mean 'id'?)",
        f"{path}:2: unknown key 'titel' (did you mean 'title'?)",
        f"{path}:4: card #1: unknown key 'iid' (did you mean 'id'?)",
        f"{path}:9: card 'b': unknown key 'promt' (did you mean 'prompt'?)",
        f"{path}:10: card 'b': unknown key 'answr' (did you mean 'answer'?)",
        f"{path}:12: card 'c': card is missing 'prompt'",
        f"{path}:15: follow-up #1: unknown key 'key_pont' (did you mean 'key_point'?)",
        f"{path}:16: follow-up #1: unknown key 'promt' (did you mean 'prompt'?)",
    ]
    # Loading stops at the first, the typo too.
    assert error_of(tmp_path, MISSPELT_REQUIRED_KEYS_DECK) == str(info.value.errors[0])


EXTRA_KEYS_DECK = """author = "me"
id = "d"
title = "D"
[[key_points]]
id = "shared"
label = "Shared"
cues = ["x"]
source = "a book"
[[cards]]
id = "a"
prompt = "P"
answer = "A"
red_flags = [{ id = "own", label = "Own", cues = ["y"], origin = "me" }]
[[cards.key_points]]
id = "k"
label = "K"
cues = ["z"]
wieght = 2
[cards.extra]
note = "mine"
[meta]
made = "by hand"
"""


def test_a_deck_with_keys_unlike_any_known_one_loads_and_each_is_a_warning_at_its_line(tmp_path):
    path = write(tmp_path, EXTRA_KEYS_DECK.replace("wieght = 2", "weight = 2"))
    warnings: list[DeckError] = []
    deck = load_deck(path, warnings=warnings)
    (card,) = deck.cards
    assert ([kp.id for kp in card.key_points], [rf.id for rf in card.red_flags]) == (
        ["k"],
        ["own"],
    )
    assert [str(warning) for warning in warnings] == [
        f"{path}:1: unknown key 'author' is ignored (known keys: {DECK_KEY_LIST})",
        f"{path}:21: unknown key 'meta' is ignored (known keys: {DECK_KEY_LIST})",
        f"{path}:8: deck-level key point 'shared': unknown key 'source' is ignored (known keys: "
        "id, label, cues, weight, hint)",
        f"{path}:19: card 'a': unknown key 'extra' is ignored (known keys: id, kind, prompt, "
        "answer, tags, key_points, red_flags, story)",
        f"{path}:13: card 'a': red flag 'own': unknown key 'origin' is ignored (known keys: "
        "id, label, cues, advice)",
    ]


def test_a_key_point_typo_is_reported_at_its_own_line_not_the_cards(tmp_path):
    path = write(tmp_path, EXTRA_KEYS_DECK)
    assert error_of(tmp_path, EXTRA_KEYS_DECK) == (
        f"{path}:18: card 'a': key point 'k': unknown key 'wieght' (did you mean 'weight'?)"
    )


def test_an_empty_answer_is_warned_of_only_when_the_card_has_no_key_points(tmp_path):
    # A warning, not an error: a deck saved before the rule still loads.
    head = 'id = "d"\ntitle = "D"\n\n[[cards]]\nid = "a"\nprompt = "P"\nanswer = ""\n'
    warnings: list[DeckError] = []
    assert load_deck(write(tmp_path, head), warnings=warnings).cards[0].answer == ""
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'deck.toml'}:7: card 'a': 'answer' is empty: "
        "a card without key points is graded against it"
    ]
    with_point = head + '[[cards.key_points]]\nid = "k"\nlabel = "K"\ncues = ["x"]\n'
    warnings = []
    assert load_deck(write(tmp_path, with_point), warnings=warnings).cards[0].answer == ""
    assert warnings == []
    # A key point that does not load is its own problem, not also an answer without points.
    broken_point = head + '[[cards.key_points]]\nid = "k"\nlabel = "K"\n'
    with pytest.raises(DeckLoadError) as info:
        load_deck(write(tmp_path, broken_point), every_problem=True)
    assert [e.message for e in info.value.errors] == [
        "key point 'k' needs 'cues', a non-empty list of phrases"
    ]
