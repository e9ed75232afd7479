"""Rules and rule catalogs: declarative data loaded from checklists/*.yaml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, field_serializer, field_validator, model_validator

from auditor.checks.context import CollectionName
from auditor.checks.kinds import CheckSpec, FactKey, LevelKey, by_level
from auditor.messages import MsgValueError
from auditor.model.base import FrozenModel, LocalizedText, Text
from auditor.model.inventory import Regime
from auditor.model.results import Obligation, Severity

RuleId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=40)]
Subject = Literal["system", "agency", "organisation"]
BodySubject = Literal["agency", "organisation"]


class LevelClause(FrozenModel):
    """Where a requirement sits at one level: the annex item and the clause it maps to."""

    item: Text | None = Field(
        default=None,
        description="Item of the level's annex, e.g. 'Phụ lục III, mục II.2, STT 1.1.3'",
    )
    clause: Text | None = Field(
        default=None, description="Clause at that level, e.g. 'TCVN 11930:2017 mục 7.2.1.4'"
    )

    @model_validator(mode="after")
    def _something(self) -> LevelClause:
        if self.item is None and self.clause is None:
            raise MsgValueError(
                "trích dẫn theo cấp độ cần có 'item', 'clause' hoặc cả hai",
                "a per-level reference needs 'item', 'clause' or both",
            )
        return self

    def text(self) -> str:
        if self.item is not None and self.clause is not None:
            return f"{self.item} ({self.clause})"
        return self.item or self.clause or ""


class Reference(FrozenModel):
    """Where a requirement comes from: document and clause, and under which regime.

    `levels` states the clause at each level when it differs between levels (Circular 12's
    annexes number their items per level): a system is cited the entry of its own level, and
    `clause` is the text shown when no level is known (e.g. the list of rules)."""

    document: Text
    clause: Text | None = None
    regime: Regime | None = Field(default=None, description="None: applies under both regimes")
    levels: dict[LevelKey, LevelClause] | None = Field(
        default=None,
        description="Annex item and clause at each level the rule applies to (every level of "
        "the rule's `levels`, no other)",
    )

    @field_validator("levels")
    @classmethod
    def _not_empty(
        cls, value: dict[int, LevelClause] | None
    ) -> dict[int, LevelClause] | None:
        if value is not None and not value:
            raise MsgValueError(
                "'levels' cần có ít nhất một cấp độ", "'levels' needs at least one level"
            )
        return value

    def text(self, level: int | None = None) -> str:
        """`document, clause`, with the clause of `level` when the reference states one."""
        if level is not None and self.levels is not None and level in self.levels:
            return f"{self.document}, {self.levels[level].text()}"
        return self.document + (f", {self.clause}" if self.clause else "")


class Scope(FrozenModel):
    min_level: LevelKey = 1
    max_level: LevelKey = 5

    @model_validator(mode="after")
    def _ordered(self) -> Scope:
        if self.min_level > self.max_level:
            raise MsgValueError(
                "min_level không được lớn hơn max_level", "min_level must not exceed max_level"
            )
        return self


class Rule(FrozenModel):
    id: RuleId
    digest_id: str | None = Field(
        default=None, description="Id in shared/regulations.md when it differs from `id`"
    )
    title: LocalizedText
    description: LocalizedText | None = None
    remediation: LocalizedText
    group: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    subject: Subject | tuple[BodySubject, ...] = Field(
        default="system",
        description="Who is judged: a system (default), an agency, the organisation, or each "
        "agency and the organisation itself ([agency, organisation]), each with its own facts",
    )
    levels: Scope = Scope()
    regimes: frozenset[Regime] = frozenset({Regime.ND85, Regime.ND331})
    severity: Severity | dict[LevelKey, Severity]
    obligation: Obligation = Obligation.MANDATORY
    confidence: Literal["C", "S", "U"] = "C"
    references: tuple[Reference, ...] = Field(min_length=1)
    gate: bool = Field(default=False, description="A failure blocks go-live (auditor gate)")
    in_force: dt.date | None = Field(
        default=None,
        description="The day the requirement takes effect; an audit as of an earlier day finds "
        "it not applicable (e.g. 2026-07-01 for Law 116/2025 duties)",
    )
    per: CollectionName | None = Field(
        default=None,
        description="One finding per host/endpoint/certificate, or per observed TLS "
        "connection (tls) or certificate (certs); waivers may name the subject",
    )
    applies_if: CheckSpec | None = Field(
        default=None, description="When this check does not pass, the rule is not applicable"
    )
    not_applicable: LocalizedText | None = Field(
        default=None, description="Why the rule does not apply when applies_if does not pass"
    )
    check: CheckSpec
    explain: tuple[FactKey, ...] = Field(
        default=(),
        description="Facts recorded beside the evidence to explain a result, not judged "
        "(e.g. the verification error behind chain_verified)",
    )

    @model_validator(mode="after")
    def _reference_levels(self) -> Rule:
        wanted = set(range(self.levels.min_level, self.levels.max_level + 1))
        for index, ref in enumerate(self.references):
            if ref.levels is None:
                continue
            given = set(ref.levels)
            missing, extra = sorted(wanted - given), sorted(given - wanted)
            if missing or extra:
                vi: list[str] = []
                en: list[str] = []
                scope = f"{self.levels.min_level}–{self.levels.max_level}"
                if missing:
                    listed = ", ".join(map(str, missing))
                    vi.append(f"thiếu mục cho cấp độ {listed}")
                    en.append(f"no entry for level(s) {listed}")
                if extra:
                    listed = ", ".join(map(str, extra))
                    vi.append(f"cấp độ {listed} nằm ngoài các cấp độ của quy tắc ({scope})")
                    en.append(f"level(s) {listed} outside the rule's levels {scope}")
                raise MsgValueError(
                    f"references[{index}].levels: {'; '.join(vi)}",
                    f"references[{index}].levels: {'; '.join(en)}",
                )
        return self

    @field_validator("subject")
    @classmethod
    def _subjects(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        if isinstance(value, tuple):
            if not value:
                raise MsgValueError(
                    "hãy nêu ít nhất một đối tượng", "name at least one subject"
                )
            if len(set(value)) != len(value):
                raise MsgValueError("một đối tượng được nêu hai lần", "a subject is named twice")
        return value

    @field_serializer("regimes", when_used="json")
    def _regimes_in_order(self, value: frozenset[Regime]) -> list[Regime]:
        """In the order the regimes are declared (Decree 85, then Decree 331), not a set's
        order, which changes with PYTHONHASHSEED: `rules list --format json` is the same on
        every run."""
        return [regime for regime in Regime if regime in value]

    def judged_for(self, kind: str) -> bool:
        """Is the rule judged for a subject of this kind (system, agency, organisation)?"""
        return kind == self.subject if isinstance(self.subject, str) else kind in self.subject

    @field_validator("severity")
    @classmethod
    def _severity_map(cls, value: Severity | dict[int, Severity]) -> Severity | dict[int, Severity]:
        if isinstance(value, dict) and not value:
            raise MsgValueError(
                "mức nghiêm trọng theo cấp độ cần có ít nhất một cấp độ",
                "a per-level severity needs at least one level",
            )
        return value

    def severity_at(self, level: int) -> Severity:
        resolved = by_level(self.severity, level)
        if resolved is None:  # a per-level map starting above `level`: use its lowest entry
            assert isinstance(self.severity, dict)  # noqa: S101 - by_level returns None only then
            resolved = self.severity[min(self.severity)]
        return resolved

    def applies_to(self, level: int, regime: Regime) -> bool:
        return self.levels.min_level <= level <= self.levels.max_level and regime in self.regimes

    def reference_text(self, regime: Regime | None = None, level: int | None = None) -> str:
        """The references in force under `regime` (all when None), each with the clause of
        `level` when it states one per level."""
        refs = [r for r in self.references if regime is None or r.regime in (None, regime)]
        return "; ".join(r.text(level) for r in refs)


class CatalogInfo(FrozenModel):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    title: LocalizedText
    version: str | None = None
    description: LocalizedText | None = None


class CatalogFile(FrozenModel):
    """One checklist file as written on disk."""

    catalog: CatalogInfo
    rules: tuple[Rule, ...]

    @field_validator("rules")
    @classmethod
    def _not_empty(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        # Checked here rather than with min_length: pydantic would also report min_length
        # whenever any rule is invalid, adding a bogus second problem to the message.
        if not rules:
            raise MsgValueError(
                "bộ tiêu chí cần có ít nhất một quy tắc", "a checklist needs at least one rule"
            )
        return rules


@dataclass(frozen=True)
class Catalog:
    """All rules in force for an audit, from the shipped checklists and the user's."""

    rules: tuple[Rule, ...]
    sources: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def for_level(self, level: int, regime: Regime | None = None) -> list[Rule]:
        return [
            r
            for r in self.rules
            if r.levels.min_level <= level <= r.levels.max_level
            and (regime is None or regime in r.regimes)
        ]

    @staticmethod
    def merge(files: Iterable[tuple[str, CatalogFile]]) -> Catalog:
        """Merge checklist files; duplicate rule ids are reported by the loader, not here."""
        rules: list[Rule] = []
        sources: list[str] = []
        for source, catalog_file in files:
            rules.extend(catalog_file.rules)
            sources.append(source)
        return Catalog(rules=tuple(sorted(rules, key=lambda r: r.id)), sources=tuple(sources))
