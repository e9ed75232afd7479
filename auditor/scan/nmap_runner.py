"""Run nmap over the inventory's addresses, networks and host names: one process per batch.

Only validated text ever reaches nmap. Targets are checked by `validate_target` when they are
built and again right before use, because python-nmap splits its `hosts` string with shlex:
anything beginning with '-' or containing whitespace, quotes or shell characters would become
an nmap option. The arguments come from one fixed template (`nmap_arguments`) filled from typed
options; nmap is started by python-nmap without a shell, and its XML is read by
`parse_nmap_xml` (python-nmap's own parser drops structured NSE output).

Decisions:

- *Host names are resolved here*, not by nmap, with the system resolver (`getaddrinfo`) and
  for the target's family only (A for ipv4, AAAA for ipv6; give two targets for both). So nmap
  always runs with `-n` (no forward or reverse DNS of its own), every address of a name is
  scanned (nmap would take the first), each lands in the process of its family, and the name
  is kept in `HostObservation.hostnames`. A name that does not resolve becomes a run note: an
  observation's address must be an IP literal.
- *Privileges*: as root, a SYN scan (`-sS`); otherwise a connect scan (`-sT`) and a note. When
  nmap still says it cannot use raw packets (e.g. root without CAP_NET_RAW), that batch is
  rescanned with `-sT`, as is every later one, and a note says so. UDP ports (`U:`) are only
  scanned with raw packets; without them a note says they were not.
- Every requested address appears in the result: a batch that could not run (nmap missing,
  killed at the time limit, failed) gives each of its addresses an observation with `error`;
  an address nmap did not list gets `status="unknown"`. Networks are listed address by
  address up to `_LIST_LIMIT` addresses; beyond that (only with `allow_large_networks`) a note
  counts the unlisted ones.

Failures of a batch are returned, never raised. Only bad input raises, before anything is
scanned: `ScanOptions` refuses bad options (ValueError) when it is built, and `run_scan` bad
or too large targets (`ScanTargetError`, an `AuditorError` and a ValueError: CLI exit 2).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import math
import os
import re
import socket
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

import nmap  # type: ignore[import-untyped]

from auditor.errors import AuditorError
from auditor.messages import Msg, number
from auditor.scan.model import HostObservation, ScanRun
from auditor.scan.nmap_xml import NmapXmlError, parse_nmap_xml

if TYPE_CHECKING:  # a Protocol: only annotations need it (keeps the probe stack unimported)
    from auditor.probes.runner import ProgressListener

Family = Literal["ipv4", "ipv6"]
_IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

NMAP_NOT_FOUND = "nmap not found: install nmap (Debian: apt-get install nmap)"
NOT_ROOT_NOTE = "not root: connect scan (-sT)"
# python-nmap's own default search path.
DEFAULT_NMAP_PATHS = (
    "nmap", "/usr/bin/nmap", "/usr/local/bin/nmap", "/sw/bin/nmap", "/opt/local/bin/nmap",
)
TLS_SCRIPTS = "ssl-cert,ssl-enum-ciphers"
_LIST_LIMIT = 65_536  # addresses of one network listed one by one when nmap misses them
_RESOLVE_WORKERS = 16
_NOTE_LIMIT = 20  # stderr lines kept as notes per nmap process
_TEXT_LIMIT = 500

# What nmap prints when it cannot send raw packets (and then quits without XML).
_NEEDS_ROOT = ("requires root privileges", "raw socket", "operation not permitted")

_PORT_ITEM = re.compile(
    r"(?:(?P<proto>[TU]):)?(?P<low>[1-9][0-9]{0,4})(?:-(?P<high>[1-9][0-9]{0,4}))?"
)
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_NUMERIC = re.compile(r"[0-9-]+")
_SCOPE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
# The only characters an address or network handed to nmap may contain.
_SAFE_ITEM = re.compile(r"[0-9A-Fa-f:][0-9A-Fa-f.:]*(?:%[A-Za-z0-9_.-]{1,32})?(?:/[0-9]{1,3})?")
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


def _has_udp(ports: str | None) -> bool:
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


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
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
            ip = _address(text)
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
    if privileged and _has_udp(options.ports):
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


# --------------------------------------------------------------------------------------------
# Planning: targets → scan items (IP literals and networks) → batches per family
# --------------------------------------------------------------------------------------------


@dataclass
class _Item:
    text: str  # an IP literal or a network in CIDR notation: what nmap is given
    family: Family
    network: _IpNetwork | None = None
    names: list[str] = field(default_factory=list)  # host names that resolved to it

    def addresses(self) -> Iterator[str]:
        if self.network is None:
            yield self.text
        else:
            for index, ip in enumerate(self.network):
                if index >= _LIST_LIMIT:
                    return
                yield str(ip)


@dataclass(frozen=True)
class _Batch:
    family: Family
    items: tuple[_Item, ...]
    label: str


def _resolve(name: str, family: Family) -> tuple[list[str], str | None]:
    af = socket.AF_INET6 if family == "ipv6" else socket.AF_INET
    try:
        infos = socket.getaddrinfo(name, None, family=af, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return [], f"{name} does not resolve ({family}): {exc}"
    found: list[str] = []
    for info in infos:
        try:
            found.append(str(_address(str(info[4][0]))))
        except ValueError:
            continue
    if not found:
        return [], f"{name} does not resolve ({family}): no address"
    return list(dict.fromkeys(found)), None


def _items(targets: Sequence[ScanTarget], notes: list[str]) -> list[_Item]:
    names = [(t.value, t.family) for t in targets if t.kind == "hostname"]
    with ThreadPoolExecutor(max_workers=max(1, min(_RESOLVE_WORKERS, len(names)))) as pool:
        resolved = dict(zip(names, pool.map(lambda nf: _resolve(*nf), names), strict=True))
    items: dict[tuple[Family, str], _Item] = {}
    for target in targets:
        if target.kind == "hostname":
            addresses, error = resolved[(target.value, target.family)]
            if error is not None:
                notes.append(f"not scanned: {error}")
            for address in addresses:
                item = items.setdefault((target.family, address), _Item(address, target.family))
                if target.value not in item.names:
                    item.names.append(target.value)
        elif target.kind == "network":
            network = ipaddress.ip_network(target.value)
            items.setdefault((target.family, target.value),
                             _Item(target.value, target.family, network))
        else:
            items.setdefault((target.family, target.value), _Item(target.value, target.family))
    return list(items.values())


def _batches(items: Sequence[_Item], size: int) -> list[_Batch]:
    chunks: list[tuple[Family, tuple[_Item, ...]]] = []
    for family in ("ipv4", "ipv6"):
        mine = [i for i in items if i.family == family]
        chunks.extend((family, tuple(mine[k:k + size])) for k in range(0, len(mine), size))
    total = len(chunks)
    return [
        _Batch(family, chunk, f"nmap {n}/{total} ({family}, {len(chunk)} "
                              f"target{'s' if len(chunk) != 1 else ''})")
        for n, (family, chunk) in enumerate(chunks, start=1)
    ]


def _hosts_argument(batch: _Batch) -> str:
    """The batch as python-nmap's `hosts` string, every item checked once more right here."""
    for item in batch.items:
        text = item.text
        ok = bool(_SAFE_ITEM.fullmatch(text))
        try:
            again = validate_target(text, family=item.family)
        except ValueError:
            ok = False
        else:
            ok = ok and again.kind in ("address", "network") and again.value == text
        if not ok:
            raise ScanTargetError(
                Msg(
                    f"từ chối mục tiêu quét ngay trước khi chạy nmap: {text!r}",
                    f"scan target refused right before nmap: {text!r}",
                )
            )
    return " ".join(item.text for item in batch.items)


# --------------------------------------------------------------------------------------------
# One nmap process
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    xml: bytes | None = None
    failure: str | None = None
    needs_root: bool = False
    stderr: tuple[str, ...] = ()


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _stderr_lines(result: Any) -> tuple[str, ...]:
    """nmap's stderr lines as python-nmap kept them (it repeats the whole text per line)."""
    try:
        info = result["nmap"]["scaninfo"]
        chunks = [*info.get("error", ()), *info.get("warning", ())]
    except (KeyError, TypeError, AttributeError):
        return ()
    lines = (line.strip() for chunk in chunks for line in str(chunk).splitlines())
    return tuple(dict.fromkeys(_clip(line) for line in lines if line))[:_NOTE_LIMIT]


def _reap(exc: BaseException) -> None:
    """python-nmap kills nmap at its timeout but neither waits for it nor closes its pipes:
    find the process in the traceback and finish the job (no zombie, no leaked pipes)."""
    tb = exc.__traceback__
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if isinstance(value, subprocess.Popen):
                value.kill()
                with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
                    value.communicate(timeout=5)
        tb = tb.tb_next


def _invoke(scanner: Any, hosts: str, args: Sequence[str], time_limit: float | None) -> _Outcome:
    before = scanner.get_nmap_last_output()
    try:
        result = scanner.scan(hosts=hosts, arguments=" ".join(args), timeout=time_limit or 0)
    except nmap.PortScannerTimeout as exc:
        _reap(exc)
        return _Outcome(failure=f"nmap stopped after the time limit ({time_limit:g} s)")
    except nmap.PortScannerError as exc:
        message = str(getattr(exc, "value", exc))
        needs_root = any(marker in message.lower() for marker in _NEEDS_ROOT)
        return _Outcome(failure=f"nmap failed: {_clip(message)}", needs_root=needs_root)
    except Exception as exc:  # python-nmap's own parser may stumble on XML ours reads
        if scanner.get_nmap_last_output() is before:  # nmap gave nothing: not ours to read
            return _Outcome(failure=f"nmap failed: {type(exc).__name__}: {_clip(str(exc))}")
        result = None
    raw = scanner.get_nmap_last_output()
    xml = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw or b"")
    return _Outcome(xml=xml, stderr=_stderr_lines(result))


def _is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


@dataclass
class _State:
    scanner: Any  # nmap.PortScanner, or None when nmap was not found
    privileged: bool
    notes: list[str] = field(default_factory=list)
    hosts: list[HostObservation] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    scanned: list[tuple[str, str]] = field(default_factory=list)
    version: str | None = None


def _scan_batch(batch: _Batch, options: ScanOptions, state: _State) -> None:
    if state.scanner is None:
        state.hosts.extend(_failed(batch, NMAP_NOT_FOUND, state.notes))
        return
    hosts = _hosts_argument(batch)
    privileged = state.privileged
    outcome = _invoke(state.scanner, hosts, nmap_arguments(options, batch.family, privileged),
                      options.time_limit)
    if outcome.needs_root and privileged:
        state.privileged = privileged = False
        state.notes.append(
            "nmap could not send raw packets (needs root privileges): rescanned with a "
            "connect scan (-sT)"
        )
        outcome = _invoke(state.scanner, hosts, nmap_arguments(options, batch.family, False),
                          options.time_limit)
    if not privileged and _has_udp(options.ports):
        state.notes.append("UDP ports not scanned: a UDP scan needs root privileges")
    if outcome.xml is None:
        state.hosts.extend(_failed(batch, outcome.failure or "nmap failed", state.notes))
        return
    try:
        run = parse_nmap_xml(outcome.xml, source="nmap")
    except NmapXmlError as exc:
        unreadable = f"nmap output unreadable: {_clip(str(exc))}"
        state.hosts.extend(_failed(batch, unreadable, state.notes))
        return
    state.notes.extend(f"nmap: {line}" for line in outcome.stderr)
    state.notes.extend(run.notes)
    if run.command:
        state.commands.append(run.command)
    state.scanned.extend(run.scanned)
    state.version = state.version or run.nmap_version
    state.hosts.extend(_matched(batch, run.hosts, state.notes))


def _key(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def _failed(batch: _Batch, error: str, notes: list[str]) -> list[HostObservation]:
    out = [
        HostObservation(address=address, family=item.family, hostnames=tuple(item.names),
                        error=error)
        for item in batch.items
        for address in item.addresses()
    ]
    for item in batch.items:
        if item.network is not None and item.network.num_addresses > _LIST_LIMIT:
            rest = item.network.num_addresses - _LIST_LIMIT
            notes.append(f"network {item.text}: {rest:,} more addresses not scanned ({error})")
    return out


def _observed(item: _Item, address: str,
              found: dict[str, list[HostObservation]]) -> HostObservation:
    """nmap's observation of one requested address (taken out of `found`: nmap lists an address
    asked for twice twice), with the names it was asked by; `unknown` if nmap did not list it."""
    listed = found.get(address)
    if listed:
        host = listed.pop(0)
    else:
        host = HostObservation(address=address, family=item.family, status="unknown",
                               reason="not listed in nmap's output")
    if item.names:
        host = replace(host, hostnames=tuple(dict.fromkeys((*item.names, *host.hostnames))))
    return host


def _matched(batch: _Batch, hosts: Iterable[HostObservation],
             notes: list[str]) -> list[HostObservation]:
    """One observation per requested address, in the order asked for, then anything else nmap
    listed (kept, never dropped)."""
    found: dict[str, list[HostObservation]] = {}
    for host in hosts:
        found.setdefault(_key(host.address), []).append(host)
    out: list[HostObservation] = []
    for item in batch.items:
        out.extend(_observed(item, address, found) for address in item.addresses())
        network = item.network
        if network is not None and network.num_addresses > _LIST_LIMIT:
            inside = [a for a in found if ipaddress.ip_address(a) in network]
            for address in inside:
                out.extend(found.pop(address))
            missing = network.num_addresses - _LIST_LIMIT - len(inside)
            if missing > 0:
                notes.append(f"network {item.text}: {missing:,} addresses not listed by nmap "
                             "(too many to list one by one)")
    out.extend(host for rest in found.values() for host in rest)
    return out


class _Silent:
    def planned(self, tasks: int) -> None:
        pass

    def done(self, label: str) -> None:
        pass


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _scanner(options: ScanOptions) -> Any:
    try:
        return nmap.PortScanner(nmap_search_path=options.nmap_search_path)
    except nmap.PortScannerError:
        return None


def run_scan(
    targets: Sequence[ScanTarget], options: ScanOptions, listener: ProgressListener | None = None
) -> ScanRun:
    """Scan every target: one nmap process per batch and family. Raises `ScanTargetError` for a
    bad target before anything is scanned; never raises for what happens during the scan."""
    checked = check_targets(targets, options)
    listener = listener or _Silent()
    started = _now()
    state = _State(scanner=None, privileged=_is_root())
    items = _items(checked, state.notes)
    batches = _batches(items, options.batch_size)
    if batches:
        state.scanner = _scanner(options)
        if state.scanner is not None and not state.privileged:
            state.notes.append(NOT_ROOT_NOTE)
        listener.planned(len(batches))
    for batch in batches:
        try:
            _scan_batch(batch, options, state)
        finally:
            listener.done(batch.label)
    return ScanRun(
        source="nmap",
        hosts=tuple(state.hosts),
        command="\n".join(state.commands) or None,
        nmap_version=state.version,
        started=started,
        finished=_now(),
        notes=tuple(dict.fromkeys(state.notes)),
        scanned=tuple(dict.fromkeys(state.scanned)),
    )
