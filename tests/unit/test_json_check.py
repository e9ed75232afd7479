"""The light check of JSON results (`auditor.report.json_check`) accepts exactly what the full
reader (`json_in.results_from_bytes`) reads, and refuses the rest with the reader's own error.

Each refusal below is compared with the full reader's error for the same bytes; each
acceptance is made with the full reader disabled, so it is the light pass itself, one system
at a time, that vouched for the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import AS_OF, EXAMPLE, REPO

from auditor.audit import AuditRequest, run_audit
from auditor.report import json_check
from auditor.report.json_check import check_results
from auditor.report.json_in import ResultsError, results_from_bytes
from auditor.report.json_out import to_json

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def blob() -> bytes:
    return to_json(run_audit(AuditRequest([EXAMPLE], AS_OF)).run)


@pytest.fixture
def no_full_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes, name: str = "") -> None:
        raise AssertionError("the light pass fell back to the full reader")

    monkeypatch.setattr(json_check, "results_from_bytes", refuse)


def _organisation(data: bytes) -> tuple[str, str]:
    run = results_from_bytes(data)
    return run.organisation.id, run.organisation.name


@pytest.mark.usefixtures("no_full_reader")
@pytest.mark.parametrize("indent", [None, 2])
def test_results_pass_one_system_at_a_time(blob: bytes, indent: int | None) -> None:
    document = json.loads(blob)
    assert len(document["systems"]) > 1
    data = blob if indent is None else json.dumps(document, indent=indent).encode()
    head = check_results(data, "r.json")
    assert head.schema_version == document["schema_version"]
    assert (head.organisation.id, head.organisation.name) == (
        document["organisation"]["id"], document["organisation"]["name"])


@pytest.mark.usefixtures("no_full_reader")
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_windows_that_cut_values_and_characters(blob: bytes, chunk: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of bytes ends inside a value, a number or a multi-byte character."""
    assert not blob.isascii()  # Vietnamese names: some characters are 2-3 bytes
    monkeypatch.setattr(json_check._Scanner, "_CHUNK", chunk)
    head = check_results(blob)
    assert head.organisation.id == json.loads(blob)["organisation"]["id"]
    start, spans, end = json_check._systems(json_check._Scanner(blob))
    systems = json.loads(blob)["systems"]
    assert [json.loads(blob[a:b]) for a, b in spans] == systems
    assert json.loads(blob[start:end]) == systems


def _set(path: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return edit


def _drop_rule(document: dict[str, Any]) -> None:
    del document["catalog"][document["systems"][1]["findings"][0]["rule_id"]]


def _text_out_of_range(document: dict[str, Any]) -> None:
    document["systems"][1]["findings"][0]["message"] = len(document["texts"])


REFUSED: dict[str, Edit] = {
    "a system field of the wrong type": _set("systems.1.level", "high"),
    "a system without its id": lambda d: d["systems"][1].pop("id"),
    "a rule not in the catalog": _drop_rule,
    "a text that is not there": _text_out_of_range,
    "a fact that is not there": _set("systems.1.findings.0.evidence", [999]),
    "a negative fact position": _set("systems.1.findings.0.evidence", [-1]),
    "a system that is not an object": _set("systems.1", 1),
    "systems that are not a list": _set("systems", {}),
    "a bad agency": _set("agencies.0.summary", None),
    "a bad run": _set("run", []),
    "another schema version": _set("schema_version", "2.x"),
    "a reference before a bad field": lambda d: (_text_out_of_range(d),
                                                 _set("systems.2.level", "high")(d)),
    "a bad agency reference before a bad system": lambda d: (
        _set("agencies.0.findings", [{"rule_id": "NO-SUCH", "status": "pass", "message": 0}])(d),
        _set("systems.2.level", "high")(d)),
}


@pytest.mark.parametrize("edit", REFUSED.values(), ids=REFUSED.keys())
def test_what_the_reader_refuses_is_refused_with_its_error(blob: bytes, edit: Edit) -> None:
    document = json.loads(blob)
    edit(document)
    data = json.dumps(document, ensure_ascii=False).encode()
    _refused_alike(data)


RAW: dict[str, Callable[[bytes], bytes]] = {
    "malformed JSON inside a system": lambda b: b.replace(b'"findings":[', b'"findings":[,', 1),
    "a missing comma between systems": lambda b: b.replace(b'},{"id"', b'} {"id"', 1),
    "a comma after the last system": lambda b: b.replace(b"}],\"summary\"", b"},],\"summary\""),
    "garbage after the document": lambda b: b + b" x",
    "a second document": lambda b: b + b"{}",
    "a cut file": lambda b: b[: len(b) // 2],
    "invalid UTF-8 in a name": lambda b: b.replace(b"\xc3", b"\xff", 1),
    "schema 3": lambda b: b.replace(b'"schema_version":"2.', b'"schema_version":"3.', 1),
}


@pytest.mark.parametrize("damage", RAW.values(), ids=RAW.keys())
def test_damaged_bytes_are_refused_with_the_readers_error(blob: bytes,
                                                          damage: Callable[[bytes], bytes]) -> None:
    data = damage(blob)
    assert data != blob
    _refused_alike(data)


def _refused_alike(data: bytes) -> None:
    with pytest.raises(ResultsError) as full:
        results_from_bytes(data, "r.json")
    with pytest.raises(ResultsError) as light:
        check_results(data, "r.json")
    assert str(light.value) == str(full.value)


def test_two_systems_keys_go_to_the_full_reader(blob: bytes) -> None:
    """Which of two keys counts is the reader's decision, not the light pass's."""
    document = blob.rstrip()
    assert document.endswith(b"}")
    twice = document[:-1] + b',"systems":[]}'
    head = check_results(twice)
    assert (head.organisation.id, head.organisation.name) == _organisation(twice)
    with pytest.raises(json_check._UnsplittableError):
        json_check._systems(json_check._Scanner(twice))


@pytest.mark.parametrize("version", ["1.0-early", "1.3", "2.0"])
def test_older_files_still_pass(version: str) -> None:
    data = (REPO / "tests" / "data" / f"results-{version}.json").read_bytes()
    head = check_results(data)
    assert (head.organisation.id, head.organisation.name) == _organisation(data)
