"""history list / show / diff: the runs recorded in the history store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from auditor.cli.options import console, db_option, echo_json, lang_option

if TYPE_CHECKING:
    from auditor.store import HistoryStore, RunDetail

# A run id: a positive whole number that fits a 64-bit database column.
RUN_ID = click.IntRange(1, 2**63 - 1)


@click.group()
def history() -> None:
    """List, show and compare the audit runs recorded in the history store."""


@history.command("list")
@db_option
@click.option("--organisation", help="Only runs of this organisation id.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
@lang_option
def history_list(db: str | None, organisation: str | None, as_json: bool, lang: str) -> None:
    """The recorded runs, newest first."""
    from auditor.report import history as history_views
    from auditor.store import HistoryStore

    with HistoryStore.open_reader(db) as store:
        rows = store.runs(organisation=organisation)
    if as_json:
        echo_json([history_views.run_json(r) for r in rows])
        return
    history_views.runs_table(rows, console(), lang)


def _detail(store: HistoryStore, run_id: int) -> RunDetail:
    detail = store.run(run_id)
    if detail is None:
        raise click.BadParameter(f"no run {run_id} in {store.name}", param_hint="RUN")
    return detail


@history.command("show")
@click.argument("run_id", metavar="RUN", type=RUN_ID)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
@lang_option
def history_show(run_id: int, db: str | None, as_json: bool, lang: str) -> None:
    """One run: its counts, systems and open findings."""
    from auditor.report import history as history_views
    from auditor.store import HistoryStore

    with HistoryStore.open_reader(db) as store:
        detail = _detail(store, run_id)
    if as_json:
        echo_json(history_views.detail_json(detail))
        return
    history_views.show_run(detail, console(), lang)


@history.command("diff")
@click.argument("before", metavar="RUN_A", type=RUN_ID, required=False)
@click.argument("after", metavar="RUN_B", type=RUN_ID, required=False)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@lang_option
def history_diff(before: int | None, after: int | None, db: str | None, as_json: bool,
                 lang: str) -> None:
    """What changed from RUN_A to RUN_B (default: the two latest runs): new, resolved and
    persisting findings, and level changes."""
    from auditor.report import history as history_views
    from auditor.store import HistoryStore

    with HistoryStore.open_reader(db) as store:
        if before is None or after is None:
            latest = store.runs()
            if len(latest) < 2:
                raise click.UsageError("the history holds fewer than two runs to compare")
            before, after = latest[1].id, latest[0].id
        diff = history_views.diff_runs(_detail(store, before), _detail(store, after))
    if as_json:
        echo_json(history_views.diff_json(diff))
        return
    history_views.show_diff(diff, console(), lang)
