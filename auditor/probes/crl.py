"""A certificate revocation list (RFC 5280 5) judged for one certificate at the audit instant.

Pure (no I/O): the CRL comes from a file the inventory names (`tls_policy.crl_files`) or from
the distribution point the certificate names (`--revocation`, revocation.py). A CRL is evidence
for a certificate only when it was issued by that certificate's issuer (same name, signature
verified with the issuer's key), it existed at the instant (thisUpdate ≤ instant) and it was
still current (instant ≤ nextUpdate; both ends inclusive). Otherwise it is not usable and says
why. A usable CRL that lists the serial number says revoked; one that does not, good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509

from auditor.probes.ocsp import CertStatus, OcspAnswer, Unusable

#: A CRL's judgement has the shape of an OCSP answer (status or why unusable, the dates).
CrlAnswer = OcspAnswer


@dataclass(frozen=True)
class LoadedCrl:
    """A CRL read from `where` (a file path or a URL), or why it could not be read."""

    where: str
    crl: x509.CertificateRevocationList | None = None
    error: str | None = None
    sha256: str | None = None  # of the bytes read (a declared file: an input of the run)


def load_crl(data: bytes, where: str) -> LoadedCrl:
    """DER or PEM; `error` names what is wrong, never raises."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return LoadedCrl(where, x509.load_pem_x509_crl(data))
        return LoadedCrl(where, x509.load_der_x509_crl(data))
    except ValueError as exc:
        return LoadedCrl(where, error=f"not a CRL (DER or PEM): {exc}")


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def judge_crl(
    crl: x509.CertificateRevocationList, cert: x509.Certificate, issuer: x509.Certificate,
    at: dt.datetime,
) -> CrlAnswer:
    """Judge `crl` for `cert` (issued by `issuer`) at the instant `at`."""
    if crl.issuer != issuer.subject:
        return CrlAnswer(unusable=Unusable.WRONG_CERTIFICATE,
                         problem="the CRL was not issued by the certificate's issuer "
                         f"({crl.issuer.rfc4514_string()})")
    try:
        valid = crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except (TypeError, ValueError):
        valid = False
    if not valid:
        return CrlAnswer(unusable=Unusable.BAD_SIGNATURE,
                         problem="the CRL's signature does not verify with the issuer's key")
    this_update, next_update = crl.last_update_utc, crl.next_update_utc
    if this_update > at:
        return CrlAnswer(unusable=Unusable.NOT_YET, problem=f"issued {_stamp(this_update)}, "
                         f"after the audit instant {_stamp(at)}: it did not exist yet",
                         this_update=this_update, next_update=next_update)
    if next_update is not None and next_update < at:
        return CrlAnswer(unusable=Unusable.STALE, problem=f"stale: its nextUpdate "
                         f"{_stamp(next_update)} is before the audit instant {_stamp(at)}",
                         this_update=this_update, next_update=next_update)
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is not None and entry.revocation_date_utc <= at:
        return CrlAnswer(status=CertStatus.REVOKED, revoked_at=entry.revocation_date_utc,
                         signer="issuer", this_update=this_update, next_update=next_update)
    return CrlAnswer(status=CertStatus.GOOD, signer="issuer",
    this_update=this_update, next_update=next_update)
