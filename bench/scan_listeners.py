"""TCP listeners on several loopback addresses, in one process, for bench/scan.py.

    python bench/scan_listeners.py --addresses 32 --open 20 --closed 5 --tls-dir DIR

Binds the SAME `--open` port numbers on 127.0.0.1 … 127.0.0.N (N = --addresses; Linux routes
the whole of 127.0.0.0/8 to `lo`, so binding them needs no configuration) and on ::1. The
numbers are drawn from 61000-64999, above Linux's default ephemeral range (32768-60999), and
every one is bound on every address or tried again with another number; `--closed` further
numbers are checked free on every address and left unbound (a scan finds them closed). With
`--tls-dir`, one more port on 127.0.0.1 only completes TLS handshakes with a self-signed RSA
certificate written there: bench/scan.py scans it once with `-sV --script ssl-cert` to capture
real nmap XML, the model of its generated import file. Never any other address.

A connection to a plain port is accepted and closed at once (for a connect scan, `-sT`; a SYN
scan, as root, never reaches the process: the kernel answers).

Protocol on standard input/output, one line each:
  first line written:  {"ipv4": [...], "ipv6": [...], "open": [...], "closed": [...],
                        "tls_port": P or null, "pid": PID}
  `stats` -> {"accepted": N, "cpu_s": S} (totals so far)
  `quit` or end of input -> exits (so it also ends when bench/scan.py dies).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import ipaddress
import json
import os
import random
import resource
import selectors
import socket
import ssl
import sys
import threading
from pathlib import Path

LOW, HIGH = 61000, 64999  # above the default ephemeral range (net.ipv4.ip_local_port_range)
BACKLOG = 512
IPV6 = "::1"


def loopback(count: int) -> list[str]:
    """127.0.0.1 … 127.0.0.count: nothing outside 127.0.0.0/8, ever."""
    if not 1 <= count <= 254:
        raise SystemExit("--addresses must be 1-254")
    addresses = [f"127.0.0.{i}" for i in range(1, count + 1)]
    for address in addresses:
        assert ipaddress.ip_address(address).is_loopback  # noqa: S101 - the one safety rule
    return addresses


def _socket(address: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((address, port))
    except OSError:
        sock.close()
        raise
    return sock


def bind_everywhere(addresses: list[str], port: int) -> list[socket.socket] | None:
    """Sockets bound to `port` on every address, or None (nothing left bound) if one is taken."""
    bound: list[socket.socket] = []
    try:
        bound.extend(_socket(address, port) for address in addresses)
    except OSError:
        for sock in bound:
            sock.close()
        return None
    return bound


def choose(addresses: list[str], wanted_open: int, wanted_closed: int,
           rng: random.Random) -> tuple[list[socket.socket], list[int], list[int]]:
    candidates = rng.sample(range(LOW, HIGH + 1), HIGH - LOW + 1)
    listening: list[socket.socket] = []
    open_ports: list[int] = []
    closed: list[int] = []
    for port in candidates:
        if len(open_ports) == wanted_open and len(closed) == wanted_closed:
            break
        bound = bind_everywhere(addresses, port)
        if bound is None:
            continue
        if len(open_ports) < wanted_open:
            for sock in bound:
                sock.listen(BACKLOG)
                sock.setblocking(False)
            listening += bound
            open_ports.append(port)
        else:  # free on every address: close it again, a scan will find it closed
            for sock in bound:
                sock.close()
            closed.append(port)
    if len(open_ports) < wanted_open or len(closed) < wanted_closed:
        raise SystemExit(f"not enough free ports in {LOW}-{HIGH}")
    return listening, sorted(open_ports), sorted(closed)


def tls_context(directory: Path) -> ssl.SSLContext:
    """A self-signed RSA-2048 certificate for CN=scan-bench.test (and IP 127.0.0.1)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "So Thong tin va Truyen thong"),
        x509.NameAttribute(NameOID.COMMON_NAME, "scan-bench.test"),
    ])
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("scan-bench.test"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem, key_pem = directory / "tls.pem", directory / "tls.key"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pem, key_pem)
    return ctx


def handshake(conn: socket.socket, ctx: ssl.SSLContext) -> None:
    try:
        conn.setblocking(True)
        conn.settimeout(10)
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.settimeout(10)
            with contextlib.suppress(OSError, ssl.SSLError):
                tls.recv(4096)  # let the client speak; nmap's probes get no answer
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted = 0

    def snapshot(self) -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        with self.lock:
            return {"accepted": self.accepted, "cpu_s": usage.ru_utime + usage.ru_stime}


def serve(listeners: list[socket.socket], tls: tuple[socket.socket, ssl.SSLContext] | None,
          counter: Counter, stop: threading.Event) -> None:
    selector = selectors.DefaultSelector()
    for sock in listeners:
        selector.register(sock, selectors.EVENT_READ, None)
    if tls is not None:
        selector.register(tls[0], selectors.EVENT_READ, tls[1])
    while not stop.is_set():
        for key, _events in selector.select(timeout=0.2):
            listener = key.fileobj
            if not isinstance(listener, socket.socket):  # only sockets were registered
                continue
            while True:
                try:
                    conn, _peer = listener.accept()
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                with counter.lock:
                    counter.accepted += 1
                if key.data is None:
                    conn.close()
                else:
                    threading.Thread(target=handshake, args=(conn, key.data), daemon=True).start()
    selector.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=32, help="127.0.0.1 … 127.0.0.N")
    parser.add_argument("--no-ipv6", action="store_true", help="do not bind ::1")
    parser.add_argument("--open", type=int, default=20, help="listening ports per address")
    parser.add_argument("--closed", type=int, default=5, help="free ports per address")
    parser.add_argument("--tls-dir", type=Path, help="also one TLS port on 127.0.0.1")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    ipv4 = loopback(args.addresses)
    ipv6 = [] if args.no_ipv6 else [IPV6]
    wanted = (len(ipv4) + len(ipv6)) * (args.open + args.closed) + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
    rng = random.Random(args.seed)
    listeners, open_ports, closed = choose([*ipv4, *ipv6], args.open, args.closed, rng)
    tls: tuple[socket.socket, ssl.SSLContext] | None = None
    if args.tls_dir is not None:
        sock = _socket("127.0.0.1", 0)
        sock.listen(BACKLOG)
        sock.setblocking(False)
        tls = (sock, tls_context(args.tls_dir))
    counter = Counter()
    stop = threading.Event()
    worker = threading.Thread(target=serve, args=(listeners, tls, counter, stop), daemon=True)
    worker.start()
    hello = {"ipv4": ipv4, "ipv6": ipv6, "open": open_ports, "closed": closed,
             "tls_port": tls[0].getsockname()[1] if tls else None, "pid": os.getpid()}
    print(json.dumps(hello), flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                print(json.dumps(counter.snapshot()), flush=True)
            elif command == "quit":
                break
    finally:
        stop.set()
        worker.join(timeout=5)
        for sock in listeners:
            sock.close()
        if tls is not None:
            tls[0].close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
