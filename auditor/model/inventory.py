"""The inventory: an organisation (province or ministry), its agencies and their systems.

Field names are English; descriptions carry the Vietnamese legal term so `auditor schema`
helps people who think in the regulation's words. Everything is frozen and rejects unknown
fields: a misspelt key in an inventory is an error, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from auditor.messages import MsgValueError
from auditor.model.base import (
    EVENT,
    EVENT_OF_OBJECT,
    Count,
    DocumentRef,
    EvidenceDate,
    FrozenModel,
    Level,
    Slug,
    Text,
)
from auditor.model.owner import Form08Details, LetterSettings

# --------------------------------------------------------------------------------------------
# Network names and addresses. Anything that may one day reach a probe is validated here, at
# load time: a hostname can never begin with '-' (it would read as an nmap option).
# --------------------------------------------------------------------------------------------

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.?$")


def _check_hostname(value: str) -> str:
    name = value.strip().lower()
    if len(name) > 253 or not _HOSTNAME_RE.match(name):
        raise MsgValueError(
            f"'{value}' không phải tên máy (host name) hợp lệ (gồm chữ, số và '-' trong các "
            "nhãn ngăn cách bởi dấu chấm; nhãn không được bắt đầu hay kết thúc bằng '-')",
            f"'{value}' is not a valid host name (letters, digits and '-' in dot-separated "
            "labels; a label may not begin or end with '-')",
        )
    return name.rstrip(".")


Hostname = Annotated[str, AfterValidator(_check_hostname)]


def _redact(url: str) -> str:
    """The URL without any user:password part, safe to print in an error message."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest.split("/", 1)[0]:
        return f"{scheme}{sep}***@{rest.split('@', 1)[1]}"
    return url


def _check_url(value: str) -> str:
    shown = _redact(value)
    if any(ch.isspace() for ch in value):
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ (có khoảng trắng)",
            f"'{shown}' is not a valid URL (contains white space)",
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: giao thức phải là http hoặc https",
            f"'{shown}' is not a valid URL: the scheme must be http or https",
        )
    if parts.username or parts.password:
        raise MsgValueError(
            f"'{shown}' không được chứa tên người dùng hay mật khẩu",
            f"'{shown}' must not carry a user name or password",
        )
    host = parts.hostname
    if not host:
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: thiếu tên máy",
            f"'{shown}' is not a valid URL: no host",
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: cổng sai", f"'{shown}' is not a valid URL: bad port"
        ) from exc
    if port == 0:
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: cổng 0", f"'{shown}' is not a valid URL: port 0"
        )
    try:
        ipaddress.ip_address(host)
    except ValueError:
        host = _check_hostname(host)
    # Scheme and host are case-insensitive (RFC 3986 §6.2.2.1): keep one spelling, so rules
    # matching '^https://' or '.gov.vn' and finding subjects see the same URL however written.
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return parts._replace(scheme=parts.scheme.lower(), netloc=netloc).geturl()


Url = Annotated[str, AfterValidator(_check_url)]


def _check_port(value: str | int) -> str:
    text = str(value).strip().lower()
    number, _, proto = text.partition("/")
    proto = proto or "tcp"
    valid = number.isascii() and number.isdigit() and 1 <= int(number) <= 65535
    if not valid or proto not in ("tcp", "udp"):
        raise MsgValueError(
            f"'{value}' không phải cổng: hãy ghi một số từ 1 đến 65535, có thể kèm '/tcp' hoặc "
            "'/udp'",
            f"'{value}' is not a port: use a number 1-65535, optionally '/tcp' or '/udp'",
        )
    return f"{int(number)}/{proto}"


Port = Annotated[str | int, AfterValidator(_check_port)]


def _address_text(value: object) -> object:
    """Addresses are written as text; a bare integer (3221225994) is almost surely a typo."""
    if not isinstance(value, str):
        raise MsgValueError(
            f"hãy ghi địa chỉ dưới dạng văn bản, ví dụ '192.0.2.10' (nhận được {value!r})",
            f"write the address as text, e.g. '192.0.2.10' (got {value!r})",
        )
    return value


IPv4 = Annotated[ipaddress.IPv4Address, BeforeValidator(_address_text)]
IPv6 = Annotated[ipaddress.IPv6Address, BeforeValidator(_address_text)]


def _network(value: object) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A declared network in CIDR notation, written as text, with no host bits set."""
    if not isinstance(value, str):
        raise MsgValueError(
            f"hãy ghi mạng dưới dạng văn bản, ví dụ '192.0.2.0/28' (nhận được {value!r})",
            f"write the network as text, e.g. '192.0.2.0/28' (got {value!r})",
        )
    try:
        return ipaddress.ip_network(value.strip(), strict=True)
    except ValueError as exc:
        raise MsgValueError(
            f"'{value}' không phải mạng viết theo ký hiệu CIDR: {_network_reason_vi(str(exc))}",
            f"'{value}' is not a network in CIDR notation: {exc}",
        ) from exc


def _network_reason_vi(reason: str) -> str:
    """Why `ipaddress` refuses a network, in Vietnamese (its own words when not recognised)."""
    if reason.endswith("has host bits set"):
        return reason.removesuffix("has host bits set") + "có bit phần máy (host bits) khác 0"
    if "does not appear to be an IPv4 or IPv6 network" in reason:
        return reason.replace(
            "does not appear to be an IPv4 or IPv6 network", "không phải mạng IPv4 hay IPv6"
        )
    return reason


Network = Annotated[
    ipaddress.IPv4Network | ipaddress.IPv6Network, BeforeValidator(_network)
]


# --------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------


class SystemType(StrEnum):
    """Loại hệ thống thông tin (Decree 85 Art. 6.2; Decree 331 Art. 9.2)."""

    INTERNAL = "internal"  # a) nội bộ
    CITIZEN_FACING = "citizen_facing"  # b) phục vụ người dân, doanh nghiệp
    INFRASTRUCTURE = "infrastructure"  # c) cơ sở hạ tầng thông tin
    INDUSTRIAL_CONTROL = "industrial_control"  # d) điều khiển công nghiệp
    OTHER = "other"  # đ) khác


class Lifecycle(StrEnum):
    PLANNING = "planning"
    BUILDING = "building"
    TESTING = "testing"
    TRIAL = "trial"  # vận hành thử
    PRODUCTION = "production"
    RETIRED = "retired"


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


class Regime(StrEnum):
    """Which body of rules governs a system's level and protection."""

    ND85 = "nd85"  # Decree 85/2016 + Circular 12/2022 + TCVN 11930:2017 (legacy, transition)
    ND331 = "nd331"  # Law 116/2025 + Decree 331/2026 + TCVN 14423:2026 (current)


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


class SystemDomain(StrEnum):
    """Whose system it is, which decides who appraises a level 4-5 dossier
    (Decree 85 Art. 12; Decree 331 Art. 18.3.a-c)."""

    CIVIL = "civil"  # dân sự: cơ quan nhà nước, tổ chức khác
    MILITARY = "military"  # hệ thống thông tin quân sự (Bộ Quốc phòng)
    PUBLIC_SECURITY = "public_security"  # thuộc phạm vi quản lý của Bộ Công an
    CIPHER = "cipher"  # hệ thống thông tin cơ yếu thuộc Ban Cơ yếu Chính phủ


class Deployment(StrEnum):
    """Mức triển khai phương án (Decree 331 Form 08)."""

    NONE = "none"  # Chưa triển khai
    PARTIAL = "partial"  # Đã triển khai một số hạng mục
    FULL = "full"  # Đã triển khai đầy đủ


class AssessmentResult(StrEnum):
    PASS = "pass"  # đạt / đủ điều kiện
    FAIL = "fail"  # không đạt / không đủ điều kiện
    CONDITIONAL = "conditional"  # đạt có điều kiện (khắc phục)


class Separation(StrEnum):
    NONE = "none"
    LOGICAL = "logical"
    PHYSICAL = "physical"


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


# --------------------------------------------------------------------------------------------
# Classification attributes (what both regimes classify by)
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Dossier, plan, assessments, four layers
# --------------------------------------------------------------------------------------------


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


class Hosting(FrozenModel):
    kind: Literal["on_premise", "provincial_dc", "cloud", "rented_dc"] = "on_premise"
    provider: Text | None = None
    separation: Separation | None = None


class Host(FrozenModel):
    name: Hostname
    ipv4: tuple[IPv4, ...] = ()
    ipv6: tuple[IPv6, ...] = ()
    role: Text | None = None
    expected_ports: tuple[Port, ...] = Field(
        default=(), description="Ports that should answer (e.g. '443', '53/udp'); any other "
        "open port is undeclared (NET-01)"
    )


class EndpointKind(StrEnum):
    WEB = "web"  # a web site or portal: HTTP must redirect to HTTPS, IPv6 web tests apply
    API = "api"  # a service interface: TLS is judged, redirect and web IPv6 tests are not
    OTHER = "other"


class Endpoint(FrozenModel):
    url: Url
    kind: EndpointKind = Field(
        default=EndpointKind.WEB,
        description="web (trang/cổng thông tin), api or other; web endpoints get the HTTPS "
        "redirect and IPv6 website tests",
    )
    ipv6_claimed: bool = Field(
        default=False, description="The inventory says the endpoint is reachable over IPv6"
    )
    http_url: Url | None = Field(
        default=None,
        description="Plain-HTTP address that must redirect to HTTPS (default for web "
        "endpoints: http://<host>/)",
    )
    purpose: Text | None = None

    @field_validator("http_url")
    @classmethod
    def _plain_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("http://"):
            raise MsgValueError(
                f"'{_redact(value)}' phải là một URL http:// thường (địa chỉ cần chuyển hướng "
                "sang HTTPS)",
                f"'{_redact(value)}' must be a plain http:// URL (the one that should redirect "
                "to HTTPS)",
            )
        return value


class TlsPolicy(FrozenModel):
    """Local certificate policy (inheritable from organisation or agency defaults)."""

    ca_bundle: Text | None = Field(
        default=None,
        description="PEM file of extra trusted CAs (e.g. the Government CA, Ban Cơ yếu Chính "
        "phủ), relative to the inventory file that names it",
    )
    expiry_warning_days: Annotated[int, Field(ge=0, le=3650)] | None = Field(
        default=None,
        description="Warn this many days before a certificate expires; a value laxer than the "
        "level requires is itself a finding (CERT-POL-01)",
    )


class CertificateRef(FrozenModel):
    endpoint: Url | None = None
    file: Text | None = None
    purpose: Text | None = None

    @model_validator(mode="after")
    def _one_target(self) -> CertificateRef:
        if (self.endpoint is None) == (self.file is None):
            raise MsgValueError(
                "hãy ghi đúng một trong hai: 'endpoint' hoặc 'file'",
                "give exactly one of 'endpoint' or 'file'",
            )
        return self


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


# --------------------------------------------------------------------------------------------
# System design (Circular 12/2022 Annexes I-V part II.1; TCVN 14423:2026 x.12)
# --------------------------------------------------------------------------------------------


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
