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

An alias is followed (at most MAX_ALIASES CNAMEs; a loop is an error): each link's CNAME RRset
must validate in the zone holding it, as an address RRset would, and the walk starts again
from the anchors for the target. The verdict is the weakest link's: bogus anywhere is bogus
(the walk stops there); otherwise an insecure or unsigned link makes the whole insecure or
unsigned (the first one's reason is kept); the chain is in `aliases`.

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
from auditor.probes.trust_anchor import Anchor, TrustAnchors


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
    aliases: tuple[str, ...] = ()  # the CNAMEs followed, `alias. CNAME target.`, in order
    judged_at: dt.datetime | None = None  # the latest instant a signature was judged at
    error: str | None = None


@dataclass
class _Walk:
    wire: Wire
    clock: Clock
    chain: list[str] = field(default_factory=list)
    instants: list[int] = field(default_factory=list)
    at: dns.name.Name = dns.name.root  # the zone the walk is in (or entering)
    #: Key sets validated so far: an alias chain re-enters its zones without asking again.
    validated: dict[dns.name.Name, dns.rdataset.Rdataset] = field(default_factory=dict)

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
        known = self.validated.get(zone)
        if known is not None:  # a zone's DS (or anchor) is the same whichever link leads in
            return known
        response = self.wire.ask(zone, dns.rdatatype.DNSKEY)
        dnskeys, sigs = self.answer(response, zone, dns.rdatatype.DNSKEY)
        keys, instant = trusted_keys(zone, dnskeys, sigs, ds, anchored, self.clock)
        self.chain.append(zone.to_text())
        self.instants.append(instant)
        self.validated[zone] = keys
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


def _no_dname(response: dns.message.Message, name: dns.name.Name) -> None:
    """A DNAME above `name` makes the server synthesise an unsigned CNAME for it (RFC 6672):
    judging that CNAME as a missing RRSIG would be a false bogus, and DNAME redirection is
    not followed here, so the name cannot be judged (an error, never a verdict)."""
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.DNAME and name.is_subdomain(rrset.name) \
                and name != rrset.name:
            raise UnprovenError(f"{name}: redirected by the DNAME at {rrset.name}; DNAME is "
                                "not followed by this validator")


def _not_alias(walk: _Walk, response: dns.message.Message, name: dns.name.Name) -> None:
    """A CNAME above the name (the name would be under an alias): nothing to validate."""
    if walk.answer(response, name, dns.rdatatype.CNAME)[0] is not None:
        raise _NoNameError(f"{name} is an alias (CNAME), so no name exists below it")


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
        _no_dname(response, child)
        if child == name and walk.answer(response, child, dns.rdatatype.CNAME)[0] is not None:
            return zone, keys  # an alias is no zone cut: its CNAME is validated in this zone
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


def _alias(walk: _Walk, response: dns.message.Message, name: dns.name.Name,
           zone: dns.name.Name, keys: dns.rdataset.Rdataset) -> dns.name.Name | None:
    """The target of `name`'s CNAME, once its RRset validates in `zone`; None: no alias."""
    cname, sigs = walk.answer(response, name, dns.rdatatype.CNAME)
    if cname is None:
        return None
    walk.instants.append(verify(cname, sigs, zone, keys, walk.clock))
    _no_closer_name(response, name, zone, keys, walk.clock, sigs)
    target: dns.name.Name = cname[0].target
    return target


def _addresses(walk: _Walk, name: dns.name.Name, zone: dns.name.Name,
               keys: dns.rdataset.Rdataset) -> dns.name.Name | None:
    """Validate `name`'s A and AAAA records; for an alias, its CNAME, and return the target."""
    found = 0
    for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        response = walk.wire.ask(name, rdtype)  # a DNAME above `name` was seen by _descend
        target = _alias(walk, response, name, zone, keys)  # before NXDOMAIN: the target's
        if target is not None:
            return target
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
    return None


MAX_ALIASES = 8  # CNAMEs followed from one endpoint name before giving up (an error)


@dataclass(frozen=True)
class _Link:
    """The verdict on one name of the alias chain, and the name it points to (if any)."""

    status: DnssecStatus
    zone: dns.name.Name
    reason: str | None = None
    target: dns.name.Name | None = None


def _unvalidated_target(walk: _Walk, name: dns.name.Name) -> dns.name.Name | None:
    """Where an alias in an insecure zone points: its CNAME cannot be validated, but a bogus
    link further on must still be found (bogus anywhere is bogus)."""
    cname, _ = walk.answer(walk.wire.ask(name, dns.rdatatype.A), name, dns.rdatatype.CNAME)
    if cname is None:
        return None
    target: dns.name.Name = cname[0].target
    return target


def _link(walk: _Walk, name: dns.name.Name, anchor: Anchor) -> _Link:
    """Validate one name from its anchor. Wire, no-name and unproven errors propagate."""
    zone = anchor.zone
    try:
        keys = walk.keys_of(zone, anchor.ds, anchor.dnskeys)
        zone, keys = _descend(walk, name, zone, keys)
        return _Link(DnssecStatus.SECURE, zone, None, _addresses(walk, name, zone, keys))
    except _EndsError as end:
        return _Link(end.status, end.zone, end.reason, _unvalidated_target(walk, name))
    except BogusError as exc:
        return _Link(DnssecStatus.BOGUS, walk.at, str(exc))


_RANK = {DnssecStatus.SECURE: 0, DnssecStatus.UNSIGNED: 1, DnssecStatus.INSECURE: 1,
         DnssecStatus.BOGUS: 2}


class _ChainError(Exception):
    """The alias chain loops, is too long, or leaves the anchored zones."""


def _next_name(target: dns.name.Name, seen: list[dns.name.Name], anchors: TrustAnchors,
               ) -> Anchor:
    path = " → ".join(n.to_text() for n in (*seen, target))
    if target in seen:
        raise _ChainError(f"CNAME loop: {path}")
    if len(seen) > MAX_ALIASES:
        raise _ChainError(f"too many CNAMEs (more than {MAX_ALIASES}): {path}")
    anchor = anchors.covering(target)
    if anchor is None:
        raise _ChainError(f"no trust anchor covers {target.to_text()}, the alias target "
                          f"({path}; anchored: {anchors.zones()}; file {anchors.path})")
    return anchor


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
        return DnssecObservation(host=host, error=f"no trust anchor covers {host} "
                                 f"(anchored: {anchors.zones()}; file {anchors.path})")
    walk = _Walk(wire, Clock.of(as_of))
    aliases: list[str] = []
    try:
        worst, last = _follow(walk, name, anchor, anchors, aliases)
    except (WireError, _NoNameError, UnprovenError, _ChainError) as exc:
        via = f" (via {', '.join(aliases)})" if aliases and not isinstance(exc, _ChainError) else ""
        return DnssecObservation(host=host, anchor=anchor.zone.to_text(), error=f"{exc}{via}",
                                 aliases=tuple(aliases))
    judged = max(walk.instants, default=walk.clock.day_start)
    ended = last.zone if worst.status is DnssecStatus.SECURE else worst.zone
    return DnssecObservation(
        host=host, anchor=anchor.zone.to_text(), status=worst.status, reason=worst.reason,
        zone=ended.to_text(), chain=tuple(walk.chain),
        judged_at=dt.datetime.fromtimestamp(judged, dt.UTC), aliases=tuple(aliases),
    )


def _follow(walk: _Walk, name: dns.name.Name, anchor: Anchor, anchors: TrustAnchors,
            aliases: list[str]) -> tuple[_Link, _Link]:
    """Validate `name` and every alias target after it; (the weakest link, the last link).
    `aliases` receives each CNAME followed, so that an error can say the chain too."""
    seen = [name]
    worst = link = _link(walk, name, anchor)
    while link.target is not None and link.status is not DnssecStatus.BOGUS:
        aliases.append(f"{seen[-1].to_text()} CNAME {link.target.to_text()}")
        next_anchor = _next_name(link.target, seen, anchors)
        seen.append(link.target)
        link = _link(walk, link.target, next_anchor)
        if _RANK[link.status] > _RANK[worst.status]:
            worst = link  # the first of the weakest kind keeps its reason
    return worst, link
