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


# -- an imported port scan (auditor audit --scan-results): the open-ports tables ----------------

SCAN_INVENTORY = """\
organisation: {id: tinh-thu, name: Tỉnh Thử}
agencies:
  - id: so-a
    name: Sở A
    systems:
      - id: cong-a
        name: Cổng A
        system_type: citizen_facing
        lifecycle: production
        declared_level: 3
        hosts:
          - {name: app.a.test, ipv4: [192.0.2.10], ipv6: ["2001:db8::10"],
             expected_ports: [443, 8443]}
          - {name: db.a.test, ipv4: [192.0.2.30]}
        networks: [192.0.2.64/26]
  - id: so-b
    name: Sở B
    systems:
      - id: noi-bo-b
        name: Nội bộ B
        system_type: internal
        lifecycle: production
        declared_level: 1
"""


def _port(number: int, state: str = "open", service: str = "", extra: str = "") -> str:
    name = f'<service name="{service}" {extra} method="probed" conf="10"/>' if service else ""
    return (
        f'<port protocol="tcp" portid="{number}"><state state="{state}" reason="syn-ack" '
        f'reason_ttl="64"/>{name}</port>'
    )


def _host(address: str, ports: str, timed_out: bool = False) -> str:
    kind = "ipv6" if ":" in address else "ipv4"
    flag = ' timedout="true"' if timed_out else ""
    return (
        f'<host starttime="1767225601" endtime="1767225610"{flag}><status state="up" '
        f'reason="user-set" reason_ttl="0"/>\n<address addr="{address}" addrtype="{kind}"/>\n'
        f"<hostnames>\n</hostnames>\n<ports>{ports}</ports>\n</host>\n"
    )


SCAN_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n'
    '<nmaprun scanner="nmap" args="nmap -Pn -sV -p 22,80,443,3306,8443" start="1767225600" '
    'version="7.93" xmloutputversion="1.05">\n'
    '<scaninfo type="syn" protocol="tcp" numservices="5" services="22,80,443,3306,8443"/>\n'
    + _host(
        "192.0.2.10",
        _port(443, service="http", extra='product="nginx" version="1.22.1" tunnel="ssl"')
        + _port(80, service="http", extra='product="&lt;script&gt;alert(1)&lt;/script&gt;"')
        + _port(3306, service="mysql", extra='product="MySQL" version="5.5.62"')
        + _port(8443, state="closed", service="https-alt"),
    )
    + _host(
        "2001:db8::10",
        _port(443, service="http", extra='product="nginx" tunnel="ssl"')
        + _port(8443, service="https-alt"),
    )
    + _host("192.0.2.70", _port(22, service="ssh", extra='product="OpenSSH" version="9.2p1"'))
    + _host("192.0.2.30", _port(22), timed_out=True)
    + '<runstats><finished time="1767225620" elapsed="20.00" exit="success"/></runstats>\n'
    "</nmaprun>\n"
)


@pytest.fixture(scope="module")
def scan_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The page of an audit judged from an nmap XML made elsewhere (no network), each language."""
    out = tmp_path_factory.mktemp("scan-html")
    (out / "inventory.yaml").write_text(SCAN_INVENTORY, encoding="utf-8")
    (out / "nmap.xml").write_text(SCAN_XML, encoding="utf-8")
    pages = {}
    for lang in ("vi", "en"):
        path = out / f"report-{lang}.html"
        result = run_cli(
            "audit",
            out / "inventory.yaml",
            "--scan-results",
            out / "nmap.xml",
            "--as-of",
            AS_OF,
            "--lang",
            lang,
            "-q",
            "--output",
            path,
        )
        assert result.code in (0, 1), result.stderr
        pages[lang] = path.read_text(encoding="utf-8")
    return pages


def _ports_section(page: str, agency: str) -> str:
    return page.split(f'id="ports-{agency}"')[1].split("</section>")[0]


def test_an_imported_scan_fills_the_open_ports_tables(scan_reports: dict[str, str]) -> None:
    page = scan_reports["en"]
    assert 'href="#ports"' in page and 'id="ports"' in page
    table = _ports_section(page, "so-a")
    rows = table.split("<tr")[2:]  # after the heading row
    # Risky first (MySQL on 192.0.2.10), then undeclared (SSH outside the hosts), then the rest.
    # Then the other problems (open over IPv6 only; an address the scan timed out on).
    addresses = [re.findall(r'<td class="subj">([^<]+)</td><td class="nw">', r) for r in rows]
    assert addresses == [["192.0.2.10"], ["192.0.2.70"], ["2001:db8::10"], ["192.0.2.30"]]
    assert "Could not be scanned</span> host timed out" in rows[3]
    assert '<a class="pm risky" href="#r-NET-02">high risk</a>' in rows[0]
    assert '<a class="pm undeclared" href="#r-NET-01">undeclared</a>' in rows[0]  # port 80
    assert rows[0].index("80/tcp") < rows[0].index("443/tcp") < rows[0].index("3306/tcp")
    assert "ssl/http" in rows[0] and "nginx 1.22.1" in rows[0]
    assert "8443/tcp</span> <small>(closed)</small>" in rows[0]  # declared, not answering
    assert "not in the inventory" in rows[1]
    assert '<a class="pm ipv6_only" href="#r-NET-04">open over IPv6 only</a>' in rows[2]
    assert "No address of this agency is in the port scan." in _ports_section(page, "so-b")
    # Imported, not live: the certificate and IPv6 tables still say how to observe them.
    assert "run again with --live" in page
    assert "Not scanned: run" not in page


def test_an_imported_scan_page_is_escaped_and_monolingual(scan_reports: dict[str, str]) -> None:
    for lang in ("vi", "en"):
        page = scan_reports[lang]
        assert page.count("<script") == 1  # only the page's own search script
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _ports_section(page, "so-a")
    assert "Cổng và dịch vụ đang mở" in scan_reports["vi"]
    assert "rủi ro cao" in scan_reports["vi"] and "chỉ mở qua IPv6" in scan_reports["vi"]
    leaked = [label for label in VIETNAMESE_ONLY if label in scan_reports["en"]]
    assert leaked == []
    text = re.sub(r"<style>.*?</style>", " ", scan_reports["vi"], flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text).replace("CA/Browser Forum Baseline Requirements", " ")
    for label in ("Open ports", "High-risk", "Undeclared", "not in the inventory", "Waived"):
        assert label not in text, label


def test_an_offline_page_says_how_to_scan(reports: dict[str, str]) -> None:
    assert "Chưa quét cổng: chạy <code>auditor scan</code>" in reports["vi"]
    assert "Not scanned: run <code>auditor scan</code>" in reports["en"]
    assert 'id="ports' not in reports["en"]
