"""End to end: every attestation is accounted for (validate warns, JSON keeps, HTML lists).

The inventory is the example province copied, with attestations added to one system: one no
rule reads (GOV-03 is judged from the dossier), one for a rule that does not exist, and a
lapsed one beside declared data (GOV-09, with a major change recorded before the level's
approval: the data passes the rule, the only attestation has lapsed — the finding says which
won).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, CliResult, read_results_json, run_cli

AS_OF = "2026-11-24"
SYSTEM = "cong-dvc-tinh"
EXTRA = """\
        # added by the test: not read by GOV-03, an unknown rule, a lapsed GOV-09 review
        - {rule: GOV-03, document: {number: 901/BC-TEST, date: 2026-10-01}, attested_by: Test}
        - {rule: GOV-99, document: {number: 902/BC-TEST, date: 2026-10-01}, attested_by: Test}
        - {rule: GOV-09, document: {number: 903/BC-TEST, date: 2025-10-10}, attested_by: Test}
"""


def _system_file() -> Path:
    for path in sorted(EXAMPLE.glob("*.yaml")):
        if re.search(rf"^\s+- id: {SYSTEM}$", path.read_text(encoding="utf-8"), re.M):
            return path
    raise AssertionError(f"{SYSTEM} not found in the example")


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    """The example with EXTRA appended to the system's attestations; their line numbers."""
    folder = tmp_path_factory.mktemp("accounting") / "province"
    shutil.copytree(EXAMPLE, folder)
    path = folder / _system_file().name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {SYSTEM}")
    indent = len(lines[start]) - len(lines[start].lstrip()) + 2
    at = next(i for i in range(start + 1, len(lines))
              if lines[i].startswith(" " * indent + "attestations:"))
    end = at + 1
    while end < len(lines) and (lines[end].startswith(" " * (indent + 1))
                                or not lines[end].strip()):
        end += 1
    lines[end:end] = [EXTRA.replace(" " * 8, " " * (indent + 2))]
    lines[start + 1:start + 1] = [" " * indent + "last_major_change: 2025-10-01\n"]
    path.write_text("".join(lines), encoding="utf-8")
    numbered = path.read_text(encoding="utf-8").splitlines()
    where = {rule: next(n + 1 for n, text in enumerate(numbered) if f"rule: {rule}, document:"
                        f" {{number: 90" in text) for rule in ("GOV-03", "GOV-99", "GOV-09")}
    return folder, path, where


def test_validate_warns_about_each_unused_attestation_with_file_and_line(
    inventory: tuple[Path, Path, dict[str, int]],
) -> None:
    folder, path, where = inventory
    result = run_cli("validate", folder, "--as-of", AS_OF, "--lang", "en")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    warnings = [w for w in result.stderr.splitlines() if w.startswith("auditor: warning: ")]
    assert (f"auditor: warning: {path}:{where['GOV-03']}: attestation for GOV-03 is not used: "
            "GOV-03 is judged from lifecycle and the builtin check 'dossier_complete'") in warnings
    assert (f"auditor: warning: {path}:{where['GOV-99']}: attestation for GOV-99 is not used: "
            "there is no rule GOV-99 in the checklists") in warnings
    # The lapsed GOV-09 attestation is read by GOV-09: no warning for it.
    assert not any(f":{where['GOV-09']}:" in w for w in warnings)
    assert len(warnings) == 2, result.stderr


def test_the_unused_attestation_warnings_are_in_vietnamese_by_default(
    inventory: tuple[Path, Path, dict[str, int]],
) -> None:
    folder, path, where = inventory
    result = run_cli("validate", folder, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("hợp lệ: ")
    warnings = [w for w in result.stderr.splitlines() if w.startswith("auditor: cảnh báo: ")]
    assert (f"auditor: cảnh báo: {path}:{where['GOV-03']}: xác nhận cho GOV-03 không được sử "
            "dụng: GOV-03 được đánh giá từ lifecycle và kiểm tra dựng sẵn 'dossier_complete'"
            ) in warnings
    assert (f"auditor: cảnh báo: {path}:{where['GOV-99']}: xác nhận cho GOV-99 không được sử "
            "dụng: không có quy tắc GOV-99 trong bộ tiêu chí") in warnings
    assert len(warnings) == 2, result.stderr


def test_the_example_province_has_no_unused_attestation(cli: Any) -> None:
    result: CliResult = cli("validate", EXAMPLE, "--as-of", AS_OF)
    assert result.code == 0
    assert result.stderr == ""


@pytest.fixture(scope="module")
def audited(
    inventory: tuple[Path, Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[CliResult, dict[str, Any], str]:
    folder, _, _ = inventory
    out = tmp_path_factory.mktemp("accounting-out")
    result = run_cli("audit", folder, "--as-of", AS_OF, "--json", out / "r.json",
                     "--output", out / "r.html", "--lang", "en", "--no-history", "--quiet")
    data = read_results_json(out / "r.json")
    return result, data, (out / "r.html").read_text(encoding="utf-8")


def _records(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    system = next(s for s in data["systems"] if s["id"] == SYSTEM)
    return {r["document"]["number"]: r for r in system["attestations"]}


def test_audit_warns_too_and_the_json_keeps_every_attestation_with_its_status(
    inventory: tuple[Path, Path, dict[str, int]], audited: tuple[CliResult, dict[str, Any], str]
) -> None:
    _, path, where = inventory
    result, data, _ = audited
    assert f"{path}:{where['GOV-99']}: attestation for GOV-99 is not used" in result.stderr
    records = _records(data)
    declared = path.read_text(encoding="utf-8").splitlines()
    system = next(s for s in data["systems"] if s["id"] == SYSTEM)
    assert len(system["attestations"]) >= 3
    for record in system["attestations"]:  # each cites its own line of the inventory
        assert record["origin"]["file"] == str(path)
        assert f"rule: {record['rule']}" in declared[record["origin"]["line"] - 1]
        assert record["status"] in {"valid", "lapsed", "not_yet_effective", "unused"}
    assert records["901/BC-TEST"]["status"] == "unused"
    assert records["901/BC-TEST"]["reason"]["en"].startswith("GOV-03 is judged from ")
    assert records["902/BC-TEST"]["status"] == "unused"
    lapsed = records["903/BC-TEST"]
    assert lapsed["status"] == "lapsed" and lapsed["valid_until"] == "2026-10-10"
    assert lapsed["used_by"] == [f"GOV-09:{SYSTEM}"]
    # Data and the only attestation disagree: the finding says which won.
    gov09 = next(f for f in system["findings"] if f["rule_id"] == "GOV-09")
    assert gov09["status"] == "pass"
    assert gov09["message"]["en"].startswith("Passed on the declared data: ")
    assert "Attestation 903/BC-TEST lapsed on 2026-10-10" in gov09["message"]["en"]
    # Every body keeps its own: the province's GOV-17 report is read by its own GOV-17.
    (org_report,) = data["organisation"]["attestations"]
    assert org_report["used_by"] == [f"GOV-17:{data['organisation']['id']}"]
    assert all("attestations" in a for a in data["agencies"])


def test_the_html_lists_every_attestation_lapsed_ones_marked(
    audited: tuple[CliResult, dict[str, Any], str],
) -> None:
    _, data, html = audited
    section = html[html.index(f'id="s-{SYSTEM}"'):]
    section = section[:section.index("</section>")]
    rows = re.findall(r'<tr class="att-([a-z_]+)( exp)?">(.*?)</tr>', section)
    shown = {re.search(r"(\d+/BC-TEST)", r[2]).group(1): r for r in rows  # type: ignore[union-attr]
             if "BC-TEST" in r[2]}
    assert shown["903/BC-TEST"][:2] == ("lapsed", " exp") and "<b>(lapsed)</b>" in shown[
        "903/BC-TEST"][2]
    assert shown["901/BC-TEST"][:2] == ("unused", "") and "GOV-03 is judged from" in shown[
        "901/BC-TEST"][2]
    assert shown["902/BC-TEST"][0] == "unused" and 'href="#r-GOV-99"' not in shown[
        "902/BC-TEST"][2]
    system = next(s for s in data["systems"] if s["id"] == SYSTEM)
    assert len(rows) == len(system["attestations"])  # all of them, used or not
    org = html[html.index('id="org"'):]
    assert "402/BC-UBND" in org[:org.index("</section>")]


def test_fl01_cites_the_agency_designation_it_used(
    audited: tuple[CliResult, dict[str, Any], str],
) -> None:
    _, data, _ = audited
    cited = []
    for system in data["systems"]:
        finding = next(f for f in system["findings"] if f["rule_id"] == "FL-01")
        facts = [e["fact"] for e in finding["evidence"]]
        if finding["status"] == "pass" and "agency.security_unit.decision" in facts:
            cited.append(system["id"])
            assert "four_layer.layer1.decision" not in facts  # not the missing one
            (evidence,) = [e for e in finding["evidence"]
                           if e["fact"] == "agency.security_unit.decision"]
            line = Path(evidence["origin"]["file"]).read_text(encoding="utf-8").splitlines()[
                evidence["origin"]["line"] - 1]
            assert "decision" in line
    assert cited, "no system passed FL-01 on its agency's designation"
