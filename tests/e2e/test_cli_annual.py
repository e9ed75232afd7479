"""`auditor report annual` over audits recorded across two years, through the real CLI.

The runs are real `auditor audit` runs into a real SQLite store: the example province in the
2025 period, then a changed copy of it in the 2026 period (a full run, then a run of one
agency's file only), and one run after the 2026 period that must be left out. Every expected
figure is computed here from the runs' own JSON results — which run is each system's last
in the period, and the indicator rule written in `auditor/report/annual/kpis.py`'s docstring —
never read back from the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXAMPLE, run_cli
from probes.tls_servers import ec_key, issue, pem

from auditor.report.annual.kpis import KPIS

SHARE_KPIS = [k for k in KPIS if k.kind == "share"]
PERIOD_2026 = (dt.date(2025, 12, 15), dt.date(2026, 12, 14))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _audit(*args: Any) -> dict[str, Any]:
    *paths, as_of, db, out = args
    result = run_cli("audit", *paths, "--as-of", as_of, "--db", db, "--json", out, "-q")
    assert result.code == 0, result.stderr
    return json.loads(Path(out).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("annual")
    db = base / "history.sqlite"
    runs: dict[str, dict[str, Any]] = {}
    # 2025 period (15/12/2024 – 14/12/2025): two runs of the example; the second counts.
    runs["2025a"] = _audit(EXAMPLE, "2025-03-01", db, base / "2025a.json")
    runs["2025b"] = _audit(EXAMPLE, "2025-12-10", db, base / "2025b.json")
    # 2026 period: on 20/12/2025 the whole province, with Sở Giáo dục's staff now trained.
    year2 = base / "year2"
    shutil.copytree(EXAMPLE, year2)
    _edit(year2 / "so-giao-duc.yaml", "trained: 2 ", "trained: 5 ")
    # ...and the commune has answered the example's one open classification question, so its
    # website's level is proven (GOV-02 can pass) in this period.
    _edit(year2 / "ubnd-xa-binh-son.yaml", "        admin_procedures: false\n",
          "        admin_procedures: false\n        conditional_business_line: false\n")
    runs["2026a"] = _audit(year2, "2025-12-20", db, base / "2026a.json")
    # 24/11/2026: only the commune's file (with the organisation's): its two security staff
    # trained, and its website's level dossier sent back for appraisal (no longer approved).
    commune = year2 / "ubnd-xa-binh-son.yaml"
    _edit(commune, "trained: 0 ", "trained: 2 ")
    head, mark, website = commune.read_text(encoding="utf-8").partition("- id: trang-ttdt-xa\n")
    assert mark and "        status: approved\n" in website
    website = website.replace("        status: approved\n", "        status: submitted\n", 1)
    commune.write_text(head + mark + website, encoding="utf-8")
    runs["2026b"] = _audit(
        year2 / "00-tinh-an-binh.yaml", commune, "2026-11-24", db, base / "2026b.json"
    )
    # After the 2026 period: must not count.
    runs["2027"] = _audit(EXAMPLE, "2026-12-20", db, base / "2027.json")

    out = base / "out"
    out.mkdir()
    result = run_cli(
        "report", "annual", "--year", "2026", "--db", db, "--output", out / "annual.html",
        "--json", out / "annual.json", "--xlsx", out / "annex.xlsx", "--csv", out / "annex.csv",
    )
    assert result.code == 0, result.stderr
    english = run_cli(
        "report", "annual", "--year", "2026", "--db", db, "--lang", "en", "--output",
        out / "annual-en.html", "-q",
    )
    assert english.code == 0, english.stderr
    return {
        "db": db,
        "base": base,
        "runs": runs,
        "out": out,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "figures": json.loads((out / "annual.json").read_text(encoding="utf-8")),
    }


# -- the expectation, computed from the runs' JSON results ------------------------------------


def _latest_systems(*runs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each system as the last of `runs` (in date order) that contains it."""
    latest: dict[str, dict[str, Any]] = {}
    for run in runs:
        for system in run["systems"]:
            latest[system["id"]] = system
    return latest


def _status(findings: Iterable[dict[str, Any]], rules: tuple[str, ...]) -> str:
    statuses = [f["status"] for f in findings if f["rule_id"] in rules]
    applicable = [s for s in statuses if s != "not_applicable"]
    if not applicable:
        return "not_applicable"
    if any(s in ("fail", "waived") for s in applicable):
        return "not_met"
    if any(s in ("manual", "error") for s in applicable):
        return "unverified"
    return "met"


def _expected_share(systems: Iterable[dict[str, Any]], rules: tuple[str, ...]) -> dict[str, Any]:
    statuses = [_status(s["findings"], rules) for s in systems]
    met = statuses.count("met")
    applicable = len(statuses) - statuses.count("not_applicable")
    return {
        "met": met,
        "applicable": applicable,
        "unverified": statuses.count("unverified"),
        "value": None if not applicable else 100 * met / applicable,
    }


def _staff(bodies: Iterable[dict[str, Any]]) -> tuple[int, int]:
    registers = [b["register"] for b in bodies if b["register"]["security_staff"] is not None]
    return sum(r["trained"] for r in registers), sum(r["security_staff"] for r in registers)


def _kpis(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k["kpi"]["id"]: k for k in figures["kpis"]}


def test_the_period_takes_each_systems_last_audit_and_nothing_after(years: dict[str, Any]) -> None:
    figures = years["figures"]["figures"]
    runs = years["runs"]
    assert figures["period"] == {
        "year": 2026, "since": "2025-12-15", "until": "2026-12-14", "due": "2026-12-25",
        "statutory": True,
    }  # fmt: skip
    assert [r["as_of"] for r in figures["runs"]] == ["2026-11-24", "2025-12-20"]
    commune = {s["id"] for s in runs["2026b"]["systems"]}
    assert commune and len(commune) < len(runs["2026a"]["systems"])
    audited = {s["system_id"]: s["audited_on"] for s in figures["systems"]}
    assert audited == {
        s["id"]: "2026-11-24" if s["id"] in commune else "2025-12-20"
        for s in runs["2026a"]["systems"]
    }
    website = next(s for s in figures["systems"] if s["system_id"] == "trang-ttdt-xa")
    assert website["register"]["dossier_status"] == "submitted"


def test_indicators_equal_what_the_findings_say(years: dict[str, Any]) -> None:
    runs = years["runs"]
    latest = _latest_systems(runs["2026a"], runs["2026b"]).values()
    kpis = _kpis(years["figures"]["figures"])
    for kpi in SHARE_KPIS:
        expected = _expected_share(latest, kpi.rules)
        got = kpis[kpi.id]
        assert (got["met"], got["applicable"], got["unverified"]) == (
            expected["met"], expected["applicable"], expected["unverified"]
        ), kpi.id
        assert got["value"] == pytest.approx(expected["value"]), kpi.id
        assert got["target"] == 100.0
        assert got["achieved"] == (None if expected["value"] is None else expected["value"] >= 100)
    # each indicator cites the references of its rules, as the checklists word them
    approval = "Nghị định 85/2016/NĐ-CP Điều 12; khoản 3 Điều 14"
    assert approval in kpis["classified_approved"]["basis"]
    assert "Chỉ thị 14/CT-TTg ngày 07/06/2019" in kpis["four_layer"]["basis"]
    # the dossier sent back for appraisal: the commune's website no longer counts, though the
    # full-province audit of 20/12/2025 (superseded by the later one) had it approved
    rules = next(k.rules for k in SHARE_KPIS if k.id == "classified_approved")
    before = next(s for s in runs["2026a"]["systems"] if s["id"] == "trang-ttdt-xa")
    assert _status(before["findings"], rules) == "met"
    website = next(s for s in years["figures"]["figures"]["systems"]
                   if s["system_id"] == "trang-ttdt-xa")
    assert website["kpis"]["classified_approved"] == "not_met"
    previous = _kpis(years["figures"]["previous"])
    assert kpis["classified_approved"]["previous"] == previous["classified_approved"]["value"]


def test_staff_trained_adds_the_latest_figures_of_every_body(years: dict[str, Any]) -> None:
    runs = years["runs"]
    agencies = {a["id"]: a for a in runs["2026a"]["agencies"]}
    agencies.update({a["id"]: a for a in runs["2026b"]["agencies"]})
    trained, staff = _staff([*agencies.values(), runs["2026b"]["organisation"]])
    got = _kpis(years["figures"]["figures"])["staff_trained"]
    assert (got["met"], got["applicable"]) == (trained, staff)
    assert got["value"] == pytest.approx(100 * trained / staff)
    before_trained, before_staff = _staff(
        [*runs["2025b"]["agencies"], runs["2025b"]["organisation"]]
    )
    assert got["previous"] == pytest.approx(100 * before_trained / before_staff)
    assert trained - before_trained == 3 + 2  # Sở Giáo dục's 3 and the commune's 2 trained


def test_previous_year_is_the_2025_period_alone(years: dict[str, Any]) -> None:
    runs = years["runs"]
    previous = years["figures"]["previous"]
    assert previous["period"]["since"] == "2024-12-15"
    assert [r["as_of"] for r in previous["runs"]] == ["2025-12-10", "2025-03-01"]
    systems = runs["2025b"]["systems"]
    for kpi in SHARE_KPIS:
        assert _kpis(previous)[kpi.id]["value"] == pytest.approx(
            _expected_share(systems, kpi.rules)["value"]
        ), kpi.id


def test_headline_counts_are_form_08s(years: dict[str, Any]) -> None:
    runs = years["runs"]
    registers = [s["register"] for s in _latest_systems(runs["2026a"], runs["2026b"]).values()]
    headline = years["figures"]["figures"]["headline"]
    assert headline["systems"] == len(registers) == 20
    for status in ("draft", "submitted", "appraised", "approved"):
        assert headline["dossier"][status] == sum(
            1 for r in registers if r["dossier_status"] == status
        ), status
    assert headline["with_regulation"] == sum(1 for r in registers if r["security_regulation"])
    assert headline["plan"]["full"] == sum(1 for r in registers if r["plan_deployment"] == "full")
    assert headline["inspected_pre_operation"] == sum(1 for r in registers if r["pre_operation"])
    # Form 08 reads cumulatively: an approved dossier has been built and appraised.
    statuses = [r["dossier_status"] for r in registers]
    assert headline["built"] == sum(s in ("submitted", "appraised", "approved") for s in statuses)
    assert headline["appraised"] == sum(s in ("appraised", "approved") for s in statuses)
    assert headline["approved"] == statuses.count("approved")
    # Periodic inspection: approved systems whose latest inspection is within the cycle of
    # their regime and level on the cut-off day (the cycles of GOV-12, GOV-13 and ASM-02).
    cycles = {("nd85", 3): 365, ("nd85", 4): 365, ("nd85", 5): 183, ("nd331", 1): 365,
              ("nd331", 2): 365, ("nd331", 3): 183, ("nd331", 4): 183, ("nd331", 5): 92}
    until = PERIOD_2026[1]
    periodic = {"on_cycle": 0, "late": 0, "undeclared": 0, "no_cycle": 0}
    for system in _latest_systems(runs["2026a"], runs["2026b"]).values():
        register, level = system["register"], system["level"]
        if register["dossier_status"] != "approved":
            continue
        cycle = cycles.get((level["governing_regime"], level["effective"]))
        if not register["periodic"]:  # inspections dated after the audit date are not there
            periodic["undeclared"] += 1
        elif cycle is None:
            periodic["no_cycle"] += 1
        else:
            age = (until - dt.date.fromisoformat(register["periodic"]["date"])).days
            periodic["on_cycle" if age <= cycle else "late"] += 1
    assert headline["periodic"] == periodic
    assert sum(periodic.values()) == headline["approved"]


def test_findings_by_severity_and_the_agency_ranking(years: dict[str, Any]) -> None:
    runs = years["runs"]
    latest = list(_latest_systems(runs["2026a"], runs["2026b"]).values())
    figures = years["figures"]["figures"]
    for severity in ("critical", "high", "medium", "low"):
        assert figures["open_by_severity"][severity] == sum(
            s["summary"]["by_severity"].get(severity, 0) for s in latest
        ), severity
    ranking = figures["agencies"]
    assert [a["rank"] for a in ranking] == list(range(1, len(ranking) + 1))
    scores = [a["score"] for a in ranking]
    assert scores == sorted(scores, reverse=True)
    # One scoring: each agency scores in the ranking exactly as in its last audit of the period
    audited = {a["id"]: a for run in (runs["2026a"], runs["2026b"]) for a in run["agencies"]}
    for agency in ranking:
        assert agency["score"] == audited[agency["agency_id"]]["summary"]["score"]["value"]
    gaps = figures["gaps"]
    assert gaps and gaps[0]["systems"] == max(g["systems"] for g in gaps)
    top = gaps[0]["rule_id"]
    assert gaps[0]["systems"] == sum(
        1
        for s in latest
        if any(f["rule_id"] == top and f["status"] == "fail" for f in s["findings"])
    )


def test_html_is_vietnamese_with_its_conventions(years: dict[str, Any]) -> None:
    html = (years["out"] / "annual.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    assert "15/12/2025 – 14/12/2026" in html
    assert "trước ngày 25/12/2026" in html
    assert "Mẫu số 08" in html and "Đã được phê duyệt" in html and "Đã gửi thẩm định" in html
    value = _kpis(years["figures"]["figures"])["staff_trained"]["value"]
    assert f"{value:.1f}".replace(".", ",") + " %" in html  # decimal comma
    assert html.count("<svg") >= 6
    assert "<script" not in html and "http://" not in html.split("<body>")[0]
    english = (years["out"] / "annual-en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "2025-12-15 – 2026-12-14" in english
    assert f"{value:.1f}%" in english


def test_xlsx_annex_reads_back(years: dict[str, Any]) -> None:
    runs = years["runs"]
    latest = _latest_systems(runs["2026a"], runs["2026b"])
    book = openpyxl.load_workbook(years["out"] / "annex.xlsx")
    sheet = next(ws for ws in book.worksheets if ws.max_row == len(latest) + 1)
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    id_column = next(h for h in header if h and "Mã hệ thống" in str(h))
    assert {r[id_column] for r in rows} == set(latest)
    website = next(r for r in rows if r[id_column] == "trang-ttdt-xa")
    assert "Đã gửi thẩm định" in website.values()
    decision = latest["trang-ttdt-xa"]["register"]["decision"]["number"]
    assert decision in website.values()


def test_csv_annex_reads_back(years: dict[str, Any]) -> None:
    raw = (years["out"] / "annex.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + 20
    assert any("trang-ttdt-xa" in row for row in rows[1:])


def test_terminal_prints_the_indicators(years: dict[str, Any]) -> None:
    out = years["stdout"]
    assert "Cán bộ chuyên trách" in out and "Chưa đạt" in out
    assert "đã ghi: " in years["stderr"]  # the output files it wrote, in --lang (vi)


# -- certificates: live runs over certificate files ------------------------------------------


def _certificate_inventory(directory: Path, as_of: dt.date) -> Path:
    """A province of two systems, each with a certificate file; one expired before `as_of`."""
    folder = directory / "chung-thu"
    folder.mkdir()
    moment = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    for name, start, end in (
        ("valid.pem", moment - dt.timedelta(days=30), moment + dt.timedelta(days=300)),
        ("expired.pem", moment - dt.timedelta(days=400), moment - dt.timedelta(days=5)),
    ):
        leaf = issue(f"{name}.anbinh.test", key=ec_key(), not_before=start, not_after=end)
        (folder / name).write_bytes(pem(leaf.cert))
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-chung-thu\n  name: Tỉnh Chứng Thư (thử nghiệm)\n",
        encoding="utf-8",
    )
    systems = "".join(
        f"""    - id: {sid}
      name: Hệ thống {sid}
      system_type: internal
      lifecycle: production
      declared_level: 2
      certificates:
        - file: {file}
"""
        for sid, file in (("ky-so-a", "valid.pem"), ("ky-so-b", "expired.pem"))
    )
    (folder / "so-a.yaml").write_text(
        f"agency:\n  id: so-a\n  name: Sở A\n  systems:\n{systems}", encoding="utf-8"
    )
    return folder


def test_expired_certificates_count_against_their_target(tmp_path: Path) -> None:
    as_of = dt.date(2026, 11, 24)
    inventory = _certificate_inventory(tmp_path, as_of)
    db = tmp_path / "h.sqlite"
    # --live reads the two certificate files; the inventory names no host, so nothing else
    # is probed (the resolver is loopback all the same).
    audit = run_cli("audit", inventory, "--live", "--resolver", "127.0.0.1", "--as-of",
                    as_of.isoformat(), "--db", db, "-q")
    assert audit.code == 0, audit.stderr
    out = tmp_path / "cert.json"
    report = run_cli("report", "annual", "--year", "2026", "--db", db, "--json", out, "-q")
    assert report.code == 0, report.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    certificates = figures["certificates"]
    assert (certificates["observed"], certificates["expired"], certificates["healthy"]) == (2, 1, 1)
    kpi = _kpis(figures)["expired_certificates"]
    assert (kpi["value"], kpi["target"], kpi["achieved"]) == (1.0, 0.0, False)
    assert [s["expired_certificates"] for s in figures["systems"]] == [0, 1]

    # a province that tolerates one expired certificate this year
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "plan: {number: 45/KH-UBND, date: 2026-02-10, body: UBND tỉnh Chứng Thư}\n"
        "targets:\n  expired_certificates: 1\n  four_layer: 80\n",
        encoding="utf-8",
    )
    html = tmp_path / "cert.html"
    report = run_cli("report", "annual", "--year", "2026", "--db", db, "--targets", targets,
                     "--json", out, "--output", html, "-q")
    assert report.code == 0, report.stderr
    kpis = _kpis(json.loads(out.read_text(encoding="utf-8"))["figures"])
    assert (kpis["expired_certificates"]["achieved"], kpis["four_layer"]["target"]) == (True, 80.0)
    assert "45/KH-UBND" in html.read_text(encoding="utf-8")


# -- bad input: exit 2, a clear message, nothing written -------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("targets:\n  four_layers: 90\n", "targets.four_layers"),  # unknown field (typo)
        ("targets:\n  four_layer: 120\n", "less than or equal to 100"),
        ("targets:\n  four_layer: yes\n", "four_layer"),
        ("targets: [1, 2\n", "targets.yaml:2:1: invalid YAML"),
        ("targets:\n  four_layer: 90\n  four_layer: 80\n", "duplicate"),
    ],
)
def test_a_bad_targets_file_is_refused_before_anything_is_written(
    years: dict[str, Any], tmp_path: Path, text: str, message: str
) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text(text, encoding="utf-8")
    out = tmp_path / "a.html"
    result = run_cli("report", "annual", "--year", "2026", "--db", years["db"], "--targets",
                     targets, "--output", out, "--lang", "en")
    assert result.code == 2, result.stderr
    assert str(targets) in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [targets]


def test_no_audit_in_the_period_is_an_error(years: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "a.html"
    result = run_cli("report", "annual", "--year", "2020", "--db", years["db"], "--output", out,
                     "--lang", "en")
    assert result.code == 2
    assert "no audit recorded from 2019-12-15 to 2020-12-14" in result.stderr
    assert not out.exists()
    result = run_cli("report", "annual", "--year", "2020", "--db", years["db"], "--output", out)
    assert result.code == 2
    assert result.stderr.startswith("auditor: lỗi: ")
    assert "không có lần đánh giá nào được ghi từ 15/12/2019 đến 14/12/2020" in result.stderr
    assert not out.exists()


def test_several_organisations_need_one_chosen(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert _audit(EXAMPLE, "2026-11-24", db, tmp_path / "a.json")
    other = _certificate_inventory(tmp_path, dt.date(2026, 11, 24))
    assert run_cli("audit", other, "--as-of", "2026-11-24", "--db", db, "-q").code == 0
    out = tmp_path / "a.json"
    out.unlink()
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "--json", out,
                     "--lang", "en")
    assert result.code == 2 and "choose one with --organisation" in result.stderr
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "--json", out)
    assert result.code == 2 and "hãy chọn một tổ chức bằng --organisation" in result.stderr
    assert not out.exists()
    chosen = run_cli("report", "annual", "--year", "2026", "--db", db, "--json", out,
                     "--organisation", "tinh-chung-thu", "-q")
    assert chosen.code == 0, chosen.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["figures"]["headline"]["systems"] == 2


def test_a_missing_store_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "nowhere" / "h.sqlite"
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "--json",
                     tmp_path / "x.json", "--lang", "en")
    assert result.code == 2 and f"no history store at {db}" in result.stderr
    result = run_cli("report", "annual", "--year", "2026", "--db", db, "--json",
                     tmp_path / "x.json")
    assert result.code == 2 and f"không có kho lịch sử tại {db}" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to write"),
        (("--since", "2026-06-01", "--until", "2026-01-01", "--json", "x.json"), "after it ends"),
        (("--year", "1999", "--json", "x.json"), "1999"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("report", "annual", "--db", tmp_path / "h.sqlite", *args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.stderr
    assert not (tmp_path / "x.json").exists()
