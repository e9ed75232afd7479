"""DNS probe against a real NSD on 127.0.0.1 and ::1 (zones under .test, loopback records only)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dns.flags
import dns.message
import pytest
from dns_server import NsdServer, free_port, tcp_dns_responder, udp_responder

from auditor.probes.dns import (
    Addresses,
    NameServer,
    Resolver,
    ResolverConfig,
    parse_resolver,
)

ZONES = {
    "anbinh.test": [
        "@ NS ns1", "@ NS ns2",
        "ns1 A 127.0.0.1", "ns1 AAAA ::1",
        "ns2 A 127.0.0.2", "ns2 AAAA ::1",
        "www A 127.0.0.1", "www AAAA ::1",
        "v4only A 127.0.0.2",
        "mapped AAAA ::ffff:127.0.0.1",
        "alias CNAME www",
        "api.portal A 127.0.0.3",
        "multi A 127.0.0.10", "multi A 127.0.0.2", "multi A 127.0.0.9",
    ],
    "outns.test": [
        "@ NS ns1.anbinh.test.", "@ NS ghost",  # ghost.outns.test does not exist
        "www A 127.0.0.1",
    ],
}


@pytest.fixture(scope="module")
def nsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NsdServer]:
    with NsdServer(tmp_path_factory.mktemp("nsd"), ZONES) as server:
        yield server


@pytest.fixture(scope="module")
def resolver(nsd: NsdServer) -> Resolver:
    return Resolver(nsd.resolver_config())


# --- parse_resolver ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1", ("127.0.0.1", 53)),
    ("127.0.0.1:5353", ("127.0.0.1", 5353)),
    ("192.0.2.1:1", ("192.0.2.1", 1)),
    ("10.0.0.1:65535", ("10.0.0.1", 65535)),
    ("::1", ("::1", 53)),
    ("0:0:0:0:0:0:0:1", ("::1", 53)),
    ("[::1]:5353", ("::1", 5353)),
    ("[::1]", ("::1", 53)),
    ("2001:DB8::53", ("2001:db8::53", 53)),
    ("::1:53", ("::1:53", 53)),  # a bare IPv6 address never carries a port
])
def test_parse_resolver_accepts(text: str, expected: tuple[str, int]) -> None:
    assert parse_resolver(text) == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "expected an IP address"),
    ("localhost", "host names are not accepted"),
    ("ns1.anbinh.test:53", "host names are not accepted"),
    ("127.0.0.1:0", "1 to 65535"),
    ("127.0.0.1:65536", "1 to 65535"),
    ("127.0.0.1:", "invalid resolver port ''"),
    ("127.0.0.1:dns", "invalid resolver port 'dns'"),
    ("127.0.0.1:+53", "invalid resolver port '+53'"),
    ("127.0.0.1: 53", "invalid resolver port ' 53'"),
    (" 127.0.0.1", "expected an IP address"),
    ("127.0.0.01", "expected an IP address"),
    ("256.0.0.1", "expected an IP address"),
    ("[127.0.0.1]:53", "brackets are for IPv6"),
    ("[::1", "expected [IPv6]"),
    ("[::1]53", "expected [IPv6]"),
    ("[::1]:", "invalid resolver port ''"),
    ("[::1]:99999", "1 to 65535"),
    ("fe80::1%eth0", "zone indexes"),
    ("-c", "expected an IP address"),
])
def test_parse_resolver_refuses(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="invalid resolver") as info:
        parse_resolver(text)
    assert fragment in str(info.value)


# --- addresses --------------------------------------------------------------------------------

def test_addresses_a_and_aaaa(resolver: Resolver) -> None:
    assert resolver.addresses("www.anbinh.test") == Addresses(
        "www.anbinh.test", ipv4=("127.0.0.1",), ipv6=("::1",))


def test_addresses_one_family_missing_is_not_an_error(resolver: Resolver) -> None:
    assert resolver.addresses("v4only.anbinh.test") == Addresses(
        "v4only.anbinh.test", ipv4=("127.0.0.2",), ipv6=())
    assert resolver.addresses("mapped.anbinh.test") == Addresses(
        "mapped.anbinh.test", ipv4=(), ipv6=("::ffff:127.0.0.1",))


def test_addresses_sorted_numerically(resolver: Resolver) -> None:
    assert resolver.addresses("multi.anbinh.test").ipv4 == (
        "127.0.0.2", "127.0.0.9", "127.0.0.10")


def test_addresses_follow_cname(resolver: Resolver) -> None:
    found = resolver.addresses("alias.anbinh.test")
    assert (found.ipv4, found.ipv6, found.error) == (("127.0.0.1",), ("::1",), None)


def test_addresses_nxdomain(resolver: Resolver) -> None:
    found = resolver.addresses("khong-co.anbinh.test")
    assert found == Addresses("khong-co.anbinh.test",
                              error="name does not exist (NXDOMAIN)")


def test_addresses_refused_outside_served_zones(nsd: NsdServer, resolver: Resolver) -> None:
    found = resolver.addresses("www.elsewhere.test")
    assert found.ipv4 == found.ipv6 == ()
    assert found.error == (f"no name server answered via 127.0.0.1:{nsd.port}: "
                           f"127.0.0.1:{nsd.port} answered REFUSED")


def test_addresses_through_ipv6_resolver(nsd: NsdServer) -> None:
    found = Resolver(nsd.resolver_config(address="::1")).addresses("www.anbinh.test")
    assert (found.ipv4, found.ipv6, found.error) == (("127.0.0.1",), ("::1",), None)


def test_addresses_timeout_is_bounded() -> None:
    with udp_responder(lambda _query: None) as port:  # receives, never answers
        resolver = Resolver(ResolverConfig("127.0.0.1", port, port, timeout=0.3))
        started = time.monotonic()
        found = resolver.addresses("www.anbinh.test")
        elapsed = time.monotonic() - started
    assert found.error == f"timed out querying 127.0.0.1:{port}"
    assert (found.ipv4, found.ipv6) == ((), ())
    assert elapsed < 1.5  # A query only: the AAAA one is not attempted after a failure


def test_addresses_invalid_name_is_data(resolver: Resolver) -> None:
    long_label = "a" * 64 + ".anbinh.test"
    assert resolver.addresses(long_label).error == (
        f"invalid DNS name {long_label!r}: A DNS label is > 63 octets long.")
    assert "A DNS label is empty" in (resolver.addresses("a..anbinh.test").error or "")


def test_resolver_shared_by_threads(resolver: Resolver) -> None:
    names = ["www.anbinh.test", "v4only.anbinh.test", "khong-co.anbinh.test"] * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(resolver.addresses, names))
    serial = {name: resolver.addresses(name) for name in set(names)}
    assert results == [serial[name] for name in names]
    assert serial["www.anbinh.test"].ipv6 == ("::1",)


# --- zone_servers -----------------------------------------------------------------------------

ANBINH_SERVERS = (
    NameServer("ns1.anbinh.test.", ipv4=("127.0.0.1",), ipv6=("::1",)),
    NameServer("ns2.anbinh.test.", ipv4=("127.0.0.2",), ipv6=("::1",)),
)


@pytest.mark.parametrize("name", [
    "www.anbinh.test",
    "anbinh.test",  # the apex itself
    "api.portal.anbinh.test",  # two labels below the apex, through an empty non-terminal
    "khong.co.anbinh.test",  # does not exist: still in the zone
    "alias.anbinh.test",  # a CNAME is not a zone apex
])
def test_zone_servers_walks_up_to_the_zone(resolver: Resolver, name: str) -> None:
    found = resolver.zone_servers(name)
    assert (found.name, found.zone, found.error) == (name, "anbinh.test.", None)
    assert found.servers == ANBINH_SERVERS


def test_zone_servers_out_of_zone_and_missing_server(resolver: Resolver) -> None:
    found = resolver.zone_servers("www.outns.test")
    assert found.zone == "outns.test."
    assert found.servers == (
        NameServer("ghost.outns.test.", error="name does not exist (NXDOMAIN)"),
        NameServer("ns1.anbinh.test.", ipv4=("127.0.0.1",), ipv6=("::1",)),
    )


def test_zone_servers_unserved_zone(nsd: NsdServer, resolver: Resolver) -> None:
    found = resolver.zone_servers("www.elsewhere.test")
    assert (found.zone, found.servers) == (None, ())
    assert found.error is not None
    assert found.error.endswith(f"127.0.0.1:{nsd.port} answered REFUSED")


def test_zone_servers_timeout() -> None:
    with udp_responder(lambda _query: None) as port:
        found = Resolver(ResolverConfig("127.0.0.1", port, port, 0.2)).zone_servers("a.b.test")
    assert found.zone is None
    assert found.error == f"timed out querying 127.0.0.1:{port}"


# --- answers_over -----------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["::1", "127.0.0.1", "0:0::1"])
def test_answers_over(resolver: Resolver, address: str) -> None:
    assert resolver.answers_over(address, "anbinh.test.") is None


def test_answers_over_any_rcode_counts(resolver: Resolver) -> None:
    assert resolver.answers_over("::1", "elsewhere.test") is None  # REFUSED is an answer


def test_answers_over_dead_port(nsd: NsdServer) -> None:
    dead = free_port()
    resolver = Resolver(nsd.resolver_config(ns_port=dead, timeout=0.3))
    started = time.monotonic()
    assert resolver.answers_over("::1", "anbinh.test") == f"timed out querying [::1]:{dead}"
    assert time.monotonic() - started < 1.5


def test_answers_over_not_an_address(resolver: Resolver) -> None:
    assert resolver.answers_over("ns1.anbinh.test", "anbinh.test") == (
        "not an IP address: 'ns1.anbinh.test'")


def test_answers_over_malformed() -> None:
    with udp_responder(lambda _query: b"\x00garbage") as port:
        reason = Resolver(ResolverConfig(ns_port=port)).answers_over("127.0.0.1", "anbinh.test")
    assert reason is not None
    assert reason.startswith(f"malformed response from 127.0.0.1:{port}: ")


def _truncated(query: bytes) -> bytes:
    response = dns.message.make_response(dns.message.from_wire(query))
    response.flags |= dns.flags.TC
    return response.to_wire()


def test_answers_over_truncated_retries_over_tcp(tmp_path: Path) -> None:
    with udp_responder(_truncated) as port:
        resolver = Resolver(ResolverConfig(ns_port=port, timeout=1.0))
        assert resolver.answers_over("127.0.0.1", "anbinh.test") == (
            f"connection refused by 127.0.0.1:{port} (TCP, after a truncated UDP answer)")
        with tcp_dns_responder(port):
            assert resolver.answers_over("127.0.0.1", "anbinh.test") is None


# --- the test server itself -------------------------------------------------------------------

def test_nsd_refuses_non_loopback_records(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only loopback"):
        NsdServer(tmp_path, {"bad.test": ["www A 192.0.2.1"]})
    with pytest.raises(ValueError, match="only loopback"):
        NsdServer(tmp_path, {"bad.test": ["www AAAA 2001:db8::1"]})
    with pytest.raises(ValueError, match=r"under \.test"):
        NsdServer(tmp_path, {"anbinh.example": ["www A 127.0.0.1"]})
