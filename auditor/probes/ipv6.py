"""IPv6 readiness of one web host name: internet.nl's web IPv6 tests 1–4.

internet.nl ("Modern address (IPv6)" of its website test) runs these subtests, reproduced here
as observations (rules decide what passes):

1. *ns-AAAA* — the name servers of the domain have IPv6 addresses (at least two should);
2. *ns-reach* — every name server with an AAAA record answers DNS over IPv6;
3. *web-AAAA* — the web server has an AAAA record;
4. *web-reach* — the web server is reachable over IPv6 on every expected port (TCP connect).

IPv4-mapped AAAA answers (``::ffff:0:0/96``) are not IPv6 connectivity and are set aside.
Test 5 (*web-ipv46*: the same web site over IPv4 and IPv6) needs HTTP and is composed
elsewhere, from the HTTP module's observations.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from auditor.probes.dns import NameServer, Resolver


@dataclass(frozen=True)
class Reachability:
    """One TCP connect to (address, port) over IPv6."""

    address: str
    port: int
    reachable: bool
    reason: str | None = None


@dataclass(frozen=True)
class NameServerIpv6:
    """One name server of the zone. `answers_over_ipv6` is None without a usable AAAA,
    else True only if every usable AAAA answered a DNS query."""

    name: str
    ipv6: tuple[str, ...]
    answers_over_ipv6: bool | None
    reason: str | None = None


@dataclass(frozen=True)
class Ipv6Observation:
    """Everything the probe of one web host saw. `error` set ⇒ nothing else is."""

    host: str
    ports: tuple[int, ...]
    error: str | None = None  # the host look-up itself failed
    ipv4: tuple[str, ...] = ()
    ipv6: tuple[str, ...] = ()  # usable AAAA (IPv4-mapped removed)
    ipv6_mapped: tuple[str, ...] = ()  # IPv4-mapped AAAA answers (they do not count)
    zone: str | None = None
    zone_error: str | None = None
    name_servers: tuple[NameServerIpv6, ...] = ()
    reachability: tuple[Reachability, ...] = ()  # every usable AAAA × every port

    @property
    def ns_with_ipv6(self) -> int:
        """Test 1: name servers with at least one usable AAAA (passes at 2 or more)."""
        return sum(1 for ns in self.name_servers if ns.ipv6)

    @property
    def ns_reachable_ipv6(self) -> bool | None:
        """Test 2: every name server with an AAAA answers over IPv6; None if none has one."""
        judged = [ns.answers_over_ipv6 for ns in self.name_servers
                  if ns.answers_over_ipv6 is not None]
        return all(judged) if judged else None

    @property
    def has_aaaa(self) -> bool:
        """Test 3: the host has a usable AAAA record."""
        return bool(self.ipv6)

    @property
    def reachable_ipv6(self) -> bool | None:
        """Test 4: every usable AAAA is reachable on every port; None if nothing to try."""
        if not self.reachability:
            return None
        return all(r.reachable for r in self.reachability)

    @property
    def reachable_share(self) -> float | None:
        """The fraction of (address, port) pairs reachable; None if nothing to try."""
        if not self.reachability:
            return None
        return sum(1 for r in self.reachability if r.reachable) / len(self.reachability)


def _is_mapped(address: str) -> bool:
    try:
        return ipaddress.IPv6Address(address).ipv4_mapped is not None
    except ValueError:
        return False  # not judged here: `connect` reports it as unreachable with a reason


def _split(addresses: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(usable, IPv4-mapped)."""
    mapped = tuple(a for a in addresses if _is_mapped(a))
    return tuple(a for a in addresses if a not in mapped), mapped


def _connect_reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return f"network error: {exc.strerror or exc}"


def connect(address: str, port: int, timeout: float) -> Reachability:
    """Plain TCP connect over IPv6, closed at once. Never raises."""
    try:
        ip = ipaddress.IPv6Address(address)
    except ValueError:
        return Reachability(address, port, False, f"not an IPv6 address: {address!r}")
    if not 1 <= port <= 65535:
        return Reachability(address, port, False, f"invalid port {port}")
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect((str(ip), port, 0, 0))
    except OSError as exc:
        return Reachability(address, port, False, _connect_reason(exc))
    return Reachability(address, port, True)


def _name_server(server: NameServer, zone: str, resolver: Resolver) -> NameServerIpv6:
    usable, _ = _split(server.ipv6)
    if not usable:
        reason = server.error or "no usable AAAA record"
        return NameServerIpv6(server.name, (), None, reason)
    failures = []
    for address in usable:
        failure = resolver.answers_over(address, zone)
        if failure is not None:
            failures.append(f"{address}: {failure}")
    return NameServerIpv6(server.name, usable, not failures, "; ".join(failures) or None)


def probe_web_ipv6(
    host: str, ports: Sequence[int], resolver: Resolver, timeout: float
) -> Ipv6Observation:
    """Observe internet.nl web IPv6 tests 1–4 for `host` on `ports`. Never raises."""
    wanted = tuple(dict.fromkeys(ports))
    found = resolver.addresses(host)
    if found.error is not None:
        return Ipv6Observation(host=host, ports=wanted, error=found.error)
    usable, mapped = _split(found.ipv6)
    zone = resolver.zone_servers(host)
    name_servers: tuple[NameServerIpv6, ...] = ()
    if zone.zone is not None:
        name_servers = tuple(_name_server(s, zone.zone, resolver) for s in zone.servers)
    return Ipv6Observation(
        host=host,
        ports=wanted,
        ipv4=found.ipv4,
        ipv6=usable,
        ipv6_mapped=mapped,
        zone=zone.zone,
        zone_error=zone.error,
        name_servers=name_servers,
        reachability=tuple(connect(a, p, timeout) for a in usable for p in wanted),
    )
