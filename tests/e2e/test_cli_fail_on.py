"""`audit --fail-on SEVERITY`: exit 1 exactly when a failed or errored, non-advisory finding is
at or above SEVERITY; both sides of the threshold, the equal-severity boundary, and manual and
advisory findings that never trip it (whatever their severity)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, read_results_json, run_cli

INVENTORY = REPO / "tests" / "data" / "bad" / "_valid" / "inventory.yaml"
CHECKLIST = REPO / "tests" / "data" / "fail_on_checklist.yaml"
AS_OF = "2026-11-24"


def _audit(tmp_path: Path, *extra: str | Path) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "results.json"
    result = run_cli("audit", INVENTORY, "--as-of", AS_OF, "--no-history", "-q", "--json", out,
                     *extra)
    assert result.code in (0, 1), result.stderr
    return result.code, read_results_json(out)


def test_the_scaffold_worst_open_finding_is_high(tmp_path: Path) -> None:
    """The premise of the tests below: high failures, no critical one."""
    code, data = _audit(tmp_path)
    assert code == 0
    counts = data["summary"]["by_severity"]
    assert counts["critical"] == 0 and counts["high"] > 0 and counts["low"] > 0


@pytest.mark.parametrize(("threshold", "code"),
                         [("critical", 0), ("high", 1), ("medium", 1), ("low", 1), ("info", 1)])
def test_fail_on_exits_1_at_or_above_the_threshold_and_0_below(
    tmp_path: Path, threshold: str, code: int
) -> None:
    assert _audit(tmp_path, "--fail-on", threshold)[0] == code


def test_manual_and_advisory_findings_never_trip_fail_on(tmp_path: Path) -> None:
    code, data = _audit(tmp_path, "--checklist", CHECKLIST, "--fail-on", "critical")
    found = {
        f["rule_id"]: f for s in data["systems"] for f in s["findings"]
        if f["rule_id"].startswith("ZZFAILON-")
    }
    # Both critical, one failed (advisory), one manual: neither may trip --fail-on critical.
    assert (found["ZZFAILON-ADVISORY"]["status"], found["ZZFAILON-ADVISORY"]["severity"],
            found["ZZFAILON-ADVISORY"]["obligation"]) == ("fail", "critical", "advisory")
    assert (found["ZZFAILON-MANUAL"]["status"], found["ZZFAILON-MANUAL"]["severity"]) == (
        "manual", "critical")
    assert data["summary"]["by_severity"]["critical"] == 0
    assert code == 0
