"""DNSSEC trust anchors from a file (`--trust-anchor`): DS or DNSKEY records, zone-file lines.

One record a line, `owner [TTL] [IN] DS|DNSKEY rdata`, e.g. what `ldns-keygen` writes to its
`.ds` file or `dnssec-dsfromkey` prints; blank lines and `;` comments are skipped. Several
owners may be anchored (the closest enclosing one is used for a name). Anything else is a
`TrustAnchorError` naming the file and line; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS

_MAX_BYTES = 1 << 20  # a trust anchor file is a few lines; refuse anything absurd


class TrustAnchorError(ValueError):
    """The file cannot be used as trust anchors; the message names file and line."""


@dataclass(frozen=True)
class Anchor:
    """The DS and DNSKEY records trusted for one zone."""

    zone: dns.name.Name
    ds: tuple[DS, ...] = ()
    dnskeys: tuple[DNSKEY, ...] = ()


@dataclass(frozen=True)
class TrustAnchors:
    path: str
    anchors: dict[dns.name.Name, Anchor] = field(default_factory=dict)

    def covering(self, name: dns.name.Name) -> Anchor | None:
        """The anchor of the closest zone at or above `name`, if any."""
        best: Anchor | None = None
        for zone, anchor in self.anchors.items():
            if name.is_subdomain(zone) and (best is None or len(zone) > len(best.zone)):
                best = anchor
        return best


def _record(text: str) -> tuple[dns.name.Name, DS | DNSKEY]:
    tokens = text.split()
    if len(tokens) < 3:
        raise ValueError("expected 'owner [TTL] [IN] DS|DNSKEY data'")
    owner = dns.name.from_text(tokens[0])
    rest = tokens[1:]
    if rest and rest[0].isdigit():
        rest = rest[1:]
    if rest and rest[0].upper() == "IN":
        rest = rest[1:]
    if not rest or rest[0].upper() not in ("DS", "DNSKEY"):
        raise ValueError("only DS and DNSKEY records can be trust anchors")
    rdtype = dns.rdatatype.from_text(rest[0].upper())
    rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, " ".join(rest[1:]))
    if not isinstance(rdata, DS | DNSKEY):  # from_text gives the generic class on odd input
        raise ValueError(f"unreadable {rest[0].upper()} record")
    return owner, rdata


def parse_trust_anchors(text: str, path: str) -> TrustAnchors:
    found: dict[dns.name.Name, tuple[list[DS], list[DNSKEY]]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        try:
            owner, rdata = _record(line)
        except (ValueError, dns.exception.DNSException) as exc:
            raise TrustAnchorError(f"{path}:{number}: not a DS or DNSKEY record: {exc}") from None
        ds, keys = found.setdefault(owner, ([], []))
        if isinstance(rdata, DS):
            ds.append(rdata)
        else:
            keys.append(rdata)
    if not found:
        raise TrustAnchorError(f"{path}: no DS or DNSKEY record found")
    anchors = {zone: Anchor(zone, tuple(ds), tuple(keys)) for zone, (ds, keys) in found.items()}
    return TrustAnchors(path, anchors)


def read_trust_anchors(path: Path) -> TrustAnchors:
    """Read and parse `path`; `TrustAnchorError` for anything unusable."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise TrustAnchorError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > _MAX_BYTES:
        raise TrustAnchorError(f"{path}: larger than {_MAX_BYTES} bytes: not a trust anchor file")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise TrustAnchorError(f"{path}: not ASCII text (byte {exc.start + 1})") from None
    return parse_trust_anchors(text, str(path))
