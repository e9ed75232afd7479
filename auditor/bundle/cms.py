"""The detached CMS (PKCS#7) signature over a bundle's manifest: made with `cryptography`'s
PKCS7SignatureBuilder (SHA-256, DER, detached, with the signing-time attribute, the signer's
certificate and the chain given), read back with asn1crypto and checked with pyHanko's
signature-integrity check (message digest and signature over the signed attributes).

`openssl cms -verify -binary -inform DER -content manifest.json -CAfile root.pem` verifies
what `sign_detached` makes (tests/e2e/test_cli_bundle.py runs it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms  # type: ignore[import-untyped, unused-ignore]
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped, unused-ignore]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from auditor.bundle.credentials import Signer
from auditor.messages import Msg

_DIGESTS = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


def sign_detached(data: bytes, signer: Signer) -> bytes:
    """A detached CMS SignedData (DER) over `data`."""
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(signer.certificate, signer.key, hashes.SHA256())
    )
    for certificate in signer.chain:
        builder = builder.add_certificate(certificate)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


@dataclass(frozen=True)
class CmsCheck:
    """What the signature says: `problem` None when it is intact and made by `signer`."""

    problem: Msg | None
    signer: x509.Certificate | None
    certificates: tuple[x509.Certificate, ...]  # every certificate the signature carries
    signed_at: dt.datetime | None
    signer_info: Any = None  # asn1crypto SignerInfo, for its unsigned attributes


def _bad(vi: str, en: str) -> CmsCheck:
    return CmsCheck(Msg(vi, en), None, (), None)


def check_detached(signature: bytes, data: bytes) -> CmsCheck:
    """Check the detached signature `signature` over `data`; never raises on bad input."""
    try:
        return _check(signature, data)
    except (ValueError, TypeError, KeyError) as error:
        return _bad(f"chữ ký không đọc được ({error})", f"the signature cannot be read ({error})")


def _check(signature: bytes, data: bytes) -> CmsCheck:
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    info = cms.ContentInfo.load(signature, strict=True)
    if info["content_type"].native != "signed_data":
        return _bad("không phải CMS SignedData", "not a CMS SignedData")
    signed = info["content"]
    if signed["encap_content_info"]["content"].native is not None:
        return _bad("chữ ký không phải dạng tách rời", "the signature is not detached")
    signer_infos = signed["signer_infos"]
    if len(signer_infos) != 1:
        return _bad(f"cần đúng một người ký, có {len(signer_infos)}",
                    f"exactly one signer expected, found {len(signer_infos)}")
    signer_info = signer_infos[0]
    carried = [c.chosen for c in signed["certificates"] or []
               if isinstance(c.chosen, asn1_x509.Certificate)]
    sid = signer_info["sid"]
    if sid.name != "issuer_and_serial_number":
        return _bad("người ký không được nhận diện bằng issuer và serial",
                    "the signer is not identified by issuer and serial number")
    wanted = sid.chosen
    asn1_signer = next((c for c in carried if c.issuer == wanted["issuer"]
                        and c.serial_number == wanted["serial_number"].native), None)
    certificates = tuple(x509.load_der_x509_certificate(c.dump()) for c in carried)
    if asn1_signer is None:
        return CmsCheck(Msg("chữ ký không mang chứng thư số của người ký",
                            "the signature does not carry the signer's certificate"),
                        None, certificates, None)
    signer = x509.load_der_x509_certificate(asn1_signer.dump())
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    digest = _DIGESTS.get(algorithm)
    if digest is None:
        return CmsCheck(Msg(f"thuật toán băm {algorithm} không được chấp nhận",
                            f"digest algorithm {algorithm} not accepted"),
                        signer, certificates, None)
    signed_at = _signing_time(signer_info)
    intact, valid = validate_sig_integrity(signer_info, asn1_signer, "data", digest(data).digest())
    if not (intact and valid):
        return CmsCheck(Msg(
            "chữ ký không hợp lệ: manifest.json đã bị sửa hoặc chữ ký không do khóa của chứng "
            "thư số này tạo ra",
            "bad signature: manifest.json was altered or was not signed by this "
            "certificate's key",
        ), signer, certificates, signed_at)
    if signed_at is None:
        return CmsCheck(Msg("chữ ký không có thời điểm ký (signingTime)",
                            "the signature holds no signing time (signingTime)"),
                        signer, certificates, None)
    return CmsCheck(None, signer, certificates, signed_at, signer_info)


def _signing_time(signer_info: cms.SignerInfo) -> dt.datetime | None:
    for attribute in signer_info["signed_attrs"] or []:
        if attribute["type"].native == "signing_time":
            value = attribute["values"][0].native
            if isinstance(value, dt.datetime):
                return value.astimezone(dt.UTC)
    return None
