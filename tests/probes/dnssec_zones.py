"""A signed test hierarchy for the DNSSEC and CAA probes: two anchored parents, each with
secure, unsigned, insecure ("island") and broken children, served by one NSD on loopback.

`tinh.test` is signed with NSEC and `tinh3.test` with NSEC3 (ldns-signzone), `optout.test` with
NSEC3 opt-out (BIND: its unsigned delegation has no NSEC3 of its own); the trust anchor file
holds the DS of each parent's KSK. Children (each `www.<child>` has an A record):

- `an` signed, DS in the parent (secure); also an own CAA set, and `own.an` another;
- `unsigned` not signed, no DS (unsigned); `island` signed, no DS (insecure);
- `tampered` signed, then its www A record changed (bogus: the signature does not verify);
- `expired` signed with a window that ends before AS_OF (bogus: expired);
- `wrongds` signed, the parent's DS is another key's (bogus: DS matches no DNSKEY);
- `nosig` signed, then the RRSIG of its www A removed (bogus: missing RRSIG).

In the parent itself: `www` (secure in the anchored zone), `www.x.ent` (two empty
non-terminals on the way), `*.wild` (a wildcard: `www.wild` is synthesised from it), and a CAA
set with an iodef. Aliases (CNAME) in `tinh.test` (ALIASES): `alias` → `www` (same zone),
`tounsigned` / `toisland` → the unsigned / insecure child's `www`, `totinh3` → a secure name
under the other anchor, `loop1` ⇄ `loop2`, `hop1` → … → `hop8` → `www` (MAX_ALIASES CNAMEs)
and `hop0` → `hop1` (one more), `dn` a DNAME to `an.tinh3.test`, `toan3` → `an.tinh3.test`
(a name with its own CAA set, in another zone), `todangling` → a name that does not exist,
`tofar` → a name in a zone this server does not serve;
`island.tinh.test` has `tobogus` → `www.tampered.tinh.test` (an insecure link, then a bogus one);
`tampered.tinh.test` has `badalias` whose CNAME was changed after signing (its RRSIG no longer
verifies; the original target is secure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from probes.signed_zones import ZoneKeys, sign, sign_opt_out

AS_OF = dt.date(2026, 12, 1)
INCEPTION = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
EXPIRATION = dt.datetime(2027, 1, 31, tzinfo=dt.UTC)
EXPIRED = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)
NS = "@ NS ns1.tinh.test."
WWW = "www A 127.0.0.1"


HOPS = [f"hop{i} CNAME hop{i + 1}" for i in range(8)] + ["hop8 CNAME www"]
ALIASES = ["alias CNAME www", "tounsigned CNAME www.unsigned.tinh.test.",
           "toisland CNAME www.island.tinh.test.", "totinh3 CNAME www.an.tinh3.test.",
           "loop1 CNAME loop2", "loop2 CNAME loop1", "dn DNAME an.tinh3.test.", *HOPS,
           "toan3 CNAME an.tinh3.test.", "todangling CNAME none.an.tinh3.test.",
           "tofar CNAME www.far.example."]


@dataclass(frozen=True)
class Hierarchy:
    zones: dict[str, list[str]]
    anchor_file: Path


def _child(directory: Path, origin: str, records: list[str],
           expiration: dt.datetime = EXPIRATION) -> tuple[ZoneKeys, list[str]]:
    keys = ZoneKeys.make(directory, origin)
    return keys, sign(directory, keys, [NS, WWW, *records], INCEPTION, expiration)


def _opt_out(directory: Path) -> tuple[str, dict[str, list[str]]]:
    """`optout.test`: `www`, a secure child `an` and an unsigned child `unsigned`."""
    an, child = _child(directory, "an.optout.test", [])
    zones = {"an.optout.test": child, "unsigned.optout.test": [NS, WWW]}
    own = ["@ NS ns1.tinh.test.", WWW, "an NS ns1.tinh.test.", an.ds,
           "unsigned NS ns1.tinh.test."]
    zones["optout.test"], ds = sign_opt_out(directory, "optout.test", own, INCEPTION,
                                            EXPIRATION)
    return ds, zones


def _parent(directory: Path, parent: str, nsec3: bool) -> tuple[ZoneKeys, dict[str, list[str]]]:
    zones: dict[str, list[str]] = {}
    delegations: list[str] = []

    def delegate(child: str, ds: str | None) -> None:
        delegations.append(f"{child} NS ns1.tinh.test.")
        if ds is not None:
            delegations.append(ds)

    an, zones[f"an.{parent}"] = _child(directory, f"an.{parent}",
                                       ['@ CAA 0 issue ";"', "@ A 127.0.0.1", "www AAAA ::1",
                                        'own CAA 0 issue "other-ca.example"'])
    delegate("an", an.ds)
    zones[f"unsigned.{parent}"] = [NS, WWW]
    delegate("unsigned", None)
    to_bogus = [] if nsec3 else ["tobogus CNAME www.tampered.tinh.test."]
    _, zones[f"island.{parent}"] = _child(directory, f"island.{parent}", to_bogus)
    delegate("island", None)
    if not nsec3:
        tampered, signed = _child(directory, f"tampered.{parent}",
                                  ["badalias CNAME www.an.tinh.test."])
        changed = [line.replace(" A 127.0.0.1", " A 127.0.0.2") if line.startswith("www.")
                   else line for line in signed]
        changed = [line.replace("www.an.tinh.test.", "an.tinh.test.")
                   if line.startswith("badalias.") and "RRSIG" not in line else line
                   for line in changed]
        assert len(set(changed) - set(signed)) == 2, "the records to tamper with were not found"
        zones[f"tampered.{parent}"] = changed
        delegate("tampered", tampered.ds)
        expired, zones[f"expired.{parent}"] = _child(directory, f"expired.{parent}", [],
                                                     EXPIRED)
        delegate("expired", expired.ds)
        _, zones[f"wrongds.{parent}"] = _child(directory, f"wrongds.{parent}", [])
        other = ZoneKeys.make(directory / "other", f"wrongds.{parent}")
        delegate("wrongds", other.ds)
        nosig, signed = _child(directory, f"nosig.{parent}", [])
        kept = [line for line in signed
                if not (line.startswith("www.") and " RRSIG A " in line)]
        assert len(kept) == len(signed) - 1, "the RRSIG to remove was not found"
        zones[f"nosig.{parent}"] = kept
        delegate("nosig", nosig.ds)
    keys = ZoneKeys.make(directory, parent)
    own = ["@ NS ns1", "ns1 A 127.0.0.1", WWW, "www AAAA ::1", "www.x.ent A 127.0.0.1",
           "*.wild A 127.0.0.1",
           *(ALIASES if not nsec3 else []), '@ CAA 0 issue "ca.example"',
           '@ CAA 0 iodef "mailto:soc@tinh.test"']
    zones[parent] = sign(directory, keys, [*own, *delegations], INCEPTION, EXPIRATION,
                         nsec3=nsec3)
    return keys, zones


def build(directory: Path) -> Hierarchy:
    zones: dict[str, list[str]] = {}
    anchors = []
    for parent, nsec3 in (("tinh.test", False), ("tinh3.test", True)):
        keys, made = _parent(directory / parent, parent, nsec3)
        zones.update(made)
        anchors.append(keys.ds)
    ds, made = _opt_out(directory / "optout.test")
    zones.update(made)
    anchors.append(ds)
    anchor_file = directory / "trust-anchor.ds"
    anchor_file.write_text("; test trust anchors\n" + "\n".join(anchors) + "\n",
                           encoding="ascii")
    return Hierarchy(zones, anchor_file)
