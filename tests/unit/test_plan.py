"""The compiled plan (auditor.plan), lazy messages (auditor.checks.text), judging systems on
worker processes (auditor.parallel) and evaluate's progress callback.

The parallel run must be the in-process run, byte for byte: the example province (waivers,
attestations, evidence dated after the audit date, several agencies) is judged both ways.
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from auditor import parallel
from auditor.checks.text import LazyText, appended, joined, prefixed, with_reasons
from auditor.engine import evaluate
from auditor.facts import Provenance
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import LoadedInventory, load_inventory
from auditor.model.inventory import Regime
from auditor.model.results import (
    AuditRun,
    Finding,
    Obligation,
    Severity,
    Status,
    SystemResult,
    Text2,
)
from auditor.plan import compile_plan
from auditor.report.json_out import to_json
from auditor.rules import Catalog, Rule

AS_OF = dt.date(2026, 11, 24)
EXAMPLE = Path(__file__).resolve().parents[2] / "inventories" / "example-province"


@pytest.fixture(scope="module")
def example() -> tuple[LoadedInventory, Catalog]:
    loaded = load_inventory([EXAMPLE], today=AS_OF)
    catalog, _ = load_catalog()
    return loaded, catalog


def _run(loaded: LoadedInventory, catalog: Catalog, **options: Any) -> AuditRun:
    provenance = Provenance(
        systems=loaded.system_origins,
        agencies=loaded.agency_origins,
        organisation=loaded.organisation_origins,
    )
    return evaluate(loaded.inventory, catalog, AS_OF, provenance=provenance, **options)


# --------------------------------------------------------------------------------------------
# Worker processes and progress
# --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not parallel.can_fork(), reason="worker processes are forked")
def test_worker_processes_give_the_same_run_byte_for_byte(
    example: tuple[LoadedInventory, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, catalog = example
    alone = to_json(_run(loaded, catalog, workers=1))
    monkeypatch.setattr(parallel, "CHUNK", 2)  # many chunks, taken back in order
    shared = to_json(_run(loaded, catalog, workers=2))
    assert shared == alone
    assert b'"findings":[{' in alone


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_reports_every_system_in_order(
    example: tuple[LoadedInventory, Catalog], monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    if workers > 1 and not parallel.can_fork():
        pytest.skip("worker processes are forked")
    loaded, catalog = example
    monkeypatch.setattr(parallel, "CHUNK", 3)
    calls: list[tuple[int, int]] = []
    run = _run(loaded, catalog, workers=workers, progress=lambda *a: calls.append(a))
    total = len(run.systems)
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert all(seen == total for _, seen in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done)
    if workers == 1:
        assert done == list(range(total + 1))  # one call per system
    else:
        assert done[1] == 3  # one call per chunk as it comes back


def test_small_inventories_stay_in_process() -> None:
    assert parallel.workers_for(parallel.MIN_SYSTEMS - 1) == 1
    assert parallel.workers_for(10_000, requested=1) == 1
    assert parallel.workers_for(1) == 1
    if parallel.can_fork() and parallel.available_cores() > 1:
        assert parallel.workers_for(parallel.MIN_SYSTEMS) == min(
            parallel.available_cores(), parallel.MIN_SYSTEMS
        )


def test_results_travel_back_intact(example: tuple[LoadedInventory, Catalog]) -> None:
    loaded, catalog = example
    run = _run(loaded, catalog, workers=1)
    systems = list(run.systems)
    back = parallel.loads(parallel.dumps(systems))
    assert back == systems
    adapter: TypeAdapter[list[SystemResult]] = TypeAdapter(list[SystemResult])
    assert adapter.dump_json(back) == adapter.dump_json(systems)


def test_judge_all_keeps_order_and_reraises(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parallel.judge_all(5, lambda i: i * i) == [0, 1, 4, 9, 16]
    if not parallel.can_fork():
        return
    monkeypatch.setattr(parallel, "CHUNK", 2)
    assert parallel.judge_all(7, lambda i: -i, workers=2) == [0, -1, -2, -3, -4, -5, -6]

    def broken(index: int) -> int:
        if index == 5:
            raise ValueError("system 5")
        return index

    with pytest.raises(ValueError, match="system 5"):
        parallel.judge_all(7, broken, workers=2)


# --------------------------------------------------------------------------------------------
# Lazy messages
# --------------------------------------------------------------------------------------------


def _words(en: bool, name: str, count: int) -> str:
    return f"{name}: {count} left" if en else f"{name}: còn {count}"


def test_lazy_text_is_a_text2() -> None:
    lazy = LazyText(_words, "cert", 3)
    assert isinstance(lazy, Text2)
    assert (lazy.vi, lazy.en) == ("cert: còn 3", "cert: 3 left")
    assert lazy == Text2(vi="cert: còn 3", en="cert: 3 left")
    assert Text2(vi="cert: còn 3", en="cert: 3 left") == lazy
    assert lazy != Text2(vi="cert: còn 3", en="cert: 4 left")
    assert hash(lazy) == hash(Text2(vi="cert: còn 3", en="cert: 3 left"))
    assert repr(lazy) == "Text2(vi='cert: còn 3', en='cert: 3 left')"
    assert pickle.loads(pickle.dumps(lazy)) == lazy  # noqa: S301 - our own bytes


def test_lazy_text_serialises_like_text2() -> None:
    def finding(message: Text2) -> Finding:
        return Finding("R:s", "R", None, Status.PASS, Status.PASS, Severity.LOW,
                       Obligation.MANDATORY, "g", message)

    adapter: TypeAdapter[Finding] = TypeAdapter(Finding)
    lazy = adapter.dump_json(finding(LazyText(_words, "cert", 3)))
    assert lazy == adapter.dump_json(finding(Text2(vi="cert: còn 3", en="cert: 3 left")))


def test_lazy_compositions() -> None:
    one, two = Text2(vi="một", en="one"), Text2(vi="hai", en="two")
    assert joined([one]) is one
    assert joined([one, two]) == Text2(vi="một; hai", en="one; two")
    assert prefixed("Phủ định: ", "Negated: ", one) == Text2(vi="Phủ định: một", en="Negated: one")
    assert appended(one, two) == Text2(vi="một — hai", en="one — two")
    # a reason is added once, and only when the message does not say it already
    assert with_reasons(one, [two, two]) == Text2(vi="một — hai", en="one — two")
    assert with_reasons(Text2(vi="x two", en="x two"), [two]) == Text2(vi="x two", en="x two")


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


def _rule(rule_id: str, **fields: Any) -> Rule:
    return Rule.model_validate(
        {
            "id": rule_id,
            "title": {"vi": "Quy tắc", "en": "Rule"},
            "remediation": {"vi": "Sửa", "en": "Fix"},
            "group": "governance",
            "severity": {1: "low", 3: "high"},
            "references": [{"document": "Nghị định 85/2016/NĐ-CP"}],
            "check": {"kind": "present", "fact": "name"},
            **fields,
        }
    )


def test_identical_conditions_are_compiled_once(example: tuple[LoadedInventory, Catalog]) -> None:
    _, catalog = example
    plan = compile_plan(catalog, AS_OF)
    with_condition = [r for r in plan.systems if r.condition is not None]
    assert len(plan.conditions) < len(with_condition) / 3
    operating = {"kind": "equals", "fact": "operating", "value": True}
    # an `attested` without a topic reads its own rule's attestations: never shared
    attested = {"kind": "attested"}
    rules = Catalog(rules=(
        _rule("A-01", applies_if=operating),
        _rule("A-02", applies_if=operating),
        _rule("A-03", applies_if=attested),
        _rule("A-04", applies_if=attested),
    ))
    numbers = [r.condition for r in compile_plan(rules, AS_OF).systems]
    assert numbers[0] == numbers[1]
    assert len({numbers[0], numbers[2], numbers[3]}) == 3


def test_applicability_and_severity_are_decided_up_front() -> None:
    rules = Catalog(rules=(
        _rule("B-01", levels={"min_level": 3}),
        _rule("B-02", regimes=["nd331"]),
        _rule("B-03", in_force="2027-01-01"),
    ))
    plan = compile_plan(rules, AS_OF)
    assert [r.id for r in plan.system_rules(1, Regime.ND85)] == ["B-03"]
    assert [r.id for r in plan.system_rules(3, Regime.ND331)] == ["B-01", "B-02", "B-03"]
    late = plan.systems[2]
    assert late.not_in_force is not None
    assert late.not_in_force.status is Status.NOT_APPLICABLE
    assert late.not_in_force.message.en == (
        "The requirement takes effect on 2027-01-01, after the audit date"
    )
    assert [late.severity_at(level) for level in (1, 2, 3, 5)] == [
        Severity.LOW, Severity.LOW, Severity.HIGH, Severity.HIGH
    ]
