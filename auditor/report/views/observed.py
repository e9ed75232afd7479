"""An agency's observation tables: its systems' observed records sorted into the live tables
(certificates, IPv6) and the open-ports table, each row with the findings on its subject."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from auditor.model.results import Finding, Status, SystemResult
from auditor.report.views.context import COMPACT, Context, anchor
from auditor.report.views.live import (
    CERT_GROUPS,
    COUNTED_RULES,
    IPV6_GROUPS,
    LIVE_GROUPS,
    REVOCATION_RULES,
    AgencyLive,
    CertRow,
    Ipv6Row,
    LiveTables,
    cert_row_order,
    ipv6_observed,
    ipv6_row_order,
    live_counts,
)
from auditor.report.views.ports import (
    NETWORK,
    PORT_COLLECTIONS,
    PORT_RULES,
    AgencyPorts,
    PortHostRow,
    PortTables,
    port_counts,
    port_row_order,
)

_FAIL: Final = Status.FAIL  # a plain constant: tested on every finding of observed systems


class ObservedTables:
    """Builds each agency's observation tables; the row builders keep their per-page caches."""

    def __init__(self, ctx: Context) -> None:
        self.live = ctx.run.run.live
        self.live_tables = LiveTables(ctx)
        self.port_tables = PortTables(ctx)

    def agency(
        self, agency_id: str, systems: Sequence[SystemResult]
    ) -> tuple[AgencyLive, AgencyPorts]:
        """An agency's live tables (certificates, IPv6) and its open-ports table."""
        certs: list[CertRow] = []
        ipv6: list[Ipv6Row] = []
        ports: list[PortHostRow] = []
        live = self.live
        for system in systems:
            if system.observed:
                self.system(system, live, certs, ipv6, ports)
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

    def system(
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
        scanned = any(r.collection in PORT_COLLECTIONS for r in system.observed)
        if not live and not scanned:
            return
        open_by: dict[tuple[str, str], list[Finding]] = {}
        failed: dict[str, set[str]] = {}  # subject → counted rules measured as failed
        revocation: dict[str, Status] = {}  # subject → CERT-09/11's measured status
        net: dict[str, dict[str, Finding]] = {}  # subject → NET-* rule id → finding
        for finding in system.findings:
            subject = finding.subject
            if subject is None:
                continue
            group = finding.group
            if group in LIVE_GROUPS:
                if not live:
                    continue
                if finding.measured_status is _FAIL and finding.rule_id in COUNTED_RULES:
                    failed.setdefault(subject, set()).add(finding.rule_id)
                if (finding.rule_id in REVOCATION_RULES
                        and finding.measured_status is not Status.NOT_APPLICABLE):
                    revocation[subject] = finding.measured_status
                if finding.status not in COMPACT:
                    open_by.setdefault((group, subject), []).append(finding)
            elif group == NETWORK and scanned and finding.rule_id in PORT_RULES:
                net.setdefault(subject, {})[finding.rule_id] = finding
        if live:
            tables = self.live_tables
            for record in system.observed:
                if record.collection == "certs":
                    found = [f for g in CERT_GROUPS for f in open_by.get((g, record.subject), ())]
                    certs.append(
                        tables.cert_row(system, record, found, failed.get(record.subject, set()),
                                        revocation.get(record.subject))
                    )
                elif record.collection == "endpoints" and ipv6_observed(record):
                    found = [f for g in IPV6_GROUPS for f in open_by.get((g, record.subject), ())]
                    ipv6.append(tables.ipv6_row(system, record, found))
        if scanned:
            self.port_tables.rows(system, net, ports)
