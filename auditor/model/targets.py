"""The targets the annual report measures against (the province's plans), as a YAML file gives them.

Defaults are the targets the provincial plans for 2026 set (100 % classified with approved
dossiers, protection plans deployed, 4-layer model, malware protection connected to the
national centre, security staff trained, portals and online public services on IPv6; no
expired certificate). A province with other targets writes its own file, e.g.:

    plan: {number: 45/KH-UBND, date: 2026-02-10, body: UBND tỉnh An Bình}
    targets:
      ipv6_portals: 80
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from auditor.model.base import Count, DocumentRef, FrozenModel

Percent = Annotated[float, Field(ge=0, le=100, strict=True, description="Per cent, 0-100")]


class AnnualTargets(FrozenModel):
    classified_approved: Percent = Field(
        default=100, description="Hệ thống được xác định cấp độ, hồ sơ được phê duyệt (%)"
    )
    plan_deployed: Percent = Field(
        default=100, description="Hệ thống triển khai đầy đủ phương án bảo vệ theo cấp độ (%)"
    )
    four_layer: Percent = Field(default=100, description="Hệ thống bảo vệ theo mô hình 4 lớp (%)")
    malware_national: Percent = Field(
        default=100, description="Phòng chống mã độc tập trung kết nối Trung tâm quốc gia (%)"
    )
    staff_trained: Percent = Field(
        default=100, description="Cán bộ chuyên trách ATTT được đào tạo, bồi dưỡng (%)"
    )
    ipv6_portals: Percent = Field(
        default=100,
        description="Cổng/Trang thông tin điện tử, dịch vụ công trực tuyến hỗ trợ IPv6 (%)",
    )
    golive_secure: Percent = Field(
        default=100, description="Hệ thống được kết luận an toàn trước khi đưa vào vận hành (%)"
    )
    expired_certificates: Count = Field(
        default=0, description="Chứng thư số hết hạn tối đa (số lượng)"
    )


class TargetsFile(FrozenModel):
    plan: DocumentRef | None = Field(
        default=None, description="Kế hoạch đặt ra các chỉ tiêu (số, ngày, cơ quan ban hành)"
    )
    targets: AnnualTargets = AnnualTargets()
