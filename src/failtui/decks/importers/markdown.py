"""Markdown ``Q:`` / ``A:`` pairs, with an optional ``Tags:`` line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from failtui.decks.importers.base import ImportResult, Row, field_text, split_lines, split_tags

_MD_MARK = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*(Q|A|Tags)\s*(?::\*\*|\*\*\s*:)|(Q|A|Tags)\s*:)[ \t]?(.*)$", re.I
)


#: A Markdown heading ("# Part 2"); a "#tag" or "#1" at the start of a line is text.
_MD_HEADING = re.compile(r"^#{1,6}(?:\s|$)")


def markdown_rows(text: str, path: Path, result: ImportResult) -> Iterator[Row]:
    """Pairs of ``Q:`` and ``A:`` paragraphs; text after them continues them until the next mark.

    An optional ``Tags:`` line after the answer gives space-separated tags. Headings and other
    text outside a pair are ignored.
    """
    current: Row | None = None
    part: str | None = None
    buffer: dict[str, list[str]] = {}

    def finish() -> Iterator[Row]:
        if current is None:
            return
        if "a" not in buffer:
            current.problem = "a Q: with no A: after it"
        current.front = field_text("\n".join(buffer.get("q", [])).strip(), None)
        current.back = field_text("\n".join(buffer.get("a", [])).strip(), None)
        yield current

    for number, line in enumerate(split_lines(text, keep_ends=False), 1):
        mark = _MD_MARK.match(line)
        if mark:
            name, rest = (mark.group(1) or mark.group(2)).lower(), mark.group(3)
            if name == "q":
                yield from finish()
                current, part, buffer = Row(number), "q", {"q": [rest]}
            elif name == "a":
                if current is None or "a" in buffer:
                    yield from finish()
                    yield Row(number, problem="an A: with no Q: before it")
                    current, part, buffer = None, None, {}
                    continue
                part = "a"
                buffer["a"] = [rest]
            elif current is not None:
                current.tags = split_tags(rest)
                current.given.add("tags")
                part = None
            continue
        if current is None or part is None:
            continue
        if _MD_HEADING.match(line):
            part = None  # a heading ends the pair's text
            continue
        buffer[part].append(line)
    yield from finish()
