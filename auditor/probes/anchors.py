"""Which DNSSEC trust anchors each endpoint is validated from, and an account of every anchor.

A system declares its anchor file in the inventory (`dns_policy.trust_anchor`, its own or an
organisation/agency default; the path relative to the file that names it). `--trust-anchor
FILE` on the command line overrides every declaration: the declared files are then not read,
and are reported as unused. Declared files are read before any network I/O; one that cannot
be read or parsed is an `InputError` (exit 2) naming the inventory file, line and field.

Every anchor is accounted for: each file read is an input of the run (with its SHA-256), and
an anchor that covers no endpoint name it was given for is reported as unused with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dns.exception
import dns.name

from auditor.errors import InputError, Location, combine
from auditor.messages import Msg
from auditor.model.results import NOT_DECLARED, InputFile, Origin, Text2, UnusedInput
from auditor.probes.targets import DeclaredAnchor, EndpointTarget, ProbePlan
from auditor.probes.trust_anchor import TrustAnchorError, TrustAnchors, read_trust_anchors

FIELD = "dns_policy.trust_anchor"
KIND = "trust_anchor"


@dataclass(frozen=True)
class AnchorSet:
    """The anchors of a run: the command line's (overriding) or the declared files, read."""

    override: TrustAnchors | None = None
    declared: Mapping[Path, TrustAnchors] = field(default_factory=dict)

    def for_target(self, target: EndpointTarget) -> tuple[TrustAnchors | None, str | None]:
        """The anchors `target`'s name is validated from, or why none may be read."""
        if self.override is not None:
            return self.override, None
        if target.anchor_refused is not None:
            return None, target.anchor_refused
        if target.trust_anchor is None:
            return None, None
        return self.declared.get(target.trust_anchor), None


def _where(origin: Origin | None) -> Location:
    if origin is None or not origin.file:
        return Location("<inventory>", field=FIELD)
    return Location(origin.file, origin.line, field=FIELD)


def read_anchors(plan: ProbePlan, override: TrustAnchors | None) -> AnchorSet:
    """Read every declared anchor file the plan names (unless `override` replaces them all).
    All the bad ones are reported at once, before anything is probed."""
    if override is not None:
        return AnchorSet(override)
    declared: dict[Path, TrustAnchors] = {}
    problems: list[InputError] = []
    failed: set[Path] = set()
    for anchor in plan.anchors:
        if anchor.refused is not None or anchor.resolved in declared or anchor.resolved in failed:
            continue
        try:
            declared[anchor.resolved] = read_trust_anchors(anchor.resolved)
        except TrustAnchorError as exc:
            failed.add(anchor.resolved)
            problems.append(InputError(_where(anchor.origin), Msg(
                f"tệp neo tin cậy DNSSEC '{anchor.written}' không dùng được: {exc}",
                f"the DNSSEC trust anchor file '{anchor.written}' cannot be used: {exc}",
            )))
    if problems:
        raise combine(problems)
    return AnchorSet(None, declared)


def _covers(anchors: TrustAnchors, host: str) -> bool:
    try:
        return anchors.covering(dns.name.from_text(host)) is not None
    except dns.exception.DNSException:
        return False


def _named(plan: ProbePlan) -> list[EndpointTarget]:
    return [t for t in plan.endpoints if not t.host_is_ip]


@dataclass(frozen=True)
class AnchorAccount:
    """The files a run's probes read (inputs, with SHA-256) and those no verdict rests on:
    the trust anchors (here) and the CRL files (crl_account.py)."""

    inputs: tuple[InputFile, ...] = ()
    unused: tuple[UnusedInput, ...] = ()


def _origin(anchor: DeclaredAnchor) -> Origin:
    return anchor.origin if anchor.origin is not None else NOT_DECLARED


def _declared_unused(plan: ProbePlan, anchors: AnchorSet) -> list[UnusedInput]:
    """A declared file is used when it covers the name of an endpoint given to it (by any
    system naming it); otherwise each place that names it is reported, once."""
    found: list[UnusedInput] = []
    for anchor in plan.anchors:
        if anchors.override is not None:
            reason = Text2(
                vi=f"--trust-anchor {anchors.override.path} thay thế neo khai báo này",
                en=f"--trust-anchor {anchors.override.path} overrides this declaration",
            )
        elif anchor.refused is not None:
            continue  # its endpoints' DNSSEC is an error saying why: accounted for there
        else:
            read = anchors.declared[anchor.resolved]
            hosts = [t.host for t in _named(plan) if t.trust_anchor == anchor.resolved]
            if any(_covers(read, host) for host in hosts):
                continue
            reason = _not_covering(read, hosts)
        found.append(UnusedInput(str(anchor.resolved), KIND, reason, _origin(anchor)))
    return list(dict.fromkeys(found))  # several systems inheriting one default: once


def _not_covering(anchors: TrustAnchors, hosts: Sequence[str]) -> Text2:
    if not hosts:
        return Text2(vi="không có điểm cuối nào có tên miền để xác thực DNSSEC",
                     en="no endpoint with a host name to validate DNSSEC for")
    return Text2(
        vi=f"vùng được neo ({anchors.zones()}) không bao trùm tên nào của điểm cuối "
        f"({', '.join(sorted(set(hosts)))})",
        en=f"its zones ({anchors.zones()}) cover no endpoint name "
        f"({', '.join(sorted(set(hosts)))})",
    )


def account(plan: ProbePlan, anchors: AnchorSet) -> AnchorAccount:
    """Every anchor file read is an input; each one covering no endpoint name is unused."""
    read = [anchors.override] if anchors.override is not None else list(
        anchors.declared.values())
    inputs = tuple(InputFile(a.path, KIND, a.sha256) for a in read)
    unused = _declared_unused(plan, anchors)
    if anchors.override is not None:
        hosts = [t.host for t in _named(plan)]
        if not any(_covers(anchors.override, host) for host in hosts):
            reason = _not_covering(anchors.override, hosts)
            unused.append(UnusedInput(anchors.override.path, KIND, reason))
    return AnchorAccount(inputs, tuple(unused))
