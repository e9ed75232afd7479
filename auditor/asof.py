"""`--as-of` is a point in time: the inventory as it stood on the audit date.

Pure. An audit as of D sees only the evidence that existed on D. Which dates are *evidence*
(a document's date of issue, an assessment's date, the last drill...) rather than deadlines
(contract_end, valid_until, expires, expected_approval...) is declared in the models with the
`EvidenceDate` marker (auditor/model/base.py); this module is the one place that acts on it.

`inventory_as_of` withdraws every piece of evidence dated after D — the object holding the date
(a document, an assessment) or the date and its companion fields (`last_assessment` and the
`result` of that assessment) — so that every check, builtin, the regime decision and the
register treat it exactly as if it were not declared, and records why under its fact key.
Checks show that reason instead of "not declared" (checks/kinds.py), and the engine adds it to
any finding whose evidence it withdrew (engine.py), so a finding never passes on a document
that did not exist yet and always says so ("… ngày 08/07/2026, sau ngày đánh giá …").

A dossier whose approval decision is withdrawn was not approved on D: its status falls back to
the step the remaining evidence proves — `appraised` with an appraisal document dated by D,
`submitted` with a submission date by D, else `draft`.

Attestations and waivers are not withdrawn here (they are inputs that must be accounted for):
the `attested` check and the engine's waiver step judge their dates with `not_yet_in_force`.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from auditor.model.base import EvidenceDate
from auditor.model.inventory import Agency, DossierStatus, Inventory, LevelDossier
from auditor.model.results import Text2

M = TypeVar("M", bound=BaseModel)

#: Sections judged by their own consumers (attested checks, waivers) or by themselves (the
#: systems of an agency; `defaults`, already copied into each system by the loader).
_NOT_WITHDRAWN = frozenset({"attestations", "waivers", "systems", "defaults"})
#: A date this far after the audit date is more likely a typing error than a plan.
IMPLAUSIBLE_DAYS = 366


def vn_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def not_yet_text(
    what: str,
    day: dt.date,
    as_of: dt.date,
    what_en: str | None = None,
    dated: tuple[str, str] = ("ngày", "dated"),
) -> Text2:
    """'<what> dated <day>, after the audit date <as_of>: not evidence yet' (vi first);
    `what_en` names it in English when `what` is Vietnamese words rather than a fact key."""
    typo_vi = typo_en = ""
    if (day - as_of).days > IMPLAUSIBLE_DAYS:
        typo_vi = " (ngày quá xa trong tương lai, có thể nhập sai)"
        typo_en = " (implausibly far in the future: a typing error?)"
    return Text2(
        vi=f"{what} {dated[0]} {vn_date(day)}, sau ngày đánh giá {vn_date(as_of)}{typo_vi}: "
        "chưa phải là bằng chứng",
        en=f"{what_en or what} {dated[1]} {day.isoformat()}, after the audit date "
        f"{as_of.isoformat()}{typo_en}: not evidence yet",
    )


def _label(key: str, model: BaseModel | None) -> str:
    number = getattr(model, "number", None)
    return f"'{key}' ({number})" if isinstance(number, str) else f"'{key}'"


@dataclass
class _Walk:
    as_of: dt.date
    reasons: dict[str, Text2] = field(default_factory=dict)


def _evidence_fields(model: BaseModel) -> tuple[tuple[str, EvidenceDate], ...]:
    return _marked(type(model))


@functools.cache
def _plan(cls: type[BaseModel]) -> tuple[tuple[tuple[str, EvidenceDate], ...], tuple[str, ...]]:
    """(the class's marked date fields, its fields that may hold marked dates deeper down):
    computed once per class from the annotations, so the walk skips hosts, classification…"""
    return _marked(cls), tuple(
        name for name in _deeper(cls) if name not in _NOT_WITHDRAWN
    )


@functools.cache
def _marked(cls: type[BaseModel]) -> tuple[tuple[str, EvidenceDate], ...]:
    return tuple(
        (name, meta)
        for name, info in cls.model_fields.items()
        for meta in info.metadata
        if isinstance(meta, EvidenceDate)
    )


@functools.cache
def _deeper(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        name
        for name, info in cls.model_fields.items()
        if any(_holds_evidence(inner) for inner in _models_in(info.annotation))
    )


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


_VISITING: set[type[BaseModel]] = set()


@functools.cache
def _holds_evidence(cls: type[BaseModel]) -> bool:
    if cls in _VISITING:  # a recursive model: the answer comes from its other fields
        return False
    _VISITING.add(cls)
    try:
        return bool(_marked(cls) or _deeper(cls))
    finally:
        _VISITING.discard(cls)


def _withdrawn_by(model: BaseModel, walk: _Walk, path: str) -> tuple[str, dt.date] | None:
    """(key of the date, date) when the whole object did not exist yet on the audit date."""
    for name, marker in _evidence_fields(model):
        day = getattr(model, name)
        if marker.withdraws == "object" and isinstance(day, dt.date) and day > walk.as_of:
            return _join(path, name), day
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _view(model: M, walk: _Walk, path: str) -> M:
    """The model without its evidence dated after the audit date (reasons go to `walk`)."""
    update: dict[str, Any] = {}
    for name, marker in _evidence_fields(model):
        day = getattr(model, name)
        if marker.withdraws != "field" or not isinstance(day, dt.date) or day <= walk.as_of:
            continue
        reason = not_yet_text(f"'{_join(path, name)}'", day, walk.as_of)
        for withdrawn in (name, *marker.with_fields):
            update[withdrawn] = None
            walk.reasons[_join(path, withdrawn)] = reason
    cls = type(model)
    for name in _plan(cls)[1]:
        value = getattr(model, name)
        if value is None or name in update:
            continue
        key = _join(path, name)
        if isinstance(value, BaseModel):
            gone = _withdrawn_by(value, walk, key)
            if gone is not None and name in _optional(cls):
                walk.reasons[key] = not_yet_text(_label(key, value), gone[1], walk.as_of)
                update[name] = None
                continue
            seen = _view(value, walk, key)
            if seen is not value:
                update[name] = seen
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            kept = _view_all(value, walk, key)
            if len(kept) != len(value) or any(a is not b for a, b in zip(kept, value, strict=True)):
                update[name] = kept
        elif isinstance(value, Mapping) and any(isinstance(v, BaseModel) for v in value.values()):
            entries = {k: _view(v, walk, f"{key}.{k}") for k, v in value.items()}
            if any(entries[k] is not value[k] for k in value):
                update[name] = entries
    if isinstance(model, LevelDossier):
        _dossier_status(model, update, walk, path)
    return model.model_copy(update=update) if update else model


@functools.cache
def _optional(cls: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, info in cls.model_fields.items() if not info.is_required())


def _view_all(items: tuple[M, ...], walk: _Walk, key: str) -> tuple[M, ...]:
    """Elements of a list (e.g. budget.projects) that existed on the audit date."""
    kept = []
    for index, item in enumerate(items):
        gone = _withdrawn_by(item, walk, f"{key}[{index}]")
        if gone is None:
            kept.append(_view(item, walk, f"{key}[{index}]"))
            continue
        name = getattr(item, "name", None) or index
        text = not_yet_text(f"'{key}' [{name}]", gone[1], walk.as_of)
        previous = walk.reasons.get(key)
        walk.reasons[key] = text if previous is None else Text2(
            vi=f"{previous.vi}; {text.vi}", en=f"{previous.en}; {text.en}"
        )
    return tuple(kept)


def _dossier_status(
    dossier: LevelDossier, update: dict[str, Any], walk: _Walk, path: str
) -> None:
    """An approval (or appraisal, submission) dated after the audit date had not happened: the
    status falls back to the step the remaining evidence proves."""
    proof = {
        DossierStatus.APPROVED: "decision",
        DossierStatus.APPRAISED: "appraisal",
        DossierStatus.SUBMITTED: "submitted",
    }.get(dossier.status)
    because = walk.reasons.get(_join(path, proof)) if proof is not None else None
    if because is None:
        return

    def kept(name: str) -> Any:
        return update[name] if name in update else getattr(dossier, name)

    if dossier.status is DossierStatus.APPROVED and kept("appraisal") is not None:
        status = DossierStatus.APPRAISED
    elif dossier.status is not DossierStatus.SUBMITTED and kept("submitted") is not None:
        status = DossierStatus.SUBMITTED
    else:
        status = DossierStatus.DRAFT
    update["status"] = status
    key = _join(path, "status")
    walk.reasons[key] = Text2(
        vi=f"'{key}' = {dossier.status.value} theo danh mục kiểm kê nhưng chưa như vậy tại ngày "
        f"đánh giá (bước có bằng chứng đến ngày đó: {status.value}): {because.vi}",
        en=f"'{key}' is {dossier.status.value} in the inventory but not yet on the audit date "
        f"(the last step evidenced by then: {status.value}): {because.en}",
    )


@dataclass(frozen=True)
class InventoryAsOf:
    """The inventory as it stood on the audit date, and why each withdrawn fact is missing.

    `systems`, `agencies` and `organisation` map a fact key (as rules name it) to the reason it
    is not evidence yet.
    """

    inventory: Inventory
    systems: Mapping[str, Mapping[str, Text2]]
    agencies: Mapping[str, Mapping[str, Text2]]
    organisation: Mapping[str, Text2]


def view_as_of(model: M, as_of: dt.date) -> tuple[M, dict[str, Text2]]:
    """One system, agency or organisation as it stood on the audit date, and why each
    withdrawn fact is missing (an agency's systems are not part of its view: view each)."""
    walk = _Walk(as_of)
    return _view(model, walk, ""), walk.reasons


def inventory_as_of(inventory: Inventory, as_of: dt.date) -> InventoryAsOf:
    systems: dict[str, Mapping[str, Text2]] = {}
    agencies: dict[str, Mapping[str, Text2]] = {}
    new_agencies: list[Agency] = []
    for agency in inventory.agencies:
        kept = []
        for system in agency.systems:
            seen_system, reasons = view_as_of(system, as_of)
            kept.append(seen_system)
            if reasons:
                systems[system.id] = reasons
        seen, reasons = view_as_of(agency, as_of)
        if reasons:
            agencies[agency.id] = reasons
        new_agencies.append(seen.model_copy(update={"systems": tuple(kept)}))
    organisation, org_reasons = view_as_of(inventory.organisation, as_of)
    if not systems and not agencies and not org_reasons:
        return InventoryAsOf(inventory, {}, {}, {})
    return InventoryAsOf(
        inventory.model_copy(
            update={"organisation": organisation, "agencies": tuple(new_agencies)}
        ),
        systems,
        agencies,
        org_reasons,
    )


Location = tuple[int | str, ...]


def future_evidence(model: BaseModel, after: dt.date) -> Iterator[tuple[Location, dt.date]]:
    """Every evidence date in `model` (anywhere, attestations and waivers included) later than
    `after`, with its location — for validation: a document dated after today cannot exist."""
    yield from _future(model, after, ())


def _future(node: Any, after: dt.date, loc: Location) -> Iterator[tuple[Location, dt.date]]:
    if isinstance(node, BaseModel):
        # Only the marked dates and the fields that can hold marked dates deeper down (the
        # same per-class plan as the as-of view, attestations and waivers included here).
        cls = type(node)
        for name, _ in _marked(cls):
            value = getattr(node, name)
            if isinstance(value, dt.date) and value > after:
                yield (*loc, name), value
        for name in _deeper(cls):
            yield from _future(getattr(node, name), after, (*loc, name))
    elif isinstance(node, tuple):
        for index, value in enumerate(node):
            yield from _future(value, after, (*loc, index))
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _future(value, after, (*loc, str(key)))
