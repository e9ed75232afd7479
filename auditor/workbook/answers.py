"""What an agency answered in its workbook, against the inventory as it is now.

Each data row keeps what the export wrote in it (a hidden column). A cell that differs from
that is an *answer*. Three values decide what happens to an answer (a three-way merge):

- the inventory still holds what was exported: the answer is a change to write;
- the inventory already holds the answer (imported before): nothing to do;
- the inventory holds something else (it changed since the export): the answer is *stale*,
  reported for its row and cell, never written over the newer value.

A cell that cannot be read (a date that is no date, a level 7, a choice not in the list) is an
error naming `sheet!cell`, the field and the value. Every problem of the workbook is found in
one pass; the import writes nothing unless there are none.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from auditor.errors import CombinedInputError, InputError, Location
from auditor.messages import Msg
from auditor.model.inventory import Agency, Attestation
from auditor.workbook import layout
from auditor.workbook.cells import CellError, parse, shown, to_yaml
from auditor.workbook.fields import EVIDENCE_ANSWERS
from auditor.workbook.reading import FormulaCell, ReadWorkbook, SheetRow
from auditor.workbook.sheets import FactSheet


@dataclass(frozen=True)
class FactChange:
    kind: Literal["system", "agency"]
    subject: str
    key: str
    value: Any  # the YAML value; None removes the declaration
    cell: str  # "Systems!D12"
    collection: str | None = None  # an item's: "hosts", "endpoints", "certificates"
    index: int | None = None  # its position in the system's collection


@dataclass(frozen=True)
class AttestationChange:
    kind: Literal["system", "agency"]
    subject: str
    attestation: dict[str, Any]
    cell: str


class WorkbookCellsError(CombinedInputError):
    """Every bad cell of one workbook, one `book!Sheet!A1: field '…': …` line each."""

    def __init__(self, name: str, problems: list[InputError]) -> None:
        super().__init__(problems)
        self.name = name

    def render(self, lang: str) -> str:
        if self.total == 1:
            return self.problems[0].render(lang)
        english = lang == "en"
        lines = [f"{self.name}: {self.total} {'problems' if english else 'lỗi'}:"]
        lines.extend(f"  {problem.render(lang)}" for problem in self.problems)
        rest = self.total - len(self.problems)
        if rest > 0:
            lines.append(f"  ... and {rest} more" if english else f"  ... và {rest} lỗi khác")
        return "\n".join(lines)


@dataclass
class Answers:
    facts: list[FactChange] = field(default_factory=list)
    attestations: list[AttestationChange] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    unchanged: int = 0  # answers the inventory already holds

    @property
    def changes(self) -> int:
        return len(self.facts) + len(self.attestations)


class _Sheet:
    def __init__(self, book: ReadWorkbook, name: str, answers: Answers) -> None:
        self.book = book
        self.name = name
        self.answers = answers

    def ref(self, row: SheetRow, key: str) -> str:
        return f"{self.name}!{row.columns[key]}{row.number}"

    def problem(self, row: SheetRow, key: str, field_name: str | None, text: Msg) -> None:
        where = Location(f"{self.book.name}!{self.ref(row, key)}", None, None, field_name)
        self.answers.problems.append(InputError(where, text))

    def read(self, row: SheetRow, key: str, kind: Any, choices: Any, field_name: str) -> Any:
        """The canonical text of a cell, or `_BAD` after recording why it cannot be read."""
        value = row.values.get(key)
        if isinstance(value, FormulaCell):
            self.problem(row, key, field_name, Msg(
                f"ô chứa công thức {shown(value.text)}: hãy gõ giá trị, không dùng công thức",
                f"the cell holds a formula {shown(value.text)}: type the value, not a formula",
            ))
            return _BAD
        try:
            return parse(kind, choices, value)
        except CellError as exc:
            self.problem(row, key, field_name, exc.text)
            return _BAD

    def exported(self, row: SheetRow) -> dict[str, Any] | None:
        raw = row.values.get(layout.EXPORTED_KEY)
        try:
            data = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self.problem(row, layout.EXPORTED_KEY, None, Msg(
                "dòng này không do bảng tính xuất ra (thiếu hoặc hỏng cột ẩn _exported): "
                "không thêm dòng hay sửa cột ẩn; hãy xuất lại bảng tính",
                "this row was not written by the export (hidden column _exported missing or "
                "damaged): do not add rows or edit hidden columns; export again",
            ))
            return None
        return data


_BAD = object()


def _stale(sheet: _Sheet, row: SheetRow, key: str, label: str, now: str | None,
           then: str | None, answer: str | None) -> None:
    def text(value: str | None) -> str:
        return "(trống)" if value is None else repr(value)

    def text_en(value: str | None) -> str:
        return "(empty)" if value is None else repr(value)

    sheet.problem(row, key, label, Msg(
        f"danh mục kiểm kê đã thay đổi sau khi xuất bảng tính: nay là {text(now)}, lúc xuất là "
        f"{text(then)}, câu trả lời là {text(answer)}; không ghi đè — hãy xuất lại bảng tính "
        "và nhập lại câu trả lời",
        f"the inventory changed after the export: now {text_en(now)}, exported "
        f"{text_en(then)}, answered {text_en(answer)}; not written over — export again and "
        "enter the answer there",
    ))


def fact_answers(book: ReadWorkbook, agency: Agency, spec: FactSheet, answers: Answers) -> None:
    """The answers of one sheet of facts (Systems, Documents, Staff)."""
    if spec.name not in book.sheets:
        return
    sheet = _Sheet(book, spec.name, answers)
    items = spec.collection is not None
    rows = {(r.id, r.name if items else None): r for r in layout.sheet_rows(spec, agency)}
    for row in book.sheets[spec.name]:
        subject_id, item = row.values.get("id"), row.values.get("name") if items else None
        subject = rows.get((str(subject_id), None if item is None else str(item)))
        if subject is None and not _answered(row, spec, sheet.exported(row) or {}):
            continue  # gone since the export, and nothing was answered for it
        if subject is None:
            what = f"{shown(subject_id)} / {shown(item)}" if items else shown(subject_id)
            sheet.problem(row, "id", "id", Msg(
                f"không có {_WHAT[spec.subject]} {what} trong cơ quan {agency.id} "
                "(đã bị xóa hoặc đổi mã sau khi xuất?)",
                f"no {spec.subject} {what} in agency {agency.id} (removed or "
                "renamed since the export?)",
            ))
            continue
        exported = sheet.exported(row)
        if exported is None:
            continue
        current = layout.subject_values(subject.model, spec.fields)
        final = dict(current)
        for asked in spec.fields:
            answer = sheet.read(row, asked.key, asked.kind, asked.choices, asked.key)
            then = exported.get(asked.key)
            if answer is _BAD or answer == then:
                continue
            now = current[asked.key]
            if answer == now:
                answers.unchanged += 1
            elif now != then:
                _stale(sheet, row, asked.key, asked.key, now, then, answer)
            elif answer is None and asked.required:
                sheet.problem(row, asked.key, asked.key, Msg(
                    "không được để trống: hãy chọn một giá trị",
                    "cannot be empty: choose a value",
                ))
            else:
                final[asked.key] = answer
                value = None if answer is None else to_yaml(asked.kind, answer)
                answers.facts.append(FactChange(
                    spec.subject, subject.id, asked.key, value, sheet.ref(row, asked.key),
                    spec.collection, subject.index,
                ))
        _together(sheet, row, spec, final)
        _whole_objects(answers, spec, subject.id, current, final, sheet.ref(row, "id"))


def _whole_objects(answers: Answers, spec: FactSheet, subject: str, current: dict[str, Any],
                   final: dict[str, Any], ref: str) -> None:
    """An object (a document) whose every cell was emptied is removed whole, with the keys
    the workbook does not show (its title): what is left would not be a document."""
    for keys in spec.together:
        prefix = keys[0].rpartition(".")[0]
        inside = [k for k in final if k.startswith(prefix + ".")]
        if any(current[k] is not None for k in inside) and all(final[k] is None for k in inside):
            answers.facts[:] = [
                f for f in answers.facts
                if not (f.subject == subject and f.key.startswith(prefix + "."))
            ]
            answers.facts.append(FactChange(spec.subject, subject, prefix, None, ref))


_WHAT = {"system": "hệ thống", "agency": "cơ quan"}


def _answered(row: SheetRow, spec: FactSheet, exported: dict[str, Any]) -> bool:
    """Whether any cell of the row differs from what the export wrote (a bad cell does)."""
    for asked in spec.fields:
        value = row.values.get(asked.key)
        try:
            if isinstance(value, FormulaCell) or (
                parse(asked.kind, asked.choices, value) != exported.get(asked.key)
            ):
                return True
        except CellError:
            return True
    return False


def _together(sheet: _Sheet, row: SheetRow, spec: FactSheet, final: dict[str, Any]) -> None:
    """Keys that make one object (a document's number and date) are all given, or none."""
    for keys in spec.together:
        prefix = keys[0].rpartition(".")[0] + "."
        if not any(v is not None for k, v in final.items() if k.startswith(prefix)):
            continue
        headers = {f.key: f for f in spec.fields}
        for key in keys:
            if final.get(key) is None:
                names_vi = ", ".join(f"'{headers[k].vi}'" for k in keys)
                names_en = ", ".join(f"'{headers[k].en}'" for k in keys)
                sheet.problem(row, key, key, Msg(
                    f"thiếu '{headers[key].vi}': khi đã ghi một phần thì cần đủ {names_vi}",
                    f"'{headers[key].en}' is missing: once part of it is given, {names_en} "
                    "are all needed",
                ))


def _held(agency: Agency) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(kind, id) -> topic -> the document numbers attested, for the agency and its systems."""
    owners: list[tuple[str, str, tuple[Attestation, ...]]] = [
        ("agency", agency.id, agency.attestations),
        *(("system", s.id, s.attestations) for s in agency.systems),
    ]
    held: dict[tuple[str, str], dict[str, list[str]]] = {}
    for kind, owner, attestations in owners:
        topics = held.setdefault((kind, owner), {})
        for attestation in attestations:
            topics.setdefault(attestation.rule, []).append(attestation.document.number)
    return held


def evidence_answers(book: ReadWorkbook, agency: Agency, answers: Answers) -> None:
    sheet = _Sheet(book, layout.EVIDENCE, answers)
    held = _held(agency)
    for row in book.sheets[layout.EVIDENCE]:
        read = {a.key: sheet.read(row, a.key, a.kind, (), a.key) for a in EVIDENCE_ANSWERS}
        if all(v is None for v in read.values()):
            continue
        bad = any(v is _BAD for v in read.values())
        missing = [a for a in EVIDENCE_ANSWERS[:4] if a.key != "body" and read[a.key] is None]
        for answer in missing:
            sheet.problem(row, answer.key, answer.key, Msg(
                f"thiếu '{answer.vi}': một xác nhận cần số văn bản, ngày văn bản và người "
                "xác nhận",
                f"'{answer.en}' is missing: an attestation needs the document number, its date "
                "and who attests it",
            ))
        exported = sheet.exported(row)
        if bad or missing or exported is None:
            continue
        if read["valid_until"] is not None and read["valid_until"] < read["date"]:
            sheet.problem(row, "valid_until", "valid_until", Msg(
                f"hiệu lực đến {_dmy(read['valid_until'])}, trước ngày văn bản "
                f"{_dmy(read['date'])}",
                f"valid until {read['valid_until']}, before the document's date {read['date']}",
            ))
            continue
        kind, subject = exported.get("kind"), exported.get("subject")
        topics = held.get((str(kind), str(subject)))
        topic = exported.get("topic")
        if topics is None or kind not in ("system", "agency") or not isinstance(topic, str):
            sheet.problem(row, "subject", "subject", Msg(
                f"không có đối tượng {shown(exported.get('subject'))} trong cơ quan {agency.id}",
                f"no subject {shown(exported.get('subject'))} in agency {agency.id}",
            ))
            continue
        numbers = topics.get(topic, [])
        if read["number"] in numbers:
            answers.unchanged += 1
            continue
        if numbers != list(exported.get("existing") or []):
            then = ", ".join(exported.get("existing") or []) or None
            _stale(sheet, row, "number", f"attestations[{topic}]", ", ".join(numbers) or None,
                   then, read["number"])
            continue
        answers.attestations.append(AttestationChange(
            kind=kind, subject=str(exported["subject"]),
            attestation=_attestation(topic, exported.get("item"), read),
            cell=sheet.ref(row, "number"),
        ))


def _dmy(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def _attestation(topic: str, item: Any, read: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": topic,
        "document": {
            "number": read["number"],
            "date": dt.date.fromisoformat(read["date"]),
            "body": read["body"],
        },
        "attested_by": read["attested_by"],
        "valid_until": dt.date.fromisoformat(read["valid_until"]) if read["valid_until"] else None,
        "note": read["note"],
        "subject": item if isinstance(item, str) else None,
    }
