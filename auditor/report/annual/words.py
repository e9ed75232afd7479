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
    "h_classified": (
        "Đã được phân loại (đã xác định được loại hình HTTT)",
        "Classified (type of system determined)",
    ),
    "h_built": ("Đã xây dựng hồ sơ đề xuất cấp độ", "Level dossier built"),
    "h_appraised": ("Đã được thẩm định hồ sơ đề xuất cấp độ", "Level dossier appraised"),
    "h_approved": ("Đã được phê duyệt cấp độ", "Level approved"),
    "h_drafting": ("Hồ sơ đang dự thảo", "Dossier being drafted"),
    "h_no_dossier": ("Chưa có hồ sơ đề xuất cấp độ", "No level dossier yet"),
    "h_with_regulation": (
        "Đã ban hành Quy chế bảo đảm an ninh mạng",
        "With a security regulation",
    ),
    "h_pre_operation": (
        "Đã kiểm tra, đánh giá trước khi đưa vào sử dụng",
        "Inspected before going live",
    ),
    "h_periodic": (
        "Đã phê duyệt cấp độ, được kiểm tra, đánh giá định kỳ theo quy định",
        "Approved, inspected periodically as required",
    ),
    "h_expected": (
        "Chưa phê duyệt, chưa khai báo thời gian dự kiến",
        "Not yet approved, no expected date declared",
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
        "Quy chế bảo đảm ANM cho hệ thống (số, ngày, cơ quan)",
        "Security regulation (no., date, body)",
    ),
    "expected_approval": ("Dự kiến phê duyệt", "Expected approval"),
    "deployment": ("Đã triển khai đầy đủ PA BĐANM", "Protection plan deployment"),
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
    # -- Form 08 (Decree 331/2026): the letter, sections 1 and 2 ---------------------------
    "s_form08": ("Báo cáo theo Mẫu số 08", "Report on Form 08"),
    "f_country": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "f_motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "f_number": ("Số: {number}", "No.: {number}"),
    "f_subject": (
        "V/v kết quả công tác bảo đảm an ninh mạng hệ thống thông tin",
        "Re: results of the cybersecurity protection of information systems",
    ),
    "f_place_date": ("{place}, ngày {d} tháng {m} năm {y}", "{place}, {d}/{m}/{y}"),
    "f_to": ("Kính gửi: {recipient}", "To: {recipient}"),
    "f_recipient_default": ("Bộ Công an", "Ministry of Public Security"),
    "f_copies": ("Nơi nhận:", "Copies to:"),
    "f_as_above": ("- Như trên;", "- As above;"),
    "f_archive": ("- Lưu: VT.", "- Archive."),
    "f_sign_note": (
        "(Ký, ghi rõ họ tên, chức danh và đóng dấu)",
        "(Signature, full name, position and seal)",
    ),
    "f_s1": ("1. Thông tin chung", "1. General information"),
    "f_s2": (
        "2. Thông tin về chủ quản hệ thống thông tin và đơn vị chuyên trách về an ninh mạng",
        "2. The system owner and the specialised cybersecurity unit",
    ),
    "f_s3": (
        "3. Thông tin chi tiết về các hệ thống thông tin thuộc phạm vi quản lý: xem Phụ lục",
        "3. Details of the information systems in scope: see the Annex",
    ),
    "f_owner": ("a) Thông tin về chủ quản hệ thống thông tin", "a) The system owner"),
    "f_unit": (
        "b) Thông tin về đơn vị chuyên trách về an ninh mạng",
        "b) The specialised cybersecurity unit",
    ),
    "f_agencies": ("Các cơ quan báo cáo theo chủ quản này", "Agencies reporting under this owner"),
    "f_name_owner": ("(1) Tên chủ quản hệ thống thông tin", "(1) Name of the owner"),
    "f_name_unit": ("(1) Tên đơn vị chuyên trách về an ninh mạng", "(1) Name of the unit"),
    "f_mandate": (
        "(2) Quy định chức năng, nhiệm vụ và quyền hạn",
        "(2) Document setting functions, duties and powers",
    ),
    "f_representative": ("(3) Người đại diện, chức vụ", "(3) Representative, position"),
    "f_address": ("(4) Địa chỉ liên lạc", "(4) Address"),
    "f_contact": ("(5) Số điện thoại, thư điện tử", "(5) Phone, e-mail"),
    "f_l_total": (
        "Tổng số hệ thống thông tin thuộc phạm vi quản lý",
        "Information systems in scope",
    ),
    "f_l_classified": (
        "Tổng số hệ thống thông tin đã được phân loại (đã xác định được loại hình hệ thống "
        "thông tin)",
        "Systems classified (their type determined)",
    ),
    "f_l_built": (
        "Tổng số hệ thống thông tin đã xây dựng hồ sơ đề xuất cấp độ",
        "Systems whose level dossier has been built",
    ),
    "f_l_appraised": (
        "Tổng số hệ thống thông tin đã được thẩm định hồ sơ đề xuất cấp độ",
        "Systems whose level dossier has been appraised",
    ),
    "f_l_approved": (
        "Tổng số hệ thống thông tin đã được phê duyệt cấp độ",
        "Systems whose level has been approved",
    ),
    "f_l_periodic": (
        "Tổng số hệ thống thông tin đã phê duyệt cấp độ được kiểm tra, đánh giá an ninh mạng "
        "định kỳ theo quy định",
        "Approved systems inspected periodically as required",
    ),
    "f_l_expected": (
        "Dự kiến thời gian hoàn thành phê duyệt đề xuất cấp độ hệ thống thông tin đối với tất "
        "cả các hệ thống thông tin thuộc phạm vi quản lý",
        "Expected date by which every system in scope has its level approved",
    ),
    "f_d_type_unknown": ("chưa xác định loại hình: {n}", "type not determined: {n}"),
    "f_d_dossier": (
        "đang dự thảo: {draft}; chưa khai báo hồ sơ: {none}",
        "being drafted: {draft}; no dossier declared: {none}",
    ),
    "f_d_periodic": (
        "quá chu kỳ: {late}; chưa khai báo kiểm tra: {undeclared}; quy định chưa nêu chu kỳ "
        "cho cấp độ: {no_cycle}",
        "past their cycle: {late}; no inspection declared: {undeclared}; no cycle set for "
        "their level: {no_cycle}",
    ),
    "f_d_expected_missing": (
        "{n} hệ thống chưa phê duyệt chưa khai báo thời điểm dự kiến{latest}",
        "{n} systems not approved declare no expected date{latest}",
    ),
    "f_d_latest": ("; muộn nhất đã khai báo: {date}", "; latest declared: {date}"),
    "f_all_approved": ("Đã hoàn thành", "Completed"),
    "f_retired": (
        "Không tính {before} hệ thống ngừng vận hành trước kỳ và {undated} hệ thống ngừng vận "
        "hành chưa khai báo ngày dừng (cần khai báo `retired`): {names}.",
        "Not counted: {before} systems retired before the period and {undated} retired "
        "without a declared date (declare `retired`): {names}.",
    ),
    "f_blank_note": (
        "Ô «……» là thông tin danh mục chưa khai báo: điền tay trước khi ký.",
        "'……' marks what the inventory does not declare: fill it in before signing.",
    ),
    "f_regimes": (
        "Kỳ số liệu gồm hai giai đoạn: từ {since} đến {before} theo Nghị định 85/2016/NĐ-CP "
        "(an toàn thông tin, ATTT); từ {start} đến {until} theo Nghị định 331/2026/NĐ-CP (an "
        "ninh mạng, ANM), có hiệu lực từ {start} (Điều 38).",
        "The data period has two parts: {since} to {before} under Decree 85/2016 (information "
        "security, ATTT); {start} to {until} under Decree 331/2026 (cybersecurity, ANM), in "
        "force from {start} (Art. 38).",
    ),
    "f_regime_85": (
        "Kỳ số liệu trước ngày Nghị định 331/2026/NĐ-CP có hiệu lực ({start}): theo Nghị định "
        "85/2016/NĐ-CP (an toàn thông tin).",
        "The data period precedes Decree 331/2026 (in force {start}): Decree 85/2016 "
        "(information security) applies.",
    ),
    # Art. 36.7, 36.9-36.10, per-agency indicators
    "s_requirements": (
        "XIII. Đánh giá theo từng yêu cầu và lộ trình hoàn thiện (NĐ 331/2026 Điều 36 khoản "
        "7, 9, 10)",
        "XIII. Each requirement and the roadmap to meet it (Decree 331/2026 Art. 36.7, "
        "36.9-36.10)",
    ),
    "regulation_followed": (
        "Tuân thủ Quy chế bảo đảm an ninh mạng khi vận hành (khoản 7 Điều 36)",
        "Following the security regulation in operation (Art. 36.7)",
    ),
    "r_met": ("Đáp ứng đầy đủ", "Fully met"),
    "r_not_met": ("Chưa đáp ứng đầy đủ", "Not fully met"),
    "r_due": ("Lộ trình hoàn thiện (hạn)", "Roadmap (due)"),
    "r_due_unknown": ("{n} hệ thống chưa có hạn: ……", "{n} systems without a due date: ……"),
    "r_overdue": ("hạn {date} (đã quá hạn)", "due {date} (past)"),
    "r_note": (
        "Theo lần kiểm tra cuối cùng của từng hệ thống trong kỳ. Hạn lấy từ khai báo của chủ "
        "quản (dự kiến phê duyệt, dự kiến triển khai đầy đủ phương án), chu kỳ kiểm tra của "
        "quy định, hoặc hạn chuyển tiếp 01/07/2027 (Luật 116/2025 khoản 1 Điều 45; NĐ "
        "331/2026 khoản 1 Điều 39) với hệ thống theo NĐ 85/2016; «……» khi chưa có.",
        "As each system's last audit of the period saw it. Due dates come from the owner's "
        "declarations (expected approval, expected full deployment), the rules' inspection "
        "cycle, or the 01/07/2027 transition deadline (Law 116/2025 Art. 45.1; Decree "
        "331/2026 Art. 39.1) for systems under Decree 85/2016; '……' when none is known.",
    ),
    "s_agency_kpis": (
        "Chỉ tiêu theo từng cơ quan (đánh dấu khi dưới mục tiêu)",
        "Indicators per agency (marked when below the target)",
    ),
    "below_target": ("dưới mục tiêu", "below target"),
}

# Decree 85/2016 words for a report whose data period ends before Decree 331/2026 applies.
_ND85_WORDS: Final[dict[str, tuple[str, str]]] = {
    "h_with_regulation": ("Đã ban hành quy chế bảo đảm ATTT", "With a security regulation"),
    "regulation": (
        "Quy chế bảo đảm ATTT (số, ngày, cơ quan)",
        "Security regulation (no., date, body)",
    ),
    "deployment": ("Triển khai phương án bảo đảm ATTT", "Protection plan deployment"),
}


def words(lang: str, nd331: bool = True) -> Mapping[str, str]:
    """All words in `lang` ('vi' or 'en'); `nd331` False: a period that ended before Decree
    331/2026 applied, told in Decree 85/2016's words (an toàn thông tin, ATTT)."""
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")
    index = 0 if lang == "vi" else 1
    chosen = _WORDS if nd331 else {**_WORDS, **_ND85_WORDS}
    # "vocabulary" tells the page which decree's words the indicators' titles take
    return {key: pair[index] for key, pair in chosen.items()} | {
        "vocabulary": "nd331" if nd331 else "nd85"
    }
