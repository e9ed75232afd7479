"""An audit run as an OSCAL assessment-results document.

- One `result` for the run: `start` is the audit date (`--as-of`, 00:00 UTC: the results hold
  a day, not an hour); `end` is when the history store recorded the run, or when the live
  probes ran, if later.
- Each system is a component of the result's `local-definitions`; the organisation and its
  agencies are parties of the metadata. Their UUIDs are derived from the organisation and
  their ids only, so a tool can follow a system from one run to the next.
- One observation and one finding per finding of the run (per rule, system or agency, and
  subject). The observation holds the evidence (auditor.oscal.evidence); the finding targets
  the rule's control (`objective-id`, the id of `export oscal catalog`).
- Status: OSCAL's `objective-status` state is only satisfied or not-satisfied, and
  "satisfied" is a claim that the requirement is met. Only `pass` makes it; every other
  status (fail, manual, error, waived, not_applicable) is not-satisfied, with the auditor's
  status as the `reason` token and as the `status` property, so a reader can tell a failure
  from a requirement awaiting a declaration or not applying.
- `import-ap`: OSCAL requires a link to an assessment plan. auditor writes none (the plan is
  the rule catalog applied at each system's level), so it points to a back-matter resource
  that says so and names the checklists the run used.
- UUIDs of the document, result, observations and findings are derived from the run (the
  results file's SHA-256, or the history store's run) and the finding's id: the same run
  exports the same document.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any
from urllib.parse import quote

from auditor.messages import day_in
from auditor.model.results import Evidence, Status
from auditor.oscal.common import (
    OSCAL_VERSION,
    control_id,
    derived_uuid,
    optional_prop,
    parse_timestamp,
    prop,
    start_of_day,
    timestamp,
)
from auditor.oscal.evidence import methods, relevant_evidence
from auditor.oscal.run_view import FindingView, RunView, SystemView, UnusedAttestation
from auditor.safe_text import json_safe_bytes

_STATE = {Status.PASS: "satisfied"}  # everything else: not-satisfied (see the module's text)
_COMPONENT_STATE = {
    "planning": "under-development",
    "building": "under-development",
    "testing": "under-development",
    "production": "operational",
    "retired": "disposition",
}  # trial operation (vận hành thử) and anything else: "other", with the lifecycle as a prop
_NO_EVIDENCE = {
    "vi": "Sổ lịch sử không lưu bằng chứng của phát hiện; xuất từ tệp kết quả JSON của lần "
    "đánh giá để có bằng chứng.",
    "en": "The history store does not keep a finding's evidence; export the run's JSON "
    "results file for it.",
}
_PLAN = {
    "vi": "auditor không lập kế hoạch đánh giá theo OSCAL: kế hoạch là danh mục yêu cầu "
    "(auditor export oscal catalog) áp dụng theo cấp độ của từng hệ thống, từ các bộ tiêu "
    "chí nêu trong tài nguyên này.",
    "en": "auditor writes no OSCAL assessment plan: the plan is the rule catalog (auditor "
    "export oscal catalog) applied at each system's level, from the checklists this resource "
    "names.",
}


def _other(lang: str) -> str:
    return "vi" if lang == "en" else "en"


class _Builder:
    def __init__(self, view: RunView, lang: str) -> None:
        self.view = view
        self.lang = lang
        self.start = start_of_day(view.as_of)
        self.party = {
            body.id: derived_uuid("party", view.organisation.id, body.kind, body.id)
            for body in (view.organisation, *view.agencies)
        }
        self.component = {
            system.id: derived_uuid("system", view.organisation.id, system.id)
            for system in view.systems
        }
        self.names = {b.id: b.name for b in (view.organisation, *view.agencies)}
        self.names |= {s.id: s.name for s in view.systems}

    def uuid(self, *parts: str) -> str:
        return derived_uuid("assessment-results", self.view.key, *parts)

    # -- times -----------------------------------------------------------------------------

    def _later(self, text: str | None) -> str | None:
        moment = parse_timestamp(text) if text else None
        if moment is None:
            return None
        stamp = timestamp(moment)
        return stamp if stamp > self.start else None

    def end(self) -> str | None:
        return self._later(self.view.recorded_at) or self._later(self.view.observed_at)

    def collected(self, found: FindingView) -> str:
        """When the evidence was had: the probes' time for observed evidence, else the day."""
        observed = any(e.origin.source in {"observed", "nmap"} for e in found.evidence or ())
        return (self._later(self.view.observed_at) if observed else None) or self.start

    # -- parts -----------------------------------------------------------------------------

    def subject(self, found: FindingView | UnusedAttestation) -> dict[str, Any]:
        name = self.names.get(found.owner, found.owner)
        detail = found.subject if isinstance(found, FindingView) else found.record.subject
        title = f"{name} ({found.owner})" + (f" · {detail}" if detail else "")
        if found.owner_kind == "system" and found.owner in self.component:
            return {"subject-uuid": self.component[found.owner], "type": "component",
                    "title": title}
        party = self.party.get(found.owner) or derived_uuid(
            "party", self.view.organisation.id, found.owner_kind, found.owner
        )
        return {"subject-uuid": party, "type": "party", "title": title}

    def title(self, found: FindingView) -> str:
        return f"{found.rule_id} · {found.owner}" + (f" · {found.subject}" if found.subject else "")

    def observation(self, found: FindingView) -> dict[str, Any]:
        made: dict[str, Any] = {
            "uuid": self.uuid("observation", found.finding_id),
            "title": self.title(found),
            "description": found.message.en if self.lang == "en" else found.message.vi,
            "props": [
                *optional_prop(
                    "description", found.message.vi if self.lang == "en" else found.message.en,
                    cls=f"lang-{_other(self.lang)}",
                ),
            ],
            "methods": methods(found.evidence),
            "subjects": [self.subject(found)],
        }
        if found.evidence:
            made["relevant-evidence"] = relevant_evidence(found.evidence, self.lang)
        made["collected"] = self.collected(found)
        if found.evidence is None:
            made["remarks"] = _NO_EVIDENCE[self.lang]
        return made

    def unused_attestation(self, unused: UnusedAttestation) -> dict[str, Any]:
        """An attestation no rule reads, as an observation without a finding (INTERVIEW:
        a person's statement), with the reason it is not read."""
        record = unused.record
        document = record.document
        reason = record.reason
        said = (reason.en if self.lang == "en" else reason.vi) if reason else None
        heading = (f"Attestation for {record.rule}, not used" if self.lang == "en"
                   else f"Xác nhận cho {record.rule}, không được sử dụng")
        value = {"document": document.number, "date": document.date.isoformat(),
                 "attested_by": record.attested_by, "effective": record.effective.isoformat()}
        evidence = Evidence(f"attestation.{record.rule}", value, record.origin)
        return {
            "uuid": self.uuid("attestation", unused.owner, record.rule, document.number,
                              record.effective.isoformat(), record.subject or ""),
            "title": f"{heading} · {unused.owner}",
            "description": f"{heading}: {said}" if said else heading,
            "props": [prop("attestation-status", record.status.value)],
            "methods": ["INTERVIEW"],
            "subjects": [self.subject(unused)],
            "relevant-evidence": relevant_evidence((evidence,), self.lang),
            "collected": self.start,
        }

    def finding(self, found: FindingView) -> dict[str, Any]:
        status = found.status.value
        # The rule is the target, the owner the observation's subject: not repeated here.
        props = [
            prop("finding-id", found.finding_id), prop("status", status),
            prop("severity", found.severity.value), prop("obligation", found.obligation.value),
        ]
        if found.measured_status is not found.status:
            props.append(prop("measured-status", found.measured_status.value))
        if found.gate:
            props.append(prop("gate", True))
        if found.waiver is not None:
            waiver = found.waiver
            props += [
                *optional_prop("waiver-reason", waiver.reason),
                *optional_prop("waiver-approver", waiver.approver),
                *optional_prop("waiver-decision", waiver.decision),
                prop("waiver-expires", waiver.expires.isoformat()),
                prop("waiver-expired", waiver.expired),
            ]
        return {
            "uuid": self.uuid("finding", found.finding_id),
            "title": self.title(found),
            "description": found.message.en if self.lang == "en" else found.message.vi,
            "props": props,
            "target": {
                "type": "objective-id",
                "target-id": control_id(found.rule_id),
                "status": {"state": _STATE.get(found.status, "not-satisfied"), "reason": status},
            },
            "related-observations": [
                {"observation-uuid": self.uuid("observation", found.finding_id)}
            ],
        }

    def component_of(self, system: SystemView) -> dict[str, Any]:
        agency = self.names.get(system.agency, system.agency)
        return {
            "uuid": self.component[system.id],
            "type": "system",
            "title": system.name,
            "description": f"{system.name} ({system.id}), {agency}",
            "props": [
                prop("system-id", system.id), prop("agency", system.agency),
                prop("lifecycle", system.lifecycle), prop("system-type", system.system_type),
                prop("level", system.effective_level),
                prop("governing-regime", system.governing_regime),
            ],
            "status": {"state": _COMPONENT_STATE.get(system.lifecycle, "other")},
        }

    def party_of(self, body_id: str, kind: str) -> dict[str, Any]:
        return {
            "uuid": self.party[body_id],
            "type": "organization",
            "name": self.names[body_id],
            "short-name": body_id,
            "props": [prop("kind", kind)],
        }


def _counts(view: RunView) -> str:
    counted = Counter(f.status.value for f in view.findings)
    return ", ".join(f"{status} {counted[status]}" for status in sorted(counted))


_OBSERVATIONS = "\x00observations\x00"
_FINDINGS = "\x00findings\x00"


def assessment_results_chunks(view: RunView, lang: str) -> Iterator[bytes]:
    """The OSCAL assessment-results document (`{"assessment-results": …}`) of one run as
    compact UTF-8 JSON, one observation or finding per line, prose (titles, messages) in
    `lang` and the other language in properties. DEL, C1 controls and bidi characters of
    inventory text are written as JSON escapes, as in auditor's results JSON."""
    build = _Builder(view, lang)
    head = _dump(_skeleton(build, view, lang))
    before, _, rest = head.partition(_dump(_OBSERVATIONS))
    between, _, after = rest.partition(_dump(_FINDINGS))
    yield before
    yield from _array(chain(
        (build.observation(f) for f in view.findings),
        (build.unused_attestation(u) for u in view.unused),
    ))
    yield between
    yield from _array(build.finding(f) for f in view.findings)
    yield after + b"\n"


def build_assessment_results(view: RunView, lang: str) -> dict[str, Any]:
    """assessment_results_chunks as one dict (for small runs and tests)."""
    document: dict[str, Any] = json.loads(b"".join(assessment_results_chunks(view, lang)))
    return document


def _dump(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return json_safe_bytes(text.encode("utf-8"))


def _array(items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    yield b"["
    for position, item in enumerate(items):
        yield (b",\n" if position else b"\n") + _dump(item)
    yield b"\n]"


def _skeleton(build: _Builder, view: RunView, lang: str) -> dict[str, Any]:
    org = view.organisation
    day = day_in(view.as_of, lang)
    title = (f"Security audit results: {org.name}, as of {day}" if lang == "en"
             else f"Kết quả đánh giá an toàn thông tin: {org.name}, ngày {day}")
    run_props = [
        prop("as-of", view.as_of.isoformat()), prop("source", view.source),
        prop("tool-version", view.tool_version), prop("live", view.live),
        prop("rules", view.rules), *optional_prop("observed-at", view.observed_at),
        *optional_prop("run-id", view.run_id), *optional_prop("recorded-at", view.recorded_at),
    ]
    plan_uuid = build.uuid("assessment-plan")
    result: dict[str, Any] = {
        "uuid": build.uuid("result"),
        "title": title,
        "description": (f"{len(view.findings)} findings: {_counts(view)}" if lang == "en"
                        else f"{len(view.findings)} phát hiện: {_counts(view)}"),
        "start": build.start,
    }
    end = build.end()
    if end is not None:
        result["end"] = end
    result["props"] = run_props
    if view.systems:
        result["local-definitions"] = {
            "components": [build.component_of(s) for s in view.systems]
        }
    controls = sorted({control_id(f.rule_id) for f in view.findings})
    result["reviewed-controls"] = {
        "control-selections": [{"include-controls": [{"control-id": c} for c in controls]}]
    }
    # streamed by assessment_results_chunks: a province's hundreds of thousands of findings
    # are never one object in memory
    result["observations"] = _OBSERVATIONS
    result["findings"] = _FINDINGS
    parties = [build.party_of(org.id, "organisation")]
    parties += [build.party_of(a.id, "agency") for a in view.agencies]
    metadata: dict[str, Any] = {
        "title": title,
        "last-modified": build.end() or build.start,
        "version": view.as_of.isoformat(),
        "oscal-version": OSCAL_VERSION,
        "props": [prop("lang", lang)],
        "parties": parties,
    }
    resources: list[dict[str, Any]] = [
        {"uuid": plan_uuid, "title": "Assessment plan" if lang == "en" else "Kế hoạch đánh giá",
         "description": _PLAN[lang], "props": [prop("kind", "assessment-plan")]}
    ]
    resources += [
        {
            "uuid": build.uuid("input", item.path, item.sha256),
            "title": item.path,
            "props": [prop("kind", item.kind)],
            "rlinks": [{"href": quote(item.path),
                        "hashes": [{"algorithm": "SHA-256", "value": item.sha256}]}],
        }
        for item in view.inputs
    ]
    return {
        "assessment-results": {
            "uuid": build.uuid("document"),
            "metadata": metadata,
            "import-ap": {"href": f"#{plan_uuid}", "remarks": _PLAN[lang]},
            "results": [result],
            "back-matter": {"resources": resources},
        }
    }
