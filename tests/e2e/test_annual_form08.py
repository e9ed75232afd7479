"""Form 08 (Decree 331/2026) through the real CLI: a small inventory written here is audited on
the cut-off day, then `auditor report annual` writes JSON, HTML and PDF in Vietnamese and
English. Every count of section 1 is checked against a value worked out by hand below, at both
sides of each boundary:

- dossier counts are cumulative (built ⊇ appraised ⊇ approved), not exclusive statuses;
- periodic inspection counts approved systems whose latest inspection is within the cycle of
  their regime and level at the cut-off (14/12/2026): exactly 365 days old for a Decree 85
  level-3 system is on its cycle, 366 days is late; a level with no cycle in the rules and an
  approved system without any inspection are shown apart, not folded into "no";
- a system retired the day before the period (14/12/2025) is not counted, one retired on its
  first day (15/12/2025) is; one retired without a date is left out and shown apart;
- the expected completion of approval is one date, and a blank while some systems declare
  none.

Section 2 (owner and specialised unit) and the letter are filled from the inventory and the
command line; what neither gives is the visible blank "……".
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from browser import require_chromium
from conftest import EXAMPLE, read_results_json, run_cli

AS_OF = "2026-12-14"  # the cut-off of the 2026 data period (Decree 331 Art. 35.3)
BLANK = "……"

INVENTORY = """\
organisation:
  id: tinh-thu
  name: Ủy ban nhân dân Tỉnh Thử
  form08:
    owner:
      name: Ủy ban nhân dân Tỉnh Thử
      mandate: {number: 01/2025/QĐ-UBND, date: 2025-03-01, body: UBND Tỉnh Thử}
      representative: Nguyễn Văn Chủ
      position: Chủ tịch
      address: Số 1 đường Thử, Tỉnh Thử
      email: vanthu@thu.example
  annual_letter:
    number: 15/BC-UBND
    place: Tỉnh Thử
    signer: {name: Lê Thị Ký, authority: KT. Chủ tịch}
agencies:
  - id: so-a
    name: Sở A
    systems:
{systems_a}
  - id: so-b
    name: Sở B
    form08:
      owner: {name: Sở B tự là chủ quản, phone: "0200 000 000"}
    systems:
{systems_b}
"""


def _system(sid: str, **extra: str) -> str:
    lifecycle = extra.pop("lifecycle", "production")
    lines = [f"      - id: {sid}", f"        name: Hệ thống {sid.upper()}",
             "        system_type: internal", f"        lifecycle: {lifecycle}"]
    lines += [f"        {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


def _approved(regime: str, level: int) -> dict[str, str]:
    return {
        "regime": regime,
        "declared_level": str(level),
        "dossier": "{status: approved, decision: {number: 9/QĐ, date: 2025-06-01, body: UBND}}",
    }


SYSTEMS_A = [
    # approved, Decree 85 level 3 (GOV-12: 365 days): exactly 365 days old at the cut-off
    _system("a1", **_approved("nd85", 3), pentest="{date: 2025-12-14, result: pass}"),
    # ... and one day older: late
    _system("a2", **_approved("nd85", 3), pentest="{date: 2025-12-13, result: pass}"),
    # approved, Decree 85 level 1: the rules set no cycle for it
    _system("a3", **_approved("nd85", 1), pentest="{date: 2026-03-01, result: pass}"),
    # approved, Decree 331 level 3, no inspection declared
    _system("a4", **_approved("nd331", 3)),
    _system("a5", regime="nd331", declared_level="2",
            dossier="{status: appraised, expected_approval: 2027-03-31}"),
    _system("a6", regime="nd331", declared_level="2",
            dossier="{status: submitted, expected_approval: 2027-06-30}"),
    _system("a7", regime="nd331", declared_level="2", dossier="{status: draft}"),
    _system("a8", regime="nd331"),
    # retired the day before the period: not counted
    _system("r1", lifecycle="retired", retired="2025-12-14"),
    # retired on the period's first day: counted (it ran during the period)
    _system("r2", lifecycle="retired", retired="2025-12-15"),
    # retired, no date: left out and shown apart
    _system("r3", lifecycle="retired"),
]
SYSTEMS_B = [
    # approved, Decree 331 level 3 (ASM-02: 183 days): exactly 183 days old
    _system("b1", **_approved("nd331", 3), pentest="{date: 2026-06-14, result: pass}"),
]

# Worked out by hand from the systems above.
EXPECTED = {
    "systems": 10,  # a1-a8, r2, b1 (r1 and r3 left out)
    "classified": 10,
    "built": 7,  # approved a1-a4, b1; appraised a5; submitted a6
    "appraised": 6,  # approved 5 + appraised a5
    "approved": 5,
    "no_dossier": 2,  # a8, r2
    "expected_missing": 3,  # a7, a8, r2
    "retired_before": 1,
    "retired_undated": 1,
}
PERIODIC = {"on_cycle": 2, "late": 1, "undeclared": 1, "no_cycle": 1}  # a1+b1, a2, a4, a3

SECTION1 = {
    "vi": [
        ("Tổng số hệ thống thông tin thuộc phạm vi quản lý", "10"),
        ("Tổng số hệ thống thông tin đã được phân loại (đã xác định được loại hình hệ thống "
         "thông tin)", "10"),
        ("Tổng số hệ thống thông tin đã xây dựng hồ sơ đề xuất cấp độ", "7"),
        ("Tổng số hệ thống thông tin đã được thẩm định hồ sơ đề xuất cấp độ", "6"),
        ("Tổng số hệ thống thông tin đã được phê duyệt cấp độ", "5"),
        ("Tổng số hệ thống thông tin đã phê duyệt cấp độ được kiểm tra, đánh giá an ninh mạng "
         "định kỳ theo quy định", "2"),
        ("Dự kiến thời gian hoàn thành phê duyệt đề xuất cấp độ hệ thống thông tin đối với tất "
         "cả các hệ thống thông tin thuộc phạm vi quản lý", BLANK),
    ],
    "en": [
        ("Information systems in scope", "10"),
        ("Systems classified (their type determined)", "10"),
        ("Systems whose level dossier has been built", "7"),
        ("Systems whose level dossier has been appraised", "6"),
        ("Systems whose level has been approved", "5"),
        ("Approved systems inspected periodically as required", "2"),
        ("Expected date by which every system in scope has its level approved", BLANK),
    ],
}
DETAILS = {
    "vi": ["quá chu kỳ: 1; chưa khai báo kiểm tra: 1; quy định chưa nêu chu kỳ cho cấp độ: 1",
           "đang dự thảo: 1; chưa khai báo hồ sơ: 2",
           "3 hệ thống chưa phê duyệt chưa khai báo thời điểm dự kiến; muộn nhất đã khai báo: "
           "30/06/2027",
           "Không tính 1 hệ thống ngừng vận hành trước kỳ và 1 hệ thống ngừng vận hành chưa khai "
           "báo ngày dừng"],
    "en": ["past their cycle: 1; no inspection declared: 1; no cycle set for their level: 1",
           "being drafted: 1; no dossier declared: 2",
           "3 systems not approved declare no expected date; latest declared: 2027-06-30",
           "Not counted: 1 systems retired before the period and 1 retired without a declared "
           "date"],
}
LETTER = {
    "vi": ["Số: 15/BC-UBND", "V/v kết quả công tác bảo đảm an ninh mạng hệ thống thông tin",
           "Tỉnh Thử, ngày 20 tháng 12 năm 2026", "Kính gửi: Bộ Công an", "KT. CHỦ TỊCH",
           "Lê Thị Ký"],
    "en": ["No.: 15/BC-UBND", "To: Ministry of Public Security",
           f"Tỉnh Thử, {BLANK}/{BLANK}/{BLANK}", "Lê Thị Ký"],
}
CARDS = {
    "vi": [("(1) Tên chủ quản hệ thống thông tin", "Ủy ban nhân dân Tỉnh Thử"),
           ("(2) Quy định chức năng, nhiệm vụ và quyền hạn",
            "01/2025/QĐ-UBND, 01/03/2025, UBND Tỉnh Thử"),
           ("(3) Người đại diện, chức vụ", "Nguyễn Văn Chủ, Chủ tịch"),
           ("(5) Số điện thoại, thư điện tử", f"{BLANK}, vanthu@thu.example"),
           ("(1) Tên đơn vị chuyên trách về an ninh mạng", BLANK),
           ("(1) Tên chủ quản hệ thống thông tin", "Sở B tự là chủ quản"),
           ("(5) Số điện thoại, thư điện tử", f"0200 000 000, {BLANK}")],
    "en": [("(1) Name of the owner", "Ủy ban nhân dân Tỉnh Thử"),
           ("(5) Phone, e-mail", f"{BLANK}, vanthu@thu.example"),
           ("(1) Name of the unit", BLANK)],
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} missing: run `bash scripts/test.sh` as root (installs poppler-utils)"
    return path


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("form08")
    inventory = base / "inventory.yaml"
    inventory.write_text(
        INVENTORY.replace("{systems_a}", "\n".join(SYSTEMS_A)).replace(
            "{systems_b}", "\n".join(SYSTEMS_B)
        ),
        encoding="utf-8",
    )
    db = base / "h.sqlite"
    result = run_cli("audit", inventory, "--as-of", AS_OF, "--db", db, "-q")
    assert result.code in (0, 1), result.stderr  # findings are expected; errors are not
    return db


def _report(store: Path, lang: str, *extra: str | Path) -> Path:
    out = store.parent / f"annual-{lang}"
    out.mkdir(exist_ok=True)
    args = ["report", "annual", "--year", "2026", "--db", store, "--lang", lang, "-q",
            "--json", out / "f.json", "--output", out / "f.html", *extra]
    result = run_cli(*args, timeout=300)
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def reports(store: Path) -> dict[str, Path]:
    return {
        "vi": _report(store, "vi", "--letter-date", "2026-12-20"),
        "en": _report(store, "en"),
    }


def test_section1_counts_match_the_hand_computed_values(reports: dict[str, Path]) -> None:
    figures: dict[str, Any] = json.loads((reports["vi"] / "f.json").read_text("utf-8"))["figures"]
    headline = figures["headline"]
    for key, value in EXPECTED.items():
        assert headline[key] == value, (key, headline[key])
    assert headline["periodic"] == PERIODIC
    assert headline["expected_completion"] == "2027-06-30"
    assert {s["system_id"] for s in figures["retired"]} == {"r1", "r3"}
    assert {s["system_id"] for s in figures["systems"]} == {
        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "r2", "b1"
    }
    periodic = {s["system_id"]: s["periodic"] for s in figures["systems"]}
    assert periodic["a1"] == "on_cycle" and periodic["a2"] == "late"  # 365 vs 366 days
    assert periodic["b1"] == "on_cycle"  # 183 days, Decree 331 level 3


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_shows_form08_section1_section2_and_the_letter(
    reports: dict[str, Path], lang: str
) -> None:
    html = (reports[lang] / "f.html").read_text("utf-8")
    form = html[html.index('id="form08"') : html.index('id="top"')]
    for label, value in SECTION1[lang]:
        assert f"{label}: <strong>{value}</strong>" in form, label
    text = _flat(re.sub(r"<[^>]+>", " ", form))
    for phrase in (*DETAILS[lang], *LETTER[lang]):
        assert _flat(phrase) in text, phrase
    for item, value in CARDS[lang]:
        assert f"<th>{item}</th><td>{value}</td>" in form, (item, value)
    if lang == "vi":  # no English enum codes in the Vietnamese page, dates dd/mm/yyyy
        body = re.sub(r"<[^>]+>", " ", html[html.index("<body>") :])
        for code in ("on_cycle", "no_cycle", "not_met", "approved", "appraised", "submitted"):
            assert not re.search(rf"\b{code}\b", body), code
        assert "2027-06-30" not in body


def test_requirements_roadmap_and_agency_indicators(reports: dict[str, Path]) -> None:
    html = (reports["vi"] / "f.html").read_text("utf-8")
    part = html[html.index('id="requirements"') : html.index('id="annex"')]
    assert "Tuân thủ Quy chế bảo đảm an ninh mạng khi vận hành" in part
    rows = {
        m[1]: _flat(re.sub(r"<[^>]+>", " ", m[0]))
        for m in re.finditer(r"<tr class=\"\w+\"><td><code>([\w-]+)</code>.*?</tr>", part)
    }
    # GOV-04: a1-a3 (Decree 85, in transition) are due by 01/07/2027, the latest date known;
    # a4 and b1 declare none
    assert rows["GOV-04"].endswith("01/07/2027; 5 hệ thống chưa có hạn: ……"), rows["GOV-04"]
    # GOV-12 (Decree 85 levels 3-4: a1, a2): the next inspection is due when the latest
    # lapses, 14/12/2026 for a1 (on its cycle, so not overdue)
    assert rows["GOV-12"].endswith("0 2 0 14/12/2026"), rows["GOV-12"]
    ranking = html[html.index('id="ranking"') : html.index('id="trend"')]
    assert "Chỉ tiêu theo từng cơ quan" in ranking
    assert "Sở A" in ranking and "Sở B" in ranking
    assert "dưới mục tiêu" in ranking  # Sở A's approved share is below 100 %


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pdf_is_ready_to_sign_with_the_same_counts(store: Path, lang: str) -> None:
    require_chromium()
    out = store.parent / f"pdf-{lang}"
    out.mkdir(exist_ok=True)
    extra = ("--letter-date", "2026-12-20") if lang == "vi" else ()
    result = run_cli("report", "annual", "--year", "2026", "--db", store, "--lang", lang, "-q",
                     "--pdf", out / "f.pdf", *extra, timeout=300)
    assert result.code == 0, result.stderr
    text = _flat(subprocess.run(
        [_tool("pdftotext"), str(out / "f.pdf"), "-"], check=True, capture_output=True,
        text=True, encoding="utf-8", timeout=120,
    ).stdout)
    for label, value in SECTION1[lang]:
        assert _flat(f"{label}: {value}") in text, label
    for phrase in (*DETAILS[lang], *LETTER[lang]):
        assert _flat(phrase) in text, phrase
    first_page = _flat(subprocess.run(
        [_tool("pdftotext"), "-f", "1", "-l", "1", str(out / "f.pdf"), "-"], check=True,
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    ).stdout)
    assert _flat(LETTER[lang][0]) in first_page  # the letter opens the document


def test_agency_scores_agree_between_audit_and_annual_ranking(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    results = tmp_path / "results.json"
    audited = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--db", db, "-q",
                      "--json", results)
    assert audited.code in (0, 1), audited.stderr
    run = read_results_json(results)
    audit_scores = {a["id"]: a["summary"]["score"]["value"] for a in run["agencies"]}
    report = run_cli("report", "annual", "--year", "2026", "--db", db, "-q",
                     "--json", tmp_path / "f.json")
    assert report.code == 0, report.stderr
    figures = json.loads((tmp_path / "f.json").read_text("utf-8"))["figures"]
    annual_scores = {a["agency_id"]: a["score"] for a in figures["agencies"]}
    assert annual_scores == audit_scores
    # agencies with findings of their own are where the two used to differ
    assert any(a["findings"] for a in run["agencies"])
    assert figures["score"] == run["summary"]["score"]["value"]


def test_the_inventory_schema_documents_section2_the_letter_and_retirement() -> None:
    result = run_cli("schema")
    assert result.code == 0, result.stderr
    schema = json.loads(result.stdout)
    defs = schema["$defs"]
    assert {"ContactCard", "Form08Details", "LetterSettings", "Signer"} <= set(defs)
    assert "form08" in defs["Organisation"]["properties"]
    assert "form08" in defs["Agency"]["properties"]
    assert defs["LetterSettings"]["properties"]["recipient"]["default"] == "Bộ Công an"
    assert "retired" in defs["System"]["properties"]
