"""The standard key point and red flag ids of the failure question, in DESIGN.md's order."""

from __future__ import annotations

from failtui.models import STANDARD_KEY_POINTS, STANDARD_RED_FLAGS

KEY_POINTS = STANDARD_KEY_POINTS
RED_FLAGS = STANDARD_RED_FLAGS

#: Every label the model predicts: key points first, then red flags.
LABELS = KEY_POINTS + RED_FLAGS
#: Key points whose clauses count towards ``lesson_share``.
LESSON_POINTS = frozenset({"lesson", "applied"})
