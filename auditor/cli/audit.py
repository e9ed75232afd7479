"""audit, validate, level and gate: the commands that load an inventory and judge it.

The audit pipeline, the report renderers and the history store are imported inside the
commands, each only by the commands that use it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor.cli.live import audit_scan_options, live_options, live_request, scan_request, take_live
from auditor.cli.options import (
    SEVERITIES,
    as_of_option,
    as_paths,
    checklist_option,
    command_inputs,
    console,
    db_option,
    echo_json,
    inventory_argument,
    json_text,
    lang_option,
    require_known,
    to_stdout,
    warn,
    warn_unused,
    warn_unused_inputs,
)
from auditor.exit_codes import ExitCode
from auditor.messages import Msg

if TYPE_CHECKING:
    from collections.abc import Mapping

    from auditor.model.results import SystemResult
    from auditor.rules import Rule


@click.command()
@inventory_argument
@checklist_option
@as_of_option
@lang_option
def validate(
    paths: tuple[str, ...], checklists: tuple[str, ...], as_of: dt.date, lang: str
) -> None:
    """Check inventories and checklists without auditing.

    Exit 0 when every file is valid, 2 otherwise (with file, line and field). Evidence dated
    after today, and attestations no rule reads (at --as-of: levels and regimes decide which
    rules apply), are warned about on stderr with their file and line; they do not change the
    exit code."""
    from auditor.audit import AuditRequest, run_audit

    outcome = run_audit(AuditRequest(as_paths(paths), as_of, as_paths(checklists), lang))
    loaded = outcome.loaded
    warn(loaded.warnings, lang)
    files, agencies = len(loaded.files), len(loaded.inventory.agencies)
    systems = sum(len(a.systems) for a in loaded.inventory.agencies)
    warn_unused(outcome.run, lang)
    rules = len(outcome.catalog)
    summary = Msg(
        f"hợp lệ: {files} tệp danh mục kiểm kê, {agencies} cơ quan, {systems} hệ thống; "
        f"{rules} quy tắc",
        f"ok: {files} inventory file(s), {agencies} agencies, {systems} systems; {rules} rules",
    )
    click.echo(summary.get(lang))


@click.command()
@inventory_argument
@checklist_option
@as_of_option
@lang_option
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False),
    help="Write the results as JSON (versioned schema) to this file.",
)
@click.option(
    "--output",
    "-o",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Write the report as one self-contained HTML page (in --lang) to this file.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit 1 when a failed or errored finding is at or above this severity.",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print the summary table.")
@db_option
@click.option("--no-history", is_flag=True, help="Do not record this run in the history store.")
@live_options
@audit_scan_options
def audit(
    paths: tuple[str, ...],
    checklists: tuple[str, ...],
    as_of: dt.date,
    lang: str,
    json_path: str | None,
    html_path: str | None,
    fail_on: str | None,
    quiet: bool,
    db: str | None,
    no_history: bool,
    **kwargs: Any,
) -> None:
    """Audit every agency and system of an inventory.

    Without --live it reads the inventory and checklists only and does no network I/O; with
    --live it first probes what the inventory names (and nothing else)."""
    from auditor.audit import AuditRequest, run_audit
    from auditor.model.results import Severity
    from auditor.report.outputs import CommitError, Staging, check_not_inputs, plan_outputs
    from auditor.report.progress import CommandProgress
    from auditor.store import HistoryStore

    live = take_live(kwargs)
    outputs = plan_outputs(
        [("--json", json_path), ("--output", html_path)],
        command_inputs(paths, checklists, kwargs["scan_results"], live["ca_bundle"], db),
    )
    if not no_history:
        HistoryStore.check_writable(db)
    progress = CommandProgress(lang, enabled=not quiet)
    with progress:
        outcome = run_audit(
            AuditRequest(
                as_paths(paths),
                as_of,
                as_paths(checklists),
                lang,
                live=live_request(as_of, live, progress),
                scan=scan_request(kwargs, live, progress),
                files_progress=progress.files,
                systems_progress=progress.systems,
            )
        )
    run = outcome.run
    warn(outcome.loaded.warnings, lang)
    warn_unused(run, lang)
    check_not_inputs(outputs, [Path(f.path) for f in run.run.inputs])
    steps = len(outputs) + (0 if no_history else 1)
    recorded: tuple[int, str] | None = None
    with Staging(outputs) as staged:
        with progress:
            for done, output in enumerate(outputs):
                progress.outputs(done, steps, output.name)
                if output.option == "--json":
                    from auditor.report.json_out import json_chunks

                    staged.write(output, json_chunks(run))
                else:
                    from auditor.report.html import render_html

                    staged.write(output, render_html(run, outcome.catalog, lang).encode("utf-8"))
            if not no_history:  # the last thing that may fail: then no output is written
                progress.recording(len(outputs), steps)
                with HistoryStore.open(db) as store:
                    recorded = (store.record(run, inventory=", ".join(paths)), store.name)
            progress.outputs(steps, steps)
        if recorded is not None and not quiet:
            note = Msg(
                f"đã ghi lại thành lần đánh giá số {recorded[0]} trong {recorded[1]}",
                f"recorded as run {recorded[0]} in {recorded[1]}",
            )
            click.echo(note.get(lang), err=True)
        try:
            staged.commit()
        except CommitError as error:  # the run is in the store: say so, and what is missing
            if recorded is None:
                raise
            raise error.recorded(*recorded) from error
    quiet = quiet or to_stdout(outputs)
    if not quiet:
        from auditor.report import terminal

        terminal.audit_summary(run, console(), lang)
    if fail_on is not None:
        threshold = Severity(fail_on).rank
        if any(
            count and Severity(severity).rank >= threshold
            for severity, count in run.summary.by_severity.items()
        ):
            sys.exit(ExitCode.FINDINGS)


@click.command()
@inventory_argument
@as_of_option
@lang_option
@click.option("--system", "system_ids", multiple=True, help="Only this system (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def level(
    paths: tuple[str, ...], as_of: dt.date, lang: str, system_ids: tuple[str, ...], fmt: str
) -> None:
    """Show the level each system must have, and why.

    Computed under Decree 85/2016 and Decree 331/2026, with the criteria that fired."""
    from auditor.audit import AuditRequest, run_audit
    from auditor.code_words import word_in
    from auditor.messages import day_in
    from auditor.model.inventory import DossierStatus

    outcome = run_audit(AuditRequest(as_paths(paths), as_of, (), lang))
    systems = [s for s in outcome.run.systems if not system_ids or s.id in system_ids]
    require_known(system_ids, {s.id for s in outcome.run.systems})
    approvals: dict[str, str] = {}  # as JSON gives it: the decision, or the dossier's status
    shown: dict[str, str] = {}  # as the table shows it, in words of the chosen language
    for _, system in outcome.loaded.inventory.systems():
        dossier = system.dossier
        if dossier is None:
            approvals[system.id] = shown[system.id] = "—"
        elif dossier.status == DossierStatus.APPROVED and dossier.decision is not None:
            decision = dossier.decision
            approvals[system.id] = f"{decision.number} ({decision.date:%d/%m/%Y})"
            shown[system.id] = f"{decision.number} ({day_in(decision.date, lang)})"
        else:
            approvals[system.id] = str(dossier.status)
            shown[system.id] = word_in(dossier.status, lang)
    if fmt == "json":
        data = [
            {
                "id": s.id,
                "name": s.name,
                "agency": s.agency,
                "approval": approvals[s.id],
                "level": to_dict_level(s),
            }
            for s in systems
        ]
        echo_json(data)
        return
    from auditor.report import terminal

    terminal.level_table(systems, console(), lang, shown)


def to_dict_level(system: SystemResult) -> Any:
    from pydantic import TypeAdapter

    from auditor.model.results import LevelResult

    return TypeAdapter(LevelResult).dump_python(system.level, mode="json")


@click.command()
@inventory_argument
@click.option("--system", "system_id", required=True, help="The system that wants to go live.")
@checklist_option
@as_of_option
@lang_option
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False),
    help="Write the gate decision and reasons as JSON.",
)
@live_options
@audit_scan_options
def gate(
    paths: tuple[str, ...],
    system_id: str,
    checklists: tuple[str, ...],
    as_of: dt.date,
    lang: str,
    json_path: str | None,
    **kwargs: Any,
) -> None:
    """Decide whether a system may go live.

    Exit 0 only if it may be put into operation; otherwise exit 1 with the reasons. With
    --live the system's endpoints and certificates are probed first (that system only)."""
    from auditor.audit import AuditRequest, run_gate
    from auditor.report import terminal
    from auditor.report.outputs import Staging, check_not_inputs, plan_outputs
    from auditor.report.progress import CommandProgress
    from auditor.scoring import gate_blocking

    live = take_live(kwargs)
    outputs = plan_outputs(
        [("--json", json_path)],
        command_inputs(paths, checklists, kwargs["scan_results"], live["ca_bundle"],
                       store=False),
    )
    with CommandProgress(lang) as progress:
        # Only this system is judged: its findings do not depend on the other systems
        # (engine.evaluate_system; tests/e2e/test_cli_gate.py compares it with a full audit).
        outcome = run_gate(
            AuditRequest(
                as_paths(paths),
                as_of,
                as_paths(checklists),
                lang,
                golive_system=system_id,
                live=live_request(as_of, live, progress),
                scan=scan_request(kwargs, live, progress),
                files_progress=progress.files,
                systems_progress=progress.systems,
            )
        )
    warn(outcome.loaded.warnings, lang)
    warn_unused_inputs(outcome.unused_inputs, lang)
    require_known([system_id], {s.id for _, s in outcome.loaded.inventory.systems()})
    system = outcome.system
    assert system is not None  # noqa: S101 - a known system is judged
    blocking = gate_blocking(system.findings)
    rules_by_id = {r.id: r for r in outcome.catalog}
    for output in outputs:
        data = gate_decision(system, as_of, rules_by_id)
        check_not_inputs(outputs, [Path(f.path) for f in outcome.inputs])
        with Staging(outputs) as staged:
            text = json_text(data) + "\n"
            staged.write(output, text.encode())
            staged.commit()
    if not to_stdout(outputs):
        terminal.gate_report(system, blocking, console(), lang, rules_by_id)
    if blocking:
        sys.exit(ExitCode.FINDINGS)


def gate_decision(
    system: SystemResult, as_of: dt.date, rules_by_id: Mapping[str, Rule]
) -> dict[str, Any]:
    """The gate's decision on a system, as `gate --json` writes it."""
    from auditor.model.results import Status
    from auditor.report import terminal
    from auditor.scoring import gate_blocking

    blocking = gate_blocking(system.findings)
    return {
        "system": system.id,
        "as_of": as_of.isoformat(),
        "may_go_live": not blocking,
        "blocking": [
            {
                "rule_id": f.rule_id,
                "status": f.status.value,
                "severity": f.severity.value,
                "title": _title(rules_by_id, f.rule_id),
                "message": {"vi": f.message.vi, "en": f.message.en},
                "remediation": _remediation(rules_by_id, f.rule_id),
                "basis": terminal.gate_basis(system, f, rules_by_id),
            }
            for f in blocking
        ],
        "not_required": [
            {"rule_id": f.rule_id, "reason": {"vi": f.message.vi, "en": f.message.en}}
            for f in system.findings
            if f.gate and f.status is Status.NOT_APPLICABLE
        ],
    }


def _title(rules: Mapping[str, Rule], rule_id: str) -> dict[str, str] | None:
    rule = rules.get(rule_id)
    return None if rule is None else {"vi": rule.title.vi, "en": rule.title.en}


def _remediation(rules: Mapping[str, Rule], rule_id: str) -> dict[str, str] | None:
    rule = rules.get(rule_id)
    return None if rule is None else {"vi": rule.remediation.vi, "en": rule.remediation.en}
