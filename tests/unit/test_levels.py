"""Decree 85/2016 and Decree 331/2026 level classification (auditor.levels)."""

from __future__ import annotations

import dataclasses
import re
from types import MappingProxyType
from typing import Any

import pytest

from auditor.levels import (
    CRITERIA,
    Classification,
    Criterion,
    FiredCriterion,
    appraiser_domains,
    classify,
    classify_both,
    competent_appraisers,
    competent_appraisers_for,
    competent_approvers,
)
from auditor.model.inventory import (
    Authority,
    ClassificationAttributes,
    Component,
    Regime,
    SystemDomain,
    SystemType,
)

ND85 = Regime.ND85
ND331 = Regime.ND331
INTERNAL = SystemType.INTERNAL
CITIZEN = SystemType.CITIZEN_FACING
INFRA = SystemType.INFRASTRUCTURE
ICS = SystemType.INDUSTRIAL_CONTROL
OTHER = SystemType.OTHER


# Every fact declared, and declared "no": the criteria tests below start from here, so that
# each states only what differs. (Undeclared facts are tested on their own further down.)
CLOSED: dict[str, Any] = {
    "info_types": ["public"],
    "state_secret_harm": "none",
    "serves_defence_security": False,
    "online_service": False,
    "information_portal": False,
    "public_service_level": "none",
    "admin_procedures": False,
    "conditional_business_line": False,
    "users": 0,
    "basic_pd_subjects": 0,
    "sensitive_pd_subjects": 0,
    "national_egov": False,
    "requires_24x7": False,
    "national_critical_data_store": False,
    "international_link": False,
}


def attrs(**fields: Any) -> ClassificationAttributes:
    """Attributes as an inventory file would give them (plain strings, lists), validated, with
    every fact not named here declared "no"."""
    return ClassificationAttributes.model_validate({**CLOSED, **fields})


def declared(**fields: Any) -> ClassificationAttributes:
    """Only the named facts declared; everything else unknown."""
    return ClassificationAttributes.model_validate(fields)


def component(name: str, system_type: str | None = None, **fields: Any) -> Component:
    return Component.model_validate(
        {"name": name, "system_type": system_type, "classification": {**CLOSED, **fields}}
    )


def run(
    regime: Regime, system_type: SystemType, components: tuple[Component, ...] = (), **fields: Any
) -> Classification:
    return classify(system_type, attrs(**fields), components, regime)


def pairs(result: Classification) -> list[tuple[str, str | None]]:
    return [(f.criterion.id, f.component) for f in result.fired]


# --------------------------------------------------------------------------------------------
# One case for every criterion of both regimes: (id, level, system type, attributes). Each case
# is built so that the criterion under test is the only one that fires.
# --------------------------------------------------------------------------------------------

CASES: list[tuple[str, int, SystemType, dict[str, Any]]] = [
    # Decree 85/2016
    ("nd85.7", 1, INTERNAL, {}),
    ("nd85.8.1", 2, INTERNAL, {"info_types": ["public", "private"]}),
    ("nd85.8.2.a", 2, CITIZEN, {"public_service_level": "2"}),
    ("nd85.8.2.b", 2, CITIZEN, {"online_service": True}),
    ("nd85.8.2.c", 2, CITIZEN, {"info_types": ["personal"], "users": 9_999}),
    ("nd85.8.3", 2, INFRA, {"infra_scope": "one_org"}),
    ("nd85.9.1", 3, OTHER, {"info_types": ["state_secret"], "state_secret_harm": "harm"}),
    ("nd85.9.2.a", 3, CITIZEN, {"public_service_level": "3"}),
    ("nd85.9.2.b", 3, CITIZEN, {"online_service": True, "conditional_business_line": True}),
    ("nd85.9.2.c", 3, CITIZEN, {"info_types": ["personal"], "users": 10_000}),
    ("nd85.9.3", 3, INFRA, {"infra_scope": "sector_or_provinces"}),
    ("nd85.9.4", 3, ICS, {"ics_works_grade": "II"}),
    ("nd85.10.1", 4, OTHER, {"serves_defence_security": True, "state_secret_harm": "serious"}),
    ("nd85.10.2", 4, OTHER, {"national_egov": True, "requires_24x7": True}),
    ("nd85.10.3", 4, INFRA, {"infra_scope": "national", "requires_24x7": True}),
    ("nd85.10.4", 4, ICS, {"ics_works_grade": "I"}),
    (
        "nd85.11.1", 5, OTHER,
        {"info_types": ["state_secret"], "state_secret_harm": "especially_serious"},
    ),
    ("nd85.11.2", 5, OTHER, {"national_critical_data_store": True}),
    ("nd85.11.3", 5, INFRA, {"infra_scope": "international"}),
    ("nd85.11.4", 5, ICS, {"ics_works_grade": "special"}),
    ("nd85.11.5", 5, OTHER, {"pm_designated_level": 5}),
    ("nd85.pm.1", 1, OTHER, {"pm_designated_level": 1}),
    ("nd85.pm.2", 2, OTHER, {"pm_designated_level": 2}),
    ("nd85.pm.3", 3, OTHER, {"pm_designated_level": 3}),
    ("nd85.pm.4", 4, OTHER, {"pm_designated_level": 4}),
    ("nd85.default", 1, OTHER, {}),
    # What the type proves when the facts that pick the clause are not declared
    ("nd85.6.2.b", 2, CITIZEN, {"online_service": None, "conditional_business_line": None}),
    ("nd85.6.2.c", 2, INFRA, {}),
    ("nd85.6.2.d", 3, ICS, {}),
    # Decree 331/2026
    ("nd331.11.1", 1, INTERNAL, {}),
    ("nd331.11.2", 1, OTHER, {"risk_assessed_level": 1}),
    ("nd331.12.1", 2, INTERNAL, {"info_types": ["personal"]}),
    ("nd331.12.2.a", 2, CITIZEN, {"online_service": True}),
    (
        "nd331.12.2.b", 2, CITIZEN,
        {"info_types": ["personal"], "basic_pd_subjects": 99_999, "sensitive_pd_subjects": 9_999},
    ),
    ("nd331.12.3", 2, INFRA, {"infra_scope": "one_org"}),
    ("nd331.12.4", 2, OTHER, {"pm_designated_level": 2}),
    ("nd331.13.1", 3, OTHER, {"info_types": ["state_secret"], "state_secret_harm": "harm"}),
    ("nd331.13.2.a", 3, CITIZEN, {"online_service": True, "conditional_business_line": True}),
    ("nd331.13.2.b", 3, CITIZEN, {"admin_procedures": True}),
    ("nd331.13.2.c", 3, CITIZEN, {"info_types": ["personal"], "sensitive_pd_subjects": 10_000}),
    ("nd331.13.3", 3, INFRA, {"infra_scope": "ministry"}),
    ("nd331.13.4", 3, ICS, {"ics_works_grade": "IV"}),
    ("nd331.13.5", 3, OTHER, {"risk_assessed_level": 3}),
    ("nd331.14.1", 4, OTHER, {"serves_defence_security": True, "state_secret_harm": "serious"}),
    ("nd331.14.2", 4, INFRA, {"infra_scope": "national", "requires_24x7": True}),
    ("nd331.14.3", 4, ICS, {"ics_works_grade": "I"}),
    ("nd331.14.4", 4, OTHER, {"pm_designated_level": 4}),
    ("nd331.15.1", 5, OTHER, {"serves_defence_security": True, "state_secret_harm": "strategic"}),
    ("nd331.15.2", 5, OTHER, {"national_critical_data_store": True}),
    ("nd331.15.3", 5, OTHER, {"international_link": True}),
    ("nd331.15.4", 5, ICS, {"ics_works_grade": "national_security"}),
    ("nd331.15.5", 5, OTHER, {"risk_assessed_level": 5}),
    ("nd331.default", 1, OTHER, {}),
    ("nd331.9.2.b", 2, CITIZEN, {"online_service": None, "conditional_business_line": None}),
    ("nd331.9.2.c", 2, INFRA, {}),
    ("nd331.9.2.d", 3, ICS, {}),
]


TYPE_FLOORS = frozenset(
    {"nd85.6.2.b", "nd85.6.2.c", "nd85.6.2.d", "nd331.9.2.b", "nd331.9.2.c", "nd331.9.2.d"}
)


def test_every_criterion_has_a_case() -> None:
    assert sorted(case[0] for case in CASES) == sorted(CRITERIA)
    assert len(CRITERIA) == 56


@pytest.mark.parametrize(
    ("criterion_id", "level", "system_type", "fields"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_each_criterion_fires(
    criterion_id: str, level: int, system_type: SystemType, fields: dict[str, Any]
) -> None:
    regime = Regime(criterion_id.split(".")[0])
    result = run(regime, system_type, **fields)
    assert result.regime is regime
    assert result.fired_ids() == {criterion_id}
    assert result.level == level
    assert CRITERIA[criterion_id].level == level
    assert result.fired == (FiredCriterion(CRITERIA[criterion_id], None),)
    # With every fact declared the level is proven; only a type floor leaves facts to declare.
    assert result.proven is (criterion_id not in TYPE_FLOORS)


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------


def test_catalogue_is_read_only() -> None:
    assert isinstance(CRITERIA, MappingProxyType)
    with pytest.raises(TypeError):
        CRITERIA["nd85.7"] = CRITERIA["nd85.8.1"]  # type: ignore[index]
    first: Criterion = CRITERIA["nd85.7"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.level = 3  # type: ignore[misc]


@pytest.mark.parametrize("criterion", list(CRITERIA.values()), ids=list(CRITERIA))
def test_catalogue_entry_is_consistent(criterion: Criterion) -> None:
    assert CRITERIA[criterion.id] is criterion
    assert criterion.id == criterion.id.lower()
    assert criterion.id.startswith(f"{criterion.regime.value}.")
    assert criterion.text_vi.strip() and criterion.text_en.strip()
    article = re.fullmatch(r"nd(?:85|331)\.(\d+)(?:\.\d+)?(?:\.[a-z])?", criterion.id)
    type_article = "6" if criterion.regime is ND85 else "9"
    if article is not None and article.group(1) == type_article:
        # A system type (Art. 6.2 / 9.2): it names the clauses one of which must hold.
        assert criterion.level in (2, 3)
        assert f", Điều {type_article} khoản 2 điểm " in criterion.reference
        assert "hoặc" in criterion.reference
    elif article is not None:
        # Decree 85 Art. 7 is level 1; Decree 331 Art. 11 is level 1.
        offset = 6 if criterion.regime is ND85 else 10
        assert criterion.level == int(article.group(1)) - offset
        title = {ND85: "Nghị định 85/2016/NĐ-CP", ND331: "Nghị định 331/2026/NĐ-CP"}
        assert criterion.reference.startswith(title[criterion.regime])
        assert f", Điều {article.group(1)}" in criterion.reference


def test_reference_format() -> None:
    assert CRITERIA["nd85.9.2.c"].reference == "Nghị định 85/2016/NĐ-CP, Điều 9 khoản 2 điểm c"
    assert CRITERIA["nd331.13.2.b"].reference == "Nghị định 331/2026/NĐ-CP, Điều 13 khoản 2 điểm b"
    assert CRITERIA["nd85.7"].reference == "Nghị định 85/2016/NĐ-CP, Điều 7"
    assert CRITERIA["nd331.15.5"].reference == "Nghị định 331/2026/NĐ-CP, Điều 15 khoản 5"


def test_default_criteria_text() -> None:
    for regime in Regime:
        default = CRITERIA[f"{regime.value}.default"]
        assert default.level == 1
        assert default.text_vi == "không có tiêu chí nào cao hơn cấp độ 1"
        assert default.text_en == "no criterion above level 1 applies"


def test_criterion_rejects_wrong_prefix_or_level() -> None:
    with pytest.raises(ValueError, match="does not start"):
        Criterion("nd331.9.1", ND85, 3, "ref", "vi", "en")
    with pytest.raises(ValueError, match="level 6"):
        Criterion("nd85.x", ND85, 6, "ref", "vi", "en")


# --------------------------------------------------------------------------------------------
# Details of the rules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service_level", "expected"),
    [("1", "nd85.8.2.a"), ("2", "nd85.8.2.a"), ("3", "nd85.9.2.a"), ("4", "nd85.9.2.a"),
     ("partial", "nd85.9.2.a"), ("full", "nd85.9.2.a")],
)
def test_nd85_public_service_levels(service_level: str, expected: str) -> None:
    assert run(ND85, CITIZEN, public_service_level=service_level).fired_ids() == {expected}


def test_public_service_level_is_not_an_nd331_criterion() -> None:
    result = run(ND331, CITIZEN, public_service_level="full")
    assert result.fired_ids() == {"nd331.default"}
    assert result.level == 1


def test_nd85_unknown_user_count_with_personal_data_stays_at_8_2_c() -> None:
    result = run(ND85, CITIZEN, online_service=True, info_types=["personal"])
    assert result.fired_ids() == {"nd85.8.2.b", "nd85.8.2.c"}
    assert result.level == 2


def test_user_count_implies_private_data() -> None:
    # `users` counts users whose private/personal data is processed; declaring it is enough.
    assert run(ND85, CITIZEN, users=25_000).fired_ids() == {"nd85.9.2.c"}
    assert run(ND85, CITIZEN, users=0).fired_ids() == {"nd85.default"}


def test_nd331_basic_subject_threshold() -> None:
    below = run(ND331, CITIZEN, info_types=["personal"], basic_pd_subjects=99_999)
    at = run(ND331, CITIZEN, info_types=["personal"], basic_pd_subjects=100_000)
    assert below.fired_ids() == {"nd331.12.2.b"}
    assert at.fired_ids() == {"nd331.13.2.c"}
    assert (below.level, at.level) == (2, 3)


def test_nd331_does_not_use_legacy_user_count() -> None:
    result = run(ND331, CITIZEN, info_types=["personal"], users=500_000)
    assert result.fired_ids() == {"nd331.12.2.b"}


def test_internal_system_with_many_users_is_not_an_online_service() -> None:
    fields: dict[str, Any] = {"info_types": ["personal"], "users": 20_000,
                              "basic_pd_subjects": 200_000}
    assert run(ND85, INTERNAL, **fields).fired_ids() == {"nd85.8.1"}
    assert run(ND331, INTERNAL, **fields).fired_ids() == {"nd331.12.1"}


def test_type_defining_fact_makes_a_system_citizen_facing() -> None:
    # An "other" system that provides an online service is citizen-facing by definition.
    result = run(ND85, OTHER, online_service=True, info_types=["personal"], users=50_000)
    assert result.fired_ids() == {"nd85.8.2.b", "nd85.9.2.c"}
    assert result.level == 3
    assert run(ND331, INTERNAL, admin_procedures=True).fired_ids() == {
        "nd331.11.1", "nd331.13.2.b"
    }


def test_online_service_on_conditional_list_fires_only_the_higher_point() -> None:
    result = run(ND331, CITIZEN, online_service=True, conditional_business_line=True)
    assert "nd331.12.2.a" not in result.fired_ids()


@pytest.mark.parametrize(
    ("harm", "nd85_id", "nd331_id", "level"),
    [("harm", "nd85.9.1", "nd331.13.1", 3),
     ("serious", "nd85.10.1", "nd331.14.1", 4),
     ("especially_serious", "nd85.11.1", "nd331.15.1", 5),
     ("strategic", "nd85.11.1", "nd331.15.1", 5)],
)
def test_state_secret_harm_scale(harm: str, nd85_id: str, nd331_id: str, level: int) -> None:
    both = classify_both(OTHER, attrs(info_types=["state_secret"], state_secret_harm=harm), ())
    assert both[ND85].fired_ids() == {nd85_id}
    assert both[ND331].fired_ids() == {nd331_id}
    assert both[ND85].level == both[ND331].level == level


def test_state_secret_without_declared_harm_is_at_least_level_3() -> None:
    fields: dict[str, Any] = {"info_types": ["private", "state_secret"]}
    assert run(ND85, INTERNAL, **fields).fired_ids() == {"nd85.9.1"}
    assert run(ND331, INTERNAL, **fields).fired_ids() == {"nd331.13.1"}


def test_defence_system_without_harm_fires_nothing() -> None:
    assert run(ND85, OTHER, serves_defence_security=True).fired_ids() == {"nd85.default"}


@pytest.mark.parametrize(
    ("scope", "nd85_id", "nd331_id"),
    [("one_org", "nd85.8.3", "nd331.12.3"),
     ("sector_or_provinces", "nd85.9.3", "nd331.13.3"),
     ("ministry", "nd85.9.3", "nd331.13.3"),
     ("national", "nd85.9.3", "nd331.13.3"),  # nationwide but not 24/7
     ("international", "nd85.11.3", "nd331.15.3")],
)
def test_infrastructure_scope(scope: str, nd85_id: str, nd331_id: str) -> None:
    both = classify_both(INFRA, attrs(infra_scope=scope), ())
    assert both[ND85].fired_ids() == {nd85_id}
    assert both[ND331].fired_ids() == {nd331_id}


def test_international_scope_and_link_fire_one_clause_once() -> None:
    result = run(ND85, INFRA, infra_scope="international", international_link=True)
    assert pairs(result) == [("nd85.11.3", None)]


def test_nd331_merged_clause_14_2_fires_once() -> None:
    fields: dict[str, Any] = {"national_egov": True, "infra_scope": "national",
                              "requires_24x7": True}
    assert pairs(run(ND331, INFRA, **fields)) == [("nd331.14.2", None)]
    assert pairs(run(ND85, INFRA, **fields)) == [("nd85.10.2", None), ("nd85.10.3", None)]


def test_national_egov_without_24x7_is_not_level_4() -> None:
    assert run(ND85, OTHER, national_egov=True).fired_ids() == {"nd85.default"}
    assert run(ND331, OTHER, national_egov=True).fired_ids() == {"nd331.default"}


@pytest.mark.parametrize(
    ("grade", "nd85_id", "nd331_id", "level"),
    [("IV", "nd85.9.4", "nd331.13.4", 3), ("III", "nd85.9.4", "nd331.13.4", 3),
     ("II", "nd85.9.4", "nd331.13.4", 3), ("I", "nd85.10.4", "nd331.14.3", 4),
     ("special", "nd85.11.4", "nd331.15.4", 5),
     ("national_security", "nd85.11.4", "nd331.15.4", 5)],
)
def test_ics_grades(grade: str, nd85_id: str, nd331_id: str, level: int) -> None:
    both = classify_both(ICS, attrs(ics_works_grade=grade), ())
    assert both[ND85].fired_ids() == {nd85_id}
    assert both[ND331].fired_ids() == {nd331_id}
    assert both[ND85].level == both[ND331].level == level


def test_risk_assessed_level_counts_only_under_nd331() -> None:
    both = classify_both(OTHER, attrs(risk_assessed_level=4), ())
    assert (both[ND85].level, both[ND331].level) == (1, 4)
    assert both[ND85].fired_ids() == {"nd85.default"}
    assert both[ND331].fired_ids() == {"nd331.14.4"}


def test_pm_decision_and_risk_assessment_both_fire() -> None:
    result = run(ND331, OTHER, pm_designated_level=2, risk_assessed_level=5)
    assert pairs(result) == [("nd331.15.5", None), ("nd331.12.4", None)]
    assert result.level == 5


def test_criteria_only_raise_the_level() -> None:
    # A PM decision at level 2 does not lower a level-3 system.
    result = run(ND85, CITIZEN, public_service_level="4", pm_designated_level=2)
    assert result.level == 3
    assert [f.criterion.id for f in result.decisive()] == ["nd85.9.2.a"]


# --------------------------------------------------------------------------------------------
# Where the regimes disagree
# --------------------------------------------------------------------------------------------


def test_50000_basic_data_subjects() -> None:
    both = classify_both(
        CITIZEN,
        attrs(online_service=True, info_types=["personal"], users=50_000,
              basic_pd_subjects=50_000),
        (),
    )
    assert both[ND85].level == 3
    assert both[ND85].fired_ids() == {"nd85.8.2.b", "nd85.9.2.c"}
    assert both[ND331].level == 2
    assert both[ND331].fired_ids() == {"nd331.12.2.a", "nd331.12.2.b"}


def test_level_3_public_service_without_admin_procedures() -> None:
    both = classify_both(CITIZEN, attrs(online_service=True, public_service_level="3"), ())
    assert both[ND85].level == 3
    assert both[ND85].fired_ids() == {"nd85.8.2.b", "nd85.9.2.a"}
    assert both[ND331].level == 2
    assert both[ND331].fired_ids() == {"nd331.12.2.a"}


def test_admin_procedures_with_level_2_public_service() -> None:
    both = classify_both(CITIZEN, attrs(public_service_level="2", admin_procedures=True), ())
    assert (both[ND85].level, both[ND331].level) == (2, 3)
    assert both[ND85].fired_ids() == {"nd85.8.2.a"}
    assert both[ND331].fired_ids() == {"nd331.13.2.b"}


def test_sensitive_data_subjects_without_user_count() -> None:
    both = classify_both(CITIZEN, attrs(info_types=["personal"], sensitive_pd_subjects=12_000), ())
    assert (both[ND85].level, both[ND331].level) == (2, 3)
    assert both[ND85].fired_ids() == {"nd85.8.2.c"}
    assert both[ND331].fired_ids() == {"nd331.13.2.c"}


def test_ministry_scope_infrastructure_same_level_different_clause() -> None:
    both = classify_both(INFRA, attrs(infra_scope="ministry"), ())
    # Decree 85 has no "ministry" scope: a ministry's bodies are read as one sector (Art. 9.3);
    # Decree 331 Art. 13.3 names "một bộ" explicitly.
    assert both[ND85].fired_ids() == {"nd85.9.3"}
    assert both[ND331].fired_ids() == {"nd331.13.3"}
    assert both[ND85].level == both[ND331].level == 3


def test_classify_both_keys_and_regimes() -> None:
    both = classify_both(INTERNAL, attrs(), ())
    assert list(both) == [ND85, ND331]
    assert all(result.regime is regime for regime, result in both.items())
    assert both[ND85].fired_ids() == {"nd85.7"}
    assert both[ND331].fired_ids() == {"nd331.11.1"}


# --------------------------------------------------------------------------------------------
# Components, ordering, the Classification value
# --------------------------------------------------------------------------------------------


def test_component_max_wins_and_keeps_its_name() -> None:
    portal = component("Cổng dịch vụ công", "citizen_facing", public_service_level="4")
    result = run(ND85, INTERNAL, (portal,))
    assert result.level == 3
    assert pairs(result) == [("nd85.9.2.a", "Cổng dịch vụ công"), ("nd85.7", None)]
    assert result.decisive() == (FiredCriterion(CRITERIA["nd85.9.2.a"], "Cổng dịch vụ công"),)


def test_component_inherits_the_system_type() -> None:
    backbone = component("Mạng truyền số liệu", infra_scope="national", requires_24x7=True)
    mail = component("Thư điện tử", info_types=["private"])
    result = run(ND331, INFRA, (backbone, mail), infra_scope="one_org")
    assert pairs(result) == [
        ("nd331.14.2", "Mạng truyền số liệu"),
        ("nd331.12.3", None),
        # the mail component is infrastructure too, of a scope it does not declare
        ("nd331.9.2.c", "Thư điện tử"),
    ]
    assert result.level == 4
    # The same mail component under an internal system is an internal system with private data.
    internal = run(ND331, INTERNAL, (mail,))
    assert pairs(internal) == [("nd331.12.1", "Thư điện tử"), ("nd331.11.1", None)]


def test_component_type_overrides_the_system_type() -> None:
    scada = component("SCADA trạm bơm", "industrial_control", ics_works_grade="I")
    hr = component("Nhân sự", "internal", info_types=["personal"])
    result = run(ND85, CITIZEN, (scada, hr), online_service=True)
    assert pairs(result) == [
        ("nd85.10.4", "SCADA trạm bơm"),
        ("nd85.8.1", "Nhân sự"),
        ("nd85.8.2.b", None),
    ]


def test_fired_sorted_by_level_desc_then_id_then_component() -> None:
    components = (
        component("b-portal", "citizen_facing", online_service=True),
        component("a-portal", "citizen_facing", online_service=True, public_service_level="3"),
    )
    result = run(ND85, CITIZEN, components, online_service=True, info_types=["private"],
                 users=12_000, infra_scope="one_org")
    assert pairs(result) == [
        ("nd85.9.2.a", "a-portal"),
        ("nd85.9.2.c", None),
        ("nd85.8.2.b", None),
        ("nd85.8.2.b", "a-portal"),
        ("nd85.8.2.b", "b-portal"),
        ("nd85.8.3", None),
    ]
    assert result.level == 3
    assert [(f.criterion.id, f.component) for f in result.decisive()] == [
        ("nd85.9.2.a", "a-portal"),
        ("nd85.9.2.c", None),
    ]
    assert result.fired_ids() == frozenset({"nd85.9.2.a", "nd85.9.2.c", "nd85.8.2.b", "nd85.8.3"})


def test_default_only_when_nothing_fires_anywhere() -> None:
    plain = component("Báo cáo")
    assert pairs(run(ND85, OTHER, (plain,))) == [("nd85.default", None)]
    # A component that fires anything replaces the default.
    ranked = component("Nội bộ", "internal")
    assert pairs(run(ND85, OTHER, (ranked,))) == [("nd85.7", "Nội bộ")]


def test_classification_rejects_inconsistent_values() -> None:
    fired = (FiredCriterion(CRITERIA["nd85.9.3"], None),)
    with pytest.raises(ValueError, match="not the highest"):
        Classification(regime=ND85, level=2, fired=fired)
    with pytest.raises(ValueError, match="at least one"):
        Classification(regime=ND85, level=1, fired=())
    with pytest.raises(ValueError, match="regime"):
        Classification(regime=ND331, level=3, fired=fired)
    assert Classification(regime=ND85, level=3, fired=fired).decisive() == fired


def test_classify_is_deterministic() -> None:
    components = (component("x", "citizen_facing", online_service=True),
                  component("y", "infrastructure", infra_scope="one_org"))
    first = run(ND331, INTERNAL, components, info_types=["private"])
    second = run(ND331, INTERNAL, components[::-1], info_types=["private"])
    assert first == second


# --------------------------------------------------------------------------------------------
# Competent bodies (regulations.md §1.4)
# --------------------------------------------------------------------------------------------

UNIT = Authority.SPECIALISED_UNIT
COUNCIL = Authority.INDEPENDENT_COUNCIL
OWNER = Authority.OWNER


@pytest.mark.parametrize("regime", list(Regime))
@pytest.mark.parametrize(
    ("level", "expected"),
    [(1, {UNIT, OWNER}), (2, {UNIT, OWNER}), (3, {OWNER}), (4, {OWNER}),
     (5, {Authority.PRIME_MINISTER})],
)
def test_competent_approvers(level: int, expected: set[Authority], regime: Regime) -> None:
    assert competent_approvers(level, regime) == frozenset(expected)


@pytest.mark.parametrize(
    ("level", "regime", "expected"),
    [
        (1, ND85, {UNIT, COUNCIL}), (2, ND331, {UNIT, COUNCIL}), (3, ND85, {UNIT, COUNCIL}),
        (3, ND331, {UNIT, COUNCIL}),
        (4, ND85, {Authority.MIC, Authority.MOD, Authority.MPS}),
        (5, ND85, {Authority.MIC, Authority.MOD, Authority.MPS}),
        (4, ND331, {Authority.MPS, Authority.MOD, Authority.CIPHER_COMMITTEE}),
        (5, ND331, {Authority.MPS, Authority.MOD, Authority.CIPHER_COMMITTEE}),
    ],
)
def test_competent_appraisers(level: int, regime: Regime, expected: set[Authority]) -> None:
    assert competent_appraisers(level, regime) == frozenset(expected)


def test_mic_is_not_competent_under_nd331() -> None:
    assert Authority.MIC not in competent_appraisers(4, ND331)
    assert Authority.CIPHER_COMMITTEE not in competent_appraisers(4, ND85)


@pytest.mark.parametrize("level", [0, 6, -1])
def test_competent_bodies_reject_bad_level(level: int) -> None:
    with pytest.raises(ValueError, match="1-5"):
        competent_approvers(level, ND85)
    with pytest.raises(ValueError, match="1-5"):
        competent_appraisers(level, ND331)


# --------------------------------------------------------------------------------------------
# Unknown is not no: undeclared facts give an interval, never a silent low level
# --------------------------------------------------------------------------------------------


def both_open(system_type: SystemType, national: bool = False, **fields: Any) -> dict[
    Regime, Classification
]:
    return classify_both(system_type, declared(**fields), (), national_possible=national)


def undecided_ids(result: Classification) -> set[str]:
    return {o.criterion.id for o in result.undecided()}


def test_citizen_portal_with_nothing_declared_is_not_level_1() -> None:
    both = both_open(CITIZEN)
    for regime, floor in ((ND85, "nd85.6.2.b"), (ND331, "nd331.9.2.b")):
        result = both[regime]
        assert result.level == 2, regime
        assert result.fired_ids() == {floor}
        assert result.upper == 5  # state secrets / defence not ruled out
        assert not result.proven
    assert {"conditional_business_line", "public_service_level", "users", "info_types",
            "serves_defence_security", "state_secret_harm"} == set(both[ND85].deciding_facts())
    assert {"admin_procedures", "basic_pd_subjects", "sensitive_pd_subjects",
            "conditional_business_line"} <= set(both[ND331].deciding_facts())
    assert "public_service_level" not in both[ND331].deciding_facts()
    assert "users" not in both[ND331].deciding_facts()


def test_online_service_declared_false_drops_the_citizen_floor() -> None:
    result = classify(CITIZEN, attrs(online_service=False), (), ND85)
    assert result.fired_ids() == {"nd85.default"}


def test_internal_system_is_never_placed_by_citizen_facts_it_does_not_declare() -> None:
    result = both_open(INTERNAL, info_types=["public"], state_secret_harm="none")[ND85]
    assert result.fired_ids() == {"nd85.7"}
    assert result.proven


def test_internal_system_with_unknown_information_types_could_be_level_2() -> None:
    result = both_open(INTERNAL, state_secret_harm="none")[ND331]
    assert (result.level, result.upper) == (1, 2)
    assert result.deciding_facts() == ("info_types",)
    assert undecided_ids(result) == {"nd331.12.1"}


def test_ics_without_grade_is_level_3_up_to_5() -> None:
    both = both_open(ICS, info_types=["private"], serves_defence_security=False)
    for regime, expected in ((ND85, {"nd85.10.4", "nd85.11.4"}),
                             (ND331, {"nd331.14.3", "nd331.15.4"})):
        result = both[regime]
        assert (result.level, result.upper) == (3, 5)
        assert undecided_ids(result) == expected
        assert result.deciding_facts() == ("ics_works_grade",)
    graded = both_open(ICS, info_types=["private"], serves_defence_security=False,
                       ics_works_grade="II")[ND85]
    assert graded.proven and graded.level == 3


def test_state_secret_without_harm_is_level_3_up_to_5() -> None:
    result = both_open(INTERNAL, info_types=["state_secret"])[ND85]
    assert (result.level, result.upper) == (3, 5)
    assert result.fired_ids() == {"nd85.9.1"}
    assert result.deciding_facts() == ("state_secret_harm",)


@pytest.mark.parametrize(
    ("fields", "unknown"),
    [
        ({}, ("info_types", "serves_defence_security", "state_secret_harm")),
        ({"info_types": ["personal"]}, ("serves_defence_security", "state_secret_harm")),
        ({"serves_defence_security": False}, ("info_types", "state_secret_harm")),
        ({"serves_defence_security": True}, ("state_secret_harm",)),
    ],
)
def test_defence_path_open_until_ruled_out(
    fields: dict[str, Any], unknown: tuple[str, ...]
) -> None:
    result = both_open(OTHER, **fields)[ND331]
    opened = {o.criterion.id: o.unknown for o in result.open}
    assert opened == dict.fromkeys(("nd331.13.1", "nd331.14.1", "nd331.15.1"), unknown)
    assert result.upper == 5


@pytest.mark.parametrize(
    "fields",
    [
        {"state_secret_harm": "none"},
        {"info_types": ["public", "personal"], "serves_defence_security": False},
    ],
)
def test_defence_path_closed_by_either_declaration(fields: dict[str, Any]) -> None:
    result = both_open(OTHER, **fields)[ND85]
    assert result.proven and result.level == 1


def test_users_decide_nd85_only_and_subjects_nd331_only() -> None:
    users_only = both_open(CITIZEN, info_types=["personal"], users=50_000)
    assert "nd85.9.2.c" in users_only[ND85].fired_ids()
    assert users_only[ND331].fired_ids() == {"nd331.9.2.b"}
    assert {o.criterion.id: o.unknown for o in users_only[ND331].undecided()}["nd331.13.2.c"] == (
        "basic_pd_subjects", "sensitive_pd_subjects"
    )
    subjects_only = both_open(CITIZEN, info_types=["personal"], basic_pd_subjects=200_000)
    assert "nd331.13.2.c" in subjects_only[ND331].fired_ids()
    assert {o.criterion.id: o.unknown for o in subjects_only[ND85].undecided()}["nd85.9.2.c"] == (
        "users",
    )


@pytest.mark.parametrize(
    ("users", "proven", "open_"),
    [(9_999, {"nd85.8.2.c"}, set()), (10_000, {"nd85.9.2.c"}, set()),
     (None, set(), {"nd85.9.2.c"})],
)
def test_user_count_boundary_and_unknown(
    users: int | None, proven: set[str], open_: set[str]
) -> None:
    result = classify(CITIZEN, attrs(info_types=["personal"], users=users), (), ND85)
    assert result.fired_ids() - {"nd85.default"} == proven
    assert result.open_ids() == open_


@pytest.mark.parametrize(
    ("basic", "sensitive", "proven", "open_"),
    [
        (99_999, 9_999, {"nd331.12.2.b"}, set()),
        (100_000, None, {"nd331.13.2.c"}, set()),
        (None, 10_000, {"nd331.13.2.c"}, set()),
        (99_999, None, set(), {"nd331.13.2.c"}),
        (None, 9_999, set(), {"nd331.13.2.c"}),
    ],
)
def test_subject_counts_boundary_and_unknown(
    basic: int | None, sensitive: int | None, proven: set[str], open_: set[str]
) -> None:
    result = classify(
        CITIZEN,
        attrs(info_types=["personal"], basic_pd_subjects=basic, sensitive_pd_subjects=sensitive),
        (),
        ND331,
    )
    assert result.fired_ids() - {"nd331.default"} == proven
    assert result.open_ids() == open_


def test_information_portal_is_nd85_8_2_a_without_a_service_level() -> None:
    both = classify_both(CITIZEN, attrs(information_portal=True, public_service_level=None), ())
    assert "nd85.8.2.a" in both[ND85].fired_ids()
    assert "nd85.9.2.a" in both[ND85].open_ids()  # the service level is still a question
    assert both[ND331].fired_ids() == {"nd331.default"}


def test_one_stop_system_is_citizen_facing_without_a_service_level() -> None:
    both = both_open(INTERNAL, admin_procedures=True, state_secret_harm="none",
                     info_types=["personal"])
    assert "nd331.13.2.b" in both[ND331].fired_ids()
    assert both[ND85].level == 2  # 8.1 from the internal data
    assert "nd85.9.2.a" in undecided_ids(both[ND85])


def test_public_service_level_none_closes_9_2_a() -> None:
    result = classify(CITIZEN, attrs(public_service_level="none"), (), ND85)
    assert "nd85.9.2.a" not in result.open_ids() | result.fired_ids()


def test_infrastructure_scope_unknown_and_24x7_unknown() -> None:
    unknown = both_open(INFRA, state_secret_harm="none")[ND85]
    assert (unknown.level, unknown.upper) == (2, 5)
    assert unknown.fired_ids() == {"nd85.6.2.c"}
    assert undecided_ids(unknown) == {"nd85.9.3", "nd85.10.3", "nd85.11.3"}
    national = both_open(INFRA, state_secret_harm="none", infra_scope="national")[ND85]
    assert (national.level, national.upper) == (3, 4)
    assert {o.criterion.id: o.unknown for o in national.undecided()} == {
        "nd85.10.3": ("requires_24x7",)
    }


def test_national_criteria_are_questions_only_outside_a_province() -> None:
    fields: dict[str, Any] = {"state_secret_harm": "none", "info_types": ["public"]}
    province = both_open(INTERNAL, **fields)[ND331]
    ministry = both_open(INTERNAL, national=True, **fields)[ND331]
    assert province.proven
    assert undecided_ids(ministry) == {"nd331.14.2", "nd331.15.2"}
    assert ministry.deciding_facts() == (
        "national_critical_data_store", "national_egov", "requires_24x7"
    )
    declared_no = both_open(
        INTERNAL, national=True, national_egov=False, national_critical_data_store=False,
        **fields,
    )[ND331]
    assert declared_no.proven


def test_a_criterion_proven_by_one_fact_is_not_also_open() -> None:
    # 14.2 is proven by the infrastructure facts; the national-e-gov question cannot reopen it.
    result = both_open(INFRA, national=True, infra_scope="national", requires_24x7=True,
                       state_secret_harm="none", national_critical_data_store=False)[ND331]
    assert "nd331.14.2" in result.fired_ids()
    assert "nd331.14.2" not in result.open_ids()
    assert result.proven


def test_components_keep_their_open_questions() -> None:
    portal = Component.model_validate(
        {"name": "Cổng", "system_type": "citizen_facing",
         "classification": {"state_secret_harm": "none"}}
    )
    result = classify(INTERNAL, attrs(), (portal,), ND331)
    assert result.level == 2
    assert ("nd331.13.2.b", "Cổng") in {(o.criterion.id, o.component) for o in result.undecided()}


def test_decisive_and_also_met() -> None:
    result = classify(CITIZEN, attrs(online_service=True, public_service_level="4",
                                     info_types=["personal"], users=500), (), ND85)
    assert [f.criterion.id for f in result.decisive()] == ["nd85.9.2.a"]
    assert {f.criterion.id for f in result.also_met()} == {"nd85.8.2.b", "nd85.8.2.c"}


@pytest.mark.parametrize(
    ("regime", "domain", "expected"),
    [
        (ND85, SystemDomain.CIVIL, Authority.MIC),
        (ND85, SystemDomain.MILITARY, Authority.MOD),
        (ND85, SystemDomain.PUBLIC_SECURITY, Authority.MPS),
        (ND331, SystemDomain.CIVIL, Authority.MPS),
        (ND331, SystemDomain.MILITARY, Authority.MOD),
        (ND331, SystemDomain.PUBLIC_SECURITY, Authority.MPS),
        (ND331, SystemDomain.CIPHER, Authority.CIPHER_COMMITTEE),
    ],
)
def test_level_4_5_appraiser_depends_on_whose_system(
    regime: Regime, domain: SystemDomain, expected: Authority
) -> None:
    for level in (4, 5):
        assert competent_appraisers_for(level, regime, domain) == frozenset({expected})
    # Levels 1-3 are appraised locally whoever owns the system.
    assert competent_appraisers_for(3, regime, domain) == frozenset({UNIT, COUNCIL})
    assert domain in appraiser_domains(regime, expected)


def test_mod_appraises_only_military_systems() -> None:
    assert appraiser_domains(ND331, Authority.MOD) == {SystemDomain.MILITARY}
    assert appraiser_domains(ND331, Authority.MPS) == {
        SystemDomain.CIVIL, SystemDomain.PUBLIC_SECURITY
    }
