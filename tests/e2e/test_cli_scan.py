"""`auditor scan`, `auditor audit --live --scan` and `--scan-results` end to end, with real nmap
against listeners this module opens on 127.0.0.1 and ::1 (one port on IPv6 only). Only those
two addresses are ever scanned: the inventory names nothing else.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import read_results_json, run_cli

NMAP = shutil.which("nmap")
pytestmark = pytest.mark.usefixtures("nmap_required")  # fails as root when nmap is missing
RISKY_CANDIDATES = (11211, 27017, 9200, 5984, 6379)  # memcached, MongoDB, Elasticsearch, …


def _listen(host: str, port: int = 0) -> socket.socket:
    assert host in ("127.0.0.1", "::1")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(16)
    except OSError:
        sock.close()  # a port in use (e.g. by another test run) must not leak the socket
        raise
    return sock


def _reserve(host: str, port: int = 0) -> socket.socket:
    """Bound, not listening: a connection is refused (the port is closed), and no other process
    on this shared machine can listen there while the socket is held."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


@dataclass
class Lab:
    inventory: Path
    ports: dict[str, int]
    port_list: str


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    sockets: list[socket.socket] = []
    # A declared service on both families, on one port number.
    for _ in range(20):
        web4 = _listen("127.0.0.1")
        port = int(web4.getsockname()[1])
        try:
            web6 = _listen("::1", port)
        except OSError:
            web4.close()
            continue
        sockets += [web4, web6]
        break
    undeclared = _listen("127.0.0.1")
    sockets.append(undeclared)
    # Open over IPv6 only: the same port number is held closed over IPv4.
    for _ in range(20):
        v6_only = _listen("::1")
        try:
            sockets.append(_reserve("127.0.0.1", int(v6_only.getsockname()[1])))
        except OSError:
            v6_only.close()
            continue
        sockets.append(v6_only)
        break
    down = _reserve("127.0.0.1")
    sockets.append(down)
    risky = None
    for candidate in RISKY_CANDIDATES:
        try:
            risky = _listen("127.0.0.1", candidate)
        except OSError:
            continue
        sockets.append(risky)
        break
    assert risky is not None, "no well-known risky port free on 127.0.0.1"
    ports = {
        "web": port,
        "undeclared": int(undeclared.getsockname()[1]),
        "v6_only": int(v6_only.getsockname()[1]),
        "risky": int(risky.getsockname()[1]),
        "down": int(down.getsockname()[1]),
    }
    folder = tmp_path_factory.mktemp("scan") / "inventory"
    folder.mkdir()
    (folder / "00-org.yaml").write_text(
        "organisation: {id: tinh-thu, name: Tỉnh Thử}\n", encoding="utf-8")
    (folder / "so-a.yaml").write_text(
        f"""agency:
  id: so-a
  name: Sở A
  systems:
    - id: cong-a
      name: Cổng A
      system_type: citizen_facing
      lifecycle: production
      declared_level: 3
      hosts:
        - name: app.a.test
          ipv4: [127.0.0.1]
          ipv6: ["::1"]
          expected_ports: [{ports['web']}, {ports['down']}, {ports['v6_only']}]
""",
        encoding="utf-8",
    )
    port_list = ",".join(str(p) for p in sorted(ports.values()))
    yield Lab(folder, ports, port_list)
    for sock in sockets:
        sock.close()


def _scan_args(lab: Lab) -> list[str]:
    return ["--profile", "quick", "--ports", lab.port_list, "--host-timeout", "60"]


@pytest.fixture(scope="module")
def scanned(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    saved = tmp_path_factory.mktemp("saved") / "scan.json"
    result = run_cli("scan", lab.inventory, *_scan_args(lab), "--save", saved, "--json")
    assert result.code == 0, result.stderr
    return saved, json.loads(result.stdout)


def _open(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["subject"]: r["values"] for r in data["observations"]
            if r["collection"] == "open_ports"}


def test_scan_finds_each_open_port_per_family(scanned: tuple[Path, dict[str, Any]],
                                               lab: Lab) -> None:
    saved, data = scanned
    found = _open(data)
    p = lab.ports
    assert f"app.a.test [127.0.0.1] {p['web']}/tcp" in found
    assert f"app.a.test [::1] {p['web']}/tcp" in found
    assert f"app.a.test [127.0.0.1] {p['undeclared']}/tcp" in found
    assert f"app.a.test [::1] {p['v6_only']}/tcp" in found
    assert f"app.a.test [127.0.0.1] {p['v6_only']}/tcp" not in found  # closed over IPv4
    assert f"app.a.test [127.0.0.1] {p['down']}/tcp" not in found
    assert found[f"app.a.test [127.0.0.1] {p['web']}/tcp"]["declared"] is True
    assert found[f"app.a.test [127.0.0.1] {p['undeclared']}/tcp"]["declared"] is False
    assert found[f"app.a.test [::1] {p['v6_only']}/tcp"]["open_over_ipv4"] is False
    assert found[f"app.a.test [::1] {p['web']}/tcp"]["open_over_ipv4"] is True
    stored = json.loads(saved.read_text(encoding="utf-8"))
    assert stored["format"] == "auditor-scan"
    assert {h["address"] for h in stored["scan"]["hosts"]} == {"127.0.0.1", "::1"}


def _findings(results: Path) -> dict[tuple[str, str | None], dict[str, Any]]:
    data = read_results_json(results)
    (system,) = data["systems"]
    return {(f["rule_id"], f["subject"]): f for f in system["findings"]}


def _judge(findings: dict[tuple[str, str | None], dict[str, Any]], lab: Lab) -> None:
    p = lab.ports
    assert findings[("NET-01", f"app.a.test [127.0.0.1] {p['undeclared']}/tcp")]["status"] \
        == "fail"
    assert findings[("NET-01", f"app.a.test [127.0.0.1] {p['web']}/tcp")]["status"] == "pass"
    risky = findings[("NET-02", f"app.a.test [127.0.0.1] {p['risky']}/tcp")]
    assert risky["status"] == "fail" and risky["severity"] == "critical"  # level 3
    assert findings[("NET-02", f"app.a.test [127.0.0.1] {p['web']}/tcp")]["status"] == "pass"
    assert findings[("NET-03", f"app.a.test [127.0.0.1] {p['down']}/tcp")]["status"] == "fail"
    assert findings[("NET-03", f"app.a.test [::1] {p['web']}/tcp")]["status"] == "pass"
    parity = findings[("NET-04", f"app.a.test [::1] {p['v6_only']}/tcp")]
    assert parity["status"] == "fail"
    assert findings[("NET-04", f"app.a.test [::1] {p['web']}/tcp")]["status"] == "pass"
    assert findings[("NET-04", f"app.a.test [127.0.0.1] {p['web']}/tcp")]["status"] \
        == "not_applicable"


def test_saved_scan_is_judged_offline(scanned: tuple[Path, dict[str, Any]], lab: Lab,
                                      tmp_path: Path) -> None:
    saved, _ = scanned
    out = tmp_path / "r.json"
    result = run_cli("audit", lab.inventory, "--scan-results", saved, "--json", out, "-q")
    assert result.code == 0, result.stderr
    _judge(_findings(out), lab)


def test_live_audit_scans_and_judges(lab: Lab, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli("audit", lab.inventory, "--live", "--scan", *_scan_args(lab),
                     "--json", out, "--output", tmp_path / "report.html", "-q")
    assert result.code == 0, result.stderr
    _judge(_findings(out), lab)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{lab.ports['undeclared']}/tcp" in html


def test_nmap_xml_made_elsewhere_is_imported_without_scanning(lab: Lab, tmp_path: Path) -> None:
    xml = tmp_path / "nmap.xml"
    assert NMAP is not None
    subprocess.run(
        [NMAP, "-n", "-Pn", "-sT", "-p", lab.port_list, "-oX", str(xml), "127.0.0.1"],
        check=True, capture_output=True, timeout=120,
    )
    result = run_cli("scan", lab.inventory, "--import", xml, "--save", tmp_path / "s.json",
                     "--json")
    assert result.code == 0, result.stderr
    found = _open(json.loads(result.stdout))
    assert f"app.a.test [127.0.0.1] {lab.ports['undeclared']}/tcp" in found
    assert not any("[::1]" in subject for subject in found)  # the file held IPv4 only


def test_malformed_xml_is_refused_with_the_file_named(lab: Lab, tmp_path: Path) -> None:
    bad = tmp_path / "cut.xml"
    bad.write_text('<?xml version="1.0"?>\n<nmaprun scanner="nmap">\n<host><status state="up"',
                   encoding="utf-8")
    result = run_cli("audit", lab.inventory, "--scan-results", bad, "--json",
                     tmp_path / "r.json")
    assert result.code == 2 and "cut.xml" in result.stderr
    assert f"auditor: lỗi: {bad}:3:" in result.stderr and "XML bị cắt cụt" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r.json").exists()
    english = run_cli("audit", lab.inventory, "--scan-results", bad, "--json",
                      tmp_path / "r.json", "--lang", "en")
    assert f"auditor: error: {bad}:3:" in english.stderr
    assert "truncated or malformed XML" in english.stderr


def test_scan_without_live_is_a_usage_error(lab: Lab) -> None:
    result = run_cli("audit", lab.inventory, "--scan")
    assert result.code == 2 and "--live" in result.stderr


def test_a_large_declared_network_is_refused_before_anything_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "inv.yaml").write_text(
        """organisation: {id: tinh-thu, name: Tỉnh Thử}
agencies:
  - id: so-a
    name: Sở A
    systems:
      - {id: lan, name: LAN, system_type: internal, lifecycle: production,
         networks: ["127.0.0.0/16"]}
""",
        encoding="utf-8",
    )
    result = run_cli("scan", tmp_path / "inv.yaml", "--save", tmp_path / "s.json", "--lang", "en")
    assert result.code == 2, result.stdout
    assert "127.0.0.0/16" in result.stderr and "65,536 addresses" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "s.json").exists()
    result = run_cli("scan", tmp_path / "inv.yaml", "--save", tmp_path / "s.json")
    assert result.code == 2, result.stdout
    assert result.stderr == (
        "auditor: lỗi: từ chối mục tiêu quét: mạng 127.0.0.0/16 có 65.536 địa chỉ, vượt giới "
        "hạn 1.024; muốn quét mạng lớn cần được cho phép rõ ràng\n"
    )
    assert not (tmp_path / "s.json").exists()


def test_a_risky_port_closes_the_go_live_gate(scanned: tuple[Path, dict[str, Any]],
                                             lab: Lab) -> None:
    saved, _ = scanned
    result = run_cli("gate", lab.inventory, "--system", "cong-a", "--scan-results", saved,
                     "--lang", "en")
    assert result.code == 1 and "NET-02" in result.stdout
