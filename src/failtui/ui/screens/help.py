"""The help screen (``?``): every key of every screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from failtui.ui.screens.base import FailtuiFooter, FailtuiModal

KEYS = [
    (
        "Home",
        [
            ("?", "this help (f1 where ? is typed text)"),
            ("enter", "drill the highlighted deck (or all decks)"),
            ("p", "practise ahead when nothing is due"),
            ("s", "statistics: weak key points, cards, practice"),
            ("e", "decks: write and edit your own, and your story"),
            ("c", "card browser: every card; suspend, bury, forget, drill now"),
            ("o", "settings: daily limits, retention, day start, order, theme"),
            ("i", "interview plan: dates, days left, readiness, reviews due each day"),
            ("r", "reload deck files from disk"),
            ("ctrl+r", "undo the newest rating, after asking (as failtui undo)"),
            ("q", "quit"),
            ("ctrl+p", "command palette: every screen and action"),
        ],
    ),
    (
        "Drill",
        [
            ("ctrl+s", "submit the answer (an empty answer shows the guidance)"),
            ("ctrl+t", "exam mode: hide or show the live panel"),
            ("f2", "speak mode: say the answer aloud against a timer"),
            ("ctrl+o", "answer history of this card"),
            ("ctrl+b", "bury until tomorrow"),
            ("ctrl+g", "suspend the card"),
            (
                "ctrl+r",
                "undo the last rating, or a bury or suspend since it (none yet in this "
                "drill: the newest rating of all, once)",
            ),
            ("ctrl+a", "select the whole answer (typing then replaces it)"),
            ("ctrl+home ctrl+end", "start / end of the answer"),
            ("ctrl+l", "clear the answer (ctrl+z brings it back)"),
            ("ctrl+z ctrl+y", "undo / redo an edit"),
            ("f1", "this help"),
            ("escape", "home (your draft is kept)"),
        ],
    ),
    (
        "Feedback",
        [
            ("1 2 3 4", "rate Again / Hard / Good / Easy"),
            ("enter", "take the suggested rating (★)"),
            ("c", "correct the grade: tick key points covered and red flags raised"),
            ("", "a red flag marked (possible) is one the grader is less sure of: check it"),
            ("f", "answer the interviewer's follow-up on the first key point you missed"),
            (
                "u",
                "undo this drill's last rating and go back to that card (none yet: escape, "
                "then ctrl+r undoes the newest rating of all)",
            ),
            ("h", "answer history"),
            ("escape", "back to editing the answer"),
        ],
    ),
    (
        "Correct the grade",
        [
            ("↑ ↓", "move through the key points and red flags"),
            ("space", "tick or untick: a ticked key point is covered, a ticked red flag raised"),
            (
                "enter",
                "apply (a key point you tick teaches the card its sentence; a red flag you "
                "untick stays dismissed on that sentence next time; on the command line, "
                "failtui cues lists them and cues forget removes one)",
            ),
            ("escape", "cancel"),
        ],
    ),
    (
        "Follow-up",
        [
            ("ctrl+s", "submit: graded on the key point it asks about, kept with your answer"),
            ("escape", "back to the feedback (what you typed is kept)"),
        ],
    ),
    (
        "Speak mode",
        [
            ("enter", "done speaking: stops the timer and shows the checklist"),
            ("r", "restart the timer"),
            ("↑ ↓ space", "tick the key points you covered and the red flags you raised"),
            ("1 2 3 4", "rate Again / Hard / Good / Easy (enter: the suggested rating)"),
            ("f2", "back to typing the answer"),
            ("ctrl+r", "undo the last rating"),
            ("escape", "home"),
        ],
    ),
    (
        "Interview plan",
        [
            ("↑ ↓", "choose an interview; its plan is shown below"),
            ("pgup pgdn", "scroll the plan"),
            ("n", "add an interview: date, title, decks"),
            ("x", "remove the highlighted interview (asks first)"),
            ("d", "drill its cards"),
            ("escape", "home"),
        ],
    ),
    ("History", [("↑ ↓", "open an earlier attempt"), ("escape", "back")]),
    (
        "Statistics",
        [
            ("1 2 3 4", "weak points / red flags / cards / practice"),
            ("↑ ↓ pgup pgdn", "move through the tab shown: its table, or the practice figures"),
            ("d", "next deck (all decks, then each deck)"),
            ("t", "period: all history, last 7, 30, 90 days"),
            ("escape", "home"),
        ],
    ),
    (
        "Summary",
        [
            ("enter", "back where the drill started: home, My stories, the browser or the plan"),
            ("u", "undo the last rating, or a bury or suspend since it"),
            ("p", "practise ahead"),
            ("n", "study new cards now, past today's limit (when some wait)"),
        ],
    ),
    (
        "Card browser",
        [
            ("enter", "edit the card (cards of your own decks; built-in ones are read-only)"),
            ("/", "filter by words in the id, prompt or tags"),
            ("tab", "deck and state filters, then the table"),
            ("g", "suspend or unsuspend the card"),
            ("b", "bury until tomorrow, or unbury"),
            ("f", "forget: make it new again (asks first; its history is kept)"),
            ("d", "drill this card now"),
            ("escape", "back"),
        ],
    ),
    (
        "Settings",
        [
            ("tab", "next setting"),
            ("ctrl+s", "save (every bad value is named, and nothing is saved)"),
            ("escape", "back (asks first if there are unsaved changes)"),
        ],
    ),
    (
        "Decks",
        [
            ("enter", "the deck's cards"),
            ("n", "new deck"),
            ("c", "copy the deck to your decks (built-in ones are read-only)"),
            ("t", "rename your deck (its id, and so your history, stays)"),
            ("x", "delete your deck (the file goes to backups/decks/)"),
            ("s", "my stories"),
            ("r", "reload deck files from disk"),
        ],
    ),
    (
        "Cards",
        [
            ("/", "filter: words in the text, #tag for a tag"),
            ("enter", "edit the card"),
            ("n", "new card"),
            ("x", "delete the card (its history is kept)"),
            ("f", "the deck's interviewer follow-ups (edit them in your own decks)"),
        ],
    ),
    (
        "Card editor",
        [
            ("ctrl+s", "save (asks first if the id changed or the file changed on disk)"),
            ("tab", "next field; the preview grades the sample answer as you type"),
            ("", "text fields here and in every form take the answer box's keys: ctrl+a, ctrl+l"),
            ("escape", "back (asks if there are unsaved changes)"),
        ],
    ),
    (
        "Follow-up editor",
        [
            ("ctrl+s", "save (asks first if the file changed on disk)"),
            ("ctrl+b", "add the built-in questions the deck does not have yet"),
            ("ctrl+z", "undo an edit"),
            ("escape", "back (asks if there are unsaved changes)"),
        ],
    ),
    (
        "My stories",
        [
            ("n", "write a new story"),
            ("enter", "edit the story"),
            ("d", "drill this story now"),
            ("a", "make it the story the daily drill uses (again: all stories)"),
            ("x", "delete the story"),
        ],
    ),
    (
        "Story form",
        [("ctrl+s", "save the story as a card"), ("tab", "next field"), ("escape", "back")],
    ),
]


class HelpScreen(FailtuiModal[None]):
    """Lists the keys, opened at the section of the screen it was called from.

    Any of escape, ? or q closes it.
    """

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help {
        width: 90;
        max-width: 90%;
        height: 90%;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 1 2;
    }
    HelpScreen .help-section {
        height: auto;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, section: str | None = None):
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("failtui keys", style="bold"), id="help-title")
            for index, (section, keys) in enumerate(KEYS):
                table = Table(show_header=False, box=None, padding=(0, 2))
                table.add_column(style="bold cyan", no_wrap=True)
                table.add_column()
                table.add_row(Text(section, style="bold underline"), Text(""))
                for key, what in keys:
                    table.add_row(Text(key), Text(what))
                yield Static(table, id=f"help-{index}", classes="help-section")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        names = [name for name, _keys in KEYS]
        if self.section in names:
            target = self.query_one(f"#help-{names.index(self.section)}", Static)
            self.call_after_refresh(
                self.query_one("#help", VerticalScroll).scroll_to_widget,
                target,
                top=True,
                animate=False,
            )
