"""Generate a synthetic, fictional province inventory for benchmarks.

    python bench/generate.py --systems 10000 --agencies 100 --out bench/out/p10k

Writes one organisation file (`00-<id>.yaml`) and one file per agency (`NNN-<agency>.yaml`),
the layout `auditor` reads from a folder. The output is deterministic: the same arguments
(and `--seed`) give byte-identical files. Only `random.Random(seed)` is used, no Faker.

Everything is fictional. Host names end in `.example` or `.test`; addresses come only from the
documentation ranges (IPv4 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 — RFC 5737; IPv6
2001:db8::/32 — RFC 3849), so no probe can ever reach a real machine.

Systems are varied on purpose, so that every code path of the loader and the engine is
exercised: all five system types and six lifecycles, classification attributes that fire the
criteria of both regimes (Decree 85/2016 and Decree 331/2026) at every level, components,
dossiers in every status, security plans, assessments, the four-layer model with dates (some
layers inherited from agency or organisation defaults), malware protection, incident
response, one to three hosts, endpoints, certificates, and attestations and waivers for some.
A system is about 60-80 YAML lines, like a real inventory entry.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

GENERATOR_VERSION = "3"
DEFAULT_SEED = 20261124
AS_OF = dt.date(2026, 11, 24)  # the audit date the dates below are spread around

# --------------------------------------------------------------------------------------------
# A tiny YAML writer: block style, flow style for short lists of plain scalars, quoting only
# where a plain scalar would be read back as something else. Hand-written (not yaml.dump) so
# the files look like what people write, and so generation stays fast at 100,000 systems.
# --------------------------------------------------------------------------------------------

_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@` ")
_RESOLVES_TO_NON_STRING = re.compile(
    r"""^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO
    |on|On|ON|off|Off|OFF|y|Y|n|N
    |[-+]?[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |0[xob][0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$""",
    re.VERBOSE,
)


def _scalar(value: Any, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if (
        not text
        or text[0] in _PLAIN_UNSAFE_START
        or text[-1] in " :"
        or ": " in text
        or " #" in text
        or "\n" in text
        or (flow and any(ch in text for ch in ",[]{}"))
        or _RESOLVES_TO_NON_STRING.match(text)
    ):
        return json.dumps(text, ensure_ascii=False)
    return text


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | bool | dt.date)


def _emit(value: Any, indent: int) -> Iterator[str]:
    """Lines for a mapping or list at `indent` spaces (None values and empty lists skipped)."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None or (isinstance(item, list | dict) and not item):
                continue
            if _is_scalar(item):
                yield f"{pad}{key}: {_scalar(item)}"
            elif isinstance(item, list) and all(_is_scalar(v) for v in item) and len(item) <= 6:
                yield f"{pad}{key}: [{', '.join(_scalar(v, flow=True) for v in item)}]"
            else:
                yield f"{pad}{key}:"
                yield from _emit(item, indent + 2)
    elif isinstance(value, list):
        for item in value:
            if _is_scalar(item):
                yield f"{pad}- {_scalar(item)}"
                continue
            lines = list(_emit(item, indent + 2))
            yield f"{pad}- {lines[0].lstrip()}"
            yield from lines[1:]
    else:  # pragma: no cover - callers pass containers
        raise TypeError(type(value))


def dump(document: dict[str, Any], header: str = "") -> str:
    return header + "\n".join(_emit(document, 0)) + "\n"


# --------------------------------------------------------------------------------------------
# Vocabulary (fictional)
# --------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _words(
    "An Bình Hòa Phú Tân Long Thạnh Đông Tây Nam Bắc Hưng Thịnh Phước Mỹ Vĩnh Quang Trung "
    "Hiệp Lộc Sơn Hải Thủy Lâm Xuân Hạ Thu Đức Nghĩa Lợi Tiến Thành Khánh Định Yên Lạc Hương"
)
_SURNAMES = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
_MIDDLE = _words("Văn Thị Hữu Minh Thanh Đức Ngọc Quốc Thu Hoài Xuân Bảo")
_GIVEN = _words("Hùng Lan Hạnh Tuấn Dũng Hoa Phương Nam Sơn Trang Hải Linh Khoa Vy Tâm Quân")

_DEPARTMENTS = (
    ("Sở Y tế", "syt"),
    ("Sở Tài chính", "stc"),
    ("Sở Giáo dục và Đào tạo", "sgddt"),
    ("Sở Xây dựng", "sxd"),
    ("Sở Nông nghiệp và Môi trường", "snnmt"),
    ("Sở Nội vụ", "snv"),
    ("Sở Tư pháp", "stp"),
    ("Sở Công Thương", "sct"),
    ("Sở Văn hóa, Thể thao và Du lịch", "svhttdl"),
    ("Sở Khoa học và Công nghệ", "skhcn"),
    ("Sở Dân tộc và Tôn giáo", "sdttg"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "vp-ubnd"),
    ("Thanh tra tỉnh", "thanh-tra"),
    ("Ban Quản lý các khu công nghiệp", "bql-kcn"),
    ("Đài Phát thanh và Truyền hình tỉnh", "ptth"),
    ("Bảo hiểm xã hội tỉnh (phối hợp)", "bhxh"),
)

_VENDORS = (
    "Công ty Cổ phần An ninh mạng Lạc Hồng",
    "Công ty TNHH Giải pháp An toàn số Phương Nam",
    "Công ty Cổ phần Kiểm định An toàn số Phương Nam",
    "Trung tâm Giám sát an toàn thông tin tỉnh (SOC)",
    "Công ty TNHH Dịch vụ Bảo mật Trường Sơn",
    "Công ty Cổ phần Công nghệ Sao Bắc",
    "Viện Kiểm định Công nghệ thông tin Hồng Hà",
)
_CENTRES = (
    "Trung tâm An ninh mạng quốc gia (Bộ Công an)",
    "Trung tâm Giám sát an toàn không gian mạng quốc gia",
    "Trung tâm Giám sát điều hành an toàn thông tin tỉnh",
)
_PROVIDERS = (
    "Trung tâm dữ liệu tỉnh (Sở Khoa học và Công nghệ)",
    "Công ty Cổ phần Điện toán đám mây Sao Bắc",
    "Trung tâm dữ liệu thuê ngoài Hồng Hà",
)

_SYSTEM_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "internal": (
        ("Hệ thống quản lý văn bản và điều hành", "qlvb"),
        ("Hệ thống thư điện tử công vụ", "email"),
        ("Phần mềm quản lý cán bộ, công chức, viên chức", "qlcb"),
        ("Phần mềm kế toán hành chính sự nghiệp", "ketoan"),
        ("Phần mềm quản lý tài sản công", "qlts"),
        ("Hệ thống họp trực tuyến", "hop"),
        ("Hệ thống quản lý hồ sơ lưu trữ điện tử", "luutru"),
        ("Cơ sở dữ liệu chuyên ngành", "csdl"),
    ),
    "citizen_facing": (
        ("Cổng thông tin điện tử", "cong"),
        ("Hệ thống thông tin giải quyết thủ tục hành chính", "tthc"),
        ("Hệ thống đặt lịch khám bệnh trực tuyến", "datlich"),
        ("Ứng dụng phản ánh hiện trường", "phananh"),
        ("Hệ thống tuyển sinh đầu cấp trực tuyến", "tuyensinh"),
        ("Hệ thống cấp giấy phép trực tuyến", "capphep"),
        ("Hệ thống thanh toán phí, lệ phí trực tuyến", "thanhtoan"),
        ("Hệ thống hồ sơ sức khỏe điện tử", "hssk"),
    ),
    "infrastructure": (
        ("Trung tâm dữ liệu", "ttdl"),
        ("Mạng truyền số liệu chuyên dùng cấp II", "tsl"),
        ("Mạng nội bộ (LAN)", "lan"),
        ("Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", "lgsp"),
        ("Hạ tầng điện toán đám mây dùng chung", "cloud"),
        ("Hệ thống giám sát an toàn thông tin tập trung", "soc"),
    ),
    "industrial_control": (
        ("Hệ thống SCADA trạm bơm tiêu úng", "scada-bom"),
        ("Hệ thống điều khiển đèn tín hiệu giao thông", "den-gt"),
        ("Hệ thống quan trắc và điều khiển hồ chứa", "ho-chua"),
        ("Hệ thống SCADA nhà máy nước sạch", "scada-nuoc"),
        ("Hệ thống điều khiển chiếu sáng công cộng", "chieu-sang"),
    ),
    "other": (
        ("Hệ thống lưu trữ hồ sơ mật", "hsmat"),
        ("Kho dữ liệu dùng chung của tỉnh", "kho-dl"),
        ("Hệ thống camera giám sát an ninh trật tự", "camera"),
        ("Hệ thống thông tin phục vụ chỉ đạo điều hành", "ioc"),
        ("Hệ thống kết nối quốc tế của khu kinh tế cửa khẩu", "cuakhau"),
    ),
}
_TYPE_WEIGHTS = {
    "internal": 34,
    "citizen_facing": 30,
    "infrastructure": 14,
    "industrial_control": 8,
    "other": 14,
}
_LIFECYCLES = ("planning", "building", "testing", "trial", "production", "retired")
_LIFECYCLE_WEIGHTS = (6, 8, 8, 8, 64, 6)
_DOSSIER_STATUSES = ("draft", "submitted", "appraised", "approved")
_DOSSIER_WEIGHTS = (15, 15, 15, 55)
_COMPONENTS = ("overview", "design", "level_justification", "security_plan", "expert_opinion")
_AUTHORITIES = (
    "specialised_unit",
    "independent_council",
    "owner",
    "mic",
    "mps",
    "mod",
    "cipher_committee",
    "prime_minister",
)
_RESULTS = ("pass", "pass", "pass", "conditional", "fail")
_ROLES = (
    ("app", "Máy chủ ứng dụng"),
    ("db", "Máy chủ cơ sở dữ liệu"),
    ("web", "Máy chủ web"),
    ("gw", "Cổng kết nối"),
)
_PORTS = ("443/tcp", "80/tcp", 22, "53/udp", "3389/tcp", "5432/tcp", "1433/tcp", "161/udp")
_ICS_PORTS = ("502/tcp", "20000/tcp", "44818/tcp", "102/tcp")
_IPV4_NETS = ("192.0.2", "198.51.100", "203.0.113")
# Rule ids of the shipped checklists, so that attestations and waivers meet rules that read
# them.
_ATTESTED_RULES = (
    *("GOV-09", "GOV-15", "GOV-18", "GOV-19", "GOV-20", "GOV-22", "GOV-23", "GOV-29"),
    *("GOV-08", "GOV-12", "MGT-OPS-04", "MGT-OPS-09"),
)
_AGENCY_ATTESTED_RULES = ("GOV-16", "GOV-17", "GOV-18")
_WAIVABLE_RULES = (
    *("GOV-03", "GOV-06", "FL-02", "FL-03", "MAL-01", "MAL-02", "GL-02", "ASM-02"),
    *("L2-01", "L3-02", "OPS-02", "OPS-05", "TECH-03", "IP6-02"),
)


def slugify(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Generator:
    """All randomness goes through one seeded random.Random, so output is reproducible."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.doc_counter = 0

    # ---- small helpers ----------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def date(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def days_before(self, low: int, high: int, base: dt.date = AS_OF) -> dt.date:
        return base - dt.timedelta(days=self.rng.randint(low, high))

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(_SURNAMES)} {r.choice(_MIDDLE)} {r.choice(_GIVEN)}"

    def place(self) -> str:
        a, b = self.rng.sample(_SYLLABLES, 2)
        return f"{a} {b}"

    def document(self, kind: str, body: str, title: str, date: dt.date) -> dict[str, Any]:
        self.doc_counter += 1
        number = f"{self.doc_counter % 9000 + 100}/{kind}"
        # Real inventories often give only number and date; body and title now and then.
        return {
            "number": number,
            "date": date,
            "body": body if self.chance(0.6) else None,
            "title": title if self.chance(0.35) else None,
        }

    # ---- organisation -----------------------------------------------------------------------

    def organisation(self, province: str, org_id: str) -> dict[str, Any]:
        body = f"Ủy ban nhân dân tỉnh {province}"
        return {
            "organisation": {
                "id": org_id,
                "name": body,
                "kind": "province",
                "security_unit": {
                    "name": "Sở Khoa học và Công nghệ — Trung tâm Giám sát điều hành an toàn "
                    "thông tin",
                    "decision": self.document(
                        "QĐ-UBND",
                        body,
                        "Quyết định giao đơn vị chuyên trách về an ninh mạng",
                        dt.date(2025, 7, 15),
                    ),
                    "head": self.person(),
                    "contact": f"soc@{slugify(province)}.example; 0200 3 812 345 (trực 24/7)",
                },
                "staff": {"security_staff": 14, "trained": 12},
                "incident_response_team": f"Đội ứng cứu sự cố an toàn thông tin mạng tỉnh "
                f"{province}",
                "ipv6_plan": self.document(
                    "KH-UBND", body, "Kế hoạch chuyển đổi sang IPv6", dt.date(2022, 5, 16)
                ),
                "budget": {
                    "year": 2026,
                    "cybersecurity_vnd": 9_800_000_000,
                    "projects": [
                        {
                            "name": "Đề án chuyển đổi số giai đoạn 2026–2030",
                            "approved": dt.date(2026, 3, 20),
                            "total_vnd": 120_000_000_000,
                            "cybersecurity_vnd": 13_500_000_000,
                        },
                        {
                            "name": "Dự án nâng cấp Trung tâm dữ liệu tỉnh",
                            "approved": dt.date(2026, 9, 2),
                            "total_vnd": 48_000_000_000,
                            "cybersecurity_vnd": 6_000_000_000,
                        },
                    ],
                },
                "organisation_assessment": {
                    "date": dt.date(2025, 10, 20),
                    "result": "pass",
                    "assessor": _VENDORS[2],
                    "licence": "Giấy phép kinh doanh dịch vụ an toàn thông tin mạng số 88/GP",
                    "independent": True,
                    "report": self.document(
                        "BC-PN", _VENDORS[2], "Báo cáo đánh giá tổng thể", dt.date(2025, 10, 30)
                    ),
                },
                "attestations": [
                    {
                        "rule": "GOV-17",
                        "document": self.document(
                            "BC-UBND",
                            body,
                            "Báo cáo an toàn thông tin năm 2025",
                            dt.date(2025, 12, 23),
                        ),
                        "attested_by": self.person(),
                        "effective": dt.date(2025, 12, 23),
                    }
                ],
                "waivers": [
                    {
                        "rule": "GOV-27",
                        "reason": "Dự án phê duyệt trước khi có hướng dẫn tỷ lệ kinh phí",
                        "approver": f"Chủ tịch {body}",
                        "decision": self.document(
                            "QĐ-UBND", body, "Chấp thuận ngoại lệ", dt.date(2026, 9, 30)
                        ),
                        "expires": dt.date(2027, 6, 30),
                    }
                ],
                "defaults": {
                    "owner": body,
                    "hosting": {
                        "kind": "provincial_dc",
                        "provider": _PROVIDERS[0],
                        "separation": "logical",
                    },
                    "four_layer": {
                        "layer2": {
                            "provider": _VENDORS[3],
                            "licence": "Giấy phép kinh doanh dịch vụ an ninh mạng số 31/GP-BCA",
                            "contract": self.document(
                                "HĐ-TTCĐS",
                                _VENDORS[0],
                                "Hợp đồng giám sát an ninh mạng",
                                dt.date(2026, 1, 8),
                            ),
                            "contract_end": dt.date(2027, 12, 31),
                            "monitoring_24x7": True,
                        },
                        "layer4": {
                            "connected": True,
                            "centre": _CENTRES[0],
                            "confirmation": self.document(
                                "A05-P3",
                                "Bộ Công an",
                                "Xác nhận kết nối giám sát",
                                dt.date(2026, 9, 5),
                            ),
                            "last_shared": dt.date(2026, 11, 23),
                        },
                    },
                    "incident_response": {
                        "plan": self.document(
                            "KH-UBND",
                            body,
                            "Kế hoạch ứng phó sự cố năm 2026",
                            dt.date(2026, 2, 10),
                        ),
                        "last_drill": dt.date(2026, 6, 18),
                        "team": f"Đội ứng cứu sự cố tỉnh {province}",
                    },
                    "security_regulation": self.document(
                        "QĐ-UBND",
                        body,
                        "Quy chế bảo đảm an toàn thông tin mạng",
                        dt.date(2024, 4, 22),
                    ),
                },
            }
        }

    # ---- agencies ---------------------------------------------------------------------------

    def agency_identities(self, count: int) -> list[tuple[str, str, bool]]:
        """(name, id, is_department) for `count` agencies: departments first, then communes."""
        found: list[tuple[str, str, bool]] = []
        for index in range(count):
            if index < len(_DEPARTMENTS):
                name, short = _DEPARTMENTS[index]
                found.append((name, short, True))
                continue
            kind = self.rng.choice(("xã", "xã", "phường"))
            place = self.place()
            name = f"Ủy ban nhân dân {kind} {place}"
            found.append((name, f"ubnd-{slugify(kind)}-{slugify(place)}-{index:03d}", False))
        return found

    def agency(
        self, name: str, agency_id: str, department: bool, systems: list[dict[str, Any]]
    ) -> dict[str, Any]:
        unit = f"Tổ an toàn thông tin — {name}"
        defaults: dict[str, Any] = {
            "operator": f"Trung tâm Công nghệ thông tin — {name}" if department else name,
            "four_layer": {
                "layer1": {
                    "unit": unit,
                    "decision": self.document(
                        "QĐ", name, "Quyết định thành lập tổ ATTT", self.days_before(300, 1500)
                    ),
                    "staff": self.rng.randint(1, 8),
                    "contact": f"attt@{agency_id}.example",
                },
            },
        }
        if self.chance(0.5):
            endpoints = self.rng.randint(20, 400)
            protected = endpoints - self.rng.randint(0, endpoints // 10)
            defaults["malware"] = {
                "endpoints": endpoints,
                "protected": protected,
                "connected": protected - self.rng.randint(0, protected // 10),
                "national_centre_connected": self.chance(0.7),
            }
        if department and self.chance(0.3):
            defaults["hosting"] = {
                "kind": "rented_dc",
                "provider": _PROVIDERS[2],
                "separation": "physical",
            }
        staff = self.rng.randint(1, 6)
        data: dict[str, Any] = {
            "id": agency_id,
            "name": name,
            "security_unit": {"name": unit, "head": self.person()},
            "staff": {"security_staff": staff, "trained": self.rng.randint(0, staff)},
            "budget": {"year": 2026, "cybersecurity_vnd": self.rng.randint(1, 40) * 50_000_000},
        }
        if self.chance(0.6):
            data["organisation_assessment"] = {
                "date": self.days_before(30, 1100),
                "result": self.rng.choice(_RESULTS),
                "assessor": self.rng.choice(_VENDORS),
                "independent": self.chance(0.8),
            }
        if self.chance(0.4):
            data["attestations"] = [
                self.attestation(rule, name)
                for rule in self.rng.sample(_AGENCY_ATTESTED_RULES, self.rng.randint(1, 2))
            ]
        data["defaults"] = defaults
        data["systems"] = systems
        return {"agency": data}

    # ---- systems ----------------------------------------------------------------------------

    def attestation(self, rule: str, body: str, subject: str | None = None) -> dict[str, Any]:
        issued = self.days_before(-20, 500)
        return {
            "rule": rule,
            "document": self.document("BB", body, f"Biên bản xác nhận {rule}", issued),
            "attested_by": self.person(),
            "effective": issued if self.chance(0.5) else None,
            "valid_until": issued + dt.timedelta(days=365) if self.chance(0.3) else None,
            "subject": subject,
        }

    def waiver(self, body: str, subject: str | None) -> dict[str, Any]:
        return {
            "rule": self.rng.choice(_WAIVABLE_RULES),
            "subject": subject,
            "reason": "Đang chờ kinh phí năm sau để khắc phục; có biện pháp bù trừ tạm thời",
            "approver": f"Thủ trưởng {body}",
            "decision": self.document(
                "QĐ", body, "Chấp thuận ngoại lệ có thời hạn", self.days_before(10, 400)
            ),
            "expires": self.days_before(-365, 60),  # some already expired
        }

    def classification(self, system_type: str) -> tuple[dict[str, Any], int]:
        """Attributes for the type, and a rough level guess (used to pick a declared level)."""
        r = self.rng
        attrs: dict[str, Any] = {}
        guess = 1
        if system_type == "internal":
            pick = r.random()
            if pick < 0.3:
                attrs["info_types"] = ["public"]
            elif pick < 0.93:
                attrs["info_types"] = r.choice(
                    (["public", "private"], ["personal"], ["private", "personal"])
                )
                guess = 2
                if r.random() < 0.4:
                    attrs["users"] = r.randint(20, 30_000)
            else:
                attrs["info_types"] = ["private", "state_secret"]
                attrs["state_secret_harm"] = r.choice(("none", "harm", "serious"))
                guess = 4
        elif system_type == "citizen_facing":
            attrs["info_types"] = r.choice((["public"], ["public", "personal"], ["personal"]))
            attrs["online_service"] = r.random() < 0.85
            if r.random() < 0.6:
                attrs["public_service_level"] = r.choice(("1", "2", "3", "4", "partial", "full"))
            attrs["admin_procedures"] = r.random() < 0.45
            attrs["conditional_business_line"] = r.random() < 0.15
            if r.random() < 0.7:
                attrs["users"] = r.choice((800, 4_500, 9_999, 10_000, 25_000, 180_000))
            if r.random() < 0.6:
                attrs["basic_pd_subjects"] = r.choice((2_000, 60_000, 99_999, 100_000, 450_000))
            if r.random() < 0.3:
                attrs["sensitive_pd_subjects"] = r.choice((150, 9_000, 10_000, 32_000))
            guess = 3 if attrs["admin_procedures"] or attrs.get("users", 0) >= 10_000 else 2
        elif system_type == "infrastructure":
            scope = r.choice(("one_org", "one_org", "sector_or_provinces", "ministry", "national"))
            attrs["infra_scope"] = scope
            attrs["info_types"] = ["public", "private"]
            if scope == "national":
                attrs["requires_24x7"] = r.random() < 0.6
            if r.random() < 0.05:
                attrs["international_link"] = True
            guess = {"one_org": 2, "sector_or_provinces": 3, "ministry": 3, "national": 4}[scope]
        elif system_type == "industrial_control":
            grade = r.choice(("IV", "III", "II", "I", "special", "national_security"))
            attrs["ics_works_grade"] = grade
            guess = {"I": 4, "special": 5, "national_security": 5}.get(grade, 3)
        else:
            pick = r.random()
            if pick < 0.3:
                attrs["info_types"] = ["state_secret"]
                attrs["serves_defence_security"] = r.random() < 0.5
                attrs["state_secret_harm"] = r.choice(
                    ("harm", "serious", "especially_serious", "strategic")
                )
                guess = 4
            elif pick < 0.5:
                attrs["national_egov"] = True
                attrs["requires_24x7"] = r.random() < 0.7
                guess = 4
            elif pick < 0.6:
                attrs["national_critical_data_store"] = True
                guess = 5
            elif pick < 0.75:
                attrs["pm_designated_level"] = r.randint(1, 5)
                guess = attrs["pm_designated_level"]
            else:
                attrs["info_types"] = ["public", "personal"]
                attrs["risk_assessed_level"] = r.randint(1, 5)
                guess = max(2, attrs["risk_assessed_level"])
        return attrs, guess

    def dossier(self, level: int, owner_body: str, title: str) -> dict[str, Any]:
        r = self.rng
        status = r.choices(_DOSSIER_STATUSES, _DOSSIER_WEIGHTS)[0]
        components = [c for c in _COMPONENTS[:4] if r.random() < 0.9]
        if level >= 4 and r.random() < 0.7:
            components.append("expert_opinion")
        stage = _DOSSIER_STATUSES.index(status)
        # Approvals before 01/07/2026 keep a system under Decree 85 during the transition.
        submitted = self.date(dt.date(2019, 1, 1), dt.date(2026, 10, 31))
        data: dict[str, Any] = {"status": status, "components": components}
        if stage >= 1:
            data["submitted"] = submitted
        if stage >= 2:
            data["appraised_by"] = r.choice(_AUTHORITIES[:5])
            data["appraisal"] = self.document(
                "TĐ",
                "Hội đồng thẩm định",
                f"Văn bản thẩm định hồ sơ đề xuất cấp độ {title}",
                submitted + dt.timedelta(days=r.randint(5, 40)),
            )
        if stage == 3:
            decision = self.document(
                "QĐ-UBND",
                owner_body,
                f"Quyết định phê duyệt cấp độ {level} — {title}",
                submitted + dt.timedelta(days=r.randint(20, 90)),
            )
            decision["body_kind"] = r.choice(("owner", "owner", "mic", "mps", "specialised_unit"))
            data["decision"] = decision
        else:
            data["expected_approval"] = self.days_before(-200, 30)
        if r.random() < 0.3:
            data["in_feasibility_study"] = r.random() < 0.5
        return data

    def assessment(self, body: str, low: int, high: int) -> dict[str, Any]:
        date = self.days_before(low, high)
        vendor = self.rng.choice(_VENDORS)
        return {
            "date": date,
            "result": self.rng.choice(_RESULTS),
            "assessor": vendor,
            "licence": "Giấy phép kinh doanh dịch vụ an toàn thông tin mạng"
            if self.chance(0.5)
            else None,
            "independent": self.chance(0.85),
            "report": self.document("BC", vendor, f"Báo cáo đánh giá {body}", date)
            if self.chance(0.6)
            else None,
        }

    def hosts(self, sys_slug: str, agency_index: int, sys_index: int, ics: bool) -> list[Any]:
        r = self.rng
        tld = "example" if r.random() < 0.75 else "test"
        hosts = []
        for n in range(1, r.randint(1, 3) + 1):
            role, role_vi = r.choice(_ROLES)
            net = _IPV4_NETS[(sys_index + n) % 3]
            host: dict[str, Any] = {
                "name": f"{role}{n:02d}.{sys_slug}.{tld}",
                "ipv4": [f"{net}.{(sys_index * 3 + n) % 254 + 1}"],
                "role": role_vi if r.random() < 0.5 else None,
                "expected_ports": sorted(
                    {*r.sample(_PORTS, r.randint(1, 3)), *(r.sample(_ICS_PORTS, 1) if ics else ())},
                    key=str,
                ),
            }
            if r.random() < 0.4:
                host["ipv6"] = [
                    f"2001:db8:{agency_index:x}:{sys_index >> 16:x}:{sys_index & 0xFFFF:x}::{n}"
                ]
            hosts.append(host)
        return hosts

    def system(
        self, index: int, agency_index: int, agency_id: str, agency_name: str
    ) -> dict[str, Any]:
        r = self.rng
        system_type = r.choices(list(_TYPE_WEIGHTS), list(_TYPE_WEIGHTS.values()))[0]
        title, short = r.choice(_SYSTEM_NAMES[system_type])
        lifecycle = r.choices(_LIFECYCLES, _LIFECYCLE_WEIGHTS)[0]
        system_id = f"{agency_id}-{short}-{index:05d}"
        name = f"{title} — {agency_name}"
        attrs, guess = self.classification(system_type)
        investment = self.date(dt.date(2014, 1, 1), dt.date(2026, 6, 30))
        if lifecycle in ("planning", "building", "testing") and r.random() < 0.6:
            # New investment under Law 116: governed by Decree 331 from the start.
            investment = self.date(dt.date(2026, 7, 1), dt.date(2026, 11, 1))
        if lifecycle in ("trial", "production", "retired"):
            go_live: dt.date | None = min(
                investment + dt.timedelta(days=r.randint(90, 700)), self.days_before(1, 60)
            )
        elif lifecycle == "testing":
            go_live = self.days_before(-180, -10)
        else:
            go_live = None
        declared = None
        if r.random() < 0.92:
            declared = max(1, min(5, guess + r.choice((-1, 0, 0, 0, 0, 1))))
        level = declared or guess
        owner_body = agency_name

        data: dict[str, Any] = {
            "id": system_id,
            "name": name,
            "purpose": f"{title} phục vụ hoạt động của {agency_name}" if r.random() < 0.6 else None,
            "system_type": system_type,
            "lifecycle": lifecycle,
            "investment_start": investment if r.random() < 0.9 else None,
            "go_live": go_live,
        }
        if r.random() < 0.4:
            data["owner"] = agency_name
        if r.random() < 0.3:
            data["operator"] = self.rng.choice(_VENDORS)
        if lifecycle == "testing":
            data["real_data"] = r.random() < 0.5
        if r.random() < 0.05:
            data["regime"] = r.choice(("nd85", "nd331"))
        if level >= 4 and r.random() < 0.3:
            data["national_security_critical"] = True
        data["classification"] = attrs
        if r.random() < 0.12:
            component_type = r.choice(list(_TYPE_WEIGHTS))
            component_attrs, _ = self.classification(component_type)
            data["components"] = [
                {
                    "name": f"Phân hệ {r.choice(('báo cáo', 'thanh toán', 'tích hợp', 'di động'))}",
                    "system_type": component_type,
                    "classification": component_attrs,
                }
            ]
        data["declared_level"] = declared
        if lifecycle != "planning" or r.random() < 0.5:
            data["dossier"] = self.dossier(level, owner_body, title)
        if r.random() < 0.35:
            data["security_regulation"] = self.document(
                "QĐ",
                owner_body,
                f"Quy chế bảo đảm an toàn thông tin {title}",
                self.days_before(100, 2000),
            )
        plan_deployment = r.choice(("none", "partial", "full", "full"))
        data["security_plan"] = {
            "deployment": plan_deployment,
            "full_deployment_expected": self.days_before(-300, 30)
            if plan_deployment != "full"
            else None,
            "document": self.document(
                "PA",
                owner_body,
                f"Phương án bảo đảm an toàn thông tin cấp độ {level}",
                self.days_before(60, 1500),
            )
            if r.random() < 0.6
            else None,
        }
        if lifecycle in ("trial", "production", "retired", "testing") and r.random() < 0.7:
            data["pre_operation_assessment"] = self.assessment(title, 200, 2000)
            if r.random() < 0.6:
                data["acceptance_test"] = self.document(
                    "BBNT", owner_body, f"Biên bản nghiệm thu {title}", self.days_before(150, 1800)
                )
        if r.random() < 0.5:
            data["pentest"] = self.assessment(title, 10, 900)
        if r.random() < 0.3:
            data["last_major_change"] = self.days_before(5, 700)
        if data.get("national_security_critical") and r.random() < 0.6:
            data["certification"] = self.document(
                "GCN-BCA",
                "Bộ Công an",
                "Giấy chứng nhận đủ điều kiện an ninh mạng",
                self.days_before(30, 600),
            )
        if r.random() < 0.15:
            data["transition_conformity"] = self.document(
                "BC",
                owner_body,
                "Báo cáo đáp ứng điều kiện theo Luật 116/2025",
                self.days_before(-10, 120),
            )
        if r.random() < 0.2:
            data["hosting"] = {
                "kind": r.choice(("on_premise", "cloud", "rented_dc")),
                "provider": r.choice(_PROVIDERS),
                "separation": r.choice(("none", "logical", "physical")),
            }
        four_layer: dict[str, Any] = {}
        if r.random() < 0.5:
            four_layer["layer1"] = {
                "unit": f"Tổ vận hành {title}",
                "staff": r.randint(1, 5),
                "contact": self.person(),
            }
        if r.random() < 0.25:
            four_layer["layer2"] = {
                "provider": r.choice(_VENDORS),
                "licence": "Giấy phép kinh doanh dịch vụ an ninh mạng",
                "contract_end": self.days_before(-700, 120),
                "monitoring_24x7": r.random() < 0.8,
            }
        if r.random() < 0.8:
            assessed = self.days_before(10, 1200)
            vendor = r.choice(_VENDORS)
            four_layer["layer3"] = {
                "assessor": vendor,
                "licence": "Giấy phép kinh doanh dịch vụ kiểm tra, đánh giá ATTT"
                if r.random() < 0.5
                else None,
                "last_assessment": assessed,
                "result": r.choice(_RESULTS),
                "report": self.document("BC-DG", vendor, f"Báo cáo đánh giá {title}", assessed)
                if r.random() < 0.4
                else None,
            }
        if r.random() < 0.15:
            four_layer["layer4"] = {
                "connected": r.random() < 0.6,
                "centre": r.choice(_CENTRES),
                "last_shared": self.days_before(0, 90),
            }
        data["four_layer"] = four_layer
        if r.random() < 0.7:
            endpoints = r.randint(2, 120)
            protected = max(0, endpoints - r.choice((0, 0, 0, 1, 3, endpoints // 2)))
            data["malware"] = {
                "endpoints": endpoints,
                "protected": protected,
                "connected": max(0, protected - r.choice((0, 0, 1, 2))),
                "national_centre_connected": r.random() < 0.7,
            }
        if r.random() < 0.4:
            data["incident_response"] = {
                "plan": self.document(
                    "KH", owner_body, f"Kế hoạch ứng phó sự cố {title}", self.days_before(30, 900)
                ),
                "last_drill": self.days_before(10, 800) if r.random() < 0.8 else None,
                "team": f"Tổ ứng cứu sự cố — {agency_name}",
            }
        slug = f"{short}-{index:05d}.{agency_id}"
        hosts = self.hosts(slug, agency_index, index, system_type == "industrial_control")
        data["hosts"] = hosts
        if system_type in ("citizen_facing", "infrastructure", "other") or r.random() < 0.3:
            base = f"https://{short}-{index:05d}.{agency_id}.example"
            data["endpoints"] = [
                {"url": f"{base}/", "ipv6_claimed": r.random() < 0.4, "purpose": "Trang chính"},
            ]
            if r.random() < 0.4:
                data["endpoints"].append({"url": f"{base}:8443/api/v1", "purpose": "API tích hợp"})
            data["certificates"] = [{"endpoint": f"{base}/", "purpose": "TLS"}]
            if r.random() < 0.3:
                data["certificates"].append(
                    {"file": f"certs/{short}-{index:05d}.pem", "purpose": "Ký số"}
                )
        if r.random() < 0.35:
            data["attestations"] = [
                self.attestation(rule, owner_body)
                for rule in r.sample(_ATTESTED_RULES, r.randint(1, 3))
            ]
        if r.random() < 0.12:
            subject = hosts[0]["name"] if r.random() < 0.5 else None
            data["waivers"] = [self.waiver(owner_body, subject)]
        return data


def allocate(systems: int, weights: list[int]) -> list[int]:
    """Split `systems` over agencies in proportion to `weights` (largest remainder)."""
    total = sum(weights)
    exact = [systems * w / total for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: systems - sum(counts)]:
        counts[i] += 1
    return counts


def generate(systems: int, agencies: int, out: Path, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Write the inventory into `out` (its old *.yaml files are removed); return a manifest."""
    if systems < 0 or agencies < 1:
        raise ValueError("need systems >= 0 and agencies >= 1")
    gen = Generator(seed)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    province = "Ví Dụ"
    org_id = "tinh-vi-du"
    header = (
        "# Synthetic benchmark inventory generated by bench/generate.py; fictional.\n"
        "# Names use .example/.test; addresses are documentation ranges only.\n"
    )
    files = 1
    lines = 0
    text = dump(gen.organisation(province, org_id), header)
    (out / f"00-{org_id}.yaml").write_text(text, encoding="utf-8")
    lines += text.count("\n")
    identities = gen.agency_identities(agencies)
    counts = allocate(systems, [3 if dept else 1 for _, _, dept in identities])
    system_index = 0
    for agency_index, ((name, agency_id, dept), count) in enumerate(
        zip(identities, counts, strict=True), start=1
    ):
        items = []
        for _ in range(count):
            system_index += 1
            items.append(gen.system(system_index, agency_index, agency_id, name))
        text = dump(gen.agency(name, agency_id, dept, items), header)
        (out / f"{agency_index:03d}-{agency_id}.yaml").write_text(text, encoding="utf-8")
        files += 1
        lines += text.count("\n")
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "systems": systems,
        "agencies": agencies,
        "seed": seed,
        "files": files,
        "lines": lines,
        "bytes": sum(p.stat().st_size for p in out.glob("*.yaml")),
    }
    # A dot-file: the inventory loader skips it.
    (out / ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", type=int, required=True, help="number of systems")
    parser.add_argument("--agencies", type=int, default=100, help="number of agencies (100)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    manifest = generate(args.systems, args.agencies, args.out, args.seed)
    per_system = manifest["lines"] / max(1, manifest["systems"])
    print(
        f"wrote {manifest['files']} files, {manifest['systems']} systems, "
        f"{manifest['lines']:,} lines ({per_system:.0f} per system), "
        f"{manifest['bytes'] / 2**20:.1f} MiB to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
