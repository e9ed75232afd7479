"""`auditor report sign` / `report verify`: the annual report PDF (printed by the real
Chromium) signed as PAdES with a test PKI made here, checked by poppler's `pdfsig` (an
independent verifier; `-nocert`, because the test root is in no system trust store, so
pdfsig checks the signature and leaves the certificate to `report verify --ca-bundle`), and
by `report verify`. The visible signature must sit in the blank of Form 08's signer block,
found independently here with `pdftotext -bbox-layout`. A flipped byte, bytes appended after
signing, an untrusted signer and a key that is not the certificate's are each named.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from browser import require_chromium
from conftest import EXAMPLE, CliResult, run_cli
from signing_pki import Pki, issue, make_pki

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
