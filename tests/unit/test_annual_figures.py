"""The annual report's pure parts: periods, the indicator rule, folding snapshots, the page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from auditor.loading.catalog import load_catalog
from auditor.loading.targets import load_targets
from auditor.model.results import Obligation, Severity, Status
from auditor.model.targets import AnnualTargets, TargetsFile
from auditor.report.annual.build import build_figures
from auditor.report.annual.figures import AnnualFigures, custom_period, statutory_period
from auditor.report.annual.html import render_annual
from auditor.report.annual.kpis import KPIS, KpiStatus, system_status
from auditor.store import FindingRow, RunRow, SystemRow, SystemSnapshot

DOC = Path(__file__).resolve().parents[2] / "docs" / "annual-report.md"


def test_the_statutory_period_and_the_year_before() -> None:
    period = statutory_period(2026)
    assert (period.since, period.until, period.due) == (
        dt.date(2025, 12, 15), dt.date(2026, 12, 14), dt.date(2026, 12, 25)
    )
    assert period.statutory
    before = period.previous()
    assert (before.year, before.since, before.until) == (
        2025, dt.date(2024, 12, 15), dt.date(2025, 12, 14)
    )
    leap = custom_period(2024, dt.date(2024, 2, 29), dt.date(2024, 12, 1))
    assert leap.previous().since == dt.date(2023, 2, 28) and not leap.statutory
    with pytest.raises(ValueError, match="after it ends"):
        custom_period(2026, dt.date(2026, 6, 1), dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], KpiStatus.NOT_APPLICABLE),
        ([Status.NOT_APPLICABLE], KpiStatus.NOT_APPLICABLE),
        ([Status.PASS, Status.NOT_APPLICABLE], KpiStatus.MET),
        ([Status.PASS, Status.FAIL], KpiStatus.NOT_MET),
        ([Status.PASS, Status.WAIVED], KpiStatus.NOT_MET),  # a waiver does not close a gap
        ([Status.PASS, Status.MANUAL], KpiStatus.UNVERIFIED),
        ([Status.ERROR, Status.FAIL], KpiStatus.NOT_MET),
        ([Status.ERROR], KpiStatus.UNVERIFIED),
    ],
)
def test_the_indicator_rule(statuses: list[Status], expected: KpiStatus) -> None:
    assert system_status(statuses) is expected


# -- folding hand-made snapshots ---------------------------------------------------------------

RUN = RunRow(
    id=7, recorded_at="2026-11-24T08:00:00Z", as_of=dt.date(2026, 11, 24), inventory="x",
    organisation="tinh-thu", organisation_name="Tỉnh Thử", tool_version="0", schema_version="1.2",
    live=True, systems=3, findings=0, counts={}, score=None, score_without_waivers=None,
    points=(0, 0), points_without_waivers=(0, 0), by_severity={}, expired_waivers=0,
    gate_blocked=False, lang="vi", rules=0, observed_at=None, inputs=(),
)  # fmt: skip


def _system(system_id: str, points: tuple[int, int], level: int = 3) -> SystemRow:
    return SystemRow(
        system_id=system_id, agency_id="so-a", name=f"<b>{system_id}</b>", lifecycle="production",
        system_type="internal", declared=level, approved=level, effective=level,
        computed={"nd331": level}, governing_regime="nd331", counts={}, score=None,
        score_without_waivers=None, points=points, points_without_waivers=points,
        by_severity={}, expired_waivers=0, gate_blocked=False, criteria={}, register=None,
    )  # fmt: skip


def _finding(rule: str, status: Status, subject: str | None = None,
             severity: Severity = Severity.HIGH) -> FindingRow:
    return FindingRow(
        finding_id=f"{rule}:{subject}", rule_id=rule, owner="s", owner_kind="system",
        system_id="s", agency_id="so-a", subject=subject, status=status, measured_status=status,
        severity=severity, group="g", obligation=Obligation.MANDATORY, gate=False,
        message_vi="thông điệp", message_en="message",
    )  # fmt: skip


def _figures() -> tuple[list[SystemSnapshot], AnnualFigures]:
    snapshots = [
        SystemSnapshot(RUN, _system("a", (8, 10)), (
            _finding("GOV-02", Status.PASS), _finding("GOV-04", Status.PASS),
            _finding("FL-01", Status.PASS), _finding("FL-02", Status.PASS),
            _finding("FL-03", Status.PASS), _finding("FL-04", Status.PASS),
            _finding("CERT-01", Status.FAIL, "file:a.pem"),
            _finding("CERT-02", Status.FAIL, "file:a.pem"),
            _finding("CERT-01", Status.PASS, "file:b.pem"),
        )),
        SystemSnapshot(RUN, _system("b", (2, 10)), (
            _finding("GOV-02", Status.PASS), _finding("GOV-04", Status.FAIL),
            _finding("FL-01", Status.MANUAL),
            _finding("CERT-01", Status.ERROR, "x.test:443"),  # not fetched: not counted
        )),
        SystemSnapshot(RUN, _system("c", (0, 0), level=1), ()),
    ]  # fmt: skip
    figures = build_figures(
        organisation="tinh-thu", organisation_name="Tỉnh Thử", period=statutory_period(2026),
        snapshots=iter(snapshots), agencies=[], runs=[RUN], targets=AnnualTargets(four_layer=50),
    )
    return snapshots, figures


def test_snapshots_fold_into_indicators_certificates_and_gaps() -> None:
    _, figures = _figures()
    kpis = {k.kpi.id: k for k in figures.kpis}
    approved = kpis["classified_approved"]
    assert (approved.met, approved.applicable, approved.value) == (1, 2, 50.0)
    assert approved.achieved is False
    four = kpis["four_layer"]
    assert (four.met, four.applicable, four.unverified, four.target) == (1, 2, 1, 50.0)
    assert four.achieved is True  # 50 % against a target of 50 %
    certs = figures.certificates
    assert (certs.observed, certs.expired, certs.expiring, certs.healthy) == (2, 1, 1, 1)
    expired = kpis["expired_certificates"]
    assert (expired.value, expired.achieved) == (1.0, False)
    assert kpis["staff_trained"].value is None  # nobody declared staff figures
    assert figures.score == pytest.approx(100 * 10 / 20)
    assert figures.by_level == {1: 1, 2: 0, 3: 2, 4: 0, 5: 0}
    assert [g.rule_id for g in figures.gaps] == ["CERT-01", "CERT-02", "GOV-04"]
    assert figures.headline.not_recorded == 3


def test_the_page_escapes_inventory_text_and_marks_unrecorded_rows() -> None:
    _, figures = _figures()
    catalog, _ = load_catalog([])
    html = render_annual(figures, catalog, "vi", TargetsFile(), dt.date(2026, 12, 2))
    assert "<b>a</b>" not in html and "&lt;b&gt;a&lt;/b&gt;" in html
    assert html.count('class="unrecorded"') == 3
    assert "không có số liệu" in html
    english = render_annual(figures, catalog, "en", TargetsFile(), dt.date(2026, 12, 2))
    assert "50.0%" in english and "50,0 %" in html
    assert "Bản in liệt kê" not in html  # the page itself lists every system


def test_the_printed_annex_is_cut_and_says_where_the_rest_is() -> None:
    _, figures = _figures()
    catalog, _ = load_catalog([])
    printed = render_annual(
        figures, catalog, "vi", TargetsFile(), dt.date(2026, 12, 2), annex_limit=2
    )
    assert printed.count('class="unrecorded"') == 2
    assert "Bản in liệt kê 2 trên 3 hệ thống" in printed


def test_the_docs_list_every_indicator_and_their_example_targets_load(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    for kpi in KPIS:
        assert f"`{kpi.id}`" in text, kpi.id
        assert ", ".join(kpi.rules) in text or kpi.kind == "staff", kpi.id
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None
    example = tmp_path / "targets.yaml"
    example.write_text(block.group(1), encoding="utf-8")
    loaded = load_targets(example)
    assert loaded.plan is not None and loaded.plan.number == "45/KH-UBND"
    assert set(loaded.targets.model_dump()) == {k.id for k in KPIS}
