"""Every shipped rule has a passing and a failing fixture, and each fixture holds.

A fixture file `cases/<RULE-ID>.yaml` lists cases; each case deep-merges its overrides onto
the compliant base inventory (mappings merge, lists and scalars replace, null deletes) and
states the status the rule must give. The base is `base.yaml` plus any `base.*.yaml`
overlays (merged the same way, except that lists are extended), so each group of rules can
add the evidence it needs in its own file. The whole shipped catalog is evaluated, so
a case also proves the rule is selected for that level and regime.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.engine import evaluate
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import InventoryFile
from auditor.model.inventory import Inventory
from auditor.model.results import Finding

HERE = Path(__file__).parent
CASES = HERE / "cases"
def _extend(base: Any, overlay: Any) -> Any:
    if overlay is None:
        return base
    if isinstance(base, dict) and isinstance(overlay, dict):
        return {**base, **{k: _extend(base.get(k), v) for k, v in overlay.items()}}
    if isinstance(base, list) and isinstance(overlay, list):
        return base + overlay
    return copy.deepcopy(overlay)


def _base() -> Any:
    """base.yaml, then each base.*.yaml overlay: {organisation:, agency:, system:} parts."""
    document = yaml.safe_load((HERE / "base.yaml").read_text(encoding="utf-8"))
    for path in sorted(HERE.glob("base.*.yaml")):
        overlay = yaml.safe_load(path.read_text(encoding="utf-8"))
        agency = document["agencies"][0]
        document["organisation"] = _extend(document["organisation"], overlay.get("organisation"))
        system = _extend(agency["systems"][0], overlay.get("system"))
        agency = _extend(agency, overlay.get("agency"))
        agency["systems"] = [system]
        document["agencies"] = [agency]
    return document


BASE = _base()
CATALOG, _ = load_catalog()
FAILING = {"fail", "manual"}


def merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = merge(base.get(key), value)
        return merged
    return copy.deepcopy(override)


def _case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def _cases() -> list[Any]:
    params = []
    for path in _case_files():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(spec["cases"]):
            case_id = f"{spec['rule']}-{index}-{case['expect']}"
            params.append(pytest.param(spec["rule"], case, id=case_id))
    return params


def build(case: dict[str, Any]) -> Inventory:
    document = copy.deepcopy(BASE)
    document["organisation"] = merge(document["organisation"], case.get("organisation") or {})
    agency = merge(document["agencies"][0], case.get("agency") or {})
    agency["systems"] = [merge(agency["systems"][0], case.get("system") or {})]
    document["agencies"] = [agency]
    parsed = InventoryFile.model_validate(document)
    assert parsed.organisation is not None
    return Inventory(organisation=parsed.organisation, agencies=parsed.agencies)


def findings_for(rule_id: str, case: dict[str, Any]) -> list[Finding]:
    as_of = case.get("as_of", dt.date(2026, 11, 24))
    run = evaluate(build(case), CATALOG, as_of)
    everything = [*run.organisation.findings, *(f for a in run.agencies for f in a.findings),
                  *(f for s in run.systems for f in s.findings)]
    return [f for f in everything if f.rule_id == rule_id]


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_rule_fixture(rule_id: str, case: dict[str, Any]) -> None:
    findings = findings_for(rule_id, case)
    expected = case["expect"]
    if expected == "absent":  # the rule is not selected at all (level or regime)
        assert findings == [], case["name"]
        return
    assert findings, f"{rule_id} was not evaluated for: {case['name']}"
    statuses = {f.status.value for f in findings}
    assert statuses == {expected}, (case["name"], [(f.status, f.message.en) for f in findings])
    if "message" in case:
        assert any(case["message"] in f.message.en for f in findings), case["name"]


def test_base_inventory_is_compliant_with_every_applicable_rule() -> None:
    failing = [(f.rule_id, f.message.en) for f in findings_for_all({})
               if f.status.value in FAILING | {"error"}]
    assert failing == []


def findings_for_all(case: dict[str, Any]) -> list[Finding]:
    run = evaluate(build(case), CATALOG, dt.date(2026, 11, 24))
    return [*run.organisation.findings, *(f for a in run.agencies for f in a.findings),
            *(f for s in run.systems for f in s.findings)]


def test_every_shipped_rule_has_a_passing_and_a_failing_fixture() -> None:
    expectations: dict[str, set[str]] = {}
    for path in _case_files():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == spec["rule"], f"{path.name} holds cases of {spec['rule']}"
        expectations[spec["rule"]] = {case["expect"] for case in spec["cases"]}
    lacking = [rule.id for rule in CATALOG
               if "pass" not in expectations.get(rule.id, set())
               or not expectations.get(rule.id, set()) & FAILING]
    assert lacking == [], f"rules without a passing and a failing fixture: {lacking}"
