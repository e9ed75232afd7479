"""The nmap runner with real nmap, which only ever scans 127.0.0.1 and ::1.

A guard wraps python-nmap's `PortScanner.scan` for every test: any other host string fails the
test before nmap starts. Listeners are plain TCP sockets made here on ephemeral ports: one
open on 127.0.0.1 only, one on ::1 only, one closed on both, and one that accepts and never
says a word (for service detection that hangs). The not-root path runs for real as `nobody`.
"""

from __future__ import annotations

import dataclasses
import inspect
import ipaddress
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nmap  # type: ignore[import-untyped]
import pytest

from auditor.errors import AuditorError
from auditor.scan.model import HostObservation, ScanRun
from auditor.scan.nmap_runner import (
    _LIST_LIMIT,
    NMAP_NOT_FOUND,
    NOT_ROOT_NOTE,
    TLS_SCRIPTS,
    Profile,
    ScanOptions,
    ScanTarget,
    ScanTargetError,
    _Batch,
    _hosts_argument,
    _Item,
    _matched,
    check_targets,
    nmap_arguments,
    run_scan,
    validate_ports,
    validate_target,
)
from auditor.scan.nmap_xml import TIMED_OUT

REPO = Path(__file__).resolve().parents[2]
NMAP = shutil.which("nmap")
SETPRIV = shutil.which("setpriv")
LOOPBACK = frozenset({"127.0.0.1", "::1"})
NOBODY = 65534
ROOT = os.geteuid() == 0
needs_nmap = pytest.mark.usefixtures("nmap_required")  # fails as root when nmap is missing
V4 = ScanTarget("127.0.0.1", "address", "ipv4")
V6 = ScanTarget("::1", "address", "ipv6")


# --------------------------------------------------------------------------------------------
# The guard, the listeners, a progress recorder
# --------------------------------------------------------------------------------------------


@dataclass
class Calls:
    """Every nmap process the runner asked python-nmap for: (hosts, arguments)."""

    made: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _loopback(token: str) -> bool:
    """127.0.0.1 or ::1, also written as a one-address network (127.0.0.1/32, ::1/128)."""
    try:
        network = ipaddress.ip_network(token)
    except ValueError:
        return False
    return network.num_addresses == 1 and str(network.network_address) in LOOPBACK


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    calls = Calls()
    original = nmap.PortScanner.scan

    def guarded(self: Any, hosts: str = "127.0.0.1", ports: str | None = None,
                arguments: str = "-sV", sudo: bool = False, timeout: float = 0) -> Any:
        if not all(_loopback(token) for token in hosts.split()) or ports or sudo:
            calls.refused.append(hosts)  # checked at teardown too: the runner may catch this
            raise AssertionError(f"the tests scan only loopback, not {hosts!r}")
        calls.made.append((hosts, arguments))
        return original(self, hosts=hosts, ports=ports, arguments=arguments, sudo=sudo,
                        timeout=timeout)

    monkeypatch.setattr(nmap.PortScanner, "scan", guarded)
    yield calls
    assert calls.refused == [], f"the runner asked nmap to scan {calls.refused}"


def _scan(targets: list[ScanTarget], options: ScanOptions,
          listener: Recorder | None = None) -> ScanRun:
    run = run_scan(targets, options, listener)
    assert {h.address for h in run.hosts} <= LOOPBACK
    return run


class Recorder:
    def __init__(self) -> None:
        self.planned_calls: list[int] = []
        self.done_labels: list[str] = []

    def planned(self, tasks: int) -> None:
        self.planned_calls.append(tasks)

    def done(self, label: str) -> None:
        self.done_labels.append(label)


class Listener:
    """A TCP listener that accepts every connection and never sends a byte."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.port = int(sock.getsockname()[1])
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.sock], [], [], 0.1)
            if ready:
                conn, _ = self.sock.accept()
                self._held.append(conn)  # accepted, so the backlog never fills up

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self._held:
            conn.close()
        self.sock.close()


def _bound(family: socket.AddressFamily, host: str, port: int = 0) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()  # a port in use (e.g. by another test run) must not leak the socket
        raise
    return sock


def _free_on(family: socket.AddressFamily, host: str, port: int) -> bool:
    try:
        _bound(family, host, port).close()
    except OSError:
        return False
    return True


def _only_on(family: socket.AddressFamily, host: str) -> Listener:
    """A listener on `host` whose port nothing uses on the other loopback address."""
    other = (socket.AF_INET6, "::1") if family == socket.AF_INET else (socket.AF_INET,
                                                                      "127.0.0.1")
    for _ in range(50):
        sock = _bound(family, host)
        if _free_on(*other, sock.getsockname()[1]):
            sock.listen(64)
            return Listener(sock)
        sock.close()
    raise RuntimeError("no port free on both loopback addresses")


def _closed_port() -> int:
    for _ in range(50):
        sock = _bound(socket.AF_INET, "127.0.0.1")
        port = int(sock.getsockname()[1])
        sock.close()
        if _free_on(socket.AF_INET6, "::1", port) and _free_on(socket.AF_INET, "127.0.0.1", port):
            return port
    raise RuntimeError("no port free on both loopback addresses")


@dataclass(frozen=True)
class Lab:
    v4_only: int  # open on 127.0.0.1, closed on ::1
    v6_only: int  # open on ::1, closed on 127.0.0.1
    closed: int  # closed on both
    silent: int  # open on 127.0.0.1, accepts and never answers (a hanging -sV)

    @property
    def ports(self) -> str:
        return f"{self.v4_only},{self.v6_only},{self.closed}"


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    listeners = [_only_on(socket.AF_INET, "127.0.0.1"), _only_on(socket.AF_INET6, "::1"),
                 _only_on(socket.AF_INET, "127.0.0.1")]
    try:
        v4, v6, silent = (listener.port for listener in listeners)
        yield Lab(v4, v6, _closed_port(), silent)
    finally:
        for listener in listeners:
            listener.close()


def _states(host: HostObservation) -> dict[int, str]:
    return {p.port: p.state for p in host.ports if p.protocol == "tcp"}


def _reasons(host: HostObservation) -> dict[int, str | None]:
    return {p.port: p.reason for p in host.ports}


def _expected(lab: Lab) -> dict[str, dict[int, str]]:
    return {
        "127.0.0.1": {lab.v4_only: "open", lab.v6_only: "closed", lab.closed: "closed"},
        "::1": {lab.v4_only: "closed", lab.v6_only: "open", lab.closed: "closed"},
    }


# --------------------------------------------------------------------------------------------
# Real scans
# --------------------------------------------------------------------------------------------


@needs_nmap
def test_each_family_scanned_in_its_own_process_with_its_own_ports(lab: Lab,
                                                                  loopback_only: Calls) -> None:
    progress = Recorder()
    run = _scan([V4, V6], ScanOptions(profile=Profile.QUICK, ports=lab.ports), progress)
    assert [(h.address, h.family, h.status, h.error) for h in run.hosts] == [
        ("127.0.0.1", "ipv4", "up", None), ("::1", "ipv6", "up", None),
    ]
    assert {h.address: _states(h) for h in run.hosts} == _expected(lab)
    closed_reason = "reset" if ROOT else "conn-refused"
    assert _reasons(run.hosts[0]) == {lab.v4_only: "syn-ack", lab.v6_only: closed_reason,
                                      lab.closed: closed_reason}
    assert [hosts for hosts, _ in loopback_only.made] == ["127.0.0.1", "::1"]
    v4_args, v6_args = (arguments.split() for _, arguments in loopback_only.made)
    assert "-6" not in v4_args and "-6" in v6_args
    assert progress.planned_calls == [2]
    assert progress.done_labels == ["nmap 1/2 (ipv4, 1 target)", "nmap 2/2 (ipv6, 1 target)"]
    assert run.source == "nmap" and run.started and run.finished
    assert run.started <= run.finished
    assert run.nmap_version is not None and run.nmap_version[0].isdigit()
    assert (NOT_ROOT_NOTE in run.notes) is (not ROOT)


@needs_nmap
def test_nmap_gets_the_fixed_template_and_the_targets_nothing_else(lab: Lab) -> None:
    options = ScanOptions(profile=Profile.QUICK, ports=lab.ports, timing=4)
    run = _scan([V4, V6], options)
    assert run.command is not None
    lines = run.command.splitlines()
    assert len(lines) == 2
    for line, family, host in zip(lines, ("ipv4", "ipv6"), ("127.0.0.1", "::1"), strict=True):
        program, *rest = line.split()
        assert Path(program).name == "nmap"
        assert sorted(rest) == sorted(["-oX", "-", *nmap_arguments(options, family, ROOT), host])


@needs_nmap
def test_batches_of_targets_and_duplicates(lab: Lab, loopback_only: Calls) -> None:
    network = ScanTarget("127.0.0.1/32", "network", "ipv4")
    progress = Recorder()
    run = _scan([V4, network, V6, V4], ScanOptions(profile=Profile.QUICK, ports=lab.ports,
                                                  batch_size=1), progress)
    assert progress.planned_calls == [3]
    assert [hosts for hosts, _ in loopback_only.made] == ["127.0.0.1", "127.0.0.1/32", "::1"]
    # The address asked for twice is scanned once; the same address inside a network again.
    assert [h.address for h in run.hosts] == ["127.0.0.1", "127.0.0.1", "::1"]
    assert [_states(h) for h in run.hosts] == [_expected(lab)["127.0.0.1"]] * 2 + [
        _expected(lab)["::1"]]

    loopback_only.made.clear()
    _scan([V4, network, V6], ScanOptions(profile=Profile.QUICK, ports=lab.ports))
    assert [hosts for hosts, _ in loopback_only.made] == ["127.0.0.1 127.0.0.1/32", "::1"]


@needs_nmap
def test_host_names_are_resolved_before_nmap_which_never_does_dns(lab: Lab,
                                                                 loopback_only: Calls) -> None:
    answers = {info[4][0] for info in socket.getaddrinfo("localhost", None, socket.AF_INET)}
    if answers != {"127.0.0.1"}:
        pytest.skip(f"localhost resolves to {sorted(answers)} here, not only 127.0.0.1")
    targets = [validate_target("localhost"), validate_target("does-not-exist.invalid"), V4]
    run = _scan(targets, ScanOptions(profile=Profile.QUICK, ports=lab.ports))
    # localhost and 127.0.0.1 are one address: scanned once, the name kept.
    assert [(h.address, h.hostnames) for h in run.hosts] == [("127.0.0.1", ("localhost",))]
    assert _states(run.hosts[0]) == _expected(lab)["127.0.0.1"]
    assert [hosts for hosts, _ in loopback_only.made] == ["127.0.0.1"]
    assert "-n" in loopback_only.made[0][1].split()
    assert any(n.startswith("not scanned: does-not-exist.invalid does not resolve (ipv4)")
               for n in run.notes), run.notes


@needs_nmap
def test_a_host_nmap_reports_timed_out_keeps_the_parser_error() -> None:
    # Every TCP port within 1 ms: nmap gives up on the host (--host-timeout 1ms).
    options = ScanOptions(profile=Profile.QUICK, ports="1-65535", host_timeout=0.001)
    run = _scan([V4], options)
    assert [(h.address, h.timed_out, h.error, h.ports) for h in run.hosts] == [
        ("127.0.0.1", True, TIMED_OUT, ()),
    ]


def _nmap_children() -> list[tuple[int, str]]:
    """Our nmap children, with their state (a killed one not yet reaped is a zombie: 'Z')."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        comm_end = text.rfind(")")
        comm = text[text.find("(") + 1 : comm_end]
        state, ppid = text[comm_end + 2 :].split()[:2]
        if comm == "nmap" and int(ppid) == os.getpid():
            found.append((int(stat.parent.name), state))
    return found


@needs_nmap
def test_a_hung_nmap_is_killed_at_the_time_limit(lab: Lab) -> None:
    # -sV waits for a banner the silent listener never sends.
    options = ScanOptions(profile=Profile.STANDARD, ports=str(lab.silent), time_limit=1)
    progress = Recorder()
    started = time.monotonic()
    run = _scan([V4], options, progress)
    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 4
    assert [(h.address, h.status, h.error, h.ports) for h in run.hosts] == [
        ("127.0.0.1", "unknown", "nmap stopped after the time limit (1 s)", ()),
    ]
    assert progress.done_labels == ["nmap 1/1 (ipv4, 1 target)"]
    assert _nmap_children() == []  # killed and reaped


def test_nmap_missing_gives_every_host_an_error(tmp_path: Path, loopback_only: Calls) -> None:
    progress = Recorder()
    options = ScanOptions(nmap_search_path=(str(tmp_path / "nmap"),))
    run = _scan([V4, V6], options, progress)
    assert [(h.address, h.family, h.error) for h in run.hosts] == [
        ("127.0.0.1", "ipv4", NMAP_NOT_FOUND), ("::1", "ipv6", NMAP_NOT_FOUND),
    ]
    assert loopback_only.made == []
    assert progress.planned_calls == [2] and len(progress.done_labels) == 2


def test_nmap_not_on_an_empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   loopback_only: Calls) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    run = _scan([V4], ScanOptions(nmap_search_path=("nmap",)))
    assert [(h.address, h.error) for h in run.hosts] == [("127.0.0.1", NMAP_NOT_FOUND)]
    assert loopback_only.made == []


_AS_NOBODY = """
import dataclasses, json, os, sys
import nmap
from auditor.scan.nmap_runner import ScanOptions, ScanTarget, Profile, run_scan

LOOPBACK = {"127.0.0.1", "::1"}
original = nmap.PortScanner.scan
def guarded(self, hosts, **kw):
    assert set(hosts.split()) <= LOOPBACK, hosts
    return original(self, hosts=hosts, **kw)
nmap.PortScanner.scan = guarded
targets = [ScanTarget("127.0.0.1", "address", "ipv4"), ScanTarget("::1", "address", "ipv6")]
run = run_scan(targets, ScanOptions(profile=Profile.QUICK, ports=sys.argv[1]))
print(json.dumps({"euid": os.geteuid(), "run": dataclasses.asdict(run)}))
"""


def _copy_packages(into: Path, *names: str) -> None:
    for name in names:
        module = __import__(name)
        assert module.__file__ is not None
        shutil.copytree(Path(module.__file__).parent, into / name,
                        ignore=shutil.ignore_patterns("__pycache__"))


def _nobody(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert SETPRIV is not None
    return subprocess.run(
        [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command],
        capture_output=True, text=True, env=env, cwd="/", timeout=30, check=False,
    )


@needs_nmap
@pytest.mark.skipif(not ROOT or SETPRIV is None,
                    reason="needs root and setpriv to become nobody (as non-root every other "
                    "scan test already runs the connect scan)")
def test_not_root_scans_with_a_connect_scan_for_real(lab: Lab) -> None:
    # python-nmap and defusedxml copied where nobody can read them (site-packages may be
    # under root's home); auditor itself from the working tree.
    with tempfile.TemporaryDirectory(prefix="nmap-runner-") as temp:
        packages = Path(temp)
        _copy_packages(packages, "nmap", "defusedxml")
        for path in (packages, *packages.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        script = packages / "scan_as_nobody.py"
        script.write_text(_AS_NOBODY)
        script.chmod(0o644)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": f"{packages}{os.pathsep}{REPO}"}
        errors = []
        for python in dict.fromkeys((sys.executable, "/usr/bin/python3")):
            done = _nobody([python, str(script), lab.ports], env)
            if done.returncode == 0:
                break
            errors.append(f"{python}: {done.stderr.strip()[-300:]}")
        else:
            pytest.fail("no Python runs the runner as nobody: " + "; ".join(errors))
    result = json.loads(done.stdout)
    run = result["run"]
    assert result["euid"] == NOBODY
    assert NOT_ROOT_NOTE in run["notes"]
    commands = [line.split() for line in run["command"].splitlines()]
    assert [("-sT" in c, "-sS" in c, c[-1]) for c in commands] == [
        (True, False, "127.0.0.1"), (True, False, "::1")]
    assert {h["address"]: {p["port"]: p["state"] for p in h["ports"]} for h in run["hosts"]} == (
        _expected(lab))
    v4 = {p["port"]: p["reason"] for p in run["hosts"][0]["ports"]}
    assert v4 == {lab.v4_only: "syn-ack", lab.v6_only: "conn-refused", lab.closed: "conn-refused"}


@needs_nmap
@pytest.mark.skipif(not ROOT or SETPRIV is None, reason="needs root and setpriv")
def test_nmap_without_raw_sockets_is_rerun_as_a_connect_scan(lab: Lab, tmp_path: Path,
                                                            loopback_only: Calls) -> None:
    # We are root, so the runner asks for -sS; this nmap runs as nobody and refuses it.
    wrapper = tmp_path / "nmap"
    wrapper.write_text(f'#!/bin/sh\nexec {SETPRIV} --reuid={NOBODY} --regid={NOBODY} '
                       f'--clear-groups {NMAP} "$@"\n')
    wrapper.chmod(0o755)
    options = ScanOptions(profile=Profile.QUICK, ports=lab.ports,
                          nmap_search_path=(str(wrapper),))
    run = _scan([V4, V6], options)
    assert [(hosts, arguments.split()[0]) for hosts, arguments in loopback_only.made] == [
        ("127.0.0.1", "-sS"), ("127.0.0.1", "-sT"), ("::1", "-sT"),
    ]
    assert run.notes[0] == ("nmap could not send raw packets (needs root privileges): "
                            "rescanned with a connect scan (-sT)")
    assert {h.address: _states(h) for h in run.hosts} == _expected(lab)
    assert all(h.error is None for h in run.hosts)


# --------------------------------------------------------------------------------------------
# Networks: the size limit
# --------------------------------------------------------------------------------------------


def test_a_network_larger_than_the_limit_is_refused_before_any_scan(loopback_only: Calls
                                                                     ) -> None:
    big = ScanTarget("10.0.0.0/21", "network", "ipv4")
    with pytest.raises(ScanTargetError, match=r"10\.0\.0\.0/21 has 2,048 addresses, more than "
                       r"the limit of 1,024") as refused:
        run_scan([V4, big], ScanOptions())
    assert isinstance(refused.value, AuditorError)  # the CLI's exit code 2
    assert isinstance(refused.value, ValueError)
    assert loopback_only.made == []
    with pytest.raises(ScanTargetError, match="has 4 addresses"):
        check_targets([ScanTarget("127.0.0.0/30", "network", "ipv4")],
                      ScanOptions(max_network_addresses=3))
    with pytest.raises(ScanTargetError, match="18,446,744,073,709,551,616 addresses"):
        check_targets([ScanTarget("fd00::/64", "network", "ipv6")], ScanOptions())
    exactly = check_targets([ScanTarget("10.0.0.0/22", "network", "ipv4")], ScanOptions())
    assert exactly == [ScanTarget("10.0.0.0/22", "network", "ipv4")]


def test_a_large_network_is_accepted_with_the_flag(tmp_path: Path, loopback_only: Calls) -> None:
    # Accepted, and every address listed; nmap is "missing", so nothing is sent anywhere.
    missing = (str(tmp_path / "nmap"),)
    options = ScanOptions(allow_large_networks=True, nmap_search_path=missing)
    run = run_scan([ScanTarget("10.0.0.0/21", "network", "ipv4")], options)
    assert len(run.hosts) == 2048
    assert (run.hosts[0].address, run.hosts[-1].address) == ("10.0.0.0", "10.0.7.255")
    assert {h.error for h in run.hosts} == {NMAP_NOT_FOUND}

    huge = run_scan([ScanTarget("fd00::/112", "network", "ipv6"),
                     ScanTarget("fd00:1::/111", "network", "ipv6")], options)
    assert len(huge.hosts) == 2 * _LIST_LIMIT
    assert huge.notes == (f"network fd00:1::/111: {_LIST_LIMIT:,} more addresses not scanned "
                          f"({NMAP_NOT_FOUND})",)
    assert loopback_only.made == []


def test_a_host_nmap_did_not_list_is_unknown_never_lost() -> None:
    network = ipaddress.ip_network("192.0.2.0/30")
    batch = _Batch("ipv4", (_Item("192.0.2.9", "ipv4", names=["www.example"]),
                            _Item(str(network), "ipv4", network)), "nmap 1/1")
    seen = HostObservation(address="192.0.2.1", family="ipv4", status="up")
    stray = HostObservation(address="198.51.100.7", family="ipv4", status="up")
    notes: list[str] = []
    hosts = _matched(batch, [stray, seen], notes)
    assert [(h.address, h.status, h.reason, h.hostnames, h.error) for h in hosts] == [
        ("192.0.2.9", "unknown", "not listed in nmap's output", ("www.example",), None),
        ("192.0.2.0", "unknown", "not listed in nmap's output", (), None),
        ("192.0.2.1", "up", None, (), None),
        ("192.0.2.2", "unknown", "not listed in nmap's output", (), None),
        ("192.0.2.3", "unknown", "not listed in nmap's output", (), None),
        ("198.51.100.7", "up", None, (), None),  # listed but not asked for: kept
    ]
    assert notes == []


# --------------------------------------------------------------------------------------------
# Target and option validation (pure)
# --------------------------------------------------------------------------------------------

BAD_TARGETS = [
    "-oX", "--script=x", "-iL/etc/passwd", "127.0.0.1 -p 1", "a b", "127.0.0.1\t", ";", "$(x)",
    "`id`", "'127.0.0.1'", '"::1"', "a;b", "a|b", "a&b", "x>y", "", "10.0.0.5/24", "1.2.3",
    "300.1.1.1", "fe80::1%a;b", "fe80::1%$(x)", "host_name.example", "-host.example",
    "a..b", "127.0.0.1/33", "*", "127.0.0.1,127.0.0.2", "127.0.0.1-5",
]


@pytest.mark.parametrize("text", BAD_TARGETS)
def test_anything_but_an_address_network_or_name_is_refused(text: str,
                                                           loopback_only: Calls) -> None:
    with pytest.raises(ValueError, match=r"target|network|name|empty"):
        validate_target(text)
    for kind in ("address", "network", "hostname"):
        with pytest.raises(ScanTargetError, match="scan target refused"):
            run_scan([V4, ScanTarget(text, kind, "ipv4")], ScanOptions())
    assert loopback_only.made == []


@pytest.mark.parametrize(("text", "family", "expected"), [
    ("127.0.0.1", None, ScanTarget("127.0.0.1", "address", "ipv4")),
    ("::1", None, ScanTarget("::1", "address", "ipv6")),
    ("2001:DB8:0::1", "ipv6", ScanTarget("2001:db8::1", "address", "ipv6")),
    ("fe80::1%eth0", None, ScanTarget("fe80::1%eth0", "address", "ipv6")),
    ("192.0.2.0/24", None, ScanTarget("192.0.2.0/24", "network", "ipv4")),
    ("2001:db8::/120", None, ScanTarget("2001:db8::/120", "network", "ipv6")),
    ("WWW.Example.test.", None, ScanTarget("www.example.test", "hostname", "ipv4")),
    ("localhost", "ipv6", ScanTarget("localhost", "hostname", "ipv6")),
    ("cổng.anbinh.test", None, ScanTarget("xn--cng-qmz.anbinh.test", "hostname", "ipv4")),
])
def test_targets_are_classified_and_normalised(text: str, family: Any,
                                               expected: ScanTarget) -> None:
    assert validate_target(text, family=family) == expected


def test_a_target_of_the_wrong_kind_or_family_is_refused() -> None:
    with pytest.raises(ValueError, match="'::1' is an ipv6 address, not ipv4"):
        validate_target("::1", family="ipv4")
    with pytest.raises(ScanTargetError, match="is an IP address, not a host name"):
        check_targets([ScanTarget("127.0.0.1", "hostname", "ipv4")], ScanOptions())
    with pytest.raises(ScanTargetError, match="not ipv6"):
        check_targets([ScanTarget("127.0.0.1", "address", "ipv6")], ScanOptions())


GOOD_PORTS = ["22", "22,80,443,1000-2000", "T:22,U:53", "T:22,80,U:53,161", "1-65535", "65535"]
BAD_PORTS = [
    "-oX", "--script=x", "-p-", "22 80", "22;id", "$(x)", "1-", "-", "0", "65536", "80-22",
    "ssh", "S:22", "22,,80", "", ",22", "22,", "T:", "T:22,U:", "22,80 -sU", "022", "2 2",
    "T: 22", "t:22", "22\n",
]


@pytest.mark.parametrize("spec", GOOD_PORTS)
def test_port_lists_accepted(spec: str) -> None:
    assert validate_ports(spec) == spec
    assert ScanOptions(ports=spec).ports == spec


@pytest.mark.parametrize("spec", BAD_PORTS)
def test_port_lists_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="not a port list"):
        validate_ports(spec)
    with pytest.raises(ValueError, match="not a port list"):
        ScanOptions(ports=spec)


@pytest.mark.parametrize("bad", [
    {"timing": 6}, {"timing": -1}, {"timing": True}, {"host_timeout": 0},
    {"host_timeout": float("nan")}, {"time_limit": 0}, {"time_limit": float("inf")},
    {"batch_size": 0}, {"max_network_addresses": 0}, {"nmap_search_path": ()},
    {"profile": "fast"},
])
def test_options_out_of_range_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ScanOptions(**bad)


# --------------------------------------------------------------------------------------------
# The argument template (pure)
# --------------------------------------------------------------------------------------------


def test_profiles_give_fixed_arguments() -> None:
    base = ["-n", "-Pn", "--reason"]
    timeout = ["--host-timeout", "300000ms"]
    assert nmap_arguments(ScanOptions(profile=Profile.QUICK), "ipv4", True) == [
        "-sS", *base, "--top-ports", "100", *timeout]
    assert nmap_arguments(ScanOptions(), "ipv4", True) == [
        "-sS", *base, "--top-ports", "1000", "-sV", "--version-light", *timeout]
    assert nmap_arguments(ScanOptions(profile=Profile.FULL), "ipv6", False) == [
        "-sT", *base, "-6", "-p-", "-sV", *timeout]


def test_options_fill_the_template() -> None:
    options = ScanOptions(profile=Profile.QUICK, ports="22,443", timing=4, tls_scripts=True,
                          host_timeout=2.5)
    assert nmap_arguments(options, "ipv6", True) == [
        "-sS", "-n", "-Pn", "--reason", "-6", "-p", "22,443", "--script", TLS_SCRIPTS, "-T4",
        "--host-timeout", "2500ms"]
    full = nmap_arguments(dataclasses.replace(options, profile=Profile.FULL), "ipv4", False)
    assert full[:6] == ["-sT", "-n", "-Pn", "--reason", "-p", "22,443"]  # ports beat -p-
    assert "-p-" not in full and "-sV" in full
    assert TLS_SCRIPTS == "ssl-cert,ssl-enum-ciphers"


def test_udp_ports_need_raw_packets() -> None:
    options = ScanOptions(profile=Profile.QUICK, ports="T:22,U:53")
    assert nmap_arguments(options, "ipv4", True)[:2] == ["-sS", "-sU"]
    assert "-sU" not in nmap_arguments(options, "ipv4", False)


def test_arguments_never_hold_a_target_or_a_space() -> None:
    assert list(inspect.signature(nmap_arguments).parameters) == [
        "options", "family", "privileged"]
    safe = re.compile(r"[A-Za-z0-9,:./=_-]+")
    for profile in Profile:
        for family in ("ipv4", "ipv6"):
            for privileged in (True, False):
                options = ScanOptions(profile=profile, tls_scripts=True, timing=3)
                args = nmap_arguments(options, family, privileged)
                assert all(safe.fullmatch(a) for a in args), args
                assert not {"-oX", "-oA", "-iL", "-oN", "-oG"} & set(args)
                assert not any(a.startswith("-6") for a in args) or family == "ipv6"
    with pytest.raises(ValueError, match="family must be ipv4 or ipv6"):
        nmap_arguments(ScanOptions(), "ipv5", True)


def test_tampered_options_and_targets_are_checked_again_right_before_nmap() -> None:
    options = ScanOptions(ports="22")
    object.__setattr__(options, "ports", "22 --script=x")  # past the frozen dataclass
    with pytest.raises(ValueError, match="not a port list"):
        nmap_arguments(options, "ipv4", True)
    for text in ("-oX", "127.0.0.1 -p 1", "localhost", "::1"):  # ::1 is not ipv4
        batch = _Batch("ipv4", (_Item("127.0.0.1", "ipv4"), _Item(text, "ipv4")), "nmap 1/1")
        with pytest.raises(ScanTargetError, match="right before nmap"):
            _hosts_argument(batch)
    assert _hosts_argument(_Batch("ipv4", (_Item("127.0.0.1", "ipv4"),), "x")) == "127.0.0.1"
