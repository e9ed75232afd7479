"""Declared and derived facts: what the engine knows about each system before judging it.

Pure. Declared facts are the inventory's values (with the origins the loader recorded);
derived facts (levels under both regimes, governing regime, whether the system operates)
are computed here once per system so that every rule reads the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.checks.context import OBSERVED_COLLECTIONS, Item
from auditor.levels import Classification, classify_both
from auditor.model.inventory import (
    Agency,
    DossierStatus,
    Lifecycle,
    Organisation,
    Regime,
    System,
)
from auditor.model.results import (
    FiredCriterionOut,
    LevelResult,
    OpenCriterionOut,
    Origin,
    Text2,
)
from auditor.regime import governing_regime

Origins = Mapping[str, Origin]

_OPERATING = frozenset({Lifecycle.TRIAL, Lifecycle.PRODUCTION})
_IN_DEVELOPMENT = frozenset({Lifecycle.PLANNING, Lifecycle.BUILDING, Lifecycle.TESTING})
_DERIVED = Origin(source="derived", via="auditor")
_OBSERVED = Origin(source="observed", via="live probes")


@dataclass(frozen=True)
class Provenance:
    """Origins of declared values, as recorded by the loader."""

    systems: Mapping[str, Origins] = field(default_factory=dict)
    agencies: Mapping[str, Origins] = field(default_factory=dict)
    organisation: Origins = field(default_factory=dict)


@dataclass(frozen=True)
class SystemObservations:
    """What the live probes saw of one system, ready for the rules (built at the probe edge).

    `collections` adds the observed collections (`tls`, `certs`); `endpoints` adds observed
    values to the declared endpoint with that URL (e.g. its `ipv6.*` facts) and the reasons
    any of them could not be observed.
    """

    collections: Mapping[str, tuple[Item, ...]] = field(default_factory=dict)
    endpoints: Mapping[str, tuple[Mapping[str, Any], Mapping[str, str]]] = field(
        default_factory=dict
    )
    origin: Origin = _OBSERVED


@dataclass(frozen=True)
class SystemFacts:
    system: System
    agency: Agency
    level: LevelResult
    regime: Regime
    values: Mapping[str, Any]
    origins: Origins
    collections: Mapping[str, tuple[Item, ...]]
    attestations: tuple[Mapping[str, Any], ...]


def body_values(body: Agency | Organisation) -> dict[str, Any]:
    return body.model_dump(exclude={"systems", "defaults"})


def is_operating(system: System, assume_golive: bool = False) -> bool:
    """In use: production or trial, or testing with real data (treated as production)."""
    if assume_golive:
        return True
    return system.lifecycle in _OPERATING or (
        system.lifecycle == Lifecycle.TESTING and system.real_data
    )


def _criteria(classification: Classification) -> tuple[FiredCriterionOut, ...]:
    return tuple(
        FiredCriterionOut(
            id=f.criterion.id,
            level=f.criterion.level,
            reference=f.criterion.reference,
            component=f.component,
            decisive=f.criterion.level == classification.level,
        )
        for f in classification.fired
    )


def _undecided(classification: Classification) -> tuple[OpenCriterionOut, ...]:
    return tuple(
        OpenCriterionOut(
            id=o.criterion.id,
            level=o.criterion.level,
            reference=o.criterion.reference,
            component=o.component,
            unknown=o.unknown,
        )
        for o in classification.undecided()
    )


def _open_facts(classification: Classification) -> dict[str, list[str]]:
    facts: dict[str, list[str]] = {}
    for entry in classification.open:
        names = facts.setdefault(entry.criterion.id, [])
        names.extend(name for name in entry.unknown if name not in names)
    return facts


def classify_system(
    system: System, organisation_kind: str | None = None
) -> dict[Regime, Classification]:
    """Both regimes' classification of a system; national criteria stay open questions only
    for organisations that can own national systems (not a province)."""
    return classify_both(
        system.system_type,
        system.classification,
        system.components,
        national_possible=organisation_kind not in (None, "province"),
    )


_SUBJECT_KEYS = ("name", "url", "endpoint", "file")


def _items(
    values: Mapping[str, Any], origins: Origins, observed: SystemObservations | None
) -> dict[str, tuple[Item, ...]]:
    """Hosts, endpoints and certificates as items for per-subject rules (from the dump), with
    what the probes observed merged into endpoints and the observed collections added."""
    collections: dict[str, tuple[Item, ...]] = {}
    extra = observed.endpoints if observed is not None else {}
    for name in ("hosts", "endpoints", "certificates"):
        origin = origins.get(name, origins.get("", _DERIVED))
        items = []
        for index, entry in enumerate(values[name]):
            subject = str(next((entry[k] for k in _SUBJECT_KEYS if entry.get(k)), index))
            seen = extra.get(subject) if name == "endpoints" else None
            if seen is None or observed is None:
                items.append(Item(subject=subject, values=entry, origins={"": origin}))
                continue
            added, errors = seen
            item_origins = {"": origin, **dict.fromkeys(added, observed.origin)}
            item_origins.update({key: observed.origin for key in errors if key})
            items.append(Item(subject, {**entry, **added}, item_origins, errors))
        collections[name] = tuple(items)
    for name in OBSERVED_COLLECTIONS:
        collections[name] = tuple(observed.collections.get(name, ())) if observed else ()
    return collections


def system_facts(
    agency: Agency,
    system: System,
    agency_values: Mapping[str, Any],
    organisation_values: Mapping[str, Any],
    origins: Origins,
    as_of: dt.date,
    assume_golive: bool = False,
    observed: SystemObservations | None = None,
) -> SystemFacts:
    classifications = classify_system(system, organisation_values.get("kind"))
    decision = governing_regime(system, as_of)
    regime = decision.regime
    ordered = sorted(classifications.items())
    computed = {str(r): c.level for r, c in ordered}
    upper = {str(r): c.upper for r, c in ordered}
    declared = system.declared_level
    approved_status = system.dossier is not None and system.dossier.status == DossierStatus.APPROVED
    effective = max(declared or 0, classifications[regime].level)
    level = LevelResult(
        declared=declared,
        approved=declared if approved_status else None,
        computed=computed,
        criteria={str(r): _criteria(c) for r, c in ordered},
        governing_regime=str(regime),
        regime_reason=Text2(vi=decision.reason_vi, en=decision.reason_en),
        effective=effective,
        upper=upper,
        undecided={str(r): _undecided(c) for r, c in ordered},
    )
    values = system.model_dump()
    if assume_golive:
        values["lifecycle"] = Lifecycle.PRODUCTION
    values["level"] = {
        "declared": declared,
        "approved": level.approved,
        "effective": effective,
        "computed": {**computed, "governing": classifications[regime].level},
        "upper": {**upper, "governing": classifications[regime].upper},
        "criteria": {str(r): sorted(c.fired_ids()) for r, c in ordered},
        # every criterion still open (not only those above the proven level): a rule keyed
        # to a criterion cannot say it does not hold while it may
        "possible": {str(r): sorted(c.open_ids()) for r, c in ordered},
        "deciding_facts": {str(r): list(c.deciding_facts()) for r, c in ordered},
        # criterion id -> the undeclared facts it waits for (system and components together)
        "open": {str(r): _open_facts(c) for r, c in ordered},
        "undecided": {
            str(r): [
                {"id": o.criterion.id, "level": o.criterion.level, "unknown": list(o.unknown)}
                for o in c.undecided()
            ]
            for r, c in ordered
        },
    }
    values["regime"] = str(regime)
    values["regime_reason"] = {"vi": decision.reason_vi, "en": decision.reason_en}
    values["operating"] = is_operating(system, assume_golive)
    values["in_development"] = not assume_golive and system.lifecycle in _IN_DEVELOPMENT
    values["agency"] = agency_values
    values["organisation"] = organisation_values
    all_origins = dict(origins)
    for key in ("level", "regime", "operating", "in_development"):
        all_origins[key] = _DERIVED
    if assume_golive:
        all_origins["lifecycle"] = Origin(source="derived", via="go-live gate (assumed production)")
    return SystemFacts(
        system=system,
        agency=agency,
        level=level,
        regime=regime,
        values=values,
        origins=all_origins,
        collections=_items(values, origins, observed),
        attestations=tuple(a.model_dump() for a in system.attestations),
    )
