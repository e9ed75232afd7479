"""The progress callbacks of the loader and the engine, and of run_audit which passes them on:
`progress(done, total)` after each inventory file read and after each system judged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import EXAMPLE

from auditor.audit import AuditRequest, run_audit
from auditor.engine import evaluate
from auditor.errors import InputError
from auditor.facts import Provenance
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import load_inventory
from auditor.report.json_out import to_json

AS_OF = dt.date(2026, 11, 24)
FILES = 7
SYSTEMS = 20


def test_the_loader_reports_each_file_read() -> None:
    calls: list[tuple[int, int]] = []
    loaded = load_inventory([EXAMPLE], progress=lambda done, total: calls.append((done, total)))
    assert len(loaded.files) == FILES
    assert calls == [(n, FILES) for n in range(1, FILES + 1)]


def test_the_engine_reports_each_system_judged_and_judges_the_same() -> None:
    loaded = load_inventory([EXAMPLE])
    catalog, inputs = load_catalog()
    provenance = Provenance(
        systems=loaded.system_origins,
        agencies=loaded.agency_origins,
        organisation=loaded.organisation_origins,
    )
    calls: list[tuple[int, int]] = []
    watched = evaluate(
        loaded.inventory, catalog, AS_OF, provenance, (*loaded.files, *inputs),
        progress=lambda done, total: calls.append((done, total)),
    )
    # First (0, total), announcing the work; then one call per system judged (in-process here).
    assert calls == [(n, SYSTEMS) for n in range(0, SYSTEMS + 1)]
    plain = evaluate(loaded.inventory, catalog, AS_OF, provenance, (*loaded.files, *inputs))
    assert to_json(watched) == to_json(plain)


def test_run_audit_passes_both_callbacks_on() -> None:
    files: list[tuple[int, int]] = []
    systems: list[tuple[int, int]] = []
    outcome = run_audit(
        AuditRequest(
            [EXAMPLE], AS_OF,
            files_progress=lambda done, total: files.append((done, total)),
            systems_progress=lambda done, total: systems.append((done, total)),
        )
    )
    assert files[-1] == (FILES, FILES) and len(files) == FILES
    assert systems == [(n, SYSTEMS) for n in range(0, SYSTEMS + 1)]
    assert json.loads(to_json(outcome.run))["summary"]


def test_a_file_that_fails_still_counts_as_read(tmp_path: Path) -> None:
    for source in sorted(EXAMPLE.glob("*.yaml")):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "zz-broken.yaml").write_text("agencies: [\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    with pytest.raises(InputError):
        load_inventory([tmp_path], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, FILES + 1) for n in range(1, FILES + 2)]
