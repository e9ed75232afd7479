"""Register entries (Form 08 rows) to and from the JSON kept in the store.

Dates are ISO text; a value from a store written by an older auditor that lacks a key reads
as None rather than failing, so a later schema may add fields to the register freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from auditor.model.results import (
    BodyRegister,
    CardNote,
    DocumentNote,
    Inspection,
    LetterNote,
    SignerNote,
    SystemRegister,
)


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
        "retired": _iso(register.retired),
    }


def _card(card: CardNote | None) -> dict[str, Any] | None:
    if card is None:
        return None
    return {
        "name": card.name,
        "mandate": _document(card.mandate),
        "representative": card.representative,
        "position": card.position,
        "address": card.address,
        "phone": card.phone,
        "email": card.email,
    }


def _letter(letter: LetterNote | None) -> dict[str, Any] | None:
    if letter is None:
        return None
    signer = letter.signer
    return {
        "recipient": letter.recipient,
        "parent": letter.parent,
        "header": letter.header,
        "number": letter.number,
        "place": letter.place,
        "signer": None
        if signer is None
        else {"name": signer.name, "position": signer.position, "authority": signer.authority},
        "copies": list(letter.copies),
    }


def body_register_value(
    register: BodyRegister | None, own_points: tuple[int, int] | None = None
) -> dict[str, Any] | None:
    """`own_points`: the body's own findings' (earned, possible), kept so the annual report
    scores an agency exactly as the audit did."""
    if register is None:
        return None
    points = own_points if own_points is not None else register.own_points
    return {
        "security_unit": register.security_unit,
        "security_staff": register.security_staff,
        "trained": register.trained,
        "owner": _card(register.owner),
        "unit": _card(register.unit),
        "letter": _letter(register.letter),
        "own_points": None if points is None else list(points),
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
        retired=_date(value.get("retired")),
    )


def body_register(value: Any) -> BodyRegister | None:
    if not isinstance(value, Mapping):
        return None
    return BodyRegister(
        security_unit=value.get("security_unit"),
        security_staff=value.get("security_staff"),
        trained=value.get("trained"),
        owner=_read_card(value.get("owner")),
        unit=_read_card(value.get("unit")),
        letter=_read_letter(value.get("letter")),
        own_points=_read_points(value.get("own_points")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _read_card(value: Any) -> CardNote | None:
    if not isinstance(value, Mapping):
        return None
    return CardNote(
        name=_text(value.get("name")),
        mandate=_read_document(value.get("mandate")),
        representative=_text(value.get("representative")),
        position=_text(value.get("position")),
        address=_text(value.get("address")),
        phone=_text(value.get("phone")),
        email=_text(value.get("email")),
    )


def _read_letter(value: Any) -> LetterNote | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("recipient"), str):
        return None
    signer = value.get("signer")
    copies = value.get("copies")
    return LetterNote(
        recipient=value["recipient"],
        parent=_text(value.get("parent")),
        header=_text(value.get("header")),
        number=_text(value.get("number")),
        place=_text(value.get("place")),
        signer=SignerNote(
            name=_text(signer.get("name")),
            position=_text(signer.get("position")),
            authority=_text(signer.get("authority")),
        )
        if isinstance(signer, Mapping)
        else None,
        copies=tuple(c for c in copies if isinstance(c, str)) if isinstance(copies, list) else (),
    )


def _read_points(value: Any) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1])
    return None
