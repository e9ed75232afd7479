"""Port-scan results → the facts rules read, matched to the inventory by address.

Two collections per system (see checklists/exposure.yaml):

- `open_ports`: one item per open port of an address the system declares (a host's `ipv4` /
  `ipv6`) or of an address inside one of its `networks`, subject `name [address] port/proto`,
  with `host`, `address`, `family`, `port`, `protocol`, `state`, `service`, `product`,
  `version`, `tunnel`, `declared` (in the host's `expected_ports`), `open_over_ipv4` (the same
  port on the host's IPv4 addresses, for IPv6 items of dual-stack hosts);
- `expected_ports`: one item per declared port of each scanned address, with `open`.

An address the scan could not cover (nmap timed out, missing, killed) gives one item per
collection whose every fact is an observation error with that reason. `ssl-cert` script output
becomes `certs` items (`source: nmap`) with the same `cert.*` keys as the TLS probe's.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from auditor.checks.context import Item
from auditor.facts import SystemObservations
from auditor.model.inventory import Inventory
from auditor.model.results import Origin
from auditor.scan.model import HostObservation, PortObservation, ScanRun

_OPEN = frozenset({"open"})
_IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Owner:
    """Who an address belongs to in the inventory."""

    system: str
    host: str | None  # the host name, or None for an address found in a declared network
    expected: frozenset[str]  # "443/tcp", …
    ipv4: tuple[str, ...] = ()  # the host's IPv4 addresses (for the IPv6/IPv4 parity check)


@dataclass(frozen=True)
class AddressBook:
    """Addresses and networks the inventory declares, for matching scan results."""

    by_address: Mapping[str, tuple[Owner, ...]]
    by_name: Mapping[str, tuple[Owner, ...]]  # hosts that declare no address: scanned by name
    networks: tuple[tuple[_IpNetwork, str], ...]  # (network, system id)

    def owners(self, host: HostObservation) -> tuple[Owner, ...]:
        found = self.by_address.get(host.address)
        if found:
            return found
        named = tuple(o for name in host.hostnames for o in self.by_name.get(name.lower(), ()))
        if named:
            return named
        ip = ipaddress.ip_address(host.address)
        return tuple(
            Owner(system, None, frozenset())
            for network, system in self.networks
            if ip.version == network.version and ip in network
        )


def address_book(inventory: Inventory, only_system: str | None = None) -> AddressBook:
    by_address: dict[str, list[Owner]] = defaultdict(list)
    by_name: dict[str, list[Owner]] = defaultdict(list)
    networks: list[tuple[_IpNetwork, str]] = []
    for _agency, system in inventory.systems():
        if only_system is not None and system.id != only_system:
            continue
        for host in system.hosts:
            expected = frozenset(str(p) for p in host.expected_ports)
            ipv4 = tuple(str(a) for a in host.ipv4)
            owner = Owner(system.id, host.name, expected, ipv4)
            for address in (*host.ipv4, *host.ipv6):
                by_address[str(address)].append(owner)
            if not host.ipv4 and not host.ipv6:
                by_name[host.name].append(owner)
        networks.extend((network, system.id) for network in system.networks)
    return AddressBook(
        {k: tuple(v) for k, v in by_address.items()},
        {k: tuple(v) for k, v in by_name.items()},
        tuple(networks),
    )


def _subject(owner: Owner, address: str, port: PortObservation | None = None) -> str:
    name = owner.host or address
    where = f"{name} [{address}]"
    return f"{where} {port.port}/{port.protocol}" if port is not None else where


def _port_values(owner: Owner, host: HostObservation, port: PortObservation) -> dict[str, Any]:
    return {
        "host": owner.host,
        "address": host.address,
        "family": host.family,
        "port": port.port,
        "protocol": port.protocol,
        "state": port.state,
        "reason": port.reason,
        "service": port.service,
        "product": port.product,
        "version": port.version,
        "tunnel": port.tunnel,
        "declared": f"{port.port}/{port.protocol}" in owner.expected,
        "in_inventory": owner.host is not None,
    }


def _open_states(hosts: Iterable[HostObservation]) -> dict[str, dict[str, bool]]:
    """For each scanned address: '443/tcp' -> open? (only ports nmap listed or counted)."""
    states: dict[str, dict[str, bool]] = {}
    for host in hosts:
        if host.error is None and host.status != "down":
            states[host.address] = {
                f"{p.port}/{p.protocol}": p.state in _OPEN for p in host.ports
            }
    return states


def _over_ipv4(owner: Owner, key: str, states: Mapping[str, Mapping[str, bool]]) -> bool | None:
    """Is `key` open on any of the host's IPv4 addresses? None if none of them was scanned."""
    scanned = [states[a] for a in owner.ipv4 if a in states]
    if not scanned:
        return None
    return any(s.get(key, False) for s in scanned)


def _cert_item(subject: str, port: PortObservation, host: HostObservation, as_of: dt.date,
               origin: Origin) -> Item | None:
    script = next((s for s in port.scripts if s.id == "ssl-cert"), None)
    if script is None:
        return None
    values: dict[str, Any] = {"source": "nmap", "address": host.address,
                              "family": host.family, "port": port.port}
    errors: dict[str, str] = {}
    cert = nmap_cert_values(script.elements, as_of)
    if cert is None:
        errors[""] = "nmap ssl-cert gave no validity dates"
    else:
        values["cert"] = cert
        values["chain_observable"] = False
    return Item(subject, values, {"": origin}, errors)


def _date(text: object) -> dt.date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


_SIG_HASHES = ("sha512", "sha384", "sha256", "sha224", "sha1", "md5")


def nmap_cert_values(elements: Mapping[str, Any], as_of: dt.date) -> dict[str, Any] | None:
    """The TLS probe's `cert.*` facts from nmap's `ssl-cert` table, where nmap reports them."""
    validity = elements.get("validity")
    if not isinstance(validity, Mapping):
        return None
    not_before, not_after = _date(validity.get("notBefore")), _date(validity.get("notAfter"))
    if not_before is None or not_after is None:
        return None
    lifetime = (not_after - not_before).days
    days_left = (not_after - as_of).days
    pubkey = elements.get("pubkey") if isinstance(elements.get("pubkey"), Mapping) else {}
    assert isinstance(pubkey, Mapping)  # noqa: S101 - narrowed just above
    bits = pubkey.get("bits")
    algorithm = str(elements.get("sig_algo") or "").lower().replace("-", "")
    signature = next((h for h in _SIG_HASHES if h in algorithm), "unknown")
    if "ed25519" in algorithm or "ed448" in algorithm:
        signature = "none"
    if not algorithm:  # older nmap gives no sig_algo (version not checked): the pem says it
        signature = pem_signature_hash(elements.get("pem"))
    return {
        "subject": _name(elements.get("subject")),
        "issuer": _name(elements.get("issuer")),
        "not_before": not_before.isoformat(),
        "not_after": not_after.isoformat(),
        "days_left": days_left,
        "expired": days_left < 0,
        "not_yet_valid": as_of < not_before,
        "lifetime_days": lifetime,
        "lifetime_left_fraction": round(min(1.0, max(0.0, days_left / lifetime)), 4)
        if lifetime > 0
        else 0.0,
        "key_type": str(pubkey.get("type") or "unknown").lower(),
        "key_bits": int(bits) if isinstance(bits, str) and bits.isdigit() else None,
        "signature_hash": signature,
    }


def pem_signature_hash(pem: object) -> str:
    """The signature hash of the certificate in nmap's `pem` element, named as the TLS probe
    names it (`sha256`, `sha1`, … ; `none` for Ed25519/Ed448); `unknown` when there is no
    readable certificate, which is never a pass."""
    if not isinstance(pem, str) or "-----BEGIN CERTIFICATE-----" not in pem:
        return "unknown"
    try:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii", "replace"))
        hashed = cert.signature_hash_algorithm
    except (ValueError, TypeError, UnsupportedAlgorithm, x509.InvalidVersion):
        return "unknown"
    return "none" if hashed is None else hashed.name


def _name(value: object) -> str | None:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items() if isinstance(v, str)) or None
    return value if isinstance(value, str) else None


def _failed(owner: Owner, host: HostObservation, reason: str, origin: Origin) -> list[Item]:
    subject = _subject(owner, host.address)
    values = {"host": owner.host, "address": host.address, "family": host.family}
    return [Item(subject, values, {"": origin}, {"": reason})]


def scan_observations(
    inventory: Inventory,
    runs: Sequence[ScanRun],
    as_of: dt.date,
    only_system: str | None = None,
) -> tuple[dict[str, SystemObservations], list[HostObservation]]:
    """Per system: open_ports, expected_ports and certs items; plus the scanned hosts that
    match nothing in the inventory (reported, never judged), leaving out those nmap reports
    down (a swept range is mostly addresses where nothing answered)."""
    book = address_book(inventory, only_system)
    hosts = [h for run in runs for h in run.hosts]
    states = _open_states(hosts)
    collections: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    unmatched: list[HostObservation] = []
    for run in runs:
        origin = Origin(source="observed", file=None if run.source == "nmap" else run.source,
                        via=f"nmap scan{' (imported)' if run.source != 'nmap' else ''}")
        for host in run.hosts:
            owners = book.owners(host)
            if not owners:
                if host.status != "down":  # nmap's "down": nothing answered, nothing to list
                    unmatched.append(host)
                continue
            for owner in owners:
                items = collections[owner.system]
                if host.error is not None:
                    failed = _failed(owner, host, host.error, origin)
                    items["open_ports"].extend(failed)
                    items["expected_ports"].extend(failed)
                    continue
                _add_host(items, owner, host, states, as_of, origin, run.scanned)
    return (
        {
            system: SystemObservations(
                collections={name: tuple(found) for name, found in sorted(items.items())}
            )
            for system, items in sorted(collections.items())
        },
        unmatched,
    )


def _add_host(items: dict[str, list[Item]], owner: Owner, host: HostObservation,
              states: Mapping[str, Mapping[str, bool]], as_of: dt.date, origin: Origin,
              scanned: Sequence[tuple[str, str]]) -> None:
    seen = {f"{p.port}/{p.protocol}": p for p in host.ports}
    for port in host.ports:
        if port.state not in _OPEN:
            continue
        subject = _subject(owner, host.address, port)
        values = _port_values(owner, host, port)
        if host.family == "ipv6":
            over = _over_ipv4(owner, f"{port.port}/{port.protocol}", states)
            if over is not None:
                values["open_over_ipv4"] = over
        items["open_ports"].append(Item(subject, values, {"": origin}))
        cert = _cert_item(subject, port, host, as_of, origin)
        if cert is not None:
            items["certs"].append(cert)
    for key in sorted(owner.expected):
        number, _, protocol = key.partition("/")
        listed = seen.get(key)
        expected: dict[str, Any] = {
            "host": owner.host,
            "address": host.address,
            "family": host.family,
            "port": int(number),
            "protocol": protocol,
            "state": listed.state if listed is not None else "closed or filtered",
        }
        errors: dict[str, str] = {}
        if listed is None and not was_scanned(scanned, protocol, int(number)):
            errors["open"] = f"not scanned: {key} is not among the ports this scan covered"
        else:
            expected["open"] = listed is not None and listed.state in _OPEN
        subject = f"{owner.host or host.address} [{host.address}] {key}"
        items["expected_ports"].append(Item(subject, expected, {"": origin}, errors))


def was_scanned(scanned: Sequence[tuple[str, str]], protocol: str, port: int) -> bool:
    """Is `port` in nmap's <scaninfo services> for `protocol`? True when nmap said nothing."""
    if not scanned:
        return True
    return any(
        low <= port <= high
        for proto, services in scanned
        if proto == protocol
        for low, high in _ranges(services)
    )


@functools.lru_cache(maxsize=64)
def _ranges(services: str) -> tuple[tuple[int, int], ...]:
    """'1-1024,8080' → ((1, 1024), (8080, 8080)), parsed once per scan, not once per port."""
    found = []
    for part in services.split(","):
        low, _, high = part.strip().partition("-")
        if low.isdigit():
            found.append((int(low), int(high) if high.isdigit() else int(low)))
    return tuple(found)


def merge_observations(
    *parts: Mapping[str, SystemObservations],
) -> dict[str, SystemObservations]:
    """Combine what different probes saw of the same systems (collections concatenated)."""
    merged: dict[str, SystemObservations] = {}
    for part in parts:
        for system, seen in part.items():
            before = merged.get(system)
            if before is None:
                merged[system] = seen
                continue
            collections = {k: tuple(v) for k, v in before.collections.items()}
            for name, items in seen.collections.items():
                collections[name] = (*collections.get(name, ()), *items)
            merged[system] = SystemObservations(
                collections=collections,
                endpoints={**before.endpoints, **seen.endpoints},
                origin=before.origin,
            )
    return dict(sorted(merged.items()))
