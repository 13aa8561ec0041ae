"""The settings screen: daily limits (overall and per deck), retention, day start, order, theme."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Select, Static

from failtui import user_settings
from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1, QUESTION_MARK_HIDDEN, after_typed_keys
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.unsaved import ask_before_leaving
from failtui.ui.widgets.field_errors import FieldErrors
from failtui.ui.widgets.text_field import LineField
from failtui.user_settings import SPECS, SettingError, SettingSpec

OVERALL = "__overall__"


class SettingsScreen(FailtuiScreen):
    """One row per setting; ctrl+s checks and saves them all, or names every bad one and saves
    none. Leaving, or switching scope, with unsaved values asks first."""

    DEFAULT_CSS = """
    SettingsScreen #settings {
        padding: 0 1;
    }
    SettingsScreen .setting-row {
        height: auto;
    }
    SettingsScreen .setting-label {
        width: 29;
        padding-right: 1;
    }
    SettingsScreen .setting-row Input, SettingsScreen .setting-row Select {
        width: 24;
    }
    SettingsScreen .setting-key {
        width: 1fr;
        padding-left: 2;
    }
    SettingsScreen #settings-error {
        height: auto;
    }
    SettingsScreen #settings-note, SettingsScreen #fsrs-params {
        height: auto;
        margin-top: 1;
    }
    """

    HELP_SECTION = "Settings"
    UNSAVED_QUESTION = "These settings have unsaved changes."
    BINDINGS = [
        HELP_F1,
        QUESTION_MARK_HIDDEN,
        *FORM_TAB_BINDINGS,
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, deck_id: str | None = None):
        super().__init__()
        self.deck_id = deck_id
        #: The form as last loaded or saved, to tell whether anything is unsaved.
        self.saved_form: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            decks = [(Text(d.id), d.id) for d in self.app.catalog.summaries()]
            with Horizontal(classes="setting-row"):
                yield Static(Text("Settings for"), classes="setting-label")
                yield Select(
                    [(Text("All decks (overall)"), OVERALL), *decks],
                    value=self.deck_id or OVERALL,
                    allow_blank=False,
                    id="settings-scope",
                    compact=True,
                )
            for spec in SPECS:
                with Horizontal(classes="setting-row", id=f"row-{spec.key}"):
                    yield Static(Text(spec.help), classes="setting-label")
                    if spec.kind in ("bool", "choice"):
                        options = ("on", "off") if spec.kind == "bool" else spec.choices
                        yield Select(
                            [(Text(o), o) for o in options],
                            allow_blank=False,
                            id=f"set-{spec.key}",
                            compact=True,
                        )
                    else:
                        yield LineField(id=f"set-{spec.key}", compact=True)
                    yield Static(Text(spec.key, style="dim"), classes="setting-key")
            yield FieldErrors(id="settings-error")
            yield Static(
                Text(
                    "ctrl+s saves · a deck's own limits apply within the overall ones · "
                    "failtui settings does the same from the command line",
                    style="dim",
                ),
                id="settings-note",
            )
            yield Static(id="fsrs-params")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        from failtui.fsrs_params import in_use_text

        self.query_one("#fsrs-params", Static).update(
            Text.assemble(("FSRS parameters: ", "bold"), in_use_text(self.app.store))
        )
        self.load_values()
        self.query_one("#settings-scope", Select).focus()

    def _field(self, spec: SettingSpec) -> Input | Select:
        return cast("Input | Select", self.query_one(f"#set-{spec.key}"))

    def load_values(self) -> None:
        """Show the stored values (with defaults) of the chosen scope."""
        for spec in SPECS:
            row = self.query_one(f"#row-{spec.key}")
            row.display = self.deck_id is None or spec.per_deck
            if not row.display:
                continue
            text = spec.format(user_settings.get(self.app.store, spec.key, self.deck_id))
            field = self._field(spec)
            field.value = text
        self.query_one("#settings-error", FieldErrors).clear()
        self.saved_form = self.form_values()

    def form_values(self) -> dict[str, str]:
        """Each shown setting's value as the form holds it."""
        return {
            spec.key: str(self._field(spec).value)
            for spec in SPECS
            if self.deck_id is None or spec.per_deck
        }

    def has_unsaved_changes(self) -> bool:
        """Whether the form differs from what was last loaded or saved."""
        return self.saved_form is not None and self.form_values() != self.saved_form

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#settings-error", FieldErrors).field_changed(event.input.id, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#settings-error", FieldErrors).field_changed(event.select.id, event.value)
        if event.select.id != "settings-scope":
            return
        target = None if event.value == OVERALL else str(event.value)
        if target == self.deck_id:
            return  # the scope put back while asking below
        if not self.has_unsaved_changes():
            self._show_scope(target)
            return
        # The edits belong to the scope they were typed in: stay there until the user says.
        self.query_one("#settings-scope", Select).value = self.deck_id or OVERALL
        ask_before_leaving(self, self.UNSAVED_QUESTION, self.save, lambda: self._show_scope(target))

    def _show_scope(self, deck_id: str | None) -> None:
        self.deck_id = deck_id
        self.query_one("#settings-scope", Select).value = deck_id or OVERALL
        self.load_values()

    @after_typed_keys
    def action_save(self) -> None:
        """Save (ctrl+s)."""
        self.save()

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Check every shown value; save them all (then run ``then``), or save none, name every
        bad value and focus the first."""
        parsed = []
        errors: list[tuple[str, object, str]] = []  # (field id, value, message)
        bad_fields: list[Input | Select] = []
        for spec in SPECS:
            if self.deck_id is not None and not spec.per_deck:
                continue
            field = self._field(spec)
            try:
                parsed.append((spec, spec.parse(str(field.value))))
            except SettingError as exc:
                errors.append((str(field.id), field.value, str(exc)))
                bad_fields.append(field)
        if errors:
            self.query_one("#settings-error", FieldErrors).show_errors(errors)
            bad_fields[0].focus()
            return
        with self.app.storage_errors("save the settings"):
            changed = []
            for spec, value in parsed:
                follows_overall = self.deck_id is not None and not user_settings.is_set(
                    self.app.store, spec.key, self.deck_id
                )
                if follows_overall and value == user_settings.get(self.app.store, spec.key):
                    continue  # still the overall limit: the deck keeps following it
                changed.append((spec.key, spec.format(value)))
            user_settings.set_values(self.app.store, changed, self.deck_id)
            if self.deck_id is None:
                self.app.theme = user_settings.get(self.app.store, "theme")
            self.query_one("#settings-error", FieldErrors).clear()
            where = "overall" if self.deck_id is None else f"for {self.deck_id}"
            notes = user_settings.capped_limits(self.app.store, self.deck_id)
            self.notify("\n".join([f"Settings saved ({where}).", *notes]), markup=False)
            self.saved_form = self.form_values()
            if then is not None:
                then()

    def action_back(self) -> None:
        """Back (escape); asks first when there are unsaved changes."""
        if not self.has_unsaved_changes():
            self.app.pop_screen()
            return
        ask_before_leaving(self, self.UNSAVED_QUESTION, self.save, self.app.pop_screen)
