"""`auditor report sign` / `report verify`: the annual report PDF (printed by the real
Chromium) signed as PAdES with a test PKI made here, checked by poppler's `pdfsig` (an
independent verifier; `-nocert`, because the test root is in no system trust store, so
pdfsig checks the signature and leaves the certificate to `report verify --ca-bundle`), and
by `report verify`. The visible signature must sit in the blank of Form 08's signer block,
found independently here with `pdftotext -bbox-layout`. A flipped byte, bytes appended after
signing, an untrusted signer and a key that is not the certificate's are each named.
The stamp's text, read back with `pdftotext` from the widget's rectangle, names the signer with
their Vietnamese diacritics and the signing time; the page rendered by `pdftoppm` shows it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from browser import require_chromium
from conftest import EXAMPLE, CliResult, run_cli
from signing_pki import NOW, Pki, crl_file, issue, make_pki

SIGNER = "Nguyễn Văn Thử"


def tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          encoding="utf-8", check=False, timeout=120)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_chromium()
    for name in ("pdfsig", "pdftotext"):
        assert shutil.which(name), f"{name} missing: apt-get install poppler-utils"
    folder = tmp_path_factory.mktemp("pades")
    db = folder / "history.sqlite"
    audited = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--db", db, "-q")
    assert audited.code in (0, 1), audited.stderr
    pdf = folder / "annual.pdf"
    made = run_cli("report", "annual", "--year", "2026", "--pdf", pdf, "--db", db, "-q",
                   "--signer", SIGNER, "--signer-position", "GIÁM ĐỐC")
    assert made.code == 0, made.stderr
    pki = make_pki(folder)
    signed = folder / "signed.pdf"
    result = run_cli("report", "sign", pdf, "-o", signed, *pki.signer_files())
    assert result.code == 0, result.stderr
    return {"folder": folder, "pdf": pdf, "signed": signed, "pki": pki, "db": db}


def verify(pdf: Path, *extra: str | Path) -> CliResult:
    return run_cli("report", "verify", pdf, *extra, "--lang", "en")


def test_pdfsig_reports_the_signature_valid(work: dict[str, Any]) -> None:
    checked = tool("pdfsig", "-nocert", work["signed"])
    assert checked.returncode == 0, checked.stderr
    assert "Signature is Valid." in checked.stdout
    assert "Total document signed" in checked.stdout
    assert "ETSI.CAdES.detached" in checked.stdout
    assert "Khoa học" in checked.stdout
    unsigned = tool("pdfsig", work["pdf"])
    assert "does not contain any signatures" in unsigned.stdout + unsigned.stderr


def test_report_verify_with_and_without_the_ca_bundle(work: dict[str, Any]) -> None:
    pki: Pki = work["pki"]
    good = verify(work["signed"], "--ca-bundle", pki.root_pem)
    assert good.code == 0, good.stderr
    assert "VERIFIED" in good.stdout and "Khoa học" in good.stdout
    unknown = verify(work["signed"])
    assert unknown.code == 1 and "no --ca-bundle given" in unknown.stderr
    unsigned = verify(work["pdf"], "--ca-bundle", pki.root_pem)
    assert unsigned.code == 1 and "found 0" in unsigned.stderr


def _lines(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of each line on the first page, top-left origin."""
    out = pdf.with_suffix(".bbox.html")
    assert tool("pdftotext", "-bbox-layout", "-f", "1", "-l", "1", pdf, out).returncode == 0
    found = []
    for line in re.findall(r"<line (.*?)</line>", out.read_text(encoding="utf-8"), re.S):
        box = [float(v) for v in re.findall(r'[xy]M(?:in|ax)="([\d.]+)"', line)[:4]]
        words = re.findall(r">([^<]*)</word>", line)
        found.append((" ".join(words), *box))
    return found


def test_visible_signature_sits_in_the_signer_blank(work: dict[str, Any]) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(work["signed"].read_bytes()))
    field = reader.embedded_signatures[0].sig_field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    size = re.search(r"Page size:\s+[\d.]+ x ([\d.]+) pts", tool("pdfinfo", work["pdf"]).stdout)
    assert size is not None
    height = float(size.group(1))
    lines = _lines(work["pdf"])
    note = next(ln for ln in lines if ln[0].startswith("(Ký, ghi rõ họ tên"))
    name = next(ln for ln in lines if ln[0] == SIGNER)
    assert x2 - x1 > 50 and y2 - y1 > 15  # big enough to be seen
    assert note[1] - 1 <= x1 and x2 <= note[3] + 1  # within the note's column
    assert height - y2 >= note[4] - 1  # below the note…
    assert height - y1 <= name[2] + 1  # …and above the signer's name
    assert field["/T"] == "ChuKyNguoiKy"


def test_flipped_byte_and_appended_bytes_are_named(work: dict[str, Any],
                                                   tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    data = work["signed"].read_bytes()
    flipped = bytearray(data)
    stream = data.index(b"stream", 2000)  # inside page content, signed bytes
    flipped[stream + 100] ^= 0x01
    bad = tmp_path / "flipped.pdf"
    bad.write_bytes(bytes(flipped))
    result = verify(bad, "--ca-bundle", pki.root_pem)
    assert result.code == 1 and "bad signature" in result.stderr
    assert "Signature is Valid." not in tool("pdfsig", "-nocert", bad).stdout
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(data + b"\n% added after signing\n")
    result = verify(appended, "--ca-bundle", pki.root_pem)
    assert result.code == 1 and "does not cover the whole file" in result.stderr


def test_untrusted_signer_and_mismatched_key(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    rogue = issue("Rogue signer", issue("Rogue Root", None, ca=True, sign=False))
    out = tmp_path / "rogue.pdf"
    signed = run_cli("report", "sign", work["pdf"], "-o", out,
                     *pki.signer_files(rogue, "rogue")[:4])
    assert signed.code == 0, signed.stderr
    result = verify(out, "--ca-bundle", pki.root_pem)
    assert result.code == 1 and "is not trusted" in result.stderr
    files = pki.signer_files()
    files[files.index("--key") + 1] = str(pki.write("rogue.key", rogue.key_pem()))
    mismatch = tmp_path / "mismatch.pdf"
    refused = run_cli("report", "sign", work["pdf"], "-o", mismatch, *files, "--lang", "en")
    assert refused.code == 2 and "does not match the certificate" in refused.stderr
    assert not mismatch.exists()


def test_a_signed_pdf_is_not_signed_twice(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    again = tmp_path / "twice.pdf"
    refused = run_cli("report", "sign", work["signed"], "-o", again, *pki.signer_files(),
                      "--lang", "en")
    assert refused.code == 2 and "the PDF is already signed" in refused.stderr
    assert not again.exists()


def test_english_form_is_signed_in_its_signer_blank(work: dict[str, Any],
                                                    tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    pdf = tmp_path / "annual-en.pdf"
    made = run_cli("report", "annual", "--year", "2026", "--pdf", pdf, "--db", work["db"],
                   "-q", "--lang", "en", "--signer", SIGNER)
    assert made.code == 0, made.stderr
    signed = tmp_path / "annual-en-signed.pdf"
    assert run_cli("report", "sign", pdf, "-o", signed, *pki.signer_files()).code == 0
    assert verify(signed, "--ca-bundle", pki.root_pem).code == 0
    lines = _lines(pdf)
    note = next(ln for ln in lines if ln[0] == "(Signature, full name, position and seal)")
    from pyhanko.pdf_utils.reader import PdfFileReader

    field = PdfFileReader(io.BytesIO(signed.read_bytes())).embedded_signatures[0].sig_field
    x1, _, x2, _ = (float(v) for v in field["/Rect"])
    assert note[1] - 1 <= x1 and x2 <= note[3] + 1


def test_a_file_that_is_not_the_annual_report(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    text = tmp_path / "not.pdf"
    text.write_text("not a PDF", encoding="utf-8")
    assert verify(text).code == 2
    refused = run_cli("report", "sign", text, "-o", tmp_path / "out.pdf", *pki.signer_files(),
                      "--lang", "en")
    assert refused.code == 2 and "Traceback" not in refused.stderr
    assert not (tmp_path / "out.pdf").exists()
    # a real PDF, but not the annual report: no signer block to sign in
    from pyhanko.pdf_utils import generic, writer

    other = writer.PdfFileWriter()
    content = other.add_object(generic.StreamObject(
        stream_data=b"BT /F1 12 Tf 72 720 Td (Just a page) Tj ET"))
    other.insert_page(writer.PageObject(contents=content, media_box=(0, 0, 595, 842)))
    plain = tmp_path / "plain.pdf"
    with plain.open("wb") as handle:
        other.write(handle)
    refused = run_cli("report", "sign", plain, "-o", tmp_path / "out.pdf", *pki.signer_files(),
                      "--lang", "en")
    assert refused.code == 2 and "no Form 08 signer block found" in refused.stderr
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("trusted", [True, False])
def test_time_stamped_pdf(work: dict[str, Any], tmp_path: Path, trusted: bool) -> None:
    from tsa_server import loopback_tsa

    pki: Pki = work["pki"]
    out = tmp_path / "stamped.pdf"
    with loopback_tsa(pki, trusted=trusted) as url:
        signed = run_cli("report", "sign", work["pdf"], "-o", out, *pki.signer_files(),
                         "--tsa", url)
    assert signed.code == 0, signed.stderr
    assert "Signature is Valid." in tool("pdfsig", "-nocert", out).stdout
    result = verify(out, "--ca-bundle", pki.root_pem)
    if trusted:
        assert result.code == 0, result.stderr
    else:
        assert result.code == 1
        assert "time stamp: the TSA (CN=Test Time-Stamping Authority" in result.stderr


# --- the signer's revocation (--crl): the same judgement as for bundles ---------------------


def test_report_verify_judges_the_signers_revocation(work: dict[str, Any]) -> None:
    pki: Pki = work["pki"]
    folder: Path = work["folder"]
    unchecked = verify(work["signed"], "--ca-bundle", pki.root_pem)
    assert unchecked.code == 0 and "revocation not checked" in unchecked.stdout
    clean = crl_file(folder, "clean.crl", pki.gov_ca)
    good = verify(work["signed"], "--ca-bundle", pki.root_pem, "--crl", clean)
    assert good.code == 0, good.stderr
    assert "revocation checked: the signer's certificate is not revoked" in good.stdout
    serial = pki.signer.certificate.serial_number
    revoked = crl_file(folder, "revoked.crl", pki.gov_ca, revoked=((serial, NOW),))
    refused = verify(work["signed"], "--ca-bundle", pki.root_pem, "--crl", revoked)
    assert refused.code == 1, refused.stdout
    assert f"revoked on {NOW:%Y-%m-%d %H:%M:%S} UTC (keyCompromise), before it signed" \
        in refused.stderr
    stale = crl_file(folder, "stale.crl", pki.gov_ca, next_update=NOW - dt.timedelta(days=1))
    unusable = verify(work["signed"], "--ca-bundle", pki.root_pem, "--crl", stale)
    assert unusable.code == 1 and "stale.crl" in unusable.stderr


def test_revoked_after_a_time_stamped_pdf_signature_stands(work: dict[str, Any],
                                                           tmp_path: Path) -> None:
    from tsa_server import loopback_tsa

    from auditor.bundle.pades import verify_pdf

    pki: Pki = work["pki"]
    out = tmp_path / "stamped.pdf"
    with loopback_tsa(pki) as url:
        signed = run_cli("report", "sign", work["pdf"], "-o", out, *pki.signer_files(),
                         "--tsa", url)
    assert signed.code == 0, signed.stderr
    signed_at = verify_pdf(out, ca_bundle=pki.root_pem).signed_at
    assert signed_at is not None
    later = signed_at + dt.timedelta(seconds=1)
    while dt.datetime.now(dt.UTC) < later:  # the revocation must be in the past to count
        time.sleep(0.1)
    serial = pki.signer.certificate.serial_number
    crl = crl_file(tmp_path, "later.crl", pki.gov_ca, revoked=((serial, later),))
    result = verify(out, "--ca-bundle", pki.root_pem, "--crl", crl)
    assert result.code == 0, result.stderr
    assert "after the time-stamped signing time" in result.stdout
    assert "the signature stands" in result.stdout


# --- the visible signature's text: Vietnamese with its diacritics ---------------------------

PERSON = "Nguyễn Thị Hồng Ngọc"  # ễ ị ồ ọ: four tone marks, two of them stacked on a hat
ORGANISATION = "Sở Khoa học và Công nghệ tỉnh An Bình"
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def _sign_as(work: dict[str, Any], tmp_path: Path, common: str, *extra: str,
             organisation: str = ORGANISATION) -> tuple[CliResult, Path]:
    pki: Pki = work["pki"]
    person = issue(common, pki.gov_ca, organisation=organisation)
    out = tmp_path / "person.pdf"
    signed = run_cli("report", "sign", work["pdf"], "-o", out,
                     *pki.signer_files(person, "person"), *extra)
    return signed, out


def _box(pdf: Path) -> tuple[float, float, float, float]:
    """The signature widget's rectangle: (left, top, width, height) in points, top-left
    origin (pdftotext's and pdftoppm's), read from the signed PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    field = PdfFileReader(io.BytesIO(pdf.read_bytes())).embedded_signatures[0].sig_field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    size = re.search(r"Page size:\s+[\d.]+ x ([\d.]+) pts", tool("pdfinfo", pdf).stdout)
    assert size is not None
    return x1, float(size.group(1)) - y2, x2 - x1, y2 - y1


def _text_in(pdf: Path, box: tuple[float, float, float, float]) -> str:
    left, top, width, height = (round(v) for v in box)
    cropped = tool("pdftotext", "-f", "1", "-l", "1", "-x", str(left), "-y", str(top),
                   "-W", str(width), "-H", str(height), pdf, "-")
    assert cropped.returncode == 0, cropped.stderr
    return cropped.stdout


def _dark_pixels(pdf: Path, box: tuple[float, float, float, float], folder: Path) -> int:
    """Pixels darker than mid-grey inside `box` on page 1 rendered at 100 dpi (a PGM from
    `pdftoppm -gray`: no imaging library needed)."""
    prefix = folder / pdf.stem
    assert tool("pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-gray", pdf,
                prefix).returncode == 0
    (image,) = folder.glob(f"{pdf.stem}*.pgm")
    data = image.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    assert header is not None
    width = int(header.group(1))
    pixels = data[header.end():]
    scale = 100 / 72
    left, top, box_width, box_height = (round(v * scale) for v in box)
    return sum(
        1 for row in range(top + 2, top + box_height - 2)
        for value in pixels[row * width + left + 2: row * width + left + box_width - 2]
        if value < 128
    )


def test_stamp_shows_the_signer_with_diacritics_and_the_signing_time(
        work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    signed, out = _sign_as(work, tmp_path, PERSON)
    assert signed.code == 0, signed.stderr
    assert "Signature is Valid." in tool("pdfsig", "-nocert", out).stdout
    verified = verify(out, "--ca-bundle", pki.root_pem)
    assert verified.code == 0, verified.stderr
    box = _box(out)
    text = " ".join(_text_in(out, box).split())
    assert f"Ký bởi: {PERSON}" in text
    assert ORGANISATION in text
    # the time the stamp shows is the signature's own signing time, in Vietnam time
    moment = re.search(r"signed at: (\S+ \S+) UTC", verified.stdout)
    assert moment is not None
    at = dt.datetime.fromisoformat(moment.group(1)).replace(tzinfo=dt.UTC).astimezone(VIETNAM)
    assert f"Thời gian ký: {at:%d/%m/%Y %H:%M} (+07:00)" in text
    # nothing of it outside the box: the unsigned page has none of these words there
    assert PERSON not in _text_in(work["pdf"], box)
    # the page as a reader shows it: ink in the box once signed, none before
    assert _dark_pixels(work["pdf"], box, tmp_path) == 0
    assert _dark_pixels(out, box, tmp_path) > 200


def test_signer_name_restores_the_diacritics_of_the_certificate(
        work: dict[str, Any], tmp_path: Path) -> None:
    signed, out = _sign_as(work, tmp_path, "NGUYEN THI HONG NGOC", "--signer-name", PERSON,
                           "--lang", "en")
    assert signed.code == 0, signed.stderr
    text = " ".join(_text_in(out, _box(out)).split())
    assert f"Signed by: {PERSON}" in text
    assert re.search(r"Signed at: \d{4}-\d\d-\d\d \d\d:\d\d \(\+07:00\)", text)
    assert "NGUYEN" not in text
    # the certificate keeps its own spelling: pdfsig reads the CN from it
    assert "Common Name: NGUYEN THI HONG NGOC" in tool("pdfsig", "-nocert", out).stdout


def test_signer_name_of_someone_else_is_refused(work: dict[str, Any],
                                                tmp_path: Path) -> None:
    refused, out = _sign_as(work, tmp_path, PERSON, "--signer-name", "Nguyễn Thị Hồng Ngân",
                            "--lang", "en")
    assert refused.code == 2 and "is not the certificate's name" in refused.stderr
    assert "Traceback" not in refused.stderr and not out.exists()


def test_without_a_browser_nothing_is_signed(work: dict[str, Any], tmp_path: Path) -> None:
    refused, out = _sign_as(work, tmp_path, PERSON, "--browser", str(tmp_path / "no-chromium"),
                            "--lang", "en")
    assert refused.code == 2, refused.stderr
    assert "cannot print the visible signature" in refused.stderr
    assert "install Chromium" in refused.stderr
    assert "Traceback" not in refused.stderr and not out.exists()


def test_a_name_too_long_for_the_box_is_refused(work: dict[str, Any], tmp_path: Path) -> None:
    # the name stays on one line: 64 M's (a CN holds at most 64 bytes) are 166 points wide
    # at the smallest size, 3 points (DejaVu's M: 0.863 em), in a 104-point box; PERSON fits
    refused, out = _sign_as(work, tmp_path, "M" * 64, "--lang", "en")
    assert refused.code == 2, refused.stderr
    assert "too long for the signature box" in refused.stderr and not out.exists()
