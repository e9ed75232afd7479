"""Unknown is not no, through the CLI: level bounds, and no pass that rests on silence.

The corpus below is a province whose agencies answered the classification questions only in
part, as real inventories do. Every system leaves a fact undeclared that could raise its level
or change a rule's applicability; the audit must say so (`manual`, naming the fact), never pass
on the missing answer, and never compute a low level from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, EXAMPLE, CliResult, read_results_json, run_cli

ORGANISATION = """\
organisation:
  id: tinh-thieu
  name: Ủy ban nhân dân tỉnh Thiếu Tin
"""

# Each system: what it declares, and what the audit must make of it.
AGENCY = """\
agency:
  id: so-thieu
  name: Sở Thiếu Tin
  security_unit: {name: Phòng An toàn thông tin, decision: {number: 1/QĐ-STT, date: 2024-01-10}}
  systems:
    - id: cong-khong-khai
      name: Cổng dịch vụ trực tuyến chưa khai báo gì
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: citizen_facing
      lifecycle: production
      declared_level: 1
    - id: scada-chua-ro-cap
      name: SCADA trạm bơm, chưa khai báo cấp công trình
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: industrial_control
      lifecycle: production
      classification: {info_types: [private], serves_defence_security: false}
      declared_level: 3
    - id: mat-chua-ro-muc
      name: Hệ thống xử lý tài liệu mật, chưa khai báo mức tổn hại
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: internal
      lifecycle: production
      classification: {info_types: [private, state_secret]}
      declared_level: 3
    - id: ha-tang-chua-ro-pham-vi
      name: Hạ tầng dùng chung, chưa khai báo phạm vi
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: infrastructure
      lifecycle: production
      classification: {info_types: [private], serves_defence_security: false}
      declared_level: 2
    - id: noi-bo-chua-ro-thong-tin
      name: Hệ thống nội bộ, chưa khai báo loại thông tin
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: internal
      lifecycle: production
      classification: {state_secret_harm: none}
      declared_level: 1
    - id: dvc-chi-khai-nguoi-dung
      name: Dịch vụ trực tuyến chỉ khai báo số người sử dụng
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: citizen_facing
      lifecycle: production
      investment_start: 2026-09-01
      classification:
        info_types: [personal]
        serves_defence_security: false
        online_service: true
        conditional_business_line: false
        admin_procedures: false
        users: 50000
      declared_level: 2
    - id: du-lieu-du
      name: Hệ thống khai báo đủ
      owner: Ủy ban nhân dân tỉnh Thiếu Tin
      system_type: internal
      lifecycle: production
      classification: {info_types: [public, private], serves_defence_security: false}
      declared_level: 2
"""

# system -> (governing level proven, upper bound, facts GOV-02 must name), under its regime
EXPECTED: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "cong-khong-khai": (2, 5, ("conditional_business_line", "state_secret_harm")),
    "scada-chua-ro-cap": (3, 5, ("ics_works_grade",)),
    "mat-chua-ro-muc": (3, 5, ("state_secret_harm",)),
    "ha-tang-chua-ro-pham-vi": (2, 5, ("infra_scope",)),
    "noi-bo-chua-ro-thong-tin": (1, 2, ("info_types",)),
    "dvc-chi-khai-nguoi-dung": (2, 3, ("basic_pd_subjects", "sensitive_pd_subjects")),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incomplete")
    (root / "00-tinh.yaml").write_text(ORGANISATION, encoding="utf-8")
    (root / "so-thieu.yaml").write_text(AGENCY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def results(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:


    out = tmp_path_factory.mktemp("out") / "results.json"
    done = run_cli("audit", corpus, "--as-of", AS_OF.isoformat(), "--json", out, "--no-history",
                   "--quiet")
    assert done.code in (0, 1), done.stderr
    data: dict[str, Any] = read_results_json(out)
    return data


def _systems(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in results["systems"]}


def _finding(system: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found = [f for f in system["findings"] if f["rule_id"] == rule_id]
    assert len(found) == 1, (system["id"], rule_id, found)
    return found[0]


@pytest.mark.parametrize("system_id", sorted(EXPECTED))
def test_undeclared_facts_give_bounds_and_a_manual_gov_02(
    results: dict[str, Any], system_id: str
) -> None:
    system = _systems(results)[system_id]
    level = system["level"]
    regime = level["governing_regime"]
    low, high, named = EXPECTED[system_id]
    assert (level["computed"][regime], level["upper"][regime]) == (low, high)
    gov02 = _finding(system, "GOV-02")
    facts = {name for c in level["undecided"][regime] for name in c["unknown"]}
    assert set(named) <= facts
    if level["declared"] < low:
        assert gov02["status"] == "fail"  # proven above the declared level
    else:
        assert gov02["status"] == "manual"
        for name in named:
            assert name in gov02["message"]["en"]


def test_a_fully_declared_system_still_passes(results: dict[str, Any]) -> None:
    system = _systems(results)["du-lieu-du"]
    assert system["level"]["upper"] == system["level"]["computed"]
    assert _finding(system, "GOV-02")["status"] == "pass"


def test_no_classification_pass_rests_on_an_undeclared_fact(results: dict[str, Any]) -> None:
    # Every finding that passed on a level fact: its system's level is proven up to the level
    # the rule relied on. GOV-02 is the rule that reads the computed level.
    for system in results["systems"]:
        level = system["level"]
        regime = level["governing_regime"]
        open_ = level["upper"][regime] > max(level["declared"] or 0, level["computed"][regime])
        for finding in system["findings"]:
            if finding["rule_id"] == "GOV-02" and finding["status"] == "pass":
                assert not open_, system["id"]


def test_citizen_portal_with_nothing_declared_is_not_level_1(results: dict[str, Any]) -> None:
    level = _systems(results)["cong-khong-khai"]["level"]
    assert level["computed"] == {"nd85": 2, "nd331": 2}
    assert [c["id"] for c in level["criteria"]["nd331"]] == ["nd331.9.2.b"]
    # declared 1 is below what the type proves: a failure, not a question
    assert _finding(_systems(results)["cong-khong-khai"], "GOV-02")["status"] == "fail"


def test_gate_stays_closed_while_the_level_is_open(
    corpus: Path, cli: Callable[..., CliResult]
) -> None:
    done = cli("gate", corpus, "--system", "scada-chua-ro-cap", "--as-of", AS_OF.isoformat(),
               "--lang", "en")
    assert done.code == 1, done.stdout + done.stderr
    assert "GOV-02" in done.stdout


def test_level_table_shows_the_range_and_what_to_declare(
    corpus: Path, cli: Callable[..., CliResult]
) -> None:
    done = cli("level", corpus, "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert done.code == 0, done.stderr
    # the criteria that decide the level are in the cell (rich must not read "[…]" as markup)
    # (as their place in the decree the column names, not as ids)
    assert "[Art. 6.2.d]" in done.stdout and "3–5" in done.stdout
    assert (
        "scada-chua-ro-cap — Decree 85: level 3; possibly up to 5 depending on ics_works_grade "
        "(Decree 85 Art. 10.4, Decree 85 Art. 11.4)"
    ) in done.stdout
    assert "du-lieu-du — " not in done.stdout  # proven: nothing to declare


def test_level_json_on_the_example_names_the_deliberate_gap(
    cli: Callable[..., CliResult],
) -> None:
    done = cli("level", EXAMPLE, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert done.code == 0, done.stderr
    levels = {entry["id"]: entry["level"] for entry in json.loads(done.stdout)}
    commune = levels["trang-ttdt-xa"]
    assert (commune["computed"]["nd85"], commune["upper"]["nd85"]) == (2, 3)
    assert {(c["id"], tuple(c["unknown"])) for c in commune["undecided"]["nd85"]} == {
        ("nd85.9.2.b", ("conditional_business_line",))
    }
    decisive = [c["id"] for c in commune["criteria"]["nd85"] if c["decisive"]]
    assert decisive == ["nd85.8.2.a"]
    proven = [s for s, lv in levels.items() if lv["upper"] == lv["computed"]]
    assert len(proven) == len(levels) - 2  # the commune website and hoc-ba-so's ND85 facts
