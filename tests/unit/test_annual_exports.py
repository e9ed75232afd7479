"""The annual report's XLSX and CSV exports, on figures collected from a real history store.

The example province is audited twice (2025 and 2026), both runs are recorded in an SQLite
store of the test's own, and the figures `collect_figures` folds from it are written and read
back: with openpyxl for the workbook, with the csv module for the annex. No mocks: failures
are provoked with real paths (a missing directory, a directory in the file's place) and real
bad data.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from store.synthetic import example_run

from auditor.loading.catalog import load_catalog
from auditor.model.targets import AnnualTargets
from auditor.report.annual import columns, export_words
from auditor.report.annual.collect import collect_figures
from auditor.report.annual.csv_out import write_csv
from auditor.report.annual.figures import AnnualFigures, SystemLine, statutory_period
from auditor.report.annual.kpis import KpiStatus, periodic_cycles
from auditor.report.annual.xlsx import write_xlsx
from auditor.store import HistoryStore

SHEETS = {
    "vi": ["Tổng hợp", "Chỉ tiêu", "Hệ thống", "Cơ quan"],
    "en": ["Summary", "Indicators", "Systems", "Agencies"],
}
INJECTED = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> AnnualFigures:
    path = tmp_path_factory.mktemp("annual") / "h.sqlite"
    with HistoryStore.open(str(path)) as store:
        store.record(example_run(dt.date(2025, 11, 20)), inventory="x")
        store.record(example_run(dt.date(2026, 11, 24)), inventory="x")
        # the inspection cycles the shipped rules set, as `auditor report annual` reads them
        cycles = periodic_cycles(load_catalog([])[0])
        return collect_figures(store, statutory_period(2026), AnnualTargets(), cycles=cycles)


def _line(figures: AnnualFigures, system_id: str) -> SystemLine:
    return next(line for line in figures.systems if line.system_id == system_id)


def _index(key: str) -> int:
    return [column.key for column in columns.COLUMNS].index(key)


def _with_lines(figures: AnnualFigures, *lines: SystemLine) -> AnnualFigures:
    """The figures with the given lines in place of the ones of the same system id."""
    by_id = {line.system_id: line for line in lines}
    return dataclasses.replace(
        figures, systems=tuple(by_id.get(line.system_id, line) for line in figures.systems)
    )


def _system_rows(path: Path, lang: str) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path)
    return list(workbook[SHEETS[lang][2]].iter_rows(values_only=True))


def _openpyxl_temp_files() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("openpyxl.*"))


# -- columns ----------------------------------------------------------------------------------


def test_words_are_complete_in_both_languages_and_differ() -> None:
    words = export_words.all_words()
    assert words["vi"].keys() == words["en"].keys()
    for lang in export_words.LANGS:
        assert all(text.strip() for text in words[lang].values()), lang
    for column in columns.COLUMNS:
        assert column.vi and column.en


def test_columns_are_form08_then_audit_then_each_system_indicator_once() -> None:
    keys = [column.key for column in columns.COLUMNS]
    assert len(keys) == len(set(keys))
    assert keys[:4] == ["agency_id", "agency_name", "system_id", "system_name"]
    assert keys.index("national_security") < keys.index("audited_on") < keys.index("score")
    kpi_keys = [key for key in keys if key.startswith("kpi_")]
    assert kpi_keys[0] == "kpi_classified_approved"
    assert "kpi_ipv6_portals" in kpi_keys and "kpi_layer4" in kpi_keys
    # Only system-based indicators: staff and certificate counts are no per-system status.
    assert "kpi_staff_trained" not in kpi_keys and "kpi_expired_certificates" not in kpi_keys
    assert len(kpi_keys) == 15


def test_cell_values_are_plain_values_not_formatted_text(figures: AnnualFigures) -> None:
    line = _line(figures, "tra-cuu-hoc-tap")
    row = columns.row(line, "Sở Giáo dục", "vi")
    assert row[_index("decision_date")] == dt.date(2025, 4, 14)
    assert row[_index("effective_level")] == 3
    assert isinstance(row[_index("score")], float)
    assert row[_index("score")] == round(line.score or 0, 1)
    assert row[_index("governing_regime")] == "NĐ 85/2016"
    assert row[_index("inspections")] == "Trước khi đưa vào sử dụng; Định kỳ"
    assert row[_index("open_critical")] == 1


def test_a_system_without_a_register_gets_none_in_every_form08_cell(
    figures: AnnualFigures,
) -> None:
    line = dataclasses.replace(_line(figures, "tra-cuu-hoc-tap"), register=None)
    row = dict(zip((c.key for c in columns.COLUMNS), columns.row(line, "A", "en"), strict=True))
    register_keys = columns.COLUMNS[_index("owner") : _index("national_security") + 1]
    for column in register_keys:
        if column.key in ("effective_level", "computed_level", "governing_regime"):
            assert row[column.key] is not None  # the audit knows these, not the register
        else:
            assert row[column.key] is None, column.key
    assert row["system_name"] == line.name and row["audited_on"] == line.audited_on


def test_form08_words_for_dossier_plan_and_inspections(figures: AnnualFigures) -> None:
    def cell(system_id: str, key: str, lang: str) -> Any:
        return columns.row(_line(figures, system_id), "A", lang)[_index(key)]

    assert cell("hoc-ba-so", "dossier_status", "vi") == "Đang dự thảo"
    assert cell("hoc-ba-so", "dossier_status", "en") == "Drafting"
    assert cell("csdl-tai-san-cong", "dossier_status", "vi") == "Đã gửi thẩm định"
    assert cell("csdl-tai-san-cong", "dossier_status", "en") == "Submitted for appraisal"
    assert cell("qlns-tai-san", "dossier_status", "vi") == "Chưa có hồ sơ"
    assert cell("qlns-tai-san", "dossier_status", "en") == "No dossier"
    assert cell("tra-cuu-hoc-tap", "dossier_status", "en") == "Approved"
    assert cell("tra-cuu-hoc-tap", "plan_deployment", "vi") == "Đã triển khai một số hạng mục"
    assert cell("ttdl-tinh", "plan_deployment", "vi") == "Đã triển khai đầy đủ"
    # lgsp-tinh's last periodic assessment (2025-03-20) predates the period.
    assert cell("lgsp-tinh", "inspections", "en") == "Before going live"
    assert cell("hoc-ba-so", "inspections", "en") == "Periodic"
    assert cell("hoc-ba-so", "national_security", "vi") == "Không"


def test_indicator_cells_are_status_words(figures: AnnualFigures) -> None:
    line = _line(figures, "hoc-ba-so")
    row = columns.row(line, "A", "vi")
    assert line.kpis["four_layer"] is KpiStatus.NOT_MET
    assert row[_index("kpi_four_layer")] == "Chưa đạt"
    assert row[_index("kpi_classified_approved")] == "Đạt"
    assert row[_index("kpi_ipv6_portals")] == "Không áp dụng"
    unverified = dataclasses.replace(line, kpis={**line.kpis, "four_layer": KpiStatus.UNVERIFIED})
    assert columns.row(unverified, "A", "en")[_index("kpi_four_layer")] == "Unverified"


def test_unknown_language_is_refused(figures: AnnualFigures, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report language"):
        write_xlsx(figures, tmp_path / "r.xlsx", "fr")
    with pytest.raises(ValueError, match="unknown report language"):
        write_csv(figures, tmp_path / "r.csv", "fr")
    assert list(tmp_path.iterdir()) == []


# -- XLSX -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_xlsx_sheets_headers_and_one_row_per_system(
    figures: AnnualFigures, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "annual.xlsx"
    write_xlsx(figures, path, lang)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == SHEETS[lang]
    rows = _system_rows(path, lang)
    assert list(rows[0]) == columns.headers(lang)
    assert len(rows) - 1 == len(figures.systems) == 20
    assert [row[2] for row in rows[1:]] == [line.system_id for line in figures.systems]


def test_xlsx_system_sheet_is_frozen_filtered_and_sized(
    figures: AnnualFigures, tmp_path: Path
) -> None:
    path = tmp_path / "annual.xlsx"
    write_xlsx(figures, path, "vi")
    sheet = openpyxl.load_workbook(path)["Hệ thống"]
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(columns.COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}21"
    assert sheet.column_dimensions["D"].width == 40  # system name


@pytest.mark.parametrize(("lang", "date_format"), [("vi", "dd/mm/yyyy"), ("en", "yyyy-mm-dd")])
def test_xlsx_form08_cells_equal_the_register(
    figures: AnnualFigures, tmp_path: Path, lang: str, date_format: str
) -> None:
    path = tmp_path / "annual.xlsx"
    write_xlsx(figures, path, lang)
    sheet = openpyxl.load_workbook(path)[SHEETS[lang][2]]
    line = _line(figures, "tra-cuu-hoc-tap")
    register = line.register
    assert register is not None and register.decision is not None
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[_index("system_id")].value == line.system_id
    )
    value = {column.key: row[i] for i, column in enumerate(columns.COLUMNS)}
    assert value["owner"].value == register.owner
    assert value["operator"].value == register.operator
    assert value["proposed_level"].value == register.proposed_level
    assert value["dossier_status"].value == ("Đã được phê duyệt" if lang == "vi" else "Approved")
    assert value["decision_number"].value == register.decision.number
    assert value["decision_body"].value == register.decision.body
    decided = value["decision_date"]
    assert decided.is_date and decided.number_format == date_format
    assert decided.value.date() == register.decision.date
    assert value["expected_approval"].value is None
    assert value["audited_on"].value.date() == line.audited_on
    assert value["score"].value == pytest.approx(round(line.score or 0, 1))
    assert value["score"].data_type == "n"


def test_xlsx_indicators_equal_the_figures(figures: AnnualFigures, tmp_path: Path) -> None:
    path = tmp_path / "annual.xlsx"
    write_xlsx(figures, path, "en")
    rows = list(openpyxl.load_workbook(path)["Indicators"].iter_rows(values_only=True))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    at = {name: header.index(name) for name in ("Target", "Value", "Meeting it", "Applicable")}
    for kpi in figures.kpis:
        row = body[kpi.kpi.id]
        assert row[header.index("Indicator")] == kpi.kpi.title.en
        assert row[at["Target"]] == pytest.approx(kpi.target)
        assert row[at["Value"]] == (None if kpi.value is None else pytest.approx(kpi.value))
        assert row[at["Meeting it"]] == kpi.met
        assert row[at["Applicable"]] == kpi.applicable
        previous = row[header.index("Previous year")]
        assert previous == (None if kpi.previous is None else pytest.approx(kpi.previous))
        reached = row[header.index("Target reached")]
        assert reached == {None: "—", True: "Achieved", False: "Not achieved"}[kpi.achieved]
    # The layers, IPv6 and assessments follow, ipv6_portals listed once.
    ids = [row[0] for row in rows[1:]]
    assert ids.count("ipv6_portals") == 1 and "layer1" in ids and "vulnerability_scans" in ids


def test_xlsx_summary_has_period_and_form08_headline(
    figures: AnnualFigures, tmp_path: Path
) -> None:
    path = tmp_path / "annual.xlsx"
    write_xlsx(figures, path, "vi")
    sheet = openpyxl.load_workbook(path)["Tổng hợp"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if len(row) > 1}
    assert cells["Cơ quan, tổ chức báo cáo"].value == figures.organisation_name
    since = cells["Số liệu từ ngày"]
    assert since.value.date() == dt.date(2025, 12, 15) and since.number_format == "dd/mm/yyyy"
    assert cells["Hạn gửi báo cáo"].value.date() == dt.date(2026, 12, 25)
    headline = figures.headline
    assert cells["Tổng số hệ thống thông tin"].value == headline.systems == 20
    assert cells["Hồ sơ đề xuất cấp độ: Đã được phê duyệt"].value == headline.dossier["approved"]
    assert cells["Chưa có hồ sơ đề xuất cấp độ"].value == headline.no_dossier
    assert cells["Phương án bảo đảm an ninh mạng: Chưa khai báo"].value == (
        headline.plan["undeclared"]
    )
    # Form 08 section 1 reads cumulatively: an approved dossier was built and appraised
    assert cells["Đã xây dựng hồ sơ đề xuất cấp độ"].value == headline.built == 18
    assert cells["Đã được thẩm định hồ sơ đề xuất cấp độ"].value == headline.appraised == 16
    assert cells["Đã được phê duyệt cấp độ"].value == headline.approved == 16
    # one date, not a count
    expected = cells["Dự kiến thời gian hoàn thành phê duyệt cấp độ tất cả HTTT"]
    assert expected.value.date() == headline.expected_completion == dt.date(2027, 3, 31)


def test_xlsx_agencies_are_the_ranking(figures: AnnualFigures, tmp_path: Path) -> None:
    path = tmp_path / "annual.xlsx"
    write_xlsx(figures, path, "en")
    rows = list(openpyxl.load_workbook(path)["Agencies"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Rank", "Agency ID", "Agency")
    assert [row[:4] for row in rows[1:]] == [
        (a.rank, a.agency_id, a.name, a.systems) for a in figures.agencies
    ]
    first = figures.agencies[0]
    assert first.staff is not None
    assert rows[1][4:8] == (
        pytest.approx(first.score),
        first.open_critical_high,
        first.staff.trained,
        first.staff.security_staff,
    )
    # then the agency's own indicators, in per cent, one column each
    assert len(rows[0]) == 8 + len(first.kpis)
    assert rows[1][8:] == tuple(
        None if v.value is None else pytest.approx(v.value) for v in first.kpis
    )


def test_xlsx_inventory_text_is_never_a_formula(figures: AnnualFigures, tmp_path: Path) -> None:
    texts = [INJECTED, "+1+2", "-2+3", "@SUM(A1)", "#N/A"]
    lines = [
        dataclasses.replace(line, name=text)
        for line, text in zip(figures.systems, texts, strict=False)
    ]
    path = tmp_path / "annual.xlsx"
    write_xlsx(_with_lines(figures, *lines), path, "vi")
    sheet = openpyxl.load_workbook(path)["Hệ thống"]
    names = [row[_index("system_name")] for row in sheet.iter_rows(min_row=2, max_row=6)]
    # The visible text is exactly what the inventory says: no apostrophe added.
    assert [cell.value for cell in names] == texts
    assert all(cell.data_type == "s" for cell in names)
    assert all(cell.quotePrefix for cell in names)  # Excel keeps it text when edited
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name


def test_xlsx_control_and_bidi_characters_are_visible_escapes(
    figures: AnnualFigures, tmp_path: Path
) -> None:
    """Every character openpyxl refuses (NUL, ESC, BEL…) and those it accepts but that act
    where the cell is shown (C1 controls, DEL, bidi overrides) become visible escapes, as in
    the CSV annex; the export does not fail, and line breaks stay."""
    texts = [
        "Sở \x1b]0;pwned\x07 A",  # an OSC title sequence (openpyxl refuses ESC and BEL)
        "Hệ\x00thống",  # NUL
        "Cổng \u202eevil",  # right-to-left override (XML accepts it)
        "CSI \x9b31m đỏ\x7f",  # a C1 control and DEL (XML accepts both)
        "Hai\ndòng",  # a line break stays a line break
    ]
    shown = [
        "Sở \\x1b]0;pwned\\x07 A",
        "Hệ\\x00thống",
        "Cổng \\u202eevil",
        "CSI \\x9b31m đỏ\\x7f",
        "Hai\ndòng",
    ]
    lines = [
        dataclasses.replace(line, name=text)
        for line, text in zip(figures.systems, texts, strict=False)
    ]
    path = tmp_path / "annual.xlsx"
    write_xlsx(_with_lines(figures, *lines), path, "vi")
    sheet = openpyxl.load_workbook(path)["Hệ thống"]
    names = [row[_index("system_name")].value for row in sheet.iter_rows(min_row=2, max_row=6)]
    assert names == shown
    with zipfile.ZipFile(path) as archive:
        sheets = b"".join(
            archive.read(name) for name in archive.namelist() if name.startswith("xl/")
        )
    for raw in ("\x1b", "\x07", "\x00", "\u202e", "\x9b", "\x7f"):
        assert raw.encode() not in sheets, raw


# -- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_csv_has_bom_header_and_one_row_per_system(
    figures: AnnualFigures, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "annual.csv"
    write_csv(figures, path, lang)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == columns.headers(lang)
    assert len(rows) - 1 == len(figures.systems) == 20
    assert {len(row) for row in rows} == {len(columns.COLUMNS)}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_csv_dates_are_iso_and_numbers_use_a_decimal_point(
    figures: AnnualFigures, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "annual.csv"
    write_csv(figures, path, lang)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row[_index("system_id")]: row for row in csv.reader(handle)}
    line = _line(figures, "tra-cuu-hoc-tap")
    row = rows[line.system_id]
    assert row[_index("decision_date")] == "2025-04-14"
    assert row[_index("audited_on")] == "2026-11-24"
    assert row[_index("score")] == f"{line.score:.1f}"
    assert "." in row[_index("score")]
    assert row[_index("expected_approval")] == ""
    dossier = "Đã được phê duyệt" if lang == "vi" else "Approved"
    assert row[_index("dossier_status")] == dossier


def test_csv_defuses_formulas_with_a_quote(figures: AnnualFigures, tmp_path: Path) -> None:
    first, second = figures.systems[:2]
    injected = _with_lines(
        figures,
        dataclasses.replace(first, name=INJECTED),
        dataclasses.replace(second, name="@SUM(1+1)*cmd|' /C calc'!A0"),
    )
    path = tmp_path / "annual.csv"
    write_csv(injected, path, "en")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][_index("system_name")] == "'" + INJECTED
    assert rows[2][_index("system_name")] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    # Ordinary text and numbers are untouched.
    assert rows[3][_index("system_name")] == figures.systems[2].name
    assert rows[1][_index("open_critical")] == str(first.open_by_severity.get("critical", 0))


# -- atomicity --------------------------------------------------------------------------------


@pytest.mark.parametrize("write", [write_xlsx, write_csv])
def test_missing_directory_raises_and_leaves_nothing(
    figures: AnnualFigures, tmp_path: Path, write: Any
) -> None:
    with pytest.raises(FileNotFoundError):
        write(figures, tmp_path / "missing" / "annual.out", "vi")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("write", [write_xlsx, write_csv])
def test_a_directory_in_the_files_place_leaves_no_temporary_file(
    figures: AnnualFigures, tmp_path: Path, write: Any
) -> None:
    target = tmp_path / "annual.out"
    target.mkdir()
    with pytest.raises(IsADirectoryError):
        write(figures, target, "vi")
    assert list(tmp_path.iterdir()) == [target]
    assert list(target.iterdir()) == []


def test_xlsx_failure_mid_write_keeps_the_old_file_and_no_temporary_file(
    figures: AnnualFigures, tmp_path: Path
) -> None:
    path = tmp_path / "annual.xlsx"
    path.write_bytes(b"last year's report")
    # Not a cell value (as a corrupt record could give): openpyxl fails on that row.
    bad = dataclasses.replace(figures.systems[-1], name=object())  # type: ignore[arg-type]
    before = _openpyxl_temp_files()
    with pytest.raises(ValueError):
        write_xlsx(_with_lines(figures, bad), path, "vi")
    assert path.read_bytes() == b"last year's report"
    assert list(tmp_path.iterdir()) == [path]
    assert _openpyxl_temp_files() <= before  # the sheets' own temporary files are gone too


def test_csv_failure_after_some_chunks_keeps_the_old_file(
    figures: AnnualFigures, tmp_path: Path
) -> None:
    path = tmp_path / "annual.csv"
    path.write_bytes(b"last year's report")
    template = figures.systems[0]
    many = tuple(
        dataclasses.replace(template, system_id=f"s{n:05d}") for n in range(1200)
    )  # more rows than one chunk, so bytes were written before the failure
    broken = dataclasses.replace(many[-1], kpis={"four_layer": "met"})  # type: ignore[dict-item]
    figures = dataclasses.replace(figures, systems=(*many[:-1], broken))
    with pytest.raises(AttributeError):
        write_csv(figures, path, "vi")
    assert path.read_bytes() == b"last year's report"
    assert list(tmp_path.iterdir()) == [path]
