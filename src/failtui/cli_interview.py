"""``failtui interview``, ``failtui plan`` and ``failtui optimize``: preparing for a date.

Registered on the ``failtui`` group by :mod:`failtui.cli`; everything heavy is imported inside
the commands, so listing the commands costs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import click

from failtui import cli_common
from failtui.cli_common import data_dir_of, home_option, open_store


def _rollover_hour(store) -> int:
    from failtui.user_settings import get

    return int(get(store, "day_starts_at"))


def _today(store, now: datetime):
    from failtui.scheduling import study_day

    return study_day(now, _rollover_hour(store))


# -- interview -----------------------------------------------------------------------------------
@click.group()
@home_option
def interview() -> None:
    """Interview dates to be ready for: add, list, remove."""


@interview.command("add")
@click.argument("day", metavar="YYYY-MM-DD")
@click.option("--title", default="", help="What the interview is (a company, a role).")
@click.option(
    "--deck",
    "decks",
    multiple=True,
    help="A deck to be ready in (repeatable; default: every deck).",
)
@home_option
@click.pass_context
def interview_add(ctx: click.Context, day: str, title: str, decks: tuple[str, ...]) -> None:
    """Add an interview on DAY; until then no card of its decks is scheduled after the day
    before it (one rated on that day comes back on DAY itself; cards already due later are
    brought forward, spread over the days until then), and its decks' new cards come first."""
    from failtui.decks.catalog import load_catalog
    from failtui.interview import InterviewError, add

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    store = open_store(data_dir)
    try:
        now = cli_common.system_now()
        try:
            result = add(
                store,
                day,
                title,
                decks,
                catalog.card_ids_by_deck(),
                now,
                _rollover_hour(store),
                None,
            )
        except InterviewError as exc:
            raise click.ClickException(str(exc)) from None
        added = result.interview
        plan = _plan(store, catalog, added.id, now)
        from failtui.plan_report import countdown

        covers = ", ".join(added.decks) if added.decks else "every deck"
        click.echo(
            f"Added interview {added.id}: {added.day}"
            + (f" ({added.title})" if added.title else "")
            + f", {covers}; {countdown(plan)}."
        )
        if result.moved:
            click.echo(result.moved_text)
        for warning in (result.empty_text, plan.problem, plan.review_problem):
            if warning:
                click.echo(f"warning: {warning}", err=True)
    finally:
        store.close()


@interview.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@home_option
@click.pass_context
def interview_list(ctx: click.Context, as_json: bool) -> None:
    """List the interviews, soonest first (past ones marked, and decks not found or empty)."""
    from failtui.decks.catalog import load_catalog
    from failtui.interview import days_left, deck_gaps, interview_dict, load_failures
    from failtui.plan_report import interview_title
    from failtui.storage.interviews import interviews

    data_dir = data_dir_of(ctx)
    store = open_store(data_dir)
    try:
        now = cli_common.system_now()
        today = _today(store, now)
        found = interviews(store)
        # Only when there is an interview: the decks are read to tell which are gone or empty.
        catalog = load_catalog(data_dir) if found else None
        card_ids = _session(store, catalog, now).card_ids_by_deck() if catalog else {}
        gaps = {i.id: deck_gaps(i, card_ids) for i in found}
        broken = dict(
            load_failures(catalog.errors, [d for i in found for d in i.decks]) if catalog else ()
        )
        if as_json:
            rows = [
                interview_dict(i)
                | {
                    "days_left": days_left(i, today),
                    "missing_decks": list(gaps[i.id][0]),
                    "empty_decks": list(gaps[i.id][1]),
                }
                for i in found
            ]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo("No interviews. Add one with 'failtui interview add YYYY-MM-DD'.")
            return
        table: list[tuple[str, ...]] = [("ID", "Date", "When", "Title", "Decks")]
        for item in found:
            left = days_left(item, today)
            when = "past" if left < 0 else ("today" if left == 0 else f"in {_days(left)}")
            title = interview_title(item)
            decks = ", ".join(_deck_label(deck, *gaps[item.id], broken) for deck in item.decks)
            table.append((str(item.id), str(item.day), when, title, decks or "every deck"))
        for line in _columns(table):
            click.echo(line)
    finally:
        store.close()


@interview.command("remove")
@click.argument("interview_id", metavar="ID", type=int)
@home_option
@click.pass_context
def interview_remove(ctx: click.Context, interview_id: int) -> None:
    """Remove an interview (its cards keep their schedule, including due dates it brought
    forward; new ratings are no longer capped)."""
    from failtui.storage.interviews import remove_interview

    store = open_store(data_dir_of(ctx))
    try:
        # An id past SQLite's integers cannot be stored, so no interview has it.
        if not 0 < interview_id < 2**63 or not remove_interview(store, interview_id):
            raise click.ClickException(
                f"no interview with id {interview_id} (see 'failtui interview list')"
            )
        click.echo(f"Removed interview {interview_id}.")
    finally:
        store.close()


# -- plan ----------------------------------------------------------------------------------------
def _session(store, catalog, now: datetime):
    """A drill of every deck at ``now``: its cards, settings and today's counts."""
    from failtui.session import DrillSession

    return DrillSession(store, catalog, clock=lambda: now)


def _plan(store, catalog, interview_id: int | None, now: datetime):
    """The plan of an interview (the next one when ``interview_id`` is None).

    Raises:
        failtui.interview.InterviewError: no such interview, or none ahead.
    """
    from failtui.interview import find, make_plan

    session = _session(store, catalog, now)
    chosen = find(store, interview_id, _today(store, now))
    done = session.today_counts()
    return make_plan(
        store,
        chosen,
        session.card_ids_by_deck(),
        session.settings,
        now,
        None,
        done.new,
        done.reviews,
        catalog.errors,
    )


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as text columns two spaces apart, the first (the ids) aligned right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].rjust(widths[0])]
        cells += [cell.ljust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def _deck_label(
    deck: str, missing: tuple[str, ...], empty: tuple[str, ...], broken: Mapping[str, str]
) -> str:
    """A deck of an interview as ``interview list`` names it: marked when gone, its file
    failing to load, or empty."""
    if deck in missing:
        return (
            f"{deck} (does not load: {broken[deck]})" if deck in broken else f"{deck} (not found)"
        )
    return f"{deck} (no cards)" if deck in empty else deck


def _days(n: int) -> str:
    return f"{n} study day{'s' * (n != 1)}"


@click.command()
@click.option("--interview", "interview_id", type=int, help="The interview (default: the next).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as one JSON object.")
@home_option
@click.pass_context
def plan(ctx: click.Context, interview_id: int | None, as_json: bool) -> None:
    """The plan for an interview: days left, readiness, reviews due each day, weakest cards."""
    from failtui.decks.catalog import load_catalog
    from failtui.interview import InterviewError
    from failtui.plan_report import plan_lines

    data_dir = data_dir_of(ctx)
    catalog = load_catalog(data_dir)
    store = open_store(data_dir)
    try:
        try:
            result = _plan(store, catalog, interview_id, cli_common.system_now())
        except InterviewError as exc:
            raise click.ClickException(str(exc)) from None
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        for line in plan_lines(result):
            click.echo(line)
    finally:
        store.close()


# -- optimize ------------------------------------------------------------------------------------
@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--reset", is_flag=True, help="Go back to fsrs' default parameters.")
@home_option
@click.pass_context
def optimize(ctx: click.Context, as_json: bool, reset: bool) -> None:
    """Fit the FSRS parameters to your own reviews; applied only if they predict better.

    The latest fifth of your reviews is held back: the fit learns from the rest, and both the
    default and the fitted parameters predict the held-back reviews (log loss and RMSE).
    """
    from failtui import fsrs_params

    store = open_store(data_dir_of(ctx))
    try:
        if reset:
            was = fsrs_params.reset(store)
            count = store.query("SELECT count(*) FROM reviews")[0][0]
            if as_json:
                # The fields of a fit, as the README lists them, with nothing fitted.
                reason = "back to the defaults" if was else "the defaults were already in use"
                payload = {
                    "reviews": count, "held_back": 0, "log_loss_before": None,
                    "log_loss_after": None, "rmse_before": None, "rmse_after": None,
                    "applied": False, "parameters": None, "reason": reason, "reset": True,
                }  # fmt: skip
                click.echo(json.dumps(payload))
            else:
                click.echo(
                    "Back to fsrs' default parameters."
                    if was
                    else "fsrs' default parameters were already in use."
                )
            return
        from failtui.fsrs_fit import optimize as fit

        rows = fsrs_params.review_rows(store)

        def progress(step: int, steps: int) -> None:
            if not as_json and step % 20 == 0:
                click.echo(f"fitting: step {step}/{steps}", err=True)

        result = fit(rows, progress)
        parameters, before, after = result.parameters, result.log_loss_before, result.log_loss_after
        applied = result.better and parameters is not None
        if applied:
            # A better fit has its parameters and both losses.
            assert parameters is not None and before is not None and after is not None
            fsrs_params.apply_fit(
                store, parameters, result.reviews, before, after, cli_common.system_now()
            )
        if as_json:
            click.echo(json.dumps(_fit_dict(result, applied)))
            return
        for line in _fit_lines(result, applied):
            click.echo(line)
    finally:
        store.close()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _fit_dict(result, applied: bool) -> dict:
    return {
        "reviews": result.reviews,
        "held_back": result.held_back,
        "log_loss_before": _rounded(result.log_loss_before),
        "log_loss_after": _rounded(result.log_loss_after),
        "rmse_before": _rounded(result.rmse_before),
        "rmse_after": _rounded(result.rmse_after),
        "applied": applied,
        "parameters": list(result.parameters) if applied else None,
        "reason": result.reason or None,
    }


def _fit_lines(result, applied: bool) -> list[str]:
    lines = [
        f"Reviews: {result.reviews:,}; held back (the latest, predicted): {result.held_back:,}"
    ]
    if result.log_loss_before is not None:
        lines.append(
            f"Default parameters: log loss {result.log_loss_before:.4f}, "
            f"RMSE {result.rmse_before:.4f}"
        )
    if result.log_loss_after is not None:
        lines.append(
            f"Fitted parameters:  log loss {result.log_loss_after:.4f}, "
            f"RMSE {result.rmse_after:.4f}"
        )
    if result.reason:
        lines.append(f"No fit made: {result.reason}.")
    elif applied:
        lines.append("Applied: the scheduler now uses the fitted parameters (--reset undoes it).")
    else:
        lines.append("Not applied: the fit predicts the held-back reviews no better.")
    return lines
