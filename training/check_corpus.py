"""Check labelled answer files (JSON lines) against training/corpus/FORMAT.md.

Usage: python training/check_corpus.py FILE...   (prints one line per problem, then counts)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KEY_POINTS = ("context", "task", "failure", "impact", "quantified", "remedy", "lesson", "applied")
RED_FLAGS = (
    "never-failed",
    "blame",
    "humblebrag",
    "non-work",
    "catastrophic",
    "negative",
    "hypothetical",
    "trivial",
)
FIELDS = {
    "id",
    "story",
    "field",
    "question",
    "style",
    "source",
    "site",
    "segments",
    "red_flags",
    "damage_number",
    "near_miss",
    "verdict",
}


def answer_text(item: dict) -> str:
    """The answer as typed: segments joined by a space, a leading newline starting a line."""
    return " ".join(s["text"] for s in item["segments"]).replace(" \n", "\n").strip()


def answer_key_points(item: dict) -> set[str]:
    """The answer's key points: the union of its segments' key point labels."""
    return {lab for s in item["segments"] for lab in s["labels"] if lab in KEY_POINTS}


def problems(item: dict) -> list[str]:
    """Every rule of FORMAT.md this item breaks."""
    out = []
    missing = FIELDS - item.keys()
    if missing:
        out.append(f"missing fields {sorted(missing)}")
        return out
    if not item["segments"]:
        out.append("no segments")
    for s in item["segments"]:
        bad = [lab for lab in s.get("labels", []) if lab not in KEY_POINTS + RED_FLAGS]
        if bad:
            out.append(f"unknown labels {bad}")
        if not isinstance(s.get("text"), str) or not s["text"].strip():
            out.append("empty segment")
        if "lasting" in s and ("remedy" not in s["labels"] or not isinstance(s["lasting"], bool)):
            out.append("lasting (true or false) belongs only on a remedy segment")
    flags = set(item["red_flags"])
    if flags - set(RED_FLAGS):
        out.append(f"unknown red flags {sorted(flags - set(RED_FLAGS))}")
    seg_flags = {lab for s in item["segments"] for lab in s["labels"] if lab in RED_FLAGS}
    if seg_flags - flags:
        out.append(f"segment flags {sorted(seg_flags - flags)} not in red_flags")
    kps = answer_key_points(item)
    if "quantified" in kps and "impact" not in kps:
        out.append("quantified without impact")
    if item["verdict"] not in ("good", "bad"):
        out.append("verdict must be good or bad")
    if item["verdict"] == "good" and (flags or not {"failure", "impact"} <= kps):
        out.append("a good answer needs failure and impact and no red flag")
    num = item["damage_number"]
    if "quantified" in kps:
        if not num or num not in answer_text(item):
            out.append("quantified needs damage_number, exact text from the answer")
    elif num:
        out.append("damage_number without quantified")
    if set(item["near_miss"]) & flags:
        out.append("a near_miss flag is also in red_flags")
    if item["source"] != "written" and not item["site"]:
        out.append("a paraphrase needs its site")
    return out


def main(paths: list[str]) -> int:
    """Check each file; exit 1 when any problem was found."""
    seen: set[str] = set()
    count = 0
    bad = 0
    flags: Counter[str] = Counter()
    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{n}: not JSON: {exc}")
                bad += 1
                continue
            errs = problems(item)
            if item.get("id") in seen:
                errs.append(f"duplicate id {item.get('id')}")
            seen.add(item.get("id"))
            for e in errs:
                print(f"{path}:{n}: {item.get('id')}: {e}")
            bad += bool(errs)
            count += 1
            flags.update(item.get("red_flags", []))
    print(f"{count} answers, {bad} with problems; red flags: {dict(flags)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
