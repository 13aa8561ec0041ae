"""The answer box: the editing keys of every text field, drawn fast when long."""

from __future__ import annotations

from failtui.ui.widgets.text_field import TextField
from failtui.ui.widgets.wrapped_text_area import WrappedTextArea


class AnswerArea(WrappedTextArea, TextField):
    """The answer TextArea: a :class:`TextField` (select all, jump to either end, clear, cleaned
    pastes) with the wrapped-row cache, since an answer can be one 600-word paragraph."""
