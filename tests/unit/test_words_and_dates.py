"""Codes as words and dates as each language writes them (auditor/code_words.py,
auditor/messages.py), and the overdue texts that give the due date and the delay."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import pytest
from pydantic import TypeAdapter

from auditor.checks.builtins import BUILTINS
from auditor.checks.builtins.common import by_deadline
from auditor.checks.context import EvalContext
from auditor.checks.kinds import CheckSpec
from auditor.checks.values import show
from auditor.code_words import TABLES, article, criterion, word, word_in, words
from auditor.messages import day, day_in, days
from auditor.model import inventory, results
from auditor.model.results import Status

AS_OF = dt.date(2026, 11, 24)
SPEC: TypeAdapter[Any] = TypeAdapter(CheckSpec)


def _ctx(values: dict[str, Any], as_of: dt.date = AS_OF) -> EvalContext:
    return EvalContext(as_of=as_of, level=3, rule_id="T-1", values=values, origins={},
                       builtins=BUILTINS)


# --------------------------------------------------------------------------------------------
# The table of words
# --------------------------------------------------------------------------------------------

ENUMS: list[type[StrEnum]] = [
    inventory.Authority, inventory.DossierStatus, inventory.DossierComponent,
    inventory.Deployment, inventory.AssessmentResult, inventory.Regime, inventory.SolutionKind,
    inventory.Zone, inventory.Lifecycle, inventory.SystemType, inventory.SystemDomain,
    inventory.Separation, inventory.InfoType, inventory.PreGoLiveAssessment,
    inventory.DesignRole, inventory.EndpointKind,
    results.Status, results.Severity, results.AttestationStatus,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_code_of_these_enums_has_words_in_both_languages(enum: type[StrEnum]) -> None:
    table = TABLES[enum.__name__]
    assert set(table) == {member.value for member in enum}
    for member in enum:
        text = table[member.value]
        assert text.vi and text.en
        assert text.vi != member.value, member  # a word, not the code again
        assert "_" not in text.vi and "_" not in text.en


def test_chain_verification_reasons_have_words_an_untrusted_root_is_not_self_signed() -> None:
    from auditor.probes.tls import VerifyReason

    table = TABLES["VerifyReason"]
    assert set(table) == {reason.value for reason in VerifyReason} | {"ok"}
    assert word_in(VerifyReason.UNKNOWN_ISSUER, "vi") == (
        "tổ chức cấp không được tin cậy (CA không xác định)")
    assert word_in(VerifyReason.UNKNOWN_ISSUER, "en") == "issuer not trusted (unknown CA)"
    assert word_in(VerifyReason.SELF_SIGNED, "en") == "self-signed certificate"
    for text in table.values():
        assert "_" not in text.vi and "_" not in text.en


def test_file_trust_reasons_have_words_each_distinct() -> None:
    from auditor.probes.certtrust import TrustReason

    table = TABLES["TrustReason"]
    assert set(table) == {reason.value for reason in TrustReason}
    assert len({text.en for text in table.values()}) == len(table)  # one reason, one text
    assert len({text.vi for text in table.values()}) == len(table)
    # The reasons a file shares with a TLS chain read the same.
    for code in ("self_signed", "unknown_issuer", "expired", "not_yet_valid", "other", "ok"):
        assert table[code] == TABLES["VerifyReason"][code]
    assert word_in(TrustReason.INCOMPLETE_CHAIN, "en").startswith("incomplete chain")
    assert word_in(TrustReason.WRONG_PURPOSE, "vi").startswith(
        "chứng thư không dùng cho mục đích ký")
    for code, text in table.items():
        if code != "no_ca_bundle":  # names the field to declare, tls_policy.ca_bundle
            assert "_" not in text.vi and "_" not in text.en


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        (inventory.Authority.OWNER, "chủ quản hệ thống thông tin", "the system owner"),
        (inventory.Authority.SPECIALISED_UNIT, "đơn vị chuyên trách ATTT/ANM của chủ quản",
         "the owner's specialised security unit"),
        (inventory.Authority.INDEPENDENT_COUNCIL, "đơn vị khác hoặc hội đồng thẩm định độc lập",
         "another competent unit or an independent council"),
        (inventory.DossierComponent.EXPERT_OPINION, "ý kiến chuyên môn của đơn vị chuyên trách",
         "expert opinion"),
        (inventory.DossierStatus.SUBMITTED, "đã gửi thẩm định", "submitted for appraisal"),
        (inventory.Deployment.PARTIAL, "đã triển khai một số hạng mục", "partly deployed"),
        (inventory.Deployment.FULL, "đã triển khai đầy đủ", "fully deployed"),
        (inventory.Regime.ND85, "NĐ 85/2016", "Decree 85/2016"),
        (inventory.Regime.ND331, "NĐ 331/2026", "Decree 331/2026"),
        (results.Status.FAIL, "không đạt", "fail"),
        (results.Severity.CRITICAL, "nghiêm trọng", "critical"),
        (True, "có", "yes"),
        (False, "không", "no"),
    ],
)
def test_codes_in_words(code: Any, vi: str, en: str) -> None:
    assert word_in(code, "vi") == vi
    assert word_in(code, "en") == en


def test_a_code_means_what_its_enumeration_says() -> None:
    # `none` is "not deployed" for a deployment, "not separated" for a separation
    assert word_in(inventory.Deployment.NONE, "vi") == "chưa triển khai"
    assert word_in(inventory.Separation.NONE, "en") == "not separated"
    # a plain string takes the first table that knows it; an unknown one stays as it is
    found = word("submitted")
    assert found is not None and found.vi == "đã gửi thẩm định"
    assert word("vnpt") is None and words("vnpt").vi == "vnpt"
    # ... except `none`, which means something else in every table: alone it is plain "no"
    # (CERT-05's allowed hash `none` is not "chưa triển khai")
    plain = word("none")
    assert plain is not None and (plain.vi, plain.en) == ("không", "none")
    assert word_in("none", "vi", "Deployment") == "chưa triển khai"


def test_criteria_ids_as_places_in_the_decree() -> None:
    assert criterion("nd85.9.2.c").vi == "NĐ 85 Đ9.2.c"
    assert criterion("nd85.9.2.c").en == "Decree 85 Art. 9.2.c"
    assert criterion("nd331.13.2.b").vi == "NĐ 331 Đ13.2.b"
    assert article("nd331.13.2.b").en == "Art. 13.2.b"
    assert criterion("nd331.default").vi == "nd331.default"  # not a place: unchanged


# --------------------------------------------------------------------------------------------
# Values and dates in messages
# --------------------------------------------------------------------------------------------


def test_dates_dd_mm_yyyy_in_vietnamese_iso_in_english() -> None:
    assert day(dt.date(2025, 6, 15)).vi == "15/06/2025"
    assert day(dt.date(2025, 6, 15)).en == "2025-06-15"
    assert day_in(dt.date(2026, 1, 2), "vi") == "02/01/2026"


def test_days_count_in_both_languages() -> None:
    assert (days(1).vi, days(1).en) == ("1 ngày", "1 day")
    assert (days(525).vi, days(525).en) == ("525 ngày", "525 days")
    assert (days(1024).vi, days(1024).en) == ("1.024 ngày", "1,024 days")


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (inventory.DossierStatus.SUBMITTED, "“đã gửi thẩm định”", "“submitted for appraisal”"),
        ("approved", "“đã được phê duyệt”", "“approved”"),
        (True, "“có”", "“yes”"),
        (dt.date(2025, 6, 15), "15/06/2025", "2025-06-15"),
        (frozenset({inventory.Zone.DMZ, inventory.Zone.EDGE}),
         "[“vùng DMZ”, “vùng mạng biên”]", "[“DMZ”, “edge zone”]"),
        ("https://x.example/", "'https://x.example/'", "'https://x.example/'"),
        (3, "3", "3"),
    ],
)
def test_show_values_in_each_language(value: Any, vi: str, en: str) -> None:
    assert show(value) == vi
    assert show(value, True) == en


def test_an_equals_message_has_no_code_in_either_language() -> None:
    check = SPEC.validate_python({"kind": "equals", "fact": "dossier.status",
                                  "value": "approved"})
    outcome = check.evaluate(_ctx({"dossier": {"status": inventory.DossierStatus.SUBMITTED}}))
    assert outcome.status is Status.FAIL
    assert outcome.message.vi == (
        "'dossier.status' = “đã gửi thẩm định”, yêu cầu “đã được phê duyệt”"
    )
    assert outcome.message.en == (
        "'dossier.status' is “submitted for appraisal”, required “approved”"
    )


# --------------------------------------------------------------------------------------------
# Overdue: the due date and the delay
# --------------------------------------------------------------------------------------------


def _within(last: dt.date) -> Any:
    check = SPEC.validate_python({"kind": "within_days", "fact": "d", "days": 365})
    return check.evaluate(_ctx({"d": last}))


def test_within_days_due_today_is_not_overdue() -> None:
    outcome = _within(AS_OF - dt.timedelta(days=365))  # falls due on the audit date itself
    assert outcome.status is Status.PASS
    assert outcome.message.vi == "'d' = 24/11/2025, đã 365 ngày (tối đa 365 ngày)"
    assert outcome.message.en == "'d' is 2025-11-24, 365 days ago (limit 365 days)"
    assert "quá hạn" not in outcome.message.vi and "overdue" not in outcome.message.en


def test_within_days_one_day_late_says_since_when_and_one_day() -> None:
    outcome = _within(AS_OF - dt.timedelta(days=366))
    assert outcome.status is Status.FAIL
    assert outcome.message.vi == (
        "'d' = 23/11/2025, quá hạn từ 23/11/2026, 1 ngày (tối đa 365 ngày)"
    )
    assert outcome.message.en == (
        "'d' is 2025-11-23; overdue since 2026-11-23, 1 day (limit 365 days)"
    )


def test_within_days_long_overdue() -> None:
    outcome = _within(dt.date(2024, 6, 15))  # due 15/06/2025, 527 days before the audit date
    assert outcome.status is Status.FAIL
    assert "quá hạn từ 15/06/2025, 527 ngày" in outcome.message.vi
    assert "overdue since 2025-06-15, 527 days" in outcome.message.en


def test_deadline_due_today_is_manual_one_day_late_fails() -> None:
    deadline = dt.date(2027, 1, 1)
    on_time = by_deadline(_ctx({}, deadline), deadline, (), "việc", "the work",
                          "chưa xong", "not done")
    assert on_time.status is Status.MANUAL
    assert on_time.message.vi == "Hạn 01/01/2027, còn 0 ngày, chưa xong: việc"
    assert on_time.message.en == "Due 2027-01-01, 0 days left, not done: the work"
    late = by_deadline(_ctx({}, deadline + dt.timedelta(days=1)), deadline, (), "việc",
                       "the work", "chưa xong", "not done")
    assert late.status is Status.FAIL
    assert late.message.vi == "Quá hạn từ 01/01/2027, 1 ngày, chưa xong: việc"
    assert late.message.en == "Overdue since 2027-01-01, 1 day, not done: the work"


def test_an_expired_date_states_the_date_and_the_delay() -> None:
    check = SPEC.validate_python({"kind": "not_expired", "fact": "end"})
    outcome = check.evaluate(_ctx({"end": AS_OF - dt.timedelta(days=1)}))
    assert outcome.status is Status.FAIL
    assert outcome.message.vi == "'end' = 23/11/2026, đã hết hạn 1 ngày"
    assert outcome.message.en == "'end' is 2026-11-23, expired 1 day ago"


def test_html_evidence_values_in_words() -> None:
    from auditor.report.views import format_value

    assert format_value("submitted", "vi") == "đã gửi thẩm định"
    assert format_value("specialised_unit", "en") == "the owner's specialised security unit"
    assert format_value(["nd85.9.2.c", "nd331.13.2.b"], "vi") == "NĐ 85 Đ9.2.c, NĐ 331 Đ13.2.b"
    assert format_value("2027-12-31", "vi") == "31/12/2027"
    assert format_value("Trung tâm Dữ liệu tỉnh", "vi") == "Trung tâm Dữ liệu tỉnh"
