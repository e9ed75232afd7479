"""Benchmark: `auditor workbook export` and `import` on a 2,000-system province.

    python bench/workbook.py [--systems 2000] [--agencies 20] [--repeat 3]

Generates the province with bench/generate.py (bench/out/wbNk-AG, reused when present), then
runs each job in a fresh subprocess, its peak RSS read from that child's own `os.wait4`
rusage, as bench/run.py does:

  export-all   auditor workbook export P -o DIR          one audit, one workbook per agency
  export-one   auditor workbook export P --agency A -o A.xlsx   the largest agency
  import-none  auditor workbook import A.xlsx --into P   nothing answered: nothing written
  import-fill  auditor workbook import F.xlsx --into P   every system row answered (users),
                                                       every evidence request answered

An unmeasured export first fills the byte-code cache of the children (this machine sets
PYTHONDONTWRITEBYTECODE). Before each import-fill round the agency's YAML file is restored,
so each round writes the same answers. The filled workbook is made once with openpyxl (setup,
not measured). The table gives the median wall time (and the range), the median CPU time and
the worst peak RSS.
Nothing touches the network. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
MIB = 2**20


#: Children import from byte-code cached here (this machine sets PYTHONDONTWRITEBYTECODE:
#: every start-up would otherwise compile auditor's sources again), as bench/annual.py does.
_CACHE = BENCH / "out" / "pycache-workbook"


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": str(_CACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("AUDITOR_DB", None)
    return env


def _run(args: list[str]) -> dict[str, Any]:
    """One CLI job in a child process: wall and CPU seconds, its own peak RSS."""
    env = _env()
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "auditor", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    out = child.stdout.read().decode() if child.stdout else ""
    err = child.stderr.read().decode() if child.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"auditor {' '.join(args)} exited {code}:\n{out}\n{err}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mib": usage.ru_maxrss / 1024, "stdout": out, "stderr": err}


def _province(systems: int, agencies: int) -> Path:
    out = BENCH / "out" / f"wb{systems // 1000}k-{agencies}"
    manifest = out / ".manifest.json"
    if not manifest.exists() or json.loads(manifest.read_text())["systems"] != systems:
        subprocess.run(  # noqa: S603 - our own generator
            [sys.executable, str(BENCH / "generate.py"), "--systems", str(systems),
             "--agencies", str(agencies), "--out", str(out)],
            check=True,
        )
    return out


def _worker(*args: str) -> Any:
    """Set-up work in a child (a child's peak RSS starts from its parent's at the fork, so the
    parent loads nothing large itself)."""
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__, "--worker", *args],
        env=_env(), capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def _largest_agency(province: Path) -> tuple[str, Path]:
    sys.path.insert(0, str(REPO))
    from auditor.loading.inventory import load_inventory

    loaded = load_inventory([province])
    agency = max(loaded.inventory.agencies, key=lambda a: len(a.systems))
    return agency.id, Path(loaded.agency_origins[agency.id][""].file or "")


def _work(args: list[str]) -> int:
    if args[0] == "largest":
        agency, path = _largest_agency(Path(args[1]))
        print(json.dumps([agency, str(path)]))
    else:
        print(json.dumps(list(_fill(Path(args[1]), Path(args[2])))))
    return 0


def _fill(source: Path, target: Path) -> tuple[int, int]:
    """Answer every system row (users) and every evidence request; return the counts."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    meta = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True)}
    keys = json.loads(meta["columns"])
    users = keys["Systems"].index("classification.users") + 1
    systems = book["Systems"]
    filled = 0
    for row in range(3, systems.max_row + 1):
        if systems.cell(row=row, column=1).value:
            systems.cell(row=row, column=users).value = 10_000 + row
            filled += 1
    evidence = book["Evidence"]
    answers = {k: keys["Evidence"].index(k) + 1 for k in ("number", "date", "attested_by")}
    requests = 0
    for row in range(3, evidence.max_row + 1):
        if evidence.cell(row=row, column=1).value:
            evidence.cell(row=row, column=answers["number"]).value = f"{row}/BB-VD"
            evidence.cell(row=row, column=answers["date"]).value = dt.date(2026, 6, 15)
            evidence.cell(row=row, column=answers["attested_by"]).value = "Nguyễn Văn A"
            requests += 1
    book.save(target)
    return filled, requests


def _summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall_s"] for r in rounds]
    return {"wall_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_s": statistics.median(r["cpu_s"] for r in rounds),
            "rss_mib": max(r["rss_mib"] for r in rounds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", type=int, default=2000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _work(args.worker)
    province = _province(args.systems, args.agencies)
    agency, found = _worker("largest", str(province))
    agency_file = Path(found)
    work = BENCH / "out" / f"workbook-{args.systems // 1000}k"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    one = work / f"{agency}.xlsx"
    filled = work / f"{agency}-filled.xlsx"
    original = agency_file.read_bytes()
    as_of = ["--as-of", "2026-11-24"]
    jobs: dict[str, list[dict[str, Any]]] = {
        "export-all": [], "export-one": [], "import-none": [], "import-fill": []
    }
    counts: tuple[int, int] | None = None
    _run(["workbook", "export", str(province), "--agency", agency, "-o", str(one), *as_of])
    try:
        for _ in range(args.repeat):
            jobs["export-all"].append(
                _run(["workbook", "export", str(province), "-o", str(work / "all"), *as_of]))
            jobs["export-one"].append(_run(["workbook", "export", str(province), "--agency",
                                            agency, "-o", str(one), *as_of]))
            if counts is None:
                rows, requests = _worker("fill", str(one), str(filled))
                counts = (int(rows), int(requests))
            jobs["import-none"].append(
                _run(["workbook", "import", str(one), "--into", str(province)]))
            if agency_file.read_bytes() != original:
                raise SystemExit("an import with no answer changed the inventory")
            jobs["import-fill"].append(
                _run(["workbook", "import", str(filled), "--into", str(province)]))
            if agency_file.read_bytes() == original:
                raise SystemExit("the filled workbook changed nothing")
            agency_file.write_bytes(original)
    finally:
        agency_file.write_bytes(original)
    assert counts is not None  # noqa: S101 - set in the first round
    size = one.stat().st_size
    print(f"\n{args.systems:,} systems in {args.agencies} agencies; the largest, {agency}: "
          f"{counts[0]} systems, {counts[1]} evidence requests; its workbook "
          f"{size / 1e6:.2f} MB; {args.repeat} rounds\n")
    print("| job | wall (median, range) | CPU | peak RSS |")
    print("|---|---|---|---|")
    results = {}
    for name, rounds in jobs.items():
        s = _summary(rounds)
        results[name] = s
        print(f"| {name} | {s['wall_s']:.2f} s ({s['min_s']:.2f}–{s['max_s']:.2f}) | "
              f"{s['cpu_s']:.2f} s | {s['rss_mib']:.0f} MiB |")
    (work / "results.json").write_text(json.dumps(
        {"systems": args.systems, "agencies": args.agencies, "agency": agency,
         "rows": counts[0], "requests": counts[1], "workbook_bytes": size, "jobs": results},
        indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
