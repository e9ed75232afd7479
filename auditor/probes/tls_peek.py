"""The certificates a TLS server presents, read from a handshake that is never completed.

The verifying and observing handshakes go through OpenSSL, which will not complete a handshake
with some weak certificates even at security level 0 (Python cannot offer the P-192 curve, and
a DSA certificate needs signature algorithms OpenSSL 3 no longer offers): the handshake fails
and the weak key is never seen. Here a TLS 1.2 ClientHello written by hand offers every
certificate-authenticated suite, curve and signature algorithm, and the server's `Certificate`
message (sent in the clear before any key exchange in TLS 1.2) is read; the connection is then
closed. Nothing is negotiated or trusted: this only *sees* what the server presents, so the
audit can judge its key. It never lowers what the verifying handshake accepts.

Bounded: one connection, `timeout` seconds in all, at most `_MAX_BYTES` read.
"""

from __future__ import annotations

import os
import socket
import struct
import time

_MAX_BYTES = 256 * 1024
_HANDSHAKE, _ALERT = 22, 21
_SERVER_HELLO, _CERTIFICATE, _SERVER_HELLO_DONE = 2, 11, 14

# Certificate-authenticated TLS 1.2 and older suites: ECDHE/DHE/RSA/ECDH with ECDSA, RSA, DSS.
_SUITES = (
    0xC02B, 0xC02C, 0xC023, 0xC024, 0xC009, 0xC00A, 0xC008,  # ECDHE-ECDSA
    0xC02F, 0xC030, 0xC027, 0xC028, 0xC013, 0xC014, 0xC012,  # ECDHE-RSA
    0x009E, 0x009F, 0x0067, 0x006B, 0x0033, 0x0039, 0x0016,  # DHE-RSA
    0x00A2, 0x00A3, 0x0040, 0x006A, 0x0032, 0x0038, 0x0013,  # DHE-DSS
    0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035, 0x000A,  # RSA
    0xC004, 0xC005, 0xC00E, 0xC00F,  # ECDH-ECDSA, ECDH-RSA
)
# secp256r1, secp384r1, secp521r1, x25519, x448, secp224r1, secp192r1, secp160r1, ffdhe2048.
_GROUPS = (23, 24, 25, 29, 30, 21, 19, 16, 256)
# Every (hash, signature) pair of TLS 1.2 (md5…sha512 × rsa, dsa, ecdsa), RSA-PSS and EdDSA.
_SIGALGS = (
    *((h << 8) | s for h in (6, 5, 4, 3, 2, 1) for s in (3, 1, 2)),
    0x0804, 0x0805, 0x0806, 0x0807, 0x0808,
)


class PeekError(Exception):
    """The server did not present a certificate to this handshake (the reason)."""


def _extension(kind: int, body: bytes) -> bytes:
    return struct.pack("!HH", kind, len(body)) + body


def _u16_list(values: tuple[int, ...]) -> bytes:
    return struct.pack("!H", 2 * len(values)) + b"".join(struct.pack("!H", v) for v in values)


def client_hello(server_name: str | None) -> bytes:
    """A TLS 1.2 ClientHello record offering everything that authenticates with a certificate."""
    extensions = b""
    if server_name:
        name = server_name.encode("idna")
        entry = b"\x00" + struct.pack("!H", len(name)) + name
        extensions += _extension(0, struct.pack("!H", len(entry)) + entry)
    extensions += _extension(10, _u16_list(_GROUPS))
    extensions += _extension(11, b"\x01\x00")  # ec_point_formats: uncompressed
    extensions += _extension(13, _u16_list(_SIGALGS))
    body = (b"\x03\x03" + os.urandom(32) + b"\x00" + _u16_list(_SUITES) + b"\x01\x00"
            + struct.pack("!H", len(extensions)) + extensions)
    handshake = bytes([1]) + len(body).to_bytes(3, "big") + body
    return struct.pack("!BHH", _HANDSHAKE, 0x0301, len(handshake)) + handshake


def _certificates(message: bytes) -> tuple[bytes, ...]:
    """The DER certificates of a TLS 1.2 Certificate message body."""
    if len(message) < 3:
        raise PeekError("malformed Certificate message")
    total = int.from_bytes(message[:3], "big")
    data, found, pos = message[3 : 3 + total], [], 0
    while pos + 3 <= len(data):
        size = int.from_bytes(data[pos : pos + 3], "big")
        found.append(data[pos + 3 : pos + 3 + size])
        pos += 3 + size
    return tuple(found)


def _messages(buffer: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """Complete handshake messages in `buffer`, and what is left of it."""
    found = []
    while len(buffer) >= 4:
        size = int.from_bytes(buffer[1:4], "big")
        if len(buffer) < 4 + size:
            break
        found.append((buffer[0], buffer[4 : 4 + size]))
        buffer = buffer[4 + size :]
    return found, buffer


def peek_certificates(
    address: tuple[object, ...], family: socket.AddressFamily, server_name: str | None,
    timeout: float,
) -> tuple[bytes, ...]:
    """The certificates (DER, leaf first) the server sends to a TLS 1.2 ClientHello offering
    everything; `PeekError` with the reason when it sends none. `OSError` on network trouble."""
    deadline = time.monotonic() + timeout
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(address)
        sock.sendall(client_hello(server_name))
        records, handshake, read = b"", b"", 0
        while True:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            chunk = sock.recv(16_384)
            if not chunk:
                raise PeekError("the server closed the connection before its certificate")
            read += len(chunk)
            if read > _MAX_BYTES:
                raise PeekError("no certificate within the first 256 KiB")
            records += chunk
            while len(records) >= 5:
                kind, _version, size = struct.unpack("!BHH", records[:5])
                if kind not in (_HANDSHAKE, _ALERT):  # told at once, not after `size` bytes
                    raise PeekError(f"unexpected TLS record type {kind}")
                if len(records) < 5 + size:
                    break
                fragment, records = records[5 : 5 + size], records[5 + size :]
                if kind == _ALERT:
                    raise PeekError("the server refused every offer (TLS alert "
                                    f"{fragment[-1] if fragment else '?'})")
                handshake += fragment
                messages, handshake = _messages(handshake)
                for message_type, message in messages:
                    if message_type == _CERTIFICATE:
                        return _certificates(message)
                    if message_type == _SERVER_HELLO_DONE:
                        raise PeekError("the server sent no certificate")
