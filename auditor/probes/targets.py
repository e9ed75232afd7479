"""What the live probes may touch: a plan built from the inventory alone (no I/O).

Scope is the inventory. The plan holds the URLs of declared endpoints and certificate
references, the addresses the inventory declares for those host names, and certificate files;
nothing else is ever probed. Host names were validated when the inventory was loaded (a name
can never begin with '-'), and addresses are `ipaddress` objects.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from auditor.checks.context import nearest
from auditor.model.inventory import EndpointKind, Inventory, System
from auditor.model.results import Origin


@dataclass(frozen=True)
class CrlRef:
    """A CRL file the inventory names (tls_policy.crl_files)."""

    path: str  # as written in the inventory
    resolved: Path
    #: Why it is not read (outside the folders certificate files may be read from).
    refused: str | None = None
    origin: Origin | None = None  # where the inventory names it (for the account of inputs)


@dataclass(frozen=True)
class EndpointTarget:
    """One URL of one system, with what the probes need to judge it."""

    system: str
    url: str
    scheme: str
    host: str
    port: int
    kind: EndpointKind
    http_url: str | None  # the plain-HTTP address that must redirect (web + https only)
    declared: tuple[str, ...]  # addresses the inventory declares for `host`
    ca_bundle: Path | None
    #: Why the endpoint is not probed: the CA bundle the inventory names lies outside the
    #: folders files may be read from (judging trust without it would mislead).
    refused: str | None = None
    #: The DNSSEC trust anchor file the system declares (dns_policy.trust_anchor), resolved.
    trust_anchor: Path | None = None
    #: Why that anchor is not read (outside the allowed folders): DNSSEC is then an error.
    anchor_refused: str | None = None
    crls: tuple[CrlRef, ...] = ()  # tls_policy.crl_files

    @property
    def host_is_ip(self) -> bool:
        return _is_ip(self.host)


@dataclass(frozen=True)
class DeclaredAnchor:
    """A DNSSEC trust anchor file one system declares (`dns_policy.trust_anchor`)."""

    system: str
    written: str  # as written in the inventory
    resolved: Path
    origin: Origin | None  # where it is written (its own or an inherited default's line)
    refused: str | None = None  # outside the allowed folders: never opened


@dataclass(frozen=True)
class CertFileTarget:
    system: str
    path: str  # as written in the inventory
    resolved: Path
    #: Why the file is not read (outside the folders certificate files may be read from).
    refused: str | None = None
    #: The trust anchors the file is judged against (tls_policy.ca_bundle, or --ca-bundle).
    ca_bundle: Path | None = None
    #: Why the trust is not judged (the CA bundle lies outside the allowed folders).
    bundle_refused: str | None = None
    crls: tuple[CrlRef, ...] = ()  # tls_policy.crl_files


CERT_PATH_REFUSED = (
    "not read: the path is outside the inventory's folder tree (after following symbolic "
    "links); pass --allow-cert-path DIR to read certificate files there"
)


TRUST_ANCHOR_REFUSED = (
    "not validated: the trust anchor file the inventory names (dns_policy.trust_anchor) is "
    "outside the inventory's folder tree (after following symbolic links); pass "
    "--allow-cert-path DIR to read it there"
)


CRL_PATH_REFUSED = (
    "not read: the CRL file is outside the inventory's folder tree (after following symbolic "
    "links); pass --allow-cert-path DIR to read it there"
)


CA_BUNDLE_REFUSED = (
    "not probed: the CA bundle the inventory names (tls_policy.ca_bundle) is outside the "
    "inventory's folder tree (after following symbolic links); pass --allow-cert-path DIR to "
    "read it there"
)


def cert_roots(inventory_paths: Sequence[Path], allowed: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The folder trees certificate files may be read from: each inventory path given on the
    command line (a file's folder), plus the folders the user allowed explicitly."""
    roots = [p if p.is_dir() else p.parent for p in inventory_paths]
    return tuple(dict.fromkeys(_real(p) for p in (*roots, *allowed)))


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _outside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, symbolic links followed, lies outside every root. The answer is the
    same whether or not the file exists (nothing about it is told to the user)."""
    try:
        real = _real(path)
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte: not read either
        return True
    return not any(real == root or real.is_relative_to(root) for root in roots)


@dataclass(frozen=True)
class ProbePlan:
    endpoints: tuple[EndpointTarget, ...] = ()
    cert_files: tuple[CertFileTarget, ...] = ()
    systems: tuple[str, ...] = field(default_factory=tuple)
    #: Every declared trust anchor, one per system declaring (or inheriting) one.
    anchors: tuple[DeclaredAnchor, ...] = ()
    #: Every declared CRL file, with the system declaring (or inheriting) it: also those of
    #: systems with no certificate to judge (their files are then unused, and said so).
    crl_files: tuple[tuple[str, CrlRef], ...] = ()

    def host_names(self) -> tuple[str, ...]:
        """Every host name (not IP literal) the plan needs resolved, sorted, once each."""
        names = {t.host for t in self.endpoints if not t.host_is_ip}
        names |= {_host_port(t.http_url)[0] for t in self.endpoints if t.http_url}
        return tuple(sorted(n for n in names if not _is_ip(n)))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    return host, parts.port or (443 if parts.scheme == "https" else 80)


def _relative_to(origin: Origin | None, value: str, base: Path) -> Path:
    """A path written in the inventory is relative to the file that wrote it."""
    path = Path(value)
    if path.is_absolute():
        return path
    if origin is not None and origin.file:
        return Path(origin.file).parent / path
    return base / path


def _declared_addresses(system: System) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for host in system.hosts:
        bucket = found.setdefault(host.name, [])
        bucket.extend(str(a) for a in (*host.ipv4, *host.ipv6))
    return {name: tuple(dict.fromkeys(values)) for name, values in found.items()}


def plan_probes(
    inventory: Inventory,
    system_origins: Mapping[str, Mapping[str, Origin]],
    *,
    ca_bundle: Path | None = None,
    only_system: str | None = None,
    base: Path = Path(),
    cert_roots: Sequence[Path] | None = None,
) -> ProbePlan:
    """Endpoints and certificate files of every system (or one), in inventory order.

    `ca_bundle` (from the command line) is used where the inventory names none. With
    `cert_roots` (see `cert_roots()`), a certificate file that resolves outside all of them
    is planned as refused and never opened.
    """
    roots = None if cert_roots is None else tuple(_real(r) for r in cert_roots)
    endpoints: list[EndpointTarget] = []
    files: list[CertFileTarget] = []
    systems: list[str] = []
    anchors: list[DeclaredAnchor] = []
    crl_files: list[tuple[str, CrlRef]] = []
    for _agency, system in inventory.systems():
        if only_system is not None and system.id != only_system:
            continue
        systems.append(system.id)
        origins = system_origins.get(system.id, {})
        bundle = ca_bundle
        bundle_refused = None
        policy = system.tls_policy
        if policy is not None and policy.ca_bundle:
            bundle = _relative_to(nearest(origins, "tls_policy.ca_bundle"), policy.ca_bundle, base)
            if roots is not None and _outside(bundle, roots):
                bundle, bundle_refused = None, CA_BUNDLE_REFUSED  # never opened
        anchor = _declared_anchor(system, origins, base, roots)
        if anchor is not None:
            anchors.append(anchor)
        crls: tuple[CrlRef, ...] = ()
        if policy is not None and policy.crl_files:
            where = nearest(origins, "tls_policy.crl_files")
            resolved_crls = [_relative_to(where, path, base) for path in policy.crl_files]
            crls = tuple(
                CrlRef(path, resolved,
                       CRL_PATH_REFUSED if roots is not None and _outside(resolved, roots)
                       else None, where)
                for path, resolved in zip(policy.crl_files, resolved_crls, strict=True)
            )
            crl_files += [(system.id, ref) for ref in crls]
        addresses = _declared_addresses(system)
        urls: dict[str, EndpointKind] = {e.url: e.kind for e in system.endpoints}
        http_urls = {e.url: e.http_url for e in system.endpoints}
        for ref in system.certificates:
            if ref.endpoint is not None:
                urls.setdefault(ref.endpoint, EndpointKind.OTHER)
        for url, kind in urls.items():
            parts = urlsplit(url)
            host, port = _host_port(url)
            declared_http = http_urls.get(url)
            http_url = None
            if parts.scheme == "https" and (declared_http or kind is EndpointKind.WEB):
                http_url = declared_http or f"http://{f'[{host}]' if ':' in host else host}/"
            endpoints.append(
                EndpointTarget(
                    system=system.id,
                    url=url,
                    scheme=parts.scheme,
                    host=host,
                    port=port,
                    kind=kind,
                    http_url=http_url,
                    declared=addresses.get(host, (host,) if _is_ip(host) else ()),
                    ca_bundle=bundle,
                    refused=bundle_refused,
                    trust_anchor=None if anchor is None else anchor.resolved,
                    anchor_refused=None if anchor is None else anchor.refused,
                    crls=crls,
                )
            )
        for ref in system.certificates:
            if ref.file is None:
                continue
            where = nearest(origins, "certificates")  # list items share their list's file
            resolved = _relative_to(where, ref.file, base)
            refused = CERT_PATH_REFUSED if roots is not None and _outside(resolved, roots) else None
            files.append(
                CertFileTarget(system.id, ref.file, resolved, refused, bundle, bundle_refused,
                               crls)
            )
    return ProbePlan(tuple(endpoints), tuple(files), tuple(systems), tuple(anchors),
                     tuple(crl_files))


def _declared_anchor(system: System, origins: Mapping[str, Origin], base: Path,
                     roots: Sequence[Path] | None) -> DeclaredAnchor | None:
    """The system's `dns_policy.trust_anchor`, relative to the file that wrote it; refused
    (never opened) outside the folders files may be read from, as a CA bundle is."""
    policy = system.dns_policy
    if policy is None or not policy.trust_anchor:
        return None
    where = nearest(origins, "dns_policy.trust_anchor")
    resolved = _relative_to(where, policy.trust_anchor, base)
    refused = TRUST_ANCHOR_REFUSED if roots is not None and _outside(resolved, roots) else None
    return DeclaredAnchor(system.id, policy.trust_anchor, resolved, where, refused)
