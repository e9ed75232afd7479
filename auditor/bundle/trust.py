"""Is the signer's certificate trusted at the moment it signed?

The certificates the signature carries plus the CA bundle (only the bundle: never the system
store, as for CERT-08's certificate files) must build a valid path at the signing time, with
`cryptography`'s verifier; and the signer must be fit for signing (keyUsage digitalSignature or
nonRepudiation). Each failure is named on its own: expired or not yet valid at signing time,
an issuer the bundle does not lead to (untrusted), wrong key usage, a path refused for another
reason. Without a CA bundle trust is unknown, and that is a problem too: a verification that
says "all good" means trusted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from auditor.bundle.credentials import usage_problem
from auditor.messages import Msg
from auditor.probes.chaintime import load_bundle

# Key usage is judged here (usage_problem) so it is named on its own: the verifier asks of
# the signer nothing more, and of a CA only what every path needs.
_CA_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.BasicConstraints, Criticality.AGNOSTIC, None
)
_EE_POLICY = ExtensionPolicy.permit_all()


def _when(moment: dt.datetime) -> Msg:
    text = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return Msg(text, text)


def trust_problems(
    signer: x509.Certificate,
    carried: Sequence[x509.Certificate],
    ca_bundle: Path | None,
    signed_at: dt.datetime,
) -> list[Msg]:
    """Every reason the signer is not trusted at `signed_at` ([] when it is)."""
    problems: list[Msg] = []
    when = _when(signed_at)
    name = signer.subject.rfc4514_string()
    if signer.not_valid_after_utc < signed_at:
        problems.append(Msg(
            f"chứng thư số của người ký ({name}) đã hết hạn ngày "
            f"{signer.not_valid_after_utc:%d/%m/%Y}, trước thời điểm ký {when.vi}",
            f"the signer's certificate ({name}) expired on "
            f"{signer.not_valid_after_utc:%Y-%m-%d}, before the signing time {when.en}",
        ))
    elif signer.not_valid_before_utc > signed_at:
        problems.append(Msg(
            f"chứng thư số của người ký ({name}) chỉ có hiệu lực từ "
            f"{signer.not_valid_before_utc:%d/%m/%Y}, sau thời điểm ký {when.vi}",
            f"the signer's certificate ({name}) is valid only from "
            f"{signer.not_valid_before_utc:%Y-%m-%d}, after the signing time {when.en}",
        ))
    usage = usage_problem(signer)
    if usage is not None:
        problems.append(usage.suffixed(" (sai mục đích sử dụng khóa)", " (wrong key usage)"))
    if ca_bundle is None:
        problems.append(Msg(
            "chưa rõ có tin cậy người ký không: chưa cho --ca-bundle (chứng thư số CA gốc, ví "
            "dụ CA Chính phủ)",
            "whether the signer is trusted is unknown: no --ca-bundle given (the root CA, "
            "e.g. the Government CA)",
        ))
        return problems
    anchors = load_bundle(ca_bundle)
    if not anchors:
        problems.append(Msg(f"{ca_bundle}: không có chứng thư số nào đọc được",
                            f"{ca_bundle}: holds no readable certificate"))
        return problems
    if problems:  # time or usage already named; the verifier would only repeat them
        return problems
    error = path_error(signer, carried, anchors, signed_at)
    if error is not None:
        problems.append(Msg(
            f"người ký ({name}) không được tin cậy: không dựng được đường dẫn tới CA trong "
            f"{ca_bundle.name} tại thời điểm ký {when.vi} ({error})",
            f"the signer ({name}) is not trusted: no valid path to a CA of {ca_bundle.name} "
            f"at the signing time {when.en} ({error})",
        ))
    return problems


def path_error(
    leaf: x509.Certificate,
    carried: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    when: dt.datetime,
) -> str | None:
    """None when `leaf`, with the certificates `carried`, has a valid path to one of
    `anchors` at `when`; else the verifier's reason. Purposes are judged by the caller."""
    verifier = (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(when)
        .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
        .build_client_verifier()
    )
    try:
        verifier.verify(leaf, [c for c in carried if c != leaf])
    except VerificationError as error:
        return str(error)
    return None
