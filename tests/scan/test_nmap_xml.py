"""nmap XML reader: real nmap runs against listeners on 127.0.0.1 and ::1, nmap files of other
versions, hostile and broken XML, limits, and a generated 5,000-host file."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from components import require_component
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from probes.tls_servers import (
    Issued,
    LoopbackServer,
    ec_key,
    free_port,
    issue,
    server_context,
    write_chain,
)
from scan.nmap_runs import (
    NMAP,
    START,
    nmap_version,
    run_nmap,
    synthetic_address,
    tls_bio_handler,
    write_synthetic_run,
)

from auditor.errors import InputError
from auditor.scan.model import HostObservation, PortObservation, ScanRun
from auditor.scan.nmap_xml import (
    TIMED_OUT,
    Limits,
    NmapXmlError,
    parse_nmap_xml,
    read_nmap_xml,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "nmap"
needs_nmap = pytest.mark.usefixtures("nmap_required")  # fails as root when nmap is missing
SSH_BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"


# -- real nmap against real listeners --------------------------------------------------------


def _close_at_once(conn: socket.socket, stop: threading.Event) -> None:
    """A TCP service that accepts and hangs up (LoopbackServer closes the connection)."""


def _ssh_banner(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(SSH_BANNER)
    stop.wait(5)


def _ports_in(services: str) -> set[int]:
    ports: set[int] = set()
    for part in services.split(","):
        low, _, high = part.partition("-")
        ports.update(range(int(low), int(high or low) + 1))
    return ports


def _port(host: HostObservation, number: int) -> PortObservation:
    found = [p for p in host.ports if p.port == number]
    assert len(found) == 1, f"port {number} in {[p.port for p in host.ports]}"
    return found[0]


@dataclass
class Ipv4Scan:
    run: ScanRun
    xml: Path
    leaf: Issued
    tls: int
    plain: int
    closed: int
    began: dt.datetime
    ended: dt.datetime


@pytest.fixture(scope="module")
def ipv4_scan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ipv4Scan]:
    """One connect scan of 127.0.0.1: a TLS listener, a plain TCP listener and a closed
    port, with ssl-cert and ssl-enum-ciphers forced (+) onto the ephemeral ports."""
    require_component(NMAP.exists(), str(NMAP), "apt-get install nmap")
    directory = tmp_path_factory.mktemp("nmap4")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    leaf = issue("scan.anbinh.test", key=ec_key(), not_before=now - dt.timedelta(days=1),
                 not_after=now + dt.timedelta(days=47), sans=("scan.anbinh.test",))
    chain = write_chain(directory, "leaf", leaf)
    tls = LoopbackServer("127.0.0.1", tls_bio_handler(server_context(chain))).start()
    plain = LoopbackServer("127.0.0.1", _close_at_once).start()
    ports = tls.port, plain.port, free_port("127.0.0.1")
    xml = directory / "run.xml"
    try:
        began = dt.datetime.now(dt.UTC)
        run_nmap("127.0.0.1", "-sT", "-p", ",".join(map(str, ports)),
                 "--script", "+ssl-cert,+ssl-enum-ciphers", output=xml)
        ended = dt.datetime.now(dt.UTC)
    finally:
        tls.stop()
        plain.stop()
    yield Ipv4Scan(read_nmap_xml(xml), xml, leaf, *ports, began, ended)


@needs_nmap
def test_real_ipv4_scan_open_and_closed_ports(ipv4_scan: Ipv4Scan) -> None:
    run = ipv4_scan.run
    assert run.source == str(ipv4_scan.xml)
    assert [(h.address, h.family, h.status, h.reason) for h in run.hosts] == [
        ("127.0.0.1", "ipv4", "up", "user-set")  # -Pn: nmap was told the host is up
    ]
    host = run.hosts[0]
    assert {p.port: (p.protocol, p.state) for p in host.ports} == {
        ipv4_scan.tls: ("tcp", "open"),
        ipv4_scan.plain: ("tcp", "open"),
        ipv4_scan.closed: ("tcp", "closed"),
    }
    assert _port(host, ipv4_scan.tls).reason == "syn-ack"
    assert _port(host, ipv4_scan.closed).reason == "conn-refused"
    assert host.timed_out is False and host.error is None and host.extraports == ()
    assert run.nmap_version == nmap_version()
    assert run.command is not None and run.command.startswith(f"{NMAP} -n -Pn -sT -p ")
    assert "--script +ssl-cert,+ssl-enum-ciphers" in run.command  # nmap's -&#45; unescaped
    [(protocol, services)] = run.scanned
    assert protocol == "tcp"
    assert _ports_in(services) == {ipv4_scan.tls, ipv4_scan.plain, ipv4_scan.closed}
    assert run.started is not None and run.finished is not None
    started, finished = dt.datetime.fromisoformat(run.started), dt.datetime.fromisoformat(
        run.finished)
    assert started.utcoffset() == dt.timedelta(0)
    second = dt.timedelta(seconds=1)
    assert ipv4_scan.began - second <= started <= finished <= ipv4_scan.ended + second
    assert run.notes == ()


@needs_nmap
def test_real_ssl_cert_elements_match_the_certificate_served(ipv4_scan: Ipv4Scan) -> None:
    host = ipv4_scan.run.hosts[0]
    tls = _port(host, ipv4_scan.tls)
    scripts = {s.id: s for s in tls.scripts}
    assert sorted(scripts) == ["ssl-cert", "ssl-enum-ciphers"]
    cert = ipv4_scan.leaf.cert
    elements = scripts["ssl-cert"].elements
    assert elements["validity"] == {
        "notBefore": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "notAfter": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    assert elements["subject"] == {
        "commonName": "scan.anbinh.test", "organizationName": "auditor test PKI"
    }
    assert elements["issuer"] == elements["subject"]  # self-signed
    assert elements["pubkey"]["type"] == "ec" and elements["pubkey"]["bits"] == "256"
    assert elements["pubkey"]["ecdhparams"]["curve_params"]["curve"] == "prime256v1"
    assert elements["sig_algo"] == "ecdsa-with-SHA256"
    assert {"name": "X509v3 Subject Alternative Name", "value": "DNS:scan.anbinh.test"} in (
        elements["extensions"]  # unkeyed tables: a list
    )
    assert elements["sha1"] == cert.fingerprint(hashes.SHA1()).hex()  # noqa: S303
    assert x509.load_pem_x509_certificate(elements["pem"].encode()) == cert
    assert "Not valid after:  " + elements["validity"]["notAfter"] in scripts["ssl-cert"].output
    ciphers = scripts["ssl-enum-ciphers"].elements
    assert sorted(ciphers) == ["TLSv1.2", "TLSv1.3", "least strength"]  # no TLS 1.0/1.1
    assert ciphers["least strength"] == "A"
    tls13 = ciphers["TLSv1.3"]["ciphers"]
    assert isinstance(tls13, list)
    assert {"kex_info": "ecdh_x25519", "name": "TLS_AKE_WITH_AES_256_GCM_SHA384",
            "strength": "A"} in tls13
    assert ciphers["TLSv1.2"]["compressors"] == ["NULL"]
    # Forced onto every port, the scripts found no TLS on the others and said nothing.
    assert _port(host, ipv4_scan.plain).scripts == ()
    assert _port(host, ipv4_scan.closed).scripts == ()


@needs_nmap
def test_real_file_and_bytes_parse_alike(ipv4_scan: Ipv4Scan) -> None:
    data = ipv4_scan.xml.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n')
    assert parse_nmap_xml(data, source=str(ipv4_scan.xml)) == ipv4_scan.run
    assert parse_nmap_xml(data, source="nmap").source == "nmap"


@needs_nmap
def test_real_ipv6_scan() -> None:
    plain = LoopbackServer("::1", _close_at_once).start()
    listening, closed = plain.port, free_port("::1")
    try:
        xml = run_nmap("::1", "-sT", "-p", f"{listening},{closed}")
    finally:
        plain.stop()
    run = parse_nmap_xml(xml, source="nmap")
    [host] = run.hosts
    assert (host.address, host.family, host.status) == ("::1", "ipv6", "up")
    assert [(p.protocol, p.port, p.state, p.reason) for p in host.ports] == sorted([
        ("tcp", listening, "open", "syn-ack"), ("tcp", closed, "closed", "conn-refused")
    ], key=lambda p: p[1])
    assert run.command is not None and run.command.startswith(f"{NMAP} -n -Pn -6 -sT ")


@needs_nmap
def test_real_service_detection() -> None:
    ssh = LoopbackServer("127.0.0.1", _ssh_banner).start()
    number = ssh.port
    try:
        xml = run_nmap("127.0.0.1", "-sT", "-sV", "--version-light", "-p", str(number))
    finally:
        ssh.stop()
    [host] = parse_nmap_xml(xml, source="nmap").hosts
    port = _port(host, number)
    assert (port.state, port.service, port.product, port.extrainfo) == (
        "open", "ssh", "OpenSSH", "protocol 2.0")
    assert port.version is not None and port.version.startswith("9.2p1")
    assert (port.method, port.confidence, port.tunnel) == ("probed", 10, None)
    assert "cpe:/a:openbsd:openssh:9.2p1" in port.cpes


@needs_nmap
def test_real_host_timeout() -> None:
    """At two probes a second, ten ports outlast a 500 ms --host-timeout (about 1 s)."""
    plain = LoopbackServer("127.0.0.1", _close_at_once).start()
    first = min(plain.port, 65_526)
    try:
        xml = run_nmap("127.0.0.1", "-sT", "--max-rate", "2", "--host-timeout", "500ms",
                       "-p", f"{first}-{first + 9}")
    finally:
        plain.stop()
    assert b'timedout="true"' in xml
    [host] = parse_nmap_xml(xml, source="nmap").hosts
    assert (host.address, host.status, host.timed_out, host.error) == (
        "127.0.0.1", "up", True, TIMED_OUT)
    assert host.ports == () and host.extraports == ()


# -- nmap files of other runs and versions ---------------------------------------------------


def test_several_hosts_ipv4_and_ipv6() -> None:
    run = read_nmap_xml(DATA / "multi-host.xml")
    # Two <hosthint> elements (nmap -v) are not hosts; the MAC address is not the host's.
    assert [(h.address, h.family, h.status, h.reason) for h in run.hosts] == [
        ("192.0.2.10", "ipv4", "up", "arp-response"),
        ("192.0.2.11", "ipv4", "down", "no-response"),
        ("2001:db8::10", "ipv6", "up", "echo-reply"),  # normalised from 2001:0DB8:0000:…
        ("198.51.100.7", "ipv4", "up", "syn-ack"),
    ]
    web, down, v6, dns = run.hosts
    assert web.hostnames == ("dvc.anbinh.test", "web01.anbinh.test")  # user name and PTR
    assert [(p.protocol, p.port, p.state, p.service, p.method, p.confidence)
            for p in web.ports] == [
        ("tcp", 22, "filtered", "ssh", "table", 3),
        ("tcp", 80, "open", "http", "probed", 10),
        ("tcp", 443, "open", "http", "probed", 10),
        ("udp", 53, "open|filtered", "domain", "table", 3),
    ]
    https = _port(web, 443)
    assert (https.product, https.version, https.tunnel, https.cpes) == (
        "nginx", "1.22.1", "ssl", ("cpe:/a:igor_sysoev:nginx:1.22.1",))
    assert all(p.scripts == () for p in web.ports)  # the <hostscript> belongs to no port
    assert (down.ports, down.extraports, down.hostnames) == ((), (), ())
    assert v6.extraports == (("closed", 2), ("open|filtered", 1))
    assert [(p.port, p.state, p.tunnel) for p in v6.ports] == [(443, "open", "ssl")]
    [bind] = dns.ports
    assert (bind.protocol, bind.port, bind.product, bind.version, bind.extrainfo) == (
        "udp", 53, "ISC BIND", "9.18.28-1~deb12u2", "Debian Linux")
    assert bind.cpes == ("cpe:/a:isc:bind:9.18.28-1~deb12u2", "cpe:/o:debian:debian_linux")
    assert dns.extraports == (("filtered", 3),)
    assert run.command == (
        "nmap -v -sS -sU -sV -p T:22,80,443,U:53 -oX multi-host.xml -iL targets.txt")
    assert (run.nmap_version, run.started, run.finished) == (
        "7.93", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:20+00:00")
    assert run.scanned == (("tcp", "22,80,443"), ("udp", "53"))
    assert run.notes == ()


def test_timed_out_host_keeps_no_partial_results() -> None:
    run = read_nmap_xml(DATA / "timed-out.xml")
    late, done = run.hosts
    assert (late.address, late.timed_out, late.error, late.ports) == (
        "192.0.2.30", True, "host timed out (nmap --host-timeout)", ())
    assert (done.address, done.timed_out, done.error) == ("192.0.2.31", False, None)
    assert [(p.port, p.state, p.product) for p in done.ports] == [
        (443, "open", "Microsoft IIS httpd"), (8443, "closed", None)]


def test_nmap_5_21_output() -> None:
    """Older nmap: no DOCTYPE, no <cpe>, no reason_ttl on <status>, servicefp, scripts
    without structured output, <os>/<uptime>/<tcpsequence> and <hostscript> around."""
    run = read_nmap_xml(DATA / "old-nmap-5.21.xml")
    assert (run.nmap_version, run.started, run.finished) == (
        "5.21", "2012-06-04T10:00:00+00:00", "2012-06-04T10:01:33+00:00")
    [host] = run.hosts
    assert (host.address, host.family, host.status, host.reason, host.hostnames) == (
        "192.0.2.20", "ipv4", "up", "reset", ("mail.so-tttt.anbinh.test",))
    assert host.extraports == (("closed", 995),)
    assert [(p.port, p.service, p.product, p.version) for p in host.ports] == [
        (22, "ssh", "OpenSSH", "5.3"),
        (25, "smtp", "Postfix smtpd", None),
        (80, "http", "Apache httpd", "2.2.15"),
        (443, "http", "Apache httpd", "2.2.15"),
        (8080, "http-proxy", None, None),  # unrecognised: a servicefp, guessed from the table
    ]
    assert (_port(host, 8080).method, _port(host, 8080).confidence) == ("table", 3)
    assert _port(host, 443).tunnel == "ssl"
    assert all(p.cpes == () for p in host.ports)
    [title] = _port(host, 80).scripts
    assert (title.id, title.output, title.elements) == (
        "http-title", "Trang thông tin điện tử Sở TT&TT", {})
    assert [s.id for p in host.ports for s in p.scripts] == ["smtp-commands", "http-title"]
    [(protocol, services)] = run.scanned
    assert protocol == "tcp" and len(_ports_in(services)) == 148 and 8080 in _ports_in(services)
    assert run.notes == ()


def test_nmap_error_exit_is_a_note() -> None:
    run = read_nmap_xml(DATA / "exit-error.xml")
    assert run.hosts == ()
    assert run.notes == (
        "nmap stopped with an error: Could not find interface eth9 which was specified by -e",
    )


# -- broken and hostile files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        ("truncated.xml", 33, 89, "truncated or malformed XML: no element found"),
        ("xxe.xml", 2, 58, "refused: entity declaration <!ENTITY 'e' SYSTEM "
         "'file:///etc/passwd'> (entities are not allowed: external entities (XXE) and "
         "entity expansion; nmap declares none)"),
        ("billion-laughs.xml", 3, 15, "refused: entity declaration <!ENTITY 'lol'> "
         "(entities are not allowed: external entities (XXE) and entity expansion; nmap "
         "declares none)"),
        ("not-nmaprun.xml", 2, 1,
         "not nmap XML: the root element is <NessusClientData_v2>, not <nmaprun>"),
        ("bad-port.xml", 10, 3, "<port> portid='65536' is not a tcp port number (0-65535)"),
        ("bad-address.xml", 5, 1, "<address> addr='192.0.2.256' is not an ipv4 address"),
    ],
)
def test_bad_files_name_file_line_and_column(
    name: str, line: int, column: int, message: str
) -> None:
    path = DATA / name
    with pytest.raises(NmapXmlError) as caught:
        read_nmap_xml(path)
    error = caught.value
    assert (error.source, error.line, error.column, error.message) == (
        str(path), line, column, message)
    assert str(error) == f"{path}:{line}:{column}: {message}"
    assert isinstance(error, InputError)  # the CLI reports it as bad input (exit code 2)
    with pytest.raises(NmapXmlError) as again:
        parse_nmap_xml(path.read_bytes(), source="upload.xml")
    assert str(again.value) == f"upload.xml:{line}:{column}: {message}"


def test_truncated_file_position_is_its_end() -> None:
    data = (DATA / "truncated.xml").read_bytes()
    last = data.rsplit(b"\n", 1)[1]
    assert (data.count(b"\n") + 1, len(last) + 1) == (33, 89)  # as the parametrized case says
    assert last.startswith(b'<port protocol="tcp" portid="443">')


@pytest.fixture
def watcher() -> Iterator[tuple[LoopbackServer, list[bytes]]]:
    """A listener that records every connection: an XML DTD or entity fetch would show."""
    seen: list[bytes] = []

    def record(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(2)
        seen.append(conn.recv(4096))

    server = LoopbackServer("127.0.0.1", record).start()
    yield server, seen
    server.stop()


_BODY = (
    '<nmaprun scanner="nmap" args="nmap 192.0.2.1" start="1767225600" version="7.93">\n'
    '<host><status state="up"/><address addr="192.0.2.1" addrtype="ipv4"/></host>\n'
    "</nmaprun>\n"
)


def test_external_dtd_is_never_fetched(watcher: tuple[LoopbackServer, list[bytes]]) -> None:
    """The PUBLIC form some merging tools write parses; nothing is fetched."""
    server, seen = watcher
    url = f"http://127.0.0.1:{server.port}/nmap.dtd"
    doctype = f'<!DOCTYPE nmaprun PUBLIC "-//IDN nmap.org//DTD Nmap XML 1.04//EN" "{url}">\n'
    run = parse_nmap_xml((doctype + _BODY).encode(), source="merged.xml")
    assert [h.address for h in run.hosts] == ["192.0.2.1"]
    system = parse_nmap_xml(f'<!DOCTYPE nmaprun SYSTEM "{url}">\n{_BODY}'.encode(), source="s")
    assert len(system.hosts) == 1
    assert seen == []


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ('<!ENTITY e SYSTEM "{url}">', "refused: entity declaration <!ENTITY 'e' SYSTEM '{url}'>"),
        ('<!ENTITY % p SYSTEM "{url}"> %p;',
         "refused: entity declaration <!ENTITY 'p' SYSTEM '{url}'>"),
        ('<!ENTITY e "inline">', "refused: entity declaration <!ENTITY 'e'>"),
        ('<!ATTLIST host timedout CDATA "true">',
         "refused: attribute-list declaration (<!ATTLIST>) in the DTD; nmap writes none"),
    ],
)
def test_dtd_declarations_are_refused(
    watcher: tuple[LoopbackServer, list[bytes]], declaration: str, message: str
) -> None:
    server, seen = watcher
    url = f"http://127.0.0.1:{server.port}/x"
    declaration = declaration.format(url=url)
    doctype = f"<!DOCTYPE nmaprun [{declaration}]>"
    with pytest.raises(NmapXmlError) as caught:
        parse_nmap_xml(f"{doctype}\n{_BODY}".encode(), source="evil.xml")
    first = doctype.index(declaration) + 1
    # expat says where it was in the declaration when it reported it
    assert caught.value.line == 1
    assert caught.value.column is not None
    assert first < caught.value.column < first + len(declaration)
    assert caught.value.message.startswith(message.format(url=url))
    assert seen == []


def test_an_empty_internal_subset_is_harmless() -> None:
    run = parse_nmap_xml(("<!DOCTYPE nmaprun [ ]>\n" + _BODY).encode(), source="x")
    assert [h.address for h in run.hosts] == ["192.0.2.1"]


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (b"", (None, None), "empty file: no XML at all"),
        (b"Starting Nmap 7.93 ( https://nmap.org )\nNmap scan report for 192.0.2.1\n",
         (1, 1), "malformed XML: syntax error (is this nmap -oX output?)"),
        (b"<nmaprun><host>&e;</host></nmaprun>", (1, 16), "malformed XML: undefined entity"),
        (b"<nmaprun></nmaprun><nmaprun/>", (1, 20), "malformed XML: junk after document element"),
        (b"<nmaprun><host></nmaprun>", (1, 18), "malformed XML: mismatched tag"),
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun args="\xff"/>', (2, 16),
         "malformed XML: not well-formed (invalid token)"),
        (b"<x:nmaprun xmlns:x='urn:other'/>", (1, 1),
         "not nmap XML: the root element is <urn:other}nmaprun>, not <nmaprun>"),
    ],
)
def test_not_xml_or_not_well_formed(
    data: bytes, where: tuple[int | None, int | None], message: str
) -> None:
    with pytest.raises(NmapXmlError) as caught:
        parse_nmap_xml(data, source="in.xml")
    assert ((caught.value.line, caught.value.column), caught.value.message) == (where, message)


def _doc(*host_lines: str, run: str = 'scanner="nmap" start="1767225600"') -> bytes:
    """An nmap document whose host lines start at line 4."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<!DOCTYPE nmaprun>",
             f'<nmaprun args="nmap" {run} version="7.93">', *host_lines,
             '<runstats><finished time="1767225601" exit="success"/></runstats>', "</nmaprun>"]
    return "\n".join(lines).encode()


_HOST = '<host><status state="up" reason="user-set"/><address addr="192.0.2.9" addrtype="ipv4"/>'
_OPEN = '<state state="open" reason="syn-ack"/>'


@pytest.mark.parametrize(
    ("lines", "line", "column", "message"),
    [
        (['<host><address addr="::1" addrtype="ipv4"/></host>'], 4, 7,
         "<address> addr='::1' is not an ipv4 address"),
        (['<host><address addr="192.0.2.1" addrtype="ipv6"/></host>'], 4, 7,
         "<address> addr='192.0.2.1' is not an ipv6 address"),
        (['<host><address addr="010.0.0.1"/></host>'], 4, 7,
         "<address> addr='010.0.0.1' is not an ipv4 address"),
        (['<host><address addr="192.0.2.1" addrtype="ipx"/></host>'], 4, 7,
         "<address> addrtype='ipx' is not ipv4, ipv6 or mac"),
        (['<host><status state="up"/>', '<address addr="aa:bb:cc:dd:ee:ff" addrtype="mac"/>',
          "</host>"], 4, 1, "<host> without an IPv4 or IPv6 address"),
        (['<host><address addr="192.0.2.1" addrtype="ipv4"/>',
          '<address addr="2001:db8::1" addrtype="ipv6"/></host>'], 5, 1,
         "<host> with more than one IP address"),
        ([_HOST, f'<ports><port protocol="icmp" portid="1">{_OPEN}</port></ports></host>'],
         5, 8, "<port> protocol='icmp' is not tcp, udp, sctp or ip"),
        ([_HOST, f'<ports><port protocol="tcp" portid="-1">{_OPEN}</port></ports></host>'],
         5, 8, "<port> portid='-1' is not a tcp port number (0-65535)"),
        ([_HOST, f'<ports><port protocol="tcp" portid="٨٠">{_OPEN}</port></ports></host>'],
         5, 8, "<port> portid='٨٠' is not a tcp port number (0-65535)"),  # int() takes it
        ([_HOST, f'<ports><port protocol="tcp" portid="8&#10;0">{_OPEN}</port></ports></host>'],
         5, 8, "<port> portid='8\\n0' is not a tcp port number (0-65535)"),
        ([_HOST, f'<ports><port protocol="ip" portid="256">{_OPEN}</port></ports></host>'],
         5, 8, "<port> portid='256' is not a ip port number (0-255)"),
        ([_HOST, '<ports><port protocol="tcp" portid="443"/></ports></host>'], 5, 8,
         "<port> tcp/443 without a <state state=…>"),
        ([_HOST, "<ports>", f'<port protocol="tcp" portid="443">{_OPEN}</port>',
          f'<port protocol="tcp" portid="443">{_OPEN}</port>', "</ports></host>"], 7, 1,
         "port tcp/443 listed twice in one host"),
        ([_HOST, f'<ports><port protocol="tcp" portid="443">{_OPEN}',
          '<service name="https" conf="11"/></port></ports></host>'], 6, 1,
         "<service> conf='11' is not a confidence 0-10"),
        ([_HOST, '<ports><extraports state="closed" count="many"/></ports></host>'], 5, 8,
         "<extraports> count='many' is not a count"),
        ([_HOST, f'<ports><port protocol="tcp" portid="443">{_OPEN}<script output="x"/>',
          "</port></ports></host>"], 5, 80, "<script> without an id"),
        (['<scaninfo type="syn" protocol="tcp" services="1-1024;rm"/>'], 4, 1,
         "<scaninfo> services='1-1024;rm' is not a list of ports"),
    ],
)
def test_invalid_values_name_their_line(
    lines: list[str], line: int, column: int, message: str
) -> None:
    with pytest.raises(NmapXmlError) as caught:
        parse_nmap_xml(_doc(*lines), source="scan.xml")
    assert (caught.value.line, caught.value.column, caught.value.message) == (
        line, column, message)
    assert "\n" not in str(caught.value)


def test_invalid_times_name_their_line() -> None:
    with pytest.raises(NmapXmlError) as caught:
        parse_nmap_xml(_doc(run='scanner="nmap" start="yesterday"'), source="t.xml")
    assert str(caught.value) == (
        "t.xml:3:1: <nmaprun> start='yesterday' is not a time in epoch seconds")
    with pytest.raises(NmapXmlError) as huge:
        parse_nmap_xml(_doc(run='start="999999999999"'), source="t.xml")
    assert huge.value.line == 3


def test_ip_protocol_scan_and_masscan_style_hosts() -> None:
    run = parse_nmap_xml(_doc(
        _HOST, f'<ports><port protocol="ip" portid="6">{_OPEN}</port></ports></host>',
        _HOST, f'<ports><port protocol="tcp" portid="443">{_OPEN}</port></ports></host>',
        run='scanner="masscan" start="1767225600"'), source="m.xml")
    # masscan writes one <host> per open port: both kept, in order (merging is not done here)
    assert [(h.address, [(p.protocol, p.port) for p in h.ports]) for h in run.hosts] == [
        ("192.0.2.9", [("ip", 6)]), ("192.0.2.9", [("tcp", 443)])]
    assert run.notes == ("written by 'masscan', not nmap",)


def test_no_runstats_is_a_note() -> None:
    data = _doc(_HOST + "</host>").replace(
        b'<runstats><finished time="1767225601" exit="success"/></runstats>\n', b"")
    run = parse_nmap_xml(data, source="x")
    assert run.finished is None and len(run.hosts) == 1
    assert run.notes == ("no <runstats><finished>: nmap may not have completed the scan",)


# -- structured script output and limits -----------------------------------------------------


def _script_port(*scripts: str) -> bytes:
    return _doc(_HOST, f'<ports><port protocol="tcp" portid="443">{_OPEN}', *scripts,
                "</port></ports></host>")


def test_script_tables_lists_and_mixed_tables() -> None:
    data = _script_port(
        '<script id="list" output="a b"><elem>a</elem><elem>b</elem></script>',
        '<script id="mixed" output="m"><table key="t"><elem key="k">v</elem><elem>u</elem>'
        '</table><table key="t"><elem>second t</elem></table><table key="empty"/>'
        '<elem key="blank"></elem><table key="rows"><table><elem key="n">1</elem></table>'
        "<table><elem key=\"n\">2</elem></table></table></script>",
    )
    [host] = parse_nmap_xml(data, source="x").hosts
    listed, mixed = host.ports[0].scripts
    assert listed.elements == {"1": "a", "2": "b"}  # an array at the top, keyed as in Lua
    assert mixed.elements == {
        "t": {"k": "v", "1": "u"},  # keyed and unkeyed in one Lua table; first "t" wins
        "empty": {},
        "blank": "",
        "rows": [{"n": "1"}, {"n": "2"}],
    }


def test_limits_cut_script_output_and_elements() -> None:
    data = _script_port(
        f'<script id="big" output="{"x" * 100}"><elem key="a">1</elem><elem key="b">2</elem>'
        '<table key="c"><elem>3</elem></table><elem key="d">4</elem></script>',
        '<script id="long" output=""><elem key="t">abcdefghijklmnop</elem></script>',
        '<script id="third" output="dropped"/>',
    )
    limits = Limits(max_script_output=20, max_script_elements=3, max_text=10,
                    max_scripts_per_port=2)
    run = parse_nmap_xml(data, source="x", limits=limits)
    big, long = run.hosts[0].ports[0].scripts
    assert big.output == "x" * 16 + " […]" and len(big.output) == 20
    assert big.elements == {"a": "1", "b": "2", "c": {}}  # <table c> was the 3rd element
    assert long.elements == {"t": "abcdefghij"}
    assert run.notes == (
        "line 6: script 'big': structured output cut at 3 elements",
        "line 6: script 'big': output cut at 20 characters",
        "line 7: <elem> text cut at 10 characters",
        "line 8: more than 2 scripts on one port; the rest were not read",
    )


def test_limits_on_hosts_ports_and_depth() -> None:
    two_hosts = _doc(_HOST + "</host>", _HOST + "</host>")
    assert len(parse_nmap_xml(two_hosts, source="x", limits=Limits(max_hosts=2)).hosts) == 2
    with pytest.raises(NmapXmlError) as hosts:
        parse_nmap_xml(two_hosts, source="x", limits=Limits(max_hosts=1))
    assert (hosts.value.line, hosts.value.message) == (5, "more than 1 hosts")
    ports = _doc(_HOST, "<ports>", f'<port protocol="tcp" portid="1">{_OPEN}</port>',
                 f'<port protocol="udp" portid="1">{_OPEN}</port>', "</ports></host>")
    with pytest.raises(NmapXmlError) as many:
        parse_nmap_xml(ports, source="x", limits=Limits(max_ports_per_host=1))
    assert (many.value.line, many.value.message) == (7, "more than 1 ports in one host")
    deep = _script_port('<script id="deep" output="">' + "<table>" * 10 + "</table>" * 10
                        + "</script>")
    assert parse_nmap_xml(deep, source="x", limits=Limits(max_depth=16)).hosts
    with pytest.raises(NmapXmlError) as nested:
        parse_nmap_xml(deep, source="x", limits=Limits(max_depth=8))
    assert nested.value.message == "elements nested deeper than 8 levels"


def test_defaults_bound_what_the_brief_bounds() -> None:
    limits = Limits()
    assert (limits.max_hosts, limits.max_script_output) == (1_000_000, 64 * 1024)
    assert limits.max_ports_per_host >= 65_536


# -- reading files ---------------------------------------------------------------------------


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.xml"
    os.mkfifo(fifo)  # opening it would block until a writer came: it is refused unopened
    cases = {
        fifo: "not a regular file (a FIFO)",
        tmp_path: "not a regular file (a directory)",
        Path("/dev/null"): "not a regular file (a device)",
        tmp_path / "missing.xml": "cannot read: No such file or directory",
    }
    for path, message in cases.items():
        with pytest.raises(NmapXmlError) as caught:
            read_nmap_xml(path)
        assert str(caught.value) == f"{path}: {message}"
    link = tmp_path / "link.xml"
    link.symlink_to(DATA / "timed-out.xml")
    assert len(read_nmap_xml(link).hosts) == 2


def test_size_limit(tmp_path: Path) -> None:
    path = DATA / "timed-out.xml"
    size = path.stat().st_size
    assert len(read_nmap_xml(path, max_bytes=size).hosts) == 2
    with pytest.raises(NmapXmlError) as caught:
        read_nmap_xml(path, max_bytes=1000)
    assert str(caught.value) == (
        f"{path}: file is {size:,} bytes, larger than the limit of 1,000 bytes")
    with pytest.raises(NmapXmlError) as in_memory:
        parse_nmap_xml(path.read_bytes(), source="b.xml", max_bytes=1000)
    assert in_memory.value.message == (
        f"{size:,} bytes of XML, larger than the limit of 1,000 bytes")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(NmapXmlError, match=r"empty\.xml: empty file: no XML at all$"):
        read_nmap_xml(empty)


# -- a large generated run -------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_run(tmp_path_factory.mktemp("big") / "run.xml", 5000)


def test_5000_hosts(big_run: Path) -> None:
    run = read_nmap_xml(big_run)
    assert len(run.hosts) == 5000  # the 5,000 <hosthint> elements are not hosts
    assert [h.address for h in run.hosts[:3]] == ["10.0.0.0", "2001:db8::1", "10.0.0.2"]
    assert run.hosts[-1].address == "2001:db8::1387" == synthetic_address(4999)
    assert sum(h.family == "ipv6" for h in run.hosts) == 2500
    assert sum(len(h.ports) for h in run.hosts) == 15_000
    assert {h.extraports for h in run.hosts} == {(("filtered", 997),)}
    host = run.hosts[1234]
    assert host.hostnames == ("h1234.syt.anbinh.test",)
    cert = _port(host, 443).scripts[0]
    assert cert.id == "ssl-cert"
    assert cert.elements["validity"]["notAfter"] == "2026-11-28T00:00:00"  # 1234 % 12 == 10
    assert cert.elements["subject"] == {"commonName": "h1234.syt.anbinh.test"}
    assert _port(host, 80).scripts[0].elements == {"title": "Cổng dịch vụ công 1234"}
    assert run.started == dt.datetime.fromtimestamp(START, dt.UTC).isoformat()
    assert run.finished == "2026-01-01T01:23:32+00:00"  # START + 5000 + 12 s
    assert run.notes == ()


def test_streaming_holds_no_document_tree(tmp_path: Path) -> None:
    """Memory beyond the results stays at the read buffer's size however many hosts the
    file holds (an ElementTree of this file would take about 20 MB)."""
    path = write_synthetic_run(tmp_path / "run.xml", 1000)
    tracemalloc.start()
    try:
        run = read_nmap_xml(path)
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(run.hosts) == 1000
    assert peak - retained < 4_000_000, f"{(peak - retained) / 1e6:.1f} MB beyond the results"
