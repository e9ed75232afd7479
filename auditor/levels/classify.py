"""Pure level classifier for Decree 85/2016 (legacy) and Decree 331/2026 (current).

A system is at the highest level of any criterion it meets, and of any of its components
(Decree 85 Art. 5; Decree 331 Art. 8.2). Most kinds of fact land in the same place in both
decrees, only under different clause numbers, so they are read by shared rules through a
per-regime clause table (`_Clauses`); the citizen-facing clause (Art. 8.2/9.2 vs 12.2/13.2)
changed in substance and has one function per regime.

Which facts are read for which system type:
- the internal-system clauses (ND85 Arts. 7, 8.1; ND331 Arts. 11.1, 12.1) only for systems
  declared internal: their facts (information types) are shared by every system;
- the citizen-facing clause for systems declared citizen-facing *or* that declare a fact which by
  definition makes them so (an online service, an online public service level, administrative
  procedures, a conditional business line: ND85 Art. 6.2.b; ND331 Art. 9.2.b). A mislabelled type
  must not lower a level, but an internal HR system with 20,000 staff is not an "online service
  of ≥ 10,000 users";
- everything else (state secrets, infrastructure scope, works grade, national systems, data
  stores, PM decisions) from its own attribute, whatever the declared type: those attributes only
  describe systems of that kind, so ignoring them would only ever lower a level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from auditor.levels.criteria import CRITERIA, Criterion
from auditor.model.inventory import (
    ClassificationAttributes,
    Component,
    Harm,
    IcsGrade,
    InfoType,
    InfraScope,
    PublicServiceLevel,
    Regime,
    SystemType,
)

# Thresholds of the "other online service" point (ND85 Art. 8.2.c/9.2.c; ND331 Art. 12.2.b/13.2.c).
ND85_USERS_THRESHOLD = 10_000
ND331_BASIC_SUBJECTS_THRESHOLD = 100_000
ND331_SENSITIVE_SUBJECTS_THRESHOLD = 10_000

_NON_PUBLIC = frozenset({InfoType.PRIVATE, InfoType.PERSONAL, InfoType.STATE_SECRET})
_PRIVATE_OR_PERSONAL = frozenset({InfoType.PRIVATE, InfoType.PERSONAL})

# Decree 43/2011 levels 1-2 are "information and online public services up to level 2" (ND85
# Art. 8.2.a). Decree 42/2022 replaced the levels with "một phần" (partial) and "toàn trình"
# (full); treating them as level 3 and 4 — hence Art. 9.2.a — is common practice, not text
# (regulations.md §1.2 and §8).
_DVC_UP_TO_LEVEL_2 = frozenset({PublicServiceLevel.L1, PublicServiceLevel.L2})


@dataclass(frozen=True, slots=True)
class FiredCriterion:
    """A criterion met by the system itself (`component` None) or by one of its components."""

    criterion: Criterion
    component: str | None


@dataclass(frozen=True, slots=True)
class Classification:
    """The level one regime gives a system, with every criterion that fired."""

    regime: Regime
    level: int
    fired: tuple[FiredCriterion, ...]

    def __post_init__(self) -> None:
        # The level is a function of `fired`; refusing inconsistent instances means no consumer
        # ever has to wonder which of the two to trust.
        if not self.fired:
            raise ValueError("a classification needs at least one fired criterion")
        if any(f.criterion.regime is not self.regime for f in self.fired):
            raise ValueError(f"fired criteria must all belong to regime '{self.regime}'")
        highest = max(f.criterion.level for f in self.fired)
        if self.level != highest:
            raise ValueError(f"level {self.level} is not the highest fired level {highest}")

    def fired_ids(self) -> frozenset[str]:
        return frozenset(f.criterion.id for f in self.fired)

    def decisive(self) -> tuple[FiredCriterion, ...]:
        """The fired criteria that set the level (there may be several)."""
        return tuple(f for f in self.fired if f.criterion.level == self.level)


def _c(criterion_id: str) -> Criterion:
    # Tables below name clauses by id; a typo fails at import time, not in an audit.
    return CRITERIA[criterion_id]


def _nd85_citizen_facing(attrs: ClassificationAttributes) -> Iterator[Criterion]:
    """ND85 Arts. 8.2 and 9.2: online public-service level, conditional lines, user count."""
    if attrs.public_service_level is not None:
        yield _c("nd85.8.2.a" if attrs.public_service_level in _DVC_UP_TO_LEVEL_2 else "nd85.9.2.a")
    if attrs.conditional_business_line:
        yield _c("nd85.9.2.b")
    elif attrs.online_service:
        yield _c("nd85.8.2.b")
    users = attrs.users
    if users is not None and users >= ND85_USERS_THRESHOLD:
        yield _c("nd85.9.2.c")
    elif users or attrs.info_types & _PRIVATE_OR_PERSONAL:
        # The count is of users whose private/personal data is processed, so a positive count
        # implies such data. An unknown count cannot reach the level-3 threshold: the lower
        # point fires and the dossier has to justify the number.
        yield _c("nd85.8.2.c")


def _nd331_citizen_facing(attrs: ClassificationAttributes) -> Iterator[Criterion]:
    """ND331 Arts. 12.2 and 13.2: conditional lines, administrative procedures, data subjects.

    The online public-service level is no longer a criterion; administrative procedures are.
    """
    if attrs.conditional_business_line:
        yield _c("nd331.13.2.a")
    elif attrs.online_service:
        yield _c("nd331.12.2.a")
    if attrs.admin_procedures:
        yield _c("nd331.13.2.b")
    basic = attrs.basic_pd_subjects
    sensitive = attrs.sensitive_pd_subjects
    if (basic is not None and basic >= ND331_BASIC_SUBJECTS_THRESHOLD) or (
        sensitive is not None and sensitive >= ND331_SENSITIVE_SUBJECTS_THRESHOLD
    ):
        yield _c("nd331.13.2.c")
    elif basic or sensitive or attrs.info_types & _PRIVATE_OR_PERSONAL:
        # Same reading as ND85: data subjects imply personal data; unknown counts stay at
        # level 2. The legacy `users` figure is deliberately not used as a proxy: it counts
        # users with private *or* personal data, not data subjects by category.
        yield _c("nd331.12.2.b")


@dataclass(frozen=True, slots=True)
class _Clauses:
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
    citizen_facing: Callable[[ClassificationAttributes], Iterator[Criterion]]
    default: Criterion


_ND85_CLAUSES = _Clauses(
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

_ND331_CLAUSES = _Clauses(
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
    default=_c("nd331.default"),
)

_CLAUSES: Mapping[Regime, _Clauses] = MappingProxyType(
    {
        Regime.ND85: _ND85_CLAUSES,
        Regime.ND331: _ND331_CLAUSES,
    }
)


# --------------------------------------------------------------------------------------------
# Rules: each reads one kind of fact and yields the criteria it meets.
# --------------------------------------------------------------------------------------------

_Rule = Callable[[SystemType, ClassificationAttributes, _Clauses], Iterable[Criterion]]


def _internal(
    system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterator[Criterion]:
    if system_type is not SystemType.INTERNAL:
        return
    if not attrs.info_types & _NON_PUBLIC:
        yield clauses.internal_public
    elif attrs.info_types & _PRIVATE_OR_PERSONAL and InfoType.STATE_SECRET not in attrs.info_types:
        # State-secret systems are excluded from level 2 by the clause's own words; they are
        # placed by the state-secret rule instead.
        yield clauses.internal_private


def _serves_citizens(system_type: SystemType, attrs: ClassificationAttributes) -> bool:
    """Citizen-facing by declaration or by a fact that defines the type (see module docstring)."""
    return (
        system_type is SystemType.CITIZEN_FACING
        or attrs.online_service
        or attrs.public_service_level is not None
        or attrs.admin_procedures
        or attrs.conditional_business_line
    )


def _citizen_facing(
    system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterable[Criterion]:
    return clauses.citizen_facing(attrs) if _serves_citizens(system_type, attrs) else ()


def _state_secret(
    _system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterator[Criterion]:
    harm = attrs.state_secret_harm
    if harm is Harm.NONE and InfoType.STATE_SECRET in attrs.info_types:
        # A state secret is by law information whose disclosure may harm national interests
        # (Law 29/2018/QH14 on State Secrets, Art. 2.1), so "no harm" cannot hold for it: the
        # lowest state-secret clause applies rather than none at all.
        harm = Harm.HARM
    if harm in clauses.harm:
        yield clauses.harm[harm]


def _infrastructure(
    _system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterator[Criterion]:
    scope = attrs.infra_scope
    if scope is InfraScope.NATIONAL and attrs.requires_24x7:
        yield clauses.nationwide_24x7
    elif scope is not None:
        yield clauses.infra_scope[scope]
    if attrs.international_link:
        yield clauses.international_link


def _national(
    _system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterator[Criterion]:
    # A national e-government system that may stop for planned maintenance only is not named by
    # either decree; it is classified by its other facts.
    if attrs.national_egov and attrs.requires_24x7:
        yield clauses.national_egov_24x7
    if attrs.national_critical_data_store:
        yield clauses.critical_data_store


def _industrial_control(
    _system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterator[Criterion]:
    if attrs.ics_works_grade is not None:
        yield clauses.ics[attrs.ics_works_grade]


def _designated(
    _system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> Iterator[Criterion]:
    if attrs.pm_designated_level is not None:
        yield clauses.pm_designated[attrs.pm_designated_level]
    if attrs.risk_assessed_level is not None and attrs.risk_assessed_level in clauses.risk_assessed:
        yield clauses.risk_assessed[attrs.risk_assessed_level]


_RULES: tuple[_Rule, ...] = (
    _internal,
    _citizen_facing,
    _state_secret,
    _infrastructure,
    _national,
    _industrial_control,
    _designated,
)


def _met(
    system_type: SystemType, attrs: ClassificationAttributes, clauses: _Clauses
) -> frozenset[Criterion]:
    # A set: two facts may land on the same clause (ND331 Art. 14.2, international scope plus
    # international link) and the clause is reported once.
    return frozenset(c for rule in _RULES for c in rule(system_type, attrs, clauses))


def _order(fired: FiredCriterion) -> tuple[int, str, bool, str]:
    # Level descending, then id, then the system itself before its components by name.
    component = fired.component
    return (-fired.criterion.level, fired.criterion.id, component is not None, component or "")


def classify(
    system_type: SystemType,
    attrs: ClassificationAttributes,
    components: Sequence[Component],
    regime: Regime,
) -> Classification:
    """Classify a system and its components under one regime; the highest level wins."""
    clauses = _CLAUSES[regime]
    fired: set[FiredCriterion] = {
        FiredCriterion(criterion, None) for criterion in _met(system_type, attrs, clauses)
    }
    for component in components:
        own_type = component.system_type or system_type
        fired.update(
            FiredCriterion(criterion, component.name)
            for criterion in _met(own_type, component.classification, clauses)
        )
    if not fired:
        fired.add(FiredCriterion(clauses.default, None))
    ordered = tuple(sorted(fired, key=_order))
    return Classification(regime=regime, level=ordered[0].criterion.level, fired=ordered)


def classify_both(
    system_type: SystemType,
    attrs: ClassificationAttributes,
    components: Sequence[Component],
) -> dict[Regime, Classification]:
    """Both regimes side by side, as reports show them during the 2026-2027 transition."""
    return {regime: classify(system_type, attrs, components, regime) for regime in Regime}
