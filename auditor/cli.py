"""Command-line interface: parse, call the core, print, choose the exit code. Nothing more."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from pydantic import TypeAdapter
from rich.console import Console

from auditor import __version__
from auditor.accounting import unused_attestations
from auditor.audit import AuditRequest, LiveRequest, ScanRequest, run_audit
from auditor.errors import AuditorError, InputWarning
from auditor.exit_codes import ExitCode
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import YAML_SUFFIXES, InventoryFile, load_inventory
from auditor.messages import DEFAULT_LANG, LANGS, Msg, os_error
from auditor.model.inventory import DossierStatus, Regime
from auditor.model.results import AuditRun, LevelResult, Severity, Status, SystemResult
from auditor.probes.dns import ResolverConfig, parse_resolver
from auditor.probes.observe import system_observations
from auditor.probes.runner import PROBES, ProbeOptions, run_probes
from auditor.probes.targets import cert_roots, plan_probes
from auditor.report import history as history_views
from auditor.report import probe_tables, terminal
from auditor.report.console import terminal_console
from auditor.report.html import render_html
from auditor.report.json_out import json_chunks, results_schema
from auditor.report.outputs import (
    CommitError,
    Output,
    Staging,
    check_not_inputs,
    input_files,
    plan_outputs,
)
from auditor.report.progress import ProbeProgress
from auditor.safe_text import json_safe, safe_layout, safe_text
from auditor.scan.model import merge_runs
from auditor.scan.nmap_runner import Profile, ScanOptions, run_scan, validate_ports
from auditor.scan.observe import scan_observations
from auditor.scan.store import load_scan, scan_bytes
from auditor.scan.targets import scan_targets
from auditor.scoring import gate_blocking
from auditor.store import DB_ENV, HistoryStore, RunDetail
from auditor.store.database import store_file

SEVERITIES = [s.value for s in Severity]
_LEVEL_ADAPTER: TypeAdapter[LevelResult] = TypeAdapter(LevelResult)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise click.BadParameter(f"'{value}' is not a date (use YYYY-MM-DD or dd/mm/yyyy)")


def _paths(values: Sequence[str]) -> list[Path]:
    return [Path(v) for v in values]


as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=_parse_date,
    metavar="DATE",
    help="Audit date (YYYY-MM-DD or dd/mm/yyyy); default today. Makes re-runs reproducible.",
)
checklist_option = click.option(
    "--checklist",
    "checklists",
    multiple=True,
    type=click.Path(dir_okay=True),
    help="Extra checklist file or folder, validated like the shipped ones (repeatable).",
)


@dataclass
class _Session:
    """What `main` needs once a command has ended, however it ended: the language it asked
    for, to report an error in (Vietnamese until `--lang` says otherwise)."""

    lang: str = DEFAULT_LANG


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    session = ctx.find_object(_Session)
    if session is not None:
        session.lang = value
    return value


# Errors and warnings (ours: input, output, store) follow --lang. Click's own usage errors
# ("No such option", "Invalid value for '--system'", help texts) stay in English: they are
# click's wording, and so are the usage errors our commands raise through click.
lang_option = click.option(
    "--lang",
    type=click.Choice(list(LANGS)),
    default=DEFAULT_LANG,
    show_default=True,
    callback=_remember_lang,
    help="Language of messages (errors and warnings included) and tables.",
)

_ERROR = Msg("auditor: lỗi: ", "auditor: error: ")
_WARNING = Msg("auditor: cảnh báo: ", "auditor: warning: ")

inventory_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(dir_okay=True)
)


def _resolver(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, int] | None:
    if value is None:
        return None
    try:
        return parse_resolver(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


_LIVE_OPTIONS = (
    click.option(
        "--live",
        is_flag=True,
        help="Probe the endpoints and certificates the "
        "inventory names (TLS, HTTP redirect, DNS/IPv6, certificate files).",
    ),
    click.option(
        "--resolver",
        callback=_resolver,
        metavar="ADDR[:PORT]",
        help="DNS server to ask (an IP address); default: the system's resolver.",
    ),
    click.option(
        "--ns-port",
        type=click.IntRange(1, 65535),
        default=53,
        show_default=True,
        help="Port for querying name servers directly (IPv6 test 2; lab setups).",
    ),
    click.option(
        "--ca-bundle",
        type=click.Path(exists=True, dir_okay=False),
        help="Extra trusted CAs (PEM), e.g. the Government CA, where the inventory "
        "names no tls_policy.ca_bundle.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(0.1, 120),
        default=5.0,
        show_default=True,
        help="Seconds per connection attempt or DNS query.",
    ),
    click.option(
        "--workers",
        type=click.IntRange(1, 512),
        default=32,
        show_default=True,
        help="Probes running at once.",
    ),
    click.option(
        "--per-host",
        type=click.IntRange(1, 64),
        default=4,
        show_default=True,
        help="Connections at once to one address.",
    ),
    click.option(
        "--no-legacy",
        is_flag=True,
        help="Skip the TLS 1.0/1.1 handshakes (two per address); TLS-02 then reports "
        "an error (not checked).",
    ),
    click.option(
        "--allow-cert-path",
        "allow_cert_paths",
        multiple=True,
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Also read certificate files named in the inventory from this folder "
        "(repeatable); by default only files inside the inventory's folder tree are read.",
    ),
    click.option(
        "--time-limit",
        type=click.FloatRange(1, 86400),
        default=None,
        help="Seconds for all probes; targets not started by then are reported "
        "as errors (not probed).",
    ),
)


def live_options(function: Any) -> Any:
    for option in reversed(_LIVE_OPTIONS):
        function = option(function)
    return function


def _probe_options(
    as_of: dt.date, live: dict[str, Any], probes: frozenset[str] = frozenset(PROBES)
) -> ProbeOptions:
    resolver = live["resolver"]
    config = ResolverConfig(
        address=resolver[0] if resolver else None,
        port=resolver[1] if resolver else 53,
        ns_port=live["ns_port"],
        timeout=live["timeout"],
    )
    return ProbeOptions(
        as_of=as_of,
        timeout=live["timeout"],
        workers=live["workers"],
        per_host=live["per_host"],
        time_limit=live["time_limit"],
        resolver=config,
        check_legacy=not live["no_legacy"],
        probes=probes,
    )


def _live_request(
    as_of: dt.date, live: dict[str, Any], progress: ProbeProgress
) -> LiveRequest | None:
    if not live["live"]:
        return None
    bundle = Path(live["ca_bundle"]) if live["ca_bundle"] else None
    allowed = tuple(_paths(live["allow_cert_paths"]))
    return LiveRequest(_probe_options(as_of, live), bundle, progress, allowed)


_LIVE_KEYS = (
    "live",
    "no_legacy",
    "resolver",
    "ns_port",
    "ca_bundle",
    "timeout",
    "workers",
    "per_host",
    "time_limit",
    "allow_cert_paths",
)


def _take_live(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: kwargs.pop(key) for key in _LIVE_KEYS}


def _ports_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return validate_ports(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


_SCAN_CHOICES = (
    click.option("--profile", type=click.Choice([p.value for p in Profile]), default="standard",
                 show_default=True,
                 help="quick: top 100 ports; standard: top 1000 with service detection; "
                 "full: every TCP port with service detection."),
    click.option("--ports", callback=_ports_option, metavar="LIST",
                 help="Ports instead of the profile's, e.g. '22,80,443,8000-8100' or "
                 "'T:443,U:53'."),
    click.option("--timing", type=click.IntRange(0, 5), help="nmap timing template -T0…-T5."),
    click.option("--tls-scripts", is_flag=True,
                 help="Run nmap's ssl-cert and ssl-enum-ciphers scripts (certificate facts)."),
    click.option("--host-timeout", type=click.FloatRange(1, 86400), default=300,
                 show_default=True, help="Seconds nmap may spend on one host."),
    click.option("--allow-large-networks", is_flag=True,
                 help="Scan declared networks larger than 1,024 addresses."),
)
_SCAN_KEYS = ("profile", "ports", "timing", "tls_scripts", "host_timeout",
              "allow_large_networks")


def scan_choices(function: Any) -> Any:
    for option in reversed(_SCAN_CHOICES):
        function = option(function)
    return function


def _scan_options(choices: dict[str, Any], time_limit: float | None) -> ScanOptions:
    return ScanOptions(
        profile=Profile(choices["profile"]),
        ports=choices["ports"],
        timing=choices["timing"],
        tls_scripts=choices["tls_scripts"],
        host_timeout=choices["host_timeout"],
        time_limit=time_limit,
        allow_large_networks=choices["allow_large_networks"],
    )


_AUDIT_SCAN_OPTIONS = (
    click.option("--scan", "scan_now", is_flag=True,
                 help="With --live: port-scan the hosts and networks the inventory names "
                 "(nmap)."),
    click.option("--scan-results", "scan_results", multiple=True,
                 type=click.Path(exists=True, dir_okay=False),
                 help="A saved scan (auditor scan --save) or an nmap -oX file to judge; "
                 "repeatable; no network I/O."),
)


def audit_scan_options(function: Any) -> Any:
    for option in reversed(_AUDIT_SCAN_OPTIONS):
        function = option(function)
    return scan_choices(function)


def _scan_request(kwargs: dict[str, Any], live: dict[str, Any], progress: ProbeProgress
                  ) -> ScanRequest | None:
    choices = {key: kwargs.pop(key) for key in _SCAN_KEYS}
    scan_now, results = kwargs.pop("scan_now"), kwargs.pop("scan_results")
    if scan_now and not live["live"]:
        raise click.UsageError("--scan needs --live (it sends traffic to the hosts)")
    if not scan_now and not results:
        return None
    options = _scan_options(choices, live["time_limit"]) if scan_now else None
    return ScanRequest(options, tuple(Path(r) for r in results), progress)


db_option = click.option(
    "--db",
    metavar="PATH|URL",
    help=f"History store: a SQLite file or a database URL (postgresql+psycopg://…); default "
    f"${DB_ENV}, else ~/.local/share/auditor/history.sqlite.",
)


def _warn(warnings: Sequence[InputWarning], lang: str) -> None:
    """Input accepted but almost surely wrong: one line each on stderr (never fatal)."""
    for warning in warnings:
        click.echo(f"{_WARNING.get(lang)}{safe_text(warning.render(lang))}", err=True)


def _console() -> Console:
    # Control and bidi characters in inventory text are shown escaped, never sent raw.
    return terminal_console()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit Vietnamese government information systems against their security level:
    Decree 85/2016 and Decree 331/2026 levels, TCVN 11930 / Circular 12 requirements,
    the 4-layer model of Directive 14, go-live conditions; with --live, certificates,
    TLS and IPv6 readiness as observed."""


def _warn_unused(run: AuditRun, lang: str) -> None:
    """Every attestation no rule reads, with its file:line and the reason (on stderr)."""
    for unused in unused_attestations(run):
        click.echo(f"{_WARNING.get(lang)}{safe_text(unused.render(lang))}", err=True)


def _command_inputs(
    paths: Sequence[str],
    checklists: Sequence[str] = (),
    others: Sequence[str | None] = (),
    ca_bundle: str | None = None,
    db: str | None = None,
    *,
    store: bool = True,
) -> list[Path]:
    """Every file a command reads (or records into): no output may be written over one."""
    found = input_files(_paths([*paths, *checklists]), YAML_SUFFIXES)
    found += [Path(o) for o in (*others, ca_bundle) if o]
    where = store_file(db) if store else None
    return [*found, *([where] if where else [])]


def _to_stdout(outputs: Sequence[Output]) -> bool:
    """Whether an output goes to standard output (then nothing else is printed there)."""
    return any(o.path is None for o in outputs)


@cli.command()
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
    outcome = run_audit(AuditRequest(_paths(paths), as_of, _paths(checklists), lang))
    loaded = outcome.loaded
    _warn(loaded.warnings, lang)
    files, agencies = len(loaded.files), len(loaded.inventory.agencies)
    systems = sum(len(a.systems) for a in loaded.inventory.agencies)
    _warn_unused(outcome.run, lang)
    rules = len(outcome.catalog)
    summary = Msg(
        f"hợp lệ: {files} tệp danh mục kiểm kê, {agencies} cơ quan, {systems} hệ thống; "
        f"{rules} quy tắc",
        f"ok: {files} inventory file(s), {agencies} agencies, {systems} systems; {rules} rules",
    )
    click.echo(summary.get(lang))


@cli.command()
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
    live = _take_live(kwargs)
    outputs = plan_outputs(
        [("--json", json_path), ("--output", html_path)],
        _command_inputs(paths, checklists, kwargs["scan_results"], live["ca_bundle"], db),
    )
    if not no_history:
        HistoryStore.check_writable(db)
    with ProbeProgress(lang, enabled=not quiet) as progress:
        outcome = run_audit(
            AuditRequest(
                _paths(paths),
                as_of,
                _paths(checklists),
                lang,
                live=_live_request(as_of, live, progress),
                scan=_scan_request(kwargs, live, progress),
            )
        )
    run = outcome.run
    _warn(outcome.loaded.warnings, lang)
    _warn_unused(run, lang)
    check_not_inputs(outputs, [Path(f.path) for f in run.run.inputs])
    with Staging(outputs) as staged:
        for output in outputs:
            if output.option == "--json":
                staged.write(output, json_chunks(run))
            else:
                staged.write(output, render_html(run, outcome.catalog, lang).encode("utf-8"))
        recorded: tuple[int, str] | None = None
        if not no_history:  # the last thing that may fail: then no output is written
            with HistoryStore.open(db) as store:
                recorded = (store.record(run, inventory=", ".join(paths)), store.name)
            if not quiet:
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
    quiet = quiet or _to_stdout(outputs)
    if not quiet:
        terminal.audit_summary(run, _console(), lang)
    if fail_on is not None:
        threshold = Severity(fail_on).rank
        if any(
            count and Severity(severity).rank >= threshold
            for severity, count in run.summary.by_severity.items()
        ):
            sys.exit(ExitCode.FINDINGS)


@cli.command()
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
    outcome = run_audit(AuditRequest(_paths(paths), as_of, (), lang))
    systems = [s for s in outcome.run.systems if not system_ids or s.id in system_ids]
    _require_known(system_ids, {s.id for s in outcome.run.systems})
    approvals: dict[str, str] = {}
    for _, system in outcome.loaded.inventory.systems():
        dossier = system.dossier
        if dossier is None:
            approvals[system.id] = "—"
        elif dossier.status == DossierStatus.APPROVED and dossier.decision is not None:
            decision = dossier.decision
            approvals[system.id] = f"{decision.number} ({decision.date:%d/%m/%Y})"
        else:
            approvals[system.id] = str(dossier.status)
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
        _echo_json(data)
        return
    terminal.level_table(systems, _console(), lang, approvals)


def to_dict_level(system: SystemResult) -> Any:
    return _LEVEL_ADAPTER.dump_python(system.level, mode="json")


def _require_known(wanted: Sequence[str], known: set[str]) -> None:
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown system id(s): {', '.join(unknown)}", param_hint="--system"
        )


@cli.command()
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
    live = _take_live(kwargs)
    outputs = plan_outputs(
        [("--json", json_path)],
        _command_inputs(paths, checklists, kwargs["scan_results"], live["ca_bundle"],
                        store=False),
    )
    with ProbeProgress(lang) as progress:
        outcome = run_audit(
            AuditRequest(
                _paths(paths),
                as_of,
                _paths(checklists),
                lang,
                golive_system=system_id,
                live=_live_request(as_of, live, progress),
                scan=_scan_request(kwargs, live, progress),
            )
        )
    _warn(outcome.loaded.warnings, lang)
    _require_known([system_id], {s.id for s in outcome.run.systems})
    system = next(s for s in outcome.run.systems if s.id == system_id)
    blocking = gate_blocking(system.findings)
    rules_by_id = {r.id: r for r in outcome.catalog}
    for output in outputs:
        data = {
            "system": system.id,
            "as_of": as_of.isoformat(),
            "may_go_live": not blocking,
            "blocking": [
                {
                    "rule_id": f.rule_id,
                    "status": f.status.value,
                    "severity": f.severity.value,
                    "message": {"vi": f.message.vi, "en": f.message.en},
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
        check_not_inputs(outputs, [Path(f.path) for f in outcome.run.run.inputs])
        with Staging(outputs) as staged:
            text = _json_text(data) + "\n"
            staged.write(output, text.encode())
            staged.commit()
    if not _to_stdout(outputs):
        terminal.gate_report(system, blocking, _console(), lang, rules_by_id)
    if blocking:
        sys.exit(ExitCode.FINDINGS)


@cli.group()
def rules() -> None:
    """List and show the rules in force."""


@rules.command("list")
@checklist_option
@click.option(
    "--level", "level_", type=click.IntRange(1, 5), help="Only rules a level-N system must meet."
)
@click.option("--regime", type=click.Choice([r.value for r in Regime]), help="Only this regime.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@lang_option
def rules_list(
    checklists: tuple[str, ...], level_: int | None, regime: str | None, fmt: str, lang: str
) -> None:
    """List rules, optionally those applying at one level."""
    catalog, _ = load_catalog(_paths(checklists))
    selected = list(catalog)
    if level_ is not None:
        selected = catalog.for_level(level_, Regime(regime) if regime else None)
    elif regime is not None:
        selected = [r for r in selected if Regime(regime) in r.regimes]
    if fmt == "json":
        data = [r.model_dump(mode="json") for r in selected]
        _echo_json(data)
        return
    terminal.rules_table(selected, _console(), lang, level_)


@rules.command("show")
@click.argument("rule_id")
@checklist_option
@lang_option
def rules_show(rule_id: str, checklists: tuple[str, ...], lang: str) -> None:
    """Show one rule with every field."""
    catalog, _ = load_catalog(_paths(checklists))
    rule = catalog.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"no rule '{rule_id}'", param_hint="RULE_ID")
    _echo_json(rule.model_dump(mode="json"), sort_keys=False)


@cli.group()
def probe() -> None:
    """Run one live probe and print what it observes (judges nothing)."""


def _probe_command(
    name: str, probes: frozenset[str], collections: tuple[str, ...], table: Any, doc: str
) -> None:
    @probe.command(name, help=doc)
    @inventory_argument
    @click.option("--system", "system_id", help="Only this system.")
    @as_of_option
    @lang_option
    @click.option("--json", "as_json", is_flag=True, help="Print the observations as JSON.")
    @live_options
    def command(
        paths: tuple[str, ...],
        system_id: str | None,
        as_of: dt.date,
        lang: str,
        as_json: bool,
        **kwargs: Any,
    ) -> None:
        live = _take_live(kwargs)
        loaded = load_inventory(_paths(paths))
        if system_id is not None:
            _require_known([system_id], {s.id for _, s in loaded.inventory.systems()})
        plan = plan_probes(
            loaded.inventory,
            loaded.system_origins,
            ca_bundle=Path(live["ca_bundle"]) if live["ca_bundle"] else None,
            only_system=system_id,
            cert_roots=cert_roots(_paths(paths), _paths(live["allow_cert_paths"])),
        )
        with ProbeProgress(lang, enabled=not as_json) as progress:
            results = run_probes(plan, _probe_options(as_of, live, probes), progress)
        observations = system_observations(results)
        if as_json:
            data = {
                "as_of": as_of.isoformat(),
                "started_at": results.started_at,
                "finished_at": results.finished_at,
                "observations": probe_tables.records(observations, collections),
            }
            _echo_json(data)
            return
        table(observations, _console(), lang)


_probe_command(
    "tls",
    frozenset({"tls", "files"}),
    ("tls", "certs"),
    probe_tables.tls_table,
    "Handshake with every HTTPS endpoint at every address, and read certificate files.",
)
_probe_command(
    "ipv6",
    frozenset({"ipv6"}),
    ("endpoints",),
    probe_tables.ipv6_table,
    "Test the IPv6 readiness of every web endpoint (internet.nl's five web tests).",
)


@cli.command()
@inventory_argument
@click.option("--system", "system_id", help="Only this system's hosts and networks.")
@scan_choices
@click.option("--time-limit", type=click.FloatRange(1, 86400), default=None,
              help="Seconds for each nmap process; a hung nmap is stopped and its hosts are "
              "reported as errors.")
@click.option("--import", "imports", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Match an existing nmap -oX file (or a saved scan) to the inventory instead "
              "of scanning; repeatable.")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default="scan.json",
              show_default=True,
              help="Where to store the observations, for `auditor audit --scan-results`.")
@click.option("--json", "as_json", is_flag=True, help="Print the observations as JSON.")
@as_of_option
@lang_option
def scan(paths: tuple[str, ...], system_id: str | None, time_limit: float | None,
         imports: tuple[str, ...], save_path: str, as_json: bool, as_of: dt.date, lang: str,
         **choices: Any) -> None:
    """Port-scan the hosts and networks the inventory names (nmap), or import nmap XML.

    Only declared addresses, host names and networks are scanned, each validated before it
    reaches nmap. The observations are saved for `auditor audit --scan-results`."""
    outputs = plan_outputs([("--save", save_path)], _command_inputs(paths, (), imports))
    if as_json and _to_stdout(outputs):
        raise click.UsageError("--json and --save - both write to standard output")
    loaded = load_inventory(_paths(paths))
    if system_id is not None:
        _require_known([system_id], {s.id for _, s in loaded.inventory.systems()})
    if imports:
        runs = [load_scan(Path(i)) for i in imports]
    else:
        options = _scan_options(choices, time_limit)
        targets = scan_targets(loaded.inventory, system_id)
        with ProbeProgress(lang, enabled=not as_json) as progress:
            runs = [run_scan(targets, options, progress)]
    merged = merge_runs(runs)
    with Staging(outputs) as staged:
        staged.write(outputs[0], scan_bytes(merged))
        staged.commit()
    observations, unmatched = scan_observations(loaded.inventory, [merged], as_of, system_id)
    if as_json:
        data = {
            "as_of": as_of.isoformat(),
            "source": merged.source,
            "notes": list(merged.notes),
            "observations": probe_tables.records(
                observations, ("open_ports", "expected_ports", "certs")
            ),
            "not_in_inventory": [h.address for h in unmatched],
        }
        _echo_json(data)
        return
    if not _to_stdout(outputs):
        probe_tables.ports_table(observations, unmatched, merged.notes, _console(), lang)
    names = outputs[0].names
    click.echo(Msg(f"đã lưu: {names.vi}", f"saved: {names.en}").get(lang), err=True)


# A run id: a positive whole number that fits a 64-bit database column.
RUN_ID = click.IntRange(1, 2**63 - 1)


@cli.group()
def history() -> None:
    """List, show and compare the audit runs recorded in the history store."""


@history.command("list")
@db_option
@click.option("--organisation", help="Only runs of this organisation id.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
@lang_option
def history_list(db: str | None, organisation: str | None, as_json: bool, lang: str) -> None:
    """The recorded runs, newest first."""
    with HistoryStore.open_reader(db) as store:
        rows = store.runs(organisation=organisation)
    if as_json:
        _echo_json([history_views.run_json(r) for r in rows])
        return
    history_views.runs_table(rows, _console(), lang)


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
    with HistoryStore.open_reader(db) as store:
        detail = _detail(store, run_id)
    if as_json:
        _echo_json(history_views.detail_json(detail))
        return
    history_views.show_run(detail, _console(), lang)


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
    with HistoryStore.open_reader(db) as store:
        if before is None or after is None:
            latest = store.runs()
            if len(latest) < 2:
                raise click.UsageError("the history holds fewer than two runs to compare")
            before, after = latest[1].id, latest[0].id
        diff = history_views.diff_runs(_detail(store, before), _detail(store, after))
    if as_json:
        _echo_json(history_views.diff_json(diff))
        return
    history_views.show_diff(diff, _console(), lang)


@cli.group()
def report() -> None:
    """Reports built from the audits recorded in the history store."""


def _optional_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return None if value is None else _parse_date(ctx, param, value)


@report.command("annual")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Report year; its data period runs 15/12 of the year before to 14/12. "
              "Default: this year.")
@click.option("--since", callback=_optional_date, metavar="DATE",
              help="Start of a non-statutory data period (default 15/12 of the year before).")
@click.option("--until", callback=_optional_date, metavar="DATE",
              help="End of a non-statutory data period (default 14/12 of the year).")
@click.option("-o", "--output", "html_path", type=click.Path(dir_okay=False),
              help="Write the report as one self-contained HTML page.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False),
              help="Write the report as PDF (headless Chromium; A4).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False),
              help="Write the annex (one row per system, indicators) as an Excel workbook.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write the annex's system rows as CSV (UTF-8).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the report's figures as JSON.")
@click.option("--targets", "targets_path", type=click.Path(dir_okay=False),
              help="YAML file of the province's targets (default: 100 %; no expired "
              "certificate).")
@click.option("--organisation", help="The organisation id, when the store holds several.")
@checklist_option
@click.option("--browser", metavar="PATH",
              help="Chromium to print the PDF with (default $AUDITOR_CHROMIUM, else chromium "
              "on PATH).")
@lang_option
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Do not print the indicators table.")
def report_annual(
    year: int | None,
    since: dt.date | None,
    until: dt.date | None,
    html_path: str | None,
    pdf_path: str | None,
    xlsx_path: str | None,
    csv_path: str | None,
    json_path: str | None,
    targets_path: str | None,
    organisation: str | None,
    checklists: tuple[str, ...],
    browser: str | None,
    lang: str,
    db: str | None,
    quiet: bool,
) -> None:
    """The annual report to the ministry (Decree 331 Form 08) from the audits already run:
    each system as its last audit of the period saw it, indicators against targets, and the
    trend against the year before."""
    # Imported here: openpyxl and the report modules cost start-up time every other command
    # would pay for nothing.
    from auditor.annual import AnnualRequest, run_annual
    from auditor.report.annual import terminal as annual_terminal
    from auditor.report.annual.figures import custom_period, statutory_period

    year = year if year is not None else dt.date.today().year
    if since is None and until is None:
        period = statutory_period(year)
    else:
        default = statutory_period(year)
        try:
            period = custom_period(year, since or default.since, until or default.until)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--since/--until") from None
    request = AnnualRequest(
        period=period,
        lang=lang,
        db=db,
        organisation=organisation,
        targets=Path(targets_path) if targets_path else None,
        checklists=tuple(_paths(checklists)),
        html=Path(html_path) if html_path else None,
        pdf=Path(pdf_path) if pdf_path else None,
        xlsx=Path(xlsx_path) if xlsx_path else None,
        csv=Path(csv_path) if csv_path else None,
        json=Path(json_path) if json_path else None,
        browser=browser,
    )
    if not request.outputs():
        raise click.UsageError("nothing to write: give --output, --pdf, --xlsx, --csv or --json")
    outcome = run_annual(request)
    for output in outcome.written:
        names = output.names
        click.echo(Msg(f"đã ghi: {names.vi}", f"written: {names.en}").get(lang), err=True)
    if not quiet and not _to_stdout(outcome.written):
        annual_terminal.annual_summary(outcome.figures, _console(), lang)


def _json_text(data: Any, *, sort_keys: bool = True) -> str:
    """JSON as the commands print it: indented, UTF-8, and with DEL, C1 controls and bidi
    characters of inventory text written as JSON escapes (the data is exact; a terminal
    showing it acts on none of them)."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys))


def _echo_json(data: Any, *, sort_keys: bool = True) -> None:
    click.echo(_json_text(data, sort_keys=sort_keys))


@cli.command()
@click.option("--results", is_flag=True, help="The schema of the JSON results instead.")
def schema(results: bool) -> None:
    """Print the JSON Schema of inventories or results."""
    data = results_schema() if results else InventoryFile.model_json_schema()
    _echo_json(data)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: every AuditorError becomes one line on stderr and exit code 2, in the
    language of the command's --lang (Vietnamese by default)."""
    session = _Session()
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="auditor",
            standalone_mode=False,
            obj=session,
        )
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.BAD_INPUT)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    except AuditorError as exc:
        lang = session.lang
        click.echo(f"{_ERROR.get(lang)}{safe_layout(exc.render(lang))}", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    except OSError as exc:
        lang = session.lang
        reason = f"{os_error(exc).get(lang)}: {exc.filename or ''}".rstrip(": ")
        click.echo(f"{_ERROR.get(lang)}{safe_layout(reason)}", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    sys.exit(ExitCode.OK)
