"""Speak mode: say the answer aloud against a large timer, then tick what you covered and rate.

Two steps on one screen. Speaking: the prompt and a timer counting up against the 2-3 minutes
the advice gives for the failure question; ``enter`` when done. Checking: the card's key points
and red flags as a checklist to tick from memory (the ticks are the attempt's labels), the
suggested rating following the ticks, and the four ratings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Digits, Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from failtui.models import ADVISED_SECONDS, KEY_POINT, Card, Rating, is_failure_question
from failtui.report import format_seconds
from failtui.scheduling import format_interval
from failtui.session import DrillSession
from failtui.speaking import too_short_note
from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.widgets.card_header import card_meta, card_prompt
from failtui.ui.widgets.tick_list import TickList

RATING_KEYS = tuple((r.key, r.label) for r in Rating)


class SpeakScreen(FailtuiScreen):
    """One card after another said aloud; ``f2`` switches back to typing."""

    DEFAULT_CSS = """
    SpeakScreen #speak {
        height: 1fr;
        padding: 0 2;
    }
    SpeakScreen #speak-meta, SpeakScreen #speak-advice, SpeakScreen #speak-suggestion {
        height: auto;
    }
    SpeakScreen #speak-prompt {
        height: auto;
        margin: 1 0;
    }
    SpeakScreen #speak-timer {
        width: auto;
        color: $warning;
    }
    SpeakScreen #speak-timer.within {
        color: $success;
    }
    SpeakScreen #speak-timer.over {
        color: $error;
    }
    SpeakScreen #speak-checklist {
        height: 1fr;
        min-height: 4;
        margin-top: 1;
    }
    SpeakScreen #speak-suggestion {
        background: $boost;
        padding: 0 1;
    }
    """

    HELP_SECTION = "Speak mode"
    BINDINGS = [
        HELP,
        Binding("enter", "done", "Done", priority=True),
        # The ratings' own row (1-4 with their intervals, the suggested one starred) lists these
        # keys, so the footer keeps its room for space (tick) and the rest at 80 columns.
        Binding("1", "rate('again')", "Again", show=False),
        Binding("2", "rate('hard')", "Hard", show=False),
        Binding("3", "rate('good')", "Good", show=False),
        Binding("4", "rate('easy')", "Easy", show=False),
        Binding("r", "restart", "Restart"),
        Binding("f2", "type", "Type"),
        Binding("ctrl+r", "undo", "Undo"),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, session: DrillSession, card: Card, answer_started: datetime | None = None):
        super().__init__()
        self.session = session
        self.card = card
        self.started: datetime | None = None  # when speaking began: the timer counts from it
        #: When the answer to this card began, typed before f2 or spoken here: f2 passes it
        #: back to the typed drill, whose elapsed time goes on from it.
        self.answer_started = answer_started
        self.seconds: float | None = None  # set when done speaking
        self._items: tuple = ()  # the checklist's items, once done speaking
        self._rated = False
        self._suggested: str | None = None  # the rating enter takes, once done speaking

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="speak"):
            yield Static(id="speak-meta")
            yield Static(id="speak-prompt")
            yield Digits("0:00", id="speak-timer")
            yield Static(id="speak-advice")
            yield TickList(id="speak-checklist")
            yield Static(id="speak-suggestion")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.show_card(self.card, self.answer_started)

    # -- steps -----------------------------------------------------------------------------------
    def show_card(self, card: Card, answer_started: datetime | None = None) -> None:
        """Start speaking on ``card``: the timer from zero, the checklist hidden.

        ``answer_started``: when the answer began, if it was typed before (default: now).
        """
        self.card = card
        self.started = self.app.clock()
        self.answer_started = answer_started or self.started
        self.seconds = None
        self._rated = False
        self._suggested = None
        deck = self.app.catalog.deck(card.deck_id)
        position = f"{len(self.session.rated)} done  ·  speak mode"
        self.query_one("#speak-meta", Static).update(
            card_meta(card, deck.title if deck else card.deck_id, position)
        )
        self.query_one("#speak-prompt", Static).update(card_prompt(card))
        checklist = self.query_one("#speak-checklist", SelectionList)
        checklist.clear_options()
        checklist.display = False
        # Hidden while speaking, and out of the focus too: space must not tick unseen rows.
        checklist.can_focus = False
        if self.focused is checklist:
            self.set_focus(None)
        self.query_one("#speak-suggestion", Static).display = False
        self._tick()
        self.refresh_bindings()

    def _elapsed(self) -> float:
        if self.seconds is not None:
            return self.seconds
        return max(0.0, (self.app.clock() - self.started).total_seconds()) if self.started else 0.0

    def _tick(self) -> None:
        elapsed = self._elapsed()
        timer = self.query_one("#speak-timer", Digits)
        timer.update(format_seconds(elapsed))
        low, high = ADVISED_SECONDS
        timer.set_class(elapsed > high, "over")
        timer.set_class(low <= elapsed <= high, "within")
        advice = Text()
        if self.seconds is None:
            advice.append("Say your answer aloud. ", style="bold")
            advice.append("enter when you are done.", style="dim")
        else:
            advice.append(f"Spoken for {format_seconds(elapsed)}. ", style="bold")
            advice.append("Tick what you covered and any red flag you raised, then rate.")
        if is_failure_question(self.card):
            advice.append(f"\nThe advice: {low / 60:.0f}-{high / 60:.0f} minutes", style="dim")
            if self.seconds is None and elapsed > high:
                advice.append("; time to land the lesson", style="bold")
        self.query_one("#speak-advice", Static).update(advice)

    def action_done(self) -> None:
        """Enter: done speaking (stop the timer, show the checklist), then the suggested rating."""
        if self.seconds is not None:
            self.action_rate(self._grade().suggested_rating)
            return
        self.seconds = self._elapsed()
        checklist = self.query_one("#speak-checklist", SelectionList)
        from failtui.speaking import checklist as items_of

        self._items = items_of(self.session.graded_card(self.card))
        for item in self._items:
            checklist.add_option(Selection(self._row(item, False), (item.kind, item.id)))
        checklist.display = True
        checklist.can_focus = True
        checklist.highlighted = 0
        checklist.focus()
        self.query_one("#speak-suggestion", Static).display = True
        self._tick()
        self._show_suggestion()
        self.refresh_bindings()

    def _ticked(self) -> set[tuple[str, str]]:
        return set(self.query_one("#speak-checklist", SelectionList).selected)

    def _grade(self):
        return self.session.spoken_grade(self.card, self._ticked(), self._elapsed())

    @staticmethod
    def _row(item, ticked: bool) -> Text:
        """A checklist row: kind, state in words (the tick box alone is a colour), label."""
        key_point = item.kind == KEY_POINT
        if key_point:
            state = "covered" if ticked else "missed"
        else:
            state = "raised" if ticked else "not raised"
        # The words the corrections dialog uses, so the two lists read alike.
        return Text.assemble(
            ("key point " if key_point else "red flag  ", "dim"),
            (f"{state:<11}", "bold" if ticked else "dim"),
            item.label,
        )

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.seconds is None:
            return
        ticked = set(event.selection_list.selected)
        for index, item in enumerate(self._items):
            event.selection_list.replace_option_prompt_at_index(
                index, self._row(item, (item.kind, item.id) in ticked)
            )
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        grade = self._grade()
        intervals = self.session.intervals(self.card)
        text = Text(f"Key points covered: {grade.coverage:.0%}", style="bold")
        text.append(f"  ·  red flags: {len(grade.red_flags)}\n")
        for key, name in RATING_KEYS:
            suggested = name == grade.suggested_rating
            label = f" {key} {name.capitalize()} {format_interval(intervals[name])} "
            text.append(
                ("★" if suggested else " ") + label, style="bold reverse" if suggested else ""
            )
            text.append(" ")
        text.append(f"enter = {grade.suggested_rating.capitalize()}", style="dim")
        short = too_short_note(grade.speaking_seconds)
        if short:
            text.append("\n" + short, style="yellow")
        held = self.session.held_before(self.card)
        if held is not None:
            from failtui.interview import hold_note

            text.append("\n" + hold_note(held, self.session.today()), style="dim")
        self.query_one("#speak-suggestion", Static).update(text)
        if grade.suggested_rating != self._suggested:
            self._suggested = grade.suggested_rating
            self.refresh_bindings()  # the footer names the rating enter takes

    @property
    def active_bindings(self):
        """The footer's keys; enter is "Done" while speaking, then names the rating it takes."""
        bindings = super().active_bindings
        enter = bindings.get("enter")
        if enter is not None and self._suggested is not None:
            label = f"Rate {self._suggested.capitalize()}"
            bindings["enter"] = enter._replace(binding=replace(enter.binding, description=label))
        return bindings

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ratings once done speaking; restart while speaking."""
        if action == "rate":
            return self.seconds is not None
        if action == "restart":
            return self.seconds is None
        return True

    # -- actions ---------------------------------------------------------------------------------
    def action_rate(self, rating: str) -> None:
        if self.seconds is None or self._rated:
            return
        self._rated = True
        grade = self._grade()
        with self.app.storage_errors("save your rating"):
            self.session.rate(self.card, "", grade, rating, int(self.seconds * 1000), spoken=True)
            self.next_card()
            return
        self._rated = False  # not saved: rating again retries

    def next_card(self) -> None:
        """The next card in speak mode, or the summary when the drill is over."""
        from failtui.ui.screens.summary import SummaryScreen

        card = self.session.next_card()
        if card is None:
            self.app.switch_screen(SummaryScreen(self.session))
        else:
            self.show_card(card)

    def action_restart(self) -> None:
        if self.seconds is None:
            self.started = self.app.clock()
            self._tick()

    def action_type(self) -> None:
        """Switch to typing the answer (the drill), on the same card."""
        self.app.open_drill(
            self.session, self.card, speak=False, replace=True, started=self.answer_started
        )

    def action_undo(self) -> None:
        # With no rating of its own, the newest rating of all (from an earlier drill).
        undone = self.app.undo_rating(self.session)
        if undone is not None and undone[0] is not None:
            self.show_card(undone[0])

    def action_leave(self) -> None:
        self.app.pop_screen()
