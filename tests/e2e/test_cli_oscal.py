"""`auditor export oscal catalog|results` through the real CLI on the example province.

Every document is validated with compliance-trestle's pydantic models of NIST OSCAL, and what
it must say is computed here from auditor's own outputs (`rules list --format json`, the
results JSON), not written down: every rule is a control with its references and per-level
parameters, every finding of the run is one OSCAL finding with its status mapped as
docs/oscal.md says."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, EXAMPLE, read_results_json, run_cli
from pydantic import ValidationError
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.catalog import Catalog

NS = "https://auditor.example/ns/oscal"


def _ok(*args: Any) -> str:
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    return result.stdout


def _props(node: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [p for p in node.get("props", []) if p["name"] == name]


def _by_level(value: Any, level: int) -> Any:
    """The per-level rule of the checklists, written again here: greatest key <= level."""
    if not isinstance(value, dict):
        return value
    keys = [int(k) for k in value if int(k) <= level]
    return value[str(max(keys))] if keys else None


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("oscal")
    db = base / "h.sqlite"
    _ok("audit", EXAMPLE, "--as-of", AS_OF.isoformat(), "--db", db, "--json",
        base / "r.json", "-q")
    runs = json.loads(_ok("history", "list", "--db", db, "--json"))
    assert len(runs) == 1
    return {"base": base, "db": db, "results": base / "r.json", "run_id": runs[0]["id"]}


@pytest.fixture(scope="module")
def rules() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in json.loads(_ok("rules", "list", "--format", "json"))}


@pytest.fixture(scope="module")
def catalog(run: dict[str, Any]) -> dict[str, Any]:
    out = run["base"] / "catalog.json"
    _ok("export", "oscal", "catalog", "-o", out)
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    Catalog.model_validate(document["catalog"])
    return document["catalog"]


def _controls(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for g in catalog["groups"] for c in g["controls"]}


def test_every_rule_is_a_control_with_its_references(
    catalog: dict[str, Any], rules: dict[str, dict[str, Any]]
) -> None:
    controls = _controls(catalog)
    assert sorted(controls) == sorted(r.lower() for r in rules)
    resources = {r["uuid"]: r["title"] for r in catalog["back-matter"]["resources"]}
    for rule_id, rule in rules.items():
        control = controls[rule_id.lower()]
        assert [p["value"] for p in _props(control, "label")] == [rule_id]
        assert control["title"] == rule["title"]["vi"]
        links = control["links"]
        assert len(links) == len(rule["references"])
        for link, ref in zip(links, rule["references"], strict=True):
            text = ref["document"] + (f", {ref['clause']}" if ref["clause"] else "")
            assert link["rel"] == "reference"
            assert link["text"] == text
            assert resources[link["href"].removeprefix("#")] == ref["document"]
        regimes = sorted(p["class"] for p in _props(control, "reference"))
        assert regimes == sorted(ref["regime"] or "both" for ref in rule["references"])
        assert sorted(p["value"] for p in _props(control, "regime")) == sorted(rule["regimes"])
        levels = range(rule["levels"]["min_level"], rule["levels"]["max_level"] + 1)
        assert [p["value"] for p in _props(control, "level")] == [str(n) for n in levels]


def test_both_regimes_are_cited(catalog: dict[str, Any]) -> None:
    classes = Counter(
        p["class"] for c in _controls(catalog).values() for p in _props(c, "reference")
    )
    assert classes["nd85"] > 0 and classes["nd331"] > 0


def test_per_level_parameters_take_the_value_of_each_level(
    catalog: dict[str, Any], rules: dict[str, dict[str, Any]]
) -> None:
    controls = _controls(catalog)
    checked = 0
    for rule_id, rule in rules.items():
        check = rule["check"]
        for name in ("days", "value", "ratio", "validity_days"):
            if not isinstance(check.get(name), dict):
                continue
            params = {
                int(_props(p, "level")[0]["value"]): p["values"]
                for p in controls[rule_id.lower()]["params"]
                if _props(p, "parameter")[0]["value"] == f"check.{name}"
            }
            levels = range(rule["levels"]["min_level"], rule["levels"]["max_level"] + 1)
            expected = {n: _by_level(check[name], n) for n in levels}
            assert params == {n: [str(v)] for n, v in expected.items() if v is not None}
            checked += 1
    assert checked >= 3  # the shipped checklists do have per-level thresholds


def test_the_other_language_travels_in_namespaced_parts(
    run: dict[str, Any], rules: dict[str, dict[str, Any]]
) -> None:
    out = run["base"] / "catalog-en.json"
    _ok("export", "oscal", "catalog", "--lang", "en", "-o", out)
    document = json.loads(out.read_text(encoding="utf-8"))
    Catalog.model_validate(document["catalog"])
    controls = _controls(document["catalog"])
    for rule_id, rule in rules.items():
        control = controls[rule_id.lower()]
        assert control["title"] == rule["title"]["en"]
        ours = {p["name"]: p for p in control["parts"] if p.get("ns") == NS}
        assert ours["statement"]["class"] == "lang-vi"
        assert ours["statement"]["title"] == rule["title"]["vi"]
        assert ours["guidance"]["prose"] == rule["remediation"]["vi"]
        plain = {p["name"]: p for p in control["parts"] if "ns" not in p}
        assert plain["guidance"]["prose"] == rule["remediation"]["en"]
        not_applicable = {p["class"]: p["prose"] for p in control["parts"]
                          if p["name"] == "not-applicable"}
        expected = {f"lang-{k}": v for k, v in (rule["not_applicable"] or {}).items()}
        assert not_applicable == expected


def test_the_catalog_is_reproducible(run: dict[str, Any], catalog: dict[str, Any]) -> None:
    again = run_cli("export", "oscal", "catalog")
    assert again.code == 0, again.stderr
    assert json.loads(again.stdout)["catalog"] == catalog


def _pairs(result: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """finding id -> (OSCAL finding, the observation it relates to)."""
    observations = {o["uuid"]: o for o in result["observations"]}
    pairs = {}
    for finding in result["findings"]:
        (related,) = finding["related-observations"]
        pairs[_props(finding, "finding-id")[0]["value"]] = (
            finding, observations[related["observation-uuid"]]
        )
    return pairs


def _subject_ids(document: dict[str, Any]) -> dict[str, str]:
    """subject uuid -> the id of the system (component) or agency/organisation (party)."""
    result = document["results"][0]
    ids = {c["uuid"]: _props(c, "system-id")[0]["value"]
           for c in result["local-definitions"]["components"]}
    ids |= {p["uuid"]: p["short-name"] for p in document["metadata"]["parties"]}
    return ids


def _findings(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    owners = [results["organisation"], *results["agencies"], *results["systems"]]
    return [(owner["id"], f) for owner in owners for f in owner["findings"]]


@pytest.fixture(scope="module")
def exported(run: dict[str, Any]) -> dict[str, Any]:
    out = run["base"] / "ar.json"
    _ok("export", "oscal", "results", run["results"], "-o", out)
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    AssessmentResults.model_validate(document["assessment-results"])
    return document["assessment-results"]


def test_one_finding_per_verdict_with_its_status(
    run: dict[str, Any], exported: dict[str, Any]
) -> None:
    results = read_results_json(run["results"])
    expected = _findings(results)
    systems = {s["id"] for s in results["systems"]}
    result = exported["results"][0]
    pairs = _pairs(result)
    subjects = _subject_ids(exported)
    assert len(result["findings"]) == len(expected) == len(pairs)
    owners = [results["organisation"], *results["agencies"], *results["systems"]]
    unused = [a for o in owners for a in o.get("attestations", []) if a["status"] == "unused"]
    # an observation per finding, and one per attestation no rule reads (none is dropped)
    assert len(result["observations"]) == len(expected) + len(unused)
    statuses: Counter[str] = Counter()
    for owner, found in expected:
        oscal, observation = pairs[found["id"]]
        status = found["status"]
        statuses[status] += 1
        assert oscal["target"]["target-id"] == found["rule_id"].lower()
        state = oscal["target"]["status"]
        assert state["state"] == ("satisfied" if status == "pass" else "not-satisfied")
        assert state["reason"] == status
        assert _props(oscal, "status")[0]["value"] == status
        (subject,) = observation["subjects"]
        assert subjects[subject["subject-uuid"]] == owner
        assert subject["type"] == ("component" if owner in systems else "party")
    # the example has verdicts on both sides of the mapping, and manual ones
    assert statuses["pass"] and statuses["fail"] and statuses["manual"]
    reviewed = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert sorted(c["control-id"] for c in reviewed) == sorted(
        {f["rule_id"].lower() for _, f in expected}
    )


def test_every_finding_targets_a_control_of_the_catalog(
    catalog: dict[str, Any], exported: dict[str, Any]
) -> None:
    controls = _controls(catalog)
    targets = {f["target"]["target-id"] for f in exported["results"][0]["findings"]}
    assert targets and targets <= set(controls)


def test_a_users_checklist_is_a_group_of_its_own(tmp_path: Path) -> None:
    checklist = tmp_path / "mine.yaml"
    checklist.write_text(
        "catalog:\n  id: tls\n  title: {vi: Của tôi, en: Mine}\n  version: '2027.03'\n"
        "rules:\n  - id: MY-01\n    title: {vi: Kiểm thử, en: Pentest}\n"
        "    remediation: {vi: Làm đi, en: Do it}\n    group: assessment\n"
        "    levels: {min_level: 2, max_level: 4}\n    severity: {2: low, 4: high}\n"
        "    references:\n      - {document: RFC 5280, clause: '4.1'}\n"
        "    check: {kind: within_days, fact: pentest.date, days: {3: 365, 4: 183}}\n",
        encoding="utf-8")
    out = tmp_path / "c.json"
    _ok("export", "oscal", "catalog", "--checklist", checklist, "-o", out)
    document = json.loads(out.read_text(encoding="utf-8"))["catalog"]
    Catalog.model_validate(document)
    groups = {g["id"]: g for g in document["groups"]}
    assert "tls" in groups and [c["id"] for c in groups["tls-2"]["controls"]] == ["my-01"]
    (control,) = groups["tls-2"]["controls"]
    # the map starts at level 3: level 2 has no threshold, 3 and 4 their own
    assert {p["id"]: p["values"] for p in control["params"]} == {
        "my-01_prm1_l3": ["365"], "my-01_prm1_l4": ["183"]
    }
    assert [(p["class"], p["value"]) for p in _props(control, "severity")] == [
        ("level-2", "low"), ("level-3", "low"), ("level-4", "high")
    ]
    assert document["metadata"]["last-modified"] == "2027-03-01T00:00:00Z"
    assert document["metadata"]["version"].startswith("2027.03+sha256.")


def test_observations_carry_the_evidence(run: dict[str, Any], exported: dict[str, Any]) -> None:
    results = read_results_json(run["results"])
    result = exported["results"][0]
    pairs = _pairs(result)
    components = {c["uuid"]: c for c in result["local-definitions"]["components"]}
    assert sorted(_props(c, "system-id")[0]["value"] for c in components.values()) == sorted(
        s["id"] for s in results["systems"]
    )
    for system in results["systems"]:
        for found in system["findings"]:
            _, observation = pairs[found["id"]]
            (subject,) = observation["subjects"]
            assert subject["type"] == "component"
            assert _props(components[subject["subject-uuid"]], "system-id")[0]["value"] == (
                system["id"]
            )
            evidence = observation.get("relevant-evidence", [])
            assert [_props(e, "fact")[0]["value"] for e in evidence] == [
                e["fact"] for e in found["evidence"]
            ]
            facts = [e["fact"] for e in found["evidence"]]
            attested = [f for f in facts if f.startswith("attestation.")]
            assert ("INTERVIEW" in observation["methods"]) == bool(attested)
            assert ("EXAMINE" in observation["methods"]) == (len(attested) < len(facts))
            if not found["evidence"]:
                assert observation["methods"] == ["UNKNOWN"]
            assert observation["collected"] == f"{AS_OF.isoformat()}T00:00:00Z"


def test_the_same_run_exports_the_same_document(
    run: dict[str, Any], exported: dict[str, Any]
) -> None:
    again = run_cli("export", "oscal", "results", run["results"])
    assert again.code == 0, again.stderr
    assert json.loads(again.stdout)["assessment-results"] == exported


def test_a_stored_run_exports_without_evidence_and_says_so(
    run: dict[str, Any], exported: dict[str, Any]
) -> None:
    exported_run = run_cli("export", "oscal", "results", str(run["run_id"]), "--db", run["db"],
                           "--lang", "en")
    assert exported_run.code == 0, exported_run.stderr
    assert "keeps neither the findings' evidence" in exported_run.stderr
    document = json.loads(exported_run.stdout)["assessment-results"]
    AssessmentResults.model_validate(document)
    result = document["results"][0]
    from_file = exported["results"][0]
    assert len(result["findings"]) == len(from_file["findings"])
    file_states = {
        _props(f, "finding-id")[0]["value"]: f["target"]["status"] for f in from_file["findings"]
    }
    for finding in result["findings"]:
        assert finding["target"]["status"] == file_states[_props(finding, "finding-id")[0]["value"]]
    for observation in result["observations"]:
        assert observation["methods"] == ["UNKNOWN"]
        assert "relevant-evidence" not in observation
        assert "evidence" in observation["remarks"]
    assert _props(result, "run-id")[0]["value"] == str(run["run_id"])


def test_a_broken_document_fails_the_validation(
    catalog: dict[str, Any], exported: dict[str, Any]
) -> None:
    """The validation above is real: the same models refuse a document broken on purpose."""
    broken = json.loads(json.dumps(catalog))
    broken["groups"][0]["controls"][0]["id"] = "CERT 05"  # not an OSCAL token
    with pytest.raises(ValidationError):
        Catalog.model_validate(broken)
    broken = json.loads(json.dumps(exported))
    broken["results"][0]["findings"][0]["target"]["status"]["state"] = "manual"
    with pytest.raises(ValidationError):
        AssessmentResults.model_validate(broken)
    broken = json.loads(json.dumps(exported))
    del broken["import-ap"]
    with pytest.raises(ValidationError):
        AssessmentResults.model_validate(broken)


def test_bad_input_exits_2_and_writes_nothing(run: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    unknown = run_cli("export", "oscal", "results", str(run["run_id"] + 1), "--db", run["db"],
                      "-o", out)
    assert unknown.code == 2
    assert f"no run {run['run_id'] + 1}" in unknown.stderr
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"schema_version": "2.1", "run": ', encoding="utf-8")
    bad = run_cli("export", "oscal", "results", malformed, "-o", out, "--lang", "en")
    assert bad.code == 2
    assert str(malformed) in bad.stderr and "Traceback" not in bad.stderr
    missing = run_cli("export", "oscal", "results", tmp_path / "none.json", "-o", out)
    assert missing.code == 2 and "Traceback" not in missing.stderr
    over_input = run_cli("export", "oscal", "results", run["results"], "-o", run["results"])
    assert over_input.code == 2
    over_store = run_cli("export", "oscal", "results", str(run["run_id"]), "--db", run["db"],
                         "-o", run["db"])
    assert over_store.code == 2
    assert json.loads(_ok("history", "list", "--db", run["db"], "--json"))  # still a store
    assert not out.exists()
    assert read_results_json(run["results"])  # the input is intact


def test_a_bad_checklist_exits_2(tmp_path: Path) -> None:
    checklist = tmp_path / "mine.yaml"
    checklist.write_text("catalog: {id: mine}\nrules: []\n", encoding="utf-8")
    result = run_cli("export", "oscal", "catalog", "--checklist", checklist,
                     "-o", tmp_path / "c.json")
    assert result.code == 2
    assert str(checklist) in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "c.json").exists()
