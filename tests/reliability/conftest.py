"""The app fixtures of the UI tests, for the reliability tests that drive the app."""

import pytest

from tests.ui.conftest import build_app, markup_deck, still_cursors


@pytest.fixture
def app_factory(data_home, clock):
    """Build the app as the UI tests do, but on a data dir as the test left it.

    These tests damage, restore and race over the database, so the app creates and migrates
    it itself when there is none: the first run as a user meets it.
    """

    def build(**kwargs):
        return build_app(data_home, clock, **kwargs)

    return build


__all__ = ["app_factory", "markup_deck", "still_cursors"]
