"""Stored rows back into the store's dataclasses (RunRow, AgencyRow, SystemRow, FindingRow,
FindingBrief); a row of the wrong shape is a DamagedRowError, not a traceback."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.engine import RowMapping

from auditor.model.results import (
    InputFile,
    Obligation,
    OpenCriterionOut,
    Severity,
    Status,
    WaiverNote,
)
from auditor.store import codec
from auditor.store.rows import AgencyRow, FindingBrief, FindingRow, RunRow, SystemRow
from auditor.store.schema import findings


class DamagedRowError(Exception):
    """A stored row does not have the shape this auditor wrote (changed outside auditor)."""


_Converted = TypeVar("_Converted")


def _decoded(what: str) -> Callable[[Callable[[Any], _Converted]], Callable[[Any], _Converted]]:
    """The converter, with a row of the wrong shape reported as DamagedRowError naming `what`
    (not a traceback)."""

    def wrap(convert: Callable[[Any], _Converted]) -> Callable[[Any], _Converted]:
        @functools.wraps(convert)
        def decode(row: Any) -> _Converted:
            try:
                return convert(row)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise DamagedRowError(f"{what}: {type(error).__name__}: {error}") from error

        return decode

    return wrap


def _points(row: RowMapping) -> dict[str, Any]:
    return {
        "counts": dict(row["counts"]),
        "score": row["score"],
        "score_without_waivers": row["score_without_waivers"],
        "points": (row["score_earned"], row["score_possible"]),
        "points_without_waivers": (
            row["score_without_waivers_earned"],
            row["score_without_waivers_possible"],
        ),
        "by_severity": dict(row["by_severity"]),
        "expired_waivers": row["expired_waivers"],
        "gate_blocked": bool(row["gate_blocked"]),
    }


@_decoded("run row")
def run_row(row: RowMapping) -> RunRow:
    return RunRow(
        id=row["id"],
        recorded_at=row["recorded_at"],
        as_of=row["as_of"],
        inventory=row["inventory"],
        organisation=row["organisation"],
        organisation_name=row["organisation_name"],
        tool_version=row["tool_version"],
        schema_version=row["schema_version"],
        live=bool(row["live"]),
        systems=row["systems"],
        findings=row["findings"],
        lang=row["lang"],
        rules=row["rules"],
        observed_at=row["observed_at"],
        inputs=tuple(InputFile(i["path"], i["kind"], i["sha256"]) for i in row["inputs"]),
        register=codec.body_register(row["register"]),
        **_points(row),
    )


@_decoded("agency row")
def agency_row(row: RowMapping) -> AgencyRow:
    return AgencyRow(
        agency_id=row["agency_id"],
        name=row["name"],
        systems=tuple(row["systems"]),
        register=codec.body_register(row["register"]),
        **_points(row),
    )


def _stored_upper(value: Any) -> dict[str, int] | None:
    """The stored upper bounds; None for runs recorded before revision 0003."""
    if value is None:
        return None
    return {str(regime): int(level) for regime, level in value.items()}


def _stored_undecided(value: Any) -> dict[str, tuple[OpenCriterionOut, ...]] | None:
    if value is None:
        return None
    return {
        str(regime): tuple(
            OpenCriterionOut(
                id=str(c["id"]),
                level=int(c["level"]),
                reference=str(c["reference"]),
                component=c["component"],
                unknown=tuple(str(name) for name in c["unknown"]),
            )
            for c in entries
        )
        for regime, entries in value.items()
    }


@_decoded("system row")
def system_row(row: RowMapping) -> SystemRow:
    return SystemRow(
        system_id=row["system_id"],
        agency_id=row["agency_id"],
        name=row["name"],
        lifecycle=row["lifecycle"],
        system_type=row["system_type"],
        declared=row["declared"],
        approved=row["approved"],
        effective=row["effective"],
        computed=dict(row["computed"]),
        governing_regime=row["governing_regime"],
        criteria={regime: tuple(ids) for regime, ids in row["criteria"].items()},
        register=codec.system_register(row["register"]),
        upper=_stored_upper(row["upper"]),
        undecided=_stored_undecided(row["undecided"]),
        **_points(row),
    )


FINDING_COLUMNS = (
    findings.c.finding_id,
    findings.c.rule_id,
    findings.c.owner,
    findings.c.owner_kind,
    findings.c.system_id,
    findings.c.agency_id,
    findings.c.subject,
    findings.c.status,
    findings.c.measured_status,
    findings.c.severity,
    findings.c.rule_group,
    findings.c.obligation,
    findings.c.gate,
    findings.c.message_vi,
    findings.c.message_en,
    findings.c.waiver,
)


BRIEF_COLUMNS = (
    findings.c.rule_id,
    findings.c.subject,
    findings.c.status,
    findings.c.measured_status,
    findings.c.severity,
    findings.c.rule_group,
    findings.c.obligation,
)

_STATUS = {s.value: s for s in Status}
_SEVERITY = {s.value: s for s in Severity}
_OBLIGATION = {o.value: o for o in Obligation}


@_decoded("finding")
def finding_row(values: tuple[Any, ...]) -> FindingRow:
    (fid, rule, owner, kind, system, agency, subject, status, measured, severity, group,
     obligation, gate, vi, en, waiver) = values  # fmt: skip
    return FindingRow(
        finding_id=fid,
        rule_id=rule,
        owner=owner,
        owner_kind=kind,
        system_id=system,
        agency_id=agency,
        subject=subject,
        status=_STATUS[status],
        measured_status=_STATUS[measured],
        severity=_SEVERITY[severity],
        group=group,
        obligation=_OBLIGATION[obligation],
        gate=bool(gate),
        message_vi=vi,
        message_en=en,
        waiver=None if waiver is None else _waiver(waiver),
    )


@_decoded("brief")
def brief_row(values: tuple[Any, ...]) -> FindingBrief:
    rule, subject, status, measured, severity, group, obligation = values
    return FindingBrief(
        rule_id=rule,
        subject=subject,
        status=_STATUS[status],
        measured_status=_STATUS[measured],
        severity=_SEVERITY[severity],
        group=group,
        obligation=_OBLIGATION[obligation],
    )


def _waiver(value: Mapping[str, Any]) -> WaiverNote:
    return WaiverNote(
        reason=value["reason"],
        approver=value["approver"],
        decision=value["decision"],
        expires=dt.date.fromisoformat(value["expires"]),
        expired=bool(value["expired"]),
    )

