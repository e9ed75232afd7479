"""Instructions the TLS probe executes per endpoint (valgrind's callgrind), for one source tree
or several: a measure of the probe's own CPU that a busy shared machine does not blur.

    python bench/tls_instructions.py --endpoints 200 [--leaves 6] [--src DIR ...]

It makes the private PKI of bench/tls_probe.py, starts bench/tls_server.py on `--endpoints`
ports of 127.0.0.1, and runs, under `valgrind --tool=callgrind`, one Python process that
imports `auditor.probes.tls` from each source tree (this checkout by default; `--src DIR`
adds a tree such as `git archive REV auditor | tar -x -C DIR`) and probes every endpoint one
after another with the `probe tls` defaults minus the TLS 1.0/1.1 checks (one verifying
handshake each, then the request for an OCSP staple where the tree makes one, as the runner
does). The same process probing no endpoint is subtracted, so what is left is the
probe's work per endpoint: the handshake, reading the chain, the facts and the verdicts at the
audit date. The server's work is not counted (another process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from tls_probe import HOST, Server, make_pki  # noqa: E402 - the bench's own helpers

DRIVER = """
import datetime as dt, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from auditor.probes.tls import probe_endpoint
try:  # the staple request the runner makes after each handshake (issue 16); older trees lack it
    from auditor.probes.revocation import endpoint_revocation
except ImportError:
    endpoint_revocation = None
ca = Path(sys.argv[2])
ports = [int(p) for p in sys.argv[3].split(",") if p]
as_of = dt.date.fromisoformat(sys.argv[4])
# One endpoint first, outside the count of both runs alike: lazy imports and first-use caches.
probe_endpoint(sys.argv[5], int(sys.argv[6]), sys.argv[5], sys.argv[5], 10.0, ca, as_of,
               check_legacy=False)
if endpoint_revocation is not None:
    endpoint_revocation(sys.argv[5], int(sys.argv[6]), sys.argv[5], ca, 10.0, as_of, False)
for port in ports:
    seen = probe_endpoint(sys.argv[5], port, sys.argv[5], sys.argv[5], 10.0, ca, as_of,
                          check_legacy=False)
    if seen.error or not seen.chain_verified:
        raise SystemExit(f"port {port}: {seen.error or seen.verify_error}")
    if endpoint_revocation is not None:
        endpoint_revocation(sys.argv[5], port, sys.argv[5], ca, 10.0, as_of, False)
"""


def counted(valgrind: str, src: Path, ca: Path, ports: list[int], warm: int) -> int:
    """Instructions of one driver process probing `ports` (after one warm-up endpoint)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        done = subprocess.run(  # noqa: S603 - valgrind, our interpreter, our own arguments
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             "-c", DRIVER, str(src), str(ca), ",".join(map(str, ports)),
             dt.date.today().isoformat(), HOST, str(warm)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            check=False,
        )
    found = re.search(rb"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"driver on {src}: exit {done.returncode}\n"
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--leaves", type=int, default=6, help="distinct leaf certificates")
    parser.add_argument("--src", type=Path, action="append", default=[],
                        help="another source tree holding auditor/ (repeatable)")
    args = parser.parse_args(argv)
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    trees = [REPO, *args.src]
    with tempfile.TemporaryDirectory() as tmp:
        certs = Path(tmp)
        make_pki(certs, args.leaves)
        server = Server(certs, args.endpoints + 1, threads=8)
        try:
            warm, *ports = server.ports
            print(f"| source | M instructions per endpoint ({args.endpoints} endpoints, "
                  f"{args.leaves} distinct leaves) |")
            print("|---|---:|")
            for src in trees:
                none = counted(valgrind, src, certs / "ca.pem", [], warm)
                every = counted(valgrind, src, certs / "ca.pem", ports, warm)
                per = (every - none) / len(ports) / 1e6
                print(f"| {src} | {per:.2f} |", flush=True)
        finally:
            server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
