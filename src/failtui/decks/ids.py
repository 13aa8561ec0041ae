"""The ids of decks, cards, key points and red flags: what one may look like, and making new ones.

Every module that checks or makes an id uses these, so a deck the app writes is one it can read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

#: The most characters of an id of a deck, card, key point or red flag.
MAX_ID = 100
#: What an id of a deck, card, key point or red flag in a deck file may look like.
ID_PATTERN = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_ID - 1}}}$")
#: :data:`ID_PATTERN` in words, for messages and the docs (docs/deck-format.md says the same).
ID_RULE = f"1-{MAX_ID} letters, digits, '-', '_' or '.', starting with a letter or digit"
#: The most characters of the id of a deck failtui creates.
MAX_DECK_ID = 64
#: The id of a deck failtui creates (new, copy, import) also names its file ``ID.toml``, so it
#: is a lowercase slug: the same file name on every system, and no dots.
DECK_ID_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_DECK_ID - 1}}}$")
#: :data:`DECK_ID_PATTERN` in words, for messages and the docs.
DECK_ID_RULE = (
    f"1-{MAX_DECK_ID} lowercase letters, digits, '-' or '_', starting with a letter or digit"
)


def is_valid_id(value: object) -> bool:
    """Whether ``value`` is a string that :data:`ID_PATTERN` accepts."""
    return isinstance(value, str) and ID_PATTERN.match(value) is not None


def slugify(text: str, *, limit: int = 48) -> str:
    """A lowercase id made of the words of ``text`` joined by ``-`` (empty if none).

    Accented letters become plain ones ("ünïcödé" -> ``unicode``); a letter with no ASCII form
    is left out of its word, and any other character (punctuation, an emoji) separates words.
    Only whole words are kept within ``limit``; just a first word longer than it is cut.
    """
    words = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


#: Latin letters that Unicode does not decompose into a letter and an accent.
_LATIN_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip


def _ascii(text: str) -> str:
    """``text`` in ASCII: accents taken off their letters, other letters dropped, and any other
    character a space (so it still separates words)."""
    kept = []
    for char in unicodedata.normalize("NFKD", text.translate(_LATIN_LETTERS)):
        if char.isascii():
            kept.append(char)
        elif not (unicodedata.combining(char) or char.isalpha()):
            kept.append(" ")
    return "".join(kept)


def unique_id(base: str, is_taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first that ``is_taken`` says is free."""
    candidate, number = base, 1
    while is_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
