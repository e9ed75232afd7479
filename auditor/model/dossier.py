"""Documents of a system's level and protection: the level dossier and who appraises and
approves it, the security plan, and the records that answer or except a rule (attestations,
waivers).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from auditor.model.base import EVENT, DocumentRef, FrozenModel, Text


class DossierStatus(StrEnum):
    """Trạng thái hồ sơ đề xuất cấp độ (Decree 331 Form 08)."""

    DRAFT = "draft"  # Đang dự thảo
    SUBMITTED = "submitted"  # Đã gửi thẩm định
    APPRAISED = "appraised"  # Đã thẩm định
    APPROVED = "approved"  # Đã được phê duyệt


class DossierComponent(StrEnum):
    """Thành phần hồ sơ (Decree 85 Art. 15; Decree 331 Art. 21)."""

    OVERVIEW = "overview"
    DESIGN = "design"
    LEVEL_JUSTIFICATION = "level_justification"
    SECURITY_PLAN = "security_plan"
    EXPERT_OPINION = "expert_opinion"  # levels 4-5 only


class Authority(StrEnum):
    """Bodies that appraise or approve a level dossier (Decree 85 Art. 12; Decree 331 Art. 18)."""

    SPECIALISED_UNIT = "specialised_unit"  # đơn vị chuyên trách ATTT/ANM của chủ quản
    INDEPENDENT_COUNCIL = "independent_council"  # đơn vị khác / hội đồng thẩm định độc lập
    OWNER = "owner"  # chủ quản hệ thống
    MIC = "mic"  # Bộ Thông tin và Truyền thông (legacy)
    MPS = "mps"  # Bộ Công an
    MOD = "mod"  # Bộ Quốc phòng
    CIPHER_COMMITTEE = "cipher_committee"  # Ban Cơ yếu Chính phủ
    PRIME_MINISTER = "prime_minister"


class Deployment(StrEnum):
    """Mức triển khai phương án (Decree 331 Form 08)."""

    NONE = "none"  # Chưa triển khai
    PARTIAL = "partial"  # Đã triển khai một số hạng mục
    FULL = "full"  # Đã triển khai đầy đủ


class Decision(DocumentRef):
    body_kind: Authority | None = Field(default=None, description="Kind of the approving body")


class LevelDossier(FrozenModel):
    """Hồ sơ đề xuất cấp độ."""

    status: DossierStatus = DossierStatus.DRAFT
    components: frozenset[DossierComponent] = frozenset()
    submitted: Annotated[dt.date | None, EVENT] = None
    appraised_by: Authority | None = None
    appraisal: DocumentRef | None = Field(default=None, description="Văn bản thẩm định")
    decision: Decision | None = Field(default=None, description="Quyết định phê duyệt cấp độ")
    expected_approval: dt.date | None = Field(default=None, description="Dự kiến phê duyệt")
    in_feasibility_study: bool | None = Field(
        default=None, description="Thuyết minh cấp độ lồng ghép trong BCNCKT/kế hoạch thuê"
    )


class SecurityPlan(FrozenModel):
    """Phương án bảo đảm an toàn thông tin / an ninh mạng theo cấp độ."""

    deployment: Deployment = Deployment.NONE
    full_deployment_expected: dt.date | None = None
    document: DocumentRef | None = None
    appraisal: DocumentRef | None = Field(
        default=None,
        description="Văn bản thẩm định an ninh mạng phương án của cơ quan nhà nước có thẩm quyền "
        "(Law 116 Art. 40.2.a)",
    )


class Attestation(FrozenModel):
    """Evidence that closes a manual item: a document, who attests it, when it is effective."""

    rule: Text = Field(description="Rule id the attestation answers, e.g. 'GOV-16'")
    document: DocumentRef
    attested_by: Text
    effective: Annotated[dt.date | None, EVENT] = Field(
        default=None, description="Defaults to the document date"
    )
    valid_until: dt.date | None = None
    note: Text | None = None
    subject: Text | None = None


class Waiver(FrozenModel):
    """A recorded, approved, expiring exception. It never hides the measured result."""

    rule: Text
    subject: Text | None = Field(default=None, description="Host or endpoint it is limited to")
    reason: Text
    approver: Text
    decision: DocumentRef
    expires: dt.date
