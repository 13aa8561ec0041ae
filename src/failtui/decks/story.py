"""The user's own failure story: STAR parts in, a question card that checks its details out.

A story is written in parts (situation, task, what I did wrong, result, what I fixed, what I
learned, how I use it now). :func:`story_card` turns it into a question card of the user deck
``my-stories`` whose key points are the standard ones of the failure question (shared at deck
level, copied from the built-in ``failure-question`` deck so the grader's detectors apply) plus
key points built from the story itself: its numbers, the words naming the mistake, the fix, the
lesson and its later use. The drill then checks that the story is told with its details, not
just in the right shape.

The parts are kept in the card's ``[cards.story]`` table, which the deck reader ignores, so the
story can be opened and edited again.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from failtui.decks.files import DeckWriteError, write_new_deck_file
from failtui.decks.reader import parse_deck
from failtui.decks.sources import STORY_DECK_ID
from failtui.decks.writer import (
    apply_card_changes,
    copy_deck_text,
    create_deck,
    set_deck_fields,
    shared_items,
)
from failtui.grading.quantities import NUMBER_WORD_FORMS
from failtui.locations import builtin_decks_dir
from failtui.models import (
    STANDARD_KEY_POINTS,
    STANDARD_RED_FLAGS,
    Card,
    KeyPoint,
    RedFlag,
)
from failtui.textclean import clean_text

STORY_DECK_TITLE = "My stories"
STORY_TAG = "story"

#: The parts of a story: field name, label on the form, what to write there.
STORY_PARTS: tuple[tuple[str, str, str], ...] = (
    ("situation", "Situation", "Where you worked, your role, when."),
    ("task", "Task", "What you were responsible for or meant to deliver."),
    ("mistake", "What I did wrong", "Your own action or decision, in the first person."),
    ("result", "Result", "What it cost, with a number: days, money, customers, percent."),
    ("fix", "What I fixed", "What you did to repair it and to stop it happening again."),
    ("lesson", "What I learned", "The lesson, in words you would say in the interview."),
    ("use_now", "How I use it now", "A later time the lesson paid off, and the better result."),
)

#: Most story-specific cue phrases per part (more would make a point too easy to cover).
MAX_CUES = 6
#: Most number key points per story.
MAX_NUMBERS = 3


@dataclass(frozen=True)
class Story:
    """One failure story in STAR parts (plain text, as the user wrote it)."""

    title: str
    situation: str = ""
    task: str = ""
    mistake: str = ""
    result: str = ""
    fix: str = ""
    lesson: str = ""
    use_now: str = ""

    def parts(self) -> dict[str, str]:
        """The parts by field name, without the title."""
        return {k: v for k, v in asdict(self).items() if k != "title"}

    def problems(self) -> list[str]:
        """What is missing for a useful card (empty when the story can be saved)."""
        missing = []
        if not self.title.strip():
            missing.append("a title")
        labels = {name: label for name, label, _ in STORY_PARTS}
        for name in ("mistake", "result", "lesson"):
            if not getattr(self, name).strip():
                missing.append(f"'{labels[name]}'")
        return missing


# -- story-specific key points ----------------------------------------------------------------
# The grader's number words and the fractions a story counts with ("half the orders"), but not
# "zero": "zero downtime" says nothing went wrong, not a number to remember. Longest first, so
# "sixteen" is never read as "six".
_NUMBER_WORDS = "|".join(
    sorted(
        (NUMBER_WORD_FORMS - {"zero"}) | {"half", "third", "quarter"},
        key=lambda word: (-len(word), word),
    )
)
_NUMBER = re.compile(
    rf"(?:[$£€]\s?)?\b(?:\d[\d,.]*\d|\d)(?:\s?%|\s?k\b)?(?:\s+(?!and\b|or\b|to\b|in\b)[a-z][a-z-]+)?"
    rf"|\b(?:{_NUMBER_WORDS})(?:[ -](?:{_NUMBER_WORDS}))*\s+(?!and\b|or\b|of\b)[a-z][a-z-]+",
    re.I,
)
# Words that say nothing about this story in particular: pronouns, auxiliaries, and the words
# every failure story uses ("mistake", "learned"), which the standard key points already check.
_STOPWORD_TEXT = """
    a an the and or but so of to in on at by for with from into onto about as than then that
    this these those it its it's i i'm i'd i've me my mine we our us you your he she they them
    their his her was were is are be been being am do did does done doing have has had having
    not no never very really just also only even still too more most much many some any all
    each every few lot lots what when where which who whom why how there here out up down off
    over under again once after before because since while until if though although would
    could should will can may might must shall made make makes making get got getting go went
    going gone take took taken put set let tell told say said thing things way time times day
    days week weeks month months year years always now later today yesterday first next last
    mistake mistakes failure failed fail wrong learned learnt lesson lessons fix fixed fixing
    problem issue result results happened happen stuff well good bad better best sure own
    someone something anything everything nothing work worked working job role team
    during across through within without against between per via like"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TIME_UNITS = frozenset(
    ["day", "days", "week", "weeks", "month", "months", "year", "years", "time", "times"]
)


def _is_unit(word: str) -> bool:
    """Whether a word after a number says what was counted ("40 orders", not "40 went")."""
    word = word.lower()
    return word in _TIME_UNITS or word not in _STOPWORDS


def numbers_in(text: str) -> list[str]:
    """The quantities of a text as written ("40 orders", "$2,000", "three weeks"), in order.

    A figure in digits is kept; a number word only with what it counts after it ("two weeks",
    not "the next one had").
    """
    found: list[str] = []
    for match in _NUMBER.finditer(text):
        phrase = match.group().strip().rstrip(".,")
        words = phrase.split()
        money_or_share = phrase[:1] in "$£€" or re.search(r"\d\s?(?:%|k)\b", phrase, re.I)
        if len(words) > 1 and (money_or_share or not _is_unit(words[-1])):
            if not any(ch.isdigit() for ch in phrase):
                # A number word with no unit after it ("the next one had") is a pronoun or a
                # manner of speaking, not a quantity: dropped, never cut down to the bare word.
                continue
            phrase = " ".join(words[:-1])
        if phrase and phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return found


def key_phrases(text: str, limit: int = MAX_CUES) -> list[str]:
    """The phrases that name what a text is about: runs of content words (names, things, fixes).

    A run of two or more content words is kept (at most four words). A single word is kept only
    when it is distinctive: a name (capitalised inside a sentence), an acronym, or a compound
    ("mis-picks"); a lone common word ("customers", "switched") would be said in any story.
    Longer phrases come first.
    """
    runs: list[list[str]] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        # A phrase never runs across punctuation: "kept the count: zero mis-picks" is two things.
        for number, segment in enumerate(re.split(r"[.,;:!?()\[\]\"“”]+", sentence)):
            current: list[str] = []
            for position, token in enumerate(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’&+-]*", segment)):
                if token.lower().replace("’", "'") in _STOPWORDS or token.isdigit():
                    if current:
                        runs.append(current)
                    current = []
                    continue
                if number == 0 and position == 0:
                    token = _SentenceStart(token)
                current.append(token)
            if current:
                runs.append(current)
    phrases: list[str] = []
    for run in runs:
        while run:
            piece, run = run[:4], run[4:]
            if len(piece) >= 2:
                phrases.append(" ".join(piece))
            elif _distinctive(piece[0]):
                phrases.append(str(piece[0]))
    if len(phrases) < 2:
        phrases += _bridged_phrases(text)
    unique: list[str] = []
    for phrase in phrases:
        if phrase.lower() not in (u.lower() for u in unique):
            unique.append(phrase)
    unique.sort(key=lambda p: -len(p.split()))
    return unique[:limit]


def _bridged_phrases(text: str) -> list[str]:
    """Two content words with one or two small words between ("skipped the pilot").

    Used when a text has few runs of content words, so its part still gets phrases that only
    this story would say, not single common words.
    """
    phrases = []
    for segment in re.split(r"[.,;:!?()\[\]\"“”\n]+", text):
        tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’&+-]*", segment)
        content = [
            i
            for i, t in enumerate(tokens)
            if t.lower().replace("’", "'") not in _STOPWORDS and not t.isdigit()
        ]
        for left, right in itertools.pairwise(content):
            if 2 <= right - left <= 3:
                phrases.append(" ".join(tokens[left : right + 1]))
    return phrases


class _SentenceStart(str):
    """A word that begins a sentence: its capital says nothing about it being a name."""


def _distinctive(word: str) -> bool:
    if "-" in word or any(ch.isdigit() for ch in word):
        return True
    if len(word) >= 2 and word.isupper():
        return True  # an acronym: CRM, SLA
    return word[:1].isupper() and not isinstance(word, _SentenceStart)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


#: What each specific key point asks for. The label is shown while answering, so it names what
#: to say, never the story's own words (those are in the hint, shown after answering).
_PART_LABELS = (
    ("mistake", "What you did wrong, in the words of your story"),
    ("fix", "How you fixed it, with its details"),
    ("lesson", "Your lesson, as you put it"),
    ("use_now", "Where you used the lesson since, with its details"),
)


def specific_key_points(story: Story, card_id: str = "") -> tuple[KeyPoint, ...]:
    """Key points built from the story's own details.

    Their ids start with ``story-`` and hold the story's card id (``story-ID-fix``), so the
    statistics never mix up the details of two stories.
    """
    # Ids are at most 100 characters; story card ids are slugs of at most 40 unless renamed.
    prefix = f"story-{card_id[:80].rstrip('-._')}-" if card_id else "story-"
    points: list[KeyPoint] = []
    numbers = numbers_in(" ".join([story.result, story.mistake, story.fix, story.use_now]))[
        :MAX_NUMBERS
    ]
    for index, number in enumerate(numbers, 1):
        which = f" ({index} of {len(numbers)})" if len(numbers) > 1 else ""
        points.append(
            KeyPoint(
                id=f"{prefix}number-{index}",
                label=f"A number from your story{which}",
                cues=(number,),
                hint=f"Say the number of your story: {number}.",
            )
        )
    for part, label in _PART_LABELS:
        text = getattr(story, part)
        cues = key_phrases(text)
        if not cues:
            continue
        points.append(
            KeyPoint(
                id=f"{prefix}{part.replace('_', '-')}",
                label=label,
                cues=tuple(cues),
                hint=f"Your story: {_short(text, 90)} Say its details: {'; '.join(cues[:3])}.",
            )
        )
    return tuple(points)


def merge_story(base: Story, mine: Story, theirs: Story | None) -> tuple[Story, tuple[str, ...]]:
    """Merge the form's story into the one in the file now, part by part.

    A part changed only in the file keeps the file's text; a part changed in the form takes the
    form's. Returns the story and the labels of the parts both changed differently (the form's
    text is kept; the caller backs up the file's).
    """
    if theirs is None:
        return mine, ()
    labels = {"title": "title"} | {name: label for name, label, _ in STORY_PARTS}
    values, conflicts = {}, []
    for name in labels:
        old, ours, disk = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        values[name] = disk if ours == old else ours
        if ours != old and disk not in (old, ours):
            conflicts.append(labels[name])
    return Story(**values), tuple(conflicts)


def story_answer(story: Story) -> str:
    """The story written out in STAR order, shown as the card's guidance after answering."""
    lines = []
    for name, label, _help in STORY_PARTS:
        value = " ".join(getattr(story, name).split())
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def story_card(
    story: Story,
    card_id: str,
    standard_points: tuple[KeyPoint, ...] = (),
    standard_flags: tuple[RedFlag, ...] = (),
) -> Card:
    """The question card that drills a story.

    Args:
        story: the story.
        card_id: the card's id in the stories deck.
        standard_points: the standard key points (the deck-level ones of the stories deck).
        standard_flags: the standard red flags.
    """
    return Card(
        deck_id=STORY_DECK_ID,
        id=card_id,
        kind="question",
        prompt=f"What is your biggest failure? Tell your story: {clean_text(story.title).strip()}",
        answer=story_answer(story),
        tags=(STORY_TAG,),
        key_points=tuple(standard_points) + specific_key_points(story, card_id),
        red_flags=tuple(standard_flags),
    )


# -- the stories deck -------------------------------------------------------------------------
def story_deck_text(failure_question_path: Path) -> str:
    """A new ``my-stories`` deck holding the failure question's deck-level points and flags."""
    source = failure_question_path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    first_card = next(
        (i for i, line in enumerate(lines) if line.strip().startswith("[[cards]]")), len(lines)
    )
    while first_card > 0 and lines[first_card - 1].lstrip().startswith("#"):
        first_card -= 1  # the comments above the first card belong to it
    head = lines[:first_card]
    while head and (head[0].startswith("#") or not head[0].strip()):
        head = head[1:]
    text = (
        "# Your own failure stories (failtui: e from home, then s). Each card is one story; its\n"
        "# key points are the standard ones below plus the details of your story.\n" + "".join(head)
    )
    path = Path(f"{STORY_DECK_ID}.toml")
    text = copy_deck_text(text, STORY_DECK_ID, STORY_DECK_TITLE, path)
    text = set_deck_fields(
        text, path, description="Your own failure stories, told with their details"
    )
    parse_deck(text, path)
    return text


def create_user_deck(folder: Path, deck_id: str, title: str = "") -> Path:
    """Create ``folder/ID.toml``; the stories deck (``my-stories``) gets the standard key points.

    Without them a story card would check only the story's details, not the answer's shape.

    Raises:
        DeckWriteError: a bad id, or the file exists.
    """
    if deck_id != STORY_DECK_ID:
        return create_deck(folder, deck_id, title or deck_id)
    text = story_deck_text(builtin_decks_dir() / "failure-question.toml")
    if title:
        text = set_deck_fields(text, folder / f"{deck_id}.toml", title=title)
    return write_new_deck_file(folder, text, deck_id)


def read_stories(text: str) -> dict[str, Story]:
    """The stories kept in a stories deck's cards (``[cards.story]``), by card id."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    names = {f.name for f in fields(Story)}
    stories = {}
    for card in data.get("cards", []) or []:
        raw = card.get("story") if isinstance(card, dict) else None
        if isinstance(raw, dict) and isinstance(card.get("id"), str):
            values = {k: clean_text(str(v)) for k, v in raw.items() if k in names}
            values.setdefault("title", "")
            stories[card["id"]] = Story(**values)
    return stories


def save_story(
    text: str, path: Path, story: Story, card_id: str, *, old_id: str | None = None
) -> str:
    """The stories deck text with this story's card added or replaced (validated).

    Raises:
        DeckWriteError: the story lacks a title, mistake, result or lesson; or a bad id.
    """
    missing = story.problems()
    if missing:
        raise DeckWriteError(f"the story needs {', '.join(missing)}")
    shared = shared_items(text, path)
    card = story_card(
        story,
        card_id,
        tuple(shared["key_points"][i] for i in STANDARD_KEY_POINTS if i in shared["key_points"]),
        tuple(shared["red_flags"][i] for i in STANDARD_RED_FLAGS if i in shared["red_flags"]),
    )
    parts = {k: clean_text(v) for k, v in asdict(story).items()}
    return apply_card_changes(
        text,
        path,
        upserts=[card],
        renames={card.id: old_id or card.id},
        extras={card.id: {"story": parts}},
    )


__all__ = [
    "STORY_DECK_ID",
    "STORY_PARTS",
    "STORY_TAG",
    "Story",
    "create_user_deck",
    "key_phrases",
    "merge_story",
    "numbers_in",
    "read_stories",
    "save_story",
    "specific_key_points",
    "story_answer",
    "story_card",
    "story_deck_text",
]
