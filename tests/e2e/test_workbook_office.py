"""Workbooks that went through a real office suite, and cells typed the way people type them.

LibreOffice (Debian's libreoffice-calc-nogui, installed by scripts/test.sh) opens the exported
workbook after it was filled in, and saves it again as an office program does — its own XML,
its own styles, dates and numbers as it stores them — and converts its Systems sheet to CSV
(what a person would see). The import then reads what LibreOffice wrote. No macro is run.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from components import require_component
from workbook_helpers import (
    answer_evidence,
    audit_json,
    cell,
    column,
    copy_example,
    evidence_row,
    export,
    finding,
    import_,
    row_of,
    snapshot,
)


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    require_component(found is not None, "LibreOffice",
                      "apt-get install --no-install-recommends libreoffice-calc-nogui")
    assert found is not None
    return found


def _convert(source: Path, outdir: Path, target: str) -> Path:
    """LibreOffice headless: open `source`, save it as `target` ("xlsx", or "csv:…")."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir.parent / "lo-profile"
    done = subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    suffix = target.split(":")[0]
    written = outdir / f"{source.stem}.{suffix}"
    assert done.returncode == 0 and written.exists(), (done.stdout, done.stderr)
    return written


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path]:
    inventory = copy_example(tmp_path)
    out = tmp_path / "so-y-te.xlsx"
    result = export(inventory, out)
    assert result.code == 0, result.stderr
    return inventory, out


def test_a_workbook_resaved_by_libreoffice_changes_nothing(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    inventory, out = exported
    before = snapshot(inventory)
    resaved = _convert(out, tmp_path / "office", "xlsx")
    assert resaved.read_bytes() != out.read_bytes()  # really written by LibreOffice
    result = import_(resaved, inventory)
    assert result.code == 0, result.stderr
    assert snapshot(inventory) == before


def test_answers_through_libreoffice_import_and_pass_the_audit(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    inventory, out = exported
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    cell(book, "Systems", "classification.users", his).value = 12000
    cell(book, "Systems", "last_major_change", his).value = dt.date(2025, 3, 1)
    request = evidence_row(book, "his-bvdk-tinh", "MGT-POL-02")
    answer_evidence(book, request, number="77/BB-BVĐK", date=dt.date(2026, 6, 15),
                    attested_by="Lê Văn Phúc", valid_until=dt.date(2027, 6, 14))
    book.save(out)
    # Saved again and looked at by LibreOffice, as an office program would.
    filled = tmp_path / "office" / "so-y-te.xlsx"
    filled.parent.mkdir()
    resaved = _convert(out, tmp_path / "office-out", "xlsx")
    resaved.replace(filled)
    shown = _convert(filled, tmp_path / "csv", "csv:Text - txt - csv (StarCalc):44,34,76,1")
    rows = list(csv.reader(shown.read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "Mã hệ thống"
    users = openpyxl.utils.column_index_from_string(
        column(book, "Systems", "classification.users")) - 1
    assert rows[his - 1][users] in ("12000", "12,000", "12.000")
    result = import_(filled, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert "users: 12000  # bảng tính: so-y-te.xlsx!Systems!" in text
    assert "last_major_change: 2025-03-01  # bảng tính" in text
    assert "valid_until: 2027-06-14" in text
    results = audit_json(inventory, tmp_path / "after.json")
    passed = finding(results, "his-bvdk-tinh", "MGT-POL-02")
    assert passed["status"] == "pass"
    ref = f"so-y-te.xlsx!Evidence!{column(book, 'Evidence', 'number')}{request}"
    assert any(e["origin"].get("via") == ref for e in passed["evidence"])


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_cells_typed_by_hand_are_normalised(exported: tuple[Path, Path]) -> None:
    inventory, out = exported
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    cell(book, "Systems", "go_live", his).value = "15/06/2025"  # a date typed as text
    cell(book, "Systems", "classification.users", his).value = "12.000"  # thousands with '.'
    cell(book, "Systems", "classification.basic_pd_subjects", his).value = " 1.234.567 "
    cell(book, "Systems", "lifecycle", his).value = "Đang vận hành  "  # trailing spaces
    cell(book, "Systems", "classification.conditional_business_line", his).value = _nfd("Không")
    cell(book, "Systems", "classification.infra_scope", his).value = _nfd("một cơ quan, tổ chức")
    cell(book, "Systems", "classification.info_types", his).value = _nfd(
        "thông tin riêng; Thông tin cá nhân ")
    request = evidence_row(book, "his-bvdk-tinh", "MGT-POL-02")
    answer_evidence(book, request, number=" 77/BB-BVĐK ", date="15/06/2026",
                    attested_by=_nfd("Lê Văn Phúc") + "  ")
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "go_live: 2025-06-15  # bảng tính" in text
    assert "users: 12000  # bảng tính" in text
    assert "basic_pd_subjects: 1234567  # bảng tính" in text
    assert "conditional_business_line: false  # bảng tính" in text
    assert "infra_scope: one_org  # bảng tính" in text
    assert "attested_by: Lê Văn Phúc\n" in text
    assert "number: 77/BB-BVĐK\n" in text
    # "Đang vận hành  " and "thông tin riêng; Thông tin cá nhân" are what was exported.
    assert text.count("lifecycle: production  # bảng tính") == 0
    assert "info_types: [private, personal]  # bảng tính" not in text


@pytest.mark.parametrize(
    ("key", "typed", "words"),
    [
        ("go_live", "2025/06/15", "không phải một ngày"),
        ("go_live", "15/13/2025", "không phải một ngày"),
        ("classification.users", "12,5", "không phải số nguyên"),
        ("classification.users", "1.2345", "không phải số nguyên"),
        ("classification.users", "12 nghìn", "không phải số nguyên"),
        ("lifecycle", _nfd("Đang vận hành xong"), "không phải một lựa chọn"),
        ("classification.online_service", "có lẽ", "không phải một lựa chọn"),
        ("declared_level", "0", "cấp độ phải từ 1 đến 5"),
    ],
)
def test_cells_typed_wrongly_are_refused_clearly(
    exported: tuple[Path, Path], key: str, typed: str, words: str
) -> None:
    inventory, out = exported
    before = snapshot(inventory)
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    target = cell(book, "Systems", key, his)
    target.value = typed
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2
    assert f"so-y-te.xlsx!Systems!{target.coordinate}: trường '{key}'" in result.stderr
    assert words in result.stderr
    assert snapshot(inventory) == before
