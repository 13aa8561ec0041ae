"""Deep nesting, special files, huge numbers, bad encodings and damaged pages: one `Error:` line,
exit 1, nothing lost, never a traceback or a hang (items 5, 6, 8 and 9 of the second review).

The fuzzing here is bounded like the rest: fixed example counts, derandomized, no deadline.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from failtui import cli as cli_module
from failtui import cli_common
from failtui.cli import cli
from failtui.decks.index import INDEX_FILE, INDEX_VERSION, LazyCatalog
from failtui.decks.reader import MAX_NESTING, DeckLoadError, load_deck, parse_deck
from failtui.storage import open_db, queries
from tests.conftest import SMALLEST_DECK
from tests.reliability.nasty import scaled
from tests.reliability.test_backup_doctor import rate_one

FUZZ = settings(
    max_examples=scaled(60),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def one_error_line(result, *needles: str) -> str:
    """The result is exit 1 with exactly one ``Error:`` line holding ``needles``; returns it."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    for needle in needles:
        assert needle in line, (needle, line)
    return line


# -- item 5: nesting ---------------------------------------------------------------------------
def nested(kind: str, depth: int) -> str:
    if kind == "array":
        return "[" * depth + "1" + "]" * depth
    if kind == "inline":
        return "{a = " * depth + "1" + "}" * depth
    return "[{a = " * depth + "1" + "}]" * depth  # both, alternating


NEST_PLACES = ["top", "card", "tags", "key_points", "cues"]


def deck_with_nesting(place: str, value: str) -> str:
    base = SMALLEST_DECK
    if place == "top":
        return f"junk = {value}\n" + base
    if place == "card":
        return base.replace('tags = ["mine"]', f'tags = ["mine"]\nextra = {value}')
    if place == "tags":
        return base.replace('tags = ["mine"]', f"tags = {value}")
    if place == "key_points":
        return base.replace("[[cards.key_points]]", f"key_points = {value}\n[[cards.other]]")
    return base.replace('cues = ["i learned"', f'cues = [{value}, "i learned"')


@pytest.mark.parametrize("kind", ["array", "inline", "mixed"])
@pytest.mark.parametrize("place", NEST_PLACES)
def test_deep_nesting_anywhere_in_a_deck_is_one_problem_and_the_rest_loads(data_home, kind, place):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    (decks / "deep.toml").write_text(deck_with_nesting(place, nested(kind, 600)))
    (decks / "mine.toml").write_text(SMALLEST_DECK.replace('"my-deck"', '"mine"'))
    runner = CliRunner()
    listed = runner.invoke(cli, ["decks", "list"])
    assert listed.exit_code == 0 and "Traceback" not in listed.output
    assert "mine" in listed.output
    (broken,) = [line for line in listed.output.splitlines() if line.startswith("BROKEN")]
    assert "deep.toml" in broken and "nested too deeply" in broken
    validated = runner.invoke(cli, ["decks", "validate", str(decks / "deep.toml")])
    assert validated.exit_code == 1 and "nested too deeply" in validated.output
    # Shallow enough for Python, deeper than a deck needs: the same one problem.
    (decks / "deep.toml").write_text(deck_with_nesting(place, nested(kind, MAX_NESTING + 1)))
    with pytest.raises(DeckLoadError, match="nested too deeply"):
        load_deck(decks / "deep.toml")
    graded = runner.invoke(cli, ["grade", "--card", "first", "--deck", "mine"], input="I learned")
    assert graded.exit_code == 0, graded.output


def test_the_deck_index_cache_nested_deep_is_ignored_and_written_again(data_home):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    (decks / "mine.toml").write_text(SMALLEST_DECK)
    cache = data_home / INDEX_FILE
    for poison in (
        "[" * 100_000 + "]" * 100_000,
        '{"version": 2, "files": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}",
    ):
        cache.write_text(poison)
        catalog = LazyCatalog(data_home)
        assert "my-deck" in catalog.card_ids_by_deck()
        assert json.loads(cache.read_text())["version"] == INDEX_VERSION


def test_settings_edited_by_hand_into_deep_nesting_fall_back_to_defaults(data_home):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    store.conn.execute(
        "INSERT INTO settings (key, value) VALUES ('backups_keep', ?)", ("[" * 100_000,)
    )
    assert queries.get_setting(store, "backups_keep", 10) == 10
    store.close()


@pytest.mark.parametrize("column", ["tags", "key_points", "red_flags"])
def test_deep_nesting_in_a_csv_cell_is_one_bad_row(tmp_path, data_home, column):
    header = "id,kind,prompt,answer,tags,key_points,red_flags"
    cells = {"tags": "", "key_points": "", "red_flags": ""}
    cells[column] = '"' + "[" * 5000 + "]" * 5000 + '"'
    bad = f"bad,question,Deep?,Yes.,{cells['tags']},{cells['key_points']},{cells['red_flags']}"
    csv_file = tmp_path / "deep.csv"
    csv_file.write_text(f"{header}\n{bad}\ngood,question,Fine?,Yes.,,,\n")
    result = CliRunner().invoke(cli, ["decks", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert f"{csv_file}:2:" in result.output and "nested too deeply" in result.output
    assert "Imported 1 card" in result.output


# -- item 6: a damaged page half-way -----------------------------------------------------------
USER_TABLES = ("reviews", "attempts", "attempt_items", "card_state", "drafts")


def damage_user_tables(path: Path, tables: tuple[str, ...] = USER_TABLES) -> None:
    """Overwrite the pages of the tables that hold reviews, attempts and schedules (and their
    indexes), or of ``tables``, leaving the schema and the migrations readable: open_db
    succeeds, and the first query that needs one of those pages fails half-way."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [
        row[0]
        for row in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE rootpage > 1 AND tbl_name IN "
            f"({', '.join('?' * len(tables))})",
            tables,
        )
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    for page in pages:
        start = (page - 1) * page_size
        data[start : start + page_size] = b"\xee" * page_size
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_home(data_home, clock):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    rate_one(store, clock)
    store.close()
    damage_user_tables(data_home / "failtui.db")
    return data_home


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["stats", "--json"],
        ["drill", "--plain"],
        ["drill", "--plain", "--deck", "failure-question"],
        ["doctor"],
    ],
    ids=" ".join,
)
def test_a_damaged_page_met_half_way_is_one_line(damaged_home, command):
    db = damaged_home / "failtui.db"
    before = db.read_bytes()
    result = CliRunner().invoke(cli, command, input="I learned.\n.\n3\n")
    line = one_error_line(result, str(db))
    assert "doctor" in line or "problems remain" in line
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [["reviews_per_day", "5"], ["--deck", "failure-tips", "reviews_per_day", "default"]],
    ids=" ".join,
)
def test_settings_refuse_a_damaged_database_and_write_nothing(damaged_home, args):
    # The settings table is sound, so only a check of the whole file finds the damage.
    db = damaged_home / "failtui.db"
    before = db.read_bytes()
    result = CliRunner().invoke(cli, ["settings", *args])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {db}: the database is damaged (database disk image is malformed). Nothing "
        "more was written. Run 'failtui doctor' to check it, then 'failtui doctor --restore' "
        "to put back the newest good backup.\n",
    )
    assert db.read_bytes() == before


def stored_settings(db: Path) -> list[tuple[str, str]]:
    """The rows of the settings table (its pages are sound in these tests)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    finally:
        conn.close()


async def test_the_settings_screen_refuses_a_damaged_database_and_saves_nothing(
    data_home, clock, app_factory
):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    rate_one(store, clock)
    store.close()
    db = data_home / "failtui.db"
    # Pages home never reads: the app opens, and saving the settings meets the damage.
    damage_user_tables(db, ("attempts", "attempt_items"))
    before = stored_settings(db)
    app = app_factory()

    async def change_and_save(pilot) -> None:
        await pilot.press("o")
        app.screen.query_one("#set-reviews_per_day", Input).value = "5"
        # Not pilot.press, which would wait for the screen that the error closes.
        app.simulate_key("ctrl+s")

    # Headless, as it runs for real: the error ends the app.
    await asyncio.wait_for(
        app.run_async(headless=True, size=(80, 24), auto_pilot=change_and_save), 30
    )
    assert app.return_code == 1
    assert app.fatal_message == (
        f"{db}: the database is damaged (database disk image is malformed). Run 'failtui "
        "doctor' to check it, then 'failtui doctor --restore' to put back the newest good "
        "backup."
    )
    assert stored_settings(db) == before


async def test_the_app_on_a_damaged_page_exits_1_with_one_line(damaged_home, app_factory):
    app = app_factory()
    # Headless, as it runs for real: the error comes while the first screen is built.
    await asyncio.wait_for(app.run_async(headless=True, size=(100, 30)), 30)
    assert app.return_code == 1
    assert str(damaged_home / "failtui.db") in app.fatal_message
    assert "failtui doctor --restore" in app.fatal_message


# -- item 8: special files ---------------------------------------------------------------------
def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.toml"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    return {
        "dev-zero": Path("/dev/zero"),
        "dev-urandom": Path("/dev/urandom"),
        "fifo": fifo,
        "socket": sock_path,
        "symlink-loop": loop,
        "folder": folder,
        "link-to-zero": _link(tmp_path / "zero.toml", "/dev/zero"),
        "missing": tmp_path / "missing.toml",
    }


def _link(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


def run_bounded(args: list[str], seconds: float = 20) -> subprocess.CompletedProcess:
    """Run failtui in a child with a memory cap: a hang or an endless read fails the test."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))

    return subprocess.run(
        [sys.executable, "-m", "failtui", *args],
        capture_output=True,
        text=True,
        timeout=seconds,
        input="",
        preexec_fn=cap,
        env=os.environ | {"PYTHONHASHSEED": "0"},
    )


@pytest.mark.slow
def test_special_files_are_refused_at_once_with_one_line(tmp_path):
    files = special_files(tmp_path)
    held = 0
    for name, path in files.items():
        for args in (
            ["decks", "validate", str(path)],
            ["decks", "import", str(path), "--deck", "imported"],
            ["grade", "--card", "biggest-failure", str(path)],
        ):
            result = run_bounded(args)
            # 2: click's own usage error for a folder given as a file; one line all the same.
            assert result.returncode in (1, 2), (name, args, result.stdout, result.stderr)
            out = result.stdout + result.stderr
            assert len([x for x in out.splitlines() if str(path) in x]) == 1, (name, args, out)
            assert "Traceback" not in out, (name, args, out)
            assert str(path) in out, (name, args, out)
            held += 1
    assert held == 3 * len(files)


def test_a_fifo_or_device_in_the_decks_folder_never_blocks_the_app_or_commands(data_home):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    os.mkfifo(decks / "fifo.toml")
    (decks / "zero.toml").symlink_to("/dev/zero")
    (decks / "mine.toml").write_text(SMALLEST_DECK)
    result = run_bounded(["decks", "list"])
    assert result.returncode == 0 and "my-deck" in result.stdout, result.stderr


def test_standard_input_to_grade_is_read_with_a_limit(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text("I learned a lot. " * 40_000)  # 680,000 characters: over the limit
    with huge.open() as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "failtui", "grade", "--card", "biggest-failure", "-"],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "limit" in result.stderr and "standard input" in result.stderr


# -- item 9: huge numbers, long names, encodings, the clock ------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["stats", "--days", "1000000"],
        ["stats", "--days", str(10**12)],
        ["stats", "--days", str(10**400)],
        ["stats", "--days", "-1"],
        ["stats", "--days", "0"],
        ["drill", "--plain", "--limit", str(10**30)],
        ["drill", "--plain", "--limit", "-5"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_out_of_range_numbers_are_refused_by_name(data_home, args):
    result = CliRunner().invoke(cli, args, input="")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and args[-2] in result.output


@given(st.integers(min_value=-(10**30), max_value=10**30))
@FUZZ
def test_any_days_number_is_a_figure_or_a_usage_error(data_home, days):
    result = CliRunner().invoke(cli, ["stats", "--json", "--days", str(days)])
    if 1 <= days <= cli_module.MAX_DAYS:
        assert result.exit_code == 0, result.output
        json.loads(result.output)
    else:
        assert result.exit_code == 2 and "--days" in result.output


@pytest.mark.parametrize(
    "name",
    [
        "x" * 5000,
        "a/" * 3000,
        "../" * 50 + "etc/passwd",
        "\x1b]0;pwned\x07failtui-x.db",
        "failtui-\udcff.db",
        "~nosuchuser/x.db",
        "",
    ],
    ids=["5000-chars", "deep-path", "dot-dot", "escape", "surrogate", "tilde-user", "empty"],
)
def test_restore_names_of_every_shape_are_one_line(data_home, name):
    data_home.mkdir(parents=True)
    result = CliRunner().invoke(cli, ["doctor", "--restore", name])
    line = one_error_line(result)
    assert "no backup" in line or "not a usable backup" in line
    assert "\x1b" not in line and len(line) < 600


@pytest.mark.parametrize(
    ("raw", "line_number", "draft"),
    [
        (b"I learned \xff\xfe a lot.\n.\n3\n", 1, None),
        (b"\xc3\x28\n.\n", 1, None),
        (b"ok\n\xed\xa0\x80\n.\n", 2, "ok"),
        (b"First line.\nSecond line.\nThird \xff line.\n.\n", 3, "First line.\nSecond line."),
    ],
    ids=["bad-bytes", "bad-start", "surrogate-bytes", "third-line"],
)
def test_plain_drill_given_bytes_that_are_not_utf8(data_home, raw, line_number, draft):
    result = subprocess.run(
        [sys.executable, "-m", "failtui", "drill", "--plain", "--limit", "1"],
        input=raw,
        capture_output=True,
        timeout=60,
    )
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("Error: ")]
    kept = "; the answer's lines before it are the card's draft" if draft else ""
    assert line == (
        f"Error: standard input, line {line_number}: not UTF-8 text; the drill stopped there "
        f"(ratings before are saved{kept})"
    )
    # The lines before the bad one are kept as the card's draft, not lost.
    store = open_db(data_home / "failtui.db")
    try:
        drafts = [row[0] for row in store.query("SELECT text FROM drafts")]
    finally:
        store.close()
    assert drafts == ([draft] if draft else [])


def test_plain_drill_with_an_ascii_terminal_prints_escapes_not_tracebacks(data_home):
    result = subprocess.run(
        [sys.executable, "-m", "failtui", "drill", "--plain", "--limit", "1"],
        input="I learned 漢字 and 🔥.\n.\n3\n".encode(),
        capture_output=True,
        timeout=60,
        env=os.environ | {"PYTHONIOENCODING": "ascii", "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"Rated" in result.stdout


@pytest.mark.parametrize("command", [["stats"], ["drill", "--plain"], ["doctor"], []], ids=str)
def test_a_clock_in_the_year_9999_is_one_line(data_home, monkeypatch, command):
    from datetime import UTC, datetime

    monkeypatch.setattr(cli_common, "system_now", lambda: datetime(9999, 12, 31, tzinfo=UTC))
    result = CliRunner().invoke(cli, command, input="")
    one_error_line(result, "9999-12-31", "clock")
    assert not (data_home / "failtui.db").exists()  # nothing was written


# -- fuzzing: nesting, numbers and encodings in deck text --------------------------------------
hostile_values = st.one_of(
    st.tuples(st.sampled_from(["array", "inline", "mixed"]), st.integers(1, 2000)).map(
        lambda kind_depth: nested(*kind_depth)
    ),
    st.integers(-(10**40), 10**40).map(str),
    st.sampled_from(["inf", "-inf", "nan", "1e400", "0x7fffffffffffffff", "1979-05-27"]),
)


@given(st.sampled_from(NEST_PLACES), hostile_values)
@FUZZ
def test_fuzz_nesting_and_numbers_anywhere_in_a_deck(place, value):
    text = deck_with_nesting(place, value)
    try:
        deck = parse_deck(text, Path("fuzz.toml"))
    except DeckLoadError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.toml")
    else:
        assert deck.cards


@given(
    st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "shift_jis"]),
    st.text(st.characters(min_codepoint=0x80, max_codepoint=0x2FFF), min_size=1, max_size=20),
)
@FUZZ
def test_fuzz_deck_files_in_other_encodings(tmp_path_factory, encoding, word):
    text = SMALLEST_DECK.replace("My deck", word)
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return
    path = tmp_path_factory.mktemp("enc") / "deck.toml"
    path.write_bytes(raw)
    try:
        deck = load_deck(path)
    except DeckLoadError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    else:
        assert deck.title  # only when the bytes happen to be UTF-8 as well


def test_threads_do_not_share_a_recursion_budget_with_the_parser(tmp_path):
    """The app parses decks in a thread: deep nesting there is the same one problem."""
    path = tmp_path / "deep.toml"
    path.write_text(deck_with_nesting("top", nested("array", 5000)))
    outcome = []

    def parse() -> None:
        try:
            load_deck(path)
        except DeckLoadError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=parse)
    thread.start()
    thread.join()
    assert len(outcome) == 1 and "nested too deeply" in outcome[0]


# -- fuzzing: CSV cells, standard input bytes, huge weights -----------------------------------
csv_cells = st.one_of(
    st.tuples(st.integers(1, 3000), st.sampled_from(["[", '{"a":'])).map(
        lambda depth_open: (
            depth_open[1] * depth_open[0]
            + ("1" if depth_open[1] != "[" else "")
            + ("]" if depth_open[1] == "[" else "}") * depth_open[0]
        )
    ),
    st.integers(-(10**400), 10**400).map(
        lambda n: json.dumps([{"id": "k", "label": "K", "cues": ["x"], "weight": n}])
    ),
    st.sampled_from(["1e999", "-0", "NaN", "[1e309]", '["\\ud800"]', "=1+1", "'=x"]),
    st.text(max_size=20),
)


@given(st.lists(st.tuples(csv_cells, csv_cells, csv_cells), min_size=1, max_size=4))
@FUZZ
def test_fuzz_csv_cells_nested_huge_and_odd_are_bad_rows_never_a_traceback(tmp_path_factory, rows):
    from failtui.decks.importers import ImportFailed, import_file

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "kind", "prompt", "answer", "tags", "key_points", "red_flags"])
    for n, (tags, key_points, red_flags) in enumerate(rows):
        writer.writerow(
            [f"c{n}", "question", f"Prompt {n}?", "Answer.", tags, key_points, red_flags]
        )
    path = tmp_path_factory.mktemp("csv") / "cards.csv"
    path.write_text(buffer.getvalue())
    try:
        result = import_file(path, "fuzz")
    except ImportFailed as exc:
        assert "\n" not in str(exc)
        return
    assert len(result.cards) + len(result.problems) == len(rows)
    for problem in result.problems:
        assert "\n" not in str(problem) and str(problem).startswith(str(path))
    for card in result.cards:
        assert all(0 < kp.weight <= 1000 for kp in card.key_points)


@given(st.binary(max_size=200))
@FUZZ
def test_fuzz_plain_drill_standard_input_bytes(data_home, raw):
    result = CliRunner().invoke(cli, ["drill", "--plain", "--limit", "2"], input=raw + b"\n.\n")
    assert result.exit_code in (0, 1), (raw, result.output, result.exception)
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    if result.exit_code:
        assert len(errors) == 1 and "standard input, line" in errors[0], result.output


@pytest.mark.parametrize(
    "weight", ["1e308", "1001", "1.7976931348623157e308", "1e999", "1" + "0" * 400, "-" + "9" * 400]
)
def test_a_huge_weight_is_one_problem(tmp_path, weight):
    path = tmp_path / "heavy.toml"
    path.write_text(
        SMALLEST_DECK.replace('label = "What you learned"', f"weight = {weight}\nlabel = 'L'")
    )
    with pytest.raises(DeckLoadError, match="'weight' must be"):
        load_deck(path)


def test_plain_drill_on_endless_input_stops_and_keeps_the_answer_as_a_draft(data_home):
    from failtui.plain import MAX_BAD_RATINGS, MAX_READ_CHARS

    runner = CliRunner()
    endless = "y\n" * (MAX_READ_CHARS // 2 + 10)  # as `yes |` gives, cut off for the test
    result = runner.invoke(cli, ["drill", "--plain", "--limit", "1"], input=endless)
    line = one_error_line(result, "standard input, line 200001", "kept as the card's draft")
    assert f"past {MAX_READ_CHARS:,} characters" in line
    store = open_db(data_home / "failtui.db")
    (draft,) = [row[0] for row in store.query("SELECT text FROM drafts")]
    store.close()
    assert draft == "y\n" * (MAX_READ_CHARS // 2)  # the first 400,000 characters, whole
    bad = runner.invoke(
        cli, ["drill", "--plain", "--limit", "1"], input="I learned.\n.\n" + "x\n" * 1000
    )
    one_error_line(bad, f"{MAX_BAD_RATINGS} lines in a row that are not a rating")
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "failtui", "drill", "--plain", "--limit", "1"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the answer goes on past" in result.stderr
