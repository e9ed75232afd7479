"""Every attestation is accounted for (auditor.accounting through the engine).

Each attestation a system, an agency or the organisation declares ends up in the results:
read by a rule (valid, lapsed or not yet effective, with the findings that read it) or
unused with the reason — no such rule, a rule judged from other facts, a rule judged for
another kind of subject, a rule that does not apply at this level or regime.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from auditor.accounting import AttestationIndex, judged_from, unused_attestations
from auditor.engine import evaluate
from auditor.model.inventory import Inventory
from auditor.model.results import AttestationRecord, AttestationStatus, AuditRun, Origin
from auditor.rules import Catalog, Rule

AS_OF = dt.date(2026, 11, 24)


def rule(rule_id: str, check: dict[str, Any], **fields: Any) -> Rule:
    return Rule.model_validate({
        "id": rule_id,
        "title": {"vi": rule_id, "en": rule_id},
        "remediation": {"vi": "Khắc phục", "en": "Fix it"},
        "group": "governance",
        "severity": "medium",
        "references": [{"document": "Nghị định 85/2016/NĐ-CP"}],
        "check": check,
        **fields,
    })


ATTESTED = {"kind": "attested", "validity_days": 365}
CATALOG = Catalog(rules=(
    rule("AT-01", ATTESTED),
    rule("AT-L3", ATTESTED, levels={"min_level": 3}),
    rule("AT-OP", ATTESTED, applies_if={"kind": "equals", "fact": "operating", "value": False},
         not_applicable={"vi": "Hệ thống đang vận hành.", "en": "The system is in operation."}),
    rule("AT-ANY", {"kind": "any", "checks": [
        {"kind": "before", "fact": "last_major_change", "other": "dossier.decision.date"},
        {"kind": "not", "check": {"kind": "for_each", "over": "hosts", "when_empty": "fail",
                                  "check": {"kind": "attested", "topic": "SHARED"}}},
    ]}),
    rule("DATA-01", {"kind": "all", "checks": [
        {"kind": "present", "fact": "security_regulation"},
        {"kind": "ratio_at_least", "numerator": "malware.protected",
         "denominator": "malware.total"},
    ]}),
    rule("BUILT-01", {"kind": "builtin", "name": "transition_deadlines"}),
    rule("AG-01", ATTESTED, subject="agency"),
    rule("BODY-01", ATTESTED, subject=["agency", "organisation"]),
))


def attestation(rule_id: str, date: str = "2026-03-01", **fields: Any) -> dict[str, Any]:
    return {"rule": rule_id, "document": {"number": f"{rule_id}/BC", "date": date},
            "attested_by": "Nguyễn Văn A", **fields}


def run_with(*system_attestations: dict[str, Any], agency: list[dict[str, Any]] | None = None,
             organisation: list[dict[str, Any]] | None = None, **system: Any) -> AuditRun:
    inventory = Inventory.model_validate({
        "organisation": {"id": "an-binh", "name": "Tỉnh An Bình",
                         "attestations": organisation or []},
        "agencies": [{"id": "so-y-te", "name": "Sở Y tế", "attestations": agency or [],
                      "systems": [{"id": "sys-a", "name": "Hệ thống A", "declared_level": 1,
                                   "system_type": "internal", "lifecycle": "production",
                                   "attestations": list(system_attestations), **system}]}],
    })
    return evaluate(inventory, CATALOG, AS_OF)


def only(run: AuditRun) -> AttestationRecord:
    (record,) = run.systems[0].attestations
    return record


def test_a_used_attestation_is_valid_until_its_rule_says_and_names_the_finding() -> None:
    record = only(run_with(attestation("AT-01")))
    assert record.status is AttestationStatus.VALID
    assert (record.effective, record.valid_until) == (dt.date(2026, 3, 1), dt.date(2027, 3, 1))
    assert record.used_by == ("AT-01:sys-a",)
    assert record.reason is None


@pytest.mark.parametrize(("fields", "status", "until"), [
    ({"date": "2025-11-23"}, AttestationStatus.LAPSED, dt.date(2026, 11, 23)),
    ({"date": "2025-11-24"}, AttestationStatus.VALID, dt.date(2026, 11, 24)),  # last day
    ({"valid_until": "2026-10-01"}, AttestationStatus.LAPSED, dt.date(2026, 10, 1)),
    ({"effective": "2026-11-25"}, AttestationStatus.NOT_YET_EFFECTIVE, dt.date(2027, 11, 25)),
])
def test_validity_at_the_audit_date(
    fields: dict[str, Any], status: AttestationStatus, until: dt.date
) -> None:
    record = only(run_with(attestation("AT-01", **fields)))
    assert (record.status, record.valid_until) == (status, until)
    assert record.used_by == ("AT-01:sys-a",)
    # The finding agrees: only a valid attestation closes the rule.
    (finding,) = [f for f in run_with(attestation("AT-01", **fields)).systems[0].findings
                  if f.rule_id == "AT-01"]
    assert (finding.status.value == "pass") is (status is AttestationStatus.VALID)


@pytest.mark.parametrize(("rule_id", "reason"), [
    ("ZZ-01", "there is no rule ZZ-01 in the checklists"),
    ("DATA-01", "DATA-01 is judged from security_regulation, malware.protected, malware.total"),
    ("BUILT-01", "BUILT-01 is judged from the builtin check 'transition_deadlines'"),
    ("AG-01", "AG-01 is judged for an agency; declare it there"),
    ("BODY-01", "BODY-01 is judged for an agency and the organisation; declare it there"),
    ("AT-L3", "AT-L3 does not apply to this system (level 1, regime nd331)"),
    ("AT-OP", "AT-OP does not apply: The system is in operation."),
])
def test_an_unused_attestation_says_why(rule_id: str, reason: str) -> None:
    record = only(run_with(attestation(rule_id, valid_until="2027-01-01")))
    assert record.status is AttestationStatus.UNUSED
    assert record.reason is not None and record.reason.en == reason
    assert record.reason.vi and record.reason.vi != record.reason.en
    assert record.used_by == ()
    assert record.valid_until == dt.date(2027, 1, 1)  # as declared; no rule sets one


def test_an_attestation_read_through_a_topic_deep_in_the_check_tree_is_used() -> None:
    hosts = [{"name": "web01.example.test"}]
    record = only(run_with(attestation("SHARED"), hosts=hosts))
    assert record.status is AttestationStatus.VALID
    assert record.used_by == ("AT-ANY:sys-a",)
    # The rule's own id names no topic it reads.
    assert only(run_with(attestation("AT-ANY"), hosts=hosts)).status is AttestationStatus.UNUSED


def test_the_index_knows_readers_and_what_other_rules_are_judged_from() -> None:
    index = AttestationIndex.build(CATALOG)
    assert sorted(index.readers) == ["AG-01", "AT-01", "AT-L3", "AT-OP", "BODY-01", "SHARED"]
    assert judged_from(CATALOG.get("AT-ANY")) == (  # type: ignore[arg-type]
        "last_major_change", "dossier.decision.date")


def test_body_attestations_are_accounted_for_the_body_kind() -> None:
    run = run_with(agency=[attestation("AG-01"), attestation("BODY-01"), attestation("AT-01")],
                   organisation=[attestation("BODY-01"), attestation("AG-01")])
    agency = {r.rule: r for r in run.agencies[0].attestations}
    assert agency["AG-01"].used_by == ("AG-01:so-y-te",)
    assert agency["BODY-01"].used_by == ("BODY-01:so-y-te",)
    assert agency["AT-01"].reason is not None
    assert agency["AT-01"].reason.en == "AT-01 is judged for a system; declare it there"
    org = {r.rule: r for r in run.organisation.attestations}
    assert org["BODY-01"].status is AttestationStatus.VALID
    assert org["BODY-01"].used_by == ("BODY-01:an-binh",)
    assert org["AG-01"].status is AttestationStatus.UNUSED


def test_every_attestation_is_kept_in_order_and_unused_ones_are_listed() -> None:
    run = run_with(attestation("ZZ-01"), attestation("AT-01"), attestation("DATA-01"),
                   agency=[attestation("AT-01")])
    assert [r.rule for r in run.systems[0].attestations] == ["ZZ-01", "AT-01", "DATA-01"]
    unused = unused_attestations(run)
    assert [(u.owner, u.record.rule) for u in unused] == [
        ("so-y-te", "AT-01"), ("sys-a", "ZZ-01"), ("sys-a", "DATA-01")]
    # Without origins (no loader) a warning names the owner instead of file:line.
    assert str(unused[1]) == (
        "sys-a: attestation for ZZ-01 is not used: there is no rule ZZ-01 in the checklists")


def test_no_attestations_no_records() -> None:
    run = run_with()
    assert run.systems[0].attestations == ()
    assert run.organisation.attestations == ()
    assert unused_attestations(run) == []


def test_origin_of_each_attestation_comes_from_its_own_line() -> None:
    from auditor.accounting import Judged, account

    origins = {"attestations": Origin("declared", "a.yaml", 10),
               "attestations.1": Origin("declared", "a.yaml", 14)}
    items = [
        {"rule": "ZZ-01", "document": {"number": "1", "date": dt.date(2026, 1, 1)},
         "attested_by": "A"},
        {"rule": "ZZ-02", "document": {"number": "2", "date": dt.date(2026, 1, 1)},
         "attested_by": "A"},
    ]
    judged = Judged("system", 1, frozenset(), ())
    first, second = account(items, origins, judged, AttestationIndex.build(CATALOG), AS_OF)
    assert first.origin.line == 10  # no line of its own recorded: the list's
    assert second.origin.line == 14
