"""JSON results, schema 2.x: written compact, read back equal; every 1.x and 2.0 file still reads.

The round trip is the contract: `results_from_bytes(to_json(run)) == run` for the example
province, a generated province of 300 systems and randomly altered runs (hypothesis), and
re-writing what was read gives the same bytes. Files of schema 1.0 – 1.3 made by earlier
auditors (tests/data/results-*.json, see test_old_files_*) read into the same model.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import AS_OF, EXAMPLE, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from auditor.audit import AuditRequest, run_audit
from auditor.model.results import (
    NOT_DECLARED,
    SCHEMA_VERSION,
    AuditRun,
    Evidence,
    Finding,
    Obligation,
    Origin,
    Severity,
    Status,
    Text2,
    WaiverNote,
)
from auditor.report.json_doc import results_schema
from auditor.report.json_in import ResultsError, read_results, results_from_bytes
from auditor.report.json_out import json_chunks, to_json

DATA = REPO / "tests" / "data"
FULL: TypeAdapter[AuditRun] = TypeAdapter(AuditRun)  # the 1.x shape: every finding in full


@pytest.fixture(scope="module")
def example() -> AuditRun:
    return run_audit(AuditRequest([EXAMPLE], AS_OF)).run


@pytest.fixture(scope="module")
def province_300(tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    folder = tmp_path_factory.mktemp("p300")
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--systems", "300",
         "--agencies", "10", "--out", str(folder)],
        check=True, capture_output=True,
    )  # fmt: skip
    return run_audit(AuditRequest([folder], AS_OF)).run


def _round_trip(run: AuditRun) -> bytes:
    blob = to_json(run)
    back = results_from_bytes(blob)
    assert back == run
    assert to_json(back) == blob  # nothing depends on which objects the engine shared
    return blob


def test_example_round_trip(example: AuditRun) -> None:
    blob = _round_trip(example)
    assert b"".join(json_chunks(example)) == blob
    assert json.loads(blob)["schema_version"] == SCHEMA_VERSION == "2.2"


def test_generated_province_round_trip_at_under_40_percent(province_300: AuditRun) -> None:
    blob = _round_trip(province_300)
    full = FULL.dump_json(province_300)  # what schema 1.3 wrote for the same run
    assert len(blob) <= 0.40 * len(full), (len(blob), len(full))


def test_the_document_shape(example: AuditRun) -> None:
    document = json.loads(to_json(example))
    assert list(document) == [
        "schema_version", "run", "catalog", "texts", "organisation", "agencies", "systems",
        "summary", "extra",
    ]  # fmt: skip
    system = document["systems"][0]
    finding = system["findings"][0]
    assert set(finding) <= {
        "rule_id", "id", "subject", "status", "measured_status", "severity", "obligation",
        "group", "gate", "message", "evidence", "waiver",
    }  # fmt: skip
    assert "id" not in finding and "measured_status" not in finding  # both derivable
    every = [f for s in document["systems"] for f in s["findings"]]
    assert all(None not in f.values() for f in every)  # no null is repeated per finding
    assert all(None not in fact.values() for s in document["systems"] for fact in s["facts"])
    shared = [f for f in every if isinstance(f["message"], int)]
    assert len(shared) > len(every) / 2  # most messages are shared
    assert {type(i) for f in every for i in f.get("evidence", ())} == {int}
    # a finding that states its severity differs from its rule's usual one
    for f in every:
        if "severity" in f:
            assert f["severity"] != document["catalog"][f["rule_id"]]["severity"]


def test_written_results_match_the_published_schema(example: AuditRun) -> None:
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(to_json(example)), schema)
    for name in ("catalog", "texts"):
        assert name in schema["properties"]
    assert "facts" in schema["$defs"]["SystemOut"]["properties"]


def test_schema_command_prints_the_new_schema() -> None:
    from conftest import run_cli

    result = run_cli("schema", "--results")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "auditor JSON results, schema 2.2"


# -- files written by earlier auditors ----------------------------------------------------------


def test_old_files_1_3_read_without_loss() -> None:
    """The 1.3 file of the example province (written by the auditor of commit 2c44c4c): the
    model read from it spells out to exactly the file."""
    path = DATA / "results-1.3.json"
    run = read_results(path)
    assert run.schema_version == "1.3"
    assert _as_1_3(FULL.dump_python(run, mode="json")) == json.loads(path.read_bytes())
    rewritten = results_from_bytes(to_json(run))
    assert rewritten == dataclasses.replace(run, schema_version=SCHEMA_VERSION)


def test_old_files_2_0_read() -> None:
    """The 2.0 file of the example province (written by the auditor of commit 428720d, before
    2.1 added the Form 08 register fields): it reads, the fields 2.1 added read as not
    declared, and written again it is a 2.1 file that reads back equal."""
    path = DATA / "results-2.0.json"
    original = json.loads(path.read_bytes())
    run = read_results(path)
    assert original["schema_version"] == run.schema_version == "2.0"
    assert len(run.systems) == len(original["systems"]) == 20
    findings = sum(len(s.findings) for s in run.systems)
    assert findings == sum(len(s["findings"]) for s in original["systems"])
    assert run.organisation is not None
    bodies = [run.organisation.register, *(a.register for a in run.agencies)]
    assert all(b is not None and b.own_points is None and b.letter is None for b in bodies)
    assert all(s.register is not None and s.register.retired is None for s in run.systems)
    rewritten = to_json(run)
    assert json.loads(rewritten)["schema_version"] == SCHEMA_VERSION
    assert results_from_bytes(rewritten) == dataclasses.replace(
        run, schema_version=SCHEMA_VERSION
    )


# Register fields added after 1.3 (Form 08 section 2, the letter, the body's own points, the
# retirement date): a 1.3 file has none of them, so they read as None.
_AFTER_1_3 = {"owner", "unit", "letter", "own_points", "retired"}


def _as_1_3(full: dict[str, Any]) -> dict[str, Any]:
    bodies = [full["organisation"], *full["agencies"], *full["systems"]]
    for body in bodies:
        register = body.get("register")
        if isinstance(register, dict):
            for key in _AFTER_1_3 - {"owner"} if "operator" in register else _AFTER_1_3:
                if register.get(key, "absent") is None:
                    del register[key]
    if full["run"].get("unused_inputs") == []:  # 2.2: none recorded before
        del full["run"]["unused_inputs"]
    return full


@pytest.mark.parametrize("version", ["1.0-early", "1.0", "1.1", "1.2"])
def test_old_files_read(version: str) -> None:
    """Files of schema 1.0 – 1.2 (trimmed to two systems) from the auditors of commits 90f5f97
    (evidence `source` text), 01aa853 (1.0), 7705af4 (1.1) and b6ab89c (1.2)."""
    path = DATA / f"results-{version}.json"
    original = json.loads(path.read_bytes())
    run = read_results(path)
    assert run.schema_version == original["schema_version"]
    full = FULL.dump_python(run, mode="json")
    _contains(full, original, "")
    assert len(run.systems) == 2 and sum(len(s.findings) for s in run.systems) > 50
    assert results_from_bytes(to_json(run)) == dataclasses.replace(
        run, schema_version=SCHEMA_VERSION
    )
    waived = [f for s in run.systems for f in s.findings if f.status is Status.WAIVED]
    assert waived and all(f.waiver is not None for f in waived)
    sources = {e.origin.source for s in run.systems for f in s.findings for e in f.evidence}
    assert {"declared", "not_declared"} <= sources


def _contains(new: Any, old: Any, where: str) -> None:
    """Everything the old file says, the upgraded model says too (it may say more: the
    fields later versions added, at their defaults), but for the shapes 1.0 changed."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            if key == "source" and isinstance(value, str) and "origin" in new:
                _origin_says(new["origin"], value, where)
                continue
            assert key in new, f"{where}.{key}"
            if isinstance(value, str) and isinstance(new[key], dict) and "vi" in new[key]:
                assert new[key] == {"vi": value, "en": value}, f"{where}.{key}"
                continue
            _contains(new[key], value, f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            _contains(a, b, f"{where}[{i}]")
    else:
        assert new == old, where


def _origin_says(origin: dict[str, Any], text: str, where: str) -> None:
    if text == "not declared":
        assert origin["source"] == "not_declared", where
        return
    where_text = f"{origin['file']}:{origin['line']}" if origin["file"] and origin["line"] else ""
    parts = [p for p in (origin["source"], where_text or origin["file"], origin["via"]) if p]
    assert " · ".join(parts) == text, where


# -- not results --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "no schema_version"),
        (b'{"schema_version": "3.0"}', "'3.0' is not one this auditor reads"),
        (b'{"schema_version": "0.9"}', "'0.9' is not one this auditor reads (1.x, 2.x)\n"),
        (b'{"schema_version": "2.0", "run": {}}', "required field is missing"),
        (b'{"schema_version": "1.3", "run": {}}', "required field is missing"),
    ],
)
def test_what_is_not_results_is_one_clear_error(data: bytes, says: str) -> None:
    with pytest.raises(ResultsError) as raised:
        results_from_bytes(data, "r.json")
    assert str(raised.value).startswith("r.json")
    assert says.lower() in str(raised.value).lower() + "\n"


def test_a_reference_to_nothing_is_an_error(example: AuditRun) -> None:
    document = json.loads(to_json(example))
    document["systems"][0]["findings"][0]["message"] = len(document["texts"])
    with pytest.raises(ResultsError, match=r"systems\.0\.findings\.0.*not there"):
        results_from_bytes(json.dumps(document).encode())
    document = json.loads(to_json(example))
    document["systems"][0]["findings"][0]["evidence"] = [-1]
    with pytest.raises(ResultsError, match="greater than or equal to 0"):
        results_from_bytes(json.dumps(document).encode())
    document = json.loads(to_json(example))
    del document["catalog"][document["systems"][0]["findings"][0]["rule_id"]]
    with pytest.raises(ResultsError, match="not in the catalog"):
        results_from_bytes(json.dumps(document).encode())


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match="cannot read"):
        read_results(tmp_path / "missing.json")


# -- any run, not only what the engine happens to make -------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, -0.0, 1.0, 2.5])
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_ORIGINS = st.sampled_from(
    [NOT_DECLARED, Origin("declared", "a.yaml", 3), Origin("inherited", "a.yaml", 3, "org"),
     Origin("derived", via="auditor"), Origin("not_declared", "odd.yaml")]
)  # fmt: skip
_EVIDENCE = st.builds(Evidence, st.sampled_from(["x", "y.z", "w"]), _VALUES, _ORIGINS)
_MESSAGES = st.sampled_from([Text2("a", "A"), Text2("b", "B"), Text2("", "")]) | st.builds(
    Text2, _TEXT, _TEXT
)
_WAIVERS = st.none() | st.builds(
    WaiverNote, _TEXT, _TEXT, _TEXT, st.dates(), st.booleans(), st.booleans()
)


@st.composite
def _finding(draw: st.DrawFn, owner: str) -> Finding:
    rule = draw(st.sampled_from(["R-1", "R-2", "GOV-04"]))
    subject = draw(st.none() | st.sampled_from(["", "host:443", "x"]))
    status = draw(st.sampled_from(list(Status)))
    usual = f"{rule}:{owner}" + (f":{subject}" if subject else "")
    return Finding(
        id=draw(st.sampled_from([usual, usual, f"{rule}:other"])),
        rule_id=rule,
        subject=subject,
        status=status,
        measured_status=draw(st.sampled_from([status, status, *Status])),
        severity=draw(st.sampled_from(list(Severity))),
        obligation=draw(st.sampled_from(list(Obligation))),
        group=draw(st.sampled_from(["g", "g", "h"])),
        message=draw(_MESSAGES),
        evidence=tuple(draw(st.lists(_EVIDENCE, max_size=4))),
        waiver=draw(_WAIVERS),
        gate=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_findings_round_trip(example: AuditRun, data: st.DataObject) -> None:
    """Findings with every field off its usual value (ids not of the usual form, severities
    against the rule's, 1 / 1.0 / True and 0.0 / -0.0 as evidence values, empty subjects and
    messages, waivers, …) on the example's owners."""
    systems = tuple(
        dataclasses.replace(
            system, findings=tuple(data.draw(st.lists(_finding(system.id), max_size=6)))
        )
        for system in example.systems[:3]
    )
    organisation = dataclasses.replace(
        example.organisation,
        findings=tuple(data.draw(st.lists(_finding(example.organisation.id), max_size=4))),
    )
    run = dataclasses.replace(example, systems=systems, organisation=organisation, agencies=())
    blob = to_json(run)
    back = results_from_bytes(blob)
    assert back == run
    for old, new in zip(_all(run), _all(back), strict=True):  # also the kind of each value
        assert [repr(e.value) for e in old.evidence] == [repr(e.value) for e in new.evidence]
    assert to_json(back) == blob


def _all(run: AuditRun) -> list[Finding]:
    return [*run.organisation.findings, *(f for s in run.systems for f in s.findings)]
