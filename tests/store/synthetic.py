"""Audit runs for the store tests: the example province, and large copies of it.

    python tests/store/synthetic.py --systems 10000 --db /tmp/bench.sqlite   # time record()

`large_run(n)` repeats the example province's systems (about 100 findings each) under new
ids until there are `n` systems, so 10,000 systems give about a million findings.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "inventories" / "example-province"
AS_OF = dt.date(2026, 11, 24)

if str(REPO) not in sys.path:  # run as a script or as a subprocess of a test
    sys.path.insert(0, str(REPO))

from auditor.audit import AuditRequest, run_audit  # noqa: E402
from auditor.model.results import AuditRun, BodyResult, SystemResult  # noqa: E402


@functools.cache
def example_run(as_of: dt.date = AS_OF) -> AuditRun:
    return run_audit(AuditRequest(inventory_paths=[EXAMPLE], as_of=as_of)).run


def _renamed(system: SystemResult, new_id: str) -> SystemResult:
    findings = tuple(
        dataclasses.replace(f, id=f.id.replace(system.id, new_id)) for f in system.findings
    )
    return dataclasses.replace(system, id=new_id, findings=findings)


def large_run(systems: int, base: AuditRun | None = None) -> AuditRun:
    """The example run with `systems` systems (copies of its own, renamed `<id>--<n>`)."""
    base = base or example_run()
    copies: list[SystemResult] = []
    per_agency: dict[str, list[str]] = {a.id: [] for a in base.agencies}
    n = 0
    while len(copies) < systems:
        for system in base.systems:
            if len(copies) == systems:
                break
            copy = _renamed(system, f"{system.id}--{n}")
            copies.append(copy)
            per_agency[system.agency].append(copy.id)
        n += 1
    agencies = tuple(
        dataclasses.replace(a, systems=tuple(per_agency[a.id])) for a in base.agencies
    )
    organisation: BodyResult = dataclasses.replace(
        base.organisation, systems=tuple(c.id for c in copies)
    )
    return dataclasses.replace(
        base, systems=tuple(copies), agencies=agencies, organisation=organisation
    )


def finding_count(run: AuditRun) -> int:
    return (
        len(run.organisation.findings)
        + sum(len(a.findings) for a in run.agencies)
        + sum(len(s.findings) for s in run.systems)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--db", required=True, help="a path or database URL")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    from auditor.store import HistoryStore

    started = time.perf_counter()
    run = large_run(args.systems)
    print(f"built {args.systems} systems, {finding_count(run)} findings "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    with HistoryStore.open(args.db) as store:
        for _ in range(args.repeat):
            started = time.perf_counter()
            run_id = store.record(run, inventory="synthetic")
            print(f"recorded run {run_id} in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        detail = store.run(run_id)
        assert detail is not None
        print(f"read it back ({len(detail.findings)} findings) in "
              f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
