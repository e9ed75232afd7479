"""`auditor workbook export` and `import` through the real CLI, on a copy of the example.

The workbook is written by the tool, filled in with openpyxl as an agency's staff would in an
office program, and read back; the YAML it changes is read by the real loader and audited.
Going through LibreOffice, and typing cells by hand, is in test_workbook_office.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXAMPLE, run_cli
from workbook_helpers import (
    AGENCY,
    answer_evidence,
    audit_json,
    cell,
    column,
    copy_example,
    evidence_row,
    export,
    finding,
    import_,
    metadata,
    row_of,
    snapshot,
)

from auditor import __version__


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("workbook")
    inventory = copy_example(base)
    out = base / "so-y-te.xlsx"
    result = export(inventory, out)
    assert result.code == 0, result.stderr
    return inventory, out


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example of its own and its workbook (for tests that import)."""
    inventory = copy_example(tmp_path)
    out = tmp_path / "so-y-te.xlsx"
    result = export(inventory, out)
    assert result.code == 0, result.stderr
    return inventory, out


# -- export ---------------------------------------------------------------------------------


def test_the_workbook_has_its_sheets_and_hidden_metadata(exported: tuple[Path, Path]) -> None:
    inventory, out = exported
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Systems", "Evidence", "Documents", "Assessments", "Staff", "Hosts", "Endpoints",
        "Certificates", "Metadata", "Lists",
    ]
    assert [book[n].sheet_state for n in book.sheetnames] == [*["visible"] * 8, "hidden", "hidden"]
    meta = metadata(book)
    assert meta["format"] == "auditor-workbook/1"
    assert meta["tool_version"] == __version__
    assert meta["agency"] == AGENCY
    exported_at = dt.datetime.fromisoformat(meta["exported_at"])
    assert abs(dt.datetime.now(dt.UTC) - exported_at) < dt.timedelta(minutes=10)
    agency_file = inventory / "so-y-te.yaml"
    assert meta["agency_file"] == str(agency_file)
    assert meta["agency_file_sha256"] == hashlib.sha256(agency_file.read_bytes()).hexdigest()
    hashed = {k.partition(":")[2] for k in meta if k.startswith("inventory_sha256:")}
    assert hashed == {str(p) for p in inventory.glob("*.yaml")}


def test_systems_sheet_prefills_declared_facts_and_leaves_undeclared_ones_empty(
    exported: tuple[Path, Path],
) -> None:
    _, out = exported
    book = openpyxl.load_workbook(out)
    sheet = book["Systems"]
    ids = [sheet[f"A{r}"].value for r in range(3, sheet.max_row + 1)]
    assert ids == ["his-bvdk-tinh", "hssk-dien-tu"]
    assert sheet["A1"].value == "Mã hệ thống"
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    assert cell(book, "Systems", "lifecycle", his).value == "Đang vận hành"
    assert cell(book, "Systems", "system_type", his).value == "Phục vụ hoạt động nội bộ"
    go_live = cell(book, "Systems", "go_live", his)
    assert go_live.value == dt.datetime(2022, 9, 1)  # a real date cell
    assert go_live.number_format == "DD/MM/YYYY"
    assert cell(book, "Systems", "classification.sensitive_pd_subjects", his).value == 180000
    assert cell(book, "Systems", "classification.info_types", his).value == (
        "Thông tin riêng, Thông tin cá nhân"
    )
    assert cell(book, "Systems", "classification.serves_defence_security", his).value == "Không"
    # Undeclared: empty, never "Không" (unknown is not no), including model defaults.
    for key in ("classification.users", "classification.conditional_business_line",
                "real_data", "national_security_critical", "state_budget"):
        assert cell(book, "Systems", key, his).value is None, key
    hssk = row_of(book, "Systems", "A", "hssk-dien-tu")
    assert cell(book, "Systems", "real_data", hssk).value == "Có"
    # Help under each header cites the article the fact decides.
    help_text = cell(book, "Systems", "classification.users", 2).value
    assert "Điều 9" in help_text


def test_enumerations_have_dropdowns_in_vietnamese(exported: tuple[Path, Path]) -> None:
    _, out = exported
    book = openpyxl.load_workbook(out)
    sheet = book["Systems"]
    letter = column(book, "Systems", "lifecycle")
    lists = book["Lists"]
    found = [v for v in sheet.data_validations.dataValidation if f"{letter}3" in v.sqref]
    assert len(found) == 1 and found[0].type == "list"
    target = found[0].formula1.split("!")[1].replace("$", "")
    labels = [c.value for row in lists[target] for c in row]
    assert labels == ["Lập kế hoạch", "Đang xây dựng", "Kiểm thử", "Vận hành thử",
                      "Đang vận hành", "Ngừng vận hành"]
    date_letter = column(book, "Systems", "go_live")
    dates = [v for v in sheet.data_validations.dataValidation if f"{date_letter}3" in v.sqref]
    assert [v.type for v in dates] == ["date"]


def test_headers_and_ids_are_locked_answers_are_not(exported: tuple[Path, Path]) -> None:
    _, out = exported
    book = openpyxl.load_workbook(out)
    for name in ("Systems", "Evidence"):
        assert book[name].protection.sheet is True
    sheet = book["Systems"]
    assert sheet["A1"].protection.locked and sheet["A3"].protection.locked
    assert sheet["B3"].protection.locked
    assert not cell(book, "Systems", "lifecycle", 3).protection.locked
    assert cell(book, "Systems", "lifecycle", 1).protection.locked
    evidence = book["Evidence"]
    assert evidence["D3"].protection.locked
    assert not cell(book, "Evidence", "number", 3).protection.locked


def test_evidence_requests_are_the_manual_attestations_of_the_audit(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    inventory, out = exported
    book = openpyxl.load_workbook(out)
    sheet = book["Evidence"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3, max_col=6)]
    from auditor.loading.catalog import load_catalog

    catalog, _ = load_catalog([])
    attested = {r.id for r in catalog if '"kind":"attested"' in r.check.model_dump_json()}
    results = audit_json(inventory, tmp_path / "r.json")
    expected = set()
    for owner in (*results["systems"], *results["agencies"]):
        if owner["id"] in (AGENCY, "his-bvdk-tinh", "hssk-dien-tu"):
            for f in owner["findings"]:
                if f["status"] == "manual" and f["rule_id"] in attested:
                    expected.add((owner["id"], f["rule_id"]))
    assert {(r[0], r[3]) for r in rows} == expected
    assert (AGENCY, "GOV-17") in expected  # the agency's annual report: no attestation yet
    assert ("his-bvdk-tinh", "MGT-POL-02") in expected
    for row in rows:
        assert row[4] and row[5], row  # what is asked, and the legal reference
    gov17 = next(r for r in rows if r[3] == "GOV-17")
    assert "Điều" in gov17[5]


def test_an_unknown_agency_is_a_usage_error(tmp_path: Path) -> None:
    result = export(EXAMPLE, tmp_path / "x.xlsx", agency="so-khong-co")
    assert result.code == 2
    assert "so-khong-co" in result.stderr and "so-y-te" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


# -- import ---------------------------------------------------------------------------------


def test_no_answers_changed_round_trip_is_byte_identical(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    before = snapshot(inventory)
    book = openpyxl.load_workbook(out)
    book.save(out)  # saved again by a program, nothing changed
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    assert "không thay đổi" in result.stdout
    assert snapshot(inventory) == before


def _fill(out: Path) -> dict[str, str]:
    """Answers as an agency gives them; returns the cells they are in."""
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    cell(book, "Systems", "classification.users", his).value = 12000
    cell(book, "Systems", "classification.conditional_business_line", his).value = "Không"
    cell(book, "Systems", "state_budget", his).value = "Có"
    cell(book, "Systems", "classification.online_service", his).value = "Có"
    request = evidence_row(book, "his-bvdk-tinh", "MGT-POL-02")
    answer_evidence(book, request, number="77/BB-BVĐK", date=dt.datetime(2026, 6, 15),
                    body="Bệnh viện Đa khoa tỉnh An Bình",
                    attested_by="Lê Văn Phúc, Chánh Văn phòng", note="Biên bản phổ biến")
    book.save(out)
    facts = ("classification.users", "classification.conditional_business_line",
             "state_budget", "classification.online_service")
    return {
        "users": f"Systems!{column(book, 'Systems', 'classification.users')}{his}",
        "attestation": f"Evidence!{column(book, 'Evidence', 'number')}{request}",
        **{key: f"Systems!{column(book, 'Systems', key)}{his}" for key in facts},
    }


def test_answers_go_into_the_yaml_with_their_cell_and_the_rest_untouched(
    fresh: tuple[Path, Path], tmp_path: Path
) -> None:
    inventory, out = fresh
    before = snapshot(inventory)
    cells = _fill(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    assert "4 giá trị, 1 xác nhận" in result.stdout
    after = snapshot(inventory)
    assert {k for k in before if before[k] != after[k]} == {"so-y-te.yaml"}
    old = before["so-y-te.yaml"].decode().splitlines()
    new = after["so-y-te.yaml"].decode().splitlines()
    added = [line for line in new if line not in old]
    assert [line for line in old if line not in new] == []  # only additions: a readable diff
    assert f"        users: 12000  # bảng tính: so-y-te.xlsx!{cells['users']}" in added
    assert any("conditional_business_line: false  # bảng tính" in a for a in added)
    assert any(a.strip().startswith("state_budget: true  # bảng tính") for a in added)
    assert any("- rule: MGT-POL-02  # bảng tính: so-y-te.xlsx!" + cells["attestation"] in a
               for a in added)
    assert len(added) == 4 + 8  # four facts; an attestations key and the attestation
    validated = run_cli("validate", inventory)
    assert validated.code == 0, validated.stderr
    # The audit passes the new attestation and cites the cell, not a YAML line.
    results = audit_json(inventory, tmp_path / "after.json")
    passed = finding(results, "his-bvdk-tinh", "MGT-POL-02")
    assert passed["status"] == "pass"
    cited_cell = [e["origin"] for e in passed["evidence"]
                  if e["origin"].get("via") == f"so-y-te.xlsx!{cells['attestation']}"]
    assert len(cited_cell) == 1
    assert cited_cell[0]["source"] == "workbook"
    assert cited_cell[0]["file"] == str(inventory / "so-y-te.yaml")
    line = (inventory / "so-y-te.yaml").read_text(encoding="utf-8").splitlines()[
        cited_cell[0]["line"] - 1]
    assert line.strip().startswith("- rule: MGT-POL-02  # bảng tính")  # the YAML line, too
    # ...and the facts the agency answered are cited by their cells wherever findings show
    # them (the classification facts in the level and applicability evidence).
    shown = [e for s in results["systems"] if s["id"] == "his-bvdk-tinh"
             for f in s["findings"] for e in f["evidence"] if e["fact"] in cells]
    assert shown
    for evidence in shown:
        assert evidence["origin"]["source"] == "workbook", evidence
        assert evidence["origin"]["via"] == f"so-y-te.xlsx!{cells[evidence['fact']]}"


def test_importing_the_same_answers_twice_changes_nothing_more(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    _fill(out)
    assert import_(out, inventory).code == 0
    once = snapshot(inventory)
    again = import_(out, inventory)
    assert again.code == 0, again.stderr
    assert "không có câu trả lời mới" in again.stdout
    assert snapshot(inventory) == once


def test_the_html_report_shows_the_cell(fresh: tuple[Path, Path], tmp_path: Path) -> None:
    inventory, out = fresh
    cells = _fill(out)
    assert import_(out, inventory).code == 0
    page = tmp_path / "report.html"
    result = run_cli("audit", inventory, "--as-of", "2026-11-24", "-o", page, "-q",
                     "--no-history")
    assert result.code in (0, 1), result.stderr
    assert f"so-y-te.xlsx!{cells['attestation']}" in page.read_text(encoding="utf-8")


BAD_CELLS: list[tuple[str, str, Any, str]] = [
    # (sheet, field, value, what the message says)
    ("Systems", "go_live", "31/02/2025", "không phải một ngày"),
    ("Systems", "declared_level", 7, "cấp độ phải từ 1 đến 5"),
    ("Systems", "lifecycle", "đang chạy", "không phải một lựa chọn"),
    ("Systems", "classification.users", "12,5", "không phải số nguyên"),
    ("Systems", "classification.basic_pd_subjects", -3, "không được âm"),
    ("Systems", "classification.sensitive_pd_subjects", "=1+1", "công thức"),
    ("Systems", "system_type", None, "không được để trống"),
]


def test_bad_cells_are_all_reported_with_sheet_cell_field_and_value(
    fresh: tuple[Path, Path],
) -> None:
    inventory, out = fresh
    before = snapshot(inventory)
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    where = {}
    for sheet, key, value, _ in BAD_CELLS:
        target = cell(book, sheet, key, his)
        target.value = value
        where[key] = f"so-y-te.xlsx!{sheet}!{target.coordinate}"
    request = evidence_row(book, "his-bvdk-tinh", "MGT-POL-02")
    answer_evidence(book, request, number="77/BB-BVĐK")  # no date, no signer
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2
    assert snapshot(inventory) == before  # nothing written
    lines = result.stderr.splitlines()
    for _, key, value, words in BAD_CELLS:
        line = next((x for x in lines if where[key] + ":" in x), None)
        assert line is not None, (key, result.stderr)
        assert f"trường '{key}'" in line and words in line, line
        if value not in (None, -3):
            assert str(value) in line, line
    date_cell = f"Evidence!{column(book, 'Evidence', 'date')}{request}"
    signer_cell = f"Evidence!{column(book, 'Evidence', 'attested_by')}{request}"
    assert any(date_cell in x and "thiếu 'Ngày văn bản'" in x for x in lines)
    assert any(signer_cell in x and "thiếu 'Người xác nhận'" in x for x in lines)
    assert f"{len(BAD_CELLS) + 2} lỗi" in result.stderr


def test_errors_follow_lang(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    cell(book, "Systems", "go_live", 3).value = "yesterday"
    book.save(out)
    result = import_(out, inventory, "--lang", "en")
    assert result.code == 2
    assert "field 'go_live'" in result.stderr and "is not a date" in result.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_answer_to_a_stale_export_is_reported_not_merged(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    # After the export, the SOC corrects the inventory...
    _edit(inventory / "so-y-te.yaml", "        sensitive_pd_subjects: 180000\n",
          "        sensitive_pd_subjects: 190000\n")
    edited = snapshot(inventory)
    # ...and the agency answers the same fact from its older copy.
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    target = cell(book, "Systems", "classification.sensitive_pd_subjects", his)
    target.value = 200000
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2
    assert f"so-y-te.xlsx!Systems!{target.coordinate}" in result.stderr
    assert "đã thay đổi sau khi xuất" in result.stderr
    assert "'190000'" in result.stderr and "'180000'" in result.stderr
    assert "'200000'" in result.stderr
    assert snapshot(inventory) == edited


def test_other_answers_to_a_changed_file_merge_cell_by_cell(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    _edit(inventory / "so-y-te.yaml", "        sensitive_pd_subjects: 180000\n",
          "        sensitive_pd_subjects: 190000\n")
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    cell(book, "Systems", "classification.users", his).value = 5000  # not the changed fact
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    assert "đã thay đổi sau khi xuất" in result.stderr  # said, not silent
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert "sensitive_pd_subjects: 190000" in text  # the newer value stands
    assert "users: 5000  # bảng tính" in text


def test_an_evidence_answer_to_a_stale_export_is_reported(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    request = evidence_row(book, AGENCY, "GOV-17")
    answer_evidence(book, request, number="99/BC-SYT", date="10/01/2026",
                    attested_by="Lê Văn Phúc")
    book.save(out)
    # Someone recorded a GOV-17 attestation in the YAML after the export.
    _edit(inventory / "so-y-te.yaml", "      effective: 2024-01-10\n",
          "      effective: 2024-01-10\n    - rule: GOV-17\n      document: {number: 5/BC-SYT,"
          " date: 2026-01-05}\n      attested_by: Lê Văn Phúc\n")
    edited = snapshot(inventory)
    result = import_(out, inventory)
    assert result.code == 2
    cell_ref = f"so-y-te.xlsx!Evidence!{column(book, 'Evidence', 'number')}{request}"
    assert cell_ref in result.stderr and "5/BC-SYT" in result.stderr
    assert snapshot(inventory) == edited


def test_emptying_a_declared_fact_removes_it(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    cell(book, "Systems", "classification.sensitive_pd_subjects", his).value = None
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert text.count("sensitive_pd_subjects:") == 2  # was 3: his' own line is gone
    assert "sensitive_pd_subjects: 180000       # ND331" in text  # its component's stays


def test_a_workbook_for_another_agency_or_not_a_workbook_is_refused(
    fresh: tuple[Path, Path], tmp_path: Path
) -> None:
    inventory, out = fresh
    text = tmp_path / "notes.xlsx"
    text.write_text("not a spreadsheet", encoding="utf-8")
    result = import_(text, inventory)
    assert result.code == 2 and "không phải bảng tính Excel" in result.stderr
    only_org = tmp_path / "org"
    only_org.mkdir()
    (only_org / "00.yaml").write_bytes((EXAMPLE / "00-tinh-an-binh.yaml").read_bytes())
    result = import_(out, only_org)
    assert result.code == 2 and "so-y-te" in result.stderr


def test_a_tampered_hidden_column_is_refused(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    hidden = column(book, "Systems", "_exported")
    book["Systems"][f"{hidden}3"].value = "{not json"
    cell(book, "Systems", "classification.users", 3).value = 10
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2 and "_exported" in result.stderr


def test_too_large_workbooks_are_refused_before_reading(
    fresh: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.errors import InputError
    from auditor.workbook import reading

    _, out = fresh
    size = out.stat().st_size
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", size)
    reading.read_workbook(out)  # at the limit: read
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(InputError, match="larger than the limit"):
        reading.read_workbook(out)
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", size)
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InputError, match="too large once unpacked"):
        reading.read_workbook(out)


def test_metadata_columns_name_every_field(exported: tuple[Path, Path]) -> None:
    from auditor.workbook.fields import SYSTEM_FIELDS

    _, out = exported
    keys = json.loads(metadata(openpyxl.load_workbook(out))["columns"])["Systems"]
    assert keys[2:-1] == [f.key for f in SYSTEM_FIELDS]


# -- documents and staff --------------------------------------------------------------------


def test_documents_and_staff_sheets_prefill_and_import(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Documents", "A", "his-bvdk-tinh")
    hssk = row_of(book, "Documents", "A", "hssk-dien-tu")
    assert cell(book, "Documents", "security_regulation.number", his).value == "45/QĐ-BVĐK"
    assert cell(book, "Documents", "security_regulation.date", his).value == dt.datetime(
        2026, 2, 10)
    assert cell(book, "Documents", "dossier.status", hssk).value == "Đã gửi thẩm định"
    assert cell(book, "Documents", "acceptance_test.number", hssk).value is None
    # The province's regulation, which the system inherits, is shown.
    assert cell(book, "Documents", "security_regulation.number", hssk).value == (
        "18/2024/QĐ-UBND")
    staff = row_of(book, "Staff", "A", AGENCY)
    assert cell(book, "Staff", "staff.security_staff", staff).value == 4
    assert cell(book, "Staff", "staff.trained", staff).value == 1
    cell(book, "Documents", "acceptance_test.number", hssk).value = "12/BB-SYT"
    cell(book, "Documents", "acceptance_test.date", hssk).value = "01/11/2026"
    cell(book, "Staff", "staff.trained", staff).value = 3
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert "trained: 3            # GAP: 3 of 4 security staff have not been trained · " \
        "bảng tính: so-y-te.xlsx!Staff!" in text
    block = text.split("- id: hssk-dien-tu", 1)[1]
    assert "      acceptance_test:\n        number: 12/BB-SYT  # bảng tính: " in block
    assert "        date: 2026-11-01  # bảng tính: " in block
    assert run_cli("validate", inventory).code == 0


def test_a_document_needs_its_number_and_date_together(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    before = snapshot(inventory)
    book = openpyxl.load_workbook(out)
    hssk = row_of(book, "Documents", "A", "hssk-dien-tu")
    cell(book, "Documents", "acceptance_test.number", hssk).value = "12/BB-SYT"
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2
    date_cell = cell(book, "Documents", "acceptance_test.date", hssk).coordinate
    assert f"so-y-te.xlsx!Documents!{date_cell}: trường 'acceptance_test.date'" in (
        result.stderr)
    assert snapshot(inventory) == before


def test_answers_the_model_refuses_are_reported_and_nothing_is_written(
    fresh: tuple[Path, Path],
) -> None:
    inventory, out = fresh
    before = snapshot(inventory)
    book = openpyxl.load_workbook(out)
    staff = row_of(book, "Staff", "A", AGENCY)
    trained = cell(book, "Staff", "staff.trained", staff)
    trained.value = 5  # more trained than staff (4)
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2
    # Said against the cell the answer is in, never a line of the file that was not written.
    assert f"so-y-te.xlsx!Staff!{trained.coordinate}: trường 'agency.staff'" in result.stderr
    assert "'trained' không được lớn hơn 'security_staff'" in result.stderr
    assert "so-y-te.yaml" not in result.stderr
    assert snapshot(inventory) == before
    # At the boundary (as many trained as staff) the same answer is accepted.
    trained.value = 4
    book.save(out)
    assert import_(out, inventory).code == 0


def test_emptying_a_whole_document_removes_it(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Documents", "A", "his-bvdk-tinh")
    for key in ("number", "date", "body"):
        cell(book, "Documents", f"security_regulation.{key}", his).value = None
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert "45/QĐ-BVĐK" not in text
    # ...with its title, which the workbook does not show: no half document is left.
    assert "title: Quy chế bảo đảm an toàn thông tin Hệ thống HIS" not in text
    assert "regulation issued 10/02/2026" in text  # the comment before it stays
    assert run_cli("validate", inventory).code == 0


def test_answering_an_inherited_layer_makes_it_the_systems_own_whole(
    fresh: tuple[Path, Path],
) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    his = row_of(book, "Assessments", "A", "his-bvdk-tinh")
    inherited = cell(book, "Assessments", "four_layer.layer3.last_assessment", his)
    assert inherited.value == dt.datetime(2026, 4, 15)  # from the agency's defaults
    assert cell(book, "Assessments", "four_layer.layer3.result", his).value == (
        "Đạt có điều kiện")
    inherited.value = "01/10/2026"
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    system = text.split("- id: his-bvdk-tinh", 1)[1].split("- id: hssk-dien-tu", 1)[0]
    assert (
        "      four_layer:\n        layer3:\n"
        "          assessor: Công ty Cổ phần Kiểm định An toàn số Phương Nam\n"
    ) in system
    assert "          last_assessment: 2026-10-01  # bảng tính: so-y-te.xlsx!Assessments!" in (
        system)
    assert "          result: conditional\n" in system
    assert "        last_assessment: 2026-04-15\n" in text  # the agency default stays
    assert run_cli("validate", inventory).code == 0


def test_hosts_and_endpoints_sheets_edit_the_items_they_name(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    hosts = book["Hosts"]
    names = [(hosts[f"A{r}"].value, hosts[f"B{r}"].value) for r in range(3, hosts.max_row + 1)]
    assert names == [
        ("his-bvdk-tinh", "his.syt.anbinh.test"),
        ("his-bvdk-tinh", "datlich.bvdk.anbinh.example"),
        ("hssk-dien-tu", "hssk-test.syt.anbinh.example"),
    ]
    assert cell(book, "Hosts", "expected_ports", 4).value == "443/tcp, 80/tcp"
    assert cell(book, "Hosts", "ipv6", 4).value is None  # not declared
    assert hosts["B4"].protection.locked  # an item's name is not an answer
    cell(book, "Hosts", "ipv6", 4).value = "2001:db8:10::70"
    cell(book, "Hosts", "expected_ports", 4).value = "443, 80, 8443"
    endpoints = book["Endpoints"]
    assert endpoints["B3"].value == "https://datlich.bvdk.anbinh.example/"
    cell(book, "Endpoints", "ipv6_claimed", 3).value = "Có"
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    text = (inventory / "so-y-te.yaml").read_text(encoding="utf-8")
    assert "          ipv6: [2001:db8:10::70]  # bảng tính: so-y-te.xlsx!Hosts!" in text
    # Text the loader (YAML 1.1) would read as numbers is quoted.
    assert "          expected_ports: ['443', '80', '8443']  # bảng tính" in text
    claimed = next(line for line in text.splitlines() if "ipv6_claimed: true" in line)
    assert claimed.endswith(
        "# no AAAA yet; IPv6 planned for 2027 · bảng tính: so-y-te.xlsx!Endpoints!D3")
    assert run_cli("validate", inventory).code == 0


def test_an_item_removed_since_the_export_is_reported(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    _edit(inventory / "so-y-te.yaml",
          "        - name: his.syt.anbinh.test\n", "        - name: his2.syt.anbinh.test\n")
    book = openpyxl.load_workbook(out)
    cell(book, "Hosts", "role", 3).value = "Máy chủ HIS"
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 2
    assert "so-y-te.xlsx!Hosts!A3" in result.stderr and "his.syt.anbinh.test" in result.stderr


def test_export_in_english_shows_english_words_and_imports_the_same(tmp_path: Path) -> None:
    inventory = copy_example(tmp_path)
    out = tmp_path / "so-y-te.xlsx"
    assert export(inventory, out, "--lang", "en").code == 0
    book = openpyxl.load_workbook(out)
    assert book["Systems"]["A1"].value == "System id"
    his = row_of(book, "Systems", "A", "his-bvdk-tinh")
    assert cell(book, "Systems", "lifecycle", his).value == "In production"
    assert cell(book, "Systems", "classification.serves_defence_security", his).value == "No"
    before = snapshot(inventory)
    assert import_(out, inventory).code == 0
    assert snapshot(inventory) == before
    # An English answer is read as the words the English dropdown offers.
    cell(book, "Systems", "lifecycle", his).value = "Retired"
    book.save(out)
    assert import_(out, inventory).code == 0
    assert "lifecycle: retired" in (inventory / "so-y-te.yaml").read_text(encoding="utf-8")


def test_dry_run_says_what_would_change_and_writes_nothing(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    before = snapshot(inventory)
    _fill(out)
    result = import_(out, inventory, "--dry-run")
    assert result.code == 0, result.stderr
    assert "sẽ cập nhật" in result.stdout and "4 giá trị, 1 xác nhận" in result.stdout
    assert snapshot(inventory) == before


def test_every_agency_gets_its_workbook_in_a_folder(tmp_path: Path) -> None:
    result = run_cli("workbook", "export", EXAMPLE, "-o", tmp_path / "books",
                     "--as-of", "2026-11-24")
    assert result.code == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "books").iterdir())
    agencies = sorted(p.stem for p in EXAMPLE.glob("*.yaml") if not p.name.startswith("00-"))
    assert written == [f"{a}.xlsx" for a in agencies]
    one = run_cli("workbook", "export", EXAMPLE, "-o", tmp_path / "two.xlsx")
    assert one.code == 2 and "one --agency" in one.stderr


def test_every_agency_round_trips_and_an_edit_touches_only_its_lines(tmp_path: Path) -> None:
    inventory = copy_example(tmp_path)
    books = tmp_path / "books"
    assert run_cli("workbook", "export", inventory, "-o", books, "--as-of", "2026-11-24").code == 0
    before = snapshot(inventory)
    for book_path in sorted(books.glob("*.xlsx")):
        result = import_(book_path, inventory)
        assert result.code == 0, (book_path.name, result.stderr)
    assert snapshot(inventory) == before
    # An edit in a file with YAML anchors and aliases (so-khoa-hoc-cong-nghe) changes one line.
    path = books / "so-khoa-hoc-cong-nghe.xlsx"
    book = openpyxl.load_workbook(path)
    target = cell(book, "Systems", "classification.requires_24x7", 3)
    target.value = "Có" if target.value != "Có" else "Không"
    book.save(path)
    assert import_(path, inventory).code == 0
    old = before["so-khoa-hoc-cong-nghe.yaml"].decode().splitlines()
    new = (inventory / "so-khoa-hoc-cong-nghe.yaml").read_text(encoding="utf-8").splitlines()
    assert len([line for line in old if line not in new]) <= 1
    assert len([line for line in new if line not in old]) == 1
    assert run_cli("validate", inventory).code == 0


def test_answering_an_inherited_document_copies_it_whole(fresh: tuple[Path, Path]) -> None:
    inventory, out = fresh
    book = openpyxl.load_workbook(out)
    hssk = row_of(book, "Documents", "A", "hssk-dien-tu")
    cell(book, "Documents", "security_regulation.number", hssk).value = "19/2024/QĐ-UBND"
    book.save(out)
    result = import_(out, inventory)
    assert result.code == 0, result.stderr
    block = (inventory / "so-y-te.yaml").read_text(encoding="utf-8").split(
        "- id: hssk-dien-tu", 1)[1]
    assert "      security_regulation:\n        number: 19/2024/QĐ-UBND  # bảng tính" in block
    organisation = (inventory / "00-tinh-an-binh.yaml").read_text(encoding="utf-8")
    assert "18/2024/QĐ-UBND" in organisation  # the province's own stays as it was
    assert run_cli("validate", inventory).code == 0
