"""Shared building blocks of the models: a frozen strict base, bilingual text, document refs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class FrozenModel(BaseModel):
    """Immutable model that rejects unknown fields, so a typo in an input file is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$"),
    Field(
        description="Identifier: lower-case letters, digits, '.', '_' or '-', not starting "
        "with punctuation (so it can never be read as a command-line option)."
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
# Strict: YAML's `yes`/`true` must not pass as level 1 or a count of 1.
Level = Annotated[int, Field(ge=1, le=5, strict=True, description="Security level 1-5 (cấp độ)")]
Count = Annotated[int, Field(ge=0, strict=True)]

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class LocalizedText(FrozenModel):
    """Text in Vietnamese (first, authoritative) and English."""

    vi: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True, slots=True)
class EvidenceDate:
    """Marks a date on which something *happened* — a document issued, an assessment made, a
    drill held — as opposed to a deadline or expiry (contract_end, valid_until, expires,
    expected_approval…), which is in the future by nature and carries no marker.

    An audit `--as-of D` sees only the evidence that existed on D (auditor/asof.py): when a
    marked date is after D, `withdraws` says what did not exist yet — "object", the whole
    object holding the date (a document, an assessment), or "field", the date itself and the
    sibling fields listed in `with_fields` (e.g. the result of that last assessment).
    """

    withdraws: Literal["object", "field"] = "field"
    with_fields: tuple[str, ...] = ()


#: The date a document was issued or an assessment made: after --as-of, it did not exist yet.
EVENT_OF_OBJECT = EvidenceDate("object")
#: A date something last happened (a drill, a change): after --as-of, it had not happened yet.
EVENT = EvidenceDate("field")


class DocumentRef(FrozenModel):
    """A legal or administrative document: decision, contract, report (số, ngày, cơ quan)."""

    number: Text = Field(description="Document number (số hiệu), e.g. '125/QĐ-UBND'")
    date: Annotated[dt.date, EVENT_OF_OBJECT] = Field(description="Date of issue (ngày ban hành)")
    body: Text | None = Field(default=None, description="Issuing body (cơ quan ban hành)")
    title: Text | None = None


def as_date(value: object) -> dt.date | None:
    """A date from a date, a datetime or ISO text; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
