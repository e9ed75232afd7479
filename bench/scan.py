"""Benchmark: `auditor scan` against raw nmap on loopback listeners, and nmap XML import.

    python bench/scan.py                 # about 2 minutes on 2 cores; --profile adds cProfile text

Part 1, scanning (the same targets, the same nmap arguments, in one run):

1. Starts ONE listener process (bench/scan_listeners.py): the same 20 TCP port numbers
   (drawn from 61000-64999, checked free) listening on each of 127.0.0.1 … 127.0.0.32 and
   ::1, plus 5 numbers checked free and left closed. Only 127.0.0.0/8 and ::1 are ever bound
   or scanned: the inventory names nothing else.
2. Writes an inventory: 8 systems of 4 hosts, one per address (127.0.0.1 also has ::1), each
   declaring 10 of the open ports and one closed port as `expected_ports`.
3. For each configuration (quick profile with the 25 ports; quick with nmap's top 1000 TCP
   ports plus the 25; standard profile, i.e. -sV --version-light, with the 25), runs one
   warm-up round and then `--repeat` interleaved rounds of:
     raw nmap: `nmap -oX - HOSTS ARGS`, ARGS from `auditor.scan.nmap_runner.nmap_arguments`
       (what python-nmap runs for auditor), once for the IPv4 addresses and once with -6 for
       ::1; the wall time is the sum of the two processes;
     in-process: `run_scan(scan_targets(inventory), options)` + `scan_observations(...)` in
       this process (auditor imported and the inventory loaded beforehand: no start-up);
     CLI: `python -m auditor scan INV --profile P --ports LIST --save out.json --json`;
   and once per round `python -m auditor --version` (the CLI's fixed start-up cost).
   Every subprocess gets an argument list (no shell) and a timeout. The nmap command lines
   auditor recorded are compared with the raw ones, and the open ports each found.

Part 2, import: generates an nmap -oX file of 5,000 hosts (3,000 IPv4 addresses from
198.18.0.0/15, the RFC 2544 benchmarking range, 2,000 IPv6 from 2001:db8::/32 — a file's
addresses are never contacted) shaped like the XML nmap 7.93 writes here (header, <host>,
<extraports>/<extrareasons>, <runstats>), each host with a few open ports with service,
product, version and CPEs, TLS ports with an `ssl-cert` script table: the real table nmap
wrote for this run's TLS listener (`--script +ssl-cert`), with per-host names and dates. An
inventory of 1,000 systems declares the 4,000 hosts those addresses belong to (1,000
dual-stack). Then a fresh child process times `parse_nmap_xml` on the bytes in memory,
`load_inventory`, `scan_observations` and `save_scan` (median of `--import-repeat`, peak RSS
from getrusage), and `auditor scan INV --import big.xml --save out.json --json` runs
`--import-repeat` times (peak RSS from wait4).

Output: Markdown tables on stdout, bench/out/scan.md and bench/out/scan.json. The listener
process is stopped in a `finally`.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import ipaddress
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
NMAP = shutil.which("nmap") or "/usr/bin/nmap"
AS_OF = "2026-12-01"
NMAP_TIMEOUT = 120.0
CLI_TIMEOUT = 300.0
HOSTS_PER_SYSTEM = 4
DECLARED_OPEN = 10  # of the open ports, declared per host

if str(REPO) not in sys.path:  # run as `python bench/scan.py` from a checkout
    sys.path.insert(0, str(REPO))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # sums over waited-for children
    return usage.ru_utime + usage.ru_stime


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def ranges(ports: Iterable[int]) -> str:
    """'1,3-4,6' for [1, 3, 4, 6]: nmap's own notation for a port set."""
    out: list[str] = []
    ordered = sorted(set(ports))
    start = prev = ordered[0]
    for port in [*ordered[1:], -1]:
        if port == prev + 1:
            prev = port
            continue
        out.append(f"{start}-{prev}" if prev > start else str(start))
        start = prev = port
    return ",".join(out)


def top_tcp_ports(count: int) -> list[int]:
    """nmap's --top-ports selection: the `count` most frequent TCP ports in nmap-services."""
    candidates = [Path(NMAP).resolve().parent.parent / "share" / "nmap" / "nmap-services",
                  Path("/usr/share/nmap/nmap-services")]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise RuntimeError("nmap-services not found (is nmap installed?)")
    rows: list[tuple[float, int]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) < 3 or line.startswith("#") or not fields[1].endswith("/tcp"):
            continue
        rows.append((-float(fields[2]), int(fields[1].split("/")[0])))
    rows.sort()
    return sorted(port for _, port in rows[:count])


# --------------------------------------------------------------------------------------------
# Listeners and the scan inventory
# --------------------------------------------------------------------------------------------


class Listeners:
    """bench/scan_listeners.py in its own process; always stopped by `close()`."""

    def __init__(self, addresses: int, open_ports: int, closed: int, tls_dir: Path) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(BENCH / "scan_listeners.py"), "--addresses", str(addresses),
             "--open", str(open_ports), "--closed", str(closed), "--tls-dir", str(tls_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        hello = self._line(timeout=60)
        self.ipv4: list[str] = hello["ipv4"]
        self.ipv6: list[str] = hello["ipv6"]
        self.open: list[int] = hello["open"]
        self.closed: list[int] = hello["closed"]
        self.tls_port: int = hello["tls_port"]
        for address in (*self.ipv4, *self.ipv6):  # the one rule: loopback only
            if not ipaddress.ip_address(address).is_loopback:
                raise RuntimeError(f"listener on a non-loopback address {address}")

    def _line(self, timeout: float) -> dict[str, Any]:
        import selectors

        assert self.proc.stdout is not None  # noqa: S101 - PIPE above
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                raise RuntimeError("listener process did not answer in time")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"listener process exited (code {self.proc.poll()})")
        return dict(json.loads(line))

    def stats(self) -> dict[str, float]:
        assert self.proc.stdin is not None  # noqa: S101 - PIPE above
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return self._line(timeout=30)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None  # noqa: S101
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=10)


ORG = "organisation: {id: tinh-bench, name: Tỉnh Benchmark}\n"


def _system(system_id: str, hosts: Sequence[str]) -> str:
    return (f"    - id: {system_id}\n      name: Hệ thống {system_id}\n"
            "      system_type: citizen_facing\n      lifecycle: production\n"
            "      declared_level: 3\n      hosts:\n" + "".join(hosts))


def _host(name: str, ipv4: Sequence[str], ipv6: Sequence[str], expected: Sequence[int]) -> str:
    lines = [f"        - name: {name}\n"]
    if ipv4:
        lines.append(f"          ipv4: [{', '.join(json.dumps(a) for a in ipv4)}]\n")
    if ipv6:
        lines.append(f"          ipv6: [{', '.join(json.dumps(a) for a in ipv6)}]\n")
    lines.append(f"          expected_ports: [{', '.join(map(str, expected))}]\n")
    return "".join(lines)


def write_scan_inventory(folder: Path, listeners: Listeners) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "00-org.yaml").write_text(ORG, encoding="utf-8")
    expected = [*listeners.open[:DECLARED_OPEN], listeners.closed[0]]
    systems: list[str] = []
    hosts: list[str] = []
    for i, address in enumerate(listeners.ipv4):
        ipv6 = listeners.ipv6 if i == 0 else []
        hosts.append(_host(f"h{i + 1:02d}.scan-bench.test", [address], ipv6, expected))
        if len(hosts) == HOSTS_PER_SYSTEM or i == len(listeners.ipv4) - 1:
            systems.append(_system(f"he-thong-{len(systems) + 1:02d}", hosts))
            hosts = []
    (folder / "so-a.yaml").write_text(
        "agency:\n  id: so-a\n  name: Sở A\n  systems:\n" + "".join(systems), encoding="utf-8")
    return folder


# --------------------------------------------------------------------------------------------
# Part 1: raw nmap, in-process, CLI
# --------------------------------------------------------------------------------------------


@dataclass
class Config:
    label: str
    options: Any  # ScanOptions
    cli_args: list[str]
    ports_note: str


@dataclass
class Series:
    """One row: the runs of one step of one configuration."""

    config: str
    step: str
    runs: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def walls(self) -> list[float]:
        return [r["wall_s"] for r in self.runs]

    def median(self, key: str = "wall_s") -> float:
        return float(statistics.median(r[key] for r in self.runs))


def raw_nmap(listeners: Listeners, options: Any, privileged: bool) -> dict[str, Any]:
    """nmap exactly as python-nmap starts it for auditor: `nmap -oX - HOSTS ARGS`, per family."""
    from auditor.scan.nmap_runner import nmap_arguments
    from auditor.scan.nmap_xml import parse_nmap_xml

    out: dict[str, Any] = {"wall_s": 0.0, "cpu_s": 0.0, "open": 0, "commands": []}
    for family, hosts in (("ipv4", listeners.ipv4), ("ipv6", listeners.ipv6)):
        if not hosts:
            continue
        argv = [NMAP, "-oX", "-", *hosts, *nmap_arguments(options, family, privileged)]
        cpu = _cpu_children()
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - argument list from nmap_arguments, no shell
            argv, capture_output=True, timeout=NMAP_TIMEOUT, check=False,
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"nmap exited {done.returncode}: {done.stderr[-300:]!r}")
        out[f"{family}_s"] = wall
        out["wall_s"] += wall
        out["cpu_s"] += _cpu_children() - cpu
        run = parse_nmap_xml(done.stdout, source="nmap")
        out["open"] += sum(p.state == "open" for h in run.hosts for p in h.ports)
        out["commands"].append(run.command)
    return out


def _open_items(observations: Any) -> int:
    return sum(
        1 for seen in observations.values() for item in seen.collections.get("open_ports", ())
        if not item.errors
    )


class _TimedPopen(subprocess.Popen):  # type: ignore[type-arg]
    """subprocess.Popen that records each process's wall time, from start to the end of
    `communicate()` (python-nmap starts nmap with Popen and waits in communicate)."""

    spans: list[tuple[list[str], float]] = []  # noqa: RUF012 - a shared record, reset per run

    def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
        self._started = time.perf_counter()
        super().__init__(args, *rest, **kwargs)

    def communicate(self, *rest: Any, **kwargs: Any) -> Any:
        try:
            return super().communicate(*rest, **kwargs)
        finally:
            args = self.args if isinstance(self.args, list | tuple) else [self.args]
            _TimedPopen.spans.append(([str(a) for a in args],
                                      time.perf_counter() - self._started))


def in_process(inventory: Any, options: Any) -> dict[str, Any]:
    """run_scan + scan_observations here; python-nmap's Popen is timed, so the time auditor
    spends outside the nmap scan processes is measured in the same run, not estimated."""
    import nmap.nmap as python_nmap  # type: ignore[import-untyped, unused-ignore]

    from auditor.scan.model import merge_runs
    from auditor.scan.nmap_runner import run_scan
    from auditor.scan.observe import scan_observations
    from auditor.scan.targets import scan_targets

    as_of = dt.date.fromisoformat(AS_OF)
    _TimedPopen.spans = []
    original = python_nmap.subprocess.Popen
    python_nmap.subprocess.Popen = _TimedPopen  # the same module object as our `subprocess`
    try:
        cpu, children = _cpu_self(), _cpu_children()
        start = time.perf_counter()
        run = run_scan(scan_targets(inventory), options)
        scanned = time.perf_counter()
        observations, _unmatched = scan_observations(inventory, [merge_runs([run])], as_of)
        end = time.perf_counter()
        own_cpu, all_cpu = _cpu_self() - cpu, _cpu_self() - cpu + _cpu_children() - children
    finally:
        python_nmap.subprocess.Popen = original
    scans = sum(t for argv, t in _TimedPopen.spans if "-V" not in argv)
    probes = sum(t for argv, t in _TimedPopen.spans if "-V" in argv)
    return {"wall_s": end - start, "run_scan_s": scanned - start, "observe_s": end - scanned,
            "nmap_s": scans, "version_probe_s": probes, "outside_nmap_s": end - start - scans,
            "outside_share": (end - start - scans) / scans if scans else None,
            "self_cpu_s": own_cpu, "cpu_s": all_cpu, "open": _open_items(observations),
            "open_in_scan": sum(p.state == "open" for h in run.hosts for p in h.ports),
            "commands": (run.command or "").split("\n"), "notes": list(run.notes)}


def spawn(argv: Sequence[str], timeout: float) -> tuple[dict[str, Any], bytes]:
    """Run `argv`; wall time, CPU and peak RSS of that child alone (wait4), and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and argument lists
            list(argv), stdout=out, stderr=err, cwd=REPO, env=_env(),
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise subprocess.TimeoutExpired(list(argv), timeout)
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-1500:]
            raise RuntimeError(f"{' '.join(map(str, argv[:6]))} … exited {proc.returncode}:"
                               f" {message}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mib": usage.ru_maxrss / 1024}, stdout


def cli_scan(inventory_dir: Path, config: Config, save: Path) -> dict[str, Any]:
    argv = [sys.executable, "-m", "auditor", "scan", str(inventory_dir), *config.cli_args,
            "--save", str(save), "--json", "--as-of", AS_OF]
    numbers, stdout = spawn(argv, CLI_TIMEOUT)
    data = json.loads(stdout)
    numbers["open"] = sum(1 for r in data["observations"]
                          if r["collection"] == "open_ports" and not r["errors"])
    return numbers


def _argv_tail(commands: Sequence[str | None]) -> list[str]:
    """nmap's recorded command lines without the program name (python-nmap runs `nmap` from
    PATH, the raw rows its full path)."""
    return [(c or "").split(" ", 1)[-1] for c in commands]


def startup() -> dict[str, Any]:
    numbers, _ = spawn([sys.executable, "-m", "auditor", "--version"], 60)
    return numbers


def configs(listeners: Listeners) -> list[Config]:
    from auditor.scan.nmap_runner import Profile, ScanOptions

    ours = [*listeners.open, *listeners.closed]
    small = ranges(ours)
    top = ranges([*top_tcp_ports(1000), *ours])
    return [
        Config("quick, 25 ports", ScanOptions(profile=Profile.QUICK, ports=small),
               ["--profile", "quick", "--ports", small], f"{len(ours)} ports"),
        Config("quick, top 1000 + 25 ports",
               ScanOptions(profile=Profile.QUICK, ports=top),
               ["--profile", "quick", "--ports", top],
               f"nmap's top 1000 TCP ports + our {len(ours)} = {len(set(ours)) + 1000} ports"),
        Config("standard (-sV --version-light), 25 ports",
               ScanOptions(profile=Profile.STANDARD, ports=small),
               ["--profile", "standard", "--ports", small],
               f"{len(ours)} ports with service detection"),
    ]


def measure_scans(listeners: Listeners, inventory_dir: Path, repeat: int, tmp: Path,
                  only: set[str]) -> tuple[list[Series], Series, list[str]]:
    from auditor.loading.inventory import load_inventory
    from auditor.scan.nmap_runner import _is_root

    inventory = load_inventory([inventory_dir]).inventory
    privileged = _is_root()
    todo = [c for c in configs(listeners) if not only or any(o in c.label for o in only)]
    series: dict[tuple[str, str], Series] = {}
    for config in todo:
        for step in ("raw nmap", "in-process", "CLI"):
            series[(config.label, step)] = Series(config.label, step)
    boot = Series("", "python -m auditor --version (CLI start-up alone)")
    problems: list[str] = []

    def attempt(config: Config, step: str, keep: bool) -> dict[str, Any] | None:
        row = series[(config.label, step)]
        if row.error is not None:
            return None
        try:
            if step == "raw nmap":
                numbers = raw_nmap(listeners, config.options, privileged)
            elif step == "in-process":
                numbers = in_process(inventory, config.options)
            else:
                numbers = cli_scan(inventory_dir, config, tmp / "cli-scan.json")
        except (subprocess.TimeoutExpired, RuntimeError, OSError, ValueError, KeyError) as exc:
            row.error = f"{type(exc).__name__}: {str(exc)[:300]}"
            return None
        if keep:
            row.runs.append(numbers)
        print(f"  {config.label} / {step}: {numbers['wall_s']:.3f} s"
              f"{'' if keep else ' (warm-up)'}", file=sys.stderr, flush=True)
        return numbers

    for round_ in range(repeat + 1):  # round 0 is the warm-up
        keep = round_ > 0
        for config in todo:
            raw = attempt(config, "raw nmap", keep)
            inproc = attempt(config, "in-process", keep)
            attempt(config, "CLI", keep)
            if inproc is not None and inproc["open"] != inproc["open_in_scan"]:
                problems.append(f"{config.label}: nmap listed {inproc['open_in_scan']} open "
                                f"ports, scan_observations made {inproc['open']} items")
            if round_ == 0 and raw is not None and inproc is not None \
                    and _argv_tail(raw["commands"]) != _argv_tail(inproc["commands"]):
                problems.append(f"{config.label}: auditor ran {inproc['commands']!r}"[:400]
                                + f"…, the raw nmap row {raw['commands']!r}"[:400] + "…")
        try:
            numbers = startup()
        except (subprocess.TimeoutExpired, RuntimeError, OSError) as exc:
            boot.error = str(exc)[:300]
        else:
            if keep:
                boot.runs.append(numbers)
    return list(series.values()), boot, problems


def _span(row: Series) -> str:
    walls = row.walls()
    return f"{statistics.median(walls):.3f} ({min(walls):.3f}–{max(walls):.3f})"


def scan_table(rows: Sequence[Series], boot: Series) -> str:
    head = ("| configuration | step | wall s median (min–max) | overhead vs raw nmap (medians) | "
            "auditor outside nmap, same run: s (÷ its nmap time) | CPU s | open ports found |")
    lines = [head, "|" + "---|" * 7]
    nmap_median: dict[str, float] = {}
    for row in rows:
        if row.error or not row.runs:
            lines.append(f"| {row.config} | {row.step} | – | – | – | – | "
                         f"{row.error or 'not run'} |")
            continue
        median = row.median()
        outside = "–"
        cpu = f"{row.median('cpu_s'):.3f}"
        if row.step == "raw nmap":
            nmap_median[row.config] = median
            overhead = "–"
            step = "raw nmap: IPv4 process + IPv6 process"
            if "ipv6_s" in row.runs[0]:
                step += f" ({row.median('ipv4_s'):.3f} + {row.median('ipv6_s'):.3f} s)"
        else:
            base = nmap_median.get(row.config)
            overhead = (f"{(median - base) / base:+.0%} ({median - base:+.3f} s)"
                        if base else "–")
            if row.step == "in-process":
                step = ("in-process `run_scan` + `scan_observations` "
                        f"({row.median('run_scan_s'):.3f} + {row.median('observe_s'):.3f} s)")
                outside = (f"{row.median('outside_nmap_s'):.3f} "
                           f"({row.median('outside_share'):.1%}; of which `nmap -V` "
                           f"{row.median('version_probe_s'):.3f})")
                cpu += f" (auditor's own {row.median('self_cpu_s'):.3f})"
            else:
                step = "CLI `python -m auditor scan … --save … --json`"
        opened = ", ".join(sorted({str(r["open"]) for r in row.runs}))
        lines.append(f"| {row.config} | {step} | {_span(row)} | {overhead} | {outside} | {cpu} | "
                     f"{opened} |")
    if boot.runs:
        lines.append(f"| – | {boot.step} | {_span(boot)} | – | – | "
                     f"{boot.median('cpu_s'):.3f} | – |")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Part 2: a large nmap XML file and its inventory
# --------------------------------------------------------------------------------------------

# (port, <service> element as nmap 7.93 writes it, TLS?): the usual services of a province.
SERVICES: tuple[tuple[int, str, bool], ...] = (
    (22, '<service name="ssh" product="OpenSSH" version="9.2p1 Debian 2+deb12u3" '
         'extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10">'
         "<cpe>cpe:/a:openbsd:openssh:9.2p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe></service>",
     False),
    (80, '<service name="http" product="nginx" version="1.22.1" method="probed" conf="10">'
         "<cpe>cpe:/a:igor_sysoev:nginx:1.22.1</cpe></service>", False),
    (443, '<service name="http" product="nginx" version="1.22.1" tunnel="ssl" '
          'method="probed" conf="10"><cpe>cpe:/a:igor_sysoev:nginx:1.22.1</cpe></service>',
     True),
    (8443, '<service name="http" product="Apache Tomcat" version="9.0.83" tunnel="ssl" '
           'method="probed" conf="10"><cpe>cpe:/a:apache:tomcat:9.0.83</cpe></service>', True),
    (8080, '<service name="http" product="Apache Tomcat" version="9.0.83" method="probed" '
           'conf="10"><cpe>cpe:/a:apache:tomcat:9.0.83</cpe></service>', False),
    (3306, '<service name="mysql" product="MySQL" version="8.0.35" method="probed" conf="10">'
           "<cpe>cpe:/a:mysql:mysql:8.0.35</cpe></service>", False),
    (5432, '<service name="postgresql" product="PostgreSQL DB" version="15.5 - 15.6" '
           'method="probed" conf="10"><cpe>cpe:/a:postgresql:postgresql:15</cpe></service>',
     False),
    (3389, '<service name="ms-wbt-server" product="Microsoft Terminal Services" '
           'ostype="Windows" method="probed" conf="10"><cpe>cpe:/o:microsoft:windows</cpe>'
           "</service>", False),
    (53, '<service name="domain" product="ISC BIND" version="9.18.19-1~deb12u1" '
         'extrainfo="Debian Linux" ostype="Linux" method="probed" conf="10">'
         "<cpe>cpe:/a:isc:bind:9.18.19-1~deb12u1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe>"
         "</service>", False),
    (25, '<service name="smtp" product="Postfix smtpd" hostname="mail.so-a.example" '
         'method="probed" conf="10"><cpe>cpe:/a:postfix:postfix</cpe></service>', False),
    (6379, '<service name="redis" product="Redis key-value store" version="7.0.15" '
           'method="probed" conf="10"><cpe>cpe:/a:redislabs:redis:7.0.15</cpe></service>',
     False),
    (21, '<service name="ftp" product="vsftpd" version="3.0.3" ostype="Unix" method="probed" '
         'conf="10"><cpe>cpe:/a:vsftpd:vsftpd:3.0.3</cpe></service>', False),
)
WEIGHTS = (10, 6, 8, 2, 3, 2, 2, 1, 1, 1, 1, 1)
TIME = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Template:
    """What nmap wrote in this run for `--script +ssl-cert` on the TLS listener."""

    version: str
    xmloutputversion: str
    stylesheet: str
    status: str
    times: str
    script: str  # the whole <script id="ssl-cert" …>…</script> element
    not_before: str
    not_after: str


def capture_template(listeners: Listeners) -> tuple[Template, float]:
    from auditor.scan.nmap_runner import _is_root

    argv = [NMAP, "-oX", "-", "-sS" if _is_root() else "-sT", "-n", "-Pn", "--reason",
            "--script", "+ssl-cert", "-p", f"{listeners.tls_port},{listeners.open[0]}",
            "127.0.0.1"]
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - fixed arguments, one loopback address
        argv, capture_output=True, text=True, timeout=NMAP_TIMEOUT, check=True,
    )
    took = time.perf_counter() - start
    text = done.stdout

    def find(pattern: str) -> str:
        match = re.search(pattern, text, re.S)
        if match is None:
            raise RuntimeError(f"captured nmap XML has no {pattern!r}")
        return match.group(1) if match.groups() else match.group(0)

    script = find(r'<script id="ssl-cert".*?</script>')
    return Template(
        version=find(r'<nmaprun [^>]*\sversion="([^"]+)"'),
        xmloutputversion=find(r'xmloutputversion="([^"]+)"'),
        stylesheet=find(r"(<\?xml-stylesheet [^>]*\?>)"),
        status=find(r"(<status [^>]*/>)"),
        times=find(r"(<times [^>]*/>)"),
        script=script,
        not_before=find(r'<elem key="notBefore">([^<]+)</elem>'),
        not_after=find(r'<elem key="notAfter">([^<]+)</elem>'),
    ), took


@dataclass(frozen=True)
class BigHost:
    name: str
    ipv4: str | None
    ipv6: str | None
    ports4: tuple[int, ...]
    ports6: tuple[int, ...]
    expected: tuple[int, ...]


def plan_hosts(addresses: int, rng: random.Random) -> list[BigHost]:
    """Inventory hosts whose addresses total `addresses`: of every 4 hosts one dual-stack, two
    IPv4 only, one IPv6 only (5 addresses: 3 IPv4, 2 IPv6)."""
    base4 = int(ipaddress.IPv4Address("198.18.0.0"))
    base6 = int(ipaddress.IPv6Address("2001:db8::"))
    ports = [p for p, _, _ in SERVICES]
    hosts: list[BigHost] = []
    used = 0
    k = 0
    while used < addresses:
        kind = k % 4
        has4, has6 = kind != 3, kind in (0, 3)
        if has4 and has6 and used + 2 > addresses:
            has6 = False  # one address left
        count = rng.choice((1, 2, 2, 3, 3, 4, 5))
        opened: set[int] = set()
        while len(opened) < count:
            opened.add(rng.choices(ports, WEIGHTS)[0])
        ports4 = tuple(sorted(opened)) if has4 else ()
        ports6 = tuple(sorted(opened)) if has6 else ()
        if has4 and has6 and len(ports6) > 1 and rng.random() < 0.2:
            ports6 = ports6[:-1]  # a service not (yet) listening over IPv6
        declared = sorted(opened)
        if len(declared) > 1 and rng.random() < 0.3:
            declared = declared[:-1]  # an open port nobody declared
        if rng.random() < 0.1:
            declared.append(443 if 443 not in opened else 8443)  # declared but not open
        system, index = divmod(k, HOSTS_PER_SYSTEM)
        hosts.append(BigHost(
            name=f"h{index}.ht{system:04d}.so-{system // 50:02d}.example",
            ipv4=str(ipaddress.IPv4Address(base4 + 1 + k)) if has4 else None,
            ipv6=str(ipaddress.IPv6Address(base6 + ((system + 1) << 64) + index + 1))
            if has6 else None,
            ports4=ports4, ports6=ports6, expected=tuple(sorted(set(declared))),
        ))
        used += int(has4) + int(has6)
        k += 1
    return hosts


def write_big_inventory(folder: Path, hosts: Sequence[BigHost]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "00-org.yaml").write_text(ORG, encoding="utf-8")
    agencies: dict[int, list[str]] = {}
    for start in range(0, len(hosts), HOSTS_PER_SYSTEM):
        system = start // HOSTS_PER_SYSTEM
        mine = hosts[start:start + HOSTS_PER_SYSTEM]
        agencies.setdefault(system // 50, []).append(_system(f"ht{system:04d}", [
            _host(h.name, [h.ipv4] if h.ipv4 else [], [h.ipv6] if h.ipv6 else [], h.expected)
            for h in mine
        ]))
    for agency, systems in agencies.items():
        (folder / f"{agency + 1:03d}-so-{agency:02d}.yaml").write_text(
            f"agency:\n  id: so-{agency:02d}\n  name: Sở {agency:02d}\n  systems:\n"
            + "".join(systems), encoding="utf-8")
    return folder


def write_big_xml(path: Path, hosts: Sequence[BigHost], template: Template,
                  rng: random.Random) -> int:
    """nmap -oX of a `-sS -sV --version-light --top-ports 1000 --script ssl-cert` scan of the
    planned addresses, in the layout nmap 7.93 uses; returns the number of <host> elements."""
    scanned = sorted({*top_tcp_ports(1000), *(p for p, _, _ in SERVICES)})
    services = ranges(scanned)
    by_port = {p: (s, tls) for p, s, tls in SERVICES}
    extras: dict[tuple[int, ...], str] = {}
    start = int(dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC).timestamp())
    as_of = dt.datetime(2026, 12, 1, 12, 0, 0)
    # nmap writes "--" as "-&#45;" (a comment may not contain "--")
    args = ("nmap -sS -sV --version-light -n -Pn --reason --top-ports 1000 --script ssl-cert "
            "-oX big.xml -iL targets.txt").replace("--", "-&#45;")
    stamp = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(start))
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n'
                  f"{template.stylesheet}\n"
                  f"<!-- Nmap {template.version} scan initiated {stamp} as: {args} -->\n"
                  f'<nmaprun scanner="nmap" args="{args}" start="{start}" startstr="{stamp}" '
                  f'version="{template.version}" '
                  f'xmloutputversion="{template.xmloutputversion}">\n'
                  f'<scaninfo type="syn" protocol="tcp" numservices="{len(scanned)}" '
                  f'services="{services}"/>\n<verbose level="0"/>\n<debugging level="0"/>\n')
        clock = start
        for host in hosts:
            for address, family, ports in ((host.ipv4, "ipv4", host.ports4),
                                           (host.ipv6, "ipv6", host.ports6)):
                if address is None:
                    continue
                count += 1
                begin, clock = clock, clock + rng.randint(1, 4)
                names = (f'<hostname name="{host.name}" type="user"/>\n'
                         if rng.random() < 0.25 else "")
                closed = rng.random() < 0.2
                state, reason = ("closed", "reset") if closed else ("filtered", "no-response")
                rest = tuple(p for p in scanned if p not in ports)
                key = (int(closed), *ports)
                extra = extras.get(key)
                if extra is None:
                    extra = (f'<extraports state="{state}" count="{len(rest)}">\n'
                             f'<extrareasons reason="{reason}" count="{len(rest)}" proto="tcp" '
                             f'ports="{ranges(rest)}"/>\n</extraports>\n')
                    extras[key] = extra
                out.write(f'<host starttime="{begin}" endtime="{clock}">{template.status}\n'
                          f'<address addr="{address}" addrtype="{family}"/>\n'
                          f"<hostnames>\n{names}</hostnames>\n<ports>{extra}")
                for port in ports:
                    service, tls = by_port[port]
                    out.write(f'<port protocol="tcp" portid="{port}"><state state="open" '
                              f'reason="syn-ack" reason_ttl="{rng.choice((52, 53, 60, 64))}"/>'
                              f"{service}")
                    if tls:
                        after = as_of + dt.timedelta(days=rng.randint(-60, 700))
                        before = after - dt.timedelta(days=rng.choice((90, 365, 397, 730)))
                        out.write(template.script
                                  .replace(template.not_before, before.strftime(TIME))
                                  .replace(template.not_after, after.strftime(TIME))
                                  .replace("scan-bench.test", host.name)
                                  .replace("127.0.0.1", address))
                    out.write("</port>\n")
                out.write(f"</ports>\n{template.times}\n</host>\n")
        elapsed = clock - start
        done = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(clock))
        out.write(f'<runstats><finished time="{clock}" timestr="{done}" summary="Nmap done at '
                  f"{done}; {count} IP addresses ({count} hosts up) scanned in {elapsed}.00 "
                  f'seconds" elapsed="{elapsed}.00" exit="success"/><hosts up="{count}" '
                  f'down="0" total="{count}"/>\n</runstats>\n</nmaprun>\n')
    return count


def import_child(xml: Path, inventory_dir: Path, repeat: int) -> int:
    """Child mode: time each step of `auditor scan --import` in this fresh process."""
    from auditor.loading.inventory import load_inventory
    from auditor.report.probe_tables import records
    from auditor.scan.model import merge_runs
    from auditor.scan.nmap_xml import parse_nmap_xml
    from auditor.scan.observe import scan_observations
    from auditor.scan.store import save_scan

    result: dict[str, Any] = {"rss_imports_mib": _rss_mib()}
    data = xml.read_bytes()
    result["bytes"] = len(data)
    result["rss_read_mib"] = _rss_mib()
    parse: list[float] = []
    run = None
    for _ in range(repeat):
        run = None
        gc.collect()
        start = time.perf_counter()
        run = parse_nmap_xml(data, source=str(xml))
        parse.append(time.perf_counter() - start)
    assert run is not None  # noqa: S101 - repeat >= 1
    result["rss_parse_mib"] = _rss_mib()  # peak so far: imports + bytes + parse
    result["parse_s"] = parse
    result["hosts"] = len(run.hosts)
    del data
    start = time.perf_counter()
    inventory = load_inventory([inventory_dir]).inventory
    result["load_s"] = [time.perf_counter() - start]
    observe: list[float] = []
    as_of = dt.date.fromisoformat(AS_OF)
    merged = merge_runs([run])
    for _ in range(repeat):
        start = time.perf_counter()
        observations, unmatched = scan_observations(inventory, [merged], as_of)
        observe.append(time.perf_counter() - start)
    result["observe_s"] = observe
    result["open"] = _open_items(observations)
    result["unmatched"] = len(unmatched)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        save_scan(merged, Path(tmp) / "s.json")
        result["save_s"] = [time.perf_counter() - start]
    start = time.perf_counter()
    text = json.dumps({"observations": records(observations, ("open_ports", "expected_ports",
                                                              "certs"))},
                      ensure_ascii=False, indent=2, sort_keys=True)
    result["json_s"] = [time.perf_counter() - start]
    result["json_bytes"] = len(text)
    result["rss_end_mib"] = _rss_mib()
    # References for the parser, after the RSS readings (a tree costs memory):
    # expat with no-op handlers (the C floor) and ElementTree (python-nmap's parser's base).
    import xml.etree.ElementTree as ET
    from xml.parsers import expat

    def floor() -> None:
        parser = expat.ParserCreate()
        parser.StartElementHandler = lambda *_: None
        parser.EndElementHandler = lambda *_: None
        parser.CharacterDataHandler = lambda *_: None
        parser.Parse(data, True)

    data = xml.read_bytes()
    for key, work in (("expat_floor_s", floor), ("etree_s", lambda: ET.XML(data))):
        result[key] = []
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            work()
            result[key].append(time.perf_counter() - start)
    print(json.dumps(result))
    return 0


def measure_import(xml: Path, inventory_dir: Path, repeat: int, tmp: Path, hosts: int,
                   declared: int) -> tuple[str, dict[str, Any]]:
    size = xml.stat().st_size
    child_numbers, stdout = spawn([sys.executable, str(Path(__file__).resolve()),
                                   "--import-child", str(xml), "--inventory",
                                   str(inventory_dir), "--import-repeat", str(repeat)],
                                  CLI_TIMEOUT)
    child = json.loads(stdout.decode("utf-8").strip().splitlines()[-1])
    cli_runs: list[dict[str, Any]] = []
    for round_ in range(repeat + 1):
        argv = [sys.executable, "-m", "auditor", "scan", str(inventory_dir), "--import",
                str(xml), "--save", str(tmp / "import-scan.json"), "--json", "--as-of", AS_OF]
        numbers, out = spawn(argv, CLI_TIMEOUT)
        numbers["open"] = sum(1 for r in json.loads(out)["observations"]
                              if r["collection"] == "open_ports" and not r["errors"])
        print(f"  import CLI: {numbers['wall_s']:.2f} s{' (warm-up)' if not round_ else ''}",
              file=sys.stderr, flush=True)
        if round_:
            cli_runs.append(numbers)
    mb = size / 1e6

    def row(step: str, walls: Sequence[float], rss: str, per_host: bool = True,
            per_mb: bool = True) -> str:
        median = statistics.median(walls)
        rate = f"{hosts / median:,.0f}" if per_host else "–"
        speed = f"{mb / median:.1f}" if per_mb else "–"
        return (f"| {step} | {median:.3f} ({min(walls):.3f}–{max(walls):.3f}) | {rate} | "
                f"{speed} | {rss} |")

    cli_walls = [r["wall_s"] for r in cli_runs]
    rss_cli = max(r["rss_mib"] for r in cli_runs)
    lines = [
        "| step | wall s median (min–max) | hosts/s | MB/s | peak RSS MiB |",
        "|---|---|---|---|---|",
        row("`parse_nmap_xml` (bytes in memory, fresh process)", child["parse_s"],
            f"{child['rss_parse_mib']:.0f} (after imports {child['rss_imports_mib']:.0f}, "
            f"+ file bytes {child['rss_read_mib']:.0f})"),
        row(f"`load_inventory` ({declared:,} hosts, 1 run)", child["load_s"], "–",
            per_host=False, per_mb=False),
        row("`scan_observations` (match to the inventory)", child["observe_s"], "–",
            per_mb=False),
        row("`save_scan` (1 run)", child["save_s"], "–", per_mb=False),
        row(f"`--json` records + json.dumps ({child['json_bytes'] / 1e6:.1f} MB, 1 run)",
            child["json_s"], f"{child['rss_end_mib']:.0f} (whole child)", per_mb=False),
        row("CLI `auditor scan INV --import big.xml --save out.json --json`", cli_walls,
            f"{rss_cli:.0f}"),
        row("reference: expat with no-op handlers (the parse floor)", child["expat_floor_s"],
            "–"),
        row("reference: `xml.etree.ElementTree.XML` (a tree, nothing interpreted)",
            child["etree_s"], "–"),
    ]
    raw = {"child": child, "child_process": child_numbers, "cli": cli_runs,
           "xml_bytes": size, "hosts": hosts}
    return "\n".join(lines), raw


# --------------------------------------------------------------------------------------------
# Profiles (`--profile`): where auditor's own time goes
# --------------------------------------------------------------------------------------------


def profile_scan(listeners: Listeners, inventory_dir: Path) -> str:
    from auditor.loading.inventory import load_inventory

    inventory = load_inventory([inventory_dir]).inventory
    options = configs(listeners)[0].options
    in_process(inventory, options)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        in_process(inventory, options)
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(35)
    return buffer.getvalue()


def profile_import(xml: Path, inventory_dir: Path) -> str:
    from auditor.loading.inventory import load_inventory
    from auditor.scan.observe import scan_observations
    from auditor.scan.store import load_scan

    inventory = load_inventory([inventory_dir]).inventory
    profiler = cProfile.Profile()
    profiler.enable()
    run = load_scan(xml)
    scan_observations(inventory, [run], dt.date.fromisoformat(AS_OF))
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(25)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=32, help="127.0.0.1 … 127.0.0.N")
    parser.add_argument("--open", type=int, default=20, help="open ports per address")
    parser.add_argument("--closed", type=int, default=5, help="closed ports per address")
    parser.add_argument("--repeat", type=int, default=5, help="scan rounds after a warm-up")
    parser.add_argument("--hosts", type=int, default=5000, help="hosts in the import XML")
    parser.add_argument("--import-repeat", type=int, default=3)
    parser.add_argument("--only", default="",
                        help="comma-separated substrings of configurations to run")
    parser.add_argument("--skip", default="", help="comma-separated: scan,import")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile in-process scanning and the import "
                        "(bench/out/scan-profile-*.txt)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--import-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inventory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_child:
        return import_child(args.import_child, args.inventory, args.import_repeat)
    if args.repeat < 1 or args.import_repeat < 1:
        parser.error("--repeat and --import-repeat must be at least 1")
    if not Path(NMAP).exists():
        raise SystemExit("nmap not found (apt-get install nmap)")

    skip = set(filter(None, args.skip.split(",")))
    only = set(filter(None, args.only.split(",")))
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="auditor-scan-bench-"))
    listeners: Listeners | None = None
    texts: list[str] = []
    raw: dict[str, Any] = {}
    started = time.perf_counter()
    try:
        listeners = Listeners(args.addresses, args.open, args.closed, tmp)
        print(f"listeners: {len(listeners.ipv4)} IPv4 + {len(listeners.ipv6)} IPv6 addresses "
              f"× {len(listeners.open)} open ports; files in {tmp}", file=sys.stderr)
        inventory_dir = write_scan_inventory(tmp / "inventory", listeners)
        version = subprocess.run(  # noqa: S603 - fixed arguments
            [NMAP, "--version"], capture_output=True, text=True, timeout=30, check=False,
        ).stdout.split("\n", 1)[0]
        if "scan" not in skip:
            rows, boot, problems = measure_scans(listeners, inventory_dir, args.repeat, tmp,
                                                 only)
            per = len(listeners.open) * (len(listeners.ipv4) + len(listeners.ipv6))
            texts.append(
                f"### Scanning ({len(listeners.ipv4)} × 127.0.0.x + ::1, "
                f"{len(listeners.open)} open + {len(listeners.closed)} closed ports each: "
                f"{per} open ports; median of {args.repeat} rounds after a warm-up)\n\n"
                + scan_table(rows, boot)
                + ("\n\nnmap command lines: auditor's and the raw rows' are identical; every "
                   "open port nmap listed became an open_ports item."
                   if not problems else "\n\nMISMATCH: " + "; ".join(problems)))
            raw["scan"] = {"rows": [vars(r) for r in rows], "startup": vars(boot),
                           "problems": problems,
                           "configs": [{"label": c.label, "ports": c.ports_note,
                                        "cli_args": c.cli_args} for c in configs(listeners)]}
            if args.profile:
                (OUT / "scan-profile-inprocess.txt").write_text(
                    profile_scan(listeners, inventory_dir), encoding="utf-8")
        if "import" not in skip:
            rng = random.Random(args.seed)
            template, took = capture_template(listeners)
            hosts = plan_hosts(args.hosts, rng)
            big_inventory = write_big_inventory(tmp / "big-inventory", hosts)
            xml = tmp / "big.xml"
            start = time.perf_counter()
            count = write_big_xml(xml, hosts, template, rng)
            made = time.perf_counter() - start
            size = xml.stat().st_size
            print(f"import: {count} hosts, {size / 1e6:.1f} MB of XML in {made:.1f} s "
                  f"(template captured in {took:.2f} s)", file=sys.stderr, flush=True)
            text, numbers = measure_import(xml, big_inventory, args.import_repeat, tmp, count,
                                           len(hosts))
            tls = sum(p in (443, 8443) for h in hosts for p in (*h.ports4, *h.ports6))
            opened = sum(len(h.ports4) + len(h.ports6) for h in hosts)
            matched = numbers["child"]["open"]
            texts.append(
                f"### Importing nmap XML ({count:,} hosts, {size / 1e6:.1f} MB, {opened:,} "
                f"open ports of which {tls:,} with an ssl-cert table; {len(hosts):,} inventory "
                f"hosts in {len(hosts) // HOSTS_PER_SYSTEM:,} systems; median of "
                f"{args.import_repeat} runs)\n\n" + text
                + f"\n\nopen_ports items found: {matched:,} of {opened:,}; hosts not in the "
                f"inventory: {numbers['child']['unmatched']}.")
            numbers["opened"] = opened
            raw["import"] = numbers
            if args.profile:
                (OUT / "scan-profile-import.txt").write_text(
                    profile_import(xml, big_inventory), encoding="utf-8")
        if listeners is not None:
            raw["listener_stats"] = listeners.stats()
    finally:
        if listeners is not None:
            listeners.close()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    privileges = "root: SYN scan (-sS)" if os.geteuid() == 0 else "not root: connect scan (-sT)"
    header = (
        f"Port-scan benchmark, {dt.date.today().isoformat()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {version}, python-nmap "
        f"{_python_nmap_version()}, {privileges}; "
        f"whole run {time.perf_counter() - started:.0f} s."
    )
    document = header + "\n\n" + "\n\n".join(texts)
    print(document)
    (OUT / "scan.md").write_text(document + "\n", encoding="utf-8")
    (OUT / "scan.json").write_text(json.dumps({"header": header, **raw}, indent=2,
                                              default=str), encoding="utf-8")
    return 0


def _python_nmap_version() -> str:
    try:
        import nmap  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return "missing"
    return str(getattr(nmap, "__version__", "?"))


if __name__ == "__main__":
    raise SystemExit(main())
