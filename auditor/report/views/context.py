"""What every section of the report's view models shares: the page's language and labels, the
catalog's titles, references and remediation (each worked out once per page), the order
findings are listed in, and the fragment ids sections link to."""

from __future__ import annotations

from typing import Final

from auditor.model.inventory import Regime
from auditor.model.results import AuditRun, Finding, Origin, Severity, Status
from auditor.report import filters, labels
from auditor.report.views.values import format_origin
from auditor.rules import Catalog, Rule

LEVELS: Final = (1, 2, 3, 4, 5)

OPEN: Final = frozenset({Status.FAIL, Status.ERROR})  # a system with one of these is failing
COMPACT: Final = frozenset({Status.PASS, Status.NOT_APPLICABLE})  # listed by rule id only
STATUS_ORDER: Final = {
    Status.FAIL: 0,
    Status.ERROR: 1,
    Status.MANUAL: 2,
    Status.WAIVED: 3,
    Status.PASS: 4,
    Status.NOT_APPLICABLE: 5,
}


def anchor(kind: str, ident: str) -> str:
    """Fragment id of a section: s-<system>, a-<agency>, r-<rule>."""
    return f"{kind}-{ident}"


def finding_order(finding: Finding) -> tuple[int, int, str, str]:
    """Most severe first; then failed, errored, manual, waived; then rule id and subject."""
    return (
        -finding.severity.rank,
        STATUS_ORDER[finding.status],
        finding.rule_id,
        finding.subject or "",
    )


def line_order(finding: Finding) -> tuple[int, int, str, str]:
    """Failed, errored, manual, waived; most severe first within a status; then rule id."""
    return (
        STATUS_ORDER[finding.status],
        -finding.severity.rank,
        finding.rule_id,
        finding.subject or "",
    )


def group_order(code: str) -> tuple[int, str]:
    return (labels.GROUP_ORDER.get(code, len(labels.GROUP_ORDER)), code)


class Context:
    """One page's run, language and look-ups, shared by the builders of its sections."""

    def __init__(self, run: AuditRun, catalog: Catalog, lang: str, full: bool) -> None:
        self.run = run
        self.lang = lang
        self.full = full  # every finding in full; False: condensed (views.condensed)
        self.t = labels.ui(lang)
        self.rules: dict[str, Rule] = {r.id: r for r in catalog}
        self.titles: dict[str, str] = {r.id: r.title.get(lang) for r in catalog}
        self.status_labels = {s.value: labels.status(s.value, lang) for s in Status}
        self.severity_labels = {s.value: labels.severity(s.value, lang) for s in Severity}
        self.references: dict[tuple[str, str | None, int | None], str] = {}
        self.origins: dict[Origin, str] = {}

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

    def decision(self, text: str) -> str:
        """A decision's text with its ISO dates in the page's conventions."""
        return filters.decision(text, self.lang)

    def origin(self, origin: Origin) -> str:
        text = self.origins.get(origin)
        if text is None:
            text = self.origins[origin] = format_origin(origin, self.lang)
        return text
