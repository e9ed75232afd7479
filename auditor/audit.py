"""run_audit: the whole pipeline, top to bottom. The CLI and library users both call it.

inventory = load_inventory(paths)            validated, defaults inherited, origins kept
catalog   = load_catalog(shipped + extra)    validated rules, unique ids
observed  = run_probes(plan_probes(...))     only with --live: the network I/O, all of it
run       = engine.evaluate(...)             pure, deterministic for the same observations

run_gate is the same pipeline for the go-live gate, judging only the system at the gate
(engine.evaluate_system).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.engine import evaluate, evaluate_system
from auditor.errors import InputError, combine
from auditor.facts import Provenance, SystemObservations
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import LoadedInventory, load_inventory
from auditor.model.results import AuditRun, InputFile, Status, SystemResult, UnusedInput
from auditor.rules import Catalog

if TYPE_CHECKING:
    # The probes and nmap are imported when an audit probes or scans (start-up time).
    from auditor.probes.anchors import AnchorAccount
    from auditor.probes.runner import ProbeOptions, ProbeResults, ProgressListener
    from auditor.scan.model import ScanRun
    from auditor.scan.nmap_runner import ScanOptions

#: Told `(done, total)` as work advances (inventory files read, systems judged).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LiveRequest:
    """Probe what the inventory names before judging (`--live`)."""

    options: ProbeOptions
    ca_bundle: Path | None = None
    listener: ProgressListener | None = None
    #: Folders certificate files may also be read from, besides the inventory's own tree.
    allow_cert_paths: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ScanRequest:
    """Port-scan what the inventory names (`--scan`, with --live), or read saved scans."""

    options: ScanOptions | None = None  # None: no new scan, only `results`
    results: Sequence[Path] = ()  # saved scans (auditor JSON) or nmap XML files
    listener: ProgressListener | None = None


@dataclass(frozen=True)
class AuditRequest:
    inventory_paths: Sequence[Path]
    as_of: dt.date
    checklist_paths: Sequence[Path] = field(default_factory=tuple)
    lang: str = "vi"
    golive_system: str | None = None
    live: LiveRequest | None = None
    scan: ScanRequest | None = None
    files_progress: Progress | None = None  # after each inventory file read
    systems_progress: Progress | None = None  # after each system judged


@dataclass(frozen=True)
class AuditOutcome:
    run: AuditRun
    loaded: LoadedInventory
    catalog: Catalog
    probes: ProbeResults | None = None
    scans: tuple[ScanRun, ...] = ()


@dataclass(frozen=True)
class GateOutcome:
    """The go-live gate's system judged as if it went live, and what it was judged from."""

    system: SystemResult | None  # None: the inventory has no system of that id
    loaded: LoadedInventory
    catalog: Catalog
    inputs: tuple[InputFile, ...]  # inventory files, checklists, trust anchors, CRL files
    probes: ProbeResults | None = None
    scans: tuple[ScanRun, ...] = ()
    unused_inputs: tuple[UnusedInput, ...] = ()  # e.g. a trust anchor covering no endpoint


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of one audit.

    Loading and judging 10,000 systems creates millions of small acyclic objects (dicts,
    models, findings); the collector would rescan them all many times over, which measured
    ~40 % of load time and ~25 % of evaluation (bench/README.md). Reference counting still
    frees everything; cycles made meanwhile are collected when the collector resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_audit(request: AuditRequest) -> AuditOutcome:
    with _cyclic_gc_paused():
        return _run(request)


def run_gate(request: AuditRequest) -> GateOutcome:
    """The go-live gate of `request.golive_system`: the pipeline of `run_audit`, but only that
    system is judged (its findings do not depend on the others: engine.evaluate_system)."""
    assert request.golive_system is not None  # noqa: S101 - a gate names its system
    with _cyclic_gc_paused():
        seen = _gather(request)
        system = evaluate_system(
            seen.loaded.inventory,
            seen.catalog,
            request.as_of,
            request.golive_system,
            provenance=seen.provenance,
            golive=True,
            observations=seen.observations,
            progress=request.systems_progress,
        )
        return GateOutcome(
            system=system,
            loaded=seen.loaded,
            catalog=seen.catalog,
            inputs=seen.inputs,
            probes=seen.probes,
            scans=seen.scans,
            unused_inputs=seen.unused_inputs,
        )


def _load(request: AuditRequest) -> tuple[LoadedInventory, Catalog, list[InputFile]]:
    """The inventory and the checklists; the problems of both are reported together."""
    problems: list[InputError] = []
    loaded: LoadedInventory | None = None
    try:
        loaded = load_inventory(request.inventory_paths, progress=request.files_progress)
    except InputError as exc:
        problems.append(exc)
    try:
        catalog, checklist_inputs = load_catalog(request.checklist_paths)
    except InputError as exc:
        problems.append(exc)
    if problems or loaded is None:
        raise combine(problems)
    return loaded, catalog, checklist_inputs


@dataclass(frozen=True)
class _Gathered:
    """Everything an audit judges from: the inputs loaded, and what probes and scans saw."""

    loaded: LoadedInventory
    catalog: Catalog
    inputs: tuple[InputFile, ...]
    provenance: Provenance
    probes: ProbeResults | None
    scans: tuple[ScanRun, ...]
    observations: dict[str, SystemObservations]
    unused_inputs: tuple[UnusedInput, ...] = ()


def _gather(request: AuditRequest) -> _Gathered:
    loaded, catalog, checklist_inputs = _load(request)
    provenance = Provenance(
        systems=loaded.system_origins,
        agencies=loaded.agency_origins,
        organisation=loaded.organisation_origins,
    )
    probes, account = _observe(request, loaded) if request.live is not None else (None, None)
    scans = _scans(request, loaded) if request.scan is not None else ()
    observations: dict[str, SystemObservations] = {}
    if probes is not None or scans:
        from auditor.probes.observe import system_observations
        from auditor.scan.observe import merge_observations, scan_observations

        observations = merge_observations(
            system_observations(probes) if probes is not None else {},
            scan_observations(loaded.inventory, scans, request.as_of)[0] if scans else {},
        )
    inputs = (*loaded.files, *checklist_inputs, *(account.inputs if account else ()))
    unused = account.unused if account else ()
    return _Gathered(loaded, catalog, inputs, provenance, probes, scans, observations, unused)


def _run(request: AuditRequest) -> AuditOutcome:
    seen = _gather(request)
    probes, scans = seen.probes, seen.scans
    run = evaluate(
        seen.loaded.inventory,
        seen.catalog,
        request.as_of,
        provenance=seen.provenance,
        inputs=seen.inputs,
        lang=request.lang,
        golive_system=request.golive_system,
        live=probes is not None or (request.scan is not None and request.scan.options is not None),
        observations=seen.observations,
        observed_at=_observed_at(probes, scans),
        progress=request.systems_progress,
    )
    run = replace(run, extra={**run.extra, **unverified_sources(run, seen.catalog)},
                  run=replace(run.run, unused_inputs=seen.unused_inputs))
    return AuditOutcome(
        run=run, loaded=seen.loaded, catalog=seen.catalog, probes=probes, scans=scans
    )


_OPEN = frozenset({Status.FAIL, Status.ERROR, Status.MANUAL})


def unverified_sources(run: AuditRun, catalog: Catalog) -> dict[str, Any]:
    """Which findings rest on rules whose source is unverified (confidence U).

    `{"unverified_sources": {"rules": [...], "findings": n, "open": m}}`: the U rules that gave
    an applicable finding, how many such findings, and how many of them need action (fail,
    error, manual). Reports print it beside the results, so nobody signs a verdict without
    knowing it rests on an unconfirmed text."""
    unverified = {rule.id for rule in catalog if rule.confidence == "U"}
    every = (
        *run.organisation.findings,
        *(f for a in run.agencies for f in a.findings),
        *(f for s in run.systems for f in s.findings),
    )
    findings = [
        f for f in every if f.rule_id in unverified and f.status is not Status.NOT_APPLICABLE
    ]
    return {
        "unverified_sources": {
            "rules": sorted({f.rule_id for f in findings}),
            "findings": len(findings),
            "open": sum(1 for f in findings if f.status in _OPEN),
        }
    }


def _observed_at(probes: ProbeResults | None, scans: Sequence[ScanRun]) -> str | None:
    times = [probes.started_at] if probes is not None else []
    times += [s.started for s in scans if s.started]
    return min(times) if times else None


def _scans(request: AuditRequest, loaded: LoadedInventory) -> tuple[ScanRun, ...]:
    """Saved scans first (read and validated before any network I/O), then a new scan."""
    assert request.scan is not None  # noqa: S101 - the caller checked
    from auditor.scan.nmap_runner import run_scan
    from auditor.scan.store import load_scan
    from auditor.scan.targets import scan_targets

    saved = [load_scan(path) for path in request.scan.results]
    if request.scan.options is None:
        return tuple(saved)
    targets = scan_targets(loaded.inventory, request.golive_system)
    fresh = run_scan(targets, request.scan.options, request.scan.listener)
    return (*saved, fresh)


def _observe(request: AuditRequest, loaded: LoadedInventory
             ) -> tuple[ProbeResults, AnchorAccount]:
    """The live probes: for the go-live gate only the system at the gate is probed. The
    declared trust anchors are read first (a bad one is exit 2, before any network I/O).
    With the results, the account of the files the probes read: the trust anchors and the
    CRL files, each an input of the run, or unused with the reason."""
    assert request.live is not None  # noqa: S101 - the caller checked
    from auditor.probes.anchors import AnchorAccount, account, read_anchors
    from auditor.probes.crl_account import account_crl_files
    from auditor.probes.runner import run_probes
    from auditor.probes.targets import cert_roots, plan_probes

    plan = plan_probes(
        loaded.inventory,
        loaded.system_origins,
        ca_bundle=request.live.ca_bundle,
        only_system=request.golive_system,
        cert_roots=cert_roots(request.inventory_paths, request.live.allow_cert_paths),
    )
    anchors = read_anchors(plan, request.live.options.trust_anchors)
    results = run_probes(plan, request.live.options, request.live.listener, anchors)
    anchor_files = account(plan, anchors)
    crl_inputs, crl_unused = account_crl_files(plan, results)
    return results, AnchorAccount((*anchor_files.inputs, *crl_inputs),
                                  (*anchor_files.unused, *crl_unused))
