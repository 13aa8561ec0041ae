"""The own-deck commands: decks new, list (with broken decks), import and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from failtui.decks.reader import load_deck
from tests.conftest import SMALLEST_DECK

DATA = Path(__file__).parent / "data" / "import"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.mark.parametrize("command", [["new"], ["import"], ["export"]])
def test_commands_have_help_with_home(command):
    result = run("decks", *command, "--help")
    assert result.exit_code == 0, result.output
    assert "--home" in result.output


def test_new_creates_a_deck_that_loads_and_refuses_a_taken_or_bad_id(data_home):
    result = run("decks", "new", "interview", "--title", "Interview prep")
    assert result.exit_code == 0, result.output
    deck = load_deck(data_home / "decks" / "interview.toml")
    assert (deck.id, deck.title) == ("interview", "Interview prep")
    for taken in ("interview", "failure-question"):
        again = run("decks", "new", taken)
        assert again.exit_code == 1
        assert again.output.startswith("Error: ") and "already exists" in again.output
    bad = run("decks", "new", "Not A Slug")
    assert bad.exit_code == 1 and "lowercase" in bad.output
    assert not (data_home / "decks" / "Not A Slug.toml").exists()


def test_list_json_has_ids_counts_sources_and_broken_decks(data_home):
    run("decks", "new", "mine")
    (data_home / "decks" / "broken.toml").write_text('id = "broken"\ntitle = \n')
    rows = json.loads(run("decks", "list", "--json").output)
    by_id = {r["id"]: r for r in rows}
    assert by_id["mine"]["source"] == "user" and by_id["mine"]["cards"] == 0
    assert by_id["failure-question"]["source"] == "built-in"
    assert by_id["failure-question"]["cards"] > 10
    assert {"id", "title", "cards", "source", "path"} <= set(by_id["mine"])
    broken = by_id["broken"]
    assert broken["source"] == "user"
    assert "broken.toml:2" in broken["error"]


def test_import_reports_bad_rows_and_imports_the_rest(data_home):
    result = run("decks", "import", str(DATA / "anki_notes.txt"), "--deck", "anki")
    assert result.exit_code == 0, result.output
    assert "anki_notes.txt:6:" in result.output
    assert "Imported 3 cards into 'anki' (3 new, 0 updated, 1 bad row skipped)" in result.output
    deck = load_deck(data_home / "decks" / "anki.toml")
    assert deck.cards[0].prompt == "What is your biggest failure?"


def test_strict_import_writes_nothing(data_home):
    result = run("decks", "import", str(DATA / "cards.csv"), "--strict")
    assert result.exit_code == 1
    assert "Error: 1 bad row; nothing imported (--strict)" in result.output
    assert not (data_home / "decks" / "cards.toml").exists()


def test_a_large_import_says_it_is_writing_and_imports_every_card(data_home, tmp_path):
    rows = "".join(f"Question {i}?,Answer {i}.\n" for i in range(2000))
    source = write_text(tmp_path / "big.csv", "front,back\n" + rows)
    result = run("decks", "import", str(source), "--deck", "big")
    assert result.exit_code == 0, result.output
    path = data_home / "decks" / "big.toml"
    assert result.stderr.splitlines()[-1] == "Writing 2,000 cards..."
    assert result.stdout == f"Imported 2000 cards into 'big' (2000 new, 0 updated): {path}\n"
    assert len(load_deck(path).cards) == 2000


def test_importing_again_updates_instead_of_duplicating(data_home):
    run("decks", "import", str(DATA / "pairs.md"), "--deck", "pairs")
    again = run("decks", "import", str(DATA / "pairs.md"), "--deck", "pairs")
    assert again.output.splitlines()[-1] == (
        "Nothing to import: the 2 cards of pairs.md are in 'pairs' already, as they are (2 bad "
        f"rows skipped): {data_home / 'decks' / 'pairs.toml'}"
    )
    assert len(load_deck(data_home / "decks" / "pairs.toml").cards) == 2
    assert not (data_home / "backups" / "decks").exists()  # nothing changed, nothing backed up


def test_importing_one_card_again_says_it_is_there_already(data_home, tmp_path):
    path = tmp_path / "one.toml"
    path.write_text('id = "one"\ntitle = "One"\n[[cards]]\nid = "a"\nprompt = "P?"\nanswer = "A"\n')
    run("decks", "import", str(path))
    again = run("decks", "import", str(path), "--deck", "one")
    assert (again.exit_code, again.stdout) == (
        0,
        "Nothing to import: the 1 card of one.toml is in 'one' already, as it is: "
        f"{data_home / 'decks' / 'one.toml'}\n",
    )


KP_DECK = """id = "kp"
title = "KP"

[[cards]]
id = "why-did-the-launch-fail"
kind = "pitfall"
prompt = "Why did the launch fail?"
answer = "Old answer."
tags = ["launch"]

[[cards.key_points]]
id = "pilot"
label = "The pilot"
cues = ["pilot"]

[[cards.red_flags]]
id = "blame"
label = "Blame"
cues = ["their fault"]
"""


def test_an_import_updates_only_what_the_file_carries_and_backs_up_the_deck(data_home, tmp_path):
    (data_home / "decks").mkdir(parents=True)
    deck_file = data_home / "decks" / "kp.toml"
    deck_file.write_text(KP_DECK)
    update = tmp_path / "up2.md"
    update.write_text("Q: Why did the launch fail?\nA: We skipped the pilot.\n")
    result = run("decks", "import", str(update), "--deck", "kp")
    assert result.exit_code == 0, result.output
    assert "(0 new, 1 updated)" in result.output
    card = load_deck(deck_file).card("why-did-the-launch-fail")
    assert card.answer == "We skipped the pilot."
    assert (card.kind, card.tags) == ("pitfall", ("launch",))
    assert [kp.id for kp in card.key_points] == ["pilot"]
    assert [rf.id for rf in card.red_flags] == ["blame"]
    (backup,) = (data_home / "backups" / "decks").iterdir()
    assert backup.read_text() == KP_DECK
    assert str(backup) in result.output.replace("\n", "")
    # A row whose front matches a card by its prompt updates it even when the slug differs.
    renamed = KP_DECK.replace('id = "why-did-the-launch-fail"', 'id = "launch"')
    deck_file.write_text(renamed)
    result = run("decks", "import", str(update), "--deck", "kp")
    assert "(0 new, 1 updated)" in result.output
    assert [c.id for c in load_deck(deck_file).cards] == ["launch"]


def test_import_into_a_builtin_deck_or_from_binary_is_one_error_line(data_home, tmp_path):
    result = run("decks", "import", str(DATA / "pairs.md"), "--deck", "failure-tips")
    assert result.exit_code == 1 and "read-only" in result.output
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)))
    result = run("decks", "import", str(binary))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert "Traceback" not in result.output


def test_export_import_round_trip_through_the_cli(data_home, tmp_path):
    from dataclasses import replace

    from tests.unit.test_import_export import TRICKY_DECK

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "tricky.toml").write_text(TRICKY_DECK)
    original = load_deck(data_home / "decks" / "tricky.toml")
    out = tmp_path / "tricky.csv"
    result = run("decks", "export", "tricky", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("id,kind,prompt,answer,tags,key_points,red_flags\n")
    assert run("decks", "import", str(out), "--deck", "tricky-copy").exit_code == 0
    copy = load_deck(data_home / "decks" / "tricky-copy.toml")
    assert list(copy.cards) == [replace(c, deck_id="tricky-copy") for c in original.cards]
    again = run("decks", "export", "tricky", "--format", "csv", "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.output
    # An Anki export imported back into its own deck changes nothing and adds nothing.
    notes = tmp_path / "tricky.txt"
    assert run("decks", "export", "tricky", "--format", "anki", "-o", str(notes)).exit_code == 0
    back = run("decks", "import", str(notes), "--deck", "tricky")
    assert back.exit_code == 0, back.output
    assert "(0 new, " in back.output
    assert len(load_deck(data_home / "decks" / "tricky.toml").cards) == 3


def test_export_anki_to_stdout():
    result = run("decks", "export", "failure-pitfalls", "--format", "anki")
    assert result.exit_code == 0
    assert result.output.startswith("#separator:tab\n#html:false\n#tags column:3\n")
    assert run("decks", "export", "nope").exit_code == 1


def test_validate_refuses_an_infinite_weight(data_home, tmp_path):
    path = tmp_path / "inf.toml"
    path.write_text(
        'id = "inf"\ntitle = "Inf"\n\n[[cards]]\nid = "a"\nprompt = "P?"\nanswer = "A."\n'
        '[[cards.key_points]]\nid = "k"\nlabel = "K"\ncues = ["x"]\nweight = inf\n'
    )
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (
        1,
        f"{path}:12: card 'a': key point 'k' 'weight' must be a positive number, not inf\n",
    )


def test_new_my_stories_deck_has_the_standard_key_points(data_home):
    from failtui.decks.story import STANDARD_KEY_POINTS, Story, save_story

    result = run("decks", "new", "my-stories", "--title", "Stories")
    assert result.exit_code == 0, result.output
    path = data_home / "decks" / "my-stories.toml"
    assert load_deck(path).title == "Stories"
    story = Story(title="T", mistake="I skipped the pilot.", result="2 days late", lesson="Ask.")
    card = load_deck(write_text(path, save_story(path.read_text(), path, story, "t"))).card("t")
    assert [kp.id for kp in card.key_points][:8] == list(STANDARD_KEY_POINTS)


def write_text(path, text):
    path.write_text(text)
    return path


def test_a_toml_export_imports_back_whole(data_home, tmp_path):
    """The deck file that `decks export` writes by default is a format `decks import` reads."""
    from dataclasses import replace

    from tests.unit.test_import_export import TRICKY_DECK

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "tricky.toml").write_text(TRICKY_DECK)
    original = load_deck(data_home / "decks" / "tricky.toml")
    out = tmp_path / "tricky-export.toml"
    assert run("decks", "export", "tricky", "-o", str(out)).exit_code == 0
    result = run("decks", "import", str(out), "--deck", "tricky-copy")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Imported 3 cards into 'tricky-copy' (3 new, 0 updated): "
        f"{data_home / 'decks' / 'tricky-copy.toml'}\n"
    )
    again = run("decks", "import", str(out), "--deck", "tricky-copy")
    assert again.output == (
        "Nothing to import: the 3 cards of tricky-export.toml are in 'tricky-copy' already, as "
        f"they are: {data_home / 'decks' / 'tricky-copy.toml'}\n"
    )
    copy = load_deck(data_home / "decks" / "tricky-copy.toml")
    assert list(copy.cards) == [replace(c, deck_id="tricky-copy") for c in original.cards]
    # A deck file with a problem imports nothing and names the line.
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\ntitle = "Bad"\n\n[[cards]]\nid = "a"\n')
    before = (data_home / "decks" / "tricky-copy.toml").read_bytes()
    refused = run("decks", "import", str(bad), "--deck", "tricky-copy")
    assert refused.exit_code == 1
    assert refused.output == f"Error: {bad}:5: card 'a': card is missing 'prompt'\n"
    assert (data_home / "decks" / "tricky-copy.toml").read_bytes() == before


EXPORTS = [["decks", "export", "failure-tips"], ["corrections", "export"]]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", EXPORTS)
def test_an_export_never_replaces_a_fifo_even_with_force(data_home, tmp_path, command):
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run(*command, "-o", str(fifo), "--force")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {fifo}: not a regular file (a device, FIFO or socket); give a file name\n"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("command", EXPORTS)
def test_an_export_to_a_folder_or_to_dash(data_home, tmp_path, command):
    folder = run(*command, "-o", str(tmp_path))
    assert folder.exit_code == 1
    assert folder.output == f"Error: {tmp_path}: is a folder; give a file name\n"
    dash = run(*command, "-o", "-")
    assert dash.exit_code == 0, dash.output
    assert dash.output == run(*command).output  # what it prints with no -o at all
    assert not (Path.cwd() / "-").exists()


@pytest.mark.parametrize("group", ["decks", "interview", "corrections"])
def test_a_group_without_a_command_prints_its_help_on_many_lines(group):
    result = run(group)
    assert result.exit_code == 2
    assert result.output.startswith(f"Usage: failtui {group} [OPTIONS] COMMAND [ARGS]...\n\n")
    assert "\\n" not in result.output


def test_a_deck_title_over_the_limit_is_refused_and_one_written_by_hand_is_cut(data_home):
    result = run("decks", "new", "long", "--title", "a" * 5000)
    assert (result.exit_code, result.output) == (
        1,
        "Error: the title is 5,000 characters; the limit is 200\n",
    )
    assert not (data_home / "decks" / "long.toml").exists()
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text(
        f'id = "mine"\ntitle = "{"Long " * 1000}"\n', encoding="utf-8"
    )
    lines = run("decks", "list").output.splitlines()
    assert lines[-1] == (
        "mine                         0 cards  user      "
        "Long Long Long Long Long Long Long Long Long Long Long Long…"
    )


def test_an_imported_decks_title_made_from_a_long_file_name_is_cut_to_fit(data_home, tmp_path):
    source = tmp_path / f"{'word-' * 46}end.md"
    source.write_text("Q: What went wrong?\nA: I skipped the review.\n", encoding="utf-8")
    result = run("decks", "import", str(source), "--deck", "words")
    assert result.exit_code == 0, result.output
    title = load_deck(data_home / "decks" / "words.toml").title
    assert title == "Word " + "word " * 38 + "word…"
    assert len(title) == 200


def test_a_builtin_deck_exported_and_imported_is_the_same_deck(data_home, tmp_path):
    """A failtui deck file keeps its title, description, follow-ups and deck-level items."""
    from dataclasses import replace

    from failtui.decks.catalog import load_catalog

    builtin = load_catalog(None).deck("failure-question")
    assert builtin is not None and builtin.followups
    out = tmp_path / "fq.toml"
    assert run("decks", "export", "failure-question", "-o", str(out)).exit_code == 0
    refused = run("decks", "import", str(out))
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: {out} holds the built-in deck 'failure-question', which is read-only; "
        "import it as a deck of your own with --deck ID\n",
    )
    result = run("decks", "import", str(out), "--deck", "fq")
    path = data_home / "decks" / "fq.toml"
    assert (result.exit_code, result.output) == (
        0,
        f"Imported 27 cards into 'fq' (27 new, 0 updated): {path}\n",
    )
    deck = load_deck(path)
    assert (deck.id, deck.title, deck.description, deck.version) == (
        "fq",
        builtin.title,
        builtin.description,
        builtin.version,
    )
    assert deck.followups == builtin.followups
    assert list(deck.cards) == [replace(card, deck_id="fq") for card in builtin.cards]
    # The file itself, comments and deck-level items included: only its id changed.
    exported = out.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == exported.replace(
        'id = "failure-question"\n', 'id = "fq"\n', 1
    )


def test_a_deck_file_imports_under_its_own_id(data_home, tmp_path):
    source = tmp_path / "exported-copy.toml"
    source.write_text(SMALLEST_DECK, encoding="utf-8")
    result = run("decks", "import", str(source))
    path = data_home / "decks" / "my-deck.toml"
    assert (result.exit_code, result.output) == (
        0,
        f"Imported 1 card into 'my-deck' (1 new, 0 updated): {path}\n",
    )
    assert path.read_text(encoding="utf-8") == SMALLEST_DECK
    odd = tmp_path / "odd.toml"
    odd.write_text(SMALLEST_DECK.replace('"my-deck"', '"My.Deck"'), encoding="utf-8")
    refused = run("decks", "import", str(odd))
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: {odd}: deck id 'My.Deck' must be 1-64 lowercase letters, digits, '-' or '_', "
        "starting with a letter or digit; choose the deck to import into with --deck ID\n",
    )


SHARED_DECK = """id = "shared"
title = "Shared points"
version = 3

[[key_points]]
id = "lesson"
label = "What you learned"
cues = ["i learned", "taught me"]

[[red_flags]]
id = "blame"
label = "Blaming others"
cues = ["my boss"]

[[followups]]
key_point = "lesson"
prompt = "What would you do differently now?"

[[cards]]
id = "a"
prompt = "What is your biggest failure?"
answer = "Tell it."
key_points = ["lesson"]
red_flags = ["blame"]
"""


def test_a_deck_file_into_a_deck_that_exists_updates_cards_and_says_what_it_leaves_out(
    data_home, tmp_path
):
    source = tmp_path / "shared.toml"
    source.write_text(SHARED_DECK, encoding="utf-8")
    assert run("decks", "import", str(source)).exit_code == 0
    path = data_home / "decks" / "shared.toml"
    # The same file again into its own deck, named: nothing to say, nothing changed.
    again = run("decks", "import", str(source), "--deck", "shared")
    assert (again.exit_code, again.stderr) == (0, "")
    assert path.read_text(encoding="utf-8") == SHARED_DECK
    (data_home / "decks" / "other.toml").write_text(
        'id = "other"\ntitle = "Other"\n', encoding="utf-8"
    )
    changed = tmp_path / "changed.toml"
    changed.write_text(
        SHARED_DECK.replace("Shared points", "Renamed").replace("Tell it.", "Tell it well."),
        encoding="utf-8",
    )
    renamed = run("decks", "import", str(changed), "--deck", "shared")
    assert renamed.exit_code == 0, renamed.output
    assert renamed.stderr.splitlines()[0] == (
        "changed.toml: its title is not imported: only cards go into 'shared', a deck that "
        "exists (--deck NEW makes a new deck of the whole file)"
    )
    deck = load_deck(path)
    assert (deck.title, deck.cards[0].answer) == ("Shared points", "Tell it well.")
    into_other = run("decks", "import", str(changed), "--deck", "other")
    assert into_other.exit_code == 0, into_other.output
    assert into_other.stderr.splitlines() == [
        "changed.toml: its title, version and follow-up questions are not imported: only cards "
        "go into 'other', a deck that exists (--deck NEW makes a new deck of the whole file)",
        "changed.toml: its deck-level key point 'lesson' is not in 'other' as the file defines "
        "it: each card that uses it holds its own copy",
        "changed.toml: its deck-level red flag 'blame' is not in 'other' as the file defines "
        "it: each card that uses it holds its own copy",
    ]
    card = load_deck(data_home / "decks" / "other.toml").card("a")
    assert card is not None and [kp.id for kp in card.key_points] == ["lesson"]


def test_a_deck_file_never_updates_the_deck_of_its_own_id_unless_deck_names_it(data_home, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(SMALLEST_DECK, encoding="utf-8")
    assert run("decks", "import", str(mine)).exit_code == 0
    path = data_home / "decks" / "my-deck.toml"
    friends = tmp_path / "friends-deck.toml"
    friends.write_text(SMALLEST_DECK.replace("Say what happened", "Friend's answer"), "utf-8")
    refused = run("decks", "import", str(friends))
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: deck 'my-deck' exists: use --deck my-deck to update its cards from this file, "
        "or --deck NEW-ID for a new deck\n",
    )
    assert path.read_text(encoding="utf-8") == SMALLEST_DECK
    assert sorted(p.name for p in (data_home / "decks").iterdir()) == ["my-deck.toml"]
    assert not (data_home / "backups" / "decks").exists()
    theirs = load_deck(friends).cards[0].answer
    assert theirs != load_deck(mine).cards[0].answer
    into_new = run("decks", "import", str(friends), "--deck", "friends")
    assert into_new.exit_code == 0, into_new.output
    assert load_deck(data_home / "decks" / "friends.toml").cards[0].answer == theirs
    updated = run("decks", "import", str(friends), "--deck", "my-deck")
    assert updated.exit_code == 0, updated.output
    assert load_deck(path).cards[0].answer == theirs


UNGRADABLE = (
    'id = "pm-prep"\ntitle = "PM prep"\n\n[[cards]]\nid = "stakeholder-miss"\n'
    'prompt = "Tell me about a stakeholder you missed."\nanswer = ""\n'
)


def test_a_card_with_neither_an_answer_nor_key_points_is_warned_of_by_validate_and_import(
    data_home, tmp_path
):
    # Every answer to such a card would score 0% (Again), as a CSV row without a back would.
    # A warning, not an error, so a deck saved before the rule keeps loading.
    path = tmp_path / "pm-prep.toml"
    path.write_text(UNGRADABLE, encoding="utf-8")
    said = (
        f"warning: {path}:7: card 'stakeholder-miss': 'answer' is empty: "
        "a card without key points is graded against it"
    )
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (0, f"{said}\n{path}: ok (1 card)\n")
    result = run("decks", "import", str(path))
    assert (result.exit_code, result.stderr) == (0, f"{said}\n")
    assert (data_home / "decks" / "pm-prep.toml").exists()


def test_a_deck_file_with_a_byte_order_mark_validates_as_it_imports(data_home, tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALLEST_DECK.encode("utf-8"))
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (0, f"{path}: ok (1 card)\n")


def test_validate_names_an_unknown_key_and_the_one_meant(data_home, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(SMALLEST_DECK.replace('tags = ["mine"]', 'tgas = ["mine"]'), encoding="utf-8")
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (
        1,
        f"{path}:10: card 'first': unknown key 'tgas' (did you mean 'tags'?)\n",
    )


def test_validate_names_a_misspelt_prompt_once_at_its_line(data_home, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(SMALLEST_DECK.replace("prompt = ", "promt = "), encoding="utf-8")
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (
        1,
        f"{path}:8: card 'first': unknown key 'promt' (did you mean 'prompt'?)\n",
    )


def test_a_deck_with_a_key_of_its_own_loads_and_validate_names_the_key_as_a_warning(
    data_home, tmp_path
):
    text = 'author = "me"\n' + SMALLEST_DECK + '\n[meta]\nmade = "by hand"\n'
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    path = data_home / "decks" / "mine.toml"
    path.write_text(text, encoding="utf-8")
    known = "known keys: id, title, description, version, key_points, red_flags, cards, followups"
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (
        0,
        f"warning: {path}:1: unknown key 'author' is ignored ({known})\n"
        f"warning: {path}:24: unknown key 'meta' is ignored ({known})\n"
        f"{path}: ok (1 card)\n",
    )
    listed = run("decks", "list")
    assert listed.exit_code == 0, listed.output
    assert [line for line in listed.output.splitlines() if line.startswith("my-deck ")] == [
        "my-deck                      1 card   user      My deck"
    ]


CARD_KEY_LIST = "known keys: id, kind, prompt, answer, tags, key_points, red_flags, story"


def test_validate_prints_errors_and_warnings_in_the_order_of_the_file_lines(data_home, tmp_path):
    path = tmp_path / "mixed.toml"
    path.write_text(
        SMALLEST_DECK.replace('tags = ["mine"]', 'tags = ["mine"]\nauthor = "me"')
        + '\n[[cards]]\nid = "second"\nkind = "bogus"\nprompt = "P"\nanswer = "A"\n'
        + '\n[[cards]]\nid = "third"\nprompt = "P"\nanswer = "A"\nmood = "calm"\n',
        encoding="utf-8",
    )
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output) == (
        1,
        f"warning: {path}:11: card 'first': unknown key 'author' is ignored ({CARD_KEY_LIST})\n"
        f"{path}:26: card 'second': 'kind' must be one of question, tip, pitfall, not 'bogus'\n"
        f"warning: {path}:34: card 'third': unknown key 'mood' is ignored ({CARD_KEY_LIST})\n",
    )


def test_a_deck_file_with_a_key_of_its_own_imports_and_says_the_key_is_ignored(data_home, tmp_path):
    source = tmp_path / "shared.toml"
    source.write_text(
        SMALLEST_DECK.replace('tags = ["mine"]', 'tags = ["mine"]\nauthor = "me"'),
        encoding="utf-8",
    )
    result = run("decks", "import", str(source))
    path = data_home / "decks" / "my-deck.toml"
    assert (result.exit_code, result.stderr, result.stdout) == (
        0,
        f"warning: {source}:11: card 'first': unknown key 'author' is ignored ({CARD_KEY_LIST})\n",
        f"Imported 1 card into 'my-deck' (1 new, 0 updated): {path}\n",
    )
    assert [card.id for card in load_deck(path).cards] == ["first"]


@pytest.mark.parametrize("deck_id", ["failure-question", "failure-tips", "failure-pitfalls"])
def test_every_exported_deck_validates_with_no_unknown_key(data_home, tmp_path, deck_id):
    from failtui.decks.catalog import load_catalog

    cards = len(load_catalog(None).deck(deck_id).cards)
    out = tmp_path / "export.toml"
    assert run("decks", "export", deck_id, "-o", str(out)).exit_code == 0
    # Under another id, since the built-in deck has its own.
    out.write_text(out.read_text().replace(f'id = "{deck_id}"', 'id = "mine"', 1))
    result = run("decks", "validate", str(out))
    assert (result.exit_code, result.output) == (0, f"{out}: ok ({cards} cards)\n")


MANY_PROBLEMS_DECK = """id = "my-failures"
title = "My failures"

[[cards]]
id = "launch"
prompt = "Tell me about the launch."
answer = "We launched late."

[[cards.key_points]]
id = "why"
label = "Why"
cues = ["because"]
weight = -1

[[cards.key_points]]
id = "own"
label = "Mine"

[[cards]]
id = "migration"
prompt = "Migration story."
answer = "A."

[[cards]]
id = "migration"
kind = "story"
prompt = ""
answer = "A."
key_points = ["nope"]

[[followups]]
key_point = "lesson"
prompt = ""

[[followups]]
key_point = "moral"
prompt = 3
"""


def test_validate_lists_every_problem_of_a_file_at_once_each_at_its_key_line(data_home, tmp_path):
    """A duplicate id does not hide the card's other problems, nor a follow-up's wrong key
    point its prompt; each problem of a key is at that key's line, one a key lacks at the
    line where its key point (or card) starts."""
    path = tmp_path / "my-failures.toml"
    path.write_text(MANY_PROBLEMS_DECK, encoding="utf-8")
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            f"{path}:13: card 'launch': key point 'why' 'weight' must be a positive number, not -1",
            f"{path}:16: card 'launch': key point 'own' needs 'cues', a non-empty list of phrases",
            f"{path}:25: card 'migration': duplicate card id (ids must be unique in a deck)",
            f"{path}:26: card 'migration': 'kind' must be one of question, tip, pitfall, "
            "not 'story'",
            f"{path}:27: card 'migration': 'prompt' is empty",
            f"{path}:29: card 'migration': unknown key point 'nope' (deck-level: none defined)",
            f"{path}:33: follow-up #1 'prompt' is empty",
            f"{path}:36: follow-up #2 'key_point' must be one of context, task, failure, "
            "impact, quantified, remedy, lesson, applied, not 'moral'",
            f"{path}:37: follow-up #2 'prompt' must be a string, not an integer",
        ],
    )


BAD_ID_DECK = """id = "my-failures"
title = "My failures"

[[cards]]
id = "Bad Id!"
kind = "story"
prompt = ""
tags = "launch"
answer = "A."

[[cards.key_points]]
id = "why"
label = "Why"
cues = ["because"]
weight = -1

[[cards]]
idd = "typo"
kind = "story"
answer = "B."

[[cards]]
id = "fine"
prompt = ""
answer = "C."
"""


def test_validate_lists_every_problem_of_a_card_whose_id_is_bad_at_once(data_home, tmp_path):
    """An invalid or misspelt card id does not hide the card's other problems: each is at its
    key's line, the card named by its place since it has no id."""
    path = tmp_path / "my-failures.toml"
    path.write_text(BAD_ID_DECK, encoding="utf-8")
    result = run("decks", "validate", str(path))
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            f"{path}:5: card #1 needs an 'id' of 1-100 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit: 'Bad Id!'",
            f"{path}:6: card #1: 'kind' must be one of question, tip, pitfall, not 'story'",
            f"{path}:7: card #1: 'prompt' is empty",
            f"{path}:8: card #1: 'tags' must be a list of strings",
            f"{path}:15: card #1: key point 'why' 'weight' must be a positive number, not -1",
            f"{path}:17: card #2: card is missing 'prompt'",
            f"{path}:18: card #2: unknown key 'idd' (did you mean 'id'?)",
            f"{path}:19: card #2: 'kind' must be one of question, tip, pitfall, not 'story'",
            f"{path}:24: card 'fine': 'prompt' is empty",
        ],
    )
