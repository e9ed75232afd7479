"""The Form 08 side of the annual figures (Decree 331/2026 Arts. 35-36 and the Form 08 annex):
which systems the form counts, the periodic-inspection status on the cut-off day, the
cumulative section 1 counts, the owners of section 2, and each requirement with its due date.

Pure: store rows in, frozen figures out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from auditor.model.results import Obligation, Status, SystemRegister
from auditor.report.annual.figures import (
    DEPLOYMENTS,
    DOSSIER_STATUSES,
    Headline,
    Owner,
    Period,
    Requirement,
    SystemLine,
)
from auditor.report.annual.kpis import PERIODIC_RULES, Cycles, KpiStatus, system_status
from auditor.store.rows import AgencyRow, RunRow

# Law 116/2025 Art. 45.1 and Decree 331 Art. 39.1: systems classified or under way before
# 01/07/2026 meet the Decree 331 conditions and measures within 12 months of that day.
TRANSITION_DUE = dt.date(2027, 7, 1)
# Requirements a declared date of the owner's plan closes: the dossier's expected approval
# (Form 08 column 9) and the plan's expected full deployment (column 11).
_BY_APPROVAL = frozenset({"GOV-02", "GOV-03", "GOV-04", "GOV-05", "GL-01"})
_BY_DEPLOYMENT = frozenset({"GOV-08"})


@dataclass
class ReqAcc:
    group: str = ""
    tally: Counter[KpiStatus] = field(default_factory=Counter)
    due: dt.date | None = None
    due_unknown: int = 0
    overdue: bool = False



def in_scope(lifecycle: str, register: SystemRegister | None, period: Period) -> bool:
    """Whether Form 08 counts the system: not when it was retired before the period began,
    nor when it is retired and the inventory does not say since when (shown apart)."""
    if lifecycle != "retired":
        return True
    retired = register.retired if register is not None else None
    return retired is not None and retired >= period.since



def periodic_status(
    register: SystemRegister | None, regime: str, level: int, period: Period, cycles: Cycles
) -> tuple[str, dt.date | None]:
    """The periodic-inspection status at the period's cut-off, and the last day the latest
    inspection covers. The age is counted as the rules count it (`within_days`): an
    inspection exactly `days` old on the cut-off is still on its cycle."""
    cycle = cycles.get((regime, level))
    inspection = register.periodic if register is not None else None
    if inspection is None or inspection.date > period.until:
        return "undeclared", None
    if cycle is None:
        return "no_cycle", None
    lapses = inspection.date + dt.timedelta(days=cycle[0])
    return ("on_cycle" if period.until <= lapses else "late"), lapses



def _due(rule_id: str, line: SystemLine) -> tuple[dt.date | None, bool]:
    """When a requirement a system does not meet must be met, as far as the rules or the
    owner's declarations say; (None, False) when neither does."""
    register = line.register
    if rule_id in PERIODIC_RULES and line.periodic_lapses is not None:
        # the next inspection is due when the latest one lapses; overdue when it already has
        return line.periodic_lapses, line.periodic == "late"
    if rule_id in _BY_APPROVAL and register is not None and register.expected_approval:
        return register.expected_approval, False
    if rule_id in _BY_DEPLOYMENT and register is not None and register.full_deployment_expected:
        return register.full_deployment_expected, False
    if rule_id == "GOV-28" or line.governing_regime == "nd85":
        return TRANSITION_DUE, False
    return None, False



def fold_requirements(
    line: SystemLine,
    statuses: Mapping[str, list[Status]],
    meta: Mapping[str, tuple[str, Obligation]],
    accs: dict[str, ReqAcc],
) -> None:
    """Add one system's result per requirement (rule) to `accs` (Decree 331 Art. 36.9)."""
    for rule_id, found in statuses.items():
        group, obligation = meta[rule_id]
        if obligation is Obligation.ADVISORY:
            continue  # advice, not a requirement of the approved plan
        status = system_status(found)
        if status is KpiStatus.NOT_APPLICABLE:
            continue
        req = accs.setdefault(rule_id, ReqAcc(group=group))
        req.tally[status] += 1
        if status is KpiStatus.MET:
            continue
        due, overdue = _due(rule_id, line)
        if due is None:
            req.due_unknown += 1
        elif req.due is None or due > req.due:
            req.due = due
            req.overdue = overdue



_BUILT = frozenset({"submitted", "appraised", "approved"})
_APPRAISED = frozenset({"appraised", "approved"})
PERIODIC_STATUSES = ("on_cycle", "late", "undeclared", "no_cycle")


def headline(lines: Sequence[SystemLine], retired: Sequence[SystemLine]) -> Headline:
    registers = [line.register for line in lines if line.register is not None]
    dossier = Counter(r.dossier_status for r in registers if r.dossier_status)
    plan = Counter(r.plan_deployment or "undeclared" for r in registers)
    approved = [
        line
        for line in lines
        if line.register is not None and line.register.dossier_status == "approved"
    ]
    periodic = Counter(line.periodic for line in approved)
    pending = [r for r in registers if r.dossier_status != "approved"]
    expected = [r.expected_approval for r in pending if r.expected_approval is not None]
    return Headline(
        systems=len(lines),
        classified=sum(1 for line in lines if line.system_type),
        type_unknown=sum(1 for line in lines if not line.system_type),
        no_dossier=sum(1 for r in registers if r.dossier_status is None),
        dossier={status: dossier[status] for status in DOSSIER_STATUSES},
        built=sum(1 for r in registers if r.dossier_status in _BUILT),
        appraised=sum(1 for r in registers if r.dossier_status in _APPRAISED),
        approved=len(approved),
        with_regulation=sum(1 for r in registers if r.security_regulation is not None),
        plan={d: plan[d] for d in (*DEPLOYMENTS, "undeclared")},
        inspected_pre_operation=sum(1 for r in registers if r.pre_operation is not None),
        periodic={status: periodic[status] for status in PERIODIC_STATUSES},
        expected_completion=max(expected, default=None),
        expected_missing=len(pending) - len(expected),
        national_security=sum(1 for r in registers if r.national_security_critical),
        not_recorded=len(lines) - len(registers),
        retired_before=sum(
            1
            for line in retired
            if line.register is not None and line.register.retired is not None
        ),
        retired_undated=sum(
            1 for line in retired if line.register is None or line.register.retired is None
        ),
    )



def owners(
    agencies: Sequence[tuple[RunRow, AgencyRow]], organisation_run: RunRow | None
) -> tuple[Owner, ...]:
    """Form 08 section 2: the organisation's owner and unit, with the agencies that declare
    none of their own; then each agency that is an owner in its own right."""
    org = organisation_run.register if organisation_run is not None else None
    inherit: list[str] = []
    own: list[Owner] = []
    for _, row in sorted(agencies, key=lambda pair: pair[1].agency_id):
        register = row.register
        if register is None or (register.owner is None and register.unit is None):
            inherit.append(row.agency_id)
        else:
            own.append(Owner(register.owner, register.unit, (row.agency_id,)))
    first = Owner(org.owner if org else None, org.unit if org else None, ("", *inherit))
    return (first, *own)



def requirements(accs: Mapping[str, ReqAcc]) -> tuple[Requirement, ...]:
    out = [
        Requirement(
            rule_id=rule_id,
            group=req.group,
            met=req.tally[KpiStatus.MET],
            not_met=req.tally[KpiStatus.NOT_MET],
            unverified=req.tally[KpiStatus.UNVERIFIED],
            due=req.due,
            due_unknown=req.due_unknown,
            overdue=req.overdue,
        )
        for rule_id, req in accs.items()
    ]
    return tuple(sorted(out, key=lambda r: (r.group, r.rule_id)))


