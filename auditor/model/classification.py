"""What a system is classified by: its type, the information it holds, whom it serves, and
the other facts Decree 85 Arts. 7-11 and Decree 331 Arts. 11-15 set levels on.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from auditor.model.base import Count, FrozenModel, Level, Text


class SystemType(StrEnum):
    """Loại hệ thống thông tin (Decree 85 Art. 6.2; Decree 331 Art. 9.2)."""

    INTERNAL = "internal"  # a) nội bộ
    CITIZEN_FACING = "citizen_facing"  # b) phục vụ người dân, doanh nghiệp
    INFRASTRUCTURE = "infrastructure"  # c) cơ sở hạ tầng thông tin
    INDUSTRIAL_CONTROL = "industrial_control"  # d) điều khiển công nghiệp
    OTHER = "other"  # đ) khác


class InfoType(StrEnum):
    """Loại thông tin (Decree 85 Art. 6.1; Decree 331 Art. 9.1)."""

    PUBLIC = "public"
    PRIVATE = "private"
    PERSONAL = "personal"
    STATE_SECRET = "state_secret"


class Harm(StrEnum):
    """How badly sabotage of a state-secret / defence system would harm national security."""

    NONE = "none"
    HARM = "harm"
    SERIOUS = "serious"
    ESPECIALLY_SERIOUS = "especially_serious"
    STRATEGIC = "strategic"


class InfraScope(StrEnum):
    """Whom shared information infrastructure serves."""

    ONE_ORG = "one_org"
    SECTOR_OR_PROVINCES = "sector_or_provinces"  # one sector, one province or several
    MINISTRY = "ministry"
    NATIONAL = "national"
    INTERNATIONAL = "international"


class IcsGrade(StrEnum):
    """Grade of the construction works an industrial-control system directly controls."""

    IV = "IV"
    III = "III"
    II = "II"
    I = "I"  # noqa: E741 - the grade is called I
    SPECIAL = "special"
    NATIONAL_SECURITY = "national_security"


class PublicServiceLevel(StrEnum):
    """Online public-service level: Decree 43/2011 levels 1-4, or Decree 42/2022 categories.

    `none` states that the system offers no online public service; leaving the field out
    states nothing (the level is then computed as if it might offer one, see levels/).
    """

    NONE = "none"  # không cung cấp dịch vụ công trực tuyến
    L1 = "1"
    L2 = "2"
    L3 = "3"
    L4 = "4"
    PARTIAL = "partial"  # dịch vụ công trực tuyến một phần
    FULL = "full"  # dịch vụ công trực tuyến toàn trình


class ClassificationAttributes(FrozenModel):
    """The facts Decree 85 Arts. 7-11 and Decree 331 Arts. 11-15 classify by.

    Every field is three-valued: a declared value (true/false, a value, a count) or not
    declared (None). Nothing here has a default that could fire or block a criterion: the
    classifier reports what the declared facts prove and how high the undeclared ones could
    still take the level (auditor/levels/classify.py).
    """

    info_types: frozenset[InfoType] | None = Field(
        default=None, description="Loại thông tin xử lý (Decree 85 Art. 6.1; Decree 331 Art. 9.1)"
    )
    state_secret_harm: Harm | None = Field(
        default=None,
        description="Mức tổn hại quốc phòng, an ninh quốc gia nếu bị phá hoại ('none': không)",
    )
    serves_defence_security: bool | None = Field(
        default=None, description="Phục vụ quốc phòng, an ninh"
    )
    online_service: bool | None = Field(default=None, description="Cung cấp dịch vụ trực tuyến")
    information_portal: bool | None = Field(
        default=None,
        description="Cổng/trang thông tin điện tử cung cấp thông tin (Decree 85 Art. 8.2.a)",
    )
    public_service_level: PublicServiceLevel | None = Field(
        default=None,
        description="Mức độ dịch vụ công trực tuyến (1-4, một phần, toàn trình; 'none': không có)",
    )
    admin_procedures: bool | None = Field(
        default=None, description="Giải quyết thủ tục hành chính (Decree 331 Art. 13.2.b)"
    )
    conditional_business_line: bool | None = Field(
        default=None, description="Dịch vụ thuộc danh mục ngành, nghề kinh doanh có điều kiện"
    )
    users: Count | None = Field(
        default=None, description="Số người sử dụng có thông tin riêng/cá nhân (Decree 85)"
    )
    basic_pd_subjects: Count | None = Field(
        default=None, description="Số chủ thể dữ liệu cá nhân cơ bản (Decree 331)"
    )
    sensitive_pd_subjects: Count | None = Field(
        default=None, description="Số chủ thể dữ liệu cá nhân nhạy cảm (Decree 331)"
    )
    infra_scope: InfraScope | None = Field(
        default=None, description="Phạm vi phục vụ của hạ tầng thông tin dùng chung"
    )
    national_egov: bool | None = Field(
        default=None, description="Hệ thống thông tin quốc gia phục vụ Chính phủ điện tử"
    )
    requires_24x7: bool | None = Field(
        default=None, description="Phải vận hành 24/7, không chấp nhận ngừng không có kế hoạch"
    )
    ics_works_grade: IcsGrade | None = Field(
        default=None, description="Cấp công trình do hệ thống điều khiển công nghiệp điều khiển"
    )
    national_critical_data_store: bool | None = Field(
        default=None, description="Lưu trữ tập trung dữ liệu đặc biệt quan trọng của quốc gia"
    )
    international_link: bool | None = Field(
        default=None, description="Hạ tầng quốc gia kết nối Việt Nam với quốc tế"
    )
    pm_designated_level: Level | None = Field(
        default=None, description="Cấp độ do Thủ tướng Chính phủ quyết định"
    )
    risk_assessed_level: Level | None = Field(
        default=None, description="Cấp độ theo đánh giá rủi ro (Decree 331 Art. 10.5)"
    )


class Component(FrozenModel):
    """A part of the system with its own classification attributes; the highest level wins."""

    name: Text
    system_type: SystemType | None = Field(default=None, description="Defaults to the system's")
    classification: ClassificationAttributes = ClassificationAttributes()
