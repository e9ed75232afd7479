"""A system's design: its network zones and the security solutions deployed, as product,
equivalent or service (Circular 12/2022 Annexes I-V part II.1; TCVN 14423:2026 x.12).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from auditor.model.base import Count, DocumentRef, FrozenModel, Text


class Zone(StrEnum):
    """Vùng mạng trong thiết kế hệ thống (TT12 Phụ lục I–V mục II.1.a)."""

    INTERNAL = "internal"  # vùng mạng nội bộ
    EDGE = "edge"  # vùng mạng biên
    DMZ = "dmz"  # vùng DMZ
    INTERNAL_SERVER = "internal_server"  # vùng máy chủ nội bộ (từ cấp độ 2)
    WIRELESS = "wireless"  # vùng mạng không dây, tách riêng (từ cấp độ 2, nếu có)
    DATABASE = "database"  # vùng máy chủ cơ sở dữ liệu (từ cấp độ 3)
    MANAGEMENT = "management"  # vùng quản trị (từ cấp độ 3)
    DEVICE_MANAGEMENT = "device_management"  # vùng quản trị thiết bị hệ thống (từ cấp độ 4)


class SolutionName(StrEnum):
    """Giải pháp bảo đảm an toàn trong thiết kế (TT12 Phụ lục I–V mục II.1.b)."""

    VPN = "vpn"  # quản trị từ xa an toàn qua VPN
    FIREWALL_IPS = "firewall_ips"  # tường lửa có chức năng phòng chống xâm nhập
    NETWORK_IPS = "network_ips"  # thiết bị phòng chống xâm nhập lớp mạng (IPS)
    ANTI_MALWARE = "anti_malware"  # phòng chống mã độc cho máy chủ, máy trạm
    WAF = "waf"  # tường lửa ứng dụng web
    EMAIL_SECURITY = "email_security"  # bảo đảm an toàn hệ thống thư điện tử
    REDUNDANCY_CORE = "redundancy_core"  # dự phòng thiết bị mạng chính (chuyển mạch lõi, tường lửa)
    # cân bằng tải và dự phòng nóng (gồm WAF, lưu trữ tập trung, tường lửa CSDL)
    REDUNDANCY_HA = "redundancy_ha"
    DB_FIREWALL = "db_firewall"  # tường lửa cơ sở dữ liệu
    NETWORK_MALWARE_FILTER = "network_malware_filter"  # chặn lọc mã độc trên môi trường mạng
    ANTI_DDOS = "anti_ddos"  # phòng chống tấn công từ chối dịch vụ
    NAC = "nac"  # quản lý truy cập lớp mạng
    IT_MONITORING = "it_monitoring"  # giám sát hệ thống thông tin tập trung
    SIEM = "siem"  # giám sát an toàn thông tin tập trung (SIEM)
    CENTRAL_BACKUP = "central_backup"  # sao lưu dự phòng tập trung
    EDR = "edr"  # phát hiện và phản ứng tại điểm cuối
    DLP = "dlp"  # phòng, chống thất thoát dữ liệu
    INTERNET_REDUNDANCY = "internet_redundancy"  # dự phòng kết nối Internet
    WIRELESS_SECURITY = "wireless_security"  # bảo đảm an toàn mạng không dây
    PAM = "pam"  # quản lý tài khoản đặc quyền
    BACKUP_SITE = "backup_site"  # hệ thống dự phòng ở vị trí địa lý khác
    BACKUP_LINK_REDUNDANCY = "backup_link_redundancy"  # dự phòng kết nối chính – dự phòng


class SolutionKind(StrEnum):
    """Hình thức đáp ứng một giải pháp."""

    PRODUCT = "product"  # sản phẩm chuyên dụng (thiết bị/phần mềm chuyên dụng)
    EQUIVALENT = "equivalent"  # giải pháp tương đương (chức năng tích hợp, cấu hình, mã nguồn mở…)
    SERVICE = "service"  # dịch vụ của nhà cung cấp (ví dụ chống DDoS của nhà mạng)


class DesignRole(StrEnum):
    """Chức năng hạ tầng mà một số nghĩa vụ sản phẩm gắn với (TT12 Phụ lục III–V mục II.1.b)."""

    EMAIL = "email"  # hệ thống thư điện tử
    CENTRAL_DATABASE = "central_database"  # cơ sở dữ liệu tập trung / dùng chung
    DATA_CENTRE = "data_centre"  # trung tâm dữ liệu
    CLOUD = "cloud"  # điện toán đám mây
    IDENTITY = "identity"  # xác thực, định danh, chứng thực điện tử, chữ ký số
    INTEGRATION = "integration"  # tích hợp, kết nối, liên thông dữ liệu
    LAN = "lan"  # mạng nội bộ (LAN/WAN) dùng chung
    SOC = "soc"  # trung tâm điều hành an ninh mạng


class Solution(FrozenModel):
    """Một giải pháp trong thiết kế: sản phẩm, giải pháp tương đương hay dịch vụ."""

    kind: SolutionKind = Field(
        description="Hình thức: product (sản phẩm chuyên dụng), equivalent (giải pháp tương "
        "đương), service (dịch vụ của nhà cung cấp)"
    )
    name: Text = Field(description="Tên sản phẩm, giải pháp hoặc dịch vụ")
    document: DocumentRef | None = Field(
        default=None, description="Tài liệu chứng minh (hợp đồng, biên bản nghiệm thu, thiết kế)"
    )
    distance_km: Count | None = Field(
        default=None,
        description="Khoảng cách địa lý tới hệ thống chính, km (backup_site: từ 30 km ở cấp độ 5)",
    )


class Design(FrozenModel):
    """Thiết kế hệ thống: vùng mạng và giải pháp bảo đảm an toàn (TT12 Phụ lục I–V mục II.1)."""

    zones: frozenset[Zone] = Field(
        default=frozenset(), description="Các vùng mạng có trong thiết kế (phân vùng mạng)"
    )
    wireless: bool | None = Field(
        default=None,
        description="Có mạng không dây kết nối với hệ thống; không khai báo: chưa rõ (không đạt "
        "các yêu cầu về mạng không dây cho tới khi khai báo)",
    )
    in_house_software: bool | None = Field(
        default=None,
        description="Có phần mềm phát triển riêng (tự phát triển hoặc thuê phát triển)",
    )
    roles: frozenset[DesignRole] = Field(
        default=frozenset(),
        description="Chức năng hạ tầng của hệ thống (thư điện tử, CSDL dùng chung, trung tâm dữ "
        "liệu, đám mây, xác thực/chữ ký số, tích hợp, LAN, SOC) mà nghĩa vụ sản phẩm gắn với",
    )
    solutions: dict[SolutionName, Solution] = Field(
        default_factory=dict,
        description="Giải pháp bảo đảm an toàn đã triển khai, theo tên giải pháp",
    )
