"""workbook export / import: agencies answer in spreadsheets, the YAML stays the source of truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from auditor.cli.options import (
    WARNING,
    as_of_option,
    as_paths,
    checklist_option,
    command_inputs,
    inventory_argument,
    lang_option,
    warn,
)
from auditor.messages import Msg


@click.group()
def workbook() -> None:
    """Agencies answer in spreadsheets: export a workbook, import the answers.

    The YAML inventory stays the source of truth; see the README, "Collecting data from
    agencies"."""


@workbook.command("export")
@inventory_argument
@click.option("--agency", "agency_ids", multiple=True,
              help="The agency whose workbook to write (repeatable; default: every agency).")
@click.option("-o", "--output", "output", required=True, type=click.Path(),
              help="The workbook (.xlsx) of one agency, or a folder for one workbook per "
              "agency (<agency id>.xlsx).")
@checklist_option
@as_of_option
@lang_option
def workbook_export(
    paths: tuple[str, ...],
    agency_ids: tuple[str, ...],
    output: str,
    checklists: tuple[str, ...],
    as_of: dt.date,
    lang: str,
) -> None:
    """Write agencies' workbooks: their systems' facts (current values filled in, undeclared
    ones empty) and the evidence their manual findings await, from an audit as of --as-of."""
    from auditor import __version__
    from auditor.errors import InputError, combine
    from auditor.loading.catalog import load_catalog
    from auditor.loading.inventory import LoadedInventory, load_inventory
    from auditor.workbook.audit_scope import audit_agencies
    from auditor.workbook.export import workbook_input, write_workbook

    target = Path(output)
    one_file = target.suffix.lower() == ".xlsx"
    if one_file and len(agency_ids) != 1:
        raise click.BadParameter(
            "an .xlsx file holds one agency: give one --agency, or a folder", param_hint="--output"
        )
    inputs = {p.resolve() for p in command_inputs(paths, checklists, store=False)}
    problems: list[InputError] = []
    loaded: LoadedInventory | None = None
    try:
        loaded = load_inventory(as_paths(paths))
    except InputError as exc:
        problems.append(exc)
    try:
        catalog, _ = load_catalog(as_paths(checklists))
    except InputError as exc:
        problems.append(exc)
    if problems or loaded is None:
        raise combine(problems)
    warn(loaded.warnings, lang)
    known = [a.id for a in loaded.inventory.agencies]
    unknown = [a for a in agency_ids if a not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown agency id: {', '.join(unknown)} (known: {', '.join(known)})",
            param_hint="--agency",
        )
    run = audit_agencies(loaded, catalog, as_of, agency_ids or known, lang)
    exported_at = dt.datetime.now(dt.UTC)
    if not one_file:
        target.mkdir(parents=True, exist_ok=True)
    for agency_id in agency_ids or known:
        path = target if one_file else target / f"{agency_id}.xlsx"
        if path.resolve() in inputs:
            raise click.BadParameter("would overwrite an input file", param_hint="--output")
        data = workbook_input(
            loaded, run, catalog, agency_id, lang=lang,
            tool_version=__version__, exported_at=exported_at,
        )
        write_workbook(path, data)
        systems, requests = len(data.agency.systems), len(data.requests)
        click.echo(
            Msg(f"đã ghi: {path} ({systems} hệ thống, {requests} yêu cầu bằng chứng)",
                f"written: {path} ({systems} systems, {requests} evidence requests)").get(lang),
            err=True,
        )


@workbook.command("import")
@click.argument("workbook_path", metavar="WORKBOOK", type=click.Path(dir_okay=False))
@click.option("--into", "into", required=True, multiple=True, type=click.Path(dir_okay=True),
              help="The inventory (file or folder) the agency's answers go into.")
@click.option("--dry-run", is_flag=True, help="Check the answers and say what would change.")
@lang_option
def workbook_import(workbook_path: str, into: tuple[str, ...], dry_run: bool, lang: str) -> None:
    """Read a filled workbook into the agency's YAML file: facts and attestations, each
    citing its cell. Bad cells and answers to a stale export are all reported (exit 2) and
    nothing is written; with no new answer the file is left as it was."""
    from auditor.workbook.importing import import_workbook

    outcome = import_workbook(Path(workbook_path), as_paths(into), dry_run=dry_run)
    if outcome.changed_since_export:
        note = Msg(
            f"{outcome.file} đã thay đổi sau khi xuất bảng tính ({outcome.exported_at}): các "
            "câu trả lời đã được đối chiếu từng ô với nội dung hiện tại",
            f"{outcome.file} changed after the workbook was exported ({outcome.exported_at}): "
            "the answers were checked cell by cell against what it holds now",
        )
        click.echo(f"{WARNING.get(lang)}{note.get(lang)}", err=True)
    counts = Msg(
        f"{outcome.facts} giá trị, {outcome.attestations} xác nhận mới; {outcome.unchanged} "
        "câu trả lời đã có sẵn",
        f"{outcome.facts} value(s), {outcome.attestations} new attestation(s); "
        f"{outcome.unchanged} answer(s) already there",
    )
    if outcome.written:
        message = counts.prefixed(f"đã cập nhật {outcome.file}: ", f"updated {outcome.file}: ")
    elif dry_run and outcome.facts + outcome.attestations:
        message = counts.prefixed(f"sẽ cập nhật {outcome.file}: ",
                                  f"would update {outcome.file}: ")
    else:
        message = Msg(f"không có câu trả lời mới: {outcome.file} không thay đổi",
                      f"no new answers: {outcome.file} is unchanged")
    click.echo(message.get(lang))
