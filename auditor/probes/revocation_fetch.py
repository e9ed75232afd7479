"""Asking the revocation services a certificate names (`--revocation` only): its OCSP responder
(authorityInfoAccess id-ad-ocsp) and its CRL distribution points.

These URLs come from the certificate, not from the inventory, so they are contacted only when
the user asks (`--revocation`, off by default). Only `http://` URLs are followed (RFC 5280
4.2.1.13 and RFC 6960 A.1 name HTTP; a CA does not serve them over HTTPS, whose own certificate
would need a revocation check in turn); one request each, no redirect followed, `timeout`
seconds for the whole exchange, the answer bounded (`MAX_OCSP_BYTES`, `MAX_CRL_BYTES`), and
every failure returned as a reason, never raised.

The OCSP request is sent with GET (RFC 6960 A.1: the base64 of the DER request, URL-encoded,
appended to the responder's URL), through the same bounded HTTP client as the redirect check.
"""

from __future__ import annotations

import base64
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

from auditor.probes.http import fetch

MAX_OCSP_BYTES = 64 * 1024
MAX_CRL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    """The body an URL answered, or why there is none."""

    url: str
    body: bytes | None = None
    error: str | None = None
    http_status: int | None = None  # an answer other than 200 (said in `error` too)


def ocsp_urls(cert: x509.Certificate) -> tuple[str, ...]:
    """The OCSP responders the certificate names, in its order."""
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except (x509.ExtensionNotFound, ValueError):
        return ()
    return tuple(
        str(d.access_location.value) for d in access
        if d.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    )


def crl_urls(cert: x509.Certificate) -> tuple[str, ...]:
    """The CRL distribution points (full names that are URIs) the certificate names."""
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except (x509.ExtensionNotFound, ValueError):
        return ()
    return tuple(
        str(name.value) for point in points for name in (point.full_name or ())
        if isinstance(name, x509.UniformResourceIdentifier)
    )


def _address(host: str, port: int) -> str:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not infos:
        raise OSError(f"name does not resolve: {host}")
    return str(infos[0][4][0])


def get(url: str, *, timeout: float, max_bytes: int) -> Fetched:
    """GET an `http://` URL a certificate names; the body of a 200 answer within `max_bytes`."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return Fetched(url, error=f"not followed: only http:// URLs are asked ({url})")
    try:
        address = _address(parts.hostname, parts.port or 80)
    except (OSError, UnicodeError) as exc:
        return Fetched(url, error=f"name does not resolve: {parts.hostname} ({exc})")
    answer = fetch(url, address, timeout=timeout, max_bytes=max_bytes)
    if answer.error is not None:
        return Fetched(url, error=f"{url}: {answer.error}")
    if answer.status != 200:
        return Fetched(url, error=f"{url} answered HTTP {answer.status}",
                       http_status=answer.status)
    if answer.truncated:
        return Fetched(url, error=f"{url}: answer larger than {max_bytes} bytes, not read")
    return Fetched(url, body=answer.body)


def ocsp_get_url(base: str, leaf: x509.Certificate, issuer: x509.Certificate) -> str:
    """The GET URL of an OCSP request for `leaf` (SHA-1 certID, as responders expect)."""
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(leaf, issuer, hashes.SHA1())  # noqa: S303 - RFC 6960's common certID
        .build()
    )
    encoded = base64.b64encode(request.public_bytes(Encoding.DER)).decode("ascii")
    return base.rstrip("/") + "/" + quote(encoded, safe="")


def ask_responder(
    base: str, leaf: x509.Certificate, issuer: x509.Certificate, *, timeout: float
) -> Fetched:
    return get(ocsp_get_url(base, leaf, issuer), timeout=timeout, max_bytes=MAX_OCSP_BYTES)


def download_crl(url: str, *, timeout: float) -> Fetched:
    return get(url, timeout=timeout, max_bytes=MAX_CRL_BYTES)
