"""An import over the card limit stops as soon as it is crossed, names the input file and line,
and writes nothing (item 10 of the second reliability review)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from failtui.decks import importers, reader

#: Fuzzing and killed processes take seconds each: `pytest -m "not slow"` leaves them out.
pytestmark = pytest.mark.slow

FORMATS = {
    "csv": ("cards.csv", "front,back\n", "Question {n}?,Answer {n}.\n", 1),
    "anki": ("cards.txt", "#separator:tab\n", "Question {n}?\tAnswer {n}.\n", 1),
    "markdown": ("cards.md", "", "Q: Question {n}?\nA: Answer {n}.\n\n", 3),
}


def write_rows(path, fmt: str, count: int, after: str = "") -> None:
    _name, head, row, _lines = FORMATS[fmt]
    path.write_text(head + "".join(row.format(n=n) for n in range(count)) + after)


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(reader, "MAX_CARDS", 50)
    monkeypatch.setattr(importers, "MAX_CARDS", 50)
    return 50


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_import_stops_at_the_first_card_over_the_limit(tmp_path, data_home, small_limit, fmt):
    name, head, _row, lines = FORMATS[fmt]
    source = tmp_path / name
    # After the limit: a row that would be a problem if it were ever read.
    write_rows(source, fmt, small_limit + 1, after="\n" + '"never closed\n' * 3)
    result = CliRunner().invoke(cli, ["decks", "import", str(source), "--deck", "big"])
    assert result.exit_code == 1, result.output
    line_of_card = head.count("\n") + small_limit * lines + 1
    (error,) = [x for x in result.output.splitlines() if x.startswith("Error: ")]
    assert error == (
        f"Error: {source}:{line_of_card}: card {small_limit + 1} of the deck (0 there already); "
        f"the limit is {small_limit} per deck. Nothing was imported; split the file."
    )
    assert "never closed" not in result.output and "warning" not in result.output
    assert not (data_home / "decks" / "big.toml").exists()


def test_updates_do_not_count_against_the_limit(tmp_path, data_home, small_limit):
    source = tmp_path / "cards.csv"
    write_rows(source, "csv", small_limit)
    runner = CliRunner()
    assert runner.invoke(cli, ["decks", "import", str(source), "--deck", "big"]).exit_code == 0
    # The same 50 prompts again (updates) and one new card: 51 cards, over the limit of 50.
    write_rows(source, "csv", small_limit + 1)
    result = runner.invoke(cli, ["decks", "import", str(source), "--deck", "big"])
    assert result.exit_code == 1
    assert f"{source}:{small_limit + 2}: card {small_limit + 1} of the deck (50 there" in (
        result.output
    )
    # Only updates: fine.
    write_rows(source, "csv", small_limit)
    source.write_text(source.read_text().replace("Answer 7.", "Answer seven."))
    result = runner.invoke(cli, ["decks", "import", str(source), "--deck", "big"])
    assert result.exit_code == 0 and "(0 new, 1 updated, 49 unchanged)" in result.output


def test_120000_rows_stop_at_the_real_limit(tmp_path, data_home):
    source = tmp_path / "big.csv"
    write_rows(source, "csv", 120_000)
    result = CliRunner().invoke(cli, ["decks", "import", str(source)])
    assert result.exit_code == 1
    assert f"Error: {source}:100002: card 100,001 of the deck" in result.output
    assert "120,002/120,002" not in result.output  # it never read to the end
    assert "(80%)" in result.output and "(90%)" not in result.output  # stopped at 83%
    assert not (data_home / "decks" / "big.toml").exists()
