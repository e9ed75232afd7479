"""View models of the HTML report: everything the templates show, already counted and sorted.

Pure: (AuditRun, Catalog, lang) → Page. All counting, sorting, grouping and translation of
codes happens here; the templates only lay the result out (design.md: templates only
present). Numbers and dates stay typed and are formatted by the filters in the template.

One module per part of the page, leaves first:

  values        evidence values, origins and timestamps in the page's words
  context       what every section shares: labels, catalog look-ups, sort orders, anchors
  summary       a summary's counts and scores
  condensed     pages above FULL_DETAIL_MAX_SYSTEMS systems: findings as lines of rule ids
  findings      findings tables, waivers and attestations of a system, agency or organisation
  levels        a system's level per regime, with the criteria that decide it
  dns_cells     the DNSSEC and CAA cells of an IPv6 row
  live          certificate and IPv6 tables (audit --live)
  ports         open-ports tables (port scans)
  observed      an agency's observed records sorted into those tables
  sections      agency and system sections
  overview      the province overview: levels, agencies, blocked systems, gaps, waivers
  requirements  every rule in force, with its legal basis
  page          the whole page (build_page)
"""

from auditor.report.views.condensed import FULL_DETAIL_MAX_SYSTEMS, CompactLine
from auditor.report.views.context import (
    LEVELS,
    anchor,
    finding_order,
    group_order,
    line_order,
)
from auditor.report.views.dns_cells import DnsCell, caa_cell, dnssec_cell
from auditor.report.views.findings import (
    AttestationView,
    CompactFinding,
    EvidenceView,
    FindingsView,
    FindingView,
    GroupView,
    WaiverRow,
    attestation_view,
)
from auditor.report.views.levels import CriterionView, LevelView, RegimeLevel
from auditor.report.views.live import (
    AgencyLive,
    Cell,
    CertRow,
    Ipv6Row,
    LiveCounts,
    LiveRow,
    Problem,
    add_counts,
    cert_row_order,
    ipv6_row_order,
    key_text,
    live_counts,
    short_issuer,
    whole_percent,
)
from auditor.report.views.overview import (
    TOP_GAPS,
    AgencyRow,
    BlockedSystem,
    ExpiredWaiver,
    Gap,
    LevelRow,
    Overview,
    RuleRef,
    failing_systems,
)
from auditor.report.views.page import Page, build_page
from auditor.report.views.ports import (
    AgencyPorts,
    DeclaredPort,
    OpenPort,
    PortCounts,
    PortHostRow,
    PortMark,
    PortsRow,
    add_port_counts,
    port_counts,
    port_row_order,
)
from auditor.report.views.requirements import ReferenceView, RequirementView
from auditor.report.views.sections import AgencySection, SystemSection
from auditor.report.views.summary import Count, SummaryView, summary_view
from auditor.report.views.values import format_origin, format_value

__all__ = [
    "FULL_DETAIL_MAX_SYSTEMS",
    "LEVELS",
    "TOP_GAPS",
    "AgencyLive",
    "AgencyPorts",
    "AgencyRow",
    "AgencySection",
    "AttestationView",
    "BlockedSystem",
    "Cell",
    "CertRow",
    "CompactFinding",
    "CompactLine",
    "Count",
    "CriterionView",
    "DeclaredPort",
    "DnsCell",
    "EvidenceView",
    "ExpiredWaiver",
    "FindingView",
    "FindingsView",
    "Gap",
    "GroupView",
    "Ipv6Row",
    "LevelRow",
    "LevelView",
    "LiveCounts",
    "LiveRow",
    "OpenPort",
    "Overview",
    "Page",
    "PortCounts",
    "PortHostRow",
    "PortMark",
    "PortsRow",
    "Problem",
    "ReferenceView",
    "RegimeLevel",
    "RequirementView",
    "RuleRef",
    "SummaryView",
    "SystemSection",
    "WaiverRow",
    "add_counts",
    "add_port_counts",
    "anchor",
    "attestation_view",
    "build_page",
    "caa_cell",
    "cert_row_order",
    "dnssec_cell",
    "failing_systems",
    "finding_order",
    "format_origin",
    "format_value",
    "group_order",
    "ipv6_row_order",
    "key_text",
    "line_order",
    "live_counts",
    "port_counts",
    "port_row_order",
    "short_issuer",
    "summary_view",
    "whole_percent",
]
