"""Property-based: generated deck files, valid and broken, never give a traceback.

A valid deck loads with its cards; anything else gives one :class:`DeckLoadError` whose message
is one line naming the file (and the line and card when known), with no control character that
could reach the terminal. Bounded: fixed example counts, derandomized, no deadline.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failtui.decks import reader
from failtui.decks.reader import DeckLoadError, load_deck, parse_deck
from failtui.grading import grade_answer
from failtui.textclean import clean_text
from tests.reliability.nasty import NASTY, scaled, shown_text, texts, toml_string

#: Fuzzing and killed processes take seconds each: `pytest -m "not slow"` leaves them out.
pytestmark = pytest.mark.slow

PATH = Path("/decks/fuzzed deck [x].toml")
FUZZ = settings(
    max_examples=scaled(300),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

ids = st.text("abcXYZ019._-", max_size=12).map(lambda rest: "k" + rest)
wrong_values = st.one_of(
    st.integers(-5, 5),
    st.booleans(),
    st.floats(allow_nan=True),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["a", "id"]), st.integers(0, 3), max_size=2),
    texts,
    st.just(""),
)


def maybe_wrong(good, broken: bool):
    """The good value, or (in broken documents, sometimes) a value of the wrong type."""
    return st.one_of(good, good, good, wrong_values) if broken else good


@st.composite
def items(draw, broken: bool, flag: bool):
    item = {
        "id": draw(maybe_wrong(ids, broken)),
        "label": draw(maybe_wrong(shown_text, broken)),
        "cues": draw(maybe_wrong(st.lists(shown_text, min_size=1, max_size=3), broken)),
    }
    if flag:
        item["advice"] = draw(maybe_wrong(texts, broken))
    else:
        item["hint"] = draw(maybe_wrong(texts, broken))
        item["weight"] = draw(maybe_wrong(st.floats(0.1, 5), broken))
    if broken and draw(st.booleans()):
        del item[draw(st.sampled_from(sorted(item)))]
    return item


@st.composite
def deck_documents(draw, broken: bool):
    """A deck as a dict: valid, or (``broken``) with wrong types and missing keys."""
    card_ids = draw(st.lists(ids, min_size=0, max_size=4, unique=True))
    if broken and card_ids and draw(st.booleans()):
        card_ids.append(card_ids[0])  # a duplicate id
    cards = []
    for card_id in card_ids:
        card = {
            "id": draw(maybe_wrong(st.just(card_id), broken)),
            "kind": draw(maybe_wrong(st.sampled_from(["question", "tip", "pitfall"]), broken)),
            "prompt": draw(maybe_wrong(shown_text, broken)),
            "answer": draw(maybe_wrong(texts, broken)),
            "tags": draw(maybe_wrong(st.lists(texts, max_size=3), broken)),
            "key_points": draw(st.lists(items(broken, False), max_size=2, unique_by=_id)),
            "red_flags": draw(st.lists(items(broken, True), max_size=2, unique_by=_id)),
        }
        ungradable = isinstance(card["answer"], str) and not clean_text(card["answer"]).strip()
        if ungradable and not card["key_points"]:
            # A valid card has something to grade an answer against: guidance or key points.
            card["answer"] = draw(shown_text)
        if broken and draw(st.booleans()):
            del card[draw(st.sampled_from(sorted(card)))]
        cards.append(card)
    return {
        "id": draw(maybe_wrong(ids, broken)),
        "title": draw(maybe_wrong(shown_text, broken)),
        "description": draw(maybe_wrong(texts, broken)),
        "version": draw(maybe_wrong(st.integers(0, 10), broken)),
        "cards": cards,
    }


def _id(item: dict):
    return str(item.get("id"))


def emit_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(emit_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {emit_value(v)}" for k, v in value.items()) + "}"


def emit_table(table: dict, prefix: str = "") -> list[str]:
    """TOML lines of a table: scalars first, then arrays of tables as ``[[prefix.key]]``."""
    lines, nested = [], []
    for key, value in table.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            nested.append((key, value))
        else:
            lines.append(f"{key} = {emit_value(value)}")
    for key, values in nested:
        for value in values:
            lines.append(f"[[{prefix}{key}]]")
            lines += emit_table(value, f"{prefix}{key}.")
    return lines


def to_toml(doc: dict) -> str:
    return "\n".join(emit_table(doc)) + "\n"


@st.composite
def mutated(draw, text: str) -> str:
    """Break a deck file the way editing by hand does: lines lost, doubled, cut, junk typed."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "swap"]))
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        if operation == "delete" and lines:
            del lines[index]
        elif operation == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif operation == "insert":
            junk = draw(st.one_of(st.sampled_from(NASTY), st.sampled_from(list("[]=\"'#\\{}"))))
            column = draw(st.integers(0, len(lines[index]) if lines else 0))
            line = lines[index] if lines else ""
            lines[index:index + 1] = [line[:column] + junk + line[column:]]  # fmt: skip
        elif operation == "truncate":
            return "\n".join(lines)[: draw(st.integers(0, len(text)))]
        elif operation == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    return "\n".join(lines)


def check_outcome(text: str) -> str:
    """Parse; assert the outcome is a deck or a clean one-line error. Returns which."""
    try:
        deck = parse_deck(text, PATH)
    except DeckLoadError as exc:
        message = str(exc)
        assert message.startswith(str(PATH)), message
        assert not _CONTROL.search(message), repr(message)  # one line, nothing for the terminal
        line = exc.error.line
        assert line is None or 1 <= line <= text.count("\n") + 1, (line, message)
        if exc.error.card_id:
            assert f"card '{exc.error.card_id}'" in message
        return "error"
    for card in deck.cards[:1]:
        # A loaded card can be graded, whatever its text.
        grade_answer(card, "I learned to test first, and my boss said it was not my fault.")
    return "loaded"


def test_valid_generated_decks_load_with_every_card():
    seen = Counter()

    @FUZZ
    @given(deck_documents(broken=False))
    def check(doc):
        text = to_toml(doc)
        deck = parse_deck(text, PATH)
        assert [c.id for c in deck.cards] == [c["id"] for c in doc["cards"]]
        for card, raw in zip(deck.cards, doc["cards"], strict=True):
            assert card.prompt == clean_text(raw["prompt"])
            assert not _CONTROL.search(card.prompt.replace("\n", "").replace("\t", ""))
        check_outcome(text)
        seen["decks"] += 1
        seen["cards"] += len(deck.cards)

    check()
    assert seen["decks"] == FUZZ.max_examples
    print(f"\nfuzz: {seen['decks']} valid decks, {seen['cards']} cards loaded")


def test_broken_generated_decks_give_one_line_errors():
    seen = Counter()

    @FUZZ
    @given(st.data())
    def check(data):
        doc = data.draw(deck_documents(broken=True))
        text = to_toml(doc)
        if data.draw(st.booleans()):
            text = data.draw(mutated(text))
        seen[check_outcome(text)] += 1

    check()
    # Both outcomes were exercised, many times.
    assert seen["error"] > 100 and seen["loaded"] > 10, seen
    print(f"\nfuzz: broken decks: {seen['error']} errors, {seen['loaded']} still loaded")


def test_random_text_and_bytes_as_deck_files(tmp_path):
    seen = Counter()
    path = tmp_path / "deck.toml"

    @FUZZ
    @given(st.one_of(texts.map(str.encode), st.binary(max_size=300)))
    def check(raw):
        path.write_bytes(raw)
        try:
            load_deck(path)
        except DeckLoadError as exc:
            assert str(exc).startswith(str(path)) and not _CONTROL.search(str(exc))
            seen["error"] += 1
        else:
            seen["loaded"] += 1

    check()
    assert seen["error"] > 0
    print(f"\nfuzz: {sum(seen.values())} random files: {dict(seen)}")


def test_a_deck_of_100k_cards_loads_and_the_limit_is_enforced(monkeypatch):
    def deck_of(count: int) -> str:
        cards = "".join(
            f'[[cards]]\nid = "c{i}"\nprompt = "Prompt {i}?"\nanswer = "Say {i}."\n'
            for i in range(count)
        )
        return 'id = "big"\ntitle = "Big"\n' + cards

    deck = parse_deck(deck_of(reader.MAX_CARDS), PATH)
    assert len(deck.cards) == reader.MAX_CARDS == 100_000
    monkeypatch.setattr(reader, "MAX_CARDS", 3)
    parse_deck(deck_of(3), PATH)
    with pytest.raises(DeckLoadError, match="4 cards; the limit is 3 per deck"):
        parse_deck(deck_of(4), PATH)


def test_a_deck_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.toml"
    path.write_text('id = "x"\ntitle = "x"\n' + "# padding\n" * 200)
    monkeypatch.setattr(reader, "MAX_DECK_BYTES", 1000)
    with pytest.raises(DeckLoadError, match="the limit is 1,000"):
        load_deck(path)
