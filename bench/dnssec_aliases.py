"""Benchmark: DNSSEC validation of a name and of aliases (CNAME chains), queries and time.

    python bench/dnssec_aliases.py --repeat 50

Builds the signed test hierarchy of tests/probes/dnssec_zones.py (ldns-signzone, BIND's
dnssec-signzone for the opt-out zone) in a temporary directory, serves it with one NSD on
127.0.0.1 (tests/probes/dns_server.py), and validates each name `--repeat` times from the
test's own trust anchor, counting the queries sent. Prints a Markdown table: name, verdict,
CNAMEs followed, queries per validation, median milliseconds. Only 127.0.0.1 is contacted;
NSD is stopped when the run ends.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests"), str(HERE.parent / "tests" / "probes")]

import dns.message  # noqa: E402 - after the path set-up
import dns.name  # noqa: E402
import dns.rdatatype  # noqa: E402
from probes.dns_server import NsdServer  # noqa: E402
from probes.dnssec_zones import AS_OF, build  # noqa: E402

from auditor.probes.dns_wire import Wire  # noqa: E402
from auditor.probes.dnssec import validate_name  # noqa: E402
from auditor.probes.trust_anchor import read_trust_anchors  # noqa: E402

NAMES = ("www.tinh.test", "www.an.tinh.test", "alias.tinh.test", "totinh3.tinh.test",
         "tounsigned.tinh.test", "hop1.tinh.test")


class CountingWire(Wire):
    """The probe's own wire, counting what it sends."""

    sent = 0

    def ask(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> dns.message.Message:
        CountingWire.sent += 1
        return super().ask(name, rdtype)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hierarchy = build(folder / "zones")
        (folder / "nsd").mkdir()
        anchors = read_trust_anchors(hierarchy.anchor_file)
        print("| name | verdict | CNAMEs | queries | median ms |")
        print("|---|---|---:|---:|---:|")
        with NsdServer(folder / "nsd", hierarchy.zones) as nsd:
            wire = CountingWire(nsd.resolver_config())
            for name in NAMES:
                times = []
                CountingWire.sent = 0
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    seen = validate_name(name, wire, anchors, AS_OF)
                    times.append(time.perf_counter() - start)
                verdict = seen.status.value if seen.status is not None else f"error: {seen.error}"
                print(f"| {name} | {verdict} | {len(seen.aliases)} | "
                      f"{CountingWire.sent // args.repeat} | "
                      f"{statistics.median(times) * 1000:.1f} |")


if __name__ == "__main__":
    main()
