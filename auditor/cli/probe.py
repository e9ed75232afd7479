"""probe tls / ipv6 and scan: observe what the inventory names, judge nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from auditor.cli.live import live_options, probe_options, scan_choices, scan_options, take_live
from auditor.cli.options import (
    as_of_option,
    as_paths,
    command_inputs,
    console,
    echo_json,
    inventory_argument,
    lang_option,
    require_known,
    to_stdout,
)
from auditor.messages import Msg


@click.group()
def probe() -> None:
    """Run one live probe and print what it observes (judges nothing)."""


def _probe_command(
    name: str, probes: frozenset[str], collections: tuple[str, ...], table: str, doc: str
) -> None:
    """`auditor probe NAME`: run `probes`, print `collections` as JSON or with
    auditor.report.probe_tables.`table`."""

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
        from auditor.loading.inventory import load_inventory
        from auditor.probes.observe import system_observations
        from auditor.probes.runner import run_probes
        from auditor.probes.targets import cert_roots, plan_probes
        from auditor.report import probe_tables
        from auditor.report.progress import CommandProgress

        live = take_live(kwargs)
        loaded = load_inventory(as_paths(paths))
        if system_id is not None:
            require_known([system_id], {s.id for _, s in loaded.inventory.systems()})
        plan = plan_probes(
            loaded.inventory,
            loaded.system_origins,
            ca_bundle=Path(live["ca_bundle"]) if live["ca_bundle"] else None,
            only_system=system_id,
            cert_roots=cert_roots(as_paths(paths), as_paths(live["allow_cert_paths"])),
        )
        with CommandProgress(lang, enabled=not as_json) as progress:
            results = run_probes(plan, probe_options(as_of, live, probes), progress)
        observations = system_observations(results)
        if as_json:
            echo_json({
                "as_of": as_of.isoformat(),
                "started_at": results.started_at,
                "finished_at": results.finished_at,
                "observations": probe_tables.records(observations, collections),
            })
            return
        getattr(probe_tables, table)(observations, console(), lang)


_probe_command(
    "tls",
    frozenset({"tls", "files"}),
    ("tls", "certs"),
    "tls_table",
    "Handshake with every HTTPS endpoint at every address, and read certificate files.",
)
_probe_command(
    "ipv6",
    frozenset({"ipv6"}),
    ("endpoints",),
    "ipv6_table",
    "Test the IPv6 readiness of every web endpoint (internet.nl's five web tests).",
)
_probe_command(
    "dns",
    frozenset({"dns"}),
    ("endpoints",),
    "dns_table",
    "Validate DNSSEC (from --trust-anchor) and read CAA for every endpoint's host name.",
)


@click.command()
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
    from auditor.loading.inventory import load_inventory
    from auditor.report import probe_tables
    from auditor.report.outputs import Staging, plan_outputs
    from auditor.report.progress import CommandProgress
    from auditor.scan.model import merge_runs
    from auditor.scan.observe import scan_observations
    from auditor.scan.store import load_scan, scan_bytes

    outputs = plan_outputs([("--save", save_path)], command_inputs(paths, (), imports))
    if as_json and to_stdout(outputs):
        raise click.UsageError("--json and --save - both write to standard output")
    loaded = load_inventory(as_paths(paths))
    if system_id is not None:
        require_known([system_id], {s.id for _, s in loaded.inventory.systems()})
    if imports:
        runs = [load_scan(Path(i)) for i in imports]
    else:
        from auditor.scan.nmap_runner import run_scan
        from auditor.scan.targets import scan_targets

        options = scan_options(choices, time_limit)
        targets = scan_targets(loaded.inventory, system_id)
        with CommandProgress(lang, enabled=not as_json) as progress:
            runs = [run_scan(targets, options, progress)]
    merged = merge_runs(runs)
    with Staging(outputs) as staged:
        staged.write(outputs[0], scan_bytes(merged))
        staged.commit()
    observations, unmatched = scan_observations(loaded.inventory, [merged], as_of, system_id)
    if as_json:
        echo_json({
            "as_of": as_of.isoformat(),
            "source": merged.source,
            "notes": list(merged.notes),
            "observations": probe_tables.records(
                observations, ("open_ports", "expected_ports", "certs")
            ),
            "not_in_inventory": [h.address for h in unmatched],
        })
        return
    if not to_stdout(outputs):
        probe_tables.ports_table(observations, unmatched, merged.notes, console(), lang)
    names = outputs[0].names
    click.echo(Msg(f"đã lưu: {names.vi}", f"saved: {names.en}").get(lang), err=True)
