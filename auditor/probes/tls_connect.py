"""The connections of the TLS probe (tls.py): SSL contexts built once per process, one
connect-and-handshake bounded by a timeout, a retry of a timeout or reset, and the reason of each
expected failure in words (`ProbeError`). No judgement here: what a handshake shows is read and
judged in tls.py.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import ipaddress
import socket
import ssl
import time
import warnings
from pathlib import Path
from typing import Any

from auditor.probes.chaintime import WARNINGS_LOCK


class ProbeError(Exception):
    """An expected failure of one attempt; `retry` for timeouts and resets."""

    def __init__(self, reason: str, *, retry: bool = False, network: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.network = network  # no TLS conversation at all (timeout, refused, unreachable)
        self.attempts = 1


class LocalRefusalError(Exception):
    """The local OpenSSL refuses to offer a protocol version (not the server's answer)."""


_LEGACY_CIPHERS = "ALL:@SECLEVEL=0"
# Observation wants the certificate: no anonymous suites (a server offering them would
# otherwise answer with no certificate at all), everything else at security level 0.
_OBSERVE_CIPHERS = "ALL:!aNULL:@SECLEVEL=0"
# Handshake errors raised before anything is sent: the client, not the server, said no.
LOCAL_REFUSALS = frozenset({"NO_PROTOCOLS_AVAILABLE", "NO_CIPHERS_AVAILABLE"})


def _set_versions(ctx: ssl.SSLContext, low: ssl.TLSVersion, high: ssl.TLSVersion) -> None:
    """Set min/max versions; TLS 1.0/1.1 raise a DeprecationWarning in Python 3.10+."""
    # `warnings.catch_warnings` swaps a process-wide filter list: our uses are serialised.
    with WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = low
        ctx.maximum_version = high


@functools.cache
def observe_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    # Observation must see weak keys and old servers too: security level 0, TLS 1.0 upward.
    ctx.set_ciphers(_OBSERVE_CIPHERS)
    with contextlib.suppress(ValueError):  # an OpenSSL built without TLS 1.0 keeps its default
        _set_versions(ctx, ssl.TLSVersion.TLSv1, ssl.TLSVersion.MAXIMUM_SUPPORTED)
    return ctx


@functools.lru_cache(maxsize=64)
def verify_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The system trust store **plus** `ca_bundle` (create_default_context(cafile=…) alone
    would replace the system store with the bundle)."""
    ctx = ssl.create_default_context()
    if ca_bundle is not None:
        ctx.load_verify_locations(cafile=str(ca_bundle))
    ctx.check_hostname = False  # judged separately, so chain errors are not masked
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


@functools.cache
def legacy_context(version: ssl.TLSVersion) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.set_ciphers(_LEGACY_CIPHERS)
        _set_versions(ctx, version, version)
    except (ssl.SSLError, ValueError) as exc:
        raise LocalRefusalError(f"local OpenSSL cannot offer {version.name}: {exc}") from exc
    return ctx


@functools.lru_cache(maxsize=1024)
def _ip_literal(address: str) -> tuple[socket.AddressFamily, str]:
    """(family, canonical text) of an IP literal; ValueError for anything else (a name)."""
    ip = ipaddress.ip_address(address.strip("[]"))
    return (socket.AF_INET6 if ip.version == 6 else socket.AF_INET), str(ip)


def socket_address(address: str, port: int) -> tuple[socket.AddressFamily, tuple[Any, ...]]:
    family, text = _ip_literal(address)
    if family == socket.AF_INET6:
        return family, (text, port, 0, 0)
    return family, (text, port)


def _os_reason(exc: OSError) -> ProbeError:
    if isinstance(exc, TimeoutError):
        return ProbeError("timed out", retry=True, network=True)
    if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
        return ProbeError("connection refused", network=True)
    if isinstance(exc, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return ProbeError("connection reset by peer", retry=True, network=True)
    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return ProbeError(f"unreachable: {exc.strerror or exc}", network=True)
    return ProbeError(f"network error: {exc.strerror or exc}", network=True)


def _ssl_reason(exc: ssl.SSLError) -> ProbeError:
    if isinstance(exc, ssl.SSLEOFError):
        return ProbeError("connection reset: closed during TLS handshake", retry=True)
    reason = exc.reason or ""
    if reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG",
                  "HTTP_REQUEST", "UNKNOWN_PROTOCOL"):
        return ProbeError(f"not TLS: the server did not answer with TLS ({reason})")
    return ProbeError(f"TLS handshake failed: {reason or exc}")


def handshake(
    ctx: ssl.SSLContext, address: str, port: int, server_name: str, timeout: float
) -> ssl.SSLSocket:
    """Connect and handshake within `timeout` seconds in total. Caller closes the socket."""
    family, sockaddr = socket_address(address, port)
    deadline = time.monotonic() + timeout
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        sni = None if is_ip(server_name) else server_name
        tls = ctx.wrap_socket(sock, server_hostname=sni, do_handshake_on_connect=False)
    except BaseException:
        sock.close()
        raise
    try:
        tls.do_handshake()
    except BaseException:
        tls.close()
        raise
    return tls


@functools.lru_cache(maxsize=1024)
def is_ip(name: str) -> bool:
    try:
        _ip_literal(name)
    except ValueError:
        return False
    return True


def _attempt(
    ctx: ssl.SSLContext, address: str, port: int, server_name: str, timeout: float
) -> ssl.SSLSocket:
    try:
        return handshake(ctx, address, port, server_name, timeout)
    except ssl.SSLCertVerificationError:
        raise
    except ssl.SSLError as exc:
        raise _ssl_reason(exc) from exc
    except OSError as exc:
        raise _os_reason(exc) from exc


def with_retry(
    ctx: ssl.SSLContext, address: str, port: int, server_name: str, timeout: float, retries: int
) -> tuple[ssl.SSLSocket, int]:
    attempts = 0
    while True:
        attempts += 1
        try:
            return _attempt(ctx, address, port, server_name, timeout), attempts
        except ProbeError as failure:
            if not failure.retry or attempts > retries:
                failure.attempts = attempts
                raise
