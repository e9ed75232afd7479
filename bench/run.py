"""Benchmark: load + evaluate + HTML report against the C-YAML parse floor, with peak memory.

    python bench/run.py --systems 1000 10000
    python bench/run.py --systems 10000 --profile-only [--profiler pyinstrument]

For each size it generates the inventory if missing (bench/generate.py, into bench/out/pNk),
then measures, every stage in a fresh Python subprocess so that peak RSS is that process's own
(os.wait4 rusage of the child, ru_maxrss):

  floor     read every YAML file and yaml.load(text, Loader=yaml.CSafeLoader), nothing else
  load      auditor.loading.inventory.load_inventory
  evaluate  auditor.engine.evaluate with the shipped catalog (auditor.loading.catalog)
  json      auditor.report.json_out.to_json of that run
  run_audit auditor.audit.run_audit (load + catalog + evaluate as the CLI runs them)
  html      run_audit, then auditor.report.html.render_html(run, catalog, "vi"): render time,
            HTML size and the peak RSS of that load + evaluate + render process
  cli       the whole `auditor audit PATH --json out.json --quiet` command, wall time
  cli_html  the whole `auditor audit PATH --output out.html --quiet` command, wall time

Timings are the best of 3 runs for inventories up to 1,000 systems and a single run above
(the output says which). The Markdown table is printed and written to bench/out/results.md;
the raw numbers go to bench/out/results.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
AS_OF = "2026-11-24"
CHEAP_SYSTEMS = 1000  # up to this size, timings are the best of `--repeat` runs
GOAL_RATIO = 2.0
GOAL_RSS_MIB = 1024.0
GOAL_HTML_RATIO = 3.0  # whole `audit --output out.html` (load + evaluate + render) vs floor
GOAL_HTML_MB = 20.0  # HTML report size at 10,000 systems
MB = 1_000_000  # HTML sizes are in MB (10^6 bytes), the unit the goal is stated in
YAML_SUFFIXES = (".yaml", ".yml")
CATALOG_NOTE = "shipped checklists (auditor.loading.catalog.load_catalog())"


# --------------------------------------------------------------------------------------------
# Worker side: runs in a fresh interpreter, measures one stage, prints one JSON line.
# --------------------------------------------------------------------------------------------


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _yaml_paths(folder: Path) -> list[Path]:
    """The files the inventory loader reads from a folder (same rule: sorted, no dot-files)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in YAML_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def _load_catalog() -> tuple[Any, list[Any]]:
    from auditor.loading.catalog import load_catalog

    return load_catalog()


def _evaluate(loaded: Any, catalog: Any, inputs: Sequence[Any], as_of: dt.date) -> Any:
    """Exactly what auditor.audit.run_audit does after loading."""
    from auditor.engine import evaluate
    from auditor.facts import Provenance

    provenance = Provenance(
        systems=loaded.system_origins,
        agencies=loaded.agency_origins,
        organisation=loaded.organisation_origins,
    )
    return evaluate(
        loaded.inventory,
        catalog,
        as_of,
        provenance=provenance,
        inputs=(*loaded.files, *inputs),
        lang="vi",
    )


def _profiled(work: Any, profiler: str, out: Path, title: str) -> float:
    """Run `work()` under cProfile or pyinstrument; write the report to `out`."""
    if profiler == "pyinstrument":
        from pyinstrument import Profiler

        sampler = Profiler(interval=0.001)
        sampler.start()
        work()
        session = sampler.stop()
        header = f"# {title} (pyinstrument; its call hook inflates times: read proportions)\n"
        report = sampler.output_text(unicode=True, show_all=False, color=False)
        out.write_text(header + report, encoding="utf-8")
        return float(session.duration)

    import cProfile
    import pstats

    tracer = cProfile.Profile()
    tracer.enable()
    work()
    tracer.disable()
    tracer.dump_stats(str(out.with_suffix(".prof")))
    with out.open("w", encoding="utf-8") as text:
        stats = pstats.Stats(tracer, stream=text).strip_dirs()
        text.write(f"# {title} (cProfile; times include the profiler's own overhead)\n")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    return float(getattr(pstats.Stats(tracer), "total_tt", 0.0))


def worker(
    stage: str,
    data: Path,
    as_of: dt.date,
    profile_out: Path | None = None,
    profiler: str = "cprofile",
) -> None:
    result: dict[str, Any] = {"stage": stage}
    if stage == "floor":
        import yaml

        loader = yaml.CSafeLoader
        start = time.perf_counter()
        count = 0
        for path in _yaml_paths(data):
            yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=loader)  # noqa: S506
            count += 1
        result["floor_s"] = time.perf_counter() - start
        result["files"] = count
        result["rss_mib"] = _rss_mib()
    elif stage == "load":
        from auditor.loading.inventory import load_inventory

        start = time.perf_counter()
        loaded = load_inventory([data])
        result["load_s"] = time.perf_counter() - start
        result["systems"] = sum(len(a.systems) for a in loaded.inventory.agencies)
        result["rss_mib"] = _rss_mib()
    elif stage == "audit":
        from auditor.loading.inventory import load_inventory
        from auditor.report.json_out import to_json

        start = time.perf_counter()
        loaded = load_inventory([data])
        result["load_s"] = time.perf_counter() - start
        result["rss_load_mib"] = _rss_mib()
        start = time.perf_counter()
        rules, inputs = _load_catalog()
        result["catalog_s"] = time.perf_counter() - start
        result["rules"] = len(rules)
        start = time.perf_counter()
        run = _evaluate(loaded, rules, inputs, as_of)
        result["evaluate_s"] = time.perf_counter() - start
        result["rss_evaluate_mib"] = _rss_mib()
        result["findings"] = sum(len(s.findings) for s in run.systems) + sum(
            len(a.findings) for a in run.agencies
        )
        start = time.perf_counter()
        blob = to_json(run)
        result["json_s"] = time.perf_counter() - start
        result["json_mib"] = len(blob) / 2**20
        result["rss_json_mib"] = _rss_mib()
    elif stage == "run_audit":
        # The product path: auditor.audit.run_audit (load + catalog + evaluate) as the CLI
        # calls it, including anything it does around the stages (e.g. pausing the GC).
        from auditor.audit import AuditRequest, run_audit

        start = time.perf_counter()
        run_audit(AuditRequest([data], as_of))
        result["run_audit_s"] = time.perf_counter() - start
        result["rss_mib"] = _rss_mib()
    elif stage == "html":
        # What `auditor audit --output report.html` does: run_audit, then render_html; the
        # process's peak RSS (wait4, in the parent) covers load + evaluate + render.
        from auditor.audit import AuditRequest, run_audit
        from auditor.report.html import render_html

        start = time.perf_counter()
        outcome = run_audit(AuditRequest([data], as_of))
        result["run_audit_s"] = time.perf_counter() - start
        result["rss_evaluate_mib"] = _rss_mib()
        start = time.perf_counter()
        page = render_html(outcome.run, outcome.catalog, "vi")
        result["render_s"] = time.perf_counter() - start
        result["html_mb"] = len(page.encode("utf-8")) / MB
        result["rss_mib"] = _rss_mib()
    elif stage in ("profile-load", "profile-evaluate"):
        from auditor.loading.inventory import load_inventory

        assert profile_out is not None  # noqa: S101 - the parent always passes it
        prepared: list[Any] = []
        if stage == "profile-evaluate":
            prepared = [load_inventory([data]), *_load_catalog()]

        def work() -> None:
            if prepared:
                _evaluate(prepared[0], prepared[1], prepared[2], as_of)
            else:
                load_inventory([data])

        # Profiled with the cyclic GC paused, as auditor.audit.run_audit runs them, so that
        # collector pauses do not land on whichever function happened to allocate.
        gc.disable()
        title = f"{stage} {data}, cyclic GC paused"
        result["total_s"] = _profiled(work, profiler, profile_out, title)
        result["profile"] = str(profile_out)
    else:
        raise SystemExit(f"unknown stage {stage}")
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------------------------


def _spawn(
    cmd: Sequence[str], extra_env: dict[str, str] | None = None
) -> tuple[float, str, float]:
    """Run `cmd`; return (wall seconds, stdout, peak RSS MiB of that child alone)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8", **(extra_env or {})}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            list(cmd), stdout=subprocess.PIPE, stderr=err, cwd=REPO, env=env
        )
        assert proc.stdout is not None  # noqa: S101
        out = proc.stdout.read()
        proc.stdout.close()
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the max over all.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{message}")
    return wall, out.decode("utf-8"), usage.ru_maxrss / 1024


def _stage(
    stage: str,
    data: Path,
    profile_out: Path | None = None,
    profiler: str = "cprofile",
) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", stage, "--data", str(data)]
    cmd += ["--as-of", AS_OF]
    if profile_out is not None:
        cmd += ["--profile-out", str(profile_out), "--profiler", profiler]
    wall, out, rss = _spawn(cmd)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["process_wall_s"] = wall
    result["process_rss_mib"] = rss
    return result


def _cli(data: Path, *output: str) -> tuple[float, float]:
    """Wall time and peak RSS of `python -m auditor audit data *output --quiet --as-of ...`.

    The run is recorded, as `audit` does by default, but into a fresh history store of its
    own (AUDITOR_DB in a temporary folder, removed afterwards): never into the user's store,
    which would grow by ~400 MB per 10,000-system run and slow every later run down."""
    args = ["audit", str(data), *output, "--quiet", "--as-of", AS_OF]
    with tempfile.TemporaryDirectory(prefix="auditor-bench-db-") as folder:
        store = {"AUDITOR_DB": str(Path(folder) / "history.sqlite")}
        wall, _, rss = _spawn([sys.executable, "-m", "auditor", *args], store)
    return wall, rss


def _label(systems: int) -> str:
    return f"p{systems // 1000}k" if systems % 1000 == 0 and systems else f"p{systems}"


def ensure_inventory(systems: int, agencies: int, regenerate: bool) -> tuple[Path, dict[str, Any]]:
    sys.path.insert(0, str(BENCH))
    import generate

    folder = OUT / _label(systems)
    manifest_path = folder / ".manifest.json"
    if manifest_path.exists() and not regenerate:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        wanted = (generate.GENERATOR_VERSION, systems, agencies, generate.DEFAULT_SEED)
        have = (manifest["generator_version"], manifest["systems"], manifest["agencies"])
        if (*have, manifest["seed"]) == wanted:
            return folder, manifest
    print(f"generating {systems:,} systems in {folder} ...", flush=True)
    return folder, generate.generate(systems, agencies, folder)


def _best(runs: list[dict[str, Any]], key: str) -> float:
    return float(min(r[key] for r in runs))


def _peak(runs: list[dict[str, Any]], key: str) -> float:
    return float(max(r[key] for r in runs))


def measure(systems: int, agencies: int, repeat: int | None, regenerate: bool) -> dict[str, Any]:
    data, manifest = ensure_inventory(systems, agencies, regenerate)
    runs = repeat if repeat is not None else (3 if systems <= CHEAP_SYSTEMS else 1)
    floor: list[dict[str, Any]] = []
    load: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []
    product: list[dict[str, Any]] = []
    cli: list[dict[str, Any]] = []
    html: list[dict[str, Any]] = []
    cli_html: list[dict[str, Any]] = []
    json_out = OUT / f"cli-{_label(systems)}.json"
    html_out = OUT / f"cli-{_label(systems)}.html"
    for index in range(runs):
        print(f"  {systems:,} systems: run {index + 1}/{runs}", flush=True)
        floor.append(_stage("floor", data))
        load.append(_stage("load", data))
        audit.append(_stage("audit", data))
        product.append(_stage("run_audit", data))
        html.append(_stage("html", data))
        wall, rss = _cli(data, "--json", str(json_out))
        cli.append({"cli_s": wall, "rss_mib": rss})
        wall, rss = _cli(data, "--output", str(html_out))
        cli_html.append({"cli_s": wall, "rss_mib": rss, "html_mb": html_out.stat().st_size / MB})
    row: dict[str, Any] = {
        "systems": systems,
        "agencies": agencies,
        "runs": runs,
        "files": manifest["files"],
        "yaml_lines": manifest["lines"],
        "yaml_mib": manifest["bytes"] / 2**20,
        "rules": audit[0]["rules"],
        "findings": audit[0]["findings"],
        "floor_s": _best(floor, "floor_s"),
        "load_s": _best(load, "load_s"),
        "catalog_s": _best(audit, "catalog_s"),
        "evaluate_s": _best(audit, "evaluate_s"),
        "json_s": _best(audit, "json_s"),
        "json_mib": audit[0]["json_mib"],
        "cli_s": _best(cli, "cli_s"),
        "run_audit_s": _best(product, "run_audit_s"),
        # Peak RSS: the worst of the runs. floor/load/cli from wait4 on the child; the
        # load+evaluate peak is the audit worker's own high-water mark before to_json.
        "rss_floor_mib": _peak(floor, "process_rss_mib"),
        "rss_load_mib": _peak(load, "process_rss_mib"),
        "rss_load_evaluate_mib": _peak(audit, "rss_evaluate_mib"),
        "rss_with_json_mib": _peak(audit, "process_rss_mib"),
        "rss_cli_mib": _peak(cli, "rss_mib"),
        "rss_run_audit_mib": _peak(product, "process_rss_mib"),
        # HTML report: render_html time after run_audit, the page's UTF-8 size, and the peak
        # RSS of the process that loaded, evaluated and rendered (wait4 on the child).
        "render_s": _best(html, "render_s"),
        "html_mb": html[0]["html_mb"],
        "html_file_mb": cli_html[0]["html_mb"],
        "rss_html_evaluate_mib": _peak(html, "rss_evaluate_mib"),
        "rss_html_mib": _peak(html, "process_rss_mib"),
        "cli_html_s": _best(cli_html, "cli_s"),
        "rss_cli_html_mib": _peak(cli_html, "rss_mib"),
    }
    row["load_evaluate_s"] = row["load_s"] + row["evaluate_s"]
    row["ratio"] = row["load_evaluate_s"] / row["floor_s"]
    row["run_audit_ratio"] = row["run_audit_s"] / row["floor_s"]
    row["cli_html_ratio"] = row["cli_html_s"] / row["floor_s"]
    return row


def profile(systems: int, agencies: int, profiler: str) -> list[Path]:
    data, _ = ensure_inventory(systems, agencies, False)
    written = []
    for stage in ("profile-load", "profile-evaluate"):
        suffix = "" if profiler == "cprofile" else f"-{profiler}"
        target = OUT / f"{stage}-{_label(systems)}{suffix}.txt"
        result = _stage(stage, data, target, profiler)
        print(f"  {stage}: {result['total_s']:.2f} s under {profiler} -> {target}", flush=True)
        written.append(target)
    return written


def code_state() -> str:
    """Which code was measured: git HEAD, uncommitted changes, and a digest of the sources."""
    digest = hashlib.sha256()
    for folder, pattern in (("auditor", "*.py"), ("checklists", "*.yaml")):
        for path in sorted((REPO / folder).rglob(pattern)):
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    state = f"sources sha256 {digest.hexdigest()[:12]} (auditor/*.py, checklists/*.yaml)"
    git = shutil.which("git")
    if git is None:
        return state
    try:
        head = subprocess.run(  # noqa: S603 - read-only git queries
            [git, "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        status = ["status", "--porcelain", "--", "auditor", "checklists"]
        dirty = subprocess.run(  # noqa: S603
            [git, "--no-optional-locks", "-C", str(REPO), *status],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return state
    changes = f"{len(dirty)} uncommitted file(s) in auditor/ or checklists/" if dirty else "clean"
    return f"git {head}, {changes}; {state}"


def render(rows: list[dict[str, Any]], code: tuple[str, str]) -> str:
    import pydantic
    import yaml

    lines = [
        "# auditor benchmark",
        "",
        f"- date of run: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"audit date (--as-of) {AS_OF}",
        f"- Python {platform.python_version()} on {platform.machine()} "
        f"({os.cpu_count()} CPUs), PyYAML {yaml.__version__} "
        f"(libyaml: {yaml.__with_libyaml__}), pydantic {pydantic.VERSION}",
        f"- code: {code[0]}",
        *(
            [f"- WARNING: the code changed during the run (now: {code[1]}); numbers mix versions"]
            if code[0] != code[1]
            else []
        ),
        f"- catalog: {CATALOG_NOTE}",
        "- each stage ran in a fresh subprocess; timings: "
        + "; ".join(
            f"{r['systems']:,} systems = "
            + (f"best of {r['runs']} runs" if r["runs"] > 1 else "1 run (single measurement)")
            for r in rows
        ),
        "",
        "| systems | floor s | load s | evaluate s | load+evaluate s | ratio (load+evaluate)/floor "
        "| JSON s | CLI total s | peak RSS MiB | HTML render s | HTML MB | peak RSS +HTML MiB "
        "| CLI HTML s | ratio CLI HTML/floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {r['systems']:,} | {r['floor_s']:.2f} | {r['load_s']:.2f} | "
        f"{r['evaluate_s']:.2f} | {r['load_evaluate_s']:.2f} | {r['ratio']:.2f}× | "
        f"{r['json_s']:.2f} | {r['cli_s']:.2f} | {r['rss_load_evaluate_mib']:.0f} | "
        f"{r['render_s']:.2f} | {r['html_mb']:.1f} | {r['rss_html_mib']:.0f} | "
        f"{r['cli_html_s']:.2f} | {r['cli_html_ratio']:.2f}× |"
        for r in rows
    )
    lines += [
        "",
        "peak RSS MiB = high-water mark of the process that ran load_inventory + load_catalog "
        '+ evaluate (before JSON). HTML render s = render_html(run, catalog, "vi") after '
        "run_audit; HTML MB = its UTF-8 size (10^6 bytes); peak RSS +HTML = the process that "
        "loaded, evaluated and rendered; CLI HTML s = the whole `audit PATH --output out.html "
        "--quiet` command, start-up included.",
        "",
        "Details (peak RSS of each stage's own process, in MiB):",
        "",
        "| systems | agencies | YAML files | YAML lines | YAML MiB | rules | findings | catalog s "
        "| run_audit s | run_audit/floor | JSON MiB | RSS floor | RSS load | RSS load+evaluate "
        "| RSS run_audit | RSS +JSON | RSS CLI | HTML file MB | RSS CLI HTML |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        "---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['systems']:,} | {r['agencies']} | {r['files']} | {r['yaml_lines']:,} | "
            f"{r['yaml_mib']:.1f} | {r['rules']} | {r['findings']:,} | {r['catalog_s']:.3f} | "
            f"{r['run_audit_s']:.2f} | {r['run_audit_ratio']:.2f}× | "
            f"{r['json_mib']:.1f} | {r['rss_floor_mib']:.0f} | {r['rss_load_mib']:.0f} | "
            f"{r['rss_load_evaluate_mib']:.0f} | {r['rss_run_audit_mib']:.0f} | "
            f"{r['rss_with_json_mib']:.0f} | {r['rss_cli_mib']:.0f} | "
            f"{r['html_file_mb']:.1f} | {r['rss_cli_html_mib']:.0f} |"
        )
    goal_rows = [r for r in rows if r["systems"] == 10_000] or rows[-1:]
    lines += ["", "Goals (load + evaluate of 10,000 systems):", ""]
    for r in goal_rows:
        ratio_ok = r["ratio"] <= GOAL_RATIO
        rss_ok = r["rss_load_evaluate_mib"] < GOAL_RSS_MIB
        product_ok = r["run_audit_ratio"] <= GOAL_RATIO
        lines.append(
            f"- {r['systems']:,} systems: within {GOAL_RATIO:g}× the C-parse floor: "
            f"{'MET' if ratio_ok else 'NOT MET'} ({r['ratio']:.2f}× for load_inventory + "
            f"evaluate; {'MET' if product_ok else 'NOT MET'} at {r['run_audit_ratio']:.2f}× "
            f"for run_audit); under 1 GiB: "
            f"{'MET' if rss_ok else 'NOT MET'} ({r['rss_load_evaluate_mib']:.0f} MiB; "
            f"run_audit {r['rss_run_audit_mib']:.0f} MiB)"
        )
    lines += ["", "Goals (HTML report of 10,000 systems):", ""]
    for r in goal_rows:
        size_ok = r["html_file_mb"] < GOAL_HTML_MB
        whole_ok = r["cli_html_ratio"] <= GOAL_HTML_RATIO
        lines.append(
            f"- {r['systems']:,} systems: HTML under {GOAL_HTML_MB:g} MB: "
            f"{'MET' if size_ok else 'NOT MET'} ({r['html_file_mb']:.1f} MB); whole audit "
            f"(load + evaluate + render, CLI wall time) within {GOAL_HTML_RATIO:g}× the floor: "
            f"{'MET' if whole_ok else 'NOT MET'} ({r['cli_html_s']:.2f} s = "
            f"{r['cli_html_ratio']:.2f}×; render {r['render_s']:.2f} s, peak RSS "
            f"{r['rss_html_mib']:.0f} MiB)"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument(
        "--repeat", type=int, help="runs per size (default: 3 up to 1,000 systems, else 1)"
    )
    parser.add_argument("--regenerate", action="store_true", help="rewrite the inventories")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile load and evaluate (bench/out/)"
    )
    parser.add_argument("--profile-only", action="store_true", help="only profile, measure nothing")
    parser.add_argument(
        "--profiler",
        choices=("cprofile", "pyinstrument"),
        default="cprofile",
        help="cprofile (stdlib, exact counts, inflates times) or pyinstrument (sampling; "
        "pip install pyinstrument)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-of", default=AS_OF, help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        sys.path.insert(0, str(REPO))
        as_of = dt.date.fromisoformat(args.as_of)
        worker(args.worker, args.data, as_of, args.profile_out, args.profiler)
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    if not args.profile_only:
        before = code_state()
        rows = [
            measure(systems, args.agencies, args.repeat, args.regenerate)
            for systems in args.systems
        ]
        report = render(rows, (before, code_state()))
        print()
        print(report)
        (OUT / "results.md").write_text(report, encoding="utf-8")
        (OUT / "results.json").write_text(
            json.dumps({"catalog": CATALOG_NOTE, "code": before, "rows": rows}, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.profile or args.profile_only:
        for systems in args.systems:
            for path in profile(systems, args.agencies, args.profiler):
                print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
