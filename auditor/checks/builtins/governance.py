"""Builtin checks of the owner's people and money: operators certified (GOV-30), the security
plan appraised when the state budget pays (GOV-31), an independent assessor (layer 3 of the
four-layer model), and the cybersecurity share of each project's budget (GOV-27)."""

from __future__ import annotations

import datetime as dt

from auditor.checks.builtins.common import by_deadline, evidence_of, pass_or_fail, value_of
from auditor.checks.context import EvalContext, Outcome
from auditor.messages import day_in
from auditor.model.base import as_date
from auditor.model.results import Status, Text2
from auditor.regime import LAW_116_IN_FORCE

BUDGET_SHARE = 0.15  # Law 116 Art. 38.1

# Decree 333/2026 Art. 24.8.b: owners train and certify their people within 36 months of the
# decree taking effect (19/08/2026).
OPERATOR_CERTIFICATE_DEADLINE = dt.date(2029, 8, 19)


def operators_certified(ctx: EvalContext) -> Outcome:
    """GOV-30 (Law 116 Art. 34.2): everyone who directly administers or operates a level 3-5
    system holds the certificate. A shortfall before 19/08/2029 is work in progress on the
    decree's roadmap (`manual`, with the days left), a failure after it; undeclared figures
    are a question, never a pass."""
    evidence = evidence_of(ctx, "operators.administrators", "operators.certified")
    people = value_of(ctx, "operators.administrators")
    certified = value_of(ctx, "operators.certified")
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
    return by_deadline(
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
    evidence = evidence_of(
        ctx, "state_budget", "investment_start", "go_live", "last_major_change",
        "security_plan.appraisal",
    )
    funded = value_of(ctx, "state_budget")
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
        if (day := as_date(value_of(ctx, key))) is not None
    }
    since = sorted(key for key, day in dates.items() if day >= LAW_116_IN_FORCE)
    if not since:
        if "investment_start" in dates or "go_live" in dates:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(
                    vi="Hệ thống được thiết lập trước 01/07/2026 và chưa mở rộng, nâng cấp từ đó; "
                    "phương án phải được thẩm định khi mở rộng, nâng cấp",
                    en="Set up before 2026-07-01 and not extended or upgraded since; the plan "
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
    appraisal = value_of(ctx, "security_plan.appraisal")
    when_vi = ", ".join(f"{key} {day_in(dates[key], 'vi')}" for key in since)
    when_en = ", ".join(f"{key} {day_in(dates[key], 'en')}" for key in since)
    if appraisal is None:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Thiết lập/mở rộng/nâng cấp từ 01/07/2026 ({when_vi}) nhưng phương án bảo "
                "đảm an ninh mạng chưa được cơ quan nhà nước có thẩm quyền thẩm định",
                en=f"Set up, extended or upgraded since 2026-07-01 ({when_en}) but the security "
                "plan has not been appraised by a competent state body",
            ),
            evidence,
        )
    return Outcome(
        Status.PASS,
        Text2(
            vi=f"Phương án đã được thẩm định: {appraisal['number']} "
            f"({day_in(appraisal['date'], 'vi')})",
            en=f"The plan was appraised: {appraisal['number']} "
            f"({day_in(appraisal['date'], 'en')})",
        ),
        evidence,
    )


def assessor_independent(ctx: EvalContext) -> Outcome:
    """Layer 3: the assessor is independent of the operator and of the layer-2 provider."""
    evidence = evidence_of(
        ctx, "four_layer.layer3.assessor", "operator", "four_layer.layer2.provider"
    )
    assessor = (value_of(ctx, "four_layer.layer3.assessor") or "").casefold()
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
        if (value_of(ctx, name) or "").casefold() == assessor
    ]
    return pass_or_fail(
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
    projects = value_of(ctx, "budget.projects") or ()
    evidence = evidence_of(ctx, "budget.projects")
    judged = [p for p in projects if p.get("approved") is None or p["approved"] >= LAW_116_IN_FORCE]
    if not judged:
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(
                vi="Không có dự án CĐS/CNTT phê duyệt từ 01/07/2026",
                en="No DX/IT project approved since 2026-07-01",
            ),
            evidence,
        )
    short = [p for p in judged if p["cybersecurity_vnd"] < BUDGET_SHARE * p["total_vnd"]]
    detail = "; ".join(f"{p['name']}: {p['cybersecurity_vnd'] / p['total_vnd']:.1%}" for p in short)
    return pass_or_fail(
        not short,
        vi=f"{len(judged) - len(short)}/{len(judged)} dự án đạt ≥15% kinh phí cho ANM"
        + (f" — chưa đạt: {detail}" if short else ""),
        en=f"{len(judged) - len(short)}/{len(judged)} projects spend ≥15% on cybersecurity"
        + (f" — short: {detail}" if short else ""),
        evidence=evidence,
    )
