"""Register entries (Form 08 rows) to and from the JSON kept in the store.

Dates are ISO text; a value from a store written by an older auditor that lacks a key reads
as None rather than failing, so a later schema may add fields to the register freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from auditor.model.results import BodyRegister, DocumentNote, Inspection, SystemRegister


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _document(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, DocumentNote):
        return None
    return {"number": value.number, "date": value.date.isoformat(), "body": value.body}


def _inspection(value: Inspection | None) -> dict[str, Any] | None:
    return None if value is None else {"date": value.date.isoformat(), "result": value.result}


def system_register_value(register: SystemRegister | None) -> dict[str, Any] | None:
    if register is None:
        return None
    return {
        "owner": register.owner,
        "operator": register.operator,
        "proposed_level": register.proposed_level,
        "dossier_status": register.dossier_status,
        "decision": _document(register.decision),
        "expected_approval": _iso(register.expected_approval),
        "security_regulation": _document(register.security_regulation),
        "plan_deployment": register.plan_deployment,
        "full_deployment_expected": _iso(register.full_deployment_expected),
        "pre_operation": _inspection(register.pre_operation),
        "periodic": _inspection(register.periodic),
        "national_security_critical": register.national_security_critical,
    }


def body_register_value(register: BodyRegister | None) -> dict[str, Any] | None:
    if register is None:
        return None
    return {
        "security_unit": register.security_unit,
        "security_staff": register.security_staff,
        "trained": register.trained,
    }


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _read_document(value: Any) -> DocumentNote | None:
    if not isinstance(value, Mapping):
        return None
    date = _date(value.get("date"))
    if date is None:
        return None
    return DocumentNote(number=str(value.get("number") or ""), date=date, body=value.get("body"))


def _read_inspection(value: Any) -> Inspection | None:
    if not isinstance(value, Mapping):
        return None
    date = _date(value.get("date"))
    return None if date is None else Inspection(date=date, result=str(value.get("result")))


def system_register(value: Any) -> SystemRegister | None:
    if not isinstance(value, Mapping):
        return None
    return SystemRegister(
        owner=value.get("owner"),
        operator=value.get("operator"),
        proposed_level=value.get("proposed_level"),
        dossier_status=value.get("dossier_status"),
        decision=_read_document(value.get("decision")),
        expected_approval=_date(value.get("expected_approval")),
        security_regulation=_read_document(value.get("security_regulation")),
        plan_deployment=value.get("plan_deployment"),
        full_deployment_expected=_date(value.get("full_deployment_expected")),
        pre_operation=_read_inspection(value.get("pre_operation")),
        periodic=_read_inspection(value.get("periodic")),
        national_security_critical=bool(value.get("national_security_critical", False)),
    )


def body_register(value: Any) -> BodyRegister | None:
    if not isinstance(value, Mapping):
        return None
    return BodyRegister(
        security_unit=value.get("security_unit"),
        security_staff=value.get("security_staff"),
        trained=value.get("trained"),
    )
