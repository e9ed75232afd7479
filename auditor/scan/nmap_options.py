"""What may reach nmap: scan targets validated and normalised, the scan's options, and the one
argument template nmap is started with (`nmap_arguments`).

python-nmap splits its `hosts` string with shlex, so anything beginning with '-' or containing
whitespace, quotes or shell characters would become an nmap option: `validate_target` accepts
only an IP literal, a network in CIDR notation or a DNS host name, and `check_targets` checks
every target again right before a scan. Bad input raises here, before anything is scanned:
`ScanOptions` refuses bad options (ValueError), `check_targets` bad or too large targets
(`ScanTargetError`, an `AuditorError` and a ValueError: CLI exit 2).
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from auditor.errors import AuditorError
from auditor.messages import Msg, number

Family = Literal["ipv4", "ipv6"]

# python-nmap's own default search path.
DEFAULT_NMAP_PATHS = (
    "nmap", "/usr/bin/nmap", "/usr/local/bin/nmap", "/sw/bin/nmap", "/opt/local/bin/nmap",
)
TLS_SCRIPTS = "ssl-cert,ssl-enum-ciphers"

_PORT_ITEM = re.compile(
    r"(?:(?P<proto>[TU]):)?(?P<low>[1-9][0-9]{0,4})(?:-(?P<high>[1-9][0-9]{0,4}))?"
)
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_NUMERIC = re.compile(r"[0-9-]+")
_SCOPE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
_SAFE_ARG = re.compile(r"[A-Za-z0-9,:./=_-]+")


class ScanTargetError(AuditorError, ValueError):
    """A target the scan refuses before anything is scanned (CLI: exit code 2)."""


class Profile(StrEnum):
    QUICK = "quick"  # --top-ports 100, no service detection
    STANDARD = "standard"  # --top-ports 1000, -sV --version-light
    FULL = "full"  # every TCP port, -sV


def validate_ports(spec: str) -> str:
    """A port list such as "22,80,443,1000-2000" or "T:22,U:53"; ValueError for anything else
    (names, open ranges, other protocols, spaces)."""
    if not spec or len(spec) > 4096:
        raise ValueError(f"not a port list: {spec!r}")
    for item in spec.split(","):
        match = _PORT_ITEM.fullmatch(item)
        if match is None:
            raise ValueError(
                f"not a port list: {spec!r} (item {item!r}; write e.g. '22,80,1000-2000' or "
                "'T:22,U:53')"
            )
        low = int(match["low"])
        high = int(match["high"] or low)
        if high > 65535 or low > high:
            raise ValueError(f"not a port list: {spec!r} (item {item!r} is out of 1-65535)")
    return spec


def has_udp(ports: str | None) -> bool:
    return ports is not None and "U:" in ports


@dataclass(frozen=True)
class ScanOptions:
    profile: Profile = Profile.STANDARD
    ports: str | None = None  # overrides the profile's port selection
    timing: int | None = None  # 0-5 → -T<n>
    tls_scripts: bool = False  # --script ssl-cert,ssl-enum-ciphers
    host_timeout: float = 300.0  # seconds → --host-timeout
    time_limit: float | None = None  # seconds for each nmap process; then it is killed
    batch_size: int = 256  # targets per nmap process
    max_network_addresses: int = 1024  # a larger declared network is refused…
    allow_large_networks: bool = False  # …unless this is set
    nmap_search_path: tuple[str, ...] = DEFAULT_NMAP_PATHS  # where python-nmap looks for nmap

    def __post_init__(self) -> None:
        Profile(self.profile)
        if self.ports is not None:
            validate_ports(self.ports)
        if self.timing is not None and (
            isinstance(self.timing, bool) or self.timing not in range(6)
        ):
            raise ValueError(f"timing must be 0-5 (nmap -T<n>), not {self.timing!r}")
        _positive("host_timeout", self.host_timeout)
        if self.time_limit is not None:
            _positive("time_limit", self.time_limit)
        if self.batch_size < 1 or self.max_network_addresses < 1:
            raise ValueError("batch_size and max_network_addresses must be at least 1")
        if not self.nmap_search_path:
            raise ValueError("nmap_search_path must name at least one place")


def _positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")


@dataclass(frozen=True)
class ScanTarget:
    value: str  # an IP literal, a network in CIDR notation, or a host name
    kind: Literal["address", "network", "hostname"]
    family: Family  # IPv6 targets are scanned in separate nmap processes with -6


def _family(version: int) -> Family:
    return "ipv6" if version == 6 else "ipv4"


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(text)
    scope = getattr(ip, "scope_id", None)
    if scope is not None and not _SCOPE.fullmatch(scope):
        raise ValueError(f"bad IPv6 scope id in {text!r}")
    return ip


def _hostname(text: str) -> str:
    """The name in ASCII (IDNA) lower case, if it is a DNS host name."""
    try:
        name = text.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise ValueError(f"not a host name: {text!r} ({exc})") from exc
    name = name.removesuffix(".")
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"not an IP address, network (CIDR) or host name: {text!r}")
    # "1.2.3" is an IPv4 address to getaddrinfo, "10.0.0.1-9" a range to nmap: not names.
    if labels[-1].isdigit() or all(_NUMERIC.fullmatch(label) for label in labels):
        raise ValueError(f"not an IP address, network (CIDR) or host name: {text!r}")
    return name


def validate_target(text: str, *, family: Family | None = None) -> ScanTarget:
    """Classify one target, normalised; ValueError for anything else. `family` is the family
    to scan a host name in (default ipv4); for an address or network it must match."""
    if not text:
        raise ValueError("empty target")
    if text.startswith("-"):
        raise ValueError(f"target begins with '-' (it would be an nmap option): {text!r}")
    if any(c.isspace() for c in text):
        raise ValueError(f"target contains whitespace: {text!r}")
    if family is not None and family not in ("ipv4", "ipv6"):
        raise ValueError(f"family must be ipv4 or ipv6, not {family!r}")
    target: ScanTarget
    if "/" in text:
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError as exc:
            raise ValueError(f"not a network in CIDR notation: {text!r} ({exc})") from exc
        target = ScanTarget(str(network), "network", _family(network.version))
    else:
        try:
            ip = parse_ip(text)
        except ValueError:
            return ScanTarget(_hostname(text), "hostname", family or "ipv4")
        target = ScanTarget(str(ip), "address", _family(ip.version))
    if family is not None and family != target.family:
        raise ValueError(f"{text!r} is an {target.family} {target.kind}, not {family}")
    return target


_KINDS = {
    "address": Msg("một địa chỉ IP", "an IP address"),
    "network": Msg("một mạng", "a network"),
    "hostname": Msg("một tên máy", "a host name"),
}
_REFUSED = Msg("từ chối mục tiêu quét: ", "scan target refused: ")


def check_targets(targets: Sequence[ScanTarget], options: ScanOptions) -> list[ScanTarget]:
    """Every target re-validated and normalised, networks within the size limit; raises
    `ScanTargetError` for the first one that is not acceptable (nothing is scanned then)."""
    checked: list[ScanTarget] = []
    for target in targets:
        try:
            again = validate_target(target.value, family=target.family)
        except ValueError as exc:
            raise ScanTargetError(Msg.same(str(exc)).prefixed(_REFUSED.vi, _REFUSED.en)) from exc
        if again.kind != target.kind:
            value, found, declared = repr(target.value), _KINDS[again.kind], _KINDS[target.kind]
            raise ScanTargetError(
                Msg(
                    f"{_REFUSED.vi}{value} là {found.vi}, không phải {declared.vi}",
                    f"{_REFUSED.en}{value} is {found.en}, not {declared.en}",
                )
            )
        if again.kind == "network":
            size = ipaddress.ip_network(again.value).num_addresses
            if size > options.max_network_addresses and not options.allow_large_networks:
                count, limit = number(size), number(options.max_network_addresses)
                raise ScanTargetError(
                    Msg(
                        f"{_REFUSED.vi}mạng {again.value} có {count.vi} địa chỉ, vượt giới hạn "
                        f"{limit.vi}; muốn quét mạng lớn cần được cho phép rõ ràng",
                        f"{_REFUSED.en}network {again.value} has {count.en} addresses, more "
                        f"than the limit of {limit.en}; scanning it needs an explicit "
                        "permission for large networks",
                    )
                )
        checked.append(again)
    return checked


def nmap_arguments(options: ScanOptions, family: str, privileged: bool) -> list[str]:
    """nmap's options for one process (targets excluded; python-nmap adds `-oX -`)."""
    if family not in ("ipv4", "ipv6"):
        raise ValueError(f"family must be ipv4 or ipv6, not {family!r}")
    args = ["-sS" if privileged else "-sT"]
    if privileged and has_udp(options.ports):
        args.append("-sU")
    # -n: names are resolved before the scan; -Pn: the inventory says the host exists.
    args += ["-n", "-Pn", "--reason"]
    if family == "ipv6":
        args.append("-6")
    profile = Profile(options.profile)
    if options.ports is not None:
        args += ["-p", validate_ports(options.ports)]
    elif profile is Profile.QUICK:
        args += ["--top-ports", "100"]
    elif profile is Profile.STANDARD:
        args += ["--top-ports", "1000"]
    else:
        args.append("-p-")
    if profile is Profile.STANDARD:
        args += ["-sV", "--version-light"]
    elif profile is Profile.FULL:
        args.append("-sV")
    if options.tls_scripts:
        args += ["--script", TLS_SCRIPTS]
    if options.timing is not None:
        args.append(f"-T{int(options.timing)}")
    args += ["--host-timeout", f"{max(1, round(options.host_timeout * 1000))}ms"]
    for arg in args:  # joined with spaces and shlex-split by python-nmap
        if not _SAFE_ARG.fullmatch(arg):
            raise ValueError(f"unsafe nmap argument: {arg!r}")
    return args
