"""Real nmap runs against loopback listeners, and generated nmap XML, for the scan tests.

Only 127.0.0.1 and ::1 are ever scanned. nmap is run from an argument list (never a shell),
with `-n -Pn` (no DNS, no host discovery) and a timeout.

Run as a script, it times the parser on a generated file (the throughput numbers):

    python tests/scan/nmap_runs.py --hosts 5000
"""

from __future__ import annotations

import argparse
import re
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import quoteattr

NMAP = Path("/usr/bin/nmap")
LOOPBACKS = ("127.0.0.1", "::1")
START = 1_767_225_600  # 2026-01-01T00:00:00Z, the generated run's start time


def run_nmap(target: str, *args: str, output: Path | None = None, timeout: float = 60) -> bytes:
    """`nmap -n -Pn [-6] ARGS -oX OUTPUT TARGET` on a loopback address; its XML."""
    if target not in LOOPBACKS:
        raise ValueError(f"tests scan loopback only, not {target!r}")
    if not all(isinstance(arg, str) for arg in args):
        raise TypeError("nmap arguments must be strings")
    family = ["-6"] if ":" in target else []
    argv = [str(NMAP), "-n", "-Pn", *family, *args, "-oX", str(output or "-"), target]
    completed = subprocess.run(
        argv, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
    )
    if completed.returncode != 0:
        raise AssertionError(
            f"{argv} exited {completed.returncode}: {completed.stderr.decode(errors='replace')}"
        )
    return output.read_bytes() if output is not None else completed.stdout


def tls_bio_handler(
    context: ssl.SSLContext,
) -> Callable[[socket.socket, threading.Event], None]:
    """A TLS server handler (for `probes.tls_servers.LoopbackServer`) that runs the handshake
    over memory BIOs on the plain socket. ssl-enum-ciphers hangs up and resets connections
    mid-handshake by the hundred, and `SSLContext.wrap_socket` leaks its half-made SSLSocket
    when the peer is already gone (ECONNRESET in its not-connected check): here no SSLSocket
    exists, so nothing is left unclosed."""

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_side=True)
        try:
            while True:
                try:
                    tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    if outgoing.pending:
                        conn.sendall(outgoing.read())
                    data = conn.recv(16_384)
                    if not data:
                        return
                    incoming.write(data)
        finally:
            if outgoing.pending:  # the last flight, or an alert
                conn.sendall(outgoing.read())
        conn.recv(1)  # the client hangs up once it has what it wanted

    return handle


def nmap_version() -> str:
    """The installed nmap's version, as `nmap --version` prints it (e.g. "7.93")."""
    completed = subprocess.run(
        [str(NMAP), "--version"], capture_output=True, text=True, timeout=30, check=True
    )
    found = re.search(r"Nmap version (\S+)", completed.stdout)
    if found is None:
        raise AssertionError(f"no version in {completed.stdout!r}")
    return found.group(1)


def synthetic_address(index: int) -> str:
    """Host `index` of a generated run: even ones IPv4 (10.x), odd ones IPv6 (2001:db8::)."""
    if index % 2 == 0:
        return f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}"
    return f"2001:db8::{index:x}"


def _synthetic_host(index: int) -> Iterator[str]:
    address = synthetic_address(index)
    kind = "ipv6" if ":" in address else "ipv4"
    t = START + index
    # nmap 7.80+ writes a <hosthint> per host when it starts on it (with -v): not a host.
    yield (
        f'<hosthint><status state="up" reason="unknown-response" reason_ttl="0"/>\n'
        f'<address addr="{address}" addrtype="{kind}"/>\n<hostnames>\n</hostnames>\n'
        "</hosthint>\n"
    )
    yield (
        f'<host starttime="{t}" endtime="{t + 12}"><status state="up" reason="syn-ack" '
        f'reason_ttl="63"/>\n<address addr="{address}" addrtype="{kind}"/>\n'
    )
    if kind == "ipv4":
        yield f'<address addr="02:00:00:{(index >> 8) & 255:02X}:{index & 255:02X}:01" ' \
              'addrtype="mac" vendor="Unknown"/>\n'
    yield (
        f'<hostnames>\n<hostname name="h{index}.syt.anbinh.test" type="PTR"/>\n</hostnames>\n'
        '<ports><extraports state="filtered" count="997">\n'
        '<extrareasons reason="no-response" count="997" proto="tcp" ports="1-21,23-79"/>\n'
        "</extraports>\n"
        '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="63"/>'
        '<service name="ssh" product="OpenSSH" version="9.2p1 Debian 2+deb12u3" '
        'extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10">'
        "<cpe>cpe:/a:openbsd:openssh:9.2p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe>"
        "</service></port>\n"
        '<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="63"/>'
        '<service name="http" product="nginx" method="probed" conf="10">'
        "<cpe>cpe:/a:igor_sysoev:nginx</cpe></service>"
        f'<script id="http-title" output="Cổng dịch vụ công {index}">'
        f'<elem key="title">Cổng dịch vụ công {index}</elem></script></port>\n'
        '<port protocol="tcp" portid="443"><state state="open" reason="syn-ack" '
        'reason_ttl="63"/><service name="http" product="nginx" tunnel="ssl" method="probed" '
        'conf="10"/>'
        f'<script id="ssl-cert" output={quoteattr(_cert_text(index))}>\n'
        f'<table key="subject">\n<elem key="commonName">h{index}.syt.anbinh.test</elem>\n'
        "</table>\n"
        '<table key="issuer">\n<elem key="commonName">Gov CA</elem>\n'
        '<elem key="countryName">VN</elem>\n</table>\n'
        '<table key="pubkey">\n<elem key="type">rsa</elem>\n<elem key="bits">2048</elem>\n'
        '<elem key="exponent">65537</elem>\n</table>\n'
        '<table key="extensions">\n<table>\n<elem key="name">X509v3 Subject Alternative Name'
        f'</elem>\n<elem key="value">DNS:h{index}.syt.anbinh.test</elem>\n</table>\n</table>\n'
        '<elem key="sig_algo">sha256WithRSAEncryption</elem>\n'
        '<table key="validity">\n<elem key="notBefore">2026-01-01T00:00:00</elem>\n'
        f'<elem key="notAfter">2026-{1 + index % 12:02d}-28T00:00:00</elem>\n</table>\n'
        f'<elem key="md5">{index:032x}</elem>\n<elem key="sha1">{index:040x}</elem>\n'
        "</script></port>\n</ports>\n"
        '<times srtt="1520" rttvar="320" to="100000"/>\n</host>\n'
    )


def _cert_text(index: int) -> str:
    return (
        f"Subject: commonName=h{index}.syt.anbinh.test\n"
        "Issuer: commonName=Gov CA/countryName=VN\n"
        "Public Key type: rsa\nPublic Key bits: 2048\n"
        "Signature Algorithm: sha256WithRSAEncryption\n"
        "Not valid before: 2026-01-01T00:00:00\n"
        f"Not valid after:  2026-{1 + index % 12:02d}-28T00:00:00"
    )


def write_synthetic_run(path: Path, hosts: int) -> Path:
    """Write an nmap 7.93-style `-oX` file of `hosts` up hosts (alternately IPv4 and IPv6),
    each with a <hosthint>, a MAC (IPv4 only), a PTR name, 997 filtered ports counted and
    tcp/22 (ssh), tcp/80 (http, http-title) and tcp/443 (https, ssl-cert) listed."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n'
            '<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>\n'
            "<!-- Nmap 7.93 scan initiated Thu Jan  1 00:00:00 2026 as: nmap -v -sV "
            "-&#45;script ssl-cert,http-title -p 1-1000 -iL targets.txt -->\n"
            '<nmaprun scanner="nmap" args="nmap -v -sV -&#45;script ssl-cert,http-title '
            f'-p 1-1000 -iL targets.txt" start="{START}" startstr="Thu Jan  1 00:00:00 2026" '
            'version="7.93" xmloutputversion="1.05">\n'
            '<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>\n'
            '<verbose level="1"/>\n<debugging level="0"/>\n'
        )
        for index in range(hosts):
            out.writelines(_synthetic_host(index))
        end = START + hosts + 12
        out.write(
            f'<runstats><finished time="{end}" timestr="" summary="Nmap done; {hosts} IP '
            f'addresses ({hosts} hosts up)" elapsed="{hosts + 12}" exit="success"/>'
            f'<hosts up="{hosts}" down="0" total="{hosts}"/>\n</runstats>\n</nmaprun>\n'
        )
    return path


def _main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from auditor.scan.nmap_xml import parse_nmap_xml, read_nmap_xml

    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--hosts", type=int, default=5000)
    cli.add_argument("--repeat", type=int, default=5)
    options = cli.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_synthetic_run(Path(tmp) / "run.xml", options.hosts)
        data = path.read_bytes()
        megabytes = len(data) / 1e6
        timings = []
        for _ in range(options.repeat):
            began = time.perf_counter()
            run = read_nmap_xml(path)
            timings.append(time.perf_counter() - began)
        assert len(run.hosts) == options.hosts
        best = min(timings)
        began = time.perf_counter()
        parse_nmap_xml(data, source="bytes")
        in_memory = time.perf_counter() - began
        del run
        tracemalloc.start()
        run = read_nmap_xml(path)  # kept alive: what it holds is the results' memory
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(run.hosts) == options.hosts
    print(
        f"{options.hosts:,} hosts, {megabytes:.1f} MB: read_nmap_xml best of {options.repeat} "
        f"{best:.3f} s = {options.hosts / best:,.0f} hosts/s, {megabytes / best:.1f} MB/s "
        f"(median {statistics.median(timings):.3f} s); parse_nmap_xml of the bytes "
        f"{in_memory:.3f} s; memory: results {retained / 1e6:.1f} MB, "
        f"peak beyond them {(peak - retained) / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    _main()
