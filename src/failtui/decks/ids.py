"""The ids of decks, cards, key points and red flags: what one may look like, and making new ones.

Every module that checks or makes an id uses these, so a deck the app writes is one it can read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: What an id of a deck, card, key point or red flag may look like.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
#: :data:`ID_PATTERN` in words, for messages.
ID_RULE = "letters, digits, '-', '_' or '.'"
#: A new deck id must also be a safe file name: lowercase slug.
DECK_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def is_valid_id(value: object) -> bool:
    """Whether ``value`` is a string that :data:`ID_PATTERN` accepts."""
    return isinstance(value, str) and ID_PATTERN.match(value) is not None


def slugify(text: str, *, limit: int = 48) -> str:
    """A lowercase id made of the words of ``text`` joined by ``-`` (empty if none)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def unique_id(base: str, is_taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first that ``is_taken`` says is free."""
    candidate, number = base, 1
    while is_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
