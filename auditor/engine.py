"""The engine: (inventory, catalog, facts, audit date) -> AuditRun. Pure and deterministic.

No I/O happens here and nothing depends on the clock: the same inputs give the same run,
so the JSON written from it is byte-identical.

How: the catalog is compiled once into a plan (auditor/plan.py); each system is then judged
on its own — its view at the audit date, its facts, its findings (auditor/judging.py) — on
several cores when the inventory is large (auditor/parallel.py), results taken in inventory
order; last, each agency and the organisation, whose summaries roll up their systems.
`evaluate_system` judges one system alone, as `evaluate` would (the go-live gate).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from auditor import __version__
from auditor.accounting import Judged, account
from auditor.asof import view_as_of
from auditor.checks.context import OBSERVED_COLLECTIONS, Item, plain
from auditor.facts import Provenance, SystemObservations, body_values, system_facts
from auditor.judging import Judge, _apply_waiver, _finding_id
from auditor.model.inventory import Agency, Inventory, Organisation, Regime, System
from auditor.model.results import (
    SCHEMA_VERSION,
    AttestationRecord,
    AuditRun,
    BodyRegister,
    BodyResult,
    Fact,
    Finding,
    InputFile,
    ObservedRecord,
    Origin,
    RunInfo,
    Summary,
    SystemResult,
    Text2,
)
from auditor.parallel import judge_all, workers_for
from auditor.plan import Plan, RulePlan, compile_plan
from auditor.regime import LAW_116_IN_FORCE
from auditor.register import body_register, system_register
from auditor.rules import Catalog
from auditor.scoring import SCORE_METHOD, combine, summarise

__all__ = ["SCHEMA_VERSION", "_apply_waiver", "_finding_id", "evaluate", "evaluate_system"]

#: Keys a probe adds to a declared endpoint (see probes/observe.py).
_ENDPOINT_OBSERVED = frozenset({"ipv6", "redirect", "dnssec", "caa"})
_NO_ITEMS: Mapping[str, tuple[Item, ...]] = {}

Progress = Callable[[int, int], None]


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Millions of small acyclic objects (facts, outcomes, findings): the cyclic collector
    would rescan them all many times over (bench/README.md). Reference counting frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _records(collections: Mapping[str, Sequence[Item]]) -> tuple[ObservedRecord, ...]:
    """The observations behind the findings, for the results and the report tables."""
    records = [
        ObservedRecord(name, item.subject, plain(dict(item.values)), dict(item.errors))
        for name in OBSERVED_COLLECTIONS
        for item in collections.get(name, ())
    ]
    for item in collections.get("endpoints", ()):
        observed = {k: v for k, v in item.values.items() if k in _ENDPOINT_OBSERVED}
        if observed or item.errors:
            records.append(
                ObservedRecord("endpoints", item.subject, plain(observed), dict(item.errors))
            )
    return tuple(records)


def _default_regime(as_of: dt.date) -> Regime:
    return Regime.ND331 if as_of >= LAW_116_IN_FORCE else Regime.ND85


def _prefixed(prefix: str, reasons: Mapping[str, Text2]) -> dict[str, Text2]:
    return {prefix + key: reason for key, reason in reasons.items()}


@dataclass(frozen=True)
class _AgencyView:
    """An agency as the audit date saw it, with what its systems inherit from it."""

    agency: Agency
    values: dict[str, Any]
    origins: Mapping[str, Origin]
    reasons: dict[str, Text2]  # its own withdrawn facts
    scoped: Mapping[str, Mapping[str, Origin]]  # what `agency.*` / `organisation.*` cite
    inherited: dict[str, Text2]  # withdrawn `organisation.*` and `agency.*` facts


class _Audit:
    """One evaluation: the plan, the bodies at the audit date, and the job of judging the
    system at a position of the inventory (what the worker processes inherit)."""

    def __init__(
        self,
        inventory: Inventory,
        plan: Plan,
        provenance: Provenance,
        observed: Mapping[str, Mapping[str, Fact]],
        observations: Mapping[str, SystemObservations],
        golive_system: str | None,
        only_system: str | None = None,
    ) -> None:
        self.plan = plan
        self.judge = Judge(plan)
        self.as_of = as_of = plan.as_of
        self.provenance = provenance
        self.observed = observed
        self.observations = observations
        self.golive_system = golive_system
        organisation, self.org_reasons = view_as_of(inventory.organisation, as_of)
        self.organisation: Organisation = organisation
        self.org_values = body_values(organisation)
        org_inherited = _prefixed("organisation.", self.org_reasons)
        self.agencies: list[_AgencyView] = []
        self.jobs: list[tuple[_AgencyView, System]] = []
        for agency in inventory.agencies:
            if only_system is not None and not any(s.id == only_system for s in agency.systems):
                continue  # judging one system: only its agency is seen
            seen, reasons = view_as_of(agency, as_of)
            origins = provenance.agencies.get(agency.id, {})
            view = _AgencyView(
                seen,
                body_values(seen),
                origins,
                reasons,
                {"agency": origins, "organisation": provenance.organisation},
                {**org_inherited, **_prefixed("agency.", reasons)},
            )
            self.agencies.append(view)
            self.jobs.extend(
                (view, system)
                for system in agency.systems
                if only_system is None or system.id == only_system
            )

    def system(self, index: int) -> SystemResult:
        """Judge the system at this position (in inventory order)."""
        view, declared = self.jobs[index]
        system, reasons = view_as_of(declared, self.as_of)
        facts = system_facts(
            view.agency,
            system,
            view.values,
            self.org_values,
            self.provenance.systems.get(system.id, {}),
            self.as_of,
            assume_golive=system.id == self.golive_system,
            observed=self.observations.get(system.id),
        )
        level = facts.level.effective
        not_yet = {**reasons, **view.inherited} if reasons or view.inherited else {}
        ctx = self.judge.context(
            level,
            facts.values,
            facts.origins,
            view.scoped,
            facts.attestations,
            facts.collections,
            self.observed.get(system.id, {}),
            not_yet,
        )
        rules = self.plan.system_rules(level, facts.regime)
        findings = self.judge.findings(rules, ctx, system.id, system.waivers)
        return SystemResult(
            id=system.id,
            name=system.name,
            agency=view.agency.id,
            lifecycle=str(system.lifecycle),
            system_type=str(system.system_type),
            level=facts.level,
            findings=tuple(findings),
            summary=summarise(findings),
            observed=_records(facts.collections),
            register=system_register(system),
            attestations=self._account(
                facts.attestations, facts.origins, "system", level, {facts.regime}, findings
            ),
        )

    def _account(
        self,
        attestations: Sequence[Mapping[str, Any]],
        origins: Mapping[str, Origin],
        kind: str,
        level: int,
        regimes: Iterable[Regime],
        findings: Sequence[Finding],
    ) -> tuple[AttestationRecord, ...]:
        if not attestations:
            return ()
        judged = Judged(kind, level, frozenset(regimes), findings)
        return account(attestations, origins, judged, self.plan.attestation_index, self.as_of)

    def body(
        self,
        rules: Sequence[RulePlan],
        kind: str,
        body: Agency | Organisation,
        values: Mapping[str, Any],
        origins: Mapping[str, Origin],
        scoped: Mapping[str, Mapping[str, Origin]],
        level: int,
        regimes: frozenset[Regime],
        systems: Sequence[SystemResult],
        below: Sequence[Summary],
        register: BodyRegister | None,
        not_yet: Mapping[str, Text2],
    ) -> BodyResult:
        """Judge an agency or the organisation; its summary rolls up `below` as well."""
        attestations = tuple(a.model_dump() for a in body.attestations)
        ctx = self.judge.context(
            level, values, origins, scoped, attestations, _NO_ITEMS, {}, not_yet
        )
        in_scope = self.plan.body_rules(rules, level, regimes)
        own = self.judge.findings(in_scope, ctx, body.id, body.waivers)
        mine = summarise(own)
        if register is not None:
            # The body's own points: with its systems' they give its score, which the annual
            # report's ranking recomputes from the store (scoring.total) and must agree with.
            register = dataclasses.replace(
                register, own_points=(mine.score.earned, mine.score.possible)
            )
        return BodyResult(
            id=body.id,
            name=body.name,
            kind=kind,
            findings=tuple(own),
            summary=combine([mine, *below]),
            systems=tuple(s.id for s in systems),
            register=register,
            attestations=self._account(attestations, origins, kind, level, regimes, own),
        )

    def agency(self, view: _AgencyView, results: Sequence[SystemResult]) -> BodyResult:
        level = max((r.level.effective for r in results), default=1)
        regimes = frozenset(Regime(r.level.governing_regime) for r in results) or frozenset(
            {_default_regime(self.as_of)}
        )
        body_facts = dict(view.values)
        body_facts["organisation"] = self.org_values
        return self.body(
            self.plan.agencies,
            "agency",
            view.agency,
            body_facts,
            view.origins,
            {"organisation": self.provenance.organisation},
            level,
            regimes,
            results,
            [s.summary for s in results],
            body_register(view.agency),
            {**view.reasons, **_prefixed("organisation.", self.org_reasons)},
        )


def evaluate(
    inventory: Inventory,
    catalog: Catalog,
    as_of: dt.date,
    provenance: Provenance | None = None,
    inputs: Sequence[InputFile] = (),
    lang: str = "vi",
    observed: Mapping[str, Mapping[str, Fact]] | None = None,
    live: bool = False,
    golive_system: str | None = None,
    observations: Mapping[str, SystemObservations] | None = None,
    observed_at: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> AuditRun:
    """Judge every system, agency and the organisation; `golive_system` is judged as if live.

    `observed` holds system-level facts a probe saw; `observations` what the live probes saw
    of each system's endpoints and certificates (see SystemObservations).

    `progress(done, total)` is called as systems are judged (first with done = 0; from worker
    processes, as each chunk of results comes back, in order). `workers`: processes to judge
    systems on; None decides from the inventory's size and the cores (auditor/parallel.py),
    1 keeps everything in this process.
    """
    with _cyclic_gc_paused():
        audit = _Audit(
            inventory,
            compile_plan(catalog, as_of),
            provenance or Provenance(),
            observed or {},
            observations or {},
            golive_system,
        )
        count = len(audit.jobs)
        results = judge_all(count, audit.system, workers_for(count, workers), progress)
        return _run(audit, results, catalog, as_of, lang, inputs, live, observed_at)


def evaluate_system(
    inventory: Inventory,
    catalog: Catalog,
    as_of: dt.date,
    system_id: str,
    provenance: Provenance | None = None,
    observed: Mapping[str, Mapping[str, Fact]] | None = None,
    golive: bool = False,
    observations: Mapping[str, SystemObservations] | None = None,
    progress: Progress | None = None,
) -> SystemResult | None:
    """Judge one system alone, exactly as `evaluate` judges it among all the others; None when
    the inventory has no system `system_id`. `golive`: judged as if it went live (the gate).

    A system's findings rest on its own facts, on the declared facts of its agency and of the
    organisation (`agency.*`, `organisation.*`, which never hold another system), on what was
    observed of it, and on the catalog and the audit date: never on another system, nor on
    the findings of an agency or the organisation (those roll up the systems' results, not
    the other way round). So the other systems, the agencies and the organisation are not
    judged. tests/e2e/test_cli_gate.py holds it to a full audit for every system of the
    example province.
    """
    with _cyclic_gc_paused():
        audit = _Audit(
            inventory,
            compile_plan(catalog, as_of),
            provenance or Provenance(),
            observed or {},
            observations or {},
            system_id if golive else None,
            only_system=system_id,
        )
        if not audit.jobs:
            return None
        return judge_all(1, audit.system, 1, progress)[0]


def _run(
    audit: _Audit,
    systems: list[SystemResult],
    catalog: Catalog,
    as_of: dt.date,
    lang: str,
    inputs: Sequence[InputFile],
    live: bool,
    observed_at: str | None,
) -> AuditRun:
    """The agencies and the organisation, once their systems are judged."""
    agency_results: list[BodyResult] = []
    all_regimes: set[Regime] = set()
    top_level = 1
    position = 0
    for view in audit.agencies:
        count = len(view.agency.systems)
        results = systems[position : position + count]
        position += count
        agency = audit.agency(view, results)
        agency_results.append(agency)
        top_level = max(top_level, max((r.level.effective for r in results), default=1))
        all_regimes |= {Regime(r.level.governing_regime) for r in results} or {
            _default_regime(as_of)
        }
    organisation = audit.organisation
    org_result = audit.body(
        audit.plan.organisation,
        "organisation",
        organisation,
        audit.org_values,
        audit.provenance.organisation,
        {},
        top_level,
        frozenset(all_regimes or {_default_regime(as_of)}),
        systems,
        [a.summary for a in agency_results],
        body_register(organisation),
        audit.org_reasons,
    )
    return AuditRun(
        schema_version=SCHEMA_VERSION,
        run=RunInfo(
            as_of=as_of,
            tool_version=__version__,
            lang=lang,
            inputs=tuple(inputs),
            live=live,
            rules=len(catalog),
            score_method=SCORE_METHOD,
            observed_at=observed_at,
        ),
        organisation=org_result,
        agencies=tuple(agency_results),
        systems=tuple(systems),
        summary=org_result.summary,
    )
