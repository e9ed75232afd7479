"""The go-live gate judges only the system it is asked about (engine.evaluate_system), since a
system's findings never depend on the other systems. Here it is held to what a full audit says
of that system, for every system of the example province, so that the shortcut cannot drift:
the whole system result in-process, and the gate's decision (verdict, blocking findings and
their basis, gate rules not required) and exit code from the command line.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import AS_OF, EXAMPLE, run_cli
from pydantic import TypeAdapter

from auditor.cli.audit import gate_decision
from auditor.cli.options import json_text
from auditor.engine import evaluate, evaluate_system
from auditor.facts import Provenance
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import LoadedInventory, load_inventory
from auditor.model.results import SystemResult
from auditor.rules import Catalog

_DUMP = TypeAdapter(SystemResult).dump_python


@cache
def _example() -> tuple[LoadedInventory, Catalog, Provenance]:
    loaded = load_inventory([EXAMPLE])
    catalog, _ = load_catalog([])
    provenance = Provenance(
        systems=loaded.system_origins,
        agencies=loaded.agency_origins,
        organisation=loaded.organisation_origins,
    )
    return loaded, catalog, provenance


SYSTEMS = [system.id for _, system in _example()[0].inventory.systems()]


def _full_audit(system_id: str) -> SystemResult:
    """What an audit of every system, `system_id` at the gate, says of that system."""
    loaded, catalog, provenance = _example()
    run = evaluate(
        loaded.inventory, catalog, AS_OF, provenance=provenance, golive_system=system_id
    )
    return next(s for s in run.systems if s.id == system_id)


def test_the_example_has_systems_the_gate_opens_and_closes_for() -> None:
    _, catalog, _ = _example()
    rules = {r.id: r for r in catalog}
    verdicts = {gate_decision(_full_audit(s), AS_OF, rules)["may_go_live"] for s in SYSTEMS}
    assert len(SYSTEMS) == 20 and verdicts == {True, False}


@pytest.mark.parametrize("system_id", SYSTEMS)
def test_one_system_judged_alone_is_judged_as_in_a_full_audit(system_id: str) -> None:
    loaded, catalog, provenance = _example()
    alone = evaluate_system(
        loaded.inventory, catalog, AS_OF, system_id, provenance=provenance, golive=True
    )
    assert alone is not None
    assert _DUMP(alone, mode="json") == _DUMP(_full_audit(system_id), mode="json")


@pytest.mark.parametrize("system_id", SYSTEMS)
def test_the_gate_says_what_a_full_audit_says(system_id: str) -> None:
    _, catalog, _ = _example()
    expected = gate_decision(_full_audit(system_id), AS_OF, {r.id: r for r in catalog})
    result = run_cli("gate", EXAMPLE, "--system", system_id, "--as-of", AS_OF, "--json", "-")
    assert result.stdout == json_text(expected) + "\n"
    assert result.code == (0 if expected["may_go_live"] else 1), result.stderr


def test_a_system_the_inventory_does_not_have_is_not_judged() -> None:
    loaded, catalog, provenance = _example()
    assert evaluate_system(loaded.inventory, catalog, AS_OF, "khong-co", provenance) is None
