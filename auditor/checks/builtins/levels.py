"""Builtin checks of the level dossier (GOV-02 to GOV-05, GOV-28): the declared level against
the criteria, the dossier's components, who may appraise and approve it under the regime that
rules on it, and the 2027 transition deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from auditor.checks.builtins.common import by_deadline, evidence_of, pass_or_fail, value_of
from auditor.checks.context import EvalContext, Outcome
from auditor.code_words import criteria as criteria_words
from auditor.code_words import criterion, word_in
from auditor.levels import (
    appraiser_domains,
    competent_appraisers,
    competent_appraisers_for,
    competent_approvers,
)
from auditor.levels.authority import names
from auditor.messages import day_in
from auditor.model.inventory import (
    Authority,
    DossierComponent,
    DossierStatus,
    Regime,
    SystemDomain,
)
from auditor.model.results import Status, Text2
from auditor.regime import LAW_116_IN_FORCE

# Decree 331/2026 takes effect (its approval rules apply from then).
DECREE_331_IN_FORCE = dt.date(2026, 8, 19)
# Decree 331 Art. 39.1: systems under investment before 01/07/2026 finish level approval under
# Decree 85 within 6 months. Law 116 Art. 45.1: classified systems meet the new conditions
# within 12 months.
ND85_APPROVAL_DEADLINE = dt.date(2027, 1, 1)
ND331_CONFORMITY_DEADLINE = dt.date(2027, 7, 1)

_REQUIRED_COMPONENTS = (
    DossierComponent.OVERVIEW,
    DossierComponent.DESIGN,
    DossierComponent.LEVEL_JUSTIFICATION,
    DossierComponent.SECURITY_PLAN,
)


def level_not_below_computed(ctx: EvalContext) -> Outcome:
    """GOV-02: the declared level is not below the level the governing regime's criteria give.

    Passes only when the level is proven: the declared facts place the system at most at the
    declared level *and* no undeclared fact could still take it higher. A proven level above
    the declared one fails; a possible one is `manual`, naming the facts to declare.
    """
    regime = value_of(ctx, "regime")
    computed = value_of(ctx, f"level.computed.{regime}")
    upper = value_of(ctx, f"level.upper.{regime}") or computed
    declared = value_of(ctx, "level.declared")
    evidence = evidence_of(
        ctx,
        "level.declared",
        f"level.computed.{regime}",
        f"level.upper.{regime}",
        f"level.criteria.{regime}",
        f"level.deciding_facts.{regime}",
    )
    other = Regime.ND331 if regime == Regime.ND85 else Regime.ND85
    other_level = value_of(ctx, f"level.computed.{other}")
    ids = list(value_of(ctx, f"level.criteria.{regime}") or [])
    criteria_vi, criteria_en = criteria_words(ids, "vi"), criteria_words(ids, "en")
    facts = ", ".join(value_of(ctx, f"level.deciding_facts.{regime}") or [])
    range_vi = f" (có thể tới cấp độ {upper} tùy: {facts})" if upper > computed else ""
    range_en = f" (possibly up to level {upper} depending on: {facts})" if upper > computed else ""
    if declared is None:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Chưa xác định cấp độ; theo tiêu chí ({criteria_vi}) hệ thống phải ở cấp độ "
                f"tối thiểu {computed}{range_vi}",
                en=f"No level declared; the criteria ({criteria_en}) require at least level "
                f"{computed}{range_en}",
            ),
            evidence,
        )
    differs = other_level != computed
    note_vi = f" (theo {word_in(other, 'vi')}: cấp độ {other_level})" if differs else ""
    note_en = f" (under {word_in(other, 'en')}: level {other_level})" if differs else ""
    if declared < computed or declared >= upper:
        return pass_or_fail(
            declared >= computed,
            vi=f"Cấp độ đề xuất {declared}, cấp độ tối thiểu theo tiêu chí {computed} "
            f"[{criteria_vi}]{note_vi}",
            en=f"Declared level {declared}, minimum by the criteria {computed} "
            f"[{criteria_en}]{note_en}",
            evidence=evidence,
        )
    above = [c for c in value_of(ctx, f"level.undecided.{regime}") or () if c["level"] > declared]
    detail_vi, detail_en = (
        "; ".join(
            f"{criterion(c['id']).get(lang)} ({c['level']}): {', '.join(c['unknown'])}"
            for c in above
        )
        for lang in ("vi", "en")
    )
    return Outcome(
        Status.MANUAL,
        Text2(
            vi=f"Cấp độ đề xuất {declared}; các thông tin đã khai báo chứng minh cấp độ "
            f"{computed} [{criteria_vi}], nhưng hệ thống có thể ở cấp độ tới {upper}. Cần khai "
            f"báo: {facts} ({detail_vi})",
            en=f"Declared level {declared}; the declared facts prove level {computed} "
            f"[{criteria_en}], but the system could be up to level {upper}. Declare: {facts} "
            f"({detail_en})",
        ),
        evidence,
    )


def dossier_complete(ctx: EvalContext) -> Outcome:
    """GOV-03: the level dossier exists and has every component the level requires."""
    present = set(value_of(ctx, "dossier.components") or ())
    evidence = evidence_of(ctx, "dossier.components", "level.effective")
    if value_of(ctx, "dossier") is None:
        return Outcome(
            Status.FAIL, Text2(vi="Chưa có hồ sơ đề xuất cấp độ", en="No level dossier"), evidence
        )
    required = list(_REQUIRED_COMPONENTS)
    if ctx.level >= 4:
        required.append(DossierComponent.EXPERT_OPINION)
    missing = [c for c in required if c not in present]
    lacks_vi = ", ".join(word_in(c, "vi") for c in missing)
    lacks_en = ", ".join(word_in(c, "en") for c in missing)
    return pass_or_fail(
        not missing,
        vi="Hồ sơ đủ thành phần" if not missing else f"Hồ sơ thiếu: {lacks_vi}",
        en="The dossier is complete" if not missing else f"The dossier lacks: {lacks_en}",
        evidence=evidence,
    )


def _approval_regime(ctx: EvalContext) -> Regime:
    """The regime whose authorities rule on this dossier.

    A decision dated before Decree 331 took effect was made under Decree 85. Without a
    decision yet, the system's governing regime applies: a system in the Decree 85
    transition is still appraised and approved under Decree 85 (Decree 331 Art. 39.1).
    """
    decision_date = value_of(ctx, "dossier.decision.date")
    if decision_date is not None:
        return Regime.ND85 if decision_date < DECREE_331_IN_FORCE else Regime.ND331
    return Regime(value_of(ctx, "regime") or Regime.ND331)


def _level_note(ctx: EvalContext) -> tuple[int, str, str]:
    """The level competence is judged at — the effective level, the higher of the declared and
    the computed one — and, when it is above the declared level, a note that says why."""
    level = ctx.level
    declared = value_of(ctx, "level.declared")
    if declared is not None and declared < level:
        return (
            level,
            f" (hệ thống phải ở cấp độ {level} theo tiêu chí, dù đề xuất cấp độ {declared})",
            f" (the criteria require level {level}, though level {declared} was proposed)",
        )
    return level, "", ""


def approver_competent(ctx: EvalContext) -> Outcome:
    """GOV-04: the dossier is approved by a body competent for the level the system must have."""
    evidence = evidence_of(
        ctx, "dossier.status", "dossier.decision", "level.declared", "level.effective"
    )
    status = value_of(ctx, "dossier.status")
    if status != DossierStatus.APPROVED:
        return Outcome(
            Status.FAIL,
            Text2(
                vi="Hồ sơ cấp độ chưa được phê duyệt (trạng thái: "
                f"{word_in(status, 'vi', 'DossierStatus') if status else 'không có'})",
                en="The level dossier is not approved (status: "
                f"{word_in(status, 'en', 'DossierStatus') if status else 'none'})",
            ),
            evidence,
        )
    body = value_of(ctx, "dossier.decision.body_kind")
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
    return pass_or_fail(
        Authority(body) in allowed,
        vi=f"Phê duyệt bởi {word_in(body, 'vi', 'Authority')}; thẩm quyền với cấp độ {level}"
        f"{note_vi} ({word_in(regime, 'vi')}): {names(allowed, 'vi')}",
        en=f"Approved by {word_in(body, 'en', 'Authority')}; competent for level {level}"
        f"{note_en} ({word_in(regime, 'en')}): {names(allowed, 'en')}",
        evidence=evidence,
    )


def appraisal_independent(ctx: EvalContext) -> Outcome:
    """GOV-05: appraisal by a body competent for the level the system must have — at levels
    4-5 the ministry its domain names — and independent when the security unit operates it."""
    evidence = evidence_of(
        ctx, "dossier.appraised_by", "operator", "agency.security_unit.name", "level.effective",
        "domain",
    )
    appraiser = value_of(ctx, "dossier.appraised_by")
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
    domain = value_of(ctx, "domain")
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
                    f"{', '.join(sorted(word_in(d, 'vi') for d in possible))}; "
                    "cần khai báo 'domain'",
                    en=f"Appraised by {names(frozenset({body}), 'en')}, which appraises level "
                    f"{level}{note_en} dossiers only of systems in: "
                    f"{', '.join(sorted(word_in(d, 'en') for d in possible))}; declare 'domain'",
                ),
                evidence,
            )
        competent = competent_appraisers(level, regime)
    elif level >= 4:
        competent = competent_appraisers_for(level, regime, SystemDomain(domain))
    else:
        competent = competent_appraisers(level, regime)
    allowed = set(competent)
    operator = (value_of(ctx, "operator") or "").casefold()
    unit = (value_of(ctx, "agency.security_unit.name") or "").casefold()
    conflict = bool(operator) and operator == unit
    if conflict:
        allowed.discard(Authority.SPECIALISED_UNIT)
    shown = frozenset(allowed)
    vi_note = " (đơn vị chuyên trách đồng thời vận hành hệ thống)" if conflict else ""
    en_note = " (the security unit also operates the system)" if conflict else ""
    return pass_or_fail(
        body in allowed,
        vi=f"Thẩm định bởi {word_in(appraiser, 'vi', 'Authority')}; hợp lệ với cấp độ {level}"
        f"{note_vi}: "
        f"{names(shown, 'vi')}{vi_note}",
        en=f"Appraised by {word_in(appraiser, 'en', 'Authority')}; acceptable for level {level}"
        f"{note_en}: "
        f"{names(shown, 'en')}{en_note}",
        evidence=evidence,
    )


def transition_deadlines(ctx: EvalContext) -> Outcome:
    """GOV-28: the 2027 transition deadlines of Law 116 Art. 45.1 and Decree 331 Art. 39.1.

    A deadline still ahead is no evidence that the work is done: until the inventory records
    it (the level approved; `transition_conformity`, dated on or before the audit date) the
    rule is `manual`, with the days left; after the deadline it fails.
    """
    status = value_of(ctx, "dossier.status")
    decision_date = value_of(ctx, "dossier.decision.date")
    investment = value_of(ctx, "investment_start")
    conformity = value_of(ctx, "transition_conformity")
    evidence = evidence_of(
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
        return by_deadline(
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
        # dated after the audit date: it did not exist yet
        return by_deadline(
            ctx,
            ND331_CONFORMITY_DEADLINE,
            evidence,
            vi="đáp ứng điều kiện, biện pháp theo Luật 116/2025 (Điều 45.1)",
            en="meeting the Law 116/2025 conditions and measures (Art. 45.1)",
            missing_vi=f"bằng chứng đề ngày {day_in(dated, 'vi')}, sau ngày đánh giá"
            if dated is not None
            else "chưa có bằng chứng",
            missing_en=f"the evidence is dated {day_in(dated, 'en')}, after the audit date"
            if dated is not None
            else "no evidence yet",
        )
    return Outcome(
        Status.NOT_APPLICABLE,
        Text2(vi="Hệ thống không thuộc diện chuyển tiếp", en="The system is not in transition"),
        evidence,
    )
