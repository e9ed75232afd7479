"""The per-system annex of the annual report: one column definition shared by XLSX and CSV.

Each `Column` has a stable key (what a script selects on, whatever the language), a
Vietnamese and an English header, and a function from a `SystemLine` (and its agency's name)
to a plain cell value — str, int, float, date or None, never pre-formatted text — so the
spreadsheet can sort, filter and sum it and each export formats dates and numbers its own way.

Order: the Decree 331 Form 08 row first (the statutory annual report), then the audit (date,
score, open findings), then one column per system-based indicator. Form 08 cells come from the
system's register; a system whose last audit predates the register (`register is None`) gets
None there, never a guess.

Also here: the exports' other words (sheet names, headings, status words), vi and en with the
same keys, because `auditor.report.labels` belongs to the HTML report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from auditor.model.results import SystemRegister
from auditor.report import labels
from auditor.report.annual.figures import AnnualFigures, SystemLine
from auditor.report.annual.kpis import (
    ASSESSMENTS,
    IPV6,
    KPIS,
    LAYERS,
    KpiDef,
    KpiStatus,
)
from auditor.report.annual.words import words as report_words

Cell = str | int | float | dt.date | None
Kind = Literal["text", "int", "float", "date"]  # how an export formats the cell
Getter = Callable[[SystemLine, str, str], Cell]  # (line, agency name, lang) -> cell

LANGS: Final = labels.LANGS

# Text starting with one of these is read as a formula by spreadsheets (OWASP "CSV
# injection"); both exports defuse it, each in its format's way.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")

# Form 08's own words (dossier, plan, inspections) and the status words are the report's:
# taken from `words`, so the page and the spreadsheets say exactly the same.
_SHARED: Final = {
    "dossier.draft": "draft",
    "dossier.submitted": "submitted",
    "dossier.appraised": "appraised",
    "dossier.approved": "approved",
    "dossier.none": "no_dossier",
    "plan.none": "none",
    "plan.partial": "partial",
    "plan.full": "full",
    "plan.undeclared": "undeclared",
    "inspection.pre_operation": "pre_operation",
    "inspection.periodic": "periodic",
    "kpi.met": "st_met",
    "kpi.not_met": "st_not_met",
    "kpi.unverified": "unverified",
    "kpi.not_applicable": "st_not_applicable",
    "achieved.yes": "achieved_yes",
    "achieved.no": "achieved_no",
}

_OWN_WORDS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "yes": "Có",
        "no": "Không",
        # sheets
        "sheet.summary": "Tổng hợp",
        "sheet.indicators": "Chỉ tiêu",
        "sheet.systems": "Hệ thống",
        "sheet.agencies": "Cơ quan",
        # summary sheet
        "title": "Báo cáo bảo đảm an toàn hệ thống thông tin theo cấp độ năm {year}",
        "organisation": "Cơ quan, tổ chức báo cáo",
        "organisation_id": "Mã cơ quan, tổ chức",
        "since": "Số liệu từ ngày",
        "until": "Đến ngày",
        "due": "Hạn gửi báo cáo",
        "statutory": "Kỳ báo cáo theo NĐ 331/2026 Đ.35",
        "runs": "Số lượt đánh giá trong kỳ",
        "live_systems": "Số HTTT được kiểm tra trực tiếp (--live)",
        "overall_score": "Điểm chung",
        "headline": "Số liệu tổng hợp (Mẫu số 08)",
        "h.systems": "Tổng số hệ thống thông tin",
        "h.classified": "Đã được phân loại (đã xác định được loại hình HTTT)",
        "h.built": "Đã xây dựng hồ sơ đề xuất cấp độ",
        "h.appraised": "Đã được thẩm định hồ sơ đề xuất cấp độ",
        "h.approved": "Đã được phê duyệt cấp độ",
        "h.retired": "Ngừng vận hành trước kỳ hoặc chưa khai báo ngày (không tính)",
        "h.no_dossier": "Chưa có hồ sơ đề xuất cấp độ",
        "h.dossier": "Hồ sơ đề xuất cấp độ: {status}",
        "h.with_regulation": "Đã có Quy chế bảo đảm an ninh mạng",
        "h.plan": "Phương án bảo đảm an ninh mạng: {deployment}",
        "h.inspected_pre_operation": "Đã kiểm tra, đánh giá trước khi đưa vào sử dụng",
        "h.inspected_periodic": "Đã phê duyệt cấp độ, kiểm tra, đánh giá định kỳ theo quy định",
        "h.periodic_late": "Đã phê duyệt cấp độ, kiểm tra định kỳ quá chu kỳ",
        "h.periodic_undeclared": "Đã phê duyệt cấp độ, chưa khai báo kiểm tra định kỳ",
        "h.periodic_no_cycle": "Đã phê duyệt cấp độ, quy định chưa nêu chu kỳ",
        "h.expected_completion": "Dự kiến thời gian hoàn thành phê duyệt cấp độ tất cả HTTT",
        "h.expected_missing": "Chưa phê duyệt, chưa khai báo thời gian dự kiến",
        "h.national_security": "HTTT quan trọng về an ninh quốc gia",
        "h.not_recorded": "Chưa có số liệu Mẫu 08 (đánh giá trước khi lưu Mẫu 08)",
        # indicators sheet
        "i.id": "Mã chỉ tiêu",
        "i.group": "Nhóm",
        "i.title": "Chỉ tiêu",
        "i.basis": "Căn cứ",
        "i.unit": "Đơn vị",
        "i.target": "Mục tiêu",
        "i.value": "Kết quả",
        "i.met": "Số đạt",
        "i.applicable": "Số áp dụng",
        "i.unverified": "Số chưa xác minh",
        "i.achieved": "Hoàn thành mục tiêu",
        "i.previous": "Kết quả năm trước",
        "unit.percent": "%",
        "unit.count": "Số lượng",
        "group.kpis": "Chỉ tiêu kế hoạch",
        "group.layers": "Mô hình 4 lớp",
        "group.ipv6": "IPv6",
        "group.assessments": "Kiểm tra, đánh giá",
        # agencies sheet
        "a.rank": "Xếp hạng",
        "a.id": "Mã cơ quan",
        "a.name": "Tên cơ quan, đơn vị",
        "a.systems": "Số HTTT",
        "a.score": "Điểm",
        "a.open_critical_high": "Phát hiện nghiêm trọng/cao chưa khắc phục",
        "a.trained": "Cán bộ an ninh mạng được đào tạo",
        "a.staff": "Tổng số cán bộ an ninh mạng",
    },
    "en": {
        "yes": "Yes",
        "no": "No",
        "sheet.summary": "Summary",
        "sheet.indicators": "Indicators",
        "sheet.systems": "Systems",
        "sheet.agencies": "Agencies",
        "title": "Annual report on information system security by level, {year}",
        "organisation": "Reporting organisation",
        "organisation_id": "Organisation ID",
        "since": "Data from",
        "until": "Data until",
        "due": "Report due",
        "statutory": "Statutory period (Decree 331 Art. 35)",
        "runs": "Audits in the period",
        "live_systems": "Systems audited with live probes (--live)",
        "overall_score": "Overall score",
        "headline": "Headline counts (Form 08)",
        "h.systems": "Information systems",
        "h.classified": "Classified (type of system determined)",
        "h.built": "Level dossier built",
        "h.appraised": "Level dossier appraised",
        "h.approved": "Level approved",
        "h.retired": "Retired before the period or undated (not counted)",
        "h.no_dossier": "No level dossier",
        "h.dossier": "Level dossier: {status}",
        "h.with_regulation": "With a security regulation",
        "h.plan": "Protection plan: {deployment}",
        "h.inspected_pre_operation": "Inspected before going live",
        "h.inspected_periodic": "Approved, inspected periodically as required",
        "h.periodic_late": "Approved, periodic inspection past its cycle",
        "h.periodic_undeclared": "Approved, no periodic inspection declared",
        "h.periodic_no_cycle": "Approved, no cycle set by the rules",
        "h.expected_completion": "Expected completion of approval for all systems",
        "h.expected_missing": "Not approved, no expected date declared",
        "h.national_security": "Critical to national security",
        "h.not_recorded": "No Form 08 data (audited before Form 08 rows were kept)",
        "i.id": "Indicator ID",
        "i.group": "Group",
        "i.title": "Indicator",
        "i.basis": "Basis",
        "i.unit": "Unit",
        "i.target": "Target",
        "i.value": "Value",
        "i.met": "Meeting it",
        "i.applicable": "Applicable",
        "i.unverified": "Unverified",
        "i.achieved": "Target reached",
        "i.previous": "Previous year",
        "unit.percent": "%",
        "unit.count": "Count",
        "group.kpis": "Plan targets",
        "group.layers": "Four-layer model",
        "group.ipv6": "IPv6",
        "group.assessments": "Assessment",
        "a.rank": "Rank",
        "a.id": "Agency ID",
        "a.name": "Agency",
        "a.systems": "Systems",
        "a.score": "Score",
        "a.open_critical_high": "Open critical/high findings",
        "a.trained": "Security staff trained",
        "a.staff": "Security staff",
    },
}

_WORDS: Final[dict[str, dict[str, str]]] = {
    lang: {**{key: report_words(lang)[source] for key, source in _SHARED.items()}, **own}
    for lang, own in _OWN_WORDS.items()
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")
    return lang


def word(key: str, lang: str) -> str:
    """An export's word; a missing key is a KeyError, never the other language's word."""
    return _WORDS[check_lang(lang)][key]


def all_words() -> dict[str, dict[str, str]]:
    """The word table, for the test that holds vi and en complete and apart."""
    return _WORDS


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # stable across languages and releases: scripts select columns by it
    vi: str
    en: str
    value: Getter
    kind: Kind = "text"
    width: int = 14  # characters, for the XLSX column

    def header(self, lang: str) -> str:
        return self.vi if check_lang(lang) == "vi" else self.en


# -- getters ----------------------------------------------------------------------------------


def _yes_no(flag: bool, lang: str) -> str:
    return word("yes" if flag else "no", lang)


def _register(read: Callable[[SystemRegister, SystemLine, str], Cell]) -> Getter:
    """A Form 08 cell: None when the audit predates the register, so nothing is guessed."""

    def get(line: SystemLine, _agency: str, lang: str) -> Cell:
        return None if line.register is None else read(line.register, line, lang)

    return get


def _dossier(register: SystemRegister, _line: SystemLine, lang: str) -> Cell:
    status = register.dossier_status
    if status is None:
        return word("dossier.none", lang)
    # A status a newer inventory schema adds shows as its code rather than failing the export.
    return _WORDS[lang].get(f"dossier.{status}", status)


def _plan(register: SystemRegister, _line: SystemLine, lang: str) -> Cell:
    deployment = register.plan_deployment or "undeclared"
    return _WORDS[lang].get(f"plan.{deployment}", deployment)


def inspections_done(register: SystemRegister, line: SystemLine, lang: str) -> str | None:
    """Form 08's "inspections done" cell: before going live, periodic, both, or None."""
    done: list[str] = []
    if register.pre_operation is not None:
        done.append(word("inspection.pre_operation", lang))
    # "Periodic" means inspected on the cycle the system's regime and level require, at the
    # period's cut-off (Form 08 column 12: "theo quy định"), as the headline counts it.
    if line.periodic == "on_cycle":
        done.append(word("inspection.periodic", lang))
    return "; ".join(done) or None


def _open(severity: str) -> Getter:
    def get(line: SystemLine, _agency: str, _lang: str) -> Cell:
        return line.open_by_severity.get(severity, 0)

    return get


def _score(line: SystemLine, _agency: str, _lang: str) -> Cell:
    return None if line.score is None else round(line.score, 1)


def _kpi(kpi: KpiDef) -> Getter:
    def get(line: SystemLine, _agency: str, lang: str) -> Cell:
        # Absent means none of its rules applied, as build.py counts it.
        status = line.kpis.get(kpi.id, KpiStatus.NOT_APPLICABLE)
        return word(f"kpi.{status.value}", lang)

    return get


def _system_kpis() -> tuple[KpiDef, ...]:
    """The system-based indicators, each once (ipv6_portals is in KPIS and IPV6)."""
    seen: dict[str, KpiDef] = {}
    for kpi in (*KPIS, *LAYERS, *IPV6, *ASSESSMENTS):
        if kpi.kind == "share":
            seen.setdefault(kpi.id, kpi)
    return tuple(seen.values())


SYSTEM_KPIS: Final = _system_kpis()

_FORM08: Final[tuple[Column, ...]] = (
    Column("agency_id", "Mã cơ quan", "Agency ID", lambda ln, _a, _l: ln.agency_id, width=18),
    Column("agency_name", "Tên cơ quan, đơn vị", "Agency", lambda _ln, a, _l: a, width=30),
    Column("system_id", "Mã hệ thống", "System ID", lambda ln, _a, _l: ln.system_id, width=20),
    Column(
        "system_name",
        "Tên hệ thống thông tin",
        "Information system",
        lambda ln, _a, _l: ln.name,
        width=40,
    ),
    Column(
        "owner",
        "Chủ quản hệ thống thông tin",
        "System owner",
        _register(lambda r, _ln, _l: r.owner),
        width=28,
    ),
    Column(
        "operator",
        "Đơn vị vận hành",
        "Operator",
        _register(lambda r, _ln, _l: r.operator),
        width=28,
    ),
    Column(
        "proposed_level",
        "Cấp độ đề xuất",
        "Proposed level",
        _register(lambda r, _ln, _l: r.proposed_level),
        "int",
        10,
    ),
    Column(
        "effective_level",
        "Cấp độ áp dụng",
        "Effective level",
        lambda ln, _a, _l: ln.effective_level,
        "int",
        10,
    ),
    Column(
        "computed_level",
        "Cấp độ theo tiêu chí",
        "Level by the criteria",
        lambda ln, _a, _l: ln.computed_level,
        "int",
        10,
    ),
    Column(
        "governing_regime",
        "Quy định áp dụng",
        "Governing regime",
        lambda ln, _a, lang: labels.regime(ln.governing_regime, lang),
        width=14,
    ),
    Column(
        "dossier_status",
        "Tình trạng hồ sơ đề xuất cấp độ",
        "Level dossier status",
        _register(_dossier),
        width=20,
    ),
    Column(
        "decision_number",
        "Số quyết định phê duyệt cấp độ",
        "Approval decision number",
        _register(lambda r, _ln, _l: r.decision.number if r.decision else None),
        width=18,
    ),
    Column(
        "decision_date",
        "Ngày quyết định phê duyệt",
        "Approval decision date",
        _register(lambda r, _ln, _l: r.decision.date if r.decision else None),
        "date",
        12,
    ),
    Column(
        "decision_body",
        "Cơ quan phê duyệt",
        "Approving body",
        _register(lambda r, _ln, _l: r.decision.body if r.decision else None),
        width=28,
    ),
    Column(
        "expected_approval",
        "Thời gian dự kiến phê duyệt",
        "Expected approval date",
        _register(lambda r, _ln, _l: r.expected_approval),
        "date",
        12,
    ),
    Column(
        "regulation_number",
        "Số Quy chế bảo đảm an ninh mạng",
        "Security regulation number",
        _register(
            lambda r, _ln, _l: r.security_regulation.number if r.security_regulation else None
        ),
        width=18,
    ),
    Column(
        "regulation_date",
        "Ngày ban hành quy chế",
        "Security regulation date",
        _register(lambda r, _ln, _l: r.security_regulation.date if r.security_regulation else None),
        "date",
        12,
    ),
    Column(
        "regulation_body",
        "Cơ quan ban hành quy chế",
        "Regulation issued by",
        _register(lambda r, _ln, _l: r.security_regulation.body if r.security_regulation else None),
        width=28,
    ),
    Column(
        "plan_deployment",
        "Tình hình triển khai phương án bảo đảm an ninh mạng",
        "Protection plan deployment",
        _register(_plan),
        width=22,
    ),
    Column(
        "full_deployment_expected",
        "Thời gian dự kiến triển khai đầy đủ",
        "Expected full deployment",
        _register(lambda r, _ln, _l: r.full_deployment_expected),
        "date",
        12,
    ),
    Column(
        "inspections",
        "Kiểm tra, đánh giá đã thực hiện",
        "Inspections done",
        _register(inspections_done),
        width=24,
    ),
    Column(
        "national_security",
        "HTTT quan trọng về an ninh quốc gia",
        "Critical to national security",
        _register(lambda r, _ln, lang: _yes_no(r.national_security_critical, lang)),
        width=12,
    ),
)

_AUDIT: Final[tuple[Column, ...]] = (
    Column(
        "audited_on", "Ngày đánh giá", "Audited on", lambda ln, _a, _l: ln.audited_on, "date", 12
    ),
    Column(
        "live",
        "Kiểm tra trực tiếp",
        "Live probes",
        lambda ln, _a, lang: _yes_no(ln.live, lang),
        width=10,
    ),
    Column("score", "Điểm", "Score", _score, "float", 8),
    Column(
        "open_critical",
        "Chưa khắc phục: nghiêm trọng",
        "Open: critical",
        _open("critical"),
        "int",
        11,
    ),
    Column("open_high", "Chưa khắc phục: cao", "Open: high", _open("high"), "int", 11),
    Column("open_medium", "Chưa khắc phục: trung bình", "Open: medium", _open("medium"), "int", 11),
    Column("open_low", "Chưa khắc phục: thấp", "Open: low", _open("low"), "int", 11),
    Column(
        "expired_certificates",
        "Chứng thư số hết hạn",
        "Expired certificates",
        lambda ln, _a, _l: ln.expired_certificates,
        "int",
        11,
    ),
)

COLUMNS: Final[tuple[Column, ...]] = (
    *_FORM08,
    *_AUDIT,
    *(
        Column(f"kpi_{kpi.id}", kpi.title.vi, kpi.title.en, _kpi(kpi), width=16)
        for kpi in SYSTEM_KPIS
    ),
)


def headers(lang: str) -> list[str]:
    return [column.header(lang) for column in COLUMNS]


def agency_names(figures: AnnualFigures) -> Mapping[str, str]:
    return {agency.agency_id: agency.name for agency in figures.agencies}


def row(line: SystemLine, agency_name: str, lang: str) -> list[Cell]:
    return [column.value(line, agency_name, lang) for column in COLUMNS]


def rows(figures: AnnualFigures, lang: str) -> Iterator[list[Cell]]:
    """The annex rows in the figures' order (agency, then system id), one at a time."""
    check_lang(lang)
    names = agency_names(figures)
    for line in figures.systems:
        yield row(line, names.get(line.agency_id, line.agency_id), lang)
