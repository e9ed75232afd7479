"""The annual report's indicators: what each measures, from which rules, with which target.

A system-based indicator is the share of the systems it applies to whose last audit of the
period *passed* every one of its rules; the numbers are computed from recorded findings,
never typed in. Per system an indicator is:

- met: every finding of its rules passed (not-applicable ones aside);
- not met: one failed, or was waived (a waiver accepts a gap, it does not close it);
- unverified: none failed but one needs evidence (manual) or could not be checked (error),
  e.g. IPv6 and certificates when the period's audits ran without `--live`;
- not applicable: no finding of its rules applied to the system.

"unverified" systems stay in the denominator: a target is not reached by not looking.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from auditor.checks.kinds import WithinDays
from auditor.checks.values import by_level
from auditor.model.results import Status, Text2
from auditor.rules import Catalog


class KpiStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNVERIFIED = "unverified"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class KpiDef:
    id: str  # also the key of its target in the targets file
    title: Text2
    rules: tuple[str, ...]  # all must pass (system-based indicators)
    kind: str = "share"  # "share" of systems | "staff" share of people | "count" of certificates
    # Cited where no rule carries the basis (staff figures); a rule-based indicator cites its
    # rules' own references, so the report and the checklists never disagree.
    basis: Text2 | None = None
    # Decree 85's words (an toàn thông tin, ATTT) for a period before Decree 331 applied;
    # None: the title says it in both.
    title_nd85: Text2 | None = None

    def title_in(self, lang: str, nd331: bool = True) -> str:
        title = self.title if nd331 or self.title_nd85 is None else self.title_nd85
        return title.en if lang == "en" else title.vi


KPIS: tuple[KpiDef, ...] = (
    KpiDef(
        "classified_approved",
        Text2(
            "Hệ thống được xác định cấp độ, hồ sơ đề xuất cấp độ được phê duyệt",
            "Systems classified with an approved level dossier",
        ),
        ("GOV-02", "GOV-04"),
    ),
    KpiDef(
        "plan_deployed",
        Text2(
            "Hệ thống triển khai đầy đủ phương án bảo đảm an ninh mạng theo cấp độ",
            "Systems with their protection plan fully deployed by level",
        ),
        ("GOV-08",),
        title_nd85=Text2(
            "Hệ thống triển khai đầy đủ phương án bảo đảm ATTT theo cấp độ",
            "Systems with their protection plan fully deployed by level",
        ),
    ),
    KpiDef(
        "four_layer",
        Text2(
            "Hệ thống được bảo vệ theo mô hình 4 lớp", "Systems protected under the 4-layer model"
        ),
        ("FL-01", "FL-02", "FL-03", "FL-04"),
    ),
    KpiDef(
        "malware_national",
        Text2(
            "Phòng chống mã độc tập trung, kết nối Trung tâm quốc gia",
            "Central malware protection connected to the national centre",
        ),
        ("MAL-01", "MAL-02", "MAL-03"),
    ),
    KpiDef(
        "staff_trained",
        Text2(
            "Cán bộ chuyên trách/phụ trách an ninh mạng được đào tạo, bồi dưỡng",
            "Specialised security staff trained",
        ),
        (),
        kind="staff",
        title_nd85=Text2(
            "Cán bộ chuyên trách/phụ trách ATTT được đào tạo, bồi dưỡng",
            "Specialised security staff trained",
        ),
        basis=Text2(
            "Nghị định 85/2016/NĐ-CP điểm d khoản 2 Điều 20; Nghị định 331/2026/NĐ-CP khoản 3 "
            "Điều 31 (đào tạo, bồi dưỡng)",
            "Decree 85/2016 Art. 20.2.d; Decree 331/2026 Art. 31.3 (training)",
        ),
    ),
    KpiDef(
        "ipv6_portals",
        Text2(
            "Cổng/Trang thông tin điện tử, dịch vụ công trực tuyến truy cập được qua IPv6",
            "Portals and online public services reachable over IPv6",
        ),
        ("IP6-02",),
    ),
    KpiDef(
        "golive_secure",
        Text2(
            "Hệ thống được kết luận bảo đảm an toàn trước khi đưa vào vận hành",
            "Systems concluded secure before going live",
        ),
        ("GL-01", "GL-02", "GL-02P"),
    ),
    KpiDef(
        "expired_certificates",
        Text2("Chứng thư số đã hết hạn", "Expired certificates"),
        ("CERT-01",),
        kind="count",
    ),
)

KPI_BY_ID = {k.id: k for k in KPIS}

# The four layers, each on its own (the four_layer indicator needs all of them).
LAYERS: tuple[KpiDef, ...] = tuple(
    KpiDef(
        f"layer{n}",
        Text2(vi, en),
        (f"FL-0{n}",),
    )
    for n, vi, en in (
        (1, "Lớp 1 – Lực lượng tại chỗ", "Layer 1 – on-site force"),
        (2, "Lớp 2 – Giám sát, bảo vệ chuyên nghiệp", "Layer 2 – professional monitoring"),
        (3, "Lớp 3 – Kiểm tra, đánh giá độc lập", "Layer 3 – independent inspection"),
        (4, "Lớp 4 – Kết nối hệ thống giám sát quốc gia", "Layer 4 – national monitoring link"),
    )
)

IPV6: tuple[KpiDef, ...] = (
    KPI_BY_ID["ipv6_portals"],
    KpiDef(
        "ipv6_dns",
        Text2("Máy chủ tên miền hỗ trợ IPv6", "Name servers support IPv6"),
        ("IP6-03",),
    ),
    KpiDef(
        "ipv6_other",
        Text2(
            "Trang, ứng dụng khác truy cập được qua IPv6", "Other sites and applications on IPv6"
        ),
        ("IP6-04",),
    ),
)

ASSESSMENTS: tuple[KpiDef, ...] = (
    KpiDef(
        "assessed_on_time",
        Text2("Kiểm tra, đánh giá định kỳ đúng hạn", "Periodic assessment done on time"),
        ("GOV-12", "GOV-13"),
    ),
    KpiDef(
        "assessed_independently",
        Text2(
            "Đánh giá bởi tổ chức được cấp phép/chỉ định, độc lập",
            "Assessed by a licensed or designated, independent body",
        ),
        ("GOV-14", "GOV-14A"),
    ),
    KpiDef(
        "vulnerability_scans",
        Text2("Rà quét lỗ hổng định kỳ theo cấp độ", "Periodic vulnerability scanning by level"),
        ("ASM-02",),
    ),
)

# Decree 331 Art. 36.7: systems that follow the procedures of their security regulation
# (Quy chế bảo đảm an ninh mạng) in operation — the operations-management requirements of the
# regulation's content (TCVN 11930 / TCVN 14423 "quản lý vận hành").
REGULATION = KpiDef(
    "regulation_followed",
    Text2(
        "Hệ thống tuân thủ quy định, quy trình trong Quy chế bảo đảm an ninh mạng khi vận hành",
        "Systems following the procedures of their security regulation in operation",
    ),
    tuple(f"MGT-OPS-0{n}" for n in range(1, 10)),
)

# The rules that set how often a system is inspected, by regime and level: Decree 85
# Art. 20.2.c through GOV-12 (levels 3-4, yearly) and GOV-13 (level 5, 6-monthly); Decree
# 331 states no number (Art. 28.5.a: "by level and risk"), so its cycle is the advisory
# ASM-02 (TCVN 14423:2026, a secondary source).
PERIODIC_RULES = ("GOV-12", "GOV-13", "ASM-02")
PERIODIC_FACT = "four_layer.layer3.last_assessment"

# (regime, level) -> (days, rule id): the longest an inspection may be old at the cut-off.
Cycles = dict[tuple[str, int], tuple[int, str]]

CERTIFICATE_RULES = {
    "expired": ("CERT-01",),
    "expiring": ("CERT-02", "CERT-03", "CERT-06"),
    "untrusted": ("TLS-03", "TLS-03H", "CERT-08"),
    "weak": ("CERT-04", "CERT-05"),
}


def system_status(statuses: list[Status]) -> KpiStatus:
    """An indicator's status for one system from the statuses of its rules' findings."""
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not applicable:
        return KpiStatus.NOT_APPLICABLE
    if any(s in (Status.FAIL, Status.WAIVED) for s in applicable):
        return KpiStatus.NOT_MET
    if any(s in (Status.MANUAL, Status.ERROR) for s in applicable):
        return KpiStatus.UNVERIFIED
    return KpiStatus.MET


def periodic_cycles(catalog: Catalog) -> Cycles:
    """The inspection cycle each (regime, level) must keep, read from the catalog's rules (the
    `within_days` check of PERIODIC_RULES on the last assessment); the shortest wins."""
    cycles: Cycles = {}
    for rule_id in PERIODIC_RULES:
        rule = catalog.get(rule_id)
        if rule is None:
            continue
        check = rule.check
        if not isinstance(check, WithinDays) or check.fact != PERIODIC_FACT:
            continue
        days = check.days
        for regime in rule.regimes:
            for level in range(rule.levels.min_level, rule.levels.max_level + 1):
                limit = by_level(days, level)
                if limit is None:
                    continue
                key = (str(regime), level)
                if key not in cycles or limit < cycles[key][0]:
                    cycles[key] = (limit, rule_id)
    return cycles


def citations(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Rule id → its references as the report cites them ("document clause"), for the rules
    the indicators read."""
    wanted = {
        r
        for group in (KPIS, LAYERS, IPV6, ASSESSMENTS, (REGULATION,))
        for k in group
        for r in k.rules
    }
    out: dict[str, tuple[str, ...]] = {}
    for rule_id in sorted(wanted):
        rule = catalog.get(rule_id)
        if rule is not None:
            out[rule_id] = tuple(f"{ref.document} {ref.clause}" for ref in rule.references)
    return out
