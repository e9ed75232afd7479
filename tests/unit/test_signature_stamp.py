"""The visible signature's words (who, organisation, when in Vietnam time), its page (every
word escaped) and the name it may show (the certificate's, diacritics restored at most).
The printed stamp itself is tested end to end in tests/e2e/test_pdf_signature.py."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from markupsafe import escape

from auditor.bundle.errors import SigningError
from auditor.bundle.stamp import certificate_name, organisation, stamp_name
from auditor.report.signature_stamp import render_stamp_html, stamp_lines


def _certificate(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Certificate:
    """A self-signed certificate with this subject: only the subject is read here."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
            .sign(key, hashes.SHA256()))


@pytest.mark.parametrize(("utc", "shown"), [
    # Vietnam is UTC+07:00: 16:59 UTC is still the same day there, 17:00 UTC the next
    (dt.datetime(2026, 12, 31, 16, 59, 59, tzinfo=dt.UTC), "31/12/2026 23:59 (+07:00)"),
    (dt.datetime(2026, 12, 31, 17, 0, 0, tzinfo=dt.UTC), "01/01/2027 00:00 (+07:00)"),
])
def test_signing_time_is_written_in_vietnam_time(utc: dt.datetime, shown: str) -> None:
    lines = stamp_lines("Nguyễn Văn A", None, utc, "vi")
    assert [(ln.label, ln.text) for ln in lines] == [
        ("Ký bởi:", "Nguyễn Văn A"), ("Thời gian ký:", shown)]


def test_english_stamp_and_the_organisation_line() -> None:
    moment = dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)
    lines = stamp_lines("Nguyễn Văn A", "Sở Y tế", moment, "en")
    assert [(ln.label, ln.text, ln.wraps) for ln in lines] == [
        ("Signed by:", "Nguyễn Văn A", False),
        ("", "Sở Y tế", True),
        ("Signed at:", "2027-01-01 00:00 (+07:00)", False),
    ]


def test_the_page_escapes_every_word_and_has_the_box_size() -> None:
    hostile = '<script>alert("x")</script> & Nguyễn'
    moment = dt.datetime(2026, 12, 6, 3, 4, tzinfo=dt.UTC)
    page = render_stamp_html(stamp_lines(hostile, "Sở <b>", moment, "vi"), 104, 26, "vi")
    assert hostile not in page and str(escape(hostile)) in page
    assert "Sở &lt;b&gt;" in page
    assert "size: 104pt 26pt" in page
    assert page.count("<script>") == 1  # the page's own, static script only
    assert "Thời gian ký: 06/12/2026 10:04 (+07:00)" in page


@pytest.mark.parametrize("given", [
    "Nguyễn Thị Hồng Ngọc", "nguyễn thị hồng ngọc", "  Nguyễn  Thị Hồng   Ngọc ",
])
def test_signer_name_may_restore_diacritics_case_and_spacing(given: str) -> None:
    certificate = _certificate((NameOID.COMMON_NAME, "NGUYEN THI HONG NGOC"),
                               (NameOID.ORGANIZATION_NAME, "So Y te"))
    assert stamp_name(certificate, given) == " ".join(given.split())
    assert stamp_name(certificate, None) == "NGUYEN THI HONG NGOC"
    assert organisation(certificate) == "So Y te"


def test_d_with_stroke_is_d() -> None:
    certificate = _certificate((NameOID.COMMON_NAME, "DANG VAN DUC"))
    assert stamp_name(certificate, "Đặng Văn Đức") == "Đặng Văn Đức"


@pytest.mark.parametrize("given", [
    "Nguyễn Thị Hồng Ngân",  # another person: one letter differs
    "Nguyễn Thị Hồng",  # a name cut short
    "Nguyễn Thị Hồng Ngọc A",  # a name made longer
    "   ",
])
def test_a_name_that_is_not_the_certificates_is_refused(given: str) -> None:
    certificate = _certificate((NameOID.COMMON_NAME, "Nguyễn Thị Hồng Ngọc"))
    with pytest.raises(SigningError, match="is not the certificate's name"):
        stamp_name(certificate, given)


def test_without_a_common_name() -> None:
    certificate = _certificate((NameOID.ORGANIZATION_NAME, "Sở Y tế"))
    assert certificate_name(certificate) == "O=Sở Y tế"
    assert stamp_name(certificate, None) == "O=Sở Y tế"
    assert organisation(certificate) == "Sở Y tế"
    with pytest.raises(SigningError, match="no common name"):
        stamp_name(certificate, "Sở Y tế")
    assert organisation(_certificate((NameOID.COMMON_NAME, "A"))) is None
