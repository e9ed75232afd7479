"""Verifying a bundle: the API the national roll-up reads bundles through.

    result = verify_bundle(path, ca_bundle=Path("gov-ca.pem"))
    if result.ok():
        annual = json.loads(result.member("annual.json"))

`verify_bundle` never raises on a bad bundle: every failure is one bilingual message in
`problems` (tampered, missing or unlisted member, bad signature, signer expired or not yet
valid at signing time, untrusted issuer, wrong key usage, trust unknown without a CA bundle,
signed after `as_of`, revoked before it signed when revocation sources are given: see
`signer_revocation`). A file that is not a well-formed bundle at all (not a ZIP, unsafe member
names, a zip bomb, no or malformed manifest) has `malformed` set; the CLI exits 2 for it, 1 for
any other problem, 0 only when there is none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.bundle.cms import check_detached
from auditor.bundle.manifest import (
    MANIFEST,
    SIGNATURE,
    ManifestError,
    Member,
    parse_manifest,
)
from auditor.bundle.signer_revocation import (
    NOT_CHECKED,
    RevocationSources,
    SignerRevocation,
    judge_signer,
)
from auditor.bundle.timestamp import check_token, timestamp_token
from auditor.bundle.trust import trust_problems
from auditor.bundle.zipread import BundleFormatError, read_members
from auditor.messages import Msg, os_error
from auditor.probes.chaintime import load_bundle


class MemberNotVerifiedError(KeyError):
    """`member()` of a bundle that did not verify, or of a member it does not hold."""


@dataclass(frozen=True)
class BundleVerification:
    path: Path
    problems: tuple[Msg, ...]  # empty when everything holds
    signer: str | None  # the signer certificate's subject, as RFC 4514
    signed_at: dt.datetime | None  # the time stamp's genTime if any, else signingTime
    manifest: Mapping[str, Any] | None  # the parsed manifest.json
    malformed: bool = False  # not a well-formed bundle at all (exit 2 on the command line)
    revocation: SignerRevocation = NOT_CHECKED  # the signer's certificate (signer_revocation)
    _members: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def ok(self) -> bool:
        return not self.problems

    def member(self, name: str) -> bytes:
        """A verified member's bytes; MemberNotVerifiedError if the bundle did not verify or
        holds no such member."""
        if not self.ok():
            raise MemberNotVerifiedError(f"{self.path}: the bundle did not verify")
        if name not in self._members:
            raise MemberNotVerifiedError(f"{self.path}: no member {name}")
        return self._members[name]

    def names(self) -> tuple[str, ...]:
        """The verified members' names, in manifest order (empty unless ok())."""
        return tuple(self._members) if self.ok() else ()


def _malformed(path: Path, text: Msg, manifest: Mapping[str, Any] | None = None,
               ) -> BundleVerification:
    return BundleVerification(path, (text,), None, None, manifest, malformed=True)


def verify_bundle(
    path: Path, *, ca_bundle: Path | None, as_of: dt.datetime | None = None,
    revocation: RevocationSources | None = None,
) -> BundleVerification:
    """Check everything the module docstring lists; `as_of`, when given, is the moment of
    the verification: a bundle signed after it did not exist yet, and the CRL or OCSP answer
    must be current then (else now)."""
    try:
        members = read_members(path)
    except BundleFormatError as error:
        return _malformed(path, error.text)
    except OSError as error:
        return _malformed(path, os_error(error))
    manifest_data = members.pop(MANIFEST, None)
    signature = members.pop(SIGNATURE, None)
    if manifest_data is None or signature is None:
        missing = MANIFEST if manifest_data is None else SIGNATURE
        return _malformed(path, Msg(f"thiếu {missing}", f"{missing} is missing"))
    try:
        document, listed = parse_manifest(manifest_data)
    except ManifestError as error:
        return _malformed(path, error.text)

    problems: list[Msg] = []
    check = check_detached(signature, manifest_data)
    if check.problem is not None:
        problems.append(check.problem)
    signed_at = check.signed_at
    token = timestamp_token(check.signer_info) if check.signer_info is not None else None
    time_stamped = False
    if token is not None:
        stamped = check_token(token, check.signer_info, ca_bundle)
        problems.extend(stamped.problems)
        signed_at = stamped.time or signed_at
        time_stamped = stamped.time is not None and not stamped.problems
    revoked = NOT_CHECKED
    if check.signer is not None and signed_at is not None:
        problems.extend(trust_problems(check.signer, check.certificates, ca_bundle, signed_at))
        if revocation is not None and revocation.given():
            anchors = load_bundle(ca_bundle) if ca_bundle is not None else ()
            revoked = judge_signer(
                check.signer, (*check.certificates, *anchors), signed_at,
                time_stamped=time_stamped, sources=revocation,
                at=as_of or dt.datetime.now(dt.UTC))
            problems.extend(revoked.problems)
    if as_of is not None and signed_at is not None and signed_at > as_of:
        problems.append(Msg(
            f"gói được ký lúc {signed_at:%d/%m/%Y %H:%M} UTC, sau thời điểm --as-of",
            f"the bundle was signed at {signed_at:%Y-%m-%d %H:%M} UTC, after --as-of",
        ))
    problems.extend(_member_problems(listed, members))
    verified = {m.name: members[m.name] for m in listed} if not problems else {}
    return BundleVerification(
        path,
        tuple(problems),
        check.signer.subject.rfc4514_string() if check.signer is not None else None,
        signed_at,
        document,
        revocation=revoked,
        _members=verified,
    )


def _member_problems(listed: Sequence[Member], members: Mapping[str, bytes]) -> list[Msg]:
    problems: list[Msg] = []
    names = {m.name for m in listed}
    for member in listed:
        data = members.get(member.name)
        if data is None:
            problems.append(Msg(f"thiếu thành phần {member.name} (có trong manifest.json)",
                                f"member {member.name} is missing (listed in manifest.json)"))
        elif len(data) != member.size or hashlib.sha256(data).hexdigest() != member.sha256:
            problems.append(Msg(
                f"thành phần {member.name} đã bị sửa: SHA-256 hoặc kích thước khác với "
                "manifest.json",
                f"member {member.name} was tampered with: its SHA-256 or size differs from "
                "manifest.json",
            ))
    problems.extend(
        Msg(f"thành phần {name} không có trong manifest.json",
            f"member {name} is not listed in manifest.json")
        for name in sorted(set(members) - names)
    )
    return problems
