"""Importing Anki text exports, CSV and Markdown; exporting back; round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from failtui.decks.catalog import load_catalog
from failtui.decks.exporters import deck_toml, export_deck
from failtui.decks.importers import ImportFailed, detect_format, html_to_text, import_file
from failtui.decks.reader import parse_deck
from failtui.grading import grade_answer

DATA = Path(__file__).parents[1] / "data" / "import"


def test_anki_export_with_headers_html_and_tags_column():
    result = import_file(DATA / "anki_notes.txt", "imported")
    assert result.format == "anki"
    assert [(c.prompt, c.answer, c.tags) for c in result.cards] == [
        (
            "What is your biggest failure?",
            "A real story:\nwhat happened & what you learned.",
            ("interview", "core"),
        ),
        ("Why did you leave?", "Be positive\nLook forward", ("interview",)),
        ("A quoted\nfront", 'back with "quotes"', ()),
    ]
    (problem,) = result.problems
    assert problem.line == 6
    assert "front and a back" in str(problem)
    assert str(problem).startswith(f"{DATA / 'anki_notes.txt'}:6: ")


def test_anki_separator_is_guessed_without_headers(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("front one;back one\nfront two;back two\n")
    result = import_file(path, "d")
    assert [(c.prompt, c.answer) for c in result.cards] == [
        ("front one", "back one"),
        ("front two", "back two"),
    ]


def test_anki_named_separators(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("#separator:Comma\n#html:false\nfront <b>,back &amp;\n")
    (card,) = import_file(path, "d").cards
    # html:false: the text is taken as it is, tags and entities included.
    assert (card.prompt, card.answer) == ("front <b>", "back &amp;")


def test_csv_with_a_header_reports_a_bad_row_and_imports_the_rest():
    result = import_file(DATA / "cards.csv", "imported")
    assert result.format == "csv"
    assert [c.prompt for c in result.cards] == [
        "Tell me about a failure",
        "Name a lesson you applied",
    ]
    assert result.cards[1].tags == ("core", "lesson")
    (problem,) = result.problems
    assert (problem.line, problem.message) == (3, "the front (question) is empty")


def test_csv_without_a_front_column_is_one_clear_problem(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,value\na,b\n")
    result = import_file(path, "d", format="csv")
    assert result.cards == []
    assert "front and a back column" in result.problems[0].message


def test_markdown_pairs_with_continuation_lines_and_tags():
    result = import_file(DATA / "pairs.md", "imported")
    assert result.format == "markdown"
    assert [(c.prompt, c.answer, c.tags) for c in result.cards] == [
        (
            "What is your biggest failure?",
            "The warehouse count story.\nIt cost two thousand dollars.",
            ("story", "core"),
        ),
        ("What would you do differently?", "Ask for help earlier.", ()),
    ]
    assert [(p.line, p.message) for p in result.problems] == [
        (11, "an A: with no Q: before it"),
        (13, "a Q: with no A: after it"),
    ]


def test_an_empty_answer_without_key_points_is_a_bad_row_in_every_format(tmp_path):
    pairs = tmp_path / "pairs.md"
    pairs.write_text(
        "Q: What is your biggest failure?\nA: No rollback plan.\n\n"
        "Q: What would you do differently?\nA:\n\nQ: Next?\nA: Yes.\n"
    )
    result = import_file(pairs, "d")
    assert [c.prompt for c in result.cards] == ["What is your biggest failure?", "Next?"]
    assert [str(p) for p in result.problems] == [
        f"{pairs}:4: the back (answer) is empty: a card without key points is graded against it"
    ]
    rows = tmp_path / "rows.csv"
    rows.write_text("front,back\nWhat?,\nOther?,Yes\n")
    result = import_file(rows, "d")
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "the back (answer) is empty: a card without key points is graded against it")
    ]
    # With key points there is something to grade against: the card is imported.
    rows.write_text("id,kind,prompt,answer,tags,key_points,red_flags\na,question,P?,,,k | K | x,\n")
    (card,) = import_file(rows, "d").cards
    assert (card.answer, [kp.id for kp in card.key_points]) == ("", ["k"])


def test_generated_ids_are_unique_and_avoid_taken_ones(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("Same front\tone\nSame front\ttwo\n")
    cards = import_file(path, "d", taken_ids={"same-front"}).cards
    assert [c.id for c in cards] == ["same-front-2", "same-front-3"]


def test_binary_huge_and_missing_files_fail_with_one_line(tmp_path, monkeypatch):
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"front\tback\n\xff\xfe\x00garbage")
    with pytest.raises(ImportFailed, match=r"b.txt:2: not UTF-8"):
        import_file(binary, "d")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"front\tback\nfr\x00ont\tback\n")
    with pytest.raises(ImportFailed, match=r"nul.txt:2: binary data"):
        import_file(nul, "d")
    monkeypatch.setattr("failtui.decks.importers.MAX_IMPORT_BYTES", 10)
    with pytest.raises(ImportFailed, match="the limit is 10"):
        import_file(DATA / "cards.csv", "d")
    with pytest.raises(ImportFailed, match="cannot read"):
        import_file(tmp_path / "missing.txt", "d")


def test_progress_is_reported_for_long_files(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("".join(f"front {i}\tback {i}\n" for i in range(1000)))
    calls = []
    result = import_file(path, "d", progress=lambda done, total: calls.append((done, total)))
    assert len(result.cards) == 1000
    assert len(calls) >= 4
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_html_is_reduced_to_text():
    assert (
        html_to_text("a<br>b<div>c</div><script>x()</script>&lt;d&gt;&nbsp;e") == "a\nb\nc\n<d> e"
    )


def test_markup_like_text_is_kept_literally(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("#separator:tab\n#html:false\n[b]bold[/b]\t[@click=app.quit]x[/]\n")
    (card,) = import_file(path, "d").cards
    assert (card.prompt, card.answer) == ("[b]bold[/b]", "[@click=app.quit]x[/]")


def test_format_detection(tmp_path):
    assert detect_format(Path("a.md"), "") == "markdown"
    assert detect_format(Path("a.txt"), "#separator:tab\n") == "anki"
    assert detect_format(Path("a.csv"), "prompt,answer\n") == "csv"
    assert detect_format(Path("a.txt"), "Q: x\nA: y\n") == "markdown"


TRICKY_DECK = '''# A deck with text that trips up exporters and importers.
id = "tricky"
title = "Tricky"

[[cards]]
id = "hash-first"
kind = "tip"
prompt = "#1 rule: own it"
answer = "<b>tag</b> & &amp; stay as typed"
tags = ["time management", "a,b", "plain"]

[[cards]]
id = "multi"
kind = "pitfall"
prompt = "  Leading spaces; and a \\"quote\\""
answer = """First line.

  Indented line after a blank one.
Last line, with a trailing space """
tags = []

[[cards.key_points]]
id = "weighted"
label = "Weighted | point"
cues = ["number; percent", "cost"]
weight = 2.5
hint = "Say the number."

[[cards.red_flags]]
id = "blame"
label = "Blame"
cues = ["their fault"]
advice = "Own it."

[[cards]]
id = "html-ish"
prompt = "Why <i>this</i> & not &lt;that&gt;?"
answer = "Because."
tags = ["html"]
'''


@pytest.fixture
def tricky_deck(tmp_path):
    path = tmp_path / "tricky.toml"
    path.write_text(TRICKY_DECK, encoding="utf-8")
    return parse_deck(TRICKY_DECK, path)


def test_csv_export_then_import_gives_the_very_same_cards(tmp_path, tricky_deck):
    out = tmp_path / "tricky.csv"
    out.write_text(export_deck(tricky_deck, "csv"), encoding="utf-8")
    result = import_file(out, "tricky")
    assert result.problems == []
    assert result.cards == list(tricky_deck.cards)


def test_anki_export_then_import_keeps_front_back_and_tags(tmp_path, tricky_deck):
    out = tmp_path / "tricky.txt"
    out.write_text(export_deck(tricky_deck, "anki"), encoding="utf-8")
    result = import_file(out, "tricky")
    assert result.problems == []
    # Anki carries front, back and tags (a space in a tag becomes "_", as Anki needs); the
    # first note starts with "#" and is still a note, not a header.
    assert [(c.prompt, c.answer) for c in result.cards] == [
        (c.prompt.strip(), c.answer.strip()) for c in tricky_deck.cards
    ]
    assert result.cards[0].tags == ("time_management", "a,b", "plain")
    # Imported into its own deck again, every note finds its card by its front: no doubles.
    again = import_file(out, "tricky", existing=tricky_deck.cards)
    assert [c.id for c in again.cards] == ["hash-first", "multi", "html-ish"]


@pytest.mark.parametrize("fmt", ["csv", "anki"])
def test_builtin_decks_survive_an_export_and_import(tmp_path, fmt):
    for deck in load_catalog(None).decks:
        out = tmp_path / f"{deck.id}.{fmt}"
        out.write_text(export_deck(deck, fmt), encoding="utf-8")
        result = import_file(out, deck.id)
        assert result.problems == []
        if fmt == "csv":
            assert result.cards == list(deck.cards)
        else:
            assert [(c.prompt, c.answer, c.tags) for c in result.cards] == [
                (c.prompt, c.answer, c.tags) for c in deck.cards
            ]


def test_toml_export_of_a_deck_without_a_file_renders_the_same_cards(tricky_deck):
    from dataclasses import replace

    text = export_deck(replace(tricky_deck, path=None), "toml")
    assert parse_deck(text, Path("tricky.toml")).cards == tricky_deck.cards


def test_a_note_starting_with_hash_on_the_first_line_is_not_a_header(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("#separator:tab\n#html:false\n#1 tip\tSay it early\n#tags\tnot a header\n")
    result = import_file(path, "d")
    assert [(c.prompt, c.answer) for c in result.cards] == [
        ("#1 tip", "Say it early"),
        ("#tags", "not a header"),
    ]


def test_an_unclosed_quote_is_one_bad_row_and_the_rest_imports(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        '#separator:tab\nFirst\tOne\n"Broken front\tTwo\nThird\tThree\n"Multi\nline"\tFour\n'
    )
    result = import_file(path, "d")
    assert [c.prompt for c in result.cards] == ["First", "Third", "Multi\nline"]
    (problem,) = result.problems
    assert problem.line == 3
    assert "never closed" in problem.message


def test_csv_key_points_follow_the_deck_rules_and_a_bad_row_does_not_stop_the_rest(tmp_path):
    path = tmp_path / "kp.csv"
    good = '[{"id":"k","label":"K","cues":["x"]}]'
    rows = [
        ("ok", good),
        ("empty-cues", '[{"id":"k","label":"K","cues":[]}]'),
        ("string-cues", '[{"id":"k","label":"K","cues":"abc"}]'),
        ("bad-id", '[{"id":"bad id","label":"K","cues":["x"]}]'),
        ("twice", '[{"id":"k","label":"K","cues":["x"]},{"id":"k","label":"L","cues":["y"]}]'),
        ("negative", '[{"id":"k","label":"K","cues":["x"],"weight":-1}]'),
        ("nan", '[{"id":"k","label":"K","cues":["x"],"weight":"nan"}]'),
        ("inf", '[{"id":"k","label":"K","cues":["x"],"weight":1e999}]'),
        ("no-label", '[{"id":"k","label":" ","cues":["x"]}]'),
        ("not-a-table", '["k"]'),
        ("also-ok", good),
    ]
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "prompt", "answer", "key_points"])
    for card_id, points in rows:
        writer.writerow([card_id, f"Prompt {card_id}", "Answer", points])
    path.write_text(buffer.getvalue())
    result = import_file(path, "d")
    assert [c.id for c in result.cards] == ["ok", "also-ok"]
    messages = {p.line: p.message for p in result.problems}
    # The messages of the deck reader, so a row reads as the deck file would.
    assert messages == {
        3: "key point 'k' needs 'cues', a non-empty list of phrases",
        4: "key point 'k' needs 'cues', a non-empty list of phrases",
        5: "key point needs an 'id' of 1-100 letters, digits, '-', '_' or '.', starting with a "
        "letter or digit: 'bad id'",
        6: "card 'twice': key point id 'k' is used twice",
        7: "key point 'k' 'weight' must be a positive number, not -1",
        8: "key point 'k' 'weight' must be a positive number, not 'nan'",
        9: "key point 'k' 'weight' must be a positive number, not inf",
        10: "key point 'k' has no label",
        11: "key point must be a table, not a string",
    }
    # And the rest of the file is written to a deck that loads.
    parse_deck(deck_toml("d", "D", "", result.cards), Path("d.toml"))


def test_markdown_bold_bullet_marks_and_hash_lines_inside_an_answer(tmp_path):
    path = tmp_path / "pairs.md"
    path.write_text(
        "# Interview prep\n\n"
        "- **Q:** Bullet question?\n"
        "- **A:** First line of the answer.\n"
        "#1 priority: own it.\n"
        "Last line.\n\n"
        "**Q**: Bold then colon?\n"
        "**A**: Yes.\n"
        "## Next part\n"
        "Notes outside any pair.\n"
    )
    result = import_file(path, "d")
    assert [(c.prompt, c.answer) for c in result.cards] == [
        ("Bullet question?", "First line of the answer.\n#1 priority: own it.\nLast line."),
        ("Bold then colon?", "Yes."),
    ]


def test_anki_export_has_the_headers_anki_reads():
    deck = load_catalog(None).deck("failure-tips")
    lines = export_deck(deck, "anki").splitlines()
    assert lines[:3] == ["#separator:tab", "#html:false", "#tags column:3"]
    assert lines[3].count("\t") == 2


def test_imported_cards_written_as_a_deck_are_graded_against_their_answer():
    cards = import_file(DATA / "anki_notes.txt", "imported").cards
    deck = parse_deck(deck_toml("imported", "Imported", "", cards), Path("imported.toml"))
    card = deck.card(cards[0].id)
    assert card.key_points == ()
    good = grade_answer(card, "A real story: what happened and what you learned from it.")
    poor = grade_answer(card, "I would rather not say.")
    assert good.coverage > poor.coverage
    assert good.key_points[0].covered


def test_duplicate_ids_and_bad_kinds_in_csv_are_bad_rows(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text(
        "id,kind,prompt,answer\n"
        "a,question,First,One\n"
        "a,question,Second,Two\n"
        "b,essay,Third,Three\n"
        'c,tip,"<b>Fourth</b>",Four\n'
    )
    result = import_file(path, "d")
    assert [(c.id, c.prompt) for c in result.cards] == [("a", "First"), ("c", "Fourth")]
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "duplicate id 'a' (also on line 2)"),
        (4, "kind must be one of question, tip, pitfall, not 'essay'"),
    ]


def test_csv_key_points_are_editor_lines_with_hint_and_weight(tricky_deck):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(export_deck(tricky_deck, "csv"))))
    multi = rows[1]
    assert multi["key_points"] == (
        "weighted | Weighted \\| point | number\\; percent; cost | Say the number. | 2.5"
    )
    assert multi["red_flags"] == "blame | Blame | their fault | Own it."
    assert [rows[0]["key_points"], rows[2]["red_flags"]] == ["", ""]


def test_csv_with_key_points_in_json_from_an_older_export_still_imports(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "id,kind,prompt,answer,tags,key_points,red_flags\n"
        'a,question,P?,A.,,"[{""id"": ""k"", ""label"": ""K"", ""cues"": [""x""], '
        '""hint"": ""H""}]",\n'
    )
    (card,) = import_file(path, "old").cards
    assert [(k.id, k.label, k.cues, k.hint, k.weight) for k in card.key_points] == [
        ("k", "K", ("x",), "H", 1.0)
    ]


def test_a_bad_key_point_line_in_a_csv_is_reported_with_its_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,kind,prompt,answer,tags,key_points,red_flags\n"
        "a,question,P?,A.,,k | K | x | hint | heavy,\n"
        "b,question,Q?,B.,,,\n"
    )
    result = import_file(path, "bad")
    assert [c.id for c in result.cards] == ["b"]
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "key points, line 1: the weight must be a positive number, not 'heavy'")
    ]
