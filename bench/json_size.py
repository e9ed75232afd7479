"""How large the JSON results are, how long writing them takes and how much memory it needs.

    python bench/json_size.py bench/out/p10k                 # audit once, then measure
    python bench/json_size.py bench/out/p10k --out /tmp/p10k.json --read

One child process audits the inventory (`auditor.audit.run_audit`, as the CLI does, at
`--as-of`, default 2026-11-24), then:

- **stream**: writes the results to `--out` chunk by chunk, as `auditor audit --json` does
  (`auditor.report.json_out.json_chunks`); its wall time, the file's size, and the peak RSS
  *of the write alone* — the kernel's high-water mark is reset (`/proc/self/clear_refs`)
  just before, so the figure is the RSS the process reached while writing, i.e. the run
  plus whatever the writer holds;
- **to_json**: `auditor.report.json_out.to_json(run)` (the whole document as one bytes
  object), its wall time and its own peak RSS the same way;
- with `--read`: `auditor.report.json_in.read_results(path)` of the file just written (when
  this auditor has a reader), its time and peak RSS, in a fresh process.

Wall and CPU seconds are both given: on a shared machine the wall time of the same work
varies by tens of per cent, its CPU time much less. The cyclic garbage collector is paused
during each step, as the CLI pauses it. Nothing touches the network. Prints one JSON object
per step and a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MIB = 2**20


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB -> MiB
    return float("nan")


def _measured(step: str, work: Any) -> dict[str, Any]:
    gc.collect()
    gc.disable()
    before = _status("VmRSS")
    exact = _reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    value = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _status("VmHWM")
    gc.enable()
    return {
        "step": step,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "rss_before_mib": round(before, 1),
        "peak_mib": round(peak, 1),
        "peak_above_before_mib": round(peak - before, 1) if exact else None,
        "value": value,
    }


def child(data: Path, out: Path, as_of: dt.date) -> None:
    from auditor.audit import AuditRequest, run_audit
    from auditor.report.json_out import json_chunks, to_json

    start = time.perf_counter()
    run = run_audit(AuditRequest([data], as_of)).run
    findings = len(run.organisation.findings) + sum(len(a.findings) for a in run.agencies)
    findings += sum(len(s.findings) for s in run.systems)
    print(json.dumps({"step": "audit", "seconds": round(time.perf_counter() - start, 3),
                      "systems": len(run.systems), "findings": findings}), flush=True)

    def stream() -> int:
        with out.open("wb") as handle:
            for chunk in json_chunks(run):
                handle.write(chunk)
        return out.stat().st_size

    print(json.dumps(_measured("stream", stream)), flush=True)
    print(json.dumps(_measured("to_json", lambda: len(to_json(run)))), flush=True)


def reader(path: Path) -> None:
    try:
        from auditor.report.json_in import read_results
    except ImportError:
        print(json.dumps({"step": "read", "value": "no reader in this auditor"}))
        return

    def read() -> int:
        run = read_results(path)
        return sum(len(s.findings) for s in run.systems)

    print(json.dumps(_measured("read", read)), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inventory", type=Path)
    parser.add_argument("--out", type=Path, default=Path("bench/out/json-size.json"))
    parser.add_argument("--as-of", default="2026-11-24")
    parser.add_argument("--read", action="store_true", help="also time reading the file back")
    parser.add_argument("--child", choices=("write", "read"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "write":
        child(args.inventory, args.out, dt.date.fromisoformat(args.as_of))
        return 0
    if args.child == "read":
        reader(args.out)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    base = [sys.executable, __file__, str(args.inventory), "--out", str(args.out),
            "--as-of", args.as_of]
    children = [[*base, "--child", "write"]]
    if args.read:
        children.append([*base, "--child", "read"])
    for command in children:
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            command, check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
        for line in done.stdout.splitlines():
            row = json.loads(line)
            print(line)
            rows.append(row)
    print()
    print("| step | wall s | CPU s | value | RSS before MiB | peak MiB | peak above before MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        if "peak_mib" in row:
            print(f"| {row['step']} | {row['seconds']:.2f} | {row['cpu_seconds']:.2f} | "
                  f"{row['value']:,} | "
                  f"{row['rss_before_mib']:.0f} | {row['peak_mib']:.0f} | "
                  f"{row['peak_above_before_mib']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
