"""Was the signer's certificate revoked, and if so, before or after it signed?

The sources are the ones the user gives: CRL files (`--crl`, e.g. the Government CA's
published CRL) and, with `--revocation`, the OCSP responder and the CRL distribution points
the signer's certificate names (the same services and limits as the TLS probe's option,
`auditor.probes.revocation_fetch`). Each answer is judged at the moment of the verification
(now, or `--as-of`): a CRL or OCSP answer is evidence only when its issuer's signature
verifies and it is current then (`auditor.probes.crl` / `ocsp`).

The verdict compares the revocation date with the signing time:

- revoked at or before the signing time: a failure ("revoked on …, before it signed");
- revoked after it, with a time stamp: the signature stands (a note with the date and reason):
  a certificate revoked later does not undo what it validly signed before, and the TSA's time
  shows when that was;
- revoked after it without a time stamp: a failure too. The signing time is then the signer's
  own claim, written by whoever holds the key; a certificate is revoked mostly because its key
  was compromised, and the holder of a compromised key can write any earlier time;
- no usable answer from a source that was given (a CRL of the signer's issuer that is stale,
  not yet issued or badly signed; no --crl file from the signer's issuer at all; a responder
  that cannot be reached or does not know the certificate): a failure naming the source, as
  the TLS side marks such a CRL file an error of the certificate's revocation: revocation
  asked for and not established is not a pass. As there, a CRL applies when it names the
  certificate's issuer: other CAs' CRLs (the ministry may give one per CA) are listed as not
  used;
- no source given: "revocation not checked", said explicitly; it is no failure (what a
  verification checks otherwise stays as it was).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.x509 import ocsp

from auditor.errors import AuditorError
from auditor.messages import Msg
from auditor.probe_reasons import reason_in
from auditor.probes.certfile import _FileError, _read_bounded
from auditor.probes.crl import LoadedCrl, judge_crl, load_crl
from auditor.probes.ocsp import (
    RESPONDER_NOT_VALID_THEN,
    CertStatus,
    OcspAnswer,
    Unusable,
    find_issuer,
    judge_response,
)
from auditor.probes.revocation_fetch import (
    Fetched,
    ask_responder,
    crl_urls,
    download_crl,
    ocsp_urls,
)

ONLINE_TIMEOUT = 10.0  # seconds per request, as the TLS probe's --revocation default


@dataclass(frozen=True)
class RevocationSources:
    """What the user gave: CRLs already read (`--crl`) and whether to ask online."""

    crls: tuple[LoadedCrl, ...] = ()
    online: bool = False

    def given(self) -> bool:
        return bool(self.crls) or self.online


@dataclass(frozen=True)
class SignerRevocation:
    """The revocation judgement of one signer's certificate."""

    status: str  # "good" | "revoked" | "revoked_after" | "unknown" | "not_checked"
    note: Msg  # what was found, in words (printed whatever the status)
    problems: tuple[Msg, ...] = ()  # failures to add to the verification's problems
    sources: tuple[str, ...] = ()  # the sources whose answer was used ("crl:FILE", "ocsp:URL")
    revoked_at: dt.datetime | None = None
    reason: str | None = None
    unused: tuple[str, ...] = ()  # --crl files not from the signer's issuer (not used)

    @property
    def checked(self) -> bool:
        return self.status in ("good", "revoked", "revoked_after")

    def as_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "status": self.status,
            "sources": list(self.sources),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "reason": self.reason,
            "crl_files_unused": list(self.unused),
            "note": {"vi": self.note.vi, "en": self.note.en},
        }


NOT_CHECKED = SignerRevocation(
    "not_checked",
    Msg("chưa kiểm tra thu hồi chứng thư số của người ký (không có --crl hoặc --revocation)",
        "revocation not checked: the signer's certificate was not checked against a CRL or "
        "OCSP (no --crl or --revocation)"),
)


@dataclass
class _Found:
    """The answers gathered so far, and why the others are no evidence."""

    good: list[str] = field(default_factory=list)
    revoked: list[tuple[str, dt.datetime, str | None]] = field(default_factory=list)
    problems: list[Msg] = field(default_factory=list)


def _day(moment: dt.datetime) -> Msg:
    moment = moment.astimezone(dt.UTC)
    return Msg(f"{moment:%d/%m/%Y %H:%M:%S} UTC", f"{moment:%Y-%m-%d %H:%M:%S} UTC")


def _unusable_why(answer: OcspAnswer, at: dt.datetime) -> Msg:
    """Why a CRL or OCSP answer is no evidence, worded for a signature: the instant it is
    judged at is the verification's (now or --as-of), not an audit's as the TLS side's
    reasons say. The dates come from the structured answer; the other reasons are the
    probe's, translated as the TLS tables do."""
    then = _day(at)
    if answer.unusable is Unusable.STALE and answer.next_update is not None:
        stale = _day(answer.next_update)
        return Msg(f"đã cũ: nextUpdate {stale.vi} trước thời điểm xác minh {then.vi}",
                   f"stale: its nextUpdate {stale.en} is before the verification instant "
                   f"{then.en}")
    if answer.unusable is Unusable.NOT_YET and answer.this_update is not None:
        issued = _day(answer.this_update)
        return Msg(f"phát hành lúc {issued.vi}, sau thời điểm xác minh {then.vi}: khi đó "
                   f"chưa tồn tại",
                   f"issued {issued.en}, after the verification instant {then.en}: it did not "
                   f"exist yet")
    if answer.problem == RESPONDER_NOT_VALID_THEN:
        return Msg("chứng thư của máy chủ OCSP không hợp lệ tại thời điểm xác minh",
                   "the responder's certificate is not valid at the verification instant")
    if answer.problem:
        return Msg(reason_in(answer.problem, "vi"), answer.problem)
    return Msg("không dùng được làm bằng chứng", "not usable as evidence")


def _no_evidence(where: str, why: str | Msg) -> Msg:
    """`why` is a Msg, or a probe's English reason (translated as the TLS tables do)."""
    reason = why if isinstance(why, Msg) else Msg(reason_in(why, "vi"), why)
    return Msg(f"không xác định được tình trạng thu hồi chứng thư số của người ký từ {where}: "
               f"{reason.vi}",
               f"the revocation of the signer's certificate cannot be established from "
               f"{where}: {reason.en}")


def judge_signer(
    signer: x509.Certificate,
    candidates: Sequence[x509.Certificate],
    signed_at: dt.datetime,
    *,
    time_stamped: bool,
    sources: RevocationSources,
    at: dt.datetime,
) -> SignerRevocation:
    """The revocation of `signer`, whose issuer is among `candidates` (the certificates the
    signature carries, then the CA bundle), judged at `at` against the signing time."""
    if not sources.given():
        return NOT_CHECKED
    issuer = find_issuer(signer, candidates)
    if issuer is None:
        why = Msg("không có chứng thư số của tổ chức cấp (trong chữ ký hoặc --ca-bundle) để "
                  "kiểm tra CRL/OCSP",
                  "the issuer's certificate is not in hand (in the signature or --ca-bundle) "
                  "to verify a CRL or OCSP answer")
        return SignerRevocation("unknown", why, (why.prefixed(
            "chưa kiểm tra được thu hồi: ", "revocation not checked: "),))
    found = _Found()
    # As for the TLS side's crl_files: a CRL applies when it names the certificate's issuer;
    # the others (another CA's, given for other signers) are listed as not used.
    applicable = [c for c in sources.crls if c.crl is not None and c.crl.issuer == signer.issuer]
    unused = tuple(c.where for c in sources.crls if all(c is not a for a in applicable))
    for loaded in applicable:
        _judge_crl(loaded, f"--crl {loaded.where}", signer, issuer, at, found)
    if sources.crls and not applicable:
        wanted, files = signer.issuer.rfc4514_string(), ", ".join(unused)
        found.problems.append(Msg(
            f"không có tệp --crl nào của tổ chức cấp chứng thư số của người ký ({wanted}): "
            f"{files}",
            f"no --crl file is from the signer's issuer ({wanted}): {files}"))
    if sources.online:
        _ask_online(signer, issuer, at, found)
    return replace(_verdict(found, signed_at, time_stamped=time_stamped), unused=unused)


def _judge_crl(loaded: LoadedCrl, where: str, signer: x509.Certificate,
               issuer: x509.Certificate, at: dt.datetime, found: _Found) -> bool:
    """Add what the CRL says of `signer`; True when it was evidence."""
    if loaded.crl is None:
        found.problems.append(_no_evidence(where, loaded.error or Msg("không đọc được",
                                                                      "not read")))
        return False
    if loaded.crl.issuer != signer.issuer:
        by, wanted = loaded.crl.issuer.rfc4514_string(), signer.issuer.rfc4514_string()
        found.problems.append(_no_evidence(where, Msg(
            f"CRL do {by} phát hành, không phải tổ chức cấp chứng thư số của người ký ({wanted})",
            f"the CRL was issued by {by}, not by the signer's issuer ({wanted})")))
        return False
    answer = judge_crl(loaded.crl, signer, issuer, at)
    reason = None
    if answer.status is CertStatus.REVOKED:
        entry = loaded.crl.get_revoked_certificate_by_serial_number(signer.serial_number)
        reason = _crl_reason(entry) if entry is not None else None
    return _add(answer, where, reason, at, found)


def _crl_reason(entry: x509.RevokedCertificate) -> str | None:
    try:
        return str(entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.value)
    except (x509.ExtensionNotFound, ValueError):
        return None


def _add(answer: OcspAnswer, where: str, reason: str | None, at: dt.datetime,
         found: _Found) -> bool:
    if answer.status is CertStatus.GOOD:
        found.good.append(where)
        return True
    if answer.status is CertStatus.REVOKED and answer.revoked_at is not None:
        found.revoked.append((where, answer.revoked_at, reason))
        return True
    if answer.status is CertStatus.UNKNOWN:
        found.problems.append(_no_evidence(where, Msg(
            "máy chủ OCSP không biết chứng thư số này (trạng thái unknown)",
            "the responder does not know the certificate (status unknown)")))
        return False
    found.problems.append(_no_evidence(where, _unusable_why(answer, at)))
    return False


def _ask_online(signer: x509.Certificate, issuer: x509.Certificate, at: dt.datetime,
                found: _Found) -> None:
    """The certificate's OCSP responders first, then its CRL distribution points, until one
    gives evidence; the failures are kept only when none did."""
    tried = _Found()
    for base in ocsp_urls(signer):
        fetched = ask_responder(base, signer, issuer, timeout=ONLINE_TIMEOUT)
        where = f"OCSP {base}"
        if fetched.body is None:
            tried.problems.append(_no_evidence(where, _not_fetched(fetched)))
        elif _add(judge_response(fetched.body, signer, issuer, at), where,
                  _ocsp_reason(fetched.body, signer), at, tried):
            break
    else:
        for url in crl_urls(signer):
            fetched = download_crl(url, timeout=ONLINE_TIMEOUT)
            if fetched.body is None:
                tried.problems.append(_no_evidence(f"CRL {url}", _not_fetched(fetched)))
            elif _judge_crl(load_crl(fetched.body, url), f"CRL {url}", signer, issuer, at,
                            tried):
                break
    found.good.extend(tried.good)
    found.revoked.extend(tried.revoked)
    if tried.good or tried.revoked:
        return  # one service answered: the others' failures do not matter
    if not tried.problems:
        tried.problems.append(Msg(
            "--revocation: chứng thư số của người ký không nêu máy chủ OCSP hay điểm phân "
            "phối CRL nào",
            "--revocation: the signer's certificate names no OCSP responder and no CRL "
            "distribution point"))
    found.problems.extend(tried.problems)


def _not_fetched(fetched: Fetched) -> Msg | str:
    """Why a service gave nothing: an HTTP status worded here (the probe's sentence puts the
    URL first, where its phrase table cannot find the words), other reasons as it gives them."""
    if fetched.http_status is not None:
        return Msg(f"{fetched.url} trả lời HTTP {fetched.http_status}",
                   f"{fetched.url} answered HTTP {fetched.http_status}")
    return fetched.error or Msg("không có trả lời", "no answer")


def _ocsp_reason(der: bytes, signer: x509.Certificate) -> str | None:
    try:
        response = ocsp.load_der_ocsp_response(der)
        for single in response.responses:
            if single.serial_number == signer.serial_number and single.revocation_reason:
                return str(single.revocation_reason.value)
    except ValueError:
        return None
    return None


def _verdict(found: _Found, signed_at: dt.datetime, *, time_stamped: bool) -> SignerRevocation:
    problems = list(found.problems)
    if found.revoked:
        where, revoked_at, reason = min(found.revoked, key=lambda r: r[1])
        when, signed = _day(revoked_at), _day(signed_at)
        why = f" ({reason})" if reason else ""
        if revoked_at <= signed_at:
            failure = Msg(
                f"chứng thư số của người ký đã bị thu hồi ngày {when.vi}{why}, trước khi ký "
                f"({signed.vi}; theo {where})",
                f"the signer's certificate was revoked on {when.en}{why}, before it signed "
                f"({signed.en}; per {where})")
            return SignerRevocation("revoked", failure, (failure, *problems), (where,),
                                    revoked_at, reason)
        if not time_stamped:
            failure = Msg(
                f"chứng thư số của người ký đã bị thu hồi ngày {when.vi}{why}; thời điểm ký "
                f"{signed.vi} chỉ là lời khai của người ký (không có dấu thời gian) nên không "
                f"chứng minh được đã ký trước đó (theo {where})",
                f"the signer's certificate was revoked on {when.en}{why}; the signing time "
                f"{signed.en} is the signer's own claim (no time stamp), so it does not show "
                f"it signed before (per {where})")
            return SignerRevocation("revoked", failure, (failure, *problems), (where,),
                                    revoked_at, reason)
        note = Msg(
            f"chứng thư số của người ký bị thu hồi ngày {when.vi}{why}, sau thời điểm ký "
            f"{signed.vi} có dấu thời gian: chữ ký vẫn có giá trị (theo {where})",
            f"the signer's certificate was revoked on {when.en}{why}, after the time-stamped "
            f"signing time {signed.en}: the signature stands (per {where})")
        return SignerRevocation("revoked_after", note, tuple(problems), (where,),
                                revoked_at, reason)
    if found.good and not problems:
        used = ", ".join(found.good)
        return SignerRevocation(
            "good",
            Msg(f"đã kiểm tra thu hồi: chứng thư số của người ký chưa bị thu hồi ({used})",
                f"revocation checked: the signer's certificate is not revoked ({used})"),
            (), tuple(found.good))
    note = Msg("chưa xác định được tình trạng thu hồi chứng thư số của người ký",
               "the revocation of the signer's certificate could not be established")
    return SignerRevocation("unknown", note, tuple(problems), tuple(found.good))


MAX_CRL_FILE_BYTES = 16 * 1024 * 1024  # as the inventory's crl_files


def read_crl_files(paths: Sequence[str]) -> tuple[LoadedCrl, ...]:
    """The `--crl` files, read; one that cannot be read or is no CRL is bad input (exit 2,
    naming the file), before anything is verified."""
    loaded: list[LoadedCrl] = []
    for name in paths:
        try:
            data = _read_bounded(Path(name), MAX_CRL_FILE_BYTES)
        except _FileError as failure:
            raise AuditorError(Msg(f"--crl {name}: không đọc được ({failure.reason})",
                                   f"--crl {name}: cannot be read ({failure.reason})")) from None
        crl = load_crl(data, name)
        if crl.crl is None:
            raise AuditorError(Msg(f"--crl {name}: không phải CRL (DER hoặc PEM): {crl.error}",
                                   f"--crl {name}: {crl.error}"))
        loaded.append(crl)
    return tuple(loaded)
