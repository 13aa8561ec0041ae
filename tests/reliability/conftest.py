"""The app fixtures of the UI tests, for the reliability tests that drive the app."""

from tests.ui.conftest import app_factory, markup_deck

__all__ = ["app_factory", "markup_deck"]
