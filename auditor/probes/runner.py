"""Run the live probes of a plan: the only place with concurrency.

Every probe is a blocking function of one target that never raises (tls, http, ipv6,
dnssec and caa, certfile). Here they run in one bounded thread pool, with a per-address limit
so that many endpoints on one server do not look like a flood, and a total time limit: a task
that has not started when the limit is reached is reported as not probed, never dropped. A
task that raises anyway (a bug) becomes an `internal error` observation for its target and the
run goes on.

Timeouts live inside the probes (socket timeouts), because a thread cannot be cancelled.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, zip_longest
from pathlib import Path
from typing import Generic, TypeVar

from auditor.probes.anchors import AnchorSet
from auditor.probes.caa import CaaObservation, probe_caa
from auditor.probes.certfile import CertFileObservation, read_certificate_file
from auditor.probes.dns import Addresses, Resolver, ResolverConfig
from auditor.probes.dns_wire import Wire
from auditor.probes.dnssec import DnssecObservation, validate_name
from auditor.probes.http import Redirect, check_redirect, fetch
from auditor.probes.ipv6 import Ipv6Observation, probe_web_ipv6
from auditor.probes.revocation import (
    RevocationObservation,
    certificate_file_revocation,
    endpoint_revocation,
)
from auditor.probes.samesite import SiteComparison, compare_sites
from auditor.probes.targets import CertFileTarget, EndpointTarget, ProbePlan
from auditor.probes.tls import TlsObservation, probe_endpoint
from auditor.probes.trust_anchor import TrustAnchors
from auditor.progress import ProgressListener as ProgressListener  # audit.py imports it here
from auditor.progress import Silent

_log = logging.getLogger(__name__)

R = TypeVar("R")
PROBES = ("tls", "ipv6", "dns", "files")


@dataclass(frozen=True)
class ProbeOptions:
    as_of: dt.date
    timeout: float = 5.0  # per connection attempt (connect + handshake) or DNS query
    workers: int = 32
    per_host: int = 4  # concurrent connections to one address
    time_limit: float | None = None  # seconds for the whole run
    resolver: ResolverConfig = field(default_factory=ResolverConfig)
    check_legacy: bool = True
    probes: frozenset[str] = frozenset(PROBES)
    #: Ask the OCSP responders and CRL distribution points the certificates name (--revocation).
    revocation: bool = False
    #: Ask each server for its OCSP staple (one more connection per address; --no-staple).
    staple: bool = True
    #: DNSSEC trust anchors (--trust-anchor), overriding those the inventory declares; with
    #: neither, DNSSEC is not validated (rule manual).
    trust_anchors: TrustAnchors | None = None


@dataclass(frozen=True)
class TlsResult:
    """The TLS probe of one endpoint at one of its addresses, and its HTTP redirect."""

    target: EndpointTarget
    tls: TlsObservation
    redirect: Redirect | None = None
    revocation: RevocationObservation | None = None  # None when the handshake failed


@dataclass(frozen=True)
class Ipv6Result:
    target: EndpointTarget
    ipv6: Ipv6Observation
    site: SiteComparison | None = None


@dataclass(frozen=True)
class DnsResult:
    """DNSSEC and CAA of one endpoint's host name."""

    target: EndpointTarget
    dnssec: DnssecObservation
    caa: CaaObservation
    anchor_file: str | None = None  # the trust anchor file the DNSSEC result rests on


@dataclass(frozen=True)
class FileResult:
    target: CertFileTarget
    observation: CertFileObservation
    revocation: RevocationObservation | None = None  # against tls_policy.crl_files


@dataclass
class ProbeResults:
    started_at: str
    finished_at: str = ""
    addresses: dict[str, Addresses] = field(default_factory=dict)
    tls: list[TlsResult] = field(default_factory=list)
    ipv6: list[Ipv6Result] = field(default_factory=list)
    dns: list[DnsResult] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)


@dataclass(frozen=True)
class _Task(Generic[R]):
    key: str  # the address (or "dns", "files") the per-host limit counts against
    label: str
    run: Callable[[], R]
    failed: Callable[[str], R]  # the observation to record when the task cannot run


class _Pool:
    def __init__(self, options: ProbeOptions, listener: ProgressListener) -> None:
        self.options = options
        self.listener = listener
        self.deadline = (
            time.monotonic() + options.time_limit if options.time_limit is not None else None
        )
        self._limits: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _slot(self, key: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._limits.setdefault(key, threading.Semaphore(self.options.per_host))
        with semaphore:
            yield

    def _late(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def _one(self, task: _Task[R]) -> R:
        try:
            with self._slot(task.key):
                if self._late():
                    limit = self.options.time_limit
                    return task.failed(f"not probed: the time limit of {limit:g} s was reached")
                try:
                    return task.run()
                except Exception as exc:  # a bug in a probe must not end the audit
                    _log.debug("probe %s failed", task.label, exc_info=True)
                    return task.failed(f"internal error: {type(exc).__name__}: {exc}")
        finally:
            self.listener.done(task.label)

    def map(self, tasks: Sequence[_Task[R]]) -> list[R]:
        """Results in task order. Tasks are started round-robin across addresses, so workers
        rarely wait on one busy address while others are idle."""
        if not tasks:
            return []
        self.listener.planned(len(tasks))
        order = _round_robin(range(len(tasks)), key=lambda i: tasks[i].key)
        results: dict[int, R] = {}
        # No more threads than can ever run at once: at most `per_host` per address. A thread
        # beyond that would only take a task and wait for its address, and every finished task
        # would then wake another thread (1,000 endpoints on one address: 32 threads, 4 busy).
        per_key = Counter(task.key for task in tasks)
        busy = sum(min(self.options.per_host, n) for n in per_key.values())
        workers = max(1, min(self.options.workers, busy))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="probe") as pool:
            futures = {i: pool.submit(self._one, tasks[i]) for i in order}
            for i, future in futures.items():
                results[i] = future.result()
        return [results[i] for i in range(len(tasks))]


def _round_robin(indices: Sequence[int] | range, key: Callable[[int], str]) -> list[int]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i in indices:
        groups[key(i)].append(i)
    columns = zip_longest(*groups.values())
    return [i for i in chain.from_iterable(columns) if i is not None]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _addresses_of(target: EndpointTarget, resolved: dict[str, Addresses]) -> tuple[str, ...]:
    """Declared addresses first, then every A and AAAA answer, each once."""
    found = list(target.declared)
    answer = resolved.get(target.host)
    if answer is not None:
        found.extend((*answer.ipv4, *answer.ipv6))
    return tuple(dict.fromkeys(found))


def _unresolved(name: str, reason: str) -> Addresses:
    return Addresses(name=name, error=reason)


def _resolve_all(pool: _Pool, resolver: Resolver, names: Sequence[str]) -> dict[str, Addresses]:
    tasks = [
        _Task("dns", f"dns {name}", partial(resolver.addresses, name), partial(_unresolved, name))
        for name in names
    ]
    return {a.name: a for a in pool.map(tasks)}


def _tls_task(
    target: EndpointTarget, address: str | None, options: ProbeOptions, unresolved: str | None
) -> _Task[TlsResult]:
    def failed(reason: str) -> TlsResult:
        observation = TlsObservation(
            host=target.host,
            port=target.port,
            server_name=target.host,
            address=address,
            as_of=options.as_of,
            error=reason,
        )
        return TlsResult(target, observation)

    def run() -> TlsResult:
        if target.refused is not None:  # its CA bundle may not be read: not connected to
            return failed(target.refused)
        if address is None:
            return failed(unresolved or f"name does not resolve: {target.host}")
        observation = probe_endpoint(
            target.host,
            target.port,
            target.host,
            address,
            options.timeout,
            target.ca_bundle,
            options.as_of,
            check_legacy=options.check_legacy,
        )
        redirect = None
        if target.http_url is not None:
            redirect = check_redirect(target.http_url, address, timeout=options.timeout)
        revocation = None
        if observation.ok:
            revocation = endpoint_revocation(target.host, target.port, address,
                                             target.ca_bundle, options.timeout, options.as_of,
                                             options.revocation, target.crls,
                                             staple=options.staple)
        return TlsResult(target, observation, redirect, revocation)

    return _Task(address or target.host, f"tls {target.host}:{target.port}", run, failed)


def _site(
    target: EndpointTarget, observation: Ipv6Observation, timeout: float
) -> SiteComparison | None:
    """internet.nl's test 5: the same site from one IPv4 and one IPv6 address."""
    if not observation.ipv4 or not observation.ipv6:
        return None
    v4 = fetch(target.url, observation.ipv4[0], timeout=timeout)
    v6 = fetch(target.url, observation.ipv6[0], timeout=timeout)
    return compare_sites(v4, v6)


def _ipv6_task(
    target: EndpointTarget, resolver: Resolver, options: ProbeOptions
) -> _Task[Ipv6Result]:
    def run() -> Ipv6Result:
        observation = probe_web_ipv6(target.host, (target.port,), resolver, options.timeout)
        return Ipv6Result(target, observation, _site(target, observation, options.timeout))

    def failed(reason: str) -> Ipv6Result:
        return Ipv6Result(
            target, Ipv6Observation(host=target.host, ports=(target.port,), error=reason)
        )

    return _Task(target.host, f"ipv6 {target.host}", run, failed)


def _dns_task(target: EndpointTarget, wire: Wire, options: ProbeOptions,
              anchors: AnchorSet) -> _Task[DnsResult]:
    trusted, refused = anchors.for_target(target)
    # A refused anchor was still declared: DNS-01 is then an error saying why, not manual.
    declared = None if refused is None else str(target.trust_anchor)
    anchor_file = declared if trusted is None else trusted.path

    def run() -> DnsResult:
        if refused is not None:  # the declared anchor may not be read: an error, not manual
            dnssec = DnssecObservation(host=target.host, error=refused)
        else:
            dnssec = validate_name(target.host, wire, trusted, options.as_of)
        return DnsResult(target, dnssec, probe_caa(target.host, wire), anchor_file)

    def failed(reason: str) -> DnsResult:
        error = None if trusted is None and refused is None else reason
        return DnsResult(target, DnssecObservation(host=target.host, error=error),
                         CaaObservation(host=target.host, error=reason), anchor_file)

    return _Task("dns", f"dns {target.host}", run, failed)


def _file_task(target: CertFileTarget, as_of: dt.date) -> _Task[FileResult]:
    def failed(reason: str) -> FileResult:
        return FileResult(target, CertFileObservation(path=target.path, as_of=as_of, error=reason))

    def run() -> FileResult:
        if target.refused is not None:  # outside the allowed folders: never opened
            return failed(target.refused)
        observation = read_certificate_file(
            Path(target.resolved), as_of=as_of, ca_bundle=target.ca_bundle,
            bundle_refused=target.bundle_refused,
        )
        revocation = certificate_file_revocation(observation.chain_der, target.ca_bundle,
                                                 target.crls, as_of)
        return FileResult(target, observation, revocation)

    return _Task("files", f"file {target.path}", run, failed)


def _dedupe(
    tasks: Sequence[tuple[tuple[object, ...], _Task[R]]],
) -> tuple[list[_Task[R]], list[int]]:
    """Probe each distinct target once even when several systems name it."""
    unique: dict[tuple[object, ...], int] = {}
    kept: list[_Task[R]] = []
    index: list[int] = []
    for key, task in tasks:
        if key not in unique:
            unique[key] = len(kept)
            kept.append(task)
        index.append(unique[key])
    return kept, index


def run_probes(
    plan: ProbePlan,
    options: ProbeOptions,
    listener: ProgressListener | None = None,
    anchors: AnchorSet | None = None,
) -> ProbeResults:
    """Probe everything the plan names. Never raises for a target's failure.

    `anchors` are the DNSSEC trust anchors read for the plan (probes/anchors.py); without
    them only `options.trust_anchors` (the command line's) is used."""
    results = ProbeResults(started_at=_now())
    pool = _Pool(options, listener or Silent())
    resolver = Resolver(options.resolver)
    wanted = options.probes
    web = [t for t in plan.endpoints if t.kind.value == "web"]
    if {"tls", "ipv6"} & wanted:
        results.addresses = _resolve_all(pool, resolver, plan.host_names())

    if "tls" in wanted:
        keyed: list[tuple[tuple[object, ...], _Task[TlsResult]]] = []
        targets: list[EndpointTarget] = []
        for target in plan.endpoints:
            if target.scheme != "https":
                continue
            addresses = _addresses_of(target, results.addresses)
            answer = results.addresses.get(target.host)
            reason = answer.error if answer is not None else None
            for address in addresses or (None,):
                identity = (target.host, target.port, address, target.ca_bundle, target.http_url)
                keyed.append((identity, _tls_task(target, address, options, reason)))
                targets.append(target)
        tasks, index = _dedupe(keyed)
        done = pool.map(tasks)
        # Each system keeps its own target (its URL and policy) on the shared observation.
        results.tls = [
            TlsResult(target, done[i].tls, done[i].redirect, done[i].revocation)
            for target, i in zip(targets, index, strict=True)
        ]

    if "ipv6" in wanted:
        keyed6 = [((t.host, t.port, t.url), _ipv6_task(t, resolver, options)) for t in web]
        tasks6, index6 = _dedupe(keyed6)
        done6 = pool.map(tasks6)
        results.ipv6 = [
            Ipv6Result(t, done6[i].ipv6, done6[i].site) for t, i in zip(web, index6, strict=True)
        ]

    if "dns" in wanted:  # every endpoint with a host name: its zone's DNSSEC and CAA
        named = [t for t in plan.endpoints if not t.host_is_ip]
        anchor_set = anchors or AnchorSet(options.trust_anchors)
        wire = Wire(options.resolver)
        keyed_dns = [((t.host, t.trust_anchor, t.anchor_refused),
                      _dns_task(t, wire, options, anchor_set)) for t in named]
        tasks_dns, index_dns = _dedupe(keyed_dns)
        done_dns = pool.map(tasks_dns)
        results.dns = [
            DnsResult(t, done_dns[i].dnssec, done_dns[i].caa, done_dns[i].anchor_file)
            for t, i in zip(named, index_dns, strict=True)
        ]

    if "files" in wanted:
        results.files = pool.map([_file_task(t, options.as_of) for t in plan.cert_files])
    results.finished_at = _now()
    return results
