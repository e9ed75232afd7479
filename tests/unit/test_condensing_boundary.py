"""The HTML report keeps full detail up to exactly 100 systems and condenses from 101."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_report_views import CATALOG, make_run

from auditor.report.views import FULL_DETAIL_MAX_SYSTEMS, build_page


@pytest.mark.parametrize(("count", "full"), [(100, True), (101, False)])
def test_condensing_starts_above_100_systems(count: int, full: bool) -> None:
    assert FULL_DETAIL_MAX_SYSTEMS == 100
    run = make_run()
    template = run.systems[0]
    systems = tuple(replace(template, id=f"s{i:03d}") for i in range(count))
    page = build_page(replace(run, systems=systems), CATALOG, "en")
    assert page.full is full
