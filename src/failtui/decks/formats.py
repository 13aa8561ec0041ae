"""The names of the import and export formats, in one place.

A module of its own so the CLI can offer them as choices without importing the importers and
exporters (and tomlkit) when it starts.
"""

from __future__ import annotations

#: Formats ``failtui decks import`` reads.
IMPORT_FORMATS = ("anki", "csv", "markdown", "toml")
#: Formats ``failtui decks export`` writes.
EXPORT_FORMATS = ("toml", "csv", "anki")

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS"]
