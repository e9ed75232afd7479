"""`auditor history`: what changed between two recorded runs, and the tables that show it.

A finding is *open* when its status is `fail` or `error` (what `--fail-on` counts); a waived
or passing finding is not. Findings are matched by their stable id (rule, owner, subject), so
the same gap on the same system is the same finding in every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.code_words import word_in
from auditor.messages import day_in
from auditor.report.fit import print_fitted
from auditor.store import FindingRow, RunDetail, RunRow, SystemRow

OPEN = frozenset({"fail", "error"})


@dataclass(frozen=True)
class LevelChange:
    system_id: str
    name: str
    before: SystemRow | None  # None: the system is new in the later run
    after: SystemRow | None  # None: the system is gone


@dataclass(frozen=True)
class RunDiff:
    before: RunRow
    after: RunRow
    new: tuple[FindingRow, ...]  # open now, not open before
    resolved: tuple[FindingRow, ...]  # open before (the earlier row), not open now
    persisting: tuple[FindingRow, ...]  # open in both (the later row)
    levels: tuple[LevelChange, ...]


def _open(findings: Sequence[FindingRow]) -> dict[str, FindingRow]:
    return {f.finding_id: f for f in findings if f.status in OPEN}


def _level_key(row: SystemRow) -> tuple[Any, ...]:
    return (row.declared, row.approved, row.effective, tuple(sorted(row.computed.items())),
            row.governing_regime)


def _level_changed(old: SystemRow, new: SystemRow) -> bool:
    """A different level, or different bounds where both runs recorded them (a run from
    before store revision 0003 has none: that is not a change)."""
    if _level_key(old) != _level_key(new):
        return True
    return old.upper is not None and new.upper is not None and old.upper != new.upper


def diff_runs(before: RunDetail, after: RunDetail) -> RunDiff:
    was, now = _open(before.findings), _open(after.findings)
    systems_before = {s.system_id: s for s in before.systems}
    systems_after = {s.system_id: s for s in after.systems}
    levels = []
    for system_id in sorted(set(systems_before) | set(systems_after)):
        old, new = systems_before.get(system_id), systems_after.get(system_id)
        if old is None or new is None or _level_changed(old, new):
            name = (new or old).name  # type: ignore[union-attr]  # one of them exists
            levels.append(LevelChange(system_id, name, old, new))
    return RunDiff(
        before=before.run,
        after=after.run,
        new=tuple(now[k] for k in sorted(set(now) - set(was))),
        resolved=tuple(was[k] for k in sorted(set(was) - set(now))),
        persisting=tuple(now[k] for k in sorted(set(now) & set(was))),
        levels=tuple(levels),
    )


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def run_json(row: RunRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "recorded_at": row.recorded_at,
        "as_of": row.as_of.isoformat(),
        "inventory": row.inventory,
        "organisation": row.organisation,
        "organisation_name": row.organisation_name,
        "tool_version": row.tool_version,
        "live": row.live,
        "systems": row.systems,
        "findings": row.findings,
        "counts": dict(row.counts),
        "score": row.score,
        "score_without_waivers": row.score_without_waivers,
    }


def finding_json(row: FindingRow) -> dict[str, Any]:
    return {
        "finding_id": row.finding_id,
        "rule_id": row.rule_id,
        "owner": row.owner,
        "owner_kind": row.owner_kind,
        "system_id": row.system_id,
        "agency_id": row.agency_id,
        "subject": row.subject,
        "status": row.status,
        "measured_status": row.measured_status,
        "severity": row.severity,
        "group": row.group,
        "obligation": row.obligation,
        "gate": row.gate,
        "message": {"vi": row.message_vi, "en": row.message_en},
    }


def system_json(row: SystemRow) -> dict[str, Any]:
    return {
        "system_id": row.system_id,
        "agency_id": row.agency_id,
        "name": row.name,
        "lifecycle": row.lifecycle,
        "system_type": row.system_type,
        "declared": row.declared,
        "approved": row.approved,
        "effective": row.effective,
        "computed": dict(row.computed),
        # None: recorded before level bounds were kept (store revision 0003)
        "upper": dict(row.upper) if row.upper is not None else None,
        "undecided": (
            {regime: [c.id for c in entries] for regime, entries in row.undecided.items()}
            if row.undecided is not None
            else None
        ),
        "governing_regime": row.governing_regime,
        "counts": dict(row.counts),
        "score": row.score,
    }


def detail_json(detail: RunDetail) -> dict[str, Any]:
    return {
        "run": run_json(detail.run),
        "systems": [system_json(s) for s in detail.systems],
        "findings": [finding_json(f) for f in detail.findings],
    }


def diff_json(diff: RunDiff) -> dict[str, Any]:
    return {
        "before": run_json(diff.before),
        "after": run_json(diff.after),
        "new": [finding_json(f) for f in diff.new],
        "resolved": [finding_json(f) for f in diff.resolved],
        "persisting": [finding_json(f) for f in diff.persisting],
        "level_changes": [
            {
                "system_id": c.system_id,
                "name": c.name,
                "before": system_json(c.before) if c.before else None,
                "after": system_json(c.after) if c.after else None,
            }
            for c in diff.levels
        ],
        "summary": {"new": len(diff.new), "resolved": len(diff.resolved),
                    "persisting": len(diff.persisting), "level_changes": len(diff.levels)},
    }


# --------------------------------------------------------------------------------------------
# Terminal
# --------------------------------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "runs": "Các lần đánh giá đã lưu", "id": "Mã", "recorded": "Thời điểm lưu",
        "as_of": "Ngày đánh giá", "inventory": "Danh mục kiểm kê", "systems": "Số HTTT",
        "fail": "Không đạt", "error": "Lỗi", "manual": "Cần xác nhận", "score": "Điểm",
        "live": "Trực tiếp", "none": "—", "empty": "Chưa có lần đánh giá nào được lưu.",
        "new": "Mới phát sinh", "resolved": "Đã khắc phục", "persisting": "Vẫn còn",
        "levels": "Thay đổi cấp độ", "rule": "Quy tắc", "owner": "Đối tượng",
        "subject": "Thành phần", "severity": "Mức độ", "status": "Trạng thái",
        "system": "Hệ thống", "before": "Trước", "after": "Sau",
        "diff_title": "So sánh lần {a} ({a_date}) với lần {b} ({b_date})",
        "show_title": "Lần đánh giá {id}: {org}, ngày {date}", "added": "mới", "gone": "không còn",
        "open_findings": "Phát hiện chưa đạt", "what": "Thay đổi",
        "system_added": "hệ thống mới", "system_gone": "hệ thống không còn trong danh mục",
        "declared": "Cấp độ đề xuất", "approved": "Cấp độ được phê duyệt",
        "effective": "Cấp độ áp dụng", "computed": "Cấp độ theo tiêu chí ({regime})",
        "upper": "Cấp độ có thể tới ({regime})", "regime": "Chế độ áp dụng",
    },
    "en": {
        "runs": "Recorded audit runs", "id": "Id", "recorded": "Recorded at",
        "as_of": "Audit date", "inventory": "Inventory", "systems": "Systems",
        "fail": "Fail", "error": "Error", "manual": "Manual", "score": "Score",
        "live": "Live", "none": "—", "empty": "No audit run has been recorded yet.",
        "new": "New", "resolved": "Resolved", "persisting": "Persisting",
        "levels": "Level changes", "rule": "Rule", "owner": "Owner", "subject": "Subject",
        "severity": "Severity", "status": "Status", "system": "System", "before": "Before",
        "after": "After", "diff_title": "Run {a} ({a_date}) compared with run {b} ({b_date})",
        "show_title": "Run {id}: {org}, audit date {date}", "added": "new", "gone": "gone",
        "open_findings": "Open findings", "what": "What changed",
        "system_added": "new system", "system_gone": "system no longer in the inventory",
        "declared": "Declared level", "approved": "Approved level",
        "effective": "Effective level", "computed": "Level by the criteria ({regime})",
        "upper": "Level possibly up to ({regime})", "regime": "Governing regime",
    },
}


def _labels(lang: str) -> Mapping[str, str]:
    return _LABELS.get(lang, _LABELS["en"])


def _date(row: RunRow, lang: str) -> str:
    return day_in(row.as_of, lang)


def local_time(recorded_at: str, lang: str) -> str:
    """A stored UTC moment ("2026-12-06T07:05:00Z") in local time: "06/12/2026 14:05" in
    Vietnamese, "2026-12-06 14:05" in English; the text as it is when it is not a moment."""
    try:
        moment = dt.datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
    except ValueError:
        return recorded_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    return f"{day_in(local.date(), lang)} {local:%H:%M}"


def _score(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "vi" else text


def runs_table(rows: Sequence[RunRow], console: Console, lang: str) -> None:
    labels = _labels(lang)
    if not rows:
        console.print(labels["empty"])
        return
    table = Table(title=labels["runs"])
    for key in ("id", "recorded", "as_of", "inventory", "systems", "fail", "error", "manual",
                "score", "live"):
        table.add_column(labels[key])
    for row in rows:
        table.add_row(
            str(row.id), escape(local_time(row.recorded_at, lang)), _date(row, lang),
            escape(row.inventory),
            str(row.systems), str(row.counts.get("fail", 0)), str(row.counts.get("error", 0)),
            str(row.counts.get("manual", 0)), _score(row.score, lang),
            labels["live"] if row.live else labels["none"],
        )
    print_fitted(console, table)


def _findings_table(title: str, rows: Sequence[FindingRow], console: Console, lang: str) -> None:
    labels = _labels(lang)
    table = Table(title=f"{title} ({len(rows)})")
    for key in ("rule", "owner", "subject", "severity", "status"):
        table.add_column(labels[key])
    for row in rows:
        table.add_row(escape(row.rule_id), escape(row.owner), escape(row.subject or ""),
                      word_in(row.severity, lang, "Severity"), word_in(row.status, lang, "Status"))
    print_fitted(console, table)


def show_run(detail: RunDetail, console: Console, lang: str) -> None:
    labels = _labels(lang)
    runs_table([detail.run], console, lang)
    console.print(labels["show_title"].format(id=detail.run.id,
                                              org=escape(detail.run.organisation_name),
                                              date=_date(detail.run, lang)))
    _findings_table(labels["open_findings"],
                    [f for f in detail.findings if f.status in OPEN], console, lang)


def show_diff(diff: RunDiff, console: Console, lang: str) -> None:
    labels = _labels(lang)
    console.print(labels["diff_title"].format(a=diff.before.id, a_date=_date(diff.before, lang),
                                              b=diff.after.id, b_date=_date(diff.after, lang)))
    _findings_table(labels["new"], diff.new, console, lang)
    _findings_table(labels["resolved"], diff.resolved, console, lang)
    console.print(f"{labels['persisting']}: {len(diff.persisting)}")
    if diff.levels:
        table = Table(title=labels["levels"])
        for key in ("system", "what"):
            table.add_column(labels[key])
        for change in diff.levels:
            lines = [f"{what}: {old} → {new}" for what, old, new in level_changes(change, lang)]
            table.add_row(escape(f"{change.system_id} ({change.name})"), escape("\n".join(lines)))
        print_fitted(console, table)


def _level(value: int | None) -> str:
    return "—" if value is None else str(value)


def level_changes(change: LevelChange, lang: str) -> list[tuple[str, str, str]]:
    """What changed in a system's level between two runs, one (what, before, after) each:
    the declared, approved and effective level, the level by each regime's criteria (and how
    high undeclared facts could take it), and the governing regime."""
    labels = _labels(lang)
    old, new = change.before, change.after
    if old is None or new is None:
        return [(labels["system_added"] if old is None else labels["system_gone"],
                 labels["none"] if old is None else _level(old.effective),
                 labels["none"] if new is None else _level(new.effective))]
    rows = [
        (labels[key], _level(getattr(old, key)), _level(getattr(new, key)))
        for key in ("declared", "approved", "effective")
    ]
    for regime in ("nd85", "nd331"):
        name = word_in(regime, lang, "Regime")
        rows.append((labels["computed"].format(regime=name),
                     _level(old.computed.get(regime)), _level(new.computed.get(regime))))
        if old.upper is not None and new.upper is not None:
            rows.append((labels["upper"].format(regime=name),
                         _level(old.upper.get(regime)), _level(new.upper.get(regime))))
    rows.append((labels["regime"], word_in(old.governing_regime, lang, "Regime"),
                 word_in(new.governing_regime, lang, "Regime")))
    return [row for row in rows if row[1] != row[2]]
