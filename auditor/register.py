"""The register entries of the annual report (Decree 331 Art. 36, Form 08), read off the inventory.

Form 08 lists each system with its proposed level, the state of its level dossier and the
approval decision, its security regulation, how far its protection plan is deployed and which
inspections were done; the headline counts add the agencies' security staff. These are
*declarations*, not judgements, so they are copied from the inventory as the audit saw them
and kept with the run: the annual report is built from the history store, months after the
inventory files may have changed.

Pure: models in, frozen dataclasses out.
"""

from __future__ import annotations

from auditor.model.base import DocumentRef
from auditor.model.inventory import Assessment, BodyFacts, Lifecycle, Organisation, System
from auditor.model.owner import ContactCard, LetterSettings
from auditor.model.results import (
    BodyRegister,
    CardNote,
    DocumentNote,
    Inspection,
    LetterNote,
    SignerNote,
    SystemRegister,
)


def _note(document: DocumentRef | None) -> DocumentNote | None:
    if document is None:
        return None
    return DocumentNote(number=document.number, date=document.date, body=document.body)


def _inspection(assessment: Assessment | None) -> Inspection | None:
    if assessment is None:
        return None
    return Inspection(date=assessment.date, result=str(assessment.result))


def _periodic(system: System) -> Inspection | None:
    """The latest periodic inspection: the layer-3 assessment or a penetration test."""
    candidates: list[Inspection] = []
    layer3 = system.four_layer.layer3
    if layer3 is not None and layer3.last_assessment is not None:
        result = str(layer3.result) if layer3.result is not None else "unknown"
        candidates.append(Inspection(date=layer3.last_assessment, result=result))
    pentest = _inspection(system.pentest)
    if pentest is not None:
        candidates.append(pentest)
    return max(candidates, key=lambda i: i.date, default=None)


def system_register(system: System) -> SystemRegister:
    """The Form 08 row of a system (inherited defaults already applied by the loader)."""
    dossier = system.dossier
    plan = system.security_plan
    decision = dossier.decision if dossier is not None else None
    return SystemRegister(
        owner=system.owner,
        operator=system.operator,
        proposed_level=system.declared_level,
        dossier_status=str(dossier.status) if dossier is not None else None,
        decision=_note(decision),
        expected_approval=dossier.expected_approval if dossier is not None else None,
        security_regulation=_note(system.security_regulation),
        plan_deployment=str(plan.deployment) if plan is not None else None,
        full_deployment_expected=plan.full_deployment_expected if plan is not None else None,
        pre_operation=_inspection(system.pre_operation_assessment),
        periodic=_periodic(system),
        national_security_critical=system.national_security_critical,
        retired=system.retired if system.lifecycle is Lifecycle.RETIRED else None,
    )


def _card(card: ContactCard | None) -> CardNote | None:
    if card is None:
        return None
    return CardNote(
        name=card.name,
        mandate=_note(card.mandate),
        representative=card.representative,
        position=card.position,
        address=card.address,
        phone=card.phone,
        email=card.email,
    )


def _letter(letter: LetterSettings | None) -> LetterNote | None:
    if letter is None:
        return None
    signer = letter.signer
    return LetterNote(
        recipient=letter.recipient,
        parent=letter.parent,
        header=letter.header,
        number=letter.number,
        place=letter.place,
        signer=None
        if signer is None
        else SignerNote(name=signer.name, position=signer.position, authority=signer.authority),
        copies=letter.copies,
    )


def body_register(body: BodyFacts) -> BodyRegister:
    """The body's own figures and Form 08 section 2 as it declares them (an agency that
    declares no `form08` reports under the organisation's: the annual report applies that)."""
    staff = body.staff
    form08 = body.form08
    return BodyRegister(
        security_unit=body.security_unit.name if body.security_unit is not None else None,
        security_staff=staff.security_staff if staff is not None else None,
        trained=staff.trained if staff is not None else None,
        owner=_card(form08.owner) if form08 is not None else None,
        unit=_card(form08.security_unit) if form08 is not None else None,
        letter=_letter(body.annual_letter) if isinstance(body, Organisation) else None,
    )
