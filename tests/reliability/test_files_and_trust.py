"""Files and trust (items 11-16 of the second reliability review): private files, foreign databases
never written, a data folder others could change refused, stale temporaries cleaned, CSV cells
defused for spreadsheets, and names cleaned before they reach the terminal."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failtui.cli import cli
from failtui.decks.exporters import defuse_formula, export_csv, restore_formula
from failtui.decks.importers import import_file
from failtui.decks.reader import load_deck
from failtui.storage import DatabaseError, open_db
from failtui.storage.backup import backup_if_due, backups_dir
from failtui.storage.db import APPLICATION_ID
from tests.conftest import SMALLEST_DECK
from tests.reliability.nasty import NASTY, scaled
from tests.reliability.test_backup_doctor import rate_one

FUZZ = settings(
    max_examples=scaled(200),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.lstat().st_mode) for p in folder.rglob("*")}


# -- item 11: every file with the user's text is private ---------------------------------------
@pytest.fixture
def usual_umask():
    """The usual umask: files 0644 and folders 0755 unless failtui says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_deck_backups_exports_and_deck_files_are_private(data_home, tmp_path, usual_umask):
    runner = CliRunner()
    source = tmp_path / "cards.csv"
    source.write_text("front,back\nQuestion one?,Answer one.\n")
    assert runner.invoke(cli, ["decks", "import", str(source), "--deck", "mine"]).exit_code == 0
    source.write_text("front,back\nQuestion one?,A new answer.\n")
    updated = runner.invoke(cli, ["decks", "import", str(source), "--deck", "mine"])
    assert updated.exit_code == 0 and "The deck as it was is in" in updated.output
    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt in ("toml", "csv", "anki"):
        out = exports / f"mine.{fmt}"
        result = runner.invoke(cli, ["decks", "export", "mine", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
    # Overwriting a file that was readable by all makes it private too.
    (exports / "old.csv").write_text("old")
    (exports / "old.csv").chmod(0o644)
    forced = runner.invoke(
        cli,
        ["decks", "export", "mine", "--format", "csv", "-o", str(exports / "old.csv"), "--force"],
    )
    assert forced.exit_code == 0, forced.output
    found = modes(data_home) | {f"exports/{k}": v for k, v in modes(exports).items()}
    assert "backups/decks" in found and "decks/mine.toml" in found
    assert any(name.startswith("backups/decks/mine.") for name in found)
    for name, mode in found.items():
        is_dir = (data_home / name).is_dir() if not name.startswith("exports/") else False
        assert mode == (0o700 if is_dir else 0o600), f"{name}: {oct(mode)}"


def test_an_export_never_writes_through_a_symlink(data_home, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("theirs")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    runner = CliRunner()
    refused = runner.invoke(cli, ["decks", "export", "failure-tips", "-o", str(link)])
    assert refused.exit_code == 1 and "the file exists" in refused.output
    forced = runner.invoke(cli, ["decks", "export", "failure-tips", "-o", str(link), "--force"])
    assert forced.exit_code == 0
    assert victim.read_text() == "theirs" and not link.is_symlink()


# -- item 12: a foreign SQLite file is never written -------------------------------------------
def other_programs_database(path: Path, journal: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.executemany("INSERT INTO moz_places (url) VALUES (?)", [(f"u{n}",) for n in range(50)])
    conn.commit()
    conn.close()


def marked_by_another_program(path: Path, journal: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("journal", ["delete", "wal"])
@pytest.mark.parametrize("make", [other_programs_database, marked_by_another_program])
@pytest.mark.parametrize("command", [["stats"], ["drill", "--plain"], ["doctor"], []], ids=" ".join)
def test_a_foreign_sqlite_file_is_refused_byte_for_byte(data_home, make, journal, command):
    data_home.mkdir(parents=True)
    path = data_home / "failtui.db"
    make(path, journal)
    before = digest(path)
    result = CliRunner().invoke(cli, command, input="")
    assert result.exit_code == 1, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("Error: ")]
    assert str(path) in line and "not a failtui database" in line
    assert digest(path) == before
    with pytest.raises(DatabaseError, match="not a failtui database"):
        open_db(path)
    assert digest(path) == before


def test_restore_refuses_a_foreign_database_that_passes_the_integrity_check(data_home, tmp_path):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    store.close()
    before = digest(data_home / "failtui.db")
    for make in (other_programs_database, marked_by_another_program):
        foreign = tmp_path / f"{make.__name__}.db"
        make(foreign, "delete")
        result = CliRunner().invoke(cli, ["doctor", "--restore", str(foreign)])
        assert result.exit_code == 1 and "not a failtui backup" in result.output
    assert digest(data_home / "failtui.db") == before


def test_failtui_databases_carry_the_application_id_old_ones_get_it(data_home, clock):
    data_home.mkdir(parents=True)
    path = data_home / "failtui.db"
    store = open_db(path)
    rate_one(store, clock)
    store.conn.execute("PRAGMA application_id = 0")  # as made before this change
    store.close()
    store = open_db(path)
    assert store.query("PRAGMA application_id")[0][0] == APPLICATION_ID
    backup = backup_if_due(store, backups_dir(data_home), clock())
    store.close()
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


# -- item 13: a data folder another user could change -------------------------------------------
@pytest.mark.parametrize("which", ["", "decks", "backups"])
@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o770, 0o722])
def test_a_data_folder_writable_by_others_is_refused(data_home, which, mode):
    for folder in (data_home, data_home / "decks", data_home / "backups"):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    (data_home / which).chmod(mode)
    runner = CliRunner()
    for command in (["stats"], ["drill", "--plain"], ["doctor", "--restore"], []):
        result = runner.invoke(cli, command, input="")
        assert result.exit_code == 1, (command, result.output)
        (line,) = [x for x in result.output.splitlines() if x.startswith("Error: ")]
        assert str(data_home / which).rstrip("/") in line and "other users may write" in line
        assert "chmod 700" in line
    assert not (data_home / "failtui.db").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another user")
def test_a_data_folder_of_another_user_is_refused(data_home):
    data_home.mkdir(parents=True, mode=0o700)
    os.chown(data_home, 65534, 65534)
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 1 and "belongs to another user (uid 65534)" in result.output
    assert not (data_home / "failtui.db").exists()


def test_temporary_and_lock_names_never_follow_a_symlink(data_home, tmp_path, clock):
    data_home.mkdir(parents=True)
    store = open_db(data_home / "failtui.db")
    rate_one(store, clock)
    store.close()
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    pid = os.getpid()
    for name in (
        "failtui.lock",
        f".deck-index.json.{pid}.tmp",
        ".failtui.db.restoring",
        f".failtui.db.aside-{pid}.tmp",
        f".failtui.db.restore-ready.{pid}.tmp",
    ):
        (data_home / name).symlink_to(victim)
    runner = CliRunner()
    store = open_db(data_home / "failtui.db")
    clock.advance(days=1)
    rate_one(store, clock)
    assert backup_if_due(store, backups_dir(data_home), clock()) is not None
    store.close()
    runner.invoke(cli, ["decks", "list"])
    result = runner.invoke(cli, ["doctor", "--restore"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "theirs", result.output


# -- item 14: leftovers of a killed write ------------------------------------------------------
def test_stale_temporaries_are_cleaned_at_start_and_fresh_ones_kept(data_home):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    (decks / "mine.toml").write_text(SMALLEST_DECK)
    stale = [decks / ".mine.toml.a1b2c3.tmp", data_home / ".deck-index.json.4242.tmp"]
    fresh = [decks / ".mine.toml.d4e5f6.tmp"]
    kept = [decks / "notes.tmp", decks / ".hidden.toml"]  # not failtui's temporaries
    for path in stale + fresh + kept:
        path.write_text("half written")
    hour_ago = time.time() - 3700
    for path in [*stale, *kept]:
        os.utime(path, (hour_ago, hour_ago))
    (data_home / ".failtui.db.restoring").write_bytes(b"half a database")
    result = CliRunner().invoke(cli, ["drill", "--plain"], input="")
    assert result.exit_code == 0, result.output
    assert [p.exists() for p in stale] == [False, False]
    assert all(p.exists() for p in fresh + kept)
    assert not (data_home / ".failtui.db.restoring").exists()


# -- item 15: formulas in CSV cells --------------------------------------------------------------
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tstarts with a tab",
    "'=already quoted",
    "''=twice",
    "'plain apostrophe",
    "=",
]


def test_exported_csv_cells_never_start_a_formula_and_import_back_exactly(data_home, tmp_path):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    cards = "".join(
        f'[[cards]]\nid = "c{n}"\nprompt = {toml(f)}\nanswer = {toml(f)}\n'
        f"tags = [{toml(f.strip() or 'x')}]\n\n"
        for n, f in enumerate(FORMULAS)
    )
    (decks / "f.toml").write_text('id = "f"\ntitle = "F"\n' + cards)
    deck = load_deck(decks / "f.toml")
    text = export_csv(deck.cards)
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    out = tmp_path / "f.csv"
    out.write_text(text)
    back = import_file(out, "f")
    assert not back.problems
    assert [(c.prompt, c.answer, c.tags) for c in back.cards] == [
        (c.prompt, c.answer, c.tags) for c in deck.cards
    ]


def toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


@given(st.text(st.sampled_from("=+-@'\t x1\"\n,"), max_size=8))
@FUZZ
def test_fuzz_defuse_and_restore_round_trip(cell):
    defused = defuse_formula(cell)
    assert not defused.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_formula(defused) == cell


# -- item 16: names printed to the terminal ----------------------------------------------------
ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u202eevil", "\x07bell", "a\nb"]


@pytest.mark.parametrize("escape", ESCAPES, ids=range(len(ESCAPES)))
def test_escape_sequences_in_names_never_reach_the_terminal(data_home, tmp_path, escape):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    name = f"x{escape}y.toml".replace("/", "")
    (decks / name).write_text("id = 'broken'\ntitle = [")
    outside = tmp_path / f"in{escape}put.csv"
    outside.write_text("front,back\n=1,\n,no front\n")  # row 3 is reported, with the name
    (tmp_path / f"ok{escape}.toml".replace("/", "")).write_text(SMALLEST_DECK)
    runner = CliRunner()
    outputs = [
        runner.invoke(cli, ["decks", "list"]),
        runner.invoke(cli, ["decks", "validate", str(decks / name)]),
        runner.invoke(
            cli, ["decks", "validate", str(tmp_path / f"ok{escape}.toml".replace("/", ""))]
        ),
        runner.invoke(cli, ["grade", "--card", f"c{escape}"], input="I learned"),
        runner.invoke(cli, ["grade", "--card", "x", "--deck", f"d{escape}"], input="x"),
        runner.invoke(cli, ["drill", "--plain", "--deck", f"d{escape}"], input=""),
        runner.invoke(cli, ["decks", "import", str(outside), "--deck", "mine"]),
        runner.invoke(cli, ["decks", "export", f"e{escape}"]),
        runner.invoke(cli, ["doctor", "--restore", f"b{escape}"]),
    ]
    assert "no front" not in outputs[6].output and ":3:" in outputs[6].output
    assert ": ok (1 card)" in outputs[2].output
    for result in outputs:
        assert escape not in result.output, result.output
        for char in ("\x1b", "\x9b", "\x07", "\u202e"):
            assert char not in result.output, (char, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_a_rating_line_echoed_back_is_clean(data_home, text):
    result = CliRunner().invoke(
        cli, ["drill", "--plain", "--limit", "1"], input=f"I learned.\n.\n{text}\nq\n"
    )
    assert "\x1b" not in result.output and "\x9b" not in result.output
