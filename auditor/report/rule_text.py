"""`auditor rules show ID` as text a person reads, in the chosen language: the title, the
severity, the legal references, where the rule applies, what it checks and how to remedy a
failure (`--format json` prints the rule's data instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from rich.console import Console
from rich.padding import Padding

from auditor.checks.values import show
from auditor.code_words import criteria, word_in
from auditor.messages import day_in, days
from auditor.model.inventory import Regime
from auditor.report import labels
from auditor.rules import Rule

_WORDS: Final[dict[str, dict[str, Any]]] = {
    "vi": {
        "severity": "Mức độ",
        "obligation": "Tính bắt buộc",
        "group": "Nhóm yêu cầu",
        "gate": "Điều kiện đưa vào vận hành",
        "gate_yes": "có — không đạt thì chưa được đưa vào vận hành",
        "applies": "Phạm vi áp dụng",
        "references": "Căn cứ pháp lý",
        "checks": "Nội dung kiểm tra",
        "remediation": "Biện pháp khắc phục",
        "levels": "cấp độ {low}–{high}",
        "level": "cấp độ {n}",
        "from_level": "từ cấp độ {n}: {value}",
        "regimes": "theo {regimes}",
        "subject": {"system": "từng hệ thống thông tin", "agency": "từng cơ quan",
                    "organisation": "cấp tỉnh (bộ)"},
        "per": "mỗi phần tử của '{over}'",
        "in_force": "có hiệu lực từ {day}",
        "when": "khi: {text}",
        "otherwise": "nếu không: {text}",
        "all": "tất cả các điều kiện sau",
        "any": "ít nhất một trong các điều kiện sau",
        "not": "không phải trường hợp sau",
        "for_each": "với mỗi phần tử của '{over}'",
        "present": "'{fact}' được khai báo",
        "equals": "'{fact}' = {value}",
        "one_of": "'{fact}' là một trong: {values}",
        "at_least": "'{fact}' ≥ {value}",
        "at_most": "'{fact}' ≤ {value}",
        "matches": "'{fact}' khớp mẫu {pattern}",
        "within_days": "'{fact}' không quá {days} trước ngày đánh giá",
        "not_expired": "'{fact}' chưa hết hạn tại ngày đánh giá",
        "before": "'{fact}' không sau '{other}'",
        "contains": "'{fact}' có đủ: {values}",
        "same_as": "'{fact}' khớp với '{other}'",
        "ratio_at_least": "'{numerator}' / '{denominator}' ≥ {ratio}",
        "attested": "có xác nhận bằng văn bản của người có trách nhiệm, hiệu lực {days}",
        "fired": "hệ thống thỏa mãn tiêu chí: {criteria}",
        "expiring": "chứng thư số chưa vào thời hạn cần gia hạn (cảnh báo khi còn ≤ {days})",
        "builtin": "kiểm tra chuyên biệt '{name}' (xem mô tả)",
        "if_missing": "nếu không khai báo: {status}",
    },
    "en": {
        "severity": "Severity",
        "obligation": "Obligation",
        "group": "Group",
        "gate": "Go-live condition",
        "gate_yes": "yes — a failure blocks going live",
        "applies": "Applies to",
        "references": "Legal basis",
        "checks": "What it checks",
        "remediation": "Remediation",
        "levels": "levels {low}–{high}",
        "level": "level {n}",
        "from_level": "from level {n}: {value}",
        "regimes": "under {regimes}",
        "subject": {"system": "each information system", "agency": "each agency",
                    "organisation": "the province (ministry)"},
        "per": "each element of '{over}'",
        "in_force": "in force from {day}",
        "when": "when: {text}",
        "otherwise": "otherwise: {text}",
        "all": "all of the following",
        "any": "at least one of the following",
        "not": "not the following",
        "for_each": "for each element of '{over}'",
        "present": "'{fact}' is declared",
        "equals": "'{fact}' is {value}",
        "one_of": "'{fact}' is one of: {values}",
        "at_least": "'{fact}' ≥ {value}",
        "at_most": "'{fact}' ≤ {value}",
        "matches": "'{fact}' matches the pattern {pattern}",
        "within_days": "'{fact}' no more than {days} before the audit date",
        "not_expired": "'{fact}' has not passed at the audit date",
        "before": "'{fact}' is not after '{other}'",
        "contains": "'{fact}' holds all of: {values}",
        "same_as": "'{fact}' agrees with '{other}'",
        "ratio_at_least": "'{numerator}' / '{denominator}' ≥ {ratio}",
        "attested": "a written attestation by the person responsible, valid for {days}",
        "fired": "the system meets the criteria: {criteria}",
        "expiring": "the certificate is not yet due for renewal (warning at ≤ {days} left)",
        "builtin": "the dedicated check '{name}' (see the description)",
        "if_missing": "when not declared: {status}",
    },
}


def _w(lang: str) -> Mapping[str, Any]:
    return _WORDS["en" if lang == "en" else "vi"]


def _per_level(value: Any, lang: str, each: Any = str) -> str:
    """A parameter that may depend on the level: "365 ngày" or "từ cấp độ 1: …; từ …"."""
    if isinstance(value, dict):
        return "; ".join(
            _w(lang)["from_level"].format(n=level, value=each(value[level]))
            for level in sorted(value)
        )
    return str(each(value))


def _value(value: Any, lang: str) -> str:
    return show(value, lang == "en")


def _one(check: Any, lang: str) -> str:
    """One check (not a combination) in words."""
    w = _w(lang)
    kind = check.kind
    fields: dict[str, Any] = {"fact": getattr(check, "fact", "")}
    if kind == "equals":
        fields["value"] = _value(check.value, lang)
    elif kind in ("one_of", "contains"):
        fields["values"] = _per_level(
            check.values, lang, lambda v: ", ".join(_value(x, lang) for x in v)
        )
    elif kind in ("at_least", "at_most"):
        fields["value"] = _per_level(check.value, lang, lambda v: f"{v:g}")
    elif kind == "matches":
        fields["pattern"] = repr(check.pattern)
    elif kind == "within_days":
        fields["days"] = _per_level(check.days, lang, lambda n: days(n).get(lang))
    elif kind in ("before", "same_as"):
        fields["other"] = check.other
    elif kind == "ratio_at_least":
        fields.update(numerator=check.numerator, denominator=check.denominator,
                      ratio=_per_level(check.ratio, lang, lambda v: f"{v:.0%}"))
    elif kind == "attested":
        fields["days"] = _per_level(check.validity_days, lang, lambda n: days(n).get(lang))
    elif kind == "fired":
        fields["criteria"] = _per_level(
            check.criteria, lang, lambda ids: criteria(tuple(ids), lang)
        )
    elif kind == "expiring":
        fields["days"] = _per_level(check.days, lang, lambda n: days(n).get(lang))
    elif kind == "builtin":
        fields["name"] = check.name
    template = w.get(kind)
    text = template.format(**fields) if isinstance(template, str) else str(kind)
    missing = getattr(check, "if_missing", None)
    if missing is not None and missing != "fail" and kind != "present":
        text += f" ({w['if_missing'].format(status=word_in(missing, lang, 'Status'))})"
    return text


def check_lines(check: Any, lang: str, depth: int = 0) -> list[tuple[str, int]]:
    """A check and the checks inside it, one line each with its depth."""
    w = _w(lang)
    kind = check.kind
    if kind in ("all", "any"):
        lines = [(w[kind] + ":", depth)]
        for inner in check.checks:
            lines.extend(check_lines(inner, lang, depth + 1))
        return lines
    if kind == "not":
        return [(w["not"] + ":", depth), *check_lines(check.check, lang, depth + 1)]
    if kind == "for_each":
        return [(w["for_each"].format(over=check.over) + ":", depth),
                *check_lines(check.check, lang, depth + 1)]
    return [(_one(check, lang), depth)]


def _severity(rule: Rule, lang: str) -> str:
    return _per_level(rule.severity, lang, lambda s: word_in(s, lang, "Severity"))


def _applies(rule: Rule, lang: str) -> list[str]:
    w = _w(lang)
    subjects = (rule.subject,) if isinstance(rule.subject, str) else rule.subject
    scope = ", ".join(w["subject"].get(str(s), str(s)) for s in subjects)
    low, high = rule.levels.min_level, rule.levels.max_level
    levels = w["level"].format(n=low) if low == high else w["levels"].format(low=low, high=high)
    regimes = ", ".join(word_in(r, lang, "Regime") for r in Regime if r in rule.regimes)
    parts = [f"{scope}, {levels}, {w['regimes'].format(regimes=regimes)}"]
    if rule.per is not None:
        parts.append(w["per"].format(over=rule.per))
    if rule.in_force is not None:
        parts.append(w["in_force"].format(day=day_in(rule.in_force, lang)))
    if rule.applies_if is not None:
        condition = "; ".join(text for text, _ in check_lines(rule.applies_if, lang))
        parts.append(w["when"].format(text=condition))
    if rule.not_applicable is not None:
        parts.append(w["otherwise"].format(text=rule.not_applicable.get(lang)))
    return parts


def rule_lines(rule: Rule, lang: str) -> list[tuple[str, int]]:
    """The whole text view of one rule: (text, indent) per paragraph."""
    w = _w(lang)
    lines: list[tuple[str, int]] = [(f"{rule.id} — {rule.title.get(lang)}", 0), ("", 0)]
    lines.append((f"{w['severity']}: {_severity(rule, lang)}", 0))
    lines.append((f"{w['obligation']}: {labels.obligation(str(rule.obligation), lang)}", 0))
    lines.append((f"{w['group']}: {labels.group(rule.group, lang)}", 0))
    if rule.gate:
        lines.append((f"{w['gate']}: {w['gate_yes']}", 0))
    lines.append((f"{w['applies']}:", 0))
    lines.extend((f"– {part}", 2) for part in _applies(rule, lang))
    lines.append((f"{w['references']}:", 0))
    for ref in rule.references:
        regime = f" ({word_in(ref.regime, lang, 'Regime')})" if ref.regime is not None else ""
        lines.append((f"– {ref.text()}{regime}", 2))
    lines.append((f"{w['checks']}:", 0))
    if rule.description is not None:
        lines.append((rule.description.get(lang), 2))
    lines.extend((f"• {text}", 2 + 2 * depth) for text, depth in check_lines(rule.check, lang))
    lines.append((f"{w['remediation']}:", 0))
    lines.append((rule.remediation.get(lang), 2))
    return lines


def rule_text(rule: Rule, console: Console, lang: str) -> None:
    """Print one rule, each paragraph wrapped at the console's width under its indent."""
    for text, indent in rule_lines(rule, lang):
        rendered = console.render_str(text, markup=False, highlight=False)
        console.print(Padding(rendered, (0, 0, 0, indent), expand=False))
