"""The words for the codes an inventory and a result use (enum values, yes/no, regimes), in
Vietnamese (first) and English: the one table every message, table and page reads, so that
no text shows `specialised_unit`, `submitted`, `True` or `nd85` to a person.

Each enumeration has its own table (a code may mean different things in two of them:
`none` is "chưa triển khai" for a deployment and "không" elsewhere); `word(code)` without a
kind takes the first table that knows the code. A code no table knows is returned as it is.
Pure; imports only `messages`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import Final

from auditor.messages import Msg

#: code -> words, per enumeration (named as the enum class is, e.g. "Authority").
TABLES: Final[Mapping[str, Mapping[str, Msg]]] = {
    "Authority": {
        "specialised_unit": Msg(
            "đơn vị chuyên trách ATTT/ANM của chủ quản", "the owner's specialised security unit"
        ),
        "independent_council": Msg(
            "đơn vị khác hoặc hội đồng thẩm định độc lập",
            "another competent unit or an independent council",
        ),
        "owner": Msg("chủ quản hệ thống thông tin", "the system owner"),
        "mic": Msg(
            "Bộ Thông tin và Truyền thông", "the Ministry of Information and Communications"
        ),
        "mps": Msg("Bộ Công an", "the Ministry of Public Security"),
        "mod": Msg("Bộ Quốc phòng", "the Ministry of Defence"),
        "cipher_committee": Msg("Ban Cơ yếu Chính phủ", "the Government Cipher Committee"),
        "prime_minister": Msg("Thủ tướng Chính phủ", "the Prime Minister"),
    },
    "DossierStatus": {
        "draft": Msg("đang dự thảo", "draft"),
        "submitted": Msg("đã gửi thẩm định", "submitted for appraisal"),
        "appraised": Msg("đã thẩm định", "appraised"),
        "approved": Msg("đã được phê duyệt", "approved"),
    },
    "DossierComponent": {
        "overview": Msg("tài liệu mô tả tổng quan", "system overview"),
        "design": Msg("tài liệu thiết kế", "design document"),
        "level_justification": Msg("thuyết minh đề xuất cấp độ", "level justification"),
        "security_plan": Msg("thuyết minh phương án bảo đảm an toàn", "security plan"),
        "expert_opinion": Msg("ý kiến chuyên môn của đơn vị chuyên trách", "expert opinion"),
    },
    "Deployment": {
        "none": Msg("chưa triển khai", "not deployed"),
        "partial": Msg("đã triển khai một số hạng mục", "partly deployed"),
        "full": Msg("đã triển khai đầy đủ", "fully deployed"),
    },
    "AssessmentResult": {
        "pass": Msg("đạt", "pass"),
        "fail": Msg("không đạt", "fail"),
        "conditional": Msg("đạt có điều kiện", "conditional pass"),
    },
    "Status": {
        "pass": Msg("đạt", "pass"),
        "fail": Msg("không đạt", "fail"),
        "manual": Msg("cần xác nhận", "needs attestation"),
        "not_applicable": Msg("không áp dụng", "not applicable"),
        "error": Msg("lỗi", "error"),
        "waived": Msg("miễn trừ", "waived"),
    },
    "Severity": {
        "critical": Msg("nghiêm trọng", "critical"),
        "high": Msg("cao", "high"),
        "medium": Msg("trung bình", "medium"),
        "low": Msg("thấp", "low"),
        "info": Msg("thông tin", "info"),
    },
    "Regime": {
        "nd85": Msg("NĐ 85/2016", "Decree 85/2016"),
        "nd331": Msg("NĐ 331/2026", "Decree 331/2026"),
    },
    "SolutionKind": {
        "product": Msg("sản phẩm chuyên dụng", "dedicated product"),
        "equivalent": Msg("giải pháp tương đương", "equivalent solution"),
        "service": Msg("dịch vụ của nhà cung cấp", "provider's service"),
    },
    "Zone": {
        "internal": Msg("vùng mạng nội bộ", "internal network zone"),
        "edge": Msg("vùng mạng biên", "edge zone"),
        "dmz": Msg("vùng DMZ", "DMZ"),
        "internal_server": Msg("vùng máy chủ nội bộ", "internal server zone"),
        "wireless": Msg("vùng mạng không dây", "wireless zone"),
        "database": Msg("vùng máy chủ cơ sở dữ liệu", "database server zone"),
        "management": Msg("vùng quản trị", "management zone"),
        "device_management": Msg("vùng quản trị thiết bị", "device management zone"),
    },
    "DesignRole": {
        "email": Msg("hệ thống thư điện tử", "e-mail system"),
        "central_database": Msg("cơ sở dữ liệu tập trung, dùng chung", "central shared database"),
        "data_centre": Msg("trung tâm dữ liệu", "data centre"),
        "cloud": Msg("điện toán đám mây", "cloud"),
        "identity": Msg("xác thực, định danh, chữ ký số", "identity and digital signature"),
        "integration": Msg("tích hợp, kết nối, liên thông dữ liệu", "data integration"),
        "lan": Msg("mạng nội bộ dùng chung", "shared LAN/WAN"),
        "soc": Msg("trung tâm điều hành an ninh mạng", "security operations centre"),
    },
    "HostingKind": {
        "on_premise": Msg("tại cơ quan", "on premises"),
        "provincial_dc": Msg("trung tâm dữ liệu của tỉnh", "the provincial data centre"),
        "cloud": Msg("điện toán đám mây", "cloud"),
        "rented_dc": Msg("trung tâm dữ liệu thuê", "a rented data centre"),
    },
    "EndpointKind": {
        "web": Msg("trang/cổng thông tin điện tử", "web site or portal"),
        "api": Msg("giao diện dịch vụ (API)", "service interface (API)"),
        "other": Msg("khác", "other"),
    },
    "Lifecycle": {
        "planning": Msg("lập kế hoạch", "planning"),
        "building": Msg("đang xây dựng", "building"),
        "testing": Msg("kiểm thử", "testing"),
        "trial": Msg("vận hành thử", "trial operation"),
        "production": Msg("đang vận hành", "in production"),
        "retired": Msg("ngừng vận hành", "retired"),
    },
    "SystemType": {
        "internal": Msg("phục vụ hoạt động nội bộ", "internal operations"),
        "citizen_facing": Msg("phục vụ người dân, doanh nghiệp", "serving citizens and businesses"),
        "infrastructure": Msg("cơ sở hạ tầng thông tin", "information infrastructure"),
        "industrial_control": Msg("điều khiển công nghiệp", "industrial control"),
        "other": Msg("loại khác", "other"),
    },
    "SystemDomain": {
        "civil": Msg("dân sự", "civil"),
        "military": Msg("quân sự", "military"),
        "public_security": Msg("công an", "public security"),
        "cipher": Msg("cơ yếu", "cipher"),
    },
    "Separation": {
        "none": Msg("không tách biệt", "not separated"),
        "logical": Msg("tách biệt logic", "logically separated"),
        "physical": Msg("tách biệt vật lý", "physically separated"),
    },
    "InfoType": {
        "public": Msg("thông tin công cộng", "public information"),
        "private": Msg("thông tin riêng", "private information"),
        "personal": Msg("thông tin cá nhân", "personal information"),
        "state_secret": Msg("bí mật nhà nước", "state secret"),
    },
    "Harm": {
        "none": Msg("không gây tổn hại", "no harm"),
        "harm": Msg("gây tổn hại", "harm"),
        "serious": Msg("gây tổn hại nghiêm trọng", "serious harm"),
        "especially_serious": Msg("gây tổn hại đặc biệt nghiêm trọng", "especially serious harm"),
        "strategic": Msg("tổn hại ở mức chiến lược", "strategic harm"),
    },
    "InfraScope": {
        "one_org": Msg("một cơ quan, tổ chức", "one organisation"),
        "sector_or_provinces": Msg("một ngành hoặc một/nhiều tỉnh", "a sector or provinces"),
        "ministry": Msg("bộ, ngành", "a ministry or sector"),
        "national": Msg("toàn quốc", "nationwide"),
        "international": Msg("quốc tế", "international"),
    },
    "IcsGrade": {
        "IV": Msg("công trình cấp IV", "grade IV works"),
        "III": Msg("công trình cấp III", "grade III works"),
        "II": Msg("công trình cấp II", "grade II works"),
        "I": Msg("công trình cấp I", "grade I works"),
        "special": Msg("công trình cấp đặc biệt", "special-grade works"),
        "national_security": Msg(
            "công trình quan trọng về an ninh quốc gia", "works important to national security"
        ),
    },
    "PublicServiceLevel": {
        "none": Msg("không có dịch vụ công trực tuyến", "no online public service"),
        "1": Msg("mức độ 1", "level 1"),
        "2": Msg("mức độ 2", "level 2"),
        "3": Msg("mức độ 3", "level 3"),
        "4": Msg("mức độ 4", "level 4"),
        "partial": Msg("một phần", "partial"),
        "full": Msg("toàn trình", "full"),
    },
    "PreGoLiveAssessment": {
        "required": Msg("bắt buộc", "required"),
        "by_law": Msg("theo quy định của pháp luật", "where the law requires it"),
    },
    "AttestationStatus": {
        "valid": Msg("còn hiệu lực", "valid"),
        "lapsed": Msg("hết hiệu lực", "lapsed"),
        "not_yet_effective": Msg("chưa có hiệu lực", "not yet effective"),
        "unused": Msg("không được quy tắc nào dùng", "not used by any rule"),
    },
    # Why a TLS chain did not verify (probes/tls.py VerifyReason, the fact `verify_reason`).
    "VerifyReason": {
        "ok": Msg("hợp lệ", "valid"),
        "expired": Msg("chứng thư đã hết hạn", "certificate expired"),
        "not_yet_valid": Msg("chứng thư chưa có hiệu lực", "certificate not yet valid"),
        "self_signed": Msg("chứng thư tự ký", "self-signed certificate"),
        "unknown_issuer": Msg(
            "tổ chức cấp không được tin cậy (CA không xác định)", "issuer not trusted (unknown CA)"
        ),
        "hostname_mismatch": Msg("tên máy chủ không khớp chứng thư",
                                 "host name does not match the certificate"),
        "weak": Msg("khóa hoặc thuật toán ký quá yếu", "key or signature algorithm too weak"),
        "other": Msg("lý do khác", "another reason"),
    },
    # Why a certificate file's path to the CA bundle did not verify (probes/certtrust.py
    # TrustReason, the fact `trust_reason`); `self_signed`, `unknown_issuer`, `expired`,
    # `not_yet_valid`, `other` and `ok` read as in VerifyReason.
    "TrustReason": {
        "ok": Msg("hợp lệ", "valid"),
        "no_ca_bundle": Msg("chưa khai báo kho CA tin cậy (tls_policy.ca_bundle)",
                            "no CA bundle declared (tls_policy.ca_bundle)"),
        "self_signed": Msg("chứng thư tự ký", "self-signed certificate"),
        "unknown_issuer": Msg(
            "tổ chức cấp không được tin cậy (CA không xác định)", "issuer not trusted (unknown CA)"
        ),
        "incomplete_chain": Msg(
            "chuỗi chứng thư không đầy đủ (thiếu chứng thư của tổ chức cấp trong tệp và kho CA)",
            "incomplete chain (an issuer is neither in the file nor in the CA bundle)",
        ),
        "intermediate_expired": Msg("chứng thư trung gian đã hết hạn",
                                    "intermediate certificate expired"),
        "intermediate_not_yet_valid": Msg("chứng thư trung gian chưa có hiệu lực",
                                          "intermediate certificate not yet valid"),
        "expired": Msg("chứng thư đã hết hạn", "certificate expired"),
        "not_yet_valid": Msg("chứng thư chưa có hiệu lực", "certificate not yet valid"),
        "wrong_purpose": Msg(
            "chứng thư không dùng cho mục đích ký (keyUsage/extendedKeyUsage)",
            "certificate not meant for signing (keyUsage/extendedKeyUsage)",
        ),
        "other": Msg("lý do khác", "another reason"),
    },
    # A name's DNSSEC status (probes/dnssec.py DnssecStatus, the fact `dnssec.status`).
    "DnssecStatus": {
        "secure": Msg("an toàn (chuỗi tin cậy hợp lệ)", "secure (chain validates)"),
        "insecure": Msg("không an toàn (vùng có khóa nhưng thiếu DS ở vùng cha)",
                        "insecure (the zone has keys but no DS in its parent)"),
        "unsigned": Msg("chưa ký DNSSEC", "not signed"),
        "bogus": Msg("sai (chữ ký, khóa hoặc bằng chứng không hợp lệ)",
                     "bogus (a signature, key or proof does not hold)"),
    },
    "bool": {
        "True": Msg("có", "yes"),
        "False": Msg("không", "no"),
    },
}

# Tables whose codes are too short to guess from ("1", "I", "full"): found only by kind.
_BY_KIND_ONLY: Final = frozenset({"Harm", "InfraScope", "IcsGrade", "PublicServiceLevel"})
_ANY: Final[dict[str, Msg]] = {}
for _kind, _table in TABLES.items():
    if _kind in _BY_KIND_ONLY:
        continue
    for _code, _msg in _table.items():
        _ANY.setdefault(_code, _msg)
# `none` means something different in each table that has it ("chưa triển khai" for a
# deployment); without a kind it is the plain word, never the first table's meaning.
_ANY["none"] = Msg("không", "none")


def word(code: str, kind: str | None = None) -> Msg | None:
    """The words for `code` (of enumeration `kind`, or of the first table that knows it)."""
    if kind is not None:
        found = TABLES.get(kind, {}).get(code)
        if found is not None:
            return found
    return _ANY.get(code)


def words(code: str, kind: str | None = None) -> Msg:
    """`word(code, kind)`, or the code itself in both languages when no table knows it."""
    return word(code, kind) or Msg.same(code)


def word_in(code: object, lang: str, kind: str | None = None) -> str:
    """The words for a code (an enum member, a bool or its text) in one language."""
    if isinstance(code, bool):
        return words(str(code), "bool").get(lang)
    if isinstance(code, Enum):
        return words(str(code.value), kind or type(code).__name__).get(lang)
    return words(str(code), kind).get(lang)


_DECREE: Final = {"nd85": Msg("NĐ 85", "Decree 85"), "nd331": Msg("NĐ 331", "Decree 331")}
_CRITERION: Final = re.compile(r"^(nd85|nd331)\.(\d+)((?:\.[0-9a-zđ]+)*)(.*)$")


def criterion(code: str) -> Msg:
    """A criterion's id as its legal place: `nd85.9.2.c` -> "NĐ 85 Đ9.2.c" / "Decree 85
    Art. 9.2.c" (the code itself when it is not one)."""
    found = _CRITERION.match(code)
    if found is None:
        return Msg.same(code)
    decree, article, rest, tail = found.groups()
    return Msg(
        f"{_DECREE[decree].vi} Đ{article}{rest}{tail}",
        f"{_DECREE[decree].en} Art. {article}{rest}{tail}",
    )


def article(code: str) -> Msg:
    """A criterion's place without its decree, for a column that names the decree:
    `nd85.9.2.c` -> "Đ9.2.c" / "Art. 9.2.c"."""
    found = _CRITERION.match(code)
    if found is None:
        return Msg.same(code)
    _, number, rest, tail = found.groups()
    return Msg(f"Đ{number}{rest}{tail}", f"Art. {number}{rest}{tail}")


def criteria(codes: list[str] | tuple[str, ...], lang: str) -> str:
    """Several criteria ids as legal places, comma-separated."""
    return ", ".join(criterion(code).get(lang) for code in codes)
