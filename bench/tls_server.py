"""A TLS server on N ports of 127.0.0.1, in one process, for bench/tls_probe.py.

    python bench/tls_server.py --certs DIR --count 1000 [--threads 128]

DIR holds `leaf-K.pem` (certificate) and `leaf-K.key` (key) for K = 0, 1, ...; port number i
(in bind order) serves leaf i mod (number of leaves). Only 127.0.0.1 is bound, every port
ephemeral (bind port 0). Handshakes are TLS 1.2 or 1.3 only, so a TLS 1.0/1.1 client is
refused, as on a well-configured server. After a completed handshake the connection is closed
(no application data).

One thread watches every listening socket (epoll via `selectors`) and hands each accepted
connection to a pool of threads doing blocking handshakes; OpenSSL releases the GIL while it
computes, so the process can use more than one core.

Protocol on standard input/output, one line each:
  first line written:  {"ports": [p0, p1, ...], "pid": PID}
  `stats` -> {"accepted", "completed", "refused", "eof", "errors", "cpu_s"} (totals so far)
  `quit` or end of input -> exits.
Counters: `completed` handshakes; `refused` TLS errors from the handshake (e.g. a TLS 1.0
ClientHello); `eof` connections closed before the handshake ended (e.g. a TCP connect scan);
`errors` anything else (timeouts, resets).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import selectors
import socket
import ssl
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HOST = "127.0.0.1"  # the only address ever bound
BACKLOG = 1024
HANDSHAKE_TIMEOUT = 10.0


class Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.values = dict.fromkeys(("accepted", "completed", "refused", "eof", "errors"), 0)

    def add(self, key: str) -> None:
        with self._lock:
            self.values[key] += 1

    def snapshot(self) -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        with self._lock:
            out: dict[str, float] = dict(self.values)
        out["cpu_s"] = usage.ru_utime + usage.ru_stime
        return out


def raise_nofile(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def contexts(certs: Path) -> list[ssl.SSLContext]:
    found: list[ssl.SSLContext] = []
    k = 0
    while (certs / f"leaf-{k}.pem").is_file():
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(certs / f"leaf-{k}.pem", certs / f"leaf-{k}.key")
        found.append(ctx)
        k += 1
    if not found:
        raise SystemExit(f"no leaf-0.pem in {certs}")
    return found


def handshake(conn: socket.socket, ctx: ssl.SSLContext, counters: Counters) -> None:
    try:
        conn.setblocking(True)
        conn.settimeout(HANDSHAKE_TIMEOUT)
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.settimeout(HANDSHAKE_TIMEOUT)
        counters.add("completed")
    except ssl.SSLEOFError:
        counters.add("eof")
    except ssl.SSLError:
        counters.add("refused")
    except (ConnectionResetError, BrokenPipeError):
        counters.add("eof")
    except OSError:
        counters.add("errors")
    finally:
        conn.close()


def serve(listeners: list[socket.socket], ctxs: list[ssl.SSLContext], threads: int,
          counters: Counters, stop: threading.Event) -> None:
    selector = selectors.DefaultSelector()
    for i, sock in enumerate(listeners):
        selector.register(sock, selectors.EVENT_READ, ctxs[i % len(ctxs)])
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hs") as pool:
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
                        counters.add("errors")
                        break
                    counters.add("accepted")
                    pool.submit(handshake, conn, key.data, counters)
    selector.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certs", type=Path, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--threads", type=int, default=128)
    args = parser.parse_args(argv)
    raise_nofile(args.count + args.threads * 2 + 256)
    ctxs = contexts(args.certs)
    listeners: list[socket.socket] = []
    for _ in range(args.count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, 0))
        sock.listen(BACKLOG)
        sock.setblocking(False)
        listeners.append(sock)
    counters = Counters()
    stop = threading.Event()
    worker = threading.Thread(target=serve, args=(listeners, ctxs, args.threads, counters, stop),
                              daemon=True)
    worker.start()
    ports = [s.getsockname()[1] for s in listeners]
    print(json.dumps({"ports": ports, "pid": os.getpid()}), flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                print(json.dumps(counters.snapshot()), flush=True)
            elif command == "quit":
                break
    finally:
        stop.set()
        worker.join(timeout=5)
        for sock in listeners:
            sock.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
