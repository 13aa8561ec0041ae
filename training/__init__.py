"""Training and evaluation of the grader's model (not shipped; needs the [train] extra)."""
