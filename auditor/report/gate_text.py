"""The go-live gate's answer on the terminal, written for the agency that wants to go live.

The decision first; then each requirement not met, with its title, its result and severity
in words, what is missing (the finding's message), what to do (the rule's remediation) and
its legal basis at the system's level and governing regime; last, the gate requirements that
do not bind this system, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from rich.console import Console
from rich.text import Text

from auditor.code_words import word_in
from auditor.model.inventory import Regime
from auditor.model.results import Finding, Status, SystemResult, Text2
from auditor.rules import Rule
from auditor.safe_text import safe_text

_WORDS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "open": "ĐƯỢC đưa vào vận hành: {system} ({name})",
        "closed": "CHƯA ĐƯỢC đưa vào vận hành: {system} ({name}) — {n} yêu cầu chưa đáp ứng",
        "result": "Kết quả: {status} · mức độ: {severity}",
        "missing": "Còn thiếu: {text}",
        "todo": "Cần làm: {text}",
        "basis": "Căn cứ: {text}",
        "not_required": "Không bắt buộc với hệ thống này:",
    },
    "en": {
        "open": "MAY go live: {system} ({name})",
        "closed": "MAY NOT go live: {system} ({name}) — {n} requirements not met",
        "result": "Result: {status} · severity: {severity}",
        "missing": "Missing: {text}",
        "todo": "To do: {text}",
        "basis": "Legal basis: {text}",
        "not_required": "Not required of this system:",
    },
}

_MARKER: Final = {Status.FAIL: "✗", Status.MANUAL: "?", Status.ERROR: "!"}


def _pick(text: Text2, lang: str) -> str:
    return text.en if lang == "en" else text.vi


def gate_words(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "vi"]


def gate_basis(system: SystemResult, finding: Finding, rules: Mapping[str, Rule]) -> str:
    """The legal basis of a gate finding at the system's level and governing regime."""
    rule = rules.get(finding.rule_id)
    if rule is None:
        return ""
    return rule.reference_text(Regime(system.level.governing_regime), system.level.effective)


def _line(console: Console, text: str, indent: int = 0, style: str = "") -> None:
    """One paragraph, wrapped at the console's width with its indent kept on every line."""
    # Wrapped here rather than padded or wrapped by rich's print: a Padding fills every line
    # with spaces to the block's width, and print leaves the blank it broke at; both end up as
    # trailing blanks in logs and piped output.
    rendered = Text(text, style=style)
    for line in rendered.wrap(console, max(20, console.width - indent)):
        line.rstrip()
        console.print(Text(" " * indent) + line, soft_wrap=True)


def unmet_lines(
    system: SystemResult, finding: Finding, rules: Mapping[str, Rule], lang: str
) -> list[tuple[str, int]]:
    """The lines (text, indent) that explain one unmet requirement."""
    w = gate_words(lang)
    rule = rules.get(finding.rule_id)
    title = rule.title.get(lang) if rule is not None else ""
    marker = _MARKER.get(finding.status, "·")
    lines = [(f"{marker} {finding.rule_id} — {title}" if title else f"{marker} {finding.rule_id}",
              2)]
    status, severity = word_in(finding.status, lang), word_in(finding.severity, lang)
    lines.append((w["result"].format(status=status, severity=severity), 6))
    lines.append((w["missing"].format(text=_pick(finding.message, lang)), 6))
    if rule is not None:
        lines.append((w["todo"].format(text=rule.remediation.get(lang)), 6))
    basis = gate_basis(system, finding, rules)
    if basis:
        lines.append((w["basis"].format(text=basis), 6))
    return lines


def gate_report(
    system: SystemResult,
    blocking: Sequence[Finding],
    console: Console,
    lang: str,
    rules: Mapping[str, Rule] | None = None,
) -> None:
    """The gate's decision, each unmet requirement explained, and the gate requirements that
    do not bind this system with the reason (e.g. a pre-go-live assessment the law leaves
    optional and no provincial policy makes binding)."""
    w = gate_words(lang)
    rules = rules or {}
    name = safe_text(system.name)
    if not blocking:
        _line(console, w["open"].format(system=system.id, name=name), style="green")
    else:
        _line(console, w["closed"].format(system=system.id, name=name, n=len(blocking)),
              style="red")
    for finding in blocking:
        for text, indent in unmet_lines(system, finding, rules, lang):
            _line(console, text, indent)
    exempt = [f for f in system.findings if f.gate and f.status is Status.NOT_APPLICABLE]
    if exempt:
        _line(console, w["not_required"])
        for finding in exempt:
            _line(console, f"– {finding.rule_id}: {_pick(finding.message, lang)}", 2)
