"""What a port scan observed, independent of how it was obtained (an nmap run or an imported
nmap XML file). Plain frozen dataclasses: the parser builds them, the runner merges them, the
facts layer turns them into rule inputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ScriptOutput:
    """One NSE script's result on a port: its text and its structured table (kept, unlike
    python-nmap's own parser, so e.g. ssl-cert validity dates survive)."""

    id: str
    output: str  # the script's text output (bounded)
    elements: Mapping[str, Any] = field(default_factory=dict)  # nested dicts/lists of str


@dataclass(frozen=True)
class PortObservation:
    protocol: str  # "tcp" | "udp" | "sctp"
    port: int
    state: str  # "open", "closed", "filtered", "open|filtered", "unfiltered", ...
    reason: str | None = None  # nmap's reason, e.g. "syn-ack", "conn-refused"
    service: str | None = None  # nmap's service name, e.g. "ssh", "http", "ms-sql-s"
    product: str | None = None  # e.g. "OpenSSH"
    version: str | None = None  # e.g. "7.4"
    extrainfo: str | None = None
    tunnel: str | None = None  # "ssl" when the service runs inside TLS
    method: str | None = None  # "table" (guessed from the port number) | "probed"
    confidence: int | None = None  # nmap's service confidence, 0-10
    cpes: tuple[str, ...] = ()
    scripts: tuple[ScriptOutput, ...] = ()


@dataclass(frozen=True)
class HostObservation:
    address: str  # an IP literal
    family: str  # "ipv4" | "ipv6"
    status: str = "unknown"  # "up" | "down" | "unknown"
    reason: str | None = None
    hostnames: tuple[str, ...] = ()
    timed_out: bool = False
    error: str | None = None  # why this host could not be scanned (then `ports` is empty)
    ports: tuple[PortObservation, ...] = ()  # every port nmap listed
    extraports: tuple[tuple[str, int], ...] = ()  # (state, count) of ports not listed


@dataclass(frozen=True)
class ScanRun:
    source: str  # "nmap" for a scan made here, else the imported file's path
    hosts: tuple[HostObservation, ...] = ()
    command: str | None = None  # nmap's command line as nmap recorded it
    nmap_version: str | None = None
    started: str | None = None  # ISO 8601 UTC
    finished: str | None = None
    notes: tuple[str, ...] = ()  # run-level warnings (e.g. "fell back to a connect scan")
    # What nmap says it scanned (<scaninfo protocol services>): ("tcp", "1-1024,8080"), …
    # A declared port outside it was not scanned, which is not the same as closed.
    scanned: tuple[tuple[str, str], ...] = ()


def merge_runs(runs: Sequence[ScanRun]) -> ScanRun:
    """Several scans (or imported files) as one: hosts in order, notes and scanned ports
    combined; one run is returned as it is."""
    if len(runs) == 1:
        return runs[0]
    sources = list(dict.fromkeys(r.source for r in runs))
    starts = [r.started for r in runs if r.started]
    ends = [r.finished for r in runs if r.finished]
    return ScanRun(
        source=", ".join(sources),
        hosts=tuple(h for r in runs for h in r.hosts),
        command="\n".join(r.command for r in runs if r.command) or None,
        nmap_version=next((r.nmap_version for r in runs if r.nmap_version), None),
        started=min(starts) if starts else None,
        finished=max(ends) if ends else None,
        notes=tuple(dict.fromkeys(n for r in runs for n in r.notes)),
        scanned=tuple(dict.fromkeys(s for r in runs for s in r.scanned)),
    )
