"""Benchmark: `auditor probe tls` against nmap and sslyze on N TLS endpoints of 127.0.0.1.

    python bench/tls_probe.py --endpoints 1000

1. Makes a private test PKI with `cryptography` in a temporary directory: a root CA and a few
   leaf certificates (ECDSA P-256, SAN IP:127.0.0.1), each with its own expiry date.
2. Starts ONE server process (bench/tls_server.py) listening on N ephemeral ports of 127.0.0.1
   (leaf i mod L on port i); it completes TLS 1.2/1.3 handshakes, refuses TLS 1.0/1.1 and
   counts what it saw, so the handshakes per endpoint in the table are measured, not assumed.
3. Writes an inventory: one organisation, one agency, N/20 systems of 20 `kind: api`
   endpoints `https://127.0.0.1:PORT/` each (IP literals: no DNS query, no redirect check).
4. Runs every tool once to warm up, then `--repeat` times (median reported), each a
   subprocess with an argument list and a timeout, timed with time.perf_counter:
     auditor probe tls --json --no-legacy (verify, and observe only when verification fails:
       the certificate-expiry job), for several --workers/--per-host settings; once with the
       legacy TLS 1.0/1.1 checks; optionally the same from another source tree (`--baseline`,
       e.g. a `git archive` of an earlier commit), so before and after run in the same rounds;
     nmap -Pn -n -sT -p PORTS --script +ssl-cert 127.0.0.1 -oX out.xml (Debian's nmap);
     sslyze --certinfo --json_out out.json 127.0.0.1:PORT ... (PyPI, in its own venv under
       ~/.cache/auditor-bench/sslyze-venv, because it pins its own nassl/cryptography);
     a floor: bench/tls_floor.py, one verifying handshake per endpoint and the peer
       certificate's notAfter with a minimal stdlib `ssl` client at auditor's concurrency,
       to separate Python's and OpenSSL's cost from auditor's;
     python -m auditor --version, the CLI's start-up alone.
   Python children import from byte-code in a cache folder of their own (as an installed
   auditor does; this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make every
   auditor start-up compile its sources again), filled by one unmeasured run.
   Each tool's output is parsed and every endpoint's notAfter date checked against the leaf
   the server presented on that port.
5. Prints a Markdown table (also written to bench/out/tls_probe.md, raw numbers to
   bench/out/tls_probe.json).

Only 127.0.0.1 is ever bound or contacted. The server is terminated in a `finally`.
The machine's cores are shared by client and server: the table reports both CPU times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import os
import platform
import resource
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
HOST = "127.0.0.1"
SSLYZE_VENV = Path.home() / ".cache" / "auditor-bench" / "sslyze-venv"
SSLYZE_SPEC = "sslyze>=6,<7"
NMAP = shutil.which("nmap") or "/usr/bin/nmap"
PER_SYSTEM = 20
NOW = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
DAY = dt.timedelta(days=1)
# Leaf expiry dates, days from today (at 12:00 UTC so the date is the same in every zone
# the tools might print): each leaf its own date, so a tool that mixes ports up is caught.
LEAF_DAYS = (17, 45, 90, 200, 365, 397)


# --------------------------------------------------------------------------------------------
# The test PKI and the inventory
# --------------------------------------------------------------------------------------------


def make_pki(directory: Path, leaves: int) -> list[dt.date]:
    """Root CA (ca.pem) and `leaves` leaf certificates; returns each leaf's notAfter date."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "auditor bench PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ])

    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = name("auditor bench root")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - 30 * DAY)
        .not_valid_after(NOW + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False,
                          key_encipherment=False, data_encipherment=False,
                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()),
                       critical=False)
        .sign(root_key, hashes.SHA256())
    )
    (directory / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    expiries: list[dt.date] = []
    for k in range(leaves):
        key = ec.generate_private_key(ec.SECP256R1())
        not_after = NOW.replace(hour=12) + LEAF_DAYS[k % len(LEAF_DAYS)] * DAY + k // 6 * DAY
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(f"bench leaf {k}"))
            .issuer_name(root_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - 10 * DAY)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
                critical=False,
            )
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
            .sign(root_key, hashes.SHA256())
        )
        (directory / f"leaf-{k}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (directory / f"leaf-{k}.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        expiries.append(not_after.date())
    return expiries


def write_inventory(directory: Path, ports: Sequence[int]) -> Path:
    folder = directory / "inventory"
    folder.mkdir()
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-bench\n  name: Tỉnh thử nghiệm (benchmark)\n"
        "  ipv6_plan: {number: 1/KH-UBND, date: 2025-01-02}\n",
        encoding="utf-8",
    )
    lines = [
        "agency:",
        "  id: so-bench",
        "  name: Sở thử nghiệm (benchmark)",
        "  ipv6_plan: {number: 2/KH-STT, date: 2025-02-03}",
        "  systems:",
    ]
    for s in range(0, len(ports), PER_SYSTEM):
        lines += [
            f"    - id: he-thong-{s // PER_SYSTEM:03d}",
            f"      name: Hệ thống thử nghiệm {s // PER_SYSTEM:03d}",
            "      system_type: internal",
            "      lifecycle: production",
            "      declared_level: 2",
            "      endpoints:",
        ]
        for port in ports[s : s + PER_SYSTEM]:
            lines += [f"        - url: https://{HOST}:{port}/", "          kind: api"]
    (folder / "so-bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


class Server:
    """bench/tls_server.py in its own process; always stopped by `close()`."""

    def __init__(self, certs: Path, count: int, threads: int) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(BENCH / "tls_server.py"), "--certs", str(certs),
             "--count", str(count), "--threads", str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        hello = self._line(timeout=60)
        self.ports: list[int] = hello["ports"]
        if len(self.ports) != count:
            raise RuntimeError(f"server bound {len(self.ports)} ports, not {count}")

    def _line(self, timeout: float) -> dict[str, Any]:
        import selectors

        assert self.proc.stdout is not None  # noqa: S101 - PIPE above
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                raise RuntimeError("TLS server did not answer in time")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"TLS server exited (code {self.proc.poll()})")
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


# --------------------------------------------------------------------------------------------
# Tools: the command, and how to read what it found
# --------------------------------------------------------------------------------------------

Found = dict[int, str]  # port -> notAfter date (ISO) as the tool reported it


@dataclass
class Tool:
    name: str
    argv: list[str]
    parse: Callable[[subprocess.CompletedProcess[str]], Found]
    note: str = ""
    cwd: Path = REPO  # `python -m auditor` imports auditor from here (sys.path[0])
    python: bool = False  # one of our Python children: byte-code from the bench's cache
    checked: bool = True  # False: finds no certificates (the start-up row)
    repeat: int | None = None  # runs for a slow tool: no warm-up, this many runs
    runs: list[dict[str, float]] = field(default_factory=list)
    found: Found = field(default_factory=dict)
    error: str | None = None


def _port_of(subject: str) -> int | None:
    # auditor subjects look like "127.0.0.1:PORT [127.0.0.1]"
    head = subject.split(" ", 1)[0]
    _, _, port = head.rpartition(":")
    return int(port) if port.isdigit() else None


def parse_auditor(done: subprocess.CompletedProcess[str]) -> Found:
    data = json.loads(done.stdout)
    found: Found = {}
    for record in data["observations"]:
        if record["collection"] != "certs":
            continue
        cert = record["values"].get("cert") or {}
        port = record["values"].get("port") or _port_of(record["subject"])
        if port is not None and cert.get("not_after"):
            found[int(port)] = str(cert["not_after"])[:10]
    return found


def parse_nmap(xml_path: Path) -> Callable[[subprocess.CompletedProcess[str]], Found]:
    def parse(_done: subprocess.CompletedProcess[str]) -> Found:
        found: Found = {}
        for port in ET.parse(xml_path).getroot().iter("port"):  # noqa: S314 - nmap's own file
            for script in port.iter("script"):
                if script.get("id") != "ssl-cert":
                    continue
                for table in script.iter("table"):
                    if table.get("key") != "validity":
                        continue
                    for elem in table.iter("elem"):
                        if elem.get("key") == "notAfter" and elem.text:
                            found[int(port.get("portid", "0"))] = elem.text[:10]
        return found

    return parse


def parse_sslyze(json_path: Path) -> Callable[[subprocess.CompletedProcess[str]], Found]:
    def parse(_done: subprocess.CompletedProcess[str]) -> Found:
        data = json.loads(json_path.read_text(encoding="utf-8"))
        found: Found = {}
        for server in data.get("server_scan_results", []):
            port = server["server_location"]["port"]
            try:
                deployments = server["scan_result"]["certificate_info"]["result"][
                    "certificate_deployments"]
                leaf = deployments[0]["received_certificate_chain"][0]
            except (KeyError, IndexError, TypeError):
                continue
            found[int(port)] = str(leaf["not_valid_after"])[:10]
        return found

    return parse


def parse_floor(done: subprocess.CompletedProcess[str]) -> Found:
    return {int(k): v for k, v in json.loads(done.stdout).items()}


# --------------------------------------------------------------------------------------------
# sslyze, in its own virtual environment
# --------------------------------------------------------------------------------------------


def sslyze_executable(timeout: float) -> tuple[Path | None, str]:
    exe = SSLYZE_VENV / "bin" / "sslyze"
    if not exe.exists():
        try:
            SSLYZE_VENV.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
                [sys.executable, "-m", "venv", str(SSLYZE_VENV)],
                check=True, capture_output=True, text=True, timeout=timeout,
            )
            subprocess.run(  # noqa: S603 - the venv's pip, one fixed requirement
                [str(SSLYZE_VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                 SSLYZE_SPEC],
                check=True, capture_output=True, text=True, timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            lines = [ln for ln in str(detail).splitlines() if ln.strip()
                     and not ln.startswith("WARNING: Location")]
            return None, f"not installable here: {(lines or [str(exc)])[-1][:200]}"
    try:
        version = subprocess.run(  # noqa: S603 - the venv's own interpreter
            [str(SSLYZE_VENV / "bin" / "python"), "-c",
             "import importlib.metadata as m; print(m.version('sslyze'), m.version('nassl'))"],
            check=True, capture_output=True, text=True, timeout=60,
        ).stdout.split()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        return None, f"installed but broken: {exc}"
    return exe, f"sslyze {version[0]} (nassl {version[1]})"


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # sums over waited-for children
    return usage.ru_utime + usage.ru_stime


def child_env(cwd: Path, python: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    if python and PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


#: Byte-code cache of the Python children (set in main; None: the environment's own setting).
PYCACHE: Path | None = None


def run_once(tool: Tool, server: Server, timeout: float) -> tuple[dict[str, float], Found]:
    before = server.stats()
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - argument lists built here, no shell
        tool.argv, capture_output=True, text=True, timeout=timeout, cwd=tool.cwd,
        env=child_env(tool.cwd, tool.python),
    )
    wall = time.perf_counter() - start
    client_cpu = _children_cpu() - cpu
    after = server.stats()
    if done.returncode not in (0, 1):  # auditor exits 1 on nothing here; nmap/sslyze 0
        raise RuntimeError(f"{tool.name}: exit {done.returncode}: {done.stderr[-500:]}")
    delta = {k: after[k] - before[k] for k in after}
    delta.update(wall_s=wall, client_cpu_s=client_cpu, server_cpu_s=delta.pop("cpu_s"))
    return delta, tool.parse(done)


def fill_pycache(tools: Sequence[Tool]) -> None:
    """Compile what the Python children import into PYCACHE, once, unmeasured."""
    code = "import auditor.cli, cryptography.x509, concurrent.futures, json, socket, ssl"
    for cwd in dict.fromkeys(t.cwd for t in tools):
        subprocess.run(  # noqa: S603 - our own interpreter, fixed code
            [sys.executable, "-c", code], cwd=cwd, env=child_env(cwd, python=True),
            check=True, capture_output=True, timeout=300,
        )


def measure(tools: Sequence[Tool], server: Server, repeat: int, timeout: float,
            warmup: bool) -> None:
    """Warm up, then `repeat` rounds; each round runs every tool once, so a slow spell of the
    (shared, virtual) machine hits every tool rather than one; the order rotates by round."""

    def attempt(tool: Tool, keep: bool) -> None:
        try:
            numbers, found = run_once(tool, server, timeout)
        except (subprocess.TimeoutExpired, RuntimeError, OSError, ValueError, KeyError) as exc:
            tool.error = f"{type(exc).__name__}: {str(exc)[:300]}"
            return
        if keep:
            tool.runs.append(numbers)
            tool.found = found
        print(f"  {tool.name}: {numbers['wall_s']:.2f} s{'' if keep else ' (warm-up)'}",
              file=sys.stderr, flush=True)

    live = [t for t in tools if t.error is None]
    if warmup:
        for tool in live:
            if tool.repeat is None:
                attempt(tool, keep=False)
    for round_ in range(repeat):
        # Each round starts with the next tool, so none is always first (right after the
        # previous round's last tool) or always last.
        shift = round_ % len(live) if live else 0
        for tool in live[shift:] + live[:shift]:
            if tool.error is None and round_ < (tool.repeat or repeat):
                attempt(tool, keep=True)


def check(found: Found, expected: dict[int, str]) -> tuple[int, list[str]]:
    right = sum(1 for port, date in expected.items() if found.get(port) == date)
    wrong = [f"{port}: {found.get(port)} != {date}" for port, date in expected.items()
             if found.get(port) != date]
    return right, wrong[:5]


def table(tools: Sequence[Tool], expected: dict[int, str]) -> tuple[str, list[dict[str, Any]]]:
    n = len(expected)
    head = ("| tool | TLS conns/endpoint (completed) | wall s median (min–max) | endpoints/s | "
            "handshakes/s | client CPU s | server CPU s | certificates correct |")
    rows = [head, "|" + "---|" * 8]
    raw: list[dict[str, Any]] = []
    for tool in tools:
        if tool.error or not tool.runs:
            rows.append(f"| {tool.name} | – | – | – | – | – | – | {tool.error or 'not run'} |")
            raw.append({"tool": tool.name, "error": tool.error, "argv": tool.argv})
            continue
        walls = [r["wall_s"] for r in tool.runs]
        median = statistics.median(walls)
        mid = min(tool.runs, key=lambda r: abs(r["wall_s"] - median))
        # handshakes: TLS handshakes the server saw begin (completed + refused), not bare
        # TCP connects (nmap's port scan) that closed before a ClientHello
        handshakes = mid["completed"] + mid["refused"]
        cpu = statistics.median(r["client_cpu_s"] for r in tool.runs)
        server_cpu = statistics.median(r["server_cpu_s"] for r in tool.runs)
        if not tool.checked:
            rows.append(f"| {tool.name} | – | {median:.2f} ({min(walls):.2f}–{max(walls):.2f}) "
                        f"| – | – | {cpu:.2f} | – | – |")
            raw.append({"tool": tool.name, "argv": tool.argv, "runs": tool.runs,
                        "median_wall_s": median, "median_client_cpu_s": cpu})
            continue
        right, wrong = check(tool.found, expected)
        verdict = f"{right}/{n}" + (f" (e.g. {'; '.join(wrong[:2])})" if wrong else "")
        rows.append(
            f"| {tool.name} | {mid['accepted'] / n:.1f} ({mid['completed'] / n:.1f}) | "
            f"{median:.2f} ({min(walls):.2f}–{max(walls):.2f}) | {n / median:,.0f} | "
            f"{handshakes / median:,.0f} | "
            f"{cpu:.2f} | {server_cpu:.2f} | {verdict} |"
        )
        raw.append({"tool": tool.name, "argv": tool.argv, "note": tool.note,
                    "runs": tool.runs, "median_wall_s": median, "median_client_cpu_s": cpu,
                    "median_server_cpu_s": server_cpu, "correct": right, "mismatches": wrong})
    return "\n".join(rows), raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--leaves", type=int, default=6, help="distinct leaf certificates")
    parser.add_argument("--workers", default="64,128",
                        help="comma-separated --workers values for auditor --no-legacy, each "
                        "with --per-host min(W, 64), besides the defaults row")
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help="runs of the slow rows (sslyze, system trust store)")
    parser.add_argument("--server-threads", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per tool run")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--skip", default="",
                        help="comma-separated: nmap,nmap-extra (keep only nmap -T4),sslyze,"
                        "floor,legacy,system-store,startup,no-staple")
    parser.add_argument("--baseline", type=Path, action="append", default=[], metavar="SRC",
                        help="also run auditor's defaults row from this source tree (a folder "
                        "holding auditor/, e.g. `git archive COMMIT auditor | tar -x -C SRC`); "
                        "repeatable")
    parser.add_argument("--floor-threads", type=int, default=4,
                        help="threads of the stdlib floor (auditor's defaults allow 4 "
                        "connections to one address)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)

    skip = set(filter(None, args.skip.split(",")))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.endpoints + 4096
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="auditor-tls-bench-"))
    global PYCACHE  # one setting for every Python child of this run
    PYCACHE = tmp / "pycache"
    server: Server | None = None
    try:
        print(f"PKI and inventory in {tmp}", file=sys.stderr)
        expiries = make_pki(tmp, args.leaves)
        server = Server(tmp, args.endpoints, args.server_threads)
        ports = server.ports
        expected = {p: expiries[i % len(expiries)].isoformat() for i, p in enumerate(ports)}
        inventory = write_inventory(tmp, ports)
        (tmp / "ports.json").write_text(json.dumps(ports), encoding="utf-8")
        ca = tmp / "ca.pem"

        base = [sys.executable, "-m", "auditor", "probe", "tls", str(inventory), "--json",
                "--timeout", "5"]
        auditor = [*base, "--ca-bundle", str(ca)]
        tools: list[Tool] = [Tool("auditor --no-legacy (defaults: --workers 32 --per-host 4)",
                                  [*auditor, "--no-legacy"], parse_auditor, python=True)]
        if "no-staple" not in skip:
            # No revocation work at all: no OCSP staple asked for (one connection per address).
            tools.append(Tool("auditor --no-legacy --no-staple (revocation off)",
                              [*auditor, "--no-legacy", "--no-staple"], parse_auditor,
                              python=True))
        for src in args.baseline:
            src = src.resolve()
            if not (src / "auditor" / "__main__.py").is_file():
                raise SystemExit(f"--baseline {src}: no auditor/__main__.py there")
            tools.append(Tool(f"auditor --no-legacy (defaults), baseline {src.name}",
                              [*auditor, "--no-legacy"], parse_auditor, cwd=src, python=True))
        for w in (int(x) for x in args.workers.split(",") if x):
            per_host = min(w, 64)  # every endpoint is on one address: the per-host limit binds
            tools.append(Tool(f"auditor --no-legacy --workers {w} --per-host {per_host}",
                              [*auditor, "--no-legacy", "--workers", str(w),
                               "--per-host", str(per_host)], parse_auditor, python=True))
        if "legacy" not in skip:
            tools.append(Tool("auditor with legacy checks --workers 64 --per-host 64",
                              [*auditor, "--workers", "64", "--per-host", "64"], parse_auditor,
                              python=True))
        if "system-store" not in skip:
            # No --ca-bundle: verification uses the system trust store (chains then fail as
            # unknown issuer; the expiry is still read from the observe handshake).
            tools.append(Tool(f"auditor --no-legacy --workers 64 --per-host 64, no --ca-bundle "
                              f"(system trust store; {args.slow_repeat} run, no warm-up)",
                              [*base, "--no-legacy", "--workers", "64", "--per-host", "64"],
                              parse_auditor, repeat=args.slow_repeat, python=True))
        if "floor" not in skip:
            tools.append(Tool(f"floor: stdlib ssl, 1 verifying handshake + peer cert, "
                              f"{args.floor_threads} threads",
                              [sys.executable, str(BENCH / "tls_floor.py"),
                               str(tmp / "ports.json"), str(ca), str(args.floor_threads)],
                              parse_floor, python=True))
        if "startup" not in skip:
            tools.append(Tool("python -m auditor --version (CLI start-up alone)",
                              [sys.executable, "-m", "auditor", "--version"], lambda _d: {},
                              python=True, checked=False))
        port_list = ",".join(map(str, ports))
        if "nmap" not in skip and Path(NMAP).exists():
            version = subprocess.run(  # noqa: S603 - fixed arguments
                [NMAP, "--version"], capture_output=True, text=True, timeout=30, check=False,
            ).stdout.split("\n", 1)[0]
            variants: list[tuple[str, list[str]]] = [("nmap -T4", ["-T4"])]
            if "nmap-extra" not in skip:
                variants = [("nmap", []), *variants,
                            ("nmap -T4 --min-parallelism 64", ["-T4", "--min-parallelism", "64"])]
            for label, extra in variants:
                xml = tmp / f"nmap-{len(tools)}.xml"
                # `+ssl-cert`: run the script on every open port; without `+` its portrule
                # only accepts well-known TLS ports or ports -sV found to speak TLS.
                tools.append(Tool(f"{label} --script +ssl-cert",
                                  [NMAP, "-Pn", "-n", "-sT", *extra, "-p", port_list,
                                   "--script", "+ssl-cert", HOST, "-oX", str(xml)],
                                  parse_nmap(xml), note=version))
        sslyze_note = "skipped"
        if "sslyze" not in skip:
            exe, sslyze_note = sslyze_executable(timeout=600)
            if exe is None:
                tools.append(Tool("sslyze --certinfo", [], parse_auditor,
                                  error=f"sslyze: {sslyze_note}"))
            else:
                out_json = tmp / "sslyze.json"
                tools.append(Tool(
                    f"sslyze --certinfo ({args.slow_repeat} run, no warm-up)", [
                        str(exe), "--quiet", "--certinfo", "--certinfo_ca_file", str(ca),
                        "--json_out", str(out_json), *(f"{HOST}:{p}" for p in ports),
                    ], parse_sslyze(out_json), note=sslyze_note, repeat=args.slow_repeat))

        fill_pycache([t for t in tools if t.python])
        measure(tools, server, args.repeat, args.timeout, warmup=not args.no_warmup)
        text, raw = table(tools, expected)
    finally:
        if server is not None:
            server.close()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    header = (
        f"TLS probe benchmark, {dt.date.today().isoformat()}: {args.endpoints} endpoints on "
        f"{HOST} (one server process, {args.leaves} ECDSA P-256 leaves, TLS 1.2/1.3 only), "
        f"{os.cpu_count()} cores shared by client and server, Python "
        f"{platform.python_version()}, {ssl.OPENSSL_VERSION}; median of {args.repeat} runs "
        f"after a warm-up; {sslyze_note}."
    )
    print(header + "\n\n" + text)
    (OUT / "tls_probe.md").write_text(header + "\n\n" + text + "\n", encoding="utf-8")
    (OUT / "tls_probe.json").write_text(json.dumps(
        {"header": header, "endpoints": args.endpoints, "results": raw}, indent=2),
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
