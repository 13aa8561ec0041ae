"""The interview plan: interview dates, and for the highlighted one the days left, readiness,
the reviews due each day until then and the cards likeliest to be forgotten."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from failtui.interview import Interview, Plan, days_left, interviews, make_plan
from failtui.plan_report import (
    countdown,
    deck_problem_line,
    interview_title,
    never_studied_text,
    over_text,
    pace_text,
    recall_text,
    title_of,
)
from failtui.textclean import clean_text
from failtui.ui.keys import HELP, SCROLL_PAGE_BINDINGS
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.words import count

#: Characters of the longest bar in the reviews-per-day chart.
BAR_WIDTH = 30


def bar(share: float, width: int) -> str:
    """A bar of ``share`` (0..1) of ``width`` characters, in eighths."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def plan_text(plan: Plan) -> Text:
    """The plan of one interview, for the screen (and the screenshot)."""
    text = Text()
    text.append(title_of(plan), style="bold")
    decks = ", ".join(plan.interview.decks) if plan.interview.decks else "every deck"
    text.append(f"  ·  {plan.interview.day}  ·  {decks}\n", style="dim")
    if plan.over:
        text.append(f"{over_text(plan)} x removes it.\n", style="bold")
        return text
    deck_line = deck_problem_line(plan)
    if not plan.cards:
        text.append(f"{countdown(plan).capitalize()}\n", style="bold")
        text.append(f"{deck_line}\n", style="bold red")
        return text
    text.append(f"{countdown(plan).capitalize()}", style="bold")
    text.append(f"  ·  readiness {plan.readiness:.0%} ", style="bold")
    style = "green" if plan.readiness >= 0.85 else ("yellow" if plan.readiness >= 0.6 else "red")
    text.append(bar(plan.readiness, 20), style=style)
    text.append(
        f"\nThe mean chance of recall of its {count(plan.cards, 'card')} on the day if nothing "
        f"more were reviewed; {never_studied_text(plan)}.\n",
        style="dim",
    )
    for deck in plan.decks:
        text.append(f"  {clean_text(deck.deck_id):<22}", style="")
        text.append(f"{deck.readiness:>5.0%} ", style="bold")
        text.append(bar(deck.readiness, 16).ljust(16), style="cyan")
        text.append(f"  {deck.studied}/{deck.cards} studied\n", style="dim")
    if deck_line:
        text.append(f"{deck_line}\n", style="bold red")
    text.append("\n" + pace_text(plan) + "\n")
    if plan.problem:
        text.append(f"Not every card will be seen: {plan.problem}\n", style="bold red")
    if plan.review_problem:
        text.append(
            f"Not every review fits the daily limit: {plan.review_problem}\n", style="bold red"
        )
    text.append("\nReviews due each day until then\n", style="bold")
    top = max((n for _day, n in plan.due_per_day), default=0)
    for day, n in plan.due_per_day:
        weekday = date.fromisoformat(day).strftime("%a %d %b")
        text.append(f"  {weekday}  {n:>4} ")
        text.append(bar(n / top if top else 0.0, BAR_WIDTH), style="magenta")
        text.append("\n")
    if plan.at_risk:
        text.append("\nLikeliest to be forgotten on the day\n", style="bold")
        for key, recall in plan.at_risk:
            style = "red" if recall < 0.7 else ("yellow" if recall < 0.9 else "green")
            text.append(f"  {recall_text(recall)}  ", style=style)
            text.append(clean_text(key) + "\n")
    return text


#: The footer's one entry for the keys that choose an interview.
CHOOSE = Binding.Group("Interview")


class PlanScreen(FailtuiScreen):
    """Interview dates (``n`` adds one, ``x`` removes it) and the plan of the highlighted one."""

    DEFAULT_CSS = """
    PlanScreen #plan {
        height: 1fr;
        padding: 0 1;
    }
    PlanScreen #interviews {
        height: auto;
        max-height: 6;
        margin-bottom: 1;
    }
    PlanScreen #plan-view {
        height: 1fr;
    }
    PlanScreen #plan-detail {
        height: auto;
    }
    """

    HELP_SECTION = "Interview plan"
    BINDINGS = [
        HELP,
        # Priority bindings: the interview list has the focus and would take these keys (its
        # page keys would jump between interviews, not scroll the plan); as the screen's, the
        # footer names them.
        Binding("up", "choose(-1)", "Previous", key_display="↑", priority=True, group=CHOOSE),
        Binding("down", "choose(1)", "Next", key_display="↓", priority=True, group=CHOOSE),
        *SCROLL_PAGE_BINDINGS,
        Binding("n", "new", "New interview"),
        Binding("x", "remove", "Remove"),
        Binding("d", "drill", "Drill"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.interviews: list[Interview] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="plan"):
            yield OptionList(id="interviews")
            with VerticalScroll(id="plan-view"):
                yield Static(id="plan-detail")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a drill started here (or any screen): its ratings change the plan.
        if self.is_mounted and hasattr(self, "interviews"):
            selected = self._selected()
            self.load(select=selected.id if selected else None)

    def _today(self) -> date:
        return date.fromisoformat(self.app.new_session().today())

    def load(self, select: int | None = None) -> None:
        """List the interviews (the next one highlighted, or ``select``) and show its plan."""
        today = self._today()
        self.interviews = interviews(self.app.store)
        options = self.query_one("#interviews", OptionList)
        options.clear_options()
        for item in self.interviews:
            left = days_left(item, today)
            when = "past" if left < 0 else "today"
            if left > 0:
                when = f"in {count(left, 'study day')}"
            title = interview_title(item)
            options.add_option(Option(Text(f"{item.day}  {when:<18} {title}")))
        options.display = bool(self.interviews)
        self.refresh_bindings()  # the keys that choose one are shown once there are two
        if not self.interviews:
            self.query_one("#plan-detail", Static).update(
                Text(
                    "No interview yet. Press n to add the date of an interview: until then "
                    "failtui never schedules its cards past the day (none after the day before "
                    "it, but for a last look on the day), brings its new cards in first, and "
                    "shows here how ready you are.",
                )
            )
            return
        ids = [i.id for i in self.interviews]
        ahead = [n for n, i in enumerate(self.interviews) if days_left(i, today) >= 0]
        index = ids.index(select) if select in ids else (ahead[0] if ahead else 0)
        options.highlighted = index
        options.focus()
        self._show(index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The keys that choose an interview are shown while there are two to choose from, the
        page keys while there is a plan to scroll."""
        if action == "choose":
            return len(self.interviews) > 1
        if action == "scroll_page":
            return bool(self.interviews)
        return True

    def action_choose(self, step: int) -> None:
        """Highlight the interview ``step`` places below (above, if negative) in the list."""
        options = self.query_one("#interviews", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_scroll_page(self, direction: str) -> None:
        """Scroll the plan a page ``up`` or ``down``."""
        view = self.query_one("#plan-view", VerticalScroll)
        if direction == "up":
            view.scroll_page_up()
        else:
            view.scroll_page_down()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "interviews":
            self._show(event.option_index)
            # Another interview's plan is read from its top, not where the last was scrolled to.
            self.query_one("#plan-view", VerticalScroll).scroll_home(animate=False)

    def _show(self, index: int) -> None:
        session = self.app.new_session()
        done = session.today_counts()
        plan = make_plan(
            self.app.store,
            self.interviews[index],
            session.card_ids_by_deck(),
            session.settings,
            session.now(),
            session.tz,
            done.new,
            done.reviews,
            session.catalog.errors,
        )
        self.query_one("#plan-detail", Static).update(plan_text(plan))

    def _selected(self) -> Interview | None:
        options = self.query_one("#interviews", OptionList)
        if not self.interviews or options.highlighted is None:
            return None
        return self.interviews[options.highlighted]

    def action_new(self) -> None:
        from failtui.ui.screens.interview_form import InterviewFormScreen

        def added(interview_id: int | None) -> None:
            if interview_id is not None:
                self.load(select=interview_id)

        self.app.push_screen(InterviewFormScreen(), added)

    def action_remove(self) -> None:
        from failtui.interview import remove_interview
        from failtui.ui.screens.choice import ChoiceScreen

        chosen = self._selected()
        if chosen is None:
            return
        if days_left(chosen, self._today()) < 0:
            question = f"Remove the past interview on {chosen.day}? Nothing changes for its cards."
        else:
            question = (
                f"Remove the interview on {chosen.day}? Cards keep their schedule (those "
                "brought forward when it was added stay due sooner); new ratings are no longer "
                "held before it."
            )

        def answered(choice: str | None) -> None:
            if choice == "remove":
                with self.app.storage_errors("remove the interview"):
                    remove_interview(self.app.store, chosen.id)
                    self.notify(f"Removed the interview on {chosen.day}.", markup=False)
                    self.load()

        self.app.push_screen(
            ChoiceScreen(question, [("keep", "No, keep it"), ("remove", "Yes, remove it")]),
            answered,
        )

    def action_drill(self) -> None:
        """Drill the due cards of the highlighted interview's deck (all decks if it has several)."""
        chosen = self._selected()
        deck = chosen.decks[0] if chosen is not None and len(chosen.decks) == 1 else None
        self.app.start_session(self.app.new_session(deck))
