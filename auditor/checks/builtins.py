"""Checks too specific for the generic kinds, written in Python and named by rules.

The registry is a read-only mapping built from literals: adding a builtin means adding a
function and one entry. Each function is pure: it reads the EvalContext and returns an Outcome.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Mapping
from typing import Any

from auditor.checks.context import EvalContext, Outcome
from auditor.levels import (
    appraiser_domains,
    competent_appraisers,
    competent_appraisers_for,
    competent_approvers,
)
from auditor.levels.authority import names
from auditor.model.base import as_date
from auditor.model.inventory import (
    Authority,
    DossierComponent,
    DossierStatus,
    Regime,
    SystemDomain,
)
from auditor.model.results import Evidence, Severity, Status, Text2

# Law 116/2025 takes effect; Decree 331/2026 takes effect (its approval rules apply from then).
LAW_116_IN_FORCE = dt.date(2026, 7, 1)
DECREE_331_IN_FORCE = dt.date(2026, 8, 19)
# Decree 331 Art. 39.1: systems under investment before 01/07/2026 finish level approval under
# Decree 85 within 6 months. Law 116 Art. 45.1: classified systems meet the new conditions
# within 12 months.
ND85_APPROVAL_DEADLINE = dt.date(2027, 1, 1)
ND331_CONFORMITY_DEADLINE = dt.date(2027, 7, 1)
BUDGET_SHARE = 0.15  # Law 116 Art. 38.1

_REQUIRED_COMPONENTS = (
    DossierComponent.OVERVIEW,
    DossierComponent.DESIGN,
    DossierComponent.LEVEL_JUSTIFICATION,
    DossierComponent.SECURITY_PLAN,
)


def _get(ctx: EvalContext, key: str) -> Any:
    fact = ctx.fact(key)
    return None if fact is None else fact.value


def _ev(ctx: EvalContext, *keys: str) -> tuple[Evidence, ...]:
    return tuple(ctx.evidence(key, ctx.fact(key)) for key in keys)


def _outcome(ok: bool, vi: str, en: str, evidence: tuple[Evidence, ...]) -> Outcome:
    return Outcome(Status.PASS if ok else Status.FAIL, Text2(vi=vi, en=en), evidence)


def level_not_below_computed(ctx: EvalContext) -> Outcome:
    """GOV-02: the declared level is not below the level the governing regime's criteria give.

    Passes only when the level is proven: the declared facts place the system at most at the
    declared level *and* no undeclared fact could still take it higher. A proven level above
    the declared one fails; a possible one is `manual`, naming the facts to declare.
    """
    regime = _get(ctx, "regime")
    computed = _get(ctx, f"level.computed.{regime}")
    upper = _get(ctx, f"level.upper.{regime}") or computed
    declared = _get(ctx, "level.declared")
    evidence = _ev(
        ctx,
        "level.declared",
        f"level.computed.{regime}",
        f"level.upper.{regime}",
        f"level.criteria.{regime}",
        f"level.deciding_facts.{regime}",
    )
    other = Regime.ND331 if regime == Regime.ND85 else Regime.ND85
    other_level = _get(ctx, f"level.computed.{other}")
    criteria = ", ".join(_get(ctx, f"level.criteria.{regime}") or [])
    facts = ", ".join(_get(ctx, f"level.deciding_facts.{regime}") or [])
    range_vi = f" (có thể tới cấp độ {upper} tùy: {facts})" if upper > computed else ""
    range_en = f" (possibly up to level {upper} depending on: {facts})" if upper > computed else ""
    if declared is None:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Chưa xác định cấp độ; theo tiêu chí ({criteria}) hệ thống phải ở cấp độ "
                f"tối thiểu {computed}{range_vi}",
                en=f"No level declared; the criteria ({criteria}) require at least level "
                f"{computed}{range_en}",
            ),
            evidence,
        )
    note_vi = f" (theo chế độ {other}: cấp độ {other_level})" if other_level != computed else ""
    note_en = f" (under {other}: level {other_level})" if other_level != computed else ""
    if declared < computed or declared >= upper:
        return _outcome(
            declared >= computed,
            vi=f"Cấp độ đề xuất {declared}, cấp độ tối thiểu theo tiêu chí {computed} "
            f"[{criteria}]{note_vi}",
            en=f"Declared level {declared}, minimum by the criteria {computed} "
            f"[{criteria}]{note_en}",
            evidence=evidence,
        )
    above = [
        f"{c['id']} ({c['level']}): {', '.join(c['unknown'])}"
        for c in _get(ctx, f"level.undecided.{regime}") or ()
        if c["level"] > declared
    ]
    detail = "; ".join(above)
    return Outcome(
        Status.MANUAL,
        Text2(
            vi=f"Cấp độ đề xuất {declared}; các thông tin đã khai báo chứng minh cấp độ "
            f"{computed} [{criteria}], nhưng hệ thống có thể ở cấp độ tới {upper}. Cần khai "
            f"báo: {facts} ({detail})",
            en=f"Declared level {declared}; the declared facts prove level {computed} "
            f"[{criteria}], but the system could be up to level {upper}. Declare: {facts} "
            f"({detail})",
        ),
        evidence,
    )


def dossier_complete(ctx: EvalContext) -> Outcome:
    """GOV-03: the level dossier exists and has every component the level requires."""
    present = set(_get(ctx, "dossier.components") or ())
    evidence = _ev(ctx, "dossier.components", "level.effective")
    if _get(ctx, "dossier") is None:
        return Outcome(
            Status.FAIL, Text2(vi="Chưa có hồ sơ đề xuất cấp độ", en="No level dossier"), evidence
        )
    required = list(_REQUIRED_COMPONENTS)
    if ctx.level >= 4:
        required.append(DossierComponent.EXPERT_OPINION)
    missing = [c.value for c in required if c not in present]
    return _outcome(
        not missing,
        vi="Hồ sơ đủ thành phần" if not missing else f"Hồ sơ thiếu: {', '.join(missing)}",
        en="The dossier is complete" if not missing else f"The dossier lacks: {', '.join(missing)}",
        evidence=evidence,
    )


def _approval_regime(ctx: EvalContext) -> Regime:
    """The regime whose authorities rule on this dossier.

    A decision dated before Decree 331 took effect was made under Decree 85. Without a
    decision yet, the system's governing regime applies: a system in the Decree 85
    transition is still appraised and approved under Decree 85 (Decree 331 Art. 39.1).
    """
    decision_date = _get(ctx, "dossier.decision.date")
    if decision_date is not None:
        return Regime.ND85 if decision_date < DECREE_331_IN_FORCE else Regime.ND331
    return Regime(_get(ctx, "regime") or Regime.ND331)


def _level_note(ctx: EvalContext) -> tuple[int, str, str]:
    """The level competence is judged at — the effective level, the higher of the declared and
    the computed one — and, when it is above the declared level, a note that says why."""
    level = ctx.level
    declared = _get(ctx, "level.declared")
    if declared is not None and declared < level:
        return (
            level,
            f" (hệ thống phải ở cấp độ {level} theo tiêu chí, dù đề xuất cấp độ {declared})",
            f" (the criteria require level {level}, though level {declared} was proposed)",
        )
    return level, "", ""


def approver_competent(ctx: EvalContext) -> Outcome:
    """GOV-04: the dossier is approved by a body competent for the level the system must have."""
    evidence = _ev(ctx, "dossier.status", "dossier.decision", "level.declared", "level.effective")
    status = _get(ctx, "dossier.status")
    if status != DossierStatus.APPROVED:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Hồ sơ cấp độ chưa được phê duyệt (trạng thái: {status or 'không có'})",
                en=f"The level dossier is not approved (status: {status or 'none'})",
            ),
            evidence,
        )
    body = _get(ctx, "dossier.decision.body_kind")
    level, note_vi, note_en = _level_note(ctx)
    regime = _approval_regime(ctx)
    allowed = competent_approvers(level, regime)
    if body is None:
        return Outcome(
            Status.MANUAL,
            Text2(
                vi="Quyết định phê duyệt không ghi loại cơ quan phê duyệt (body_kind); thẩm "
                f"quyền với cấp độ {level}{note_vi}: {names(allowed, 'vi')}",
                en="The approval decision does not say which kind of body approved it "
                f"(body_kind); competent for level {level}{note_en}: {names(allowed, 'en')}",
            ),
            evidence,
        )
    return _outcome(
        Authority(body) in allowed,
        vi=f"Phê duyệt bởi {body}; thẩm quyền với cấp độ {level}{note_vi} ({regime}): "
        f"{names(allowed, 'vi')}",
        en=f"Approved by {body}; competent for level {level}{note_en} ({regime}): "
        f"{names(allowed, 'en')}",
        evidence=evidence,
    )


def appraisal_independent(ctx: EvalContext) -> Outcome:
    """GOV-05: appraisal by a body competent for the level the system must have — at levels
    4-5 the ministry its domain names — and independent when the security unit operates it."""
    evidence = _ev(
        ctx, "dossier.appraised_by", "operator", "agency.security_unit.name", "level.effective",
        "domain",
    )
    appraiser = _get(ctx, "dossier.appraised_by")
    if appraiser is None:
        return Outcome(
            Status.FAIL,
            Text2(
                vi="Không có thông tin đơn vị thẩm định hồ sơ",
                en="No appraising body recorded for the dossier",
            ),
            evidence,
        )
    level, note_vi, note_en = _level_note(ctx)
    regime = _approval_regime(ctx)
    body = Authority(appraiser)
    domain = _get(ctx, "domain")
    if level >= 4 and domain is None:
        # Whose system it is decides the appraiser; unknown is not "civil".
        possible = appraiser_domains(regime, body)
        all_domains = frozenset(SystemDomain)
        if possible and possible != all_domains:
            return Outcome(
                Status.MANUAL,
                Text2(
                    vi=f"Thẩm định bởi {names(frozenset({body}), 'vi')}, cơ quan này chỉ thẩm "
                    f"định hồ sơ cấp độ {level}{note_vi} của hệ thống thuộc lĩnh vực "
                    f"{', '.join(sorted(d.value for d in possible))}; cần khai báo 'domain'",
                    en=f"Appraised by {names(frozenset({body}), 'en')}, which appraises level "
                    f"{level}{note_en} dossiers only of systems in: "
                    f"{', '.join(sorted(d.value for d in possible))}; declare 'domain'",
                ),
                evidence,
            )
        competent = competent_appraisers(level, regime)
    elif level >= 4:
        competent = competent_appraisers_for(level, regime, SystemDomain(domain))
    else:
        competent = competent_appraisers(level, regime)
    allowed = set(competent)
    operator = (_get(ctx, "operator") or "").casefold()
    unit = (_get(ctx, "agency.security_unit.name") or "").casefold()
    conflict = bool(operator) and operator == unit
    if conflict:
        allowed.discard(Authority.SPECIALISED_UNIT)
    shown = frozenset(allowed)
    vi_note = " (đơn vị chuyên trách đồng thời vận hành hệ thống)" if conflict else ""
    en_note = " (the security unit also operates the system)" if conflict else ""
    return _outcome(
        body in allowed,
        vi=f"Thẩm định bởi {appraiser}; hợp lệ với cấp độ {level}{note_vi}: "
        f"{names(shown, 'vi')}{vi_note}",
        en=f"Appraised by {appraiser}; acceptable for level {level}{note_en}: "
        f"{names(shown, 'en')}{en_note}",
        evidence=evidence,
    )


def transition_deadlines(ctx: EvalContext) -> Outcome:
    """GOV-28: the 2027 transition deadlines of Law 116 Art. 45.1 and Decree 331 Art. 39.1.

    A deadline still ahead is no evidence that the work is done: until the inventory records
    it (the level approved; `transition_conformity`, dated on or before the audit date) the
    rule is `manual`, with the days left; after the deadline it fails.
    """
    status = _get(ctx, "dossier.status")
    decision_date = _get(ctx, "dossier.decision.date")
    investment = _get(ctx, "investment_start")
    conformity = _get(ctx, "transition_conformity")
    evidence = _ev(
        ctx, "dossier.status", "dossier.decision.date", "investment_start", "transition_conformity"
    )
    approved_legacy = (
        status == DossierStatus.APPROVED
        and decision_date is not None
        and decision_date < LAW_116_IN_FORCE
    )
    building_legacy = (
        not approved_legacy and investment is not None and investment < LAW_116_IN_FORCE
    )
    if building_legacy and status != DossierStatus.APPROVED:
        return _deadline(
            ctx,
            ND85_APPROVAL_DEADLINE,
            evidence,
            vi="phê duyệt cấp độ theo Nghị định 85/2016 (Nghị định 331/2026 Điều 39.1)",
            en="level approval under Decree 85/2016 (Decree 331/2026 Art. 39.1)",
            missing_vi="chưa phê duyệt",
            missing_en="not approved yet",
        )
    if approved_legacy or building_legacy:
        dated = conformity.get("date") if isinstance(conformity, Mapping) else None
        if conformity is not None and (dated is None or dated <= ctx.as_of):
            return Outcome(
                Status.PASS,
                Text2(
                    vi="Đã có bằng chứng đáp ứng điều kiện theo Luật An ninh mạng 2025",
                    en="Evidence of meeting the Law 116/2025 conditions is recorded",
                ),
                evidence,
            )
        later = dated is not None  # dated after the audit date: it did not exist yet
        return _deadline(
            ctx,
            ND331_CONFORMITY_DEADLINE,
            evidence,
            vi="đáp ứng điều kiện, biện pháp theo Luật 116/2025 (Điều 45.1)",
            en="meeting the Law 116/2025 conditions and measures (Art. 45.1)",
            missing_vi=f"bằng chứng đề ngày {dated:%d/%m/%Y}, sau ngày đánh giá"
            if later
            else "chưa có bằng chứng",
            missing_en=f"the evidence is dated {dated:%d/%m/%Y}, after the audit date"
            if later
            else "no evidence yet",
        )
    return Outcome(
        Status.NOT_APPLICABLE,
        Text2(vi="Hệ thống không thuộc diện chuyển tiếp", en="The system is not in transition"),
        evidence,
    )


def _deadline(
    ctx: EvalContext,
    deadline: dt.date,
    evidence: tuple[Evidence, ...],
    vi: str,
    en: str,
    missing_vi: str,
    missing_en: str,
) -> Outcome:
    """Work not shown done: `manual` up to and on the deadline day, `fail` (high) after it."""
    left = (deadline - ctx.as_of).days
    due = f"{deadline:%d/%m/%Y}"
    if left < 0:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Quá hạn {-left} ngày (hạn {due}), {missing_vi}: {vi}",
                en=f"{-left} days overdue (due {due}), {missing_en}: {en}",
            ),
            evidence,
            Severity.HIGH,
        )
    return Outcome(
        Status.MANUAL,
        Text2(
            vi=f"Hạn {due}, còn {left} ngày, {missing_vi}: {vi}",
            en=f"Due {due}, {left} days left, {missing_en}: {en}",
        ),
        evidence,
    )


# Decree 333/2026 Art. 24.8.b: owners train and certify their people within 36 months of the
# decree taking effect (19/08/2026).
OPERATOR_CERTIFICATE_DEADLINE = dt.date(2029, 8, 19)


def operators_certified(ctx: EvalContext) -> Outcome:
    """GOV-30 (Law 116 Art. 34.2): everyone who directly administers or operates a level 3-5
    system holds the certificate. A shortfall before 19/08/2029 is work in progress on the
    decree's roadmap (`manual`, with the days left), a failure after it; undeclared figures
    are a question, never a pass."""
    evidence = _ev(ctx, "operators.administrators", "operators.certified")
    people, certified = _get(ctx, "operators.administrators"), _get(ctx, "operators.certified")
    if people is None or certified is None:
        return Outcome(
            Status.MANUAL,
            Text2(
                vi="Chưa khai báo số người trực tiếp quản trị, vận hành (operators.administrators) "
                "hoặc số đã có chứng nhận (operators.certified)",
                en="'operators.certified' or 'operators.administrators' is not declared",
            ),
            evidence,
        )
    if people == 0:
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(vi="Không có người trực tiếp quản trị, vận hành",
                  en="Nobody directly administers or operates the system"),
            evidence,
        )
    if certified >= people:
        return Outcome(
            Status.PASS,
            Text2(vi=f"{certified}/{people} người đã có chứng nhận",
                  en=f"{certified}/{people} people hold the certificate"),
            evidence,
        )
    return _deadline(
        ctx,
        OPERATOR_CERTIFICATE_DEADLINE,
        evidence,
        vi=f"{certified}/{people} người đã có chứng nhận (Nghị định 333/2026 điểm b khoản 8 "
        "Điều 24)",
        en=f"{certified}/{people} people hold the certificate (Decree 333/2026 Art. 24.8.b)",
        missing_vi="chưa đủ",
        missing_en="not all yet",
    )


def budget_plan_appraised(ctx: EvalContext) -> Outcome:
    """GOV-31 (Law 116 Art. 40.2.a): an owner using the state budget has the security plan
    appraised by a competent state body when it sets up, extends or upgrades the system.

    The duty is triggered by a set-up, extension or upgrade on or after 01/07/2026; a system set
    up before and unchanged since meets it at its next change. Unknown is not no: undeclared
    funding or dates leave the rule `manual`, naming what to declare.
    """
    evidence = _ev(
        ctx, "state_budget", "investment_start", "go_live", "last_major_change",
        "security_plan.appraisal",
    )
    funded = _get(ctx, "state_budget")
    if funded is None:
        return Outcome(
            Status.MANUAL,
            Text2(
                vi="Chưa khai báo hệ thống có sử dụng ngân sách nhà nước hay không (state_budget)",
                en="Whether the system uses the state budget is not declared (state_budget)",
            ),
            evidence,
        )
    if not funded:
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(
                vi="Hệ thống không sử dụng ngân sách nhà nước",
                en="The system does not use the state budget",
            ),
            evidence,
        )
    dates = {
        key: day
        for key in ("investment_start", "go_live", "last_major_change")
        if (day := as_date(_get(ctx, key))) is not None
    }
    since = sorted(key for key, day in dates.items() if day >= LAW_116_IN_FORCE)
    if not since:
        if "investment_start" in dates or "go_live" in dates:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(
                    vi="Hệ thống được thiết lập trước 01/07/2026 và chưa mở rộng, nâng cấp từ đó; "
                    "phương án phải được thẩm định khi mở rộng, nâng cấp",
                    en="Set up before 01/07/2026 and not extended or upgraded since; the plan "
                    "must be appraised at the next extension or upgrade",
                ),
                evidence,
            )
        return Outcome(
            Status.MANUAL,
            Text2(
                vi="Không rõ hệ thống được thiết lập, mở rộng hay nâng cấp khi nào; cần khai báo "
                "investment_start hoặc go_live và last_major_change",
                en="When the system was set up, extended or upgraded is not declared; declare "
                "investment_start or go_live, and last_major_change",
            ),
            evidence,
        )
    appraisal = _get(ctx, "security_plan.appraisal")
    when = ", ".join(f"{key} {dates[key]:%d/%m/%Y}" for key in since)
    if appraisal is None:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Thiết lập/mở rộng/nâng cấp từ 01/07/2026 ({when}) nhưng phương án bảo đảm an "
                "ninh mạng chưa được cơ quan nhà nước có thẩm quyền thẩm định",
                en=f"Set up, extended or upgraded since 01/07/2026 ({when}) but the security plan "
                "has not been appraised by a competent state body",
            ),
            evidence,
        )
    return Outcome(
        Status.PASS,
        Text2(
            vi=f"Phương án đã được thẩm định: {appraisal['number']} ({appraisal['date']:%d/%m/%Y})",
            en=f"The plan was appraised: {appraisal['number']} ({appraisal['date'].isoformat()})",
        ),
        evidence,
    )


def assessor_independent(ctx: EvalContext) -> Outcome:
    """Layer 3: the assessor is independent of the operator and of the layer-2 provider."""
    evidence = _ev(ctx, "four_layer.layer3.assessor", "operator", "four_layer.layer2.provider")
    assessor = (_get(ctx, "four_layer.layer3.assessor") or "").casefold()
    if not assessor:
        return Outcome(
            Status.FAIL,
            Text2(
                vi="Chưa có tổ chức kiểm tra, đánh giá độc lập (lớp 3)",
                en="No independent assessor (layer 3)",
            ),
            evidence,
        )
    clashes = [
        name
        for name in ("operator", "four_layer.layer2.provider")
        if (_get(ctx, name) or "").casefold() == assessor
    ]
    return _outcome(
        not clashes,
        vi="Tổ chức đánh giá độc lập với đơn vị vận hành và đơn vị giám sát"
        if not clashes
        else f"Tổ chức đánh giá trùng với: {', '.join(clashes)}",
        en="The assessor is independent of the operator and the monitoring provider"
        if not clashes
        else f"The assessor is the same as: {', '.join(clashes)}",
        evidence=evidence,
    )


def budget_share(ctx: EvalContext) -> Outcome:
    """GOV-27: each DX/IT project approved under Law 116 spends >= 15 % on cybersecurity."""
    projects = _get(ctx, "budget.projects") or ()
    evidence = _ev(ctx, "budget.projects")
    judged = [p for p in projects if p.get("approved") is None or p["approved"] >= LAW_116_IN_FORCE]
    if not judged:
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(
                vi="Không có dự án CĐS/CNTT phê duyệt từ 01/07/2026",
                en="No DX/IT project approved since 01/07/2026",
            ),
            evidence,
        )
    short = [p for p in judged if p["cybersecurity_vnd"] < BUDGET_SHARE * p["total_vnd"]]
    detail = "; ".join(f"{p['name']}: {p['cybersecurity_vnd'] / p['total_vnd']:.1%}" for p in short)
    return _outcome(
        not short,
        vi=f"{len(judged) - len(short)}/{len(judged)} dự án đạt ≥15% kinh phí cho ANM"
        + (f" — chưa đạt: {detail}" if short else ""),
        en=f"{len(judged) - len(short)}/{len(judged)} projects spend ≥15% on cybersecurity"
        + (f" — short: {detail}" if short else ""),
        evidence=evidence,
    )


# Oldest release line still supported upstream at the end of 2026, by the product name nmap
# reports (-sV). A best-effort table [U]: distributions backport fixes into older versions,
# which is why NET-05 is advisory. Keys are lower-case product names.
SUPPORTED_SINCE: Mapping[str, tuple[int, ...]] = types.MappingProxyType(
    {
        "openssh": (9, 0),
        "apache httpd": (2, 4, 58),
        "nginx": (1, 26),
        "microsoft iis httpd": (10, 0),
        "apache tomcat": (9, 0),
        "vsftpd": (3, 0, 5),
        "proftpd": (1, 3, 8),
        "postfix smtpd": (3, 6),
        "exim smtpd": (4, 97),
        "openssl": (3, 0),
        "php": (8, 2),
        "mysql": (8, 0),
        "postgresql db": (13, 0),
        "redis key-value store": (7, 0),
        "isc bind": (9, 18),
        "lighttpd": (1, 4, 70),
    }
)


def _version_tuple(text: str) -> tuple[int, ...]:
    """'7.4p1 Debian' -> (7, 4); leading numeric dotted part only."""
    numbers: list[int] = []
    for part in text.strip().split(".")[:4]:
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) < len(part):
            break
    return tuple(numbers)


def service_version_supported(ctx: EvalContext) -> Outcome:
    """NET-05: the version nmap identified is not older than the oldest supported release."""
    product = str(_get(ctx, "product") or "")
    version = str(_get(ctx, "version") or "")
    evidence = _ev(ctx, "product", "version")
    minimum = SUPPORTED_SINCE.get(product.lower())
    seen = _version_tuple(version)
    if minimum is None or not seen:
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(
                vi=f"Không có dữ liệu phiên bản hỗ trợ cho '{product} {version}'",
                en=f"No support data for '{product} {version}'",
            ),
            evidence,
        )
    wanted = ".".join(str(n) for n in minimum)
    return _outcome(
        seen >= minimum,
        vi=f"{product} {version}: phiên bản còn hỗ trợ từ {wanted}",
        en=f"{product} {version}: supported releases start at {wanted}",
        evidence=evidence,
    )


BUILTINS: Mapping[str, Callable[[EvalContext], Outcome]] = types.MappingProxyType(
    {
        "level_not_below_computed": level_not_below_computed,
        "dossier_complete": dossier_complete,
        "approver_competent": approver_competent,
        "appraisal_independent": appraisal_independent,
        "transition_deadlines": transition_deadlines,
        "assessor_independent": assessor_independent,
        "budget_share": budget_share,
        "budget_plan_appraised": budget_plan_appraised,
        "operators_certified": operators_certified,
        "service_version_supported": service_version_supported,
    }
)
