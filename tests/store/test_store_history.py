"""Recording runs and reading them back, on SQLite and PostgreSQL (the `location` fixture)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from auditor.errors import AuditorError
from auditor.model.results import AuditRun, Finding, Status, SystemResult
from auditor.store import FindingRow, HistoryStore, StoreError
from auditor.store.schema import findings, run_agencies, run_systems, runs
from store.synthetic import AS_OF, example_run, finding_count

EARLIER = dt.date(2026, 6, 1)


def _row(f: Finding, owner: str, kind: str, system: str | None, agency: str | None) -> FindingRow:
    return FindingRow(
        finding_id=f.id, rule_id=f.rule_id, owner=owner, owner_kind=kind, system_id=system,
        agency_id=agency, subject=f.subject, status=f.status, measured_status=f.measured_status,
        severity=f.severity, group=f.group, obligation=f.obligation, gate=f.gate,
        message_vi=f.message.vi, message_en=f.message.en, waiver=f.waiver,
    )  # fmt: skip


def expected_findings(run: AuditRun) -> list[FindingRow]:
    org = run.organisation
    rows = [_row(f, org.id, "organisation", None, None) for f in org.findings]
    for agency in run.agencies:
        rows += [_row(f, agency.id, "agency", None, agency.id) for f in agency.findings]
    for system in run.systems:
        rows += [_row(f, system.id, "system", system.id, system.agency) for f in system.findings]
    return rows


def status_counts(run: AuditRun) -> dict[str, int]:
    c = run.summary.counts
    return {
        "pass": c.passed, "fail": c.failed, "manual": c.manual,
        "not_applicable": c.not_applicable, "error": c.error, "waived": c.waived,
    }  # fmt: skip


def test_a_recorded_run_reads_back_exactly(location: str) -> None:
    run = example_run()
    with HistoryStore.open(location) as store:
        run_id = store.record(
            run, inventory="inventories/example-province", recorded_at="2026-11-24T15:30:00+07:00"
        )
        detail = store.run(run_id)
        assert store.run(run_id + 1) is None
    assert detail is not None
    row = detail.run
    assert row.id == run_id
    assert row.recorded_at == "2026-11-24T08:30:00Z"  # normalised to UTC
    assert row.as_of == AS_OF
    assert row.inventory == "inventories/example-province"
    assert (row.organisation, row.organisation_name) == ("tinh-an-binh", run.organisation.name)
    assert (row.tool_version, row.schema_version, row.live) == (
        run.run.tool_version, run.schema_version, False
    )
    assert row.systems == len(run.systems) == 20
    assert row.counts == status_counts(run)
    assert row.findings == sum(row.counts.values()) == finding_count(run) == len(detail.findings)
    assert row.score == run.summary.score.value
    assert row.score_without_waivers == run.summary.score_without_waivers.value
    assert row.points == (run.summary.score.earned, run.summary.score.possible)
    assert row.by_severity == run.summary.by_severity
    assert row.gate_blocked is run.summary.gate_blocked
    assert row.inputs == run.run.inputs

    assert [s.system_id for s in detail.systems] == [s.id for s in run.systems]
    for stored, system in zip(detail.systems, run.systems, strict=True):
        assert (stored.agency_id, stored.name, stored.lifecycle, stored.system_type) == (
            system.agency, system.name, system.lifecycle, system.system_type
        )
        level = system.level
        assert (stored.declared, stored.approved, stored.effective) == (
            level.declared, level.approved, level.effective
        )
        assert stored.computed == level.computed
        assert stored.governing_regime == level.governing_regime
        assert stored.criteria == {r: tuple(c.id for c in cs) for r, cs in level.criteria.items()}
        assert stored.upper == level.upper  # the bounds come back as recorded (revision 0003)
        assert stored.undecided == level.undecided
        assert stored.score == system.summary.score.value
        assert stored.counts["fail"] == system.summary.counts.failed
        assert stored.gate_blocked is system.summary.gate_blocked

    assert [a.agency_id for a in detail.agencies] == [a.id for a in run.agencies]
    assert detail.agencies[0].systems == run.agencies[0].systems
    # the Form 08 register entries, field for field (dates back as dates)
    assert [s.register for s in detail.systems] == [s.register for s in run.systems]
    assert [a.register for a in detail.agencies] == [a.register for a in run.agencies]
    assert row.register == run.organisation.register is not None
    assert any(s.register and s.register.decision for s in detail.systems)

    assert list(detail.findings) == expected_findings(run)  # every field of every finding
    waived = [f for f in detail.findings if f.waiver is not None]
    assert waived, "the example province has waivers; the round trip must carry them"
    assert all(isinstance(f.waiver.expires, dt.date) for f in waived if f.waiver)
    assert {f.status for f in detail.findings} >= {Status.PASS, Status.FAIL, Status.WAIVED}


def test_findings_can_be_selected_by_system_rule_and_owner(location: str) -> None:
    run = example_run()
    system = run.systems[0]
    rule = system.findings[0].rule_id
    with HistoryStore.open(location) as store:
        run_id = store.record(run, inventory="x")
        of_system = store.findings(run_id, system_id=system.id)
        of_rule = store.findings(run_id, rule_id=rule)
        agencies = store.findings(run_id, owner_kind="agency")
    assert [f.finding_id for f in of_system] == [f.id for f in system.findings]
    expected_rule = [f.finding_id for f in expected_findings(run) if f.rule_id == rule]
    assert [f.finding_id for f in of_rule] == expected_rule
    assert len(of_rule) > 1
    assert len(agencies) == sum(len(a.findings) for a in run.agencies) > 0
    assert {f.system_id for f in agencies} == {None}


def _other_organisation(run: AuditRun) -> AuditRun:
    return dataclasses.replace(
        run, organisation=dataclasses.replace(run.organisation, id="tinh-khac", name="Tỉnh Khác")
    )


def test_runs_are_listed_newest_first_and_filtered(location: str) -> None:
    earlier, later = example_run(EARLIER), example_run()
    with HistoryStore.open(location) as store:
        a = store.record(earlier, inventory="a")
        c = store.record(_other_organisation(later), inventory="c")
        b = store.record(later, inventory="b")
        assert [r.id for r in store.runs()] == [b, c, a]
        assert [r.id for r in store.runs(organisation="tinh-an-binh")] == [b, a]
        assert [r.id for r in store.runs(organisation="tinh-khac")] == [c]
        assert [r.id for r in store.runs(since=dt.date(2026, 7, 1))] == [b, c]
        assert [r.id for r in store.runs(until=EARLIER)] == [a]  # inclusive
        assert [r.id for r in store.runs(since=AS_OF, until=AS_OF)] == [b, c]
        assert store.runs(organisation="nobody") == []
        assert [(r.inventory, r.as_of) for r in store.runs(organisation="tinh-an-binh")] == [
            ("b", AS_OF), ("a", EARLIER)
        ]
        # the two audit dates really gave different results, so the rows are not copies
        assert store.runs(until=EARLIER)[0].counts == status_counts(earlier)
        assert status_counts(earlier) != status_counts(later)


def _agency_only(run: AuditRun, agency: str) -> AuditRun:
    systems = tuple(s for s in run.systems if s.agency == agency)
    return dataclasses.replace(
        run, systems=systems, agencies=tuple(a for a in run.agencies if a.id == agency)
    )


def _findings_of(system: SystemResult) -> list[tuple[str, Status]]:
    return [(f.id, f.status) for f in system.findings]


def test_latest_per_system_takes_each_systems_last_run_in_the_period(location: str) -> None:
    earlier, later = example_run(EARLIER), example_run()
    partial = _agency_only(later, "so-giao-duc")  # a later run of one agency's file only
    assert 0 < len(partial.systems) < len(later.systems)
    with HistoryStore.open(location) as store:
        a = store.record(earlier, inventory="all")
        store.record(_other_organisation(later), inventory="other province")
        b = store.record(partial, inventory="so-giao-duc.yaml")

        year = store.latest_per_system(
            since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31), organisation="tinh-an-binh"
        )
        assert [s.system.system_id for s in year] == sorted(s.id for s in earlier.systems)
        from_b = {s.system.system_id for s in year if s.run.id == b}
        assert from_b == {s.id for s in partial.systems}
        assert {s.run.id for s in year if s.system.system_id not in from_b} == {a}
        by_id = {s.system.system_id: s for s in year}
        for system in partial.systems:
            snapshot = by_id[system.id]
            assert [(f.finding_id, f.status) for f in snapshot.findings] == _findings_of(system)
            assert snapshot.system.counts["fail"] == system.summary.counts.failed
        untouched = next(s for s in earlier.systems if s.id not in from_b)
        assert [(f.finding_id, f.status) for f in by_id[untouched.id].findings] == _findings_of(
            untouched
        )

        # before the partial run: everything from the first run
        autumn = store.latest_per_system(until=dt.date(2026, 10, 1), organisation="tinh-an-binh")
        assert {s.run.id for s in autumn} == {a} and len(autumn) == len(earlier.systems)
        # from July on: only what the partial run audited
        late = store.latest_per_system(
            since=dt.date(2026, 7, 1), until=dt.date(2026, 12, 31), organisation="tinh-an-binh"
        )
        assert {s.system.system_id for s in late} == from_b
        # every organisation when none is named: the other province's systems too
        everyone = store.latest_per_system(until=dt.date(2026, 12, 31), with_findings=False)
        assert len(everyone) == 2 * len(earlier.systems)
        assert {s.run.organisation for s in everyone} == {"tinh-an-binh", "tinh-khac"}
        assert all(s.findings == () for s in everyone)
        assert store.latest_per_system(until=dt.date(2025, 12, 31)) == []

        # the streaming form gives the same snapshots, findings in the same order
        streamed = store.iter_latest_per_system(
            since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31), organisation="tinh-an-binh"
        )
        assert sorted(streamed, key=lambda s: s.system.system_id) == year
        assert list(store.iter_latest_per_system(until=dt.date(2025, 12, 31))) == []
        # and in brief: the same systems and findings, without messages and waivers
        briefs = store.iter_latest_briefs(
            since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31), organisation="tinh-an-binh"
        )
        assert {
            (b.run.id, b.system.system_id): [
                (f.rule_id, f.subject, f.status, f.measured_status, f.severity, f.group,
                 f.obligation) for f in b.findings
            ]
            for b in briefs
        } == {
            (s.run.id, s.system.system_id): [
                (f.rule_id, f.subject, f.status, f.measured_status, f.severity, f.group,
                 f.obligation) for f in s.findings
            ]
            for s in year
        }  # fmt: skip

        # agencies likewise: the partial run's agency from it, the others from the first run
        agencies = store.latest_per_agency(
            since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31), organisation="tinh-an-binh"
        )
        assert [a.agency_id for _, a in agencies] == sorted(a.id for a in earlier.agencies)
        assert {a.agency_id: r.id for r, a in agencies}["so-giao-duc"] == b
        assert {r.id for r, a in agencies if a.agency_id != "so-giao-duc"} == {a}
        assert all(agency.register is not None for _, agency in agencies)


def test_a_run_that_cannot_be_stored_leaves_nothing(location: str) -> None:
    run = example_run()
    broken = dataclasses.replace(run, systems=(*run.systems, run.systems[0]))  # duplicate id
    with HistoryStore.open(location) as store:
        kept = store.record(run, inventory="good")
        with pytest.raises(StoreError, match="the run was not recorded") as caught:
            store.record(broken, inventory="bad")
        assert isinstance(caught.value, AuditorError)
        assert [r.id for r in store.runs()] == [kept]
        with store.engine.connect() as connection:
            count = connection.scalar(select(func.count()).select_from(findings))
            systems_rows = connection.scalar(select(func.count()).select_from(run_systems))
            agency_rows = connection.scalar(select(func.count()).select_from(run_agencies))
            run_rows = connection.scalar(select(func.count()).select_from(runs))
    assert (run_rows, systems_rows, agency_rows) == (1, len(run.systems), len(run.agencies))
    assert count == finding_count(run)


def test_recorded_at_defaults_to_now_in_utc(location: str) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with HistoryStore.open(location) as store:
        run_id = store.record(example_run(), inventory="x")
        stamp = store.runs()[0].recorded_at
    after = dt.datetime.now(dt.UTC)
    assert run_id == 1
    assert stamp.endswith("Z")
    assert before <= dt.datetime.fromisoformat(stamp) <= after


def test_diff_sees_changed_bounds_but_not_bounds_missing_from_an_old_run(location: str) -> None:
    from auditor.report.history import diff_runs

    with HistoryStore.open(location) as store:
        detail = store.run(store.record(example_run(), inventory="x"))
    assert detail is not None
    assert diff_runs(detail, detail).levels == ()
    commune = next(s for s in detail.systems if s.system_id == "trang-ttdt-xa")
    assert commune.upper is not None and commune.upper["nd85"] == 3
    # the commune answered the open question: same proven level, the bound closes
    answered = dataclasses.replace(commune, upper={**commune.upper, "nd85": 2}, undecided={})
    later = dataclasses.replace(
        detail, systems=tuple(answered if s is commune else s for s in detail.systems)
    )
    assert [c.system_id for c in diff_runs(detail, later).levels] == ["trang-ttdt-xa"]
    # a run recorded before the bounds were kept (revision < 0003) is not "changed" by them
    old = dataclasses.replace(
        detail,
        systems=tuple(dataclasses.replace(s, upper=None, undecided=None) for s in detail.systems),
    )
    assert diff_runs(old, detail).levels == ()
