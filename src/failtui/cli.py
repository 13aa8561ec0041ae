"""The ``failtui`` command: a thin click layer over decks, grading, the session and the TUI."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from failtui import cli_common, locations
from failtui.cli_common import data_dir_error, data_dir_of, explain, home_option, open_store
from failtui.decks.formats import EXPORT_FORMATS, IMPORT_FORMATS
from failtui.safefiles import shown, write_private_file
from failtui.studyday import LATEST_SANE_CLOCK
from failtui.words import count

if TYPE_CHECKING:
    from collections.abc import Iterable

    from failtui.models import Card, DeckError

#: The most study days ``stats --days`` looks back over (a century).
MAX_DAYS = 36_500
#: The most cards ``drill --limit`` asks for.
MAX_LIMIT = 1_000_000


class FailtuiGroup(click.Group):
    """The ``failtui`` group: whatever goes wrong becomes one ``Error:`` line and exit 1.

    Commands turn the problems they expect into one-line errors themselves; this is the net
    under them, for a damaged database page met half-way through a query, a file that
    vanished, a name the file system refuses. Printed names are cleaned of escape sequences.
    """

    def invoke(self, ctx: click.Context):
        now = cli_common.system_now()
        if now >= LATEST_SANE_CLOCK:
            raise click.ClickException(
                f"the system clock says {now:%Y-%m-%d}; failtui cannot schedule reviews from "
                "then. Set the clock right and try again (nothing was changed)."
            )
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise  # the group's own help, printed as it is, on its many lines
        except click.ClickException as exc:
            # click declares ``message`` final; made inert, it is still the same message.
            exc.message = shown(exc.message)  # type: ignore[misc]
            raise
        except BrokenPipeError:
            # The reader went away (``failtui cards | head``): stop quietly, as other tools do.
            # Standard output is pointed at nothing, so the flush at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            error = explain(exc, lambda: data_dir_of(ctx))
            if error is None:
                raise
            raise error from None


@click.group(
    name="failtui",
    cls=FailtuiGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@home_option
@click.version_option(package_name="failtui")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Practise answering "What is your biggest failure?" in the terminal.

    Run without a command to open the app.
    """
    if ctx.invoked_subcommand is None:
        run_tui(data_dir_of(ctx))


def run_tui(
    data_dir: Path,
    *,
    deck_id: str | None = None,
    limit: int | None = None,
    start_drill: bool = False,
    new_anyway: bool = False,
    speak: bool = False,
) -> None:
    """Open the Textual app on a data dir (imported here so other commands start fast)."""
    from failtui.storage.db import DatabaseError

    try:
        from failtui.ui.app import make_app
    except ImportError as exc:  # pragma: no cover - only without the UI package
        raise click.ClickException(f"the app cannot start: {exc}") from None
    try:
        app = make_app(
            data_dir=data_dir,
            deck_id=deck_id,
            limit=limit,
            start_drill=start_drill,
            new_anyway=new_anyway,
            speak=speak,
            clock=cli_common.system_now,
        )
    except (DatabaseError, locations.UnsafeDataDir, OSError) as exc:
        raise data_dir_error(exc, data_dir) from None
    from failtui.app_runner import run_app

    run_app(app)


# -- grade -----------------------------------------------------------------------------------
@cli.command()
@click.option("--card", "card_id", required=True, help="Card id (deck-qualified with --deck).")
@click.option("--deck", "deck_id", help="Deck id, when the card id is in several decks.")
@click.option("--json", "as_json", is_flag=True, help="Print the grade as one JSON object.")
@click.argument("file", required=False, default="-", type=click.Path(allow_dash=True))
@home_option
@click.pass_context
def grade(ctx: click.Context, card_id: str, deck_id: str | None, as_json: bool, file: str) -> None:
    """Grade an answer read from FILE (or standard input) against a card."""
    from failtui.decks.catalog import CardLookupError, load_catalog
    from failtui.grading import grade_answer
    from failtui.safefiles import FileRefused, read_regular_file, read_stream
    from failtui.session import MAX_ANSWER_CHARS, AnswerTooLong, check_answer_length
    from failtui.textclean import is_empty_answer

    # UTF-8 takes at most 4 bytes a character: more bytes than this is surely over the limit.
    limit = MAX_ANSWER_CHARS * 4
    name = "standard input" if file == "-" else file
    try:
        if file == "-":
            raw = read_stream(sys.stdin.buffer, limit)
        else:
            raw = read_regular_file(Path(file), limit, "answer")
    except FileRefused as exc:
        size = f" (an answer may hold {MAX_ANSWER_CHARS:,} characters)" if exc.too_large else ""
        raise click.ClickException(f"{exc}{size}") from None
    try:
        answer = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise click.ClickException(
            f"{shown(name)}, line {line}: the answer is not UTF-8 text"
        ) from None
    catalog = load_catalog(data_dir_of(ctx))
    try:
        card = catalog.find_card(card_id, deck_id)
    except CardLookupError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        check_answer_length(answer)
    except AnswerTooLong as exc:
        raise click.ClickException(f"{shown(name)}: {exc}") from None
    if is_empty_answer(answer):
        raise click.ClickException(f"{shown(name)}: the answer is empty: there is nothing to grade")
    result = grade_answer(_with_personal_cues(data_dir_of(ctx), card), answer)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        from failtui.report import grade_report

        click.echo(grade_report(card, result))


def _with_personal_cues(data_dir: Path, card: Card) -> Card:
    """The card as the drill grades it: with the cues the user's corrections taught it. Without
    a database there are none; a database that cannot be read is said on standard error and
    the card is graded as written."""
    from failtui.corrections import with_personal_cues
    from failtui.storage import queries
    from failtui.storage.db import DatabaseError, open_db

    db_file = locations.db_path(data_dir)
    if not db_file.exists():
        return card
    try:
        store = open_db(db_file)
    except (DatabaseError, OSError) as exc:
        click.echo(f"warning: {shown(db_file)}: your personal cues were not read ({exc})", err=True)
        return card
    try:
        return with_personal_cues(card, queries.personal_cues(store, card.key))
    finally:
        store.close()


# -- decks -----------------------------------------------------------------------------------
@cli.group()
@home_option
def decks() -> None:
    """List and check deck files."""


@decks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@home_option
@click.pass_context
def decks_list(ctx: click.Context, as_json: bool) -> None:
    """List every deck, built-in and yours, and the files that failed to load."""
    from failtui.decks.catalog import load_catalog
    from failtui.textclean import one_line

    catalog = load_catalog(data_dir_of(ctx))
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "cards": len(d.cards),
            "source": "built-in" if d.builtin else "user",
            "path": str(d.path),
        }
        for d in catalog.decks
    ]
    builtin_dir = locations.builtin_decks_dir()
    errors = [
        {
            "id": e.path.stem,
            "title": None,
            "cards": 0,
            "source": "built-in" if e.path.parent == builtin_dir else "user",
            "path": str(e.path),
            "error": str(e),
        }
        for e in catalog.errors
    ]
    if as_json:
        click.echo(json.dumps(rows + errors, ensure_ascii=False, indent=2))
        return
    for row in rows:
        noun = "card " if row["cards"] == 1 else "cards"
        # A title written by hand may be any length or hold line breaks: one line here (the
        # JSON has it whole).
        title = one_line(str(row["title"]), 60)
        click.echo(f"{row['id']:<24} {row['cards']:>5} {noun}  {row['source']:<8}  {title}")
    for error in catalog.errors:
        click.echo(f"BROKEN  {error}")
    if not rows and not errors:
        click.echo("No decks found.")


@decks.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@home_option
@click.pass_context
def decks_validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check deck files; print one line per problem and exit 1 if there is any.

    A deck whose id another deck already has (built-in, or another of your files) is a
    problem too: of two decks with one id, failtui loads only the first. A key the format
    does not know, and that is no typo of a known one, is a "warning:" line: the deck still
    loads, and the exit status does not change.
    """
    from failtui.decks.catalog import load_catalog
    from failtui.decks.reader import DeckLoadError, load_deck

    problems = 0
    catalog = None
    for path in paths:
        warnings: list[DeckError] = []
        try:
            deck = load_deck(path, every_problem=True, warnings=warnings)
        except DeckLoadError as exc:
            for line in _problem_lines(exc.errors, warnings):
                click.echo(line)
            problems += len(exc.errors)
            continue
        for line in _problem_lines((), warnings):
            click.echo(line)
        if catalog is None:
            catalog = load_catalog(data_dir_of(ctx))
        other = _same_id_elsewhere(catalog, deck.id, path)
        if other is not None:
            click.echo(f"{shown(path)}:1: deck id '{deck.id}' is already used by {other}")
            problems += 1
            continue
        click.echo(f"{shown(path)}: ok ({count(len(deck.cards), 'card')})")
    if problems:
        sys.exit(1)


def _problem_lines(errors: Iterable[DeckError], warnings: Iterable[DeckError]) -> list[str]:
    """A deck file's errors and its "warning:" lines, in the order of the file's lines.

    A user reads them top to bottom beside the file, so a warning stands among the errors at
    its line; a problem of the whole file (no line) comes first. Problems of one line keep the
    order they were found in, errors before warnings.
    """
    found = [(error, shown(str(error))) for error in errors]
    found += [(warning, f"warning: {warning}") for warning in warnings]
    return [text for problem, text in sorted(found, key=lambda pair: pair[0].line or 0)]


def _same_id_elsewhere(catalog, deck_id: str, path: Path) -> str | None:
    """What else has this deck id (a built-in deck, or another of the user's files), or None."""
    from failtui.decks.catalog import duplicate_id_error

    here = path.resolve()
    for other in catalog.decks:
        if other.id == deck_id and other.builtin:
            return "a built-in deck"
        if other.id == deck_id and other.path is not None:
            if other.path.resolve() != here:
                return shown(other.path)
            # This file is the one that loads: another of its id is among the broken ones.
            for error in catalog.errors:
                if error == duplicate_id_error(error.path, deck_id, other.path):
                    return f"{shown(error.path)}, which does not load beside it"
    return None


@decks.command("path")
@home_option
@click.pass_context
def decks_path(ctx: click.Context) -> None:
    """Print the folder where your own deck files live."""
    click.echo(str(locations.user_decks_dir(data_dir_of(ctx))))


# -- decks: new, import, export (own decks) ---------------------------------------------------
def _user_deck_or_fail(catalog, deck_id: str):
    """The user deck with this id; a built-in or unknown id is a one-line error."""
    deck = catalog.deck(deck_id)
    if deck is None:
        known = ", ".join(d.id for d in catalog.decks) or "none"
        raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
    if deck.builtin:
        raise click.ClickException(
            f"deck '{deck_id}' is built-in and read-only; copy it to your decks in the app "
            "or import into a deck of your own with --deck"
        )
    return deck


@decks.command("new")
@click.argument("deck_id", metavar="ID")
@click.option("--title", help="The deck's title (default: the id).")
@home_option
@click.pass_context
def decks_new(ctx: click.Context, deck_id: str, title: str | None) -> None:
    """Create an empty deck of your own, decks/ID.toml in the data dir.

    The stories deck, my-stories, starts with the standard key points of the failure question,
    as when the app creates it for your first story.
    """
    from failtui.decks.catalog import load_catalog
    from failtui.decks.files import DeckWriteError
    from failtui.decks.story import create_user_deck
    from failtui.decks.writer import check_deck_id

    data_dir = data_dir_of(ctx)
    try:
        check_deck_id(deck_id)
    except DeckWriteError as exc:
        raise click.ClickException(str(exc)) from None
    if load_catalog(data_dir).deck(deck_id) is not None:
        raise click.ClickException(f"a deck with id '{deck_id}' already exists")
    try:
        locations.ensure_data_dir(data_dir)
        path = create_user_deck(locations.user_decks_dir(data_dir), deck_id, title or "")
    except (DeckWriteError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {path}")


def _progress_printer(path: Path):
    """A progress callback printing every tenth of a large file to standard error."""
    shown = {"tenth": 0}

    def progress(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if total >= 2000 and tenth > shown["tenth"]:
            shown["tenth"] = tenth
            click.echo(f"{path.name}: {done:,}/{total:,} lines read ({tenth * 10}%)", err=True)

    return progress


@decks.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--deck", "deck_id", help="Deck to import into (default: from the file name).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    help="The file's format (default: guessed from its name and first lines).",
)
@click.option("--strict", is_flag=True, help="Import nothing if any row is bad.")
@home_option
@click.pass_context
def decks_import(
    ctx: click.Context, file: Path, deck_id: str | None, fmt: str | None, strict: bool
) -> None:
    """Import cards from an Anki text export, a CSV file with a header, Markdown Q:/A: pairs, or
    a failtui deck file (the TOML that 'failtui decks export' writes).

    A failtui deck file becomes a new deck as it is (id, title, follow-ups and all), under its
    own id or --deck. A deck of its own id that exists already is left alone unless --deck
    names it: a shared file often keeps the id of the deck it was copied from. A row whose id,
    or whose front, matches a card already in the deck updates that card, in the fields the
    file carries only (kind, key points and red flags stay unless given); the deck file is
    first copied to backups/. Other rows are added. Bad rows are reported with their line; the
    rest is imported.
    """
    from failtui.decks.catalog import load_catalog
    from failtui.decks.exporters import deck_toml
    from failtui.decks.files import (
        DeckSource,
        DeckWriteError,
        backup_file,
        write_deck,
        write_new_deck_file,
    )
    from failtui.decks.ids import slugify
    from failtui.decks.importers import (
        ImportFailed,
        deck_file_text,
        import_cards,
        left_out,
        plan_import,
        read_import,
    )
    from failtui.decks.reader import DeckLoadError
    from failtui.decks.writer import apply_card_changes, check_deck_id, derived_title

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    try:
        source = read_import(file, fmt)
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from None
    file_deck_id = source.deck.id if source.deck is not None and not deck_id else None
    target = deck_id or file_deck_id or slugify(file.stem, limit=64) or "imported"
    existing = catalog.deck(target)
    if file_deck_id is not None and existing is not None and existing.builtin:
        raise click.ClickException(
            f"{shown(file)} holds the built-in deck '{target}', which is read-only; import it "
            "as a deck of your own with --deck ID"
        )
    if file_deck_id is not None and existing is not None:
        # Only the user says which of their decks a file's cards may replace cards of.
        raise click.ClickException(
            f"deck '{target}' exists: use --deck {target} to update its cards from this file, "
            "or --deck NEW-ID for a new deck"
        )
    try:
        check_deck_id(target)
        if existing is not None:
            _user_deck_or_fail(catalog, target)
        result = import_cards(
            source,
            target,
            progress=_progress_printer(file),
            existing=existing.cards if existing is not None else (),
        )
    except DeckWriteError as exc:
        # The id a deck file gives may be one no file of yours can be named after.
        if file_deck_id is None:
            raise click.ClickException(str(exc)) from None
        raise click.ClickException(
            f"{shown(file)}: {exc}; choose the deck to import into with --deck ID"
        ) from None
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from None
    for problem in result.problems:
        click.echo(f"{'error' if strict else 'warning'}: {problem}", err=True)
    # Keys of a deck file that failtui ignores: said as `decks validate` says them.
    for line in _problem_lines((), source.warnings):
        click.echo(line, err=True)
    if strict and result.problems:
        raise click.ClickException(
            f"{count(len(result.problems), 'bad row')}; nothing imported (--strict)"
        )
    if not result.cards:
        raise click.ClickException(f"{shown(file)}: no cards to import")
    plan = plan_import(existing, result)
    if len(plan.upserts) >= 2000:
        click.echo(f"Writing {count(len(plan.upserts), 'card', fmt='{:,}')}...", err=True)
    try:
        locations.ensure_data_dir(data_dir)
        if existing is None:
            if source.deck is not None:
                # A failtui deck file is kept whole: title, follow-ups, deck-level items.
                text = deck_file_text(source, target)
            else:
                # Made from the file name, so cut to fit the title limit rather than refused.
                title = derived_title(
                    file.stem.replace("_", " ").replace("-", " ").strip().capitalize() or target
                )
                text = deck_toml(target, title, f"Imported from {file.name}", plan.upserts)
            path = write_new_deck_file(locations.user_decks_dir(data_dir), text, target)
        else:
            assert existing.path is not None  # a user deck is read from its file
            path = existing.path
            deck_source = DeckSource.read(path)
            for line in left_out(source, existing, deck_source.text):
                click.echo(line, err=True)
            if plan.upserts:
                text = apply_card_changes(deck_source.text, path, upserts=plan.upserts)
                if plan.updated:
                    backup = backup_file(path, locations.deck_backups_dir(data_dir))
                    click.echo(f"The deck as it was is in {backup}", err=True)
                write_deck(deck_source, text)
    except DeckLoadError as exc:
        raise click.ClickException(str(exc.error)) from None
    except (DeckWriteError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    skipped = len(result.problems)
    if not plan.upserts:
        cards = len(result.cards)
        is_in = "is in '{}' already, as it is" if cards == 1 else "are in '{}' already, as they are"
        click.echo(
            f"Nothing to import: the {count(cards, 'card')} of {shown(file.name)} "
            + is_in.format(target)
            + (f" ({count(skipped, 'bad row')} skipped)" if skipped else "")
            + f": {path}"
        )
        return
    click.echo(
        f"Imported {len(result.cards)} card{'s' * (len(result.cards) != 1)} into '{target}' "
        f"({plan.added} new, {plan.updated} updated"
        + (f", {plan.unchanged} unchanged" if plan.unchanged else "")
        + (f", {skipped} bad row{'s' * (skipped != 1)} skipped" if skipped else "")
        + f"): {path}"
    )


@decks.command("export")
@click.argument("deck_id", metavar="ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="toml",
    show_default=True,
    help="toml: the deck file; csv: with a header row; anki: front, back, tags for Anki.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file instead of standard output ('-' is standard output).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@home_option
@click.pass_context
def decks_export(
    ctx: click.Context, deck_id: str, fmt: str, output: Path | None, force: bool
) -> None:
    """Export a deck (built-in or yours) to standard output or a file."""
    from failtui.decks.catalog import load_catalog
    from failtui.decks.exporters import export_deck

    catalog = load_catalog(data_dir_of(ctx))
    deck = catalog.deck(deck_id)
    if deck is None:
        known = ", ".join(d.id for d in catalog.decks) or "none"
        raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
    output = _output_file(output, force)
    text = export_deck(deck, fmt)
    if _print_or_write(output, text):
        click.echo(
            f"Exported {count(len(deck.cards), 'card')} of '{deck.id}' to {shown(output)}",
            err=True,
        )


def _output_file(output: Path | None, force: bool) -> Path | None:
    """The file an export goes to (None: standard output, also for '-'), refused with a
    one-line error when it is a folder, a device, FIFO or socket (never replaced, not even with
    ``--force``), or an existing file without ``--force``."""
    if output is None or str(output) == "-":
        return None
    if output.is_dir():
        raise click.ClickException(f"{shown(output)}: is a folder; give a file name")
    try:
        mode = output.lstat().st_mode
    except FileNotFoundError:
        return output
    except OSError as exc:
        raise click.ClickException(f"{shown(output)}: {exc.strerror or exc}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise click.ClickException(
            f"{shown(output)}: not a regular file (a device, FIFO or socket); give a file name"
        )
    if not force:
        raise click.ClickException(
            f"{shown(output)}: the file exists (use --force to overwrite it)"
        )
    return output


def _print_or_write(output: Path | None, text: str) -> bool:
    """Print ``text``, or write it to ``output`` readable by the user only (an export holds the
    user's own words); returns whether it went to the file."""
    if output is None:
        click.echo(text, nl=False)
        return False
    try:
        write_private_file(output, text.encode("utf-8"))
    except OSError as exc:
        raise click.ClickException(
            f"{shown(output)}: cannot write: {exc.strerror or exc}"
        ) from None
    return True


# -- drill -----------------------------------------------------------------------------------
@cli.command()
@click.option("--deck", "deck_id", help="Drill only this deck.")
@click.option(
    "--limit", type=click.IntRange(min=1, max=MAX_LIMIT), help="Stop after this many cards."
)
@click.option("--plain", is_flag=True, help="Line by line on standard input and output.")
@click.option(
    "--new", "new_anyway", is_flag=True, help="Also study new cards past today's new-card limit."
)
@click.option(
    "--speak", is_flag=True, help="Say each answer aloud (timed), then tick what you covered."
)
@home_option
@click.pass_context
def drill(
    ctx: click.Context,
    deck_id: str | None,
    limit: int | None,
    plain: bool,
    new_anyway: bool,
    speak: bool,
) -> None:
    """Drill the cards that are due (all decks, or one)."""
    from failtui.decks.catalog import load_catalog

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    if deck_id is not None and catalog.deck(deck_id) is None:
        known = ", ".join(d.id for d in catalog.decks) or "none"
        raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
    if not plain:
        run_tui(
            data_dir,
            deck_id=deck_id,
            limit=limit,
            start_drill=True,
            new_anyway=new_anyway,
            speak=speak,
        )
        return
    from failtui.plain import PlainInputError, run_plain_drill
    from failtui.session import DrillSession
    from failtui.storage import backup
    from failtui.storage.db import DatabaseError
    from failtui.storage.lock import InstanceLock

    store = open_store(data_dir)
    # Held (when free) so that `doctor --restore` will not replace the file under this drill.
    lock = InstanceLock(data_dir)
    lock.acquire()
    try:
        try:
            backup.backup_if_due(store, backup.backups_dir(data_dir), cli_common.system_now())
        except backup.DatabaseDamaged as exc:
            click.echo(f"WARNING: {exc}", err=True)
        except backup.BackupError as exc:
            click.echo(f"warning: no backup was taken: {exc}", err=True)
        session = DrillSession(
            store,
            catalog,
            deck_id=deck_id,
            limit=limit,
            new_anyway=new_anyway,
            clock=cli_common.system_now,
        )
        for error in catalog.errors:
            click.echo(f"warning: {error}", err=True)
        with contextlib.suppress(AttributeError, ValueError):
            # A terminal that cannot show a character gets an escape, not a crash.
            cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="backslashreplace")
        # Answers are UTF-8 whatever the locale says (LC_ALL=C would make them ASCII). Bytes
        # that are not pass through as lone surrogates, so the plain drill names their line
        # and keeps the lines before it (a strict decoder fails a whole buffer ahead of them).
        utf8_stdin = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
            if hasattr(sys.stdin, "buffer")
            else None
        )
        try:
            run_plain_drill(session, utf8_stdin or sys.stdin, sys.stdout, speak=speak)
        finally:
            if utf8_stdin is not None:
                utf8_stdin.detach()  # the wrapper would close the real standard input
    except PlainInputError as exc:
        raise click.ClickException(str(exc)) from None
    except DatabaseError as exc:
        # A write failed (disk full, read-only): what was rated before is safe, this one is not.
        raise click.ClickException(f"{exc}. Ratings before this one are saved.") from None
    finally:
        store.close()
        lock.release()


# -- corrections ---------------------------------------------------------------------------
@cli.group()
@home_option
def corrections() -> None:
    """The grades you corrected: export them to share or to train on."""


@corrections.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file instead of standard output ('-' is standard output).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@home_option
@click.pass_context
def corrections_export(ctx: click.Context, output: Path | None, force: bool) -> None:
    """Write one JSON line per answer whose grade you corrected.

    Each line holds the deck and card, the question, the answer, and for every key point and
    red flag the grader's label ("model") and yours ("user"); a red flag the grader raised only
    as a possible one has "tentative", and one you left possible, neither confirmed nor
    dismissed, has "user_tentative"; one failtui dismissed again, because you had dismissed it
    on the same clause before, has "user_remembered".
    """
    from failtui.corrections import export_record
    from failtui.decks.catalog import load_catalog
    from failtui.storage.queries import corrected_answers

    output = _output_file(output, force)
    data_dir = data_dir_of(ctx)
    store = open_store(data_dir)
    try:
        answers = corrected_answers(store)
    finally:
        store.close()
    catalog = load_catalog(data_dir) if answers else None  # no answer: no deck to read
    lines = [
        json.dumps(export_record(a, catalog.card_by_key(a.card_key)), ensure_ascii=False)
        for a in answers
        if catalog is not None
    ]
    text = "".join(line + "\n" for line in lines)
    if _print_or_write(output, text):
        click.echo(f"Exported {count(len(lines), 'corrected answer')} to {shown(output)}", err=True)
    elif not lines:  # on stderr, so that standard output stays (empty) JSON lines
        click.echo(
            "No corrected answers to export: correct a grade in a drill (c on the feedback) "
            "to add one.",
            err=True,
        )


# -- cues ------------------------------------------------------------------------------------
def _quoted(text: str, width: int) -> str:
    return '"' + _fit(text, max(1, width - 2)) + '"'


def _learnt_item(learnt) -> str:
    """What a line of ``failtui cues`` taught: a key point's id, or ``dismissed`` and a red
    flag's."""
    from failtui.models import KEY_POINT

    return learnt.item_id if learnt.kind == KEY_POINT else f"dismissed {learnt.item_id}"


def cues_table(items, width: int) -> list[str]:
    """``failtui cues`` as text lines no wider than ``width``: one block per card, each line
    its number, key point id (``dismissed`` and a red flag's id), the local date it was taught,
    and the sentence, quoted and cut to fit."""
    from failtui.models import KEY_POINT

    number_width = max((len(str(i.number)) for i in items), default=1)
    item_width = max((len(_learnt_item(i)) for i in items), default=0)
    lines: list[str] = []
    card = None
    for learnt in items:
        if learnt.card_key != card:
            card = learnt.card_key
            lines.append(card)
        taught = datetime.fromisoformat(learnt.taught_at).astimezone()
        line = (
            f"  {learnt.number:>{number_width}}  {_learnt_item(learnt):<{item_width}}  "
            f"{taught:%Y-%m-%d}  "
        )
        lines.append(line + _quoted(learnt.sentence, width - len(line)))
    if items:
        lines.append("Forget a wrong cue or dismissal with: failtui cues forget N")
    if any(i.kind != KEY_POINT for i in items):
        lines.append(
            "A dismissed red flag stays so on that sentence until you raise it or forget it."
        )
    return lines


def _cues_card_key(ctx: click.Context, name: str | None, nothing_done: str) -> str | None:
    """The key of the card ``--card`` names (DECK/CARD, or an id that is unique), if given."""
    if name is None:
        return None
    from failtui.card_browser import CardActionError, resolve
    from failtui.decks.catalog import load_catalog

    try:
        return resolve(load_catalog(data_dir_of(ctx)), name).key
    except CardActionError as exc:
        raise click.ClickException(f"{exc}{nothing_done}") from None


@cli.group(invoke_without_command=True)
@click.option("--card", "card_name", metavar="DECK/CARD", help="Only this card.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, sentences whole.")
@home_option
@click.pass_context
def cues(ctx: click.Context, card_name: str | None, as_json: bool) -> None:
    """List what your corrections taught the cards: personal cues and dismissed red flags.

    A key point you mark covered makes a sentence of your answer that card's personal cue, and
    a red flag you dismiss stays dismissed on that sentence. The subcommand forget removes
    either by its number.
    """
    if ctx.invoked_subcommand is not None:
        return
    from failtui.corrections import learnt

    card_key = _cues_card_key(ctx, card_name, "")
    store = open_store(data_dir_of(ctx))
    try:
        items = learnt(store, card_key)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(
            f"No personal cues{f' on {card_key}' if card_key else ''}: marking a key point "
            "covered in a drill teaches the card a sentence of your answer."
        )
        return
    width = _terminal_width()
    for line in cues_table(items, width):
        click.echo(line)


@cues.command("forget")
@click.argument("numbers", nargs=-1, type=click.IntRange(min=1), metavar="N...")
@click.option("--card", "card_name", metavar="DECK/CARD", help="With --all: this card's.")
@click.option("--all", "every", is_flag=True, help="Forget everything 'cues' lists for --card.")
@home_option
@click.pass_context
def cues_forget(
    ctx: click.Context, numbers: tuple[int, ...], card_name: str | None, every: bool
) -> None:
    """Forget personal cues and dismissed red flags by their number (as 'failtui cues' lists
    them), or all of a card's (--card DECK/CARD --all): the grader no longer credits a key point
    from that sentence, and no longer dismisses a red flag again on it."""
    from failtui.corrections import UnknownCueError, forget, forget_card

    if bool(numbers) == (every or card_name is not None) or every != (card_name is not None):
        raise click.UsageError(
            "give the numbers of the cues or dismissals to forget, or --card DECK/CARD --all"
        )
    card_key = _cues_card_key(ctx, card_name, "; nothing was forgotten")
    store = open_store(data_dir_of(ctx))
    now = cli_common.system_now()
    try:
        if card_key is not None:
            forgotten = forget_card(store, card_key, now)
        else:
            forgotten = forget(store, numbers, now)
    except UnknownCueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if card_key is not None and not forgotten:
        click.echo(f"{card_key}: no personal cues or dismissed red flags to forget")
    width = _terminal_width()
    for item in forgotten:
        line = f"Forgot {item.number}: {item.card_key} {_learnt_item(item)} "
        click.echo(line + _quoted(item.sentence, width - len(line)))


# -- undo ------------------------------------------------------------------------------------
@cli.command()
@home_option
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Undo the newest rating, given in the app or the plain drill.

    The card's schedule goes back to what it was before that rating, the answer and its
    corrections go (the answer becomes the card's draft again), as undo does in a drill.
    """
    from failtui.session import undo_newest_rating

    store = open_store(data_dir_of(ctx))
    try:
        undone = undo_newest_rating(store, cli_common.system_now())
    finally:
        store.close()
    if undone is None:
        raise click.ClickException("no rating to undo")
    click.echo(shown(undone.describe()))  # the user's own clock


# -- doctor ----------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--restore",
    is_flag=True,
    help="Put back the newest backup, or BACKUP; the current file is kept aside.",
)
@click.option("--list", "list_backups", is_flag=True, help="List the backups and exit.")
@click.argument("backup_name", metavar="[BACKUP]", required=False)
@home_option
@click.pass_context
def doctor(ctx: click.Context, restore: bool, list_backups: bool, backup_name: str | None) -> None:
    """Check the database and repair what can be repaired, or restore a backup.

    Repairs are made after a backup is taken. BACKUP is a file name from --list or a path.
    """
    from failtui.storage import backup
    from failtui.storage.db import DatabaseError, open_db
    from failtui.storage.doctor import run_doctor

    data_dir = data_dir_of(ctx)
    db_file = locations.db_path(data_dir)
    folder = backup.backups_dir(data_dir)
    now = cli_common.system_now()
    # A restore writes in the data dir: never in one another user can change.
    locations.check_data_dir(data_dir)
    if list_backups:
        found = backup.list_backups(folder, now)
        if not found:
            click.echo(f"No backups yet in {shown(folder)}.")
        for info in found:
            taken = info.taken_at.strftime("%Y-%m-%d %H:%M UTC")
            future = "  (dated in the future: taken while the clock was ahead)" * info.future
            click.echo(f"{shown(info.path.name)}  {taken}  {info.size / 1024:,.0f} KiB{future}")
        return
    if backup_name is not None and not restore:
        raise click.UsageError("BACKUP is only used with --restore")
    if restore:
        try:
            chosen = backup.find_backup(data_dir, backup_name, now)
            if backup_name is None:
                for path, problem in backup.newest_good_backup(folder, now)[1]:
                    click.echo(f"Skipped {shown(path.name)}: {shown(problem)}")
            result = backup.restore_backup(data_dir, db_file, chosen, now)
        except backup.BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Restored {shown(db_file)} from {shown(result.restored_from.name)}.")
        if result.kept_aside is not None:
            click.echo(f"The file it replaced is kept as {shown(result.kept_aside)}.")
        return
    if not db_file.exists():
        click.echo(f"No database yet at {db_file}: nothing to check.")
        return
    from failtui.decks.catalog import load_catalog

    try:
        store = open_db(db_file)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        report = run_doctor(store, folder, now, load_catalog(data_dir))
    finally:
        store.close()
    if report.backup is not None:
        click.echo(f"Backup taken before repairing: {report.backup}")
    for repair in report.repairs:
        click.echo(f"Repaired: {repair}")
    if not report.healthy:
        for problem in report.problems:
            click.echo(f"Problem: {problem}")
        raise click.ClickException(f"{db_file}: problems remain (see above)")
    click.echo(f"{db_file}: ok" + ("" if report.repairs else ", nothing to repair") + ".")


# -- stats -----------------------------------------------------------------------------------
@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
@click.option("--deck", "deck_id", help="Only this deck.")
@click.option(
    "--days",
    type=click.IntRange(min=1, max=MAX_DAYS),
    help="Only the last N study days (today included).",
)
@home_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool, deck_id: str | None, days: int | None) -> None:
    """Show your weak key points, red flags, cards, practice and what is due next."""
    from failtui.decks.catalog import load_catalog
    from failtui.stats import collect_statistics, has_history, make_scope

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    store = open_store(data_dir)
    try:
        # A deck removed from disk keeps its history, so its statistics can still be asked for.
        if (
            deck_id is not None
            and catalog.deck(deck_id) is None
            and not has_history(store, deck_id)
        ):
            known = ", ".join(d.id for d in catalog.decks) or "none"
            raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
        now = cli_common.system_now()
        scope = make_scope(store, now, deck_id=deck_id, days=days, catalog=catalog)
        result = collect_statistics(store, scope, catalog)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from failtui.stats_report import statistics_report

    console = Console(highlight=False)
    console.print(statistics_report(result, catalog, width=console.width))


# -- cards -----------------------------------------------------------------------------------
def _terminal_width() -> int:
    """The terminal's width in columns for a listing cut to fit (80 when not a terminal)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def cards_table(rows, width: int) -> list[str]:
    """``failtui cards`` as text lines no wider than ``width``: one block per deck.

    The due column shows the time too when the card ids leave room for it.
    """
    longest = max((len(r.card) for r in rows), default=4)
    fixed = "  {kind:<8} {state:<9} {due:<%d} {last:<5} {lapses:>6} {cover:>5}"
    due_format, due_width = "%Y-%m-%d %H:%M", 16
    if longest + len(fixed % due_width) - 2 > width - 2:
        due_format, due_width = "%Y-%m-%d", 10
    fixed %= due_width
    header = fixed.format(
        kind="kind", state="state", due="due", last="last", lapses="lapses", cover="cover"
    )
    id_width = max(4, min(longest, width - len(header) - 2))
    lines: list[str] = []
    deck = None
    for row in rows:
        if row.deck != deck:
            deck = row.deck
            count = sum(1 for r in rows if r.deck == deck)
            if lines:
                lines.append("")
            lines.append(f"{deck} ({count} card{'s' * (count != 1)})")
            lines.append("  " + "card".ljust(id_width) + header)
        due = row.due.astimezone().strftime(due_format) if row.due else "-"
        cover = f"{row.last_coverage:.0%}" if row.last_coverage is not None else "-"
        lines.append(
            "  "
            + _fit(row.card, id_width).ljust(id_width)
            + fixed.format(
                kind=row.kind,
                state=row.state,
                due=due,
                last=row.last_rating or "-",
                lapses=row.lapses,
                cover=cover,
            )
        )
    return [line.rstrip() for line in lines]


@cli.group(invoke_without_command=True)
@click.option("--deck", "deck_id", help="Only this deck.")
@click.option(
    "--state",
    type=click.Choice(["new", "learning", "review", "due", "suspended", "buried"]),
    help=(
        "Only cards in this state: new (never studied), learning (in its first steps or "
        "relearning, due now or later today), review (learned, not due today), due (what the "
        "drill shows now: learned and due today, and learning cards whose step is due, shown "
        "as learning), suspended or buried."
    ),
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of the cards.")
@home_option
@click.pass_context
def cards(ctx: click.Context, deck_id: str | None, state: str | None, as_json: bool) -> None:
    """List every card with its state, due date, last rating and lapses.

    The subcommands suspend, unsuspend, bury, unbury or forget cards named DECK/CARD (or by a
    card id that is unique).
    """
    if ctx.invoked_subcommand is not None:
        return
    from failtui.card_browser import card_rows
    from failtui.decks.catalog import load_catalog
    from failtui.session import load_settings

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    for error in catalog.errors:
        click.echo(f"warning: {error}", err=True)
    if deck_id is not None and catalog.deck(deck_id) is None:
        known = ", ".join(d.id for d in catalog.decks) or "none"
        raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
    store = open_store(data_dir)
    try:
        settings = load_settings(store)
        rows = card_rows(
            store,
            catalog.cards(),
            cli_common.system_now(),
            rollover_hour=settings.rollover_hour,
            deck_id=deck_id,
            state=state,
        )
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No card matches.")
        return
    width = _terminal_width()
    for line in cards_table(rows, width):
        click.echo(line)


def _card_action(action: str, what: str):
    @cards.command(action, help=what)
    @click.argument("names", nargs=-1, required=True, metavar="DECK/CARD...")
    @home_option
    @click.pass_context
    def command(ctx: click.Context, names: tuple[str, ...]) -> None:
        from failtui.card_browser import CardActionError, apply, resolve
        from failtui.decks.catalog import load_catalog
        from failtui.session import load_settings

        data_dir = data_dir_of(ctx)
        catalog = load_catalog(data_dir)
        try:
            found = [resolve(catalog, name) for name in names]
        except CardActionError as exc:
            raise click.ClickException(f"{exc}; no card was changed") from None
        store = open_store(data_dir)
        try:
            settings = load_settings(store)
            now = cli_common.system_now()
            for card in found:
                done = apply(store, card, action, now, rollover_hour=settings.rollover_hour)
                click.echo(f"{card.key}: {done}")
        finally:
            store.close()

    return command


_card_action(
    "suspend",
    "Suspend cards (DECK/CARD, or a unique card id): out of the drill until unsuspended.",
)
_card_action(
    "unsuspend",
    "Unsuspend cards (DECK/CARD, or a unique card id): back in the drill.",
)
_card_action(
    "bury",
    "Bury cards (DECK/CARD, or a unique card id) until the next study day.",
)
_card_action("unbury", "Unbury cards (DECK/CARD, or a unique card id).")
_card_action(
    "forget",
    "Make cards (DECK/CARD, or a unique card id) new again; their history is kept.",
)


# -- settings --------------------------------------------------------------------------------
# A value such as -1 is a value to check, not an unknown option.
@cli.command(context_settings={"ignore_unknown_options": True})
@click.option("--deck", "deck_id", help="A deck's own setting (daily limits).")
@click.argument("key", required=False)
@click.argument("value", required=False)
@home_option
@click.pass_context
def settings(ctx: click.Context, deck_id: str | None, key: str | None, value: str | None) -> None:
    """List the settings, show one (KEY), or set one (KEY VALUE; 'default' resets it).

    Settings: new_cards_per_day, reviews_per_day (both also per deck with --deck),
    desired_retention, day_starts_at, all_decks_order, exam_mode, theme, backups_keep.
    """
    from failtui import user_settings

    data_dir = data_dir_of(ctx)
    if deck_id is not None:
        from failtui.decks.catalog import load_catalog

        catalog = load_catalog(data_dir)
        if catalog.deck(deck_id) is None:
            known = ", ".join(d.id for d in catalog.decks) or "none"
            raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
    store = open_store(data_dir)
    try:
        if key is None:
            for name, text in user_settings.listing(store, deck_id):
                click.echo(f"{name} {text}")
            return
        try:
            spec = user_settings.spec_for(key, deck_id)
            if value is not None:
                user_settings.set_value(store, key, value, deck_id)
            click.echo(f"{key} {spec.format(user_settings.get(store, key, deck_id))}")
            if value is not None and spec.per_deck:
                for note in user_settings.capped_limits(store, deck_id):
                    click.echo(note)
        except user_settings.SettingError as exc:
            raise click.ClickException(str(exc)) from None
    finally:
        store.close()


# -- interview, plan, optimize (their own module) ---------------------------------------------
from failtui.cli_interview import interview, optimize, plan  # noqa: E402

cli.add_command(interview)
cli.add_command(plan)
cli.add_command(optimize)


def main(args: list[str] | None = None) -> None:
    """Run the command line on ``args`` (default: the process's); see also failtui.launch."""
    cli(args=args, prog_name="failtui")
