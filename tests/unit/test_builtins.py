"""The named Python checks (auditor.checks.builtins), fed through the real fact path.

System contexts come from `auditor.facts.system_facts` over pydantic models, so the derived
facts a builtin reads (level.*, regime, operating) are the ones an audit computes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from auditor.checks.builtins import BUILTINS
from auditor.checks.context import EvalContext, Outcome
from auditor.facts import body_values, system_facts
from auditor.model.inventory import Agency, Organisation, System
from auditor.model.results import Severity, Status

AS_OF = dt.date(2026, 11, 24)
ORGANISATION = Organisation.model_validate({"id": "an-binh", "name": "Tỉnh An Bình"})
UNIT = "Phòng Công nghệ thông tin"

# Classification attributes with known levels (see tests/unit/test_levels.py):
# online public service level 3 -> ND85 level 3 (nd85.9.2.a), ND331 level 1 (default);
# administrative procedures -> ND85 level 1, ND331 level 3 (nd331.13.2.b);
# serious harm to national security -> level 4 under both.
# Every other classification fact is declared "no" (CLOSED), so the levels are proven.
CLOSED: dict[str, Any] = {
    "info_types": ["public"], "state_secret_harm": "none", "online_service": False,
    "public_service_level": "none", "admin_procedures": False,
    "conditional_business_line": False, "users": 0, "basic_pd_subjects": 0,
    "sensitive_pd_subjects": 0,
}
PSL3 = {**CLOSED, "public_service_level": "3"}
ADMIN = {**CLOSED, "admin_procedures": True}
SERIOUS = {**CLOSED, "state_secret_harm": "serious"}
FULL = ["overview", "design", "level_justification", "security_plan"]


def make_system(**fields: Any) -> System:
    data = {
        "id": "syt-his",
        "name": "Hệ thống thông tin bệnh viện",
        "system_type": "citizen_facing",
        "lifecycle": "production",
        **fields,
    }
    return System.model_validate(data)


def make_agency(**fields: Any) -> Agency:
    data = {"id": "so-y-te", "name": "Sở Y tế", "security_unit": {"name": UNIT}, **fields}
    return Agency.model_validate(data)


def system_ctx(
    system: System, as_of: dt.date = AS_OF, agency: Agency | None = None
) -> EvalContext:
    agency = agency or make_agency()
    facts = system_facts(
        agency, system, body_values(agency), body_values(ORGANISATION), {}, as_of
    )
    return EvalContext(
        as_of=as_of,
        level=facts.level.effective,
        rule_id="GOV-02",
        values=facts.values,
        origins=facts.origins,
        attestations=facts.attestations,
        collections=facts.collections,
        builtins=BUILTINS,
    )


def agency_ctx(agency: Agency, as_of: dt.date = AS_OF, level: int = 1) -> EvalContext:
    # As the engine builds it: the agency's own facts plus `organisation.*`.
    values = {**body_values(agency), "organisation": body_values(ORGANISATION)}
    return EvalContext(
        as_of=as_of, level=level, rule_id="GOV-27", values=values, origins={}, builtins=BUILTINS
    )


def check(name: str, ctx: EvalContext) -> Outcome:
    return BUILTINS[name](ctx)


def approved(date: str, body_kind: str | None = "owner", **dossier: Any) -> dict[str, Any]:
    decision: dict[str, Any] = {"number": "45/QĐ-UBND", "date": date}
    if body_kind is not None:
        decision["body_kind"] = body_kind
    return {"status": "approved", "components": FULL, "decision": decision, **dossier}


def test_registry_is_the_documented_closed_list() -> None:
    assert set(BUILTINS) == {
        "level_not_below_computed",
        "dossier_complete",
        "approver_competent",
        "appraisal_independent",
        "transition_deadlines",
        "assessor_independent",
        "budget_share",
        "budget_plan_appraised",
        "operators_certified",
        "service_version_supported",
        "revocation_status",
    }
    with pytest.raises(TypeError):
        BUILTINS["evil"] = check  # type: ignore[index]


# --------------------------------------------------------------------------------------------
# level_not_below_computed (GOV-02)
# --------------------------------------------------------------------------------------------

LEGACY = "2025-03-01"  # investment before 01/07/2026: Decree 85 governs during the transition


def test_level_not_below_computed_pass_under_nd85() -> None:
    ctx = system_ctx(make_system(classification=PSL3, investment_start=LEGACY, declared_level=3))
    assert ctx.fact("regime").value == "nd85"  # type: ignore[union-attr]
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Declared level 3, minimum by the criteria 3 [Decree 85 Art. 9.2.a] "
        "(under Decree 331/2026: level 1)"
    )
    assert [e.fact for e in outcome.evidence] == [
        "level.declared", "level.computed.nd85", "level.upper.nd85", "level.criteria.nd85",
        "level.deciding_facts.nd85",
    ]
    assert [e.value for e in outcome.evidence] == [3, 3, 3, ["nd85.9.2.a"], []]


def test_level_not_below_computed_fail_declared_below() -> None:
    ctx = system_ctx(make_system(classification=PSL3, investment_start=LEGACY, declared_level=2))
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.FAIL
    assert outcome.message.en.startswith("Declared level 2, minimum by the criteria 3")


def test_level_not_below_computed_no_declared_level_fails() -> None:
    ctx = system_ctx(make_system(classification=PSL3, investment_start=LEGACY))
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "No level declared; the criteria (Decree 85 Art. 9.2.a) require at least level 3"
    )


def test_level_not_below_computed_uses_governing_regime() -> None:
    # The same attributes on a new system are judged under Decree 331: level 1 suffices.
    ctx = system_ctx(make_system(classification=PSL3, declared_level=1))
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Declared level 1, minimum by the criteria 1 [nd331.default] "
        "(under Decree 85/2016: level 3)"
    )
    # ...and administrative procedures need level 3 under Decree 331.
    ctx = system_ctx(make_system(classification=ADMIN, declared_level=2))
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "Declared level 2, minimum by the criteria 3 [Decree 331 Art. 13.2.b] "
        "(under Decree 85/2016: level 1)"
    )


def test_level_not_below_computed_no_note_when_regimes_agree() -> None:
    ctx = system_ctx(make_system(classification=SERIOUS, declared_level=5))
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Declared level 5, minimum by the criteria 4 [Decree 331 Art. 14.1]"
    )


# Citizen-facing, no state secrets; whether the service is on the conditional business list
# is not declared: Decree 331 proves level 3 (administrative procedures) and 13.2.a is level 3
# too, Decree 85 proves level 2 (the type) and could reach 3 (9.2.b, the list).
UNDECIDED = {**CLOSED, "online_service": True, "conditional_business_line": None}


@pytest.mark.parametrize(
    ("declared", "status"),
    [(1, Status.FAIL), (2, Status.MANUAL), (3, Status.PASS), (4, Status.PASS)],
)
def test_level_not_below_computed_with_undeclared_facts(declared: int, status: Status) -> None:
    ctx = system_ctx(make_system(classification=UNDECIDED, investment_start=LEGACY,
                                 declared_level=declared))
    assert ctx.fact("level.computed.nd85").value == 2  # type: ignore[union-attr]
    assert ctx.fact("level.upper.nd85").value == 3  # type: ignore[union-attr]
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is status
    if status is Status.MANUAL:
        assert outcome.message.en == (
            "Declared level 2; the declared facts prove level 2 [Decree 85 Art. 6.2.b], but "
            "the system could be up to level 3. Declare: conditional_business_line "
            "(Decree 85 Art. 9.2.b (3): conditional_business_line)"
        )


def test_level_not_below_computed_no_level_names_the_range() -> None:
    ctx = system_ctx(make_system(classification=UNDECIDED, investment_start=LEGACY))
    outcome = check("level_not_below_computed", ctx)
    assert outcome.status is Status.FAIL
    assert "(possibly up to level 3 depending on: conditional_business_line)" in outcome.message.en


# --------------------------------------------------------------------------------------------
# dossier_complete (GOV-03)
# --------------------------------------------------------------------------------------------


def test_dossier_complete_no_dossier_fails() -> None:
    outcome = check("dossier_complete", system_ctx(make_system(declared_level=1)))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "No level dossier"


def test_dossier_complete_pass_at_level_3() -> None:
    system = make_system(classification=ADMIN, declared_level=3,
                         dossier={"status": "draft", "components": FULL})
    outcome = check("dossier_complete", system_ctx(system))
    assert outcome.status is Status.PASS
    assert outcome.message.en == "The dossier is complete"


def test_dossier_complete_missing_component_fails() -> None:
    system = make_system(declared_level=2, dossier={"components": ["overview", "design"]})
    outcome = check("dossier_complete", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "The dossier lacks: level justification, security plan"
    assert outcome.message.vi == (
        "Hồ sơ thiếu: thuyết minh đề xuất cấp độ, thuyết minh phương án bảo đảm an toàn"
    )


def test_dossier_complete_expert_opinion_required_at_level_4() -> None:
    system = make_system(classification=SERIOUS, declared_level=4, dossier={"components": FULL})
    ctx = system_ctx(system)
    assert ctx.level == 4
    outcome = check("dossier_complete", ctx)
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "The dossier lacks: expert opinion"
    system = make_system(classification=SERIOUS, declared_level=4,
                         dossier={"components": [*FULL, "expert_opinion"]})
    assert check("dossier_complete", system_ctx(system)).status is Status.PASS


def test_dossier_complete_expert_opinion_follows_effective_level() -> None:
    # Declared level 4 on a system the criteria put at level 1: level 4 requirements apply.
    system = make_system(system_type="internal", declared_level=4, dossier={"components": FULL})
    outcome = check("dossier_complete", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert "expert opinion" in outcome.message.en


# --------------------------------------------------------------------------------------------
# approver_competent (GOV-04)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dossier", "shown"), [({"status": "submitted"}, "submitted for appraisal"), (None, "none")]
)
def test_approver_competent_not_approved_fails(dossier: Any, shown: str) -> None:
    outcome = check("approver_competent", system_ctx(make_system(dossier=dossier)))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == f"The level dossier is not approved (status: {shown})"


def test_approver_competent_level_3_by_owner_passes() -> None:
    system = make_system(classification=PSL3, declared_level=3, dossier=approved("2024-05-10"))
    outcome = check("approver_competent", system_ctx(system))
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Approved by the system owner; competent for level 3 (Decree 85/2016): "
        "the system owner"
    )


def test_approver_competent_level_3_by_specialised_unit_fails() -> None:
    system = make_system(classification=PSL3, declared_level=3,
                         dossier=approved("2024-05-10", "specialised_unit"))
    outcome = check("approver_competent", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "Approved by the owner's specialised security unit; competent for level 3 "
        "(Decree 85/2016): "
        "the system owner"
    )


def test_approver_competent_level_2_by_specialised_unit_passes_under_nd331() -> None:
    system = make_system(system_type="internal", classification={"info_types": ["personal"]},
                         declared_level=2, dossier=approved("2026-09-01", "specialised_unit"))
    outcome = check("approver_competent", system_ctx(system))
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Approved by the owner's specialised security unit; competent for level 2 "
        "(Decree 331/2026): "
        "the system owner; the owner's specialised security unit"
    )


@pytest.mark.parametrize(("body", "expected"),
                         [("owner", Status.FAIL), ("prime_minister", Status.PASS)])
def test_approver_competent_level_5(body: str, expected: Status) -> None:
    system = make_system(declared_level=5, dossier=approved("2026-09-01", body))
    assert check("approver_competent", system_ctx(system)).status is expected


def test_approver_competent_body_kind_missing_is_manual() -> None:
    system = make_system(declared_level=3, dossier=approved("2024-05-10", body_kind=None))
    outcome = check("approver_competent", system_ctx(system))
    assert outcome.status is Status.MANUAL
    assert "body_kind" in outcome.message.en
    system = make_system(declared_level=3, dossier={"status": "approved"})  # no decision at all
    assert check("approver_competent", system_ctx(system)).status is Status.MANUAL


# --------------------------------------------------------------------------------------------
# appraisal_independent (GOV-05)
# --------------------------------------------------------------------------------------------


def _appraised(by: str | None, level: int = 2, date: str = "2026-09-01", **fields: Any) -> System:
    dossier = approved(date)
    if by is not None:
        dossier["appraised_by"] = by
    return make_system(declared_level=level, dossier=dossier, **fields)


def test_appraisal_independent_no_appraiser_fails() -> None:
    outcome = check("appraisal_independent", system_ctx(_appraised(None)))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "No appraising body recorded for the dossier"


def test_appraisal_by_security_unit_that_does_not_operate_passes() -> None:
    system = _appraised("specialised_unit", operator="Trung tâm Dữ liệu tỉnh")
    outcome = check("appraisal_independent", system_ctx(system))
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Appraised by the owner's specialised security unit; acceptable for level 2: "
        "another competent unit "
        "or an independent council; the owner's specialised security unit"
    )


def test_appraisal_conflict_when_security_unit_operates() -> None:
    # The operator is the agency's security unit (compared case-insensitively).
    system = _appraised("specialised_unit", operator=UNIT.upper())
    outcome = check("appraisal_independent", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "Appraised by the owner's specialised security unit; acceptable for level 2: "
        "another competent unit "
        "or an independent council (the security unit also operates the system)"
    )
    system = _appraised("independent_council", operator=UNIT)
    assert check("appraisal_independent", system_ctx(system)).status is Status.PASS


def test_appraisal_no_conflict_without_operator() -> None:
    system = _appraised("specialised_unit")
    assert check("appraisal_independent", system_ctx(system)).status is Status.PASS


@pytest.mark.parametrize(
    ("by", "date", "expected"),
    [
        ("mps", "2026-09-01", Status.PASS),
        ("mic", "2026-09-01", Status.FAIL),  # MIC no longer appraises under Decree 331
        ("mic", "2025-05-10", Status.PASS),  # ...but did under Decree 85
        ("specialised_unit", "2025-05-10", Status.FAIL),
    ],
)
def test_appraisal_level_4_national_appraisers(by: str, date: str, expected: Status) -> None:
    system = _appraised(by, level=4, date=date, classification=SERIOUS, domain="civil")
    assert check("appraisal_independent", system_ctx(system)).status is expected


@pytest.mark.parametrize(
    ("by", "domain", "expected"),
    [
        ("mps", None, Status.MANUAL),  # MPS does not appraise military or cipher systems
        ("mod", None, Status.MANUAL),
        ("mod", "military", Status.PASS),
        ("mod", "civil", Status.FAIL),
        ("cipher_committee", "cipher", Status.PASS),
        ("cipher_committee", "public_security", Status.FAIL),
        ("specialised_unit", None, Status.FAIL),  # never competent at level 4
    ],
)
def test_appraisal_level_4_by_whose_system(by: str, domain: str | None, expected: Status) -> None:
    system = _appraised(by, level=4, classification=SERIOUS, domain=domain)
    outcome = check("appraisal_independent", system_ctx(system))
    assert outcome.status is expected, outcome.message.en
    if expected is Status.MANUAL:
        assert "declare 'domain'" in outcome.message.en


def test_competence_judged_at_the_effective_level() -> None:
    # Declared 3, but serious harm makes it level 4: the local unit may no longer appraise it,
    # and the message says why.
    system = _appraised("specialised_unit", level=3, classification=SERIOUS, domain="civil")
    outcome = check("appraisal_independent", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert "(the criteria require level 4, though level 3 was proposed)" in outcome.message.en
    assert "the Ministry of Public Security" in outcome.message.en
    assert "(mps)" not in outcome.message.en  # the body in words, not its code


# --------------------------------------------------------------------------------------------
# transition_deadlines (GOV-28)
# --------------------------------------------------------------------------------------------


def _building_legacy(**fields: Any) -> System:
    return make_system(lifecycle="building", investment_start=LEGACY,
                       dossier={"status": "submitted", "components": FULL}, **fields)


def _approved_legacy(**fields: Any) -> System:
    return make_system(dossier=approved("2024-05-10"), **fields)


def test_transition_building_legacy_before_deadline_is_manual() -> None:
    outcome = check("transition_deadlines", system_ctx(_building_legacy()))
    assert outcome.status is Status.MANUAL
    assert outcome.message.en == (
        "Due 2027-01-01, 38 days left, not approved yet: level approval under Decree 85/2016 "
        "(Decree 331/2026 Art. 39.1)"
    )
    assert outcome.message.vi.startswith("Hạn 01/01/2027, còn 38 ngày, chưa phê duyệt")


@pytest.mark.parametrize(
    ("as_of", "expected", "severity"),
    [
        (dt.date(2026, 10, 2), Status.MANUAL, None),  # 91 days left: still not done
        (dt.date(2026, 12, 31), Status.MANUAL, None),  # the day before
        (dt.date(2027, 1, 1), Status.MANUAL, None),  # due today: still in time
        (dt.date(2027, 1, 2), Status.FAIL, Severity.HIGH),  # 1 day overdue
    ],
)
def test_transition_building_legacy_either_side_of_the_deadline(
    as_of: dt.date, expected: Status, severity: Severity | None
) -> None:
    outcome = check("transition_deadlines", system_ctx(_building_legacy(), as_of))
    assert outcome.status is expected
    assert outcome.severity is severity


def test_transition_building_legacy_overdue_fails_high() -> None:
    outcome = check("transition_deadlines", system_ctx(_building_legacy(), dt.date(2027, 1, 5)))
    assert outcome.status is Status.FAIL
    assert outcome.severity is Severity.HIGH
    assert outcome.message.en == (
        "Overdue since 2027-01-01, 4 days, not approved yet: level approval under Decree "
        "85/2016 (Decree 331/2026 Art. 39.1)"
    )
    assert outcome.message.vi == (
        "Quá hạn từ 01/01/2027, 4 ngày, chưa phê duyệt: phê duyệt cấp độ theo Nghị định "
        "85/2016 (Nghị định 331/2026 Điều 39.1)"
    )


def test_transition_building_legacy_without_dossier_is_in_transition() -> None:
    system = make_system(lifecycle="planning", investment_start=LEGACY)
    outcome = check("transition_deadlines", system_ctx(system))
    assert outcome.status is Status.MANUAL
    assert "2027-01-01" in outcome.message.en and "01/01/2027" in outcome.message.vi


def test_transition_approved_legacy_without_conformity_is_manual_until_the_deadline() -> None:
    outcome = check("transition_deadlines", system_ctx(_approved_legacy()))
    assert outcome.status is Status.MANUAL
    assert outcome.severity is None
    assert outcome.message.en == (
        "Due 2027-07-01, 219 days left, no evidence yet: meeting the Law 116/2025 conditions "
        "and measures (Art. 45.1)"
    )
    for day, left in ((dt.date(2027, 5, 1), 61), (dt.date(2027, 7, 1), 0)):
        outcome = check("transition_deadlines", system_ctx(_approved_legacy(), day))
        assert outcome.status is Status.MANUAL
        assert f"{left} days left, no evidence yet" in outcome.message.en
    outcome = check("transition_deadlines", system_ctx(_approved_legacy(), dt.date(2027, 7, 2)))
    assert outcome.status is Status.FAIL
    assert outcome.severity is Severity.HIGH
    assert outcome.message.en.startswith("Overdue since 2027-07-01, 1 day, no evidence yet")
    assert outcome.message.vi.startswith("Quá hạn từ 01/07/2027, 1 ngày, chưa có bằng chứng")


def test_transition_approved_legacy_with_conformity_passes() -> None:
    system = _approved_legacy(transition_conformity={"number": "9/BC", "date": "2027-02-01"})
    outcome = check("transition_deadlines", system_ctx(system, dt.date(2027, 7, 2)))
    assert outcome.status is Status.PASS
    assert outcome.severity is None
    assert outcome.message.en == "Evidence of meeting the Law 116/2025 conditions is recorded"


def test_transition_conformity_dated_after_the_audit_date_is_not_evidence_yet() -> None:
    system = _approved_legacy(transition_conformity={"number": "9/BC", "date": "2027-02-01"})
    outcome = check("transition_deadlines", system_ctx(system, dt.date(2027, 1, 31)))
    assert outcome.status is Status.MANUAL
    assert "the evidence is dated 2027-02-01, after the audit date" in outcome.message.en
    assert "bằng chứng đề ngày 01/02/2027, sau ngày đánh giá" in outcome.message.vi
    on_the_day = check("transition_deadlines", system_ctx(system, dt.date(2027, 2, 1)))
    assert on_the_day.status is Status.PASS


def test_transition_legacy_investment_approved_after_law_goes_to_conformity() -> None:
    # Investment before 01/07/2026, level approved afterwards: the approval deadline is met,
    # the conformity deadline remains.
    system = make_system(investment_start=LEGACY, dossier=approved("2026-09-01"))
    outcome = check("transition_deadlines", system_ctx(system, dt.date(2027, 7, 2)))
    assert outcome.status is Status.FAIL
    assert outcome.severity is Severity.HIGH
    assert "Law 116/2025" in outcome.message.en


@pytest.mark.parametrize(
    "fields",
    [
        {"investment_start": "2026-09-01"},
        {"dossier": approved("2026-09-01")},
        {"dossier": approved("2026-07-01")},
        {},
    ],
    ids=["new-investment", "approved-under-nd331", "approved-on-law-date", "no-dates"],
)
def test_transition_new_system_not_applicable(fields: dict[str, Any]) -> None:
    outcome = check("transition_deadlines", system_ctx(make_system(**fields)))
    assert outcome.status is Status.NOT_APPLICABLE
    assert outcome.message.en == "The system is not in transition"


# --------------------------------------------------------------------------------------------
# assessor_independent (layer 3)
# --------------------------------------------------------------------------------------------


def _four_layer(assessor: str | None, provider: str = "SOC tỉnh An Bình") -> dict[str, Any]:
    layers: dict[str, Any] = {"layer2": {"provider": provider}}
    if assessor is not None:
        layers["layer3"] = {"assessor": assessor}
    return layers


def test_assessor_independent_passes() -> None:
    system = make_system(operator="VNPT An Bình", four_layer=_four_layer("Công ty Kiểm định"))
    outcome = check("assessor_independent", system_ctx(system))
    assert outcome.status is Status.PASS


def test_assessor_missing_fails() -> None:
    system = make_system(operator="VNPT An Bình", four_layer=_four_layer(None))
    outcome = check("assessor_independent", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "No independent assessor (layer 3)"


@pytest.mark.parametrize(
    ("assessor", "clash"),
    [("vnpt an bình", "operator"), ("SOC TỈNH AN BÌNH", "four_layer.layer2.provider")],
)
def test_assessor_same_as_operator_or_provider_fails(assessor: str, clash: str) -> None:
    system = make_system(operator="VNPT An Bình", four_layer=_four_layer(assessor))
    outcome = check("assessor_independent", system_ctx(system))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == f"The assessor is the same as: {clash}"


# --------------------------------------------------------------------------------------------
# budget_share (GOV-27)
# --------------------------------------------------------------------------------------------


def project(name: str, approved_on: str | None, total: int, security: int) -> dict[str, Any]:
    return {
        "name": name, "approved": approved_on, "total_vnd": total, "cybersecurity_vnd": security
    }


def budget_agency(*projects: dict[str, Any]) -> Agency:
    return make_agency(budget={"year": 2026, "projects": list(projects)})


def test_budget_share_only_projects_from_law_116() -> None:
    agency = budget_agency(
        project("Cổng DVC cũ", "2026-05-01", 1_000_000_000, 50_000_000),  # 5 %, before: ignored
        project("Kho dữ liệu", "2026-08-01", 1_000_000_000, 200_000_000),  # 20 %
    )
    outcome = check("budget_share", agency_ctx(agency))
    assert outcome.status is Status.PASS
    assert outcome.message.en == "1/1 projects spend ≥15% on cybersecurity"


def test_budget_share_ten_percent_project_fails() -> None:
    agency = budget_agency(
        project("Kho dữ liệu", "2026-08-01", 1_000_000_000, 200_000_000),
        project("Ứng dụng di động", "2026-07-01", 2_000_000_000, 200_000_000),  # 10 %
    )
    outcome = check("budget_share", agency_ctx(agency))
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "1/2 projects spend ≥15% on cybersecurity — short: Ứng dụng di động: 10.0%"
    )


def test_budget_share_exactly_fifteen_percent_passes() -> None:
    agency = budget_agency(project("A", "2026-09-01", 300_000_000, 45_000_000))
    assert check("budget_share", agency_ctx(agency)).status is Status.PASS
    agency = budget_agency(project("A", "2026-09-01", 300_000_000, 44_999_999))
    assert check("budget_share", agency_ctx(agency)).status is Status.FAIL


def test_budget_share_undated_project_is_judged() -> None:
    agency = budget_agency(project("Chưa rõ", None, 100_000_000, 1_000_000))
    assert check("budget_share", agency_ctx(agency)).status is Status.FAIL


@pytest.mark.parametrize(
    "agency",
    [
        make_agency(),
        budget_agency(),
        budget_agency(project("Cũ", "2026-06-30", 100_000_000, 0)),
    ],
    ids=["no-budget", "no-projects", "only-old-projects"],
)
def test_budget_share_not_applicable(agency: Agency) -> None:
    outcome = check("budget_share", agency_ctx(agency))
    assert outcome.status is Status.NOT_APPLICABLE
    assert outcome.message.en == "No DX/IT project approved since 2026-07-01"


# --------------------------------------------------------------------------------------------
# service_version_supported (NET-05)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "version", "expected"),
    [
        ("OpenSSH", "7.4", Status.FAIL),
        ("OpenSSH", "9.2p1 Debian 2+deb12u3", Status.PASS),
        ("OpenSSH", "9.0", Status.PASS),
        ("Apache httpd", "2.4.57", Status.FAIL),
        ("Apache httpd", "2.4.62", Status.PASS),
        ("nginx", "1.18.0", Status.FAIL),
        ("Microsoft IIS httpd", "10.0", Status.PASS),
        ("Acme Server", "1.0", Status.NOT_APPLICABLE),  # not in the table: not judged
        ("nginx", "", Status.NOT_APPLICABLE),  # no version: not judged
    ],
)
def test_service_version_supported(product: str, version: str, expected: Status) -> None:
    values = {"product": product, "version": version or None}
    context = EvalContext(as_of=AS_OF, level=3, rule_id="NET-05", values=values, origins={},
                          builtins=BUILTINS)
    outcome = check("service_version_supported", context)
    assert outcome.status is expected, outcome.message.en


# --------------------------------------------------------------------------------------------
# budget_plan_appraised (GOV-31, Law 116 Art. 40.2.a)
# --------------------------------------------------------------------------------------------

APPRAISAL = {"number": "12/TĐ-BCA", "date": "2026-08-20", "body": "Bộ Công an"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, Status.MANUAL),  # funding not declared
        ({"state_budget": False}, Status.NOT_APPLICABLE),
        ({"state_budget": True, "investment_start": "2024-03-01"}, Status.NOT_APPLICABLE),
        ({"state_budget": True}, Status.MANUAL),  # no date says when it was set up
        # the day the law takes effect counts; the day before does not
        ({"state_budget": True, "investment_start": "2026-06-30"}, Status.NOT_APPLICABLE),
        ({"state_budget": True, "investment_start": "2026-07-01"}, Status.FAIL),
        ({"state_budget": True, "investment_start": "2024-03-01",
          "last_major_change": "2026-09-01"}, Status.FAIL),
        ({"state_budget": True, "investment_start": "2024-03-01",
          "last_major_change": "2026-09-01", "security_plan": {"appraisal": APPRAISAL}},
         Status.PASS),
    ],
)
def test_budget_plan_appraised(fields: dict[str, Any], expected: Status) -> None:
    outcome = check("budget_plan_appraised", system_ctx(make_system(**fields)))
    assert outcome.status is expected, outcome.message.en
