"""The deck index: decks listed from a JSON cache without parsing, rebuilt where files changed."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from failtui.decks import index as deck_index
from failtui.decks.catalog import load_catalog
from failtui.decks.index import INDEX_FILE, INDEX_VERSION, LazyCatalog, build_index
from failtui.locations import ensure_data_dir
from tests.conftest import SMALLEST_DECK


def deck_text(deck_id: str, *card_ids: str, title: str = "A deck") -> str:
    text = f'id = "{deck_id}"\ntitle = "{title}"\ndescription = ""\n'
    for card_id in card_ids:
        kind = "tip" if card_id.startswith("tip") else "question"
        text += (
            f'\n[[cards]]\nid = "{card_id}"\nkind = "{kind}"\nprompt = "Q?"\nanswer = "Say it."\n'
        )
    return text


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = ensure_data_dir(tmp_path / "data")
    (home / "decks" / "a.toml").write_text(deck_text("alpha", "one", "tip-two"), "utf-8")
    (home / "decks" / "b.toml").write_text(SMALLEST_DECK, "utf-8")
    return home


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The names of the deck files parsed (the index and the lazy catalog read through it)."""
    seen: list[str] = []
    real = deck_index.load_deck

    def counting(path, *, builtin=False):
        seen.append(path.name)
        return real(path, builtin=builtin)

    monkeypatch.setattr(deck_index, "load_deck", counting)
    return seen


def user_files(names: list[str]) -> list[str]:
    return [n for n in names if n in ("a.toml", "b.toml", "c.toml")]


def test_second_start_lists_decks_from_the_cache_without_parsing(home, parses):
    first = build_index(home)
    assert user_files(parses) == ["a.toml", "b.toml"]
    assert (home / INDEX_FILE).exists()
    parses.clear()
    second = build_index(home)
    assert parses == []  # built-in decks come from the cache too
    assert second.summaries == first.summaries
    alpha = next(s for s in second.summaries if s.id == "alpha")
    assert alpha.card_ids == ("one", "tip-two")
    assert alpha.kind_counts == {"question": 1, "tip": 1}
    assert not alpha.builtin and alpha.path == home / "decks" / "a.toml"
    # The same decks, in the same order, as parsing everything.
    assert [s.id for s in second.summaries] == [d.id for d in load_catalog(home).decks]


def test_a_changed_file_is_parsed_again(home, parses):
    build_index(home)
    parses.clear()
    path = home / "decks" / "a.toml"
    path.write_text(deck_text("alpha", "one", "tip-two", "three", title="Renamed"), "utf-8")
    summaries = build_index(home).summaries
    assert parses == ["a.toml"]
    alpha = next(s for s in summaries if s.id == "alpha")
    assert (alpha.title, alpha.card_ids) == ("Renamed", ("one", "tip-two", "three"))


def test_same_size_rewrite_is_seen_by_its_modification_time(home, parses):
    build_index(home)
    parses.clear()
    path = home / "decks" / "a.toml"
    before = path.stat()
    path.write_text(deck_text("alpha", "one", "tip-TWO"), "utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    alpha = next(s for s in build_index(home).summaries if s.id == "alpha")
    assert alpha.card_ids == ("one", "tip-TWO")


@pytest.mark.parametrize(
    "garbage",
    [
        "not json at all {",
        "[]",
        '{"version": 2, "files": []}',
        '{"version": 999, "files": {}}',
        "",
    ],
)
def test_a_corrupt_cache_is_ignored_and_written_again(home, parses, garbage):
    build_index(home)
    (home / INDEX_FILE).write_text(garbage, "utf-8")
    parses.clear()
    summaries = build_index(home).summaries
    assert user_files(parses) == ["a.toml", "b.toml"]
    assert {"alpha", "my-deck"} <= {s.id for s in summaries}
    assert json.loads((home / INDEX_FILE).read_text("utf-8"))["version"] == INDEX_VERSION == 2


def test_a_malformed_entry_is_parsed_again_and_the_others_kept(home, parses):
    build_index(home)
    data = json.loads((home / INDEX_FILE).read_text("utf-8"))
    entry = data["files"][str(home / "decks" / "a.toml")]
    entry["card_ids"] = "one"  # a string, not a list
    (home / INDEX_FILE).write_text(json.dumps(data), "utf-8")
    parses.clear()
    alpha = next(s for s in build_index(home).summaries if s.id == "alpha")
    assert parses == ["a.toml"]
    assert alpha.card_ids == ("one", "tip-two")


def test_a_broken_deck_is_reported_every_time_and_never_cached(home, parses):
    (home / "decks" / "c.toml").write_text('id = "broken"\ntitle = [', "utf-8")
    first = build_index(home)
    parses.clear()
    second = build_index(home)
    assert parses == ["c.toml"]
    for built in (first, second):
        assert [e.path.name for e in built.errors] == ["c.toml"]
        assert "invalid TOML" in str(built.errors[0])
    cached = json.loads((home / INDEX_FILE).read_text("utf-8"))["files"]
    assert str(home / "decks" / "c.toml") not in cached
    assert str(load_catalog(home).errors[0]) == str(second.errors[0])


def test_an_index_written_before_the_reader_rules_changed_is_read_again(home, parses):
    # Version 1 was written when any unknown key made a deck fail: its entries are not trusted.
    build_index(home)
    data = json.loads((home / INDEX_FILE).read_text("utf-8"))
    data["version"] = 1
    data["files"][str(home / "decks" / "a.toml")]["title"] = "As indexed before"
    (home / INDEX_FILE).write_text(json.dumps(data), "utf-8")
    parses.clear()
    alpha = next(s for s in build_index(home).summaries if s.id == "alpha")
    assert (alpha.title, user_files(parses)) == ("A deck", ["a.toml", "b.toml"])


def test_a_deck_found_broken_when_parsed_leaves_the_index(home):
    build_index(home)
    path = home / "decks" / "a.toml"
    before = path.stat()
    # Broken with the same size and modification time, so its entry still looks fresh.
    path.write_text('id = "alpha"\ntitle = [\n#'.ljust(before.st_size, "x"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    catalog = LazyCatalog(home)
    others = ["failure-pitfalls", "failure-question", "failure-tips", "my-deck"]
    assert sorted(s.id for s in catalog.summaries()) == ["alpha", *others]
    assert catalog.deck("alpha") is None
    assert [e.path.name for e in catalog.errors] == ["a.toml"]
    cached = json.loads((home / INDEX_FILE).read_text("utf-8"))["files"]
    assert str(path) not in cached and str(home / "decks" / "b.toml") in cached
    again = LazyCatalog(home)
    assert sorted(s.id for s in again.summaries()) == others
    assert [e.path.name for e in again.errors] == ["a.toml"]


def test_a_duplicate_deck_id_is_an_error_from_the_cache_too(home):
    (home / "decks" / "c.toml").write_text(deck_text("alpha", "x"), "utf-8")
    build_index(home)
    cached = build_index(home)
    assert [str(e) for e in cached.errors] == [str(e) for e in load_catalog(home).errors]
    assert "already used" in str(cached.errors[0])
    assert [s.id for s in cached.summaries].count("alpha") == 1


def test_a_deleted_file_leaves_the_index(home):
    build_index(home)
    (home / "decks" / "a.toml").unlink()
    assert "alpha" not in {s.id for s in build_index(home).summaries}
    cached = json.loads((home / INDEX_FILE).read_text("utf-8"))["files"]
    assert str(home / "decks" / "a.toml") not in cached


def test_the_cache_is_private_and_an_unwritable_one_only_costs_speed(home):
    build_index(home)
    assert stat.S_IMODE((home / INDEX_FILE).stat().st_mode) == 0o600
    (home / INDEX_FILE).unlink()
    (home / INDEX_FILE).mkdir()  # cannot be replaced by a file
    assert {"alpha", "my-deck"} <= {s.id for s in build_index(home).summaries}


def test_lazy_catalog_parses_only_the_deck_asked_for(home, parses):
    build_index(home)
    parses.clear()
    catalog = LazyCatalog(home)
    assert catalog.card_ids_by_deck()["alpha"] == ("one", "tip-two")
    assert [s.id for s in catalog.summaries()] == [d.id for d in load_catalog(home).decks]
    assert parses == [] and catalog.errors == []
    card = catalog.card_by_key("my-deck/first")
    assert card.prompt == "Tell me about a time you failed."
    assert parses == ["b.toml"]
    assert catalog.deck("my-deck").card("first") is card
    assert parses == ["b.toml"]  # parsed once
    assert catalog.deck("nope") is None
    # Every deck, when something asks for all of them: the one parsed already is reused.
    assert [d.id for d in catalog.decks] == [d.id for d in load_catalog(home).decks]
    assert "b.toml" not in parses[1:] and "a.toml" in parses
    assert catalog.loaded


def test_lazy_catalog_reads_everything_again_when_a_file_changed_under_it(home):
    build_index(home)
    catalog = LazyCatalog(home)
    (home / "decks" / "a.toml").write_text('id = "alpha"\ntitle = [', "utf-8")
    assert catalog.deck("alpha") is None
    assert [e.path.name for e in catalog.errors] == ["a.toml"]
