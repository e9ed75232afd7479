"""The engine: (inventory, catalog, facts, audit date) -> AuditRun. Pure and deterministic.

No I/O happens here and nothing depends on the clock: the same inputs give the same run,
so the JSON written from it is byte-identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from auditor import __version__
from auditor.accounting import AttestationIndex, Judged, account
from auditor.asof import InventoryAsOf, inventory_as_of, not_yet_text
from auditor.checks.builtins import BUILTINS
from auditor.checks.context import OBSERVED_COLLECTIONS, EvalContext, Item, Outcome, plain
from auditor.facts import (
    Provenance,
    SystemFacts,
    SystemObservations,
    body_values,
    system_facts,
)
from auditor.model.inventory import Agency, Inventory, Regime, Waiver
from auditor.model.results import (
    SCHEMA_VERSION,
    AttestationRecord,
    AuditRun,
    BodyRegister,
    BodyResult,
    Evidence,
    Fact,
    Finding,
    InputFile,
    ObservedRecord,
    Origin,
    RunInfo,
    Status,
    Summary,
    SystemResult,
    Text2,
    WaiverNote,
)
from auditor.regime import LAW_116_IN_FORCE
from auditor.register import body_register, system_register
from auditor.rules import Catalog, Rule
from auditor.scoring import SCORE_METHOD, combine, summarise

#: Keys a probe adds to a declared endpoint (see probes/observe.py).
_ENDPOINT_OBSERVED = frozenset({"ipv6", "redirect"})
_WAIVABLE = frozenset({Status.FAIL, Status.MANUAL, Status.ERROR})
_NO_ITEMS: Mapping[str, tuple[Item, ...]] = {}


def _finding_id(rule_id: str, owner: str, subject: str | None) -> str:
    return f"{rule_id}:{owner}" + (f":{subject}" if subject else "")


def _apply_waiver(
    rule: Rule, outcome: Outcome, subject: str | None, waivers: Sequence[Waiver], as_of: dt.date
) -> tuple[Status, WaiverNote | None]:
    matching = [w for w in waivers if w.rule == rule.id and w.subject in (None, subject)]
    if not matching:
        return outcome.status, None
    # Prefer a waiver in force (decided by the audit date and not expired); among those (or
    # among the others) the latest expiry.
    waiver = max(
        matching,
        key=lambda w: (w.decision.date <= as_of, w.expires >= as_of, w.expires),
    )
    expired = waiver.expires < as_of
    not_yet = waiver.decision.date > as_of  # decided after the audit date: not a waiver yet
    note = WaiverNote(
        reason=waiver.reason,
        approver=waiver.approver,
        decision=f"{waiver.decision.number} ({waiver.decision.date.isoformat()})",
        expires=waiver.expires,
        expired=expired,
        not_yet_decided=not_yet,
    )
    if outcome.status in _WAIVABLE and not expired and not not_yet:
        return Status.WAIVED, note
    return outcome.status, note


def _not_yet_notes(ctx: EvalContext, outcome: Outcome) -> Text2:
    """The message, with why any evidence it rests on was withdrawn (dated after the audit
    date) — once, and only when the message does not already say so."""
    message = outcome.message
    if not ctx.not_yet:
        return message
    for item in outcome.evidence:
        reason = ctx.not_yet_reason(item.fact)
        if reason is not None and reason.en not in message.en:
            message = Text2(vi=f"{message.vi} — {reason.vi}", en=f"{message.en} — {reason.en}")
    return message


def _judge(rule: Rule, ctx: EvalContext) -> Outcome:
    if rule.in_force is not None and ctx.as_of < rule.in_force:
        day = rule.in_force
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(
                vi=f"Yêu cầu có hiệu lực từ ngày {day:%d/%m/%Y}, sau ngày đánh giá",
                en=f"The requirement takes effect on {day.isoformat()}, after the audit date",
            ),
        )
    if rule.applies_if is not None:
        condition = rule.applies_if.evaluate(ctx)
        if condition.status is Status.ERROR:  # cannot tell whether it applies: say why
            return condition
        if condition.undecided:
            return _maybe_applies(rule, ctx, condition)
        if condition.status is not Status.PASS:
            reason = rule.not_applicable
            message = Text2(vi=reason.vi, en=reason.en) if reason is not None else condition.message
            return Outcome(Status.NOT_APPLICABLE, message, condition.evidence)
    return rule.check.evaluate(ctx)


def _maybe_applies(rule: Rule, ctx: EvalContext, condition: Outcome) -> Outcome:
    """Whether the rule applies depends on undeclared facts: a check that is met either way
    stands; anything else waits for those facts (`manual`), never `not_applicable`."""
    outcome = rule.check.evaluate(ctx)
    if outcome.status in (Status.PASS, Status.ERROR):
        return outcome
    return Outcome(
        Status.MANUAL,
        Text2(
            vi=f"{condition.message.vi}. Nếu áp dụng: {outcome.message.vi}",
            en=f"{condition.message.en}. If it applies: {outcome.message.en}",
        ),
        (*condition.evidence, *outcome.evidence),
        outcome.severity,
    )


def _finding(
    rule: Rule,
    ctx: EvalContext,
    owner: str,
    subject: str | None,
    outcome: Outcome,
    waivers: Sequence[Waiver],
    as_of: dt.date,
) -> Finding:
    status, note = _apply_waiver(rule, outcome, subject, waivers, as_of)
    evidence = outcome.evidence
    if rule.explain and outcome.status is not Status.PASS:
        shown = {e.fact for e in evidence}
        extra = [(key, ctx.fact(key)) for key in rule.explain if key not in shown]
        evidence += tuple(ctx.evidence(key, fact) for key, fact in extra if fact is not None)
    message = _not_yet_notes(ctx, outcome)
    if note is not None and note.not_yet_decided:
        waiver = next(
            w for w in waivers
            if note.decision == f"{w.decision.number} ({w.decision.date.isoformat()})"
        )
        why = not_yet_text(
            f"Miễn trừ {waiver.decision.number}", waiver.decision.date, as_of,
            f"The waiver {waiver.decision.number}",
        )
        message = Text2(vi=f"{message.vi} — {why.vi}", en=f"{message.en} — {why.en}")
    return Finding(
        id=_finding_id(rule.id, owner, subject),
        rule_id=rule.id,
        subject=subject,
        status=status,
        measured_status=outcome.status,
        severity=outcome.severity or rule.severity_at(ctx.level),
        obligation=rule.obligation,
        group=rule.group,
        message=message,
        evidence=evidence,
        waiver=note,
        gate=rule.gate,
    )


class Engine:
    """Evaluates a catalog against an inventory at a fixed audit date."""

    def __init__(
        self,
        catalog: Catalog,
        as_of: dt.date,
        observed: Mapping[str, Mapping[str, Fact]] | None = None,
    ) -> None:
        self.catalog = catalog
        self.as_of = as_of
        self.observed = observed or {}
        self.system_rules = [r for r in catalog if r.judged_for("system")]
        self.agency_rules = [r for r in catalog if r.judged_for("agency")]
        self.organisation_rules = [r for r in catalog if r.judged_for("organisation")]
        self.attestation_index = AttestationIndex.build(catalog)

    def _context(
        self,
        rule: Rule,
        level: int,
        values: Mapping[str, Any],
        origins: Mapping[str, Origin],
        scoped: Mapping[str, Mapping[str, Origin]],
        attestations: Sequence[Mapping[str, Any]],
        collections: Mapping[str, tuple[Item, ...]],
        observed: Mapping[str, Fact],
        memo: tuple[dict[str, Fact | None], dict[str, Evidence]],
        not_yet: Mapping[str, Text2],
    ) -> EvalContext:
        return EvalContext(
            memo=memo[0],
            evidence_memo=memo[1],
            as_of=self.as_of,
            level=level,
            rule_id=rule.id,
            values=values,
            origins=origins,
            observed=observed,
            scoped_origins=scoped,
            attestations=attestations,
            collections=collections,
            builtins=BUILTINS,
            not_yet=not_yet,
        )

    def evaluate_system(
        self,
        facts: SystemFacts,
        scoped: Mapping[str, Mapping[str, Origin]],
        not_yet: Mapping[str, Text2] | None = None,
    ) -> SystemResult:
        system = facts.system
        level = facts.level.effective
        observed = self.observed.get(system.id, {})
        waivers = system.waivers
        findings: list[Finding] = []
        memo: tuple[dict[str, Fact | None], dict[str, Evidence]] = ({}, {})
        for rule in self.system_rules:
            if not rule.applies_to(level, facts.regime):
                continue
            ctx = self._context(
                rule,
                level,
                facts.values,
                facts.origins,
                scoped,
                facts.attestations,
                facts.collections,
                observed,
                memo,
                not_yet or {},
            )
            if rule.per is None:
                findings.append(
                    _finding(rule, ctx, system.id, None, _judge(rule, ctx), waivers, self.as_of)
                )
                continue
            for item in facts.collections.get(rule.per, ()):
                item_ctx = ctx.with_item(item)
                findings.append(
                    _finding(
                        rule,
                        item_ctx,
                        system.id,
                        item.subject,
                        _judge(rule, item_ctx),
                        waivers,
                        self.as_of,
                    )
                )
        return SystemResult(
            id=system.id,
            name=system.name,
            agency=facts.agency.id,
            lifecycle=str(system.lifecycle),
            system_type=str(system.system_type),
            level=facts.level,
            findings=tuple(findings),
            summary=summarise(findings),
            observed=_records(facts.collections),
            register=system_register(system),
            attestations=self._account(
                facts.attestations,
                facts.origins,
                Judged("system", level, frozenset({facts.regime}), findings),
            ),
        )

    def _account(
        self,
        attestations: Sequence[Mapping[str, Any]],
        origins: Mapping[str, Origin],
        judged: Judged,
    ) -> tuple[AttestationRecord, ...]:
        if not attestations:
            return ()
        return account(attestations, origins, judged, self.attestation_index, self.as_of)

    def evaluate_body(
        self,
        rules: Sequence[Rule],
        kind: str,
        body_id: str,
        name: str,
        values: Mapping[str, Any],
        origins: Mapping[str, Origin],
        scoped: Mapping[str, Mapping[str, Origin]],
        attestations: Sequence[Mapping[str, Any]],
        waivers: Sequence[Waiver],
        level: int,
        regimes: frozenset[Regime],
        systems: Sequence[SystemResult],
        below: Sequence[Summary],
        register: BodyRegister | None = None,
        not_yet: Mapping[str, Text2] | None = None,
    ) -> BodyResult:
        """Judge an agency or the organisation; its summary rolls up `below` as well."""
        own: list[Finding] = []
        memo: tuple[dict[str, Fact | None], dict[str, Evidence]] = ({}, {})
        for rule in rules:
            in_scope = rule.levels.min_level <= level <= rule.levels.max_level
            if not (in_scope and rule.regimes & regimes):
                continue
            ctx = self._context(
                rule, level, values, origins, scoped, attestations, _NO_ITEMS, {}, memo,
                not_yet or {},
            )
            own.append(_finding(rule, ctx, body_id, None, _judge(rule, ctx), waivers, self.as_of))
        return BodyResult(
            id=body_id,
            name=name,
            kind=kind,
            findings=tuple(own),
            summary=combine([summarise(own), *below]),
            systems=tuple(s.id for s in systems),
            register=register,
            attestations=self._account(attestations, origins, Judged(kind, level, regimes, own)),
        )


def _records(collections: Mapping[str, tuple[Item, ...]]) -> tuple[ObservedRecord, ...]:
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
    progress: Callable[[int, int], None] | None = None,
) -> AuditRun:
    """Judge every system, agency and the organisation; `golive_system` is judged as if live.

    `observed` holds system-level facts a probe saw; `observations` what the live probes saw
    of each system's endpoints and certificates (see SystemObservations). `progress`, when
    given, is called as `progress(done, total)` after each system is judged.
    """
    observations = observations or {}
    provenance = provenance or Provenance()
    engine = Engine(catalog, as_of, observed)
    then = inventory_as_of(inventory, as_of)  # only the evidence that existed on `as_of`
    inventory = then.inventory
    organisation = inventory.organisation
    org_values = body_values(organisation)
    org_origins = provenance.organisation
    agency_results: list[BodyResult] = []
    system_results: list[SystemResult] = []
    all_regimes: set[Regime] = set()
    top_level = 1
    total = sum(len(agency.systems) for agency in inventory.agencies)
    for agency in inventory.agencies:
        agency_values = body_values(agency)
        agency_origins = provenance.agencies.get(agency.id, {})
        scoped = {"agency": agency_origins, "organisation": org_origins}
        results: list[SystemResult] = []
        regimes: set[Regime] = set()
        for system in agency.systems:
            facts = system_facts(
                agency,
                system,
                agency_values,
                org_values,
                provenance.systems.get(system.id, {}),
                as_of,
                assume_golive=system.id == golive_system,
                observed=observations.get(system.id),
            )
            regimes.add(facts.regime)
            results.append(
                engine.evaluate_system(facts, scoped, _scoped_not_yet(then, agency.id, system.id))
            )
            if progress is not None:
                progress(len(system_results) + len(results), total)
        level = max((r.level.effective for r in results), default=1)
        top_level = max(top_level, level)
        agency_regimes = frozenset(regimes or {_default_regime(as_of)})
        all_regimes |= agency_regimes
        agency_results.append(
            _agency_result(
                engine,
                agency,
                agency_values,
                agency_origins,
                org_values,
                org_origins,
                level,
                agency_regimes,
                results,
                _scoped_not_yet(then, agency.id, None),
            )
        )
        system_results.extend(results)
    below = [a.summary for a in agency_results]  # each already rolls up its systems
    org_result = engine.evaluate_body(
        engine.organisation_rules,
        "organisation",
        organisation.id,
        organisation.name,
        org_values,
        org_origins,
        {},
        tuple(a.model_dump() for a in organisation.attestations),
        organisation.waivers,
        top_level,
        frozenset(all_regimes or {_default_regime(as_of)}),
        system_results,
        below,
        body_register(organisation),
        then.organisation,
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
        systems=tuple(system_results),
        summary=org_result.summary,
    )


def _agency_result(
    engine: Engine,
    agency: Agency,
    values: Mapping[str, Any],
    origins: Mapping[str, Origin],
    org_values: Mapping[str, Any],
    org_origins: Mapping[str, Origin],
    level: int,
    regimes: frozenset[Regime],
    systems: Sequence[SystemResult],
    not_yet: Mapping[str, Text2],
) -> BodyResult:
    body_facts = dict(values)
    body_facts["organisation"] = org_values
    return engine.evaluate_body(
        engine.agency_rules,
        "agency",
        agency.id,
        agency.name,
        body_facts,
        origins,
        {"organisation": org_origins},
        tuple(a.model_dump() for a in agency.attestations),
        agency.waivers,
        level,
        regimes,
        systems,
        [s.summary for s in systems],
        body_register(agency),
        not_yet,
    )


def _scoped_not_yet(then: InventoryAsOf, agency: str, system: str | None) -> dict[str, Text2]:
    """Withdrawn facts as a system (or, with `system` None, an agency) names them: its own,
    and its agency's and organisation's under `agency.` and `organisation.`."""
    found = dict(then.systems.get(system, {})) if system is not None else {}
    scopes: list[tuple[str, Mapping[str, Text2]]] = [
        ("organisation.", then.organisation)
    ]
    if system is None:
        found.update(then.agencies.get(agency, {}))
    else:
        scopes.append(("agency.", then.agencies.get(agency, {})))
    for prefix, reasons in scopes:
        found.update({prefix + key: reason for key, reason in reasons.items()})
    return found
