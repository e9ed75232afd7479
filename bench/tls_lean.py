"""A projection for bench/tls_probe.py: `auditor probe tls INV --json --no-legacy` with a lean
start-up, i.e. importing only what that command runs.

    python bench/tls_lean.py INVENTORY CA.pem [AS_OF]

`python -m auditor` imports the whole CLI (the audit engine, HTML report, history store with
SQLAlchemy and Alembic, nmap runner...) before it parses its arguments; `probe tls` needs none
of it. This script makes exactly the library calls of the `probe tls` command in
auditor/cli.py (`_probe_command`) with its default options (`--timeout 5 --workers 32
--per-host 4`, `--no-legacy`, `--ca-bundle CA.pem`) and prints the same JSON, after importing
only those modules plus click and rich (which a lean CLI still needs). Its time minus the
CLI's is what the start-up costs `probe tls`; it is a measurement aid, not a product path.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click  # noqa: F401 - a lean CLI still imports its argument parser
import rich.console  # noqa: F401 - and its console

from auditor.loading.inventory import load_inventory
from auditor.probes.dns import ResolverConfig
from auditor.probes.observe import system_observations
from auditor.probes.runner import ProbeOptions, run_probes
from auditor.probes.targets import cert_roots, plan_probes
from auditor.report import probe_tables
from auditor.report.progress import ProbeProgress


def main() -> int:
    inventory, ca = Path(sys.argv[1]), Path(sys.argv[2])
    as_of = dt.date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else dt.date.today()
    loaded = load_inventory([inventory])
    plan = plan_probes(loaded.inventory, loaded.system_origins, ca_bundle=ca,
                       only_system=None, cert_roots=cert_roots([inventory], []))
    options = ProbeOptions(as_of=as_of, timeout=5.0, workers=32, per_host=4, time_limit=None,
                           resolver=ResolverConfig(timeout=5.0), check_legacy=False,
                           probes=frozenset({"tls", "files"}))
    with ProbeProgress("vi", enabled=False) as progress:
        results = run_probes(plan, options, progress)
    observations = system_observations(results)
    data = {
        "as_of": as_of.isoformat(),
        "started_at": results.started_at,
        "finished_at": results.finished_at,
        "observations": probe_tables.records(observations, ("tls", "certs")),
    }
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
