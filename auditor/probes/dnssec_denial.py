"""What a signed NODATA answer to a DS query proves about a name (RFC 4035 5.4, RFC 5155 8.6).

A DS query for `child` in a signed zone that returns no DS must carry a signed NSEC or NSEC3
saying why: the name is a delegation (NS without DS: the child zone is provably insecure), or
the name is not a zone cut at all (no NS: an ordinary name or empty non-terminal of the same
zone, so the walk goes on in it). No valid proof is `BogusError` — a signed zone may not drop DS
silently. An NSEC3 opt-out span covering the name is accepted as insecure and said so, since
opt-out proves only that no *signed* delegation is there.
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


def _nsec(response: dns.message.Message, child: dns.name.Name, zone: dns.name.Name,
          keys: dns.rdataset.Rdataset, clock: Clock) -> Cut | None:
    for rrset in response.authority:
        if rrset.rdtype != dns.rdatatype.NSEC:
            continue
        rdata = rrset[0]
        if not isinstance(rdata, NSEC):
            continue
        exact = rrset.name == child
        # An empty non-terminal has no NSEC of its own: the one before it points below it.
        empty = rrset.name < child < rdata.next and rdata.next.is_subdomain(child)
        if exact or empty:
            verify(rrset, _sigs_for(response, rrset), zone, keys, clock)
            return _judge_types(_types(rdata), child) if exact else Cut.NONE
    return None


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
    if found is None:
        raise BogusError(f"{child} DS: no DS and no signed NSEC/NSEC3 proving its absence "
                    f"in the signed zone {zone}")
    return found
