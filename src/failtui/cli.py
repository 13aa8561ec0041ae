"""The ``failtui`` command: a thin click layer over decks, grading, the session and the TUI."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from failtui import locations

HOME_HELP = "Data directory (default: $FAILTUI_HOME or the platform's user data dir)."


def home_option(func):
    """Add ``--home DIR`` to a command; a value given here wins over one given to the group."""

    def remember(ctx: click.Context, _param, value):
        if value is not None:
            ctx.ensure_object(dict)["home"] = value
        return value

    return click.option(
        "--home",
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=remember,
        is_eager=True,
        help=HOME_HELP,
    )(func)


def data_dir_of(ctx: click.Context) -> Path:
    """The data dir chosen by ``--home`` (on the group or the command) or the environment."""
    home = None
    while ctx is not None:
        if ctx.obj and ctx.obj.get("home"):
            home = ctx.obj["home"]
            break
        ctx = ctx.parent
    return locations.data_dir(home)


def open_store(data_dir: Path):
    """Open the database of a data dir, turning problems into one-line CLI errors."""
    from failtui.storage.db import DatabaseError, open_db

    try:
        locations.ensure_data_dir(data_dir)
        return open_db(locations.db_path(data_dir))
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(
            f"{data_dir}: cannot use the data directory: {exc.strerror}"
        ) from None


@click.group(
    name="failtui",
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
) -> None:
    """Open the Textual app on a data dir (imported here so other commands start fast)."""
    from failtui.storage.db import DatabaseError

    try:
        from failtui.ui.app import make_app
    except ImportError as exc:  # pragma: no cover - only without the UI package
        raise click.ClickException(f"the app cannot start: {exc}") from None
    try:
        app = make_app(data_dir=data_dir, deck_id=deck_id, limit=limit, start_drill=start_drill)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(
            f"{data_dir}: cannot use the data directory: {exc.strerror or exc}"
        ) from None
    app.run()
    if getattr(app, "fatal_message", None):
        raise click.ClickException(app.fatal_message)


# -- grade -----------------------------------------------------------------------------------
@cli.command()
@click.option("--card", "card_id", required=True, help="Card id (deck-qualified with --deck).")
@click.option("--deck", "deck_id", help="Deck id, when the card id is in several decks.")
@click.option("--json", "as_json", is_flag=True, help="Print the grade as one JSON object.")
@click.argument("file", required=False, default="-", type=click.File("r", encoding="utf-8"))
@home_option
@click.pass_context
def grade(ctx: click.Context, card_id: str, deck_id: str | None, as_json: bool, file) -> None:
    """Grade an answer read from FILE (or standard input) against a card."""
    from failtui.decks.catalog import CardLookupError, load_catalog
    from failtui.grading import grade_answer

    catalog = load_catalog(data_dir_of(ctx))
    try:
        card = catalog.find_card(card_id, deck_id)
    except CardLookupError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        answer = file.read()
    except UnicodeDecodeError:
        raise click.ClickException(f"{file.name}: the answer is not UTF-8 text") from None
    from failtui.session import AnswerTooLong, check_answer_length

    try:
        check_answer_length(answer)
    except AnswerTooLong as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    result = grade_answer(card, answer)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        from failtui.report import grade_report

        click.echo(grade_report(card, result))


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
    errors = [{"path": str(e.path), "error": str(e)} for e in catalog.errors]
    if as_json:
        click.echo(json.dumps(rows + errors, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']:<24} {row['cards']:>5} cards  {row['source']:<8}  {row['title']}")
    for error in catalog.errors:
        click.echo(f"BROKEN  {error}")
    if not rows and not errors:
        click.echo("No decks found.")


@decks.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@home_option
def decks_validate(paths: tuple[Path, ...]) -> None:
    """Check deck files; print one line per problem and exit 1 if there is any."""
    from failtui.decks.reader import DeckLoadError, load_deck

    problems = 0
    for path in paths:
        try:
            deck = load_deck(path)
        except DeckLoadError as exc:
            click.echo(str(exc.error))
            problems += 1
        else:
            click.echo(f"{path}: ok ({len(deck.cards)} cards)")
    if problems:
        sys.exit(1)


@decks.command("path")
@home_option
@click.pass_context
def decks_path(ctx: click.Context) -> None:
    """Print the folder where your own deck files live."""
    click.echo(str(locations.user_decks_dir(data_dir_of(ctx))))


# -- drill -----------------------------------------------------------------------------------
@cli.command()
@click.option("--deck", "deck_id", help="Drill only this deck.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many cards.")
@click.option("--plain", is_flag=True, help="Line by line on standard input and output.")
@home_option
@click.pass_context
def drill(ctx: click.Context, deck_id: str | None, limit: int | None, plain: bool) -> None:
    """Drill the cards that are due (all decks, or one)."""
    from failtui.decks.catalog import load_catalog

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    if deck_id is not None and catalog.deck(deck_id) is None:
        known = ", ".join(d.id for d in catalog.decks) or "none"
        raise click.ClickException(f"no deck '{deck_id}' (decks: {known})")
    if not plain:
        run_tui(data_dir, deck_id=deck_id, limit=limit, start_drill=True)
        return
    from failtui.plain import run_plain_drill
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
            backup.backup_if_due(store, backup.backups_dir(data_dir), datetime.now(UTC))
        except backup.BackupError as exc:
            click.echo(f"warning: no backup was taken: {exc}", err=True)
        session = DrillSession(store, catalog, deck_id=deck_id, limit=limit)
        for error in catalog.errors:
            click.echo(f"warning: {error}", err=True)
        run_plain_drill(session, sys.stdin, sys.stdout)
    except DatabaseError as exc:
        # A write failed (disk full, read-only): what was rated before is safe, this one is not.
        raise click.ClickException(f"{exc}. Ratings before this one are saved.") from None
    finally:
        store.close()
        lock.release()


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
    now = datetime.now(UTC)
    if list_backups:
        found = backup.list_backups(folder)
        if not found:
            click.echo(f"No backups yet in {folder}.")
        for info in found:
            taken = info.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
            click.echo(f"{info.path.name}  {taken}  {info.size / 1024:,.0f} KiB")
        return
    if backup_name is not None and not restore:
        raise click.UsageError("BACKUP is only used with --restore")
    if restore:
        try:
            chosen = backup.find_backup(data_dir, backup_name)
            result = backup.restore_backup(data_dir, db_file, chosen, now)
        except backup.BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Restored {db_file} from {result.restored_from.name}.")
        if result.kept_aside is not None:
            click.echo(f"The file it replaced is kept as {result.kept_aside}.")
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


def main() -> None:
    """Entry point of the ``failtui`` console script."""
    cli(prog_name="failtui")
