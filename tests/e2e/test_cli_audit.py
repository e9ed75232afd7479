"""End to end through the CLI on the example province: what SOC staff and agencies run."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE, REPO, CliResult, read_results_json, run_cli

AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def audit_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[CliResult, dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("audit") / "results.json"
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--json", out)
    return result, read_results_json(out), out


def _system(data: dict[str, Any], system_id: str) -> dict[str, Any]:
    return next(s for s in data["systems"] if s["id"] == system_id)


def _finding(system: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(f for f in system["findings"] if f["rule_id"] == rule_id)


def test_audit_of_the_example_succeeds_and_prints_the_summary(audit_json: Any) -> None:
    result, data, _ = audit_json
    assert result.code == 0, result.stderr
    assert "Kết quả đánh giá ngày 24/11/2026" in result.stdout
    for agency in data["agencies"]:
        assert agency["name"] in result.stdout
    assert len(data["systems"]) >= 15
    assert len(data["agencies"]) >= 4


def test_json_has_the_versioned_contract(audit_json: Any) -> None:
    _, data, _ = audit_json
    assert data["schema_version"] == "2.2"  # 2.x: the compact document (auditor.report.json_doc)
    assert data["run"]["as_of"] == AS_OF
    assert data["run"]["live"] is False and data["run"]["observed_at"] is None
    for system in data["systems"]:
        assert {"id", "name", "agency", "level", "findings", "summary"} <= system.keys()
        assert system["observed"] == []  # nothing is observed without --live
        assert {"declared", "computed"} <= system["level"].keys()
        assert set(system["level"]["computed"]) == {"nd85", "nd331"}
        for finding in system["findings"]:
            assert {"rule_id", "status", "severity", "evidence"} <= finding.keys()
            assert finding["status"] in {"pass", "fail", "manual", "not_applicable", "error",
                                         "waived"}
    assert {"counts", "score", "score_without_waivers"} <= data["summary"].keys()


def test_json_records_the_sha256_of_every_input(audit_json: Any) -> None:
    _, data, _ = audit_json
    inputs = data["run"]["inputs"]
    inventory_files = sorted(str(p) for p in EXAMPLE.glob("*.yaml"))
    assert sorted(i["path"] for i in inputs if i["kind"] == "inventory") == inventory_files
    assert any(i["kind"] == "checklist" for i in inputs)
    for item in inputs:
        path = Path(item["path"])
        path = path if path.is_absolute() else REPO / path
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_is_byte_identical_across_runs(audit_json: Any, tmp_path: Path) -> None:
    _, _, first = audit_json
    second = tmp_path / "again.json"
    assert run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--json", second, "-q").code == 0
    assert first.read_bytes() == second.read_bytes()


def test_example_gaps_are_found(audit_json: Any) -> None:
    _, data, _ = audit_json
    # Under-classified: declared 2, the criteria give 3 (15,000 users, administrative procedures).
    under = _finding(_system(data, "cap-ma-dvqhns"), "GOV-02")
    assert under["status"] == "fail"
    assert _system(data, "cap-ma-dvqhns")["level"]["effective"] == 3
    # Expired independent assessment, with an expired waiver that no longer waives.
    stale = _finding(_system(data, "lgsp-tinh"), "GOV-12")
    assert stale["status"] == "fail" and stale["waiver"]["expired"] is True
    # Active waiver: status waived, the measured result kept beside it.
    waived = _finding(_system(data, "scada-nha-may-nuoc"), "MAL-01")
    assert waived["status"] == "waived" and waived["measured_status"] == "fail"
    # Level 3 approved by the security unit instead of the owner.
    assert _finding(_system(data, "his-bvdk-tinh"), "GOV-04")["status"] == "fail"
    # A test system holding real data without a pre-operation assessment.
    assert _finding(_system(data, "hssk-dien-tu"), "GL-04")["status"] == "fail"
    # Under construction since 2025, not approved: manual until the 01/01/2027 deadline.
    transition = _finding(_system(data, "csdl-tai-san-cong"), "GOV-28")
    assert transition["status"] == "manual" and "Due 2027-01-01" in transition["message"]["en"]
    assert "Hạn 01/01/2027" in transition["message"]["vi"]
    # No dossier at all.
    assert _finding(_system(data, "qlns-tai-san"), "GOV-03")["status"] == "fail"


def test_evidence_cites_file_and_line_and_inheritance(audit_json: Any) -> None:
    _, data, _ = audit_json
    stale = _finding(_system(data, "lgsp-tinh"), "GOV-12")
    (evidence,) = [e for e in stale["evidence"] if e["fact"] == "four_layer.layer3.last_assessment"]
    origin = evidence["origin"]
    assert origin["source"] == "declared"
    text = (REPO / origin["file"]).read_text(encoding="utf-8").splitlines()[origin["line"] - 1]
    assert "last_assessment" in text and evidence["value"] in text
    layer2 = [e for s in data["systems"] for f in s["findings"] for e in f["evidence"]
              if e["fact"].startswith("four_layer.layer2") and e["origin"]["source"] == "inherited"]
    assert layer2, "no finding shows a layer-2 fact inherited from the organisation defaults"
    assert any("organisation defaults" in e["origin"]["via"] for e in layer2)


def test_scores_are_derived_with_and_without_waivers(audit_json: Any) -> None:
    _, data, _ = audit_json
    scada = _system(data, "scada-nha-may-nuoc")["summary"]
    assert scada["counts"]["waived"] == 2
    assert scada["score"]["value"] > scada["score_without_waivers"]["value"]
    weights = {"critical": 10, "high": 5, "medium": 3, "low": 1, "info": 0}
    findings = _system(data, "scada-nha-may-nuoc")["findings"]
    rules = {r["id"]: r for r in json.loads(run_cli("rules", "list", "--format", "json").stdout)}
    scored = [f for f in findings if f["status"] != "not_applicable"
              and rules[f["rule_id"]]["obligation"] != "advisory"]
    possible = sum(weights[f["severity"]] for f in scored)
    earned = sum(weights[f["severity"]] for f in scored if f["status"] in ("pass", "waived"))
    assert scada["score"]["possible"] == possible and scada["score"]["earned"] == earned


def test_fail_on_high_exits_1_and_fail_on_is_validated(tmp_path: Path) -> None:
    assert run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--fail-on", "high", "-q").code == 1
    bad = run_cli("audit", EXAMPLE, "--fail-on", "severe")
    assert bad.code == 2 and "Traceback" not in bad.stderr


def test_english_output(tmp_path: Path) -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--lang", "en")
    assert result.code == 0
    assert "Audit results as of 2026-11-24" in result.stdout
    assert "Kết quả" not in result.stdout


def test_level_table_shows_both_regimes_and_criteria() -> None:
    result = run_cli("level", EXAMPLE, "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    cap = rows["cap-ma-dvqhns"]["level"]
    assert cap["declared"] == 2 and cap["computed"] == {"nd85": 3, "nd331": 3}
    assert any(c["id"].startswith("nd85.9.") for c in cap["criteria"]["nd85"])
    # The regimes disagree for the public lookup portal of the education department.
    study = rows["tra-cuu-hoc-tap"]["level"]["computed"]
    assert study["nd85"] != study["nd331"]
    table = run_cli("level", EXAMPLE, "--as-of", AS_OF)
    assert table.code == 0
    for system_id in rows:
        assert system_id in table.stdout


def test_gate_opens_for_a_ready_system_and_closes_with_reasons(tmp_path: Path) -> None:
    ready = run_cli("gate", EXAMPLE, "--system", "cong-dvc-tinh", "--as-of", AS_OF)
    assert ready.code == 0, ready.stdout + ready.stderr
    assert "ĐƯỢC đưa vào vận hành" in ready.stdout
    out = tmp_path / "gate.json"
    blocked = run_cli("gate", EXAMPLE, "--system", "hssk-dien-tu", "--as-of", AS_OF,
                      "--json", out, "--lang", "en")
    assert blocked.code == 1
    assert "MAY NOT go live" in blocked.stdout
    decision = json.loads(out.read_text(encoding="utf-8"))
    assert decision["may_go_live"] is False
    assert {"GL-02P", "GOV-04"} <= {b["rule_id"] for b in decision["blocking"]}
    unknown = run_cli("gate", EXAMPLE, "--system", "khong-co")
    assert unknown.code == 2 and "unknown system" in unknown.stderr


def test_rules_list_by_level_and_show() -> None:
    level1 = {r["id"] for r in json.loads(
        run_cli("rules", "list", "--level", "1", "--format", "json").stdout)}
    level5 = {r["id"] for r in json.loads(
        run_cli("rules", "list", "--level", "5", "--format", "json").stdout)}
    assert "GOV-13" in level5 and "GOV-13" not in level1  # every 6 months, level 5 only
    assert level1 < level5  # cumulative
    shown = run_cli("rules", "show", "GOV-04", "--format", "json")  # text is the default
    rule = json.loads(shown.stdout)
    assert rule["id"] == "GOV-04" and rule["title"]["vi"] and rule["references"]
    assert run_cli("rules", "show", "NOPE-1").code == 2


def test_every_digest_governance_and_golive_id_is_covered() -> None:
    rules = json.loads(run_cli("rules", "list", "--format", "json").stdout)
    covered = {r["digest_id"] or r["id"] for r in rules} | {r["id"] for r in rules}
    wanted = {f"GOV-{n:02d}" for n in range(1, 30)} | {f"GL-{n:02d}" for n in range(1, 6)}
    assert wanted <= covered, sorted(wanted - covered)
    for rule in rules:
        assert rule["title"]["vi"] != rule["title"]["en"]
        assert rule["references"], rule["id"]


def test_user_checklist_is_added_and_validated(tmp_path: Path) -> None:
    extra = tmp_path / "tinh.yaml"
    extra.write_text(
        "catalog: {id: tinh, title: {vi: Quy định tỉnh, en: Provincial rules}}\n"
        "rules:\n"
        "  - id: PROV-01\n"
        "    title: {vi: Có mục đích sử dụng, en: Purpose stated}\n"
        "    remediation: {vi: Ghi mục đích, en: State the purpose}\n"
        "    group: organisation\n"
        "    severity: low\n"
        "    references: [{document: Kế hoạch 64/KH-UBND}]\n"
        "    check: {kind: present, fact: purpose}\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    assert run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--checklist", extra, "--json", out,
                   "-q").code == 0
    data = read_results_json(out)
    statuses = {f["status"] for s in data["systems"] for f in s["findings"]
                if f["rule_id"] == "PROV-01"}
    assert statuses and statuses <= {"pass", "fail"}


def test_schema_commands_print_json_schema() -> None:
    inventory = json.loads(run_cli("schema").stdout)
    assert "organisation" in inventory["properties"]
    assert "System" in json.dumps(inventory)
    results = json.loads(run_cli("schema", "--results").stdout)
    assert "schema_version" in results["properties"]


def test_validate_reports_counts() -> None:
    result = run_cli("validate", EXAMPLE)
    assert result.code == 0
    assert result.stdout.startswith("hợp lệ: 7 tệp danh mục kiểm kê, ")
    assert "hệ thống" in result.stdout and "quy tắc" in result.stdout
    english = run_cli("validate", EXAMPLE, "--lang", "en")
    assert english.code == 0
    assert english.stdout.startswith("ok: 7 inventory file(s), ")
    assert "systems" in english.stdout and "rules" in english.stdout


def test_hostile_names_do_not_inject_terminal_markup(tmp_path: Path) -> None:
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(
        "organisation: {id: t, name: 'Tỉnh [bold red]X[/]'}\n"
        "agencies:\n"
        "  - id: a\n"
        "    name: '[link=file:///etc/passwd]Sở A[/link]'\n"
        "    systems:\n"
        "      - {id: s1, name: '<script>alert(1)</script>', system_type: internal,"
        " lifecycle: production, declared_level: 1}\n",
        encoding="utf-8",
    )
    result = run_cli("audit", inventory, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert "[link=file:///etc/passwd]Sở A[/link]" in result.stdout


def test_score_method_is_explained_in_both_languages(audit_json: Any) -> None:
    _, data, _ = audit_json
    method = data["run"]["score_method"]
    assert "critical 10" in method["en"] and "nghiêm trọng 10" in method["vi"]
    organisation = data["organisation"]["summary"]["score"]
    agencies = [a["summary"]["score"] for a in data["agencies"]]
    weights = {"critical": 10, "high": 5, "medium": 3, "low": 1, "info": 0}
    own = [f for f in data["organisation"]["findings"] if f["status"] != "not_applicable"]
    # The province's score is the weighted whole, not an average of the agencies' scores.
    assert organisation["possible"] == sum(a["possible"] for a in agencies) + sum(
        weights[f["severity"]] for f in own)
    assert organisation["earned"] == sum(a["earned"] for a in agencies) + sum(
        weights[f["severity"]] for f in own if f["status"] in ("pass", "waived"))


def _without_policy(tmp_path: Path) -> Path:
    """The example province with its organisation's `defaults.policy` removed."""
    copy = tmp_path / "province"
    shutil.copytree(EXAMPLE, copy)
    org = copy / "00-tinh-an-binh.yaml"
    document = yaml.safe_load(org.read_text(encoding="utf-8"))
    assert document["organisation"]["defaults"].pop("policy")["pre_golive_assessment"] == "required"
    org.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy


def test_gate_states_the_basis_of_the_pre_golive_assessment(tmp_path: Path) -> None:
    """Law 116 requires the condition assessment only of national-security systems; the
    province's plan (inventory policy) makes it binding for the others, and the gate says so."""
    # With the province's policy: blocked by GL-02P, citing the province's plan, not the law.
    out = tmp_path / "with.json"
    blocked = run_cli("gate", EXAMPLE, "--system", "hssk-dien-tu", "--as-of", AS_OF,
                      "--json", out, "--lang", "en")
    assert blocked.code == 1
    assert "GL-02P" in blocked.stdout
    assert "Legal basis: Chính sách của tỉnh" in blocked.stdout
    decision = json.loads(out.read_text(encoding="utf-8"))
    by_rule = {b["rule_id"]: b for b in decision["blocking"]}
    assert "GL-02" not in by_rule
    assert by_rule["GL-02P"]["basis"].startswith("Chính sách của tỉnh")
    assert "GL-02" in {n["rule_id"] for n in decision["not_required"]}
    # Without it: the law does not require it of this system, and the gate says why.
    out = tmp_path / "without.json"
    lax = run_cli("gate", _without_policy(tmp_path), "--system", "hssk-dien-tu", "--as-of",
                  AS_OF, "--json", out, "--lang", "en")
    assert lax.code == 1  # still blocked, by its unapproved level (GOV-04)
    decision = json.loads(out.read_text(encoding="utf-8"))
    assert not {"GL-02", "GL-02P"} & {b["rule_id"] for b in decision["blocking"]}
    reasons = {n["rule_id"]: n["reason"]["en"] for n in decision["not_required"]}
    assert "Not required by law" in reasons["GL-02"]
    assert "Not required by the province's policy" in reasons["GL-02P"]
    assert "Not required of this system:" in lax.stdout


def test_findings_resting_on_unverified_sources_are_marked_and_counted(tmp_path: Path) -> None:
    """Rules of confidence U (e.g. those resting only on a TCVN 14423:2026 edition no public
    record confirms) are named and counted in the JSON, the terminal and the HTML report."""
    results, page = tmp_path / "r.json", tmp_path / "r.html"
    done = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--no-history", "--json", results,
                   "--output", page, "--lang", "en")
    assert done.code == 0, done.stderr
    unverified = json.loads(results.read_text(encoding="utf-8"))["extra"]["unverified_sources"]
    assert unverified["open"] >= 1 and unverified["findings"] >= unverified["open"]
    assert set(unverified["rules"]) <= {"ASM-02", "ASM-03", "GL-03A", "TD-09A", "TD-15A", "IP6-07"}
    assert "Findings resting on unverified sources" in done.stdout
    html = page.read_text(encoding="utf-8")
    assert html.count('<span class="uv" title=') == unverified["open"]
