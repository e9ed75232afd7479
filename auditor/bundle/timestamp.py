"""RFC 3161 time stamps on the bundle's signature.

`bundle create --tsa URL` asks the time-stamping authority for a token over the signature
value (SHA-256, a random nonce, the TSA's certificate requested) by HTTP POST
(`application/timestamp-query`), checks the answer (granted, same imprint, same nonce) and
adds it to the signature as the unsigned attribute signatureTimeStampToken (RFC 3161
appendix A): the signed attributes, and so the signature, are left byte for byte as they were.

`check_token` is the verification side: the token's imprint is the signature's, its own
signature is intact, and its time (genTime) is then the signing time; the TSA's certificate
must lead to the CA bundle at that time with the timeStamping purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import cms, tsp  # type: ignore[import-untyped, unused-ignore]
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from auditor.bundle.errors import SigningError
from auditor.bundle.trust import path_error
from auditor.messages import Msg
from auditor.probes.chaintime import load_bundle

_MAX_REPLY = 1 << 20
_TIMEOUT = 30.0


def _check_url(url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise SigningError(Msg(f"--tsa: {url}: cần một URL http:// hoặc https://",
                               f"--tsa: {url}: an http:// or https:// URL is needed"))


def pdf_timestamper(url: str) -> Any:
    """A pyHanko TimeStamper that asks `url` with the same HTTP client as bundles (pyHanko
    builds the request and checks the answer: status, imprint, nonce)."""
    from pyhanko.sign.timestamps.api import TimeStamper

    _check_url(url)

    class _TimeStamper(TimeStamper):
        async def async_request_tsa_response(self, req: Any) -> Any:
            return tsp.TimeStampResp.load(_post(url, req.dump()))

    return _TimeStamper()  # type: ignore[no-untyped-call]


def add_timestamp(signature: bytes, url: str) -> bytes:
    """`signature` (a DER CMS SignedData with one signer) with a TSA's token added."""
    _check_url(url)
    info = cms.ContentInfo.load(signature)
    signer_info = info["content"]["signer_infos"][0]
    imprint = hashlib.sha256(signer_info["signature"].native).digest()
    nonce = secrets.randbits(63)
    request = tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": imprint},
        "nonce": nonce,
        "cert_req": True,
    })
    token = _token(_post(url, request.dump()), url, imprint, nonce)
    signer_info["unsigned_attrs"] = cms.CMSAttributes(
        [{"type": "signature_time_stamp_token", "values": [token]}]
    )
    return bytes(info.dump(force=False))


def _post(url: str, body: bytes) -> bytes:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, method="POST",
        headers={"Content-Type": "application/timestamp-query"},
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as answer:  # noqa: S310
            data: bytes = answer.read(_MAX_REPLY + 1)
    except (urllib.error.URLError, OSError) as error:
        raise SigningError(Msg(f"--tsa: {url}: không lấy được dấu thời gian ({error})",
                               f"--tsa: {url}: no time stamp obtained ({error})")) from None
    if len(data) > _MAX_REPLY:
        raise SigningError(Msg(f"--tsa: {url}: câu trả lời quá lớn",
                               f"--tsa: {url}: the answer is too large"))
    return data


def _token(reply: bytes, url: str, imprint: bytes, nonce: int) -> Any:
    def refused(vi: str, en: str) -> SigningError:
        return SigningError(Msg(f"--tsa: {url}: {vi}", f"--tsa: {url}: {en}"))

    try:
        response = tsp.TimeStampResp.load(reply, strict=True)
        status = response["status"]["status"].native
        token = response["time_stamp_token"]
        tst = token["content"]["encap_content_info"]["content"].parsed
        granted_imprint = tst["message_imprint"]["hashed_message"].native
        granted_nonce = tst["nonce"].native
    except (ValueError, TypeError, KeyError, AttributeError):
        raise refused("câu trả lời không phải TimeStampResp hợp lệ",
                      "the answer is not a valid TimeStampResp") from None
    if status not in ("granted", "granted_with_mods"):
        raise refused(f"TSA từ chối ({status})", f"the TSA refused ({status})")
    if granted_imprint != imprint or granted_nonce != nonce:
        raise refused("dấu thời gian không phải cho chữ ký này (imprint hoặc nonce khác)",
                      "the time stamp is not for this signature (imprint or nonce differs)")
    return token


@dataclass(frozen=True)
class TokenCheck:
    problems: tuple[Msg, ...]
    time: dt.datetime | None  # genTime, when the token is intact and for this signature


def timestamp_token(signer_info: Any) -> Any | None:
    """The signatureTimeStampToken of a SignerInfo, or None."""
    for attribute in signer_info["unsigned_attrs"] or []:
        if attribute["type"].native == "signature_time_stamp_token":
            return attribute["values"][0]
    return None


def check_token(token: Any, signer_info: Any, ca_bundle: Path | None) -> TokenCheck:
    """The token's time, once it is intact, for this signature, by a trusted TSA."""
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    def bad(vi: str, en: str) -> TokenCheck:
        return TokenCheck((Msg(f"dấu thời gian: {vi}", f"time stamp: {en}"),), None)

    try:
        signed = token["content"]
        content = signed["encap_content_info"]["content"]
        tst = content.parsed
        imprint = tst["message_imprint"]["hashed_message"].native
        algorithm = tst["message_imprint"]["hash_algorithm"]["algorithm"].native
        tsa_info = signed["signer_infos"][0]
        wanted = tsa_info["sid"].chosen
        tsa_asn1 = next(c.chosen for c in signed["certificates"] or []
                        if c.name == "certificate" and c.chosen.issuer == wanted["issuer"]
                        and c.chosen.serial_number == wanted["serial_number"].native)
        carried = [x509.load_der_x509_certificate(c.chosen.dump())
                   for c in signed["certificates"] or [] if c.name == "certificate"]
        digest = hashlib.new(tsa_info["digest_algorithm"]["algorithm"].native,
                             content.contents).digest()
        intact, valid = validate_sig_integrity(tsa_info, tsa_asn1, "tst_info", digest)
        gen_time = tst["gen_time"].native.astimezone(dt.UTC)
    except (ValueError, TypeError, KeyError, AttributeError, StopIteration) as error:
        return bad(f"không đọc được ({error})", f"cannot be read ({error})")
    if algorithm != "sha256" or imprint != hashlib.sha256(
        signer_info["signature"].native
    ).digest():
        return bad("không phải cho chữ ký này", "not for this signature")
    if not (intact and valid):
        return bad("chữ ký của TSA không hợp lệ", "the TSA's signature is not valid")
    tsa = x509.load_der_x509_certificate(tsa_asn1.dump())
    return TokenCheck(_tsa_trust(tsa, carried, ca_bundle, gen_time), gen_time)


def _tsa_trust(tsa: x509.Certificate, carried: list[x509.Certificate],
               ca_bundle: Path | None, when: dt.datetime) -> tuple[Msg, ...]:
    name = tsa.subject.rfc4514_string()
    try:
        purposes = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        purposes = x509.ExtendedKeyUsage([])
    if ExtendedKeyUsageOID.TIME_STAMPING not in purposes:
        return (Msg(f"dấu thời gian: chứng thư số của TSA ({name}) không có mục đích "
                    "timeStamping",
                    f"time stamp: the TSA's certificate ({name}) lacks the timeStamping "
                    "purpose"),)
    anchors = load_bundle(ca_bundle) if ca_bundle is not None else ()
    if not anchors:
        return ()  # trust unknown is already named for the signer
    error = path_error(tsa, carried, anchors, when)
    if error is not None:
        return (Msg(f"dấu thời gian: TSA ({name}) không được tin cậy ({error})",
                    f"time stamp: the TSA ({name}) is not trusted ({error})"),)
    return ()
