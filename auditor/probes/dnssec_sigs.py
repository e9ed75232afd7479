"""Checking one RRset's signatures at the audit date, and trusting a zone's DNSKEY set.

The audit date (`--as-of`) is a day; the instant a signature is judged at is the start of that
day (00:00 UTC), as for certificate chains (chaintime.py), or the signature's own inception when
it falls on that day — a zone signed on the audit day is valid on it, a signature whose
inception is after the audit day does not exist yet, and one whose expiration is before the
instant has expired (RFC 4035 5.3.1: inception <= now <= expiration, both ends inclusive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import dns.dnssec
import dns.exception
import dns.name
import dns.rdataset
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS
from dns.rdtypes.ANY.RRSIG import RRSIG

_DAY = 86400


class BogusError(Exception):
    """The chain is broken: a signature, key or proof that should be there does not hold."""


class UnsupportedDsError(Exception):
    """Every DS of a child names an algorithm or digest this validator cannot check: no
    authentication path, treated as an insecure delegation (RFC 4035 5.2)."""


#: DNSKEY algorithms dnspython validates (with `cryptography`), and DS digest types it makes.
_ALGORITHMS: frozenset[int] = frozenset({5, 7, 8, 10, 13, 14, 15, 16})
_DIGESTS: frozenset[int] = frozenset({1, 2, 4})


def supported(ds: DS) -> bool:
    denied = {int(a) for a in getattr(dns.dnssec.default_policy, "_deny_validate", ())}
    return ds.algorithm in _ALGORITHMS - denied and ds.digest_type in _DIGESTS


def require_supported(zone: dns.name.Name, ds_set: Iterable[DS]) -> None:
    """`UnsupportedDsError` when no DS of `zone` can be checked at all."""
    found = list(ds_set)
    if found and not any(supported(ds) for ds in found):
        names = ", ".join(sorted({f"algorithm {ds.algorithm} digest {ds.digest_type}"
                                  for ds in found}))
        raise UnsupportedDsError(f"every DS of {zone} uses what this validator cannot check "
                                 f"({names})")


@dataclass(frozen=True)
class Clock:
    """The audit day, in seconds since the epoch (UTC)."""

    day_start: int

    @classmethod
    def of(cls, as_of: dt.date) -> Clock:
        start = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
        return cls(int(start.timestamp()))

    def instant_for(self, rrsig: RRSIG) -> int:
        inception = int(rrsig.inception)
        if self.day_start <= inception < self.day_start + _DAY:
            return inception
        return self.day_start


def when(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _tag(rrsig: RRSIG) -> str:
    return f"RRSIG {dns.rdatatype.to_text(rrsig.type_covered)} by key {rrsig.key_tag}"


def _one(rrset: dns.rrset.RRset, rrsig: RRSIG, zone: dns.name.Name,
         keys: dns.rdataset.Rdataset, clock: Clock) -> str | None:
    """None if `rrsig` validates `rrset` at the audit instant, else why not."""
    if rrsig.signer != zone:
        return f"{_tag(rrsig)} is by {rrsig.signer}, not by the zone {zone}"
    instant = clock.instant_for(rrsig)
    if rrsig.expiration < instant:
        return (f"{_tag(rrsig)} expired at {when(rrsig.expiration)}, before the audit "
                f"instant {when(instant)}")
    if rrsig.inception > instant:
        return (f"{_tag(rrsig)} not valid before {when(rrsig.inception)}, after the audit "
                f"instant {when(instant)}")
    try:
        dns.dnssec.validate_rrsig(rrset, rrsig, {zone: keys}, now=float(instant))
    except dns.exception.UnsupportedAlgorithm as exc:
        return f"{_tag(rrsig)}: unsupported algorithm ({exc})"
    except dns.exception.ValidationFailure as exc:
        return f"{_tag(rrsig)} does not verify: {exc}"
    return None


def verify(rrset: dns.rrset.RRset, rrsigs: dns.rrset.RRset | None, zone: dns.name.Name,
           keys: dns.rdataset.Rdataset, clock: Clock) -> int:
    """At least one RRSIG of `rrsigs` validates `rrset` with `keys`; else `BogusError` with every
    signature's reason. Returns the instant the valid signature was judged at."""
    what = f"{rrset.name} {dns.rdatatype.to_text(rrset.rdtype)}"
    if rrsigs is None or not len(rrsigs):
        raise BogusError(f"{what}: no RRSIG in a signed zone ({zone})")
    reasons = []
    for rrsig in rrsigs:
        if not isinstance(rrsig, RRSIG) or rrsig.type_covered != rrset.rdtype:
            continue
        reason = _one(rrset, rrsig, zone, keys, clock)
        if reason is None:
            return clock.instant_for(rrsig)
        reasons.append(reason)
    raise BogusError(f"{what}: " + ("; ".join(reasons) or "no RRSIG covers it"))


def _matches(zone: dns.name.Name, key: DNSKEY, ds: DS) -> bool:
    if dns.dnssec.key_id(key) != ds.key_tag or key.algorithm != ds.algorithm:
        return False
    try:
        made = dns.dnssec.make_ds(zone, key, ds.digest_type)
    except (dns.exception.UnsupportedAlgorithm, dns.exception.ValidationFailure, ValueError):
        return False
    return made.digest == ds.digest


def trusted_keys(zone: dns.name.Name, dnskeys: dns.rrset.RRset | None,
                 rrsigs: dns.rrset.RRset | None, ds_set: Iterable[DS],
                 anchored: Iterable[DNSKEY], clock: Clock) -> tuple[dns.rdataset.Rdataset, int]:
    """The zone's DNSKEY set, once a key that a DS (or an anchored DNSKEY) vouches for has
    signed it; else `BogusError`. Returns the keys and the instant judged at."""
    if dnskeys is None or not len(dnskeys):
        raise BogusError(f"{zone} publishes no DNSKEY although a DS or trust anchor says "
                         "it is signed")
    wanted = list(ds_set)
    pinned = list(anchored)
    vouched = [k for k in dnskeys if isinstance(k, DNSKEY)
               and (k in pinned or any(_matches(zone, k, ds) for ds in wanted))]
    if not vouched:
        tags = ", ".join(str(ds.key_tag) for ds in wanted) or "the anchored DNSKEY"
        raise BogusError(f"no DNSKEY of {zone} matches its DS ({tags})")
    entry_keys = dns.rdataset.from_rdata_list(dnskeys.ttl, vouched)
    instant = verify(dnskeys, rrsigs, zone, entry_keys, clock)
    return dnskeys.to_rdataset(), instant
