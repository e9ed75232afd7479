"""Words of the HTML report in Vietnamese (first, authoritative) and English.

Every label exists in both languages with the same keys (a test holds them equal), so a page
is entirely in one language: nothing falls back to the other language's word.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

LANGS: Final = ("vi", "en")

_UI: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "doc_title": "Báo cáo đánh giá an toàn hệ thống thông tin theo cấp độ",
        "as_of": "Ngày đánh giá",
        "tool": "Công cụ",
        "rules_in_force": "Số yêu cầu được đánh giá",
        "inputs": "Tệp đầu vào",
        "contents": "Mục lục",
        "overview": "Tổng quan",
        "score": "Điểm",
        "score_with_waivers": "Điểm (tính miễn trừ)",
        "score_without_waivers": "Điểm (không tính miễn trừ)",
        "score_basis": "{earned} / {possible} trọng số",
        "systems": "Hệ thống thông tin",
        "n_systems": "Số HTTT",
        "agencies": "Cơ quan, đơn vị",
        "agency": "Cơ quan",
        "status_counts": "Kết quả theo trạng thái",
        "severity_counts": "Phát hiện chưa khắc phục theo mức độ",
        "status": "Trạng thái",
        "severity": "Mức độ",
        "count": "Số lượng",
        "total": "Tổng",
        "whole_org": "Toàn tỉnh",
        "levels_by_agency": "Số hệ thống theo cấp độ và cơ quan",
        "level_n": "Cấp độ {n}",
        "level": "Cấp độ",
        "agency_summary": "Kết quả theo cơ quan",
        "critical_high": "Nghiêm trọng/Cao",
        "blocked": "Chưa đủ ĐK vận hành",
        "expired_waivers": "Miễn trừ đã hết hạn",
        "gate_blocked": "Hệ thống chưa đủ điều kiện đưa vào vận hành",
        "gate_blocked_intro": "Các yêu cầu bắt buộc trước khi đưa vào vận hành chưa được đáp ứng.",
        "gate_blocked_none": "Không có hệ thống nào bị chặn.",
        "blocking_rules": "Yêu cầu chưa đáp ứng",
        "frequent_gaps": "Thiếu sót phổ biến nhất",
        "frequent_gaps_intro": "Yêu cầu không đạt (hoặc lỗi) trên nhiều hệ thống nhất.",
        "frequent_gaps_none": "Không có yêu cầu nào không đạt.",
        "rule": "Yêu cầu",
        "title": "Tên yêu cầu",
        "systems_failing": "Số HTTT không đạt",
        "share": "Tỷ lệ",
        "expired_waivers_intro": "Miễn trừ hết hạn không còn hiệu lực miễn trừ.",
        "expired_waivers_none": "Không có miễn trừ nào hết hạn.",
        "owner": "Đối tượng",
        "decision": "Quyết định",
        "approver": "Người phê duyệt",
        "expires": "Hết hạn",
        "reason": "Lý do",
        "measured": "Kết quả đo",
        "org_findings": "Yêu cầu đối với cấp tỉnh",
        "agency_findings": "Yêu cầu đối với cơ quan",
        "agency_systems": "Các hệ thống của cơ quan",
        "no_systems": "Cơ quan chưa khai báo hệ thống nào.",
        "filters": "Lọc hệ thống",
        "find_system": "Tìm hệ thống (mã, tên, cơ quan)",
        "show": "Hiển thị",
        "f_all": "Tất cả",
        "f_failing": "Có yêu cầu không đạt",
        "f_blocked": "Chưa đủ ĐK vận hành",
        "f_level": "Cấp độ",
        "f_any_level": "Mọi cấp độ",
        "system_id": "Mã",
        "name": "Tên",
        "lifecycle": "Giai đoạn",
        "system_type": "Loại hệ thống",
        "declared_level": "Cấp độ đề xuất",
        "approved_level": "Cấp độ được phê duyệt",
        "effective_level": "Cấp độ áp dụng",
        "computed_level": "Cấp độ theo tiêu chí (đã chứng minh–có thể)",
        "level_undecided": "có thể tới cấp độ {level} tùy {facts} ({ids})",
        "also_met": "Tiêu chí thấp hơn cũng đáp ứng",
        "to_declare": "Chưa đủ thông tin để xác định cấp độ; cần khai báo",
        "regime": "Quy định",
        "governing": "áp dụng",
        "governing_regime": "Quy định áp dụng",
        "criteria": "Tiêu chí xác định cấp độ",
        "no_criteria": "Không có tiêu chí nào",
        "under_declared": "Cấp độ đề xuất thấp hơn cấp độ tối thiểu",
        "not_declared": "chưa khai báo",
        "findings": "Kết quả đánh giá",
        "no_open_findings": "Không có phát hiện cần xử lý.",
        "message": "Nhận xét",
        "evidence": "Bằng chứng",
        "legal_basis": "Căn cứ",
        "unverified": "Nguồn chưa kiểm chứng",
        "unverified_title": (
            "Quy tắc dựa trên nguồn chưa đối chiếu được với văn bản gốc (độ tin cậy U): "
            "chỉ mang tính tham khảo"
        ),
        "unverified_findings": "Phát hiện dựa trên nguồn chưa kiểm chứng",
        "remediation": "Khắc phục",
        "waiver": "Miễn trừ",
        "waivers": "Miễn trừ",
        "attestations": "Xác nhận",
        "document": "Văn bản",
        "date": "Ngày",
        "attested_by": "Người xác nhận",
        "valid_until": "Hiệu lực đến",
        "expired": "đã hết hạn",
        "in_force": "còn hiệu lực",
        "attestation_valid": "còn hiệu lực",
        "attestation_lapsed": "đã hết hiệu lực",
        "attestation_not_yet_effective": "chưa có hiệu lực",
        "attestation_unused": "không được sử dụng",
        "attestation_use": "Sử dụng cho",
        "attestation_origin": "Khai báo tại",
        "passed_and_na": "Yêu cầu đạt và không áp dụng ({n})",
        "gate": "Điều kiện vận hành",
        "may_not_go_live": "Chưa đủ điều kiện vận hành",
        "requirements": "Danh mục yêu cầu",
        "requirements_intro": "Tên, căn cứ pháp lý và cách khắc phục của từng yêu cầu đã đánh giá.",
        "group": "Nhóm",
        "obligation": "Tính bắt buộc",
        "levels": "Áp dụng cho cấp độ",
        "method": "Phương pháp tính điểm",
        "subject": "Đối tượng con",
        "back_to_top": "Về đầu trang",
        "yes": "Có",
        "no": "Không",
        "none": "—",
        "derived": "do công cụ tính",
        "declared_at": "khai báo tại {where}",
        "inherited_from": "kế thừa từ {via}",
        "observed_by": "quan sát bởi {via}",
        "org_defaults": "giá trị chung của tỉnh ({id})",
        "agency_defaults": "giá trị chung của cơ quan ({id})",
        "assumed_production": "giả định đưa vào vận hành (kiểm tra điều kiện vận hành)",
        "not_declared_origin": "không có trong danh mục kiểm kê",
        "kind_organisation": "Tỉnh",
        "kind_agency": "Cơ quan",
        "kind_system": "Hệ thống",
        "live": "Quan sát trực tiếp",
        "live_intro": "Điểm truy cập, chứng thư số và IPv6 do công cụ thăm dò trực tiếp (--live); "
        "thời hạn và độ tin cậy của chuỗi chứng thư được đánh giá tại ngày đánh giá, mỗi chứng "
        "thư ghi thời điểm quan sát.",
        "observed_at": "Thời điểm quan sát",
        "live_by_agency": "Kết quả quan sát theo cơ quan",
        "certificates": "Chứng thư số",
        "ipv6_readiness": "Sẵn sàng IPv6",
        "ipv6_ready": "Sẵn sàng IPv6",
        "ready_basis": "{ready}/{n} trang web",
        "n_certificates": "Số chứng thư",
        "certs_expired": "Chứng thư hết hạn",
        "certs_expiring": "Sắp hết hạn",
        "certs_untrusted": "Không tin cậy",
        "observe_errors": "Không quan sát được",
        "web_endpoints": "Trang web quan sát được",
        "live_counts_note": "Sắp hết hạn: trong ngưỡng cảnh báo (CERT-02, CERT-03); không tin cậy: "
        "chuỗi chứng thư không xác minh được (TLS-03); sẵn sàng IPv6: có AAAA dùng được và truy "
        "cập được qua mọi địa chỉ IPv6, tính trên các trang web quan sát được.",
        "not_live": "Chưa quan sát trực tiếp: báo cáo chỉ dựa trên danh mục kiểm kê. Để kiểm tra "
        "chứng thư số, TLS và IPv6 của các điểm truy cập, chạy lại với tùy chọn --live.",
        "not_live_short": "Chưa quan sát (chạy lại với --live).",
        "no_certs_observed": "Không có chứng thư nào được quan sát.",
        "no_endpoints_observed": "Không có trang web nào được quan sát IPv6.",
        "endpoint_or_file": "Điểm truy cập / tệp",
        "days_left": "Còn (ngày)",
        "not_after": "Ngày hết hạn",
        "issuer": "Nơi cấp",
        "key": "Khóa",
        "problems": "Vấn đề",
        "observation_error": "Lỗi quan sát",
        "advisory": "khuyến nghị",
        "url": "Địa chỉ",
        "aaaa": "Địa chỉ IPv6 (AAAA)",
        "ns_ipv6": "Máy chủ tên miền có IPv6",
        "ns_answers_ipv6": "Máy chủ tên miền trả lời qua IPv6",
        "reachable_ipv6": "Truy cập qua IPv6",
        "same_site": "Cùng nội dung IPv4/IPv6",
        "ready": "Sẵn sàng",
        "ports": "Cổng và dịch vụ đang mở",
        "ports_intro": "Cổng mở trên các địa chỉ khai báo trong danh mục kiểm kê (và các địa chỉ "
        "thuộc mạng đã khai báo), theo kết quả quét cổng.",
        "ports_by_agency": "Cổng mở theo cơ quan",
        "addresses_scanned": "Địa chỉ đã quét",
        "n_open_ports": "Cổng mở",
        "on_addresses": "trên {n} địa chỉ",
        "ports_risky": "Dịch vụ rủi ro cao",
        "ports_undeclared": "Cổng chưa khai báo",
        "ports_ipv6_only": "Chỉ mở qua IPv6",
        "ports_outdated": "Phiên bản cũ",
        "ports_not_answering": "Đã khai báo, không phản hồi",
        "ports_not_scanned": "Địa chỉ không quét được",
        "port_risky": "rủi ro cao",
        "port_undeclared": "chưa khai báo",
        "port_expected": "đúng khai báo",
        "port_unjudged": "chưa đánh giá",
        "port_ipv6_only": "chỉ mở qua IPv6",
        "port_outdated": "phiên bản cũ",
        "port_waived": "được miễn trừ",
        "host": "Máy chủ",
        "host_not_in_inventory": "không có trong danh mục kiểm kê",
        "ip_address": "Địa chỉ IP",
        "ip_family": "Loại",
        "open_ports": "Cổng đang mở",
        "declared_not_answering": "Cổng đã khai báo không phản hồi",
        "not_covered": "ngoài phạm vi quét",
        "no_open_port": "không có cổng mở",
        "scan_error": "Không quét được",
        "no_ports_scanned": "Không có địa chỉ nào của cơ quan trong kết quả quét cổng.",
        "ports_counts_note": "Mỗi cổng mở mang một nhãn: rủi ro cao (NET-02), chưa khai báo "
        "(NET-01, trừ cổng rủi ro cao) hoặc đúng khai báo; chỉ mở qua IPv6: mở qua IPv6 nhưng "
        "đóng qua IPv4 trên cùng máy chủ (NET-04); phiên bản cũ: khuyến nghị (NET-05); không "
        "phản hồi: cổng trong expected_ports không mở (NET-03). Theo kết quả đo: miễn trừ không "
        "che nhãn.",
        "not_scanned": "Chưa quét cổng: chạy",
        "or": "hoặc",
        "condensed_note": "Báo cáo rút gọn ({n} hệ thống): mỗi hệ thống liệt kê mã các yêu cầu "
        "chưa đáp ứng theo trạng thái và mức độ; tên, căn cứ pháp lý và cách khắc phục của từng "
        "yêu cầu xem tại Danh mục yêu cầu; nhận xét và bằng chứng chi tiết có trong kết quả JSON "
        "(tùy chọn --json).",
    },
    "en": {
        "doc_title": "Information-system security audit by security level",
        "as_of": "Audit date",
        "tool": "Tool",
        "rules_in_force": "Requirements evaluated",
        "inputs": "Input files",
        "contents": "Contents",
        "overview": "Overview",
        "score": "Score",
        "score_with_waivers": "Score (with waivers)",
        "score_without_waivers": "Score (without waivers)",
        "score_basis": "{earned} / {possible} weight",
        "systems": "Information systems",
        "n_systems": "Systems",
        "agencies": "Agencies",
        "agency": "Agency",
        "status_counts": "Results by status",
        "severity_counts": "Open findings by severity",
        "status": "Status",
        "severity": "Severity",
        "count": "Count",
        "total": "Total",
        "whole_org": "Whole organisation",
        "levels_by_agency": "Systems by security level and agency",
        "level_n": "Level {n}",
        "level": "Level",
        "agency_summary": "Results by agency",
        "critical_high": "Critical/High",
        "blocked": "Not cleared to operate",
        "expired_waivers": "Expired waivers",
        "gate_blocked": "Systems that may not go live",
        "gate_blocked_intro": "Requirements that must be met before going live are not met.",
        "gate_blocked_none": "No system is blocked.",
        "blocking_rules": "Requirements not met",
        "frequent_gaps": "Most frequent gaps",
        "frequent_gaps_intro": "Requirements failed (or in error) on the most systems.",
        "frequent_gaps_none": "No requirement is failed.",
        "rule": "Requirement",
        "title": "Title",
        "systems_failing": "Systems failing",
        "share": "Share",
        "expired_waivers_intro": "An expired waiver no longer waives anything.",
        "expired_waivers_none": "No waiver has expired.",
        "owner": "Applies to",
        "decision": "Decision",
        "approver": "Approver",
        "expires": "Expires",
        "reason": "Reason",
        "measured": "Measured",
        "org_findings": "Organisation-level requirements",
        "agency_findings": "Agency-level requirements",
        "agency_systems": "Systems of the agency",
        "no_systems": "The agency declares no system.",
        "filters": "Filter systems",
        "find_system": "Find a system (id, name, agency)",
        "show": "Show",
        "f_all": "All",
        "f_failing": "With failed requirements",
        "f_blocked": "Not cleared to operate",
        "f_level": "Level",
        "f_any_level": "Any level",
        "system_id": "Id",
        "name": "Name",
        "lifecycle": "Lifecycle",
        "system_type": "System type",
        "declared_level": "Declared level",
        "approved_level": "Approved level",
        "effective_level": "Level applied",
        "computed_level": "Level from the criteria (proven–possible)",
        "level_undecided": "possibly up to level {level} depending on {facts} ({ids})",
        "also_met": "Lower criteria also met",
        "to_declare": "Not enough facts to settle the level; declare",
        "regime": "Regime",
        "governing": "governing",
        "governing_regime": "Governing regime",
        "criteria": "Classification criteria",
        "no_criteria": "No criterion fired",
        "under_declared": "Declared level is below the minimum level",
        "not_declared": "not declared",
        "findings": "Findings",
        "no_open_findings": "Nothing to act on.",
        "message": "Finding",
        "evidence": "Evidence",
        "legal_basis": "Legal basis",
        "unverified": "Unverified source",
        "unverified_title": (
            "The rule rests on a source not checked against the original text (confidence U): "
            "advisory"
        ),
        "unverified_findings": "Findings resting on unverified sources",
        "remediation": "Remediation",
        "waiver": "Waiver",
        "waivers": "Waivers",
        "attestations": "Attestations",
        "document": "Document",
        "date": "Date",
        "attested_by": "Attested by",
        "valid_until": "Valid until",
        "expired": "expired",
        "in_force": "in force",
        "attestation_valid": "valid",
        "attestation_lapsed": "lapsed",
        "attestation_not_yet_effective": "not yet effective",
        "attestation_unused": "not used",
        "attestation_use": "Used for",
        "attestation_origin": "Declared at",
        "passed_and_na": "Passed and not-applicable requirements ({n})",
        "gate": "Go-live condition",
        "may_not_go_live": "May not go live",
        "requirements": "Requirements",
        "requirements_intro": "Title, legal basis and remediation of every requirement evaluated.",
        "group": "Group",
        "obligation": "Obligation",
        "levels": "Applies to levels",
        "method": "How the score is computed",
        "subject": "Item",
        "back_to_top": "Back to top",
        "yes": "Yes",
        "no": "No",
        "none": "—",
        "derived": "computed by the auditor",
        "declared_at": "declared at {where}",
        "inherited_from": "inherited from {via}",
        "observed_by": "observed by {via}",
        "org_defaults": "organisation defaults ({id})",
        "agency_defaults": "agency defaults ({id})",
        "assumed_production": "assumed in production (go-live check)",
        "not_declared_origin": "not in the inventory",
        "kind_organisation": "Organisation",
        "kind_agency": "Agency",
        "kind_system": "System",
        "live": "Live observation",
        "live_intro": "Endpoints, certificates and IPv6 as the auditor's probes saw them (--live); "
        "validity and chain trust are judged at the audit date, and each certificate states "
        "when it was observed.",
        "observed_at": "Observed at",
        "live_by_agency": "Observations by agency",
        "certificates": "Certificates",
        "ipv6_readiness": "IPv6 readiness",
        "ipv6_ready": "IPv6-ready",
        "ready_basis": "{ready} of {n} web endpoints",
        "n_certificates": "Certificates",
        "certs_expired": "Expired certificates",
        "certs_expiring": "Expiring soon",
        "certs_untrusted": "Untrusted",
        "observe_errors": "Could not be observed",
        "web_endpoints": "Web endpoints observed",
        "live_counts_note": "Expiring soon: within the warning window (CERT-02, CERT-03); "
        "untrusted: the certificate chain does not verify (TLS-03); IPv6-ready: a usable AAAA "
        "record and every IPv6 address reachable, out of the web endpoints observed.",
        "not_live": "Not observed live: this report rests on the inventory alone. To check the "
        "certificates, TLS and IPv6 of the endpoints, run the audit again with --live.",
        "not_live_short": "Not observed (run again with --live).",
        "no_certs_observed": "No certificate was observed.",
        "no_endpoints_observed": "No web endpoint's IPv6 was observed.",
        "endpoint_or_file": "Endpoint / file",
        "days_left": "Days left",
        "not_after": "Expiry date",
        "issuer": "Issuer",
        "key": "Key",
        "problems": "Problems",
        "observation_error": "Observation error",
        "advisory": "advisory",
        "url": "URL",
        "aaaa": "IPv6 addresses (AAAA)",
        "ns_ipv6": "Name servers with IPv6",
        "ns_answers_ipv6": "Name servers answer over IPv6",
        "reachable_ipv6": "Reachable over IPv6",
        "same_site": "Same site over IPv4/IPv6",
        "ready": "Ready",
        "ports": "Open ports and services",
        "ports_intro": "Open ports on the addresses the inventory declares (and on addresses in "
        "its declared networks), as the port scan saw them.",
        "ports_by_agency": "Open ports by agency",
        "addresses_scanned": "Addresses scanned",
        "n_open_ports": "Open ports",
        "on_addresses": "on {n} addresses",
        "ports_risky": "High-risk services",
        "ports_undeclared": "Undeclared ports",
        "ports_ipv6_only": "Open over IPv6 only",
        "ports_outdated": "Outdated versions",
        "ports_not_answering": "Declared, not answering",
        "ports_not_scanned": "Addresses not scanned",
        "port_risky": "high risk",
        "port_undeclared": "undeclared",
        "port_expected": "expected",
        "port_unjudged": "not judged",
        "port_ipv6_only": "open over IPv6 only",
        "port_outdated": "outdated",
        "port_waived": "waived",
        "host": "Host",
        "host_not_in_inventory": "not in the inventory",
        "ip_address": "Address",
        "ip_family": "Family",
        "open_ports": "Open ports",
        "declared_not_answering": "Declared ports not answering",
        "not_covered": "not in the scan",
        "no_open_port": "no open port",
        "scan_error": "Could not be scanned",
        "no_ports_scanned": "No address of this agency is in the port scan.",
        "ports_counts_note": "Each open port has one mark: high risk (NET-02), undeclared "
        "(NET-01, high-risk ports excepted) or expected; open over IPv6 only: open over IPv6 but "
        "closed over IPv4 on the same host (NET-04); outdated: advisory (NET-05); not answering: "
        "a port in expected_ports that is not open (NET-03). As measured: a waiver hides no "
        "mark.",
        "not_scanned": "Not scanned: run",
        "or": "or",
        "condensed_note": "Condensed report ({n} systems): each system lists the ids of the "
        "requirements it does not meet, by status and severity; the title, legal basis and "
        "remediation of each requirement are in the Requirements list; every finding's message "
        "and evidence are in the JSON results (option --json).",
    },
}

_STATUS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "pass": "Đạt",
        "fail": "Không đạt",
        "manual": "Cần xác nhận",
        "not_applicable": "Không áp dụng",
        "error": "Lỗi",
        "waived": "Miễn trừ",
    },
    "en": {
        "pass": "Pass",
        "fail": "Fail",
        "manual": "Manual",
        "not_applicable": "Not applicable",
        "error": "Error",
        "waived": "Waived",
    },
}

_SEVERITY: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "critical": "Nghiêm trọng",
        "high": "Cao",
        "medium": "Trung bình",
        "low": "Thấp",
        "info": "Thông tin",
    },
    "en": {
        "critical": "Critical",
        "high": "High",
        "medium": "Medium",
        "low": "Low",
        "info": "Info",
    },
}

_OBLIGATION: Final[dict[str, dict[str, str]]] = {
    "vi": {"mandatory": "Bắt buộc", "reinforcement": "Tăng cường", "advisory": "Khuyến nghị"},
    "en": {"mandatory": "Mandatory", "reinforcement": "Reinforcement", "advisory": "Advisory"},
}

_LIFECYCLE: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "planning": "Lập kế hoạch",
        "building": "Đang xây dựng",
        "testing": "Kiểm thử",
        "trial": "Vận hành thử",
        "production": "Đang vận hành",
        "retired": "Ngừng vận hành",
    },
    "en": {
        "planning": "Planning",
        "building": "Building",
        "testing": "Testing",
        "trial": "Trial operation",
        "production": "In production",
        "retired": "Retired",
    },
}

_SYSTEM_TYPE: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "internal": "Phục vụ hoạt động nội bộ",
        "citizen_facing": "Phục vụ người dân, doanh nghiệp",
        "infrastructure": "Cơ sở hạ tầng thông tin",
        "industrial_control": "Điều khiển công nghiệp",
        "other": "Loại khác",
    },
    "en": {
        "internal": "Internal operations",
        "citizen_facing": "Serving citizens and businesses",
        "infrastructure": "Information infrastructure",
        "industrial_control": "Industrial control",
        "other": "Other",
    },
}

_REGIME: Final[dict[str, dict[str, str]]] = {
    "vi": {"nd85": "NĐ 85/2016", "nd331": "NĐ 331/2026"},
    "en": {"nd85": "Decree 85/2016", "nd331": "Decree 331/2026"},
}

# Requirement groups in the order a report reads them: classification first, go-live last.
_GROUP: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "classification": "Xác định cấp độ",
        "dossier": "Hồ sơ đề xuất cấp độ",
        "transition": "Chuyển tiếp quy định",
        "policy": "Chính sách an toàn thông tin",
        "organisation": "Tổ chức, đơn vị chuyên trách",
        "people": "Nhân lực",
        "personnel": "Quản lý nhân sự",
        "budget": "Kinh phí",
        "risk": "Quản lý rủi ro",
        "design": "Thiết kế hệ thống",
        "network": "An toàn mạng",
        "server": "An toàn máy chủ",
        "application": "An toàn ứng dụng",
        "data": "An toàn dữ liệu",
        "tls": "Kênh truyền HTTPS/TLS",
        "certificates": "Chứng thư số",
        "ipv6": "Sẵn sàng IPv6",
        "four-layer": "Mô hình 4 lớp",
        "assessment": "Kiểm tra, đánh giá",
        "monitoring": "Giám sát",
        "malware": "Phòng chống mã độc",
        "incidents": "Ứng cứu sự cố",
        "hosting": "Hạ tầng, nơi đặt hệ thống",
        "national-link": "Kết nối hệ thống quốc gia",
        "operations": "Quản lý vận hành",
        "change": "Quản lý thay đổi",
        "development": "Phát triển phần mềm",
        "end-of-life": "Kết thúc vận hành",
        "reporting": "Báo cáo",
        "critical": "HTTT quan trọng về an ninh quốc gia",
        "go-live": "Điều kiện đưa vào vận hành",
    },
    "en": {
        "classification": "Level classification",
        "dossier": "Level dossier",
        "transition": "Regime transition",
        "policy": "Security policy",
        "organisation": "Organisation and security unit",
        "people": "Staff",
        "personnel": "Personnel management",
        "budget": "Budget",
        "risk": "Risk management",
        "design": "System design",
        "network": "Network security",
        "server": "Server security",
        "application": "Application security",
        "data": "Data security",
        "tls": "HTTPS/TLS",
        "certificates": "Certificates",
        "ipv6": "IPv6 readiness",
        "four-layer": "Four-layer model",
        "assessment": "Assessment",
        "monitoring": "Monitoring",
        "malware": "Malware protection",
        "incidents": "Incident response",
        "hosting": "Hosting",
        "national-link": "National system links",
        "operations": "Operations",
        "change": "Change management",
        "development": "Software development",
        "end-of-life": "End of life",
        "reporting": "Reporting",
        "critical": "Systems critical to national security",
        "go-live": "Go-live conditions",
    },
}

GROUP_ORDER: Final[dict[str, int]] = {key: index for index, key in enumerate(_GROUP["vi"])}


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")
    return lang


def ui(lang: str) -> Mapping[str, str]:
    """The page's words; a missing key fails the render (StrictUndefined), never falls back."""
    return MappingProxyType(_UI[_lang(lang)])


def status(code: str, lang: str) -> str:
    return _STATUS[_lang(lang)].get(code, code)


def severity(code: str, lang: str) -> str:
    return _SEVERITY[_lang(lang)].get(code, code)


def obligation(code: str, lang: str) -> str:
    return _OBLIGATION[_lang(lang)].get(code, code)


def lifecycle(code: str, lang: str) -> str:
    return _LIFECYCLE[_lang(lang)].get(code, code)


def system_type(code: str, lang: str) -> str:
    return _SYSTEM_TYPE[_lang(lang)].get(code, code)


def regime(code: str, lang: str) -> str:
    return _REGIME[_lang(lang)].get(code, code)


def group(code: str, lang: str) -> str:
    """A requirement group's name; a user checklist's own group shows as its slug."""
    return _GROUP[_lang(lang)].get(code, code)


def all_tables() -> dict[str, dict[str, dict[str, str]]]:
    """Every label table by name, for the test that holds vi and en complete and apart."""
    return {
        "ui": _UI,
        "status": _STATUS,
        "severity": _SEVERITY,
        "obligation": _OBLIGATION,
        "lifecycle": _LIFECYCLE,
        "system_type": _SYSTEM_TYPE,
        "regime": _REGIME,
        "group": _GROUP,
    }
