"""No terminal escape from stored or pasted text reaches the terminal.

The app is driven headless; each screen's full frame is rendered to the byte sequence a terminal
would receive, which must hold the text literally but none of its escape sequences. The stored
rows are written raw (as an older failtui, a hand edit or another tool could leave them), so
the test covers text that never went through failtui's own cleaning on the way in.
"""

from __future__ import annotations

import sqlite3

from textual import events

from failtui.storage import open_db
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.screens.feedback import FeedbackScreen
from failtui.ui.screens.history import HistoryScreen
from failtui.ui.widgets.answer_area import AnswerArea

CARD = "failure-question/biggest-failure"
#: Each would do something to a real terminal: set its title, colour, make a link, clear it.
ESCAPES = (
    "\x1b]0;PWNED\x07",
    "\x1b[31mRED\x1b[0m",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J",
    "\x9b31m",
)
NASTY_ANSWER = "I learned " + " and ".join(ESCAPES) + " [b]not bold[/b] 🔥 漢字 שלום"
#: NASTY_ANSWER pasted: the control characters go, the rest of each sequence stays as text.
# Each escape sequence goes whole (not only its ESC); the text between them stays.
NASTY_PASTED = "I learned  and RED and link and  and  [b]not bold[/b] 🔥 漢字 שלום"
FORBIDDEN = ("\x1b]0;", "\x1b[31mRED", "\x1b]8;;https://evil", "\x1b[2J", "\x9b")


def terminal_output(app) -> str:
    """What a terminal would receive to draw the current screen in full."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_safe(output: str, *visible: str) -> None:
    for sequence in FORBIDDEN:
        assert sequence not in output, f"{sequence!r} reached the terminal"
    for text in visible:
        assert text in output, f"{text!r} is not shown"


def store_raw_rows(data_home) -> None:
    store = open_db(data_home / "failtui.db")
    store.close()
    conn = sqlite3.connect(data_home / "failtui.db")
    conn.execute("INSERT INTO drafts (card_key, text, updated_at) "
                 "VALUES (?, ?, '2026-11-23T11:00:00.000000+00:00')",
                 (CARD, NASTY_ANSWER))  # fmt: skip
    conn.execute(
        "INSERT INTO attempts (card_key, deck_id, answered_at, answer, coverage, words, "
        "speaking_seconds, lesson_share, suggested_rating, rating, grade_json) VALUES "
        "(?, 'failure-question', '2026-11-20T10:00:00.000000+00:00', ?, 0.5, 20, 9, 0.2, "
        "'hard', 'hard', '{}')",
        (CARD, NASTY_ANSWER),
    )
    conn.commit()
    conn.close()


async def test_stored_draft_and_attempt_reach_the_screen_without_escapes(app_factory, data_home):
    data_home.mkdir(parents=True)
    store_raw_rows(data_home)
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("down", "enter")
        assert isinstance(app.screen, DrillScreen) and app.screen.card.key == CARD
        await pilot.pause()
        assert_safe(terminal_output(app), "and RED and link", "[b]not")
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.pause()
        assert_safe(terminal_output(app), "and RED and link")
        await pilot.press("escape", "ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.pause()
        assert_safe(terminal_output(app), "and RED and link")


async def test_pasted_escapes_are_dropped_and_the_rest_kept(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("down", "enter")
        area = app.screen.query_one("#answer", AnswerArea)
        paste = events.Paste(NASTY_ANSWER)
        paste.set_sender(app)
        app.post_message(paste)  # as the terminal driver does
        await pilot.pause()
        assert area.text == NASTY_PASTED
        assert_safe(terminal_output(app), "and RED and link")
        await pilot.press("ctrl+s")
        await pilot.press("3")
    store = open_db(data_home / "failtui.db")
    (answer,) = store.query("SELECT answer FROM attempts")[0]
    store.close()
    assert answer == NASTY_PASTED
