"""CAA records of one endpoint name (RFC 8659): which CAs may issue for it. Advisory.

RFC 8659 §3: the relevant record set is found by climbing the DNS tree from the name up to, but
not including, the root: the first non-empty CAA(X) wins, where CAA(X) is the answer to a CAA
query for X resolved by the algorithm of RFC 1034 §4.3.2, aliases chased. So an alias (a CNAME,
or the CNAME a DNAME synthesises) is followed to its target and the target's own CAA set, if
any, is the alias's; when the target has none, the climb goes on from the parent of the *alias*
(X), never from the target's parent: RFC 8659 dropped the climb of the alias target's tree that
RFC 6844, which it obsoletes, prescribed. At most MAX_ALIASES CNAMEs are followed per query; a
loop or a longer chain is an error (CAA(X) is unknown, so no verdict rests on it), never "no
CAA". Queries go to the same DNS server as the other probes (dns_wire.py); a name that does not
exist simply has no CAA there and the climb goes on. Only what the records say is reported:
`issue` and `issuewild` issuers (an empty issuer value, `;`, forbids issuance), `iodef` report
addresses, and any other tag verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.CAA import CAA

from auditor.probes.dns_wire import Wire, WireError
from auditor.probes.dnssec import MAX_ALIASES


@dataclass(frozen=True)
class CaaObservation:
    """The relevant CAA set of `host`. `error` set ⇒ nothing else is (but `aliases`)."""

    host: str
    #: the name of the climb (the host or an ancestor) whose CAA query found the relevant set;
    #: None: no CAA at all
    owner: str | None = None
    issue: tuple[str, ...] = ()  # issuer domains ("" = issuance forbidden)
    issuewild: tuple[str, ...] = ()
    iodef: tuple[str, ...] = ()
    records: tuple[str, ...] = ()  # every record as text, sorted
    #: the CNAMEs followed from `owner` to the records (`alias. CNAME target.`, in order; the
    #: last target holds them); for an error, those followed before it
    aliases: tuple[str, ...] = ()
    error: str | None = None

    @property
    def present(self) -> bool:
        return self.owner is not None


class AliasError(Exception):
    """A CAA query whose aliases loop or go on too long: CAA(X) is unknown."""


def _issuer(value: bytes) -> str:
    """The issuer domain of an issue/issuewild value (parameters after ';' dropped)."""
    return value.decode("ascii", "replace").split(";", 1)[0].strip()


def _in_answer(response: dns.message.Message, name: dns.name.Name,
               rdtype: dns.rdatatype.RdataType) -> dns.rrset.RRset | None:
    """The answer's RRset of `name`/`rdtype` (the section itself, not dnspython's index of it)."""
    return next((r for r in response.answer if r.name == name and r.rdtype == rdtype
                 and r.rdclass == dns.rdataclass.IN), None)


def _next(target: dns.name.Name, seen: list[dns.name.Name]) -> None:
    """Refuse a target already met (a loop) or one more CNAME than MAX_ALIASES."""
    path = " → ".join(n.to_text() for n in (*seen, target))
    if target in seen:
        raise AliasError(f"CNAME loop: {path}")
    if len(seen) > MAX_ALIASES:
        raise AliasError(f"too many CNAMEs (more than {MAX_ALIASES}): {path}")


def caa_of(wire: Wire, name: dns.name.Name, aliases: list[str]) -> list[CAA]:
    """CAA(name) of RFC 8659 §3: the CAA set ordinary resolution returns, aliases chased
    (empty: none). `aliases` receives each CNAME followed. The server chases the aliases it
    can (its own zones); a target it left unresolved is asked for itself."""
    seen = [name]
    current = name
    while True:
        response = wire.ask(current, dns.rdatatype.CAA)
        asked = current
        while True:
            caa = _in_answer(response, current, dns.rdatatype.CAA)
            if caa is not None:
                return [r for r in caa if isinstance(r, CAA)]
            cname = _in_answer(response, current, dns.rdatatype.CNAME)
            if cname is None:
                break
            target: dns.name.Name = cname[0].target
            aliases.append(f"{current.to_text()} CNAME {target.to_text()}")
            _next(target, seen)
            seen.append(target)
            current = target
        if current == asked:  # the server's own answer for this name: it has no CAA
            return []


def _relevant(wire: Wire, name: dns.name.Name,
              aliases: list[str]) -> tuple[dns.name.Name, list[CAA]] | None:
    while name != dns.name.root:
        aliases.clear()  # only the CNAMEs of the query that decides are reported
        records = caa_of(wire, name, aliases)
        if records:
            return name, records
        name = name.parent()  # the alias's parent, not its target's (RFC 8659 §3)
    return None


def probe_caa(host: str, wire: Wire) -> CaaObservation:
    """The relevant CAA set of `host`. Never raises."""
    aliases: list[str] = []
    try:
        found = _relevant(wire, dns.name.from_text(host), aliases)
    except AliasError as exc:  # its words already name the chain
        return CaaObservation(host=host, error=str(exc), aliases=tuple(aliases))
    except WireError as exc:
        via = f" (via {', '.join(aliases)})" if aliases else ""
        return CaaObservation(host=host, error=f"{exc}{via}", aliases=tuple(aliases))
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
        aliases=tuple(aliases),
    )
