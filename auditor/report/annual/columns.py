"""The per-system annex of the annual report: one column definition shared by XLSX and CSV.

Each `Column` has a stable key (what a script selects on, whatever the language), a
Vietnamese and an English header, and a function from a `SystemLine` (and its agency's name)
to a plain cell value — str, int, float, date or None, never pre-formatted text — so the
spreadsheet can sort, filter and sum it and each export formats dates and numbers its own way.

Order: the Decree 331 Form 08 row first (the statutory annual report), then the audit (date,
score, open findings), then one column per system-based indicator. Form 08 cells come from the
system's register; a system whose last audit predates the register (`register is None`) gets
None there, never a guess.

The exports' other words and the language check are in `export_words.py` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from auditor.model.results import SystemRegister
from auditor.report import labels
from auditor.report.annual.export_words import (
    all_words,
    check_lang,
    word,
)
from auditor.report.annual.figures import AnnualFigures, SystemLine
from auditor.report.annual.kpis import (
    ASSESSMENTS,
    IPV6,
    KPIS,
    LAYERS,
    KpiDef,
    KpiStatus,
)

Cell = str | int | float | dt.date | None
Kind = Literal["text", "int", "float", "date"]  # how an export formats the cell
Getter = Callable[[SystemLine, str, str], Cell]  # (line, agency name, lang) -> cell

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
    return all_words()[lang].get(f"dossier.{status}", status)


def _plan(register: SystemRegister, _line: SystemLine, lang: str) -> Cell:
    deployment = register.plan_deployment or "undeclared"
    return all_words()[lang].get(f"plan.{deployment}", deployment)


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
