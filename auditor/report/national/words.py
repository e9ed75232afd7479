"""The national report's words (Vietnamese, English), on top of the annual report's."""

from __future__ import annotations

from collections.abc import Mapping

from auditor.report.annual.words import words as annual_words

_WORDS: dict[str, tuple[str, str]] = {
    "title": (
        "Báo cáo tổng hợp toàn quốc về bảo đảm an ninh mạng hệ thống thông tin theo cấp độ",
        "National roll-up of information-system security by level",
    ),
    "kicker": ("Tổng hợp số liệu các tỉnh, thành phố", "The provinces' figures combined"),
    "year": ("Năm báo cáo", "Report year"),
    "generated": ("Ngày lập", "Prepared on"),
    "submitted": ("Tỉnh, thành phố đã gửi", "Provinces that submitted"),
    "of_listed": ("trên tổng số", "of"),
    "systems_total": ("Tổng số hệ thống", "Systems in total"),
    "national_score": ("Điểm tuân thủ toàn quốc", "National compliance score"),
    "s_form08": ("Số liệu Mẫu 08 theo tỉnh, thành phố và toàn quốc",
                 "Form 08 figures by province and in total"),
    "s_kpis": ("Chỉ tiêu toàn quốc so với mục tiêu", "National indicators against the targets"),
    "s_ranking": ("Xếp hạng tỉnh, thành phố", "Provinces ranked"),
    "ranking_basis": (
        "Xếp theo điểm tuân thủ (điểm đạt / điểm tối đa của các hệ thống, như điểm của "
        "`auditor audit`), rồi số phát hiện nghiêm trọng và cao còn mở ít hơn, rồi mã tỉnh.",
        "Ranked by compliance score (points earned over points possible of the systems, as "
        "`auditor audit` scores), then fewer open critical and high findings, then province id.",
    ),
    "s_missing": ("Tỉnh, thành phố chưa gửi báo cáo", "Provinces that have not submitted"),
    "none_missing": ("Tất cả tỉnh, thành phố trong danh sách đã gửi.",
                     "Every province on the list has submitted."),
    "list_note": ("Danh sách tỉnh, thành phố", "List of provinces"),
    "s_trends": ("So với năm trước", "Against the year before"),
    "no_previous": ("Chưa có số liệu năm trước.", "No figures for the year before."),
    "s_submissions": ("Hồ sơ đã nhập", "Submissions imported"),
    "s_levels": ("Hệ thống theo cấp độ (toàn quốc)", "Systems by level (country)"),
    "s_scores": ("Số tỉnh, thành phố theo điểm tuân thủ", "Provinces by compliance score"),
    "province": ("Tỉnh, thành phố", "Province"),
    "total": ("Toàn quốc", "Country"),
    "rank": ("Hạng", "Rank"),
    "open_ch": ("Phát hiện nghiêm trọng/cao còn mở", "Open critical/high findings"),
    "kpis_met": ("Chỉ tiêu đạt", "Indicators achieved"),
    "signer": ("Người ký", "Signer"),
    "signed_at": ("Thời điểm ký", "Signed at"),
    "imported_at": ("Thời điểm nhập", "Imported at"),
    "revocation": ("Thu hồi chứng thư số người ký", "Signer's certificate revocation"),
    "rev_good": ("đã kiểm tra: chưa bị thu hồi", "checked: not revoked"),
    "rev_revoked_after": ("đã kiểm tra: bị thu hồi sau khi ký (có dấu thời gian)",
                          "checked: revoked after it signed (time-stamped)"),
    "rev_not_checked": ("chưa kiểm tra", "not checked"),
    "rev_unrecorded": ("không ghi lại (nhập trước khi có kiểm tra này)",
                       "not recorded (imported before this check existed)"),
    "file": ("Tệp", "File"),
    "counted": ("Được tính", "Counted"),
    "superseded": ("Bị thay thế bởi hồ sơ ký sau", "Superseded by a later-signed submission"),
    "not_listed": ("không có trong danh sách", "not on the list"),
    "previous_score": ("Điểm năm trước", "Score last year"),
    "this_year": ("Năm nay", "This year"),
    "last_year": ("Năm trước", "Last year"),
    "c_systems": ("Hệ thống", "Systems"),
    "c_classified": ("Đã xác định loại", "Type determined"),
    "c_built": ("Đã xây dựng hồ sơ", "Dossier built"),
    "c_appraised": ("Đã thẩm định", "Appraised"),
    "c_approved": ("Đã phê duyệt cấp độ", "Level approved"),
    "c_regulation": ("Có quy chế", "With regulation"),
    "c_plan_full": ("Triển khai đầy đủ phương án", "Plan fully deployed"),
    "c_pre_operation": ("Kiểm tra trước vận hành", "Inspected before operation"),
    "c_periodic": ("Kiểm tra định kỳ đúng hạn", "Periodic inspection on cycle"),
    "c_national_security": ("Hệ thống quan trọng về ANQG", "National-security systems"),
    "counting_note": (
        "Số liệu của mỗi tỉnh là số liệu báo cáo năm tỉnh đã ký (annual.json trong hồ sơ); "
        "khi một tỉnh gửi nhiều lần trong năm, hồ sơ ký sau cùng (rồi nhập sau cùng) được tính, "
        "các hồ sơ khác vẫn được lưu.",
        "Each province's figures are the annual figures it signed (annual.json in its bundle); "
        "when a province submitted more than once for the year, the latest signed (then latest "
        "imported) counts, and the others are kept.",
    ),
}


def words(lang: str) -> Mapping[str, str]:
    index = 0 if lang == "vi" else 1
    return {**annual_words(lang), **{key: pair[index] for key, pair in _WORDS.items()}}
