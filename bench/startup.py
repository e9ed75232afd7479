"""Benchmark: how long the CLI takes to start, against a bare `python -c "import click, yaml"`.

    python bench/startup.py                  # best of 15 rounds
    python bench/startup.py --repeat 30 --importtime --instructions

Every command runs in a **fresh interpreter** (`python -m auditor ...`, as the tests and most
users run it), in rounds: each round runs every command once, so a slow spell of the machine
hits all of them, not one. The table gives the best and the median wall time of each command
and its ratio to the floor measured in the same run:

  floor        python -c "import click, yaml"  (the two libraries every command needs)
  interpreter  python -c "pass"                (for scale)
  --version, --help, validate, gate, level, audit (offline, --json, no history)

Goal (issue 13): `--version`, `validate` and `gate` on the example province (offline) within
3x the floor. The `loaded` column lists which heavy packages each command imported (from one
extra, unmeasured run under `python -X importtime`); with --importtime the whole import log of
each command is written to bench/out/startup-importtime-<command>.txt and the auditor modules
that cost most are printed. With --instructions each command also runs once under valgrind's
callgrind, which counts the instructions it executes: a measure that a busy shared machine
does not disturb (times on it vary by a factor of two or more).

The children import from byte-code in a cache folder of their own (PYTHONPYCACHEPREFIX under
bench/out/), filled by one unmeasured round, as an installed auditor does, even where
PYTHONDONTWRITEBYTECODE is set. The table goes to stdout and bench/out/startup.md, the raw
numbers to bench/out/startup.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
EXAMPLE = "inventories/example-province"
AS_OF = "2026-11-24"
GOAL_RATIO = 3.0
# Packages a command should import only when it uses them (the `loaded` column).
HEAVY = (
    "pydantic", "rich", "jinja2", "sqlalchemy", "alembic", "nmap", "openpyxl", "matplotlib",
    "cryptography", "dns",
)


@dataclass(frozen=True)
class Command:
    name: str
    argv: tuple[str, ...]  # after the interpreter
    goal: bool = False  # within GOAL_RATIO x the floor
    codes: tuple[int, ...] = (0,)  # the exit codes it may end with
    repo: Path = REPO  # the checkout whose auditor runs (its folder is the working directory)


def auditor_commands(scratch: Path) -> list[Command]:
    auditor = ("-m", "auditor")
    return [
        Command("auditor --version", (*auditor, "--version"), goal=True),
        Command("auditor --help", (*auditor, "--help")),
        Command("auditor validate EXAMPLE", (*auditor, "validate", EXAMPLE), goal=True),
        Command(
            "auditor gate EXAMPLE --system cong-dvc-tinh",
            (*auditor, "gate", EXAMPLE, "--system", "cong-dvc-tinh", "--as-of", AS_OF),
            goal=True,
        ),
        Command("auditor level EXAMPLE", (*auditor, "level", EXAMPLE, "--as-of", AS_OF)),
        Command(
            "auditor audit EXAMPLE --json X --no-history -q",
            (*auditor, "audit", EXAMPLE, "--json", str(scratch / "audit.json"), "--no-history",
             "-q", "--as-of", AS_OF),
            codes=(0, 1),
        ),
    ]


def commands(scratch: Path, compare: Path | None) -> list[Command]:
    jobs = [
        Command("floor: import click, yaml", ("-c", "import click, yaml")),
        Command("interpreter: pass", ("-c", "pass")),
        *auditor_commands(scratch),
    ]
    if compare is not None:  # the same commands of another checkout, in the same rounds
        jobs += [
            replace(job, name=f"{job.name} [{compare.name}]", goal=False, repo=compare)
            for job in auditor_commands(scratch)
        ]
    return jobs


@dataclass(frozen=True)
class Measured:
    wall_s: float
    cpu_s: float
    rss_mib: float


def _env(command: Command, scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # Byte-code of each checkout in a folder of its own (both are named auditor/...).
    which = "" if command.repo == REPO else "-" + command.repo.name
    env["PYTHONPYCACHEPREFIX"] = str(OUT / f"startup-pycache{which}")
    env["PYTHONPATH"] = str(command.repo)  # this checkout's auditor, not an installed one
    env["PYTHONIOENCODING"] = "utf-8"
    env["AUDITOR_DB"] = str(scratch / "history.sqlite")  # never the user's store
    return env


def spawn(command: Command, scratch: Path, *, extra: Sequence[str] = ()) -> tuple[
    Measured, bytes
]:
    """Run one command; wall time, CPU time and peak RSS of that child alone (wait4)."""
    argv = [sys.executable, *extra, *command.argv]
    env = _env(command, scratch)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
            cwd=command.repo, env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode not in command.codes:
        tail = stderr.decode(errors="replace")[-2000:]
        raise SystemExit(f"{command.name}: exit {proc.returncode}\n{tail}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), stderr


def instructions(command: Command, scratch: Path) -> int | None:
    """Instructions the command executes (valgrind's callgrind `Ir`): unlike time, the same on
    a busy machine as on an idle one. None when valgrind is not installed."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    out = scratch / "callgrind.out"
    done = subprocess.run(  # noqa: S603 - valgrind and our own interpreter and arguments
        [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
         *command.argv],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        cwd=command.repo, env=_env(command, scratch), check=False,
    )
    out.unlink(missing_ok=True)
    found = re.search(rb"Collected : (\d+)", done.stderr)
    if done.returncode not in command.codes or found is None:
        raise SystemExit(f"{command.name} under valgrind: exit {done.returncode}\n"
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    return int(found.group(1))


def imported(log: bytes) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of every line of a `-X importtime` log."""
    rows = []
    for line in log.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|", 2)
        if own.strip().isdigit():
            rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


def loaded(rows: list[tuple[int, int, str]]) -> list[str]:
    names = {name.strip().split(".")[0] for _, _, name in rows}
    return [h for h in HEAVY if h in names]


def top_auditor(rows: list[tuple[int, int, str]], count: int) -> list[str]:
    mine = sorted((r for r in rows if r[2].strip().startswith("auditor")), key=lambda r: -r[0])
    return [f"{own / 1000:7.1f} ms self {cum / 1000:7.1f} ms cumulative  {name.strip()}"
            for own, cum, name in mine[:count]]


def slug(command: Command) -> str:
    words = command.name.removeprefix("auditor ").split(" [")[0].split()
    name = "-".join(w.strip("-").lower() for w in words[:2] if w.strip("-"))
    return name + ("" if command.repo == REPO else f"-{command.repo.name}")


def render(
    results: list[dict[str, Any]], repeat: int, code: str, compare: Path | None = None
) -> str:
    floor = results[0]["best_s"]
    floor_ir = results[0]["instructions"]
    counted = floor_ir is not None
    lines = [
        "# auditor start-up",
        "",
        f"- date of run: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- {os.cpu_count()} CPUs; Python {platform.python_version()}; {platform.platform()}",
        f"- code: {code}",
        *([f"- rows marked [{compare.name}]: the same commands of {compare}"] if compare else []),
        f"- best and median of {repeat} rounds; every command in a fresh interpreter; "
        f"ratio = best / best of the floor ({floor:.3f} s); goal ≤ {GOAL_RATIO:g}× on the marked "
        "rows",
        *(["- instructions: valgrind --tool=callgrind, one run each (Ir, millions)"]
          if counted else []),
        "",
        "| command | best s | median s | ratio to floor | goal | CPU s (median) "
        "| peak RSS MiB |" + (" M instructions | ratio |" if counted else "") + " loaded |",
        "|---|---:|---:|---:|---|---:|---:|" + ("---:|---:|" if counted else "") + "---|",
    ]
    for r in results:
        goal = ""
        if r["goal"]:
            goal = "met" if r["ratio"] <= GOAL_RATIO else "**missed**"
        ir = ""
        if counted:
            ir = f" {r['instructions'] / 1e6:,.0f} | {r['instructions'] / floor_ir:.2f}× |"
        lines.append(
            f"| `{r['name']}` | {r['best_s']:.3f} | {r['median_s']:.3f} | {r['ratio']:.2f}× "
            f"| {goal} | {r['cpu_s']:.3f} | {r['rss_mib']:.0f} |{ir} "
            f"{', '.join(r['loaded']) or '–'} |"
        )
    return "\n".join(lines) + "\n"


def code_state() -> str:
    sys.path.insert(0, str(BENCH))
    from run import code_state as run_code_state  # bench/run.py's digest of the sources

    return str(run_code_state())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds (default 15)")
    parser.add_argument(
        "--instructions", action="store_true",
        help="also count each command's instructions once under valgrind (callgrind): "
        "deterministic, unlike time on a shared machine; slow (about a minute)",
    )
    parser.add_argument(
        "--compare", type=Path, metavar="CHECKOUT",
        help="also run the auditor commands of another checkout (e.g. an older commit "
        "exported with `git archive`) in the same rounds, against the same floor",
    )
    parser.add_argument(
        "--importtime", action="store_true",
        help="write each command's -X importtime log to bench/out/ and print the costliest "
        "auditor modules",
    )
    args = parser.parse_args(argv)
    if args.compare is not None:
        args.compare = args.compare.resolve()
        if not (args.compare / "auditor" / "__main__.py").is_file():
            parser.error(f"{args.compare} holds no auditor package")
    OUT.mkdir(exist_ok=True)
    code = code_state()
    with tempfile.TemporaryDirectory(prefix="auditor-startup-") as tmp:
        scratch = Path(tmp)
        jobs = commands(scratch, args.compare)
        for job in jobs:  # fills the byte-code cache; not measured
            spawn(job, scratch)
        logs = {job.name: spawn(job, scratch, extra=("-X", "importtime"))[1] for job in jobs}
        counted = {
            job.name: instructions(job, scratch) if args.instructions else None for job in jobs
        }
        runs: dict[str, list[Measured]] = {job.name: [] for job in jobs}
        for round_ in range(args.repeat):
            for job in jobs:
                runs[job.name].append(spawn(job, scratch)[0])
            print(f"round {round_ + 1}/{args.repeat}", file=sys.stderr, end="\r", flush=True)
        print(file=sys.stderr)
    floor = min(m.wall_s for m in runs[jobs[0].name])
    results = []
    for job in jobs:
        measured = runs[job.name]
        best = min(m.wall_s for m in measured)
        rows = imported(logs[job.name])
        results.append({
            "name": job.name,
            "argv": list(job.argv),
            "goal": job.goal,
            "best_s": best,
            "median_s": statistics.median(m.wall_s for m in measured),
            "ratio": best / floor,
            "cpu_s": statistics.median(m.cpu_s for m in measured),
            "rss_mib": max(m.rss_mib for m in measured),
            "loaded": loaded(rows),
            "instructions": counted[job.name],
            "walls_s": [m.wall_s for m in measured],
        })
        if args.importtime:
            (OUT / f"startup-importtime-{slug(job)}.txt").write_bytes(logs[job.name])
    table = render(results, args.repeat, code, args.compare)
    print(table)
    if args.importtime:
        for job in jobs[2:]:
            print(f"{job.name}: costliest auditor modules (-X importtime, self time)")
            print("\n".join("  " + line for line in top_auditor(imported(logs[job.name]), 8)))
    (OUT / "startup.md").write_text(table, encoding="utf-8")
    data = {"repeat": args.repeat, "code": code, "goal_ratio": GOAL_RATIO, "commands": results}
    (OUT / "startup.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    missed = [r["name"] for r in results if r["goal"] and r["ratio"] > GOAL_RATIO]
    if missed:
        print(f"goal missed ({GOAL_RATIO:g}× the floor): {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
