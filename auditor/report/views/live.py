"""The live observation tables (auditor audit --live): the certificates seen on endpoints and in
files, and the IPv6 readiness of web endpoints with their names' DNSSEC status and CAA, with
each row's problems and their counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from auditor.model.base import as_date
from auditor.model.results import (
    Finding,
    Obligation,
    ObservedRecord,
    Severity,
    Status,
    SystemResult,
)
from auditor.probe_reasons import reason_in
from auditor.report.views.context import Context, anchor, finding_order
from auditor.report.views.dns_cells import DnsCell, caa_cell, dnssec_cell
from auditor.report.views.values import cut, format_instant, format_value

# The requirement groups whose findings are a row's problems, and the rules behind the
# certificate counts (measured result, so a waiver hides nothing).
CERT_GROUPS: Final = frozenset({"tls", "certificates"})
#: The IPv6 row also shows the name's DNSSEC and CAA (probes/observe_dns.py): their rules too.
IPV6_GROUPS: Final = frozenset({"ipv6", "dns"})
LIVE_GROUPS: Final = CERT_GROUPS | IPV6_GROUPS
_EXPIRING_RULES: Final = frozenset({"CERT-02", "CERT-03"})
#: TLS-03: an endpoint's chain; CERT-08: a certificate file's path to the declared CA bundle.
_UNTRUSTED_RULES: Final = frozenset({"TLS-03", "CERT-08"})
COUNTED_RULES: Final = _EXPIRING_RULES | _UNTRUSTED_RULES
#: CERT-09 (an endpoint's certificate) and CERT-11 (a certificate file): the revocation status;
#: the measured result of the one that applies is the column.
REVOCATION_RULES: Final = frozenset({"CERT-09", "CERT-11"})
# An enum member as a plain constant: looking one up on its class costs a descriptor call, and
# the live tables test every finding of every observed system.
_ADVISORY: Final = Obligation.ADVISORY
_MAX_ISSUER_CHARS: Final = 64
_DN_SEPARATOR: Final = re.compile(r"(?<!\\),")
_KEY_NAMES: Final = {"ed25519": "Ed25519", "ed448": "Ed448", "x25519": "X25519", "x448": "X448"}


@dataclass(frozen=True, slots=True)
class Problem:
    """A non-passing finding on one observed subject, as a row of a live table shows it."""

    rule_id: str
    title: str
    status: str
    status_label: str
    severity: str
    severity_label: str
    advisory: bool


@dataclass(frozen=True, slots=True)
class CertRow:
    """One certificate observed (on an endpoint address or in a file)."""

    system_id: str
    system_anchor: str
    system_name: str
    subject: str  # `host:port [address]` or `file:<path>`
    days_left: int | None
    not_after: dt.date | None
    issuer: str  # the issuer's CN, or a short DN
    key: str  # "EC 256", "RSA 2048", "Ed25519"
    observed_at: str  # when the probe saw it, in the page's conventions; "" for files
    error: str | None  # the whole observation failed: the probe's reason
    problems: tuple[Problem, ...]
    expired: bool
    expiring: bool  # CERT-02 or CERT-03 measured as failed
    untrusted: bool  # TLS-03 (endpoint) or CERT-08 (file) measured as failed
    css: str  # "err" | "bad" | "warn" | ""
    #: CERT-09's or CERT-11's measured status in words ("" when neither was judged)
    revocation: str = ""
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """An observed value of a live table; None when it could not be seen, with the reason."""

    value: bool | int | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Ipv6Row:
    """One declared web endpoint whose IPv6 readiness was observed."""

    system_id: str
    system_anchor: str
    system_name: str
    url: str
    aaaa: str  # the usable AAAA addresses, comma-separated ("" when none)
    ns_with_ipv6: Cell  # number of name servers with a usable AAAA
    ns_answers_ipv6: Cell
    reachable: Cell
    same_site: Cell
    ready: bool
    error: str | None  # the whole observation failed: the probe's reason
    problems: tuple[Problem, ...]
    css: str  # "err" | "bad" | ""
    dnssec: DnsCell  # the name's DNSSEC status (probes/dnssec.py)
    caa: DnsCell  # who may issue for it (RFC 8659), where the CAA set was found


@dataclass(frozen=True, slots=True)
class LiveCounts:
    """What the live probes saw of a set of systems, counted."""

    certificates: int  # certificate rows
    expired: int
    expiring: int  # within the warning window (CERT-02/CERT-03 failed)
    untrusted: int  # TLS-03 or CERT-08 failed
    cert_errors: int  # certificates that could not be observed
    endpoints: int  # web endpoints whose IPv6 readiness could be told
    ready: int  # of those, IPv6-ready
    ipv6_errors: int  # web endpoints whose IPv6 probe failed as a whole
    ready_share: int | None  # whole percent of `endpoints` that are ready; None: none observed


@dataclass(frozen=True, slots=True)
class AgencyLive:
    """An agency's live observation tables: certificates and IPv6 readiness."""

    cert_id: str  # "certificates-<agency>"
    ipv6_id: str  # "ipv6-<agency>"
    certificates: tuple[CertRow, ...]  # errors first, then fewest days left first
    ipv6: tuple[Ipv6Row, ...]  # errors first, then not ready, then ready
    counts: LiveCounts


@dataclass(frozen=True, slots=True)
class LiveRow:
    agency_id: str
    anchor: str
    name: str
    counts: LiveCounts


class LiveTables:
    """Rows of the certificate and IPv6 tables; the problem and issuer texts are made once per
    page (the same few per rule and status, a handful of CAs per province)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.problems: dict[tuple[str, Status, Severity], Problem] = {}
        self.issuers: dict[Any, str] = {}

    def problem(self, finding: Finding) -> Problem:
        """A finding as a live table's problem (shared: the same few per rule and status)."""
        key = (finding.rule_id, finding.status, finding.severity)
        view = self.problems.get(key)
        if view is None:
            ctx = self.ctx
            view = self.problems[key] = Problem(
                rule_id=finding.rule_id,
                title=ctx.title(finding.rule_id),
                status=finding.status.value,
                status_label=ctx.status_labels[finding.status.value],
                severity=finding.severity.value,
                severity_label=ctx.severity_labels[finding.severity.value],
                advisory=finding.obligation is _ADVISORY,
            )
        return view

    def problem_views(self, findings: list[Finding]) -> tuple[Problem, ...]:
        return tuple(self.problem(f) for f in sorted(findings, key=finding_order))

    def issuer(self, issuer: Any) -> str:
        """short_issuer, once per distinct issuer (a province has a handful of CAs)."""
        if not isinstance(issuer, str):
            return ""
        text = self.issuers.get(issuer)
        if text is None:
            text = self.issuers[issuer] = short_issuer(issuer)
        return text

    def cert_row(
        self,
        system: SystemResult,
        record: ObservedRecord,
        findings: list[Finding],
        failed: set[str],
        revocation: Status | None = None,
    ) -> CertRow:
        cert = _mapping(record.values.get("cert"))
        error = record.errors.get("")
        days = cert.get("days_left")
        days_left = days if isinstance(days, int) and not isinstance(days, bool) else None
        expired = cert.get("expired") is True
        expiring = bool(failed & _EXPIRING_RULES)
        untrusted = bool(failed & _UNTRUSTED_RULES)
        problems = () if error is not None else self.problem_views(findings)
        if error is not None:
            css = "err"
        elif expired or untrusted:
            css = "bad"
        elif expiring or any(not p.advisory for p in problems):
            css = "warn"
        else:
            css = ""
        return CertRow(
            system_id=system.id,
            system_anchor=anchor("s", system.id),
            system_name=system.name,
            subject=record.subject,
            days_left=days_left,
            not_after=as_date(cert.get("not_after")),
            issuer=self.issuer(cert.get("issuer")),
            key=key_text(cert.get("key_type"), cert.get("key_bits")),
            observed_at=format_instant(record.values.get("observed_at"), self.ctx.lang),
            error=None if error is None else reason_in(error, self.ctx.lang),
            problems=problems,
            expired=expired,
            expiring=expiring,
            untrusted=untrusted,
            css=css,
            # CERT-09/11's measured result (a waiver hides nothing) in the page's words.
            revocation="" if revocation is None else self.ctx.t[f"revocation_{revocation.value}"],
            revoked=revocation is Status.FAIL,
        )

    def ipv6_row(
        self, system: SystemResult, record: ObservedRecord, findings: list[Finding]
    ) -> Ipv6Row:
        seen = _mapping(record.values.get("ipv6"))
        errors = record.errors
        error = errors.get("ipv6", errors.get(""))

        def cell(key: str) -> Cell:
            value = seen.get(key)
            if isinstance(value, bool | int):
                return Cell(value)
            reason = errors.get(f"ipv6.{key}")
            return Cell(None, None if reason is None else reason_in(reason, self.ctx.lang))

        addresses = seen.get("aaaa")
        aaaa = format_value(list(addresses), self.ctx.lang) if isinstance(addresses, list) else ""
        ready = error is None and seen.get("ready") is True
        dnssec = dnssec_cell(_mapping(record.values.get("dnssec")), errors, self.ctx.lang)
        caa = caa_cell(_mapping(record.values.get("caa")), errors, self.ctx.lang)
        return Ipv6Row(
            system_id=system.id,
            system_anchor=anchor("s", system.id),
            system_name=system.name,
            url=record.subject,
            aaaa=aaaa,
            ns_with_ipv6=cell("ns_with_ipv6"),
            ns_answers_ipv6=cell("ns_reachable_ipv6"),
            reachable=cell("reachable"),
            same_site=cell("same_site"),
            ready=ready,
            error=None if error is None else reason_in(error, self.ctx.lang),
            problems=() if error is not None else self.problem_views(findings),
            css="err" if error is not None else "" if ready else "bad",
            dnssec=dnssec,
            caa=caa,
        )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def ipv6_observed(record: ObservedRecord) -> bool:
    """An endpoint record that carries an IPv6 observation (or the reason there is none)."""
    return (
        "ipv6" in record.values
        or "ipv6" in record.errors
        or "" in record.errors
        or any(key.startswith("ipv6.") for key in record.errors)
    )


def cert_row_order(row: CertRow) -> tuple[int, int, str, str]:
    """Certificates that could not be observed first, then the fewest days left first."""
    if row.error is not None:
        return (0, 0, row.system_id, row.subject)
    if row.days_left is None:
        return (1, 0, row.system_id, row.subject)
    return (2, row.days_left, row.system_id, row.subject)


def ipv6_row_order(row: Ipv6Row) -> tuple[int, str, str]:
    """Endpoints that could not be observed first, then those not ready, then ready ones."""
    rank = 0 if row.error is not None else 2 if row.ready else 1
    return (rank, row.system_id, row.url)


def whole_percent(part: int, whole: int) -> int | None:
    """part/whole in whole percent, half up; never 0 or 100 unless it is none or all."""
    if whole <= 0:
        return None
    share = int(100 * part / whole + 0.5)
    if 0 < part < whole:
        share = min(max(share, 1), 99)
    return share


def live_counts(certs: Sequence[CertRow], ipv6: Sequence[Ipv6Row]) -> LiveCounts:
    observed = [row for row in ipv6 if row.error is None]
    ready = sum(1 for row in observed if row.ready)
    return LiveCounts(
        certificates=len(certs),
        expired=sum(1 for row in certs if row.expired),
        expiring=sum(1 for row in certs if row.expiring),
        untrusted=sum(1 for row in certs if row.untrusted),
        cert_errors=sum(1 for row in certs if row.error is not None),
        endpoints=len(observed),
        ready=ready,
        ipv6_errors=len(ipv6) - len(observed),
        ready_share=whole_percent(ready, len(observed)),
    )


def add_counts(counts: Iterable[LiveCounts]) -> LiveCounts:
    """The sum of several agencies' counts, with the share recomputed from the sums."""
    parts = list(counts)

    def total(name: str) -> int:
        return sum(getattr(c, name) for c in parts)

    endpoints, ready = total("endpoints"), total("ready")
    return LiveCounts(
        certificates=total("certificates"),
        expired=total("expired"),
        expiring=total("expiring"),
        untrusted=total("untrusted"),
        cert_errors=total("cert_errors"),
        endpoints=endpoints,
        ready=ready,
        ipv6_errors=total("ipv6_errors"),
        ready_share=whole_percent(ready, endpoints),
    )


def _unescape_dn(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def short_issuer(issuer: Any) -> str:
    """An issuer DN (RFC 4514) as its CN, else its first two parts, cut to a short length."""
    if not isinstance(issuer, str) or not issuer:
        return ""
    parts = [p.strip() for p in _DN_SEPARATOR.split(issuer) if p.strip()]
    for part in parts:
        name, _, value = part.partition("=")
        if name.strip().upper() == "CN" and value:
            text = _unescape_dn(value)
            break
    else:
        text = ", ".join(_unescape_dn(p) for p in parts[:2])
    return cut(text, _MAX_ISSUER_CHARS)


def key_text(key_type: Any, key_bits: Any) -> str:
    """'EC 256', 'RSA 2048', 'Ed25519' (its size is in its name); '' when unknown."""
    if not isinstance(key_type, str) or not key_type or key_type == "unknown":
        return ""
    if key_type in _KEY_NAMES:
        return _KEY_NAMES[key_type]
    name = key_type.upper()
    if isinstance(key_bits, int) and not isinstance(key_bits, bool):
        return f"{name} {key_bits}"
    return name
