"""Where each kind of classification fact lands in each regime: the clause tables of Decree
85/2016 and Decree 331/2026 (`CLAUSES`), and the citizen-facing clauses, which changed in
substance and have one function per regime (ND85 Arts. 8.2/9.2; ND331 Arts. 12.2/13.2).

A clause function yields each criterion with the undeclared facts it still depends on (a
`Hit`; `PROVEN` when none): unknown is not no.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from auditor.levels.criteria import CRITERIA, Criterion
from auditor.model.inventory import (
    ClassificationAttributes,
    Harm,
    IcsGrade,
    InfoType,
    InfraScope,
    PublicServiceLevel,
    Regime,
)

# Thresholds of the "other online service" point (ND85 Art. 8.2.c/9.2.c; ND331 Art. 12.2.b/13.2.c).
ND85_USERS_THRESHOLD = 10_000
ND331_BASIC_SUBJECTS_THRESHOLD = 100_000
ND331_SENSITIVE_SUBJECTS_THRESHOLD = 10_000

NON_PUBLIC = frozenset({InfoType.PRIVATE, InfoType.PERSONAL, InfoType.STATE_SECRET})
PRIVATE_OR_PERSONAL = frozenset({InfoType.PRIVATE, InfoType.PERSONAL})

# Decree 43/2011 levels 1-2 are "information and online public services up to level 2" (ND85
# Art. 8.2.a). Decree 42/2022 replaced the levels with "một phần" (partial) and "toàn trình"
# (full); treating them as level 3 and 4 — hence Art. 9.2.a — is common practice, not text
# (regulations.md §1.2 and §8).
_DVC_UP_TO_LEVEL_2 = frozenset({PublicServiceLevel.L1, PublicServiceLevel.L2})

Unknown = tuple[str, ...]
"""Names of the undeclared classification facts a criterion still depends on."""


def _c(criterion_id: str) -> Criterion:
    # Tables below name clauses by id; a typo fails at import time, not in an audit.
    return CRITERIA[criterion_id]


# A rule's output: each criterion with the undeclared facts it still depends on (() = proven).
Hit = tuple[Criterion, Unknown]
PROVEN: Unknown = ()


def _personal(attrs: ClassificationAttributes) -> bool | None:
    """Whether private or personal information is processed; None when not declared."""
    if attrs.info_types is None:
        return None
    return bool(attrs.info_types & PRIVATE_OR_PERSONAL)


def _nd85_citizen_facing(attrs: ClassificationAttributes) -> Iterator[Hit]:
    """ND85 Arts. 8.2 and 9.2: online public-service level, conditional lines, user count."""
    level = attrs.public_service_level
    if level is None:
        yield _c("nd85.9.2.a"), ("public_service_level",)
    elif level is not PublicServiceLevel.NONE:
        yield _c("nd85.8.2.a" if level in _DVC_UP_TO_LEVEL_2 else "nd85.9.2.a"), PROVEN
    if attrs.information_portal:
        yield _c("nd85.8.2.a"), PROVEN
    yield from _online_service(attrs, _c("nd85.8.2.b"), _c("nd85.9.2.b"))
    users = attrs.users
    personal = _personal(attrs)
    if users is not None and users >= ND85_USERS_THRESHOLD:
        yield _c("nd85.9.2.c"), PROVEN
    elif users:  # a positive count is of users whose private/personal data is processed
        yield _c("nd85.8.2.c"), PROVEN
    elif users is None and personal is not False:
        # The count decides between 8.2.c and 9.2.c; never assume it is below the threshold.
        yield _c("nd85.9.2.c"), ("users",) if personal else ("info_types", "users")
    elif users == 0 and personal:
        yield _c("nd85.8.2.c"), PROVEN


def _online_service(
    attrs: ClassificationAttributes, not_listed: Criterion, listed: Criterion
) -> Iterator[Hit]:
    """The online-service point of either regime: on the conditional list or not."""
    listed_line = attrs.conditional_business_line
    if listed_line:
        yield listed, PROVEN
    elif attrs.online_service is False:
        return
    elif listed_line is None:
        yield listed, ("conditional_business_line",)
    elif attrs.online_service:
        yield not_listed, PROVEN


def _nd331_citizen_facing(attrs: ClassificationAttributes) -> Iterator[Hit]:
    """ND331 Arts. 12.2 and 13.2: conditional lines, administrative procedures, data subjects.

    The online public-service level is no longer a criterion; administrative procedures are.
    The legacy `users` figure is not a proxy for data subjects: it counts users with private
    *or* personal data, not data subjects by category.
    """
    yield from _online_service(attrs, _c("nd331.12.2.a"), _c("nd331.13.2.a"))
    if attrs.admin_procedures:
        yield _c("nd331.13.2.b"), PROVEN
    elif attrs.admin_procedures is None:
        yield _c("nd331.13.2.b"), ("admin_procedures",)
    basic, sensitive = attrs.basic_pd_subjects, attrs.sensitive_pd_subjects
    if (basic is not None and basic >= ND331_BASIC_SUBJECTS_THRESHOLD) or (
        sensitive is not None and sensitive >= ND331_SENSITIVE_SUBJECTS_THRESHOLD
    ):
        yield _c("nd331.13.2.c"), PROVEN
        return
    counts_unknown = tuple(
        name
        for name, value in (("basic_pd_subjects", basic), ("sensitive_pd_subjects", sensitive))
        if value is None
    )
    personal = _personal(attrs)
    has_subjects = bool(basic) or bool(sensitive) or personal is True
    if has_subjects:
        if counts_unknown:
            yield _c("nd331.13.2.c"), counts_unknown
        else:
            yield _c("nd331.12.2.b"), PROVEN
    elif personal is None and counts_unknown:
        yield _c("nd331.13.2.c"), ("info_types", *counts_unknown)


@dataclass(frozen=True, slots=True)
class Clauses:
    """Where each kind of fact lands in one regime."""

    internal_public: Criterion
    internal_private: Criterion
    harm: Mapping[Harm, Criterion]
    infra_scope: Mapping[InfraScope, Criterion]
    nationwide_24x7: Criterion
    national_egov_24x7: Criterion
    international_link: Criterion
    critical_data_store: Criterion
    ics: Mapping[IcsGrade, Criterion]
    pm_designated: Mapping[int, Criterion]
    risk_assessed: Mapping[int, Criterion]
    citizen_facing: Callable[[ClassificationAttributes], Iterator[Hit]]
    citizen_type: Criterion
    infrastructure_type: Criterion
    ics_type: Criterion
    default: Criterion


_ND85_CLAUSES = Clauses(
    internal_public=_c("nd85.7"),
    internal_private=_c("nd85.8.1"),
    harm=MappingProxyType(
        {
            Harm.HARM: _c("nd85.9.1"),
            Harm.SERIOUS: _c("nd85.10.1"),
            Harm.ESPECIALLY_SERIOUS: _c("nd85.11.1"),
            Harm.STRATEGIC: _c("nd85.11.1"),
        }
    ),
    infra_scope=MappingProxyType(
        {
            InfraScope.ONE_ORG: _c("nd85.8.3"),
            # Decree 85 names "one sector"; a ministry's bodies are one sector. A nationwide
            # infrastructure that need not run 24/7 misses Art. 10.3 and is at least Art. 9.3.
            InfraScope.SECTOR_OR_PROVINCES: _c("nd85.9.3"),
            InfraScope.MINISTRY: _c("nd85.9.3"),
            InfraScope.NATIONAL: _c("nd85.9.3"),
            InfraScope.INTERNATIONAL: _c("nd85.11.3"),
        }
    ),
    nationwide_24x7=_c("nd85.10.3"),
    national_egov_24x7=_c("nd85.10.2"),
    international_link=_c("nd85.11.3"),
    critical_data_store=_c("nd85.11.2"),
    ics=MappingProxyType(
        {
            IcsGrade.IV: _c("nd85.9.4"),
            IcsGrade.III: _c("nd85.9.4"),
            IcsGrade.II: _c("nd85.9.4"),
            IcsGrade.I: _c("nd85.10.4"),
            IcsGrade.SPECIAL: _c("nd85.11.4"),
            IcsGrade.NATIONAL_SECURITY: _c("nd85.11.4"),
        }
    ),
    # Only level 5 is a clause of Decree 85; lower PM decisions are pseudo-criteria.
    pm_designated=MappingProxyType(
        {
            1: _c("nd85.pm.1"),
            2: _c("nd85.pm.2"),
            3: _c("nd85.pm.3"),
            4: _c("nd85.pm.4"),
            5: _c("nd85.11.5"),
        }
    ),
    # Decree 85 has no risk-framework path: a risk-assessed level does not classify.
    risk_assessed=MappingProxyType({}),
    citizen_facing=_nd85_citizen_facing,
    citizen_type=_c("nd85.6.2.b"),
    infrastructure_type=_c("nd85.6.2.c"),
    ics_type=_c("nd85.6.2.d"),
    default=_c("nd85.default"),
)

# Decree 331 names the PM decision and the risk framework in the same clause at every level
# (Art. 11.2 mentions only the risk framework; a PM decision at level 1 is filed there too).
_ND331_PM_OR_RISK = MappingProxyType(
    {
        1: _c("nd331.11.2"),
        2: _c("nd331.12.4"),
        3: _c("nd331.13.5"),
        4: _c("nd331.14.4"),
        5: _c("nd331.15.5"),
    }
)

_ND331_CLAUSES = Clauses(
    internal_public=_c("nd331.11.1"),
    internal_private=_c("nd331.12.1"),
    harm=MappingProxyType(
        {
            Harm.HARM: _c("nd331.13.1"),
            Harm.SERIOUS: _c("nd331.14.1"),
            # Art. 15.1 is "strategic, especially serious harm"; an especially serious harm is
            # treated as strategic, since Art. 14.1 stops at "serious".
            Harm.ESPECIALLY_SERIOUS: _c("nd331.15.1"),
            Harm.STRATEGIC: _c("nd331.15.1"),
        }
    ),
    infra_scope=MappingProxyType(
        {
            InfraScope.ONE_ORG: _c("nd331.12.3"),
            InfraScope.SECTOR_OR_PROVINCES: _c("nd331.13.3"),
            InfraScope.MINISTRY: _c("nd331.13.3"),  # "một bộ" is explicit in Art. 13.3
            InfraScope.NATIONAL: _c("nd331.13.3"),  # nationwide but not 24/7: as in ND85
            InfraScope.INTERNATIONAL: _c("nd331.15.3"),
        }
    ),
    # Art. 14.2 merged Decree 85's Arts. 10.2 and 10.3 into one clause.
    nationwide_24x7=_c("nd331.14.2"),
    national_egov_24x7=_c("nd331.14.2"),
    international_link=_c("nd331.15.3"),
    critical_data_store=_c("nd331.15.2"),
    ics=MappingProxyType(
        {
            IcsGrade.IV: _c("nd331.13.4"),
            IcsGrade.III: _c("nd331.13.4"),
            IcsGrade.II: _c("nd331.13.4"),
            IcsGrade.I: _c("nd331.14.3"),
            IcsGrade.SPECIAL: _c("nd331.15.4"),
            IcsGrade.NATIONAL_SECURITY: _c("nd331.15.4"),
        }
    ),
    pm_designated=_ND331_PM_OR_RISK,
    # Art. 10.5: a risk assessment above the criteria obliges the owner to propose the higher
    # level, so the assessed level classifies like any other criterion.
    risk_assessed=_ND331_PM_OR_RISK,
    citizen_facing=_nd331_citizen_facing,
    citizen_type=_c("nd331.9.2.b"),
    infrastructure_type=_c("nd331.9.2.c"),
    ics_type=_c("nd331.9.2.d"),
    default=_c("nd331.default"),
)

CLAUSES: Mapping[Regime, Clauses] = MappingProxyType(
    {
        Regime.ND85: _ND85_CLAUSES,
        Regime.ND331: _ND331_CLAUSES,
    }
)
