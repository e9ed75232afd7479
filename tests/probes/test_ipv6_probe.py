"""IPv6-readiness probe (internet.nl web IPv6 tests 1–4) against a real NSD and real TCP
listeners on loopback.

Only ::1 exists on loopback, so every AAAA here is ::1 (or IPv4-mapped). "A name server that does
not answer over IPv6" is modelled honestly as its AAAA ::1 queried on a port where nothing
listens (`ResolverConfig.ns_port`): the record exists, and nothing answers DNS at that
address and port — which is all the probe can observe of any unreachable server.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest
from dns_server import NsdServer, free_port, udp_responder

from auditor.probes.dns import Resolver, ResolverConfig, ZoneServers
from auditor.probes.ipv6 import (
    Ipv6Observation,
    NameServerIpv6,
    Reachability,
    connect,
    probe_web_ipv6,
)

ZONES = {
    "anbinh.test": [  # two name servers, both with AAAA
        "@ NS ns1", "@ NS ns2",
        "ns1 A 127.0.0.1", "ns1 AAAA ::1",
        "ns2 A 127.0.0.2", "ns2 AAAA ::1",
        "www A 127.0.0.1", "www AAAA ::1",
        "v4only A 127.0.0.2",
        "mapped AAAA ::ffff:127.0.0.1",
    ],
    "motns.test": [  # two name servers, one with AAAA
        "@ NS ns1", "@ NS ns2",
        "ns1 A 127.0.0.1", "ns1 AAAA ::1",
        "ns2 A 127.0.0.2",
        "www A 127.0.0.1", "www AAAA ::1",
    ],
    "v4ns.test": [  # no name server with a usable AAAA (one only IPv4-mapped)
        "@ NS ns1", "@ NS ns2",
        "ns1 A 127.0.0.1",
        "ns2 A 127.0.0.2", "ns2 AAAA ::ffff:127.0.0.2",
        "www AAAA ::1",
    ],
    "outns.test": [  # an out-of-zone name server and one whose name does not exist
        "@ NS ns1.anbinh.test.", "@ NS ghost",
        "www AAAA ::1",
    ],
}
TIMEOUT = 1.0


@pytest.fixture(scope="module")
def nsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NsdServer]:
    with NsdServer(tmp_path_factory.mktemp("nsd"), ZONES) as server:
        yield server


@pytest.fixture(scope="module")
def resolver(nsd: NsdServer) -> Resolver:
    return Resolver(nsd.resolver_config())


@pytest.fixture(scope="module")
def open_port() -> Iterator[int]:
    """A TCP port listening on ::1 and 127.0.0.1 (the kernel completes the connects)."""
    port = free_port()
    with contextlib.ExitStack() as stack:
        for family, host in ((socket.AF_INET6, "::1"), (socket.AF_INET, "127.0.0.1")):
            sock = stack.enter_context(socket.socket(family, socket.SOCK_STREAM))
            sock.bind((host, port))
            sock.listen(64)
        yield port


@pytest.fixture(scope="module")
def closed_port() -> int:
    return free_port()


ANBINH_NS = (
    NameServerIpv6("ns1.anbinh.test.", ("::1",), True),
    NameServerIpv6("ns2.anbinh.test.", ("::1",), True),
)


def test_ready_host(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("www.anbinh.test", [open_port], resolver, TIMEOUT)
    assert seen == Ipv6Observation(
        host="www.anbinh.test", ports=(open_port,), ipv4=("127.0.0.1",), ipv6=("::1",),
        zone="anbinh.test.", name_servers=ANBINH_NS,
        reachability=(Reachability("::1", open_port, True),),
    )
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6, seen.has_aaaa) == (2, True, True)
    assert (seen.reachable_ipv6, seen.reachable_share) == (True, 1.0)


def test_one_port_closed(resolver: Resolver, open_port: int, closed_port: int) -> None:
    seen = probe_web_ipv6("www.anbinh.test", [open_port, closed_port, open_port], resolver,
                          TIMEOUT)
    assert seen.ports == (open_port, closed_port)  # duplicates dropped, order kept
    assert seen.reachability == (
        Reachability("::1", open_port, True),
        Reachability("::1", closed_port, False, "connection refused"),
    )
    assert (seen.reachable_ipv6, seen.reachable_share) == (False, 0.5)


def test_ipv4_only_host(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("v4only.anbinh.test", [open_port], resolver, TIMEOUT)
    assert (seen.error, seen.ipv4, seen.ipv6, seen.reachability) == (
        None, ("127.0.0.2",), (), ())
    assert (seen.has_aaaa, seen.reachable_ipv6, seen.reachable_share) == (False, None, None)
    assert seen.ns_with_ipv6 == 2  # the zone's name servers are judged all the same


def test_mapped_aaaa_does_not_count(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("mapped.anbinh.test", [open_port], resolver, TIMEOUT)
    assert (seen.ipv4, seen.ipv6, seen.ipv6_mapped) == ((), (), ("::ffff:127.0.0.1",))
    assert (seen.has_aaaa, seen.reachable_ipv6, seen.reachability) == (False, None, ())


def test_host_does_not_exist(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("khong-co.anbinh.test", [open_port], resolver, TIMEOUT)
    assert seen == Ipv6Observation(host="khong-co.anbinh.test", ports=(open_port,),
                                   error="name does not exist (NXDOMAIN)")
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6, seen.has_aaaa) == (0, None, False)


def test_one_of_two_name_servers_has_aaaa(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("www.motns.test", [open_port], resolver, TIMEOUT)
    assert seen.zone == "motns.test."
    assert seen.name_servers == (
        NameServerIpv6("ns1.motns.test.", ("::1",), True),
        NameServerIpv6("ns2.motns.test.", (), None, "no usable AAAA record"),
    )
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6) == (1, True)


def test_no_name_server_with_usable_aaaa(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("www.v4ns.test", [open_port], resolver, TIMEOUT)
    assert seen.name_servers == (
        NameServerIpv6("ns1.v4ns.test.", (), None, "no usable AAAA record"),
        NameServerIpv6("ns2.v4ns.test.", (), None, "no usable AAAA record"),  # mapped only
    )
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6) == (0, None)
    assert (seen.ipv4, seen.has_aaaa, seen.reachable_ipv6) == ((), True, True)


def test_name_server_that_does_not_resolve(resolver: Resolver, open_port: int) -> None:
    seen = probe_web_ipv6("www.outns.test", [open_port], resolver, TIMEOUT)
    assert seen.name_servers == (
        NameServerIpv6("ghost.outns.test.", (), None, "name does not exist (NXDOMAIN)"),
        NameServerIpv6("ns1.anbinh.test.", ("::1",), True),
    )
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6) == (1, True)


def test_name_servers_not_answering_over_ipv6(nsd: NsdServer, open_port: int) -> None:
    dead = free_port()  # nothing listens on ::1 at this port
    resolver = Resolver(nsd.resolver_config(ns_port=dead, timeout=0.3))
    seen = probe_web_ipv6("www.anbinh.test", [open_port], resolver, TIMEOUT)
    reason = f"::1: timed out querying [::1]:{dead}"
    assert seen.name_servers == (
        NameServerIpv6("ns1.anbinh.test.", ("::1",), False, reason),
        NameServerIpv6("ns2.anbinh.test.", ("::1",), False, reason),
    )
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6) == (2, False)
    assert seen.reachable_ipv6 is True  # the web server itself is still reachable


def test_resolver_down_never_raises(open_port: int) -> None:
    with udp_responder(lambda _query: None) as port:
        resolver = Resolver(ResolverConfig("127.0.0.1", port, port, timeout=0.2))
        seen = probe_web_ipv6("www.anbinh.test", [open_port], resolver, TIMEOUT)
    assert seen == Ipv6Observation(host="www.anbinh.test", ports=(open_port,),
                                   error=f"timed out querying 127.0.0.1:{port}")


class _NoZone(Resolver):
    """The real resolver, except that the zone look-up fails."""

    def zone_servers(self, name: str) -> ZoneServers:
        return ZoneServers(name=name, zone=None, error="timed out querying 127.0.0.1:1")


def test_zone_lookup_failure_is_kept(nsd: NsdServer, open_port: int) -> None:
    seen = probe_web_ipv6("www.anbinh.test", [open_port], _NoZone(nsd.resolver_config()),
                          TIMEOUT)
    assert (seen.error, seen.zone, seen.zone_error) == (
        None, None, "timed out querying 127.0.0.1:1")
    assert (seen.name_servers, seen.ns_with_ipv6, seen.ns_reachable_ipv6) == ((), 0, None)
    assert (seen.has_aaaa, seen.reachable_ipv6) == (True, True)


# --- connect and the derived facts -------------------------------------------------------------

def test_connect(open_port: int, closed_port: int) -> None:
    assert connect("::1", open_port, TIMEOUT) == Reachability("::1", open_port, True)
    assert connect("0:0::1", closed_port, TIMEOUT) == Reachability(
        "0:0::1", closed_port, False, "connection refused")


@pytest.mark.parametrize(("address", "port", "reason"), [
    ("127.0.0.1", 443, "not an IPv6 address: '127.0.0.1'"),
    ("www.anbinh.test", 443, "not an IPv6 address: 'www.anbinh.test'"),
    ("::1", 0, "invalid port 0"),
    ("::1", 65536, "invalid port 65536"),
])
def test_connect_refuses_bad_input(address: str, port: int, reason: str) -> None:
    assert connect(address, port, TIMEOUT) == Reachability(address, port, False, reason)


def test_derived_facts_mixed() -> None:
    seen = Ipv6Observation(
        host="www.anbinh.test", ports=(80, 443), ipv6=("::1",),
        name_servers=(
            NameServerIpv6("ns1.anbinh.test.", ("::1",), True),
            NameServerIpv6("ns2.anbinh.test.", ("::1",), False, "::1: timed out"),
            NameServerIpv6("ns3.anbinh.test.", (), None, "no usable AAAA record"),
        ),
        reachability=(
            Reachability("::1", 80, True),
            Reachability("::1", 443, False, "timed out"),
            Reachability("::1", 8080, True),
        ),
    )
    assert (seen.ns_with_ipv6, seen.ns_reachable_ipv6) == (2, False)
    assert seen.reachable_ipv6 is False
    assert seen.reachable_share == pytest.approx(2 / 3)
