"""The organisation (province or ministry) and its agencies, with the facts provincial plans
set targets on (security unit, staff, budget), and the whole inventory they make.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from auditor.messages import MsgValueError
from auditor.model.base import EVENT_OF_OBJECT, Count, DocumentRef, FrozenModel, Slug, Text
from auditor.model.dossier import Attestation, Waiver
from auditor.model.owner import Form08Details, LetterSettings
from auditor.model.protection import Assessment
from auditor.model.system import System, SystemDefaults


class StaffFigures(FrozenModel):
    security_staff: Count = Field(description="Cán bộ chuyên trách/phụ trách ATTT")
    trained: Count = Field(description="Số cán bộ đã được đào tạo, bồi dưỡng")

    @model_validator(mode="after")
    def _trained_le_staff(self) -> StaffFigures:
        if self.trained > self.security_staff:
            raise MsgValueError(
                "'trained' không được lớn hơn 'security_staff'",
                "'trained' cannot exceed 'security_staff'",
            )
        return self


class Project(FrozenModel):
    """A digital-transformation / IT project and the share of it spent on cybersecurity."""

    name: Text
    approved: Annotated[dt.date | None, EVENT_OF_OBJECT] = None
    total_vnd: Annotated[int, Field(gt=0)]
    cybersecurity_vnd: Count


class Budget(FrozenModel):
    year: int | None = None
    cybersecurity_vnd: Count | None = Field(default=None, description="Dự toán kinh phí ANM năm")
    projects: tuple[Project, ...] = ()


class SecurityUnit(FrozenModel):
    """Đơn vị chuyên trách về ATTT/ANM."""

    name: Text
    decision: DocumentRef | None = None
    head: Text | None = None
    contact: Text | None = None


class BodyFacts(FrozenModel):
    """Facts provincial plans set targets on, for the organisation and for each agency."""

    security_unit: SecurityUnit | None = None
    staff: StaffFigures | None = None
    incident_response_team: Text | None = None
    ipv6_plan: DocumentRef | None = None
    budget: Budget | None = None
    organisation_assessment: Assessment | None = Field(
        default=None, description="Kiểm tra, đánh giá tổng thể ATTT của cơ quan (02 năm/lần)"
    )
    attestations: tuple[Attestation, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    form08: Form08Details | None = Field(
        default=None, description="Mẫu số 08 mục 2: chủ quản và đơn vị chuyên trách về ANM"
    )


class Agency(BodyFacts):
    id: Slug
    name: Text
    defaults: SystemDefaults = SystemDefaults()
    systems: tuple[System, ...] = ()


class Organisation(BodyFacts):
    id: Slug
    name: Text
    kind: Literal["province", "ministry", "other"] = "province"
    defaults: SystemDefaults = SystemDefaults()
    annual_letter: LetterSettings | None = Field(
        default=None, description="Công văn gửi báo cáo hằng năm (Mẫu số 08): số, nơi nhận, ký"
    )


class Inventory(FrozenModel):
    """A whole inventory after loading: one organisation, its agencies and systems.

    Systems here already carry inherited defaults; `origins` says where each value came from.
    """

    organisation: Organisation
    agencies: tuple[Agency, ...]

    def systems(self) -> list[tuple[Agency, System]]:
        return [(agency, system) for agency in self.agencies for system in agency.systems]
