"""`auditor audit` records every run; `auditor history list|show|diff` read them back, through
the real CLI and a real SQLite store. The expected differences are computed here from the two
runs' own JSON results, independently of the store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, read_results_json, run_cli

OPEN = {"fail", "error"}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("history")
    db = base / "h.sqlite"
    first = run_cli("audit", EXAMPLE, "--as-of", "2025-11-24", "--db", db, "--json",
                    base / "r1.json", "-q")
    assert first.code == 0, first.stderr
    # A year later: one agency fixed its certificate-warning policy and a system was
    # re-declared one level higher.
    inventory = base / "inventory"
    shutil.copytree(EXAMPLE, inventory)
    agency = inventory / "so-khoa-hoc-cong-nghe.yaml"
    text = agency.read_text(encoding="utf-8")
    assert "expiry_warning_days: 14" in text
    text = text.replace("expiry_warning_days: 14", "expiry_warning_days: 60")
    head, sep, rest = text.partition("    - id: lgsp-tinh\n")
    assert sep and "      declared_level: 3\n" in rest
    rest = rest.replace("      declared_level: 3\n", "      declared_level: 4\n", 1)
    agency.write_text(head + sep + rest, encoding="utf-8")
    second = run_cli("audit", inventory, "--as-of", "2026-11-24", "--db", db, "--json",
                     base / "r2.json", "-q")
    assert second.code == 0, second.stderr
    return {
        "db": db,
        "r1": read_results_json(base / "r1.json"),
        "r2": read_results_json(base / "r2.json"),
        "inventory": inventory,
    }


def _cli_json(*args: Any) -> Any:
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def _open_ids(results: dict[str, Any]) -> set[str]:
    findings = [f for s in results["systems"] for f in s["findings"]]
    findings += [f for a in results["agencies"] for f in a["findings"]]
    findings += results["organisation"]["findings"]
    return {f["id"] for f in findings if f["status"] in OPEN}


def test_list_shows_both_runs_newest_first_with_their_counts(two_runs: dict[str, Any]) -> None:
    runs = _cli_json("history", "list", "--db", two_runs["db"], "--json")
    assert [r["as_of"] for r in runs] == ["2026-11-24", "2025-11-24"]
    newest = runs[0]
    assert newest["systems"] == len(two_runs["r2"]["systems"])
    counts = two_runs["r2"]["summary"]["counts"]
    assert newest["counts"]["fail"] == counts["failed"]
    assert newest["counts"]["manual"] == counts["manual"]
    assert newest["score"] == two_runs["r2"]["summary"]["score"]["value"]


def test_show_returns_every_system_and_finding(two_runs: dict[str, Any]) -> None:
    runs = _cli_json("history", "list", "--db", two_runs["db"], "--json")
    oldest = runs[-1]["id"]
    shown = _cli_json("history", "show", str(oldest), "--db", two_runs["db"], "--json")
    r1 = two_runs["r1"]
    assert {s["system_id"] for s in shown["systems"]} == {s["id"] for s in r1["systems"]}
    total = (sum(len(s["findings"]) for s in r1["systems"])
             + sum(len(a["findings"]) for a in r1["agencies"])
             + len(r1["organisation"]["findings"]))
    assert len(shown["findings"]) == total
    levels = {s["system_id"]: s["effective"] for s in shown["systems"]}
    assert levels == {s["id"]: s["level"]["effective"] for s in r1["systems"]}


def test_diff_matches_the_two_results(two_runs: dict[str, Any]) -> None:
    diff = _cli_json("history", "diff", "--db", two_runs["db"], "--json")
    before, after = _open_ids(two_runs["r1"]), _open_ids(two_runs["r2"])
    assert {f["finding_id"] for f in diff["new"]} == after - before
    assert {f["finding_id"] for f in diff["resolved"]} == before - after
    assert {f["finding_id"] for f in diff["persisting"]} == before & after
    assert diff["summary"]["new"] == len(after - before)
    # The fixed policy: CERT-POL-01 resolved for every system of that agency.
    resolved_rules = {f["rule_id"] for f in diff["resolved"]}
    assert "CERT-POL-01" in resolved_rules
    assert diff["before"]["as_of"] == "2025-11-24" and diff["after"]["as_of"] == "2026-11-24"
    changed = {c["system_id"]: c for c in diff["level_changes"]}
    assert changed["lgsp-tinh"]["before"]["declared"] == 3
    assert changed["lgsp-tinh"]["after"]["declared"] == 4


def test_diff_in_the_terminal_names_the_changes(two_runs: dict[str, Any]) -> None:
    result = run_cli("history", "diff", "--db", two_runs["db"], "--lang", "en")
    assert result.code == 0, result.stderr
    assert "Resolved" in result.stdout and "CERT-POL-01" in result.stdout


def test_no_history_records_nothing(two_runs: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    result = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--db", db, "--no-history",
                     "-q")
    assert result.code == 0, result.stderr
    assert not db.exists()


def test_unknown_run_and_unusable_store_are_clear_errors(two_runs: dict[str, Any],
                                                         tmp_path: Path) -> None:
    missing = run_cli("history", "show", "999", "--db", two_runs["db"])
    assert missing.code == 2 and "999" in missing.stderr and "Traceback" not in missing.stderr
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database\n" * 100, encoding="utf-8")
    broken = run_cli("history", "list", "--db", junk)
    assert broken.code == 2 and "Traceback" not in broken.stderr
    assert str(junk) in broken.stderr or "database" in broken.stderr
