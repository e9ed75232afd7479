"""Certificate facts at their exact boundaries: a lifetime equal to the public limit."""

from __future__ import annotations

import datetime as dt

import pytest
from tls_servers import ec_key, issue

from auditor.probes.certinfo import (
    PUBLIC_LIFETIME_SCHEDULE,
    cert_facts,
    public_lifetime_limit,
    validity_period_days,
)

SECOND = dt.timedelta(seconds=1)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize("issued", [since for since, _ in PUBLIC_LIFETIME_SCHEDULE])
@pytest.mark.parametrize(
    ("extra", "exceeds"),
    [
        (-SECOND, False),  # notAfter - notBefore = limit - 1 s: valid exactly `limit` days
        (dt.timedelta(0), True),  # the Baseline Requirements count notAfter inclusive: +1 s
        (DAY - SECOND, True),  # one day over
        (-DAY, False),
    ],
    ids=["exactly-at-the-limit", "one-second-over", "one-day-over", "a-day-under"],
)
def test_a_lifetime_exactly_at_the_public_limit_does_not_exceed_it(
    issued: dt.date, extra: dt.timedelta, exceeds: bool
) -> None:
    limit = public_lifetime_limit(issued)
    start = dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC)
    cert = issue("www.test", key=ec_key(), not_before=start,
                 not_after=start + limit * DAY + extra)
    facts = cert_facts(cert.cert, as_of=issued)
    assert facts.public_lifetime_limit == limit
    assert facts.exceeds_public_lifetime is exceeds


#: Each date of the schedule, the limit the day before and the limit on the day.
SCHEDULE = [
    (dt.date(2018, 3, 1), 39, 825),  # Ballot 193 (39 months before)
    (dt.date(2020, 9, 1), 825, 398),  # Ballot SC31
    (dt.date(2026, 3, 15), 398, 200),  # Ballot SC-081v3
    (dt.date(2027, 3, 15), 200, 100),
    (dt.date(2029, 3, 15), 100, 47),
]


@pytest.mark.parametrize(("since", "before", "on"), SCHEDULE)
def test_the_limit_changes_on_the_day_of_each_date_not_the_day_before(
    since: dt.date, before: int, on: int
) -> None:
    day_before = since - DAY
    if before == 39:  # months: 39 calendar months from 28/02/2015 → 28/05/2018
        assert public_lifetime_limit(day_before) == (dt.date(2018, 5, 28)
                                                     - dt.date(2015, 2, 28)).days
    else:
        assert public_lifetime_limit(day_before) == before
    assert public_lifetime_limit(since) == on
    # Certificates issued at the last second of the day before and the first of the day,
    # each valid 300 days: over the new limits from 2026, within the old ones.
    for start, limit in ((dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC) - SECOND,
                          public_lifetime_limit(day_before)),
                         (dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC), on)):
        cert = issue("www.test", key=ec_key(), not_before=start,
                     not_after=start + 300 * DAY - SECOND)
        facts = cert_facts(cert.cert, as_of=since)
        assert facts.public_lifetime_limit == limit
        assert facts.exceeds_public_lifetime is (limit < 300)


@pytest.mark.parametrize(
    ("not_before", "months_later", "exceeds"),
    [
        (dt.datetime(2017, 1, 31, 12, tzinfo=dt.UTC), (2020, 4, 30, 11, 59, 59), False),
        (dt.datetime(2017, 1, 31, 12, tzinfo=dt.UTC), (2020, 4, 30, 12, 0, 0), True),
        (dt.datetime(2016, 6, 15, tzinfo=dt.UTC), (2019, 9, 14, 23, 59, 59), False),
        (dt.datetime(2016, 6, 15, tzinfo=dt.UTC), (2019, 9, 16, 0, 0, 0), True),
    ],
)
def test_before_march_2018_the_limit_is_39_calendar_months(
    not_before: dt.datetime, months_later: tuple[int, ...], exceeds: bool
) -> None:
    not_after = dt.datetime(*months_later, tzinfo=dt.UTC)  # type: ignore[misc]
    cert = issue("www.test", key=ec_key(), not_before=not_before, not_after=not_after)
    assert cert_facts(cert.cert, as_of=not_before.date()).exceeds_public_lifetime is exceeds


@pytest.mark.parametrize(
    ("seconds", "days"),
    [(0, 1), (86_399, 1), (86_400, 2), (398 * 86_400 - 1, 398), (398 * 86_400, 399)],
)
def test_the_validity_period_counts_notafter_inclusive(seconds: int, days: int) -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert validity_period_days(start, start + dt.timedelta(seconds=seconds)) == days
