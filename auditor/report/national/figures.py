"""The national roll-up's figures: each province's counted submission with its annual figures,
the country's totals, and the provinces that have not submitted.

A province's figures are its own `auditor report annual --json` figures as it signed them (an
`AnnualFigures` without its per-system rows); the national totals are sums of those counts,
never re-judged here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.report.annual.figures import AnnualFigures, CertificateHealth, Headline, KpiValue


@dataclass(frozen=True, slots=True)
class Province:
    """A province or centrally-run city of the shipped list."""

    id: str
    name: str
    kind: str  # "province" | "city"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubmissionInfo:
    """One imported bundle: who signed it, when, and whether it is the one that counts."""

    id: int
    province_id: str
    year: int
    sha256: str
    file_name: str
    signer: str | None
    signed_at: dt.datetime | None
    imported_at: dt.datetime
    organisation: str
    organisation_name: str
    systems: int
    counted: bool
    # The signer's revocation as judged at import (signer_revocation's status: "good",
    # "revoked_after", "not_checked"); None for a submission imported before it was recorded.
    revocation: str | None = None


@dataclass(frozen=True, slots=True)
class ProvinceLine:
    province_id: str
    name: str
    listed: bool  # on the shipped list of provinces (False: an id the list does not know)
    submission: SubmissionInfo  # the counted one: the latest by signing time, then import
    superseded: tuple[SubmissionInfo, ...]  # the same province and year, earlier: kept, not counted
    figures: AnnualFigures  # the province's own figures (no per-system rows)
    kpis: tuple[KpiValue, ...]  # its indicators against the national targets
    score: float | None
    points: tuple[int, int]
    open_critical_high: int
    rank: int = 0
    previous_score: float | None = None  # its counted submission of the year before


@dataclass(frozen=True, slots=True)
class NationalFigures:
    year: int
    provinces: tuple[ProvinceLine, ...]  # ranked: score, then fewer open critical/high, then id
    missing: tuple[Province, ...]  # on the list, no submission for the year
    listed: int  # how many provinces the list holds
    list_source: str
    headline: Headline  # Form 08 section 1, summed over the counted submissions
    kpis: tuple[KpiValue, ...]
    layers: tuple[KpiValue, ...]
    ipv6: tuple[KpiValue, ...]
    assessments: tuple[KpiValue, ...]
    certificates: CertificateHealth
    by_level: dict[int, int]
    by_regime: dict[str, int]
    open_by_severity: dict[str, int]
    score: float | None
    points: tuple[int, int]
    staff: tuple[int, int] | None
    previous_year: int | None = None  # the year the trends compare with, when it has data
    previous_score: float | None = None
    previous_provinces: int = 0
    previous_headline: Headline | None = None
