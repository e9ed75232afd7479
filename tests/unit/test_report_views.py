"""HTML report view models (auditor.report.views), labels and filters, on a small hand-built run.

The run is assembled from result dataclasses directly, so every number the report shows can be
predicted here: counts, most frequent gaps, the gate-blocked list, grouping and order.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from auditor.model.results import (
    AttestationRecord,
    AttestationStatus,
    AuditRun,
    BodyResult,
    DocumentNote,
    Evidence,
    Finding,
    FiredCriterionOut,
    LevelResult,
    Obligation,
    ObservedRecord,
    Origin,
    RunInfo,
    Severity,
    Status,
    SystemResult,
    Text2,
    WaiverNote,
)
from auditor.report import filters, labels
from auditor.report.html import render_html
from auditor.report.views import (
    AgencySection,
    FindingView,
    Page,
    PortHostRow,
    SystemSection,
    build_page,
    failing_systems,
    format_origin,
    format_value,
    key_text,
    short_issuer,
    whole_percent,
)
from auditor.rules import Catalog, Rule
from auditor.scoring import combine, summarise

AS_OF = dt.date(2026, 11, 24)
REASON = Text2(
    vi="Cấp độ phê duyệt theo NĐ 85 ngày 14/04/2025; chuyển tiếp đến 01/07/2027 "
    "(Luật 116/2025 Điều 45.1)",
    en="Level approved under Decree 85 on 2025-04-14; in transition until 2027-07-01 "
    "(Law 116/2025 Art. 45.1)",
)


def rule(
    rule_id: str,
    group: str,
    gate: bool = False,
    severity: str = "high",
    obligation: str = "mandatory",
) -> Rule:
    return Rule.model_validate(
        {
            "id": rule_id,
            "title": {"vi": f"Tiêu đề {rule_id}", "en": f"Title {rule_id}"},
            "remediation": {"vi": f"Khắc phục {rule_id}", "en": f"Fix {rule_id}"},
            "group": group,
            "severity": severity,
            "gate": gate,
            "obligation": obligation,
            "references": [
                {"document": "Nghị định 85/2016/NĐ-CP", "clause": "Điều 9", "regime": "nd85"},
                {"document": "Nghị định 331/2026/NĐ-CP", "clause": "Điều 28", "regime": "nd331"},
            ],
            "check": {"kind": "present", "fact": "name"},
        }
    )


CATALOG = Catalog(
    rules=(
        rule("AS-01", "assessment"),
        rule("CL-01", "classification", severity="critical"),
        rule("FL-01", "four-layer", severity="medium"),
        rule("FL-02", "four-layer"),
        rule("GL-01", "go-live", gate=True),
        rule("AG-01", "organisation"),
    )
)


def finding(
    rule_id: str,
    owner: str,
    status: Status,
    severity: Severity = Severity.HIGH,
    *,
    subject: str | None = None,
    measured: Status | None = None,
    waiver: WaiverNote | None = None,
    evidence: tuple[Evidence, ...] = (),
) -> Finding:
    r = CATALOG.get(rule_id)
    assert r is not None
    return Finding(
        id=f"{rule_id}:{owner}" + (f":{subject}" if subject else ""),
        rule_id=rule_id,
        subject=subject,
        status=status,
        measured_status=measured or status,
        severity=severity,
        obligation=Obligation.MANDATORY,
        group=r.group,
        message=Text2(vi=f"thông điệp {rule_id}", en=f"message {rule_id}"),
        evidence=evidence,
        waiver=waiver,
        gate=r.gate,
    )


def level(effective: int, declared: int | None = None, regime: str = "nd85") -> LevelResult:
    criterion = FiredCriterionOut("nd85.9.2.c", effective, "Nghị định 85/2016, Điều 9", None)
    return LevelResult(
        declared=effective if declared is None else declared,
        approved=None,
        computed={"nd85": effective, "nd331": max(1, effective - 1)},
        criteria={"nd85": (criterion,), "nd331": ()},
        governing_regime=regime,
        regime_reason=REASON,
        effective=effective,
    )


def system(
    system_id: str,
    agency: str,
    lvl: int,
    findings: list[Finding],
    attestations: tuple[AttestationRecord, ...] = (),
) -> SystemResult:
    return SystemResult(
        id=system_id,
        name=f"Hệ thống {system_id}",
        agency=agency,
        lifecycle="production",
        system_type="internal",
        level=level(lvl),
        findings=tuple(findings),
        summary=summarise(findings),
        attestations=attestations,
    )


ORIGIN = Origin(source="declared", file="inv/a.yaml", line=12)
EXPIRED = WaiverNote("lý do", "Giám đốc", "35/QĐ-X (2026-03-10)", dt.date(2026, 6, 30), True)
VALID = WaiverNote("lý do 2", "Giám đốc", "36/QĐ-X (2026-09-01)", dt.date(2027, 3, 31), False)
ATTESTATION = Evidence(
    fact="attestation.FL-02",
    value={
        "document": "21/BC",
        "date": "2025-06-30",
        "attested_by": "Ông A",
        "valid_until": "2026-06-30",
    },
    origin=ORIGIN,
)


def attestation_record(rule: str, number: str, status: AttestationStatus,
                       **fields: Any) -> AttestationRecord:
    return AttestationRecord(
        rule=rule,
        document=DocumentNote(number, dt.date(2025, 6, 30)),
        attested_by="Ông A",
        effective=dt.date(2025, 6, 30),
        valid_until=fields.pop("valid_until", None),
        status=status,
        origin=fields.pop("origin", ORIGIN),
        **fields,
    )


S1_ATTESTATIONS = (
    attestation_record("FL-02", "21/BC", AttestationStatus.LAPSED,
                       valid_until=dt.date(2026, 6, 30), used_by=("FL-02:s1",)),
    attestation_record("CL-01", "22/BC", AttestationStatus.VALID,
                       valid_until=dt.date(2027, 6, 30), used_by=("CL-01:s1",)),
    attestation_record("AS-01", "23/BC", AttestationStatus.UNUSED,
                       reason=Text2(vi="AS-01 được đánh giá từ x.y",
                                    en="AS-01 is judged from x.y"),
                       origin=Origin(source="declared", file="inv/a.yaml", line=40)),
    attestation_record("XX-99", "24/BC", AttestationStatus.UNUSED,
                       reason=Text2(vi="không có quy tắc XX-99", en="there is no rule XX-99")),
)


def make_run() -> AuditRun:
    s1 = system(
        "s1",
        "a",
        3,
        [
            finding("AS-01", "s1", Status.FAIL, evidence=(Evidence("x.y", 1234.5, ORIGIN),)),
            finding("CL-01", "s1", Status.FAIL, Severity.CRITICAL),
            finding("FL-01", "s1", Status.MANUAL, Severity.MEDIUM),
            finding("FL-02", "s1", Status.MANUAL, evidence=(ATTESTATION,)),
            finding("GL-01", "s1", Status.FAIL),
        ],
        S1_ATTESTATIONS,
    )
    s2 = system(
        "s2",
        "a",
        2,
        [
            finding("AS-01", "s2", Status.FAIL, subject="h1"),
            finding("AS-01", "s2", Status.FAIL, subject="h2"),  # one system, counted once
            finding("CL-01", "s2", Status.PASS, Severity.CRITICAL),
            finding("FL-01", "s2", Status.NOT_APPLICABLE, Severity.MEDIUM),
            finding("GL-01", "s2", Status.PASS),
        ],
    )
    s3 = system(
        "s3",
        "b",
        2,
        [
            finding("AS-01", "s3", Status.WAIVED, measured=Status.FAIL, waiver=VALID),
            finding("CL-01", "s3", Status.FAIL, Severity.CRITICAL, waiver=EXPIRED),
            finding("GL-01", "s3", Status.MANUAL),
        ],
    )
    agency_a = [finding("AG-01", "a", Status.FAIL)]
    agencies = []
    for agency_id, own, systems in (("a", agency_a, [s1, s2]), ("b", [], [s3])):
        agencies.append(
            BodyResult(
                id=agency_id,
                name=f"Sở {agency_id.upper()}",
                kind="agency",
                findings=tuple(own),
                summary=combine([summarise(own), *(s.summary for s in systems)]),
                systems=tuple(s.id for s in systems),
            )
        )
    org = BodyResult(
        id="tinh",
        name="Tỉnh Thử",
        kind="organisation",
        findings=(),
        summary=combine([a.summary for a in agencies]),
        systems=("s1", "s2", "s3"),
    )
    return AuditRun(
        schema_version="1.0",
        run=RunInfo(as_of=AS_OF, tool_version="0.1.0", lang="vi", inputs=(), rules=6),
        organisation=org,
        agencies=tuple(agencies),
        systems=(s1, s2, s3),
        summary=org.summary,
    )


@pytest.fixture(scope="module")
def page() -> Page:
    return build_page(make_run(), CATALOG, "vi")


def _system(page: Page, system_id: str) -> SystemSection:
    return next(s for a in page.agencies for s in a.systems if s.id == system_id)


# -- organisation overview ------------------------------------------------------------------


def test_status_counts_and_scores_come_from_the_summaries(page: Page) -> None:
    summary = page.overview.summary
    counts = {c.code: c.n for c in summary.statuses}
    assert counts == {
        "pass": 2,
        "fail": 7,  # 6 system findings + the agency's own
        "manual": 3,
        "error": 0,
        "waived": 1,
        "not_applicable": 1,
    }
    assert summary.findings == 14
    assert [c.label for c in summary.statuses][:3] == ["Đạt", "Không đạt", "Cần xác nhận"]
    assert summary.score == make_run().summary.score.value
    assert summary.score_without_waivers == make_run().summary.score_without_waivers.value
    assert summary.score != summary.score_without_waivers  # the waiver counts as met
    assert summary.expired_waivers == 1


def test_systems_by_level_and_agency(page: Page) -> None:
    rows = {r.agency_id: r for r in page.overview.level_rows}
    assert rows["a"].counts == (0, 1, 1, 0, 0) and rows["a"].total == 2
    assert rows["b"].counts == (0, 1, 0, 0, 0) and rows["b"].total == 1
    assert page.overview.level_totals == (0, 2, 1, 0, 0)
    assert page.overview.systems == 3


def test_most_frequent_gaps_count_each_system_once(page: Page) -> None:
    gaps = [(g.rule_id, g.systems) for g in page.overview.frequent_gaps]
    # AS-01 fails on s1 and s2 (twice on s2: two hosts); waived on s3. CL-01 fails on s1, s3.
    assert gaps == [("AS-01", 2), ("CL-01", 2), ("GL-01", 1)]
    assert page.overview.frequent_gaps[0].title == "Tiêu đề AS-01"
    assert page.overview.frequent_gaps[0].share == pytest.approx(200 / 3)
    assert failing_systems(make_run().systems) == {"AS-01": 2, "CL-01": 2, "GL-01": 1}


def test_gate_blocked_systems_with_their_blocking_rules(page: Page) -> None:
    blocked = page.overview.gate_blocked
    assert [(b.id, [r.rule_id for r in b.rules]) for b in blocked] == [
        ("s1", ["GL-01"]),
        ("s3", ["GL-01"]),
    ]
    assert blocked[1].rules[0].status_label == "Cần xác nhận"
    assert blocked[0].agency_name == "Sở A"
    assert page.overview.blocked == 2
    assert {r.id: r.blocked for r in page.overview.agency_rows} == {"a": 1, "b": 1}


def test_expired_waivers_are_listed_with_decision_dates_in_the_page_language(page: Page) -> None:
    (row,) = page.overview.expired_waivers
    assert (row.owner_id, row.rule_id, row.expires) == ("s3", "CL-01", dt.date(2026, 6, 30))
    assert row.decision == "35/QĐ-X (10/03/2026)"
    assert row.anchor == "s-s3"
    english = build_page(make_run(), CATALOG, "en").overview.expired_waivers[0]
    assert english.decision == "35/QĐ-X (2026-03-10)"
    assert english.owner_kind == "System"


# -- agencies and systems -------------------------------------------------------------------


def test_agency_section_has_its_own_findings_and_its_systems(page: Page) -> None:
    agency = page.agencies[0]
    assert agency.anchor == "a-a"
    assert [s.id for s in agency.systems] == ["s1", "s2"]
    assert [f.rule_id for g in agency.findings.groups for f in g.findings] == ["AG-01"]
    assert agency.blocked == 1


def test_findings_are_grouped_in_report_order_and_sorted_by_severity(page: Page) -> None:
    s1 = _system(page, "s1")
    assert [g.code for g in s1.findings.groups] == [
        "classification",
        "four-layer",
        "assessment",
        "go-live",
    ]
    assert s1.findings.groups[0].label == "Xác định cấp độ"
    four_layer = s1.findings.groups[1].findings
    assert [(f.rule_id, f.severity) for f in four_layer] == [("FL-02", "high"), ("FL-01", "medium")]
    assert s1.findings.compact == ()
    assert s1.findings.open == 5


def test_passing_and_not_applicable_findings_are_compact(page: Page) -> None:
    s2 = _system(page, "s2")
    assert [(c.rule_id, c.status_label) for c in s2.findings.compact] == [
        ("CL-01", "Đạt"),
        ("FL-01", "Không áp dụng"),
        ("GL-01", "Đạt"),
    ]
    assert [(c.label, c.rule_ids) for c in s2.findings.compact_lines] == [
        ("Đạt", "CL-01, GL-01"),
        ("Không áp dụng", "FL-01"),
    ]
    (group,) = s2.findings.groups
    assert [f.subject for f in group.findings] == ["h1", "h2"]


def test_a_finding_carries_title_reference_of_its_regime_evidence_and_remediation(
    page: Page,
) -> None:
    view: FindingView = _system(page, "s1").findings.groups[2].findings[0]
    assert view.rule_id == "AS-01"
    assert view.title == "Tiêu đề AS-01"
    assert (view.status_label, view.severity_label) == ("Không đạt", "Cao")
    assert view.message == "thông điệp AS-01"
    assert view.reference == "Nghị định 85/2016/NĐ-CP, Điều 9"  # nd85 governs: not Decree 331
    assert view.remediation == "Khắc phục AS-01"
    (evidence,) = view.evidence
    assert (evidence.fact, evidence.value, evidence.origin) == ("x.y", "1.234,5", "inv/a.yaml:12")


def test_a_waived_finding_shows_what_was_measured(page: Page) -> None:
    s3 = _system(page, "s3")
    waived = next(f for g in s3.findings.groups for f in g.findings if f.rule_id == "AS-01")
    assert (waived.status_label, waived.measured_label) == ("Miễn trừ", "Không đạt")
    assert waived.waiver is not None and not waived.waiver.expired
    rows = {w.rule_id: w for w in s3.waivers}
    assert rows["CL-01"].waiver.expired and rows["CL-01"].status_label == "Không đạt"
    assert rows["AS-01"].measured_label == "Không đạt"


def test_levels_under_both_regimes_with_the_governing_one_and_its_reason(page: Page) -> None:
    lv = _system(page, "s1").level
    assert [(r.code, r.level, r.governing) for r in lv.regimes] == [
        ("nd85", 3, True),
        ("nd331", 2, False),
    ]
    assert lv.regimes[0].criteria[0].id == "nd85.9.2.c"
    assert lv.governing_label == "NĐ 85/2016"
    assert lv.reason.startswith("Cấp độ phê duyệt theo NĐ 85 ngày 14/04/2025")
    assert not lv.under_declared
    english = _system(build_page(make_run(), CATALOG, "en"), "s1").level
    assert english.reason == REASON.en and english.governing_label == "Decree 85/2016"


def test_every_attestation_is_listed_with_its_validity_and_use(page: Page) -> None:
    lapsed, valid, unused, unknown = _system(page, "s1").attestations
    assert (lapsed.rule_id, lapsed.valid_until, lapsed.expired) == (
        "FL-02", dt.date(2026, 6, 30), True)
    assert (lapsed.status_label, lapsed.use, lapsed.known) == ("đã hết hiệu lực", "FL-02", True)
    assert (valid.expired, valid.status_label, valid.use) == (False, "còn hiệu lực", "CL-01")
    assert (unused.status, unused.status_label, unused.use, unused.origin) == (
        "unused", "không được sử dụng", "AS-01 được đánh giá từ x.y", "inv/a.yaml:40")
    assert not unused.expired and unused.valid_until is None
    assert (unknown.rule_id, unknown.known) == ("XX-99", False)
    english = _system(build_page(make_run(), CATALOG, "en"), "s1").attestations
    assert [(a.status_label, a.use) for a in english] == [
        ("lapsed", "FL-02"), ("valid", "CL-01"), ("not used", "AS-01 is judged from x.y"),
        ("not used", "there is no rule XX-99"),
    ]


def test_attestation_table_marks_the_lapsed_row_and_links_only_known_rules() -> None:
    html = render_html(make_run(), CATALOG, "en")
    rows = re.findall(r'<tr class="att-[^"]*".*?</tr>', html)
    assert len(rows) == 4
    assert rows[0].startswith('<tr class="att-lapsed exp">') and "<b>(lapsed)</b>" in rows[0]
    assert rows[1].startswith('<tr class="att-valid">') and "(valid)" in rows[1]
    assert "AS-01 is judged from x.y" in rows[2] and "inv/a.yaml:40" in rows[2]
    assert 'href="#r-AS-01"' in rows[2] and 'href="#r-XX-99"' not in rows[3]


def test_filter_classes_of_a_system(page: Page) -> None:
    assert _system(page, "s1").css == "sys l3 f b"
    assert _system(page, "s2").css == "sys l2 f"
    assert _system(page, "s3").css == "sys l2 f b"


def test_requirements_list_every_rule_once_with_both_regimes_references(page: Page) -> None:
    assert [r.id for r in page.requirements] == [r.id for r in CATALOG]
    as01 = next(r for r in page.requirements if r.id == "AS-01")
    assert as01.failing == 2 and as01.remediation == "Khắc phục AS-01"
    assert [ref.regime for ref in as01.references] == ["NĐ 85/2016", "NĐ 331/2026"]


def test_condensed_page_lists_rule_ids_by_status_and_severity() -> None:
    condensed = build_page(make_run(), CATALOG, "vi", full=False)
    assert not condensed.full
    s1 = _system(condensed, "s1").findings
    assert s1.groups == () and s1.open == 5
    assert [(line.label, line.severity_label, line.n, line.rule_ids) for line in s1.open_lines] == [
        ("Không đạt", "Nghiêm trọng", 1, "CL-01"),
        ("Không đạt", "Cao", 2, "AS-01, GL-01"),
        # items awaiting an attestation are only counted on a condensed page
        ("Cần xác nhận", "Cao", 1, ""),
        ("Cần xác nhận", "Trung bình", 1, ""),
    ]
    s2 = _system(condensed, "s2").findings
    assert [(line.n, line.rule_ids) for line in s2.open_lines] == [(2, "AS-01 [h1], AS-01 [h2]")]
    assert [line.rule_ids for line in s2.compact_lines] == ["CL-01, GL-01", "FL-01"]
    assert build_page(make_run(), CATALOG, "vi").full  # three systems: full detail


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report language"):
        build_page(make_run(), CATALOG, "fr")


# -- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (1234.5, "1.234,5", "1,234.5"),
        (75.0, "75,0", "75.0"),
        (1234567, "1.234.567", "1,234,567"),
        (0.25, "0,2", "0.2"),
        (None, "—", "—"),
    ],
)
def test_numbers_use_the_decimal_comma_in_vietnamese(value: Any, vi: str, en: str) -> None:
    assert filters.number(value, "vi") == vi
    assert filters.number(value, "en") == en


def test_dates_scores_and_percentages() -> None:
    day = dt.date(2026, 3, 5)
    assert filters.date(day, "vi") == "05/03/2026"
    assert filters.date(day, "en") == "2026-03-05"
    assert filters.score(None, "vi") == "—"
    assert filters.score(87.65, "vi") == "87,7"
    assert filters.percent(1, 3, "vi") == "33,3 %"
    assert filters.percent(1, 3, "en") == "33.3%"
    assert filters.percent(1, 0, "en") == "—"
    assert filters.iso_date_text("2027-12-31", "vi") == "31/12/2027"
    assert filters.iso_date_text("2027-12-31", "en") == "2027-12-31"
    assert filters.iso_date_text("not-a-date", "vi") == "not-a-date"


def test_evidence_values_and_origins_in_words() -> None:
    assert format_value(None, "vi") == "chưa khai báo"
    assert format_value(True, "en") == "Yes"
    assert format_value(["a", 2], "vi") == "a, 2"
    assert format_value(dt.date(2026, 1, 2), "vi") == "02/01/2026"
    assert format_value("x" * 1000, "en").endswith("…")
    assert len(format_value("x" * 1000, "en")) <= 240
    inherited = Origin("inherited", "inv/a.yaml", 55, "agency defaults (so-y-te)")
    assert format_origin(inherited, "vi") == (
        "kế thừa từ giá trị chung của cơ quan (so-y-te), inv/a.yaml:55"
    )
    assert format_origin(inherited, "en") == (
        "inherited from agency defaults (so-y-te), inv/a.yaml:55"
    )
    assert format_origin(Origin("not_declared"), "en") == "not in the inventory"
    assert format_origin(Origin("derived", via="auditor"), "vi") == "do công cụ tính"


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(labels.all_tables()))
def test_every_label_exists_in_both_languages(table: str) -> None:
    by_lang = labels.all_tables()[table]
    assert set(by_lang["vi"]) == set(by_lang["en"])
    for lang in labels.LANGS:
        assert all(text.strip() for text in by_lang[lang].values()), lang


def test_statuses_and_severities_are_translated() -> None:
    assert [labels.status(s.value, "vi") for s in Status] == [
        "Đạt",
        "Không đạt",
        "Cần xác nhận",
        "Không áp dụng",
        "Lỗi",
        "Miễn trừ",
    ]
    assert [labels.severity(s.value, "vi") for s in Severity] == [
        "Nghiêm trọng",
        "Cao",
        "Trung bình",
        "Thấp",
        "Thông tin",
    ]
    assert labels.status("not_applicable", "en") == "Not applicable"


# -- rendering -------------------------------------------------------------------------------


def test_rendering_escapes_hostile_names() -> None:
    run = make_run()
    hostile = "<script>alert(1)</script>"
    s1 = run.systems[0]
    evil = SystemResult(
        id=s1.id,
        name='"><img src=x onerror=alert(1)>',
        agency=s1.agency,
        lifecycle=s1.lifecycle,
        system_type=s1.system_type,
        level=s1.level,
        findings=s1.findings,
        summary=s1.summary,
    )
    agency = run.agencies[0]
    evil_agency = BodyResult(
        id=agency.id,
        name=hostile,
        kind=agency.kind,
        findings=agency.findings,
        summary=agency.summary,
        systems=agency.systems,
    )
    run = AuditRun(
        schema_version=run.schema_version,
        run=run.run,
        organisation=run.organisation,
        agencies=(evil_agency, run.agencies[1]),
        systems=(evil, *run.systems[1:]),
        summary=run.summary,
    )
    for lang in labels.LANGS:
        html = render_html(run, CATALOG, lang)
        assert html.count("<script") == 1 and "<img" not in html  # only the search script
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


# -- live observation: certificates and IPv6 readiness --------------------------------------

LIVE_CATALOG = Catalog(
    rules=(
        *CATALOG.rules,
        rule("TLS-02N", "tls", severity="info", obligation="advisory"),
        rule("TLS-03", "tls", gate=True),
        rule("CERT-01", "certificates", gate=True),
        rule("CERT-02", "certificates", severity="low"),
        rule("CERT-03", "certificates", severity="medium"),
        rule("CERT-08", "certificates"),
        rule("IP6-02", "ipv6", severity="medium"),
        rule("IP6-08", "ipv6", severity="low", obligation="advisory"),
    )
)
PORTAL_V4 = "portal.a.test:443 [192.0.2.1]"
PORTAL_V6 = "portal.a.test:443 [2001:db8::1]"
OLD = "old.a.test:443 [192.0.2.2]"
DOWN = "down.a.test:443 [192.0.2.3]"
SIGNING = "file:signing.pem"


def live_finding(
    rule_id: str,
    subject: str,
    status: Status,
    *,
    measured: Status | None = None,
    waiver: WaiverNote | None = None,
) -> Finding:
    r = LIVE_CATALOG.get(rule_id)
    assert r is not None
    severity = r.severity
    assert isinstance(severity, Severity)
    return Finding(
        id=f"{rule_id}:{subject}",
        rule_id=rule_id,
        subject=subject,
        status=status,
        measured_status=measured or status,
        severity=severity,
        obligation=r.obligation,
        group=r.group,
        message=Text2(vi="thông điệp", en="message"),
        waiver=waiver,
        gate=r.gate,
    )


def cert_record(
    subject: str,
    days_left: int | None = None,
    *,
    issuer: str = "CN=Root CA Test,O=Test PKI,C=VN",
    key: tuple[str, int] = ("ec", 256),
    not_after: str = "2027-02-19",
    errors: dict[str, str] | None = None,
) -> ObservedRecord:
    values: dict[str, Any] = {"source": "file" if subject.startswith("file:") else "tls"}
    if days_left is not None:
        values["cert"] = {
            "issuer": issuer,
            "days_left": days_left,
            "expired": days_left < 0,
            "not_after": not_after,
            "key_type": key[0],
            "key_bits": key[1],
        }
    return ObservedRecord("certs", subject, values, errors or {})


def ipv6_record(
    url: str, ready: bool | None, errors: dict[str, str] | None = None
) -> ObservedRecord:
    if ready is None:
        return ObservedRecord("endpoints", url, {}, errors or {})
    seen: dict[str, Any] = {
        "aaaa": ["2001:db8::1"] if ready else [],
        "has_aaaa": ready,
        "ns_with_ipv6": 2,
        "ns_reachable_ipv6": True,
        "ready": ready,
    }
    if ready:
        seen.update(reachable=True, same_site=True)
    return ObservedRecord("endpoints", url, {"ipv6": seen}, errors or {})


def observed_system(
    system_id: str, agency: str, findings: list[Finding], observed: list[ObservedRecord]
) -> SystemResult:
    return SystemResult(
        id=system_id,
        name=f"Hệ thống {system_id}",
        agency=agency,
        lifecycle="production",
        system_type="citizen_facing",
        level=level(2),
        findings=tuple(findings),
        summary=summarise(findings),
        observed=tuple(observed),
    )


def make_live_run(live: bool = True) -> AuditRun:
    s1 = observed_system(
        "s1",
        "a",
        [
            live_finding("TLS-03", PORTAL_V4, Status.PASS),
            live_finding("TLS-02N", PORTAL_V4, Status.FAIL),  # advisory: listed, marked
            live_finding("CERT-01", PORTAL_V4, Status.PASS),
            finding("AS-01", "s1", Status.FAIL, subject=PORTAL_V4),  # another group: not shown
            live_finding("CERT-02", PORTAL_V6, Status.FAIL),
            live_finding("CERT-03", PORTAL_V6, Status.FAIL),
            live_finding("CERT-01", OLD, Status.FAIL),
            live_finding("TLS-03", OLD, Status.FAIL),
            live_finding("CERT-02", OLD, Status.NOT_APPLICABLE),
            live_finding("CERT-01", DOWN, Status.ERROR),
            live_finding("TLS-03", DOWN, Status.ERROR),
            # A waiver does not hide that the certificate expires soon.
            live_finding("CERT-02", SIGNING, Status.WAIVED, measured=Status.FAIL, waiver=VALID),
            live_finding("IP6-02", "https://old.a.test/", Status.FAIL),
            live_finding("IP6-08", "https://old.a.test/", Status.ERROR),
            live_finding("IP6-02", "https://portal.a.test/", Status.PASS),
        ],
        [
            ObservedRecord("tls", PORTAL_V4, {"protocol": "TLSv1.3"}),  # tls: no row of its own
            cert_record(PORTAL_V4, 80),
            cert_record(PORTAL_V6, 5, key=("rsa", 2048), not_after="2026-11-29"),
            cert_record(OLD, -3, not_after="2026-11-21"),
            cert_record(DOWN, errors={"": "connection refused"}),
            cert_record(SIGNING, 30, issuer=r"O=Ban Cơ yếu\, Chính phủ,C=VN"),
            ipv6_record("https://portal.a.test/", True),
            ipv6_record(
                "https://old.a.test/",
                False,
                {"ipv6.reachable": "no IPv6 address to connect to", "ipv6.same_site": "n/a"},
            ),
            ObservedRecord("endpoints", "https://api.a.test/", {"redirect": {"status": 301}}),
        ],
    )
    s2 = observed_system("s2", "a", [], [ipv6_record("https://s2.a.test/", True)])
    s3 = observed_system(
        "s3", "b", [], [ipv6_record("https://s3.b.test/", None, {"ipv6": "no such host"})]
    )
    agencies = tuple(
        BodyResult(
            id=agency_id,
            name=f"Sở {agency_id.upper()}",
            kind="agency",
            findings=(),
            summary=combine([s.summary for s in systems]),
            systems=tuple(s.id for s in systems),
        )
        for agency_id, systems in (("a", [s1, s2]), ("b", [s3]))
    )
    org = BodyResult(
        id="tinh",
        name="Tỉnh Thử",
        kind="organisation",
        findings=(),
        summary=combine([a.summary for a in agencies]),
        systems=("s1", "s2", "s3"),
    )
    info = RunInfo(
        as_of=AS_OF,
        tool_version="0.1.0",
        lang="vi",
        inputs=(),
        live=live,
        rules=len(LIVE_CATALOG.rules),
        observed_at="2026-11-24T08:05:09+00:00" if live else None,
    )
    return AuditRun("1.0", info, org, agencies, (s1, s2, s3), org.summary)


@pytest.fixture(scope="module")
def live_page() -> Page:
    return build_page(make_live_run(), LIVE_CATALOG, "vi")


def _agency(page: Page, agency_id: str) -> AgencySection:
    return next(a for a in page.agencies if a.id == agency_id)


def test_certificate_rows_errors_first_then_fewest_days_left(live_page: Page) -> None:
    live = _agency(live_page, "a").live
    assert live.cert_id == "certificates-a" and live.ipv6_id == "ipv6-a"
    rows = live.certificates
    assert [(r.subject, r.days_left) for r in rows] == [
        (DOWN, None),
        (OLD, -3),
        (PORTAL_V6, 5),
        (SIGNING, 30),
        (PORTAL_V4, 80),
    ]
    down, old, soon, signing, portal = rows
    # The error says it all, in the page's language (the JSON keeps the probe's words).
    assert down.error == "kết nối bị từ chối" and down.problems == ()
    assert down.css == "err"
    assert (old.expired, old.untrusted, old.css) == (True, True, "bad")
    assert old.not_after == dt.date(2026, 11, 21)
    assert (soon.key, soon.expiring, soon.css) == ("RSA 2048", True, "warn")
    assert (portal.system_id, portal.system_anchor, portal.system_name) == (
        "s1",
        "s-s1",
        "Hệ thống s1",
    )
    assert (portal.issuer, portal.key, portal.css) == ("Root CA Test", "EC 256", "")
    assert signing.issuer == "O=Ban Cơ yếu, Chính phủ, C=VN"  # no CN: a short DN
    assert signing.expiring  # waived, but measured as failing


def test_a_certificate_file_without_a_trusted_path_is_untrusted() -> None:
    """CERT-08 (a file's path to the declared CA bundle) counts as TLS-03 does for a chain."""
    trusted, forged = "file:tot.pem", "file:tu-ky.pem"
    system = observed_system(
        "s1", "a",
        [live_finding("CERT-08", trusted, Status.PASS),
         live_finding("CERT-08", forged, Status.FAIL)],
        [cert_record(trusted, 200), cert_record(forged, 200)],
    )
    run = make_live_run()
    run = AuditRun(run.schema_version, run.run, run.organisation, run.agencies,
                   (system, *run.systems[1:]), run.summary)
    page = build_page(run, LIVE_CATALOG, "vi")
    rows = {r.subject: r for r in _agency(page, "a").live.certificates}
    assert (rows[forged].untrusted, rows[forged].css) == (True, "bad")
    assert [p.rule_id for p in rows[forged].problems] == ["CERT-08"]
    assert (rows[trusted].untrusted, rows[trusted].css) == (False, "")
    assert _agency(page, "a").live.counts.untrusted == 1


def test_certificate_problems_are_the_open_tls_and_certificate_findings(live_page: Page) -> None:
    rows = {r.subject: r for r in _agency(live_page, "a").live.certificates}
    # Most severe first; passed, not applicable and other groups' findings are left out.
    assert [(p.rule_id, p.status_label, p.severity_label) for p in rows[OLD].problems] == [
        ("CERT-01", "Không đạt", "Cao"),
        ("TLS-03", "Không đạt", "Cao"),
    ]
    assert [(p.rule_id, p.severity) for p in rows[PORTAL_V6].problems] == [
        ("CERT-03", "medium"),
        ("CERT-02", "low"),
    ]
    (advisory,) = rows[PORTAL_V4].problems
    assert (advisory.rule_id, advisory.title, advisory.advisory) == (
        "TLS-02N",
        "Tiêu đề TLS-02N",
        True,
    )
    (waived,) = rows[SIGNING].problems
    assert waived.status == "waived" and waived.status_label == "Miễn trừ"


def test_ipv6_rows_with_what_could_not_be_observed(live_page: Page) -> None:
    rows = _agency(live_page, "a").live.ipv6
    # Not ready first; an endpoint record without an IPv6 observation is no row.
    assert [(r.url, r.ready) for r in rows] == [
        ("https://old.a.test/", False),
        ("https://portal.a.test/", True),
        ("https://s2.a.test/", True),
    ]
    old, portal, _ = rows
    assert old.aaaa == "" and old.ns_with_ipv6.value == 2 and old.ns_answers_ipv6.value is True
    assert (old.reachable.value, old.reachable.note) == (None, "không có địa chỉ IPv6 để kết nối")
    assert [(p.rule_id, p.status, p.advisory) for p in old.problems] == [
        ("IP6-02", "fail", False),
        ("IP6-08", "error", True),
    ]
    assert old.css == "bad"
    assert portal.aaaa == "2001:db8::1" and portal.problems == () and portal.css == ""
    assert (portal.reachable.value, portal.same_site.value) == (True, True)
    (failed,) = _agency(live_page, "b").live.ipv6
    assert failed.error == "no such host" and not failed.ready and failed.css == "err"


def test_ipv6_ready_share_and_certificate_counts(live_page: Page) -> None:
    a = _agency(live_page, "a").live.counts
    assert (a.endpoints, a.ready, a.ready_share, a.ipv6_errors) == (3, 2, 67, 0)
    assert (a.certificates, a.expired, a.expiring, a.untrusted, a.cert_errors) == (5, 1, 2, 1, 1)
    b = _agency(live_page, "b").live.counts
    # Its only endpoint could not be observed: no share rather than 0 %.
    assert (b.endpoints, b.ready, b.ready_share, b.ipv6_errors) == (0, 0, None, 1)
    province = live_page.overview.live
    assert (province.endpoints, province.ready, province.ready_share) == (3, 2, 67)
    assert (province.certificates, province.ipv6_errors) == (5, 1)
    assert [(r.agency_id, r.anchor, r.counts) for r in live_page.overview.live_rows] == [
        ("a", "a-a", a),
        ("b", "a-b", b),
    ]
    assert live_page.live and live_page.observed_at == "24/11/2026 08:05 UTC"
    english = build_page(make_live_run(), LIVE_CATALOG, "en")
    assert english.observed_at == "2026-11-24 08:05 UTC"


@pytest.mark.parametrize(
    ("part", "whole", "share"),
    [(2, 3, 67), (1, 3, 33), (0, 3, 0), (3, 3, 100), (199, 200, 99), (1, 1000, 1), (0, 0, None)],
)
def test_whole_percent_never_rounds_to_none_or_all(part: int, whole: int, share: int) -> None:
    assert whole_percent(part, whole) == share


def test_issuer_and_key_in_short() -> None:
    assert short_issuer("CN=auditor Live Root,O=auditor test PKI") == "auditor Live Root"
    assert short_issuer(r"CN=A\, B,O=X") == "A, B"
    assert short_issuer("OU=Unit,O=Org,C=VN") == "OU=Unit, O=Org"
    assert short_issuer(None) == ""
    assert len(short_issuer("CN=" + "x" * 200)) == 64
    assert key_text("ec", 256) == "EC 256"
    assert key_text("rsa", 2048) == "RSA 2048"
    assert key_text("ed25519", 256) == "Ed25519"
    assert key_text("unknown", None) == ""


def test_live_tables_stay_in_a_condensed_page() -> None:
    condensed = build_page(make_live_run(), LIVE_CATALOG, "vi", full=False)
    assert not condensed.full
    live = _agency(condensed, "a").live
    assert len(live.certificates) == 5 and len(live.ipv6) == 3
    html = render_html(make_live_run(), LIVE_CATALOG, "vi", full=False)
    assert 'id="certificates-a"' in html and 'id="ipv6-a"' in html
    assert "Tiêu đề CERT-03" not in html.split('id="certificates-a"')[1].split("</section>")[0]
    assert 'href="#r-CERT-03"' in html


def test_an_offline_run_says_how_to_observe() -> None:
    offline = build_page(make_live_run(live=False), LIVE_CATALOG, "vi")
    assert not offline.live and offline.observed_at == ""
    for agency in offline.agencies:
        assert agency.live.certificates == () and agency.live.ipv6 == ()
    assert offline.overview.live.ready_share is None
    for lang, note in (
        ("vi", "chạy lại với tùy chọn --live"),
        ("en", "run the audit again with --live"),
    ):
        html = render_html(make_live_run(live=False), LIVE_CATALOG, lang)
        assert note in html
        assert 'id="certificates-a"' in html and 'id="ipv6-b"' in html
        assert '<table class="wide live">' not in html
    assert 'id="certificates-a"' in render_html(make_run(), CATALOG, "en")  # the usual run too


@pytest.mark.parametrize(
    ("lang", "label", "share"), [("vi", "Sẵn sàng IPv6", "67 %"), ("en", "IPv6-ready", "67%")]
)
def test_live_page_renders_the_share_and_both_tables(lang: str, label: str, share: str) -> None:
    html = render_html(make_live_run(), LIVE_CATALOG, lang)
    assert label in html and f"<strong>{share}</strong>" in html
    cert_table = html.split('id="certificates-a"')[1].split("</section>")[0]
    assert cert_table.index(DOWN) < cert_table.index(OLD) < cert_table.index(PORTAL_V4)
    assert ("kết nối bị từ chối" if lang == "vi" else "connection refused") in cert_table
    assert 'id="ipv6-a"' in html and "https://s2.a.test/" in html


def test_hostile_observed_values_render_as_text() -> None:
    hostile = "<script>alert(1)</script>"
    breakout = '"><img src=x onerror=alert(1)>'
    run = make_live_run()
    s1 = run.systems[0]
    evil = SystemResult(
        id=s1.id,
        name=s1.name,
        agency=s1.agency,
        lifecycle=s1.lifecycle,
        system_type=s1.system_type,
        level=s1.level,
        findings=s1.findings,
        summary=s1.summary,
        observed=(
            cert_record(f"file:{breakout}.pem", 10, issuer=f"CN={hostile},O=x"),
            cert_record("down.evil:443", errors={"": hostile}),
            ObservedRecord(
                "endpoints",
                f"https://{breakout}/",
                {"ipv6": {"aaaa": [hostile], "ready": False}},
                {"ipv6.reachable": breakout},
            ),
        ),
    )
    run = AuditRun(
        run.schema_version,
        run.run,
        run.organisation,
        run.agencies,
        (evil, *run.systems[1:]),
        run.summary,
    )
    for lang in labels.LANGS:
        for full in (True, False):
            html = render_html(run, LIVE_CATALOG, lang, full=full)
            assert html.count("<script") == 1 and "<img" not in html  # only the search script
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


# -- port scan: open ports and services ------------------------------------------------------

PORT_CATALOG = Catalog(
    rules=(
        *CATALOG.rules,
        rule("NET-01", "network"),
        rule("NET-02", "network", gate=True, severity="critical"),
        rule("NET-03", "network", severity="medium"),
        rule("NET-04", "network"),
        rule("NET-05", "network", severity="medium", obligation="advisory"),
        rule("TC-NET-01", "network"),  # an attested rule of the same group: not a port mark
    )
)
HOSTILE = "<script>alert(1)</script>"


def open_port(
    host: str | None,
    address: str,
    port: int,
    *,
    declared: bool,
    service: str | None = None,
    product: str | None = None,
    version: str | None = None,
    tunnel: str | None = None,
    over_ipv4: bool | None = None,
) -> ObservedRecord:
    family = "ipv6" if ":" in address else "ipv4"
    values: dict[str, Any] = {
        "host": host,
        "address": address,
        "family": family,
        "port": port,
        "protocol": "tcp",
        "state": "open",
        "reason": "syn-ack",
        "service": service,
        "product": product,
        "version": version,
        "tunnel": tunnel,
        "declared": declared,
        "in_inventory": host is not None,
    }
    if over_ipv4 is not None:
        values["open_over_ipv4"] = over_ipv4
    return ObservedRecord("open_ports", f"{host or address} [{address}] {port}/tcp", values)


def expected_port(
    host: str, address: str, port: int, *, is_open: bool | None, state: str = "closed"
) -> ObservedRecord:
    values: dict[str, Any] = {
        "host": host,
        "address": address,
        "family": "ipv6" if ":" in address else "ipv4",
        "port": port,
        "protocol": "tcp",
        "state": state,
    }
    errors = {}
    if is_open is None:
        errors["open"] = f"not scanned: {port}/tcp is not among the ports this scan covered"
    else:
        values["open"] = is_open
    return ObservedRecord("expected_ports", f"{host} [{address}] {port}/tcp", values, errors)


def unscanned(host: str, address: str, reason: str) -> list[ObservedRecord]:
    values = {"host": host, "address": address, "family": "ipv4"}
    return [
        ObservedRecord(collection, f"{host} [{address}]", values, {"": reason})
        for collection in ("open_ports", "expected_ports")
    ]


def net(
    rule_id: str,
    subject: str,
    status: Status,
    *,
    measured: Status | None = None,
    waiver: WaiverNote | None = None,
) -> Finding:
    r = PORT_CATALOG.get(rule_id)
    assert r is not None and isinstance(r.severity, Severity)
    return Finding(
        id=f"{rule_id}:{subject}",
        rule_id=rule_id,
        subject=subject,
        status=status,
        measured_status=measured or status,
        severity=r.severity,
        obligation=r.obligation,
        group=r.group,
        message=Text2(vi="thông điệp", en="message"),
        waiver=waiver,
        gate=r.gate,
    )


def judged(
    subject: str, declared: bool, risky: bool = False, ipv6: Status | None = None
) -> list[Finding]:
    """NET-01, NET-02 (and NET-04 over IPv6) findings of one open port."""
    found = [
        net("NET-01", subject, Status.PASS if declared else Status.FAIL),
        net("NET-02", subject, Status.FAIL if risky else Status.PASS),
    ]
    if ipv6 is not None:
        found.append(net("NET-04", subject, ipv6))
    return found


APP = "app.a.test"
V4, V6 = "192.0.2.10", "2001:db8::10"


def app(port: int, address: str = V4) -> str:
    return f"{APP} [{address}] {port}/tcp"


def make_port_run(live: bool = False) -> AuditRun:
    """s1 (agency a): app.a.test on V4 and V6 declares 443 and 8443; 80 and 3389 are open but
    undeclared (3389 risky, its NET-02 waived); 8443 is silent over IPv4 and open over IPv6
    only; an address of a declared network answers on 22. s2 (agency a): one clean address
    and one that could not be scanned. s3 (agency b): nothing scanned at all."""
    s1_records = [
        open_port(
            APP,
            V4,
            443,
            declared=True,
            service="http",
            tunnel="ssl",
            product="nginx",
            version="1.18.0",
        ),
        open_port(APP, V4, 80, declared=False, service="http", product=HOSTILE),
        open_port(APP, V4, 3389, declared=False, service="ms-wbt-server"),
        open_port(APP, V6, 8443, declared=True, service="https-alt", over_ipv4=False),
        open_port(
            APP,
            V6,
            443,
            declared=True,
            service="http",
            tunnel="ssl",
            product="nginx",
            version="1.18.0",
            over_ipv4=True,
        ),
        open_port(
            None, "192.0.2.77", 22, declared=False, service="ssh", product="OpenSSH", version="6.6"
        ),
        expected_port(APP, V4, 443, is_open=True, state="open"),
        expected_port(APP, V4, 8443, is_open=False),
        expected_port(APP, V6, 443, is_open=True, state="open"),
        expected_port(APP, V6, 8443, is_open=True, state="open"),
        expected_port(APP, V6, 9000, is_open=None),  # outside the scan's port list
    ]
    s1_findings = [
        *judged(app(443), declared=True),
        *judged(app(80), declared=False),
        net("NET-01", app(3389), Status.FAIL),
        net("NET-02", app(3389), Status.WAIVED, measured=Status.FAIL, waiver=VALID),
        *judged(app(8443, V6), declared=True, ipv6=Status.FAIL),
        *judged(app(443, V6), declared=True, ipv6=Status.PASS),
        *judged("192.0.2.77 [192.0.2.77] 22/tcp", declared=False),
        net("NET-05", "192.0.2.77 [192.0.2.77] 22/tcp", Status.FAIL),
        net("NET-03", app(443), Status.PASS),
        net("NET-03", app(8443), Status.FAIL),
        net("NET-03", app(443, V6), Status.PASS),
        net("NET-03", app(8443, V6), Status.PASS),
        net("NET-03", app(9000, V6), Status.ERROR),
        net("TC-NET-01", app(80), Status.FAIL),  # same group and subject, another rule
    ]
    s2_records = [
        open_port("db.a.test", "192.0.2.20", 5432, declared=True, service="postgresql"),
        *unscanned("db2.a.test", "192.0.2.21", "nmap: host timed out after 60 s"),
    ]
    s2_findings = judged("db.a.test [192.0.2.20] 5432/tcp", declared=True, risky=True)
    s3 = observed_system("s3", "b", [], [])
    s1 = observed_system("s1", "a", s1_findings, s1_records)
    s2 = observed_system("s2", "a", s2_findings, s2_records)
    agencies = tuple(
        BodyResult(
            id=agency_id,
            name=f"Sở {agency_id.upper()}",
            kind="agency",
            findings=(),
            summary=combine([s.summary for s in systems]),
            systems=tuple(s.id for s in systems),
        )
        for agency_id, systems in (("a", [s1, s2]), ("b", [s3]))
    )
    org = BodyResult(
        id="tinh",
        name="Tỉnh Thử",
        kind="organisation",
        findings=(),
        summary=combine([a.summary for a in agencies]),
        systems=("s1", "s2", "s3"),
    )
    info = RunInfo(
        as_of=AS_OF,
        tool_version="0.1.0",
        lang="vi",
        inputs=(),
        live=live,  # an imported scan (--scan-results) is not a live run
        rules=len(PORT_CATALOG.rules),
        observed_at="2026-11-24T08:05:09+00:00" if live else None,
    )
    return AuditRun("1.0", info, org, agencies, (s1, s2, s3), org.summary)


@pytest.fixture(scope="module")
def port_page() -> Page:
    return build_page(make_port_run(), PORT_CATALOG, "vi")


def _ports(row: PortHostRow) -> list[tuple[int, str, list[str]]]:
    return [(p.port, p.mark.code, [b.code for b in p.badges]) for p in row.ports]


def test_open_ports_are_marked_by_what_the_net_rules_measured(port_page: Page) -> None:
    rows = {(r.host, r.address): r for r in _agency(port_page, "a").ports.rows}
    assert _ports(rows[(APP, V4)]) == [
        (80, "undeclared", []),
        (443, "expected", []),
        (3389, "risky", ["waived"]),  # risky wins over undeclared; the waiver hides nothing
    ]
    assert _ports(rows[(APP, V6)]) == [(443, "expected", []), (8443, "expected", ["ipv6_only"])]
    assert _ports(rows[(None, "192.0.2.77")]) == [(22, "undeclared", ["outdated"])]
    assert _ports(rows[("db.a.test", "192.0.2.20")]) == [(5432, "risky", [])]
    rdp = rows[(APP, V4)].ports[2]
    assert (rdp.risky, rdp.undeclared, rdp.waived) == (True, True, True)
    assert (rdp.mark.label, rdp.mark.rule_id) == ("rủi ro cao", "NET-02")
    web = rows[(APP, V4)].ports[1]
    assert (web.service, web.product, web.mark.rule_id) == ("ssl/http", "nginx 1.18.0", None)
    ipv6_only = rows[(APP, V6)].ports[1].badges[0]
    assert (ipv6_only.label, ipv6_only.rule_id) == ("chỉ mở qua IPv6", "NET-04")
    assert rows[(APP, V4)].family == "IPv4" and rows[(APP, V6)].family == "IPv6"
    # The attested TC-NET-01 shares group and subject with port 80: it marks nothing.
    assert rows[(APP, V4)].ports[0].badges == ()


def test_declared_ports_that_did_not_answer_and_addresses_not_scanned(port_page: Page) -> None:
    rows = {(r.host, r.address): r for r in _agency(port_page, "a").ports.rows}
    v4, v6 = rows[(APP, V4)], rows[(APP, V6)]
    assert [(d.port, d.protocol, d.state, d.waived) for d in v4.not_answering] == [
        (8443, "tcp", "closed", False)
    ]
    assert v6.not_answering == () and v6.not_covered == ("9000/tcp",)
    down = rows[("db2.a.test", "192.0.2.21")]
    assert down.error == "nmap: host timed out after 60 s"
    assert (down.ports, down.not_answering, down.css) == ((), (), "err")
    assert (v4.css, v6.css, rows[(None, "192.0.2.77")].css) == ("bad", "bad", "bad")
    assert rows[("db.a.test", "192.0.2.20")].system_anchor == "s-s2"


def test_addresses_with_risky_ports_come_first_then_undeclared_then_the_rest(
    port_page: Page,
) -> None:
    ports = _agency(port_page, "a").ports
    assert ports.id == "ports-a"
    assert [(r.system_id, r.host, r.address) for r in ports.rows] == [
        ("s1", APP, V4),  # risky (3389, waived)
        ("s2", "db.a.test", "192.0.2.20"),  # risky
        ("s1", None, "192.0.2.77"),  # undeclared
        ("s1", APP, V6),  # open over IPv6 only
        ("s2", "db2.a.test", "192.0.2.21"),  # not scanned
    ]
    assert _agency(port_page, "b").ports.rows == ()


def test_port_counts_add_up(port_page: Page) -> None:
    a = _agency(port_page, "a").ports.counts
    assert (a.addresses, a.open, a.not_scanned) == (4, 7, 1)
    assert (a.risky, a.undeclared, a.expected, a.unjudged) == (2, 2, 3, 0)
    assert a.open == a.risky + a.undeclared + a.expected + a.unjudged
    assert (a.ipv6_only, a.outdated, a.not_answering) == (1, 1, 1)
    b = _agency(port_page, "b").ports.counts
    assert (b.addresses, b.open, b.not_scanned) == (0, 0, 0)
    province = port_page.overview.ports
    assert province == a  # agency b saw nothing
    assert [(r.agency_id, r.anchor, r.counts) for r in port_page.overview.port_rows] == [
        ("a", "ports-a", a),
        ("b", "ports-b", b),
    ]
    assert port_page.scanned and not port_page.live  # an imported scan


def test_an_imported_scan_shows_the_ports_without_the_live_tables() -> None:
    for lang, heading in (("vi", "Cổng và dịch vụ đang mở"), ("en", "Open ports and services")):
        html = render_html(make_port_run(), PORT_CATALOG, lang)
        assert 'id="ports"' in html and 'href="#ports"' in html
        assert 'id="ports-a"' in html and 'id="ports-b"' in html
        assert html.count(heading) >= 3
        table = html.split('id="ports-a"')[1].split("</section>")[0]
        assert table.index(f'<td class="subj">{V4}</td>') < table.index("192.0.2.77")
        assert '<a class="pm risky" href="#r-NET-02">' in table
        assert "nmap: host timed out after 60 s" in table
        assert '<table class="wide live">' not in html  # not live: no certificate table
        assert "auditor audit --live --scan" not in html  # scanned: no "not scanned" line
    english = render_html(make_port_run(), PORT_CATALOG, "en")
    assert "not in the inventory" in english and "open over IPv6 only" in english
    assert "high risk" in english and "waived" in english and "9000/tcp" in english


def test_a_run_without_scan_records_only_says_how_to_scan() -> None:
    for run, catalog in ((make_run(), CATALOG), (make_live_run(), LIVE_CATALOG)):
        page = build_page(run, catalog, "en")
        assert not page.scanned
        assert all(a.ports.rows == () for a in page.agencies)
        assert page.overview.ports.open == 0
        html = render_html(run, catalog, "en")
        assert "Not scanned: run <code>auditor scan</code> or " in html
        assert "<code>auditor audit --live --scan</code>" in html
        assert 'id="ports' not in html and 'href="#ports' not in html
        assert "Open ports" not in html.split("</style>")[1]
    assert "Chưa quét cổng: chạy <code>auditor scan</code> hoặc" in render_html(
        make_run(), CATALOG, "vi"
    )


def test_the_ports_table_stays_in_a_condensed_page() -> None:
    condensed = build_page(make_port_run(live=True), PORT_CATALOG, "vi", full=False)
    assert not condensed.full and condensed.scanned
    assert len(_agency(condensed, "a").ports.rows) == 5
    html = render_html(make_port_run(live=True), PORT_CATALOG, "vi", full=False)
    table = html.split('id="ports-a"')[1].split("</section>")[0]
    assert "3389/tcp" in table and "Hệ thống s1" not in table  # no system names when condensed


def test_hostile_scan_values_render_as_text() -> None:
    run = make_port_run()
    s3 = run.systems[2]
    evil = SystemResult(
        id=s3.id,
        name=s3.name,
        agency=s3.agency,
        lifecycle=s3.lifecycle,
        system_type=s3.system_type,
        level=s3.level,
        findings=s3.findings,
        summary=s3.summary,
        observed=(
            open_port(
                '"><img src=x onerror=alert(1)>',
                "192.0.2.99",
                8080,
                declared=False,
                service=HOSTILE,
                version=HOSTILE,
            ),
            *unscanned("evil.b.test", "192.0.2.98", HOSTILE),
        ),
    )
    run = AuditRun(
        run.schema_version,
        run.run,
        run.organisation,
        run.agencies,
        (*run.systems[:2], evil),
        run.summary,
    )
    for lang in labels.LANGS:
        for full in (True, False):
            html = render_html(run, PORT_CATALOG, lang, full=full)
            assert html.count("<script") == 1 and "<img" not in html  # only the search script
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
