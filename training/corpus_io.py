"""Read the labelled corpus and cut its answers into the grader's clauses, with their labels.

Shared by train.py and evaluate.py. The corpus format is in corpus/FORMAT.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from failtui.grading.clauses import Clause, split_clauses
from failtui.grading.labels import INTERNAL_LABELS, KEY_POINTS, LABELS, MODEL_LABELS, RED_FLAGS

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
EXTERNAL = HERE / "external"
#: A second external set, written later by another writer who never saw the corpus or the model:
#: paraphrases of answers published on sites the corpus does not use, and hard cases.
EXTERNAL2 = HERE / "external2"
#: A third external set, written by four more writers who never saw the corpus, the model or
#: the cues: paraphrases of example answers on career sites the corpus does not use (x3a, x3b),
#: and hard cases (x3c, x3d).
EXTERNAL3 = HERE / "external3"
#: A fourth external set (fifteenth round), by four more writers who never saw the corpus, the
#: model or the cues: paraphrases of complete published answers from hosts no other set uses
#: (three that retold another set's answer were dropped), and 20 hard cases from each writer.
EXTERNAL4 = HERE / "external4"
#: A fifth external set (twenty-second round): 80 hard cases by a writer who role-played as
#: many job seekers and saw only the guide and the format. (Paraphrases were tried too: nearly
#: every published answer the search could show is on a site another set already uses.)
EXTERNAL5 = HERE / "external5"
#: A sixth external set (twenty-fourth round): 120 answers by two writers who saw nothing of the
#: project (not even the labelling guide), one writing in the style of career sites' example
#: answers, one as job seekers type and speak; labelled from the guide by labellers who saw
#: neither the writers' intent nor the model, every answer twice.
EXTERNAL6 = HERE / "external6"
#: Strong answers with one red flag said in passing, and controls: a check set by its own writer.
IN_PASSING = HERE / "in_passing"
#: Answers written to show two or three red flags at once (w61-w68, "Tenth round" in README.md).
#: They teach only the red flags' answer stage: no key point and no other stage learns from them,
#: and they are in no split.
TWO_FLAGS = HERE / "two_flags"
#: Paraphrases of published answers and first-person work stories from sites that neither the
#: corpus nor the external sets use (p25-p38, "Eleventh round" in README.md). Like TWO_FLAGS,
#: they teach only the red flags' answer stage and are in no split.
FLAG_PARAPHRASES = HERE / "flag_paraphrases"
#: Minimal edits of training-side paraphrases that add or take away a red flag ("Tries in the
#: twelfth round" in README.md); kept unused: train.py and evaluate.py never read them.
FLAG_EDITS = HERE / "unused" / "flag-edits"
#: Strong answers with one red flag said in passing, controls and near misses, one folder per
#: writer (w73-w98, training/README.md, "Sixteenth round" and "Eighteenth round"). Split like
#: the corpus, by story: the training part teaches the red flags only, at every stage, from the
#: sentence that says the flag to the answer ("Seventeenth round"); the dev and test parts are
#: measured.
PASSING = HERE / "passing"
#: Answers written as typed fast in a terminal (lowercase, little punctuation, abbreviations),
#: half of them with red flags, one folder per writer (w57-w60, "Ninth round" and "Nineteenth
#: round" in README.md). In no split: all of them teach the red flags, at every stage.
TYPED = HERE / "typed"
#: Work that a reader might take for personal life, and personal stories told in work words,
#: one folder per writer (w69-w72, "Tenth round" and "Nineteenth round" in README.md). In no
#: split: all of them teach the red flags, at every stage.
WORK_OR_LIFE = HERE / "work_or_life"
#: Short answers as users type them (one to four sentences): work stories that never state the
#: setting or the job, work stories that name it, personal-life stories (half in work words) and
#: hard cases, one folder per writer (w99-w102, "Nineteenth round" in README.md). In no split:
#: all of them teach the red flags, at every stage.
SHORT = HERE / "short"
#: Short answers as job seekers type them, by a writer who role-played a hundred of them and saw
#: only the guide and the format: a check set, measured, never trained or tuned on
#: ("Nineteenth round" in README.md).
SHORT_CHECK = HERE / "short_check"
#: Answers that tell grave harm plainly (illegal, unethical, unsafe with real harm, career-
#: ending), near misses where the harm was caught or recovered, and texts that are not answers
#: (filler, a question back, small talk), by one writer (w103, "Twenty-first round" in
#: README.md), and grave harm to safety, health, property or money told in everyday words,
#: with no legal or career word, and near misses (w104, "Twenty-second round"). In no split:
#: all of them teach the red flags, at every stage.
GRAVE = HERE / "grave"
#: Answers at the line of a red flag, by two writers ("Twenty-second round" in README.md):
#: `trivial` told with polish, drama or numbers, beside small-sounding failures that did real
#: harm (w105); `blame` put on circumstances, tools, handovers or the business, and passive
#: tellings, beside answers that name others' part and own the failure (w106). Tried and kept
#: unused: train.py and evaluate.py never read them.
BORDERLINE = HERE / "unused" / "borderline"
#: Every folder whose answers teach the red flags' answer stage only.
FLAG_ONLY = (TWO_FLAGS, FLAG_PARAPHRASES)
#: Every folder whose training-split answers teach the red flags at every stage, and nothing
#: else.
FLAG_SENTENCES = (PASSING,)
#: Every folder all of whose answers teach the red flags at every stage, and nothing else.
FLAG_SENTENCES_ALL = (WORK_OR_LIFE, TYPED, SHORT, GRAVE)
#: Second, independent labellings of samples of the corpus and of the other labelled sets.
SECOND = HERE / "second"
#: The kind of each site whose paraphrases are measured (dev, test, external 2-4): `career`
#: (careers, recruiting, interview or test-speaking advice: sites that publish example
#: answers) or `other` (blogs, forums, news...), judged from the host name alone by a reader
#: who saw no answer and no figure; `sure` is "no" where the name left it unclear.
SITE_KINDS = HERE / "site_kinds.tsv"

__all__ = ["KEY_POINTS", "LABELS", "MODEL_LABELS", "RED_FLAGS", "Answer", "load", "split_of"]


@dataclass
class Answer:
    """One labelled answer: its text, its clauses with labels, and its answer-level labels."""

    item: dict
    text: str
    clauses: list[Clause]
    clause_labels: list[set[str]]
    key_points: set[str]
    red_flags: set[str]
    verdict: str
    #: Labels the model learns but no card shows (``safeguard``: a lasting remedy).
    internal: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.item["id"]

    @property
    def group(self) -> str:
        """What must stay on one side of a split: the site of a paraphrase, else the story."""
        return self.item["site"] or self.item["story"]


def answer_text_and_spans(segments: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The answer as typed (segments joined by a space; a leading newline starts a line) and each
    segment's character span in it."""
    text = ""
    spans = []
    for seg in segments:
        piece = seg["text"]
        if text and not piece.startswith("\n"):
            text += " "
        start = len(text)
        text += piece
        spans.append((start, len(text)))
    stripped = text.lstrip()
    shift = len(text) - len(stripped)
    text = stripped.rstrip()
    return text, [(max(0, a - shift), max(0, b - shift)) for a, b in spans]


def segment_labels(segment: dict) -> list[str]:
    """A segment's labels, with ``safeguard`` for a remedy marked ``"lasting": true``."""
    if segment.get("lasting"):
        return [*segment["labels"], "safeguard"]
    return segment["labels"]


def to_answer(item: dict) -> Answer:
    """Cut a corpus item into the grader's clauses; a clause takes the labels of every segment
    holding at least a third of it."""
    text, spans = answer_text_and_spans(item["segments"])
    clauses = split_clauses(text)
    labels: list[set[str]] = []
    pos = 0
    for clause in clauses:
        start = text.find(clause.text, pos)
        if start < 0:
            start = pos
        end = start + len(clause.text)
        pos = end
        got: set[str] = set()
        for (a, b), seg in zip(spans, item["segments"], strict=True):
            overlap = min(b, end) - max(a, start)
            if overlap > 0 and overlap * 3 >= max(1, end - start):
                got.update(segment_labels(seg))
        labels.append(got)
    kps = {lab for seg in item["segments"] for lab in seg["labels"] if lab in KEY_POINTS}
    internal = {
        lab for seg in item["segments"] for lab in segment_labels(seg) if lab in INTERNAL_LABELS
    }
    return Answer(
        item, text, clauses, labels, kps, set(item["red_flags"]), item["verdict"], internal
    )


def load(paths: list[Path]) -> list[Answer]:
    """Every answer of the given JSON lines files (or folders of them), in a stable order."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    answers = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                answers.append(to_answer(json.loads(line)))
    return answers


def load_legacy(path: Path) -> list[Answer]:
    """The answer sets the hand-written grader was tuned and checked on (TOML, answer-level
    labels only: no sentence is labelled)."""
    import tomllib

    answers = []
    for raw in tomllib.loads(path.read_text(encoding="utf-8"))["answers"]:
        text = raw["text"].strip()
        clauses = split_clauses(text)
        item = {
            "id": raw["id"],
            "story": raw["id"],
            "site": None,
            "near_miss": [],
            "damage_number": None,
            "field": raw.get("job", ""),
            "style": [raw.get("style", "")],
        }
        answers.append(
            Answer(
                item,
                text,
                clauses,
                [set() for _ in clauses],
                set(raw["key_points"]),
                set(raw["red_flags"]),
                raw["verdict"],
            )
        )
    return answers


def site_kinds() -> dict[str, str]:
    """Each site of SITE_KINDS and its kind (`career` or `other`)."""
    rows = SITE_KINDS.read_text(encoding="utf-8").splitlines()[1:]
    return {host: kind for host, kind, _sure in (row.split("\t") for row in rows)}


def split_of(answer: Answer) -> str:
    """train (70%), dev (15%) or test (15%), fixed by a hash of the answer's group."""
    bucket = int(hashlib.sha256(answer.group.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"
