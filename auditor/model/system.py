"""An information system (hệ thống thông tin) with everything the audit judges, and the
defaults an organisation or agency declares once for all its systems.

The enumerations that place a system (lifecycle, regime, domain) and the province's or
ministry's own policy live here; each part of a system has its own module (classification,
dossier, protection, design, hosts).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from auditor.messages import MsgValueError
from auditor.model.addresses import Network
from auditor.model.base import EVENT, DocumentRef, FrozenModel, Level, Slug, Text
from auditor.model.classification import ClassificationAttributes, Component, SystemType
from auditor.model.design import Design
from auditor.model.dossier import Attestation, LevelDossier, SecurityPlan, Waiver
from auditor.model.hosts import CertificateRef, DnsPolicy, Endpoint, Host, Hosting, TlsPolicy
from auditor.model.protection import (
    Assessment,
    FourLayer,
    IncidentResponse,
    MalwareProtection,
    OperatorTraining,
)


class Lifecycle(StrEnum):
    PLANNING = "planning"
    BUILDING = "building"
    TESTING = "testing"
    TRIAL = "trial"  # vận hành thử
    PRODUCTION = "production"
    RETIRED = "retired"


class Regime(StrEnum):
    """Which body of rules governs a system's level and protection."""

    ND85 = "nd85"  # Decree 85/2016 + Circular 12/2022 + TCVN 11930:2017 (legacy, transition)
    ND331 = "nd331"  # Law 116/2025 + Decree 331/2026 + TCVN 14423:2026 (current)


class SystemDomain(StrEnum):
    """Whose system it is, which decides who appraises a level 4-5 dossier
    (Decree 85 Art. 12; Decree 331 Art. 18.3.a-c)."""

    CIVIL = "civil"  # dân sự: cơ quan nhà nước, tổ chức khác
    MILITARY = "military"  # hệ thống thông tin quân sự (Bộ Quốc phòng)
    PUBLIC_SECURITY = "public_security"  # thuộc phạm vi quản lý của Bộ Công an
    CIPHER = "cipher"  # hệ thống thông tin cơ yếu thuộc Ban Cơ yếu Chính phủ


class PreGoLiveAssessment(StrEnum):
    """Whether the pre-go-live cybersecurity-condition assessment binds systems by policy."""

    REQUIRED = "required"  # the province's own plan makes it mandatory for every system
    BY_LAW = "by_law"  # only where the law requires it (national-security-listed systems)


class Policy(FrozenModel):
    """Rules a province or ministry makes binding on its own systems beyond the law."""

    pre_golive_assessment: PreGoLiveAssessment | None = Field(
        default=None,
        description="Đánh giá điều kiện an ninh mạng trước khi đưa vào vận hành: `required` "
        "(bắt buộc theo kế hoạch của tỉnh) hoặc `by_law` (chỉ khi luật bắt buộc: hệ thống quan "
        "trọng về an ninh quốc gia, Luật 116/2025 khoản 3 Điều 9, khoản 5 Điều 10)",
    )
    decision: DocumentRef | None = Field(
        default=None, description="Văn bản ban hành chính sách (kế hoạch, quyết định của UBND)"
    )


class SystemDefaults(FrozenModel):
    """Values declared once at organisation or agency level and inherited by every system."""

    owner: Text | None = None
    operator: Text | None = None
    hosting: Hosting | None = None
    four_layer: FourLayer | None = None
    malware: MalwareProtection | None = None
    incident_response: IncidentResponse | None = None
    security_regulation: DocumentRef | None = None
    tls_policy: TlsPolicy | None = None
    dns_policy: DnsPolicy | None = None
    policy: Policy | None = Field(
        default=None,
        description="Chính sách của tỉnh/bộ áp dụng cho mọi hệ thống (kế thừa nguyên khối)",
    )
    design: Design | None = Field(
        default=None,
        description="Thiết kế dùng chung (ví dụ giải pháp của Trung tâm dữ liệu tỉnh), kế thừa "
        "nguyên khối bởi hệ thống không tự khai báo `design`",
    )


class System(FrozenModel):
    """An information system (hệ thống thông tin) with everything the audit judges."""

    id: Slug
    name: Text
    owner: Text | None = Field(default=None, description="Chủ quản hệ thống thông tin")
    operator: Text | None = Field(default=None, description="Đơn vị vận hành")
    purpose: Text | None = None
    system_type: SystemType
    lifecycle: Lifecycle
    retired: dt.date | None = Field(  # not withdrawn by --as-of: a planned date is a date too
        default=None, description="Ngày dừng vận hành (with lifecycle: retired)"
    )
    investment_start: dt.date | None = None
    go_live: dt.date | None = None
    real_data: bool = Field(default=False, description="Holds real (production) data")
    domain: SystemDomain | None = Field(
        default=None,
        description="Lĩnh vực (dân sự, quân sự, công an, cơ yếu): quyết định cơ quan thẩm định "
        "hồ sơ cấp độ 4-5",
    )
    regime: Regime | None = Field(
        default=None, description="Override the regime decided from dates"
    )
    national_security_critical: bool = Field(
        default=False, description="Listed as HTTT quan trọng về an ninh quốc gia (Law 116 Art. 9)"
    )
    state_budget: bool | None = Field(
        default=None,
        description="Sử dụng ngân sách nhà nước (Law 116 Art. 40.2); not declared: unknown",
    )
    classification: ClassificationAttributes = ClassificationAttributes()
    components: tuple[Component, ...] = ()
    declared_level: Level | None = Field(default=None, description="Cấp độ đề xuất")
    dossier: LevelDossier | None = None
    security_regulation: DocumentRef | None = Field(
        default=None, description="Quy chế bảo đảm ATTT"
    )
    security_plan: SecurityPlan | None = None
    pre_operation_assessment: Assessment | None = Field(
        default=None, description="Đánh giá điều kiện an ninh mạng trước khi đưa vào vận hành"
    )
    acceptance_test: DocumentRef | None = Field(default=None, description="Biên bản nghiệm thu")
    pentest: Assessment | None = None
    last_major_change: Annotated[dt.date | None, EVENT] = None
    certification: DocumentRef | None = Field(
        default=None, description="Chứng nhận đủ điều kiện ANM (HTTT quan trọng về ANQG)"
    )
    transition_conformity: DocumentRef | None = Field(
        default=None,
        description="Evidence the system meets Decree 331 conditions (Law 116 Art. 45.1)",
    )
    hosting: Hosting | None = None
    design: Design | None = Field(
        default=None, description="Thiết kế hệ thống: vùng mạng, giải pháp bảo đảm an toàn"
    )
    four_layer: FourLayer = FourLayer()
    malware: MalwareProtection | None = None
    incident_response: IncidentResponse | None = None
    tls_policy: TlsPolicy | None = Field(
        default=None, description="Local certificate policy: CA bundle, expiry warning days"
    )
    dns_policy: DnsPolicy | None = Field(
        default=None, description="DNS policy: the DNSSEC trust anchor file"
    )
    policy: Policy | None = Field(
        default=None,
        description="Chính sách của tỉnh/bộ, thường kế thừa từ `defaults.policy`",
    )
    operators: OperatorTraining | None = Field(
        default=None,
        description="Người trực tiếp quản trị, vận hành và số đã được chứng nhận (Luật 116 "
        "khoản 2 Điều 34)",
    )
    hosts: tuple[Host, ...] = ()
    networks: tuple[Network, ...] = Field(
        default=(),
        description="Networks (CIDR) of the system the port scan covers, e.g. its DMZ "
        "segment; hosts found there but not declared are reported",
    )
    endpoints: tuple[Endpoint, ...] = ()
    certificates: tuple[CertificateRef, ...] = ()
    attestations: tuple[Attestation, ...] = ()
    waivers: tuple[Waiver, ...] = ()

    @model_validator(mode="after")
    def _retired_only_when_retired(self) -> System:
        # The annual report reads `retired` only for retired systems; on any other system the
        # date would be an input nothing uses, so it is refused rather than ignored.
        if self.retired is not None and self.lifecycle is not Lifecycle.RETIRED:
            raise MsgValueError(
                "'retired' (ngày dừng vận hành) chỉ khai báo khi 'lifecycle: retired'",
                "'retired' (the date the system stopped) needs 'lifecycle: retired'",
            )
        return self
