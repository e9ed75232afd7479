"""Trust of a certificate file (e.g. a specialised digital-signature certificate) at `--as-of`.

A file is judged like an endpoint's chain: the certificates the file carries plus the CA
bundle the system declares (`tls_policy.ca_bundle`, e.g. the Government CA) must build a valid
path at the audit date, verified by `cryptography`'s path builder (`cryptography.x509.
verification`, a client-style verifier with this module's extension policies). Only the bundle
is trusted — never the system store: a signing certificate of a state agency is trusted
because of the CA the agency declares, not because a browser would trust it.

Why a path is refused is told by one reason each (`TrustReason`), checked in this order:

- `self_signed` — the leaf signed itself and is not in the bundle;
- `incomplete_chain` — an issuer on the way is neither in the file nor in the bundle;
- `unknown_issuer` — the path ends in a root the file carries that the bundle does not hold,
  or a certificate names as its issuer a CA (of the file or the bundle) whose key did not
  sign it: an impostor issuer, however trusted its name;
- `intermediate_expired` / `intermediate_not_yet_valid` — a CA between the leaf and the
  anchor is outside its validity at the audit date;
- `expired` / `not_yet_valid` — the leaf itself (CERT-01 judges it too);
- `wrong_purpose` — the leaf is not fit for signing (below);
- `other` — the verifier refused the path for another reason (its words are kept).

Fit for signing (decided here, documented in docs/checklist-format.md): a keyUsage extension
with digitalSignature or nonRepudiation (contentCommitment); and, when an extendedKeyUsage is
present, at least one of emailProtection, codeSigning, documentSigning (RFC 9336), timeStamping
or anyExtendedKeyUsage — an EKU of serverAuth/clientAuth only is not fit for signing. No
keyUsage at all is not evidence of a signing certificate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from auditor.probes.chaintime import instant_of, load_bundle


class TrustReason(StrEnum):
    OK = "ok"
    NO_CA_BUNDLE = "no_ca_bundle"
    SELF_SIGNED = "self_signed"
    INCOMPLETE_CHAIN = "incomplete_chain"
    UNKNOWN_ISSUER = "unknown_issuer"
    INTERMEDIATE_EXPIRED = "intermediate_expired"
    INTERMEDIATE_NOT_YET_VALID = "intermediate_not_yet_valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WRONG_PURPOSE = "wrong_purpose"
    OTHER = "other"


#: EKUs fit for signing documents and messages (documentSigning: RFC 9336, 1.3.6.1.5.5.7.3.36).
SIGNING_EKUS = frozenset({
    ExtendedKeyUsageOID.EMAIL_PROTECTION,
    ExtendedKeyUsageOID.CODE_SIGNING,
    ObjectIdentifier("1.3.6.1.5.5.7.3.36"),
    ExtendedKeyUsageOID.TIME_STAMPING,
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
})

# The purpose is judged here (`signing_purpose`), so the verifier asks of the leaf nothing
# more, and of a CA only what every path needs (basicConstraints).
_CA_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.BasicConstraints, Criticality.AGNOSTIC, None
)
_EE_POLICY = ExtensionPolicy.permit_all()
_SHA256 = hashes.SHA256()


@dataclass(frozen=True)
class FileTrust:
    """The trust verdict of one file: `verified` None when it could not be judged."""

    verified: bool | None
    reason: TrustReason
    detail: str | None = None  # the verifier's or this module's words (English)
    judged_at: dt.datetime | None = None


def _name(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string() or "(empty subject)"


def signing_purpose(leaf: x509.Certificate) -> str | None:
    """None when the leaf is fit for signing (module docstring), else why not."""
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "no keyUsage extension: not evidence of a signing certificate"
    if not (usage.digital_signature or usage.content_commitment):
        return "keyUsage has neither digitalSignature nor nonRepudiation"
    try:
        ekus = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if not SIGNING_EKUS & set(ekus):
        names = ", ".join(getattr(o, "_name", o.dotted_string) for o in ekus)
        return f"extendedKeyUsage ({names}) has no signing purpose"
    return None


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject


def _path_problem(
    leaf: x509.Certificate,
    carried: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    when: dt.datetime,
) -> tuple[TrustReason, str] | None:
    """The first structural or time reason on the way from the leaf to an anchor."""
    anchored = {a.fingerprint(_SHA256) for a in anchors}
    if leaf.fingerprint(_SHA256) in anchored:
        return None
    if _self_signed(leaf):
        return TrustReason.SELF_SIGNED, f"the certificate {_name(leaf)} signed itself"
    current = leaf
    seen = {leaf.fingerprint(_SHA256)}
    while True:
        named = [a for a in anchors if a.subject == current.issuer]
        if named:
            if any(_signed_by(current, a) for a in named):
                return None
            # A CA of the bundle's name whose key did not sign it: an impostor issuer.
            return TrustReason.UNKNOWN_ISSUER, (
                f"{_name(current)} names the CA {current.issuer.rfc4514_string()} of the CA "
                "bundle as its issuer, but that CA's key did not sign it"
            )
        named = [c for c in carried if c.subject == current.issuer
                 and c.fingerprint(_SHA256) not in seen]
        issuer = next((c for c in named if _signed_by(current, c)), None)
        if named and issuer is None:
            return TrustReason.UNKNOWN_ISSUER, (
                f"{_name(current)} names {current.issuer.rfc4514_string()} as its issuer, but "
                "the key of the certificate of that name in the file did not sign it"
            )
        if issuer is None:
            return TrustReason.INCOMPLETE_CHAIN, (
                f"the issuer {current.issuer.rfc4514_string()} of {_name(current)} is neither "
                "in the file nor in the CA bundle"
            )
        if _self_signed(issuer):
            return TrustReason.UNKNOWN_ISSUER, (
                f"the path ends in the root {_name(issuer)}, which the CA bundle does not hold"
            )
        if issuer.not_valid_after_utc < when:
            return TrustReason.INTERMEDIATE_EXPIRED, (
                f"the intermediate {_name(issuer)} expired on "
                f"{issuer.not_valid_after_utc:%d/%m/%Y}, before the audit date {when:%d/%m/%Y}"
            )
        if issuer.not_valid_before_utc > when:
            return TrustReason.INTERMEDIATE_NOT_YET_VALID, (
                f"the intermediate {_name(issuer)} is valid only from "
                f"{issuer.not_valid_before_utc:%d/%m/%Y}"
            )
        seen.add(issuer.fingerprint(_SHA256))
        current = issuer


def _leaf_time(leaf: x509.Certificate, when: dt.datetime) -> tuple[TrustReason, str] | None:
    if leaf.not_valid_after_utc < when:
        return TrustReason.EXPIRED, (
            f"the certificate expired on {leaf.not_valid_after_utc:%d/%m/%Y}"
        )
    if leaf.not_valid_before_utc > when:
        return TrustReason.NOT_YET_VALID, (
            f"the certificate is valid only from {leaf.not_valid_before_utc:%d/%m/%Y}"
        )
    return None


def judge_file_trust(
    certificates: Sequence[x509.Certificate],
    ca_bundle: Path | None,
    as_of: dt.date,
) -> FileTrust:
    """The verdict for the file's certificates (leaf first) against `ca_bundle` at `as_of`.

    Never raises: what cannot be judged (an extension `cryptography` refuses to read while
    judging) is a verdict of None with the reason, never a pass."""
    try:
        return _judge(certificates, ca_bundle, as_of)
    except (ValueError, TypeError) as exc:
        return FileTrust(None, TrustReason.OTHER, f"trust not judged: {exc}")


def _judge(
    certificates: Sequence[x509.Certificate], ca_bundle: Path | None, as_of: dt.date
) -> FileTrust:
    if ca_bundle is None:
        return FileTrust(None, TrustReason.NO_CA_BUNDLE,
                         "no CA bundle declared (tls_policy.ca_bundle)")
    anchors = load_bundle(ca_bundle)
    if not anchors:
        return FileTrust(None, TrustReason.OTHER,
                         f"the CA bundle {ca_bundle} holds no readable certificate")
    leaf, carried = certificates[0], list(certificates[1:])
    when = instant_of(as_of, certificates)
    problem = (
        _path_problem(leaf, carried, anchors, when)
        or _leaf_time(leaf, when)
    )
    if problem is None:
        purpose = signing_purpose(leaf)
        if purpose is not None:
            problem = (TrustReason.WRONG_PURPOSE, purpose)
    if problem is not None:
        return FileTrust(False, problem[0], problem[1], when)
    verifier = (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(when)
        .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
        .build_client_verifier()
    )
    try:
        verifier.verify(leaf, carried)
    except VerificationError as exc:
        return FileTrust(False, TrustReason.OTHER, str(exc), when)
    return FileTrust(True, TrustReason.OK, None, when)
