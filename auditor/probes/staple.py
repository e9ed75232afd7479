"""The OCSP response a TLS server staples to its handshake (status_request, RFC 6066 8).

Python's `ssl` cannot ask for a staple, so this is one connection of its own, to the same
address and name as the TLS probe's: a TLS 1.2 hello never completed (staple_peek.py), else a
full handshake through pyOpenSSL. Either asks for the certificate status and keeps the
certificates the server sent (to find the issuer that must have signed the staple). It
observes only: nothing is verified or trusted here (the TLS probe's verifying handshake is
unchanged), so it accepts what the observing handshake accepts (security level 0, no
anonymous suite). Contacts no one but the server. Bounded by `timeout` for connect plus
handshake; never raises: a failure is `StapleSeen.error` with the reason.
"""

from __future__ import annotations

import functools
import ipaddress
import select
import socket
import time
from dataclasses import dataclass

from cryptography import x509
from OpenSSL import SSL

from auditor.probes.staple_peek import peek_staple

_CIPHERS = b"ALL:!aNULL:@SECLEVEL=0"


@dataclass(frozen=True)
class StapleSeen:
    """What one status-requesting handshake saw. `error` set ⇒ nothing else is."""

    staple: bytes | None = None  # the DER OCSP response; None when the server stapled nothing
    chain: tuple[x509.Certificate, ...] = ()  # as sent, leaf first
    error: str | None = None


def _on_status(conn: SSL.Connection, data: bytes, _extra: object) -> bool:
    received = conn.get_app_data()
    if isinstance(received, list):
        received.append(bytes(data))
    return True  # judged afterwards, at the audit date; never refuse the handshake here


@functools.cache
def _context() -> SSL.Context:
    """One context for every probe thread (building one per handshake costs CPU); each
    connection collects its own staple through its app data."""
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_verify(SSL.VERIFY_NONE)
    ctx.set_cipher_list(_CIPHERS)
    ctx.set_ocsp_client_callback(_on_status)
    return ctx


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET


def _wait(sock: socket.socket, deadline: float, write: bool) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    readers, writers = ([], [sock]) if write else ([sock], [])
    if not any(select.select(readers, writers, [], left)):
        raise TimeoutError


def _handshake(conn: SSL.Connection, sock: socket.socket, deadline: float) -> None:
    while True:
        try:
            conn.do_handshake()
            return
        except SSL.WantReadError:
            _wait(sock, deadline, write=False)
        except SSL.WantWriteError:
            _wait(sock, deadline, write=True)


def request_staple(address: str, port: int, server_name: str | None, timeout: float) -> StapleSeen:
    """Ask `address`:`port` (SNI `server_name`) for the certificate status: first from a TLS
    1.2 hello that is never completed (staple_peek.py: no client crypto), else (a TLS 1.3-only
    server, an answer that reader does not follow) from a full handshake."""
    try:
        family = _family(address)
    except ValueError:
        return StapleSeen(error=f"not an IP address: {address!r}")
    sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
    try:
        peeked = peek_staple(sockaddr, family, server_name, timeout)
    except (TimeoutError, ConnectionRefusedError) as exc:
        what = "timed out" if isinstance(exc, TimeoutError) else "connection refused"
        return StapleSeen(error=f"{what} during the status request")
    except OSError:
        peeked = None  # reset or closed on this hello: a full handshake may still answer
    if peeked is not None:
        ders, staple = peeked
        try:
            chain = tuple(x509.load_der_x509_certificate(der) for der in ders)
        except ValueError:
            pass  # a certificate that does not load: the full handshake reports it
        else:
            return StapleSeen(staple=staple, chain=chain)
    return _full_handshake(address, family, port, server_name, timeout)


def _full_handshake(
    address: str, family: socket.AddressFamily, port: int, server_name: str | None,
    timeout: float,
) -> StapleSeen:
    received: list[bytes] = []
    deadline = time.monotonic() + timeout
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
        sock.setblocking(False)
        conn = SSL.Connection(_context(), sock)
        conn.set_app_data(received)
        if server_name:
            conn.set_tlsext_host_name(server_name.encode("idna"))
        conn.request_ocsp()
        conn.set_connect_state()
        _handshake(conn, sock, deadline)
        chain = conn.get_peer_cert_chain(as_cryptography=True) or []
    except TimeoutError:
        return StapleSeen(error="timed out during the status-requesting handshake")
    except SSL.Error as exc:
        return StapleSeen(error=f"status-requesting handshake failed: {exc}")
    except OSError as exc:
        return StapleSeen(error=f"status-requesting handshake failed: {exc.strerror or exc}")
    finally:
        sock.close()
    staple = received[0] if received and received[0] else None
    return StapleSeen(staple=staple, chain=tuple(chain))
