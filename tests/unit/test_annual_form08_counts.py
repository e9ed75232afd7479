"""The Form 08 counts at their boundaries, on hand-made register rows (no store, no CLI):
which systems the form counts, the periodic-inspection status on the cut-off day, and the
one expected-completion date."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.model.results import DocumentNote, Inspection, SystemRegister
from auditor.report.annual.figures import SystemLine, statutory_period
from auditor.report.annual.form08_counts import headline, in_scope, periodic_status

PERIOD = statutory_period(2026)  # 15/12/2025 - 14/12/2026
CYCLES = {("nd85", 3): (365, "GOV-12"), ("nd331", 3): (183, "ASM-02")}


def _register(**changes: object) -> SystemRegister:
    values: dict[str, object] = {
        "owner": None, "operator": None, "proposed_level": 3, "dossier_status": None,
        "decision": None, "expected_approval": None, "security_regulation": None,
        "plan_deployment": None, "full_deployment_expected": None, "pre_operation": None,
        "periodic": None,
    }  # fmt: skip
    values.update(changes)
    return SystemRegister(**values)  # type: ignore[arg-type]


def _line(system_id: str, register: SystemRegister | None, periodic: str = "undeclared",
          system_type: str = "internal") -> SystemLine:
    return SystemLine(
        agency_id="so-a", system_id=system_id, name=system_id, lifecycle="production",
        system_type=system_type, effective_level=3, declared_level=3, computed_level=1,
        governing_regime="nd85", register=register, audited_on=PERIOD.until, run_id=1,
        live=False, score=None, points=(0, 0), open_by_severity={}, kpis={},
        expired_certificates=0, periodic=periodic,
    )  # fmt: skip


@pytest.mark.parametrize(("inspected", "status"), [
    (dt.date(2025, 12, 14), "on_cycle"),  # exactly 365 days old on 14/12/2026
    (dt.date(2025, 12, 13), "late"),  # 366 days
    (dt.date(2026, 12, 14), "on_cycle"),  # on the cut-off day itself
])  # fmt: skip
def test_periodic_inspection_on_the_cycle_boundary(inspected: dt.date, status: str) -> None:
    register = _register(periodic=Inspection(inspected, "pass"))
    assert periodic_status(register, "nd85", 3, PERIOD, CYCLES)[0] == status


def test_periodic_inspection_unknowns_are_kept_apart() -> None:
    inspected = _register(periodic=Inspection(dt.date(2026, 6, 1), "pass"))
    assert periodic_status(inspected, "nd85", 1, PERIOD, CYCLES) == ("no_cycle", None)
    assert periodic_status(_register(), "nd85", 3, PERIOD, CYCLES) == ("undeclared", None)
    # six-monthly under Decree 331 at level 3: 183 days on the cut-off day, then late
    six = _register(periodic=Inspection(dt.date(2026, 6, 14), "pass"))
    assert periodic_status(six, "nd331", 3, PERIOD, CYCLES) == (
        "on_cycle", dt.date(2026, 12, 14)
    )
    older = _register(periodic=Inspection(dt.date(2026, 6, 13), "pass"))
    assert periodic_status(older, "nd331", 3, PERIOD, CYCLES)[0] == "late"


@pytest.mark.parametrize(("retired", "counted"), [
    (dt.date(2025, 12, 14), False),  # the day before the period
    (dt.date(2025, 12, 15), True),  # the period's first day
    (None, False),  # retired, no date: left out (and shown apart)
])  # fmt: skip
def test_a_retired_system_counts_only_when_it_ran_during_the_period(
    retired: dt.date | None, counted: bool
) -> None:
    assert in_scope("retired", _register(retired=retired), PERIOD) is counted
    assert in_scope("production", _register(retired=retired), PERIOD) is True


def test_dossier_counts_are_cumulative_and_the_expected_date_is_one_date() -> None:
    decision = DocumentNote("1/QĐ", dt.date(2025, 6, 1))
    lines = [
        _line("a", _register(dossier_status="approved", decision=decision), "on_cycle"),
        _line("b", _register(dossier_status="approved", decision=decision), "late"),
        _line("c", _register(dossier_status="appraised", expected_approval=dt.date(2027, 3, 1))),
        _line("d", _register(dossier_status="submitted", expected_approval=dt.date(2027, 5, 1))),
        _line("e", _register(dossier_status="draft", expected_approval=dt.date(2027, 1, 1))),
    ]
    h = headline(lines, [])
    assert (h.systems, h.built, h.appraised, h.approved) == (5, 4, 3, 2)
    assert h.dossier == {"draft": 1, "submitted": 1, "appraised": 1, "approved": 2}
    assert h.periodic == {"on_cycle": 1, "late": 1, "undeclared": 0, "no_cycle": 0}
    assert (h.expected_completion, h.expected_missing) == (dt.date(2027, 5, 1), 0)
    # one system not approved without a date: the date is no longer known for all
    h = headline([*lines, _line("f", _register(dossier_status="draft"))], [])
    assert (h.expected_completion, h.expected_missing) == (dt.date(2027, 5, 1), 1)
    # the type, not a proposed level, makes a system classified
    h = headline([_line("g", _register(proposed_level=None))], [])
    assert (h.classified, h.type_unknown) == (1, 0)
    assert headline([_line("h", None, system_type="")], []).type_unknown == 1


def test_a_period_says_which_decree_governed_which_part_and_speaks_its_words() -> None:
    from auditor.report.annual.figures import custom_period
    from auditor.report.annual.form08 import governs_nd331, regime_note
    from auditor.report.annual.kpis import KPI_BY_ID
    from auditor.report.annual.words import words

    w = words("vi")
    # 2026: 15/12/2025-14/12/2026 straddles Decree 331's entry into force (19/08/2026, Art. 38)
    note = regime_note(PERIOD, "vi", w)
    assert "từ 15/12/2025 đến 18/08/2026 theo Nghị định 85/2016/NĐ-CP" in note
    assert "từ 19/08/2026 đến 14/12/2026 theo Nghị định 331/2026/NĐ-CP" in note
    # a period that ends the day before: Decree 85 alone, in its words
    before = custom_period(2026, dt.date(2026, 1, 1), dt.date(2026, 8, 18))
    assert not governs_nd331(before)
    assert "Nghị định 85/2016/NĐ-CP" in regime_note(before, "vi", w)
    old = words("vi", nd331=governs_nd331(before))
    assert "ATTT" in old["h_with_regulation"] and "an ninh mạng" in w["h_with_regulation"]
    plan = KPI_BY_ID["plan_deployed"]
    assert "ATTT" in plan.title_in("vi", nd331=False)
    assert "an ninh mạng" in plan.title_in("vi", nd331=True)
    # a period wholly under Decree 331 needs no note
    after = custom_period(2027, dt.date(2026, 12, 15), dt.date(2027, 12, 14))
    assert regime_note(after, "vi", w) == ""
