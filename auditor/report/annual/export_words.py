"""The annual report exports' own words (sheet names, headings, status words) and the
language check: vi and en with the same keys, because `auditor.report.labels` belongs to the
HTML report. Form 08's words come from the report's `words`, so the page and the
spreadsheets say exactly the same. Also the first characters that make a spreadsheet read
text as a formula, which both exports defuse.
"""

from __future__ import annotations

from typing import Final

from auditor.report import labels
from auditor.report.annual.words import words as report_words

LANGS: Final = labels.LANGS

# Text starting with one of these is read as a formula by spreadsheets (OWASP "CSV
# injection"); both exports defuse it, each in its format's way.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")

# Form 08's own words (dossier, plan, inspections) and the status words are the report's:
# taken from `words`, so the page and the spreadsheets say exactly the same.
_SHARED: Final = {
    "dossier.draft": "draft",
    "dossier.submitted": "submitted",
    "dossier.appraised": "appraised",
    "dossier.approved": "approved",
    "dossier.none": "no_dossier",
    "plan.none": "none",
    "plan.partial": "partial",
    "plan.full": "full",
    "plan.undeclared": "undeclared",
    "inspection.pre_operation": "pre_operation",
    "inspection.periodic": "periodic",
    "kpi.met": "st_met",
    "kpi.not_met": "st_not_met",
    "kpi.unverified": "unverified",
    "kpi.not_applicable": "st_not_applicable",
    "achieved.yes": "achieved_yes",
    "achieved.no": "achieved_no",
}

_OWN_WORDS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "yes": "Có",
        "no": "Không",
        # sheets
        "sheet.summary": "Tổng hợp",
        "sheet.indicators": "Chỉ tiêu",
        "sheet.systems": "Hệ thống",
        "sheet.agencies": "Cơ quan",
        # summary sheet
        "title": "Báo cáo bảo đảm an toàn hệ thống thông tin theo cấp độ năm {year}",
        "organisation": "Cơ quan, tổ chức báo cáo",
        "organisation_id": "Mã cơ quan, tổ chức",
        "since": "Số liệu từ ngày",
        "until": "Đến ngày",
        "due": "Hạn gửi báo cáo",
        "statutory": "Kỳ báo cáo theo NĐ 331/2026 Đ.35",
        "runs": "Số lượt đánh giá trong kỳ",
        "live_systems": "Số HTTT được kiểm tra trực tiếp (--live)",
        "overall_score": "Điểm chung",
        "headline": "Số liệu tổng hợp (Mẫu số 08)",
        "h.systems": "Tổng số hệ thống thông tin",
        "h.classified": "Đã được phân loại (đã xác định được loại hình HTTT)",
        "h.built": "Đã xây dựng hồ sơ đề xuất cấp độ",
        "h.appraised": "Đã được thẩm định hồ sơ đề xuất cấp độ",
        "h.approved": "Đã được phê duyệt cấp độ",
        "h.retired": "Ngừng vận hành trước kỳ hoặc chưa khai báo ngày (không tính)",
        "h.no_dossier": "Chưa có hồ sơ đề xuất cấp độ",
        "h.dossier": "Hồ sơ đề xuất cấp độ: {status}",
        "h.with_regulation": "Đã có Quy chế bảo đảm an ninh mạng",
        "h.plan": "Phương án bảo đảm an ninh mạng: {deployment}",
        "h.inspected_pre_operation": "Đã kiểm tra, đánh giá trước khi đưa vào sử dụng",
        "h.inspected_periodic": "Đã phê duyệt cấp độ, kiểm tra, đánh giá định kỳ theo quy định",
        "h.periodic_late": "Đã phê duyệt cấp độ, kiểm tra định kỳ quá chu kỳ",
        "h.periodic_undeclared": "Đã phê duyệt cấp độ, chưa khai báo kiểm tra định kỳ",
        "h.periodic_no_cycle": "Đã phê duyệt cấp độ, quy định chưa nêu chu kỳ",
        "h.expected_completion": "Dự kiến thời gian hoàn thành phê duyệt cấp độ tất cả HTTT",
        "h.expected_missing": "Chưa phê duyệt, chưa khai báo thời gian dự kiến",
        "h.national_security": "HTTT quan trọng về an ninh quốc gia",
        "h.not_recorded": "Chưa có số liệu Mẫu 08 (đánh giá trước khi lưu Mẫu 08)",
        # indicators sheet
        "i.id": "Mã chỉ tiêu",
        "i.group": "Nhóm",
        "i.title": "Chỉ tiêu",
        "i.basis": "Căn cứ",
        "i.unit": "Đơn vị",
        "i.target": "Mục tiêu",
        "i.value": "Kết quả",
        "i.met": "Số đạt",
        "i.applicable": "Số áp dụng",
        "i.unverified": "Số chưa xác minh",
        "i.achieved": "Hoàn thành mục tiêu",
        "i.previous": "Kết quả năm trước",
        "unit.percent": "%",
        "unit.count": "Số lượng",
        "group.kpis": "Chỉ tiêu kế hoạch",
        "group.layers": "Mô hình 4 lớp",
        "group.ipv6": "IPv6",
        "group.assessments": "Kiểm tra, đánh giá",
        # agencies sheet
        "a.rank": "Xếp hạng",
        "a.id": "Mã cơ quan",
        "a.name": "Tên cơ quan, đơn vị",
        "a.systems": "Số HTTT",
        "a.score": "Điểm",
        "a.open_critical_high": "Phát hiện nghiêm trọng/cao chưa khắc phục",
        "a.trained": "Cán bộ an ninh mạng được đào tạo",
        "a.staff": "Tổng số cán bộ an ninh mạng",
    },
    "en": {
        "yes": "Yes",
        "no": "No",
        "sheet.summary": "Summary",
        "sheet.indicators": "Indicators",
        "sheet.systems": "Systems",
        "sheet.agencies": "Agencies",
        "title": "Annual report on information system security by level, {year}",
        "organisation": "Reporting organisation",
        "organisation_id": "Organisation ID",
        "since": "Data from",
        "until": "Data until",
        "due": "Report due",
        "statutory": "Statutory period (Decree 331 Art. 35)",
        "runs": "Audits in the period",
        "live_systems": "Systems audited with live probes (--live)",
        "overall_score": "Overall score",
        "headline": "Headline counts (Form 08)",
        "h.systems": "Information systems",
        "h.classified": "Classified (type of system determined)",
        "h.built": "Level dossier built",
        "h.appraised": "Level dossier appraised",
        "h.approved": "Level approved",
        "h.retired": "Retired before the period or undated (not counted)",
        "h.no_dossier": "No level dossier",
        "h.dossier": "Level dossier: {status}",
        "h.with_regulation": "With a security regulation",
        "h.plan": "Protection plan: {deployment}",
        "h.inspected_pre_operation": "Inspected before going live",
        "h.inspected_periodic": "Approved, inspected periodically as required",
        "h.periodic_late": "Approved, periodic inspection past its cycle",
        "h.periodic_undeclared": "Approved, no periodic inspection declared",
        "h.periodic_no_cycle": "Approved, no cycle set by the rules",
        "h.expected_completion": "Expected completion of approval for all systems",
        "h.expected_missing": "Not approved, no expected date declared",
        "h.national_security": "Critical to national security",
        "h.not_recorded": "No Form 08 data (audited before Form 08 rows were kept)",
        "i.id": "Indicator ID",
        "i.group": "Group",
        "i.title": "Indicator",
        "i.basis": "Basis",
        "i.unit": "Unit",
        "i.target": "Target",
        "i.value": "Value",
        "i.met": "Meeting it",
        "i.applicable": "Applicable",
        "i.unverified": "Unverified",
        "i.achieved": "Target reached",
        "i.previous": "Previous year",
        "unit.percent": "%",
        "unit.count": "Count",
        "group.kpis": "Plan targets",
        "group.layers": "Four-layer model",
        "group.ipv6": "IPv6",
        "group.assessments": "Assessment",
        "a.rank": "Rank",
        "a.id": "Agency ID",
        "a.name": "Agency",
        "a.systems": "Systems",
        "a.score": "Score",
        "a.open_critical_high": "Open critical/high findings",
        "a.trained": "Security staff trained",
        "a.staff": "Security staff",
    },
}

_WORDS: Final[dict[str, dict[str, str]]] = {
    lang: {**{key: report_words(lang)[source] for key, source in _SHARED.items()}, **own}
    for lang, own in _OWN_WORDS.items()
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")
    return lang


def word(key: str, lang: str) -> str:
    """An export's word; a missing key is a KeyError, never the other language's word."""
    return _WORDS[check_lang(lang)][key]


def all_words() -> dict[str, dict[str, str]]:
    """The word table, for the test that holds vi and en complete and apart."""
    return _WORDS
