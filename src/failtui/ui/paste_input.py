"""Terminal input where a bracketed paste is always text, never keys.

Textual's ``XTermParser`` reads an escape sequence inside a bracketed paste as keys: a paste
holding ESC then ``3`` sent the keys ``^`` and ``3`` (in the feedback, a rating), and a BEL after
an ESC became ``ctrl+g`` (suspend). Here everything between the paste markers becomes one
``Paste`` event, its text cleaned of escape sequences and control characters (tab and newline
kept); only what lies outside a paste goes to Textual's parser.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Iterable

from textual import constants, events
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.message import Message

from failtui.textclean import clean_text

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def _partial_marker(text: str, marker: str) -> int:
    """How many characters at the end of ``text`` could be the start of ``marker``."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class PasteSafeParser(XTermParser):
    """An ``XTermParser`` that turns a whole bracketed paste into one cleaned ``Paste`` event."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pasted: list[str] | None = None  # the paste being read, None outside a paste
        self._held = ""  # the end of a read that may be the start of a paste marker
        self._held_since = 0.0

    def feed(self, data: str) -> Iterable[Message]:
        """Parse ``data``; a paste becomes one ``Paste`` event, whatever it holds."""
        if not data:  # end of input
            if self._held:
                yield from super().feed(self._held)
                self._held = ""
            yield from super().feed(data)
            return
        text, self._held = self._held + data, ""
        while text:
            if self._pasted is None:
                start = text.find(PASTE_START)
                if start == -1:
                    keep = _partial_marker(text, PASTE_START)
                    if keep > 1:  # a lone ESC is the escape key: Textual times it out itself
                        text, self._held = text[:-keep], text[-keep:]
                        self._held_since = get_time()
                    if text:
                        yield from super().feed(text)
                    return
                if start:
                    yield from super().feed(text[:start])
                self._pasted = []
                text = text[start + len(PASTE_START) :]
            else:
                end = text.find(PASTE_END)
                if end == -1:
                    keep = _partial_marker(text, PASTE_END)
                    self._pasted.append(text[: len(text) - keep])
                    self._held = text[len(text) - keep :]
                    return
                self._pasted.append(text[:end])
                yield events.Paste(clean_text("".join(self._pasted)))
                self._pasted = None
                text = text[end + len(PASTE_END) :]

    def tick(self) -> Iterable[Message]:
        """Hand on a held ``ESC [`` that no paste followed (alt+[ typed on its own)."""
        if (
            self._held
            and self._pasted is None
            and get_time() - self._held_since >= constants.ESCAPE_DELAY
        ):
            held, self._held = self._held, ""
            yield from super().feed(held)
        yield from super().tick()


def paste_safe_driver_class(base: type) -> type:
    """``base`` (Textual's ``LinuxDriver``) reading its input with ``PasteSafeParser``."""

    class PasteSafeLinuxDriver(base):
        def run_input_thread(self) -> None:
            """Textual's ``LinuxDriver.run_input_thread`` with the paste-safe parser."""
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            fileno = self.fileno
            parser = PasteSafeParser(self._debug)
            decode = getincrementaldecoder("utf-8")().decode

            def process(selector_events, final: bool = False) -> None:
                for index, (_key, mask) in enumerate(selector_events):
                    if mask & selectors.EVENT_READ:
                        last = index == len(selector_events) - 1
                        data = decode(os.read(fileno, 1024 * 4), final=final and last)
                        if not data:
                            break
                        for event in parser.feed(data):
                            self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)

            try:
                while not self.exit_event.is_set():
                    process(selector.select(0.1))
                selector.unregister(self.fileno)
                process(selector.select(0.1), final=True)
            finally:
                selector.close()
                try:
                    for _event in parser.feed(""):
                        pass
                except (EOFError, ParseError):
                    pass

    PasteSafeLinuxDriver.__name__ = PasteSafeLinuxDriver.__qualname__ = "PasteSafeLinuxDriver"
    return PasteSafeLinuxDriver
