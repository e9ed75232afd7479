"""View models of the HTML report: everything the templates show, already counted and sorted.

Pure: (AuditRun, Catalog, lang) → Page. All counting, sorting, grouping and translation of
codes happens here; the templates only lay the result out (design.md: templates only
present). Numbers and dates stay typed and are formatted by the filters in the template.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Final

from auditor.model.base import as_date
from auditor.model.inventory import Regime
from auditor.model.results import (
    AttestationRecord,
    AttestationStatus,
    AuditRun,
    Finding,
    LevelResult,
    Obligation,
    ObservedRecord,
    Origin,
    Severity,
    Status,
    Summary,
    SystemResult,
    WaiverNote,
)
from auditor.report import filters, labels
from auditor.report.level_groups import undecided_groups
from auditor.rules import Catalog, Rule
from auditor.scoring import gate_blocking

LEVELS: Final = (1, 2, 3, 4, 5)
# Above this many systems a page is condensed: a system lists the rule ids it does not meet by
# status and severity; titles, legal basis and remediation are given once per rule in the
# requirements list, and the JSON has every message and piece of evidence. A full page costs
# tens of kilobytes per system; a condensed one about two, so 10,000 systems stay loadable.
FULL_DETAIL_MAX_SYSTEMS: Final = 100
TOP_GAPS: Final = 10
_MAX_VALUE_CHARS: Final = 240
_MAX_LIST_ITEMS: Final = 12

_OPEN: Final = frozenset({Status.FAIL, Status.ERROR})
_COMPACT: Final = frozenset({Status.PASS, Status.NOT_APPLICABLE})
_STATUS_ORDER: Final = {
    Status.FAIL: 0,
    Status.ERROR: 1,
    Status.MANUAL: 2,
    Status.WAIVED: 3,
    Status.PASS: 4,
    Status.NOT_APPLICABLE: 5,
}
_COUNT_ORDER: Final = (
    ("pass", "passed"),
    ("fail", "failed"),
    ("manual", "manual"),
    ("error", "error"),
    ("waived", "waived"),
    ("not_applicable", "not_applicable"),
)
_SEVERITIES: Final = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))
_ISO_IN_PARENS: Final = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")
_VIA_DEFAULTS: Final = re.compile(r"^(organisation|agency) defaults \((.*)\)$")
# Keys of structured evidence values (an attestation) shown in the page's words.
_LABELLED_KEYS: Final = frozenset({"document", "date", "attested_by", "valid_until"})
# Live observation tables: the requirement groups whose findings are a row's problems, and
# the rules behind the certificate counts (measured result, so a waiver hides nothing).
_CERT_GROUPS: Final = frozenset({"tls", "certificates"})
_IPV6_GROUPS: Final = frozenset({"ipv6"})
_LIVE_GROUPS: Final = _CERT_GROUPS | _IPV6_GROUPS
_EXPIRING_RULES: Final = frozenset({"CERT-02", "CERT-03"})
_UNTRUSTED_RULES: Final = frozenset({"TLS-03"})
_COUNTED_RULES: Final = _EXPIRING_RULES | _UNTRUSTED_RULES
# Enum members as plain constants: looking one up on its class costs a descriptor call, and
# the live tables test every finding of every observed system.
_FAIL: Final = Status.FAIL
_WAIVED: Final = Status.WAIVED
_ADVISORY: Final = Obligation.ADVISORY
# Port scan (auditor scan, audit --live --scan, --scan-results): the collections of
# auditor/scan/observe.py and the rules of checklists/exposure.yaml that mark a port. Their
# group, "network", is shared with attested rules: they are told apart by rule id.
_PORT_COLLECTIONS: Final = frozenset({"open_ports", "expected_ports"})
_NETWORK: Final = "network"
_UNDECLARED_RULE: Final = "NET-01"
_RISKY_RULE: Final = "NET-02"
_SILENT_RULE: Final = "NET-03"
_IPV6_ONLY_RULE: Final = "NET-04"
_OUTDATED_RULE: Final = "NET-05"
_PORT_RULES: Final = frozenset(
    {_UNDECLARED_RULE, _RISKY_RULE, _SILENT_RULE, _IPV6_ONLY_RULE, _OUTDATED_RULE}
)
_MAX_BANNER_CHARS: Final = 80
_FAMILIES: Final = {"ipv4": "IPv4", "ipv6": "IPv6"}
_MAX_ISSUER_CHARS: Final = 64
_DN_SEPARATOR: Final = re.compile(r"(?<!\\),")
_KEY_NAMES: Final = {"ed25519": "Ed25519", "ed448": "Ed448", "x25519": "X25519", "x448": "X448"}


# ------------------------------------------------------------------------------------------
# View models
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Count:
    code: str
    label: str
    n: int


@dataclass(frozen=True, slots=True)
class SummaryView:
    score: float | None
    earned: int
    possible: int
    score_without_waivers: float | None
    earned_without_waivers: int
    possible_without_waivers: int
    statuses: tuple[Count, ...]  # pass, fail, manual, error, waived, not_applicable
    severities: tuple[Count, ...]  # open, non-advisory findings; critical first
    findings: int
    failed: int
    manual: int
    error: int
    waived: int
    critical_high: int
    expired_waivers: int


@dataclass(frozen=True, slots=True)
class EvidenceView:
    fact: str
    value: str
    origin: str


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding that needs attention (fail, error, manual, waived), with everything to act."""

    rule_id: str
    subject: str | None
    title: str
    status: str
    status_label: str
    measured_label: str | None  # what was measured, when a waiver changed the status
    severity: str
    severity_label: str
    message: str
    evidence: tuple[EvidenceView, ...]
    reference: str
    remediation: str
    waiver: WaiverNote | None
    gate: bool
    unverified: bool = False  # its rule rests on a source not checked against the text (U)


@dataclass(frozen=True, slots=True)
class CompactFinding:
    """A passed or not-applicable finding: listed by rule id and title only."""

    rule_id: str
    subject: str | None
    title: str
    status: str
    status_label: str


@dataclass(frozen=True, slots=True)
class CompactLine:
    """Rule ids of one status (and severity) on one line, for condensed pages."""

    status: str
    label: str
    severity: str | None
    severity_label: str | None
    n: int
    rule_ids: str


@dataclass(frozen=True, slots=True)
class GroupView:
    code: str
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True, slots=True)
class FindingsView:
    groups: tuple[GroupView, ...]  # non-passing findings by requirement group (full pages)
    compact: tuple[CompactFinding, ...]  # passed and not applicable, by rule id (full pages)
    open_lines: tuple[CompactLine, ...]  # non-passing rule ids by status and severity
    compact_lines: tuple[CompactLine, ...]  # passed / not-applicable rule ids by status
    open: int  # non-passing findings


@dataclass(frozen=True, slots=True)
class CriterionView:
    id: str
    level: int
    reference: str
    component: str | None


@dataclass(frozen=True, slots=True)
class RegimeLevel:
    code: str
    label: str
    level: int  # what the declared facts prove
    governing: bool
    criteria: tuple[CriterionView, ...]  # the criteria that decide the level
    upper: int = 0  # how high undeclared facts could still take it (= level when proven)
    also_met: tuple[CriterionView, ...] = ()  # proven, below the level: decide nothing
    undecided: tuple[str, ...] = ()  # "up to 5 depending on state_secret_harm (nd85.9.1, …)"


@dataclass(frozen=True, slots=True)
class LevelView:
    declared: int | None
    approved: int | None
    effective: int
    regimes: tuple[RegimeLevel, ...]
    governing_label: str
    reason: str
    under_declared: bool  # declared below the governing regime's computed minimum


@dataclass(frozen=True, slots=True)
class WaiverRow:
    rule_id: str
    title: str
    subject: str | None
    status_label: str
    measured_label: str
    waiver: WaiverNote


@dataclass(frozen=True, slots=True)
class AttestationView:
    """One declared attestation (used or not) with its validity at the audit date."""

    rule_id: str
    document: str
    date: dt.date | None
    attested_by: str
    valid_until: dt.date | None
    expired: bool  # lapsed at the audit date: the row is marked
    status: str  # valid | lapsed | not_yet_effective | unused
    status_label: str
    use: str  # the findings that read it, or why none did
    origin: str  # file:line of the attestation
    known: bool  # it names a rule of the catalog (linked to the requirement)


@dataclass(frozen=True, slots=True)
class SystemSection:
    id: str
    anchor: str
    name: str
    agency_id: str
    agency_name: str
    lifecycle: str
    system_type: str
    level: LevelView
    summary: SummaryView
    failing: bool  # at least one failed or errored finding
    blocked: bool  # may not go live
    css: str  # filter classes: "sys l3 f b"
    findings: FindingsView
    waivers: tuple[WaiverRow, ...]
    attestations: tuple[AttestationView, ...]


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
    untrusted: bool  # TLS-03 measured as failed
    css: str  # "err" | "bad" | "warn" | ""


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


@dataclass(frozen=True, slots=True)
class LiveCounts:
    """What the live probes saw of a set of systems, counted."""

    certificates: int  # certificate rows
    expired: int
    expiring: int  # within the warning window (CERT-02/CERT-03 failed)
    untrusted: int  # TLS-03 failed
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


@dataclass(frozen=True, slots=True)
class PortMark:
    """A mark or badge on an open port, with the rule behind it (None: no rule failed)."""

    code: str  # risky | undeclared | expected | unjudged | ipv6_only | outdated | waived
    label: str
    rule_id: str | None


@dataclass(frozen=True, slots=True)
class OpenPort:
    """One open port of an address, marked by the measured status of the NET-* findings."""

    port: int
    protocol: str
    service: str  # nmap's service name, "ssl/http" when tunnelled; "" when unknown
    product: str  # product and version as nmap identified them; "" when unknown
    mark: PortMark  # risky (NET-02) > undeclared (NET-01) > expected (declared) > unjudged
    badges: tuple[PortMark, ...]  # ipv6_only (NET-04), outdated (NET-05), waived
    risky: bool
    undeclared: bool  # NET-01 measured as failed (also on a risky port)
    ipv6_only: bool
    outdated: bool  # advisory
    waived: bool  # a waiver in force covers one of its NET-* findings (the mark still shows)


@dataclass(frozen=True, slots=True)
class DeclaredPort:
    """A port the inventory declares (expected_ports) that did not answer the scan."""

    port: int
    protocol: str
    state: str  # what nmap saw: "closed", "filtered", "closed or filtered"
    waived: bool


@dataclass(frozen=True, slots=True)
class PortHostRow:
    """One scanned address of one system: its open ports and its silent declared ports."""

    system_id: str
    system_anchor: str
    system_name: str
    host: str | None  # the inventory's host name; None: an address found in a declared network
    address: str
    family: str  # "IPv4" | "IPv6" | ""
    ports: tuple[OpenPort, ...]  # port number ascending
    not_answering: tuple[DeclaredPort, ...]  # NET-03 measured as failed
    not_covered: tuple[str, ...]  # declared ports outside the scan's port list ("8443/tcp")
    error: str | None  # the address could not be scanned: the reason
    css: str  # "err" | "bad" | "warn" | ""


@dataclass(frozen=True, slots=True)
class PortCounts:
    """What the port scan saw of a set of systems, counted. Every open port has exactly one
    mark: open == risky + undeclared + expected + unjudged."""

    addresses: int  # addresses scanned (rows without an error)
    open: int  # open ports on them
    risky: int  # NET-02 failed
    undeclared: int  # NET-01 failed and not risky
    expected: int  # declared and not risky
    ipv6_only: int  # NET-04 failed: open over IPv6, closed over IPv4
    outdated: int  # NET-05 failed (advisory)
    not_answering: int  # declared ports that did not answer (NET-03 failed)
    not_scanned: int  # addresses that could not be scanned

    @property
    def unjudged(self) -> int:
        return self.open - self.risky - self.undeclared - self.expected


@dataclass(frozen=True, slots=True)
class AgencyPorts:
    """An agency's open-ports table (section "ports-<agency>")."""

    id: str
    rows: tuple[PortHostRow, ...]  # risky first, then undeclared, then the rest
    counts: PortCounts


@dataclass(frozen=True, slots=True)
class PortsRow:
    agency_id: str
    anchor: str  # the agency's ports section
    name: str
    counts: PortCounts


@dataclass(frozen=True, slots=True)
class AgencySection:
    id: str
    anchor: str
    name: str
    summary: SummaryView
    blocked: int
    findings: FindingsView
    waivers: tuple[WaiverRow, ...]
    attestations: tuple[AttestationView, ...]
    systems: tuple[SystemSection, ...]
    live: AgencyLive
    ports: AgencyPorts


@dataclass(frozen=True, slots=True)
class LevelRow:
    agency_id: str
    anchor: str
    name: str
    counts: tuple[int, ...]  # systems at effective level 1..5
    total: int


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: str
    anchor: str
    name: str
    systems: int
    blocked: int
    summary: SummaryView


@dataclass(frozen=True, slots=True)
class RuleRef:
    rule_id: str
    title: str
    status_label: str


@dataclass(frozen=True, slots=True)
class BlockedSystem:
    id: str
    anchor: str
    name: str
    agency_name: str
    level: int
    lifecycle: str
    rules: tuple[RuleRef, ...]
    rule_ids: str  # the same ids on one line, for condensed pages


@dataclass(frozen=True, slots=True)
class Gap:
    rule_id: str
    title: str
    severity_label: str
    systems: int
    share: float  # percentage of all systems


@dataclass(frozen=True, slots=True)
class ExpiredWaiver:
    owner_kind: str
    owner_id: str
    owner_name: str
    anchor: str
    rule_id: str
    title: str
    decision: str
    approver: str
    expires: dt.date
    measured_label: str


@dataclass(frozen=True, slots=True)
class Overview:
    summary: SummaryView
    systems: int
    blocked: int
    level_rows: tuple[LevelRow, ...]
    level_totals: tuple[int, ...]
    agency_rows: tuple[AgencyRow, ...]
    gate_blocked: tuple[BlockedSystem, ...]
    frequent_gaps: tuple[Gap, ...]
    expired_waivers: tuple[ExpiredWaiver, ...]
    live: LiveCounts  # the whole province (all zero when the run was not live)
    live_rows: tuple[LiveRow, ...]  # per agency
    ports: PortCounts  # the whole province (all zero without a port scan)
    port_rows: tuple[PortsRow, ...]  # per agency
    unverified: int = 0  # open findings (fail, error, manual) of rules with confidence U
    unverified_rules: tuple[str, ...] = ()  # those rules' ids


@dataclass(frozen=True, slots=True)
class ReferenceView:
    regime: str  # the regime's name, or "" when it applies under both
    text: str


@dataclass(frozen=True, slots=True)
class RequirementView:
    id: str
    anchor: str
    title: str
    group: str
    severity: str
    obligation: str
    levels: str
    gate: bool
    references: tuple[ReferenceView, ...]
    remediation: str
    failing: int  # systems on which it fails or errs


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    title: str
    organisation_id: str
    as_of: dt.date
    tool_version: str
    rules: int
    inputs: tuple[str, ...]
    score_method: str
    overview: Overview
    organisation_findings: FindingsView
    organisation_attestations: tuple[AttestationView, ...]
    agencies: tuple[AgencySection, ...]
    requirements: tuple[RequirementView, ...]
    status_names: Mapping[str, str]  # status code → label, for column headings
    full: bool  # every finding in full; False: condensed (see FULL_DETAIL_MAX_SYSTEMS)
    live: bool  # the run probed endpoints and certificates (auditor audit --live)
    observed_at: str  # when the probes ran, in the page's conventions; "" when not live
    scanned: bool  # port-scan records exist (a live scan or an imported one)
    levels: tuple[int, ...] = LEVELS


# ------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------


def anchor(kind: str, ident: str) -> str:
    """Fragment id of a section: s-<system>, a-<agency>, r-<rule>."""
    return f"{kind}-{ident}"


class _Builder:
    def __init__(self, run: AuditRun, catalog: Catalog, lang: str, full: bool) -> None:
        self.run = run
        self.lang = lang
        self.full = full
        self.t = labels.ui(lang)
        self.rules: dict[str, Rule] = {r.id: r for r in catalog}
        self.titles: dict[str, str] = {r.id: r.title.get(lang) for r in catalog}
        self.status_labels = {s.value: labels.status(s.value, lang) for s in Status}
        self.severity_labels = {s.value: labels.severity(s.value, lang) for s in Severity}
        self.references: dict[tuple[str, str | None, int | None], str] = {}
        self.origins: dict[Origin, str] = {}
        self.problems: dict[tuple[str, Status, Severity], Problem] = {}
        self.issuers: dict[Any, str] = {}
        self.marks: dict[str, PortMark] = {}

    # -- small pieces ----------------------------------------------------------------------

    def title(self, rule_id: str) -> str:
        return self.titles.get(rule_id, rule_id)

    def reference(self, rule_id: str, regime: str | None, level: int | None = None) -> str:
        key = (rule_id, regime, level)
        text = self.references.get(key)
        if text is None:
            rule = self.rules.get(rule_id)
            text = (
                ""
                if rule is None
                else rule.reference_text(Regime(regime) if regime else None, level)
            )
            self.references[key] = text
        return text

    def unverified(self, rule_id: str) -> bool:
        rule = self.rules.get(rule_id)
        return rule is not None and rule.confidence == "U"

    def remediation(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        return "" if rule is None else rule.remediation.get(self.lang)

    def decision(self, text: str) -> str:
        if self.lang == "vi":
            return _ISO_IN_PARENS.sub(r"(\3/\2/\1)", text)
        return text

    def origin(self, origin: Origin) -> str:
        text = self.origins.get(origin)
        if text is None:
            text = self.origins[origin] = format_origin(origin, self.lang)
        return text

    def summary(self, summary: Summary) -> SummaryView:
        return summary_view(summary, self.lang)

    # -- findings --------------------------------------------------------------------------

    def waiver(self, finding: Finding) -> WaiverNote | None:
        note = finding.waiver
        if note is None:
            return None
        return replace(note, decision=self.decision(note.decision))

    def finding(
        self, finding: Finding, regime: str | None, level: int | None = None
    ) -> FindingView:
        status = finding.status.value
        measured = finding.measured_status.value
        return FindingView(
            rule_id=finding.rule_id,
            subject=finding.subject,
            title=self.title(finding.rule_id),
            status=status,
            status_label=self.status_labels[status],
            measured_label=self.status_labels[measured] if measured != status else None,
            severity=finding.severity.value,
            severity_label=self.severity_labels[finding.severity.value],
            message=finding.message.en if self.lang == "en" else finding.message.vi,
            evidence=tuple(
                EvidenceView(e.fact, format_value(e.value, self.lang), self.origin(e.origin))
                for e in finding.evidence
            ),
            reference=self.reference(finding.rule_id, regime, level),
            remediation=self.remediation(finding.rule_id),
            waiver=self.waiver(finding),
            gate=finding.gate,
            unverified=self.unverified(finding.rule_id),
        )

    def findings(
        self, findings: Sequence[Finding], regime: str | None, level: int | None = None
    ) -> FindingsView:
        full: dict[str, list[Finding]] = {}
        passed: list[Finding] = []
        for finding in findings:
            if finding.status in _COMPACT:
                passed.append(finding)
            else:
                full.setdefault(finding.group, []).append(finding)
        passed.sort(key=lambda f: (f.rule_id, f.subject or "", _STATUS_ORDER[f.status]))
        open_findings = sorted((f for group in full.values() for f in group), key=line_order)
        open_lines = self.lines(open_findings, by_severity=True)
        compact_lines = self.lines(
            sorted(passed, key=lambda f: (_STATUS_ORDER[f.status], f.rule_id, f.subject or "")),
            by_severity=False,
        )
        if not self.full:
            # Condensed pages name the failed rules but only count the items awaiting an
            # attestation: they are the same few dozen ids on every system, and listing them
            # would put a 10,000-system page over its size budget (all of it is in the JSON).
            open_lines = tuple(
                replace(line, rule_ids="") if line.status == "manual" else line
                for line in open_lines
            )
            return FindingsView((), (), open_lines, compact_lines, len(open_findings))
        groups = tuple(
            GroupView(
                code=code,
                label=labels.group(code, self.lang),
                findings=tuple(
                    self.finding(f, regime, level) for f in sorted(full[code], key=finding_order)
                ),
            )
            for code in sorted(full, key=group_order)
        )
        compact = tuple(
            CompactFinding(
                rule_id=f.rule_id,
                subject=f.subject,
                title=self.title(f.rule_id),
                status=f.status.value,
                status_label=self.status_labels[f.status.value],
            )
            for f in passed
        )
        return FindingsView(groups, compact, open_lines, compact_lines, len(open_findings))

    def lines(self, ordered: Sequence[Finding], by_severity: bool) -> tuple[CompactLine, ...]:
        """Consecutive findings of one status (and severity) as one line of rule ids."""
        lines: list[CompactLine] = []
        start = 0
        for index in range(1, len(ordered) + 1):
            first = ordered[start]
            if index < len(ordered):
                current = ordered[index]
                same = current.status is first.status and (
                    not by_severity or current.severity is first.severity
                )
                if same:
                    continue
            chunk = ordered[start:index]
            lines.append(
                CompactLine(
                    status=first.status.value,
                    label=self.status_labels[first.status.value],
                    severity=first.severity.value if by_severity else None,
                    severity_label=(
                        self.severity_labels[first.severity.value] if by_severity else None
                    ),
                    n=len(chunk),
                    rule_ids=", ".join(
                        f.rule_id
                        + (" (U)" if self.unverified(f.rule_id) else "")
                        + (f" [{f.subject}]" if f.subject else "")
                        for f in chunk
                    ),
                )
            )
            start = index
        return tuple(lines)

    # -- systems ---------------------------------------------------------------------------

    def level(self, level: LevelResult) -> LevelView:
        governing = level.governing_regime
        regimes = tuple(
            self._regime_level(level, code, code == governing)
            for code in sorted(level.computed, key=_regime_order)
        )
        computed = level.computed.get(governing)
        return LevelView(
            declared=level.declared,
            approved=level.approved,
            effective=level.effective,
            regimes=regimes,
            governing_label=labels.regime(governing, self.lang),
            reason=level.regime_reason.en if self.lang == "en" else level.regime_reason.vi,
            under_declared=(
                level.declared is not None and computed is not None and level.declared < computed
            ),
        )

    def _regime_level(self, level: LevelResult, code: str, governing: bool) -> RegimeLevel:
        low = level.computed[code]
        ordered = sorted(level.criteria.get(code, ()), key=lambda c: (-c.level, c.id))
        template = labels.ui(self.lang)["level_undecided"]
        return RegimeLevel(
            code=code,
            label=labels.regime(code, self.lang),
            level=low,
            governing=governing,
            criteria=tuple(
                CriterionView(c.id, c.level, c.reference, c.component)
                for c in ordered
                if c.level == low
            ),
            upper=level.upper.get(code, low),
            also_met=tuple(
                CriterionView(c.id, c.level, c.reference, c.component)
                for c in ordered
                if c.level < low
            ),
            undecided=tuple(
                template.format(level=top, facts=facts, ids=", ".join(ids))
                for top, facts, ids in undecided_groups(level.undecided.get(code, ()))
            ),
        )

    def waiver_rows(self, findings: Iterable[Finding]) -> tuple[WaiverRow, ...]:
        rows = []
        for finding in sorted(findings, key=lambda f: (f.rule_id, f.subject or "")):
            waiver = self.waiver(finding)
            if waiver is None:
                continue
            rows.append(
                WaiverRow(
                    rule_id=finding.rule_id,
                    title=self.title(finding.rule_id),
                    subject=finding.subject,
                    status_label=self.status_labels[finding.status.value],
                    measured_label=self.status_labels[finding.measured_status.value],
                    waiver=waiver,
                )
            )
        return tuple(rows)

    def attestations(self, records: Iterable[AttestationRecord]) -> tuple[AttestationView, ...]:
        """Every attestation declared, in the inventory's order, lapsed ones marked."""
        return tuple(
            attestation_view(record, self.lang, record.rule in self.rules) for record in records
        )

    def system(self, system: SystemResult, agency_name: str) -> SystemSection:
        failing = any(f.status in _OPEN for f in system.findings)
        blocked = system.summary.gate_blocked
        css = (
            f"sys l{system.level.effective}" + (" f" if failing else "") + (" b" if blocked else "")
        )
        return SystemSection(
            id=system.id,
            anchor=anchor("s", system.id),
            name=system.name,
            agency_id=system.agency,
            agency_name=agency_name,
            lifecycle=labels.lifecycle(system.lifecycle, self.lang),
            system_type=labels.system_type(system.system_type, self.lang),
            level=self.level(system.level),
            summary=self.summary(system.summary),
            failing=failing,
            blocked=blocked,
            css=css,
            findings=self.findings(
                system.findings, system.level.governing_regime, system.level.effective
            ),
            waivers=self.waiver_rows(system.findings),
            attestations=self.attestations(system.attestations),
        )

    # -- live observation ------------------------------------------------------------------

    def problem(self, finding: Finding) -> Problem:
        """A finding as a live table's problem (shared: the same few per rule and status)."""
        key = (finding.rule_id, finding.status, finding.severity)
        view = self.problems.get(key)
        if view is None:
            view = self.problems[key] = Problem(
                rule_id=finding.rule_id,
                title=self.title(finding.rule_id),
                status=finding.status.value,
                status_label=self.status_labels[finding.status.value],
                severity=finding.severity.value,
                severity_label=self.severity_labels[finding.severity.value],
                advisory=finding.obligation is _ADVISORY,
            )
        return view

    def agency_observed(
        self, agency_id: str, systems: Sequence[SystemResult]
    ) -> tuple[AgencyLive, AgencyPorts]:
        """An agency's live tables (certificates, IPv6) and its open-ports table."""
        certs: list[CertRow] = []
        ipv6: list[Ipv6Row] = []
        ports: list[PortHostRow] = []
        live = self.run.run.live
        for system in systems:
            if system.observed:
                self.system_observed(system, live, certs, ipv6, ports)
        certs.sort(key=cert_row_order)
        ipv6.sort(key=ipv6_row_order)
        ports.sort(key=port_row_order)
        agency_live = AgencyLive(
            cert_id=anchor("certificates", agency_id),
            ipv6_id=anchor("ipv6", agency_id),
            certificates=tuple(certs),
            ipv6=tuple(ipv6),
            counts=live_counts(certs, ipv6),
        )
        return agency_live, AgencyPorts(
            anchor("ports", agency_id), tuple(ports), port_counts(ports)
        )

    def system_observed(
        self,
        system: SystemResult,
        live: bool,
        certs: list[CertRow],
        ipv6: list[Ipv6Row],
        ports: list[PortHostRow],
    ) -> None:
        """The rows of one system's observations. Its findings are indexed once, by (group,
        subject) for the live tables and by subject and rule for the port scan, so the work
        per record is bounded by the rules judging that record."""
        scanned = any(r.collection in _PORT_COLLECTIONS for r in system.observed)
        if not live and not scanned:
            return
        open_by: dict[tuple[str, str], list[Finding]] = {}
        failed: dict[str, set[str]] = {}  # subject → counted rules measured as failed
        net: dict[str, dict[str, Finding]] = {}  # subject → NET-* rule id → finding
        for finding in system.findings:
            subject = finding.subject
            if subject is None:
                continue
            group = finding.group
            if group in _LIVE_GROUPS:
                if not live:
                    continue
                if finding.measured_status is _FAIL and finding.rule_id in _COUNTED_RULES:
                    failed.setdefault(subject, set()).add(finding.rule_id)
                if finding.status not in _COMPACT:
                    open_by.setdefault((group, subject), []).append(finding)
            elif group == _NETWORK and scanned and finding.rule_id in _PORT_RULES:
                net.setdefault(subject, {})[finding.rule_id] = finding
        if live:
            for record in system.observed:
                if record.collection == "certs":
                    found = [f for g in _CERT_GROUPS for f in open_by.get((g, record.subject), ())]
                    certs.append(
                        self.cert_row(system, record, found, failed.get(record.subject, set()))
                    )
                elif record.collection == "endpoints" and _ipv6_observed(record):
                    found = [f for g in _IPV6_GROUPS for f in open_by.get((g, record.subject), ())]
                    ipv6.append(self.ipv6_row(system, record, found))
        if scanned:
            self.port_rows(system, net, ports)

    # -- port scan -------------------------------------------------------------------------

    def mark(self, code: str, rule_id: str | None) -> PortMark:
        """A port mark in the page's words (shared: a handful per page)."""
        view = self.marks.get(code)
        if view is None:
            view = self.marks[code] = PortMark(code, self.t[f"port_{code}"], rule_id)
        return view

    def port_rows(
        self,
        system: SystemResult,
        net: Mapping[str, Mapping[str, Finding]],
        rows: list[PortHostRow],
    ) -> None:
        """One row per scanned address of the system (per host name that declares it)."""
        hosts: dict[tuple[str | None, str], _HostPorts] = {}
        empty: Mapping[str, Finding] = {}
        for record in system.observed:
            collection = record.collection
            if collection not in _PORT_COLLECTIONS:
                continue
            values = record.values
            host = _text(values.get("host")) or None
            address = _text(values.get("address")) or record.subject
            acc = hosts.get((host, address))
            if acc is None:
                family = _text(values.get("family"))
                acc = hosts[(host, address)] = _HostPorts(_FAMILIES.get(family, family))
            error = record.errors.get("")
            if error is not None:
                acc.error = error
                continue
            found = net.get(record.subject, empty)
            port, protocol = _port_number(values.get("port")), _text(values.get("protocol"))
            if collection == "open_ports":
                acc.ports[(port, protocol)] = self.open_port(port, protocol, values, found)
            elif "open" in record.errors:
                acc.not_covered.add(f"{port}/{protocol}")
            else:
                silent = found.get(_SILENT_RULE)
                if silent is not None and silent.measured_status is _FAIL:
                    acc.not_answering[(port, protocol)] = DeclaredPort(
                        port, protocol, _text(values.get("state")), silent.status is _WAIVED
                    )
        for (host, address), acc in hosts.items():
            open_ports = tuple(acc.ports[key] for key in sorted(acc.ports))
            silent_ports = tuple(acc.not_answering[key] for key in sorted(acc.not_answering))
            if acc.error is not None:
                css = "err"
            elif any(p.risky or p.undeclared or p.ipv6_only for p in open_ports):
                css = "bad"
            elif silent_ports:
                css = "warn"
            else:
                css = ""
            rows.append(
                PortHostRow(
                    system_id=system.id,
                    system_anchor=anchor("s", system.id),
                    system_name=system.name,
                    host=host,
                    address=address,
                    family=acc.family,
                    ports=open_ports,
                    not_answering=silent_ports,
                    not_covered=tuple(sorted(acc.not_covered, key=_port_key)),
                    error=acc.error,
                    css=css,
                )
            )

    def open_port(
        self, port: int, protocol: str, values: Mapping[str, Any], found: Mapping[str, Finding]
    ) -> OpenPort:
        """An open port marked by what the NET-* rules measured (a waiver hides nothing)."""

        def failed(rule_id: str) -> bool:
            finding = found.get(rule_id)
            return finding is not None and finding.measured_status is _FAIL

        risky, undeclared = failed(_RISKY_RULE), failed(_UNDECLARED_RULE)
        ipv6_only, outdated = failed(_IPV6_ONLY_RULE), failed(_OUTDATED_RULE)
        waived = any(f.status is _WAIVED for rule_id, f in found.items() if rule_id != _SILENT_RULE)
        if risky:
            mark = self.mark("risky", _RISKY_RULE)
        elif undeclared:
            mark = self.mark("undeclared", _UNDECLARED_RULE)
        elif values.get("declared") is True:
            mark = self.mark("expected", None)
        else:
            mark = self.mark("unjudged", None)
        badges = []
        if ipv6_only:
            badges.append(self.mark("ipv6_only", _IPV6_ONLY_RULE))
        if outdated:
            badges.append(self.mark("outdated", _OUTDATED_RULE))
        if waived:
            badges.append(self.mark("waived", None))
        service, tunnel = _text(values.get("service")), _text(values.get("tunnel"))
        if tunnel:
            service = f"{tunnel}/{service}" if service else tunnel
        banner = (_text(values.get("product")), _text(values.get("version")))
        product = " ".join(part for part in banner if part)
        return OpenPort(
            port=port,
            protocol=protocol,
            service=_cut(service, _MAX_BANNER_CHARS),
            product=_cut(product, _MAX_BANNER_CHARS),
            mark=mark,
            badges=tuple(badges),
            risky=risky,
            undeclared=undeclared,
            ipv6_only=ipv6_only,
            outdated=outdated,
            waived=waived,
        )

    def issuer(self, issuer: Any) -> str:
        """short_issuer, once per distinct issuer (a province has a handful of CAs)."""
        if not isinstance(issuer, str):
            return ""
        text = self.issuers.get(issuer)
        if text is None:
            text = self.issuers[issuer] = short_issuer(issuer)
        return text

    def problem_views(self, findings: list[Finding]) -> tuple[Problem, ...]:
        return tuple(self.problem(f) for f in sorted(findings, key=finding_order))

    def cert_row(
        self,
        system: SystemResult,
        record: ObservedRecord,
        findings: list[Finding],
        failed: set[str],
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
            observed_at=self.instant(record.values.get("observed_at")),
            error=error,
            problems=problems,
            expired=expired,
            expiring=expiring,
            untrusted=untrusted,
            css=css,
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
            return Cell(None, errors.get(f"ipv6.{key}"))

        addresses = seen.get("aaaa")
        aaaa = format_value(list(addresses), self.lang) if isinstance(addresses, list) else ""
        ready = error is None and seen.get("ready") is True
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
            error=error,
            problems=() if error is not None else self.problem_views(findings),
            css="err" if error is not None else "" if ready else "bad",
        )

    def observed_at(self) -> str:
        text = self.run.run.observed_at
        if not self.run.run.live or not text:
            return ""
        return self.instant(text)

    def instant(self, text: Any) -> str:
        """An ISO timestamp in the page's conventions (UTC marked); "" when there is none."""
        if not isinstance(text, str) or not text:
            return ""
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
        shown = format_value(when, self.lang)
        offset = when.utcoffset()
        return f"{shown} UTC" if offset is not None and not offset else shown

    # -- the whole -------------------------------------------------------------------------

    def page(self) -> Page:
        run = self.run
        by_agency: dict[str, list[SystemResult]] = {}
        for system in run.systems:
            by_agency.setdefault(system.agency, []).append(system)
        sections = []
        for agency in run.agencies:
            systems = by_agency.get(agency.id, ())
            live, ports = self.agency_observed(agency.id, systems)
            sections.append(
                AgencySection(
                    id=agency.id,
                    anchor=anchor("a", agency.id),
                    name=agency.name,
                    summary=self.summary(agency.summary),
                    blocked=sum(1 for s in systems if s.summary.gate_blocked),
                    findings=self.findings(agency.findings, None),
                    waivers=self.waiver_rows(agency.findings),
                    attestations=self.attestations(agency.attestations),
                    systems=tuple(self.system(s, agency.name) for s in systems),
                    live=live,
                    ports=ports,
                )
            )
        agencies = tuple(sections)
        failing = failing_systems(run.systems)
        method = run.run.score_method
        return Page(
            lang=self.lang,
            title=run.organisation.name,
            organisation_id=run.organisation.id,
            as_of=run.run.as_of,
            tool_version=run.run.tool_version,
            rules=run.run.rules,
            inputs=tuple(i.path for i in run.run.inputs if i.kind == "inventory"),
            score_method="" if method is None else (method.en if self.lang == "en" else method.vi),
            overview=self.overview(agencies, failing),
            organisation_findings=self.findings(run.organisation.findings, None),
            organisation_attestations=self.attestations(run.organisation.attestations),
            agencies=agencies,
            requirements=tuple(self.requirement(rule, failing) for rule in self.rules.values()),
            status_names=MappingProxyType(self.status_labels),
            full=self.full,
            live=run.run.live,
            observed_at=self.observed_at(),
            scanned=any(a.ports.rows for a in agencies),
        )

    def overview(self, agencies: Sequence[AgencySection], failing: Mapping[str, int]) -> Overview:
        run = self.run
        names = {a.id: a.name for a in run.agencies}
        level_rows = tuple(
            LevelRow(
                agency_id=a.id,
                anchor=a.anchor,
                name=a.name,
                counts=tuple(sum(1 for s in a.systems if s.level.effective == n) for n in LEVELS),
                total=len(a.systems),
            )
            for a in agencies
        )
        blocked = tuple(
            self.blocked(s, names.get(s.agency, s.agency))
            for s in run.systems
            if s.summary.gate_blocked
        )
        return Overview(
            summary=self.summary(run.summary),
            systems=len(run.systems),
            blocked=len(blocked),
            level_rows=level_rows,
            level_totals=tuple(sum(r.counts[i] for r in level_rows) for i in range(len(LEVELS))),
            agency_rows=tuple(
                AgencyRow(a.id, a.anchor, a.name, len(a.systems), a.blocked, a.summary)
                for a in agencies
            ),
            gate_blocked=blocked,
            frequent_gaps=self.gaps(failing, len(run.systems)),
            expired_waivers=self.expired_waivers(),
            live=add_counts(a.live.counts for a in agencies),
            live_rows=tuple(LiveRow(a.id, a.anchor, a.name, a.live.counts) for a in agencies),
            ports=add_port_counts(a.ports.counts for a in agencies),
            port_rows=tuple(PortsRow(a.id, a.ports.id, a.name, a.ports.counts) for a in agencies),
            unverified=sum(self.unverified(f.rule_id) for f in _open_findings(run)),
            unverified_rules=tuple(
                sorted({f.rule_id for f in _open_findings(run) if self.unverified(f.rule_id)})
            ),
        )

    def blocked(self, system: SystemResult, agency_name: str) -> BlockedSystem:
        rules = tuple(
            RuleRef(f.rule_id, self.title(f.rule_id), self.status_labels[f.status.value])
            for f in sorted(gate_blocking(system.findings), key=finding_order)
        )
        return BlockedSystem(
            id=system.id,
            anchor=anchor("s", system.id),
            name=system.name,
            agency_name=agency_name,
            level=system.level.effective,
            lifecycle=labels.lifecycle(system.lifecycle, self.lang),
            rules=rules,
            rule_ids=", ".join(r.rule_id for r in rules),
        )

    def gaps(self, failing: Mapping[str, int], systems: int) -> tuple[Gap, ...]:
        ranked = sorted(failing.items(), key=lambda item: (-item[1], item[0]))[:TOP_GAPS]
        return tuple(
            Gap(
                rule_id=rule_id,
                title=self.title(rule_id),
                severity_label=self.rule_severity(rule_id),
                systems=count,
                share=100 * count / systems if systems else 0.0,
            )
            for rule_id, count in ranked
        )

    def expired_waivers(self) -> tuple[ExpiredWaiver, ...]:
        run = self.run
        owners: list[tuple[str, str, str, str, Sequence[Finding]]] = [
            (
                "kind_organisation",
                run.organisation.id,
                run.organisation.name,
                "org",
                run.organisation.findings,
            ),
            *(("kind_agency", a.id, a.name, anchor("a", a.id), a.findings) for a in run.agencies),
            *(("kind_system", s.id, s.name, anchor("s", s.id), s.findings) for s in run.systems),
        ]
        rows = []
        for kind, owner_id, owner_name, owner_anchor, findings in owners:
            for finding in findings:
                note = finding.waiver
                if note is None or not note.expired:
                    continue
                rows.append(
                    ExpiredWaiver(
                        owner_kind=self.t[kind],
                        owner_id=owner_id,
                        owner_name=owner_name,
                        anchor=owner_anchor,
                        rule_id=finding.rule_id,
                        title=self.title(finding.rule_id),
                        decision=self.decision(note.decision),
                        approver=note.approver,
                        expires=note.expires,
                        measured_label=self.status_labels[finding.measured_status.value],
                    )
                )
        rows.sort(key=lambda r: (r.expires, r.owner_id, r.rule_id))
        return tuple(rows)

    def rule_severity(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        if rule is None:
            return ""
        if isinstance(rule.severity, dict):
            return "; ".join(
                f"{self.t['level_n'].format(n=level)}: {self.severity_labels[sev.value]}"
                for level, sev in sorted(rule.severity.items())
            )
        return self.severity_labels[rule.severity.value]

    def requirement(self, rule: Rule, failing: Mapping[str, int]) -> RequirementView:
        low, high = rule.levels.min_level, rule.levels.max_level
        return RequirementView(
            id=rule.id,
            anchor=anchor("r", rule.id),
            title=rule.title.get(self.lang),
            group=labels.group(rule.group, self.lang),
            severity=self.rule_severity(rule.id),
            obligation=labels.obligation(rule.obligation.value, self.lang),
            levels=f"{low}–{high}" if low != high else str(low),
            gate=rule.gate,
            references=tuple(
                ReferenceView(
                    regime="" if r.regime is None else labels.regime(r.regime.value, self.lang),
                    text=r.text()
                    if r.levels is None
                    else r.document
                    + ", "
                    + "; ".join(
                        f"{self.t['level_n'].format(n=n)}: {clause.text()}"
                        for n, clause in sorted(r.levels.items())
                    ),
                )
                for r in rule.references
            ),
            remediation=rule.remediation.get(self.lang),
            failing=failing.get(rule.id, 0),
        )


# ------------------------------------------------------------------------------------------
# Pure helpers (tested directly)
# ------------------------------------------------------------------------------------------


_NEEDS_ACTION: Final = frozenset({Status.FAIL, Status.ERROR, Status.MANUAL})


def _open_findings(run: AuditRun) -> Iterator[Finding]:
    """Findings still needing action (fail, error, manual) across the whole run."""
    for findings in (
        run.organisation.findings,
        *(a.findings for a in run.agencies),
        *(s.findings for s in run.systems),
    ):
        yield from (f for f in findings if f.status in _NEEDS_ACTION)


def finding_order(finding: Finding) -> tuple[int, int, str, str]:
    """Most severe first; then failed, errored, manual, waived; then rule id and subject."""
    return (
        -finding.severity.rank,
        _STATUS_ORDER[finding.status],
        finding.rule_id,
        finding.subject or "",
    )


def line_order(finding: Finding) -> tuple[int, int, str, str]:
    """Failed, errored, manual, waived; most severe first within a status; then rule id."""
    return (
        _STATUS_ORDER[finding.status],
        -finding.severity.rank,
        finding.rule_id,
        finding.subject or "",
    )


def group_order(code: str) -> tuple[int, str]:
    return (labels.GROUP_ORDER.get(code, len(labels.GROUP_ORDER)), code)


def _regime_order(code: str) -> tuple[int, str]:
    return ({"nd85": 0, "nd331": 1}.get(code, 2), code)


def failing_systems(systems: Iterable[SystemResult]) -> dict[str, int]:
    """Rule id → number of systems on which it failed or erred (each system counted once)."""
    tally: Counter[str] = Counter()
    for system in systems:
        tally.update({f.rule_id for f in system.findings if f.status in _OPEN})
    return dict(tally)


def summary_view(summary: Summary, lang: str) -> SummaryView:
    counts = summary.counts
    statuses = tuple(
        Count(code, labels.status(code, lang), getattr(counts, field))
        for code, field in _COUNT_ORDER
    )
    severities = tuple(
        Count(s.value, labels.severity(s.value, lang), summary.by_severity.get(s.value, 0))
        for s in _SEVERITIES
    )
    return SummaryView(
        score=summary.score.value,
        earned=summary.score.earned,
        possible=summary.score.possible,
        score_without_waivers=summary.score_without_waivers.value,
        earned_without_waivers=summary.score_without_waivers.earned,
        possible_without_waivers=summary.score_without_waivers.possible,
        statuses=statuses,
        severities=severities,
        findings=sum(c.n for c in statuses),
        failed=counts.failed,
        manual=counts.manual,
        error=counts.error,
        waived=counts.waived,
        critical_high=summary.by_severity.get("critical", 0) + summary.by_severity.get("high", 0),
        expired_waivers=summary.expired_waivers,
    )


def format_origin(origin: Origin, lang: str) -> str:
    """Where a value came from, in words: 'file:line', 'inherited from …', 'not declared'."""
    t = labels.ui(lang)
    where = ""
    if origin.file:
        where = f"{origin.file}:{origin.line}" if origin.line else origin.file
    if origin.source == "declared":
        return where or t["declared_at"].format(where=t["none"])
    if origin.source == "inherited":
        via = origin.via or ""
        match = _VIA_DEFAULTS.match(via)
        if match:
            key = "org_defaults" if match.group(1) == "organisation" else "agency_defaults"
            via = t[key].format(id=match.group(2))
        text = t["inherited_from"].format(via=via)
        return f"{text}, {where}" if where else text
    if origin.source == "derived":
        if origin.via and origin.via.startswith("go-live gate"):
            return t["assumed_production"]
        return t["derived"]
    if origin.source == "observed":
        text = t["observed_by"].format(via=origin.via or "")
        return f"{text}, {where}" if where else text
    if origin.source == "not_declared":
        return t["not_declared_origin"]
    return str(origin)


def format_value(value: Any, lang: str) -> str:
    """An evidence value as short text in the page's conventions (long values are cut)."""
    text = _format_value(value, lang, 0)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 1].rstrip() + "…"
    return text


def _format_value(value: Any, lang: str, depth: int) -> str:
    t = labels.ui(lang)
    if value is None:
        return t["not_declared"]
    if isinstance(value, bool):
        return t["yes"] if value else t["no"]
    if isinstance(value, int):
        return filters.number(value, lang)
    if isinstance(value, float):
        # Up to two decimals, without trailing zeros: 1234.5 → 1.234,5 (vi).
        _, _, decimals = f"{value:.2f}".rstrip("0").partition(".")
        return filters.number(value, lang, len(decimals))
    if isinstance(value, dt.datetime):
        return filters.date(value.date(), lang) + value.strftime(" %H:%M")
    if isinstance(value, dt.date):
        return filters.date(value, lang)
    if isinstance(value, str):
        return filters.iso_date_text(value, lang)
    if depth >= 2:
        return "…"
    if isinstance(value, Mapping):
        return "; ".join(
            f"{t[k] if k in _LABELLED_KEYS else k}: {_format_value(v, lang, depth + 1)}"
            for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        shown = [_format_value(v, lang, depth + 1) for v in items[:_MAX_LIST_ITEMS]]
        if len(items) > _MAX_LIST_ITEMS:
            shown.append(f"… (+{len(items) - _MAX_LIST_ITEMS})")
        return ", ".join(shown)
    return str(value)


def attestation_view(record: AttestationRecord, lang: str, known: bool) -> AttestationView:
    """An attestation as the report lists it: validity, and which findings read it or why none
    did (the words come from the results, the template only shows them)."""
    t = labels.ui(lang)
    if record.status is AttestationStatus.UNUSED:
        reason = record.reason
        use = (reason.vi if lang == "vi" else reason.en) if reason is not None else ""
    else:
        use = ", ".join(dict.fromkeys(_rule_of(f) for f in record.used_by))
    origin = record.origin
    return AttestationView(
        rule_id=record.rule,
        document=record.document.number,
        date=record.document.date,
        attested_by=record.attested_by,
        valid_until=record.valid_until,
        expired=record.status is AttestationStatus.LAPSED,
        status=record.status.value,
        status_label=t[f"attestation_{record.status.value}"],
        use=use,
        origin=f"{origin.file}:{origin.line}" if origin.file and origin.line else "",
        known=known,
    )


def _rule_of(finding_id: str) -> str:
    """A finding id is rule:owner[:subject]; its subject is shown only when there is one."""
    rule, _, rest = finding_id.partition(":")
    _, _, subject = rest.partition(":")
    return f"{rule} [{subject}]" if subject else rule


# -- live observation ------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _ipv6_observed(record: ObservedRecord) -> bool:
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
    if len(text) > _MAX_ISSUER_CHARS:
        text = text[: _MAX_ISSUER_CHARS - 1].rstrip() + "…"
    return text


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


# -- port scan -------------------------------------------------------------------------------


@dataclass(slots=True)
class _HostPorts:
    """What the scan saw of one address of one system, gathered before it becomes a row."""

    family: str
    error: str | None = None
    ports: dict[tuple[int, str], OpenPort] = field(default_factory=dict)
    not_answering: dict[tuple[int, str], DeclaredPort] = field(default_factory=dict)
    not_covered: set[str] = field(default_factory=set)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _port_number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _port_key(text: str) -> tuple[int, str]:
    number, _, protocol = text.partition("/")
    return (int(number) if number.isdigit() else 0, protocol)


def _address_key(address: str) -> tuple[int, int, str]:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return (9, 0, address)
    return (ip.version, int(ip), address)


def port_row_order(row: PortHostRow) -> tuple[int, str, int, str, tuple[int, int, str]]:
    """Addresses with a risky port first, then with an undeclared one, then those with another
    problem (open over IPv6 only, a declared port silent, not scanned), then the rest; within
    each, by system, host (addresses outside the inventory last) and address."""
    ports = row.ports
    if any(p.risky for p in ports):
        rank = 0
    elif any(p.undeclared for p in ports):
        rank = 1
    elif row.error is not None or row.not_answering or any(p.ipv6_only for p in ports):
        rank = 2
    else:
        rank = 3
    host = row.host
    return (rank, row.system_id, 1 if host is None else 0, host or "", _address_key(row.address))


def port_counts(rows: Sequence[PortHostRow]) -> PortCounts:
    scanned = [row for row in rows if row.error is None]
    marks = Counter(p.mark.code for row in scanned for p in row.ports)
    return PortCounts(
        addresses=len(scanned),
        open=sum(marks.values()),
        risky=marks["risky"],
        undeclared=marks["undeclared"],
        expected=marks["expected"],
        ipv6_only=sum(1 for row in scanned for p in row.ports if p.ipv6_only),
        outdated=sum(1 for row in scanned for p in row.ports if p.outdated),
        not_answering=sum(len(row.not_answering) for row in scanned),
        not_scanned=len(rows) - len(scanned),
    )


def add_port_counts(counts: Iterable[PortCounts]) -> PortCounts:
    """The sum of several agencies' port counts."""
    parts = list(counts)
    return PortCounts(*(sum(getattr(c, f.name) for c in parts) for f in fields(PortCounts)))


def build_page(run: AuditRun, catalog: Catalog, lang: str, full: bool | None = None) -> Page:
    """The whole report as view models, in `lang` ('vi' or 'en').

    `full` None: every finding in full up to FULL_DETAIL_MAX_SYSTEMS systems, condensed above.
    """
    labels.ui(lang)  # rejects an unknown language before any work
    if full is None:
        full = len(run.systems) <= FULL_DETAIL_MAX_SYSTEMS
    return _Builder(run, catalog, lang, full).page()
