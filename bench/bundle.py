"""`auditor bundle create` and `bundle verify` of a province's results at N systems: wall
time, CPU and peak RSS of the CLI process, the median of a few runs.

    python bench/bundle.py                          # 2,000 and 10,000 systems, 3 runs each
    python bench/bundle.py --systems 500 --repeat 1 # a quick run
    python bench/bundle.py --source /path/to/other/checkout   # the same, with other code

A synthetic province (bench/generate.py, `--agencies` 40) is audited once per size into
`bench/out/bundle/results-pN.json` (kept: the audit is what bench/run.py measures, not this);
the bundle is then signed with a throw-away test PKI (tests/national/pki.py) and verified
against its root. Each run is a fresh `python -m auditor` process; its peak RSS is that
child's own (`os.wait4`), not the maximum over all children. `--source` runs the CLI of
another checkout (PYTHONPATH), e.g. main before a change, on the same files.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from national.pki import make_pki  # noqa: E402 - the tests' PKI helper


@dataclass(frozen=True)
class Measured:
    wall_s: float
    cpu_s: float
    rss_mib: float


def run(cmd: Sequence[str | Path], source: Path, cwd: Path, ok: tuple[int, ...] = (0,)
        ) -> Measured:
    """Run the CLI of `source`; wall time, user + system CPU and peak RSS of that child."""
    env = {k: v for k, v in os.environ.items() if k != "AUDITOR_DB"}
    env["PYTHONPATH"] = str(source)
    env["AUDITOR_DB"] = str(cwd / "history.sqlite")  # never the user's store
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "auditor", *map(str, cmd)],
            stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=env,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in ok:
            err.seek(0)
            raise RuntimeError(f"{cmd[:3]} failed:\n{err.read().decode()[-3000:]}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(runs: list[Measured]) -> Measured:
    return Measured(statistics.median(m.wall_s for m in runs),
                    statistics.median(m.cpu_s for m in runs),
                    statistics.median(m.rss_mib for m in runs))  # fmt: skip


def results_of(systems: int, agencies: int, out: Path) -> Path:
    """The results of a synthetic province of `systems` (made once, then reused)."""
    results = out / f"results-p{systems}.json"
    if results.exists():
        return results
    inventory = out / f"p{systems}"
    if not inventory.exists():
        subprocess.run(  # noqa: S603
            [sys.executable, str(REPO / "bench" / "generate.py"), "--systems", str(systems),
             "--agencies", str(agencies), "--out", str(inventory)],
            check=True,
        )  # fmt: skip
    run(["audit", inventory, "--as-of", "2026-11-24", "--json", results, "-q"], REPO, out,
        ok=(0, 1))  # 1: the audit found failures
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--systems", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (median)")
    parser.add_argument("--source", default=str(REPO), help="the checkout whose CLI runs")
    parser.add_argument("--out", default=str(REPO / "bench" / "out" / "bundle"))
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    source = Path(args.source).resolve()
    pki = make_pki(out)
    cert, key = pki.signer(out, "So KHCN")
    print(f"code: {source}\n")
    print("| systems | results MiB | step | wall s | CPU s | peak RSS MiB |")
    print("|---:|---:|---|---:|---:|---:|")
    for systems in args.systems:
        results = results_of(systems, args.agencies, out)
        size = results.stat().st_size / 2**20
        bundle = out / f"p{systems}.bundle"
        made, verified = [], []
        for _ in range(args.repeat):
            bundle.unlink(missing_ok=True)
            made.append(run(["bundle", "create", results, "-o", bundle, "--cert", cert,
                             "--key", key, "--chain", pki.chain], source, out))  # fmt: skip
            verified.append(run(["bundle", "verify", bundle, "--ca-bundle", pki.ca_bundle],
                                source, out))  # fmt: skip
        for step, runs in (("bundle create", made), ("bundle verify", verified)):
            m = median(runs)
            print(f"| {systems:,} | {size:.0f} | {step} | {m.wall_s:.1f} | {m.cpu_s:.1f} "
                  f"| {m.rss_mib:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
