"""The standard key point and red flag ids of the failure question, in DESIGN.md's order."""

from __future__ import annotations

from failtui.models import STANDARD_KEY_POINTS as KEY_POINTS
from failtui.models import STANDARD_RED_FLAGS as RED_FLAGS

#: Every label the model predicts: key points first, then red flags.
LABELS = KEY_POINTS + RED_FLAGS
#: Key points whose clauses count towards ``lesson_share``.
LESSON_POINTS = frozenset({"lesson", "applied"})
