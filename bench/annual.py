"""Benchmark: `auditor report annual` over a year of monthly runs, time and peak memory (SQLite).

    python bench/annual.py --systems 10000 --runs 12 [--db PATH] [--keep] [--repeat 3]
    python bench/annual.py --systems 10000 --runs 12 --db PATH --profile   # + cProfile

If the history store does not exist yet (or lacks some months) it is filled first: month k's
run (k = 1..--runs) is the example province audited on the 24th of month k of 2026 (December:
the 14th) — inside the 2026 statutory period, 15/12/2025-14/12/2026 — copied to --systems by
`tests/store/synthetic.py`'s `large_run` (about 100 findings per system) and recorded with
`recorded_at` that day. Filling is set-up: timed and reported, not the measured thing.

Then every job runs in a fresh subprocess, its peak RSS read from that child's own `os.wait4`
rusage (`ru_maxrss`; not RUSAGE_CHILDREN, the maximum over all children so far), as
bench/run.py does:

  start-up  python -m auditor --version                      (the CLI's fixed cost)
  json      python -m auditor report annual --year 2026 --db DB -q --json F
  html      ... --output F
  xlsx      ... --xlsx F
  csv       ... --csv F
  all       ... --output F --xlsx F --csv F --json F

`--repeat` rounds (default 3), each running every job once (so a slow spell of the machine hits
all jobs, not one); the table gives the median wall time (and the range), the median CPU time
and the worst peak RSS. The JSON written by `json` and `all` must count --systems systems in
`figures.headline.systems`, or the benchmark fails. A last child process times the steps of
`auditor.annual.run_annual` one by one (store read + figures, HTML render, XLSX, CSV, JSON).
Nothing touches the network. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
YEAR = 2026
DAY = 24  # month k's run audits on the 24th of month k of YEAR
MB = 1_000_000
MIB = 2**20


@dataclass(frozen=True)
class Job:
    name: str
    what: str
    outputs: tuple[tuple[str, str], ...]  # (CLI option, file name)


JOBS = (
    Job("json", "figures only (`--json`)", (("--json", "annual.json"),)),
    Job("html", "HTML report (`--output`)", (("--output", "annual.html"),)),
    Job("xlsx", "XLSX annex (`--xlsx`)", (("--xlsx", "annex.xlsx"),)),
    Job("csv", "CSV annex (`--csv`)", (("--csv", "annex.csv"),)),
    Job(
        "all",
        "HTML + XLSX + CSV + JSON together",
        (
            ("--output", "annual.html"),
            ("--xlsx", "annex.xlsx"),
            ("--csv", "annex.csv"),
            ("--json", "annual.json"),
        ),
    ),
)


def month_dates(runs: int) -> list[dt.date]:
    """The 24th of months 1..runs of YEAR; December's run on 14/12, the period's last day
    (24/12 falls after the statutory period and the report would leave that run out)."""
    if not 1 <= runs <= 12:
        raise SystemExit("--runs must be 1 to 12 (one run a month of the 2026 period)")
    last = statutory_until()
    return [min(dt.date(YEAR, month, DAY), last) for month in range(1, runs + 1)]


def statutory_until() -> dt.date:
    """14/12 of YEAR: the end of the statutory data period (15/12 of YEAR - 1 to 14/12)."""
    return dt.date(YEAR, 12, 14)


# --------------------------------------------------------------------------------------------
# Worker side: runs in a fresh interpreter, prints one JSON line on stdout.
# --------------------------------------------------------------------------------------------


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _current_rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / MIB


def worker_inspect(db: str) -> dict[str, Any]:
    """What the store holds: every run's audit date, organisation, systems and findings."""
    from auditor.store import HistoryStore

    with HistoryStore.open(db) as store:
        rows = store.runs()
    return {
        "runs": [
            {
                "id": r.id,
                "as_of": r.as_of.isoformat(),
                "organisation": r.organisation,
                "systems": r.systems,
                "findings": r.findings,
            }
            for r in reversed(rows)
        ]
    }


def worker_fill(db: str, systems: int, dates: Sequence[dt.date]) -> dict[str, Any]:
    """Record one large run per date (built from the example province audited that day)."""
    sys.path.insert(0, str(REPO))
    from auditor.store import HistoryStore
    from tests.store.synthetic import example_run, finding_count, large_run

    months: list[dict[str, Any]] = []
    with HistoryStore.open(db) as store:
        for as_of in dates:
            start = time.perf_counter()
            run = large_run(systems, example_run(as_of))
            built = time.perf_counter() - start
            count = finding_count(run)
            start = time.perf_counter()
            store.record(
                run, inventory=f"synthetic-{systems}", recorded_at=f"{as_of.isoformat()}T09:00:00Z"
            )
            recorded = time.perf_counter() - start
            del run
            months.append(
                {
                    "as_of": as_of.isoformat(),
                    "build_s": built,
                    "record_s": recorded,
                    "findings": count,
                }
            )
            print(
                f"  recorded {as_of}: {systems:,} systems, {count:,} findings "
                f"(build {built:.1f} s, record {recorded:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    return {"months": months, "rss_mib": _rss_mib()}


def _step(steps: list[dict[str, Any]], name: str, seconds: float) -> None:
    now = _current_rss_mib()
    steps.append(
        {"step": name, "s": seconds, "rss_now_mib": now, "rss_peak_mib": max(now, _rss_mib())}
    )


def _timed(steps: list[dict[str, Any]], name: str, work: Any) -> Any:
    start = time.perf_counter()
    value = work()
    _step(steps, name, time.perf_counter() - start)
    return value


def worker_steps(db: str, out: Path) -> dict[str, Any]:
    """The steps of auditor.annual.run_annual (HTML, XLSX, CSV, JSON), each timed alone."""
    steps: list[dict[str, Any]] = []
    start = time.perf_counter()
    from auditor.files import write_atomic
    from auditor.loading.catalog import load_catalog
    from auditor.model.targets import TargetsFile
    from auditor.report.annual.collect import collect_figures
    from auditor.report.annual.csv_out import write_csv
    from auditor.report.annual.figures import statutory_period
    from auditor.report.annual.html import render_annual
    from auditor.report.annual.json_out import figures_json
    from auditor.report.annual.xlsx import write_xlsx
    from auditor.store import HistoryStore

    _step(steps, "imports", time.perf_counter() - start)
    period = statutory_period(YEAR)
    if period.until != statutory_until():
        raise SystemExit(f"the {YEAR} period now ends {period.until}: update month_dates()")
    targets = TargetsFile()
    catalog, _ = _timed(steps, "load_catalog()", lambda: load_catalog([]))
    store = _timed(steps, "HistoryStore.open()", lambda: HistoryStore.open(db))
    try:
        figures = _timed(
            steps,
            "collect_figures() (store reads + build_figures)",
            lambda: collect_figures(store, period, targets.targets, None),
        )
    finally:
        store.close()
    html = _timed(
        steps,
        "render_annual() (HTML page)",
        lambda: render_annual(figures, catalog, "vi", targets, dt.date.today()),
    )
    _timed(steps, "write HTML", lambda: write_atomic(out / "annual.html", html.encode("utf-8")))
    _timed(steps, "write_xlsx()", lambda: write_xlsx(figures, out / "annex.xlsx", "vi"))
    _timed(steps, "write_csv()", lambda: write_csv(figures, out / "annex.csv", "vi"))
    _timed(
        steps,
        "figures_json() + write",
        lambda: write_atomic(out / "annual.json", figures_json(figures)),
    )
    return {"steps": steps, "systems": figures.headline.systems, "rss_mib": _rss_mib()}


def worker_profile(db: str, out: Path) -> dict[str, Any]:
    """cProfile of run_annual with every export but PDF; text + .prof under `out`."""
    import cProfile
    import pstats

    from auditor.annual import AnnualRequest, run_annual
    from auditor.report.annual.figures import statutory_period

    request = AnnualRequest(
        period=statutory_period(YEAR),
        db=db,
        html=out / "annual.html",
        xlsx=out / "annex.xlsx",
        csv=out / "annex.csv",
        json=out / "annual.json",
    )
    tracer = cProfile.Profile()
    start = time.perf_counter()
    tracer.enable()
    run_annual(request)
    tracer.disable()
    total = time.perf_counter() - start
    prof = out / "profile-annual.prof"
    text = out / "profile-annual.txt"
    tracer.dump_stats(str(prof))
    with text.open("w", encoding="utf-8") as stream:
        stats = pstats.Stats(tracer, stream=stream).strip_dirs()
        stream.write("# run_annual, all exports but PDF (cProfile: times include its overhead)\n")
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
    return {"profiled_s": total, "text": str(text), "prof": str(prof), "rss_mib": _rss_mib()}


def worker(args: argparse.Namespace) -> int:
    if args.worker == "inspect":
        result = worker_inspect(args.db)
    elif args.worker == "fill":
        result = worker_fill(args.db, args.systems, [dt.date.fromisoformat(d) for d in args.dates])
    elif args.worker == "steps":
        result = worker_steps(args.db, Path(args.out))
    elif args.worker == "profile":
        result = worker_profile(args.db, Path(args.out))
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    print(json.dumps(result))
    return 0


# --------------------------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    wall_s: float
    cpu_s: float
    rss_mib: float
    stdout: str


# Byte-code cache of the children (set by main): a folder of ours, so that they import from
# .pyc files as an installed auditor does even where PYTHONDONTWRITEBYTECODE is set (this
# machine sets it; every start-up then recompiles auditor's sources, about +0.25 s), without
# writing __pycache__ folders into the repository.
PYCACHE: Path | None = None
WARM_UP = (
    "import auditor.cli.report, auditor.annual, auditor.report.annual.terminal, "
    "auditor.report.annual.xlsx, auditor.report.annual.csv_out, auditor.report.annual.html"
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AUDITOR_DB"}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONIOENCODING"] = "utf-8"
    if PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def spawn(cmd: Sequence[str], *, show_stderr: bool = False) -> Measured:
    """Run `cmd`; wall time, user + system CPU and peak RSS of that child alone (wait4)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=None if show_stderr else err,
            cwd=REPO,
            env=_env(),
        )
        assert proc.stdout is not None  # noqa: S101
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        if code != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{message}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode())


def _worker(name: str, db: Path, *extra: str, show_stderr: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--db", str(db)]
    measured = spawn([*cmd, *extra], show_stderr=show_stderr)
    result: dict[str, Any] = json.loads(measured.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = measured.wall_s
    result["process_rss_mib"] = measured.rss_mib
    return result


def store_files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def ensure_store(db: Path, systems: int, dates: list[dt.date]) -> dict[str, Any]:
    """Fill the store with the months it lacks; refuse a store holding anything else."""
    have: list[dict[str, Any]] = []
    if db.exists():
        have = _worker("inspect", db)["runs"]
    wanted = {d.isoformat() for d in dates}
    foreign = [r for r in have if r["as_of"] not in wanted or r["systems"] != systems]
    recorded = [r["as_of"] for r in have]
    duplicated = sorted({d for d in recorded if recorded.count(d) > 1})
    if foreign or duplicated:
        raise SystemExit(
            f"{db} holds runs this benchmark did not make (or made with other arguments): "
            f"{[(r['as_of'], r['systems']) for r in foreign] or duplicated}; "
            "delete it or give another --db"
        )
    missing = [d for d in dates if d.isoformat() not in recorded]
    fill: dict[str, Any] = {"months": [], "wall_s": 0.0, "rss_mib": 0.0}
    if missing:
        print(
            f"filling {db}: {len(missing)} monthly run(s) of {systems:,} systems "
            f"({len(have)} already there) ...",
            flush=True,
        )
        start = time.perf_counter()
        result = _worker(
            "fill",
            db,
            "--systems",
            str(systems),
            "--dates",
            *[d.isoformat() for d in missing],
            show_stderr=True,
        )
        fill = {
            "months": result["months"],
            "wall_s": time.perf_counter() - start,
            "rss_mib": result["process_rss_mib"],
        }
        have = _worker("inspect", db)["runs"]
    else:
        print(f"reusing {db}: all {len(dates)} monthly runs of {systems:,} systems are there")
    fill["runs"] = have
    fill["findings_stored"] = sum(r["findings"] for r in have)
    fill["store_bytes"] = sum(p.stat().st_size for p in store_files(db))
    return fill


def annual_command(db: Path, job: Job, folder: Path) -> list[str]:
    cmd = [sys.executable, "-m", "auditor", "report", "annual", "--year", str(YEAR)]
    cmd += ["--db", str(db), "-q"]
    for option, name in job.outputs:
        cmd += [option, str(folder / name)]
    return cmd


# Read in a child: the JSON is tens of MB, and parsing it here would grow this process, whose
# peak RSS every later child inherits in its own ru_maxrss (the copy made at fork).
HEADLINE = (
    "import json, sys; print(json.load(open(sys.argv[1], 'rb'))['figures']['headline']['systems'])"
)


def check_systems(path: Path, systems: int) -> int:
    counted = int(spawn([sys.executable, "-c", HEADLINE, str(path)]).stdout.strip())
    if counted != systems:
        raise SystemExit(f"{path}: the report counts {counted:,} systems, not {systems:,}")
    return counted


def run_job(db: Path, job: Job, folder: Path, systems: int) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    for _, name in job.outputs:
        (folder / name).unlink(missing_ok=True)
    measured = spawn(annual_command(db, job, folder))
    sizes = {}
    for _, name in job.outputs:
        path = folder / name
        if not path.is_file():
            raise SystemExit(f"{job.name}: the CLI did not write {path}")
        sizes[name] = path.stat().st_size
    result: dict[str, Any] = {
        "wall_s": measured.wall_s,
        "cpu_s": measured.cpu_s,
        "rss_mib": measured.rss_mib,
        "sizes": sizes,
    }
    if "annual.json" in sizes:
        result["systems"] = check_systems(folder / "annual.json", systems)
    return result


def startup() -> dict[str, Any]:
    measured = spawn([sys.executable, "-m", "auditor", "--version"])
    return {"wall_s": measured.wall_s, "cpu_s": measured.cpu_s, "rss_mib": measured.rss_mib}


def measure(db: Path, out: Path, systems: int, repeat: int) -> dict[str, list[dict[str, Any]]]:
    spawn([sys.executable, "-c", WARM_UP])  # fills PYCACHE; not measured
    results: dict[str, list[dict[str, Any]]] = {"startup": []}
    results.update({job.name: [] for job in JOBS})
    for index in range(repeat):
        print(f"round {index + 1}/{repeat}", flush=True)
        results["startup"].append(startup())
        for job in JOBS:
            result = run_job(db, job, out / job.name, systems)
            results[job.name].append(result)
            print(
                f"  {job.name:5} {result['wall_s']:7.2f} s  {result['rss_mib']:7.0f} MiB",
                flush=True,
            )
    return results


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def _range(runs: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{min(values):.2f}–{max(values):.2f}"


def _sizes(sizes: dict[str, int]) -> str:
    return ", ".join(f"{name} {size / MB:.2f} MB" for name, size in sizes.items())


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f", {int(total) / 2**20:.0f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    import sqlite3

    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; {platform.platform()}"
    )


def code_state() -> str:
    sys.path.insert(0, str(BENCH))
    from run import code_state as run_code_state  # bench/run.py's digest of the sources

    state: str = run_code_state()
    return state


def _digest(state: str) -> str:
    """The sources' digest out of a code_state() line (the git part may change alone)."""
    return state.partition("sources sha256 ")[2].split(" ", 1)[0]


def render(
    args: argparse.Namespace,
    fill: dict[str, Any],
    results: dict[str, list[dict[str, Any]]],
    steps: dict[str, Any] | None,
    code: tuple[str, str],
) -> str:
    base = results["startup"]
    base_s = _median(base, "wall_s")
    findings_per_run = [r["findings"] for r in fill["runs"]]
    lines = [
        f"# Annual report: {len(fill['runs'])} monthly runs × {args.systems:,} systems, SQLite",
        "",
        f"- machine: {machine()}",
        f"- code: {code[0]}",
        f"- store: {fill['store_bytes'] / MB:,.0f} MB ({len(fill['runs'])} runs, "
        f"{fill['findings_stored']:,} findings stored; "
        f"{min(findings_per_run):,}–{max(findings_per_run):,} per run)",
        f"- runs' audit dates: {', '.join(r['as_of'] for r in fill['runs'])}",
    ]
    if _digest(code[1]) != _digest(code[0]):
        lines.append(f"- WARNING: the sources changed during the benchmark: now {code[1]}")
    elif code[1] != code[0]:
        lines.append(f"- same sources at the end, meanwhile committed: {code[1]}")
    if fill["months"]:
        build = sum(m["build_s"] for m in fill["months"])
        record = sum(m["record_s"] for m in fill["months"])
        lines.append(
            f"- fill (set-up, not measured below): {len(fill['months'])} runs in "
            f"{fill['wall_s']:.0f} s (building them {build:.0f} s, `record()` {record:.0f} s, "
            f"{record / len(fill['months']):.1f} s a run); peak RSS {fill['rss_mib']:.0f} MiB"
        )
    else:
        lines.append("- fill: none (the store was already filled)")
    systems = {r.get("systems") for job in ("json", "all") for r in results[job]}
    lines += [
        f"- systems in the report (`figures.headline.systems`): "
        f"{', '.join(f'{s:,}' for s in sorted(x for x in systems if x is not None))}",
        f"- {args.repeat} round(s); median wall time (min–max), median CPU, worst peak RSS",
        "",
        "| job | wall s median (min–max) | wall s − start-up | CPU s | peak RSS MiB | output |",
        "|---|---|---|---|---|---|",
        f"| start-up: `python -m auditor --version` | {base_s:.2f} ({_range(base, 'wall_s')}) "
        f"| – | {_median(base, 'cpu_s'):.2f} | {max(r['rss_mib'] for r in base):.0f} | – |",
    ]
    for job in JOBS:
        runs = results[job.name]
        wall = _median(runs, "wall_s")
        lines.append(
            f"| {job.what} | {wall:.2f} ({_range(runs, 'wall_s')}) | {wall - base_s:.2f} | "
            f"{_median(runs, 'cpu_s'):.2f} | {max(r['rss_mib'] for r in runs):.0f} | "
            f"{_sizes(runs[-1]['sizes'])} |"
        )
    if steps is not None:
        lines += [
            "",
            "Steps of `run_annual`, one fresh process, one run (RSS: resident now / high-water "
            "mark so far):",
            "",
            "| step | s | RSS after MiB | peak so far MiB |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {s['step']} | {s['s']:.2f} | {s['rss_now_mib']:.0f} | {s['rss_peak_mib']:.0f} |"
            for s in steps["steps"]
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Places:
    db: Path
    out: Path
    remove: list[Path]


def places(args: argparse.Namespace) -> Places:
    """The store and the output folder; the temporary ones go at the end unless --keep."""
    scratch = Path(tempfile.gettempdir()) / f"auditor-bench-annual-{args.systems}x{args.runs}"
    db = Path(args.db) if args.db else scratch / "history.sqlite"
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="auditor-annual-out-"))
    db.parent.mkdir(parents=True, exist_ok=True)
    remove: list[Path] = []
    if not args.keep:
        if not args.db:
            remove.append(scratch)
        if not args.out:
            remove.append(out)
    return Places(db.resolve(), out.resolve(), remove)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=12, help="monthly runs, Jan.. (1-12)")
    parser.add_argument(
        "--db",
        help="the SQLite store (default: a folder under the temp dir, removed unless --keep; "
        "a --db you give is never removed)",
    )
    parser.add_argument("--out", help="where the CLI writes (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the default store and outputs")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every job (default 3)")
    parser.add_argument("--no-steps", action="store_true", help="skip the per-step timing")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile run_annual (text + .prof in --out)"
    )
    parser.add_argument("--results", type=Path, help="also write the table (.md) and raw .json")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dates", nargs="*", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return worker(args)
    if args.repeat < 1 or args.systems < 1:
        parser.error("--repeat and --systems must be at least 1")
    dates = month_dates(args.runs)
    where = places(args)
    global PYCACHE  # one setting for every child this run starts
    PYCACHE = where.out / "pycache"
    try:
        before = code_state()
        fill = ensure_store(where.db, args.systems, dates)
        results = measure(where.db, where.out, args.systems, args.repeat)
        steps = None
        if not args.no_steps:
            (where.out / "steps").mkdir(exist_ok=True)
            steps = _worker("steps", where.db, "--out", str(where.out / "steps"))
        profile = None
        if args.profile:
            (where.out / "profile").mkdir(exist_ok=True)
            profile = _worker("profile", where.db, "--out", str(where.out / "profile"))
        report = render(args, fill, results, steps, (before, code_state()))
        print()
        print(report)
        if profile is not None:
            kept = " (removed at the end: use --keep or --out)" if where.out in where.remove else ""
            print(
                f"cProfile of run_annual: {profile['profiled_s']:.1f} s -> {profile['text']}{kept}"
            )
        if args.results:
            args.results.parent.mkdir(parents=True, exist_ok=True)
            args.results.with_suffix(".md").write_text(report, encoding="utf-8")
            raw = {"fill": fill, "results": results, "steps": steps, "profile": profile}
            args.results.with_suffix(".json").write_text(
                json.dumps(raw, indent=2) + "\n", encoding="utf-8"
            )
        if args.keep or args.db:
            print(f"store kept: {where.db}")
        if args.keep or args.out:
            print(f"outputs kept: {where.out}")
    finally:
        for path in where.remove:
            shutil.rmtree(path, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
