"""The open-ports tables of a port scan (auditor scan, audit --live --scan, --scan-results):
each scanned address with its open ports marked by the NET-* rules, and the declared ports
that did not answer."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Final

from auditor.model.results import Finding, Status, SystemResult
from auditor.probe_reasons import reason_in
from auditor.report.views.context import Context, anchor
from auditor.report.views.values import cut

# The collections of auditor/scan/observe.py and the rules of checklists/exposure.yaml that
# mark a port. Their group, "network", is shared with attested rules: they are told apart by
# rule id.
PORT_COLLECTIONS: Final = frozenset({"open_ports", "expected_ports"})
NETWORK: Final = "network"
_UNDECLARED_RULE: Final = "NET-01"
_RISKY_RULE: Final = "NET-02"
_SILENT_RULE: Final = "NET-03"
_IPV6_ONLY_RULE: Final = "NET-04"
_OUTDATED_RULE: Final = "NET-05"
PORT_RULES: Final = frozenset(
    {_UNDECLARED_RULE, _RISKY_RULE, _SILENT_RULE, _IPV6_ONLY_RULE, _OUTDATED_RULE}
)
_MAX_BANNER_CHARS: Final = 80
_FAMILIES: Final = {"ipv4": "IPv4", "ipv6": "IPv6"}
# Enum members as plain constants: looking one up on its class costs a descriptor call.
_FAIL: Final = Status.FAIL
_WAIVED: Final = Status.WAIVED


@dataclass(frozen=True, slots=True)
class PortMark:
    """A mark or badge on an open port, with the rule behind it (None: no rule failed)."""

    code: str  # risky | undeclared | expected | unjudged | ipv6_only | outdated | waived
    label: str
    rule_id: str | None


@dataclass(frozen=True, slots=True)
class OpenPort:
    """One open port of an address, marked by the measured status of the NET-* findings."""

    port: int
    protocol: str
    service: str  # nmap's service name, "ssl/http" when tunnelled; "" when unknown
    product: str  # product and version as nmap identified them; "" when unknown
    mark: PortMark  # risky (NET-02) > undeclared (NET-01) > expected (declared) > unjudged
    badges: tuple[PortMark, ...]  # ipv6_only (NET-04), outdated (NET-05), waived
    risky: bool
    undeclared: bool  # NET-01 measured as failed (also on a risky port)
    ipv6_only: bool
    outdated: bool  # advisory
    waived: bool  # a waiver in force covers one of its NET-* findings (the mark still shows)


@dataclass(frozen=True, slots=True)
class DeclaredPort:
    """A port the inventory declares (expected_ports) that did not answer the scan."""

    port: int
    protocol: str
    state: str  # what nmap saw: "closed", "filtered", "closed or filtered"
    waived: bool


@dataclass(frozen=True, slots=True)
class PortHostRow:
    """One scanned address of one system: its open ports and its silent declared ports."""

    system_id: str
    system_anchor: str
    system_name: str
    host: str | None  # the inventory's host name; None: an address found in a declared network
    address: str
    family: str  # "IPv4" | "IPv6" | ""
    ports: tuple[OpenPort, ...]  # port number ascending
    not_answering: tuple[DeclaredPort, ...]  # NET-03 measured as failed
    not_covered: tuple[str, ...]  # declared ports outside the scan's port list ("8443/tcp")
    error: str | None  # the address could not be scanned: the reason
    css: str  # "err" | "bad" | "warn" | ""


@dataclass(frozen=True, slots=True)
class PortCounts:
    """What the port scan saw of a set of systems, counted. Every open port has exactly one
    mark: open == risky + undeclared + expected + unjudged."""

    addresses: int  # addresses scanned (rows without an error)
    open: int  # open ports on them
    risky: int  # NET-02 failed
    undeclared: int  # NET-01 failed and not risky
    expected: int  # declared and not risky
    ipv6_only: int  # NET-04 failed: open over IPv6, closed over IPv4
    outdated: int  # NET-05 failed (advisory)
    not_answering: int  # declared ports that did not answer (NET-03 failed)
    not_scanned: int  # addresses that could not be scanned

    @property
    def unjudged(self) -> int:
        return self.open - self.risky - self.undeclared - self.expected


@dataclass(frozen=True, slots=True)
class AgencyPorts:
    """An agency's open-ports table (section "ports-<agency>")."""

    id: str
    rows: tuple[PortHostRow, ...]  # risky first, then undeclared, then the rest
    counts: PortCounts


@dataclass(frozen=True, slots=True)
class PortsRow:
    agency_id: str
    anchor: str  # the agency's ports section
    name: str
    counts: PortCounts


@dataclass(slots=True)
class _HostPorts:
    """What the scan saw of one address of one system, gathered before it becomes a row."""

    family: str
    error: str | None = None
    ports: dict[tuple[int, str], OpenPort] = field(default_factory=dict)
    not_answering: dict[tuple[int, str], DeclaredPort] = field(default_factory=dict)
    not_covered: set[str] = field(default_factory=set)


class PortTables:
    """Rows of the open-ports tables; the marks are made once per page (a handful)."""

    def __init__(self, ctx: Context) -> None:
        self.t = ctx.t
        self.lang = ctx.lang
        self.marks: dict[str, PortMark] = {}

    def mark(self, code: str, rule_id: str | None) -> PortMark:
        """A port mark in the page's words (shared: a handful per page)."""
        view = self.marks.get(code)
        if view is None:
            view = self.marks[code] = PortMark(code, self.t[f"port_{code}"], rule_id)
        return view

    def rows(
        self,
        system: SystemResult,
        net: Mapping[str, Mapping[str, Finding]],
        rows: list[PortHostRow],
    ) -> None:
        """One row per scanned address of the system (per host name that declares it)."""
        hosts: dict[tuple[str | None, str], _HostPorts] = {}
        empty: Mapping[str, Finding] = {}
        for record in system.observed:
            collection = record.collection
            if collection not in PORT_COLLECTIONS:
                continue
            values = record.values
            host = _text(values.get("host")) or None
            address = _text(values.get("address")) or record.subject
            acc = hosts.get((host, address))
            if acc is None:
                family = _text(values.get("family"))
                acc = hosts[(host, address)] = _HostPorts(_FAMILIES.get(family, family))
            error = record.errors.get("")
            if error is not None:
                acc.error = error
                continue
            found = net.get(record.subject, empty)
            port, protocol = _port_number(values.get("port")), _text(values.get("protocol"))
            if collection == "open_ports":
                acc.ports[(port, protocol)] = self.open_port(port, protocol, values, found)
            elif "open" in record.errors:
                acc.not_covered.add(f"{port}/{protocol}")
            else:
                silent = found.get(_SILENT_RULE)
                if silent is not None and silent.measured_status is _FAIL:
                    acc.not_answering[(port, protocol)] = DeclaredPort(
                        port, protocol, _text(values.get("state")), silent.status is _WAIVED
                    )
        for (host, address), acc in hosts.items():
            open_ports = tuple(acc.ports[key] for key in sorted(acc.ports))
            silent_ports = tuple(acc.not_answering[key] for key in sorted(acc.not_answering))
            if acc.error is not None:
                css = "err"
            elif any(p.risky or p.undeclared or p.ipv6_only for p in open_ports):
                css = "bad"
            elif silent_ports:
                css = "warn"
            else:
                css = ""
            rows.append(
                PortHostRow(
                    system_id=system.id,
                    system_anchor=anchor("s", system.id),
                    system_name=system.name,
                    host=host,
                    address=address,
                    family=acc.family,
                    ports=open_ports,
                    not_answering=silent_ports,
                    not_covered=tuple(sorted(acc.not_covered, key=_port_key)),
                    error=None if acc.error is None else reason_in(acc.error, self.lang),
                    css=css,
                )
            )

    def open_port(
        self, port: int, protocol: str, values: Mapping[str, Any], found: Mapping[str, Finding]
    ) -> OpenPort:
        """An open port marked by what the NET-* rules measured (a waiver hides nothing)."""

        def failed(rule_id: str) -> bool:
            finding = found.get(rule_id)
            return finding is not None and finding.measured_status is _FAIL

        risky, undeclared = failed(_RISKY_RULE), failed(_UNDECLARED_RULE)
        ipv6_only, outdated = failed(_IPV6_ONLY_RULE), failed(_OUTDATED_RULE)
        waived = any(f.status is _WAIVED for rule_id, f in found.items() if rule_id != _SILENT_RULE)
        if risky:
            mark = self.mark("risky", _RISKY_RULE)
        elif undeclared:
            mark = self.mark("undeclared", _UNDECLARED_RULE)
        elif values.get("declared") is True:
            mark = self.mark("expected", None)
        else:
            mark = self.mark("unjudged", None)
        badges = []
        if ipv6_only:
            badges.append(self.mark("ipv6_only", _IPV6_ONLY_RULE))
        if outdated:
            badges.append(self.mark("outdated", _OUTDATED_RULE))
        if waived:
            badges.append(self.mark("waived", None))
        service, tunnel = _text(values.get("service")), _text(values.get("tunnel"))
        if tunnel:
            service = f"{tunnel}/{service}" if service else tunnel
        banner = (_text(values.get("product")), _text(values.get("version")))
        product = " ".join(part for part in banner if part)
        return OpenPort(
            port=port,
            protocol=protocol,
            service=cut(service, _MAX_BANNER_CHARS),
            product=cut(product, _MAX_BANNER_CHARS),
            mark=mark,
            badges=tuple(badges),
            risky=risky,
            undeclared=undeclared,
            ipv6_only=ipv6_only,
            outdated=outdated,
            waived=waived,
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _port_number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _port_key(text: str) -> tuple[int, str]:
    number, _, protocol = text.partition("/")
    return (int(number) if number.isdigit() else 0, protocol)


def _address_key(address: str) -> tuple[int, int, str]:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return (9, 0, address)
    return (ip.version, int(ip), address)


def port_row_order(row: PortHostRow) -> tuple[int, str, int, str, tuple[int, int, str]]:
    """Addresses with a risky port first, then with an undeclared one, then those with another
    problem (open over IPv6 only, a declared port silent, not scanned), then the rest; within
    each, by system, host (addresses outside the inventory last) and address."""
    ports = row.ports
    if any(p.risky for p in ports):
        rank = 0
    elif any(p.undeclared for p in ports):
        rank = 1
    elif row.error is not None or row.not_answering or any(p.ipv6_only for p in ports):
        rank = 2
    else:
        rank = 3
    host = row.host
    return (rank, row.system_id, 1 if host is None else 0, host or "", _address_key(row.address))


def port_counts(rows: Sequence[PortHostRow]) -> PortCounts:
    scanned = [row for row in rows if row.error is None]
    marks = Counter(p.mark.code for row in scanned for p in row.ports)
    return PortCounts(
        addresses=len(scanned),
        open=sum(marks.values()),
        risky=marks["risky"],
        undeclared=marks["undeclared"],
        expected=marks["expected"],
        ipv6_only=sum(1 for row in scanned for p in row.ports if p.ipv6_only),
        outdated=sum(1 for row in scanned for p in row.ports if p.outdated),
        not_answering=sum(len(row.not_answering) for row in scanned),
        not_scanned=len(rows) - len(scanned),
    )


def add_port_counts(counts: Iterable[PortCounts]) -> PortCounts:
    """The sum of several agencies' port counts."""
    parts = list(counts)
    return PortCounts(*(sum(getattr(c, f.name) for c in parts) for f in fields(PortCounts)))
