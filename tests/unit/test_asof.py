"""`--as-of` is a point in time (auditor/asof.py): evidence dated after the audit date is
withdrawn exactly as if it were not declared, with the reason kept under its fact key; and the
loader warns about evidence dated after the real today (auditor/loading/inventory.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from auditor.asof import future_evidence, inventory_as_of
from auditor.loading.inventory import load_inventory
from auditor.model.inventory import DossierStatus, Inventory

DAY = dt.timedelta(days=1)
ASSESSED = dt.date(2026, 9, 15)


def _inventory(system: dict[str, Any], agency: dict[str, Any] | None = None) -> Inventory:
    return Inventory.model_validate({
        "organisation": {"id": "tinh", "name": "Tỉnh"},
        "agencies": [{
            "id": "so", "name": "Sở", **(agency or {}),
            "systems": [{"id": "he-thong", "name": "Hệ thống", "system_type": "internal",
                         "lifecycle": "production", **system}],
        }],
    })


def _dossier(**fields: Any) -> dict[str, Any]:
    return {"dossier": {
        "status": "approved", "submitted": "2025-09-25",
        "appraisal": {"number": "5/TĐ", "date": "2025-10-14"},
        "decision": {"number": "45/QĐ-UBND", "date": "2025-11-05", "body_kind": "owner"},
        **fields,
    }}


def _layer3() -> dict[str, Any]:
    return {"four_layer": {"layer3": {
        "assessor": "Công ty Kiểm định", "last_assessment": ASSESSED.isoformat(),
        "result": "pass", "report": {"number": "12/BC", "date": ASSESSED.isoformat()},
    }}}


def test_evidence_dated_on_the_audit_date_is_kept_and_nothing_is_copied() -> None:
    inventory = _inventory({**_layer3(), **_dossier()})
    then = inventory_as_of(inventory, ASSESSED)
    assert then.inventory is inventory  # nothing after the audit date: the same objects
    assert then.systems == {} and then.agencies == {} and then.organisation == {}


def test_last_assessment_a_day_later_is_withdrawn_with_its_result_and_report() -> None:
    then = inventory_as_of(_inventory(_layer3()), ASSESSED - DAY)
    layer3 = then.inventory.agencies[0].systems[0].four_layer.layer3
    assert layer3 is not None and layer3.assessor == "Công ty Kiểm định"  # the contract stays
    assert (layer3.last_assessment, layer3.result, layer3.report) == (None, None, None)
    reasons = then.systems["he-thong"]
    assert set(reasons) == {"four_layer.layer3.last_assessment", "four_layer.layer3.result",
                            "four_layer.layer3.report"}
    reason = reasons["four_layer.layer3.result"]
    assert reason.en == ("'four_layer.layer3.last_assessment' dated 2026-09-15, after the audit "
                         "date 2026-09-14: not evidence yet")
    assert reason.vi.startswith("'four_layer.layer3.last_assessment' ngày 15/09/2026, sau ngày "
                                "đánh giá 14/09/2026")


def test_a_dossier_is_approved_only_from_its_decision_date() -> None:
    steps = {
        dt.date(2025, 11, 5): DossierStatus.APPROVED,
        dt.date(2025, 11, 4): DossierStatus.APPRAISED,  # appraisal of 14/10 is in hand
        dt.date(2025, 10, 13): DossierStatus.SUBMITTED,  # submitted on 25/09
        dt.date(2025, 9, 24): DossierStatus.DRAFT,
    }
    for as_of, expected in steps.items():
        then = inventory_as_of(_inventory(_dossier()), as_of)
        dossier = then.inventory.agencies[0].systems[0].dossier
        assert dossier is not None and dossier.status is expected, as_of
        if expected is DossierStatus.APPROVED:
            assert dossier.decision is not None
        else:
            assert dossier.decision is None
            reason = then.systems["he-thong"]["dossier.status"].en
            assert reason.startswith("'dossier.status' is approved in the inventory but not yet")
            assert "'dossier.decision' (45/QĐ-UBND) dated 2025-11-05" in reason


def test_an_approved_status_without_a_decision_is_left_as_declared() -> None:
    then = inventory_as_of(_inventory(_dossier(decision=None)), dt.date(2025, 1, 1))
    dossier = then.inventory.agencies[0].systems[0].dossier
    assert dossier is not None and dossier.status is DossierStatus.APPROVED


def test_projects_approved_later_are_not_yet_projects_deadlines_are_kept() -> None:
    agency = {"budget": {"projects": [
        {"name": "Cũ", "approved": "2026-07-01", "total_vnd": 100, "cybersecurity_vnd": 15},
        {"name": "Mới", "approved": "2026-12-01", "total_vnd": 100, "cybersecurity_vnd": 1},
    ]}}
    system = {"four_layer": {"layer2": {"provider": "SOC", "contract_end": "2030-01-01",
                                        "contract": {"number": "1/HĐ", "date": "2026-12-01"}}}}
    then = inventory_as_of(_inventory(system, agency), dt.date(2026, 11, 24))
    budget = then.inventory.agencies[0].budget
    assert budget is not None and [p.name for p in budget.projects] == ["Cũ"]
    assert "'budget.projects' [Mới] dated 2026-12-01" in then.agencies["so"]["budget.projects"].en
    layer2 = then.inventory.agencies[0].systems[0].four_layer.layer2
    assert layer2 is not None and layer2.contract is None  # signed later: not evidence yet
    assert layer2.contract_end == dt.date(2030, 1, 1)  # a deadline, future by nature


def test_attestations_and_waivers_are_left_to_their_own_judges() -> None:
    system = {
        "attestations": [{"rule": "GOV-16", "document": {"number": "1/BC", "date": "2027-01-01"},
                          "attested_by": "A"}],
        "waivers": [{"rule": "GOV-04", "reason": "r", "approver": "a", "expires": "2027-06-30",
                     "decision": {"number": "2/QĐ", "date": "2027-01-01"}}],
    }
    inventory = _inventory(system)
    then = inventory_as_of(inventory, dt.date(2026, 11, 24))
    assert then.inventory is inventory
    found = dict(future_evidence(inventory, dt.date(2026, 11, 24)))
    prefix = ("agencies", 0, "systems", 0)
    assert found == {
        (*prefix, "attestations", 0, "document", "date"): dt.date(2027, 1, 1),
        (*prefix, "waivers", 0, "decision", "date"): dt.date(2027, 1, 1),
    }


def test_loader_warns_of_evidence_dated_after_today_with_file_line_and_field(
    tmp_path: Path,
) -> None:
    inventory = tmp_path / "tinh.yaml"
    inventory.write_text(
        "organisation: {id: tinh, name: Tỉnh}\n"
        "agencies:\n"
        "  - id: so\n"
        "    name: Sở\n"
        "    systems:\n"
        "      - id: he-thong\n"
        "        name: Hệ thống\n"
        "        system_type: internal\n"
        "        lifecycle: production\n"
        "        dossier:\n"
        "          status: approved\n"
        "          expected_approval: 2062-01-01\n"
        "          decision: {number: 45/QĐ-UBND, date: 2062-11-05}\n"
        "        four_layer:\n"
        "          layer2: {provider: SOC, contract_end: 2062-01-01}\n",
        encoding="utf-8",
    )
    today = dt.date(2026, 11, 24)
    loaded = load_inventory([inventory], today=today)
    assert len(loaded.warnings) == 1  # deadlines (expected_approval, contract_end) are not
    warning = loaded.warnings[0]
    assert warning.location.file == str(inventory)
    assert warning.location.line == 13
    assert warning.location.field == "agencies[0].systems[0].dossier.decision.date"
    assert "2062-11-05, after today (2026-11-24)" in warning.message
    assert load_inventory([inventory], today=dt.date(2062, 11, 5)).warnings == ()
