"""DNSSEC of one endpoint name, validated from a configured trust anchor (RFC 4033–4035),
as internet.nl's "Domain signed" web test does. Blocking; never raises.

The walk starts at the closest zone the trust anchors cover (`--trust-anchor`): its DNSKEY set
must hold a key the anchor vouches for and be signed by it. Then, label by label towards the
name, a DS query: a signed DS leads to the child's DNSKEY set (a key matching the DS must sign
it); a signed proof that the name is a delegation without DS ends the walk (`insecure`, or
`unsigned` when the child zone publishes no DNSKEY at all); a proof that it is no zone cut
continues in the same zone. At the end the name's A and AAAA records must carry a valid RRSIG
by the zone that holds them. Every query goes to the DNS server the other probes use, with DO
and CD set (dns_wire.py).

Outcomes: `secure`; `insecure` (a proven unsigned delegation on the way; the zone below has
keys but no DS vouches for them; or every DS of a child uses an algorithm or digest this
validator cannot check, RFC 4035 5.2); `unsigned` (the same, and the zone below has no DNSKEY);
`bogus` with the reason (a signature invalid, expired or not yet valid at the audit date, a DS
matching no DNSKEY, a missing RRSIG or missing denial proof in a signed zone); an unreachable
server, a timeout or a name that does not exist is an `error`, never a verdict. Without trust
anchors nothing is validated (the rule is `manual`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdataset
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS

from auditor.probes.dns_wire import Wire, WireError
from auditor.probes.dnssec_denial import (
    Cut,
    UnprovenError,
    covered_by_nsec,
    nsec3_wildcard,
    prove_no_ds,
)
from auditor.probes.dnssec_sigs import (
    BogusError,
    Clock,
    UnsupportedDsError,
    require_supported,
    trusted_keys,
    verify,
)
from auditor.probes.trust_anchor import TrustAnchors


class DnssecStatus(StrEnum):
    SECURE = "secure"
    INSECURE = "insecure"
    UNSIGNED = "unsigned"
    BOGUS = "bogus"


@dataclass(frozen=True)
class DnssecObservation:
    """What the validation of one name found. `error` set ⇒ `status` is None."""

    host: str
    anchor: str | None = None  # the anchored zone the walk started from
    status: DnssecStatus | None = None
    reason: str | None = None  # why bogus / insecure / unsigned; None when secure
    zone: str | None = None  # the zone holding the name, as far as the walk went
    chain: tuple[str, ...] = ()  # zones whose keys were validated, anchor first
    judged_at: dt.datetime | None = None  # the latest instant a signature was judged at
    error: str | None = None


@dataclass
class _Walk:
    wire: Wire
    clock: Clock
    chain: list[str] = field(default_factory=list)
    instants: list[int] = field(default_factory=list)
    at: dns.name.Name = dns.name.root  # the zone the walk is in (or entering)

    def answer(self, response: dns.message.Message, name: dns.name.Name,
               rdtype: dns.rdatatype.RdataType) -> tuple[dns.rrset.RRset | None,
                                                         dns.rrset.RRset | None]:
        data = sigs = None
        for rrset in response.answer:
            if rrset.name != name:
                continue
            if rrset.rdtype == rdtype:
                data = rrset
            elif rrset.rdtype == dns.rdatatype.RRSIG and rrset.covers == rdtype:
                sigs = rrset
        return data, sigs

    def keys_of(self, zone: dns.name.Name, ds: Sequence[DS],
                anchored: Sequence[DNSKEY] = ()) -> dns.rdataset.Rdataset:
        self.at = zone
        response = self.wire.ask(zone, dns.rdatatype.DNSKEY)
        dnskeys, sigs = self.answer(response, zone, dns.rdatatype.DNSKEY)
        keys, instant = trusted_keys(zone, dnskeys, sigs, ds, anchored, self.clock)
        self.chain.append(zone.to_text())
        self.instants.append(instant)
        return keys

    def has_keys(self, zone: dns.name.Name) -> bool:
        dnskeys, _ = self.answer(self.wire.ask(zone, dns.rdatatype.DNSKEY), zone,
                                 dns.rdatatype.DNSKEY)
        return dnskeys is not None and len(dnskeys) > 0


def _below(name: dns.name.Name, zone: dns.name.Name) -> list[dns.name.Name]:
    """The names from just below `zone` down to `name` itself, top first."""
    steps = []
    while name != zone:
        steps.append(name)
        name = name.parent()
    return steps[::-1]


class _EndsError(Exception):
    """The walk stopped before the name's records with a verdict (insecure / unsigned)."""

    def __init__(self, status: DnssecStatus, zone: dns.name.Name, reason: str) -> None:
        super().__init__(reason)
        self.status, self.zone, self.reason = status, zone, reason


class _NoNameError(Exception):
    """The name (or a name above it) does not exist: nothing to validate."""


def _not_alias(walk: _Walk, response: dns.message.Message, name: dns.name.Name) -> None:
    if walk.answer(response, name, dns.rdatatype.CNAME)[0] is not None:
        raise _NoNameError(f"{name} is an alias (CNAME): aliases are not followed")


def _descend(walk: _Walk, name: dns.name.Name, zone: dns.name.Name,
             keys: dns.rdataset.Rdataset) -> tuple[dns.name.Name, dns.rdataset.Rdataset]:
    for child in _below(name, zone):
        response = walk.wire.ask(child, dns.rdatatype.DS)
        ds, sigs = walk.answer(response, child, dns.rdatatype.DS)
        if ds is not None:
            walk.instants.append(verify(ds, sigs, zone, keys, walk.clock))
            ds_set = [r for r in ds if isinstance(r, DS)]
            try:
                require_supported(child, ds_set)
            except UnsupportedDsError as exc:
                raise _EndsError(DnssecStatus.INSECURE, child,
                                 f"{exc}: no authentication path, insecure (RFC 4035 5.2)"
                                 ) from None
            keys, zone = walk.keys_of(child, ds_set), child
            continue
        if response.rcode() == dns.rcode.NXDOMAIN:
            raise _NoNameError(f"{child} does not exist (NXDOMAIN)")
        _not_alias(walk, response, child)
        cut = prove_no_ds(response, child, zone, keys, walk.clock)
        if cut is Cut.NONE:
            continue
        how = ("lies in an NSEC3 opt-out span of" if cut is Cut.OPT_OUT
               else "is proven a delegation without DS in")
        if walk.has_keys(child):
            raise _EndsError(DnssecStatus.INSECURE, child,
                        f"{child} {how} {zone}: its DNSKEYs are not vouched for by any DS")
        raise _EndsError(DnssecStatus.UNSIGNED, child,
                    f"{child} {how} {zone}, and the zone publishes no DNSKEY")
    return zone, keys


def _no_closer_name(response: dns.message.Message, name: dns.name.Name, zone: dns.name.Name,
                    keys: dns.rdataset.Rdataset, clock: Clock,
                    sigs: dns.rrset.RRset | None) -> None:
    """An answer synthesised from a wildcard (RRSIG labels fewer than the name's) is valid only
    with a proof that the name itself does not exist (RFC 4035 5.3.4)."""
    labels = len(name) - 1  # the root label does not count
    if not sigs or all(getattr(s, "labels", labels) >= labels for s in sigs):
        return
    if covered_by_nsec(response, name, zone, keys, clock):
        return
    if nsec3_wildcard(response, name, zone) or any(
            r.rdtype == dns.rdatatype.NSEC3 for r in response.authority):
        raise UnprovenError(f"{name}: answer synthesised from a wildcard in an NSEC3 zone; "
                            "that proof is not checked by this validator")
    raise BogusError(f"{name}: answer synthesised from a wildcard without an NSEC proving "
                     "that no closer name exists")


def _addresses(walk: _Walk, name: dns.name.Name, zone: dns.name.Name,
               keys: dns.rdataset.Rdataset) -> None:
    found = 0
    for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        response = walk.wire.ask(name, rdtype)
        if response.rcode() == dns.rcode.NXDOMAIN:
            raise _NoNameError(f"{name} does not exist (NXDOMAIN)")
        data, sigs = walk.answer(response, name, rdtype)
        if data is None:
            _not_alias(walk, response, name)
            continue
        walk.instants.append(verify(data, sigs, zone, keys, walk.clock))
        _no_closer_name(response, name, zone, keys, walk.clock, sigs)
        found += 1
    if not found:
        raise _NoNameError(f"{name} has no A or AAAA record to validate")


def validate_name(host: str, wire: Wire, anchors: TrustAnchors | None,
                  as_of: dt.date) -> DnssecObservation:
    """Validate `host`'s A/AAAA records from the trust anchors at `as_of`. Never raises."""
    if anchors is None:
        return DnssecObservation(host=host)
    try:
        name = dns.name.from_text(host)
    except dns.exception.DNSException as exc:
        return DnssecObservation(host=host, error=f"invalid DNS name {host!r}: {exc}")
    anchor = anchors.covering(name)
    if anchor is None:
        zones = ", ".join(sorted(z.to_text() for z in anchors.anchors))
        return DnssecObservation(host=host, error=f"no trust anchor covers {host} "
                                 f"(anchored: {zones}; file {anchors.path})")
    walk = _Walk(wire, Clock.of(as_of))
    zone = anchor.zone
    status, reason = DnssecStatus.SECURE, None
    try:
        keys = walk.keys_of(zone, anchor.ds, anchor.dnskeys)
        zone, keys = _descend(walk, name, zone, keys)
        _addresses(walk, name, zone, keys)
    except WireError as exc:
        return DnssecObservation(host=host, anchor=anchor.zone.to_text(), error=str(exc))
    except (_NoNameError, UnprovenError) as exc:
        return DnssecObservation(host=host, anchor=anchor.zone.to_text(), error=str(exc))
    except _EndsError as end:
        status, reason, zone = end.status, end.reason, end.zone
    except BogusError as exc:
        status, reason, zone = DnssecStatus.BOGUS, str(exc), walk.at
    judged = max(walk.instants, default=walk.clock.day_start)
    return DnssecObservation(
        host=host, anchor=anchor.zone.to_text(), status=status, reason=reason,
        zone=zone.to_text(), chain=tuple(walk.chain),
        judged_at=dt.datetime.fromtimestamp(judged, dt.UTC),
    )
