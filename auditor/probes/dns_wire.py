"""Raw DNS queries with the DO bit, for the DNSSEC and CAA probes (dnspython only).

The DNSSEC validator needs what `dns.resolver` hides: the RRSIGs beside each answer and the
NSEC/NSEC3 records of the authority section that prove an absence. `Wire.ask` sends one query
(EDNS0, DO set, CD set so that a validating resolver hands over bogus data instead of SERVFAIL:
the auditor validates it itself and says why) to the DNS server the other probes already use
(`ResolverConfig`: `--resolver`, or the first server of the system's resolv.conf), over UDP with
TCP after a truncated answer. Failures become `WireError` with the words to report.
"""

from __future__ import annotations

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver

from auditor.probes.dns import ResolverConfig

#: Answers with these rcodes are data (NOERROR, NXDOMAIN); anything else is a failure.
_USABLE = frozenset({dns.rcode.NOERROR, dns.rcode.NXDOMAIN})


class WireError(Exception):
    """A query that brought no usable answer (timeout, refused, SERVFAIL…), in words."""


def _where(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


class Wire:
    """One DNS server, asked one query at a time. Stateless; thread-safe."""

    def __init__(self, config: ResolverConfig) -> None:
        self.config = config

    def _server(self) -> tuple[str, int]:
        if self.config.address is not None:
            return self.config.address, self.config.port
        try:
            servers = dns.resolver.Resolver(configure=True).nameservers
        except (dns.exception.DNSException, OSError) as exc:
            raise WireError(f"system resolver unusable: {exc}") from None
        first = next((s for s in servers if isinstance(s, str)), None)
        if first is None:
            raise WireError("system resolver unusable: no name server in resolv.conf")
        return first, 53

    def ask(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> dns.message.Message:
        """The response to `name`/`rdtype` (NOERROR or NXDOMAIN); else `WireError`."""
        address, port = self._server()
        where = _where(address, port)
        query = dns.message.make_query(name, rdtype, want_dnssec=True, payload=1232)
        query.flags |= dns.flags.CD
        timeout = self.config.timeout
        try:
            response, _ = dns.query.udp_with_fallback(query, address, timeout=timeout, port=port)
        except dns.exception.Timeout:
            raise WireError(f"timed out querying {where}") from None
        except ConnectionRefusedError:
            raise WireError(f"connection refused by {where}") from None
        except OSError as exc:
            raise WireError(f"network error querying {where}: {exc.strerror or exc}") from None
        except (dns.exception.DNSException, ValueError) as exc:
            raise WireError(f"malformed response from {where}: {exc}") from None
        rcode = response.rcode()
        if rcode not in _USABLE:
            raise WireError(f"{where} answered {dns.rcode.to_text(rcode)} to "
                            f"{name.to_text()} {dns.rdatatype.to_text(rdtype)}")
        return response
