"""The engine (auditor.engine.evaluate): statuses, levels, regimes, waivers, scores, roll-ups.

Inventories and catalogs are small and built here; rules are validated from plain dicts as
the checklist loader would.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from auditor.checks.context import Outcome
from auditor.engine import _apply_waiver, _finding_id, evaluate
from auditor.model.inventory import Inventory, Regime, System, Waiver
from auditor.model.results import (
    AuditRun,
    Fact,
    Finding,
    Origin,
    Score,
    Severity,
    Status,
    StatusCounts,
    SystemResult,
    Text2,
)
from auditor.regime import governing_regime
from auditor.report.json_out import to_json
from auditor.rules import Catalog, Rule
from auditor.scoring import gate_blocking

AS_OF = dt.date(2026, 11, 24)
HERE = Path(__file__).resolve().parent

PRESENT_NAME = {"kind": "present", "fact": "name"}
MISSING = {"kind": "present", "fact": "security_regulation"}
# ND85 level 3 (9.2.a), ND331 level 1: every other fact declared "no", so both are proven.
PSL3 = {
    "public_service_level": "3", "info_types": ["public"], "state_secret_harm": "none",
    "online_service": False, "admin_procedures": False, "conditional_business_line": False,
}


def rule(rule_id: str, check: dict[str, Any] | None = None, **fields: Any) -> Rule:
    data = {
        "id": rule_id,
        "title": {"vi": f"Quy tắc {rule_id}", "en": f"Rule {rule_id}"},
        "remediation": {"vi": "Khắc phục", "en": "Fix it"},
        "group": "governance",
        "severity": "high",
        "references": [{"document": "Nghị định 85/2016/NĐ-CP", "clause": "Điều 9"}],
        "check": check or PRESENT_NAME,
        **fields,
    }
    return Rule.model_validate(data)


def catalog(*rules: Rule) -> Catalog:
    return Catalog(rules=rules)


def system(system_id: str = "sys-a", **fields: Any) -> dict[str, Any]:
    return {
        "id": system_id,
        "name": f"Hệ thống {system_id}",
        "system_type": "internal",
        "lifecycle": "production",
        "declared_level": 1,
        **fields,
    }


def inventory(
    *systems: dict[str, Any],
    agencies: list[dict[str, Any]] | None = None,
    organisation: dict[str, Any] | None = None,
) -> Inventory:
    if agencies is None:
        agencies = [{"id": "so-y-te", "name": "Sở Y tế", "systems": list(systems)}]
    org = {"id": "an-binh", "name": "Tỉnh An Bình", **(organisation or {})}
    return Inventory.model_validate({"organisation": org, "agencies": agencies})


def waiver(rule_id: str, expires: str, **fields: Any) -> dict[str, Any]:
    return {
        "rule": rule_id,
        "reason": "Đang nâng cấp",
        "approver": "Giám đốc Sở",
        "decision": {"number": "12/QĐ-SYT", "date": "2026-01-15"},
        "expires": expires,
        **fields,
    }


def only_system(run: AuditRun) -> SystemResult:
    (result,) = run.systems
    return result


def by_rule(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


def statuses(result: SystemResult) -> dict[str, Status]:
    return {f.rule_id: f.status for f in result.findings}


# --------------------------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------------------------


def test_statuses_stay_distinct() -> None:
    rules = catalog(
        rule("R-PASS"),
        rule("R-FAIL", MISSING),
        rule("R-MANUAL", {"kind": "attested"}),
        rule(
            "R-NA",
            applies_if={"kind": "equals", "fact": "lifecycle", "value": "retired"},
            not_applicable={"vi": "Hệ thống chưa ngừng", "en": "The system is not retired"},
        ),
        rule("R-ERROR", {"kind": "present", "fact": "malware.protected"}),
    )
    failed = Fact(
        key="malware.protected",
        value=None,
        origin=Origin(source="observed", via="av-console"),
        error="console unreachable",
    )
    run = evaluate(
        inventory(system()), rules, AS_OF, observed={"sys-a": {"malware.protected": failed}}
    )
    result = only_system(run)
    findings = by_rule(result.findings)
    assert statuses(result) == {
        "R-PASS": Status.PASS,
        "R-FAIL": Status.FAIL,
        "R-MANUAL": Status.MANUAL,
        "R-NA": Status.NOT_APPLICABLE,
        "R-ERROR": Status.ERROR,
    }
    assert all(f.measured_status is f.status for f in result.findings)
    assert findings["R-NA"].message.en == "The system is not retired"
    assert findings["R-NA"].message.vi == "Hệ thống chưa ngừng"
    assert findings["R-ERROR"].message.en == (
        "Could not observe 'malware.protected': console unreachable"
    )
    assert str(findings["R-ERROR"].evidence[0].origin) == "observed · av-console"
    assert result.summary.counts == StatusCounts(
        passed=1, failed=1, manual=1, not_applicable=1, error=1, waived=0
    )


def test_applies_if_without_text_uses_condition_message() -> None:
    rules = catalog(
        rule("R-NA", applies_if={"kind": "equals", "fact": "operating", "value": False})
    )
    finding = only_system(evaluate(inventory(system()), rules, AS_OF)).findings[0]
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.message.en == "'operating' is “yes”, required “no”"


def test_enum_fact_message_shows_the_value_in_words() -> None:
    rules = catalog(
        rule("R-NA", applies_if={"kind": "equals", "fact": "lifecycle", "value": "retired"})
    )
    finding = only_system(evaluate(inventory(system()), rules, AS_OF)).findings[0]
    assert finding.status is Status.NOT_APPLICABLE
    # the enum member's words, never "Lifecycle.PRODUCTION" nor the code 'production'
    assert finding.message.en == "'lifecycle' is “in production”, required “retired”"
    assert finding.message.vi == "'lifecycle' = “đang vận hành”, yêu cầu “ngừng vận hành”"


def test_applies_if_passing_runs_the_check() -> None:
    rules = catalog(
        rule("R-1", MISSING, applies_if={"kind": "equals", "fact": "operating", "value": True})
    )
    finding = only_system(evaluate(inventory(system()), rules, AS_OF)).findings[0]
    assert finding.status is Status.FAIL


def test_present_on_empty_declared_list_fails() -> None:
    rules = catalog(rule("GOV-03", {"kind": "present", "fact": "dossier.components"}))
    sys_a = system(dossier={"status": "draft", "components": []})
    finding = only_system(evaluate(inventory(sys_a), rules, AS_OF)).findings[0]
    assert finding.status is Status.FAIL


def test_builtin_severity_overrides_rule_severity() -> None:
    rules = catalog(rule("GOV-28", {"kind": "builtin", "name": "transition_deadlines"},
                         severity="low"))
    legacy = system(lifecycle="building", investment_start="2025-03-01")
    overdue = dt.date(2027, 1, 2)  # a day after the 01/01/2027 approval deadline
    finding = only_system(evaluate(inventory(legacy), rules, overdue)).findings[0]
    assert finding.status is Status.FAIL
    assert finding.severity is Severity.HIGH


# --------------------------------------------------------------------------------------------
# Levels and regimes: which rules are evaluated
# --------------------------------------------------------------------------------------------

SCOPED_RULES = catalog(
    rule("ALL"),
    rule("L1-2", levels={"min_level": 1, "max_level": 2}),
    rule("L3-5", levels={"min_level": 3}),
    rule("L4-5", levels={"min_level": 4}),
    rule("ND85", regimes=["nd85"]),
    rule("ND331", regimes=["nd331"]),
    rule("EFFECTIVE", {"kind": "equals", "fact": "level.effective", "value": 3}),
)


def test_legacy_system_effective_level_is_computed_under_nd85() -> None:
    # Declared 2; ND85 criteria give 3 (governing), ND331 would give 1.
    legacy = system(system_type="citizen_facing", classification=PSL3, declared_level=2,
                    investment_start="2025-03-01")
    result = only_system(evaluate(inventory(legacy), SCOPED_RULES, AS_OF))
    assert result.level.governing_regime == "nd85"
    assert result.level.computed == {"nd85": 3, "nd331": 1}
    assert result.level.declared == 2
    assert result.level.effective == 3
    assert [f.rule_id for f in result.findings] == ["ALL", "L3-5", "ND85", "EFFECTIVE"]
    assert statuses(result)["EFFECTIVE"] is Status.PASS


def test_new_system_effective_level_is_declared_when_higher() -> None:
    new = system(system_type="citizen_facing", classification=PSL3, declared_level=2)
    result = only_system(evaluate(inventory(new), SCOPED_RULES, AS_OF))
    assert result.level.governing_regime == "nd331"
    assert result.level.effective == 2
    assert [f.rule_id for f in result.findings] == ["ALL", "L1-2", "ND331", "EFFECTIVE"]
    assert statuses(result)["EFFECTIVE"] is Status.FAIL


def test_undeclared_level_uses_computed() -> None:
    new = system(system_type="citizen_facing", classification={"admin_procedures": True},
                 declared_level=None)
    result = only_system(evaluate(inventory(new), SCOPED_RULES, AS_OF))
    assert result.level.declared is None
    assert result.level.effective == 3
    assert [f.rule_id for f in result.findings] == ["ALL", "L3-5", "ND331", "EFFECTIVE"]


def test_rule_count_in_run_info_counts_catalog() -> None:
    run = evaluate(inventory(system()), SCOPED_RULES, AS_OF)
    assert run.run.rules == 7
    assert run.run.as_of == AS_OF


# --------------------------------------------------------------------------------------------
# Waivers
# --------------------------------------------------------------------------------------------


def _waived_run(*waivers: dict[str, Any], check: dict[str, Any] = MISSING) -> SystemResult:
    return only_system(
        evaluate(inventory(system(waivers=list(waivers))), catalog(rule("GOV-10", check)), AS_OF)
    )


def test_waiver_in_force_waives_and_keeps_measured_status() -> None:
    result = _waived_run(waiver("GOV-10", "2027-06-30"))
    finding = result.findings[0]
    assert finding.status is Status.WAIVED
    assert finding.measured_status is Status.FAIL
    assert finding.waiver is not None
    assert finding.waiver.expired is False
    assert finding.waiver.expires == dt.date(2027, 6, 30)
    assert finding.waiver.decision == "12/QĐ-SYT (2026-01-15)"
    assert finding.waiver.approver == "Giám đốc Sở"
    assert finding.waiver.reason == "Đang nâng cấp"
    assert result.summary.counts.waived == 1
    assert result.summary.counts.failed == 0
    assert result.summary.expired_waivers == 0


def test_waiver_expiring_on_audit_date_is_in_force() -> None:
    finding = _waived_run(waiver("GOV-10", AS_OF.isoformat())).findings[0]
    assert finding.status is Status.WAIVED


def test_expired_waiver_does_not_waive_and_is_noted() -> None:
    run = evaluate(
        inventory(system(waivers=[waiver("GOV-10", "2026-11-23")])),
        catalog(rule("GOV-10", MISSING)),
        AS_OF,
    )
    finding = only_system(run).findings[0]
    assert finding.status is Status.FAIL
    assert finding.measured_status is Status.FAIL
    assert finding.waiver is not None
    assert finding.waiver.expired is True
    assert only_system(run).summary.expired_waivers == 1
    assert run.agencies[0].summary.expired_waivers == 1
    assert run.summary.expired_waivers == 1


def test_waiver_in_force_preferred_over_expired() -> None:
    result = _waived_run(
        waiver("GOV-10", "2026-01-01"),
        waiver("GOV-10", "2027-01-01"),
        waiver("GOV-10", "2026-06-01"),
    )
    finding = result.findings[0]
    assert finding.status is Status.WAIVED
    assert finding.waiver is not None
    assert finding.waiver.expires == dt.date(2027, 1, 1)
    assert result.summary.expired_waivers == 0


def test_waiver_for_another_rule_does_not_apply() -> None:
    finding = _waived_run(waiver("GOV-11", "2027-06-30")).findings[0]
    assert finding.status is Status.FAIL
    assert finding.waiver is None


def test_subject_scoped_waiver_does_not_cover_system_finding() -> None:
    finding = _waived_run(waiver("GOV-10", "2027-06-30", subject="web01.example.test")).findings[0]
    assert finding.status is Status.FAIL
    assert finding.waiver is None


def test_subject_scoped_waiver_matches_only_its_subject() -> None:
    scoped = Waiver.model_validate(waiver("NET-01", "2027-06-30", subject="web01.example.test"))
    failing = Outcome(Status.FAIL, Text2(vi="x", en="x"))
    net = rule("NET-01")
    assert _apply_waiver(net, failing, "web01.example.test", [scoped], AS_OF)[0] is Status.WAIVED
    status, note = _apply_waiver(net, failing, "db01.example.test", [scoped], AS_OF)
    assert status is Status.FAIL
    assert note is None
    # A waiver without a subject covers every subject of its rule.
    general = Waiver.model_validate(waiver("NET-01", "2027-06-30"))
    assert _apply_waiver(net, failing, "db01.example.test", [general], AS_OF)[0] is Status.WAIVED


@pytest.mark.parametrize(
    ("check", "measured"),
    [
        ({"kind": "attested"}, Status.MANUAL),
        ({"kind": "present", "fact": "x", "if_missing": "error"}, Status.ERROR),
    ],
)
def test_manual_and_error_are_waivable(check: dict[str, Any], measured: Status) -> None:
    finding = _waived_run(waiver("GOV-10", "2027-06-30"), check=check).findings[0]
    assert finding.status is Status.WAIVED
    assert finding.measured_status is measured


@pytest.mark.parametrize(
    ("check", "measured"),
    [
        (PRESENT_NAME, Status.PASS),
        ({"kind": "present", "fact": "x", "if_missing": "not_applicable"}, Status.NOT_APPLICABLE),
    ],
)
def test_waiver_leaves_pass_and_not_applicable(check: dict[str, Any], measured: Status) -> None:
    result = _waived_run(waiver("GOV-10", "2027-06-30"), check=check)
    finding = result.findings[0]
    assert finding.status is measured
    assert finding.measured_status is measured
    assert result.summary.counts.waived == 0


# --------------------------------------------------------------------------------------------
# Finding ids
# --------------------------------------------------------------------------------------------


def test_finding_ids_are_stable() -> None:
    rules = catalog(
        rule("GOV-01"),
        rule("AG-01", {"kind": "present", "fact": "name"}, subject="agency"),
        rule("ORG-01", {"kind": "present", "fact": "name"}, subject="organisation"),
    )
    run = evaluate(inventory(system("syt-his")), rules, AS_OF)
    assert [f.id for f in run.systems[0].findings] == ["GOV-01:syt-his"]
    assert [f.id for f in run.agencies[0].findings] == ["AG-01:so-y-te"]
    assert [f.id for f in run.organisation.findings] == ["ORG-01:an-binh"]
    assert _finding_id("NET-01", "syt-his", "web01.example.test") == (
        "NET-01:syt-his:web01.example.test"
    )
    assert _finding_id("NET-01", "syt-his", None) == "NET-01:syt-his"


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------


def test_scores_with_and_without_waivers() -> None:
    rules = catalog(
        rule("S-CRIT", severity="critical"),  # pass: 10/10
        rule("S-HIGH", MISSING, severity="high"),  # fail: 0/5
        rule("S-MED", {"kind": "attested"}, severity="medium"),  # manual: 0/3
        rule("S-LOW-NA", {"kind": "present", "fact": "x", "if_missing": "not_applicable"},
             severity="low"),  # excluded
        rule("S-ADV", MISSING, severity="critical", obligation="advisory"),  # excluded
        rule("S-INFO", severity="info"),  # pass: 0/0
        rule("S-WAIVED", MISSING, severity="medium"),  # waived: 3/3, measured 0/3
        rule("S-ERR", {"kind": "present", "fact": "x", "if_missing": "error"},
             severity="low"),  # error: 0/1
    )
    sys_a = system(waivers=[waiver("S-WAIVED", "2027-06-30")])
    summary = only_system(evaluate(inventory(sys_a), rules, AS_OF)).summary
    # possible = 10 + 5 + 3 + 0 + 3 + 1 = 22
    assert summary.score == Score(value=59.1, earned=13, possible=22)  # 100 * 13 / 22
    assert summary.score_without_waivers == Score(value=45.5, earned=10, possible=22)
    assert summary.by_severity["high"] == 1
    assert summary.by_severity["medium"] == 0  # manual and waived are not open failures
    assert summary.by_severity["low"] == 1  # the error
    assert summary.by_severity["info"] == 0


def test_score_none_when_nothing_applicable() -> None:
    rules = catalog(rule("NA", {"kind": "present", "fact": "x", "if_missing": "not_applicable"}),
                    rule("ADV", MISSING, obligation="advisory"))
    summary = only_system(evaluate(inventory(system()), rules, AS_OF)).summary
    assert summary.score == Score(value=None, earned=0, possible=0)


def test_per_level_severity() -> None:
    rules = catalog(rule("SEV", MISSING, severity={1: "low", 3: "high"}),
                    rule("SEV-HIGH-ONLY", MISSING, severity={3: "critical"}))
    low = only_system(evaluate(inventory(system()), rules, AS_OF))
    assert {f.rule_id: f.severity for f in low.findings} == {
        "SEV": Severity.LOW, "SEV-HIGH-ONLY": Severity.CRITICAL  # lowest entry of the map
    }
    high = only_system(evaluate(inventory(system(declared_level=3)), rules, AS_OF))
    assert {f.rule_id: f.severity for f in high.findings} == {
        "SEV": Severity.HIGH, "SEV-HIGH-ONLY": Severity.CRITICAL
    }
    assert high.summary.score == Score(value=0.0, earned=0, possible=15)


# --------------------------------------------------------------------------------------------
# Agencies, the organisation, roll-ups
# --------------------------------------------------------------------------------------------

BODY_RULES = catalog(
    rule("SYS-01"),
    rule("SYS-02", MISSING),
    rule("AG-01", {"kind": "present", "fact": "security_unit.name"}, subject="agency"),
    rule("AG-02", {"kind": "equals", "fact": "organisation.kind", "value": "province"},
         subject="agency"),
    rule("ORG-01", {"kind": "present", "fact": "ipv6_plan"}, subject="organisation"),
)


def _two_agencies() -> Inventory:
    regulation = {"number": "01/QĐ", "date": "2025-01-01"}
    return inventory(
        agencies=[
            {"id": "so-y-te", "name": "Sở Y tế", "security_unit": {"name": "Phòng CNTT"},
             "systems": [system("syt-his")]},
            {"id": "so-gd", "name": "Sở Giáo dục",
             "systems": [system("sgd-csdl", security_regulation=regulation)]},
        ]
    )


def test_agency_and_organisation_rules_and_rollups() -> None:
    run = evaluate(_two_agencies(), BODY_RULES, AS_OF)
    syt, sgd = run.agencies
    assert [(f.rule_id, f.status) for f in syt.findings] == [
        ("AG-01", Status.PASS), ("AG-02", Status.PASS)
    ]
    assert [(f.rule_id, f.status) for f in sgd.findings] == [
        ("AG-01", Status.FAIL), ("AG-02", Status.PASS)
    ]
    assert [(f.rule_id, f.status) for f in run.organisation.findings] == [
        ("ORG-01", Status.FAIL)
    ]
    # Each system: SYS-01 pass; SYS-02 fails for syt-his, passes for sgd-csdl.
    assert syt.systems == ("syt-his",)
    assert sgd.systems == ("sgd-csdl",)
    assert run.organisation.systems == ("syt-his", "sgd-csdl")
    assert run.organisation.kind == "organisation"
    assert syt.kind == "agency"
    # Agency roll-up: own findings + its systems'.
    assert syt.summary.counts == StatusCounts(passed=3, failed=1)
    assert sgd.summary.counts == StatusCounts(passed=3, failed=1)
    # Organisation: own + agencies' own + all systems'; every finding is high (5).
    assert run.organisation.summary.counts == StatusCounts(passed=6, failed=3)
    assert run.organisation.summary.score == Score(value=66.7, earned=30, possible=45)
    assert run.summary == run.organisation.summary
    assert syt.summary.score == Score(value=75.0, earned=15, possible=20)


def test_a_rule_for_agencies_and_the_organisation_reads_each_ones_own_facts() -> None:
    rules = catalog(rule("BODY-01", {"kind": "present", "fact": "security_unit.decision"},
                         subject=["agency", "organisation"]))
    decision = {"name": "Phòng CNTT", "decision": {"number": "1/QĐ", "date": "2025-01-01"}}
    run = evaluate(
        inventory(
            agencies=[{"id": "so-y-te", "name": "Sở Y tế", "security_unit": decision,
                       "systems": [system("syt-his")]}],
            organisation={"security_unit": {"name": "Sở KH&CN"}},
        ),
        rules,
        AS_OF,
    )
    assert [(f.id, f.status) for f in run.agencies[0].findings] == [
        ("BODY-01:so-y-te", Status.PASS)
    ]
    # The organisation is judged on its own (undeclared) decision, not its agency's.
    assert [(f.id, f.status) for f in run.organisation.findings] == [
        ("BODY-01:an-binh", Status.FAIL)
    ]
    assert [f.rule_id for f in run.systems[0].findings] == []


@pytest.mark.parametrize(("subject", "problem"), [
    ([], "name at least one subject"),
    (["agency", "agency"], "a subject is named twice"),
    (["system", "agency"], "literal_error"),
])
def test_a_list_of_subjects_is_checked(subject: list[str], problem: str) -> None:
    with pytest.raises(ValidationError) as raised:
        rule("BODY-01", subject=subject)
    assert problem in str(raised.value) or problem in {e["type"] for e in raised.value.errors()}


def test_body_rules_follow_their_systems_levels_and_regimes() -> None:
    rules = catalog(
        rule("AG-L3", subject="agency", levels={"min_level": 3}),
        rule("AG-85", subject="agency", regimes=["nd85"]),
        rule("AG-331", subject="agency", regimes=["nd331"]),
        rule("ORG-L3", subject="organisation", levels={"min_level": 3}),
        rule("ORG-85", subject="organisation", regimes=["nd85"]),
    )
    legacy_l3 = system("legacy", system_type="citizen_facing", classification=PSL3,
                       investment_start="2025-03-01")
    run = evaluate(
        inventory(
            agencies=[
                {"id": "a-legacy", "name": "A", "systems": [legacy_l3]},
                {"id": "b-new", "name": "B", "systems": [system("new")]},
                {"id": "c-empty", "name": "C"},
            ]
        ),
        rules,
        AS_OF,
    )
    ids = {a.id: [f.rule_id for f in a.findings] for a in run.agencies}
    assert ids == {
        "a-legacy": ["AG-L3", "AG-85"],
        "b-new": ["AG-331"],
        "c-empty": ["AG-331"],  # no systems: level 1, the regime of the audit date
    }
    assert [f.rule_id for f in run.organisation.findings] == ["ORG-L3", "ORG-85"]
    assert run.organisation.findings[0].severity is Severity.HIGH


def test_empty_agency_before_law_116_is_nd85() -> None:
    rules = catalog(rule("AG-85", subject="agency", regimes=["nd85"]),
                    rule("AG-331", subject="agency", regimes=["nd331"]))
    run = evaluate(inventory(agencies=[{"id": "c", "name": "C"}]), rules, dt.date(2026, 6, 30))
    assert [f.rule_id for f in run.agencies[0].findings] == ["AG-85"]


def test_agency_waivers_and_attestations_apply_to_agency_rules() -> None:
    rules = catalog(
        rule("AG-01", {"kind": "present", "fact": "security_unit"}, subject="agency"),
        rule("AG-16", {"kind": "attested"}, subject="agency"),
        rule("SYS-01", MISSING),
    )
    agency = {
        "id": "so-y-te",
        "name": "Sở Y tế",
        "waivers": [waiver("AG-01", "2027-01-01"), waiver("SYS-01", "2027-01-01")],
        "attestations": [{"rule": "AG-16", "attested_by": "Chánh Văn phòng",
                          "document": {"number": "3/BC", "date": "2026-06-01"}}],
        "systems": [system()],
    }
    run = evaluate(inventory(agencies=[agency]), rules, AS_OF)
    assert [(f.rule_id, f.status) for f in run.agencies[0].findings] == [
        ("AG-01", Status.WAIVED), ("AG-16", Status.PASS)
    ]
    # An agency waiver is for the agency's own findings, not its systems'.
    assert statuses(run.systems[0]) == {"SYS-01": Status.FAIL}


# --------------------------------------------------------------------------------------------
# Gate
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "check", "waivers", "blocked"),
    [
        ({"gate": True}, MISSING, [], True),
        ({"gate": True}, {"kind": "attested"}, [], True),
        ({"gate": True}, {"kind": "present", "fact": "x", "if_missing": "error"}, [], True),
        ({"gate": True}, PRESENT_NAME, [], False),
        ({"gate": True}, {"kind": "present", "fact": "x", "if_missing": "not_applicable"}, [],
         False),
        ({"gate": True, "obligation": "advisory"}, MISSING, [], False),
        ({"gate": True}, MISSING, [waiver("G-1", "2027-01-01")], False),
        ({"gate": True}, MISSING, [waiver("G-1", "2026-01-01")], True),
        ({}, MISSING, [], False),
    ],
    ids=["fail", "manual", "error", "pass", "n/a", "advisory", "waived", "expired-waiver",
         "not-gate"],
)
def test_gate_blocking(
    fields: dict[str, Any], check: dict[str, Any], waivers: list[Any], blocked: bool
) -> None:
    run = evaluate(inventory(system(waivers=waivers)), catalog(rule("G-1", check, **fields)), AS_OF)
    result = only_system(run)
    assert result.summary.gate_blocked is blocked
    assert [f.rule_id for f in gate_blocking(result.findings)] == (["G-1"] if blocked else [])
    assert run.summary.gate_blocked is blocked


# --------------------------------------------------------------------------------------------
# Go-live evaluation
# --------------------------------------------------------------------------------------------

GOLIVE_RULES = catalog(
    rule(
        "GO-01",
        {"kind": "present", "fact": "pre_operation_assessment"},
        applies_if={"kind": "equals", "fact": "operating", "value": True},
        not_applicable={"vi": "Chưa vận hành", "en": "Not in operation"},
        gate=True,
    ),
    rule("GO-02", {"kind": "equals", "fact": "lifecycle", "value": "production"}),
)


def test_golive_system_treated_as_operating() -> None:
    inv = inventory(system("pilot", lifecycle="testing"), system("other", lifecycle="testing"))
    plain = evaluate(inv, GOLIVE_RULES, AS_OF)
    assert [statuses(s) for s in plain.systems] == [
        {"GO-01": Status.NOT_APPLICABLE, "GO-02": Status.FAIL}
    ] * 2
    golive = evaluate(inv, GOLIVE_RULES, AS_OF, golive_system="pilot")
    pilot, other = golive.systems
    assert statuses(pilot) == {"GO-01": Status.FAIL, "GO-02": Status.PASS}
    assert pilot.summary.gate_blocked is True
    assert statuses(other) == {"GO-01": Status.NOT_APPLICABLE, "GO-02": Status.FAIL}
    assert pilot.lifecycle == "testing"  # the result still reports the declared lifecycle


def test_testing_with_real_data_is_operating() -> None:
    inv = inventory(system("pilot", lifecycle="testing", real_data=True))
    assert statuses(only_system(evaluate(inv, GOLIVE_RULES, AS_OF)))["GO-01"] is Status.FAIL


# --------------------------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------------------------


def determinism_bytes(set_message: bool = False) -> bytes:
    """A run with sets, dates, waivers and several agencies, serialised to JSON."""
    extra = [rule("D-07", {"kind": "one_of", "fact": "classification.info_types",
                           "values": ["personal"]})] if set_message else []
    rules = catalog(
        *extra,
        rule("D-01", {"kind": "present", "fact": "classification.info_types"}),
        rule("D-02", {"kind": "present", "fact": "classification"}),
        rule("D-03", MISSING),
        rule("D-04", {"kind": "builtin", "name": "level_not_below_computed"}),
        rule("D-05", {"kind": "for_each", "over": "hosts",
                      "check": {"kind": "present", "fact": "expected_ports"}}),
        rule("D-06", {"kind": "present", "fact": "dossier"}),
        rule("AG-01", {"kind": "present", "fact": "security_unit"}, subject="agency"),
    )
    rich = system(
        "syt-his",
        system_type="citizen_facing",
        classification={"info_types": ["personal", "private", "state_secret"], "users": 20000},
        declared_level=3,
        investment_start="2025-03-01",
        dossier={"status": "approved", "components": ["security_plan", "overview", "design"],
                 "decision": {"number": "45/QĐ", "date": "2024-05-10", "body_kind": "owner"}},
        hosts=[{"name": "web01.example.test", "expected_ports": [443, "80/tcp"]},
               {"name": "db01.example.test"}],
        waivers=[waiver("D-03", "2026-01-01")],
    )
    inv = inventory(
        agencies=[
            {"id": "so-y-te", "name": "Sở Y tế", "systems": [rich, system("syt-web")]},
            {"id": "so-gd", "name": "Sở Giáo dục", "systems": [system("sgd-csdl")]},
        ]
    )
    return to_json(evaluate(inv, rules, AS_OF))


def test_evaluation_is_deterministic_in_process() -> None:
    first = determinism_bytes()
    assert first == determinism_bytes()
    assert first.endswith(b"\n")
    assert "Sở Y tế".encode() in first  # UTF-8, not \u escapes


def _bytes_under_seeds(set_message: bool, seeds: tuple[str, ...]) -> list[bytes]:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_engine; "
        "sys.stdout.buffer.write(test_engine.determinism_bytes(sys.argv[2] == '1'))"
    )
    outputs = []
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        completed = subprocess.run(
            [sys.executable, "-c", code, str(HERE), "1" if set_message else "0"],
            capture_output=True, cwd=HERE.parent.parent, env=env, timeout=120, check=True,
        )
        outputs.append(completed.stdout)
    return outputs


def test_evaluation_is_deterministic_across_hash_seeds() -> None:
    first, second = _bytes_under_seeds(False, ("0", "4242"))
    assert first == second == determinism_bytes()


def test_set_fact_message_is_deterministic_across_hash_seeds() -> None:
    outputs = _bytes_under_seeds(True, ("1", "2", "3"))
    assert outputs[0] == outputs[1] == outputs[2]


# --------------------------------------------------------------------------------------------
# The governing regime
# --------------------------------------------------------------------------------------------


def _system(**fields: Any) -> System:
    return System.model_validate(system(**fields))


APPROVED_2024 = {"status": "approved", "decision": {"number": "45/QĐ", "date": "2024-05-10"}}


@pytest.mark.parametrize(
    ("fields", "as_of", "regime", "reason"),
    [
        ({"regime": "nd331", "dossier": APPROVED_2024}, AS_OF, Regime.ND331,
         "Stated in the inventory"),
        ({"regime": "nd85"}, dt.date(2027, 8, 1), Regime.ND85, "Stated in the inventory"),
        ({"dossier": APPROVED_2024}, AS_OF, Regime.ND85,
         "Level approved under Decree 85 on 2024-05-10; in transition until 2027-07-01 "
         "(Law 116/2025 Art. 45.1)"),
        ({"investment_start": "2026-06-30"}, AS_OF, Regime.ND85,
         "Investment started 2026-06-30, before 2026-07-01; level approved under Decree 85 "
         "(Decree 331/2026 Art. 39.1)"),
        ({}, AS_OF, Regime.ND331, "New system, or no level approved under Decree 85"),
        ({"investment_start": "2026-07-01"}, AS_OF, Regime.ND331,
         "New system, or no level approved under Decree 85"),
        ({"investment_start": "2026-08-01"}, dt.date(2026, 6, 30), Regime.ND85,
         "Audit date before 2026-07-01"),
        ({}, dt.date(2026, 7, 1), Regime.ND331,
         "New system, or no level approved under Decree 85"),
        ({"dossier": APPROVED_2024}, dt.date(2027, 7, 1), Regime.ND331,
         "Transition ended on 2027-07-01"),
        ({"investment_start": "2025-01-01"}, dt.date(2027, 6, 30), Regime.ND85,
         "Investment started 2025-01-01, before 2026-07-01; level approved under Decree 85 "
         "(Decree 331/2026 Art. 39.1)"),
    ],
    ids=["stated-nd331", "stated-nd85-after-transition", "approved-before-law",
         "investment-before-law", "new", "investment-on-law-date", "as-of-before-law",
         "as-of-on-law-date",
         "as-of-transition-end", "investment-before-law-last-day"],
)
def test_governing_regime(
    fields: dict[str, Any], as_of: dt.date, regime: Regime, reason: str
) -> None:
    decision = governing_regime(_system(**fields), as_of)
    assert decision.regime is regime
    assert decision.reason_en == reason


@pytest.mark.parametrize(
    "dossier",
    [
        {"status": "approved", "decision": {"number": "1/QĐ", "date": "2026-07-01"}},
        {"status": "appraised", "decision": {"number": "1/QĐ", "date": "2026-05-01"}},
        {"status": "approved"},
    ],
    ids=["approved-on-law-date", "not-approved", "approved-without-decision"],
)
def test_governing_regime_not_legacy_approval(dossier: dict[str, Any]) -> None:
    assert governing_regime(_system(dossier=dossier), AS_OF).regime is Regime.ND331


def test_governing_regime_reported_by_evaluate() -> None:
    run = evaluate(inventory(system(dossier=APPROVED_2024)), catalog(rule("ALL")), AS_OF)
    level = only_system(run).level
    assert level.governing_regime == "nd85"
    assert level.regime_reason.en.startswith("Level approved under Decree 85 on 2024-05-10")
    assert level.regime_reason.vi.startswith("Cấp độ phê duyệt theo NĐ 85 ngày 10/05/2024")
    assert level.approved == 1


# --------------------------------------------------------------------------------------------
# A rule that takes effect on a given day (in_force)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(dt.date(2026, 6, 30), Status.NOT_APPLICABLE), (dt.date(2026, 7, 1), Status.FAIL)],
)
def test_a_rule_is_not_applicable_before_it_takes_effect(as_of: dt.date, expected: Status) -> None:
    later = rule("LAW-116", MISSING, in_force="2026-07-01")
    result = only_system(evaluate(inventory(system()), Catalog(rules=(later,)), as_of))
    (finding,) = result.findings
    assert finding.status is expected
    if expected is Status.NOT_APPLICABLE:
        assert "takes effect on 2026-07-01" in finding.message.en


# --------------------------------------------------------------------------------------------
# Unknown is not no: a rule whose applicability depends on undeclared classification facts
# --------------------------------------------------------------------------------------------

# Level-3 product obligation keyed to Decree 85 Art. 9.2.c (online service, >= 10,000 users).
PRODUCT = rule(
    "PRODUCT",
    MISSING,
    regimes=["nd85"],
    applies_if={"kind": "any", "checks": [
        {"kind": "fired", "criteria": ["nd85.9.2.c"]},
        {"kind": "at_least", "fact": "level.effective", "value": 5},
    ]},
    not_applicable={"vi": "Không thuộc diện", "en": "Not concerned"},
)
CITIZEN = {
    "system_type": "citizen_facing", "investment_start": "2025-03-01", "declared_level": 3,
    "classification": {**PSL3, "info_types": ["personal"], "online_service": True},
}


@pytest.mark.parametrize(
    ("users", "expected"),
    [(None, Status.MANUAL), (9_999, Status.NOT_APPLICABLE), (10_000, Status.FAIL)],
)
def test_applicability_waits_for_undeclared_facts(users: int | None, expected: Status) -> None:
    fields = {**CITIZEN, "classification": {**CITIZEN["classification"], "users": users}}
    result = only_system(evaluate(inventory(system(**fields)), Catalog(rules=(PRODUCT,)), AS_OF))
    (finding,) = result.findings
    assert finding.status is expected, finding.message.en
    if expected is Status.MANUAL:
        assert "declare: users" in finding.message.en
        assert "If it applies:" in finding.message.en
