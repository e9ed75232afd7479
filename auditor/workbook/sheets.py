"""The sheets of facts a workbook asks for: which subjects they have a row for, which columns.

- Systems: one row per system, its classification and lifecycle facts (fields.py);
- Documents: one row per system, its level dossier, approval decision, security regulation,
  security plan and acceptance record (number, date, issuing body of each);
- Assessments: one row per system, the four-layer model (Directive 14) — a layer the system
  inherits from its agency or province is shown, and answering one of its cells makes the
  layer the system's own (copied whole, then changed) — its pre-operation assessment and
  penetration test, and the people who operate it;
- Staff: one row for the agency itself, its security unit and staff figures;
- Hosts, Endpoints, Certificates: one row per item a system declares (its name, URL or
  certificate locked), the item's facts open. Items are not added or removed through the
  workbook: that stays an edit of the YAML.

A document's columns are filled together: a number without a date is refused at import (the
model requires both), naming the row's cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from auditor.model.inventory import (
    AssessmentResult,
    Authority,
    Deployment,
    DossierStatus,
    EndpointKind,
)
from auditor.workbook.fields import SYSTEM_FIELDS, YES_NO, Field, _choices

Subject = Literal["system", "agency"]


@dataclass(frozen=True)
class FactSheet:
    name: str
    subject: Subject
    fields: tuple[Field, ...]
    #: Groups of keys that make one object: filled together or not at all (e.g. a document).
    together: tuple[tuple[str, ...], ...] = ()
    #: For a sheet of items: the system's collection ("hosts") and the fields naming an item
    #: (the first one set), shown locked in column B instead of a name.
    collection: str | None = None
    identity: tuple[str, ...] = ()


DOSSIER_STATUSES = _choices(DossierStatus)
AUTHORITIES = _choices(Authority)
DEPLOYMENTS = _choices(Deployment)


def _document(key: str, vi: str, en: str, article_vi: str, article_en: str) -> tuple[Field, ...]:
    return (
        Field(f"{key}.number", f"{vi}: số", f"{en}: number",
              f"Số hiệu văn bản ({article_vi})", f"Document number ({article_en})", "text"),
        Field(f"{key}.date", f"{vi}: ngày", f"{en}: date", "dd/mm/yyyy", "Date of issue",
              "date"),
        Field(f"{key}.body", f"{vi}: cơ quan ban hành", f"{en}: issuing body", "Tùy chọn",
              "Optional", "text"),
    )


_D85, _D331 = "NĐ 85/2016", "NĐ 331/2026"
DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("dossier.status", "Hồ sơ cấp độ: trạng thái", "Level dossier: status",
          f"Biểu mẫu 08 ({_D331})", "Form 08 (Decree 331)", "enum", DOSSIER_STATUSES),
    Field("dossier.submitted", "Hồ sơ: ngày gửi thẩm định", "Dossier: submitted on",
          "dd/mm/yyyy", "Date sent for appraisal", "date"),
    Field("dossier.appraised_by", "Hồ sơ: cơ quan thẩm định", "Dossier: appraised by",
          f"{_D85} Điều 12; {_D331} Điều 18", "Decree 85 Art. 12; Decree 331 Art. 18",
          "enum", AUTHORITIES),
    *_document("dossier.decision", "Quyết định phê duyệt cấp độ", "Level approval decision",
               f"{_D85} Điều 12; {_D331} Điều 18", "Decree 85 Art. 12; Decree 331 Art. 18"),
    Field("dossier.decision.body_kind", "Quyết định: thẩm quyền phê duyệt",
          "Decision: approving authority", f"Thẩm quyền theo cấp độ ({_D331} Điều 18)",
          "Competence by level (Decree 331 Art. 18)", "enum", AUTHORITIES),
    Field("dossier.expected_approval", "Hồ sơ: dự kiến phê duyệt", "Dossier: expected approval",
          "dd/mm/yyyy", "Expected approval date", "date"),
    *_document("security_regulation", "Quy chế bảo đảm ATTT", "Security regulation",
               "Thông tư 12/2022 Điều 9; " + _D331 + " Điều 30",
               "Circular 12/2022 Art. 9; Decree 331 Art. 30"),
    Field("security_plan.deployment", "Phương án: mức triển khai", "Security plan: deployment",
          f"Biểu mẫu 08 ({_D331})", "Form 08 (Decree 331)", "enum", DEPLOYMENTS),
    Field("security_plan.full_deployment_expected", "Phương án: dự kiến triển khai đầy đủ",
          "Plan: full deployment expected", "dd/mm/yyyy", "Expected date", "date"),
    *_document("acceptance_test", "Biên bản nghiệm thu", "Acceptance record",
               "trước khi đưa vào vận hành", "before go-live"),
)

RESULTS = _choices(AssessmentResult)
_CT14 = "Chỉ thị 14/CT-TTg"
ASSESSMENT_FIELDS: tuple[Field, ...] = (
    Field("four_layer.layer1.unit", "Lớp 1: lực lượng tại chỗ", "Layer 1: on-site unit",
          f"Mô hình 4 lớp ({_CT14}); trống: kế thừa hoặc chưa có",
          "Four-layer model (Directive 14); empty: inherited or none", "text"),
    Field("four_layer.layer1.staff", "Lớp 1: số người", "Layer 1: staff", _CT14, "Directive 14",
          "int"),
    Field("four_layer.layer2.provider", "Lớp 2: đơn vị giám sát, bảo vệ chuyên nghiệp",
          "Layer 2: monitoring provider", _CT14, "Directive 14", "text"),
    Field("four_layer.layer2.contract_end", "Lớp 2: hợp đồng hết hạn", "Layer 2: contract ends",
          "dd/mm/yyyy", "Contract end date", "date"),
    Field("four_layer.layer2.monitoring_24x7", "Lớp 2: giám sát 24/7", "Layer 2: 24/7",
          _CT14, "Directive 14", "bool", YES_NO),
    Field("four_layer.layer3.assessor", "Lớp 3: tổ chức kiểm tra, đánh giá độc lập",
          "Layer 3: independent assessor", _CT14, "Directive 14", "text"),
    Field("four_layer.layer3.last_assessment", "Lớp 3: lần đánh giá gần nhất",
          "Layer 3: last assessment", "dd/mm/yyyy", "Date of the last assessment", "date"),
    Field("four_layer.layer3.result", "Lớp 3: kết quả", "Layer 3: result", _CT14,
          "Directive 14", "enum", RESULTS),
    Field("four_layer.layer4.connected", "Lớp 4: kết nối giám sát quốc gia",
          "Layer 4: connected nationally", _CT14, "Directive 14", "bool", YES_NO),
    Field("four_layer.layer4.last_shared", "Lớp 4: lần chia sẻ gần nhất", "Layer 4: last shared",
          "dd/mm/yyyy", "Date information was last shared", "date"),
    Field("pre_operation_assessment.date", "Đánh giá trước vận hành: ngày",
          "Pre-operation assessment: date", "Luật 116/2025 Điều 9, 10",
          "Law 116/2025 Arts. 9, 10", "date"),
    Field("pre_operation_assessment.result", "Đánh giá trước vận hành: kết quả",
          "Pre-operation assessment: result", "", "", "enum", RESULTS),
    Field("pre_operation_assessment.assessor", "Đánh giá trước vận hành: đơn vị",
          "Pre-operation assessment: assessor", "", "", "text"),
    Field("pentest.date", "Kiểm thử xâm nhập: ngày", "Penetration test: date",
          "TCVN 11930:2017", "TCVN 11930:2017", "date"),
    Field("pentest.result", "Kiểm thử xâm nhập: kết quả", "Penetration test: result", "", "",
          "enum", RESULTS),
    Field("operators.administrators", "Số người quản trị, vận hành", "Administrators",
          "Luật 116/2025 khoản 2 Điều 34", "Law 116/2025 Art. 34.2", "int"),
    Field("operators.certified", "Số người đã được chứng nhận", "Of whom certified",
          "Nghị định 333/2026 Điều 28", "Decree 333/2026 Art. 28", "int"),
)

STAFF_FIELDS: tuple[Field, ...] = (
    Field("security_unit.name", "Đơn vị chuyên trách ATTT", "Security unit",
          "Đơn vị chuyên trách về an toàn thông tin, an ninh mạng",
          "The unit in charge of cybersecurity", "text"),
    Field("security_unit.head", "Người phụ trách", "Head", "Họ tên, chức vụ", "Name, position",
          "text"),
    Field("security_unit.contact", "Liên hệ", "Contact", "Thư điện tử, điện thoại",
          "E-mail, telephone", "text"),
    Field("staff.security_staff", "Cán bộ chuyên trách/phụ trách ATTT",
          "Security staff", f"Biểu mẫu 08 ({_D331})", "Form 08 (Decree 331)", "int"),
    Field("staff.trained", "Số cán bộ đã được đào tạo, bồi dưỡng", "Of whom trained",
          "Không lớn hơn số cán bộ chuyên trách", "At most the security staff", "int"),
    Field("incident_response_team", "Đội/tổ ứng cứu sự cố", "Incident response team",
          "Tên đội, tổ ứng cứu sự cố", "Name of the team", "text"),
)

SYSTEMS_SHEET = FactSheet("Systems", "system", SYSTEM_FIELDS)
DOCUMENTS_SHEET = FactSheet(
    "Documents", "system", DOCUMENT_FIELDS,
    together=(
        ("dossier.decision.number", "dossier.decision.date"),
        ("security_regulation.number", "security_regulation.date"),
        ("acceptance_test.number", "acceptance_test.date"),
    ),
)
ASSESSMENTS_SHEET = FactSheet(
    "Assessments", "system", ASSESSMENT_FIELDS,
    together=(
        ("four_layer.layer1.unit",),
        ("four_layer.layer2.provider",),
        ("four_layer.layer3.assessor",),
        ("pre_operation_assessment.date", "pre_operation_assessment.result"),
        ("pentest.date", "pentest.result"),
        ("operators.administrators", "operators.certified"),
    ),
)
STAFF_SHEET = FactSheet(
    "Staff", "agency", STAFF_FIELDS,
    together=(("staff.security_staff", "staff.trained"),),
)
ENDPOINT_KINDS = _choices(EndpointKind)
HOSTS_SHEET = FactSheet(
    "Hosts", "system", (
        Field("ipv4", "Địa chỉ IPv4", "IPv4 addresses", "Ngăn cách bởi dấu phẩy",
              "Separated by commas", "list"),
        Field("ipv6", "Địa chỉ IPv6", "IPv6 addresses", "Ngăn cách bởi dấu phẩy",
              "Separated by commas", "list"),
        Field("role", "Vai trò", "Role", "", "", "text"),
        Field("expected_ports", "Cổng được phép mở", "Expected open ports",
              "Ví dụ 443, 53/udp; cổng khác đang mở là cổng chưa khai báo (NET-01)",
              "e.g. 443, 53/udp; any other open port is undeclared (NET-01)", "list"),
    ),
    collection="hosts", identity=("name",),
)
ENDPOINTS_SHEET = FactSheet(
    "Endpoints", "system", (
        Field("kind", "Loại", "Kind", "web: áp dụng kiểm tra chuyển hướng HTTPS và IPv6",
              "web: HTTPS redirect and IPv6 website tests apply", "enum", ENDPOINT_KINDS),
        Field("ipv6_claimed", "Truy cập được qua IPv6", "Reachable over IPv6",
              "NĐ 224/2026 Điều 11", "Decree 224/2026 Art. 11", "bool", YES_NO),
        Field("purpose", "Mục đích", "Purpose", "", "", "text"),
    ),
    collection="endpoints", identity=("url",),
)
CERTIFICATES_SHEET = FactSheet(
    "Certificates", "system", (
        Field("purpose", "Mục đích", "Purpose", "", "", "text"),
    ),
    collection="certificates", identity=("endpoint", "file"),
)
FACT_SHEETS: tuple[FactSheet, ...] = (
    SYSTEMS_SHEET, DOCUMENTS_SHEET, ASSESSMENTS_SHEET, STAFF_SHEET,
    HOSTS_SHEET, ENDPOINTS_SHEET, CERTIFICATES_SHEET,
)
