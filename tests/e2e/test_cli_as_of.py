"""`--as-of` is a point in time, end to end: an audit dated before an assessment or an approval
does not pass on it and says why; evidence dated after today is warned about at validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import EXAMPLE, CliResult, read_results_json

from auditor.loading.inventory import load_inventory

KEY = "four_layer.layer3.last_assessment"


def _audit(cli: Callable[..., CliResult], as_of: dt.date, out: Path) -> dict[str, Any]:
    result = cli("audit", EXAMPLE, "--as-of", as_of.isoformat(), "--json", out, "--lang", "en",
                 "--no-history", "--quiet")
    assert result.code == 0, result.stderr
    data: dict[str, Any] = read_results_json(out)
    return data


def _reading(data: dict[str, Any], system_id: str, key: str) -> list[dict[str, Any]]:
    system = next(s for s in data["systems"] if s["id"] == system_id)
    return [f for f in system["findings"] if any(e["fact"] == key for e in f["evidence"])]


def test_an_assessment_dated_after_the_audit_date_is_not_evidence_yet(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # The system of the example whose last independent assessment is the most recent.
    systems = load_inventory([EXAMPLE]).inventory.systems()
    dated = [(s.four_layer.layer3.last_assessment, s.id) for _, s in systems
             if s.four_layer.layer3 is not None and s.four_layer.layer3.last_assessment]
    assessed, system_id = max(dated)
    on_the_day = _reading(_audit(cli, assessed, tmp_path / "on.json"), system_id, KEY)
    day_before = assessed - dt.timedelta(days=1)
    before = _reading(_audit(cli, day_before, tmp_path / "before.json"), system_id, KEY)
    assert on_the_day and {f["rule_id"] for f in before} == {f["rule_id"] for f in on_the_day}
    assert all(f["status"] == "pass" for f in on_the_day), [f["message"] for f in on_the_day]
    why = (f"'{KEY}' dated {assessed.isoformat()}, after the audit date {day_before.isoformat()}: "
           "not evidence yet")
    for finding in before:
        assert finding["status"] != "pass"
        assert why in finding["message"]["en"], finding["message"]


def test_an_approval_dated_after_the_audit_date_is_not_an_approval_yet(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    systems = load_inventory([EXAMPLE]).inventory.systems()
    decided = [(s.dossier.decision.date, s.id, s.dossier.decision.number) for _, s in systems
               if s.dossier is not None and s.dossier.decision is not None
               and s.dossier.status == "approved"]
    date, system_id, number = max(decided)
    day_before = date - dt.timedelta(days=1)
    data = _audit(cli, day_before, tmp_path / "before.json")
    gov04 = next(f for f in _reading(data, system_id, "dossier.decision")
                 if f["rule_id"] == "GOV-04")
    assert gov04["status"] == "fail"
    assert (f"'dossier.decision' ({number}) dated {date.isoformat()}, after the audit date "
            f"{day_before.isoformat()}: not evidence yet") in gov04["message"]["en"]
    assert (f"'dossier.decision' ({number}) ngày {date:%d/%m/%Y}, sau ngày đánh giá "
            f"{day_before:%d/%m/%Y}") in gov04["message"]["vi"]
    system = next(s for s in data["systems"] if s["id"] == system_id)
    assert system["level"]["approved"] is None  # not approved on that day
    later = _audit(cli, date, tmp_path / "on.json")
    system = next(s for s in later["systems"] if s["id"] == system_id)
    assert system["level"]["approved"] is not None


def test_validate_and_audit_warn_of_a_decision_dated_after_today(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    far = dt.date.today().replace(year=dt.date.today().year + 36)
    inventory = tmp_path / "tinh.yaml"
    inventory.write_text(
        "organisation: {id: tinh, name: Tỉnh}\n"
        "agencies:\n"
        "  - id: so\n"
        "    name: Sở\n"
        "    security_unit: {name: Phòng CNTT, decision: {number: 1/QĐ, date: "
        f"{far.isoformat()}}}}}\n",
        encoding="utf-8",
    )
    expected = (f"{inventory}:5: field 'agencies[0].security_unit.decision.date': dated "
                f"{far.isoformat()}, after today")
    vietnamese = (f"{inventory}:5: trường 'agencies[0].security_unit.decision.date': đề ngày "
                  f"{far:%d/%m/%Y}, sau ngày hôm nay")
    validated = cli("validate", inventory)
    assert validated.code == 0, validated.stderr
    assert f"auditor: cảnh báo: {vietnamese}" in validated.stderr
    validated = cli("validate", inventory, "--lang", "en")
    assert validated.code == 0, validated.stderr
    assert f"auditor: warning: {expected}" in validated.stderr
    audited = cli("audit", inventory, "--no-history", "--quiet", "--lang", "en")
    assert f"auditor: warning: {expected}" in audited.stderr
    audited = cli("audit", inventory, "--no-history", "--quiet")
    assert f"auditor: cảnh báo: {vietnamese}" in audited.stderr
