"""JSON results: the versioned, deterministic machine-readable form of an AuditRun.

Schema 2.0 (see `auditor.report.json_doc` for the shape and why): rule data once per rule in
`catalog`, shared messages once in `texts`, each owner's facts once in `facts`, no field
that equals its default. `auditor.report.json_in.read_results` reads it back into an
AuditRun equal to the one written.

The data is exact; DEL, C1 controls and bidi characters from inventory text are written as
JSON escapes (`\u202e`), never raw, so showing the JSON on a terminal is harmless
(`auditor.safe_text.json_safe`). A file and standard output get the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import TypeAdapter

from auditor.model.results import (
    NOT_DECLARED,
    SCHEMA_VERSION,
    AttestationRecord,
    AuditRun,
    BodyRegister,
    BodyResult,
    Evidence,
    Finding,
    LevelResult,
    ObservedRecord,
    Origin,
    RunInfo,
    Summary,
    SystemRegister,
    SystemResult,
    WaiverNote,
)
from auditor.report.json_doc import results_schema
from auditor.safe_text import json_safe_bytes

__all__ = ["json_chunks", "results_schema", "to_json"]

_ANY: TypeAdapter[Any] = TypeAdapter(Any)
_RUN: TypeAdapter[RunInfo] = TypeAdapter(RunInfo)
_LEVEL: TypeAdapter[LevelResult] = TypeAdapter(LevelResult)
_SUMMARY: TypeAdapter[Summary] = TypeAdapter(Summary)
_OBSERVED: TypeAdapter[tuple[ObservedRecord, ...]] = TypeAdapter(tuple[ObservedRecord, ...])
_ATTESTATIONS: TypeAdapter[tuple[AttestationRecord, ...]] = TypeAdapter(
    tuple[AttestationRecord, ...]
)
_SYSTEM_REGISTER: TypeAdapter[SystemRegister] = TypeAdapter(SystemRegister)
_BODY_REGISTER: TypeAdapter[BodyRegister] = TypeAdapter(BodyRegister)
_WAIVER: TypeAdapter[WaiverNote] = TypeAdapter(WaiverNote)

# rule id -> (severity, obligation, group, gate) that its findings state only when they differ
_Defaults = tuple[Any, Any, str, bool]


def json_chunks(run: AuditRun) -> Iterator[bytes]:
    """The results as compact UTF-8 JSON (schema 2.x), one owner at a time.

    A first pass over the findings picks each rule's usual values and the messages that
    repeat; then every owner is encoded and serialised on its own, so memory holds the run,
    those two tables and one system's JSON — never the whole document. Keys come in a fixed
    order and every table in order of first use, so the output is byte-identical across runs.
    """
    for chunk in _chunks(run):
        yield json_safe_bytes(chunk)


def _chunks(run: AuditRun) -> Iterator[bytes]:
    """json_chunks before escaping: the schema-2.0 document, one owner at a time."""
    catalog, texts = _tables(run)
    encoder = _Encoder(catalog, {text: i for i, text in enumerate(texts)})
    yield b'{"schema_version":' + _ANY.dump_json(SCHEMA_VERSION)
    yield b',"run":' + _RUN.dump_json(run.run, exclude_defaults=True)
    yield b',"catalog":' + _ANY.dump_json(
        {rule: _rule_defaults(values) for rule, values in catalog.items()}
    )
    yield b',"texts":' + _ANY.dump_json([{"vi": vi, "en": en} for vi, en in texts])
    yield b',"organisation":' + _ANY.dump_json(encoder.body(run.organisation))
    yield b',"agencies":['
    for position, agency in enumerate(run.agencies):
        yield (b"," if position else b"") + _ANY.dump_json(encoder.body(agency))
    yield b'],"systems":['
    for position, system in enumerate(run.systems):
        yield (b"," if position else b"") + _ANY.dump_json(encoder.system(system))
    yield b'],"summary":' + _SUMMARY.dump_json(run.summary, exclude_defaults=True)
    yield b',"extra":' + _ANY.dump_json(run.extra) + b"}\n"


def to_json(run: AuditRun) -> bytes:
    """The whole results document (see json_chunks); prefer the chunks for large runs."""
    return b"".join(json_chunks(run))


def _every_finding(run: AuditRun) -> Iterator[Finding]:
    yield from run.organisation.findings
    for agency in run.agencies:
        yield from agency.findings
    for system in run.systems:
        yield from system.findings


def _tables(run: AuditRun) -> tuple[dict[str, _Defaults], list[tuple[str, str]]]:
    """Each rule's most frequent severity, obligation, group and gate (ties: the first met),
    and the messages that two or more findings share, in order of first use."""
    tally = Counter(
        (f.rule_id, f.severity, f.obligation, f.group, f.gate) for f in _every_finding(run)
    )
    per_rule: dict[str, list[Counter[Any]]] = {}
    for (rule, *values), count in tally.items():
        counters = per_rule.setdefault(rule, [Counter(), Counter(), Counter(), Counter()])
        for counter, value in zip(counters, values, strict=True):
            counter[value] += count
    catalog: dict[str, _Defaults] = {
        rule: (
            _mode(counters[0]),
            _mode(counters[1]),
            _mode(counters[2]),
            _mode(counters[3]),
        )
        for rule, counters in per_rule.items()
    }
    messages = Counter((f.message.vi, f.message.en) for f in _every_finding(run))
    return catalog, [text for text, count in messages.items() if count > 1]


def _mode(counter: Counter[Any]) -> Any:
    best = max(counter.values())
    return next(value for value, count in counter.items() if count == best)


def _rule_defaults(values: _Defaults) -> dict[str, Any]:
    severity, obligation, group, gate = values
    entry = {"severity": severity.value, "obligation": obligation.value, "group": group}
    if gate:
        entry["gate"] = True
    return entry


def _origin(origin: Origin) -> dict[str, Any]:
    out: dict[str, Any] = {"source": origin.source}
    if origin.file is not None:
        out["file"] = origin.file
    if origin.line is not None:
        out["line"] = origin.line
    if origin.via is not None:
        out["via"] = origin.via
    return out


_SCALARS = (str, int, bool, type(None))


def _value_key(value: Any) -> Any:
    """A hashable key that tells apart every JSON value (1, 1.0 and True; 0.0 and -0.0)."""
    kind = type(value)
    if kind in _SCALARS:
        return kind, value
    if kind is float:
        return kind, repr(value)
    return kind, _ANY.dump_json(value)


class _Encoder:
    """Encodes owners (organisation, agencies, systems) against the run's tables."""

    def __init__(self, catalog: dict[str, _Defaults], texts: dict[tuple[str, str], int]) -> None:
        self._catalog = catalog
        self._texts = texts
        self._origins: dict[Origin, dict[str, Any]] = {}

    def body(self, body: BodyResult) -> dict[str, Any]:
        out: dict[str, Any] = {"id": body.id, "name": body.name, "kind": body.kind}
        self._findings(out, body.id, body.findings)
        out["summary"] = _SUMMARY.dump_python(body.summary, mode="json", exclude_defaults=True)
        if body.systems:
            out["systems"] = list(body.systems)
        if body.register is not None:
            out["register"] = _BODY_REGISTER.dump_python(
                body.register, mode="json", exclude_defaults=True
            )
        self._attestations(out, body.attestations)
        return out

    def system(self, system: SystemResult) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": system.id,
            "name": system.name,
            "agency": system.agency,
            "lifecycle": system.lifecycle,
            "system_type": system.system_type,
            "level": _LEVEL.dump_python(system.level, mode="json", exclude_defaults=True),
        }
        self._findings(out, system.id, system.findings)
        out["summary"] = _SUMMARY.dump_python(system.summary, mode="json", exclude_defaults=True)
        if system.observed:
            out["observed"] = _OBSERVED.dump_python(
                system.observed, mode="json", exclude_defaults=True
            )
        if system.register is not None:
            out["register"] = _SYSTEM_REGISTER.dump_python(
                system.register, mode="json", exclude_defaults=True
            )
        self._attestations(out, system.attestations)
        return out

    def _attestations(self, out: dict[str, Any], records: tuple[AttestationRecord, ...]) -> None:
        if records:
            out["attestations"] = _ATTESTATIONS.dump_python(
                records, mode="json", exclude_defaults=True
            )

    def _findings(self, out: dict[str, Any], owner: str, findings: Iterable[Finding]) -> None:
        # The hot loop of the writer (a million findings at 10,000 systems): attribute
        # lookups hoisted, enum values read as `_value_` (`.value` is a slow descriptor), keys
        # as plain tuples (a dataclass __hash__ is a Python call).
        facts: list[dict[str, Any]] = []
        by_object: dict[int, int] = {}  # id(Evidence) -> position: the engine shares them
        by_value: dict[tuple[Any, ...], int] = {}
        catalog, texts, known = self._catalog, self._texts.get, by_object.get

        def position(item: Evidence) -> int:
            o = item.origin
            key = (item.fact, o.source, o.file, o.line, o.via, _value_key(item.value))
            found = by_value.get(key)
            if found is None:
                found = by_value[key] = len(facts)
                facts.append(self._fact(item))
            by_object[id(item)] = found
            return found

        encoded: list[dict[str, Any]] = []
        for f in findings:
            rule, subject, status = f.rule_id, f.subject, f.status
            entry: dict[str, Any] = {"rule_id": rule}
            if f.id != (f"{rule}:{owner}:{subject}" if subject else f"{rule}:{owner}"):
                entry["id"] = f.id
            if subject is not None:
                entry["subject"] = subject
            entry["status"] = status._value_
            if f.measured_status is not status:
                entry["measured_status"] = f.measured_status._value_
            severity, obligation, group, gate = catalog[rule]
            if f.severity is not severity:
                entry["severity"] = f.severity._value_
            if f.obligation is not obligation:
                entry["obligation"] = f.obligation._value_
            if f.group != group:
                entry["group"] = f.group
            if f.gate is not gate:
                entry["gate"] = f.gate
            message = f.message
            vi, en = message.vi, message.en
            shared = texts((vi, en))
            entry["message"] = {"vi": vi, "en": en} if shared is None else shared
            evidence = f.evidence
            if evidence:
                entry["evidence"] = [
                    found if (found := known(id(item))) is not None else position(item)
                    for item in evidence
                ]
            if f.waiver is not None:
                entry["waiver"] = _WAIVER.dump_python(f.waiver, mode="json", exclude_defaults=True)
            encoded.append(entry)
        if facts:
            out["facts"] = facts
        if encoded:
            out["findings"] = encoded

    def _fact(self, item: Evidence) -> dict[str, Any]:
        fact: dict[str, Any] = {"fact": item.fact}
        if item.value is not None:
            fact["value"] = item.value
        origin = item.origin
        if origin is not NOT_DECLARED and origin != NOT_DECLARED:
            cached = self._origins.get(origin)
            if cached is None:
                cached = self._origins[origin] = _origin(origin)
            fact["origin"] = cached
        return fact
