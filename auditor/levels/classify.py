"""Pure level classifier for Decree 85/2016 (legacy) and Decree 331/2026 (current).

A system is at the highest level of any criterion it meets, and of any of its components
(Decree 85 Art. 5; Decree 331 Art. 8.2). Most kinds of fact land in the same place in both
decrees, only under different clause numbers, so they are read by shared rules through a
per-regime clause table (`_Clauses`); the citizen-facing clause (Art. 8.2/9.2 vs 12.2/13.2)
changed in substance and has one function per regime.

**Unknown is not no.** Every classification fact is three-valued: declared true/false or a
value, or not declared (None). A rule yields each criterion with the undeclared facts it still
depends on: none means the declared facts *prove* it; some means the criterion *could* hold if
those facts turn out one way. The result per regime is an interval: the level the proven
criteria give (the lower bound) and the highest level any still-open criterion could give (the
upper bound), with the facts that decide the difference.

What the system type already tells is used (Decree 85 Art. 6.2; Decree 331 Art. 9.2):
- a citizen-facing system provides online services, so it is not internal-only (Art. 7 /
  Art. 11.1 cannot apply) and it is at least level 2 (8.2.b or 9.2.b; 12.2.a or 13.2.a) even
  before the conditional-business-line question is answered;
- information infrastructure serves at least one organisation: at least level 2;
- an industrial control system serves construction works, and every works has a grade (IV…I,
  special): at least level 3;
- the internal-system clauses (ND85 Arts. 7, 8.1; ND331 Arts. 11.1, 12.1) apply only to systems
  declared internal; the citizen-facing clauses to systems declared citizen-facing *or* that
  declare a fact which by definition makes them so (an online service, a public-service level,
  administrative procedures, a conditional business line, an information portal). A
  mislabelled type must not lower a level, but an internal HR system with 20,000 staff is not
  an "online service of ≥ 10,000 users".

Designations made by an act (a Prime Minister's decision, a risk-framework assessment) count
when declared; an undeclared one is not assumed, since no criterion of Arts. 7-15 can be
computed for it. National systems (national e-government systems, national data stores,
international links) are open questions only for organisations that can own them: a
province's systems are provincial (`national_possible`).
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

# Harm levels a state-secret / defence system could still have when the harm is not declared.
_ANY_HARM = (Harm.HARM, Harm.SERIOUS, Harm.STRATEGIC)

Unknown = tuple[str, ...]
"""Names of the undeclared classification facts a criterion still depends on."""


@dataclass(frozen=True, slots=True)
class FiredCriterion:
    """A criterion met by the system itself (`component` None) or by one of its components."""

    criterion: Criterion
    component: str | None


@dataclass(frozen=True, slots=True)
class OpenCriterion:
    """A criterion the system could meet, depending on facts the inventory does not declare."""

    criterion: Criterion
    component: str | None
    unknown: Unknown


@dataclass(frozen=True, slots=True)
class Classification:
    """What one regime makes of a system: the proven level and how high it could still go.

    `level` is the lower bound (the highest criterion the declared facts prove, or the default
    level 1); `upper` is the highest level an open criterion could still give. `fired` holds
    every proven criterion, `open` every criterion that depends on undeclared facts.
    """

    regime: Regime
    level: int
    fired: tuple[FiredCriterion, ...]
    open: tuple[OpenCriterion, ...] = ()

    def __post_init__(self) -> None:
        # The level is a function of `fired`; refusing inconsistent instances means no consumer
        # ever has to wonder which of the two to trust.
        if not self.fired:
            raise ValueError("a classification needs at least one fired criterion")
        criteria = [f.criterion for f in self.fired] + [o.criterion for o in self.open]
        if any(c.regime is not self.regime for c in criteria):
            raise ValueError(f"criteria must all belong to regime '{self.regime}'")
        highest = max(f.criterion.level for f in self.fired)
        if self.level != highest:
            raise ValueError(f"level {self.level} is not the highest fired level {highest}")

    @property
    def upper(self) -> int:
        """The highest level the undeclared facts could still give (the level when proven)."""
        return max((self.level, *(o.criterion.level for o in self.open)))

    @property
    def proven(self) -> bool:
        return self.upper == self.level

    def fired_ids(self) -> frozenset[str]:
        return frozenset(f.criterion.id for f in self.fired)

    def open_ids(self) -> frozenset[str]:
        return frozenset(o.criterion.id for o in self.open)

    def decisive(self) -> tuple[FiredCriterion, ...]:
        """The fired criteria that set the level (there may be several)."""
        return tuple(f for f in self.fired if f.criterion.level == self.level)

    def also_met(self) -> tuple[FiredCriterion, ...]:
        """Proven criteria below the level: they hold, but do not decide anything."""
        return tuple(f for f in self.fired if f.criterion.level < self.level)

    def undecided(self) -> tuple[OpenCriterion, ...]:
        """Open criteria above the proven level: the ones the undeclared facts decide."""
        return tuple(o for o in self.open if o.criterion.level > self.level)

    def deciding_facts(self) -> tuple[str, ...]:
        """The undeclared facts that could raise the level, in a stable order."""
        return tuple(sorted({name for o in self.undecided() for name in o.unknown}))


def _c(criterion_id: str) -> Criterion:
    # Tables below name clauses by id; a typo fails at import time, not in an audit.
    return CRITERIA[criterion_id]


# A rule's output: each criterion with the undeclared facts it still depends on (() = proven).
_Hit = tuple[Criterion, Unknown]
_PROVEN: Unknown = ()


def _personal(attrs: ClassificationAttributes) -> bool | None:
    """Whether private or personal information is processed; None when not declared."""
    if attrs.info_types is None:
        return None
    return bool(attrs.info_types & _PRIVATE_OR_PERSONAL)


def _nd85_citizen_facing(attrs: ClassificationAttributes) -> Iterator[_Hit]:
    """ND85 Arts. 8.2 and 9.2: online public-service level, conditional lines, user count."""
    level = attrs.public_service_level
    if level is None:
        yield _c("nd85.9.2.a"), ("public_service_level",)
    elif level is not PublicServiceLevel.NONE:
        yield _c("nd85.8.2.a" if level in _DVC_UP_TO_LEVEL_2 else "nd85.9.2.a"), _PROVEN
    if attrs.information_portal:
        yield _c("nd85.8.2.a"), _PROVEN
    yield from _online_service(attrs, _c("nd85.8.2.b"), _c("nd85.9.2.b"))
    users = attrs.users
    personal = _personal(attrs)
    if users is not None and users >= ND85_USERS_THRESHOLD:
        yield _c("nd85.9.2.c"), _PROVEN
    elif users:  # a positive count is of users whose private/personal data is processed
        yield _c("nd85.8.2.c"), _PROVEN
    elif users is None and personal is not False:
        # The count decides between 8.2.c and 9.2.c; never assume it is below the threshold.
        yield _c("nd85.9.2.c"), ("users",) if personal else ("info_types", "users")
    elif users == 0 and personal:
        yield _c("nd85.8.2.c"), _PROVEN


def _online_service(
    attrs: ClassificationAttributes, not_listed: Criterion, listed: Criterion
) -> Iterator[_Hit]:
    """The online-service point of either regime: on the conditional list or not."""
    listed_line = attrs.conditional_business_line
    if listed_line:
        yield listed, _PROVEN
    elif attrs.online_service is False:
        return
    elif listed_line is None:
        yield listed, ("conditional_business_line",)
    elif attrs.online_service:
        yield not_listed, _PROVEN


def _nd331_citizen_facing(attrs: ClassificationAttributes) -> Iterator[_Hit]:
    """ND331 Arts. 12.2 and 13.2: conditional lines, administrative procedures, data subjects.

    The online public-service level is no longer a criterion; administrative procedures are.
    The legacy `users` figure is not a proxy for data subjects: it counts users with private
    *or* personal data, not data subjects by category.
    """
    yield from _online_service(attrs, _c("nd331.12.2.a"), _c("nd331.13.2.a"))
    if attrs.admin_procedures:
        yield _c("nd331.13.2.b"), _PROVEN
    elif attrs.admin_procedures is None:
        yield _c("nd331.13.2.b"), ("admin_procedures",)
    basic, sensitive = attrs.basic_pd_subjects, attrs.sensitive_pd_subjects
    if (basic is not None and basic >= ND331_BASIC_SUBJECTS_THRESHOLD) or (
        sensitive is not None and sensitive >= ND331_SENSITIVE_SUBJECTS_THRESHOLD
    ):
        yield _c("nd331.13.2.c"), _PROVEN
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
            yield _c("nd331.12.2.b"), _PROVEN
    elif personal is None and counts_unknown:
        yield _c("nd331.13.2.c"), ("info_types", *counts_unknown)


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
    citizen_facing: Callable[[ClassificationAttributes], Iterator[_Hit]]
    citizen_type: Criterion
    infrastructure_type: Criterion
    ics_type: Criterion
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
    citizen_type=_c("nd331.9.2.b"),
    infrastructure_type=_c("nd331.9.2.c"),
    ics_type=_c("nd331.9.2.d"),
    default=_c("nd331.default"),
)

_CLAUSES: Mapping[Regime, _Clauses] = MappingProxyType(
    {
        Regime.ND85: _ND85_CLAUSES,
        Regime.ND331: _ND331_CLAUSES,
    }
)


# --------------------------------------------------------------------------------------------
# Rules: each reads one kind of fact and yields the criteria it meets or could meet.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Subject:
    """What the rules read: the type, the attributes and whether national criteria can hold."""

    system_type: SystemType
    attrs: ClassificationAttributes
    national_possible: bool


_Rule = Callable[[_Subject, _Clauses], Iterable[_Hit]]


def _internal(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    if subject.system_type is not SystemType.INTERNAL:
        return
    info = subject.attrs.info_types
    if info is None:
        yield clauses.internal_private, ("info_types",)
    elif not info & _NON_PUBLIC:
        yield clauses.internal_public, _PROVEN
    elif info & _PRIVATE_OR_PERSONAL and InfoType.STATE_SECRET not in info:
        # State-secret systems are excluded from level 2 by the clause's own words; they are
        # placed by the state-secret rule instead.
        yield clauses.internal_private, _PROVEN


def _serves_citizens(subject: _Subject) -> bool:
    """Citizen-facing by declaration or by a fact that defines the type (see module docstring)."""
    attrs = subject.attrs
    level = attrs.public_service_level
    return bool(
        subject.system_type is SystemType.CITIZEN_FACING
        or attrs.online_service
        or (level is not None and level is not PublicServiceLevel.NONE)
        or attrs.admin_procedures
        or attrs.conditional_business_line
        or attrs.information_portal
    )


def _citizen_facing(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    if not _serves_citizens(subject):
        return
    hits = list(clauses.citizen_facing(subject.attrs))
    floor = clauses.citizen_type
    if (
        subject.system_type is SystemType.CITIZEN_FACING
        and subject.attrs.online_service is not False
        and not any(not unknown and c.level >= floor.level for c, unknown in hits)
    ):
        # Art. 6.2.b / 9.2.b: such a system provides online services, so one of the two
        # online-service points holds whichever way the conditional-list question goes.
        hits.append((floor, _PROVEN))
    yield from hits


def _state_secret(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    """Arts. 9.1-11.1 / 13.1-15.1: state secrets or defence/security, by the harm sabotage does."""
    attrs = subject.attrs
    secret = None if attrs.info_types is None else InfoType.STATE_SECRET in attrs.info_types
    harm = attrs.state_secret_harm
    if harm is not None and harm is not Harm.NONE:
        yield clauses.harm[harm], _PROVEN
    elif secret:
        # A state secret is by law information whose disclosure may harm national interests
        # (Law 29/2018/QH14 on State Secrets, Art. 2.1), so at least the lowest clause holds;
        # how serious the harm is decides the rest.
        yield clauses.harm[Harm.HARM], _PROVEN
        if harm is None:
            for worse in _ANY_HARM[1:]:
                yield clauses.harm[worse], ("state_secret_harm",)
    elif harm is None and (secret is None or attrs.serves_defence_security is not False):
        # Either path opens the clauses: a defence role already does, whatever the data.
        defence = attrs.serves_defence_security
        unknown: Unknown = ()
        if not defence:
            unknown = tuple(
                name
                for name, value in (("info_types", secret), ("serves_defence_security", defence))
                if value is None
            )
        for level in _ANY_HARM:
            yield clauses.harm[level], (*unknown, "state_secret_harm")


def _infrastructure(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    attrs = subject.attrs
    scope = attrs.infra_scope
    if scope is None and subject.system_type is not SystemType.INFRASTRUCTURE:
        pass  # the type says it is not shared infrastructure: its scope is no question
    elif scope is None:
        yield clauses.infrastructure_type, _PROVEN
        yield clauses.infra_scope[InfraScope.SECTOR_OR_PROVINCES], ("infra_scope",)
        if attrs.requires_24x7 is not False:
            yield clauses.nationwide_24x7, ("infra_scope", "requires_24x7")
        if attrs.international_link is not False:
            yield clauses.infra_scope[InfraScope.INTERNATIONAL], ("infra_scope",)
    elif scope is InfraScope.NATIONAL and attrs.requires_24x7:
        yield clauses.nationwide_24x7, _PROVEN
    else:
        yield clauses.infra_scope[scope], _PROVEN
        if scope is InfraScope.NATIONAL and attrs.requires_24x7 is None:
            yield clauses.nationwide_24x7, ("requires_24x7",)
    if attrs.international_link:
        yield clauses.international_link, _PROVEN


def _national(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    # A national e-government system that may stop for planned maintenance only is not named by
    # either decree; it is classified by its other facts.
    attrs = subject.attrs
    if attrs.national_egov and attrs.requires_24x7:
        yield clauses.national_egov_24x7, _PROVEN
    elif (
        subject.national_possible
        and attrs.national_egov is not False
        and attrs.requires_24x7 is not False
    ):
        unknown = tuple(
            name
            for name, value in (
                ("national_egov", attrs.national_egov),
                ("requires_24x7", attrs.requires_24x7),
            )
            if value is None
        )
        yield clauses.national_egov_24x7, unknown
    if attrs.national_critical_data_store:
        yield clauses.critical_data_store, _PROVEN
    elif subject.national_possible and attrs.national_critical_data_store is None:
        yield clauses.critical_data_store, ("national_critical_data_store",)


def _industrial_control(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    grade = subject.attrs.ics_works_grade
    if grade is not None:
        yield clauses.ics[grade], _PROVEN
    elif subject.system_type is SystemType.INDUSTRIAL_CONTROL:
        yield clauses.ics_type, _PROVEN
        yield clauses.ics[IcsGrade.I], ("ics_works_grade",)
        yield clauses.ics[IcsGrade.SPECIAL], ("ics_works_grade",)


def _designated(subject: _Subject, clauses: _Clauses) -> Iterator[_Hit]:
    attrs = subject.attrs
    if attrs.pm_designated_level is not None:
        yield clauses.pm_designated[attrs.pm_designated_level], _PROVEN
    if attrs.risk_assessed_level is not None and attrs.risk_assessed_level in clauses.risk_assessed:
        yield clauses.risk_assessed[attrs.risk_assessed_level], _PROVEN


_RULES: tuple[_Rule, ...] = (
    _internal,
    _citizen_facing,
    _state_secret,
    _infrastructure,
    _national,
    _industrial_control,
    _designated,
)


def _hits(subject: _Subject, clauses: _Clauses) -> tuple[set[Criterion], dict[Criterion, Unknown]]:
    """Proven criteria, and open ones with the facts they depend on.

    A criterion proven by one rule is not also open; two rules leaving the same criterion open
    (ND331 Art. 14.2 from infrastructure and national facts) merge their unknown facts.
    """
    proven: set[Criterion] = set()
    open_: dict[Criterion, Unknown] = {}
    for rule in _RULES:
        for criterion, unknown in rule(subject, clauses):
            if not unknown:
                proven.add(criterion)
            else:
                merged = dict.fromkeys((*open_.get(criterion, ()), *unknown))
                open_[criterion] = tuple(merged)
    for criterion in proven:
        open_.pop(criterion, None)
    return proven, open_


def _order(entry: FiredCriterion | OpenCriterion) -> tuple[int, str, bool, str]:
    # Level descending, then id, then the system itself before its components by name.
    component = entry.component
    return (-entry.criterion.level, entry.criterion.id, component is not None, component or "")


def classify(
    system_type: SystemType,
    attrs: ClassificationAttributes,
    components: Sequence[Component],
    regime: Regime,
    national_possible: bool = False,
) -> Classification:
    """Classify a system and its components under one regime; the highest level wins."""
    clauses = _CLAUSES[regime]
    fired: set[FiredCriterion] = set()
    open_: set[OpenCriterion] = set()
    parts: list[tuple[str | None, _Subject]] = [
        (None, _Subject(system_type, attrs, national_possible))
    ]
    parts.extend(
        (c.name, _Subject(c.system_type or system_type, c.classification, national_possible))
        for c in components
    )
    for name, subject in parts:
        proven, possible = _hits(subject, clauses)
        fired.update(FiredCriterion(criterion, name) for criterion in proven)
        open_.update(
            OpenCriterion(criterion, name, unknown) for criterion, unknown in possible.items()
        )
    if not fired:
        fired.add(FiredCriterion(clauses.default, None))
    ordered = tuple(sorted(fired, key=_order))
    return Classification(
        regime=regime,
        level=ordered[0].criterion.level,
        fired=ordered,
        open=tuple(sorted(open_, key=_order)),
    )


def classify_both(
    system_type: SystemType,
    attrs: ClassificationAttributes,
    components: Sequence[Component],
    national_possible: bool = False,
) -> dict[Regime, Classification]:
    """Both regimes side by side, as reports show them during the 2026-2027 transition."""
    return {
        regime: classify(system_type, attrs, components, regime, national_possible)
        for regime in Regime
    }
