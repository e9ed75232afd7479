"""The national roll-up's pure parts: province names to the list, indicators added from
counts, targets on both sides of their boundary, Form 08 counts added."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from auditor.national.provinces import key, load_provinces
from auditor.report.annual.figures import Headline, KpiValue
from auditor.report.annual.kpis import KPIS
from auditor.report.national.page import band_labels, score_bands
from auditor.report.national.totals import achieved, combine, retarget, sum_headlines

SHARE = next(k for k in KPIS if k.kind == "share")
COUNT = next(k for k in KPIS if k.kind == "count")


def test_names_match_the_list() -> None:
    provinces = load_provinces()
    assert len(provinces.provinces) == 34
    assert len({p.id for p in provinces.provinces}) == 34
    found = provinces.match("tinh-lao-cai")
    assert found is not None and found.id == "lao-cai"
    by_name = provinces.match(None, "Ủy ban nhân dân Thành phố Hồ Chí Minh")
    assert by_name is not None and by_name.id == "ho-chi-minh"
    assert provinces.match("tinh-an-binh", "Ủy ban nhân dân tỉnh An Bình") is None
    assert key("UBND tỉnh Đắk Lắk") == "dak-lak"


@pytest.mark.parametrize(
    ("kind", "value", "target", "expected"),
    [("share", 99.9, 100.0, False), ("share", 100.0, 100.0, True),
     ("count", 0.0, 0.0, True), ("count", 1.0, 0.0, False), ("share", None, 100.0, None)],
)  # fmt: skip
def test_target_boundaries(kind: str, value: float | None, target: float, expected: bool) -> None:
    assert achieved(kind, value, target) is expected


def _value(met: int, applicable: int, kpi: object = SHARE, not_met: int = 0) -> KpiValue:
    value = 100 * met / applicable if applicable else None
    return KpiValue(kpi, 100.0, value, met, applicable, not_met)  # type: ignore[arg-type]


def test_indicators_add_counts_not_percentages() -> None:
    small, large = _value(1, 1), _value(0, 9, not_met=9)
    total = combine(SHARE, 100.0, [small, large])
    assert (total.met, total.applicable, total.not_met) == (1, 10, 9)
    assert total.value == pytest.approx(10.0)  # not the mean of 100 % and 0 %
    assert total.achieved is False
    assert combine(SHARE, 100.0, []).value is None
    expired = combine(COUNT, 0.0, [_value(5, 6, COUNT, not_met=1), _value(3, 3, COUNT)])
    assert (expired.value, expired.achieved) == (1.0, False)


def test_retarget_uses_the_national_target() -> None:
    province = dataclasses.replace(_value(8, 10), target=80.0, achieved=True, previous=50.0)
    national = retarget(province, 90.0)
    assert (national.target, national.achieved, national.previous) == (90.0, False, None)
    assert retarget(province, 80.0).achieved is True


def _headline(systems: int, approved: int, expected: dt.date | None) -> Headline:
    return Headline(
        systems=systems, classified=systems, type_unknown=0, no_dossier=0,
        dossier={"approved": approved}, built=approved, appraised=approved, approved=approved,
        with_regulation=0, plan={"full": approved}, inspected_pre_operation=0,
        periodic={"on_cycle": 1}, expected_completion=expected, expected_missing=0,
        national_security=0, not_recorded=0,
    )  # fmt: skip


def test_headlines_add_up() -> None:
    a = _headline(3, 2, dt.date(2027, 1, 1))
    b = _headline(5, 1, dt.date(2027, 6, 30))
    total = sum_headlines([a, b])
    assert (total.systems, total.approved, total.dossier, total.plan) == (
        8, 3, {"approved": 3}, {"full": 3},
    )  # fmt: skip
    assert total.inspected_periodic == 2
    assert total.expected_completion == dt.date(2027, 6, 30)
    assert sum_headlines([_headline(1, 0, None)]).expected_completion is None


def test_score_bands_on_both_sides_of_each_bound() -> None:
    assert band_labels("vi") == ("< 50", "50–70", "70–90", "≥ 90")
    assert score_bands([49.9, 50.0]) == (1, 1, 0, 0)
    assert score_bands([69.9, 70.0]) == (0, 1, 1, 0)
    assert score_bands([89.9, 90.0, 100.0]) == (0, 0, 1, 2)
    assert score_bands([None]) == (0, 0, 0, 0)  # no score: in no band
