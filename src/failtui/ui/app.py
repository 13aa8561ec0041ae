"""The failtui Textual app and the one factory that builds it (CLI, tests, screenshots)."""

from __future__ import annotations

import contextlib
import gc
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from failtui import locations
from failtui.decks.index import LazyCatalog
from failtui.storage import home_queries
from failtui.storage.db import Store, WriteError, open_db
from failtui.storage.lock import InstanceLock
from failtui.studyday import Clock, utc_now
from failtui.ui.background import behind_the_screen

if TYPE_CHECKING:
    import threading

    from failtui.models import Card
    from failtui.session import DrillSession

# The drill's session (with fsrs), the backup and the other screens are imported when first
# used: the home screen's first frame needs none of them.

#: ctrl+r in a drill once its own ratings, and the newest rating of all, are taken back.
NOTHING_MORE_TO_UNDO = (
    "Nothing more to undo in this drill; 'failtui undo' takes back older ratings."
)
#: The feedback's ``u`` before this drill has rated anything: only the drill's ctrl+r (or
#: home's) reaches back to the newest rating of all.
NOTHING_RATED_IN_DRILL = (
    "Nothing rated in this drill yet; to undo the newest rating of all, press escape, then ctrl+r."
)
#: ctrl+r (drill or home) with no rating stored at all.
NOTHING_STORED_TO_UNDO = "Nothing to undo: no rating is stored."


class FailtuiApp(App):
    """Home, drill, feedback, history, summary and help screens over one store and catalog."""

    CSS_PATH = "app.tcss"
    TITLE = "failtui"
    SUB_TITLE = "What is your biggest failure?"
    BINDINGS = [
        # Each screen shows its own Help key first in its footer; this one catches the rest.
        Binding("question_mark", "help", "Help", key_display="?", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        clock: Clock = utc_now,
        tz: tzinfo | None = None,
        fuzz: bool = True,
        deck_id: str | None = None,
        limit: int | None = None,
        start_drill: bool = False,
        new_anyway: bool = False,
        speak: bool = False,
    ):
        super().__init__()
        self.store = store
        self.data_dir = data_dir
        self.clock = clock
        self.tz = tz
        self.fuzz = fuzz
        self.start_deck_id = deck_id
        self.limit = limit
        self.start_drill = start_drill
        self.start_new_anyway = new_anyway
        #: Drills start in speak mode (``failtui drill --speak``).
        self.speak = speak
        # Decks are listed from the deck index; a deck's cards are parsed when first needed.
        self.catalog = LazyCatalog(data_dir)
        self.fatal_message: str | None = None
        self.instance_lock = InstanceLock(data_dir)
        #: Problems found while opening, shown once mounted.
        self.startup_warnings: list[str] = []
        #: The check and backup started after the first frame (a thread), once started.
        self.backup_job: threading.Thread | None = None

    def get_driver_class(self):
        """Textual's driver, reading pastes with ``PasteSafeParser`` where it is the Linux one."""
        driver_class = super().get_driver_class()
        if driver_class.__name__ == "LinuxDriver":
            from failtui.ui.paste_input import paste_safe_driver_class

            return paste_safe_driver_class(driver_class)
        return driver_class

    # -- shared services for the screens --------------------------------------------------------
    def reload_catalog(self) -> None:
        """Read the deck files again (picks up files changed on disk)."""
        from failtui.storage import queries

        self.catalog = LazyCatalog(self.data_dir)
        by_deck = self.catalog.card_ids_by_deck().items()
        with self.storage_errors("mark cards removed from their decks"):
            queries.mark_deleted(self.store, (f"{d}/{c}" for d, ids in by_deck for c in ids))

    def new_session(
        self,
        deck_id: str | None = None,
        *,
        ahead: bool = False,
        limit: int | None = None,
        new_anyway: bool = False,
        card_key: str | None = None,
    ) -> DrillSession:
        """A drill session over the app's store and catalog."""
        from failtui.session import DrillSession

        return DrillSession(
            self.store,
            self.catalog,
            clock=self.clock,
            deck_id=deck_id,
            limit=limit,
            tz=self.tz,
            fuzz=self.fuzz,
            ahead=ahead,
            new_anyway=new_anyway,
            card_key=card_key,
        )

    def undo_rating(
        self, session: DrillSession, *, or_newest: bool = True
    ) -> tuple[Card | None, str] | None:
        """Undo ``session``'s last rating, or, with ``or_newest`` when it has rated nothing
        yet, the newest rating of all (as ``failtui undo``, once per drill), and say what was
        undone.

        Returns the card to show again (None when this drill does not show it) and its draft,
        or None when nothing was undone (already undone elsewhere, nothing stored, a failed
        write: each said).
        """
        from failtui.session import RatingAlreadyUndone

        with self.storage_errors("undo the last rating"):
            if session.can_undo():
                try:
                    undone = session.undo()
                except RatingAlreadyUndone as exc:
                    self.notify(str(exc), severity="warning", markup=False)
                    return None
                if undone is not None:
                    self.notify("Last rating undone.")
                return undone
            if not or_newest:
                return None
            if not session.may_undo_newest:
                self.notify(NOTHING_MORE_TO_UNDO, severity="warning", markup=False)
                return None
            newest = session.undo_newest()
            if newest is None:
                self.notify(NOTHING_STORED_TO_UNDO, severity="warning")
                return None
            taken_back, card = newest
            self.notify(taken_back.describe(self.tz), markup=False)
            return card, taken_back.draft
        return None

    def say_nothing_to_undo(self, session: DrillSession) -> None:
        """Say that ``session`` has no rating of its own to undo (the feedback's ``u``), and
        what does reach further back: the drill's ctrl+r, or ``failtui undo``."""
        message = NOTHING_RATED_IN_DRILL if session.may_undo_newest else NOTHING_MORE_TO_UNDO
        self.notify(message, severity="warning", markup=False)

    def ask_to_undo_newest(self, then: Callable[[], object]) -> None:
        """Name the newest rating of all and undo it if the user says so (home's ctrl+r);
        ``then`` runs once it is undone. Each call asks again, so nothing is walked back
        unasked."""
        from failtui.session import newest_rating, undo_newest_rating
        from failtui.ui.screens.choice import ChoiceScreen

        newest = newest_rating(self.store)
        if newest is None:
            self.notify(NOTHING_STORED_TO_UNDO, severity="warning")
            return

        def answered(choice: str | None) -> None:
            if choice != "undo":
                return
            with self.storage_errors("undo the rating"):
                undone = undo_newest_rating(self.store, self.clock(), review_id=newest.review_id)
                if undone is None:
                    self.notify(
                        "Nothing was undone: the ratings changed meanwhile (another failtui "
                        "rated or undid); press ctrl+r to try again.",
                        severity="warning",
                        markup=False,
                    )
                    return
                self.notify(undone.describe(self.tz), markup=False)
                then()

        self.push_screen(
            ChoiceScreen(newest.question(self.tz), [("undo", "Undo it"), ("keep", "Keep it")]),
            answered,
        )

    @contextlib.contextmanager
    def storage_errors(self, what: str, *, quiet: bool = False) -> Iterator[None]:
        """Run writes; if one fails (disk full, read-only), say so and skip the rest of the block.

        The screen stays as it was, with the user's text on it, so nothing typed is lost and
        the action can be tried again once the problem is fixed. ``quiet`` skips the message
        (for a retry that already told the user).
        """
        try:
            yield
        except WriteError as exc:
            if quiet:
                return
            self.notify(
                f"Could not {what}. {exc}. Your text is still on screen; try again once "
                "the problem is fixed.",
                title="Not saved",
                severity="error",
                timeout=15,
                markup=False,
            )

    @property
    def exam_mode(self) -> bool:
        """Whether the live panel is hidden while answering (remembered across runs)."""
        return bool(home_queries.get_setting(self.store, "exam_mode", False))

    @exam_mode.setter
    def exam_mode(self, value: bool) -> None:
        with self.storage_errors("remember exam mode"):
            home_queries.set_setting(self.store, "exam_mode", bool(value))

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen anywhere (the settings screen, the palette's "Theme")."""
        from failtui import user_settings

        if theme not in user_settings.THEMES:
            return
        if user_settings.get(self.store, "theme") != theme:
            with self.storage_errors("remember the theme"):
                user_settings.set_value(self.store, "theme", theme)

    # -- lifecycle ---------------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """Home, the first screen on the stack (Textual's empty default screen is not built)."""
        from failtui.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        from failtui.user_settings import get as get_setting

        self.theme = get_setting(self.store, "theme")
        self.screen.call_after_refresh(self.after_first_frame)
        if not self.instance_lock.acquire():
            self.notify(
                "Another failtui is open on this data folder. Both save every rating safely; "
                "close one so you do not answer the same card twice.",
                title="failtui is already open",
                severity="warning",
                timeout=12,
                markup=False,
            )
        for warning in self.startup_warnings:
            self.notify(warning, severity="warning", timeout=12, markup=False)
        if self.start_drill:
            self.start_session(
                self.new_session(
                    self.start_deck_id, limit=self.limit, new_anyway=self.start_new_anyway
                )
            )

    def after_first_frame(self) -> None:
        """Turn the cycle collector back on (the launcher pauses it) and start the backup."""
        gc.enable()
        # The database check and the daily backup read the whole file: after the first frame.
        self.start_backup()

    def start_backup(self) -> None:
        """Check the database and take the daily backup in the background (once)."""
        if self.backup_job is not None or self.store.path is None:
            return
        from failtui.storage import backup

        self.backup_job = backup.backup_in_background(
            self.store.path, backup.backups_dir(self.data_dir), self.clock(), self._backup_said
        )

    def _backup_said(self, message: str, damaged: bool) -> None:
        # Called from the backup thread; the app may have quit meanwhile.
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self.show_backup_problem, message, damaged)

    def show_backup_problem(self, message: str, damaged: bool) -> None:
        """Say that no backup was taken; loudly, and until dismissed, if the file is damaged."""
        if damaged:
            self.notify(
                message,
                title="Your database is damaged",
                severity="error",
                timeout=3600,
                markup=False,
            )
        else:
            self.notify(message, severity="warning", timeout=12, markup=False)

    def open_drill(
        self,
        session: DrillSession,
        card: Card | None = None,
        *,
        answer: str | None = None,
        speak: bool | None = None,
        replace: bool = False,
        started: datetime | None = None,
    ) -> None:
        """The one way into a drill: show ``card`` typed or in speak mode (default: the app's
        mode), with ``answer`` typed in. Without a card, the session's next; the summary
        straight away if nothing is due. ``replace`` takes the place of the current screen.
        ``started`` is when the answer to ``card`` began (f2 switching between typing and
        speaking passes it on, so the elapsed time goes on counting); default: now.
        """
        from failtui.ui.screens.drill import DrillScreen
        from failtui.ui.screens.speak import SpeakScreen
        from failtui.ui.screens.summary import SummaryScreen

        show = self.switch_screen if replace else self.push_screen
        if card is None:
            card = session.next_card()
            if card is None:
                show(SummaryScreen(session, nothing_due=True))
                return
        if self.speak if speak is None else speak:
            show(SpeakScreen(session, card, answer_started=started))
        else:
            show(DrillScreen(session, card, answer, started=started))

    def start_session(self, session: DrillSession, *, speak: bool | None = None) -> None:
        """Open the drill (typed, or in speak mode) for a session, or the summary straight
        away if nothing is due."""
        self.open_drill(session, speak=speak)
        # The first card's deck is parsed; the drill's other decks are parsed behind it, so a
        # rating never waits for one (decks are not parsed before a drill needs them: memory).
        decks = None if session.deck_id is None else [session.deck_id]
        self.run_worker(
            behind_the_screen(partial(self.catalog.parse_decks, decks)),
            name="parse decks",
            group="decks",
            thread=True,
            exit_on_error=False,
        )

    def get_system_commands(self, screen):
        """Command palette entries (ctrl+p): every screen and the main actions, no duplicates.

        Textual's own "Keys" panel is left out: "Help" lists every key of every screen.
        """
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command
        yield SystemCommand(
            "Drill all due cards",
            "Start a drill of every deck",
            lambda: self.start_session(self.new_session()),
        )
        yield SystemCommand(
            "Drill aloud (speak mode)",
            "Say each answer against a timer, then tick what you covered",
            lambda: self.start_session(self.new_session(), speak=True),
        )
        yield SystemCommand(
            "Practise ahead",
            "Drill cards before they are due",
            lambda: self.start_session(self.new_session(ahead=True)),
        )
        yield SystemCommand(
            "Study new cards now",
            "Drill new cards past today's new-card limit",
            lambda: self.start_session(self.new_session(new_anyway=True)),
        )
        for title, help_text, screen_name in (
            ("Statistics", "Weak key points, red flags, cards, practice", "stats"),
            ("Decks", "Write and edit your own decks", "decks"),
            ("My stories", "Your own failure stories", "stories"),
            ("Card browser", "Every card: suspend, bury, forget, drill now", "cards"),
            ("Settings", "Daily limits, retention, day start, order, theme", "settings"),
            ("Interview plan", "Interview dates, days left, readiness, what to review", "plan"),
        ):
            yield SystemCommand(title, help_text, lambda name=screen_name: self.open_screen(name))
        yield SystemCommand("Reload decks", "Read the deck files again", self.reload_catalog)
        yield SystemCommand("Help", "Every key of every screen", self.action_help)

    def open_screen(self, name: str) -> None:
        """Open one of the main screens by name (stats, decks, stories, cards, settings, plan)."""
        from failtui.ui.screens.browser import CardBrowserScreen
        from failtui.ui.screens.decks import DeckListScreen
        from failtui.ui.screens.plan import PlanScreen
        from failtui.ui.screens.settings import SettingsScreen
        from failtui.ui.screens.stats import StatsScreen
        from failtui.ui.screens.stories import StoryListScreen

        screens = {
            "stats": StatsScreen,
            "decks": DeckListScreen,
            "stories": StoryListScreen,
            "cards": CardBrowserScreen,
            "settings": SettingsScreen,
            "plan": PlanScreen,
        }
        self.push_screen(screens[name]())

    async def action_quit(self) -> None:
        """Quit (ctrl+q); a card or story with unsaved changes asks first."""
        from failtui.ui.unsaved import confirm_quit

        if not confirm_quit(self):
            self.exit()

    def action_help(self) -> None:
        """Open the help at the section of the screen it was called from."""
        from failtui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(getattr(self.screen, "HELP_SECTION", None)))

    def _handle_exception(self, error: Exception) -> None:
        """A damaged database met half-way (a page that cannot be read) ends the app with one
        line naming the file and what to do, and exit code 1; anything else as Textual does."""
        if _header_title_race(error):
            return  # a title no longer on screen was not set: nothing is lost
        if isinstance(error, sqlite3.DatabaseError):
            self.fatal_message = (
                f"{self.store.path or 'the database'}: the database is damaged ({error}). Run "
                "'failtui doctor' to check it, then 'failtui doctor --restore' to put back the "
                "newest good backup."
            )
            self._return_code = 1
            self._close_messages_no_wait()  # as Textual does for any error, minus the traceback
            return
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        self.store.close()
        self.instance_lock.release()


def _header_title_race(error: Exception) -> bool:
    """Whether ``error`` is Textual's Header failing to set the title of a screen that closed
    as it opened (two quick enters: one opens the summary, the other closes it). The Header
    sets its title in a task of its own, which can run once the header has left the screen."""
    from textual.css.query import NoMatches

    if not isinstance(error, NoMatches):
        return False
    frame = error.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_name == "set_title" and code.co_filename.endswith("_header.py"):
            return True
        frame = frame.tb_next
    return False


def make_app(
    *,
    data_dir: Path | str | None = None,
    clock: Clock = utc_now,
    tz: tzinfo | None = None,
    fuzz: bool = True,
    deck_id: str | None = None,
    limit: int | None = None,
    start_drill: bool = False,
    new_anyway: bool = False,
    speak: bool = False,
) -> FailtuiApp:
    """Build the app on a data dir (default: ``$FAILTUI_HOME`` or the user data dir).

    Raises:
        failtui.storage.DatabaseError: the database cannot be opened.
    """
    home = locations.ensure_data_dir(locations.data_dir(data_dir))
    store = open_db(locations.db_path(home))
    # The backup is taken after the first frame (FailtuiApp.start_backup), not here.
    app = FailtuiApp(
        store,
        home,
        clock=clock,
        tz=tz,
        fuzz=fuzz,
        deck_id=deck_id,
        limit=limit,
        start_drill=start_drill,
        new_anyway=new_anyway,
        speak=speak,
    )
    return app
