"""Every Vietnamese output of the example province speaks Vietnamese: no English code
(`owner`, `specialised_unit`, `submitted`, `partial`, `True`, `nd85`, `fail`/`critical`…) and
no ISO date inside text meant for people — the terminal output of audit, level, gate, rules
show, history list/show/diff and report annual, the audit's HTML page, the JSON results'
`message.vi` texts, and the annual report's HTML, CSV and XLSX (the only CSV/XLSX outputs).

Where a code or an ISO date is a machine field it stays, and the scan leaves it out: JSON keys
and values other than the message texts; a fact's name quoted in a message ('dossier.status',
the inventory field to fix) or shown as <code> in the HTML; HTML attributes (`<time
datetime>`, ids, classes); a CSV cell that is a date as a whole (the CSV is for programs:
ISO dates in both languages, auditor/report/annual/csv_out.py).

Terminal tables are checked at 80 and 200 columns: nothing is cut to "…".
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXAMPLE, REPO

from auditor.loading.catalog import load_catalog
from auditor.report.rule_text import rule_lines

AS_OF = "2026-11-24"
CODES = re.compile(
    r"\b(owner|specialised_unit|independent_council|expert_opinion|submitted|partial|full|"
    r"True|False|nd85|nd331|fail|critical)\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
FACT_NAME = re.compile(r"'[A-Za-z0-9_.\[\]-]+'")  # 'dossier.status': the field to fix
# Systems whose gate closes for different reasons, and one that may go live.
GATES = ("hssk-dien-tu", "his-bvdk-tinh", "lgsp-tinh", "scada-nha-may-nuoc", "mot-cua-cu",
         "qlns-tai-san", "cong-dvc-tinh")


def problems(text: str) -> list[str]:
    """Each code or ISO date in `text` (quoted fact names left out), with its context."""
    plain = FACT_NAME.sub("'…'", text)
    found = []
    for pattern in (CODES, ISO_DATE):
        for match in pattern.finditer(plain):
            start, end = max(0, match.start() - 60), match.end() + 20
            found.append(plain[start:end].replace("\n", "⏎"))
    return found


def cli(*args: str | Path, columns: int = 200) -> str:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": str(columns)}
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)], capture_output=True, text=True,
        encoding="utf-8", cwd=REPO, env=env, timeout=180, check=False,
    )
    assert done.returncode in (0, 1), (args, done.stderr)
    return done.stdout + done.stderr


def html_text(page: str) -> str:
    """What a reader sees: no script, style, tags (attributes) or <code> fact names."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def vi_messages(document: Any) -> Iterator[str]:
    """Every `message.vi` (and every other {vi, en} text) of the JSON results."""
    if isinstance(document, dict):
        if isinstance(document.get("vi"), str) and isinstance(document.get("en"), str):
            yield document["vi"]
        for value in document.values():
            yield from vi_messages(value)
    elif isinstance(document, list):
        for value in document:
            yield from vi_messages(value)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two recorded runs (the second with a level changed), and every output made from them."""
    base = tmp_path_factory.mktemp("vi")
    inventory = base / "inv"
    shutil.copytree(EXAMPLE, inventory)
    db = base / "history.sqlite"
    terminal: dict[str, str] = {}
    for columns in (80, 200):
        terminal[f"audit@{columns}"] = cli(
            "audit", inventory, "--as-of", AS_OF, "--no-history", columns=columns)
    terminal["validate"] = cli("validate", inventory, columns=80)
    terminal["audit"] = cli("audit", inventory, "--as-of", AS_OF, "--db", db,
                            "--json", base / "results.json", "-o", base / "report.html")
    yaml_file = inventory / "so-y-te.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert "      declared_level: 3\n" in text
    yaml_file.write_text(text.replace("      declared_level: 3\n", "      declared_level: 2\n", 1),
                         encoding="utf-8")
    cli("audit", inventory, "--as-of", "2026-11-25", "--db", db, "-q")
    for columns in (80, 200):
        terminal[f"level@{columns}"] = cli("level", EXAMPLE, "--as-of", AS_OF, columns=columns)
        terminal[f"history list@{columns}"] = cli("history", "list", "--db", db,
                                                  columns=columns)
        terminal[f"history show@{columns}"] = cli("history", "show", "1", "--db", db,
                                                  columns=columns)
        terminal[f"history diff@{columns}"] = cli("history", "diff", "--db", db,
                                                  columns=columns)
        terminal[f"rules list@{columns}"] = cli("rules", "list", columns=columns)
    for system in GATES:
        terminal[f"gate {system}"] = cli("gate", EXAMPLE, "--system", system, "--as-of", AS_OF,
                                         columns=80)
    for rule in ("GOV-02", "GOV-04", "GOV-12", "GL-01", "NET-05"):
        terminal[f"rules show {rule}"] = cli("rules", "show", rule, columns=80)
    terminal["report annual"] = cli(
        "report", "annual", "--year", "2026", "--db", db, "-o", base / "annual.html",
        "--csv", base / "annual.csv", "--xlsx", base / "annual.xlsx", columns=80)
    return {"base": base, "terminal": terminal}


def test_terminal_outputs_have_no_code_and_no_iso_date(outputs: dict[str, Any]) -> None:
    found = {name: problems(text) for name, text in outputs["terminal"].items()}
    assert all(text.strip() for text in outputs["terminal"].values())
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_terminal_tables_are_never_cut_at_80_or_200_columns(outputs: dict[str, Any]) -> None:
    terminal = outputs["terminal"]
    for name, text in terminal.items():
        assert "…" not in text, (name, text[:3000])
    # at 80 columns the agency summary is one block per agency, every figure named in full
    narrow, wide = terminal["audit@80"], terminal["audit@200"]
    assert "Cơ quan: Sở Y tế tỉnh An Bình" in narrow
    assert "  Chưa đủ ĐK vận hành: " in narrow and "  Nghiêm trọng/Cao: " in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 80
    # at 200 it is a table, with its headers whole on one line
    assert "┃ Cơ quan " in wide and "Chưa đủ ĐK vận hành ┃" in wide
    assert "Cơ quan: " not in wide


def test_html_report_has_no_code_and_no_iso_date(outputs: dict[str, Any]) -> None:
    page = (outputs["base"] / "report.html").read_text(encoding="utf-8")
    text = html_text(page)
    assert "Sở Y tế tỉnh An Bình" in text and "“đã gửi thẩm định”" in text
    assert problems(text) == []


def test_json_vietnamese_messages_have_no_code_and_no_iso_date(
    outputs: dict[str, Any],
) -> None:
    results = json.loads((outputs["base"] / "results.json").read_text(encoding="utf-8"))
    texts = list(vi_messages(results))
    assert len(texts) > 50
    assert any("quá hạn từ" in t for t in texts)  # the example has overdue assessments
    assert [hit for t in texts for hit in problems(t)] == []
    # the machine fields keep their codes and ISO dates
    assert results["run"]["as_of"] == AS_OF
    assert {f["status"] for s in results["systems"] for f in s["findings"]} >= {"fail", "pass"}


def test_annual_report_outputs_have_no_code_and_no_iso_date_in_text(
    outputs: dict[str, Any],
) -> None:
    base = outputs["base"]
    page = html_text((base / "annual.html").read_text(encoding="utf-8"))
    assert problems(page) == []
    with (base / "annual.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 20
    cells = [cell for row in rows for cell in row if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell)]
    assert [hit for cell in cells for hit in problems(cell)] == []
    workbook = openpyxl.load_workbook(base / "annual.xlsx")
    texts = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert texts and [hit for t in texts for hit in problems(t)] == []
    dated = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row
             if hasattr(cell.value, "year")]
    assert dated and {cell.number_format for cell in dated} == {"dd/mm/yyyy"}


def test_every_rule_reads_in_vietnamese_without_codes() -> None:
    catalog, _ = load_catalog(())
    found = {
        rule.id: hits
        for rule in catalog
        if (hits := problems("\n".join(text for text, _ in rule_lines(rule, "vi"))))
    }
    assert len(catalog) > 100
    assert found == {}


def test_gate_explains_each_unmet_requirement(outputs: dict[str, Any]) -> None:
    shown = outputs["terminal"]["gate hssk-dien-tu"]
    assert "CHƯA ĐƯỢC đưa vào vận hành: hssk-dien-tu" in shown
    block = shown[shown.index("✗ GL-03"):]
    assert "✗ GL-03 — Có biên bản thử nghiệm, nghiệm thu hệ thống" in block
    assert "Kết quả: không đạt · mức độ: cao" in block
    assert "Còn thiếu: Không có thông tin 'acceptance_test' trong danh mục kiểm kê" in block
    assert "Cần làm: Tổ chức thử nghiệm, nghiệm thu hệ thống" in block
    assert "Căn cứ: Nghị định 331/2026/NĐ-CP, khoản 6 Điều 30" in block
    # The explanation is wrapped at 80 columns, its indent kept, and no line is padded with
    # trailing blanks (logs and CI output keep them).
    for system in GATES:
        for line in outputs["terminal"][f"gate {system}"].splitlines():
            assert len(line) <= 80, line
            assert line == line.rstrip(), repr(line)
    assert any(line.startswith("      ") for line in block.splitlines()[1:])
    english = cli("gate", EXAMPLE, "--system", "hssk-dien-tu", "--as-of", AS_OF, "--lang", "en")
    assert "Result: fail · severity: high" in english
    assert "Missing: 'acceptance_test' is not declared in the inventory" in english
    assert "To do: Test and accept the system" in english
    assert "Legal basis: Nghị định 331/2026/NĐ-CP" in english


def test_history_diff_names_what_changed_in_a_level(outputs: dict[str, Any]) -> None:
    diff = outputs["terminal"]["history diff@200"]
    assert "Cấp độ đề xuất: 3 → 2" in diff
    assert "3 → 3" not in diff
    listed = outputs["terminal"]["history list@200"]
    assert re.search(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b", listed)  # local time, vi format
    english = cli("history", "list", "--db", outputs["base"] / "history.sqlite", "--lang", "en")
    assert re.search(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b", english)


def test_rules_show_reads_as_text_in_each_language_and_as_json() -> None:
    vi = cli("rules", "show", "GOV-12")
    assert vi.startswith("GOV-12 — Hệ thống cấp độ 3, 4 được kiểm tra, đánh giá hằng năm")
    for heading in ("Mức độ: cao", "Căn cứ pháp lý:", "Phạm vi áp dụng:", "Nội dung kiểm tra:",
                    "Biện pháp khắc phục:"):
        assert heading in vi
    assert "'four_layer.layer3.last_assessment' không quá 365 ngày trước ngày đánh giá" in vi
    en = cli("rules", "show", "GOV-12", "--lang", "en")
    assert en.startswith("GOV-12 — Level 3–4 system assessed every year")
    assert "Severity: high" in en and "Remediation:" in en and "under Decree 85/2016" in en
    data = json.loads(cli("rules", "show", "GOV-12", "--format", "json"))
    assert data["id"] == "GOV-12" and data["check"]["kind"] == "within_days"
