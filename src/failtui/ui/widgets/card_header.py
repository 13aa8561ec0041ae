"""The kind, deck and prompt of a card, rendered literally."""

from __future__ import annotations

from rich.text import Text

from failtui.models import Card
from failtui.textclean import one_line

KIND_STYLE = {"question": "bold cyan", "tip": "bold green", "pitfall": "bold yellow"}


def card_meta(card: Card, deck_title: str, position: str = "") -> Text:
    """``QUESTION · deck title · 3 done``: the card's kind and where it comes from."""
    text = Text()
    text.append(card.kind.upper(), style=KIND_STYLE.get(card.kind, "bold"))
    # A title written by hand may be any length: one line, so the prompt stays in view.
    text.append(f"  ·  {one_line(deck_title, 50)}", style="dim")
    if position:
        text.append(f"  ·  {position}", style="dim")
    return text


def card_prompt(card: Card) -> Text:
    """The prompt, bold, as plain text."""
    return Text(card.prompt, style="bold")
