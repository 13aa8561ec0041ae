"""User text: shown on one line (textclean.one_line), cut in terminal cells, never wrapped; an
answer that says nothing (textclean.is_empty_answer)."""

from __future__ import annotations

from rich.cells import cell_len

from failtui.textclean import is_empty_answer, one_line


def test_one_line_joins_lines_and_cuts_to_the_width_in_cells():
    assert one_line("Mine", 20) == "Mine"
    assert one_line("  A\ntitle\t with  breaks ", 20) == "A title with breaks"
    assert one_line("abcdefghij", 10) == "abcdefghij"
    assert one_line("abcdefghijk", 10) == "abcdefghi…"
    assert one_line("Long " * 1000, 20) == "Long Long Long Long…"
    # Wide characters take two cells each, as rich counts them.
    assert one_line("失败失败失败失败", 7) == "失败失…"
    assert one_line("💥" * 20, 9) == "💥💥💥💥…"
    # Never wider than asked, whatever falls at the cut.
    text = "面接 prep 🚀 " * 50
    assert [w for w in range(2, 60) if cell_len(one_line(text, w)) > w] == []


def test_an_answer_of_only_spaces_tabs_and_newlines_is_empty():
    assert [is_empty_answer(t) for t in ("", "   ", "\n\n   ", "\t\n", ".", " a ")] == [
        True, True, True, True, False, False,
    ]  # fmt: skip
