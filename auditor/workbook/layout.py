"""Where things are in an agency workbook: sheet names, rows, and the metadata keys.

Sheet names are short ASCII words in every language, so a cell is cited the same way in any
report (`so-y-te.xlsx!Systems!D12`); headers and help are in the workbook's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from auditor.model.inventory import Agency, System
from auditor.workbook.cells import canonical_of
from auditor.workbook.fields import SYSTEM_FIELDS, Field
from auditor.workbook.sheets import FactSheet

FORMAT = "auditor-workbook/1"

SYSTEMS = "Systems"
DOCUMENTS = "Documents"
STAFF = "Staff"
EVIDENCE = "Evidence"
METADATA = "Metadata"
LISTS = "Lists"

HEADER_ROW = 1
HELP_ROW = 2
FIRST_ROW = 3  # the first row of data on Systems and Evidence

#: Evidence sheet: the columns before the answers (locked), then the answers (open).
EVIDENCE_FIXED = ("subject", "name", "item", "rule", "asked", "reference")

#: The hidden column of each data row holding what the export wrote (JSON).
EXPORTED_KEY = "_exported"


def declared(subject: BaseModel, key: str) -> Any:
    """The value a system or agency declares at dotted `key`; None when it declares none (a
    field with a model default, e.g. real_data=false, counts only when written)."""
    node: Any = subject
    for part in key.split("."):
        if node is None or part not in node.model_fields_set:
            return None
        node = getattr(node, part)
    return node


def subject_values(subject: BaseModel, fields: Sequence[Field]) -> dict[str, str | None]:
    """Every fact of a sheet's row as canonical text (None: not declared)."""
    return {f.key: canonical_of(f.kind, f.choices, declared(subject, f.key)) for f in fields}


def system_values(system: System) -> dict[str, str | None]:
    """Every Systems-sheet fact of `system` as canonical text (None: not declared)."""
    return subject_values(system, SYSTEM_FIELDS)


def metadata_rows(
    *, tool_version: str, agency: str, lang: str, exported_at: dt.datetime, agency_file: str,
    agency_sha256: str, files: list[tuple[str, str]],
) -> list[tuple[str, str]]:
    rows = [
        ("format", FORMAT),
        ("tool_version", tool_version),
        ("agency", agency),
        ("lang", lang),
        ("exported_at", exported_at.isoformat(timespec="seconds")),
        ("agency_file", agency_file),
        ("agency_file_sha256", agency_sha256),
    ]
    rows += [(f"inventory_sha256:{path}", sha) for path, sha in files]
    return rows


@dataclass(frozen=True)
class Row:
    """One data row of a sheet of facts: whose facts, and how the row names it."""

    id: str  # column A: the system's (or agency's) id
    name: str  # column B: its name, or the item's URL / host name / certificate
    model: BaseModel  # whose facts the row holds
    index: int | None = None  # an item's position in its system's collection


def item_name(spec: FactSheet, item: BaseModel) -> str:
    return next(
        str(getattr(item, key)) for key in spec.identity if getattr(item, key, None) is not None
    )


def sheet_rows(spec: FactSheet, agency: Agency) -> list[Row]:
    if spec.subject == "agency":
        return [Row(agency.id, agency.name, agency)]
    if spec.collection is None:
        return [Row(s.id, s.name, s) for s in agency.systems]
    return [
        Row(system.id, item_name(spec, item), item, index)
        for system in agency.systems
        for index, item in enumerate(getattr(system, spec.collection))
    ]
