"""The facts of a system the workbook's Systems sheet asks for: one column each.

A field names the dotted key of the fact in a system's YAML (`classification.users`), its
header and help in both languages (help cites the article the fact decides), and its kind,
which says how a cell is read and written (auditor/workbook/cells.py). Enumerations carry a
Vietnamese label per value: the dropdowns show labels, the YAML keeps the codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from auditor.code_words import word
from auditor.model.inventory import (
    Harm,
    IcsGrade,
    InfoType,
    InfraScope,
    Lifecycle,
    PublicServiceLevel,
    Regime,
    SystemDomain,
    SystemType,
)

#: How a cell is read and written; "list" is free text items separated by commas (addresses,
#: ports), each checked by the model when the edited file is validated.
Kind = Literal["enum", "enum_set", "bool", "int", "level", "date", "text", "list"]


@dataclass(frozen=True)
class Choice:
    code: str
    vi: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Field:
    key: str  # dotted key in the system's YAML mapping
    vi: str  # header
    en: str
    help_vi: str  # what the fact decides, with the article
    help_en: str
    kind: Kind
    choices: tuple[Choice, ...] = ()
    required: bool = False  # the model has no "not declared" for it: a cell may not be emptied

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_vi


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _choices(enum: type[StrEnum]) -> tuple[Choice, ...]:
    """An enumeration's choices in the words every other output uses (`code_words`), each
    starting with a capital as a dropdown item does."""
    choices = []
    for member in enum:
        words = word(member.value, enum.__name__)
        if words is None:  # pragma: no cover - a new enum value needs its words in code_words
            raise ValueError(f"{enum.__name__}: no words for {member.value!r} in code_words")
        choices.append(Choice(member.value, _capital(words.vi), _capital(words.en)))
    return tuple(choices)


YES_NO = (Choice("true", "Có", "Yes"), Choice("false", "Không", "No"))

SYSTEM_TYPES = _choices(SystemType)
LIFECYCLES = _choices(Lifecycle)
INFO_TYPES = _choices(InfoType)
HARMS = _choices(Harm)
INFRA_SCOPES = _choices(InfraScope)
ICS_GRADES = _choices(IcsGrade)
REGIMES = _choices(Regime)
DOMAINS = _choices(SystemDomain)
SERVICE_LEVELS = _choices(PublicServiceLevel)
LEVELS = tuple(Choice(str(n), str(n), str(n)) for n in range(1, 6))

_C = "classification."
_ND85, _ND331 = "NĐ 85/2016", "NĐ 331/2026"

SYSTEM_FIELDS: tuple[Field, ...] = (
    Field("system_type", "Loại hệ thống", "System type",
          f"Loại a–đ ({_ND85} khoản 2 Điều 6; {_ND331} khoản 2 Điều 9)",
          "Type a–đ (Decree 85 Art. 6.2; Decree 331 Art. 9.2)",
          "enum", SYSTEM_TYPES, required=True),
    Field("lifecycle", "Giai đoạn", "Lifecycle",
          "Đang vận hành, thử nghiệm…: quyết định yêu cầu trước khi đưa vào vận hành",
          "Operating, testing…: decides the go-live requirements", "enum", LIFECYCLES,
          required=True),
    Field("investment_start", "Ngày bắt đầu đầu tư", "Investment start",
          "Quyết định chế độ áp dụng (Luật 116/2025 Điều 45: sau 01/07/2026 là NĐ 331)",
          "Decides the regime (Law 116/2025 Art. 45: after 01/07/2026, Decree 331)", "date"),
    Field("go_live", "Ngày đưa vào vận hành", "Go-live date",
          "Quyết định chế độ áp dụng và thời hạn chuyển tiếp (Luật 116/2025 Điều 45)",
          "Decides the regime and the transition deadline (Law 116/2025 Art. 45)", "date"),
    Field("real_data", "Có dữ liệu thật", "Holds real data",
          "Hệ thống thử nghiệm có dữ liệu thật được coi như đang vận hành",
          "A test system holding real data counts as operating", "bool", YES_NO),
    Field("domain", "Lĩnh vực", "Domain",
          f"Quyết định cơ quan thẩm định hồ sơ cấp độ 4–5 ({_ND331} Điều 18.3)",
          "Decides who appraises a level 4–5 dossier (Decree 331 Art. 18.3)", "enum", DOMAINS),
    Field("regime", "Chế độ áp dụng (nếu khác)", "Regime (override)",
          "Để trống: tính từ các ngày ở trên", "Empty: decided from the dates above",
          "enum", REGIMES),
    Field("national_security_critical", "HTTT quan trọng về ANQG",
          "Important to national security",
          "Thuộc Danh mục HTTT quan trọng về an ninh quốc gia (Luật 116/2025 Điều 9)",
          "On the national-security list (Law 116/2025 Art. 9)", "bool", YES_NO),
    Field("state_budget", "Sử dụng ngân sách nhà nước", "State budget",
          "Phương án phải được thẩm định an ninh mạng (Luật 116/2025 Điều 40.2)",
          "The plan needs a cybersecurity appraisal (Law 116/2025 Art. 40.2)", "bool", YES_NO),
    Field("declared_level", "Cấp độ đề xuất", "Proposed level",
          f"Cấp độ 1–5 trong hồ sơ đề xuất ({_ND85} Điều 7–11; {_ND331} Điều 11–15)",
          "Level 1–5 in the dossier (Decree 85 Arts. 7–11; Decree 331 Arts. 11–15)",
          "level", LEVELS),
    Field("last_major_change", "Ngày thay đổi lớn gần nhất", "Last major change",
          "Sau thay đổi lớn phải xác định lại cấp độ, đánh giá lại",
          "A major change calls for a new level and assessment", "date"),
    Field(_C + "info_types", "Loại thông tin xử lý", "Information types",
          f"Một hay nhiều loại, ngăn cách bởi dấu phẩy ({_ND85} khoản 1 Điều 6; {_ND331} "
          "khoản 1 Điều 9)",
          "One or more, separated by commas (Decree 85 Art. 6.1; Decree 331 Art. 9.1)",
          "enum_set", INFO_TYPES),
    Field(_C + "state_secret_harm", "Mức tổn hại QP-AN nếu bị phá hoại",
          "Harm to national defence if sabotaged",
          f"Cấp độ 4–5 ({_ND85} Điều 10, 11; {_ND331} Điều 14, 15)",
          "Levels 4–5 (Decree 85 Arts. 10, 11; Decree 331 Arts. 14, 15)", "enum", HARMS),
    Field(_C + "serves_defence_security", "Phục vụ quốc phòng, an ninh",
          "Serves defence or security", f"Cấp độ 3–5 ({_ND85} Điều 9–11)",
          "Levels 3–5 (Decree 85 Arts. 9–11)", "bool", YES_NO),
    Field(_C + "online_service", "Cung cấp dịch vụ trực tuyến", "Online service",
          f"{_ND85} Điều 8, 9; {_ND331} Điều 12, 13", "Decree 85 Arts. 8, 9; Decree 331 "
          "Arts. 12, 13", "bool", YES_NO),
    Field(_C + "information_portal", "Cổng/trang thông tin điện tử", "Information portal",
          f"Cấp độ 2 ({_ND85} điểm a khoản 2 Điều 8)", "Level 2 (Decree 85 Art. 8.2.a)",
          "bool", YES_NO),
    Field(_C + "public_service_level", "Mức độ dịch vụ công trực tuyến",
          "Online public-service level",
          f"{_ND85} Điều 8, 9 (mức 1–4); NĐ 42/2022 (một phần, toàn trình)",
          "Decree 85 Arts. 8, 9 (levels 1–4); Decree 42/2022 (partial, full)",
          "enum", SERVICE_LEVELS),
    Field(_C + "admin_procedures", "Giải quyết thủ tục hành chính",
          "Handles administrative procedures", f"Cấp độ 3 ({_ND331} điểm b khoản 2 Điều 13)",
          "Level 3 (Decree 331 Art. 13.2.b)", "bool", YES_NO),
    Field(_C + "conditional_business_line", "Ngành, nghề kinh doanh có điều kiện",
          "Conditional business line", f"Cấp độ 3 ({_ND85} Điều 9)",
          "Level 3 (Decree 85 Art. 9)", "bool", YES_NO),
    Field(_C + "users", "Số người sử dụng (thông tin riêng/cá nhân)", "Users",
          f"Từ 10.000: cấp độ 3 ({_ND85} điểm c khoản 2 Điều 9)",
          "10,000 or more: level 3 (Decree 85 Art. 9.2.c)", "int"),
    Field(_C + "basic_pd_subjects", "Số chủ thể dữ liệu cá nhân cơ bản",
          "Basic personal-data subjects", f"{_ND331} Điều 12–14", "Decree 331 Arts. 12–14",
          "int"),
    Field(_C + "sensitive_pd_subjects", "Số chủ thể dữ liệu cá nhân nhạy cảm",
          "Sensitive personal-data subjects", f"Từ 10.000: cấp độ 3 ({_ND331} điểm c "
          "khoản 2 Điều 13)", "10,000 or more: level 3 (Decree 331 Art. 13.2.c)", "int"),
    Field(_C + "infra_scope", "Phạm vi phục vụ của hạ tầng dùng chung",
          "Shared-infrastructure scope", f"Hệ thống loại c ({_ND85} Điều 8–11)",
          "Type c systems (Decree 85 Arts. 8–11)", "enum", INFRA_SCOPES),
    Field(_C + "national_egov", "HTTT quốc gia phục vụ Chính phủ điện tử",
          "National e-government system", f"Cấp độ 4 ({_ND85} Điều 10)",
          "Level 4 (Decree 85 Art. 10)", "bool", YES_NO),
    Field(_C + "requires_24x7", "Phải vận hành 24/7", "Must run 24/7",
          f"Cấp độ 3–4 ({_ND85} Điều 9, 10)", "Levels 3–4 (Decree 85 Arts. 9, 10)",
          "bool", YES_NO),
    Field(_C + "ics_works_grade", "Cấp công trình do HTTT điều khiển",
          "Grade of the controlled works", f"Hệ thống loại d ({_ND85} Điều 8–11)",
          "Type d systems (Decree 85 Arts. 8–11)", "enum", ICS_GRADES),
    Field(_C + "national_critical_data_store", "Lưu trữ dữ liệu đặc biệt quan trọng QG",
          "Stores critical national data", f"Cấp độ 5 ({_ND85} Điều 11)",
          "Level 5 (Decree 85 Art. 11)", "bool", YES_NO),
    Field(_C + "international_link", "Hạ tầng kết nối Việt Nam với quốc tế",
          "International link", f"Cấp độ 5 ({_ND85} Điều 11)", "Level 5 (Decree 85 Art. 11)",
          "bool", YES_NO),
    Field(_C + "pm_designated_level", "Cấp độ do Thủ tướng quyết định",
          "Level set by the Prime Minister", "Cấp độ 1–5", "Level 1–5", "level", LEVELS),
    Field(_C + "risk_assessed_level", "Cấp độ theo đánh giá rủi ro",
          "Level from risk assessment", f"Cấp độ 1–5 ({_ND331} khoản 5 Điều 10)",
          "Level 1–5 (Decree 331 Art. 10.5)", "level", LEVELS),
)

FIELDS_BY_KEY = {f.key: f for f in SYSTEM_FIELDS}


@dataclass(frozen=True)
class AnswerColumn:
    key: str  # the attestation's field it fills
    vi: str
    en: str
    kind: Kind
    help_vi: str
    help_en: str

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_vi


#: The columns an agency fills for an evidence request (they make an attestation).
EVIDENCE_ANSWERS: tuple[AnswerColumn, ...] = (
    AnswerColumn("number", "Số văn bản", "Document number", "text",
                 "Số hiệu văn bản, ví dụ 125/QĐ-UBND", "e.g. 125/QĐ-UBND"),
    AnswerColumn("date", "Ngày văn bản", "Document date", "date",
                 "Ngày ban hành (dd/mm/yyyy)", "Date of issue"),
    AnswerColumn("body", "Cơ quan ban hành", "Issuing body", "text",
                 "Cơ quan, đơn vị ban hành văn bản", "Who issued the document"),
    AnswerColumn("attested_by", "Người xác nhận", "Signer", "text",
                 "Họ tên, chức vụ người ký xác nhận", "Name and position of the signer"),
    AnswerColumn("valid_until", "Hiệu lực đến", "Valid until", "date",
                 "Để trống: theo thời hạn quy tắc đặt ra", "Empty: the rule's validity"),
    AnswerColumn("note", "Ghi chú", "Comment", "text", "Tùy chọn", "Optional"),
)
