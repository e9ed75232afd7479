"""Scan results matched to the inventory (auditor/scan/observe.py): pure, no nmap here (the
real scans are in tests/scan and tests/e2e/test_cli_scan.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.checks.context import Item
from auditor.facts import SystemObservations
from auditor.loading.inventory import load_inventory
from auditor.model.inventory import Inventory
from auditor.scan.model import HostObservation, PortObservation, ScanRun, ScriptOutput, merge_runs
from auditor.scan.observe import (
    merge_observations,
    nmap_cert_values,
    scan_observations,
    was_scanned,
)
from auditor.scan.targets import scan_targets

AS_OF = dt.date(2026, 12, 1)
INVENTORY = """organisation: {id: tinh-thu, name: Tỉnh Thử}
agencies:
  - id: so-a
    name: Sở A
    systems:
      - id: web
        name: Web
        system_type: citizen_facing
        lifecycle: production
        hosts:
          - name: www.a.test
            ipv4: [192.0.2.10]
            ipv6: ["2001:db8::10"]
            expected_ports: [443, 8443]
          - {name: named.a.test}
        networks: ["192.0.2.16/28"]
      - id: db
        name: DB
        system_type: internal
        lifecycle: production
        hosts:
          - {name: db.a.test, ipv4: [192.0.2.10], expected_ports: ["5432"]}
"""


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    (tmp_path / "inv.yaml").write_text(INVENTORY, encoding="utf-8")
    return load_inventory([tmp_path]).inventory


def _port(number: int, state: str = "open", **kw: object) -> PortObservation:
    return PortObservation("tcp", number, state, **kw)  # type: ignore[arg-type]


def _subjects(seen: SystemObservations, name: str) -> list[str]:
    return [i.subject for i in seen.collections.get(name, ())]


def test_targets_are_exactly_what_the_inventory_declares(inventory: Inventory) -> None:
    targets = [(t.value, t.kind, t.family) for t in scan_targets(inventory)]
    assert targets == [
        ("192.0.2.10", "address", "ipv4"),
        ("2001:db8::10", "address", "ipv6"),
        ("named.a.test", "hostname", "ipv4"),
        ("named.a.test", "hostname", "ipv6"),
        ("192.0.2.16/28", "network", "ipv4"),
    ]  # 192.0.2.10 is declared twice (two systems share the address) and scanned once
    assert [t.value for t in scan_targets(inventory, "db")] == ["192.0.2.10"]


def test_open_ports_are_judged_for_every_system_that_declares_the_address(
    inventory: Inventory,
) -> None:
    run = ScanRun("nmap", (
        HostObservation("192.0.2.10", "ipv4", "up",
                        ports=(_port(443), _port(5432), _port(22, "closed"))),
        HostObservation("2001:db8::10", "ipv6", "up", ports=(_port(443), _port(22))),
    ))
    observed, unmatched = scan_observations(inventory, [run], AS_OF)
    assert unmatched == []
    web, db = observed["web"], observed["db"]
    assert _subjects(web, "open_ports") == [
        "www.a.test [192.0.2.10] 443/tcp", "www.a.test [192.0.2.10] 5432/tcp",
        "www.a.test [2001:db8::10] 443/tcp", "www.a.test [2001:db8::10] 22/tcp",
    ]
    values = {i.subject: i.values for i in web.collections["open_ports"]}
    assert values["www.a.test [192.0.2.10] 443/tcp"]["declared"] is True
    assert values["www.a.test [192.0.2.10] 5432/tcp"]["declared"] is False  # db's, not web's
    assert values["www.a.test [2001:db8::10] 22/tcp"]["open_over_ipv4"] is False  # closed v4
    assert values["www.a.test [2001:db8::10] 443/tcp"]["open_over_ipv4"] is True
    assert "open_over_ipv4" not in values["www.a.test [192.0.2.10] 443/tcp"]
    db_values = {i.subject: i.values for i in db.collections["open_ports"]}
    assert db_values["db.a.test [192.0.2.10] 5432/tcp"]["declared"] is True
    expected = {i.subject: i for i in web.collections["expected_ports"]}
    assert expected["www.a.test [192.0.2.10] 443/tcp"].values["open"] is True
    assert expected["www.a.test [192.0.2.10] 8443/tcp"].values["open"] is False


def test_an_address_in_a_declared_network_belongs_to_the_system(inventory: Inventory) -> None:
    run = ScanRun("nmap", (
        HostObservation("192.0.2.20", "ipv4", "up", ports=(_port(3389),)),
        HostObservation("198.51.100.7", "ipv4", "up", ports=(_port(80),)),
    ))
    observed, unmatched = scan_observations(inventory, [run], AS_OF)
    (item,) = observed["web"].collections["open_ports"]
    assert item.subject == "192.0.2.20 [192.0.2.20] 3389/tcp"
    assert item.values["host"] is None and item.values["in_inventory"] is False
    assert [h.address for h in unmatched] == ["198.51.100.7"]  # outside every declared range


def test_a_host_declared_by_name_is_matched_by_the_name_nmap_reports(
    inventory: Inventory,
) -> None:
    run = ScanRun("nmap", (
        HostObservation("192.0.2.99", "ipv4", "up", hostnames=("named.a.test",),
                        ports=(_port(80),)),
    ))
    observed, unmatched = scan_observations(inventory, [run], AS_OF)
    assert unmatched == []
    assert _subjects(observed["web"], "open_ports") == ["named.a.test [192.0.2.99] 80/tcp"]


def test_a_host_that_could_not_be_scanned_makes_every_check_an_error(
    inventory: Inventory,
) -> None:
    run = ScanRun("nmap", (
        HostObservation("192.0.2.10", "ipv4", error="host timed out (nmap --host-timeout)"),
    ))
    observed, _ = scan_observations(inventory, [run], AS_OF, only_system="web")
    assert set(observed) == {"web"}
    for name in ("open_ports", "expected_ports"):
        (item,) = observed["web"].collections[name]
        assert item.errors == {"": "host timed out (nmap --host-timeout)"}


def test_a_declared_port_outside_the_scanned_ports_is_not_called_closed(
    inventory: Inventory,
) -> None:
    run = ScanRun("nmap", (HostObservation("192.0.2.10", "ipv4", "up", ports=(_port(443),)),),
                  scanned=(("tcp", "1-1024"),))
    observed, _ = scan_observations(inventory, [run], AS_OF, only_system="web")
    expected = {i.subject: i for i in observed["web"].collections["expected_ports"]}
    not_scanned = expected["www.a.test [192.0.2.10] 8443/tcp"]
    assert "open" not in not_scanned.values and "not scanned" in not_scanned.errors["open"]


@pytest.mark.parametrize(
    ("scanned", "port", "expected"),
    [((), 8443, True), ((("tcp", "1-1024,8443"),), 8443, True),
     ((("tcp", "1-1024"),), 8443, False), ((("udp", "53"),), 53, False),
     ((("tcp", "22,80,443"),), 80, True)],
)
def test_was_scanned_reads_nmaps_service_list(
    scanned: tuple[tuple[str, str], ...], port: int, expected: bool
) -> None:
    assert was_scanned(scanned, "tcp", port) is expected


def test_ssl_cert_script_gives_the_tls_probes_certificate_facts() -> None:
    elements = {
        "subject": {"commonName": "www.a.test"}, "issuer": {"commonName": "Test CA"},
        "pubkey": {"type": "rsa", "bits": "2048"}, "sig_algo": "sha1WithRSAEncryption",
        "validity": {"notBefore": "2026-06-01T00:00:00", "notAfter": "2026-12-11T00:00:00"},
    }
    cert = nmap_cert_values(elements, AS_OF)
    assert cert is not None
    assert (cert["days_left"], cert["lifetime_days"], cert["key_type"], cert["key_bits"],
            cert["signature_hash"]) == (10, 193, "rsa", 2048, "sha1")
    assert cert["lifetime_left_fraction"] == round(10 / 193, 4)
    assert nmap_cert_values({"subject": {}}, AS_OF) is None


def test_ssl_cert_on_a_scanned_port_becomes_a_certs_item(inventory: Inventory) -> None:
    script = ScriptOutput("ssl-cert", "…", {"validity": {"notBefore": "2026-01-01T00:00:00",
                                                         "notAfter": "2026-11-01T00:00:00"}})
    run = ScanRun("nmap", (HostObservation("192.0.2.10", "ipv4", "up",
                                           ports=(_port(443, scripts=(script,)),)),))
    observed, _ = scan_observations(inventory, [run], AS_OF, only_system="web")
    (cert,) = observed["web"].collections["certs"]
    assert cert.values["source"] == "nmap" and cert.values["cert"]["expired"] is True


def test_observations_of_different_probes_are_merged_per_system() -> None:
    a = {"s": SystemObservations(collections={"tls": (Item("x", {}, {}),)})}
    b = {"s": SystemObservations(collections={"open_ports": (Item("y", {}, {}),)}),
         "t": SystemObservations()}
    merged = merge_observations(a, b)
    assert set(merged) == {"s", "t"}
    assert {k: [i.subject for i in v] for k, v in merged["s"].collections.items()} == {
        "tls": ["x"], "open_ports": ["y"]}


def test_runs_merge_into_one() -> None:
    first = ScanRun("a.xml", (HostObservation("192.0.2.1", "ipv4"),), notes=("n1",),
                    started="2026-12-01T01:00:00+00:00", scanned=(("tcp", "22"),))
    second = ScanRun("b.xml", (HostObservation("192.0.2.2", "ipv4"),), notes=("n1", "n2"),
                     started="2026-12-01T00:30:00+00:00", scanned=(("tcp", "80"),))
    merged = merge_runs([first, second])
    assert merged.source == "a.xml, b.xml" and merged.notes == ("n1", "n2")
    assert [h.address for h in merged.hosts] == ["192.0.2.1", "192.0.2.2"]
    assert merged.started == "2026-12-01T00:30:00+00:00"
    assert merged.scanned == (("tcp", "22"), ("tcp", "80"))
    assert merge_runs([first]) is first


# --- older nmap (no sig_algo) and hosts nmap reports down (issue #16) -----------------------


def _pem_cert(hash_algorithm: object) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.a.test")])
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(9).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=90))
            .sign(key, hash_algorithm if isinstance(hash_algorithm, hashes.HashAlgorithm)
                  else hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.mark.parametrize(("algorithm", "expected"), [("sha384", "sha384"), ("sha512", "sha512")])
def test_older_nmap_without_sig_algo_reads_the_hash_from_the_pem(
    algorithm: str, expected: str
) -> None:
    from cryptography.hazmat.primitives import hashes

    chosen = {"sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[algorithm]
    elements = {
        "subject": {"commonName": "www.a.test"}, "pubkey": {"type": "ec", "bits": "384"},
        "validity": {"notBefore": "2026-06-01T00:00:00", "notAfter": "2026-08-30T00:00:00"},
        "pem": _pem_cert(chosen),
    }
    cert = nmap_cert_values(elements, AS_OF)
    assert cert is not None and cert["signature_hash"] == expected


@pytest.mark.parametrize("pem", [None, "", "not a pem", "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                 "-----END CERTIFICATE-----\n"])
def test_no_sig_algo_and_no_readable_pem_is_unknown_never_a_pass(pem: str | None) -> None:
    elements: dict[str, object] = {
        "validity": {"notBefore": "2026-06-01T00:00:00", "notAfter": "2026-08-30T00:00:00"},
    }
    if pem is not None:
        elements["pem"] = pem
    cert = nmap_cert_values(elements, AS_OF)
    assert cert is not None and cert["signature_hash"] == "unknown"


def test_sig_algo_when_given_wins_over_the_pem() -> None:
    elements = {
        "validity": {"notBefore": "2026-06-01T00:00:00", "notAfter": "2026-08-30T00:00:00"},
        "sig_algo": "sha1WithRSAEncryption", "pem": _pem_cert(None),
    }
    cert = nmap_cert_values(elements, AS_OF)
    assert cert is not None and cert["signature_hash"] == "sha1"


def test_hosts_nmap_reports_down_are_not_listed_as_not_in_the_inventory(
    inventory: Inventory,
) -> None:
    run = ScanRun("nmap", (
        HostObservation("198.51.100.7", "ipv4", "down"),
        HostObservation("198.51.100.8", "ipv4", "up", ports=(_port(80),)),
        HostObservation("198.51.100.9", "ipv4", "unknown"),
    ))
    _observed, unmatched = scan_observations(inventory, [run], AS_OF)
    assert [h.address for h in unmatched] == ["198.51.100.8", "198.51.100.9"]


def test_an_nmap_file_without_sig_algo_gives_the_hash_end_to_end(
    inventory: Inventory,
) -> None:
    from xml.sax.saxutils import escape

    from cryptography.hazmat.primitives import hashes

    from auditor.scan.nmap_xml import parse_nmap_xml

    pem = _pem_cert(hashes.SHA384())
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -p 443 '
        '--script ssl-cert 192.0.2.10" start="1700000000" version="7.70" xmloutputversion="1.04">'
        '<scaninfo type="syn" protocol="tcp" numservices="1" services="443"/>'
        '<host><status state="up" reason="syn-ack"/><address addr="192.0.2.10" addrtype="ipv4"/>'
        '<ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack"/>'
        '<service name="https" method="table" conf="3"/>'
        '<script id="ssl-cert" output="Subject: commonName=www.a.test">'
        '<table key="subject"><elem key="commonName">www.a.test</elem></table>'
        '<table key="pubkey"><elem key="type">ec</elem><elem key="bits">384</elem></table>'
        '<table key="validity"><elem key="notBefore">2026-06-01T00:00:00</elem>'
        '<elem key="notAfter">2026-08-30T00:00:00</elem></table>'
        f'<elem key="pem">{escape(pem)}</elem></script></port></ports></host>'
        '<host><status state="down" reason="no-response"/>'
        '<address addr="198.51.100.50" addrtype="ipv4"/></host>'
        "</nmaprun>\n"
    )
    run = parse_nmap_xml(xml.encode(), source="old.xml")
    observed, unmatched = scan_observations(inventory, [run], AS_OF, only_system="web")
    (cert,) = observed["web"].collections["certs"]
    assert cert.values["cert"]["signature_hash"] == "sha384"
    assert unmatched == []  # the down host is not "not in the inventory"
