"""Numbers in answers: the number that measures the damage in a clause ("1,800 orders",
"about $120,000"), and any number written in digits, whatever way it was said ("twelve
thousand" is 12000, "40k" is 40000), so that a number in words matches the same in digits."""

from __future__ import annotations

import re

# The values of the number words a number in words is made of.
_SMALL = dict(
    zip(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "  # noqa: SIM905
        "fifteen sixteen seventeen eighteen nineteen".split(),
        range(20),
        strict=True,
    )
)
_TENS = dict(
    zip(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(),  # noqa: SIM905
        range(20, 100, 10),
        strict=True,
    )
)
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# The scale a figure may carry after it ("40k", "1.5m", "2bn", "3 million").
_FIGURE_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000} | _SCALES
#: Every word a number written in words is made of (lowercase).
NUMBER_WORD_FORMS = frozenset([*_SMALL, *_TENS, *_SCALES, "dozen"])

# The ones digits in words, alone or after a tens word ("twenty-six").
_ONES = "|".join(list(_SMALL)[1:10])
_NUMBER_WORDS = (
    rf"(?:{'|'.join(_TENS)})(?:-(?:{_ONES}))?|{'|'.join(list(_SMALL)[10:20])}|"
    rf"{_ONES}|{'|'.join(_SCALES)}|half|a third|"
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


def is_quantity(text: str) -> bool:
    """Whether ``text`` is a number with what it counts, and nothing else ("12,000 customers",
    "six hours", "$2,000", "15%")."""
    return _CANDIDATE.fullmatch(text.strip(" .,;:")) is not None


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
        rank = 5 if _MONEY.search(span) else 4 if _PERCENT.search(span) else 3
        if _TIME.search(span):
            rank = 2 if _DELAY.match(after) else 1
        if _SCENE.search(span + after) or _WHEN.fullmatch(span) or after.startswith(":"):
            rank = 0
        if rank > best_rank:
            best, best_rank = span, rank
    return best


# A run of number words, joined by spaces or hyphens, "and" only after a hundred or more ("two
# hundred and fifty"), after "a" or "half a" when it starts with a scale ("a dozen", "half a
# million"); :func:`_in_words` reads it as one number or more ("ten twelve-hour shifts").
_WORD = "|".join([*_SMALL, *_TENS, *_SCALES, "dozen"])
_AFTER_SCALE = "|".join(rf"(?<={scale})" for scale in _SCALES)
_IN_WORDS = re.compile(
    rf"\b(?:(?:half\s+)?an?\s+(?=(?:{'|'.join(_SCALES)}|dozen)\b))?"
    rf"(?:{_WORD})(?:(?:(?:{_AFTER_SCALE})\s+and\s+|[\s-]+)(?:{_WORD})\b)*\b",
    re.I,
)
# A figure in digits, with thousands separators or a decimal point, and a scale after it
# ("40k" and "1.5m" written together, "3 million" apart).
_FIGURE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:(k|m|bn)|\s?({'|'.join(_SCALES)}))?\b",
    re.I,
)


def _in_words(run: str) -> str:
    """The numbers of a run of number words, in digits: a word that cannot carry on the number
    before it ("twelve" after "ten", "six" after "sixteen") starts another."""
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w != "and"]
    numbers: list[str] = []
    total, current, last = 0.0, 0.0, ""  # last: the kind of word read just before
    if words[0] == "half":
        words, current, last = words[2:], 0.5, "a"  # half of the scale after it
    elif words[0] in ("a", "an"):
        words, current, last = words[1:], 1.0, "a"
    for word in words:
        kind = "small" if word in _SMALL else "tens" if word in _TENS else word
        if last and not _carries_on(last, kind, word):
            numbers.append(_digits(total + current))
            total, current, last = 0.0, 0.0, ""
        if kind == "small":
            current += _SMALL[word]
        elif kind == "tens":
            current += _TENS[word]
        elif kind in ("hundred", "dozen"):
            current = (current or 1) * (100 if kind == "hundred" else 12)
        else:
            total += (current or 1) * _SCALES[word]
            current, kind = 0.0, "scale"
        last = kind
    numbers.append(_digits(total + current))
    return " ".join(numbers)


def _carries_on(last: str, kind: str, word: str) -> bool:
    """Whether a number word of ``kind`` carries on a number whose last word was of kind
    ``last`` ("twenty" then "six", "two" then "hundred"; never "ten" then "twelve")."""
    if kind == "small":
        return last in ("hundred", "scale") or (last == "tens" and _SMALL[word] < 10)
    if kind == "tens":
        return last in ("hundred", "scale")
    if kind in ("hundred", "dozen"):
        return last in ("a", "small", "tens")
    return last in ("a", "small", "tens", "hundred")  # thousand, million, billion


def _digits(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def numbers_as_digits(text: str) -> str:
    """``text`` with every number written as plain digits, with no separators and its scale
    worked out: "twelve thousand customers" and "12,000 customers" are both "12000 customers",
    "half a million" is "500000", "€40k" is "€40000"."""

    def figure(match: re.Match[str]) -> str:
        value = float(match.group(1).replace(",", ""))
        scale = (match.group(2) or match.group(3) or "").lower()
        return _digits(value * _FIGURE_SCALES[scale] if scale else value)

    return _IN_WORDS.sub(lambda m: _in_words(m.group()), _FIGURE.sub(figure, text))


def number_values(text: str) -> frozenset[float]:
    """The values of the numbers ``text`` holds, in digits or in words (see
    :func:`numbers_as_digits`)."""
    return frozenset(float(n) for n in re.findall(r"\d+(?:\.\d+)?", numbers_as_digits(text)))
