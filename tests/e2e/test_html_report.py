"""`auditor audit … --output report.html` end to end: one self-contained, escaped, monolingual page.

(The page's behaviour in a real browser — filters, print layout — is checked in headless
Chromium by the browser tests; these tests read the file the CLI wrote.)
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO, CliResult, run_cli

AS_OF = "2026-11-24"
Cli = Callable[..., CliResult]

# Labels that exist in only one language: none may leak into a page of the other language.
VIETNAMESE_ONLY = [
    "Mục lục",
    "Tổng quan",
    "Ngày đánh giá",
    "Không đạt",
    "Cần xác nhận",
    "Không áp dụng",
    "Nghiêm trọng",
    "Khắc phục",
    "Căn cứ",
    "Bằng chứng",
    "Danh mục yêu cầu",
    "Hệ thống chưa đủ điều kiện đưa vào vận hành",
    "Thiếu sót phổ biến nhất",
    "Cấp độ áp dụng",
    "kế thừa từ",
    "chuyển tiếp đến",
]
ENGLISH_ONLY = [
    "Contents",
    "Overview",
    "Audit date",
    "Not applicable",
    "Manual",
    "Critical",
    "Remediation",
    "Legal basis",
    "Evidence",
    "Requirements",
    "Systems that may not go live",
    "Most frequent gaps",
    "Level applied",
    "inherited from",
    "in transition until",
    "Waived",
    "Fail",
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example's page in each language, and (key "json") the JSON of the same audit."""
    out = tmp_path_factory.mktemp("html")
    pages = {}
    for lang in ("vi", "en"):
        path = out / f"report-{lang}.html"
        result = run_cli(
            "audit",
            EXAMPLE,
            "--as-of",
            AS_OF,
            "--lang",
            lang,
            "-q",
            "--output",
            path,
            "--json",
            out / "results.json",
        )
        assert result.code == 0, result.stderr
        pages[lang] = path.read_text(encoding="utf-8")
    pages["json"] = (out / "results.json").read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def example() -> dict[str, object]:
    result = run_cli("level", EXAMPLE, "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.stderr
    systems: list[dict[str, object]] = json.loads(result.stdout)
    return {"systems": systems}


def test_the_page_is_written_in_each_language(reports: dict[str, str]) -> None:
    assert reports["vi"].startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in reports["vi"]
    assert '<html lang="en">' in reports["en"]
    assert "Ủy ban nhân dân tỉnh An Bình" in reports["vi"]
    assert "24/11/2026" in reports["vi"] and "2026-11-24" in reports["en"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_system_and_agency_of_the_example_is_in_the_page(
    reports: dict[str, str], example: dict[str, list[dict[str, str]]], lang: str
) -> None:
    page = reports[lang]
    for system in example["systems"]:
        assert f'id="s-{system["id"]}"' in page
        assert html.escape(system["name"], quote=False) in page, system["name"]
        assert f'href="#a-{system["agency"]}"' in page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_is_self_contained(reports: dict[str, str], lang: str) -> None:
    page = reports[lang]
    # One inline script (the optional system search), with no source and no data in it.
    assert page.lower().count("<script") == 1 and "<script src" not in page.lower()
    script = page[page.index("<script>"):page.index("</script>")]
    assert "find-system" in script and "tỉnh" not in script.lower()
    assert "<link" not in page.lower()
    assert "<img" not in page.lower()
    assert "@import" not in page and "url(" not in page
    # Endpoint addresses of the inventory are shown as text (escaped data), never as a link or
    # a resource: every link is a fragment of the page itself, and no tag holds an address.
    hrefs = re.findall(r"\bhref=\"([^\"]*)\"", page)
    assert hrefs and all(href.startswith("#") for href in hrefs)
    assert not re.search(r"\b(?:src|srcset|action|formaction|poster)\s*=", page, re.I)
    assert not re.search(r"<[^>]*(?:https?:)?//", page)
    assert page.count("<style>") == 1


def test_english_page_has_no_vietnamese_labels(reports: dict[str, str]) -> None:
    leaked = [label for label in VIETNAMESE_ONLY if label in reports["en"]]
    assert leaked == []


def test_vietnamese_page_has_no_english_labels(reports: dict[str, str]) -> None:
    text = re.sub(r"<style>.*?</style>", " ", reports["vi"], flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)  # words only, not class names
    # A document's own title in a requirement's legal basis is a name, not a label.
    text = text.replace("CA/Browser Forum Baseline Requirements", " ")
    leaked = [label for label in ENGLISH_ONLY if re.search(rf"\b{re.escape(label)}\b", text)]
    assert leaked == []


def test_the_page_presents_the_overview_and_the_findings(reports: dict[str, str]) -> None:
    page = reports["vi"]
    for anchor in ("overview", "blocked", "gaps", "expired", "org", "agencies", "requirements"):
        assert f'id="{anchor}"' in page
        assert f'href="#{anchor}"' in page
    score = json.loads(reports["json"])["summary"]["score"]["value"]
    assert f"<strong>{score:.1f}</strong>".replace(".", ",") in page  # decimal comma
    assert f"<strong>{score:.1f}</strong>" in reports["en"]
    assert "GOV-12" in page and "35/QĐ-SKHCN (10/03/2026)" in page  # the expired waiver
    assert '<details class="cp">' in page  # passes collapsed
    assert "@media print" in page
    assert 'type="radio"' in page and ":checked" in page  # filters work without script


def test_cli_writes_nothing_on_bad_input(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: {id: t, name: T}\nagencies: [{id: A B}]\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = cli("audit", bad, "--as-of", AS_OF, "--output", out)
    assert result.code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind either


def test_cli_replaces_an_existing_report_atomically(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    result = cli("audit", EXAMPLE, "--as-of", AS_OF, "-q", "--output", out)
    assert result.code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_hostile_names_are_shown_as_text(cli: Cli, tmp_path: Path) -> None:
    inventory = tmp_path / "evil.yaml"
    inventory.write_text(
        "organisation: {id: t, name: 'Tỉnh <b>X</b> & Co'}\n"
        "agencies:\n"
        "  - id: a\n"
        "    name: '<script>alert(1)</script>'\n"
        "    systems:\n"
        "      - id: s1\n"
        "        name: '\"><img src=x onerror=alert(1)>'\n"
        "        system_type: internal\n"
        "        lifecycle: production\n"
        "        declared_level: 1\n",
        encoding="utf-8",
    )
    for lang in ("vi", "en"):
        out = tmp_path / f"evil-{lang}.html"
        result = cli("audit", inventory, "--as-of", AS_OF, "-q", "--lang", lang, "--output", out)
        assert result.code == 0, result.stderr
        page = out.read_text(encoding="utf-8")
        assert page.count("<script") == 1  # only the page's own search script
        assert "<img" not in page and "<b>X" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
        assert "Tỉnh &lt;b&gt;X&lt;/b&gt; &amp; Co" in page


def test_a_large_province_is_condensed_and_stays_small(tmp_path: Path, cli: Cli) -> None:
    systems = 300
    generated = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            "--systems",
            str(systems),
            "--agencies",
            "10",
            "--out",
            str(tmp_path / "p"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    out = tmp_path / "big.html"
    result = cli("audit", tmp_path / "p", "--as-of", AS_OF, "-q", "--output", out)
    assert result.code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="sys ') == systems
    assert 'class="note"' in page  # says where titles, remediation and evidence are
    # About 2.5 kB per system with the shipped checklists (a full page: ~50 kB per system).
    assert out.stat().st_size / systems < 5_000


def test_report_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    import os
    import stat

    out = tmp_path / "perm.html"
    old = os.umask(0o022)
    try:
        result = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "-q", "--output", out)
    finally:
        os.umask(old)
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
