"""Helpers of the workbook tests: a copy of the example, export, cells by field, import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
from conftest import AS_OF, EXAMPLE, CliResult, run_cli

AGENCY = "so-y-te"


def copy_example(base: Path) -> Path:
    target = base / "inventory"
    shutil.copytree(EXAMPLE, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def export(inventory: Path, out: Path, *extra: str, agency: str = AGENCY) -> CliResult:
    return run_cli("workbook", "export", inventory, "--agency", agency, "-o", out,
                   "--as-of", AS_OF.isoformat(), *extra)


def import_(workbook: Path, inventory: Path, *extra: str) -> CliResult:
    return run_cli("workbook", "import", workbook, "--into", inventory, *extra)


def metadata(book: Any) -> dict[str, str]:
    sheet = book["Metadata"]
    return {str(r[0]): r[1] for r in sheet.iter_rows(values_only=True) if r[0] is not None}


def column(book: Any, sheet: str, key: str) -> str:
    """The column letter of a field (from the workbook's own metadata)."""
    keys = json.loads(metadata(book)["columns"])[sheet]
    return openpyxl.utils.get_column_letter(keys.index(key) + 1)


def row_of(book: Any, sheet: str, first: str, wanted: str, start: int = 3) -> int:
    """The first data row whose column A is `wanted`."""
    for row in range(start, book[sheet].max_row + 1):
        if book[sheet][f"A{row}"].value == wanted:
            return row
    raise AssertionError(f"{wanted} not in {sheet}!{first}")


def cell(book: Any, sheet: str, key: str, row: int) -> Any:
    return book[sheet][f"{column(book, sheet, key)}{row}"]


def evidence_row(book: Any, subject: str, rule: str) -> int:
    sheet = book["Evidence"]
    for row in range(3, sheet.max_row + 1):
        if sheet[f"A{row}"].value == subject and sheet[f"D{row}"].value == rule:
            return row
    raise AssertionError(f"no evidence request {rule} for {subject}")


def answer_evidence(book: Any, row: int, **values: Any) -> None:
    for key, value in values.items():
        cell(book, "Evidence", key, row).value = value


def audit_json(inventory: Path, out: Path) -> dict[str, Any]:
    from conftest import read_results_json

    result = run_cli("audit", inventory, "--as-of", AS_OF.isoformat(), "--json", out, "-q",
                     "--no-history")
    assert result.code in (0, 1), result.stderr
    return read_results_json(out)


def finding(results: dict[str, Any], system: str, rule: str) -> dict[str, Any]:
    for owner in (*results["systems"], *results["agencies"]):
        if owner["id"] == system:
            for item in owner["findings"]:
                if item["rule_id"] == rule:
                    return item  # type: ignore[no-any-return]
    raise AssertionError(f"no finding {rule} for {system}")
