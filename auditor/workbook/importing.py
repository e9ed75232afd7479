"""`auditor workbook import`: a filled workbook into the agency's YAML file, or nothing at all.

1. Read the workbook safely (auditor/workbook/reading.py) and the inventory with the project's
   safe loader (size, depth and alias limits; validated).
2. Find every answer, bad cell and stale answer (auditor/workbook/answers.py). Any problem:
   all of them are reported at once (exit 2) and nothing is written.
3. Edit the agency's file with a round trip that keeps comments and layout
   (auditor/workbook/yaml_edit.py), each value citing its cell.
4. Validate the edited text exactly as `auditor validate` would read it; only then replace the
   file (atomically). With no answer to write, the file is not touched: byte-identical.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap

from auditor.errors import CombinedInputError, InputError, Location
from auditor.files import write_atomic
from auditor.loading.inventory import InventoryFile, load_inventory
from auditor.loading.marks import cited_cells
from auditor.loading.safe_yaml import parse_yaml, read_text
from auditor.loading.validation import validate
from auditor.messages import Msg
from auditor.model.inventory import Agency, System, SystemDefaults
from auditor.workbook.answers import (
    Answers,
    WorkbookCellsError,
    evidence_answers,
    fact_answers,
)
from auditor.workbook.reading import read_workbook
from auditor.workbook.sheets import FACT_SHEETS
from auditor.workbook.yaml_edit import YamlDocument, add_attestation, seed_section, set_fact


@dataclass(frozen=True)
class ImportOutcome:
    agency: str
    file: str  # the agency's inventory file
    written: bool
    facts: int
    attestations: int
    unchanged: int
    #: The agency's file changed after the export (answers were merged cell by cell).
    changed_since_export: bool
    exported_at: str


def cited_name(path: Path) -> str:
    """The workbook's name as comments cite it (no spaces, '!' or '#')."""
    return re.sub(r"[\s!#]", "_", path.name)


def import_workbook(
    workbook: Path, into: Sequence[Path], *, dry_run: bool = False
) -> ImportOutcome:
    book = read_workbook(workbook)
    loaded = load_inventory(into)
    agency_id = book.metadata.get("agency", "")
    agency = next((a for a in loaded.inventory.agencies if a.id == agency_id), None)
    if agency is None:
        raise InputError(
            Location(str(workbook)),
            Msg(f"bảng tính của cơ quan '{agency_id}', cơ quan này không có trong danh mục "
                "kiểm kê đã cho",
                f"the workbook is agency '{agency_id}''s, which the given inventory does not "
                "hold"),
        )
    origin = loaded.agency_origins[agency.id][""]
    file = origin.file or ""
    known = {f.path: f.sha256 for f in loaded.files}
    answers = Answers()
    for spec in FACT_SHEETS:
        fact_answers(book, agency, spec, answers)
    evidence_answers(book, agency, answers)
    if len(answers.problems) == 1:
        raise answers.problems[0]
    if answers.problems:
        raise WorkbookCellsError(workbook.name, answers.problems)
    outcome = ImportOutcome(
        agency=agency.id,
        file=file,
        written=False,
        facts=len(answers.facts),
        attestations=len(answers.attestations),
        unchanged=answers.unchanged,
        changed_since_export=book.metadata.get("agency_file_sha256") != known.get(file),
        exported_at=book.metadata.get("exported_at", ""),
    )
    if answers.changes == 0 or dry_run:
        return outcome
    text = _edited(Path(file), known.get(file), answers, cited_name(workbook), agency)
    write_atomic(Path(file), text.encode("utf-8"))
    return replace(outcome, written=True)


def _cells_behind(text: str, line: int | None, book: str) -> list[str]:
    """The cells cited by the edited text at `line` and in the block under it: the answers a
    validation error on that line (a value, or a mapping the model checks as a whole, such as
    staff figures) comes from."""
    if line is None:
        return []
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return []
    cited = cited_cells(text)
    first = lines[line - 1]
    base = len(first) - len(first.lstrip(" "))
    item = first.lstrip(" ").startswith("- ")
    cells = [cited[line]] if line in cited else []
    for number, following in enumerate(lines[line:], start=line + 1):
        body = following.lstrip(" ")
        spaces = len(following) - len(body)
        # Under the line: deeper lines, and for a key, a list written at its own indent.
        under = spaces > base or (spaces == base and not item and body.startswith("- "))
        if body and not body.startswith("#") and not under:
            break
        if number in cited:
            cells.append(cited[number])
    # Only this workbook's cells: values an earlier import wrote keep their own citations.
    return [cell for cell in cells if cell.startswith(f"{book}!")]


def _refused_cells(edited: str, error: InputError, book: str) -> InputError | None:
    """The model's refusal of the edited file said against the cells it comes from (the
    edited file is never written, so its lines would point nowhere), or None when some
    problem does not come from an answer."""
    problems = error.problems if isinstance(error, CombinedInputError) else (error,)
    said: list[InputError] = []
    for problem in problems:
        cells = _cells_behind(edited, problem.location.line, book)
        if not cells:
            return None
        said.append(InputError(
            Location(", ".join(dict.fromkeys(cells)), field=problem.location.field),
            Msg(f"câu trả lời không hợp lệ, không ghi gì: {problem.problem.vi}",
                f"the answer is not valid; nothing written: {problem.problem.en}"),
        ))
    return said[0] if len(said) == 1 else CombinedInputError(said)


def _own_section(subject: CommentedMap, system: System, key: str) -> None:
    """A value answered inside a section the system inherits from its agency's or province's
    defaults (a security regulation, a four-layer layer): the section is copied into the
    system whole first, then changed — sections are inherited whole, four_layer layer by layer
    (auditor/loading/inventory.py), so a half-copied section would lose the rest."""
    parts = key.split(".")
    if parts[0] not in SystemDefaults.model_fields or len(parts) < 2:
        return
    path = parts[:2] if parts[0] == "four_layer" else parts[:1]
    if len(parts) <= len(path):
        return
    section: Any = system
    for part in path:
        section = getattr(section, part, None)
    if isinstance(section, BaseModel):
        seed_section(subject, path, section.model_dump(exclude_unset=True))


def _edited(path: Path, sha256: str | None, answers: Answers, name: str, model: Agency) -> str:
    text, raw = read_text(path)
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise InputError(
            Location(str(path)),
            Msg("tệp thay đổi trong lúc nhập: hãy chạy lại", "the file changed during the "
                "import: run it again"),
        )
    document = YamlDocument(text)
    agency = document.agency(model.id)
    systems = {s.id: s for s in model.systems}
    for fact in answers.facts:
        if fact.kind == "agency":
            set_fact(agency, fact.key, fact.value, f"{name}!{fact.cell}", fact.kind)
            continue
        subject = document.system(agency, fact.subject)
        if fact.collection is not None and fact.index is not None:
            item = subject[fact.collection][fact.index]
            set_fact(item, fact.key, fact.value, f"{name}!{fact.cell}", fact.collection)
            continue
        _own_section(subject, systems[fact.subject], fact.key)
        set_fact(subject, fact.key, fact.value, f"{name}!{fact.cell}", fact.kind)
    for change in answers.attestations:
        subject = agency if change.kind == "agency" else document.system(agency, change.subject)
        add_attestation(subject, change.attestation, f"{name}!{change.cell}", change.kind)
    edited = document.dump()
    try:
        validate(InventoryFile, parse_yaml(edited, str(path)), str(path))
    except InputError as exc:
        refused = _refused_cells(edited, exc, name)
        if refused is not None:
            raise refused from exc
        raise InputError(
            Location(str(path)),
            Msg(f"các câu trả lời sẽ làm danh mục kiểm kê không hợp lệ, không ghi gì: "
                f"{exc.render('vi')}",
                f"the answers would make the inventory invalid; nothing written: "
                f"{exc.render('en')}"),
        ) from exc
    return edited
