"""The app fixtures of the UI tests, for the reliability tests that drive the app."""

from tests.ui.conftest import app_factory, markup_deck, still_cursors

__all__ = ["app_factory", "markup_deck", "still_cursors"]
