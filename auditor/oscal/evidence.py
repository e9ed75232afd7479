"""A finding's evidence as OSCAL observation parts: methods, relevant evidence, collection time.

How the evidence was had decides the method (OSCAL: EXAMINE, INTERVIEW, TEST):
- TEST: observed by a live probe or a port scan (origin `observed`, `nmap`);
- INTERVIEW: an attestation (a person vouching for a measure, with a document: facts
  `attestation.*`);
- EXAMINE: read from the inventory (declared, inherited defaults, an agency's workbook), or
  derived from those by auditor, or looked for there and not found (`not_declared`);
- UNKNOWN: no evidence to tell (a finding that looked at no fact, or the history store, which
  does not keep evidence).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from auditor.model.results import Evidence
from auditor.oscal.common import prop

_TESTED = frozenset({"observed", "nmap"})
_NOT_DECLARED = {"vi": "(không khai báo)", "en": "(not declared)"}


def method_of(evidence: Evidence) -> str:
    if evidence.fact.startswith("attestation."):
        return "INTERVIEW"
    if evidence.origin.source in _TESTED:
        return "TEST"
    return "EXAMINE"


def methods(evidence: Sequence[Evidence] | None) -> list[str]:
    """The methods of a finding's evidence, in OSCAL's order; UNKNOWN when there is none."""
    found = {method_of(item) for item in evidence or ()}
    ordered: list[str] = [m for m in ("EXAMINE", "INTERVIEW", "TEST") if m in found]
    return ordered or ["UNKNOWN"]


def shown_value(value: Any, lang: str) -> str:
    if value is None:
        return _NOT_DECLARED.get(lang, _NOT_DECLARED["en"])
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def relevant_evidence(evidence: Sequence[Evidence], lang: str) -> list[dict[str, Any]]:
    """One entry per fact looked at: `fact = value` and where the value came from."""
    made: list[dict[str, Any]] = []
    for item in evidence:
        origin = item.origin
        props = [prop("fact", item.fact), prop("origin", origin.source)]
        if origin.file:
            where = f"{origin.file}:{origin.line}" if origin.line else origin.file
            props.append(prop("origin-location", where))
        if origin.via:
            props.append(prop("origin-via", origin.via))
        made.append({
            "description": f"{item.fact} = {shown_value(item.value, lang)}",
            "props": props,
        })
    return made
