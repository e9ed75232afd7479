"""CAA records of one endpoint name (RFC 8659): which CAs may issue for it. Advisory.

RFC 8659 §3: the relevant record set is the CAA set of the name itself or, when it has none,
of the closest ancestor that has one (the root excluded). Queries go to the same DNS server as
the other probes (dns_wire.py); a name that does not exist simply has no CAA there and the climb
goes on. Only what the records say is reported: `issue` and `issuewild` issuers (an empty
issuer value, `;`, forbids issuance), `iodef` report addresses, and any other tag verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.name
import dns.rdatatype
from dns.rdtypes.ANY.CAA import CAA

from auditor.probes.dns_wire import Wire, WireError


@dataclass(frozen=True)
class CaaObservation:
    """The relevant CAA set of `host`. `error` set ⇒ nothing else is."""

    host: str
    owner: str | None = None  # the name the relevant set was found at; None: no CAA at all
    issue: tuple[str, ...] = ()  # issuer domains ("" = issuance forbidden)
    issuewild: tuple[str, ...] = ()
    iodef: tuple[str, ...] = ()
    records: tuple[str, ...] = ()  # every record as text, sorted
    error: str | None = None

    @property
    def present(self) -> bool:
        return self.owner is not None


def _issuer(value: bytes) -> str:
    """The issuer domain of an issue/issuewild value (parameters after ';' dropped)."""
    return value.decode("ascii", "replace").split(";", 1)[0].strip()


def _relevant(wire: Wire, name: dns.name.Name) -> tuple[dns.name.Name, list[CAA]] | None:
    while name != dns.name.root:
        response = wire.ask(name, dns.rdatatype.CAA)
        for rrset in response.answer:  # CNAMEs the server followed come first; CAA last
            if rrset.rdtype == dns.rdatatype.CAA:
                return name, [r for r in rrset if isinstance(r, CAA)]
        name = name.parent()
    return None


def probe_caa(host: str, wire: Wire) -> CaaObservation:
    """The relevant CAA set of `host`. Never raises."""
    try:
        found = _relevant(wire, dns.name.from_text(host))
    except WireError as exc:
        return CaaObservation(host=host, error=str(exc))
    except dns.exception.DNSException as exc:
        return CaaObservation(host=host, error=f"invalid DNS name {host!r}: {exc}")
    if found is None:
        return CaaObservation(host=host)
    owner, records = found
    by_tag: dict[str, list[str]] = {"issue": [], "issuewild": [], "iodef": []}
    for record in records:
        tag = record.tag.decode("ascii", "replace").lower()
        if tag in ("issue", "issuewild"):
            by_tag[tag].append(_issuer(record.value))
        elif tag == "iodef":
            by_tag[tag].append(record.value.decode("ascii", "replace"))
    return CaaObservation(
        host=host, owner=owner.to_text(),
        issue=tuple(sorted(set(by_tag["issue"]))),
        issuewild=tuple(sorted(set(by_tag["issuewild"]))),
        iodef=tuple(sorted(set(by_tag["iodef"]))),
        records=tuple(sorted(r.to_text() for r in records)),
    )
