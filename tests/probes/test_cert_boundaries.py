"""Certificate facts at their exact boundaries: a lifetime equal to the public limit."""

from __future__ import annotations

import datetime as dt

import pytest
from tls_servers import ec_key, issue

from auditor.probes.certinfo import PUBLIC_LIFETIME_SCHEDULE, cert_facts, public_lifetime_limit


@pytest.mark.parametrize("issued", [since for since, _ in PUBLIC_LIFETIME_SCHEDULE])
@pytest.mark.parametrize(("extra", "exceeds"), [(0, False), (1, True), (-1, False)])
def test_a_lifetime_exactly_at_the_public_limit_does_not_exceed_it(
    issued: dt.date, extra: int, exceeds: bool
) -> None:
    limit = public_lifetime_limit(issued)
    start = dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC)
    cert = issue("www.test", key=ec_key(), not_before=start,
                 not_after=start + dt.timedelta(days=limit + extra))
    facts = cert_facts(cert.cert, as_of=issued)
    assert facts.public_lifetime_limit == limit
    assert facts.lifetime_days == limit + extra
    assert facts.exceeds_public_lifetime is exceeds
