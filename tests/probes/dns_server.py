"""A real authoritative DNS server (NSD) on loopback for the DNS and IPv6 probe tests.

`NsdServer` writes an nsd.conf and one zone file per zone into a directory and runs
`/usr/sbin/nsd -d -c CONF` in the foreground (argument list, no shell), listening on 127.0.0.1
and ::1 on one free port (UDP and TCP). No remote control, no chroot, no privilege drop
(`username: ""`, so it runs as root in CI and as any user elsewhere); pid, xfrd and zone-list
files stay in the directory. It is ready once both addresses answer an SOA query.

Safety rail: zones must lie under `.test`, and every A/AAAA record must be loopback
(127.0.0.0/8, ::1, or IPv4-mapped ::ffff:127.x.y.z); anything else is refused before NSD starts.

    with NsdServer(tmp_path, {"anbinh.test": ["@ NS ns1", "ns1 A 127.0.0.1", "ns1 AAAA ::1"]}) as s:
        Resolver(s.resolver_config())          # address 127.0.0.1, port = ns_port = s.port
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import dns.exception
import dns.message
import dns.query
import dns.rdatatype
import dns.zone
from components import require_component

from auditor.probes.dns import ResolverConfig

NSD = Path("/usr/sbin/nsd")
LOOPBACKS = ("127.0.0.1", "::1")
_SOA = "@ SOA ns1.{origin} hostmaster.{origin} 1 3600 600 86400 300"


def require_nsd() -> None:
    """Fail the calling test (skip when not root) if NSD is not installed: tests/components.py."""
    require_component(NSD.exists(), str(NSD), "apt-get install nsd")


def free_port() -> int:
    """A port free for UDP and TCP on both 127.0.0.1 and ::1 (bound, then released)."""
    for _ in range(50):
        with contextlib.ExitStack() as stack:
            first = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
            try:
                for family, kind, host in ((socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1"),
                                           (socket.AF_INET6, socket.SOCK_DGRAM, "::1"),
                                           (socket.AF_INET6, socket.SOCK_STREAM, "::1")):
                    sock = stack.enter_context(socket.socket(family, kind))
                    sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


def _check_loopback(origin: str, text: str) -> None:
    if not origin.rstrip(".").endswith(".test"):
        raise ValueError(f"test zones must lie under .test, not {origin!r}")
    zone = dns.zone.from_text(text, origin=origin, relativize=False, check_origin=False)
    for name, rdataset in zone.iterate_rdatasets():
        if rdataset.rdtype not in (dns.rdatatype.A, dns.rdatatype.AAAA):
            continue
        for rdata in rdataset:
            ip = ipaddress.ip_address(rdata.to_text())
            mapped = getattr(ip, "ipv4_mapped", None)
            if not (ip.is_loopback or (mapped is not None and mapped.is_loopback)):
                raise ValueError(f"{name} {rdata}: only loopback addresses may be used in tests")


def zone_text(origin: str, records: Sequence[str]) -> str:
    """A zone file: $ORIGIN, $TTL, an SOA (unless `records` has one), then `records`."""
    origin = origin.rstrip(".") + "."
    lines = [f"$ORIGIN {origin}", "$TTL 300"]
    if not any(" SOA " in f" {r} " for r in records):
        lines.append(_SOA.format(origin=origin))
    return "\n".join([*lines, *records, ""])


class NsdServer:
    """NSD serving `zones` ({origin: [zone file lines relative to origin]}) on loopback."""

    def __init__(self, directory: Path, zones: Mapping[str, Sequence[str]],
                 *, ready_timeout: float = 10.0) -> None:
        if not zones:
            raise ValueError("at least one zone is needed")
        self.directory = directory
        self.zones = {origin.rstrip(".") + ".": zone_text(origin, list(records))
                      for origin, records in zones.items()}
        for origin, text in self.zones.items():
            _check_loopback(origin, text)
        self.ready_timeout = ready_timeout
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return "127.0.0.1"

    @property
    def address6(self) -> str:
        return "::1"

    def resolver_config(self, **changes: object) -> ResolverConfig:
        """Query this server as the resolver and as every name server (`ns_port`)."""
        fields: dict[str, object] = {"address": self.address, "port": self.port,
                                     "ns_port": self.port, "timeout": 2.0, **changes}
        return ResolverConfig(**fields)  # type: ignore[arg-type]

    def _write(self) -> Path:
        d = self.directory
        zone_blocks = []
        for index, (origin, text) in enumerate(self.zones.items()):
            zone_file = d / f"zone{index}.zone"
            zone_file.write_text(text, encoding="ascii")
            zone_blocks.append(f"zone:\n    name: \"{origin}\"\n    zonefile: \"{zone_file}\"\n")
        listen = "".join(f"    ip-address: {ip}@{self.port}\n" for ip in LOOPBACKS)
        conf = d / "nsd.conf"
        conf.write_text(
            "server:\n"
            f"{listen}"
            f"    port: {self.port}\n"
            "    do-ip4: yes\n    do-ip6: yes\n"
            "    username: \"\"\n    chroot: \"\"\n"
            f"    zonesdir: \"{d}\"\n"
            f"    pidfile: \"{d / 'nsd.pid'}\"\n"
            "    database: \"\"\n"
            f"    xfrdfile: \"{d / 'xfrd.state'}\"\n"
            f"    xfrdir: \"{d}\"\n"
            f"    zonelistfile: \"{d / 'zone.list'}\"\n"
            "    server-count: 1\n    verbosity: 0\n    hide-version: yes\n"
            "remote-control:\n    control-enable: no\n"
            + "".join(zone_blocks),
            encoding="ascii",
        )
        return conf

    @property
    def stderr(self) -> str:
        path = self.directory / "nsd.stderr"
        return path.read_text(errors="replace") if path.exists() else ""

    def _answers(self, address: str) -> bool:
        origin = next(iter(self.zones))
        query = dns.message.make_query(origin, dns.rdatatype.SOA)
        try:
            response = dns.query.udp(query, address, port=self.port, timeout=0.2)
        except (dns.exception.DNSException, OSError):
            return False
        return bool(response.answer)

    def _wait_ready(self, process: subprocess.Popen[bytes]) -> bool:
        """True when both addresses answer; False if NSD exited; raises on timeout."""
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            if all(self._answers(ip) for ip in LOOPBACKS):
                return True
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nsd did not answer within {self.ready_timeout} s:\n{self.stderr}")

    def start(self) -> NsdServer:
        require_nsd()
        for _ in range(3):  # the port may be taken between `free_port` and NSD's bind
            self.port = free_port()
            conf = self._write()
            with (self.directory / "nsd.stderr").open("wb") as err:
                self._process = subprocess.Popen(
                    [str(NSD), "-d", "-c", str(conf)], stdin=subprocess.DEVNULL,
                    stdout=err, stderr=subprocess.STDOUT, start_new_session=True,
                )
            if self._wait_ready(self._process):
                return self
            self._process = None
        raise RuntimeError(f"nsd exited before answering:\n{self.stderr}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # NSD's own session: it and its children
            process.wait(timeout=5)

    def __enter__(self) -> NsdServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _serve_until(stop: threading.Event, once: Callable[[], None]) -> None:
    while not stop.is_set():
        with contextlib.suppress(TimeoutError, OSError, dns.exception.DNSException):
            once()


@contextlib.contextmanager
def udp_responder(reply: Callable[[bytes], bytes | None],
                  host: str = "127.0.0.1") -> Iterator[int]:
    """A UDP socket on loopback answering each datagram with `reply(data)` (None: silence).
    Yields its port. For timeouts, garbage and truncated answers NSD will not produce."""
    if host not in LOOPBACKS:
        raise ValueError(f"tests bind loopback only, not {host!r}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    stop = threading.Event()
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        sock.settimeout(0.05)

        def once() -> None:
            data, peer = sock.recvfrom(65535)
            answer = reply(data)
            if answer is not None:
                sock.sendto(answer, peer)

        thread = threading.Thread(target=_serve_until, args=(stop, once), daemon=True)
        thread.start()
        try:
            yield int(sock.getsockname()[1])
        finally:
            stop.set()
            thread.join(timeout=5)


@contextlib.contextmanager
def tcp_dns_responder(port: int, host: str = "127.0.0.1") -> Iterator[None]:
    """DNS over TCP on loopback `port`: answers every query with an empty NOERROR response."""
    if host not in LOOPBACKS:
        raise ValueError(f"tests bind loopback only, not {host!r}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    stop = threading.Event()
    with socket.socket(family, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(4)
        listener.settimeout(0.05)

        def once() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(2)
                query, _ = dns.query.receive_tcp(conn)
                dns.query.send_tcp(conn, dns.message.make_response(query))

        thread = threading.Thread(target=_serve_until, args=(stop, once), daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)


def serve_zones(directory: Path, zones: Mapping[str, Sequence[str]]) -> NsdServer:
    """Start NSD on `zones` and return it (call `.stop()`); `.address`/`.address6`, `.port`."""
    return NsdServer(directory, zones).start()
