"""The chain a TLS server sent, read from the socket and parsed one certificate at a time.

A certificate that does not load (a bad version, broken DER) keeps its place: it is reported
as unreadable at its position, and the others are not renumbered (the leaf is 1).
"""

from __future__ import annotations

import _ssl
import functools
import ssl
from dataclasses import dataclass

from cryptography import x509

from auditor.probes.certinfo import UNREADABLE_ERRORS, UnreadableCert, unreadable

_ENCODING_DER = int(getattr(_ssl, "ENCODING_DER", 2))


def _chain_der(tls: ssl.SSLSocket) -> tuple[bytes, ...] | None:
    """The chain the server sent, as DER; None when this Python cannot read it."""
    getter = getattr(tls, "get_unverified_chain", None)  # Python 3.13+: a list of DER bytes
    if getter is not None:
        return tuple(bytes(der) for der in getter() or [])
    # Python 3.10-3.12: the same call on the underlying object, returning certificate objects.
    private = getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    if private is not None:
        return tuple(bytes(cert.public_bytes(_ENCODING_DER)) for cert in private() or [])
    return None


@dataclass(frozen=True)
class SentChain:
    """The presented chain: the certificates that load, their DER and place in the chain (the
    leaf is 1), and those that do not load, with the reason."""

    certificates: tuple[x509.Certificate, ...] = ()
    ders: tuple[bytes, ...] = ()
    positions: tuple[int, ...] = ()
    unloadable: tuple[UnreadableCert, ...] = ()
    note: str | None = None


def unverified_chain(tls: ssl.SSLSocket) -> SentChain:
    """The chain the server sent; empty with the reason when it cannot be read."""
    try:
        ders = _chain_der(tls)
        if ders is None:
            return SentChain(note="chain not available: needs Python 3.13+ "
                               "(SSLSocket.get_unverified_chain)")
    except (ValueError, AttributeError, TypeError) as exc:
        return SentChain(note=f"chain unparsable: {exc}")
    return parse_chain(ders)


@functools.lru_cache(maxsize=4096)
def parse_chain(ders: tuple[bytes, ...]) -> SentChain:
    """Each certificate parsed, or why not (the leaf is read on its own, _Seen.leaf).

    Memoised: endpoints of one province mostly present a few chains (one wildcard certificate
    behind many names), and parsing them again per endpoint was the probe's largest cost after
    the handshake. A parsed certificate is immutable, so one object serves every endpoint
    that presents it. The readable ones (`readable`) are worked out once here too.
    """
    chain: list[x509.Certificate] = []
    kept: list[bytes] = []
    positions: list[int] = []
    unloadable: list[UnreadableCert] = []
    for position, der in enumerate(ders, start=1):
        try:
            chain.append(x509.load_der_x509_certificate(der))
        except UNREADABLE_ERRORS as exc:
            if position > 1:
                unloadable.append(UnreadableCert(position, unreadable(exc)))
            continue
        kept.append(der)
        positions.append(position)
    return SentChain(tuple(chain), tuple(kept), tuple(positions), tuple(unloadable))
