"""`auditor audit --live`, `auditor probe` and `auditor gate --live` end to end, against real
servers this module starts on 127.0.0.1 and ::1: TLS web servers with certificates made here,
plain-HTTP redirectors, and NSD serving the `anbinh.test` zone. Nothing else is contacted.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import read_results_json, run_cli
from probes.dns_server import NsdServer, require_nsd
from probes.tls_servers import (
    Issued,
    LoopbackServer,
    ec_key,
    free_port,
    html_response,
    http_raw_handler,
    issue,
    pem,
    rsa_key,
    server_context,
    write_chain,
)

NOW = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
TODAY = NOW.date()
DAY = dt.timedelta(days=1)
DECOY = "127.0.0.3"  # a loopback address no name of the inventory resolves to
PAGE = "<html><body><h1>Cổng thông tin tỉnh An Bình</h1><p>{nonce}</p></body></html>"


@dataclass
class FixedPortServer(LoopbackServer):
    """A LoopbackServer on a given port, so one name serves IPv4 and IPv6 on the same port."""

    fixed_port: int = 0

    def start(self) -> FixedPortServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.fixed_port))
        sock.listen(64)
        sock.settimeout(0.05)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self


def dual_stack(handler: Callable[[socket.socket, threading.Event], None]
               ) -> tuple[LoopbackServer, LoopbackServer]:
    """The same handler on 127.0.0.1 and ::1, on one port number."""
    for _ in range(50):
        v4 = LoopbackServer("127.0.0.1", handler).start()
        try:
            v6 = FixedPortServer("::1", handler, fixed_port=v4.port).start()
        except OSError:
            v4.stop()
            continue
        return v4, v6
    raise RuntimeError("no port free on both loopback addresses")


@dataclass
class World:
    inventory: Path
    resolver: str
    ns_port: int
    ca_bundle: Path
    ports: dict[str, int]
    servers: list[LoopbackServer] = field(default_factory=list)
    # Listeners behind names the zone has but the inventory does not list (negative control).
    decoys: list[LoopbackServer] = field(default_factory=list)


def _web(context: ssl.SSLContext, nonce: str) -> Callable[[socket.socket, threading.Event], None]:
    return http_raw_handler(lambda _request: html_response(PAGE.format(nonce=nonce)),
                            context=context)


def _redirect_to(url: str) -> Callable[[socket.socket, threading.Event], None]:
    return http_raw_handler(
        f"HTTP/1.1 301 Moved Permanently\r\nLocation: {url}\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n".encode()
    )


def _inventory(directory: Path, ports: dict[str, int], leaf_file: Path) -> Path:
    folder = directory / "inventory"
    folder.mkdir()
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-an-binh\n  name: Tỉnh An Bình (thử nghiệm)\n"
        "  ipv6_plan: {number: 1/KH-UBND, date: 2025-01-02}\n",
        encoding="utf-8",
    )
    p = ports
    (folder / "so-tt.yaml").write_text(
        f"""agency:
  id: so-tt
  name: Sở Thông tin (thử nghiệm)
  ipv6_plan: {{number: 2/KH-STT, date: 2025-02-03}}
  systems:
    - id: cong-ttdt
      name: Cổng thông tin điện tử
      system_type: citizen_facing
      lifecycle: production
      declared_level: 2
      tls_policy: {{expiry_warning_days: 10}}
      endpoints:
        - url: https://portal.anbinh.test:{p['portal']}/
          ipv6_claimed: true
          http_url: http://portal.anbinh.test:{p['portal_http']}/
    - id: noi-bo
      name: Hệ thống nội bộ
      system_type: internal
      lifecycle: production
      declared_level: 2
      endpoints:
        - url: https://expired.anbinh.test:{p['expired']}/
          ipv6_claimed: true
          http_url: http://expired.anbinh.test:{p['refused']}/
        - url: https://wrong.anbinh.test:{p['wrong']}/
          kind: api
        - url: https://down.anbinh.test:{p['refused']}/
          kind: api
        - url: https://missing.anbinh.test/
          kind: api
      certificates:
        - file: {leaf_file.name}
          purpose: Chứng thư ký số chuyên dùng
""",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    require_nsd()
    d = tmp_path_factory.mktemp("live")
    root = issue("auditor Live Root", key=ec_key(), not_before=NOW - 100 * DAY,
                 not_after=NOW + 3000 * DAY, ca=True)
    ca_bundle = d / "ca.pem"
    ca_bundle.write_bytes(pem(root.cert))

    def leaf(name: str, sans: tuple[str, ...], **kw: Any) -> ssl.SSLContext:
        params: dict[str, Any] = {"key": ec_key(), "not_before": NOW - 10 * DAY,
                                  "not_after": NOW + 80 * DAY, "issuer": root, "sans": sans}
        params.update(kw)
        cert: Issued = issue(sans[0], **params)
        return server_context(write_chain(d, name, cert))

    servers: list[LoopbackServer] = []
    ports: dict[str, int] = {}

    portal_tls = leaf("portal", ("portal.anbinh.test",))
    portal4, portal6 = dual_stack(_web(portal_tls, "a1b2c3d4e5f6a7b8c9d0"))
    servers += [portal4, portal6]
    ports["portal"] = portal4.port
    redirect4, redirect6 = dual_stack(
        _redirect_to(f"https://portal.anbinh.test:{ports['portal']}/"))
    servers += [redirect4, redirect6]
    ports["portal_http"] = redirect4.port
    expired = LoopbackServer("127.0.0.1", _web(leaf(
        "expired", ("expired.anbinh.test",), not_before=NOW - 400 * DAY,
        not_after=NOW - 3 * DAY), "x")).start()
    wrong = LoopbackServer("127.0.0.1", _web(leaf(
        "wrong", ("other.anbinh.test",), key=rsa_key(2048)), "y")).start()
    servers += [expired, wrong]
    ports["expired"], ports["wrong"] = expired.port, wrong.port
    ports["refused"] = free_port("127.0.0.1")

    signing = issue("so-tt.anbinh.test", key=ec_key(), not_before=NOW - 360 * DAY,
                    not_after=NOW + 5 * DAY, issuer=root, sans=("so-tt.anbinh.test",))
    inventory_dir = d / "inv"
    inventory_dir.mkdir()
    inventory = _inventory(inventory_dir, ports, Path("signing.pem"))
    (inventory / "signing.pem").write_bytes(pem(signing.cert))

    # Decoys: the zone apex and www, on another loopback address, listening on the very ports
    # the inventory's endpoints use. Scope holds only if nothing ever connects to them.
    decoys = [FixedPortServer(DECOY, _web(portal_tls, "decoy"), fixed_port=ports[name]).start()
              for name in ("portal", "portal_http")]
    zone = [
        "@ A " + DECOY, "www A " + DECOY,
        "@ NS ns1", "@ NS ns2",
        "ns1 A 127.0.0.1", "ns1 AAAA ::1", "ns2 A 127.0.0.1", "ns2 AAAA ::1",
        "portal A 127.0.0.1", "portal AAAA ::1",
        "expired A 127.0.0.1", "wrong A 127.0.0.1", "down A 127.0.0.1",
    ]
    (d / "nsd").mkdir()
    with NsdServer(d / "nsd", {"anbinh.test": zone}) as nsd:
        yield World(inventory, f"127.0.0.1:{nsd.port}", nsd.port, ca_bundle, ports, servers,
                    decoys)
    for server in (*servers, *decoys):
        server.stop()


def _live_args(world: World) -> list[str]:
    return ["--live", "--resolver", world.resolver, "--ns-port", str(world.ns_port),
            "--ca-bundle", str(world.ca_bundle), "--timeout", "2", "--as-of", TODAY.isoformat()]


@pytest.fixture(scope="module")
def audited(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("out")
    result = run_cli("audit", world.inventory, *_live_args(world), "--json", out / "r.json",
                     "--output", out / "report.html", "--lang", "en")
    assert result.code == 0, result.stderr
    data = read_results_json(out / "r.json")
    data["_html"] = (out / "report.html").read_text(encoding="utf-8")
    return data


def _findings(data: dict[str, Any], system: str) -> dict[tuple[str, str | None], dict[str, Any]]:
    found = next(s for s in data["systems"] if s["id"] == system)
    return {(f["rule_id"], f["subject"]): f for f in found["findings"]}


def test_live_run_is_marked_and_keeps_observations(audited: dict[str, Any]) -> None:
    assert audited["run"]["live"] is True
    assert audited["run"]["observed_at"].startswith(TODAY.isoformat()[:4])
    portal = next(s for s in audited["systems"] if s["id"] == "cong-ttdt")
    collections = {(r["collection"], r["subject"]) for r in portal["observed"]}
    port = next(r["values"]["port"] for r in portal["observed"] if r["collection"] == "tls")
    # Every address of the name is probed: IPv4 and IPv6.
    assert ("tls", f"portal.anbinh.test:{port} [127.0.0.1]") in collections
    assert ("tls", f"portal.anbinh.test:{port} [::1]") in collections
    assert ("endpoints", f"https://portal.anbinh.test:{port}/") in collections


def test_healthy_portal_passes_tls_certificate_and_ipv6_rules(audited: dict[str, Any]) -> None:
    findings = _findings(audited, "cong-ttdt")
    by_rule: dict[str, set[str]] = {}
    for (rule, _subject), finding in findings.items():
        by_rule.setdefault(rule, set()).add(finding["status"])
    for rule in ("TLS-01", "TLS-01R", "TLS-02", "TLS-03", "TLS-03H", "CERT-01", "CERT-02",
                 "CERT-03", "CERT-04", "CERT-05", "IP6-02", "IP6-03", "IP6-07", "IP6-08"):
        assert by_rule.get(rule) == {"pass"}, (rule, by_rule.get(rule))
    # Two addresses → two TLS findings per rule, each with observed evidence.
    tls03 = [f for (r, _), f in findings.items() if r == "TLS-03"]
    assert len(tls03) == 2
    assert all(e["origin"]["source"] == "observed" for f in tls03 for e in f["evidence"])
    # The local 10-day warning is laxer than level 2 requires (30 days): a finding of its own.
    assert findings[("CERT-POL-01", None)]["status"] == "fail"


def test_broken_endpoints_fail_with_reasons(audited: dict[str, Any], world: World) -> None:
    findings = _findings(audited, "noi-bo")
    expired = f"expired.anbinh.test:{world.ports['expired']} [127.0.0.1]"
    assert findings[("CERT-01", expired)]["status"] == "fail"
    assert findings[("TLS-03", expired)]["status"] == "fail"
    assert "expired" in json.dumps(findings[("TLS-03", expired)]["evidence"])
    # CERT-02 leaves an expired certificate to CERT-01.
    assert findings[("CERT-02", expired)]["status"] == "not_applicable"
    wrong = f"wrong.anbinh.test:{world.ports['wrong']} [127.0.0.1]"
    assert findings[("TLS-03H", wrong)]["status"] == "fail"
    assert findings[("TLS-03", wrong)]["status"] == "pass"  # trusted chain, wrong name
    # The redirect port refuses: an error with the reason, not a failure.
    redirect = findings[("TLS-01R", expired)]
    assert redirect["status"] == "error" and "refused" in redirect["message"]["en"]
    # IPv6: the internal site has no AAAA (advisory rule) and the claim is wrong.
    url = f"https://expired.anbinh.test:{world.ports['expired']}/"
    assert findings[("IP6-04", url)]["status"] == "fail"
    assert findings[("IP6-07", url)]["status"] == "fail"
    # The signing certificate file expires in 5 days: CERT-03 (7 days at level 2).
    assert findings[("CERT-03", "file:signing.pem")]["status"] == "fail"
    assert findings[("CERT-01", "file:signing.pem")]["status"] == "pass"


def test_unreachable_targets_are_errors_and_the_audit_goes_on(
    audited: dict[str, Any], world: World
) -> None:
    findings = _findings(audited, "noi-bo")
    down = f"down.anbinh.test:{world.ports['refused']} [127.0.0.1]"
    for rule in ("TLS-02", "TLS-03", "CERT-01"):
        assert findings[(rule, down)]["status"] == "error"
        assert "refused" in findings[(rule, down)]["message"]["en"]
        # The Vietnamese message says the probe's reason in Vietnamese (probe_reasons.py).
        assert "kết nối bị từ chối" in findings[(rule, down)]["message"]["vi"]
        assert "refused" not in findings[(rule, down)]["message"]["vi"]
    missing = next(f for (r, s), f in findings.items()
                   if r == "TLS-03" and s and s.startswith("missing.anbinh.test"))
    assert missing["status"] == "error"
    assert "NXDOMAIN" in missing["message"]["en"] or "not exist" in missing["message"]["en"]
    assert "tên miền" in missing["message"]["vi"], missing["message"]["vi"]
    # Every other system and rule was still judged.
    assert {s["id"] for s in audited["systems"]} == {"cong-ttdt", "noi-bo"}


def test_report_has_certificate_and_ipv6_tables(audited: dict[str, Any]) -> None:
    html = audited["_html"]
    assert 'id="certificates-so-tt"' in html and 'id="ipv6-so-tt"' in html
    assert "expired.anbinh.test" in html and "portal.anbinh.test" in html
    assert "IPv6-ready" in html


def test_probe_tls_and_ipv6_print_observations(world: World) -> None:
    args = _live_args(world)[1:]  # probe commands always probe: no --live flag
    tls = run_cli("probe", "tls", world.inventory, *args, "--json")
    assert tls.code == 0, tls.stderr
    records = json.loads(tls.stdout)["observations"]
    portal = [r for r in records if r["collection"] == "certs"
              and r["subject"].startswith("portal.anbinh.test")]
    assert len(portal) == 2
    assert all(r["values"]["cert"]["days_left"] == 80 for r in portal)
    assert any(r["subject"] == "file:signing.pem" and r["values"]["cert"]["days_left"] == 5
               for r in records)
    ipv6 = run_cli("probe", "ipv6", world.inventory, *args, "--json")
    assert ipv6.code == 0, ipv6.stderr
    seen = {r["subject"]: r for r in json.loads(ipv6.stdout)["observations"]}
    portal_url = f"https://portal.anbinh.test:{world.ports['portal']}/"
    assert seen[portal_url]["values"]["ipv6"]["ready"] is True
    assert seen[portal_url]["values"]["ipv6"]["ns_with_ipv6"] == 2
    table = run_cli("probe", "tls", world.inventory, *args, "--lang", "en")
    assert table.code == 0 and "portal.anbinh.test" in table.stdout
    assert "connection refused" in table.stdout
    vietnamese = run_cli("probe", "tls", world.inventory, *args, "--lang", "vi")
    assert vietnamese.code == 0 and "kết nối bị từ chối" in vietnamese.stdout
    assert "connection refused" not in vietnamese.stdout


def test_gate_live_opens_for_the_portal_and_closes_on_an_expired_certificate(
    world: World,
) -> None:
    args = _live_args(world)
    portal = run_cli("gate", world.inventory, "--system", "cong-ttdt", *args, "--lang", "en")
    blocked = run_cli("gate", world.inventory, "--system", "noi-bo", *args, "--lang", "en")
    assert "CERT-01" not in portal.stdout and "TLS-03" not in portal.stdout
    assert blocked.code == 1 and "CERT-01" in blocked.stdout


def test_bad_resolver_is_a_usage_error(world: World) -> None:
    result = run_cli("audit", world.inventory, "--live", "--resolver", "-oX", "-q")
    assert result.code == 2
    assert "resolver" in result.stderr.lower() and "Traceback" not in result.stderr


def test_names_the_inventory_does_not_list_are_never_contacted(world: World) -> None:
    """Negative control: the zone's apex and www resolve to listeners on the ports the
    inventory's endpoints use; audit, probes and gate with --live must never connect there."""
    args = _live_args(world)
    runs = [
        run_cli("audit", world.inventory, *args, "--no-history", "-q"),
        run_cli("probe", "tls", world.inventory, *args[1:], "--json"),
        run_cli("probe", "ipv6", world.inventory, *args[1:], "--json"),
        run_cli("gate", world.inventory, "--system", "cong-ttdt", *args),
    ]
    assert all(r.code in (0, 1) for r in runs), [r.stderr for r in runs]
    assert [len(d._conns) for d in world.decoys] == [0, 0]
    # ...and the control can see a connection: make one and it is counted.
    with socket.create_connection((DECOY, world.decoys[0].port), timeout=2):
        pass
    deadline = dt.datetime.now() + dt.timedelta(seconds=2)
    while not world.decoys[0]._conns and dt.datetime.now() < deadline:
        threading.Event().wait(0.02)
    assert len(world.decoys[0]._conns) == 1
