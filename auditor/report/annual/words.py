"""The annual report's own words, Vietnamese first (the statutory language) and English.

Form 08 (Decree 331/2026) fixes some of them — the dossier statuses, the plan deployment
levels, the inspection kinds — and they are reproduced as the form writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_WORDS: Final[dict[str, tuple[str, str]]] = {
    "doc_kicker": ("Báo cáo định kỳ hằng năm", "Annual periodic report"),
    "doc_title": (
        "Tình hình bảo đảm an toàn thông tin, an ninh mạng hệ thống thông tin theo cấp độ "
        "năm {year}",
        "Security of information systems by level in {year}",
    ),
    "organisation": ("Cơ quan, tổ chức báo cáo", "Reporting organisation"),
    "period": ("Kỳ số liệu", "Data period"),
    "period_statutory": (
        "từ 15/12 năm trước đến 14/12 năm báo cáo (NĐ 331/2026 Điều 35)",
        "15 December of the previous year to 14 December (Decree 331 Art. 35)",
    ),
    "period_custom": ("kỳ do người lập báo cáo chọn", "a period chosen by the author"),
    "due": ("Hạn gửi báo cáo", "Report due"),
    "due_text": (
        "trước ngày {date}, gửi Bộ Công an (Mẫu số 08, NĐ 331/2026); số liệu IPv6 gửi Bộ "
        "Khoa học và Công nghệ (bộ quản lý hạ tầng số)",
        "before {date}, to the Ministry of Public Security (Form 08, Decree 331/2026); IPv6 "
        "figures to the Ministry of Science and Technology (digital infrastructure)",
    ),
    "sources": ("Nguồn số liệu", "Sources"),
    "sources_text": (
        "{runs} lượt kiểm tra ghi trong lịch sử (lần gần nhất {last}); mỗi hệ thống lấy theo "
        "lần kiểm tra cuối cùng trong kỳ; {live} hệ thống có kiểm tra trực tiếp (--live)",
        "{runs} audit runs in the history store (latest {last}); each system as its last "
        "audit of the period saw it; {live} systems audited with live probes (--live)",
    ),
    "targets_from": ("Chỉ tiêu theo", "Targets from"),
    "targets_default": (
        "chỉ tiêu mặc định của kế hoạch cấp tỉnh (100 %; không có chứng thư hết hạn)",
        "the provincial plans' default targets (100%; no expired certificate)",
    ),
    "generated": ("Lập bằng", "Produced with"),
    "contents": ("Nội dung", "Contents"),
    # sections
    "s_headline": ("I. Số liệu tổng hợp (Mẫu số 08)", "I. Headline counts (Form 08)"),
    "s_kpis": ("II. Kết quả thực hiện chỉ tiêu", "II. Indicators against targets"),
    "s_levels": ("III. Hệ thống theo cấp độ và cơ quan", "III. Systems by level and agency"),
    "s_dossier": (
        "IV. Hồ sơ cấp độ và phương án bảo vệ",
        "IV. Level dossiers and protection plans",
    ),
    "s_layers": ("V. Mô hình 4 lớp", "V. The 4-layer model"),
    "s_assessments": ("VI. Kiểm tra, đánh giá", "VI. Inspections and assessments"),
    "s_ipv6": ("VII. Sẵn sàng IPv6", "VII. IPv6 readiness"),
    "s_certs": ("VIII. Chứng thư số", "VIII. Certificates"),
    "s_findings": ("IX. Tồn tại theo mức độ và nhóm", "IX. Findings by severity and group"),
    "s_gaps": ("X. Tồn tại phổ biến nhất", "X. Most frequent gaps"),
    "s_ranking": ("XI. Xếp hạng cơ quan", "XI. Agency ranking"),
    "s_trend": ("XII. So sánh với năm trước", "XII. Trend against the previous year"),
    "s_annex": (
        "Phụ lục. Danh mục hệ thống thông tin (Mẫu số 08)",
        "Annex. Information systems (Form 08)",
    ),
    "s_method": ("Cách tính", "Method"),
    # headline rows
    "h_systems": ("Tổng số hệ thống thông tin", "Information systems"),
    "h_classified": ("Đã xác định cấp độ (có cấp độ đề xuất)", "Classified (a proposed level)"),
    "h_no_dossier": ("Chưa có hồ sơ đề xuất cấp độ", "No level dossier yet"),
    "h_with_regulation": ("Đã ban hành quy chế bảo đảm ATTT", "With a security regulation"),
    "h_pre_operation": (
        "Đã kiểm tra, đánh giá trước khi đưa vào sử dụng",
        "Inspected before going live",
    ),
    "h_periodic": ("Đã kiểm tra, đánh giá định kỳ trong kỳ", "Inspected periodically this period"),
    "h_expected": (
        "Chưa phê duyệt, có thời gian dự kiến hoàn thành",
        "Not yet approved, with an expected date",
    ),
    "h_national_security": (
        "Đề xuất đưa vào Danh mục HTTT quan trọng về an ninh quốc gia",
        "Proposed for the national-security list",
    ),
    "h_not_recorded": (
        "Không có số liệu Mẫu 08 (kiểm tra ghi bằng phiên bản cũ)",
        "No Form 08 data (audit recorded by an older version)",
    ),
    "dossier_status": ("Tình trạng hồ sơ", "Dossier status"),
    "plan_status": ("Triển khai phương án", "Plan deployment"),
    # Form 08 fixed words
    "draft": ("Đang dự thảo", "Drafting"),
    "submitted": ("Đã gửi thẩm định", "Submitted for appraisal"),
    "appraised": ("Đã thẩm định", "Appraised"),
    "approved": ("Đã được phê duyệt", "Approved"),
    "no_dossier": ("Chưa có hồ sơ", "No dossier"),
    "none": ("Chưa triển khai", "Not deployed"),
    "partial": ("Đã triển khai một số hạng mục", "Partly deployed"),
    "full": ("Đã triển khai đầy đủ", "Fully deployed"),
    "undeclared": ("Chưa khai báo", "Not declared"),
    "pre_operation": ("Trước khi đưa vào sử dụng", "Before going live"),
    "periodic": ("Định kỳ", "Periodic"),
    # indicators
    "indicator": ("Chỉ tiêu", "Indicator"),
    "basis": ("Căn cứ pháp lý", "Legal basis"),
    "target": ("Mục tiêu", "Target"),
    "result": ("Kết quả", "Result"),
    "met_of": ("Đạt / áp dụng", "Met / applicable"),
    "unverified": ("Chưa xác minh", "Unverified"),
    "st_met": ("Đạt", "Met"),
    "st_not_met": ("Chưa đạt", "Not met"),
    "st_not_applicable": ("Không áp dụng", "Not applicable"),
    "achieved": ("Đánh giá", "Assessment"),
    "achieved_yes": ("Đạt", "Achieved"),
    "achieved_no": ("Chưa đạt", "Not achieved"),
    "no_measure": ("Chưa có số liệu", "Not measured"),
    "previous": ("Năm trước", "Last year"),
    "change": ("Thay đổi", "Change"),
    "kpi_chart": ("Chỉ tiêu so với mục tiêu", "Indicators against targets"),
    "staff_note": (
        "{trained} trên {staff} cán bộ (cơ quan tỉnh và các cơ quan có khai báo)",
        "{trained} of {staff} staff (the organisation and agencies that declare them)",
    ),
    "unverified_note": (
        "«Chưa xác minh»: cần bằng chứng hoặc chưa kiểm tra được (ví dụ IPv6, chứng thư số khi "
        "kiểm tra không có --live); vẫn tính vào mẫu số.",
        "'Unverified': evidence needed or the check could not run (e.g. IPv6 and certificates "
        "without --live); still counted in the denominator.",
    ),
    # levels
    "level": ("Cấp độ", "Level"),
    "level_n": ("Cấp {n}", "Level {n}"),
    "agency": ("Cơ quan", "Agency"),
    "systems": ("Số hệ thống", "Systems"),
    "total": ("Tổng", "Total"),
    "by_level_chart": ("Số hệ thống theo cấp độ áp dụng", "Systems by applied level"),
    "regime": ("Chế độ pháp lý áp dụng", "Governing regime"),
    "nd85": ("NĐ 85/2016 (chuyển tiếp)", "Decree 85/2016 (transition)"),
    "nd331": ("Luật 116/2025, NĐ 331/2026", "Law 116/2025, Decree 331/2026"),
    # layers, assessments, ipv6, certs
    "layers_chart": ("Tỷ lệ hệ thống đáp ứng từng lớp", "Systems meeting each layer"),
    "ipv6_chart": ("Sẵn sàng IPv6", "IPv6 readiness"),
    "not_live": (
        "Không có lần kiểm tra trực tiếp (--live) nào trong kỳ: chưa có số liệu quan sát về "
        "IPv6 và chứng thư số. Chạy `auditor audit --live` để có số liệu.",
        "No audit of the period ran the live probes (--live): nothing was observed of IPv6 "
        "and certificates. Run `auditor audit --live` to measure them.",
    ),
    "some_not_live": (
        "{n} hệ thống có lần kiểm tra cuối không chạy --live: số liệu quan sát chưa đầy đủ.",
        "{n} systems' last audit did not run --live: observed figures are incomplete.",
    ),
    "c_observed": ("Chứng thư số được kiểm tra", "Certificates checked"),
    "c_healthy": ("Hợp lệ, không có vấn đề", "Valid, no issue"),
    "c_expired": ("Đã hết hạn", "Expired"),
    "c_expiring": ("Sắp hết hạn", "Expiring soon"),
    "c_untrusted": ("Chuỗi tin cậy/tên miền không hợp lệ", "Untrusted chain or wrong name"),
    "c_weak": ("Khóa yếu hoặc thuật toán ký lỗi thời", "Weak key or obsolete signature"),
    # findings
    "severity": ("Mức độ", "Severity"),
    "group": ("Nhóm", "Group"),
    "open_findings": ("Tồn tại chưa khắc phục", "Open findings"),
    "severity_chart": ("Tồn tại theo mức độ", "Open findings by severity"),
    "rule": ("Yêu cầu", "Requirement"),
    "gap_systems": ("Số hệ thống", "Systems"),
    "example": ("Ví dụ", "Example"),
    "no_gaps": ("Không có tồn tại.", "No gaps."),
    # ranking
    "rank": ("Hạng", "Rank"),
    "score": ("Điểm", "Score"),
    "critical_high": ("Nghiêm trọng + cao", "Critical + high"),
    "staff_trained": ("Cán bộ được đào tạo", "Staff trained"),
    "classified_share": ("Đã phê duyệt cấp độ", "Level approved"),
    # trend
    "this_year": ("Năm nay", "This year"),
    "no_previous": (
        "Chưa có số liệu năm trước ({since} – {until}) trong lịch sử kiểm tra.",
        "No audit of the previous year ({since} – {until}) in the history store.",
    ),
    "score_total": ("Điểm tuân thủ chung", "Overall compliance score"),
    # annex
    "system": ("Hệ thống", "System"),
    "owner": ("Chủ quản", "Owner"),
    "operator": ("Đơn vị vận hành", "Operator"),
    "proposed_level": ("Cấp độ đề xuất", "Proposed level"),
    "approval": ("Tình trạng phê duyệt", "Approval status"),
    "decision": ("Quyết định phê duyệt (số, ngày, cơ quan)", "Approval decision (no., date, body)"),
    "regulation": (
        "Quy chế bảo đảm ATTT (số, ngày, cơ quan)",
        "Security regulation (no., date, body)",
    ),
    "expected_approval": ("Dự kiến phê duyệt", "Expected approval"),
    "deployment": ("Triển khai phương án", "Plan deployment"),
    "expected_full": ("Dự kiến triển khai đầy đủ", "Expected full deployment"),
    "inspections": ("Kiểm tra, đánh giá đã thực hiện", "Inspections done"),
    "audited_on": ("Kiểm tra lần cuối", "Last audit"),
    "not_recorded": ("không có số liệu", "not recorded"),
    "annex_cut": (
        "Bản in liệt kê {shown} trên {total} hệ thống; danh mục đầy đủ ở phụ lục XLSX/CSV "
        "(--xlsx, --csv) và bản HTML.",
        "This print lists {shown} of {total} systems; the full list is in the XLSX/CSV annex "
        "(--xlsx, --csv) and the HTML page.",
    ),
    "method_text": (
        "Mỗi chỉ tiêu tính trên các hệ thống mà chỉ tiêu áp dụng, theo lần kiểm tra cuối cùng "
        "của từng hệ thống trong kỳ: đạt khi mọi yêu cầu liên quan đạt; chưa đạt khi một yêu "
        "cầu không đạt hoặc được miễn trừ (miễn trừ chấp nhận rủi ro, không khắc phục tồn "
        "tại); chưa xác minh khi cần bằng chứng hoặc không kiểm tra được.",
        "Each indicator counts the systems it applies to, as each system's last audit of the "
        "period saw it: met when every requirement behind it passed; not met when one failed "
        "or was waived (a waiver accepts a risk, it does not close the gap); unverified when "
        "evidence is needed or the check could not run.",
    ),
    "rules_used": ("Yêu cầu dùng để tính", "Requirements used"),
    "runs_list": ("Các lượt kiểm tra trong kỳ", "Audit runs of the period"),
    "run": ("Lượt", "Run"),
    "as_of": ("Ngày kiểm tra", "Audit date"),
    "inventory": ("Danh mục", "Inventory"),
    "live": ("Trực tiếp", "Live"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "more_runs": ("… và {n} lượt khác", "… and {n} more"),
}


def words(lang: str) -> Mapping[str, str]:
    """All words in `lang` ('vi' or 'en')."""
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")
    index = 0 if lang == "vi" else 1
    return {key: pair[index] for key, pair in _WORDS.items()}
