"""The rule catalog as an OSCAL catalog: a group per checklist, a control per rule.

- **Language.** OSCAL has one language per document: `lang` chooses the prose (titles,
  statement, guidance); the other language travels in parts of the same name in auditor's
  namespace (`ns`, class `lang-en` or `lang-vi`), which OSCAL tools keep and ignore. Parts,
  not properties: a property holds one line, and descriptions and remediations are prose.
- **Per-level parameters** are params, one per level (auditor.oscal.params).
- **References** (Decree 85, Decree 331, TCVN 11930, Circular 12, RFCs…) are links to a
  back-matter resource per document (`rel: reference`, the clause in the link's text), and
  `reference` properties that say under which regime each holds (class `nd85`, `nd331` or
  `both`) and, where the clause differs by level, the clause at each level; the properties
  of one reference share a `group`.
- **Reproducible.** The same checklists give the same bytes: UUIDs are derived from the
  checklists' contents, `version` is the newest checklist version plus a digest of the files,
  and `last-modified` is the first day of the newest checklist version (YYYY.MM) — the
  checklists carry no other date — or 1970-01-01 when no version is written that way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from auditor.model.base import LocalizedText
from auditor.oscal.common import (
    AUDITOR_NS,
    OSCAL_VERSION,
    control_id,
    derived_uuid,
    prop,
    start_of_day,
    token,
)
from auditor.oscal.params import rule_params
from auditor.rules import CatalogFile, Reference, Rule

_VERSION_MONTH = re.compile(r"^(\d{4})\.(\d{1,2})$")
_TITLE = LocalizedText(
    vi="Danh mục yêu cầu an toàn thông tin theo cấp độ (auditor)",
    en="Information security requirements by level (auditor)",
)


@dataclass(frozen=True)
class CatalogSource:
    """One checklist file: its path (only the name is written), SHA-256 and contents."""

    path: str
    sha256: str
    checklist: CatalogFile


def _other(lang: str) -> str:
    return "vi" if lang == "en" else "en"


def _last_modified(sources: Sequence[CatalogSource]) -> tuple[str, str | None]:
    """(last-modified, newest version) from the checklists' `version: YYYY.MM`."""
    months: list[tuple[dt.date, str]] = []
    for source in sources:
        version = source.checklist.catalog.version
        found = _VERSION_MONTH.match(version or "")
        if found and 1 <= int(found[2]) <= 12:
            months.append((dt.date(int(found[1]), int(found[2]), 1), version or ""))
    if not months:
        return start_of_day(dt.date(1970, 1, 1)), None
    newest = max(months)
    return start_of_day(newest[0]), newest[1]


def _digest(sources: Sequence[CatalogSource]) -> str:
    combined = hashlib.sha256()
    for source in sorted(sources, key=lambda s: (PurePath(s.path).name, s.sha256)):
        combined.update(f"{PurePath(source.path).name}\0{source.sha256}\n".encode())
    return combined.hexdigest()


def _document_uuid(document: str) -> str:
    return derived_uuid("reference-document", document)


def _prose_parts(
    control: str, rule: Rule, lang: str, translated: bool
) -> list[dict[str, Any]]:
    use = _other(lang) if translated else lang
    statement = (rule.description or rule.title).get(use)
    guidance = rule.remediation.get(use)
    suffix = f"_{use}" if translated else ""
    parts: list[dict[str, Any]] = []
    for name, short, prose in (("statement", "smt", statement), ("guidance", "gdn", guidance)):
        part: dict[str, Any] = {"id": f"{control}_{short}{suffix}", "name": name}
        if translated:
            part |= {"ns": AUDITOR_NS, "class": f"lang-{use}"}
            if name == "statement":
                part["title"] = rule.title.get(use)
        part["prose"] = prose
        parts.append(part)
    return parts


def _reference_props(index: int, reference: Reference) -> list[dict[str, Any]]:
    group = f"ref-{index}"
    regime = reference.regime.value if reference.regime is not None else "both"
    made = [
        prop("reference", reference.text(), cls=regime, group=group),
        prop("reference-document", reference.document, cls=regime, group=group),
    ]
    made += [
        prop("reference-at-level", reference.text(level), cls=f"level-{level}", group=group)
        for level in sorted(reference.levels or {})
    ]
    return made


def _rule_props(rule: Rule) -> list[dict[str, Any]]:
    made = [prop("label", rule.id, ours=False), prop("rule-id", rule.id)]
    if rule.digest_id:
        made.append(prop("digest-id", rule.digest_id))
    made.append(prop("rule-group", rule.group))
    subjects = (rule.subject,) if isinstance(rule.subject, str) else rule.subject
    made += [prop("subject", subject) for subject in subjects]
    levels = range(rule.levels.min_level, rule.levels.max_level + 1)
    made += [prop("level", level) for level in levels]
    made += [prop("regime", regime.value) for regime in sorted(rule.regimes)]
    if isinstance(rule.severity, dict):
        made += [prop("severity", rule.severity_at(level).value, cls=f"level-{level}")
                 for level in levels]
    else:
        made.append(prop("severity", rule.severity.value))
    made += [
        prop("obligation", rule.obligation.value),
        prop("confidence", rule.confidence),
        prop("gate", rule.gate),
        prop("check-kind", rule.check.kind),
    ]
    if rule.in_force is not None:
        made.append(prop("in-force", rule.in_force.isoformat()))
    if rule.per is not None:
        made.append(prop("per", rule.per))
    for index, reference in enumerate(rule.references, start=1):
        made += _reference_props(index, reference)
    return made


def rule_control(rule: Rule, lang: str) -> dict[str, Any]:
    """One rule as an OSCAL control."""
    control = control_id(rule.id)
    made: dict[str, Any] = {"id": control, "class": "rule", "title": rule.title.get(lang)}
    params = rule_params(rule, control, lang)
    if params:
        made["params"] = params
    made["props"] = _rule_props(rule)
    made["links"] = [
        {"href": f"#{_document_uuid(ref.document)}", "rel": "reference", "text": ref.text()}
        for ref in rule.references
    ]
    made["parts"] = _prose_parts(control, rule, lang, False) + _prose_parts(
        control, rule, lang, True
    )
    if rule.not_applicable is not None:  # when the rule does not apply (its applies_if)
        made["parts"] += [
            {"id": f"{control}_na_{use}", "name": "not-applicable", "ns": AUDITOR_NS,
             "class": f"lang-{use}", "prose": rule.not_applicable.get(use)}
            for use in (lang, _other(lang))
        ]
    return made


def _group(source: CatalogSource, group_id: str, lang: str) -> dict[str, Any]:
    info = source.checklist.catalog
    other = _other(lang)
    made: dict[str, Any] = {"id": group_id, "class": "checklist", "title": info.title.get(lang)}
    props = [prop("checklist-id", info.id), prop("checklist-file", PurePath(source.path).name)]
    if info.version:
        props.append(prop("checklist-version", info.version))
    made["props"] = props
    parts: list[dict[str, Any]] = [
        {"id": f"{group_id}_title_{other}", "name": "title", "ns": AUDITOR_NS,
         "class": f"lang-{other}", "prose": info.title.get(other)}
    ]
    if info.description is not None:
        parts.insert(0, {"id": f"{group_id}_ovw", "name": "overview",
                         "prose": info.description.get(lang)})
    made["parts"] = parts
    made["controls"] = [rule_control(rule, lang) for rule in source.checklist.rules]
    return made


def _resources(sources: Sequence[CatalogSource]) -> list[dict[str, Any]]:
    documents = sorted({ref.document for s in sources for r in s.checklist.rules
                        for ref in r.references})
    resources: list[dict[str, Any]] = [
        {"uuid": _document_uuid(document), "title": document, "props": [prop("kind", "reference")]}
        for document in documents
    ]
    for source in sources:
        name = PurePath(source.path).name
        resources.append({
            "uuid": derived_uuid("checklist", name, source.sha256),
            "title": name,
            "props": [prop("kind", "checklist")],
            "rlinks": [{"href": quote(name), "media-type": "application/yaml",
                        "hashes": [{"algorithm": "SHA-256", "value": source.sha256}]}],
        })
    return resources


def build_catalog(sources: Sequence[CatalogSource], lang: str) -> dict[str, Any]:
    """The OSCAL catalog document (`{"catalog": …}`) of the checklists, prose in `lang`."""
    digest = _digest(sources)
    last_modified, newest = _last_modified(sources)
    version = f"{newest or '0'}+sha256.{digest[:12]}"
    seen: set[str] = set()
    groups: list[dict[str, Any]] = []
    for source in sources:
        group_id = base = token(source.checklist.catalog.id)
        count = 1
        while group_id in seen:  # two checklists may share an id (a user's and a shipped one)
            count += 1
            group_id = f"{base}-{count}"
        seen.add(group_id)
        groups.append(_group(source, group_id, lang))
    metadata: dict[str, Any] = {
        "title": _TITLE.get(lang),
        "last-modified": last_modified,
        "version": version,
        "oscal-version": OSCAL_VERSION,
        "props": [prop("lang", lang), prop("translation-lang", _other(lang))],
        "remarks": _REMARKS[lang],
    }
    return {
        "catalog": {
            "uuid": derived_uuid("catalog", digest, lang),
            "metadata": metadata,
            "groups": groups,
            "back-matter": {"resources": _resources(sources)},
        }
    }


_REMARKS = {
    "vi": "Văn bản bằng tiếng Việt; bản tiếng Anh nằm trong các phần (part) thuộc không gian "
    "tên của auditor, lớp lang-en. Tham số theo cấp độ: mỗi cấp độ một tham số (thuộc tính "
    "level). Trích dẫn theo từng chế độ: thuộc tính reference, lớp nd85, nd331 hoặc both.",
    "en": "Prose in English; the Vietnamese (authoritative) text is in parts of auditor's "
    "namespace, class lang-vi. Per-level parameters: one param per level (property level). "
    "References per regime: property reference, class nd85, nd331 or both.",
}
