"""Terminal tables (rich) for audit summaries, level tables and rule lists; the go-live gate's
answer is in `gate_text` (`gate_report`, `gate_basis` are importable from here too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.code_words import article, criterion, word_in
from auditor.messages import day_in
from auditor.model.results import (
    AuditRun,
    Finding,
    LevelResult,
    Score,
    SystemResult,
)
from auditor.report import filters
from auditor.report import labels as report_labels
from auditor.report.fit import print_fitted
from auditor.report.gate_text import gate_basis, gate_report
from auditor.report.level_groups import undecided_groups
from auditor.rules import Rule
from auditor.safe_text import safe_text

__all__ = ["audit_summary", "gate_basis", "gate_report", "labels", "level_table", "rules_table"]

_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "agency": "Cơ quan",
        "systems": "Số HTTT",
        "score": "Điểm",
        "no_waivers": "Không miễn trừ",
        "fail": "Không đạt",
        "manual": "Cần xác nhận",
        "error": "Lỗi",
        "waived": "Miễn trừ",
        "blocked": "Chưa đủ ĐK vận hành",
        "critical_high": "Nghiêm trọng/Cao",
        "total": "Toàn tỉnh",
        "audit_title": "Kết quả đánh giá ngày {date}",
        "system": "Hệ thống",
        "declared": "Cấp độ đề xuất",
        "nd85": "Theo NĐ 85",
        "nd331": "Theo NĐ 331",
        "regime": "Chế độ áp dụng",
        "criteria": "Tiêu chí",
        "approval": "Phê duyệt",
        "to_declare": "Cần khai báo",
        "if_declared": "có thể tới {level} tùy {facts} ({ids})",
        "undecided": "{system} — {regime}: cấp độ {low}; {detail}",
        "undecided_title": "Cấp độ chưa xác định được do thiếu thông tin:",
        "level_legend": (
            "Cấp độ: mức các thông tin đã khai báo chứng minh; 'a–b': có thể tới b tùy thông tin "
            "chưa khai báo. Tiêu chí: các tiêu chí quyết định cấp độ. ⚠ cấp độ đề xuất thấp hơn "
            "mức đã chứng minh; ? có thể thấp hơn."
        ),
        "level_title": "Cấp độ các hệ thống thông tin",
        "id": "Mã",
        "title": "Tên",
        "levels": "Cấp độ",
        "severity": "Mức độ",
        "group": "Nhóm",
        "reference": "Căn cứ",
        "obligation": "Tính bắt buộc",
        "gate_open": "ĐƯỢC đưa vào vận hành: {system} ({name})",
        "gate_closed": "CHƯA ĐƯỢC đưa vào vận hành: {system} ({name}) — {n} yêu cầu chưa đáp ứng",
        "expired_waivers": "Miễn trừ đã hết hạn: {n}",
        "unverified": "Phát hiện dựa trên nguồn chưa kiểm chứng (độ tin cậy U, chỉ tham khảo): "
        "{n}, cần xử lý {open} — {rules}",
        "basis": "căn cứ",
        "not_required": "Không bắt buộc với hệ thống này:",
        "none": "—",
    },
    "en": {
        "agency": "Agency",
        "systems": "Systems",
        "score": "Score",
        "no_waivers": "Without waivers",
        "fail": "Fail",
        "manual": "Manual",
        "error": "Error",
        "waived": "Waived",
        "blocked": "Not cleared to operate",
        "critical_high": "Critical/High",
        "total": "Organisation",
        "audit_title": "Audit results as of {date}",
        "system": "System",
        "declared": "Declared",
        "nd85": "Decree 85",
        "nd331": "Decree 331",
        "regime": "Governing regime",
        "criteria": "Criteria",
        "approval": "Approval",
        "to_declare": "To declare",
        "if_declared": "possibly up to {level} depending on {facts} ({ids})",
        "undecided": "{system} — {regime}: level {low}; {detail}",
        "undecided_title": "Levels the undeclared facts could still raise:",
        "level_legend": (
            "Level: what the declared facts prove; 'a–b': up to b depending on undeclared "
            "facts. Criteria: those that decide the level. ⚠ declared below the proven level; "
            "? possibly below."
        ),
        "level_title": "Security levels of information systems",
        "id": "Id",
        "title": "Title",
        "levels": "Levels",
        "severity": "Severity",
        "group": "Group",
        "reference": "Reference",
        "obligation": "Obligation",
        "gate_open": "MAY go live: {system} ({name})",
        "gate_closed": "MAY NOT go live: {system} ({name}) — {n} requirements not met",
        "expired_waivers": "Expired waivers: {n}",
        "unverified": "Findings resting on unverified sources (confidence U, advisory): {n}, "
        "{open} open — {rules}",
        "basis": "basis",
        "not_required": "Not required of this system:",
        "none": "—",
    },
}


def labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang, _LABELS["vi"])


def _score(score: Score, lang: str) -> str:
    if score.value is None:
        return "—"
    text = f"{score.value:.1f}"
    return text.replace(".", ",") if lang == "vi" else text


def audit_summary(run: AuditRun, console: Console, lang: str) -> None:
    t = labels(lang)
    date = _date(run.run.as_of, lang)
    table = Table(title=t["audit_title"].format(date=date), show_lines=False)
    for column in (
        "agency",
        "systems",
        "score",
        "no_waivers",
        "fail",
        "critical_high",
        "manual",
        "error",
        "waived",
        "blocked",
    ):
        if column == "agency":
            table.add_column(t[column], no_wrap=True)
        else:
            table.add_column(t[column], justify="right")
    systems_by_agency: dict[str, list[SystemResult]] = {}
    for system in run.systems:
        systems_by_agency.setdefault(system.agency, []).append(system)
    for agency in run.agencies:
        systems = systems_by_agency.get(agency.id, [])
        blocked = sum(1 for s in systems if s.summary.gate_blocked)
        summary = agency.summary
        table.add_row(
            escape(safe_text(agency.name)),
            str(len(systems)),
            _score(summary.score, lang),
            _score(summary.score_without_waivers, lang),
            str(summary.counts.failed),
            str(summary.by_severity["critical"] + summary.by_severity["high"]),
            str(summary.counts.manual),
            str(summary.counts.error),
            str(summary.counts.waived),
            str(blocked),
        )
    total = run.summary
    table.add_section()
    table.add_row(
        f"[bold]{t['total']}[/bold]",
        str(len(run.systems)),
        _score(total.score, lang),
        _score(total.score_without_waivers, lang),
        str(total.counts.failed),
        str(total.by_severity["critical"] + total.by_severity["high"]),
        str(total.counts.manual),
        str(total.counts.error),
        str(total.counts.waived),
        str(sum(1 for s in run.systems if s.summary.gate_blocked)),
    )
    print_fitted(console, table)
    unverified = run.extra.get("unverified_sources")
    if unverified and unverified["findings"]:
        text = t["unverified"].format(
            n=unverified["findings"], open=unverified["open"], rules=", ".join(unverified["rules"])
        )
        console.print(text, markup=False, highlight=False)
    if total.expired_waivers:
        console.print(t["expired_waivers"].format(n=total.expired_waivers))
        expired = [f for f in _all_findings(run) if f.waiver is not None and f.waiver.expired]
        for finding in expired:
            assert finding.waiver is not None  # noqa: S101 - filtered just above
            console.print(
                f"  {finding.id}: {filters.decision(finding.waiver.decision, lang)}, "
                f"{_date(finding.waiver.expires, lang)}",
                markup=False,
            )


def _date(value: dt.date, lang: str) -> str:
    return day_in(value, lang)


def _all_findings(run: AuditRun) -> list[Finding]:
    return [
        *run.organisation.findings,
        *(f for a in run.agencies for f in a.findings),
        *(f for s in run.systems for f in s.findings),
    ]


def _level_cell(level: LevelResult, regime: str, lang: str) -> str:
    """'3 [Đ9.2.c]' when proven, '3–5 [Đ6.2.d]' when undeclared facts could raise it (the
    column names the decree)."""
    low = level.computed[regime]
    high = level.upper.get(regime, low)
    decisive = ", ".join(
        article(c.id).get(lang) + (f" ({c.component})" if c.component else "")
        for c in level.criteria[regime]
        if c.level == low
    )
    span = str(low) if high == low else f"{low}–{high}"
    return f"{span} [{decisive}]"


def _ids(ids: Sequence[str], lang: str) -> str:
    """Criteria labels ("nd85.9.1 (component)") as their legal places."""
    shown = []
    for label in ids:
        code, _, component = label.partition(" ")
        shown.append(criterion(code).get(lang) + (f" {component}" if component else ""))
    return ", ".join(shown)


def _undecided_lines(system: SystemResult, lang: str) -> list[str]:
    """One line per regime whose level the undeclared facts could still raise."""
    t = labels(lang)
    lines = []
    for regime in ("nd85", "nd331"):
        open_ = system.level.undecided.get(regime, ())
        if not open_:
            continue
        low, high = system.level.computed[regime], system.level.upper[regime]
        detail = "; ".join(
            t["if_declared"].format(level=top, facts=facts, ids=_ids(ids, lang))
            for top, facts, ids in undecided_groups(open_)
        )
        lines.append(
            t["undecided"].format(
                system=system.id, regime=t[regime], low=low, high=high, detail=detail
            )
        )
    return lines


def level_table(
    systems: Sequence[SystemResult], console: Console, lang: str, approvals: dict[str, str]
) -> None:
    t = labels(lang)
    table = Table(title=t["level_title"])
    table.add_column(t["id"], no_wrap=True)
    for column in ("system", "agency", "declared", "nd85", "nd331", "regime", "to_declare"):
        table.add_column(t[column])
    table.add_column(t["approval"])
    notes: list[str] = []
    for system in systems:
        level = system.level
        regime = level.governing_regime
        declared = str(level.declared) if level.declared is not None else t["none"]
        below = level.declared is not None and level.declared < level.computed[regime]
        open_above = level.declared is not None and level.declared < level.upper.get(
            regime, level.computed[regime]
        )
        flag = " ⚠" if below else (" ?" if open_above else "")
        facts = sorted(
            {name for entries in level.undecided.values() for c in entries for name in c.unknown}
        )
        table.add_row(
            system.id,
            escape(safe_text(system.name)),
            system.agency,
            declared + flag,
            escape(_level_cell(level, "nd85", lang)),
            escape(_level_cell(level, "nd331", lang)),
            word_in(regime, lang, "Regime"),
            ", ".join(facts) or t["none"],
            escape(approvals.get(system.id, t["none"])),
        )
        notes.extend(_undecided_lines(system, lang))
    print_fitted(console, table)
    if notes:
        console.print(t["undecided_title"])
        for note in notes:
            console.print(f"  • {escape(note)}", soft_wrap=True)
    console.print(t["level_legend"], soft_wrap=True)


def rules_table(
    rules: Sequence[Rule], console: Console, lang: str, level: int | None = None
) -> None:
    t = labels(lang)
    table = Table()
    for column in ("id", "title", "levels", "severity", "obligation", "group", "reference"):
        table.add_column(t[column])
    for rule in rules:
        severity = (
            word_in(rule.severity, lang, "Severity")
            if not isinstance(rule.severity, dict)
            else ", ".join(
                f"{k}: {word_in(v, lang, 'Severity')}" for k, v in sorted(rule.severity.items())
            )
        )
        table.add_row(
            rule.id,
            escape(rule.title.get(lang)),
            f"{rule.levels.min_level}–{rule.levels.max_level}",
            severity,
            report_labels.obligation(str(rule.obligation), lang),
            report_labels.group(rule.group, lang),
            escape(rule.reference_text(None, level)),
        )
    print_fitted(console, table)
