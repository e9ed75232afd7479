"""Names of codes (statuses, severities, groups, regimes, …) in Vietnamese (first,
authoritative) and English, and the look-ups of the report's words (`ui`, from report/words.py).

Every label exists in both languages with the same keys (a test holds them equal), so a page
is entirely in one language: nothing falls back to the other language's word.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from auditor.report.words import UI

LANGS: Final = ("vi", "en")

_STATUS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "pass": "Đạt",
        "fail": "Không đạt",
        "manual": "Cần xác nhận",
        "not_applicable": "Không áp dụng",
        "error": "Lỗi",
        "waived": "Miễn trừ",
    },
    "en": {
        "pass": "Pass",
        "fail": "Fail",
        "manual": "Manual",
        "not_applicable": "Not applicable",
        "error": "Error",
        "waived": "Waived",
    },
}

_SEVERITY: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "critical": "Nghiêm trọng",
        "high": "Cao",
        "medium": "Trung bình",
        "low": "Thấp",
        "info": "Thông tin",
    },
    "en": {
        "critical": "Critical",
        "high": "High",
        "medium": "Medium",
        "low": "Low",
        "info": "Info",
    },
}

_OBLIGATION: Final[dict[str, dict[str, str]]] = {
    "vi": {"mandatory": "Bắt buộc", "reinforcement": "Tăng cường", "advisory": "Khuyến nghị"},
    "en": {"mandatory": "Mandatory", "reinforcement": "Reinforcement", "advisory": "Advisory"},
}

_LIFECYCLE: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "planning": "Lập kế hoạch",
        "building": "Đang xây dựng",
        "testing": "Kiểm thử",
        "trial": "Vận hành thử",
        "production": "Đang vận hành",
        "retired": "Ngừng vận hành",
    },
    "en": {
        "planning": "Planning",
        "building": "Building",
        "testing": "Testing",
        "trial": "Trial operation",
        "production": "In production",
        "retired": "Retired",
    },
}

_SYSTEM_TYPE: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "internal": "Phục vụ hoạt động nội bộ",
        "citizen_facing": "Phục vụ người dân, doanh nghiệp",
        "infrastructure": "Cơ sở hạ tầng thông tin",
        "industrial_control": "Điều khiển công nghiệp",
        "other": "Loại khác",
    },
    "en": {
        "internal": "Internal operations",
        "citizen_facing": "Serving citizens and businesses",
        "infrastructure": "Information infrastructure",
        "industrial_control": "Industrial control",
        "other": "Other",
    },
}

_REGIME: Final[dict[str, dict[str, str]]] = {
    "vi": {"nd85": "NĐ 85/2016", "nd331": "NĐ 331/2026"},
    "en": {"nd85": "Decree 85/2016", "nd331": "Decree 331/2026"},
}

# Requirement groups in the order a report reads them: classification first, go-live last.
_GROUP: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "classification": "Xác định cấp độ",
        "dossier": "Hồ sơ đề xuất cấp độ",
        "transition": "Chuyển tiếp quy định",
        "policy": "Chính sách an toàn thông tin",
        "organisation": "Tổ chức, đơn vị chuyên trách",
        "people": "Nhân lực",
        "personnel": "Quản lý nhân sự",
        "budget": "Kinh phí",
        "risk": "Quản lý rủi ro",
        "design": "Thiết kế hệ thống",
        "network": "An toàn mạng",
        "server": "An toàn máy chủ",
        "application": "An toàn ứng dụng",
        "data": "An toàn dữ liệu",
        "tls": "Kênh truyền HTTPS/TLS",
        "certificates": "Chứng thư số",
        "ipv6": "Sẵn sàng IPv6",
        "dns": "An toàn DNS (DNSSEC, CAA)",
        "four-layer": "Mô hình 4 lớp",
        "assessment": "Kiểm tra, đánh giá",
        "monitoring": "Giám sát",
        "malware": "Phòng chống mã độc",
        "incidents": "Ứng cứu sự cố",
        "hosting": "Hạ tầng, nơi đặt hệ thống",
        "national-link": "Kết nối hệ thống quốc gia",
        "operations": "Quản lý vận hành",
        "change": "Quản lý thay đổi",
        "development": "Phát triển phần mềm",
        "end-of-life": "Kết thúc vận hành",
        "reporting": "Báo cáo",
        "critical": "HTTT quan trọng về an ninh quốc gia",
        "go-live": "Điều kiện đưa vào vận hành",
    },
    "en": {
        "classification": "Level classification",
        "dossier": "Level dossier",
        "transition": "Regime transition",
        "policy": "Security policy",
        "organisation": "Organisation and security unit",
        "people": "Staff",
        "personnel": "Personnel management",
        "budget": "Budget",
        "risk": "Risk management",
        "design": "System design",
        "network": "Network security",
        "server": "Server security",
        "application": "Application security",
        "data": "Data security",
        "tls": "HTTPS/TLS",
        "certificates": "Certificates",
        "ipv6": "IPv6 readiness",
        "dns": "DNS security (DNSSEC, CAA)",
        "four-layer": "Four-layer model",
        "assessment": "Assessment",
        "monitoring": "Monitoring",
        "malware": "Malware protection",
        "incidents": "Incident response",
        "hosting": "Hosting",
        "national-link": "National system links",
        "operations": "Operations",
        "change": "Change management",
        "development": "Software development",
        "end-of-life": "End of life",
        "reporting": "Reporting",
        "critical": "Systems critical to national security",
        "go-live": "Go-live conditions",
    },
}

GROUP_ORDER: Final[dict[str, int]] = {key: index for index, key in enumerate(_GROUP["vi"])}


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")
    return lang


def ui(lang: str) -> Mapping[str, str]:
    """The page's words; a missing key fails the render (StrictUndefined), never falls back."""
    return MappingProxyType(UI[_lang(lang)])


def status(code: str, lang: str) -> str:
    return _STATUS[_lang(lang)].get(code, code)


def severity(code: str, lang: str) -> str:
    return _SEVERITY[_lang(lang)].get(code, code)


def obligation(code: str, lang: str) -> str:
    return _OBLIGATION[_lang(lang)].get(code, code)


def lifecycle(code: str, lang: str) -> str:
    return _LIFECYCLE[_lang(lang)].get(code, code)


def system_type(code: str, lang: str) -> str:
    return _SYSTEM_TYPE[_lang(lang)].get(code, code)


def regime(code: str, lang: str) -> str:
    return _REGIME[_lang(lang)].get(code, code)


def group(code: str, lang: str) -> str:
    """A requirement group's name; a user checklist's own group shows as its slug."""
    return _GROUP[_lang(lang)].get(code, code)


def all_tables() -> dict[str, dict[str, dict[str, str]]]:
    """Every label table by name, for the test that holds vi and en complete and apart."""
    return {
        "ui": UI,
        "status": _STATUS,
        "severity": _SEVERITY,
        "obligation": _OBLIGATION,
        "lifecycle": _LIFECYCLE,
        "system_type": _SYSTEM_TYPE,
        "regime": _REGIME,
        "group": _GROUP,
    }
