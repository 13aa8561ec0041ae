"""Counted nouns in messages: "1 card", "2 cards", never "1 cards" or "card(s)"."""

from __future__ import annotations


def count(n: int | float, word: str, plural: str | None = None, *, fmt: str = "{}") -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1 (``count(3, "day")`` -> ``3 days``).

    ``fmt`` formats the number (``"{:,}"`` for thousands, ``"{:.0f}"`` for a rounded float).
    """
    return f"{fmt.format(n)} {word if n == 1 else plural or word + 's'}"


def first_upper(text: str) -> str:
    """``text`` with its first letter upper case and the rest as it is (``str.capitalize``
    lowers the rest, deck ids included)."""
    return text[:1].upper() + text[1:]
