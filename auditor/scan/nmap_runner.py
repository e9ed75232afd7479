"""Run nmap over the inventory's addresses, networks and host names: one process per batch.

Only validated text ever reaches nmap (scan/nmap_options.py). Targets are checked by
`validate_target` when they are built and again right before use, because python-nmap splits
its `hosts` string with shlex: anything beginning with '-' or containing whitespace, quotes or
shell characters would become an nmap option. The arguments come from one fixed template
(`nmap_arguments`) filled from typed options; nmap is started by python-nmap without a shell,
and its XML is read by `parse_nmap_xml` (python-nmap's own parser drops structured NSE output).

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
import os
import re
import socket
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import nmap  # type: ignore[import-untyped]

from auditor.messages import Msg
from auditor.progress import ProgressListener, Silent
from auditor.scan.model import HostObservation, ScanRun
from auditor.scan.nmap_options import (
    DEFAULT_NMAP_PATHS,
    TLS_SCRIPTS,
    Family,
    Profile,
    ScanOptions,
    ScanTarget,
    ScanTargetError,
    check_targets,
    has_udp,
    nmap_arguments,
    parse_ip,
    validate_ports,
    validate_target,
)
from auditor.scan.nmap_xml import NmapXmlError, parse_nmap_xml

# The scan's inputs are defined in nmap_options.py; callers take them from here too.
__all__ = [
    "DEFAULT_NMAP_PATHS",
    "NMAP_NOT_FOUND",
    "NOT_ROOT_NOTE",
    "TLS_SCRIPTS",
    "Family",
    "Profile",
    "ScanOptions",
    "ScanTarget",
    "ScanTargetError",
    "check_targets",
    "nmap_arguments",
    "run_scan",
    "validate_ports",
    "validate_target",
]

_IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

NMAP_NOT_FOUND = "nmap not found: install nmap (Debian: apt-get install nmap)"
NOT_ROOT_NOTE = "not root: connect scan (-sT)"
_LIST_LIMIT = 65_536  # addresses of one network listed one by one when nmap misses them
_RESOLVE_WORKERS = 16
_NOTE_LIMIT = 20  # stderr lines kept as notes per nmap process
_TEXT_LIMIT = 500

# What nmap prints when it cannot send raw packets (and then quits without XML).
_NEEDS_ROOT = ("requires root privileges", "raw socket", "operation not permitted")
# The only characters an address or network handed to nmap may contain.
_SAFE_ITEM = re.compile(r"[0-9A-Fa-f:][0-9A-Fa-f.:]*(?:%[A-Za-z0-9_.-]{1,32})?(?:/[0-9]{1,3})?")


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
            found.append(str(parse_ip(str(info[4][0]))))
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
    if not privileged and has_udp(options.ports):
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
    listener = listener or Silent()
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
