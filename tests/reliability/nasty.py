"""Text that has broken programs before, and hypothesis strategies built from it."""

from __future__ import annotations

import os

from hypothesis import strategies as st

#: Markup, terminal escapes, control characters, wide and right-to-left text, and the like.
NASTY = (
    "[b]bold[/b]",
    "[/b]",
    "[@click=app.quit]quit[/]",
    "[link=https://example.com]x[/link]",
    "[red]",
    "\\[escaped]",
    "$variable {braces} %s %(name)s",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned title\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[H",
    "\x9b31m",
    "\x00nul\x08back\x7fdel",
    "line\rreturn\r\nwindows",
    "\t tab",
    "🔥🙈👩‍👩‍👧‍👦🇩🇪",
    "漢字テスト全角",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil override\u202c",
    "\u2066isolate\u2069",
    "zero\u200bwidth\u200djoiner",
    "e\u0301\u0301\u0301 combining",
    "\ufeffbom",
    "\u2028line separator\u2029",
    "'single' \"double\" `back`",
    "]]\n[[cards]]\nid = 'x'",
    '"""',
    "#",
    "=",
)

#: Any text without lone surrogates (which no file or terminal can hold).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
#: Nasty pieces, alone, joined, or between ordinary words.
nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.lists(st.one_of(st.sampled_from(NASTY), any_text), min_size=1, max_size=4).map(" ".join),
)
texts = st.one_of(any_text, nasty_text)
#: Text with something visible in it (deck fields that must not be blank), drawn without filtering.
shown_text = st.tuples(texts, st.sampled_from(["word", "I learned", "漢字", "🔥"])).map(" ".join)


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` exactly (control characters escaped)."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scaled(count: int) -> int:
    """``count`` times ``$FAILTUI_RELIABILITY_SCALE`` (default 1): CI stays bounded, while a
    longer run on demand (``FAILTUI_RELIABILITY_SCALE=20 pytest tests/reliability``) tries more."""
    return count * max(1, int(os.environ.get("FAILTUI_RELIABILITY_SCALE", "1")))
