"""Security-level classification (cấp độ) under Decree 85/2016 and Decree 331/2026. Pure."""

from auditor.levels.authority import (
    AUTHORITY_NAMES,
    appraiser_domains,
    competent_appraisers,
    competent_appraisers_for,
    competent_approvers,
)
from auditor.levels.classify import Classification, FiredCriterion, classify, classify_both
from auditor.levels.criteria import CRITERIA, Criterion

__all__ = [
    "AUTHORITY_NAMES",
    "CRITERIA",
    "Classification",
    "Criterion",
    "FiredCriterion",
    "appraiser_domains",
    "classify",
    "classify_both",
    "competent_appraisers",
    "competent_appraisers_for",
    "competent_approvers",
]
