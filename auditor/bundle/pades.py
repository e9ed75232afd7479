"""The annual report PDF signed as PAdES (pyHanko), and its verification.

Signing adds one incremental update to the PDF: a signature field whose visible appearance
sits in the blank under Form 08's signer block (`signer_box`), a CMS signature (SHA-256,
PAdES baseline: subfilter ETSI.CAdES.detached) by the signer's certificate with the chain
given. The page the report printed is left as it was, so the PDF verifies in ordinary PDF
readers (and in poppler's `pdfsig`). The widget's appearance is a page printed by Chromium
(`stamp`, `report.signature_stamp`): who signed, the organisation and the signing time, in
Vietnamese with its diacritics (or in English).

Verification (`verify_pdf`): exactly the signatures the file holds, each intact (its digest
and signature), covering the whole file (nothing appended after it), and made by a signer
trusted at its signing time with a signing key usage (`trust.trust_problems`, as for bundles);
with revocation sources, not revoked before it signed (`signer_revocation`, as for bundles).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auditor.bundle.credentials import Signer
from auditor.bundle.errors import SigningError
from auditor.bundle.signer_box import find_signer_box
from auditor.bundle.signer_revocation import (
    NOT_CHECKED,
    RevocationSources,
    SignerRevocation,
    judge_signer,
)
from auditor.bundle.timestamp import check_token, pdf_timestamper, timestamp_token
from auditor.bundle.trust import trust_problems
from auditor.messages import Msg
from auditor.probes.chaintime import load_bundle

FIELD = "ChuKyNguoiKy"  # "the signer's signature"
_MAX_PDF = 512 << 20


def sign_pdf(
    pdf: Path, signer: Signer, *, tsa: str | None = None, lang: str = "vi",
    signer_name: str | None = None, browser: Path | None = None,
) -> bytes:
    """The signed PDF's bytes (the caller writes them atomically); with `tsa`, an RFC 3161
    time stamp from that authority over the signature (PAdES B-T).

    The visible signature says who signed (`stamp.stamp_name`: the certificate's name, or
    `signer_name`), the organisation and the signing time, in `lang`, printed by Chromium
    (`browser`, else found as for the annual report's PDF) so that Vietnamese keeps its
    diacritics. The time it shows is the signature's own signing time (the CMS signingTime
    and the signature's /M), fixed before the stamp is printed."""
    from asn1crypto import keys  # type: ignore[import-untyped, unused-ignore]
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped, unused-ignore]
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    # Imported here: `report verify` needs neither Jinja2 nor the browser.
    from auditor.bundle.stamp import certificate_name, organisation, stamp_name, visible_stamp
    from auditor.report.signature_stamp import VIETNAM

    place = find_signer_box(pdf)
    data = pdf.read_bytes()
    shown = stamp_name(signer.certificate, signer_name)

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
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        already = bool(writer.prev.embedded_signatures)
    except (PdfError, ValueError, KeyError) as error:
        raise _cannot_sign(pdf, error) from None
    if already:
        # Form 08 has one signer line; a second signature would hide the first one's
        # verdict behind "which signature?" (verify_pdf wants exactly one).
        raise SigningError(Msg(f"{pdf}: PDF đã được ký", f"{pdf}: the PDF is already signed"))
    # Whole seconds: the CMS signingTime keeps no more, and the stamp must show that time.
    moment = dt.datetime.now(VIETNAM).replace(microsecond=0)
    out = io.BytesIO()
    with visible_stamp(place.box, shown, organisation(signer.certificate), moment, lang,
                       browser=browser) as style:
        pdf_signer = _signer_at(moment)(
            signers.PdfSignatureMetadata(
                field_name=FIELD, md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                name=certificate_name(signer.certificate),
            ),
            signer=simple,
            stamp_style=style,
            timestamper=pdf_timestamper(tsa) if tsa is not None else None,
            new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD, on_page=place.page,
                                               box=place.box),
        )
        try:
            pdf_signer.sign_pdf(writer, output=out)
        except (PdfError, ValueError, KeyError) as error:
            raise _cannot_sign(pdf, error) from None
    return out.getvalue()


def _cannot_sign(pdf: Path, error: Exception) -> SigningError:
    return SigningError(Msg(f"{pdf}: không ký được PDF ({error})",
                            f"{pdf}: cannot sign the PDF ({error})"))


def _signer_at(moment: dt.datetime) -> type[Any]:
    """A pyHanko PdfSigner whose signing time is `moment` rather than its own clock reading
    (pyHanko reads the clock once per session, after the stamp has been printed)."""
    from pyhanko.pdf_utils.writer import BasePdfFileWriter
    from pyhanko.sign.signers import PdfSigner
    from pyhanko.sign.signers.pdf_signer import PdfSigningSession

    class SignerAt(PdfSigner):
        def init_signing_session(self, pdf_out: BasePdfFileWriter,
                                 existing_fields_only: bool = False) -> PdfSigningSession:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = moment
            return session

    return SignerAt


@dataclass(frozen=True)
class PdfVerification:
    path: Path
    problems: tuple[Msg, ...]
    signer: str | None
    signed_at: dt.datetime | None
    malformed: bool = False
    revocation: SignerRevocation = NOT_CHECKED  # the signer's certificate (signer_revocation)

    def ok(self) -> bool:
        return not self.problems


def verify_pdf(
    pdf: Path, *, ca_bundle: Path | None, revocation: RevocationSources | None = None
) -> PdfVerification:
    """Check the PDF's signature (module docstring), and the signer's revocation now from
    the `revocation` sources given; never raises on a bad PDF."""
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
    return _verify_one(pdf, signatures[0], ca_bundle, revocation or RevocationSources())


def _verify_one(
    pdf: Path, embedded: Any, ca_bundle: Path | None, revocation: RevocationSources
) -> PdfVerification:
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
    time_stamped = False
    if token is not None and intact and valid:
        stamped = check_token(token, embedded.signer_info, ca_bundle)
        problems.extend(stamped.problems)
        signed_at = stamped.time or signed_at
        time_stamped = stamped.time is not None and not stamped.problems
    revoked = NOT_CHECKED
    if signed_at is None:
        problems.append(Msg("chữ ký không có thời điểm ký", "the signature has no signing time"))
    else:
        signed_at = signed_at.astimezone(dt.UTC)
        problems.extend(trust_problems(signer, carried, ca_bundle, signed_at))
        if revocation.given():
            anchors = load_bundle(ca_bundle) if ca_bundle is not None else ()
            revoked = judge_signer(signer, (*carried, *anchors), signed_at,
                                   time_stamped=time_stamped, sources=revocation,
                                   at=dt.datetime.now(dt.UTC))
            problems.extend(revoked.problems)
    return PdfVerification(pdf, tuple(problems), signer.subject.rfc4514_string(), signed_at,
                           revocation=revoked)
