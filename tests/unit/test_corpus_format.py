"""The training corpus's reader and checker (training/corpus_io.py, training/check_corpus.py)."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from training.check_corpus import main, problems
from training.corpus_io import (
    BORDERLINE,
    CORPUS,
    EXTERNAL,
    EXTERNAL2,
    EXTERNAL3,
    EXTERNAL4,
    EXTERNAL5,
    EXTERNAL6,
    FLAG_EDITS,
    FLAG_PARAPHRASES,
    GRAVE,
    HERE,
    IN_PASSING,
    PASSING,
    SECOND,
    SHORT,
    SHORT_CHECK,
    SITE_KINDS,
    TWO_FLAGS,
    TYPED,
    WORK_OR_LIFE,
    load,
    site_kinds,
    split_of,
)


def item(**changes) -> dict:
    base = {
        "id": "t-1",
        "story": "t-story",
        "field": "retail",
        "question": "What is your biggest failure?",
        "style": [],
        "source": "written",
        "site": None,
        "segments": [
            {"text": "I priced the whole sale rail wrong.", "labels": ["failure"]},
            {"text": "We lost two days of margin.", "labels": ["impact"]},
            {"text": "I re-ticketed it that night.", "labels": ["remedy"], "lasting": False},
            {
                "text": "Now I check a sample after every upload.",
                "labels": ["remedy"],
                "lasting": True,
            },
        ],
        "red_flags": [],
        "damage_number": None,
        "near_miss": [],
        "verdict": "good",
    }
    return base | changes


def test_a_lasting_remedy_is_the_internal_safeguard_label_and_a_one_off_is_not(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(item()) + "\n", encoding="utf-8")
    (answer,) = load([path])
    assert answer.clause_labels == [{"failure"}, {"impact"}, {"remedy"}, {"remedy", "safeguard"}]
    assert answer.internal == {"safeguard"}
    assert answer.key_points == {"failure", "impact", "remedy"}


def test_an_answer_without_a_lasting_remedy_has_no_safeguard(tmp_path):
    answer_item = item()
    answer_item["segments"][3]["lasting"] = False
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(answer_item) + "\n", encoding="utf-8")
    (answer,) = load([path])
    assert answer.internal == set()
    assert all("safeguard" not in labels for labels in answer.clause_labels)


def test_the_checker_accepts_lasting_on_a_remedy_only():
    assert problems(item()) == []
    wrong = item()
    wrong["segments"][0]["lasting"] = True
    not_bool = item()
    not_bool["segments"][2]["lasting"] = "yes"
    message = "lasting (true or false) belongs only on a remedy segment"
    assert problems(wrong) == [message]
    assert problems(not_bool) == [message]


def checked(files, capsys) -> list:
    """The answers of ``files``, after asserting the checker's exact report: no problem, and
    the red flags counted as the files hold them."""
    answers = load(files)
    flags: Counter[str] = Counter()
    for answer in answers:
        flags.update(answer.item["red_flags"])
    assert main([str(f) for f in files]) == 0
    assert capsys.readouterr().out == (
        f"{len(answers)} answers, 0 with problems; red flags: {dict(flags)}\n"
    )
    return answers


def test_the_shipped_corpus_passes_the_checker_and_a_tenth_of_it_is_labelled_twice(capsys):
    answers = checked(sorted(CORPUS.rglob("*.jsonl")), capsys)
    corpus = {a.id for a in answers}
    twice = {a.id for a in load([SECOND])} & corpus
    assert len(twice) * 10 >= len(corpus), (len(twice), len(corpus))


@pytest.mark.parametrize(
    "folder", [EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4], ids=lambda f: f.name
)
def test_each_external_set_passes_the_checker(folder, capsys):
    assert len(checked(sorted(folder.glob("*.jsonl")), capsys)) >= 150


def test_the_two_flag_answers_pass_the_checker_and_most_show_several_flags(capsys):
    answers = checked(sorted(TWO_FLAGS.glob("*.jsonl")), capsys)
    shape = Counter(min(len(a.red_flags), 2) for a in answers)
    assert (len(answers), shape[2], shape[1], shape[0]) == (480, 288, 96, 96)


def test_the_flag_paraphrases_pass_the_checker_with_their_counts(capsys):
    answers = checked(sorted(FLAG_PARAPHRASES.rglob("*.jsonl")), capsys)
    shape = Counter(min(len(a.red_flags), 2) for a in answers)
    assert (len(answers), shape[2], shape[1], shape[0]) == (877, 153, 369, 355)
    assert all(a.item["site"] and a.item["source"].startswith("http") for a in answers)


def test_the_unused_flag_edits_pass_the_checker_with_their_count(capsys):
    files = sorted(FLAG_EDITS.glob("*.jsonl"))
    assert [f.name for f in files] == sorted(f"e{n}.jsonl" for n in range(1, 16))
    assert len(checked(files, capsys)) == 720


def test_no_answer_id_is_in_two_sets():
    sets = (
        [load(sorted(CORPUS.rglob("*.jsonl"))), load([FLAG_PARAPHRASES])]
        + [
            load(sorted(folder.glob("*.jsonl")))
            for folder in (EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4, IN_PASSING, TWO_FLAGS)
        ]
        + [load([PASSING]), load([TYPED]), load([WORK_OR_LIFE]), load([SHORT])]
        + [load([SHORT_CHECK]), load([GRAVE]), load([BORDERLINE]), load([EXTERNAL5])]
        + [load([EXTERNAL6])]
    )
    ids = [a.id for answers in sets for a in answers]
    assert len(ids) == len(set(ids))


def hosts(answer) -> set[str]:
    """The site of a paraphrase and the host of its source's address, without "www."."""
    found = {urlparse(answer.item["source"]).netloc} if answer.item.get("site") else set()
    found.add(answer.item.get("site") or "")
    return {h.lower().removeprefix("www.") for h in found if h}


def word_4grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return set(zip(words, words[1:], words[2:], words[3:], strict=False))


def near_copies(mine, others, shared: int = 12) -> list[tuple[str, str]]:
    """Pairs (an answer of ``mine``, one of ``others``) sharing ``shared`` or more word 4-grams."""
    index: dict[tuple[str, ...], set[str]] = {}
    for a in others:
        for gram in word_4grams(a.text):
            index.setdefault(gram, set()).add(a.id)
    found = []
    for a in mine:
        counts = Counter(i for gram in word_4grams(a.text) for i in index.get(gram, ()))
        found += [(a.id, other) for other, n in counts.items() if n >= shared]
    return sorted(found)


def test_external_4_shares_no_site_story_or_near_copy_with_any_other_set():
    """Its paraphrases come from hosts no other set uses, and no answer is a retelling close
    enough to share a dozen word 4-grams with an answer of another set (the three found so
    were dropped: the same published answer copied on two sites)."""
    mine = load([EXTERNAL4])
    unused = [folder for folder in (HERE / "unused").iterdir() if folder.is_dir()]
    others = load([CORPUS, EXTERNAL, EXTERNAL2, EXTERNAL3, TWO_FLAGS, FLAG_PARAPHRASES, *unused])
    other_hosts = set().union(*(hosts(a) for a in others))
    mine_hosts = set().union(*(hosts(a) for a in mine))
    assert len(mine_hosts) >= 60
    assert mine_hosts.isdisjoint(other_hosts)
    assert {a.item["story"] for a in mine}.isdisjoint({a.item["story"] for a in others})
    assert near_copies(mine, others) == []
    assert Counter(bool(a.item["site"]) for a in mine) == {True: 77, False: 80}


def test_every_paraphrase_of_external_4_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([EXTERNAL4]) if a.item["site"]}
    second = {a.id: a.text for a in load([SECOND]) if a.id.startswith("x4")}
    assert len(first) == 77
    assert second == first


def test_every_answer_of_external_3_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load(sorted(EXTERNAL3.glob("*.jsonl")))}
    second = {a.id: a.text for a in load([SECOND]) if a.id in first}
    assert second == first


def test_the_in_passing_check_set_passes_the_checker_with_its_counts(capsys):
    answers = checked(sorted(IN_PASSING.glob("*.jsonl")), capsys)
    # 90 written; ip-028 dropped: a wedding photographer's lost card, told much as a two-flag
    # answer of the training side tells it (12 word 4-grams in common).
    assert len(answers) == 89
    assert all(len(a.red_flags) <= 1 for a in answers)
    assert Counter(f for a in answers for f in a.red_flags) == {
        "blame": 18,
        "catastrophic": 16,
        "humblebrag": 10,
        "negative": 8,
        "non-work": 4,
        "never-failed": 4,
    }
    assert sum(bool(a.item["near_miss"]) and not a.red_flags for a in answers) == 29


def test_the_passing_answers_pass_the_checker_with_their_counts(capsys):
    answers = checked(sorted(PASSING.rglob("*.jsonl")), capsys)
    # 200 a writer for w73-w79, 150 for w80-w86, 100 for w87-w98; dropped for sharing 12 or
    # more word 4-grams with an answer of another set (the same common story retold): w73-0106,
    # w78-0142 and w78-0153; w80-0022, w81-0025, w81-0107, w84-0118, w84-0124 and w85-0024;
    # w88-0018 and w91-0012; w93-0099, w95-0055, w97-0005 and w98-0023.
    assert Counter(a.id.split("-")[0] for a in answers) == {
        "w73": 199, "w74": 200, "w75": 200, "w76": 200, "w77": 200, "w78": 198, "w79": 200,
        "w80": 149, "w81": 148, "w82": 150, "w83": 150, "w84": 148, "w85": 149, "w86": 150,
        "w87": 100, "w88": 99, "w89": 100, "w90": 100, "w91": 99, "w92": 100,
        "w93": 99, "w94": 100, "w95": 99, "w96": 100, "w97": 99, "w98": 99,
    }  # fmt: skip
    assert all(len(a.red_flags) <= 1 for a in answers)
    assert Counter(f for a in answers for f in a.red_flags) == {
        "blame": 827, "catastrophic": 940, "humblebrag": 318, "negative": 174,
        "never-failed": 182, "non-work": 10,
    }  # fmt: skip
    assert sum(bool(a.item["near_miss"]) and not a.red_flags for a in answers) == 1184


@pytest.mark.parametrize("folder", [IN_PASSING, PASSING, TYPED, WORK_OR_LIFE], ids=lambda f: f.name)
def test_answers_with_a_flag_in_passing_share_no_story_or_near_copy_with_any_other_set(folder):
    """Their writers saw only the labelling guide and the format: no story of another set, and
    no answer close enough to share a dozen word 4-grams with one of another set."""
    unused = [f for f in (HERE / "unused").iterdir() if f.is_dir()]
    sets = [
        CORPUS, EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4, TWO_FLAGS, FLAG_PARAPHRASES,
        IN_PASSING, PASSING, TYPED, WORK_OR_LIFE, SHORT, SHORT_CHECK, *unused,
    ]  # fmt: skip
    mine = load([folder])
    others = load([f for f in sets if f != folder])
    assert {a.item["story"] for a in mine}.isdisjoint({a.item["story"] for a in others})
    assert near_copies(mine, others) == []


def test_every_answer_of_the_in_passing_check_set_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([IN_PASSING])}
    second = {a.id: a.text for a in load([SECOND]) if a.id.startswith("ip-")}
    assert len(first) == 89
    assert second == first


def test_a_sample_of_the_newer_passing_answers_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([PASSING])}
    second = {a.id: a.text for a in load([SECOND]) if a.id in first}
    # Eight answers of each writer from w80 on, drawn at random (training/README.md,
    # "Eighteenth round").
    assert Counter(i.split("-")[0] for i in second) == {f"w{n}": 8 for n in range(80, 99)}
    assert all(second[i] == first[i] for i in second)


UNUSED_PARAPHRASES = [HERE / "unused" / f"p{n}" for n in range(39, 63)]


def test_the_unused_paraphrases_pass_the_checker_with_their_counts(capsys):
    """Kept for a later model ("Tries in the eleventh round", "Nineteenth round")."""
    files = sorted(f for folder in UNUSED_PARAPHRASES for f in folder.glob("*.jsonl"))
    answers = checked(files, capsys)
    writers = Counter(a.id.split("-")[0] for a in answers)
    assert (len(answers), writers["p47"], writers["p51"], writers["p55"]) == (1339, 80, 41, 20)
    assert sum(bool(a.red_flags) for a in answers) == 869
    assert all(a.item["site"] and a.item["source"].startswith("http") for a in answers)


def test_the_unused_paraphrases_share_no_site_story_or_near_copy_with_any_other_set():
    """A later model may train on them: no host, story or near copy of theirs is in any set a
    model is trained or measured on, and no two of their stories are near copies."""
    mine = load(UNUSED_PARAPHRASES)
    others = load(
        [CORPUS, EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4, TWO_FLAGS, FLAG_PARAPHRASES,
         IN_PASSING, PASSING, TYPED, WORK_OR_LIFE, SHORT, SHORT_CHECK]
    )  # fmt: skip
    assert set().union(*(hosts(a) for a in mine)).isdisjoint(set().union(*map(hosts, others)))
    assert {a.item["story"] for a in mine}.isdisjoint({a.item["story"] for a in others})
    assert near_copies(mine, others) == []
    story = {a.id: a.item["story"] for a in mine}
    assert [(a, b) for a, b in near_copies(mine, mine) if story[a] != story[b]] == []


def test_a_sample_of_each_unused_paraphrase_writer_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load(UNUSED_PARAPHRASES)}
    second = {
        a.id: a.text
        for name in ("second-p39-p46.jsonl", "second-p47-p54.jsonl", "second-p55-p62.jsonl")
        for a in load([HERE / "unused" / name])
    }
    assert Counter(i.split("-")[0] for i in second) == (
        {f"p{n}": 12 for n in range(39, 47)} | {f"p{n}": 8 for n in range(47, 63)}
    )
    assert all(first[i] == text for i, text in second.items())


def test_the_typed_and_work_or_life_answers_pass_the_checker_with_their_counts(capsys):
    """The ninth and tenth rounds' answers, kept unused until the nineteenth round."""
    typed = checked(sorted(TYPED.rglob("*.jsonl")), capsys)
    assert Counter(a.id.split("-")[0] for a in typed) == {f"w{n}": 60 for n in range(57, 61)}
    assert sum(bool(a.red_flags) for a in typed) == 129
    life = checked(sorted(WORK_OR_LIFE.rglob("*.jsonl")), capsys)
    assert Counter(a.id.split("-")[0] for a in life) == {"w69": 60, "w70": 57, "w71": 59, "w72": 58}
    assert Counter("non-work" in a.red_flags for a in life) == {False: 172, True: 62}


@pytest.mark.parametrize(
    ("folder", "name", "per_writer"),
    [
        (TYPED, "typed-w57-w60.jsonl", 12),
        (WORK_OR_LIFE, "work-or-life-w69-w72.jsonl", 8),
        (SHORT, "short-w99-w102.jsonl", 8),
    ],
    ids=["typed", "work_or_life", "short"],
)
def test_a_sample_of_each_writer_is_labelled_twice_on_the_same_text(folder, name, per_writer):
    first = {a.id: a.text for a in load([folder])}
    second = {a.id: a.text for a in load([SECOND / name])}
    assert Counter(i.split("-")[0] for i in second) == dict.fromkeys(
        {i.split("-")[0] for i in first}, per_writer
    )
    assert all(first[i] == text for i, text in second.items())


def test_the_short_answers_and_their_check_set_pass_the_checker_with_their_counts(capsys):
    """Training's short answers (four writers) and the check set by a fifth."""
    short = checked(sorted(SHORT.rglob("*.jsonl")), capsys)
    assert Counter(a.id.split("-")[0] for a in short) == {f"w{n}": 100 for n in range(99, 103)}
    assert all(len(a.text.split()) <= 60 for a in short)
    assert sum("non-work" in a.red_flags for a in short) == 103
    check = checked(sorted(SHORT_CHECK.rglob("*.jsonl")), capsys)
    assert len(check) == 100 and all(a.id.startswith("sc1-") for a in check)
    assert sum("non-work" in a.red_flags for a in check) == 12


def test_every_answer_of_the_short_check_set_is_labelled_twice_on_the_same_text():
    first = {a.id: a.text for a in load([SHORT_CHECK])}
    second = {a.id: a.text for a in load([SECOND / "short-check.jsonl"])}
    assert second == first


def test_the_grave_and_borderline_answers_pass_the_checker_with_their_counts(capsys):
    """The twenty-second round's writers (training/README.md): w104 grave harm told in
    everyday words, w105 `trivial` and its line, w106 `blame` and its line. Dropped for sharing
    12 or more word 4-grams with an answer of another set: w104-0029, -0048, -0091, -0132,
    -0155 and -0183; w105-0117; w106-0079, -0086 and -0191."""
    answers = checked(sorted(GRAVE.rglob("*.jsonl")) + sorted(BORDERLINE.rglob("*.jsonl")), capsys)
    assert Counter(a.id.split("-")[0] for a in answers) == {
        "w103": 260, "w104": 194, "w105": 199, "w106": 197,
    }  # fmt: skip
    flags = {w: Counter(f for a in answers if a.id.startswith(w) for f in a.red_flags) for w in (
        "w104", "w105", "w106")}  # fmt: skip
    assert (flags["w104"]["catastrophic"], flags["w105"]["trivial"], flags["w106"]["blame"]) == (
        126, 100, 99,
    )  # fmt: skip


def test_the_newer_sets_share_no_story_or_near_copy_with_any_other_set():
    """w104-w106 and external 5 were written by writers who saw only the guide and the format,
    external 6 by writers who saw nothing of the project: no story of another set, and no answer
    sharing a dozen word 4-grams with one of another."""
    unused = [f for f in (HERE / "unused").iterdir() if f.is_dir() and f != BORDERLINE]
    every = [
        CORPUS, EXTERNAL, EXTERNAL2, EXTERNAL3, EXTERNAL4, EXTERNAL5, EXTERNAL6, TWO_FLAGS,
        FLAG_PARAPHRASES,
        IN_PASSING, PASSING, TYPED, WORK_OR_LIFE, SHORT, SHORT_CHECK, *unused,
        GRAVE / "w103", GRAVE / "w104", BORDERLINE / "w105", BORDERLINE / "w106",
    ]  # fmt: skip
    for folder in (GRAVE / "w104", BORDERLINE / "w105", BORDERLINE / "w106", EXTERNAL5, EXTERNAL6):
        mine = load([folder])
        others = load([f for f in every if f != folder])
        assert {a.item["story"] for a in mine}.isdisjoint({a.item["story"] for a in others})
        assert near_copies(mine, others) == [], folder


def test_external_5_passes_the_checker_and_every_answer_is_labelled_twice(capsys):
    answers = checked(sorted(EXTERNAL5.glob("*.jsonl")), capsys)
    # 80 written; x5b-020 and x5b-021 dropped as near copies of corpus answers.
    assert (len(answers), Counter(a.verdict for a in answers)) == (78, {"good": 40, "bad": 38})
    second = {a.id: a.text for a in load([SECOND]) if a.id.startswith("x5b-")}
    assert second == {a.id: a.text for a in answers}


def test_external_6_passes_the_checker_and_every_answer_is_labelled_twice(capsys):
    answers = checked(sorted(EXTERNAL6.glob("*.jsonl")), capsys)
    assert (len(answers), {a.id[:3] for a in answers}) == (120, {"x6a", "x6b"})
    second = {a.id: a.text for a in load([SECOND]) if a.id.startswith("x6")}
    assert second == {a.id: a.text for a in answers}
    # What each writer meant to put in, kept beside the labels (not a label).
    meant = (EXTERNAL6 / "writers-meant.tsv").read_text(encoding="utf-8").splitlines()
    assert meant[0] == "id\twriter_meant"
    assert [line.split("\t")[0] for line in meant[1:]] == [a.id for a in answers]


def test_every_measured_paraphrase_site_has_one_kind_and_no_other_site_is_listed():
    """The report's rows by kind of site cover every paraphrase of dev, test and external 2-4,
    and the list holds nothing else."""
    rows = [line.split("\t") for line in SITE_KINDS.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["host", "kind", "sure"]
    hosts = [row[0] for row in rows[1:]]
    assert len(hosts) == len(set(hosts))
    assert {(row[1], row[2]) for row in rows[1:]} <= {
        (kind, sure) for kind in ("career", "other") for sure in ("yes", "no")
    }
    corpus = load([CORPUS])
    measured = [a for a in corpus if split_of(a) in ("dev", "test")]
    measured += load([EXTERNAL2, EXTERNAL3, EXTERNAL4])
    assert set(hosts) == {a.item["site"] for a in measured if a.item["site"]}
    assert Counter(site_kinds().values()) == {"career": 109, "other": 534}


def test_the_unused_non_answers_pass_the_checker_and_are_labelled_with_nothing(capsys):
    answers = checked(sorted((HERE / "unused" / "non_answers").glob("*/*.jsonl")), capsys)
    assert len(answers) == 149
    assert {(a.verdict, frozenset(a.key_points), frozenset(a.red_flags)) for a in answers} == {
        ("bad", frozenset(), frozenset())
    }
    assert all(labels == set() for a in answers for labels in a.clause_labels)
