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


@pytest.mark.parametrize("fmt", ["csv", "anki", "toml"])
def test_export_then_import_gives_the_same_cards(tmp_path, fmt):
    catalog = load_catalog(None)
    for deck in catalog.decks:
        out = tmp_path / f"{deck.id}.{ {'csv': 'csv', 'anki': 'txt', 'toml': 'toml'}[fmt] }"
        out.write_text(export_deck(deck, fmt), encoding="utf-8")
        if fmt == "toml":
            assert parse_deck(out.read_text(), out).cards == deck.cards
            continue
        result = import_file(out, deck.id)
        assert result.problems == []
        if fmt == "csv":
            # CSV carries ids, kinds, key points and red flags: the very same cards.
            assert result.cards == list(deck.cards)
        else:
            # Anki has front, back and tags only.
            assert [(c.prompt, c.answer, c.tags) for c in result.cards] == [
                (c.prompt, c.answer, c.tags) for c in deck.cards
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
