"""The annual report PDF signed as PAdES (pyHanko), and its verification.

Signing adds one incremental update to the PDF: a signature field whose visible appearance
sits in the blank under Form 08's signer block (`signer_box`), a CMS signature (SHA-256,
PAdES baseline: subfilter ETSI.CAdES.detached) by the signer's certificate with the chain
given. The page the report printed is left as it was, so the PDF verifies in ordinary PDF
readers (and in poppler's `pdfsig`).

Verification (`verify_pdf`): exactly the signatures the file holds, each intact (its digest
and signature), covering the whole file (nothing appended after it), and made by a signer
trusted at its signing time with a signing key usage (`trust.trust_problems`, as for bundles).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auditor.bundle.credentials import Signer
from auditor.bundle.errors import SigningError
from auditor.bundle.signer_box import find_signer_box
from auditor.bundle.timestamp import check_token, pdf_timestamper, timestamp_token
from auditor.bundle.trust import trust_problems
from auditor.messages import Msg

FIELD = "ChuKyNguoiKy"  # "the signer's signature"
_MAX_PDF = 512 << 20


def _ascii(text: str) -> str:
    """The stamp's text in the PDF standard fonts (no font embedding without fontTools):
    Vietnamese without its diacritics (đ → d), the full name stays in the certificate."""
    folded = text.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


def sign_pdf(pdf: Path, signer: Signer, *, tsa: str | None = None) -> bytes:
    """The signed PDF's bytes (the caller writes them atomically); with `tsa`, an RFC 3161
    time stamp from that authority over the signature (PAdES B-T)."""
    from asn1crypto import keys  # type: ignore[import-untyped, unused-ignore]
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped, unused-ignore]
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    place = find_signer_box(pdf)
    data = pdf.read_bytes()

    def asn1(certificate: x509.Certificate) -> Any:
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    key = keys.PrivateKeyInfo.load(signer.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    simple = signers.SimpleSigner(
        signing_cert=asn1(signer.certificate), signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1(c) for c in signer.chain]
        ),
    )
    common = signer.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    name = str(common[0].value) if common else signer.certificate.subject.rfc4514_string()
    style = TextStampStyle(
        stamp_text="Da ky so / Digitally signed\n%(name)s\n%(ts)s", border_width=1,
    )
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            name=name,
        ),
        signer=simple,
        stamp_style=style,
        timestamper=pdf_timestamper(tsa) if tsa is not None else None,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD, on_page=place.page,
                                           box=place.box),
    )
    out = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if writer.prev.embedded_signatures:
            # Form 08 has one signer line; a second signature would hide the first one's
            # verdict behind "which signature?" (verify_pdf wants exactly one).
            raise SigningError(Msg(f"{pdf}: PDF đã được ký", f"{pdf}: the PDF is already signed"))
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params={"name": _ascii(name)})
    except (PdfError, ValueError, KeyError) as error:
        raise SigningError(Msg(f"{pdf}: không ký được PDF ({error})",
                               f"{pdf}: cannot sign the PDF ({error})")) from None
    return out.getvalue()


@dataclass(frozen=True)
class PdfVerification:
    path: Path
    problems: tuple[Msg, ...]
    signer: str | None
    signed_at: dt.datetime | None
    malformed: bool = False

    def ok(self) -> bool:
        return not self.problems


def verify_pdf(pdf: Path, *, ca_bundle: Path | None) -> PdfVerification:
    """Check the PDF's signature (module docstring); never raises on a bad PDF."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        size = pdf.stat().st_size
        if size > _MAX_PDF:
            return PdfVerification(pdf, (Msg("tệp PDF quá lớn", "the PDF is too large"),),
                                   None, None, malformed=True)
        reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        return PdfVerification(pdf, (Msg(f"không đọc được PDF ({error})",
                                         f"cannot read the PDF ({error})"),),
                               None, None, malformed=True)
    if len(signatures) != 1:
        return PdfVerification(pdf, (Msg(
            f"cần đúng một chữ ký trong PDF, có {len(signatures)}",
            f"exactly one signature expected in the PDF, found {len(signatures)}",
        ),), None, None)
    return _verify_one(pdf, signatures[0], ca_bundle)


def _verify_one(pdf: Path, embedded: Any, ca_bundle: Path | None) -> PdfVerification:
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    problems: list[Msg] = []
    signer = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    carried = [x509.load_der_x509_certificate(c.chosen.dump())
               for c in embedded.signed_data["certificates"] or []
               if c.name == "certificate"]
    signed_at = embedded.self_reported_timestamp
    # Integrity and coverage only (pyHanko's full validation would also build a path with
    # its own rules and log each failure): trust is judged below, as for bundles.
    try:
        embedded.compute_integrity_info()
        coverage = embedded.coverage
        intact, valid = validate_sig_integrity(
            embedded.signer_info, embedded.signer_cert, "data", embedded.compute_digest()
        )
    except (SignatureValidationError, ValueError, KeyError) as error:
        intact = valid = False
        coverage = None
        problems.append(Msg(f"chữ ký không kiểm tra được ({error})",
                            f"the signature cannot be checked ({error})"))
    if not (intact and valid):
        problems.append(Msg(
            "chữ ký không hợp lệ: nội dung đã ký của PDF đã bị sửa",
            "bad signature: the signed content of the PDF was altered",
        ))
    elif coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(Msg(
            "chữ ký không bao trùm toàn bộ tệp: có nội dung được thêm sau khi ký",
            "the signature does not cover the whole file: content was added after signing",
        ))
    token = timestamp_token(embedded.signer_info)
    if token is not None and intact and valid:
        stamped = check_token(token, embedded.signer_info, ca_bundle)
        problems.extend(stamped.problems)
        signed_at = stamped.time or signed_at
    if signed_at is None:
        problems.append(Msg("chữ ký không có thời điểm ký", "the signature has no signing time"))
    else:
        signed_at = signed_at.astimezone(dt.UTC)
        problems.extend(trust_problems(signer, carried, ca_bundle, signed_at))
    return PdfVerification(pdf, tuple(problems), signer.subject.rfc4514_string(), signed_at)
