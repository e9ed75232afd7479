"""What a signed NODATA answer to a DS query proves about a name (RFC 4035 5.4, RFC 5155 8.6).

A DS query for `child` in a signed zone that returns no DS must carry a signed NSEC or NSEC3
saying why: the name is a delegation (NS without DS: the child zone is provably insecure), or
the name is not a zone cut at all (no NS: an ordinary name or empty non-terminal of the same
zone, so the walk goes on in it). No valid proof is `BogusError` — a signed zone may not drop DS
silently. An NSEC3 opt-out span covering the name is accepted as insecure and said so, since
opt-out proves only that no *signed* delegation is there.

A name under a wildcard (`*.x` exists, the name does not) has no NSEC of its own: the
wildcard's NSEC (no DS, no NS) plus a signed NSEC covering the name (no closer match) prove it is
no zone cut. Under NSEC3 that proof (closest encloser, next closer, wildcard) is not checked:
`UnprovenError`, reported as an error, never as secure or bogus.
"""

from __future__ import annotations

import base64
from enum import StrEnum

import dns.dnssec
import dns.message
import dns.name
import dns.rdataset
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.NSEC import NSEC
from dns.rdtypes.ANY.NSEC3 import NSEC3

from auditor.probes.dnssec_sigs import BogusError, Clock, verify


class UnprovenError(Exception):
    """A proof this validator does not check (NSEC3 wildcards): no verdict either way."""


class Cut(StrEnum):
    DELEGATION = "delegation"  # NS and no DS: an insecure delegation, proven
    OPT_OUT = "opt_out"  # inside an NSEC3 opt-out span: unsigned delegation allowed
    NONE = "none"  # no zone cut here: the name belongs to the same zone


def _sigs_for(response: dns.message.Message, rrset: dns.rrset.RRset) -> dns.rrset.RRset | None:
    for candidate in response.authority:
        if (candidate.name == rrset.name and candidate.rdtype == dns.rdatatype.RRSIG
                and candidate.covers == rrset.rdtype):
            return candidate
    return None


def _types(rdata: NSEC | NSEC3) -> set[dns.rdatatype.RdataType]:
    found: set[dns.rdatatype.RdataType] = set()
    for window, bitmap in rdata.windows:
        for i, byte in enumerate(bitmap):
            for bit in range(8):
                if byte & (0x80 >> bit):
                    found.add(dns.rdatatype.RdataType.make(window * 256 + i * 8 + bit))
    return found


def _judge_types(types: set[dns.rdatatype.RdataType], child: dns.name.Name) -> Cut:
    if dns.rdatatype.DS in types:
        raise BogusError(f"{child}: the denial record lists a DS the answer does not hold")
    if dns.rdatatype.NS in types and dns.rdatatype.SOA not in types:
        return Cut.DELEGATION
    return Cut.NONE


def _nsec_records(response: dns.message.Message) -> list[tuple[dns.rrset.RRset, NSEC]]:
    return [(r, r[0]) for r in response.authority
            if r.rdtype == dns.rdatatype.NSEC and isinstance(r[0], NSEC)]


def _nsec_covers(owner: dns.name.Name, following: dns.name.Name, name: dns.name.Name) -> bool:
    if owner < following:
        return bool(owner < name < following)
    return bool(name > owner)  # the last NSEC of the zone points back to its apex


def covered_by_nsec(response: dns.message.Message, name: dns.name.Name, zone: dns.name.Name,
                    keys: dns.rdataset.Rdataset, clock: Clock) -> bool:
    """A signed NSEC of the response proves that `name` itself does not exist."""
    for rrset, rdata in _nsec_records(response):
        if _nsec_covers(rrset.name, rdata.next, name):
            verify(rrset, _sigs_for(response, rrset), zone, keys, clock)
            return True
    return False


def _nsec(response: dns.message.Message, child: dns.name.Name, zone: dns.name.Name,
          keys: dns.rdataset.Rdataset, clock: Clock) -> Cut | None:
    records = _nsec_records(response)
    for rrset, rdata in records:
        exact = rrset.name == child
        # An empty non-terminal has no NSEC of its own: the one before it points below it.
        empty = rrset.name < child < rdata.next and rdata.next.is_subdomain(child)
        if exact or empty:
            verify(rrset, _sigs_for(response, rrset), zone, keys, clock)
            return _judge_types(_types(rdata), child) if exact else Cut.NONE
    for rrset, rdata in records:  # wildcard NODATA: `*.x`'s NSEC, and no closer match
        if rrset.name.labels[0] == b"*" and child.is_subdomain(rrset.name.parent()):
            verify(rrset, _sigs_for(response, rrset), zone, keys, clock)
            if _judge_types(_types(rdata), child) is Cut.DELEGATION:
                raise BogusError(f"{child}: a wildcard NS cannot delegate")
            if not covered_by_nsec(response, child, zone, keys, clock):
                raise BogusError(f"{child} DS: wildcard answer without an NSEC proving that no "
                                 "closer name exists")
            return Cut.NONE
    return None


def nsec3_wildcard(response: dns.message.Message, name: dns.name.Name,
                   zone: dns.name.Name) -> bool:
    """The response holds the NSEC3 of a wildcard above `name` (`*.<ancestor>`)."""
    for rrset in response.authority:
        rdata = rrset[0] if rrset.rdtype == dns.rdatatype.NSEC3 else None
        if not isinstance(rdata, NSEC3):
            continue
        ancestor = name.parent()
        while ancestor.is_subdomain(zone):
            wildcard = dns.name.Name((b"*", *ancestor.labels))
            digest = dns.dnssec.nsec3_hash(wildcard, rdata.salt, rdata.iterations,
                                           rdata.algorithm)
            if _hash_label(rrset) == base64.b32hexdecode(digest):
                return True
            if ancestor == zone:
                break
            ancestor = ancestor.parent()
    return False


def _hash_label(rrset: dns.rrset.RRset) -> bytes:
    return base64.b32hexdecode(rrset.name.labels[0].upper())


def _covers(owner: bytes, following: bytes, target: bytes) -> bool:
    if owner < following:
        return owner < target < following
    return target > owner or target < following  # the last NSEC3 wraps around


def _nsec3(response: dns.message.Message, child: dns.name.Name, zone: dns.name.Name,
           keys: dns.rdataset.Rdataset, clock: Clock) -> Cut | None:
    records: list[tuple[dns.rrset.RRset, NSEC3, bytes]] = []
    for rrset in response.authority:
        rdata = rrset[0] if rrset.rdtype == dns.rdatatype.NSEC3 else None
        if isinstance(rdata, NSEC3) and rrset.name.parent() == zone:
            digest = dns.dnssec.nsec3_hash(child, rdata.salt, rdata.iterations, rdata.algorithm)
            records.append((rrset, rdata, base64.b32hexdecode(digest)))
    # A record for the name itself decides; only without one may an opt-out span cover it.
    for rrset, rdata, target in records:
        if _hash_label(rrset) == target:
            verify(rrset, _sigs_for(response, rrset), zone, keys, clock)
            return _judge_types(_types(rdata), child)
    for rrset, rdata, target in records:
        if rdata.flags & 1 and _covers(_hash_label(rrset), rdata.next, target):
            verify(rrset, _sigs_for(response, rrset), zone, keys, clock)
            return Cut.OPT_OUT
    return None


def prove_no_ds(response: dns.message.Message, child: dns.name.Name, zone: dns.name.Name,
                keys: dns.rdataset.Rdataset, clock: Clock) -> Cut:
    """What the signed NODATA response to `child` DS proves; `BogusError` without a valid proof."""
    found = _nsec(response, child, zone, keys, clock)
    if found is None:
        found = _nsec3(response, child, zone, keys, clock)
    if found is None and nsec3_wildcard(response, child, zone):
        raise UnprovenError(f"{child} lies under a wildcard of the NSEC3 zone {zone}: that "
                            "denial proof is not checked by this validator")
    if found is None:
        raise BogusError(f"{child} DS: no DS and no signed NSEC/NSEC3 proving its absence "
                    f"in the signed zone {zone}")
    return found
