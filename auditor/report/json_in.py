"""Read JSON results back into an AuditRun: schema 2.x, and every 1.x file (upgraded on read).

    run = read_results(Path("results.json"))

- **2.x** (`auditor.report.json_doc`): validated against the document's types, then each
  finding is expanded — its message from `texts`, its evidence from its owner's `facts`, the
  fields it leaves out from `catalog` and the defaults — into the same AuditRun that was
  written (`read_results(write(run)) == run`).
- **1.0 – 1.3**: the AuditRun shape itself. Each later 1.x version only added fields with a
  default (1.1 `observed`, 1.2 `register`, 1.3 level bounds, attestations, …), so a file of
  an older 1.x reads with those defaults. The earliest 1.0 files also had an evidence
  `source` text instead of a structured `origin`, and plain-text `score_method` and
  `regime_reason`; those are converted (the text becomes both languages; the source text is
  split into source, file:line and via).

The AuditRun keeps the version of the file it was read from (`schema_version`), so a reader
knows that a 1.0 run's missing attestations were not recorded rather than absent; writing
it again writes the current schema.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from auditor.errors import InputError, Location
from auditor.library_messages import describe_error
from auditor.messages import Msg, cannot_read, os_error
from auditor.model.results import (
    NOT_DECLARED,
    AuditRun,
    BodyResult,
    Evidence,
    Finding,
    SystemResult,
    Text2,
)
from auditor.report.json_doc import DOCUMENT, SCHEMA_MAJOR, BodyOut, FactOut, ResultsDocument
from auditor.report.json_doc import RuleDefaults as _Rule

__all__ = ["ResultsError", "expand", "read_results", "results_from_bytes", "upgrade_1x"]

_RUN_1X: TypeAdapter[AuditRun] = TypeAdapter(AuditRun)
#: The schema version at the head of a results file, read before the whole (json_check.py too).
SCHEMA_HEAD = re.compile(rb'\s*\{\s*"schema_version"\s*:\s*"([^"\\]{1,20})"')
_WHERE = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")


class ResultsError(InputError):
    """A file that is not auditor's JSON results, or is of a version this auditor cannot read."""


def read_results(path: Path) -> AuditRun:
    """The AuditRun a results file (any schema 1.0 – 2.x) holds; ResultsError if none."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ResultsError(Location(str(path)), cannot_read(os_error(error))) from error
    return results_from_bytes(data, str(path))


def results_from_bytes(data: bytes, name: str = "<results>") -> AuditRun:
    """The AuditRun `data` holds; `name` (the file) is what errors name."""
    # Millions of small acyclic objects: the cyclic collector would rescan them over and
    # over (as in auditor.audit.run_audit); reference counting still frees everything.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(data, name)
    finally:
        if was_enabled:
            gc.enable()


def _read(data: bytes, name: str) -> AuditRun:
    head = SCHEMA_HEAD.match(data[:256])
    if head is not None and head.group(1).startswith(f"{SCHEMA_MAJOR}.".encode()):
        try:
            document = DOCUMENT.validate_json(data)
        except ValidationError as error:
            raise _invalid(name, error) from error
        return expand(document, name)
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ResultsError(
            Location(name), Msg(f"không phải JSON: {error}", f"not JSON: {error}")
        ) from error
    version = parsed.get("schema_version") if isinstance(parsed, dict) else None
    if not isinstance(version, str):
        raise ResultsError(
            Location(name),
            Msg(
                "không phải kết quả JSON của auditor (không có schema_version)",
                "not auditor's JSON results (no schema_version)",
            ),
        )
    major = version.split(".", 1)[0]
    if major == "1":
        try:
            return upgrade_1x(parsed)
        except ValidationError as error:
            raise _invalid(name, error) from error
    if major == SCHEMA_MAJOR:  # a 2.x document whose first key is not schema_version
        try:
            return expand(DOCUMENT.validate_python(parsed), name)
        except ValidationError as error:
            raise _invalid(name, error) from error
    newer = major.isdigit() and int(major) > int(SCHEMA_MAJOR)
    raise ResultsError(
        Location(name, field="schema_version"),
        Msg(
            f"lược đồ kết quả {version!r} không phải loại mà phiên bản auditor này đọc được "
            f"(1.x, {SCHEMA_MAJOR}.x)"
            + ("; do một phiên bản auditor mới hơn ghi" if newer else ""),
            f"results schema {version!r} is not one this auditor reads (1.x, {SCHEMA_MAJOR}.x)"
            + ("; a newer auditor wrote it" if newer else ""),
        ),
    )


def _invalid(name: str, error: ValidationError) -> ResultsError:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = describe_error(first)
    if error.error_count() > 1:
        more = error.error_count() - 1
        message = message.suffixed(f" (và {more} lỗi khác)", f" (and {more} more problems)")
    return ResultsError(Location(name, field=where or None), message)


# -- 2.x --------------------------------------------------------------------------------------


def expand(document: ResultsDocument, name: str = "<results>") -> AuditRun:
    """The AuditRun a validated 2.x document holds (every finding in full)."""
    expander = Expander(document.catalog, document.texts, name)
    return AuditRun(
        schema_version=document.schema_version,
        run=document.run,
        organisation=expander.body(document.organisation, "organisation"),
        agencies=tuple(
            expander.body(agency, f"agencies.{i}") for i, agency in enumerate(document.agencies)
        ),
        systems=tuple(
            SystemResult(
                id=system.id,
                name=system.name,
                agency=system.agency,
                lifecycle=system.lifecycle,
                system_type=system.system_type,
                level=system.level,
                findings=expander.findings(
                    system.id, system.facts, system.findings, f"systems.{i}"
                ),
                summary=system.summary,
                observed=system.observed,
                register=system.register,
                attestations=system.attestations,
            )
            for i, system in enumerate(document.systems)
        ),
        summary=document.summary,
        extra=document.extra,
    )


class Expander:
    def __init__(self, catalog: Mapping[str, _Rule], texts: Sequence[Text2], name: str) -> None:
        self._catalog = catalog
        self._texts = texts
        self._name = name

    def body(self, body: BodyOut, where: str) -> BodyResult:
        return BodyResult(
            id=body.id,
            name=body.name,
            kind=body.kind,
            findings=self.findings(body.id, body.facts, body.findings, where),
            summary=body.summary,
            systems=body.systems,
            register=body.register,
            attestations=body.attestations,
        )

    def findings(
        self, owner: str, facts: Sequence[FactOut], found: Sequence[Any], where: str
    ) -> tuple[Finding, ...]:
        items = tuple(Evidence(f.fact, f.value, f.origin) for f in facts)
        catalog, texts = self._catalog, self._texts
        out: list[Finding] = []
        for position, f in enumerate(found):
            rule_id, subject, status = f.rule_id, f.subject, f.status
            try:
                rule = catalog[rule_id]
                message = texts[f.message] if isinstance(f.message, int) else f.message
                evidence = tuple(items[i] for i in f.evidence)
            except KeyError as error:
                problem = Msg(
                    f"quy tắc {error} không có trong catalog", f"rule {error} is not in the catalog"
                )
                raise self._missing(where, position, problem) from error
            except IndexError as error:
                problem = Msg(
                    "thiếu một văn bản hoặc dữ kiện mà nó chỉ tới",
                    "a text or fact it names is not there",
                )
                raise self._missing(where, position, problem) from error
            out.append(
                Finding(
                    id=f.id if f.id is not None else _finding_id(rule_id, owner, subject),
                    rule_id=rule_id,
                    subject=subject,
                    status=status,
                    measured_status=status if f.measured_status is None else f.measured_status,
                    severity=rule.severity if f.severity is None else f.severity,
                    obligation=rule.obligation if f.obligation is None else f.obligation,
                    group=rule.group if f.group is None else f.group,
                    message=message,
                    evidence=evidence,
                    waiver=f.waiver,
                    gate=rule.gate if f.gate is None else f.gate,
                )
            )
        return tuple(out)


    def _missing(self, where: str, position: int, what: Msg) -> ResultsError:
        return ResultsError(Location(self._name, field=f"{where}.findings.{position}"), what)


def _finding_id(rule_id: str, owner: str, subject: str | None) -> str:
    """As the engine makes it (auditor.engine._finding_id)."""
    return f"{rule_id}:{owner}" + (f":{subject}" if subject else "")


# -- 1.x --------------------------------------------------------------------------------------


def upgrade_1x(document: dict[str, Any]) -> AuditRun:
    """The AuditRun of a parsed 1.x document (1.0 – 1.3); pydantic ValidationError if it is
    not one. Fields a version did not have take their defaults; the early 1.0 shapes are
    converted in `document` itself (it is changed)."""
    run = document.get("run")
    if isinstance(run, dict) and isinstance(run.get("score_method"), str):
        run["score_method"] = _both(run["score_method"])
    for system in _dicts(document.get("systems")):
        level = system.get("level")
        if isinstance(level, dict) and isinstance(level.get("regime_reason"), str):
            level["regime_reason"] = _both(level["regime_reason"])
    owners = [document.get("organisation"), *_list(document.get("agencies"))]
    owners += _list(document.get("systems"))
    for owner in _dicts(owners):
        for finding in _dicts(owner.get("findings")):
            for item in _dicts(finding.get("evidence")):
                if "origin" not in item and isinstance(item.get("source"), str):
                    item["origin"] = _origin_from_text(item.pop("source"))
    return _RUN_1X.validate_python(document)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in _list(value) if isinstance(item, dict)]


def _both(text: str) -> dict[str, str]:
    return {"vi": text, "en": text}


def _origin_from_text(text: str) -> dict[str, Any]:
    """An early 1.0 evidence source, `str(Origin)`: "source · file:line · via" (or "not
    declared"), back into its parts."""
    parts = text.split(" · ")
    source = parts[0].strip()
    if source in ("not declared", "not_declared", ""):
        return {"source": NOT_DECLARED.source}
    origin: dict[str, Any] = {"source": source}
    rest = parts[1:]
    if rest and (where := _WHERE.match(rest[0])) is not None:
        origin["file"], origin["line"] = where["file"], int(where["line"])
        rest = rest[1:]
    if rest:
        origin["via"] = " · ".join(rest)
    return origin

