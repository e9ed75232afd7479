"""The OCSP staple read from a TLS 1.2 handshake that is never completed (no client crypto).

A full handshake costs the client a key exchange it does not need: in TLS 1.2 the server sends
its `Certificate` and `CertificateStatus` (the staple, RFC 6066 8) in the clear, right after
its `ServerHello`. So the ClientHello of tls_peek.py (every certificate-authenticated suite,
curve and signature algorithm) is sent with a status_request extension, and the server's
messages are read up to `ServerHelloDone`; the connection is then closed. Nothing is
negotiated or trusted: this only *sees* what the server presents.

`None` means "ask a full handshake instead" (staple.py): a server that refuses TLS 1.2 (TLS 1.3
only) or answers in a way this reader does not follow. Bounded: one connection, `timeout`
seconds in all, at most `_MAX_BYTES` read.
"""

from __future__ import annotations

import socket
import struct
import time

from auditor.probes.tls_peek import client_hello

_MAX_BYTES = 512 * 1024
_HANDSHAKE, _ALERT = 22, 21
_CERTIFICATE, _CERTIFICATE_STATUS, _SERVER_HELLO_DONE = 11, 22, 14
#: status_request: status_type ocsp (1), no responder ids, no request extensions.
_STATUS_REQUEST = struct.pack("!HH", 5, 5) + b"\x01\x00\x00\x00\x00"


def hello_with_status_request(server_name: str | None) -> bytes:
    """tls_peek's ClientHello record with a status_request extension appended."""
    record = client_hello(server_name)
    body = record[9:]  # after the record header (5) and the handshake header (4)
    pos = 2 + 32  # version, random
    pos += 1 + body[pos]  # session id
    pos += 2 + int.from_bytes(body[pos : pos + 2], "big")  # cipher suites
    pos += 1 + body[pos]  # compression methods
    extensions = body[pos + 2 :] + _STATUS_REQUEST
    body = body[:pos] + struct.pack("!H", len(extensions)) + extensions
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return record[:3] + struct.pack("!H", len(handshake)) + handshake


def _chain(message: bytes) -> tuple[bytes, ...]:
    total = int.from_bytes(message[:3], "big")
    data, found, pos = message[3 : 3 + total], [], 0
    while pos + 3 <= len(data):
        size = int.from_bytes(data[pos : pos + 3], "big")
        found.append(data[pos + 3 : pos + 3 + size])
        pos += 3 + size
    return tuple(found)


def _staple(message: bytes) -> bytes | None:
    """The OCSPResponse of a CertificateStatus message (status_type ocsp)."""
    if len(message) < 4 or message[0] != 1:
        return None
    size = int.from_bytes(message[1:4], "big")
    return message[4 : 4 + size] or None


def peek_staple(
    address: tuple[object, ...], family: socket.AddressFamily, server_name: str | None,
    timeout: float,
) -> tuple[tuple[bytes, ...], bytes | None] | None:
    """(the certificates sent, DER, leaf first; the staple or None), or None: not told this
    way. `OSError` on network trouble."""
    deadline = time.monotonic() + timeout
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(address)
        sock.sendall(hello_with_status_request(server_name))
        records, handshake, read = b"", b"", 0
        chain: tuple[bytes, ...] = ()
        staple: bytes | None = None
        while True:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            chunk = sock.recv(65_536)
            read += len(chunk)
            if not chunk or read > _MAX_BYTES:
                return None
            records += chunk
            while len(records) >= 5:
                kind, _version, size = struct.unpack("!BHH", records[:5])
                if kind != _HANDSHAKE:  # an alert (no TLS 1.2) or anything else: not this way
                    return None
                if len(records) < 5 + size:
                    break
                handshake += records[5 : 5 + size]
                records = records[5 + size :]
                while len(handshake) >= 4:
                    length = int.from_bytes(handshake[1:4], "big")
                    if len(handshake) < 4 + length:
                        break
                    kind_of, message = handshake[0], handshake[4 : 4 + length]
                    handshake = handshake[4 + length :]
                    if kind_of == _CERTIFICATE:
                        chain = _chain(message)
                    elif kind_of == _CERTIFICATE_STATUS:
                        staple = _staple(message)
                    elif kind_of == _SERVER_HELLO_DONE:
                        return (chain, staple) if chain else None
