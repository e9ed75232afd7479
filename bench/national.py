"""National roll-up benchmark: 34 provinces × N systems → signed bundles → `auditor national
import` into a throw-away PostgreSQL server → `auditor report national` (HTML, XLSX, JSON).

    python bench/national.py                    # 34 × 2,000 systems (68,000)
    python bench/national.py --systems 200      # a quick run

One synthetic province (bench/generate.py) is audited and its annual report made once; its
results and annual figures are then signed 34 times by the real `auditor bundle create`, once
per province of the shipped list (`--province <id>`), so each bundle is a genuine, distinct
signed bundle of N systems. (34 separate audits of 2,000 systems would measure the audit
again, which bench/run.py measures, not the roll-up.) The import and the report each run in
a fresh process; wall time, CPU and the peak RSS of that process alone (wait4) are printed as
a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from national.pki import make_pki  # noqa: E402 - the tests' PKI helper
from store.pg_server import PostgresServer, find_bindir  # noqa: E402 - the tests' server


@dataclass(frozen=True)
class Measured:
    wall_s: float
    cpu_s: float
    rss_mib: float


def run(cmd: Sequence[str | Path]) -> Measured:
    """Run the CLI; wall time, user + system CPU and peak RSS of that child alone."""
    env = {k: v for k, v in os.environ.items() if k != "AUDITOR_DB"}
    env["PYTHONPATH"] = str(REPO)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "auditor", *map(str, cmd)],
            stdout=subprocess.DEVNULL, stderr=err, cwd=REPO, env=env,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise RuntimeError(f"{cmd[:3]} failed:\n{err.read().decode()[-3000:]}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--systems", type=int, default=2_000, help="systems per province")
    parser.add_argument("--provinces", type=int, default=34, help="how many of the list (34)")
    parser.add_argument("--out", default=str(REPO / "bench" / "out" / "national"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    listed = yaml.safe_load(
        (REPO / "auditor" / "national" / "provinces-2025.yaml").read_text(encoding="utf-8")
    )["provinces"][: args.provinces]
    inventory = out / f"p{args.systems}"
    if not inventory.exists():
        subprocess.run(  # noqa: S603
            [sys.executable, str(REPO / "bench" / "generate.py"), "--systems",
             str(args.systems), "--agencies", "40", "--out", str(inventory)],
            check=True,
        )  # fmt: skip
    history = out / "history.sqlite"
    history.unlink(missing_ok=True)
    setup: dict[str, Measured] = {}
    setup["audit"] = run(["audit", inventory, "--as-of", "2026-11-24", "--db", history,
                          "--json", out / "results.json", "-q"])  # fmt: skip
    setup["annual"] = run(["report", "annual", "--year", "2026", "--db", history, "--json",
                           out / "annual.json", "-q"])  # fmt: skip
    pki = make_pki(out)
    cert, key = pki.signer(out, "So KHCN")
    bundles = []
    start = time.perf_counter()
    for province in listed:
        bundle = out / f"{province['id']}.bundle"
        bundle.unlink(missing_ok=True)
        run(["bundle", "create", out / "results.json", "--annual", out / "annual.json",
             "--province", province["id"], "-o", bundle, "--cert", cert, "--key", key,
             "--chain", pki.chain, "--db", history])  # fmt: skip
        bundles.append(bundle)
    create_s = time.perf_counter() - start
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    server = PostgresServer(bindir)
    server.start()
    try:
        db = server.create_database()
        imported = run(["national", "import", *bundles, "--db", db, "--ca-bundle",
                        pki.ca_bundle])  # fmt: skip
        report = run(["report", "national", "--year", "2026", "--db", db, "-o",
                      out / "national.html", "--xlsx", out / "national.xlsx", "--json",
                      out / "national.json"])  # fmt: skip
        again = run(["national", "import", *bundles, "--db", db, "--ca-bundle",
                     pki.ca_bundle])  # fmt: skip
    finally:
        server.stop()
    size = sum(b.stat().st_size for b in bundles)
    print("| step | wall (s) | CPU (s) | peak RSS (MiB) |\n|---|---:|---:|---:|")
    for name, m in (*setup.items(), ("national import (first time)", imported),
                    ("report national (HTML + XLSX + JSON)", report),
                    ("national import (again: all already imported)", again)):  # fmt: skip
        print(f"| {name} | {m.wall_s:.1f} | {m.cpu_s:.1f} | {m.rss_mib:.0f} |")
    print(f"\n{len(bundles)} bundles of {args.systems} systems, {size / 2**20:.0f} MiB in all, "
          f"made in {create_s:.0f} s; outputs: "
          + ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MiB"
                      for p in (out / "national.html", out / "national.xlsx",
                                out / "national.json")))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
