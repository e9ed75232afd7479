"""Form 08 of Decree 331/2026 as the report prints it: the covering letter, section 1 (the
general counts, worded as the form words them), section 2 (the owner and its specialised
cybersecurity unit), the per-requirement evaluation with its roadmap (Art. 36.7, 36.9-36.10)
and each agency's indicators against the targets.

Formatting only: the numbers come from `AnnualFigures`. A value neither the inventory nor the
command line gives is printed as BLANK, to fill in by hand before signing, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from auditor.model.results import CardNote, DocumentNote, LetterNote, SignerNote
from auditor.report import filters, labels
from auditor.report.annual.figures import AnnualFigures, Headline, KpiValue, Period
from auditor.rules import Catalog

BLANK = "……"
#: Decree 331/2026 Art. 38: in force from 19 August 2026.
ND331_IN_FORCE = dt.date(2026, 8, 19)


@dataclass(frozen=True, slots=True)
class LetterOptions:
    """What the command line sets on the letter; None keeps the inventory's value."""

    number: str | None = None
    date: dt.date | None = None
    place: str | None = None
    recipient: str | None = None
    signer: str | None = None
    signer_position: str | None = None
    signer_authority: str | None = None


@dataclass(frozen=True, slots=True)
class Letter:
    parent: str
    header: str
    number: str
    subject: str
    place_date: str
    recipient: str
    authority: str
    position: str
    signer: str
    copies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of section 1: the form's words, the value, and what the value leaves out."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class OwnerBlock:
    agencies: str  # the agencies reporting under this owner, by name
    owner: tuple[tuple[str, str], ...]  # (item, value)
    unit: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RequirementRow:
    rule_id: str
    title: str
    group: str
    met: str
    not_met: str
    unverified: str
    due: str
    state: str  # "met" | "not_met" | "none"


@dataclass(frozen=True, slots=True)
class AgencyKpis:
    header: tuple[str, ...]  # the indicators' titles
    rows: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]  # agency, (value, below)


@dataclass(frozen=True, slots=True)
class Form08:
    letter: Letter
    section1: tuple[Line, ...]
    retired_note: str
    regime_note: str
    owners: tuple[OwnerBlock, ...]
    requirements: tuple[RequirementRow, ...]
    agency_kpis: AgencyKpis


def _or_blank(value: str | None) -> str:
    return value if value else BLANK


def governs_nd331(period: Period) -> bool:
    """Decree 331 words for a period that reaches its entry into force."""
    return period.until >= ND331_IN_FORCE


def regime_note(period: Period, lang: str, w: Mapping[str, str]) -> str:
    """Which decree governed which part of the period (empty when one governed it all)."""
    start = filters.date(ND331_IN_FORCE, lang)
    if period.since < ND331_IN_FORCE <= period.until:
        return w["f_regimes"].format(
            since=filters.date(period.since, lang),
            before=filters.date(ND331_IN_FORCE - dt.timedelta(days=1), lang),
            start=start,
            until=filters.date(period.until, lang),
        )
    if period.until < ND331_IN_FORCE:
        return w["f_regime_85"].format(start=start)
    return ""


def _letter(
    f: AnnualFigures, declared: LetterNote | None, options: LetterOptions, w: Mapping[str, str]
) -> Letter:
    signer = declared.signer if declared is not None and declared.signer else SignerNote()
    org_owner = f.owners[0].owner if f.owners else None
    header = (declared.header if declared else None) or (org_owner.name if org_owner else None)
    recipient = options.recipient or (declared.recipient if declared else None)
    # The inventory's default recipient is written in Vietnamese; an English page says it
    # in English unless someone wrote their own.
    if recipient is None or recipient == "Bộ Công an":
        recipient = w["f_recipient_default"]
    place = options.place or (declared.place if declared else None)
    day = options.date
    place_date = w["f_place_date"].format(
        place=_or_blank(place),
        d=f"{day.day:02d}" if day else BLANK,
        m=f"{day.month:02d}" if day else BLANK,
        y=str(day.year) if day else BLANK,
    )
    return Letter(
        parent=(declared.parent if declared else None) or "",
        header=_or_blank(header or f.organisation_name).upper(),
        number=w["f_number"].format(
            number=_or_blank(options.number or (declared.number if declared else None))
        ),
        subject=w["f_subject"],
        place_date=place_date,
        recipient=w["f_to"].format(recipient=recipient),
        authority=(options.signer_authority or signer.authority or "").upper(),
        position=_or_blank(options.signer_position or signer.position).upper(),
        signer=_or_blank(options.signer or signer.name),
        copies=(w["f_as_above"], *(f"- {c};" for c in (declared.copies if declared else ())),
                w["f_archive"]),
    )


def _section1(h: Headline, lang: str, w: Mapping[str, str]) -> tuple[Line, ...]:
    def n(value: int) -> str:
        return filters.number(value, lang)

    pending = h.systems - h.approved
    if h.systems and pending == 0:
        expected, detail = w["f_all_approved"], ""
    elif h.expected_missing:
        # The latest declared date is not the answer while some systems declare none.
        latest = (
            w["f_d_latest"].format(date=filters.date(h.expected_completion, lang))
            if h.expected_completion
            else ""
        )
        expected = BLANK
        detail = w["f_d_expected_missing"].format(n=n(h.expected_missing), latest=latest)
    else:
        expected = filters.date(h.expected_completion, lang) if h.expected_completion else BLANK
        detail = ""
    periodic = h.periodic
    return (
        Line(w["f_l_total"], n(h.systems)),
        Line(
            w["f_l_classified"],
            n(h.classified),
            w["f_d_type_unknown"].format(n=n(h.type_unknown)) if h.type_unknown else "",
        ),
        Line(
            w["f_l_built"],
            n(h.built),
            w["f_d_dossier"].format(draft=n(h.dossier.get("draft", 0)), none=n(h.no_dossier)),
        ),
        Line(w["f_l_appraised"], n(h.appraised)),
        Line(w["f_l_approved"], n(h.approved)),
        Line(
            w["f_l_periodic"],
            n(h.inspected_periodic),
            w["f_d_periodic"].format(
                late=n(periodic.get("late", 0)),
                undeclared=n(periodic.get("undeclared", 0)),
                no_cycle=n(periodic.get("no_cycle", 0)),
            ),
        ),
        Line(w["f_l_expected"], expected, detail),
    )


def _document(note: DocumentNote | None, lang: str) -> str:
    if note is None:
        return BLANK
    parts = [note.number, filters.date(note.date, lang), *([note.body] if note.body else [])]
    return ", ".join(parts)


def _card(
    card: CardNote | None, name_key: str, lang: str, w: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    c = card or CardNote()
    person = ", ".join(_or_blank(x) for x in (c.representative, c.position))
    contact = ", ".join(_or_blank(x) for x in (c.phone, c.email))
    return (
        (w[name_key], _or_blank(c.name)),
        (w["f_mandate"], _document(c.mandate, lang)),
        (w["f_representative"], person),
        (w["f_address"], _or_blank(c.address)),
        (w["f_contact"], contact),
    )


def _owners(f: AnnualFigures, lang: str, w: Mapping[str, str]) -> tuple[OwnerBlock, ...]:
    names = {a.agency_id: a.name for a in f.agencies}
    blocks = []
    for owner in f.owners:
        listed = [f.organisation_name if a == "" else names.get(a, a) for a in owner.agencies]
        blocks.append(
            OwnerBlock(
                agencies=", ".join(listed),
                owner=_card(owner.owner, "f_name_owner", lang, w),
                unit=_card(owner.unit, "f_name_unit", lang, w),
            )
        )
    return tuple(blocks)


def _requirements(
    f: AnnualFigures, catalog: Catalog, lang: str, w: Mapping[str, str]
) -> tuple[RequirementRow, ...]:
    rows = []
    for req in f.requirements:
        rule = catalog.get(req.rule_id)
        title = rule.title.get(lang) if rule is not None else req.rule_id
        if req.not_met + req.unverified == 0:
            due, state = "", "met"
        else:
            parts = []
            if req.due is not None:
                when = filters.date(req.due, lang)
                parts.append(w["r_overdue"].format(date=when) if req.overdue else when)
            if req.due_unknown:
                parts.append(w["r_due_unknown"].format(n=filters.number(req.due_unknown, lang)))
            due, state = "; ".join(parts), "not_met" if req.not_met else "none"
        rows.append(
            RequirementRow(
                rule_id=req.rule_id,
                title=title,
                group=labels.group(req.group, lang),
                met=filters.number(req.met, lang),
                not_met=filters.number(req.not_met, lang),
                unverified=filters.number(req.unverified, lang),
                due=due,
                state=state,
            )
        )
    return tuple(rows)


def _kpi_value(value: KpiValue, lang: str) -> tuple[str, bool]:
    if value.value is None:
        return filters.DASH, False
    return filters.percent_value(value.value, lang), value.achieved is False


def _agency_kpis(f: AnnualFigures, lang: str, nd331: bool) -> AgencyKpis:
    first = next((a.kpis for a in f.agencies if a.kpis), ())
    header = tuple(v.kpi.title_in(lang, nd331) for v in first)
    rows = tuple(
        (agency.name, tuple(_kpi_value(v, lang) for v in agency.kpis))
        for agency in sorted(f.agencies, key=lambda a: a.agency_id)
    )
    return AgencyKpis(header, rows)


def _retired_note(f: AnnualFigures, lang: str, w: Mapping[str, str]) -> str:
    h = f.headline
    if not f.retired:
        return ""
    return w["f_retired"].format(
        before=filters.number(h.retired_before, lang),
        undated=filters.number(h.retired_undated, lang),
        names=", ".join(line.name for line in f.retired),
    )


def build_form08(
    f: AnnualFigures,
    catalog: Catalog,
    lang: str,
    w: Mapping[str, str],
    options: LetterOptions | None = None,
) -> Form08:
    return Form08(
        letter=_letter(f, f.letter, options or LetterOptions(), w),
        section1=_section1(f.headline, lang, w),
        retired_note=_retired_note(f, lang, w),
        regime_note=regime_note(f.period, lang, w),
        owners=_owners(f, lang, w),
        requirements=_requirements(f, catalog, lang, w),
        agency_kpis=_agency_kpis(f, lang, w.get("vocabulary", "nd331") == "nd331"),
    )
