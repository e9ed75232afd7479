"""An OCSP response (RFC 6960) judged for one certificate at the audit instant: pure, no I/O.

The same judgement serves a response the server stapled to its handshake (staple.py) and one
the responder named in the certificate answered (`--revocation`, revocation.py). A response is
evidence only when all of these hold; otherwise it is *not usable* and says why:

- its status is `successful` and it is a basic response;
- it is signed by the issuer itself, or by a delegated responder the response carries whose
  certificate the issuer signed, that has the id-kp-OCSPSigning extended key usage and is valid
  at the instant (RFC 6960 4.2.2.2);
- one of its single responses names the certificate: serial number, issuer name hash and
  issuer key hash (the certID, RFC 6960 4.1.1);
- thisUpdate ≤ instant ≤ nextUpdate, both ends inclusive (4.2.2.1): a response produced after
  the instant did not exist yet, one whose nextUpdate is before it is stale. Without a
  nextUpdate the responder says newer information is always available: fresh from thisUpdate.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID


class CertStatus(enum.StrEnum):
    """What a usable answer says of the certificate (RFC 6960 CertStatus)."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


class Unusable(enum.StrEnum):
    """Why an answer is no evidence (stable codes; the words go in `OcspAnswer.problem`)."""

    MALFORMED = "malformed"
    NOT_SUCCESSFUL = "not_successful"
    BAD_SIGNATURE = "bad_signature"
    WRONG_CERTIFICATE = "wrong_certificate"
    NOT_YET = "not_yet"  # produced after the audit instant: did not exist yet
    STALE = "stale"  # nextUpdate before the audit instant


#: Why a delegated responder may not sign: its certificate is not valid at the instant judged
#: (named, so a caller judging another instant than an audit's can word it its own way).
RESPONDER_NOT_VALID_THEN = "the responder's certificate is not valid at the audit date"


@dataclass(frozen=True)
class OcspAnswer:
    """One OCSP response judged for one certificate. `status` set ⇔ `unusable` is None."""

    status: CertStatus | None = None
    unusable: Unusable | None = None
    problem: str | None = None
    this_update: dt.datetime | None = None
    next_update: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    signer: str | None = None  # "issuer" or the delegated responder's subject


def _verify_signature(
    key: object, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm | None
) -> bool:
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(signature, data)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        return False
    return True


def signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer` names and signed `cert` (signature checked, not just the names)."""
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def find_issuer(
    leaf: x509.Certificate, candidates: Iterable[x509.Certificate]
) -> x509.Certificate | None:
    """The candidate that signed `leaf` (chain sent by the server first, then the CA bundle)."""
    return next((c for c in candidates if signed_by(leaf, c)), None)


def _key_hash(cert: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    """Hash of the subjectPublicKey BIT STRING's value (RFC 6960 4.1.1, ResponderID byKey)."""
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(algorithm)
    digest.update(_bit_string_value(spki))
    return digest.finalize()


def _bit_string_value(spki: bytes) -> bytes:
    """The public key bits of a DER SubjectPublicKeyInfo (SEQUENCE { alg, BIT STRING })."""
    pos = _skip_header(spki, 0)  # into the outer SEQUENCE
    pos = _skip_element(spki, pos)  # past the AlgorithmIdentifier
    start = _skip_header(spki, pos)  # into the BIT STRING
    return spki[start + 1 :]  # its first byte counts the unused bits (0 for keys)


def _skip_header(der: bytes, pos: int) -> int:
    length = der[pos + 1]
    if length < 0x80:
        return pos + 2
    return pos + 2 + (length & 0x7F)


def _skip_element(der: bytes, pos: int) -> int:
    length = der[pos + 1]
    if length < 0x80:
        return pos + 2 + length
    size = length & 0x7F
    return pos + 2 + size + int.from_bytes(der[pos + 2 : pos + 2 + size], "big")


def _responder_named(response: ocsp.OCSPResponse, cert: x509.Certificate) -> bool:
    if response.responder_name is not None:
        return bool(response.responder_name == cert.subject)
    key_hash = response.responder_key_hash
    return key_hash is not None and key_hash == _key_hash(cert, hashes.SHA1())  # noqa: S303


def _delegated(cert: x509.Certificate, issuer: x509.Certificate, at: dt.datetime) -> str | None:
    """Why `cert` may not sign for `issuer`'s certificates at `at`; None when it may."""
    if not signed_by(cert, issuer):
        return "the responder's certificate was not issued by the certificate's issuer"
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        usages = x509.ExtendedKeyUsage([])
    if ExtendedKeyUsageOID.OCSP_SIGNING not in usages:
        return "the responder's certificate lacks the id-kp-OCSPSigning key usage"
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        return RESPONDER_NOT_VALID_THEN
    return None


def _signer(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, at: dt.datetime
) -> tuple[str | None, str | None]:
    """(who signed, None) when the signature verifies by an allowed signer; else (None, why)."""
    data, signature = response.tbs_response_bytes, response.signature
    algorithm = response.signature_hash_algorithm
    if _responder_named(response, issuer) and _verify_signature(
        issuer.public_key(), signature, data, algorithm
    ):
        return "issuer", None
    why = "the signature verifies neither with the issuer's key nor a delegated responder's"
    for cert in response.certificates:
        if not _responder_named(response, cert):
            continue
        if not _verify_signature(cert.public_key(), signature, data, algorithm):
            continue
        refused = _delegated(cert, issuer, at)
        if refused is None:
            return cert.subject.rfc4514_string(), None
        why = refused
    return None, why


def _names_certificate(
    single: ocsp.OCSPSingleResponse, leaf: x509.Certificate, issuer: x509.Certificate
) -> bool:
    if single.serial_number != leaf.serial_number:
        return False
    algorithm = single.hash_algorithm
    name_hash = hashes.Hash(algorithm)
    name_hash.update(issuer.subject.public_bytes())
    return (single.issuer_name_hash == name_hash.finalize()
            and single.issuer_key_hash == _key_hash(issuer, algorithm))


def _unusable(
    kind: Unusable, problem: str, this_update: dt.datetime | None = None,
    next_update: dt.datetime | None = None,
) -> OcspAnswer:
    return OcspAnswer(unusable=kind, problem=problem, this_update=this_update,
                      next_update=next_update)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def judge_response(
    der: bytes, leaf: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
) -> OcspAnswer:
    """Judge the DER OCSP response `der` for `leaf` (issued by `issuer`) at the instant `at`."""
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        return _unusable(Unusable.MALFORMED, f"not an OCSP response: {exc}")
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        name = response.response_status.name.lower()
        return _unusable(Unusable.NOT_SUCCESSFUL, f"the responder answered '{name}'")
    try:
        singles: Sequence[ocsp.OCSPSingleResponse] = list(response.responses)
        signer, why = _signer(response, issuer, at)
    except (ValueError, UnsupportedAlgorithm) as exc:
        return _unusable(Unusable.MALFORMED, f"unreadable OCSP response: {exc}")
    if signer is None:
        return _unusable(Unusable.BAD_SIGNATURE, why or "signature not verified")
    single = next((s for s in singles if _names_certificate(s, leaf, issuer)), None)
    if single is None:
        return _unusable(Unusable.WRONG_CERTIFICATE, "the response does not name this "
                         f"certificate (serial {leaf.serial_number:x} of its issuer)")
    this_update, next_update = single.this_update_utc, single.next_update_utc
    if this_update > at:
        return _unusable(Unusable.NOT_YET, f"produced {_stamp(this_update)}, after the audit "
                         f"instant {_stamp(at)}: it did not exist yet",
                         this_update=this_update, next_update=next_update)
    if next_update is not None and next_update < at:
        return _unusable(Unusable.STALE, f"stale: its nextUpdate {_stamp(next_update)} is "
                         f"before the audit instant {_stamp(at)}",
                         this_update=this_update, next_update=next_update)
    status = CertStatus(single.certificate_status.name.lower())
    revoked_at = single.revocation_time_utc if status is CertStatus.REVOKED else None
    return OcspAnswer(status=status, this_update=this_update, next_update=next_update,
                      revoked_at=revoked_at, signer=signer)
