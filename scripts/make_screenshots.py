"""Regenerate the SVG screenshots in screenshots/ from a demo collection built here.

Run: ``python scripts/make_screenshots.py`` (needs the package installed). The demo collection
lives in a temporary data dir with a fixed clock, so the pictures only change when screens do.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import TextArea

from failtui.decks.catalog import load_catalog
from failtui.session import DrillSession
from failtui.storage import open_db
from failtui.ui.app import make_app

OUT = Path(__file__).resolve().parents[1] / "screenshots"


async def settle(pilot) -> None:
    """Wait until a change made from outside the keyboard has been drawn in full.

    A table's scrollbars and the footer's key labels follow such a change one refresh later,
    so one idle wait can catch the screen half-way.
    """
    await pilot.pause()
    await pilot.pause()


SIZE = (110, 34)
#: The smallest terminal failtui supports; one picture shows the drill at this size.
SMALL = (80, 24)
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

MIDDLE_TRY = (
    "I was a shift lead in a warehouse and my job was to get the orders out. I skipped the final "
    "count and forty orders went out wrong. I rang the customers. I learned to double check."
)
FIRST_TRY = (
    "I was a shift lead in a warehouse. I forgot to check the pallets and some orders went out "
    "wrong. I learned to double check."
)
ANSWER = (
    "In my last job I was a shift lead in a distribution warehouse, responsible for getting the "
    "evening orders onto the trucks. One Friday I skipped the final pallet count to make the "
    "cut-off, and forty orders went out wrong, which cost us about two thousand dollars in "
    "returns. I owned it with my manager, rang every affected customer the next morning and "
    "set up a two-person check on the last pallets. I learned that the shortcut that saves ten "
    "minutes can cost a week of cleanup. Since then I always run the count, even on busy nights, "
    "and the next quarter we had zero mis-picks."
)


class DemoClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def build_demo(home: Path, clock: DemoClock) -> None:
    """Three weeks of drills: a few cards in review, one attempt history with progress."""
    (home / "decks").mkdir(parents=True, exist_ok=True)
    store = open_db(home / "failtui.db")
    catalog = load_catalog(home)
    session = DrillSession(store, catalog, clock=clock, fuzz=False, tz=UTC)
    story = catalog.find_card("biggest-failure", "failure-question")
    for day, text in ((0, FIRST_TRY), (6, MIDDLE_TRY), (13, ANSWER)):
        clock.now = START + timedelta(days=day, hours=-1)
        session.rate(
            story, text, session.grade(story, text), session.grade(story, text).suggested_rating
        )
    for day in range(21):
        clock.now = START + timedelta(days=day)
        for _ in range(3):
            card = session.next_card()
            if card is None:
                break
            answer = FIRST_TRY if day < 10 else ANSWER
            grade = session.grade(card, answer)
            session.intervals(card)
            session.rate(card, answer, grade, grade.suggested_rating)
    store.close()


BLAMED = (
    "I was the release manager on a billing project. The release slipped because the design "
    "team were late and my manager never signed off the budget, so it was not my fault. I "
    "learned to push people harder."
)
STATS_START = datetime(2026, 10, 12, 18, 0, tzinfo=UTC)
STATS_WEEKS = 6


def question_answer(week: int, rnd: random.Random) -> str:
    """An answer to the failure question that improves week by week, with the odd relapse."""
    if rnd.random() < 0.08:
        return BLAMED
    if week < 2:
        return rnd.choice((FIRST_TRY, FIRST_TRY, MIDDLE_TRY))
    if week < 4:
        return rnd.choice((FIRST_TRY, MIDDLE_TRY, MIDDLE_TRY, ANSWER))
    return rnd.choice((MIDDLE_TRY, ANSWER, ANSWER, ANSWER))


def build_stats_demo(home: Path, clock: DemoClock) -> None:
    """Six weeks of evening drills over every deck, most days, for the statistics screen."""
    (home / "decks").mkdir(parents=True, exist_ok=True)
    store = open_db(home / "failtui.db")
    catalog = load_catalog(home)
    session = DrillSession(store, catalog, clock=clock, fuzz=False, tz=UTC)
    rnd = random.Random(5)
    for day in range(STATS_WEEKS * 7):
        if rnd.random() < 0.2:  # a day off now and then
            continue
        clock.now = STATS_START + timedelta(days=day)
        for _ in range(rnd.randint(3, 9)):
            card = session.next_card()
            if card is None:
                break
            if card.kind == "question":
                answer = question_answer(day // 7, rnd)
            else:
                # Tips and pitfalls: the guidance in the user's words, sometimes only half of it.
                sentences = card.answer.split(". ")
                keep = len(sentences) if rnd.random() < 0.6 else max(1, len(sentences) // 2)
                answer = ". ".join(sentences[:keep])
            grade = session.grade(card, answer)
            rating = grade.suggested_rating if rnd.random() > 0.1 else "again"
            session.intervals(card)
            session.rate(card, answer, grade, rating)
            clock.now += timedelta(minutes=3)
    store.close()


async def shoot_stats(home: Path, clock: DemoClock) -> None:
    app = make_app(data_dir=home, clock=clock, tz=UTC, fuzz=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.save_screenshot(str(OUT / "stats.svg"))
        await pilot.press("4")
        await pilot.pause()
        app.save_screenshot(str(OUT / "stats-practice.svg"))


async def shoot(home: Path, clock: DemoClock) -> None:
    OUT.mkdir(exist_ok=True)

    def app(**kwargs):
        return make_app(data_dir=home, clock=clock, tz=UTC, fuzz=False, **kwargs)

    async def answer(pilot, text: str) -> None:
        area = pilot.app.screen.query_one("#answer", TextArea)
        area.cursor_blink = False
        area.load_text(text)
        await pilot.pause(0.4)

    home_app = app()
    async with home_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home_app.save_screenshot(str(OUT / "home.svg"))

    drill = app(start_drill=True, deck_id="failure-question", limit=1)
    async with drill.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        drill.save_screenshot(str(OUT / "drill.svg"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        drill.save_screenshot(str(OUT / "feedback.svg"))
        await pilot.press("enter")
        await pilot.pause()
        drill.save_screenshot(str(OUT / "summary.svg"))

    small = app(start_drill=True, deck_id="failure-question", limit=1)
    async with small.run_test(size=SMALL) as pilot:
        await answer(pilot, MIDDLE_TRY)
        small.save_screenshot(str(OUT / "drill-80x24.svg"))

    browser = app()
    async with browser.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        browser.screen.query_one("#browser-state").value = "review"
        await settle(pilot)
        browser.save_screenshot(str(OUT / "cards.svg"))
        await pilot.press("escape", "o")
        for box in browser.screen.query("Input"):
            box.cursor_blink = False
        await pilot.pause()
        browser.save_screenshot(str(OUT / "settings.svg"))


async def shoot_history(home: Path, clock: DemoClock) -> None:
    from failtui.ui.screens.history import HistoryScreen

    app = make_app(data_dir=home, clock=clock, tz=UTC, fuzz=False)
    async with app.run_test(size=SIZE) as pilot:
        card = app.catalog.find_card("biggest-failure", "failure-question")
        app.push_screen(HistoryScreen(app.new_session(), card))
        await pilot.pause()
        app.save_screenshot(str(OUT / "history.svg"))


async def shoot_interview(home: Path, clock: DemoClock) -> None:
    """The plan of an interview 12 days ahead, and an answer said aloud in speak mode."""
    from failtui.storage.interviews import add_interview
    from failtui.storage.queries import set_setting

    store = open_db(home / "failtui.db")
    day = (clock.now + timedelta(days=12)).date().isoformat()
    add_interview(store, day, "Northwind, ops lead", ("failure-question", "failure-pitfalls"), "")
    # A limit too low for the cards left, so the plan shows its warning and the fix.
    set_setting(store, "new_per_day", 2)
    store.close()
    app = make_app(data_dir=home, clock=clock, tz=UTC, fuzz=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.save_screenshot(str(OUT / "plan.svg"))
    store = open_db(home / "failtui.db")
    set_setting(store, "new_per_day", 10)
    store.close()
    speak = make_app(
        data_dir=home, clock=clock, tz=UTC, fuzz=False, start_drill=True, speak=True,
        deck_id="failure-question",
    )  # fmt: skip
    async with speak.run_test(size=SIZE) as pilot:
        clock.now += timedelta(seconds=134)
        speak.screen._tick()
        await pilot.pause()
        speak.save_screenshot(str(OUT / "speak.svg"))
        await pilot.press("enter")
        checklist = speak.screen.query_one("#speak-checklist")
        for item in ("context", "task", "failure", "impact", "remedy", "lesson"):
            checklist.select(("key_point", item))
        checklist.highlighted = 6
        await settle(pilot)
        speak.save_screenshot(str(OUT / "speak-check.svg"))
    clock.now -= timedelta(seconds=134)


STORY_PARTS = {
    "title": "The Friday pallet count",
    "situation": "I was a shift lead at Northfield Logistics, running the evening dispatch.",
    "task": "I was responsible for getting every order onto the 9pm trucks.",
    "mistake": "I skipped the final pallet count to make the cut-off.",
    "result": "40 orders went out wrong and returns cost us $2,000 over three weeks.",
    "fix": "I rang every affected customer and set up a two-person check on the last pallets.",
    "lesson": "A shortcut that saves ten minutes can cost a week of cleanup.",
    "use_now": "In the peak season rush I kept the count and we had zero mis-picks.",
}
MY_DECK = """# Cards I wrote after my last interview loop.
id = "interview"
title = "Interview prep"
description = "My own phrasings"

[[cards]]
id = "project-slip"
kind = "question"
prompt = "Tell me about a project you let slip."
answer = "Own the slip, give the delay in days, and say what you changed."
tags = ["projects", "mine"]

[[cards.key_points]]
id = "owning"
label = "You own the slip"
cues = ["my mistake", "i should have", "i underestimated"]

[[cards.key_points]]
id = "delay"
label = "The delay, in days"
cues = ["days late", "a week late", "slipped by"]

[[cards.red_flags]]
id = "blame"
label = "Blaming the client"
cues = ["the client kept changing", "not my fault"]
advice = "Say what you could have done, not what they did."
"""


async def shoot_own_decks(home: Path, clock: DemoClock) -> None:
    """The card editor with a graded sample answer, and the story form filled in."""
    from failtui.ui.screens.card_editor import CardEditorScreen
    from failtui.ui.screens.story_form import StoryFormScreen

    (home / "decks" / "interview.toml").write_text(MY_DECK, encoding="utf-8")
    app = make_app(data_dir=home, clock=clock, tz=UTC, fuzz=False)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(CardEditorScreen("interview", "project-slip"))
        await pilot.pause()
        app.screen.query_one("#sample-answer", TextArea).load_text(
            "I underestimated the migration and we shipped ten days late. "
            "Honestly the client kept changing the scope."
        )
        for area in app.screen.query(TextArea):
            area.cursor_blink = False
        await pilot.pause(0.4)
        app.save_screenshot(str(OUT / "editor.svg"))

        app.push_screen(StoryFormScreen(None))
        await pilot.pause()
        from textual.widgets import Input

        app.screen.query_one("#story-title", Input).value = STORY_PARTS["title"]
        for name, text in STORY_PARTS.items():
            if name != "title":
                app.screen.query_one(f"#story-{name}", TextArea).load_text(text)
        for area in app.screen.query(TextArea):
            area.cursor_blink = False
        app.screen.query_one("#story-title", Input).cursor_blink = False
        await pilot.pause(0.4)
        app.save_screenshot(str(OUT / "story.svg"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        clock = DemoClock(START)
        build_demo(home, clock)
        clock.now = START + timedelta(days=21, hours=1)
        asyncio.run(shoot(home, clock))
        asyncio.run(shoot_history(home, clock))
        asyncio.run(shoot_own_decks(home, clock))
        asyncio.run(shoot_interview(home, clock))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        clock = DemoClock(STATS_START)
        build_stats_demo(home, clock)
        clock.now = STATS_START + timedelta(days=STATS_WEEKS * 7, hours=-2)
        asyncio.run(shoot_stats(home, clock))
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.svg')))} to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
