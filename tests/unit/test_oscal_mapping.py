"""The pure OSCAL mapping: ids as tokens, deterministic UUIDs, methods, statuses, parameters."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from trestle.oscal.assessment_results import AssessmentResults

from auditor.model.results import (
    AttestationRecord,
    AttestationStatus,
    DocumentNote,
    Evidence,
    InputFile,
    Obligation,
    Origin,
    Severity,
    Status,
    Text2,
)
from auditor.oscal import assessment_results_chunks, build_assessment_results, control_id
from auditor.oscal.common import derived_uuid, one_line, prop, timestamp, token
from auditor.oscal.evidence import methods
from auditor.oscal.params import rule_params
from auditor.oscal.run_view import (
    BodyView,
    FindingView,
    RunView,
    SystemView,
    UnusedAttestation,
)
from auditor.rules import Rule

DECLARED = Origin(source="declared", file="agency.yaml", line=12)
OBSERVED = Origin(source="observed", via="tls")


@pytest.mark.parametrize(
    ("rule_id", "expected"),
    [("CERT-05", "cert-05"), ("GOV-14A", "gov-14a"), ("A", "a"), ("IPV6-01", "ipv6-01")],
)
def test_rule_ids_become_lower_case_tokens(rule_id: str, expected: str) -> None:
    assert control_id(rule_id) == expected


def test_an_id_that_cannot_be_a_token_is_refused() -> None:
    with pytest.raises(ValueError, match="OSCAL token"):
        control_id("5-X")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("tls", "tls"), ("four_layer", "four_layer"), ("v1.2", "v1.2"), ("2026.11", "x-2026.11"),
     ("a b/c", "a-b-c"), ("-x", "x--x")],
)
def test_token(text: str, expected: str) -> None:
    assert token(text) == expected


def test_uuids_are_version_5_and_depend_on_every_part() -> None:
    first = derived_uuid("results", "run-1", "finding", "GOV-01:org")
    assert first == derived_uuid("results", "run-1", "finding", "GOV-01:org")
    assert uuid.UUID(first).version == 5
    assert first != derived_uuid("results", "run-2", "finding", "GOV-01:org")
    assert first != derived_uuid("results", "run-1", "finding", "GOV-01:org2")
    # parts are separated, not concatenated: ("ab", "c") is not ("a", "bc")
    assert derived_uuid("ab", "c") != derived_uuid("a", "bc")


def test_property_values_are_one_line_and_booleans_lower_case() -> None:
    assert prop("x", "a\n  b\tc")["value"] == "a b c"
    assert prop("gate", True)["value"] == "true"
    assert one_line("  lone  ") == "lone"


def test_timestamps_need_a_time_zone() -> None:
    assert timestamp(dt.datetime(2026, 11, 24, 8, 30, 5, 999, tzinfo=dt.UTC)) == (
        "2026-11-24T08:30:05Z"
    )
    with pytest.raises(ValueError, match="time zone"):
        timestamp(dt.datetime(2026, 11, 24, 8, 30))


def test_methods_follow_where_the_evidence_came_from() -> None:
    declared = Evidence("security_unit.decision", "QĐ 1", DECLARED)
    observed = Evidence("tls.days_left", 30, OBSERVED)
    attested = Evidence("attestation.GOV-17", {"document": "12/BC"}, DECLARED)
    scanned = Evidence("ports.open", [443], Origin(source="nmap"))
    assert methods([declared]) == ["EXAMINE"]
    assert methods([observed]) == ["TEST"]
    assert methods([scanned]) == ["TEST"]
    assert methods([attested]) == ["INTERVIEW"]
    assert methods([observed, attested, declared]) == ["EXAMINE", "INTERVIEW", "TEST"]
    assert methods([]) == ["UNKNOWN"]
    assert methods(None) == ["UNKNOWN"]


def _rule(check: dict[str, Any], levels: tuple[int, int] = (1, 5)) -> Rule:
    return Rule.model_validate({
        "id": "ASM-02", "title": {"vi": "t", "en": "t"}, "remediation": {"vi": "r", "en": "r"},
        "group": "assessment", "severity": "high", "levels": {"min_level": levels[0],
                                                              "max_level": levels[1]},
        "references": [{"document": "TCVN 11930:2017", "clause": "7.2"}], "check": check,
    })


def test_per_level_parameters_resolve_at_every_level_of_the_scope() -> None:
    rule = _rule({"kind": "within_days", "fact": "pentest.date", "days": {1: 365, 3: 183, 5: 92}})
    values = {p["id"]: p["values"] for p in rule_params(rule, "asm-02", "en")}
    assert values == {
        "asm-02_prm1_l1": ["365"], "asm-02_prm1_l2": ["365"], "asm-02_prm1_l3": ["183"],
        "asm-02_prm1_l4": ["183"], "asm-02_prm1_l5": ["92"],
    }


def test_a_map_starting_above_the_scope_has_no_param_below_it() -> None:
    rule = _rule({"kind": "within_days", "fact": "pentest.date", "days": {4: 365, 5: 183}},
                 levels=(3, 5))
    ids = [p["id"] for p in rule_params(rule, "asm-02", "vi")]
    assert ids == ["asm-02_prm1_l4", "asm-02_prm1_l5"]


def test_parameters_inside_combined_checks_and_plain_ones() -> None:
    rule = _rule({"kind": "all", "checks": [
        {"kind": "at_least", "fact": "staff", "value": 2},
        {"kind": "ratio_at_least", "numerator": "a", "denominator": "b", "ratio": {1: 0.5, 4: 1}},
    ]})
    params = rule_params(rule, "asm-02", "en")
    plain = [p for p in params if p["id"] == "asm-02_prm1"]
    assert plain and plain[0]["values"] == ["2.0"]
    assert [p["values"] for p in params if p["id"].startswith("asm-02_prm2")] == [
        ["0.5"], ["0.5"], ["0.5"], ["1.0"], ["1.0"]
    ]


def _finding(status: Status, evidence: tuple[Evidence, ...] | None = ()) -> FindingView:
    return FindingView(
        finding_id=f"GOV-01:cong-dvc:{status.value}", rule_id="GOV-01", owner="cong-dvc",
        owner_kind="system", subject=None, status=status, measured_status=status,
        severity=Severity.HIGH, obligation=Obligation.MANDATORY, gate=False,
        message=Text2("thông điệp", "message"), evidence=evidence,
    )


def _view(
    findings: tuple[FindingView, ...], key: str = "run-1",
    unused: tuple[UnusedAttestation, ...] = (),
) -> RunView:
    return RunView(
        key=key, source="results", as_of=dt.date(2026, 11, 24), tool_version="0.1.0",
        live=True, observed_at="2026-11-24T09:15:00Z", recorded_at=None, run_id=None, rules=1,
        organisation=BodyView("tinh-an-binh", "Tỉnh An Bình", "organisation"),
        agencies=(BodyView("so-y-te", "Sở Y tế", "agency"),),
        systems=(SystemView("cong-dvc", "Cổng DVC", "so-y-te", "trial", "service", 3, "nd331"),),
        findings=findings,
        inputs=(InputFile("inventories/example-province/so y te.yaml", "inventory", "ab" * 32),),
        unused=unused,
    )


def test_only_a_pass_is_satisfied() -> None:
    findings = tuple(_finding(s, (Evidence("tls.days_left", 30, OBSERVED),)) for s in Status)
    document = build_assessment_results(_view(findings), "en")
    AssessmentResults.model_validate(document["assessment-results"])
    result = document["assessment-results"]["results"][0]
    states = {f["target"]["status"]["reason"]: f["target"]["status"]["state"]
              for f in result["findings"]}
    assert states == {s.value: "satisfied" if s is Status.PASS else "not-satisfied"
                      for s in Status}
    (observation, *_) = result["observations"]
    assert observation["methods"] == ["TEST"]
    assert observation["collected"] == "2026-11-24T09:15:00Z"  # when the probes ran
    assert result["end"] == "2026-11-24T09:15:00Z"
    (component,) = result["local-definitions"]["components"]
    assert component["status"]["state"] == "other"  # trial operation is not "operational"
    back = document["assessment-results"]["back-matter"]["resources"]
    assert back[1]["rlinks"][0]["href"] == "inventories/example-province/so%20y%20te.yaml"


def test_uuids_follow_the_run_and_the_finding() -> None:
    findings = (_finding(Status.FAIL), _finding(Status.PASS))
    first = build_assessment_results(_view(findings), "vi")
    assert build_assessment_results(_view(findings), "vi") == first
    other = build_assessment_results(_view(findings, key="run-2"), "vi")

    def uuids(document: dict[str, Any]) -> list[str]:
        result = document["assessment-results"]["results"][0]
        return [f["uuid"] for f in result["findings"]] + [o["uuid"] for o in result["observations"]]

    assert len(set(uuids(first))) == 4
    assert not set(uuids(first)) & set(uuids(other))
    # the system is the same component in every run: a tool can follow it
    component = first["assessment-results"]["results"][0]["local-definitions"]["components"]
    again = other["assessment-results"]["results"][0]["local-definitions"]["components"]
    assert component[0]["uuid"] == again[0]["uuid"]


def test_a_finding_without_kept_evidence_says_so() -> None:
    document = build_assessment_results(_view((_finding(Status.FAIL, None),)), "en")
    (observation,) = document["assessment-results"]["results"][0]["observations"]
    assert observation["methods"] == ["UNKNOWN"]
    assert "relevant-evidence" not in observation
    assert "does not keep" in observation["remarks"]
    assert observation["collected"] == "2026-11-24T00:00:00Z"  # the audit day, no probe


def test_an_unused_attestation_is_an_observation_without_finding() -> None:
    record = AttestationRecord(
        rule="GOV-12", document=DocumentNote("15/BC-SYT", dt.date(2026, 3, 2)),
        attested_by="Trưởng phòng CNTT", effective=dt.date(2026, 3, 2), valid_until=None,
        status=AttestationStatus.UNUSED,
        reason=Text2("GOV-12 được đánh giá từ dữ liệu khai báo", "GOV-12 is judged from data"),
        origin=DECLARED,
    )
    unused = UnusedAttestation("cong-dvc", "system", record)
    document = build_assessment_results(_view((_finding(Status.PASS),), unused=(unused,)), "en")
    AssessmentResults.model_validate(document["assessment-results"])
    result = document["assessment-results"]["results"][0]
    assert len(result["findings"]) == 1
    related = {o["observation-uuid"] for f in result["findings"]
               for o in f["related-observations"]}
    (alone,) = [o for o in result["observations"] if o["uuid"] not in related]
    assert alone["methods"] == ["INTERVIEW"]
    assert "GOV-12 is judged from data" in alone["description"]
    assert alone["relevant-evidence"][0]["description"].startswith("attestation.GOV-12 = ")
    assert alone["subjects"][0]["type"] == "component"


def test_bidi_and_c1_characters_of_inventory_text_are_escaped() -> None:
    finding = FindingView(
        finding_id="GOV-01:cong-dvc", rule_id="GOV-01", owner="cong-dvc", owner_kind="system",
        subject="cert\u202e.pem", status=Status.FAIL, measured_status=Status.FAIL,
        severity=Severity.HIGH, obligation=Obligation.MANDATORY, gate=False,
        message=Text2("tên \u202etxt.exe\x85", "name \u202etxt.exe\x85"), evidence=(),
    )
    data = b"".join(assessment_results_chunks(_view((finding,)), "vi"))
    assert "\u202e".encode() not in data and "\x85".encode() not in data
    assert b"\\u202e" in data and b"\\u0085" in data
    # escaped, not lost: the document reads back to the exact text
    document = json.loads(data)
    (observation,) = document["assessment-results"]["results"][0]["observations"]
    assert observation["description"] == "tên \u202etxt.exe\x85"
