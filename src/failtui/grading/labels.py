"""The standard key point and red flag ids of the failure question, in DESIGN.md's order."""

from __future__ import annotations

from failtui.models import STANDARD_KEY_POINTS, STANDARD_RED_FLAGS

KEY_POINTS = STANDARD_KEY_POINTS
RED_FLAGS = STANDARD_RED_FLAGS

#: Every label shown to the user: key points first, then red flags.
LABELS = KEY_POINTS + RED_FLAGS
#: Labels the model also predicts but no card shows: ``safeguard`` is a remedy that stays in
#: place after the incident (a habit, check or process), as against a one-off repair. The guide
#: accepts a lasting safeguard as the answer's takeaway and a one-off repair not, so the verdict
#: needs to tell them apart.
INTERNAL_LABELS = ("safeguard",)
#: Every label the model predicts, in the order of its weight columns.
MODEL_LABELS = LABELS + INTERNAL_LABELS
#: Key points whose clauses count towards ``lesson_share``.
LESSON_POINTS = frozenset({"lesson", "applied"})
