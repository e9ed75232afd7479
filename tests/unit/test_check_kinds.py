"""The closed set of check kinds (auditor.checks.kinds), evaluated against plain contexts.

Every spec is written as a checklist would write it (a plain dict) and validated through
pydantic, exactly as the loader does; contexts are built from plain dicts.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from auditor.checks.builtins import BUILTINS
from auditor.checks.context import EvalContext, Item, Outcome
from auditor.checks.kinds import CHECK_KINDS, CheckSpec, by_level
from auditor.model.inventory import Attestation, DossierStatus, Lifecycle
from auditor.model.results import (
    NOT_DECLARED,
    Evidence,
    Fact,
    Origin,
    Severity,
    Status,
    Text2,
)

AS_OF = dt.date(2026, 11, 24)
ADAPTER: TypeAdapter[Any] = TypeAdapter(CheckSpec)


def spec(**fields: Any) -> Any:
    return ADAPTER.validate_python(fields)


def ctx(
    values: Mapping[str, Any] | None = None,
    *,
    level: int = 1,
    as_of: dt.date = AS_OF,
    rule_id: str = "GOV-16",
    observed: Mapping[str, Fact] | None = None,
    attestations: Sequence[Mapping[str, Any]] = (),
    collections: Mapping[str, Sequence[Item]] | None = None,
    origins: Mapping[str, Origin] | None = None,
) -> EvalContext:
    return EvalContext(
        as_of=as_of,
        level=level,
        rule_id=rule_id,
        values=values or {},
        origins=origins or {},
        observed=observed or {},
        attestations=attestations,
        collections=collections or {},
        builtins=BUILTINS,
    )


def run(check: Mapping[str, Any], values: Mapping[str, Any] | None = None, **kw: Any) -> Outcome:
    return spec(**check).evaluate(ctx(values, **kw))


def status(check: Mapping[str, Any], values: Mapping[str, Any] | None = None, **kw: Any) -> Status:
    return run(check, values, **kw).status


# Sub-checks with a known status, for the combinators.
S_PASS = {"kind": "present", "fact": "here"}
S_FAIL = {"kind": "present", "fact": "absent"}
S_ERROR = {"kind": "present", "fact": "absent", "if_missing": "error"}
S_MANUAL = {"kind": "present", "fact": "absent", "if_missing": "manual"}
S_NA = {"kind": "present", "fact": "absent", "if_missing": "not_applicable"}
BY_STATUS = {
    Status.PASS: S_PASS,
    Status.FAIL: S_FAIL,
    Status.ERROR: S_ERROR,
    Status.MANUAL: S_MANUAL,
    Status.NOT_APPLICABLE: S_NA,
}
HERE = {"here": True}


# --------------------------------------------------------------------------------------------
# The set of kinds and spec validation
# --------------------------------------------------------------------------------------------


def test_check_spec_accepts_exactly_check_kinds() -> None:
    union = typing.get_args(CheckSpec)[0]
    tags = set()
    for model in typing.get_args(union):
        (tag,) = typing.get_args(model.model_fields["kind"].annotation)
        tags.add(tag)
    assert tags == set(CHECK_KINDS)
    assert len(CHECK_KINDS) == len(set(CHECK_KINDS))  # no kind listed twice


def test_unknown_kind_rejected_and_error_lists_check_kinds() -> None:
    with pytest.raises(ValidationError) as info:
        spec(kind="python", fact="x")
    error = info.value.errors()[0]
    assert error["type"] == "union_tag_invalid"
    expected = {t.strip().strip("'") for t in error["ctx"]["expected_tags"].split(",")}
    assert expected == set(CHECK_KINDS)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "matches", "fact": "x", "pattern": "(["},
        {"kind": "within_days", "fact": "x", "days": {}},
        {"kind": "at_least", "fact": "x", "value": {}},
        {"kind": "at_most", "fact": "x", "value": {}},
        {"kind": "ratio_at_least", "numerator": "a", "denominator": "b", "ratio": {}},
        {"kind": "attested", "validity_days": {}},
        {"kind": "present", "fact": "x", "extra": 1},
        {"kind": "all", "checks": [{"kind": "present", "fact": "x", "unknown": True}]},
        {"kind": "within_days", "fact": "x", "days": {0: 30}},
        {"kind": "within_days", "fact": "x", "days": {6: 30}},
        {"kind": "present", "fact": "Bad.Key"},
        {"kind": "present", "fact": "x", "if_missing": "pass"},
        {"kind": "one_of", "fact": "x", "values": []},
        {"kind": "all", "checks": []},
        {"kind": "for_each", "over": "users", "check": {"kind": "present", "fact": "x"}},
        {"kind": "equals", "fact": "x"},
        {"kind": "before", "fact": "x"},
    ],
    ids=lambda d: str(d)[:60],
)
def test_invalid_specs_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ADAPTER.validate_python(bad)


def test_bad_regex_error_names_the_problem() -> None:
    with pytest.raises(ValidationError, match="invalid regular expression"):
        spec(kind="matches", fact="x", pattern="(unclosed")


def test_empty_level_map_error_message() -> None:
    with pytest.raises(ValidationError, match="at least one level"):
        spec(kind="within_days", fact="x", days={})


def test_specs_are_frozen() -> None:
    check = spec(kind="present", fact="x")
    with pytest.raises(ValidationError):
        check.fact = "y"


# --------------------------------------------------------------------------------------------
# by_level
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "expected"), [(1, 730), (2, 730), (3, 365), (5, 365)])
def test_by_level_greatest_entry_not_above_level(level: int, expected: int) -> None:
    assert by_level({1: 730, 3: 365}, level) == expected


def test_by_level_scalar_and_below_first_entry() -> None:
    assert by_level(90, 4) == 90
    assert by_level({3: 365}, 2) is None


# --------------------------------------------------------------------------------------------
# present
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "Quy chế 12/QĐ", 0, 3, ("a",), {"unit": "x"}])
def test_present_passes(value: Any) -> None:
    outcome = run({"kind": "present", "fact": "x"}, {"x": value})
    assert outcome.status is Status.PASS
    assert outcome.message.en == "'x' is declared"


@pytest.mark.parametrize("value", [False, "", (), []])
def test_present_fails_on_false_or_empty(value: Any) -> None:
    outcome = run({"kind": "present", "fact": "x"}, {"x": value})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "'x' is empty or false"


@pytest.mark.parametrize("value", [frozenset(), set(), {}], ids=["frozenset", "set", "dict"])
def test_present_fails_on_empty_set_or_mapping(value: Any) -> None:
    assert status({"kind": "present", "fact": "dossier.components"}, {"dossier": {
        "components": value}}) is Status.FAIL


def test_present_walks_dotted_keys() -> None:
    values = {"four_layer": {"layer1": {"unit": "Phòng CNTT"}}}
    assert status({"kind": "present", "fact": "four_layer.layer1.unit"}, values) is Status.PASS
    assert status({"kind": "present", "fact": "four_layer.layer2.provider"}, values) is Status.FAIL


# --------------------------------------------------------------------------------------------
# Missing facts, if_missing, observation errors
# --------------------------------------------------------------------------------------------


def test_missing_fact_fails_by_default_with_not_declared_evidence() -> None:
    outcome = run({"kind": "equals", "fact": "hosting.kind", "value": "cloud"}, {})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "'hosting.kind' is not declared in the inventory"
    assert outcome.evidence == (Evidence(fact="hosting.kind", value=None, origin=NOT_DECLARED),)


def test_none_value_counts_as_missing() -> None:
    assert status({"kind": "present", "fact": "x"}, {"x": None}) is Status.FAIL
    check = {"kind": "present", "fact": "x", "if_missing": "manual"}
    assert status(check, {"x": None}) is Status.MANUAL


@pytest.mark.parametrize(
    ("if_missing", "expected"),
    [
        ("fail", Status.FAIL),
        ("manual", Status.MANUAL),
        ("error", Status.ERROR),
        ("not_applicable", Status.NOT_APPLICABLE),
    ],
)
@pytest.mark.parametrize(
    "check",
    [
        {"kind": "present", "fact": "x"},
        {"kind": "equals", "fact": "x", "value": 1},
        {"kind": "one_of", "fact": "x", "values": [1]},
        {"kind": "at_least", "fact": "x", "value": 1},
        {"kind": "at_most", "fact": "x", "value": 1},
        {"kind": "matches", "fact": "x", "pattern": "a"},
        {"kind": "within_days", "fact": "x", "days": 1},
        {"kind": "not_expired", "fact": "x"},
        {"kind": "before", "fact": "x", "other": "y"},
        {"kind": "ratio_at_least", "numerator": "x", "denominator": "y"},
    ],
    ids=lambda d: d["kind"],
)
def test_if_missing_alternatives(check: dict[str, Any], if_missing: str, expected: Status) -> None:
    assert status({**check, "if_missing": if_missing}, {"y": 5}) is expected


def _observed_error(key: str, reason: str, value: Any = None) -> dict[str, Fact]:
    origin = Origin(source="observed", via="tls-probe")
    return {key: Fact(key=key, value=value, origin=origin, error=reason)}


@pytest.mark.parametrize(
    "check",
    [
        {"kind": "present", "fact": "tls.expiry"},
        {"kind": "equals", "fact": "tls.expiry", "value": "x"},
        {"kind": "not_expired", "fact": "tls.expiry"},
        {"kind": "within_days", "fact": "tls.expiry", "days": 30},
        {"kind": "at_least", "fact": "tls.expiry", "value": 1},
    ],
    ids=lambda d: d["kind"],
)
def test_observed_fact_with_error_gives_error_with_reason(check: dict[str, Any]) -> None:
    # The declared value must not be used when the observation of it failed.
    outcome = run(
        check,
        {"tls": {"expiry": dt.date(2027, 1, 1)}},
        observed=_observed_error("tls.expiry", "connection refused", dt.date(2027, 1, 1)),
    )
    assert outcome.status is Status.ERROR
    assert outcome.message.en == "Could not observe 'tls.expiry': connection refused"
    assert outcome.message.vi == "Không quan sát được 'tls.expiry': kết nối bị từ chối"
    assert str(outcome.evidence[0].origin) == "observed · tls-probe"


def test_observed_fact_overrides_declared_value() -> None:
    observed = {"x": Fact(key="x", value=False, origin=Origin(source="observed", via="probe"))}
    assert status({"kind": "present", "fact": "x"}, {"x": True}) is Status.PASS
    outcome = run({"kind": "present", "fact": "x"}, {"x": True}, observed=observed)
    assert outcome.status is Status.FAIL
    origin = Origin(source="observed", via="probe")
    assert outcome.evidence == (Evidence(fact="x", value=False, origin=origin),)


def test_ratio_observed_error_gives_error_with_reason() -> None:
    outcome = run(
        {"kind": "ratio_at_least", "numerator": "malware.protected",
         "denominator": "malware.endpoints", "ratio": 0.5},
        {"malware": {"endpoints": 10}},
        observed=_observed_error("malware.protected", "console unreachable", 9),
    )
    assert outcome.status is Status.ERROR
    assert "console unreachable" in outcome.message.en


def test_before_observed_error_on_other_gives_error() -> None:
    outcome = run(
        {"kind": "before", "fact": "a", "other": "b"},
        {"a": dt.date(2026, 1, 1)},
        observed=_observed_error("b", "probe timed out", dt.date(2027, 1, 1)),
    )
    assert outcome.status is Status.ERROR
    assert "probe timed out" in outcome.message.en


# --------------------------------------------------------------------------------------------
# equals, one_of
# --------------------------------------------------------------------------------------------


def test_equals_pass_and_fail() -> None:
    check = {"kind": "equals", "fact": "hosting.kind", "value": "provincial_dc"}
    assert status(check, {"hosting": {"kind": "provincial_dc"}}) is Status.PASS
    outcome = run(check, {"hosting": {"kind": "cloud"}})
    assert outcome.status is Status.FAIL
    # codes as words (auditor/code_words.py), in each language
    assert outcome.message.en == "'hosting.kind' is “cloud”, required “the provincial data centre”"
    assert outcome.message.vi == (
        "'hosting.kind' = “điện toán đám mây”, yêu cầu “trung tâm dữ liệu của tỉnh”"
    )


def test_equals_enum_fact_against_plain_string() -> None:
    check = {"kind": "equals", "fact": "lifecycle", "value": "production"}
    assert status(check, {"lifecycle": Lifecycle.PRODUCTION}) is Status.PASS
    assert status(check, {"lifecycle": Lifecycle.TRIAL}) is Status.FAIL


def test_equals_bool() -> None:
    check = {"kind": "equals", "fact": "four_layer.layer4.connected", "value": True}
    assert status(check, {"four_layer": {"layer4": {"connected": True}}}) is Status.PASS
    assert status(check, {"four_layer": {"layer4": {"connected": False}}}) is Status.FAIL


def test_equals_number_and_string_differ() -> None:
    assert status({"kind": "equals", "fact": "x", "value": "3"}, {"x": 3}) is Status.FAIL
    assert status({"kind": "equals", "fact": "x", "value": 3}, {"x": 3}) is Status.PASS


def test_booleans_do_not_stand_for_numbers() -> None:
    assert status({"kind": "equals", "fact": "x", "value": True}, {"x": 1}) is Status.FAIL
    assert status({"kind": "equals", "fact": "x", "value": 1}, {"x": True}) is Status.FAIL
    assert status({"kind": "equals", "fact": "x", "value": False}, {"x": 0}) is Status.FAIL
    assert status({"kind": "one_of", "fact": "x", "values": [0, 1]}, {"x": True}) is Status.FAIL
    assert status({"kind": "one_of", "fact": "x", "values": [True]}, {"x": 1}) is Status.FAIL
    assert status({"kind": "one_of", "fact": "x", "values": [True]}, {"x": True}) is Status.PASS


def test_one_of_pass_and_fail() -> None:
    check = {"kind": "one_of", "fact": "hosting.kind", "values": ["provincial_dc", "on_premise"]}
    assert status(check, {"hosting": {"kind": "on_premise"}}) is Status.PASS
    outcome = run(check, {"hosting": {"kind": "cloud"}})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "'hosting.kind' is “cloud”, accepted: “the provincial data centre”, “on premises”"
    )


# --------------------------------------------------------------------------------------------
# at_least, at_most
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(4, Status.PASS), (3, Status.PASS),
                                                 (2.5, Status.FAIL), (0, Status.FAIL)])
def test_at_least(value: float, expected: Status) -> None:
    assert status({"kind": "at_least", "fact": "staff", "value": 3}, {"staff": value}) is expected


@pytest.mark.parametrize(("value", "expected"), [(0, Status.PASS), (5, Status.PASS),
                                                 (6, Status.FAIL)])
def test_at_most(value: float, expected: Status) -> None:
    assert status({"kind": "at_most", "fact": "open", "value": 5}, {"open": value}) is expected


def test_at_least_message() -> None:
    outcome = run({"kind": "at_least", "fact": "staff", "value": 3}, {"staff": 2})
    assert outcome.message.en == "'staff' is 2, minimum 3"


@pytest.mark.parametrize("value", [True, "many", [1]])
@pytest.mark.parametrize("kind", ["at_least", "at_most"])
def test_compare_non_number_is_error(kind: str, value: Any) -> None:
    outcome = run({"kind": kind, "fact": "staff", "value": 1}, {"staff": value})
    assert outcome.status is Status.ERROR
    assert "is not a number" in outcome.message.en


@pytest.mark.parametrize(
    ("level", "expected"),
    [(1, Status.NOT_APPLICABLE), (2, Status.FAIL), (3, Status.FAIL), (4, Status.PASS)],
)
def test_at_least_per_level(level: int, expected: Status) -> None:
    check = {"kind": "at_least", "fact": "staff", "value": {2: 5, 4: 3}}
    assert status(check, {"staff": 4}, level=level) is expected


def test_at_least_below_first_level_message() -> None:
    outcome = run({"kind": "at_least", "fact": "staff", "value": {3: 2}}, {"staff": 0}, level=2)
    assert outcome.status is Status.NOT_APPLICABLE
    assert outcome.message.en == "No threshold for level 2"


# --------------------------------------------------------------------------------------------
# matches
# --------------------------------------------------------------------------------------------


def test_matches_pass_fail_and_non_text() -> None:
    check = {"kind": "matches", "fact": "doc", "pattern": r"^\d+/QĐ-UBND$"}
    assert status(check, {"doc": "45/QĐ-UBND"}) is Status.PASS
    assert status(check, {"doc": "45/QĐ-SYT"}) is Status.FAIL
    assert status(check, {"doc": 45}) is Status.FAIL


def test_matches_searches_anywhere() -> None:
    check = {"kind": "matches", "fact": "url", "pattern": "https://"}
    assert status(check, {"url": "see https://x.test"}) is Status.PASS


# --------------------------------------------------------------------------------------------
# within_days
# --------------------------------------------------------------------------------------------


def test_within_days_boundary() -> None:
    check = {"kind": "within_days", "fact": "last_drill", "days": 365}
    exactly = AS_OF - dt.timedelta(days=365)
    one_more = AS_OF - dt.timedelta(days=366)
    outcome = run(check, {"last_drill": exactly})
    assert outcome.status is Status.PASS
    assert outcome.message.en == "'last_drill' is 2025-11-24, 365 days ago (limit 365 days)"
    outcome = run(check, {"last_drill": one_more})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (  # overdue: since when (the day it fell due) and how long
        "'last_drill' is 2025-11-23; overdue since 2026-11-23, 1 day (limit 365 days)"
    )


def test_within_days_today_counts_a_day_later_is_not_evidence_yet() -> None:
    check = {"kind": "within_days", "fact": "d", "days": 30}
    assert status(check, {"d": AS_OF}) is Status.PASS
    outcome = run(check, {"d": AS_OF + dt.timedelta(days=1)})
    assert outcome.status is Status.FAIL  # the check's if_missing: as if not declared
    assert outcome.message.en == (
        "'d' dated 2026-11-25, after the audit date 2026-11-24: not evidence yet"
    )
    assert outcome.message.vi.startswith("'d' ngày 25/11/2026, sau ngày đánh giá 24/11/2026")
    lenient = {**check, "if_missing": "manual"}
    assert status(lenient, {"d": AS_OF + dt.timedelta(days=1)}) is Status.MANUAL


def test_within_days_accepts_iso_text_and_datetime() -> None:
    check = {"kind": "within_days", "fact": "d", "days": 30}
    assert status(check, {"d": "2026-11-01"}) is Status.PASS
    assert status(check, {"d": "2026-10-01"}) is Status.FAIL
    assert status(check, {"d": dt.datetime(2026, 11, 20, 23, 59)}) is Status.PASS


def test_within_days_not_a_date_is_error() -> None:
    outcome = run({"kind": "within_days", "fact": "d", "days": 30}, {"d": "last spring"})
    assert outcome.status is Status.ERROR
    assert outcome.message.en == "'d' is not a date: 'last spring'"


@pytest.mark.parametrize(
    ("level", "expected"),
    [(1, Status.PASS), (2, Status.PASS), (3, Status.FAIL), (5, Status.FAIL)],
)
def test_within_days_per_level(level: int, expected: Status) -> None:
    check = {"kind": "within_days", "fact": "d", "days": {1: 730, 3: 365}}
    # 500 days old: inside 730, outside 365.
    outcome = run(check, {"d": AS_OF - dt.timedelta(days=500)}, level=level)
    assert outcome.status is expected
    if level < 3:
        assert outcome.message.en.endswith("500 days ago (limit 730 days)")
    else:  # 135 days past the 365
        assert outcome.message.en.endswith("overdue since 2026-07-12, 135 days (limit 365 days)")


def test_within_days_level_map_above_level_is_not_applicable() -> None:
    check = {"kind": "within_days", "fact": "d", "days": {3: 365}}
    outcome = run(check, {"d": AS_OF - dt.timedelta(days=1000)}, level=2)
    assert outcome.status is Status.NOT_APPLICABLE
    assert outcome.message.en == "No period set for level 2"


# --------------------------------------------------------------------------------------------
# not_expired
# --------------------------------------------------------------------------------------------


def test_not_expired_on_as_of_date_passes() -> None:
    outcome = run({"kind": "not_expired", "fact": "contract_end"}, {"contract_end": AS_OF})
    assert outcome.status is Status.PASS
    assert outcome.message.en == "'contract_end' is 2026-11-24, 0 days left"


def test_not_expired_future_and_past() -> None:
    check = {"kind": "not_expired", "fact": "end"}
    assert status(check, {"end": dt.date(2027, 12, 31)}) is Status.PASS
    outcome = run(check, {"end": AS_OF - dt.timedelta(days=1)})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "'end' is 2026-11-23, expired 1 day ago"
    assert outcome.message.vi == "'end' = 23/11/2026, đã hết hạn 1 ngày"


def test_not_expired_text_date_and_garbage() -> None:
    check = {"kind": "not_expired", "fact": "end"}
    assert status(check, {"end": "2026-11-25"}) is Status.PASS
    assert status(check, {"end": "2026-11-23"}) is Status.FAIL
    assert status(check, {"end": "soon"}) is Status.ERROR


# --------------------------------------------------------------------------------------------
# before
# --------------------------------------------------------------------------------------------


def test_before_pass_equal_and_fail() -> None:
    check = {"kind": "before", "fact": "regulation", "other": "approval"}
    early = {"regulation": dt.date(2024, 1, 1), "approval": dt.date(2024, 5, 10)}
    assert status(check, early) is Status.PASS
    same = {"regulation": dt.date(2024, 5, 10), "approval": dt.date(2024, 5, 10)}
    assert status(check, same) is Status.PASS
    late = {"regulation": dt.date(2024, 6, 1), "approval": dt.date(2024, 5, 10)}
    outcome = run(check, late)
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "'regulation' (2024-06-01) is after 'approval' (2024-05-10)"
    assert [e.fact for e in outcome.evidence] == ["regulation", "approval"]


def test_before_missing_other_uses_if_missing() -> None:
    values = {"regulation": dt.date(2024, 1, 1)}
    outcome = run({"kind": "before", "fact": "regulation", "other": "approval"}, values)
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "'approval' is not declared, nothing to compare with"
    assert outcome.evidence[1] == Evidence(fact="approval", value=None, origin=NOT_DECLARED)
    check = {"kind": "before", "fact": "regulation", "other": "approval", "if_missing": "manual"}
    assert status(check, values) is Status.MANUAL


def test_before_other_not_a_date_is_error() -> None:
    outcome = run({"kind": "before", "fact": "a", "other": "b"},
                  {"a": dt.date(2024, 1, 1), "b": "someday"})
    assert outcome.status is Status.ERROR
    assert outcome.message.en == "'b' is not a date"


def test_before_fact_not_a_date_is_error() -> None:
    check = {"kind": "before", "fact": "a", "other": "b"}
    outcome = run(check, {"a": "someday", "b": dt.date(2024, 1, 1)})
    assert outcome.status is Status.ERROR
    assert outcome.message.en == "'a' is not a date"


# --------------------------------------------------------------------------------------------
# ratio_at_least
# --------------------------------------------------------------------------------------------

RATIO = {"kind": "ratio_at_least", "numerator": "malware.protected",
         "denominator": "malware.endpoints", "ratio": 0.9}


def test_ratio_pass_and_fail() -> None:
    outcome = run(RATIO, {"malware": {"protected": 9, "endpoints": 10}})
    assert outcome.status is Status.PASS
    assert outcome.message.en == "Ratio 9/10 = 90%, required 90%"
    outcome = run(RATIO, {"malware": {"protected": 8, "endpoints": 10}})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "Ratio 8/10 = 80%, required 90%"


def test_ratio_default_is_all() -> None:
    check = {"kind": "ratio_at_least", "numerator": "a", "denominator": "b"}
    assert status(check, {"a": 10, "b": 10}) is Status.PASS
    assert status(check, {"a": 9, "b": 10}) is Status.FAIL


def test_ratio_zero_denominator_is_not_applicable() -> None:
    outcome = run(RATIO, {"malware": {"protected": 0, "endpoints": 0}})
    assert outcome.status is Status.NOT_APPLICABLE
    assert outcome.message.en == "'malware.endpoints' is 0"


def test_ratio_missing_and_non_numbers() -> None:
    assert status(RATIO, {"malware": {"endpoints": 10}}) is Status.FAIL
    assert status({**RATIO, "if_missing": "manual"}, {"malware": {"endpoints": 10}}) is (
        Status.MANUAL
    )
    assert status(RATIO, {"malware": {"protected": "9", "endpoints": 10}}) is Status.ERROR


@pytest.mark.parametrize(("level", "expected"), [(1, Status.PASS), (3, Status.FAIL)])
def test_ratio_per_level(level: int, expected: Status) -> None:
    check = {**RATIO, "ratio": {1: 0.5, 3: 0.95}}
    assert status(check, {"malware": {"protected": 9, "endpoints": 10}}, level=level) is expected


def test_ratio_level_map_above_level_is_not_applicable() -> None:
    check = {**RATIO, "ratio": {4: 1.0}}
    outcome = run(check, {"malware": {"protected": 1, "endpoints": 10}}, level=3)
    assert outcome.status is Status.NOT_APPLICABLE


# --------------------------------------------------------------------------------------------
# attested
# --------------------------------------------------------------------------------------------


def attestation(rule: str = "GOV-16", **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": rule,
        "document": {"number": "07/BC-STTTT", "date": "2026-03-01"},
        "attested_by": "Nguyễn Văn A",
        **fields,
    }
    return Attestation.model_validate(data).model_dump()


ATTESTED = {"kind": "attested"}


def test_attested_none_is_manual() -> None:
    outcome = run(ATTESTED, attestations=[attestation(rule="GOV-99")])
    assert outcome.status is Status.MANUAL
    assert outcome.message.en == (
        "Needs evidence or an attestation for 'GOV-16' (none in the inventory)"
    )


def test_attested_valid_passes_with_evidence() -> None:
    outcome = run(ATTESTED, attestations=[attestation()])
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Attested by Nguyễn Văn A (07/BC-STTTT), valid until 2027-03-01"
    )
    assert outcome.evidence == (
        Evidence(
            fact="attestation.GOV-16",
            value={
                "document": "07/BC-STTTT",
                "date": "2026-03-01",
                "attested_by": "Nguyễn Văn A",
                "valid_until": "2027-03-01",
            },
            origin=Origin(source="declared"),
        ),
    )


def test_attested_lapsed_by_validity_is_manual() -> None:
    doc = {"number": "01/BC", "date": "2025-01-01"}
    outcome = run(ATTESTED, attestations=[attestation(document=doc)])
    assert outcome.status is Status.MANUAL
    assert outcome.message.en == (
        "Attestation 01/BC lapsed on 2026-01-01, overdue by 327 days; attest again"
    )
    assert outcome.message.vi == (
        "Xác nhận 01/BC đã hết hiệu lực ngày 01/01/2026, quá hạn 327 ngày; cần xác nhận lại"
    )
    assert outcome.evidence[0].value["valid_until"] == "2026-01-01"


def test_attested_lapsed_by_valid_until_is_manual() -> None:
    outcome = run(ATTESTED, attestations=[attestation(valid_until="2026-10-01")])
    assert outcome.status is Status.MANUAL
    assert "lapsed on 2026-10-01" in outcome.message.en


def test_attested_effective_date_counts_from_effective() -> None:
    # Document from 2025, effective from 2026-02-01: valid until 2027-02-01.
    doc = {"number": "01/BC", "date": "2025-01-01"}
    outcome = run(ATTESTED, attestations=[attestation(document=doc, effective="2026-02-01")])
    assert outcome.status is Status.PASS
    assert outcome.message.en.endswith("valid until 2027-02-01")


def test_attested_expiring_on_as_of_still_valid() -> None:
    outcome = run(ATTESTED, attestations=[attestation(valid_until=AS_OF.isoformat())])
    assert outcome.status is Status.PASS
    outcome = run(ATTESTED, attestations=[attestation()], as_of=dt.date(2027, 3, 2))
    assert outcome.status is Status.MANUAL


def test_attested_not_yet_effective_is_manual() -> None:
    outcome = run(ATTESTED, attestations=[attestation(effective="2026-12-01")])
    assert outcome.status is Status.MANUAL
    assert outcome.message.en == (
        "The attestation 07/BC-STTTT for 'GOV-16' takes effect on 2026-12-01, after the "
        "audit date 2026-11-24: not evidence yet"
    )
    assert "có hiệu lực từ ngày 01/12/2026, sau ngày đánh giá 24/11/2026" in outcome.message.vi


def test_attested_document_dated_after_as_of_is_not_evidence_yet() -> None:
    """Effective on the audit date, but its document was signed a day later: not yet."""
    later = {"number": "08/BC", "date": (AS_OF + dt.timedelta(days=1)).isoformat()}
    outcome = run(ATTESTED, attestations=[attestation(document=later, effective=AS_OF.isoformat())])
    assert outcome.status is Status.MANUAL
    assert "08/BC" in outcome.message.en and "2026-11-25" in outcome.message.en
    assert "25/11/2026" in outcome.message.vi
    on_the_day = {**later, "date": AS_OF.isoformat()}
    outcome = run(
        ATTESTED, attestations=[attestation(document=on_the_day, effective=AS_OF.isoformat())]
    )
    assert outcome.status is Status.PASS


def test_attested_effective_on_as_of_passes() -> None:
    outcome = run(ATTESTED, attestations=[attestation(effective=AS_OF.isoformat())])
    assert outcome.status is Status.PASS
    assert outcome.message.en.endswith("valid until 2027-11-24")


def test_attested_best_of_several() -> None:
    old = attestation(document={"number": "01/BC", "date": "2024-01-01"})
    new = attestation(document={"number": "02/BC", "date": "2026-06-01"})
    outcome = run(ATTESTED, attestations=[old, new])
    assert outcome.status is Status.PASS
    assert "02/BC" in outcome.message.en


def test_attested_topic_overrides_rule_id() -> None:
    check = {"kind": "attested", "topic": "incident-drill"}
    assert status(check, attestations=[attestation()]) is Status.MANUAL
    assert status(check, attestations=[attestation(rule="incident-drill")]) is Status.PASS


@pytest.mark.parametrize(("level", "expected"), [(1, Status.PASS), (3, Status.MANUAL)])
def test_attested_validity_per_level(level: int, expected: Status) -> None:
    check = {"kind": "attested", "validity_days": {1: 730, 3: 365}}
    doc = {"number": "01/BC", "date": "2025-06-01"}  # +730 -> 2027-06-01, +365 -> 2026-06-01
    assert status(check, attestations=[attestation(document=doc)], level=level) is expected


# --------------------------------------------------------------------------------------------
# builtin
# --------------------------------------------------------------------------------------------


def test_builtin_runs_named_function() -> None:
    check = {"kind": "builtin", "name": "assessor_independent"}
    values = {"operator": "VNPT", "four_layer": {"layer3": {"assessor": "Công ty Kiểm định"}}}
    assert status(check, values) is Status.PASS
    values = {"operator": "VNPT", "four_layer": {"layer3": {"assessor": "vnpt"}}}
    assert status(check, values) is Status.FAIL


def test_builtin_unknown_name_is_error() -> None:
    outcome = run({"kind": "builtin", "name": "no_such_check"})
    assert outcome.status is Status.ERROR
    assert outcome.message.en == "Unknown builtin check 'no_such_check'"


# --------------------------------------------------------------------------------------------
# all, any, not
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([Status.PASS, Status.PASS], Status.PASS),
        ([Status.PASS, Status.NOT_APPLICABLE], Status.PASS),
        ([Status.NOT_APPLICABLE, Status.NOT_APPLICABLE], Status.NOT_APPLICABLE),
        ([Status.PASS, Status.MANUAL], Status.MANUAL),
        ([Status.MANUAL, Status.ERROR], Status.ERROR),
        ([Status.ERROR, Status.FAIL], Status.FAIL),
        ([Status.NOT_APPLICABLE, Status.FAIL, Status.MANUAL, Status.PASS], Status.FAIL),
        ([Status.NOT_APPLICABLE, Status.ERROR, Status.MANUAL, Status.PASS], Status.ERROR),
        ([Status.NOT_APPLICABLE, Status.MANUAL, Status.PASS], Status.MANUAL),
    ],
)
def test_all_worst_status_wins(parts: list[Status], expected: Status) -> None:
    check = {"kind": "all", "checks": [BY_STATUS[s] for s in parts]}
    assert status(check, HERE) is expected


def test_all_message_from_worst_parts_and_all_evidence() -> None:
    check = {"kind": "all", "checks": [S_PASS, S_FAIL, {"kind": "present", "fact": "gone"}]}
    outcome = run(check, HERE)
    assert outcome.status is Status.FAIL
    assert outcome.message.en == (
        "'absent' is not declared in the inventory; 'gone' is not declared in the inventory"
    )
    assert [e.fact for e in outcome.evidence] == ["here", "absent", "gone"]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([Status.FAIL, Status.PASS], Status.PASS),
        ([Status.ERROR, Status.MANUAL, Status.PASS], Status.PASS),
        ([Status.FAIL, Status.MANUAL], Status.FAIL),
        ([Status.MANUAL, Status.NOT_APPLICABLE], Status.MANUAL),
        ([Status.FAIL, Status.FAIL], Status.FAIL),
        ([Status.NOT_APPLICABLE], Status.NOT_APPLICABLE),
    ],
)
def test_any(parts: list[Status], expected: Status) -> None:
    check = {"kind": "any", "checks": [BY_STATUS[s] for s in parts]}
    assert status(check, HERE) is expected


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        (Status.PASS, Status.FAIL),
        (Status.FAIL, Status.PASS),
        (Status.MANUAL, Status.MANUAL),
        (Status.ERROR, Status.ERROR),
        (Status.NOT_APPLICABLE, Status.NOT_APPLICABLE),
    ],
)
def test_not(inner: Status, expected: Status) -> None:
    outcome = run({"kind": "not", "check": BY_STATUS[inner]}, HERE)
    assert outcome.status is expected
    assert outcome.message.en.startswith("Negated: ")


def test_nested_combinators() -> None:
    check = {
        "kind": "all",
        "checks": [
            {"kind": "any", "checks": [S_FAIL, S_PASS]},
            {"kind": "not", "check": {"kind": "equals", "fact": "hosting", "value": "cloud"}},
        ],
    }
    assert status(check, {"here": 1, "hosting": "on_premise"}) is Status.PASS
    assert status(check, {"here": 1, "hosting": "cloud"}) is Status.FAIL


def test_any_pass_cites_only_the_alternative_that_passed() -> None:
    outcome = run({"kind": "any", "checks": [S_FAIL, S_PASS]}, HERE)
    assert outcome.status is Status.PASS
    assert [e.fact for e in outcome.evidence] == ["here"]
    assert outcome.message.en == "'here' is declared"  # no attestation weighed: as it was


DATA_OR_ATTESTED = {"kind": "any", "checks": [{"kind": "present", "fact": "here"},
                                              {"kind": "attested"}]}


def test_any_data_wins_over_a_lapsed_attestation_and_says_so() -> None:
    lapsed = attestation(document={"number": "01/BC", "date": "2025-01-01"})
    outcome = run(DATA_OR_ATTESTED, HERE, attestations=[lapsed])
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Passed on the declared data: 'here' is declared; the attestation was not relied on: "
        "Attestation 01/BC lapsed on 2026-01-01, overdue by 327 days; attest again"
    )
    assert outcome.message.vi.startswith("Đạt theo dữ liệu khai báo: ")
    # The data that decided first, then the lapsed attestation it did not need.
    assert [e.fact for e in outcome.evidence] == ["here", "attestation.GOV-16"]


def test_any_attestation_wins_when_the_data_is_missing_and_says_so() -> None:
    outcome = run(DATA_OR_ATTESTED, {}, attestations=[attestation()])
    assert outcome.status is Status.PASS
    assert outcome.message.en == (
        "Passed on the attestation: Attested by Nguyễn Văn A (07/BC-STTTT), valid until "
        "2027-03-01; declared data: 'here' is not declared in the inventory"
    )
    assert [e.fact for e in outcome.evidence] == ["attestation.GOV-16"]


def test_any_without_an_attestation_in_the_inventory_does_not_mention_one() -> None:
    outcome = run(DATA_OR_ATTESTED, HERE)
    assert outcome.message.en == "'here' is declared"


# --------------------------------------------------------------------------------------------
# for_each
# --------------------------------------------------------------------------------------------


def host(name: str, **values: Any) -> Item:
    return Item(subject=name, values={"name": name, **values}, origins={})


def test_for_each_all_items_pass() -> None:
    check = {"kind": "for_each", "over": "hosts",
             "check": {"kind": "present", "fact": "expected_ports"}}
    hosts = (host("web01.example.test", expected_ports=("443/tcp",)),
             host("db01.example.test", expected_ports=("5432/tcp",)))
    assert status(check, collections={"hosts": hosts}) is Status.PASS


def test_for_each_one_item_fails_and_is_named() -> None:
    check = {"kind": "for_each", "over": "hosts",
             "check": {"kind": "present", "fact": "expected_ports"}}
    hosts = (host("web01.example.test", expected_ports=("443/tcp",)),
             host("db01.example.test", expected_ports=()))
    outcome = run(check, collections={"hosts": hosts})
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "db01.example.test: 'expected_ports' is empty or false"


def test_for_each_reads_item_values_not_system_values() -> None:
    check = {"kind": "for_each", "over": "endpoints",
             "check": {"kind": "matches", "fact": "url", "pattern": "^https://"}}
    endpoints = (Item("https://a.test", {"url": "https://a.test"}, {}),)
    assert status(check, {"url": "http://x.test"}, collections={"endpoints": endpoints}) is (
        Status.PASS
    )
    endpoints = (*endpoints, Item("http://b.test", {"url": "http://b.test"}, {}))
    assert status(check, collections={"endpoints": endpoints}) is Status.FAIL


@pytest.mark.parametrize(
    ("when_empty", "expected"),
    [(None, Status.NOT_APPLICABLE), ("pass", Status.PASS), ("fail", Status.FAIL),
     ("not_applicable", Status.NOT_APPLICABLE)],
)
def test_for_each_empty_uses_when_empty(when_empty: str | None, expected: Status) -> None:
    check: dict[str, Any] = {"kind": "for_each", "over": "certificates", "check": S_PASS}
    if when_empty is not None:
        check["when_empty"] = when_empty
    outcome = run(check, collections={"certificates": ()})
    assert outcome.status is expected
    assert outcome.message.en == "No entries in 'certificates'"
    # A collection the context does not have at all is empty too.
    assert status(check) is expected


def test_combined_severity_is_the_highest_among_the_worst() -> None:
    def scaled(severity: Severity, result: Status) -> Any:
        return lambda _: Outcome(result, Text2(vi="x", en="x"), (), severity)

    context = EvalContext(
        as_of=AS_OF, level=1, rule_id="R", values={}, origins={},
        builtins={
            "medium": scaled(Severity.MEDIUM, Status.FAIL),
            "high": scaled(Severity.HIGH, Status.FAIL),
            "critical-manual": scaled(Severity.CRITICAL, Status.MANUAL),
        },
    )
    check = spec(kind="all", checks=[{"kind": "builtin", "name": n}
                                     for n in ("medium", "high", "critical-manual")])
    outcome = check.evaluate(context)
    assert outcome.status is Status.FAIL
    assert outcome.severity is Severity.HIGH  # the manual part does not decide


def test_for_each_keeps_item_severity() -> None:
    # The worst item decides; an item outcome's severity (from a builtin) is carried.
    def scaled(_: EvalContext) -> Outcome:
        return Outcome(Status.FAIL, Text2(vi="x", en="x"), (), Severity.HIGH)

    context = EvalContext(
        as_of=AS_OF, level=1, rule_id="R", values={}, origins={},
        collections={"hosts": (host("a.test"),)}, builtins={"scaled": scaled},
    )
    check = spec(kind="for_each", over="hosts", check={"kind": "builtin", "name": "scaled"})
    outcome = check.evaluate(context)
    assert outcome.status is Status.FAIL
    assert outcome.severity is Severity.HIGH
    assert outcome.message.en == "a.test: x"


def test_enum_fact_message_shows_plain_value() -> None:
    outcome = run(
        {"kind": "one_of", "fact": "dossier.status", "values": ["approved"]},
        {"dossier": {"status": DossierStatus.DRAFT}},
    )
    assert outcome.status is Status.FAIL
    assert outcome.message.en == "'dossier.status' is “draft”, accepted: “approved”"


def test_attested_since_a_later_event_is_manual() -> None:
    spec = {"kind": "attested", "validity_days": 365, "since": "last_major_change"}
    doc = {"number": "09/BC", "date": dt.date(2026, 9, 10)}
    before = run(spec, {"last_major_change": dt.date(2026, 10, 15)},
                 attestations=[attestation(document=doc)])
    assert before.status is Status.MANUAL
    assert "predates 'last_major_change' (2026-10-15)" in before.message.en
    after = run(spec, {"last_major_change": dt.date(2026, 8, 1)},
                attestations=[attestation(document=doc)])
    assert after.status is Status.PASS


# --- same_as: declared against observed -----------------------------------------------------


def test_same_as_passes_when_declared_and_observed_agree() -> None:
    values = {"ipv6_claimed": True, "ipv6": {"ready": True}}
    assert status({"kind": "same_as", "fact": "ipv6_claimed", "other": "ipv6.ready"},
                  values) is Status.PASS


def test_same_as_fails_with_both_values_in_the_message() -> None:
    outcome = run({"kind": "same_as", "fact": "ipv6_claimed", "other": "ipv6.ready"},
                  {"ipv6_claimed": True, "ipv6": {"ready": False}})
    assert outcome.status is Status.FAIL
    # both values, as words (yes/no), never the codes True/False
    assert "“yes”" in outcome.message.en and "“no”" in outcome.message.en
    assert "“có”" in outcome.message.vi and "“không”" in outcome.message.vi
    assert [e.fact for e in outcome.evidence] == ["ipv6_claimed", "ipv6.ready"]


def test_same_as_does_not_let_true_equal_one() -> None:
    assert status({"kind": "same_as", "fact": "a", "other": "b"}, {"a": True, "b": 1}) \
        is Status.FAIL


def test_same_as_observation_error_on_the_other_side_is_an_error() -> None:
    item = Item("https://www.test/", {"ipv6_claimed": True}, {}, {"ipv6": "timed out"})
    context = ctx({}).with_item(item)
    outcome = spec(kind="same_as", fact="ipv6_claimed", other="ipv6.ready").evaluate(context)
    assert outcome.status is Status.ERROR and "timed out" in outcome.message.en


# --- expiring: days and lifetime fraction ---------------------------------------------------

EXPIRING = {"kind": "expiring", "days": {1: 30, 3: 45}, "fraction": 0.34,
            "override": "policy.warning_days"}


def _cert(days_left: int, lifetime: int) -> dict[str, Any]:
    return {"cert": {"days_left": days_left,
                     "lifetime_left_fraction": round(days_left / lifetime, 4)}}


def test_expiring_long_lived_certificate_inside_the_window_fails() -> None:
    outcome = run(EXPIRING, _cert(29, 398), level=1)
    assert outcome.status is Status.FAIL and "29 days left" in outcome.message.en


def test_expiring_short_lived_certificate_with_a_third_left_passes() -> None:
    # A 47-day certificate with 17 days left (36 % of its life) is healthy although < 30 days.
    assert status(EXPIRING, _cert(17, 47), level=1) is Status.PASS


def test_expiring_short_lived_certificate_past_its_renewal_point_fails() -> None:
    assert status(EXPIRING, _cert(12, 47), level=1) is Status.FAIL


def test_expiring_threshold_rises_with_the_level() -> None:
    assert status(EXPIRING, _cert(40, 398), level=2) is Status.PASS
    assert status(EXPIRING, _cert(40, 398), level=3) is Status.FAIL


def test_expiring_stricter_local_override_is_used_and_shown() -> None:
    values = {**_cert(50, 398), "policy": {"warning_days": 60}}
    outcome = run(EXPIRING, values, level=1)
    assert outcome.status is Status.FAIL and "≤ 60 days" in outcome.message.en
    assert "policy.warning_days" in [e.fact for e in outcome.evidence]


def test_expiring_laxer_local_override_is_ignored() -> None:
    values = {**_cert(20, 398), "policy": {"warning_days": 7}}
    assert status(EXPIRING, values, level=1) is Status.FAIL


def test_expiring_leaves_an_expired_certificate_to_the_expiry_rule() -> None:
    assert status(EXPIRING, _cert(-3, 398), level=1) is Status.NOT_APPLICABLE


def test_expiring_without_fraction_uses_days_only() -> None:
    check = {"kind": "expiring", "days": 7}
    assert status(check, {"cert": {"days_left": 7}}) is Status.FAIL
    assert status(check, {"cert": {"days_left": 8}}) is Status.PASS


def test_expiring_unobserved_certificate_is_an_error_with_the_reason() -> None:
    item = Item("x:443 [127.0.0.1]", {"url": "https://x/"}, {}, {"": "connection refused"})
    outcome = spec(**EXPIRING).evaluate(ctx({}).with_item(item))
    assert outcome.status is Status.ERROR and "connection refused" in outcome.message.en


def test_expiring_missing_fact_follows_if_missing() -> None:
    assert status({**EXPIRING, "if_missing": "not_applicable"}, {}) is Status.NOT_APPLICABLE
    assert status(EXPIRING, {}) is Status.FAIL


# --- item errors: an unobserved fact is an error, never "not declared" ----------------------


def test_item_error_prefix_applies_to_keys_below_it_only() -> None:
    item = Item("s", {"url": "https://x/", "cert": {"days_left": 3}}, {},
                {"redirect": "connection refused"})
    context = ctx({}).with_item(item)
    redirect = context.fact("redirect.redirects_to_https")
    assert redirect is not None and redirect.error == "connection refused"
    assert context.fact("cert.days_left") is not None
    assert context.fact("cert.days_left").error is None  # type: ignore[union-attr]
    assert context.fact("undeclared") is None  # outside every error prefix: not declared
