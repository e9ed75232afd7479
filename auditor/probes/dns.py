"""DNS look-ups for the live probes (dnspython only): addresses, zone name servers, and
whether one name server answers at one address. Blocking, thread-safe, never raises.

`Resolver` asks either the system resolver (`/etc/resolv.conf`) or one resolver given as an IP
literal (`parse_resolver`). A fresh dnspython resolver is built for every query, so one
`Resolver` can be shared by the threads of a `ThreadPoolExecutor`. Every query is bounded by
`ResolverConfig.timeout`. Expected failures (NXDOMAIN, no name server answered, timeouts,
refused, malformed answers) become the `error` text of the result, never an exception.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rdatatype
import dns.resolver


@dataclass(frozen=True)
class ResolverConfig:
    """Where look-ups go. `address=None` means the system resolver."""

    address: str | None = None
    port: int = 53
    ns_port: int = 53  # port used when querying a name server directly (lab setups use another)
    timeout: float = 3.0  # per query (dnspython lifetime)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise ValueError(f"invalid resolver port {text!r}: expected a number from 1 to 65535")
    return int(text)


def _ip(text: str, original: str) -> str:
    if "%" in text:
        raise ValueError(f"invalid resolver {original!r}: zone indexes (%...) are not supported")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(
            f"invalid resolver {original!r}: expected an IP address, optionally with a port "
            "(127.0.0.1, 127.0.0.1:5353, ::1, [::1]:5353); host names are not accepted"
        ) from None


def parse_resolver(text: str) -> tuple[str, int]:
    """'127.0.0.1', '127.0.0.1:5353', '::1', '[::1]:5353' -> (address, port); else ValueError.

    A bare IPv6 address never carries a port ('::1:53' is an address); use brackets for one.
    """
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"invalid resolver {text!r}: expected [IPv6] or [IPv6]:port")
        address = _ip(host, text)
        if ipaddress.ip_address(address).version != 6:
            raise ValueError(f"invalid resolver {text!r}: brackets are for IPv6 addresses only")
        return address, _port(rest[1:]) if rest else 53
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return _ip(host, text), _port(port)
    return _ip(text, text), 53


@dataclass(frozen=True)
class Addresses:
    """A and AAAA answers of one name (sorted). `error` set ⇒ no answers are given."""

    name: str
    ipv4: tuple[str, ...] = ()
    ipv6: tuple[str, ...] = ()
    error: str | None = None  # e.g. "name does not exist (NXDOMAIN)"


@dataclass(frozen=True)
class NameServer:
    name: str
    ipv4: tuple[str, ...] = ()
    ipv6: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class ZoneServers:
    name: str  # the name asked about
    zone: str | None  # the zone that holds it (walking up the labels until an NS answer)
    servers: tuple[NameServer, ...] = ()
    error: str | None = None


class _LookupError(Exception):
    """An expected failure of one query, with the text to report."""


class _NxdomainError(_LookupError):
    """The name does not exist."""


def _where(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _sort_ips(values: set[str]) -> tuple[str, ...]:
    return tuple(sorted(values, key=lambda v: (ipaddress.ip_address(v).packed, v)))


def _absolute(name: str) -> dns.name.Name:
    try:
        return dns.name.from_text(name)
    except dns.exception.DNSException as exc:
        raise _LookupError(f"invalid DNS name {name!r}: {exc}") from exc


def _server_text(server: str) -> str:
    """dnspython's 'Do53:127.0.0.1@5353' as '127.0.0.1:5353' (other kinds unchanged)."""
    address, sep, port = server.removeprefix("Do53:").rpartition("@")
    return _where(address, int(port)) if sep and port.isdigit() else server


def _failures(exc: dns.resolver.NoNameservers) -> str:
    errors = exc.kwargs.get("errors") or []
    texts = dict.fromkeys(f"{_server_text(str(err[0]))} answered {err[3]}" for err in errors)
    return "; ".join(texts) or "no usable name server"


class Resolver:
    """Look-ups through one configured resolver. Stateless between calls; thread-safe."""

    def __init__(self, config: ResolverConfig) -> None:
        self.config = config

    @property
    def _label(self) -> str:
        if self.config.address is None:
            return "the system resolver"
        return _where(self.config.address, self.config.port)

    def _dnspython(self) -> dns.resolver.Resolver:
        config = self.config
        try:
            resolver = dns.resolver.Resolver(configure=config.address is None)
        except dns.exception.DNSException as exc:  # e.g. no /etc/resolv.conf
            raise _LookupError(f"system resolver unusable: {exc}") from exc
        except OSError as exc:
            raise _LookupError(f"system resolver unusable: {exc.strerror or exc}") from exc
        if config.address is not None:
            resolver.nameservers = [config.address]
            resolver.port = config.port
        resolver.timeout = config.timeout
        resolver.lifetime = config.timeout
        resolver.cache = None
        return resolver

    def _query(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> dns.resolver.Answer:
        """One query; NOERROR without data is an empty answer. Raises only `_LookupError`."""
        try:
            return self._dnspython().resolve(name, rdtype, raise_on_no_answer=False,
                                             search=False)
        except dns.resolver.NXDOMAIN:
            raise _NxdomainError("name does not exist (NXDOMAIN)") from None
        except dns.exception.Timeout:
            raise _LookupError(f"timed out querying {self._label}") from None
        except dns.resolver.NoNameservers as exc:
            raise _LookupError(f"no name server answered via {self._label}: "
                               f"{_failures(exc)}") from None
        except dns.resolver.YXDOMAIN:
            raise _LookupError("name too long after DNAME substitution (YXDOMAIN)") from None
        except dns.exception.DNSException as exc:
            raise _LookupError(f"DNS error via {self._label}: {exc}") from None
        except (OSError, ValueError) as exc:
            raise _LookupError(f"DNS error via {self._label}: {exc}") from None

    def _rdata_texts(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> set[str]:
        answer = self._query(name, rdtype)
        return {rdata.to_text() for rdata in answer.rrset or ()}

    def addresses(self, name: str) -> Addresses:
        """A and AAAA of `name` (CNAMEs followed). No data for one family is just empty."""
        try:
            qname = _absolute(name)
            ipv4 = self._rdata_texts(qname, dns.rdatatype.A)
            ipv6 = self._rdata_texts(qname, dns.rdatatype.AAAA)
        except _LookupError as failure:
            return Addresses(name=name, error=str(failure))
        return Addresses(name=name, ipv4=_sort_ips(ipv4), ipv6=_sort_ips(ipv6))

    def _enclosing_zone(self, qname: dns.name.Name) -> tuple[dns.name.Name, set[str]] | None:
        """Walk up from `qname` (root excluded) to the first name with its own NS records."""
        candidate = qname
        while candidate != dns.name.root:
            try:
                answer = self._query(candidate, dns.rdatatype.NS)
            except _NxdomainError:
                pass  # the zone of a name that does not exist is still the enclosing one
            else:
                # An answer for another owner means `candidate` is a CNAME: not a zone apex.
                if answer.rrset is not None and answer.rrset.name == candidate:
                    return candidate, {rdata.to_text() for rdata in answer.rrset}
            candidate = candidate.parent()
        return None

    def zone_servers(self, name: str) -> ZoneServers:
        """The NS records of the zone enclosing `name`, and each name server's A/AAAA."""
        try:
            found = self._enclosing_zone(_absolute(name))
        except _LookupError as failure:
            return ZoneServers(name=name, zone=None, error=str(failure))
        if found is None:
            return ZoneServers(name=name, zone=None, error="no enclosing zone with NS records")
        zone, targets = found
        servers = []
        for target in sorted(targets):
            found_addresses = self.addresses(target)
            servers.append(NameServer(name=target, ipv4=found_addresses.ipv4,
                                      ipv6=found_addresses.ipv6, error=found_addresses.error))
        return ZoneServers(name=name, zone=zone.to_text(), servers=tuple(servers))

    def answers_over(self, address: str, zone: str) -> str | None:
        """SOA query for `zone` sent straight to `address`:ns_port (UDP, TCP if truncated).

        None when any DNS response came back (any rcode counts), else the reason.
        """
        where = _where(address, self.config.ns_port)
        try:
            ip = str(ipaddress.ip_address(address))
            query = dns.message.make_query(_absolute(zone), dns.rdatatype.SOA)
        except ValueError:
            return f"not an IP address: {address!r}"
        except _LookupError as failure:
            return str(failure)
        return _send(query, ip, self.config.ns_port, self.config.timeout, where)


def _send(query: dns.message.Message, ip: str, port: int, timeout: float,
          where: str) -> str | None:
    deadline = time.monotonic() + timeout
    try:
        response = dns.query.udp(query, ip, timeout=timeout, port=port)
        if response.flags & dns.flags.TC:
            where = f"{where} (TCP, after a truncated UDP answer)"
            dns.query.tcp(query, ip, timeout=max(0.001, deadline - time.monotonic()), port=port)
    except dns.exception.Timeout:
        return f"timed out querying {where}"
    except ConnectionRefusedError:
        return f"connection refused by {where}"
    except OSError as exc:
        return f"network error querying {where}: {exc.strerror or exc}"
    except (dns.exception.DNSException, ValueError) as exc:
        return f"malformed response from {where}: {exc}"
    return None
