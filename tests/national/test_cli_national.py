"""`auditor national import` and `auditor report national` through the real CLI, on SQLite
and on a real PostgreSQL server, with bundles made by the real `auditor bundle create` and a
test PKI. Every expected figure is computed here from the annual.json files the provinces put
in their bundles, never read back from the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from browser import require_chromium
from conftest import REPO, run_cli

PROVINCE_LIST = REPO / "auditor" / "national" / "provinces-2025.yaml"
FORM08 = ("systems", "classified", "built", "appraised", "approved", "with_regulation",
          "inspected_pre_operation", "national_security")  # fmt: skip


def _import(db: str, *bundles: Path, ca: Path | None, lang: str = "en") -> Any:
    extra = ["--ca-bundle", ca] if ca else []
    return run_cli("national", "import", *bundles, "--db", db, *extra, "--lang", lang)


def _report(db: str, out: Path, year: int = 2026, *extra: str | Path) -> dict[str, Any]:
    result = run_cli("report", "national", "--year", str(year), "--db", db,
                     "--json", out, *extra)  # fmt: skip
    assert result.code == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))["national"]  # type: ignore[no-any-return]


def _tamper(source: Path, target: Path) -> None:
    """The same bundle with one figure of annual.json changed (the manifest untouched)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "annual.json":
                data = data.replace(b'"systems": 20', b'"systems": 21', 1)
                assert b'"systems": 21' in data
            zout.writestr(item, data)


def _kpi_sum(annuals: list[dict[str, Any]], kpi_id: str) -> tuple[int, int]:
    met = applicable = 0
    for annual in annuals:
        for value in annual["figures"]["kpis"]:
            if value["kpi"]["id"] == kpi_id:
                met += value["met"]
                applicable += value["applicable"]
    return met, applicable


def test_import_and_report(submissions: dict[str, Any], national_db: str, tmp_path: Path) -> None:
    pki = submissions["pki"]
    v1, v2 = submissions["lao_cai_v1"], submissions["lao_cai_v2"]
    da_nang, previous = submissions["da_nang"], submissions["lao_cai_2025"]
    tampered = tmp_path / "tampered.bundle"
    _tamper(da_nang.bundle, tampered)

    # The later-signed Lào Cai bundle first: the signing time decides, not the import order.
    result = _import(national_db, v2.bundle, tampered, submissions["no_annual"].bundle,
                     previous.bundle, ca=pki.ca_bundle)  # fmt: skip
    assert result.code == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(str(tampered) in line and "refused" in line for line in lines), result.stdout
    assert "annual.json" in result.stdout.split(str(tampered))[1].split("\n  - ")[1]
    no_annual = result.stdout.split(str(submissions["no_annual"].bundle))[1]
    assert "refused" in no_annual and "no annual.json" in no_annual
    assert result.stdout.count("imported:") == 2
    # The earlier-signed one after it: kept, not counted; then the other province.
    result = _import(national_db, v1.bundle, da_nang.bundle, ca=pki.ca_bundle)
    assert result.code == 0, result.stdout + result.stderr
    assert "a later-signed one counts" in result.stdout
    # The same bytes again: said, not duplicated.
    again = _import(national_db, v1.bundle, ca=pki.ca_bundle)
    assert again.code == 0 and "already imported" in again.stdout

    figures = _report(national_db, tmp_path / "national.json")
    provinces = {p["province_id"]: p for p in figures["provinces"]}
    assert set(provinces) == {"lao-cai", "da-nang"}
    lao_cai = provinces["lao-cai"]
    counted_sha = lao_cai["submission"]["sha256"]
    import hashlib

    assert counted_sha == hashlib.sha256(v2.bundle.read_bytes()).hexdigest()
    assert [s["sha256"] for s in lao_cai["superseded"]] == [
        hashlib.sha256(v1.bundle.read_bytes()).hexdigest()
    ]
    assert lao_cai["submission"]["signed_at"] > lao_cai["superseded"][0]["signed_at"]

    # Totals = the sum of the counted provinces' own figures.
    counted = [v2.annual, da_nang.annual]
    for field in FORM08:
        assert figures["headline"][field] == sum(a["figures"]["headline"][field] for a in counted)
    for kpi in figures["kpis"]:
        met, applicable = _kpi_sum(counted, kpi["kpi"]["id"])
        assert (kpi["met"], kpi["applicable"]) == (met, applicable)
        if applicable and kpi["kpi"]["kind"] != "count":
            assert abs(kpi["value"] - 100 * met / applicable) < 1e-9
    earned = sum(a["figures"]["points"][0] for a in counted)
    possible = sum(a["figures"]["points"][1] for a in counted)
    assert figures["points"] == [earned, possible]
    assert lao_cai["figures"]["staff"] == v2.annual["figures"]["staff"]
    assert lao_cai["figures"]["staff"] != v1.annual["figures"]["staff"]

    # Ranked by score, best first.
    scores = [p["score"] for p in figures["provinces"]]
    assert scores == sorted(scores, reverse=True)
    assert [p["rank"] for p in figures["provinces"]] == [1, 2]

    # Missing: the shipped list less the two that submitted.
    listed = yaml.safe_load(PROVINCE_LIST.read_text(encoding="utf-8"))["provinces"]
    assert len(listed) == 34
    assert [p["id"] for p in figures["missing"]] == [
        p["id"] for p in listed if p["id"] not in ("lao-cai", "da-nang")
    ]

    # Trends against 2025: Lào Cai's 2025 submission is last year's country.
    assert figures["previous_year"] == 2025
    assert figures["previous_score"] == previous.annual["figures"]["score"]
    assert lao_cai["previous_score"] == previous.annual["figures"]["score"]
    assert provinces["da-nang"]["previous_score"] is None
    for kpi in figures["kpis"]:
        met, applicable = _kpi_sum([previous.annual], kpi["kpi"]["id"])
        if applicable and kpi["kpi"]["kind"] != "count":
            assert abs(kpi["previous"] - 100 * met / applicable) < 1e-9


def test_outputs(submissions: dict[str, Any], national_db: str, tmp_path: Path) -> None:
    """The systems sheet is streamed from the store: a server-side cursor on PostgreSQL."""
    db = national_db
    pki = submissions["pki"]
    result = _import(db, submissions["lao_cai_v2"].bundle, submissions["da_nang"].bundle,
                     submissions["lao_cai_2025"].bundle, ca=pki.ca_bundle)  # fmt: skip
    assert result.code == 0, result.stdout + result.stderr
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("report", "national", "--year", "2026", "--db", db, "-o", out / "vi.html",
                     "--xlsx", out / "n.xlsx")  # fmt: skip
    assert result.code == 0, result.stderr
    require_chromium()
    english = run_cli("report", "national", "--year", "2026", "--db", db, "--lang", "en",
                      "-o", out / "en.html", "--pdf", out / "en.pdf")  # fmt: skip
    assert english.code == 0, english.stderr
    printed = subprocess.run(["pdftotext", out / "en.pdf", "-"], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    assert "National roll-up" in printed and "Provinces that have not submitted" in printed
    vi = (out / "vi.html").read_text(encoding="utf-8")
    en = (out / "en.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi and "Tỉnh, thành phố chưa gửi báo cáo" in vi
    assert '<html lang="en">' in en and "Provinces that have not submitted" in en
    assert "Tỉnh Cao Bằng" in vi and "<svg" in vi and "<script" not in vi
    assert "Tỉnh Lào Cai" in vi and "Thành phố Đà Nẵng" in vi

    counted = [submissions["lao_cai_v2"].annual, submissions["da_nang"].annual]
    # National targets from a file: the indicator is judged against them, on both sides.
    targets = tmp_path / "targets.yaml"
    targets.write_text("targets:\n  classified_approved: 50\n  four_layer: 100\n")
    judged = _report(db, out / "t.json", 2026, "--targets", targets)
    by_id = {k["kpi"]["id"]: k for k in judged["kpis"]}
    classified, four_layer = by_id["classified_approved"], by_id["four_layer"]
    assert 50 <= classified["value"] < 100 and four_layer["value"] < 100  # both sides below
    assert (classified["target"], classified["achieved"]) == (50, True)
    assert (four_layer["target"], four_layer["achieved"]) == (100, False)
    book = openpyxl.load_workbook(out / "n.xlsx", read_only=True)
    form08 = list(book["Form 08"].iter_rows(values_only=True))
    assert form08[-1][1] == sum(a["figures"]["headline"]["systems"] for a in counted)
    systems = list(book[book.sheetnames[-1]].iter_rows(values_only=True))
    assert len(systems) - 1 == sum(len(a["figures"]["systems"]) for a in counted)


def test_bad_input(submissions: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "national.sqlite"
    missing = tmp_path / "nope.bundle"
    result = _import(str(db), submissions["da_nang"].bundle, missing,
                     ca=submissions["pki"].ca_bundle)  # fmt: skip
    assert result.code == 2, result.stdout + result.stderr
    assert str(missing) in result.stderr and "Traceback" not in result.stderr
    assert not db.exists()  # nothing imported, no store created
    report = run_cli("report", "national", "--year", "2026", "--db", db, "--json",
                     tmp_path / "n.json")  # fmt: skip
    assert report.code == 2 and "Traceback" not in report.stderr
    assert not (tmp_path / "n.json").exists()


def test_not_a_bundle_is_refused_the_others_imported(
    submissions: dict[str, Any], tmp_path: Path
) -> None:
    db = str(tmp_path / "national.sqlite")
    junk = tmp_path / "junk.bundle"
    junk.write_text("not a zip\n", encoding="utf-8")
    result = _import(db, junk, submissions["da_nang"].bundle, ca=submissions["pki"].ca_bundle,
                     lang="vi")  # fmt: skip
    assert result.code == 1, result.stdout + result.stderr
    assert f"{junk}: bị từ chối:" in result.stdout
    assert f"{submissions['da_nang'].bundle}: đã nhập: Thành phố Đà Nẵng năm 2026" in result.stdout
    figures = _report(db, tmp_path / "n.json")
    assert [p["province_id"] for p in figures["provinces"]] == ["da-nang"]


def test_two_imports_of_the_same_bundle_at_once(
    submissions: dict[str, Any], national_db: str
) -> None:
    """Two processes import the same bundle into a new store at the same moment: the store is
    created once and the bundle recorded once; the other process says it was already."""
    command = [sys.executable, "-m", "auditor", "national", "import",
               str(submissions["da_nang"].bundle), "--db", national_db, "--ca-bundle",
               str(submissions["pki"].ca_bundle), "--lang", "en"]  # fmt: skip
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         cwd=REPO, env=env)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    stdout = "".join(out for out, _ in outputs)
    assert stdout.count("imported: Thành phố Đà Nẵng 2026") == 1, stdout
    assert stdout.count("already imported") == 1, stdout


def _crl(submissions: dict[str, Any], name: str, *, revoke: bool) -> Path:
    """A CRL of the Government CA that lists the provinces' signer (revoked on the day its
    certificate became valid, before any bundle was signed), or lists nobody."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    pki = submissions["pki"]
    signer = x509.load_pem_x509_certificate(
        (submissions["base"] / "So Khoa hoc va Cong nghe.pem").read_bytes())
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(pki.intermediate.cert.subject)
               .last_update(now - dt.timedelta(hours=1))
               .next_update(now + dt.timedelta(days=7)))  # fmt: skip
    if revoke:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(signer.serial_number)
            .revocation_date(signer.not_valid_before_utc).build())  # fmt: skip
    path: Path = submissions["base"] / name
    path.write_bytes(builder.sign(pki.intermediate.key, hashes.SHA256())
                     .public_bytes(serialization.Encoding.DER))  # fmt: skip
    return path


def test_revoked_signer_refused_and_revocation_recorded(
    submissions: dict[str, Any], tmp_path: Path
) -> None:
    db = str(tmp_path / "national.sqlite")
    pki = submissions["pki"]
    da_nang, lao_cai = submissions["da_nang"].bundle, submissions["lao_cai_v2"].bundle
    revoked = _crl(submissions, "revoked.crl", revoke=True)
    refused = run_cli("national", "import", da_nang, "--db", db, "--ca-bundle", pki.ca_bundle,
                      "--crl", revoked, "--lang", "en")  # fmt: skip
    assert refused.code == 1, refused.stdout + refused.stderr
    assert "refused" in refused.stdout and "before it signed" in refused.stdout
    clean = _crl(submissions, "clean.crl", revoke=False)
    checked = run_cli("national", "import", da_nang, "--db", db, "--ca-bundle", pki.ca_bundle,
                      "--crl", clean, "--lang", "en")  # fmt: skip
    assert checked.code == 0, checked.stdout + checked.stderr
    assert "imported" in checked.stdout and "revocation checked" in checked.stdout
    unchecked = _import(db, lao_cai, ca=pki.ca_bundle)
    assert unchecked.code == 0 and "revocation not checked" in unchecked.stdout

    from auditor.national.store import NationalStore

    with NationalStore.open(db) as store:
        recorded = {s.province_id: s.revocation for g in store.submissions(2026) for s in g}
    assert recorded == {"da-nang": "good", "lao-cai": "not_checked"}
    figures = _report(db, tmp_path / "n.json")
    shown = {p["province_id"]: p["submission"]["revocation"] for p in figures["provinces"]}
    assert shown == recorded
    html = tmp_path / "n.html"
    written = run_cli("report", "national", "--year", "2026", "--db", db, "--lang", "en",
                      "-o", html)  # fmt: skip
    assert written.code == 0, written.stderr
    page = html.read_text(encoding="utf-8")
    assert "Signer&#39;s certificate revocation" in page or "Signer's certificate revocation" \
        in page
    assert "checked: not revoked" in page and "not checked" in page
    # the workbook's ranking sheet says it too, in each language, beside the signer
    names = {p["province_id"]: p["name"] for p in figures["provinces"]}
    expected = {
        "en": ("Rank", "Province", "Signer's certificate revocation",
               {"da-nang": "checked: not revoked", "lao-cai": "not checked"}),
        "vi": ("Hạng", "Tỉnh, thành phố", "Thu hồi chứng thư số người ký",
               {"da-nang": "đã kiểm tra: chưa bị thu hồi", "lao-cai": "chưa kiểm tra"}),
    }
    for lang, (sheet, province, heading, said) in expected.items():
        workbook = tmp_path / f"n-{lang}.xlsx"
        done = run_cli("report", "national", "--year", "2026", "--db", db, "--lang", lang,
                       "-o", tmp_path / f"n-{lang}.html", "--xlsx", workbook)  # fmt: skip
        assert done.code == 0, done.stderr
        rows = list(openpyxl.load_workbook(workbook, read_only=True)[sheet]
                    .iter_rows(values_only=True))  # fmt: skip
        column, by_name = rows[0].index(heading), rows[0].index(province)
        cells = {row[by_name]: row[column] for row in rows[1:]}
        assert cells == {names[pid]: words for pid, words in said.items()}, cells
