"""The annual report in real headless Chromium, and its PDF through poppler's own tools.

Two real audits of the example province (one per reporting year) go into a fresh store;
`auditor report annual --output … --pdf …` writes the page and the PDF exactly as a user
would. The page must log no console error, make no request outside its own file, draw its
charts (inline SVG with a real size on the page) and leave a screenshot in test-artifacts/.
The PDF is turned into PNG pages with `pdftoppm`, and `pdftotext` must give back the
Vietnamese text with every diacritic (so the embedded font has the glyphs).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import ARTIFACTS, Chromium, require_chromium
from conftest import EXAMPLE, run_cli

VIETNAMESE = (
    "Tình hình bảo đảm an toàn thông tin, an ninh mạng hệ thống thông tin theo cấp độ",
    "Đã được phê duyệt",
    "Đã triển khai đầy đủ",
    "Cán bộ chuyên trách/phụ trách an ninh mạng được đào tạo, bồi dưỡng",
    "Ủy ban nhân dân tỉnh An Bình",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_chromium()
    base = tmp_path_factory.mktemp("annual-browser")
    db = base / "h.sqlite"
    for as_of in ("2025-12-10", "2026-11-24"):
        result = run_cli("audit", EXAMPLE, "--as-of", as_of, "--db", db, "-q")
        assert result.code == 0, result.stderr
    out: dict[str, Any] = {"base": base}
    for lang in ("vi", "en"):
        html, pdf = base / f"annual-{lang}.html", base / f"annual-{lang}.pdf"
        result = run_cli("report", "annual", "--year", "2026", "--db", db, "--lang", lang,
                         "--output", html, "--pdf", pdf, "-q", timeout=300)
        assert result.code == 0, result.stderr
        out[lang] = (html, pdf)
    return out


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    with Chromium.start() as browser:
        yield browser


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_is_clean_draws_its_charts_and_is_screenshotted(
    reports: dict[str, Any], chromium: Chromium, lang: str
) -> None:
    html, _ = reports[lang]
    with chromium.open(html) as loaded:
        loaded.assert_clean()
        page = loaded.page
        sizes = page.eval_on_selector_all(
            "svg.chart", "els => els.map(e => [e.getBoundingClientRect().width,"
            " e.getBoundingClientRect().height])"
        )
        assert len(sizes) >= 6
        assert all(w > 200 and h > 40 for w, h in sizes), sizes
        text = page.inner_text("body")
        assert ("Mẫu số 08" if lang == "vi" else "Form 08") in text
        annex_rows = page.eval_on_selector_all("table.annex tbody tr", "els => els.length")
        assert annex_rows == 20
        shot = loaded.screenshot(f"annual-report-{lang}", max_height=6000)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} missing: run `bash scripts/test.sh` as root (installs poppler-utils)"
    return path


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_pdf_pages_render_and_keep_every_vietnamese_diacritic(reports: dict[str, Any]) -> None:
    _, pdf = reports["vi"]
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = reports["base"] / "pages"
    pages.mkdir()
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "40", str(pdf), str(pages / "page")],
        check=True, capture_output=True, timeout=120,
    )
    images = sorted(pages.glob("page-*.png"))
    assert len(images) >= 4, "the report with its annex spans several A4 pages"
    assert all(p.stat().st_size > 3_000 for p in images)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(images[0], ARTIFACTS / "annual-report-pdf-page-1.png")
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"],
        check=True, capture_output=True, timeout=120, text=True, encoding="utf-8",
    ).stdout
    flat = " ".join(_nfc(text).split())
    for phrase in VIETNAMESE:
        assert _nfc(phrase) in flat, phrase
    fonts = subprocess.run(
        [_tool("pdffonts"), str(pdf)], check=True, capture_output=True, timeout=60, text=True
    ).stdout
    embedded = [line for line in fonts.splitlines() if "DejaVu" in line]
    assert embedded and all(" yes " in line for line in embedded), fonts


def test_english_pdf_is_written_too(reports: dict[str, Any]) -> None:
    _, pdf = reports["en"]
    text = subprocess.run(
        [_tool("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True,
        timeout=120,
    ).stdout
    assert "Indicators against targets" in text


def test_pdf_without_a_browser_fails_before_writing_anything(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--db", db, "-q").code == 0
    html, pdf = tmp_path / "a.html", tmp_path / "a.pdf"
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "--output", html,
                     "--pdf", pdf, "--browser", str(tmp_path / "no-such-chromium"))
    assert result.code == 2
    assert "no-such-chromium" in result.stderr and "Traceback" not in result.stderr
    assert not html.exists() and not pdf.exists()
