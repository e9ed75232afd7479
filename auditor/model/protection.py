"""How a system is protected and checked in operation: assessments, the four-layer model
(Directive 14/CT-TTg), central malware protection, incident response, and the trained
people who operate it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from auditor.messages import MsgValueError
from auditor.model.base import (
    EVENT,
    EVENT_OF_OBJECT,
    Count,
    DocumentRef,
    EvidenceDate,
    FrozenModel,
    Text,
)


class AssessmentResult(StrEnum):
    PASS = "pass"  # đạt / đủ điều kiện
    FAIL = "fail"  # không đạt / không đủ điều kiện
    CONDITIONAL = "conditional"  # đạt có điều kiện (khắc phục)


class Assessment(FrozenModel):
    """An assessment, inspection or test with its result."""

    date: Annotated[dt.date, EVENT_OF_OBJECT]
    result: AssessmentResult
    assessor: Text | None = None
    licence: Text | None = Field(default=None, description="Giấy phép / quyết định chỉ định")
    independent: bool | None = Field(default=None, description="Độc lập với đơn vị vận hành")
    report: DocumentRef | None = None


class Layer1(FrozenModel):
    """Lớp 1 — lực lượng tại chỗ."""

    unit: Text
    decision: DocumentRef | None = None
    staff: Count | None = None
    contact: Text | None = None


class Layer2(FrozenModel):
    """Lớp 2 — tổ chức/doanh nghiệp giám sát, bảo vệ chuyên nghiệp."""

    provider: Text
    licence: Text | None = Field(
        default=None, description="Giấy phép kinh doanh sản phẩm, dịch vụ ANM"
    )
    contract: DocumentRef | None = None
    contract_end: dt.date | None = None
    monitoring_24x7: bool | None = None


class Layer3(FrozenModel):
    """Lớp 3 — tổ chức độc lập kiểm tra, đánh giá định kỳ."""

    assessor: Text
    licence: Text | None = None
    last_assessment: Annotated[
        dt.date | None, EvidenceDate("field", with_fields=("result", "report"))
    ] = None
    result: AssessmentResult | None = None
    report: DocumentRef | None = None


class Layer4(FrozenModel):
    """Lớp 4 — kết nối, chia sẻ thông tin với hệ thống giám sát quốc gia."""

    connected: bool = False
    centre: Text | None = None
    confirmation: DocumentRef | None = None
    last_shared: Annotated[dt.date | None, EVENT] = None


class FourLayer(FrozenModel):
    """Mô hình 4 lớp (Directive 14/CT-TTg 2019; CV 1552/BTTTT-CATTT)."""

    layer1: Layer1 | None = None
    layer2: Layer2 | None = None
    layer3: Layer3 | None = None
    layer4: Layer4 | None = None


class MalwareProtection(FrozenModel):
    """Phòng chống mã độc tập trung."""

    endpoints: Count = Field(description="Servers and workstations in scope")
    protected: Count = Field(description="With anti-malware / EDR installed")
    connected: Count = Field(default=0, description="Reporting to the central console")
    national_centre_connected: bool = Field(
        default=False, description="Central console connected to the national/provincial centre"
    )

    @model_validator(mode="after")
    def _counts_consistent(self) -> MalwareProtection:
        if self.protected > self.endpoints or self.connected > self.endpoints:
            raise MsgValueError(
                "'protected' và 'connected' không được lớn hơn 'endpoints'",
                "'protected' and 'connected' cannot exceed 'endpoints'",
            )
        return self


class IncidentResponse(FrozenModel):
    plan: DocumentRef | None = None
    last_drill: Annotated[dt.date | None, EVENT] = None
    team: Text | None = None


class OperatorTraining(FrozenModel):
    """People who directly administer or operate the system (Law 116/2025 Art. 34.2)."""

    administrators: Count = Field(
        description="Số người trực tiếp quản trị, vận hành hệ thống"
    )
    certified: Count = Field(
        description="Số người đã được cấp chứng nhận tập huấn kiến thức, kỹ năng chuyên sâu về "
        "an ninh mạng (Nghị định 333/2026 Điều 28) hoặc được đào tạo chuyên ngành an ninh mạng"
    )

    @model_validator(mode="after")
    def _certified_le_administrators(self) -> OperatorTraining:
        if self.certified > self.administrators:
            raise MsgValueError(
                "'certified' không được lớn hơn 'administrators'",
                "'certified' cannot exceed 'administrators'",
            )
        return self
