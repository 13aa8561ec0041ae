"""Features of a clause, shared by training (training/train.py) and grading.

A clause becomes a set of strings: its words, word pairs and word stems, and a few shapes
(a number, money, a percentage, its length). Digits become one token, so "1,800 orders" and
"300 orders" share features. Both the trainer and the grader call :func:`clause_features`, so
they can never disagree on what a feature is.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

_MONEY = re.compile(
    r"[$£€]\s?\d|\b\d[\d,.]*\s?(?:k|m|bn)\b|\b(?:dollars?|pounds?|euros?|quid|bucks|grand)\b", re.I
)
_DIGIT = re.compile(r"\d")
_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
# What a clause must hold for _MONEY (besides a digit) or _PERCENT to match at all: most clauses
# hold none of it, and one search for these spares the two full searches.
_MONEY_OR_PERCENT_WORDS = re.compile(r"[$£€%]|dollar|pound|euro|quid|buck|grand|cent")

# A light stemmer: a full Snowball stemmer costs about 30 us a word in pure Python (18 ms for a
# 600-word answer); this one costs about 1 us, and it is enough for features and for matching a
# hint's words in other forms ("communicated", "communication", "communicating").
_SUFFIXES = (
    ("ations", "at"),
    ("ation", "at"),
    ("ating", "at"),
    ("ated", "at"),
    ("ates", "at"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ing", ""),
    ("ions", ""),
    ("ion", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ily", "y"),
    ("edly", ""),
    ("ed", ""),
    ("ly", ""),
    ("sses", "ss"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("xes", "x"),
)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light stem of a lowercase word: common English suffixes stripped, 3 letters kept."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # "stopped" -> "stop", but "skill" stays
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # "manage", "managed", "managing" -> "manag"
    return word


#: Words that negate what follows them (normalized: "didn't" is "didnt").
NEGATORS = frozenset(
    "not no never didnt dont doesnt wasnt werent isnt arent cant couldnt wouldnt wont "  # noqa: SIM905
    "shouldnt hardly barely nothing nobody neither nor havent hasnt hadnt without".split()
)
#: Numbers written as words ("forty orders", "half the stock"), a shape like a digit.
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "  # noqa: SIM905
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions "
    "billion half third quarter dozen dozens couple".split()
)
#: Words with no meaning of their own (pronouns, articles, prepositions, auxiliaries, and a few
#: verbs of telling). Cue matching compares the other words of a key point with a clause, and
#: the answer stage does not read them alone (see :func:`in_answer_bag`).
FUNCTION_WORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being "  # noqa: SIM905
    "it its this that these those there their they them you your yours i me my we our us he "
    "she his her what when where which while who how why have has had do does did doing not "
    "no so than then too very just also can could should would will shall may might must "
    "about into over after before because each other some such only more most any all say "
    "says said tell mention explain name give show shows answer story".split()
)


def in_answer_bag(feature: str) -> bool:
    """Whether the answer stage reads this clause feature in its bag of the answer's words.

    A clause's length and a function word alone say how the writer writes, not what the
    answer tells: read there, short answers with "my" looked like personal-life stories.
    The clause stage still reads them, and word pairs keep them in context ("my fault").
    """
    if feature.startswith("#len:"):
        return False
    return not (feature.startswith("u:") and feature[2:] in FUNCTION_WORDS)


# How many words after a negator are marked as negated (``n:`` features).
_NEGATION_SCOPE = 3


def tokens(norm: str) -> list[str]:
    """The words of a normalized clause, every run of digits as ``0``."""
    return ["0" if w.isdigit() else w for w in norm.split()]


#: Whether a clause's features include its words' stems (``s:``). Off: in the ablation on dev
#: (training/REPORT.md) stems added nothing beside the words and word pairs, and cost time.
#: training/evaluate.py turns them on to measure that again.
STEM_FEATURES = False


@lru_cache(maxsize=16384)
def _word_features(word: str) -> tuple[str, ...]:
    if STEM_FEATURES:
        return "u:" + word, "s:" + stem(word)
    return ("u:" + word,)


@lru_cache(maxsize=8192)
def clause_features(text: str, norm: str) -> frozenset[str]:
    """The features of one clause: ``u:`` words, ``b:`` word pairs, ``n:`` words after a
    negator, ``#`` shapes (a number in digits or words, money, a percentage, a negation,
    the length)."""
    words = tokens(norm)
    feats = {f for w in words for f in _word_features(w)}
    padded = ["<s>", *words, "</s>"]
    feats.update([f"b:{a} {b}" for a, b in itertools.pairwise(padded)])
    if not NEGATORS.isdisjoint(words):
        feats.add("#neg")
        for i, w in enumerate(words):
            if w in NEGATORS:
                feats.update(["n:" + x for x in words[i + 1 : i + 1 + _NEGATION_SCOPE]])
    digit = _DIGIT.search(text) is not None
    if digit:
        feats.add("#digit")
    if not NUMBER_WORDS.isdisjoint(words):
        feats.add("#numword")
    if _MONEY_OR_PERCENT_WORDS.search(text.lower()):
        if _MONEY.search(text):
            feats.add("#money")
        if _PERCENT.search(text):
            feats.add("#percent")
    elif digit and _MONEY.search(text):
        feats.add("#money")
    n = len(words)
    feats.add("#len:" + ("1-4" if n < 5 else "5-12" if n < 13 else "13-25" if n < 26 else "26+"))
    return frozenset(feats)
