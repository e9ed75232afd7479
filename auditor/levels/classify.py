"""Pure level classifier for Decree 85/2016 (legacy) and Decree 331/2026 (current).

A system is at the highest level of any criterion it meets, and of any of its components
(Decree 85 Art. 5; Decree 331 Art. 8.2). Most kinds of fact land in the same place in both
decrees, only under different clause numbers, so they are read by shared rules through a
per-regime clause table (`levels/clauses.py`); the citizen-facing clause (Art. 8.2/9.2 vs 12.2/13.2)
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

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from auditor.levels.clauses import (
    CLAUSES,
    NON_PUBLIC,
    PRIVATE_OR_PERSONAL,
    PROVEN,
    Clauses,
    Hit,
    Unknown,
)
from auditor.levels.criteria import Criterion
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

# Harm levels a state-secret / defence system could still have when the harm is not declared.
_ANY_HARM = (Harm.HARM, Harm.SERIOUS, Harm.STRATEGIC)


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


# --------------------------------------------------------------------------------------------
# Rules: each reads one kind of fact and yields the criteria it meets or could meet.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Subject:
    """What the rules read: the type, the attributes and whether national criteria can hold."""

    system_type: SystemType
    attrs: ClassificationAttributes
    national_possible: bool


_Rule = Callable[[_Subject, Clauses], Iterable[Hit]]


def _internal(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
    if subject.system_type is not SystemType.INTERNAL:
        return
    info = subject.attrs.info_types
    if info is None:
        yield clauses.internal_private, ("info_types",)
    elif not info & NON_PUBLIC:
        yield clauses.internal_public, PROVEN
    elif info & PRIVATE_OR_PERSONAL and InfoType.STATE_SECRET not in info:
        # State-secret systems are excluded from level 2 by the clause's own words; they are
        # placed by the state-secret rule instead.
        yield clauses.internal_private, PROVEN


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


def _citizen_facing(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
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
        hits.append((floor, PROVEN))
    yield from hits


def _state_secret(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
    """Arts. 9.1-11.1 / 13.1-15.1: state secrets or defence/security, by the harm sabotage does."""
    attrs = subject.attrs
    secret = None if attrs.info_types is None else InfoType.STATE_SECRET in attrs.info_types
    harm = attrs.state_secret_harm
    if harm is not None and harm is not Harm.NONE:
        yield clauses.harm[harm], PROVEN
    elif secret:
        # A state secret is by law information whose disclosure may harm national interests
        # (Law 29/2018/QH14 on State Secrets, Art. 2.1), so at least the lowest clause holds;
        # how serious the harm is decides the rest.
        yield clauses.harm[Harm.HARM], PROVEN
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


def _infrastructure(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
    attrs = subject.attrs
    scope = attrs.infra_scope
    if scope is None and subject.system_type is not SystemType.INFRASTRUCTURE:
        pass  # the type says it is not shared infrastructure: its scope is no question
    elif scope is None:
        yield clauses.infrastructure_type, PROVEN
        yield clauses.infra_scope[InfraScope.SECTOR_OR_PROVINCES], ("infra_scope",)
        if attrs.requires_24x7 is not False:
            yield clauses.nationwide_24x7, ("infra_scope", "requires_24x7")
        if attrs.international_link is not False:
            yield clauses.infra_scope[InfraScope.INTERNATIONAL], ("infra_scope",)
    elif scope is InfraScope.NATIONAL and attrs.requires_24x7:
        yield clauses.nationwide_24x7, PROVEN
    else:
        yield clauses.infra_scope[scope], PROVEN
        if scope is InfraScope.NATIONAL and attrs.requires_24x7 is None:
            yield clauses.nationwide_24x7, ("requires_24x7",)
    if attrs.international_link:
        yield clauses.international_link, PROVEN


def _national(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
    # A national e-government system that may stop for planned maintenance only is not named by
    # either decree; it is classified by its other facts.
    attrs = subject.attrs
    if attrs.national_egov and attrs.requires_24x7:
        yield clauses.national_egov_24x7, PROVEN
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
        yield clauses.critical_data_store, PROVEN
    elif subject.national_possible and attrs.national_critical_data_store is None:
        yield clauses.critical_data_store, ("national_critical_data_store",)


def _industrial_control(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
    grade = subject.attrs.ics_works_grade
    if grade is not None:
        yield clauses.ics[grade], PROVEN
    elif subject.system_type is SystemType.INDUSTRIAL_CONTROL:
        yield clauses.ics_type, PROVEN
        yield clauses.ics[IcsGrade.I], ("ics_works_grade",)
        yield clauses.ics[IcsGrade.SPECIAL], ("ics_works_grade",)


def _designated(subject: _Subject, clauses: Clauses) -> Iterator[Hit]:
    attrs = subject.attrs
    if attrs.pm_designated_level is not None:
        yield clauses.pm_designated[attrs.pm_designated_level], PROVEN
    if attrs.risk_assessed_level is not None and attrs.risk_assessed_level in clauses.risk_assessed:
        yield clauses.risk_assessed[attrs.risk_assessed_level], PROVEN


_RULES: tuple[_Rule, ...] = (
    _internal,
    _citizen_facing,
    _state_secret,
    _infrastructure,
    _national,
    _industrial_control,
    _designated,
)


def _hits(subject: _Subject, clauses: Clauses) -> tuple[set[Criterion], dict[Criterion, Unknown]]:
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
    clauses = CLAUSES[regime]
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
