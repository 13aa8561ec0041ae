"""Measure the grader and write ``training/REPORT.md``: ``python training/evaluate.py``.

Every figure is computed here, from the shipped model (``src/failtui/grading/model.npz``)
through ``failtui.grading.grade_answer``, on the splits of corpus_io.split_of, the external set
(``training/external/``), the tip and pitfall set (``training/tipsets/``) and the second
labellings (``training/second/``). ``--quick`` leaves out the ablations (which retrain).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from failtui.decks.catalog import load_catalog  # noqa: E402
from failtui.decks.reader import load_deck  # noqa: E402
from failtui.grading import grade_answer  # noqa: E402
from failtui.grading.labels import MODEL_LABELS  # noqa: E402
from failtui.grading.model import Model, load_model  # noqa: E402
from training.corpus_io import (  # noqa: E402
    CORPUS,
    EXTERNAL,
    EXTERNAL2,
    EXTERNAL3,
    EXTERNAL4,
    EXTERNAL5,
    EXTERNAL6,
    FLAG_PARAPHRASES,
    GRAVE,
    IN_PASSING,
    KEY_POINTS,
    LABELS,
    PASSING,
    RED_FLAGS,
    SECOND,
    SHORT,
    SHORT_CHECK,
    TWO_FLAGS,
    TYPED,
    WORK_OR_LIFE,
    Answer,
    load,
    load_legacy,
    site_kinds,
    split_of,
)
from training.thresholds import RED_FLAG_BASE  # noqa: E402

REPORT = HERE / "REPORT.md"
TIPSETS = HERE / "tipsets"
TEST_DATA = Path(__file__).parents[1] / "tests" / "data"
SEEDS = TEST_DATA / "seed_answers.json"
#: The sets the hand-written grader was tuned on (dev) and checked on (held out).
LEGACY_SETS = {
    "old dev": TEST_DATA / "failure_answers.toml",
    "old held-out": TEST_DATA / "failure_answers_holdout.toml",
}


@dataclass
class Tally:
    """Counts per label and for the verdict, over one set of answers."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    verdict_ok: int = 0
    answers: int = 0
    evidence_ok: int = 0
    evidence_all: int = 0
    number_ok: int = 0
    number_all: int = 0
    pairs: list = field(default_factory=list)  # (label, probability, truth) for calibration

    def add(self, want: set[str], got: set[str]) -> None:
        for lab in want | got:
            if lab in want and lab in got:
                self.tp[lab] += 1
            elif lab in got:
                self.fp[lab] += 1
            else:
                self.fn[lab] += 1

    def prf(self, labels) -> tuple[float, float, float]:
        tp = sum(self.tp[x] for x in labels)
        fp = sum(self.fp[x] for x in labels)
        fn = sum(self.fn[x] for x in labels)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        return p, r, f

    @property
    def verdict(self) -> float:
        return self.verdict_ok / self.answers if self.answers else 0.0

    def headline(self) -> dict:
        _, _, kp_f1 = self.prf(KEY_POINTS)
        rf_p, rf_r, _ = self.prf(RED_FLAGS)
        return {
            "answers": self.answers,
            "kp_f1": kp_f1,
            "verdict": self.verdict,
            "rf_recall": rf_r,
            "rf_precision": rf_p,
        }


#: Answers shorter than this many words are reported apart: they pack several key points into
#: a sentence or two, where the grader is weakest.
SHORT_ANSWER = 60


def biggest_failure_card():
    return load_catalog(None).find_card("biggest-failure", "failure-question")


def measure(answers: list[Answer], grade) -> Tally:
    """Grade every answer with ``grade(text) -> Grade`` and count against its labels."""
    tally = Tally()
    for a in answers:
        g = grade(a.text)
        got_kp = {k.id for k in g.key_points if k.covered}
        got_rf = {r.id for r in g.red_flags}
        tally.add(a.key_points | a.red_flags, got_kp | got_rf)
        tally.answers += 1
        good = g.suggested_rating in ("good", "easy")
        tally.verdict_ok += good == (a.verdict == "good")
        for k in g.key_points:
            if k.probability is not None:
                tally.pairs.append((k.id, k.probability, k.id in a.key_points))
            if k.covered and k.id in a.key_points:
                shown = [
                    c.text
                    for c, labs in zip(a.clauses, a.clause_labels, strict=False)
                    if k.id in labs
                ]
                tally.evidence_all += 1
                tally.evidence_ok += k.evidence in shown
            if k.id == "quantified" and k.covered and a.item.get("damage_number"):
                want = a.item["damage_number"].lower()
                tally.number_all += 1
                tally.number_ok += bool(k.number) and (
                    k.number.lower() in want or want in k.number.lower()
                )
        probs = {r.id: r.probability for r in g.red_flags}
        for rf in RED_FLAGS:
            if g.red_flags and rf in probs and probs[rf] is not None:
                tally.pairs.append((rf, probs[rf], rf in a.red_flags))
    return tally


def red_flag_thresholds(sets: dict[str, list[Answer]]) -> list[str]:
    """Red flags at the shipped threshold (0.5 for every flag, lowered until dev's recall meets
    its precision: training/thresholds.py) against 0.5 itself, on the same sets."""
    shipped = load_model()
    even = copy.copy(shipped)
    even.threshold = np.array(shipped.meta["unshifted_thresholds"], dtype=np.float32)
    # The flags share one lowered threshold: read it off the first.
    lowered = float(shipped.threshold[MODEL_LABELS.index(RED_FLAGS[0])])
    out = [
        f"Every red flag is raised at one threshold: {RED_FLAG_BASE}, lowered by "
        f"{shipped.meta['red_flag_shift']:.2f} log-odds to {lowered:.2f},",
        "the shift at which, over all flags on dev, recall reaches precision. A flag between",
        "the two is shown as possible. Red-flag recall / precision / F1 at the two:",
        "",
        f"| set | at {RED_FLAG_BASE} | shipped (balanced on dev) |",
        "|---|---|---|",
    ]
    for name, answers in sets.items():
        cells = []
        for model in (even, shipped):
            p, r, f = measure(answers, new_grader(model)).prf(RED_FLAGS)
            cells.append(f"{r:.3f} / {p:.3f} / {f:.3f}")
        out.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return out


def by_kind_of_site(sets: dict[str, list[Answer]], outside: Sequence[str], grade) -> list[str]:
    """The paraphrases split by the kind of site they come from (training/site_kinds.tsv), and
    the external sets' answers of the kinds the issue's own check set was made of."""
    kinds = site_kinds()

    def kind(a: Answer) -> str:
        return kinds[a.item["site"]] if a.item["site"] else "written"

    external = [a for n in outside for a in sets[n]]
    rows = {
        f"{n}, paraphrases from {k} sites": measure([a for a in sets[n] if kind(a) == k], grade)
        for n in ("dev", "test")
        for k in ("career", "other")
    } | {
        f"external sets, paraphrases from {k} sites": measure(
            [a for a in external if kind(a) == k], grade
        )
        for k in ("career", "other")
    }
    rows["external sets, written and from career sites"] = measure(
        [a for a in external if kind(a) != "other"], grade
    )
    return [
        "By the kind of site (training/site_kinds.tsv: `career` for careers, recruiting,",
        "interview and test-speaking advice, the sites that publish example answers; `other` for",
        "blogs, forums, news and the rest, judged from the host name by a reader who saw no",
        "answer and no figure). The last row is the external sets without the stories from",
        "other sites: the kinds of answer the issue's own check set was made of (paraphrases of",
        "answers published on career sites, and hard cases).",
        "",
        *headline_table(rows),
    ]


#: The hand-written grader's figures on the issue's own check set (about 140 answers written
#: outside the project, never seen here), as the issue gives them. ``old_grader`` is that same
#: grader: it gives the issue's figures for its old dev set to the digit.
ISSUE_CHECK_SET_OLD = {"kp_f1": 0.75, "verdict": 0.72, "rf_recall": 0.40, "rf_precision": 0.69}
HEADLINE = ("kp_f1", "verdict", "rf_recall", "rf_precision")
#: The check set's size, its red flags and how many of them the old grader found, from the
#: issue's per-flag counts (6 of 14 never-failed, 6 of 16 blame, ...).
ISSUE_CHECK_SET_ANSWERS = 140
ISSUE_CHECK_SET_FLAGS = 89
ISSUE_CHECK_SET_OLD_FOUND = 36


@dataclass
class GaugeTransfer:
    """How the new grader's red flags relate to the old grader's on a set of answers."""

    found_both: int = 0  # flags both graders found
    old_found: int = 0  # flags the old grader found
    found_new_only: int = 0  # flags only the new grader found
    old_missed: int = 0  # flags the old grader missed
    new_false: int = 0  # flags the new grader raised where none is labelled
    answers: int = 0

    @property
    def c(self) -> float:
        return self.found_both / self.old_found if self.old_found else 0.0

    @property
    def q(self) -> float:
        return self.found_new_only / self.old_missed if self.old_missed else 0.0

    @property
    def false_per_answer(self) -> float:
        return self.new_false / self.answers if self.answers else 0.0

    @property
    def found_on_check_set(self) -> float:
        missed = ISSUE_CHECK_SET_FLAGS - ISSUE_CHECK_SET_OLD_FOUND
        return ISSUE_CHECK_SET_OLD_FOUND * self.c + missed * self.q

    @property
    def check_set_recall(self) -> float:
        return self.found_on_check_set / ISSUE_CHECK_SET_FLAGS

    @property
    def check_set_precision(self) -> float:
        found = self.found_on_check_set
        return found / (found + ISSUE_CHECK_SET_ANSWERS * self.false_per_answer)


def gauge_transfer(answers: Sequence[Answer], new, old) -> GaugeTransfer:
    """Count, flag by flag, what each grader finds on ``answers``."""
    t = GaugeTransfer()
    for a in answers:
        got_new = {r.id for r in new(a.text).red_flags}
        got_old = {r.id for r in old(a.text).red_flags}
        t.answers += 1
        t.new_false += len(got_new - a.red_flags)
        for flag in a.red_flags:
            if flag in got_old:
                t.old_found += 1
                t.found_both += flag in got_new
            else:
                t.old_missed += 1
                t.found_new_only += flag in got_new
    return t


def old_grader_distance(old: dict, target: dict = ISSUE_CHECK_SET_OLD) -> float:
    """Euclidean distance between two sets' headline figures under the old grader."""
    return float(np.sqrt(sum((old[k] - target[k]) ** 2 for k in HEADLINE)))


def mixed_headline(parts: Sequence[tuple[Tally, float]]) -> dict:
    """Headline figures of a mix of sets, each tally scaled to the given share of answers."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    verdict_ok = 0.0
    for tally, share in parts:
        scale = share / tally.answers
        for lab in LABELS:
            tp[lab] += scale * tally.tp[lab]
            fp[lab] += scale * tally.fp[lab]
            fn[lab] += scale * tally.fn[lab]
        verdict_ok += scale * tally.verdict_ok

    def sums(labels) -> tuple[float, float, float]:
        return sum(tp[x] for x in labels), sum(fp[x] for x in labels), sum(fn[x] for x in labels)

    a, b, c = sums(KEY_POINTS)
    ra, rb, rc = sums(RED_FLAGS)
    return {
        "kp_f1": 2 * a / (2 * a + b + c),
        "verdict": verdict_ok / sum(share for _, share in parts),
        "rf_recall": ra / (ra + rc),
        "rf_precision": ra / (ra + rb),
    }


def through_old_grader(groups: dict[str, list[Answer]], new, old) -> list[str]:
    """Which held-out answers the issue's check set is like, with the old grader as the gauge,
    and what the new grader would read there if its red flags behave as on each kind."""
    rows = []
    for name, answers in groups.items():
        o, n = measure(answers, old).headline(), measure(answers, new).headline()
        rows.append((old_grader_distance(o), name, len(answers), o, n))
    rows.sort(key=lambda r: r[0])

    def four(h: dict) -> str:
        return " / ".join(f"{h[k]:.3f}" for k in HEADLINE)

    target = " / ".join(f"{ISSUE_CHECK_SET_OLD[k]:.2f}" for k in HEADLINE)
    out = [
        "The issue measured the hand-written grader on its own check set: key-point micro-F1,",
        f"verdict accuracy, red-flag recall and precision {target}. That grader",
        "(training/legacy/) gives the issue's figures for the old dev set to the digit (the",
        "headline table), so it can serve as a gauge: each held-out group below is measured by",
        "both graders, and the groups are sorted by how far the old grader's four figures on",
        "them lie from its figures on the check set (Euclidean distance). Nothing was tuned on",
        "this.",
        "",
        "| group | answers | old grader | distance | new grader |",
        "|---|---|---|---|---|",
        *(f"| {name} | {n} | {four(o)} | {d:.3f} | {four(h)} |" for d, name, n, o, h in rows),
    ]

    def pooled(ending: str, sets: str) -> list[Answer]:
        return [
            a
            for name, answers in groups.items()
            if name.endswith(ending) and name.startswith(sets)
            for a in answers
        ]

    kinds = {
        "external sets, written": pooled("written", "external"),
        "external sets, paraphrases from career sites": pooled("career sites", "external"),
        "external sets, paraphrases from other sites": pooled("other sites", "external"),
        "test, written": pooled("written", "test"),
        "test, paraphrases from career sites": pooled("career sites", "test"),
    }
    out += [
        "",
        *textwrap.wrap(
            "The nearest groups are written answers, but the four figures cannot tell how the"
            " new grader reads the flags the old one missed, and that is what decides: on written"
            " answers and career sites' paraphrases the new grader finds nearly every flag the"
            " old one finds. Of the check"
            f" set's {ISSUE_CHECK_SET_FLAGS} flags the old grader found"
            f" {ISSUE_CHECK_SET_OLD_FOUND}, so the new grader's recall there is"
            f" ({ISSUE_CHECK_SET_OLD_FOUND} c + {ISSUE_CHECK_SET_FLAGS - ISSUE_CHECK_SET_OLD_FOUND}"
            f" q) / {ISSUE_CHECK_SET_FLAGS}, where c is how often it finds a flag the old grader"
            " found and q a flag the old grader missed; its precision follows from its false"
            f" flags per answer over {ISSUE_CHECK_SET_ANSWERS} answers. Read with each kind's c,"
            " q and false flags:",
            90,
        ),
        "",
        "| kind | c | q | false flags per answer | check set's red-flag recall / precision |",
        "|---|---|---|---|---|",
    ]
    for name, answers in kinds.items():
        t = gauge_transfer(answers, new, old)
        out.append(
            f"| {name} | {t.c:.2f} ({t.found_both}/{t.old_found}) "
            f"| {t.q:.2f} ({t.found_new_only}/{t.old_missed}) | {t.false_per_answer:.2f} "
            f"| {t.check_set_recall:.3f} / {t.check_set_precision:.3f} |"
        )
    written, career = (
        kinds["external sets, written"],
        kinds["external sets, paraphrases from career sites"],
    )
    tallies = {
        who: (measure(written, g), measure(career, g)) for who, g in (("old", old), ("new", new))
    }
    out += [
        "",
        "The external sets' written answers mixed with their paraphrases from career sites, in",
        "the share of answers given, as both graders read them:",
        "",
        "| share of paraphrases | old grader | new grader |",
        "|---|---|---|",
    ]
    for share in (0.0, 0.2, 0.4, 0.6):
        o, n = (
            mixed_headline([(w, 1 - share), (c, share)])
            for w, c in (tallies["old"], tallies["new"])
        )
        out.append(f"| {share:.0%} | {four(o)} | {four(n)} |")
    return out


def held_out_groups(
    sets: dict[str, list[Answer]],
    outside: Sequence[str],
    passing: Sequence[Answer],
    check_in_passing: Sequence[Answer],
    short_check: Sequence[Answer],
) -> dict[str, list[Answer]]:
    """Every set no model was trained or tuned on, the test split and each external set cut
    by the kind of answer (written, or a paraphrase from a career or another site)."""
    kinds = site_kinds()

    def kind(a: Answer) -> str:
        return (
            "written" if not a.item["site"] else f"paraphrases from {kinds[a.item['site']]} sites"
        )

    groups: dict[str, list[Answer]] = {}
    for name in ("test", *outside):
        for a in sets[name]:
            groups.setdefault(f"{name}, {kind(a)}", []).append(a)
    groups["in_passing/ check set"] = list(check_in_passing)
    groups["passing/ test"] = [a for a in passing if split_of(a) == "test"]
    groups["short_check/"] = list(short_check)
    return groups


def new_grader(model: Model | None = None):
    card = biggest_failure_card()
    return lambda text: grade_answer(card, text, model=model)


def old_grader():
    sys.path.insert(0, str(HERE / "legacy"))
    import old_grading

    deck = load_deck(HERE / "legacy" / "failure-question.toml")
    card = deck.card("biggest-failure")
    return lambda text: old_grading.grade_answer(card, text)


def label_table(sets: dict[str, Tally]) -> list[str]:
    names = list(sets)
    out = [
        "| label | " + " | ".join(f"{n} P / R / F1 (n)" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for lab in LABELS:
        cells = []
        for n in names:
            t = sets[n]
            p, r, f = t.prf([lab])
            support = t.tp[lab] + t.fn[lab]
            cells.append(f"{p:.2f} / {r:.2f} / {f:.2f} ({support})")
        out.append(f"| `{lab}` | " + " | ".join(cells) + " |")
    return out


def headline_table(rows: dict[str, Tally]) -> list[str]:
    out = [
        "| set | answers | key-point micro-F1 | verdict accuracy | red-flag recall "
        "| red-flag precision |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in rows.items():
        h = t.headline()
        out.append(
            f"| {name} | {h['answers']} | {h['kp_f1']:.3f} | {h['verdict']:.3f} | "
            f"{h['rf_recall']:.3f} | {h['rf_precision']:.3f} |"
        )
    return out


def remedy_only_table(sets: dict[str, list[Answer]], grade) -> list[str]:
    """Verdict accuracy on answers whose only takeaway is a remedy (no lesson, no later use),
    apart for good ones (a lasting safeguard) and bad ones (a one-off repair)."""
    out = ["| set | good: rated good | bad: rated bad |", "|---|---|---|"]
    for name, answers in sets.items():
        cells = []
        for verdict in ("good", "bad"):
            chosen = [
                a
                for a in answers
                if a.verdict == verdict
                and not a.red_flags
                and {"failure", "impact", "remedy"} <= a.key_points
                and not a.key_points & {"lesson", "applied"}
            ]
            right = measure(chosen, grade).verdict_ok
            cells.append(f"{right}/{len(chosen)}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def calibration(pairs: list) -> list[str]:
    """Reliability of the key point probabilities: predicted against observed, in bins."""
    bins = [[] for _ in range(5)]
    for _, p, truth in pairs:
        bins[min(4, int(p * 5))].append((p, truth))
    out = ["| predicted | answers | mean predicted | observed |", "|---|---|---|---|"]
    ece = 0.0
    total = sum(len(b) for b in bins)
    for i, b in enumerate(bins):
        if not b:
            continue
        mp = statistics.fmean(p for p, _ in b)
        ob = statistics.fmean(t for _, t in b)
        ece += len(b) / total * abs(mp - ob)
        out.append(f"| {i / 5:.1f}-{(i + 1) / 5:.1f} | {len(b)} | {mp:.2f} | {ob:.2f} |")
    brier = statistics.fmean((p - t) ** 2 for _, p, t in pairs) if pairs else 0.0
    out.append("")
    out.append(
        f"Expected calibration error {ece:.3f}, Brier score {brier:.3f} "
        f"({total} key point judgements)."
    )
    return out


def speed() -> list[str]:
    """Grading time of new 600-word answers (cold caches) and the model's load time."""
    card = biggest_failure_card()
    answers = load([CORPUS])
    texts, current = [], []
    for a in answers:
        current.append(a.text)
        if sum(len(t.split()) for t in current) >= 600:
            texts.append(" ".join(" ".join(current).split()[:600]))
            current = []
        if len(texts) == 60:
            break
    grade_answer(card, texts[0])
    times = []
    from failtui.grading import clauses as clauses_module
    from failtui.grading import features

    for text in texts[1:]:
        clauses_module.make_clause.cache_clear()
        features.clause_features.cache_clear()
        load_model()._rows.clear()
        started = time.perf_counter()
        grade_answer(card, text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    # The grader's modules are imported when grading starts; the model (numpy and model.npz)
    # loads on the first grade: that is what is timed.
    code = (
        "import time, failtui.grading.model as m; t = time.perf_counter(); m.load_model(); "
        "print((time.perf_counter() - t) * 1000)"
    )
    loads = sorted(
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    )
    size = (Path(__file__).parents[1] / "src" / "failtui" / "grading" / "model.npz").stat().st_size
    return [
        "- Grading a new 600-word answer (caches cleared): median "
        f"{statistics.median(times):.2f} ms, "
        f"p95 {p95:.2f} ms over {len(times)} answers (the benchmark harness's `grading` row is the "
        "reference figure).",
        "- Loading the model on the first grade (numpy's import and model.npz), in a fresh "
        f"process: median {statistics.median(loads):.0f} ms over 5 runs (the budget is 100 ms).",
        f"- `model.npz`: {size / 1e6:.2f} MB.",
    ]


def seeds() -> list[str]:
    card = biggest_failure_card()
    out = ["| seed | rating | red flags | key points covered |", "|---|---|---|---|"]
    for seed in json.loads(SEEDS.read_text(encoding="utf-8")):
        g = grade_answer(card, seed["text"])
        kps = ", ".join(k.id for k in g.key_points if k.covered)
        flags = ", ".join(r.id for r in g.red_flags) or "none"
        out.append(f"| {seed['source']} | {g.suggested_rating} | {flags} | {kps} |")
    return out


def external_agreement(what: str, external: list[Answer], second_all: list[Answer]) -> list[str]:
    """The second labelling of an external set's answers (``what``) scored like a grader against
    the first: how far two labellers agree on answers the model never saw."""
    first = {a.id: a for a in external}
    second = [a for a in second_all if a.id in first]
    if not second:
        return []
    tally = Tally()
    for b in second:
        a = first[b.id]
        tally.add(a.key_points | a.red_flags, b.key_points | b.red_flags)
        tally.answers += 1
        tally.verdict_ok += a.verdict == b.verdict
    h = tally.headline()
    return [
        f"{what} ({len(second)}), labelled again by a second labeller who never "
        f"saw the first labels, scored against the first: key-point F1 {h['kp_f1']:.3f}, "
        f"verdict {h['verdict']:.3f}, red-flag recall {h['rf_recall']:.3f}, precision "
        f"{h['rf_precision']:.3f}.",
        "",
    ]


def agreement(
    corpus: list[Answer],
    external2: list[Answer],
    external3: list[Answer],
    external4: Sequence[Answer] = (),
    two_flags: Sequence[Answer] = (),
    flag_paraphrases: Sequence[Answer] = (),
    check_in_passing: Sequence[Answer] = (),
    passing: Sequence[Answer] = (),
    typed: Sequence[Answer] = (),
    work_or_life: Sequence[Answer] = (),
    short: Sequence[Answer] = (),
    short_check: Sequence[Answer] = (),
    grave: Sequence[Answer] = (),
    external5: Sequence[Answer] = (),
    external6: Sequence[Answer] = (),
) -> list[str]:
    """Agreement per label between the corpus labels and an independent second labelling."""
    if not SECOND.exists():
        return ["No second labelling yet."]
    second_all = load([SECOND])
    first = {a.id: a for a in corpus}
    second = [a for a in second_all if a.id in first]
    out = external_agreement("External 2's paraphrases", external2, second_all)
    out += external_agreement(
        "External 3's paraphrases", [a for a in external3 if a.item["site"]], second_all
    )
    out += external_agreement(
        "External 3's hard cases", [a for a in external3 if not a.item["site"]], second_all
    )
    out += external_agreement(
        "External 4's paraphrases", [a for a in external4 if a.item["site"]], second_all
    )
    out += external_agreement("A sample of the answers with two red flags", two_flags, second_all)
    out += external_agreement(
        "A sample of the paraphrases for the red flags only", flag_paraphrases, second_all
    )
    out += external_agreement(
        "The check set of red flags said in passing", check_in_passing, second_all
    )
    out += external_agreement(
        "A sample of passing/'s answers by w80-w98 (8 per writer)", passing, second_all
    )
    out += external_agreement("A sample of typed/ (12 per writer)", typed, second_all)
    out += external_agreement("A sample of work_or_life/ (8 per writer)", work_or_life, second_all)
    out += external_agreement("A sample of short/ (8 per writer)", short, second_all)
    out += external_agreement("The check set of short answers", short_check, second_all)
    out += external_agreement("A sample of grave/ (26 of w103's)", grave, second_all)
    out += external_agreement("External 5", external5, second_all)
    out += external_agreement("External 6", external6, second_all)
    out += [
        f"{len(second)} answers of the corpus labelled twice, independently.",
        "",
        "| label | agreement | Cohen's kappa | positives (first / second) |",
        "|---|---|---|---|",
    ]
    for lab in [*LABELS, "verdict"]:
        pairs = []
        for b in second:
            a = first[b.id]
            if lab == "verdict":
                pairs.append((a.verdict == "good", b.verdict == "good"))
            else:
                pairs.append((lab in a.key_points | a.red_flags, lab in b.key_points | b.red_flags))
        n = len(pairs)
        agree = sum(x == y for x, y in pairs) / n
        pa, pb = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
        chance = pa * pb + (1 - pa) * (1 - pb)
        kappa = (agree - chance) / (1 - chance) if chance < 1 else 1.0
        out.append(
            f"| `{lab}` | {agree:.2f} | {kappa:.2f} | {sum(x for x, _ in pairs)} / "
            f"{sum(y for _, y in pairs)} |"
        )
    return out


def writers(answers: Sequence[Answer]) -> int:
    """How many writers wrote ``answers`` (an answer's id starts with its writer's)."""
    return len({a.id.split("-")[0] for a in answers})


def flags_found(check: Sequence[Answer], new) -> list[str]:
    """A table: per red flag of a check set, the answers that have it, how many of them the new
    grader finds, and where it raises the flag wrongly."""
    out = [
        "| red flag | answers | found by the new grader | raised where not labelled |",
        "|---|---|---|---|",
    ]
    raised = {a.id: {f.id for f in new(a.text).red_flags} for a in check}
    for flag in RED_FLAGS:
        having = [a for a in check if flag in a.red_flags]
        found = sum(flag in raised[a.id] for a in having)
        false = sum(flag in raised[a.id] for a in check if flag not in a.red_flags)
        if having or false:
            out.append(f"| `{flag}` | {len(having)} | {found} | {false} |")
    return out


def in_passing(check: Sequence[Answer], passing: Sequence[Answer], new, old) -> list[str]:
    """Red flags said in passing: the check set and the dev and test parts of the other
    writers' answers of the same kind (headline, and each flag found on the check set)."""
    if not check:
        return ["No check set of red flags said in passing yet."]
    parts = {n: [a for a in passing if split_of(a) == n] for n in ("train", "dev", "test")}
    out = [
        f"{len(check)} answers by a writer who saw only the labelling guide and the file format",
        "(training/in_passing/, the check set, labelled twice): strong answers (a setting, an",
        "owned mistake, its cost, a repair, a lesson) with one red flag said in one sentence or",
        f"clause, and controls where flag-like words are harmless. Beside it, {len(passing):,}",
        f"answers of the same kind by {writers(passing)} more writers (training/passing/), split",
        f"by story like the corpus: the {len(parts['train'])} of the training part teach the red",
        "flags (the sentence that says one, its context, and the answer), and the dev and test",
        "parts below were never trained on. The model never saw the check set, and nothing was",
        'tuned on it (training/README.md, "Sixteenth round" to "Eighteenth round").',
        "",
        *headline_table(
            {
                "new, check set": measure(check, new),
                "old grader, check set": measure(check, old),
                "new, passing/ dev": measure(parts["dev"], new),
                "old grader, passing/ dev": measure(parts["dev"], old),
                "new, passing/ test": measure(parts["test"], new),
                "old grader, passing/ test": measure(parts["test"], old),
            }
        ),
        "",
        "On the check set:",
        "",
        *flags_found(check, new),
    ]
    return out


def short_answers(check: Sequence[Answer], short: Sequence[Answer], new, old) -> list[str]:
    """Short answers as users type them: the check set, and each flag found on it."""
    if not check:
        return ["No check set of short answers yet."]
    out = [
        f"{len(check)} answers of one to four sentences by a writer who role-played as many job",
        "seekers typing their own answer, and saw only the labelling guide and the file format",
        "(training/short_check/, labelled twice). Many name no workplace and no job. The model",
        f"never saw them, and nothing was tuned on them; the {len(short)} short answers of",
        "training/short/, by four other writers, teach the red flags at every stage",
        '(training/README.md, "Nineteenth round").',
        "",
        *headline_table(
            {
                "new, short check set": measure(check, new),
                "old grader, short check set": measure(check, old),
            }
        ),
        "",
        *flags_found(check, new),
    ]
    return out


def tipset_tallies() -> dict[str, Tally]:
    """Per split (dev, test), the key points of answers to the built-in tip and pitfall cards
    counted against their labels (empty when there is no set)."""
    path = TIPSETS / "answers.jsonl"
    if not path.exists():
        return {}
    catalog = load_catalog(None)
    by_split: dict[str, Tally] = {"dev": Tally(), "test": Tally()}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        card = catalog.find_card(item["card"], item["deck"])
        g = grade_answer(card, item["answer"])
        tally = by_split[item["split"]]
        tally.add(set(item["key_points"]), {k.id for k in g.key_points if k.covered})
        tally.answers += 1
    return by_split


def tipsets() -> list[str]:
    """Key-point F1 on answers to the built-in tip and pitfall cards."""
    by_split = tipset_tallies()
    if not by_split:
        return ["No tip and pitfall set yet."]
    out = ["| split | answers | precision | recall | key-point F1 |", "|---|---|---|---|---|"]
    for name, t in by_split.items():
        labels = set(t.tp) | set(t.fp) | set(t.fn)
        p, r, f = t.prf(labels)
        out.append(f"| {name} | {t.answers} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return out


def corpus_counts(answers: list[Answer]) -> list[str]:
    flags = Counter(f for a in answers for f in a.red_flags)
    near = Counter(f for a in answers for f in a.item["near_miss"])
    fields = Counter(a.item["field"] for a in answers)
    styles = Counter(s for a in answers for s in a.item["style"])
    sites = {a.item["site"] for a in answers if a.item["site"]}
    paraphrases = sum(1 for a in answers if a.item["site"])
    words = sorted(sum(c.words for c in a.clauses) for a in answers)
    splits = Counter(split_of(a) for a in answers)
    return [
        f"- {len(answers)} answers ({sum(a.verdict == 'good' for a in answers)} good), "
        f"{len({a.item['story'] for a in answers})} stories, split train {splits['train']} / "
        f"dev {splits['dev']} / test {splits['test']} by story and site.",
        f"- Length: {words[0]} to {words[-1]} words, median {words[len(words) // 2]}.",
        f"- {len(fields)} fields of work; {paraphrases} paraphrases of answers published on "
        f"{len(sites)} sites.",
        "- Red flags: " + ", ".join(f"`{f}` {flags[f]}" for f in RED_FLAGS) + ".",
        "- Near misses (a red-flag word that does no harm): "
        + ", ".join(f"`{f}` {near[f]}" for f in RED_FLAGS if near[f])
        + f"; {sum(1 for a in answers if a.item['near_miss'])} answers.",
        "- Styles: " + ", ".join(f"{s} {n}" for s, n in styles.most_common(16)) + ".",
    ]


ABLATIONS = {
    "shipped model": {},
    "plus word stems (s:)": {"stems": True},
    "no answer words at the answer stage": {"bow": False},
    "no word pairs": {"drop": ("b:",)},
    "no shapes (#digit, #numword, #money, #percent, #neg, #len)": {"drop": ("#",)},
    "no negation marks (n:)": {"drop": ("n:",)},
    "no context stage": {"context": False},
    "red flags' answer stage without naive-Bayes scaling of its words": {"nb_gamma": 0.0},
    "no safeguard label (a remedy that lasts)": {"safeguard": False},
    "key points from the answer stage only (not also their best clause)": {
        "evidence_labels": frozenset()
    },
    "verdict reads every input (each label, the takeaway, the length)": {"verdict_inputs": None},
    "without the answers with two red flags (training/two_flags/)": {
        "flag_only": (FLAG_PARAPHRASES,)
    },
    "without the paraphrases for the red flags only (training/flag_paraphrases/)": {
        "flag_only": (TWO_FLAGS,)
    },
    "without the answers with a red flag said in passing (training/passing/)": {
        "flag_sentences": ()
    },
    "without the typed, work-or-life and short answers (training/typed/, work_or_life/, short/)": {
        "flag_sentences_all": (GRAVE,)
    },
    "without the answers of grave harm, near misses and non-answers (training/grave/, w103-w104)": {
        "flag_sentences_all": (TYPED, WORK_OR_LIFE, SHORT)
    },
}


@contextmanager
def stem_features(on: bool):
    """Clause features with or without word stems, for the ablation that adds them back."""
    from failtui.grading import features

    before = features.STEM_FEATURES
    features.STEM_FEATURES = on
    features._word_features.cache_clear()
    features.clause_features.cache_clear()
    try:
        yield
    finally:
        features.STEM_FEATURES = before
        features._word_features.cache_clear()
        features.clause_features.cache_clear()


def ablations(dev: list[Answer], test: list[Answer]) -> list[str]:
    from training import train

    out = [
        "| variant | dev KP F1 | dev verdict | dev RF R / P | test KP F1 | test verdict "
        "| test RF R / P |",
        "|---|---|---|---|---|---|---|",
    ]
    import numpy as np

    legacy = load_deck(HERE / "legacy" / "failure-question.toml").card("biggest-failure")
    cells = []
    for answers in (dev, test):
        h = measure(answers, lambda text: grade_answer(legacy, text)).headline()
        cells += [
            f"{h['kp_f1']:.3f}",
            f"{h['verdict']:.3f}",
            f"{h['rf_recall']:.2f} / {h['rf_precision']:.2f}",
        ]
    out.append(
        "| shipped model, plus the old built-in deck's hand-written cues | "
        + " | ".join(cells)
        + " |"
    )
    for name, options in ABLATIONS.items():
        options = dict(options)
        with stem_features(options.pop("stems", False)):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "model.npz"
                train.train([CORPUS], path, log=lambda *_: None, **options)
                with np.load(path, allow_pickle=False) as data:
                    model = Model({k: data[k] for k in data.files})
            cells = []
            for answers in (dev, test):
                h = measure(answers, new_grader(model)).headline()
                cells += [
                    f"{h['kp_f1']:.3f}",
                    f"{h['verdict']:.3f}",
                    f"{h['rf_recall']:.2f} / {h['rf_precision']:.2f}",
                ]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the ablations")
    parser.add_argument("--print", action="store_true", help="print the report, do not write it")
    args = parser.parse_args()
    answers = load([CORPUS])
    split = {n: [a for a in answers if split_of(a) == n] for n in ("train", "dev", "test")}
    external = load([EXTERNAL]) if EXTERNAL.exists() else []
    external2 = load([EXTERNAL2]) if EXTERNAL2.exists() else []
    external3 = load([EXTERNAL3]) if EXTERNAL3.exists() else []
    external4 = load([EXTERNAL4]) if EXTERNAL4.exists() else []
    external5 = load([EXTERNAL5]) if EXTERNAL5.exists() else []
    external6 = load([EXTERNAL6]) if EXTERNAL6.exists() else []
    two_flags = load([TWO_FLAGS]) if TWO_FLAGS.exists() else []
    check_in_passing = load([IN_PASSING]) if IN_PASSING.exists() else []
    passing = load([PASSING]) if PASSING.exists() else []
    flag_paraphrases = load([FLAG_PARAPHRASES]) if FLAG_PARAPHRASES.exists() else []
    typed = load([TYPED]) if TYPED.exists() else []
    short = load([SHORT]) if SHORT.exists() else []
    short_check = load([SHORT_CHECK]) if SHORT_CHECK.exists() else []
    work_or_life = load([WORK_OR_LIFE]) if WORK_OR_LIFE.exists() else []
    grave = load([GRAVE]) if GRAVE.exists() else []
    new, old = new_grader(), old_grader()
    # The sets every section of the report measures (the legacy ones are in the headline only).
    outside = ("external", "external 2", "external 3", "external 4", "external 5", "external 6")
    measured = ("dev", "test", *outside)
    sets = {
        "dev": split["dev"],
        "test": split["test"],
        "external": external,
        "external 2": external2,
        "external 3": external3,
        "external 4": external4,
        "external 5": external5,
        "external 6": external6,
    }
    # The nearest figure to a set of answers written outside the project: every external set.
    sets["external sets pooled"] = [a for n in outside for a in sets[n]]
    sets |= {name: load_legacy(path) for name, path in LEGACY_SETS.items()}
    new_t = {n: measure(a, new) for n, a in sets.items()}
    old_t = {n: measure(a, old) for n, a in sets.items()}
    lines = [
        "# Grader report",
        "",
        "Generated by `python training/evaluate.py` from the shipped model; do not edit by hand.",
        "The labels follow docs/labelling.md. Tuning used dev only; test and the external sets",
        "were measured, never tuned on. Each external set was written by writers who never saw",
        "the corpus, the model or the cues.",
        "",
        "## Corpus",
        "",
        *corpus_counts(answers),
        f"- External set: {len(external)} answers; external 2: {len(external2)} answers",
        "  (training/external2/: paraphrases of answers published on sites the corpus does not",
        "  use, and hard cases, by another writer; see training/README.md); external 3:",
        f"  {len(external3)} answers (training/external3/: the same two kinds, by four more",
        f"  writers); external 4: {len(external4)} answers (training/external4/: the same two",
        "  kinds, paraphrases of complete published answers, by four more writers); external 5:",
        f"  {len(external5)} hard cases (training/external5/, by a writer who role-played as many",
        f"  job seekers); external 6: {len(external6)} answers (training/external6/: by two",
        "  writers who saw nothing of the project, not even the labelling guide, one in the style",
        "  of career sites' example answers and one as job seekers type and speak; labelled twice",
        "  from the guide by labellers who saw neither the writers' intent nor the model).",
        f"- {len(two_flags)} answers written to show two or three red flags at once",
        "  (training/two_flags/), and "
        f"{len(flag_paraphrases)} paraphrases of published answers from sites no other set",
        "  uses (training/flag_paraphrases/): both teach the red flags' answer stage only and",
        "  are in no split.",
        f"- {len(passing):,} strong answers with one red flag said in passing, and controls",
        f"  (training/passing/, {writers(passing)} writers, split by story: the training part",
        "  teaches the red flags only, at every stage), and a check set of",
        f"  {len(check_in_passing)} such answers by another writer (training/in_passing/),",
        '  measured only (below, "Red flags said in passing").',
        f"- {len(typed)} answers written as typed fast in a terminal (training/typed/),",
        f"  {len(work_or_life)} about work that reads like personal life, or personal life told in",
        f"  work words (training/work_or_life/), {len(short)} short answers, many naming no",
        f"  workplace (training/short/), and {len(grave)} answers telling grave harm plainly, near",
        "  misses and texts that are not answers (training/grave/): in no split, all of them",
        "  teach the red flags only, at every stage. A check set of",
        f"  {len(short_check)} short answers by another writer",
        '  (training/short_check/) is measured only (below, "Short answers as users type them").',
        "",
        "## Headline figures",
        "",
        "Old dev and old held-out are the answer sets the hand-written grader was tuned and",
        "checked on (tests/data); the model never saw them.",
        "",
        "The bar: key-point micro-F1 >= 0.90, verdict accuracy >= 0.90, red-flag recall and",
        "precision >= 0.85 on test and external.",
        "",
        *headline_table(
            {f"new, {n}": t for n, t in new_t.items()}
            | {f"old grader, {n}": t for n, t in old_t.items()}
        ),
        "",
        "## Per label (new grader)",
        "",
        *label_table({n: new_t[n] for n in measured}),
        "",
        "## Red-flag thresholds",
        "",
        *red_flag_thresholds({n: sets[n] for n in measured}),
        "",
        "## Evidence and numbers",
        "",
    ]
    for n in ("dev", "test", "external"):
        t = new_t[n]
        lines.append(
            f"- {n}: the evidence of a correctly covered key point is a sentence labelled with "
            f"it in {t.evidence_ok}/{t.evidence_all} cases; the number named for `quantified` "
            f"matches the labelled damage number in {t.number_ok}/{t.number_all}."
        )
    lines += [
        "",
        "## Short and longer answers",
        "",
        f"Answers under {SHORT_ANSWER} words against the rest, on the same sets.",
        "",
        *headline_table(
            {
                f"{n}, {part}": measure(
                    [a for a in sets[n] if (len(a.text.split()) < SHORT_ANSWER) == short], new
                )
                for n in measured
                for part, short in ((f"under {SHORT_ANSWER} words", True), ("longer", False))
            }
        ),
    ]
    lines += [
        "",
        "## Answers with more than one red flag",
        "",
        "Answers labelled with two or more red flags, where the grader tends to name the",
        'strongest flag and miss the others (training/README.md, "Tenth round").',
        "",
        *headline_table(
            {
                f"{n}, several flags": measure([a for a in sets[n] if len(a.red_flags) > 1], new)
                for n in measured
            }
        ),
    ]
    lines += [
        "",
        "## Paraphrases of published answers",
        "",
        "Answers rewritten from answers published on career sites, blogs and forums (the corpus's",
        "paraphrases keep their site, and a site is on one side of the split only) against",
        "answers written for the project. The paraphrases of external 2, 3 and 4 come from sites",
        "the corpus does not use.",
        "",
        *headline_table(
            {
                f"{n}, {part}": measure([a for a in sets[n] if bool(a.item["site"]) == para], new)
                for n in ("dev", "test", "external 2", "external 3", "external 4")
                for part, para in (("paraphrases", True), ("written", False))
            }
        ),
        "",
        "The same two kinds in the external sets together, for the new grader and the",
        "hand-written one it replaced:",
        "",
        *headline_table(
            {
                f"{who}, external sets, {part}": measure(
                    [a for n in outside for a in sets[n] if bool(a.item["site"]) == para], grader
                )
                for who, grader in (("new", new), ("old grader", old))
                for part, para in (("paraphrases", True), ("written", False))
            }
        ),
        "",
        *by_kind_of_site(sets, outside, new),
        "",
        "## The issue's check set, seen through the old grader",
        "",
        *through_old_grader(
            held_out_groups(sets, outside, passing, check_in_passing, short_check), new, old
        ),
        "",
        "## Red flags said in passing",
        "",
        *in_passing(check_in_passing, passing, new, old),
        "",
        "## Short answers as users type them",
        "",
        *short_answers(short_check, short, new, old),
        "",
        "## One-off fixes and lasting safeguards",
        "",
        "Answers with an owned failure, its consequence and a remedy but no lesson and no later",
        "use, and no red flag: good when the remedy is a lasting safeguard, bad when it is a",
        "one-off repair. Verdict accuracy on them:",
        "",
        *remedy_only_table({n: sets[n] for n in measured}, new),
    ]
    pooled = new_t["test"].pairs + new_t["external"].pairs
    lines += [
        "",
        "## Calibration (test and external, key points)",
        "",
        *calibration([p for p in pooled if p[0] in KEY_POINTS]),
        "",
        "## The seeds' worked answers",
        "",
        *seeds(),
        "",
        "## Cards with their own key points (tip and pitfall cards)",
        "",
        *tipsets(),
        "",
        "## Agreement between two labellers",
        "",
        *agreement(
            answers,
            external2,
            external3,
            external4,
            two_flags,
            flag_paraphrases,
            check_in_passing,
            passing,
            typed,
            work_or_life,
            short,
            short_check,
            grave,
            external5,
            external6,
        ),
        "",
        "## Speed and size",
        "",
        *speed(),
        "",
    ]
    if not args.quick:
        lines += [
            "## Ablations",
            "",
            "Each variant is retrained with the same seed and corpus and measured on the "
            "same sets.",
            "",
            *ablations(split["dev"], split["test"]),
            "",
        ]
    text = "\n".join(lines)
    if args.print:
        print(text)
    else:
        REPORT.write_text(text, encoding="utf-8")
        print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
