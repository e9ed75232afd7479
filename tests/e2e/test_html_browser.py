"""The HTML report in real headless Chromium (Debian's `chromium`, driven by Playwright).

For the example province in both languages: every system is present, the page logs no console
error and throws no page error, makes no request outside its own file, a full-page screenshot
is kept in test-artifacts/, and printing to PDF gives a valid PDF. Hostile agency and system
names (script injection) render as inert text.

Needs /usr/bin/chromium and the `playwright` package: `bash scripts/test.sh` installs both. When
they are missing these tests fail (a skip only for a non-root user without Chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Chromium, LoadedPage, pdf_page_count
from conftest import EXAMPLE, run_cli

from auditor.loading.inventory import load_inventory

AS_OF = "2026-11-24"
LANGS = ("vi", "en")
SCRIPT_TAG = "<script>window.__pwned=1</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    """One browser for the whole module; each page gets a fresh context."""
    with Chromium.start() as browser:
        yield browser


def write_report(inventory: Path, out: Path, lang: str) -> Path:
    """`auditor audit INVENTORY --output OUT --lang LANG`, exactly as a user runs it."""
    result = run_cli("audit", inventory, "--as-of", AS_OF, "--lang", lang, "--output", out)
    assert result.code == 0, f"audit --output failed ({result.code}):\n{result.stderr}"
    assert out.is_file() and out.stat().st_size > 0, f"no HTML report written to {out}"
    return out


def artifact_name(request: pytest.FixtureRequest, lang: str) -> str:
    return f"{request.node.originalname}-{lang}"


# --------------------------------------------------------------------------------------------
# The example province, in both languages: one page per language shared by the tests below.


@pytest.fixture(scope="module", params=LANGS)
def example_page(
    request: pytest.FixtureRequest, chromium: Chromium, tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, LoadedPage]]:
    lang: str = request.param
    report = write_report(EXAMPLE, tmp_path_factory.mktemp(f"html-{lang}") / "report.html", lang)
    with chromium.open(report) as loaded:
        yield lang, loaded


def test_every_system_of_the_example_is_in_the_page(
    example_page: tuple[str, LoadedPage],
) -> None:
    lang, loaded = example_page
    inventory = load_inventory([EXAMPLE]).inventory
    system_ids = [s.id for agency in inventory.agencies for s in agency.systems]
    assert len(system_ids) >= 15
    text = loaded.page.inner_text("body")
    missing = [system_id for system_id in system_ids if system_id not in text]
    assert not missing, f"[{lang}] systems not shown in the rendered report: {missing}"


def test_no_console_error_page_error_or_request_leaving_the_file(
    example_page: tuple[str, LoadedPage],
) -> None:
    _, loaded = example_page
    loaded.assert_clean()


def test_filters_work_without_script_and_search_works_with_it(
    chromium: Chromium, tmp_path: Path
) -> None:
    report = write_report(EXAMPLE, tmp_path / "report.html", "en")
    with chromium.open(report) as loaded:
        page = loaded.page

        def visible() -> int:
            return int(page.eval_on_selector_all(
                "section.sys", "els => els.filter(e => e.offsetParent !== null).length"))

        everything = visible()
        assert everything >= 15
        page.click("label[for=fs-b]")  # CSS-only filter: systems not cleared to go live
        blocked = visible()
        assert 0 < blocked < everything
        page.click("label[for=fs-all]")
        assert visible() == everything
        page.fill("#find-system", "scada")  # the optional search (JavaScript)
        page.wait_for_function(
            "() => [...document.querySelectorAll('section.sys')]"
            ".filter(e => e.offsetParent !== null).length === 2"
        )
        shown = page.eval_on_selector_all(
            "section.sys", "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")
        assert sorted(shown) == ["s-scada-ho-chua-suoi-may", "s-scada-nha-may-nuoc"]
        loaded.assert_clean()


def test_screenshot_is_saved_as_an_artifact(
    request: pytest.FixtureRequest, example_page: tuple[str, LoadedPage],
) -> None:
    lang, loaded = example_page
    path = loaded.screenshot(artifact_name(request, lang))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
    assert len(data) > 10_000, f"{path} is suspiciously small ({len(data)} bytes): blank page?"


def test_print_to_pdf_succeeds(
    request: pytest.FixtureRequest, example_page: tuple[str, LoadedPage],
) -> None:
    lang, loaded = example_page
    pages = pdf_page_count(loaded.pdf(artifact_name(request, lang)))
    assert pages >= 1, f"[{lang}] the printed PDF has no page"
    # Printing must not have broken the page either.
    loaded.assert_clean()


# --------------------------------------------------------------------------------------------
# Hostile names from an inventory render as text, never as markup or script.


@pytest.mark.parametrize("lang", LANGS)
def test_script_injection_in_names_renders_as_text(
    request: pytest.FixtureRequest, chromium: Chromium, tmp_path: Path, lang: str,
) -> None:
    inventory = tmp_path / "hostile.yaml"
    system = "system_type: internal, lifecycle: production, declared_level: 1"
    inventory.write_text(
        f"organisation: {{id: tinh-x, name: '{SCRIPT_TAG}'}}\n"
        "agencies:\n"
        "  - id: so-a\n"
        f"    name: '{SCRIPT_TAG}'\n"
        "    systems:\n"
        f"      - {{id: he-thong-1, name: '{ATTRIBUTE_BREAKOUT}', {system}}}\n"
        f"      - {{id: he-thong-2, name: '{SCRIPT_TAG}', {system}}}\n"
        "  - id: so-b\n"
        f"    name: '{ATTRIBUTE_BREAKOUT}'\n"
        "    systems:\n"
        f"      - {{id: he-thong-3, name: 'HT {SCRIPT_TAG}{ATTRIBUTE_BREAKOUT}', {system}}}\n",
        encoding="utf-8",
    )
    report = write_report(inventory, tmp_path / "report.html", lang)
    with chromium.open(report) as loaded:
        page = loaded.page
        loaded.screenshot(artifact_name(request, lang), max_height=1800)
        assert page.evaluate("typeof window.__pwned") == "undefined", "injected script ran"
        assert page.locator("img[src='x'], [onerror]").count() == 0, "injected markup parsed"
        assert not page.evaluate(
            "[...document.scripts].some(s => s.text.includes('__pwned'))"
        ), "injected <script> element in the DOM"
        text = page.inner_text("body")
        for payload in (SCRIPT_TAG, ATTRIBUTE_BREAKOUT):
            assert payload in text, f"[{lang}] {payload!r} is not shown literally"
            assert page.get_by_text(payload).first.is_visible(), f"{payload!r} is not visible"
        loaded.assert_clean()  # e.g. <img src=x> would have requested file:///…/x


# --------------------------------------------------------------------------------------------
# The harness itself: the guards above are not vacuous.


def test_the_harness_catches_requests_console_errors_and_page_errors(
    chromium: Chromium, tmp_path: Path,
) -> None:
    page = tmp_path / "leaky.html"
    (tmp_path / "style.css").write_text("body { color: red }", encoding="utf-8")
    page.write_text(
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>x</title>"
        "<link rel='stylesheet' href='style.css'></head><body><p>Đánh giá</p>"
        "<img src='https://cdn.example.test/logo.png'>"
        "<script>console.error('hỏng'); fetch('http://192.0.2.10/beacon').catch(() => {});"
        "setTimeout(() => { throw new Error('late failure') }, 50);</script>"
        "</body></html>",
        encoding="utf-8",
    )
    with chromium.open(page) as loaded:
        problems = "\n".join(loaded.problems())
        with pytest.raises(AssertionError):
            loaded.assert_clean()
    assert (tmp_path / "style.css").as_uri() in problems  # another local file is outside too
    assert "https://cdn.example.test/logo.png" in problems
    assert "http://192.0.2.10/beacon" in problems
    assert "console error: hỏng" in problems
    assert "page error: late failure" in problems


def test_the_harness_accepts_a_clean_self_contained_page(
    chromium: Chromium, tmp_path: Path,
) -> None:
    page = tmp_path / "clean.html"
    page.write_text(
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>x</title>"
        "<style>body { font-family: sans-serif }</style></head><body>"
        "<h1>Báo cáo đánh giá — tỉnh An Bình</h1>"
        "<img alt='' src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
        "<script>document.body.dataset.ready = '1'</script></body></html>",
        encoding="utf-8",
    )
    with chromium.open(page) as loaded:
        loaded.assert_clean()
        assert loaded.page.get_attribute("body", "data-ready") == "1"
        assert pdf_page_count(loaded.pdf()) == 1
