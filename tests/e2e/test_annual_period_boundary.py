"""The statutory data period of the annual report includes its first day (15/12 of the year
before) and its last (14/12), and nothing before or after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, run_cli

INVENTORY = REPO / "tests" / "data" / "bad" / "_valid" / "inventory.yaml"


@pytest.mark.parametrize(("as_of", "counted"), [
    ("2025-12-14", False), ("2025-12-15", True), ("2026-12-14", True), ("2026-12-15", False),
])
def test_a_run_counts_for_the_year_exactly_within_15_12_to_14_12(
    tmp_path: Path, as_of: str, counted: bool
) -> None:
    db = tmp_path / "history.sqlite"
    recorded = run_cli("audit", INVENTORY, "--as-of", as_of, "--db", db, "-q")
    assert recorded.code == 0, recorded.stderr
    out = tmp_path / "figures.json"
    report = run_cli("report", "annual", "--year", "2026", "--db", db, "--json", out, "-q")
    if counted:
        assert report.code == 0, report.stderr
        figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
        assert figures["period"]["since"] == "2025-12-15", figures["period"]
        assert figures["period"]["until"] == "2026-12-14", figures["period"]
        assert len(figures["systems"]) == 1
    else:
        assert report.code == 2, report.stderr
        assert "không có lần đánh giá nào được ghi" in report.stderr, report.stderr
