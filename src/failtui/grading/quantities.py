"""Find the number that measures the damage in a clause ("1,800 orders", "about $120,000")."""

from __future__ import annotations

import re

# The ones digits in words, alone or after a tens word ("twenty-six").
_ONES = r"one|two|three|four|five|six|seven|eight|nine"
_NUMBER_WORDS = (
    rf"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:{_ONES}))?|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|eleven|twelve|"
    rf"{_ONES}|hundred|thousand|million|billion|half|a third|"
    r"a quarter|a dozen|dozens|hundreds|thousands|a couple of|several"
)
# A sum after a currency sign is whole with its scale ("$120,000", "£400k"): no unit follows.
_SUM = r"[$£€]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|thousand)\b)?"
_NUMBER = rf"(?:\d[\d,.]*|(?:{_NUMBER_WORDS})\b)"
# Up to two words naming what was counted ("orders", "hundred orders", "customer accounts"),
# never a function word. A second word is taken only after a word that does not end in "s" and
# when it does not end in "ed": a plural noun usually ends what was counted, and a verb in the
# past follows it ("forty orders went out", "one customer complained").
_FUNCTION = (
    r"in|on|at|for|to|and|or|a|an|the|of|by|with|from|than|were|was|are|is|had|has|have|we|it|"
    r"they|our|my|that|which|but|so|before|after|because|when|while|behind|late|early|i|he|she|"
    r"you|me|us|them"
)
_UNIT = (
    rf"(?:\s?(?:%|percent|per cent)|\s+(?!(?:{_FUNCTION})\b)[a-z-]+"
    rf"(?:(?<!s)\s+(?!(?:{_FUNCTION})\b)(?![a-z-]*ed\b)[a-z-]+)?)?"
)
_HEDGE = r"(?:about |around |roughly |nearly |almost |over |some )?"
_CANDIDATE = re.compile(rf"(?<![\w:]){_HEDGE}(?:{_SUM}|{_NUMBER}{_UNIT})", re.I)

_MONEY = re.compile(r"[$£€]|\b(?:dollars?|pounds?|euros?|quid|bucks|grand|k)\b", re.I)
_PERCENT = re.compile(r"%|percent|per cent", re.I)
_TIME = re.compile(r"\b(?:minutes?|hours?|days?|weeks?|months?|years?|nights?|shifts?)\b", re.I)
# Numbers that set the scene rather than measure the damage.
_SCENE = re.compile(
    r"\b(?:ago|old|into|of experience|in the job|team of|people on|years? in|months? in)\b", re.I
)
# What follows a length of time that measures a delay or an outage ("six weeks late", "two days
# of downtime"), not when something happened ("one month").
_DELAY = re.compile(
    r"\s*(?:late|behind|overdue|longer|of (?:delay|downtime|rework|work)|offline|down)\b", re.I
)
# A year ("in 2019") or a time of day ("at 9 pm", "at 9:30"): when, not how much.
_WHEN = re.compile(r"(?:19|20)\d\d|\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", re.I)


def damage_number(clause: str, scene: bool = True) -> str:
    """The span of ``clause`` most likely to measure the damage, or "" when it holds no number.

    Money first, then a percentage, a count of things, a delay ("six weeks late"), then any other
    length of time, the first of equals; numbers that set the scene
    ("two years ago", "a team of five") only when nothing else is there, and never with
    ``scene=False``.
    """
    best, best_rank = "", -1 if scene else 0
    for match in _CANDIDATE.finditer(clause):
        span = match.group().strip(" ,.;:")
        if not any(ch.isdigit() for ch in span) and len(span.split()) < 2:
            continue  # a lone number word ("one") is rarely a measure
        after = clause[match.end() : match.end() + 20]
        rank = 4 if _MONEY.search(span) else 3 if _PERCENT.search(span) else 2
        if _TIME.search(span):
            rank = 1.5 if _DELAY.match(after) else 1
        if _SCENE.search(span + after) or _WHEN.fullmatch(span) or after.startswith(":"):
            rank = 0
        if rank > best_rank:
            best, best_rank = span, rank
    return best
