"""Check that bytes are auditor's JSON results without holding the whole run in memory.

    head = check_results(data, "results.json")   # ResultsError (exit 2) if not results
    head.organisation.id, head.schema_version

`auditor.report.json_in.results_from_bytes` builds the whole AuditRun: for a results file of
2,000 systems (38 MB) that is about 450 MB of objects, for 10,000 systems over 2 GB. Whoever
only needs to know that a file is results it could read (`auditor bundle create`) checks a
2.x document here one system at a time, with the very validators the full reader uses:

- the document without its `systems` array is validated by `json_doc.DOCUMENT` (schema
  version, run, catalog, texts, organisation, agencies, summary) and its organisation's and
  agencies' findings expanded (rule in the catalog, text and fact positions in range);
- each element of `systems` is validated by the type `DOCUMENT` gives it (`SystemOut`, in
  JSON mode as `DOCUMENT.validate_json` does) and its findings expanded the same way, then
  dropped before the next.

So a file passes here only if the full reader would read it. Anything this pass does not
recognise — a 1.x file, JSON it cannot split, a validation error — goes to the full reader,
which then gives the exact error (file, field) it always gave, or reads the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from auditor.report.json_doc import DOCUMENT, SCHEMA_MAJOR, SystemOut
from auditor.report.json_in import (
    SCHEMA_HEAD,
    Expander,
    ResultsError,
    expand,
    results_from_bytes,
)

__all__ = ["ResultsHead", "check_results"]

_SYSTEM: TypeAdapter[SystemOut] = TypeAdapter(SystemOut)
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str


@dataclass(frozen=True)
class ResultsHead:
    """What a results file says about itself, once it is known to be readable results."""

    schema_version: str
    organisation: Organisation


class _UnsplittableError(Exception):
    """The light pass cannot vouch for this file; the full reader decides."""


def check_results(data: bytes, name: str = "<results>") -> ResultsHead:
    """The head of the results `data` holds; ResultsError (as `results_from_bytes` raises
    it) if they are not results this auditor reads."""
    head = SCHEMA_HEAD.match(data[:256])
    if head is not None and head.group(1).startswith(f"{SCHEMA_MAJOR}.".encode()):
        try:
            return _check_2x(data, name)
        except (_UnsplittableError, ValidationError):
            pass  # the full reader names the problem (or reads what this pass cannot split)
    run = results_from_bytes(data, name)
    return ResultsHead(run.schema_version, Organisation(run.organisation.id,
                                                       run.organisation.name))


def _check_2x(data: bytes, name: str) -> ResultsHead:
    start, spans, end = _systems(_Scanner(data))
    rest = DOCUMENT.validate_json(data[:start] + b"[]" + data[end:])
    # The full reader validates the whole document before it resolves any reference: a
    # reference that resolves to nothing is raised only once every system has validated,
    # so a file with both problems is refused for the same one.
    unresolved: ResultsError | None = None
    try:
        expand(rest, name)  # the organisation's and agencies' findings resolve
    except ResultsError as error:
        unresolved = error
    expander = Expander(rest.catalog, rest.texts, name)
    for i, (first, last) in enumerate(spans):
        system = _SYSTEM.validate_json(data[first:last])
        if unresolved is None:
            try:
                expander.findings(system.id, system.facts, system.findings, f"systems.{i}")
            except ResultsError as error:
                unresolved = error
    if unresolved is not None:
        raise unresolved
    return ResultsHead(rest.schema_version, Organisation(rest.organisation.id,
                                                         rest.organisation.name))


def _systems(scan: _Scanner) -> tuple[int, list[tuple[int, int]], int]:
    """Where (in bytes) the top-level `systems` array starts ("["), the span of each of its
    elements, and where it ends (after "]")."""
    scan.take("{")
    found: tuple[int, list[tuple[int, int]], int] | None = None
    while scan.peek() == '"':
        key, _, _ = scan.value()
        scan.take(":")
        if key != "systems":
            scan.value()
        elif found is not None:
            raise _UnsplittableError  # a key twice: leave which one counts to the reader
        else:
            found = _array(scan)
        if scan.peek() != ",":
            break
        scan.take(",")
    scan.take("}")
    if found is None or scan.peek() != "":
        raise _UnsplittableError
    return found


def _array(scan: _Scanner) -> tuple[int, list[tuple[int, int]], int]:
    scan.peek()
    start = scan.position
    scan.take("[")
    spans: list[tuple[int, int]] = []
    while scan.peek() == "{":
        _, first, last = scan.value()
        spans.append((first, last))
        if scan.peek() != ",":
            break
        scan.take(",")
    scan.take("]")
    return start, spans, scan.position


class _Scanner:
    """Walks JSON bytes a value at a time, decoding only a window of them to text: the
    stdlib's C scanner finds where each value ends (the value it builds is dropped by the
    caller), and positions are kept in bytes so the caller can slice `data`."""

    _CHUNK = 1 << 20

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._text = ""  # data[position - (bytes of text[:index]) : loaded], decoded
        self._index = 0
        self._loaded = 0
        self.position = 0  # the byte offset of text[index]

    def peek(self) -> str:
        """The next character that is not JSON whitespace ("" at the end)."""
        while True:
            space = _SPACE.match(self._text, self._index)
            end = self._index if space is None else space.end()
            self.position += end - self._index  # whitespace is ASCII: one byte a character
            self._index = end
            if end < len(self._text):
                return self._text[end]
            if not self._more():
                return ""

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            raise _UnsplittableError
        self._index += 1  # the JSON punctuation taken is ASCII
        self.position += 1

    def value(self) -> tuple[Any, int, int]:
        """The next JSON value and where (bytes) it starts and ends."""
        self.peek()
        start = self.position
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._index)
            except (ValueError, RecursionError):
                if self._more():
                    continue  # cut by the window's end: decode more
                raise _UnsplittableError from None
            if end == len(self._text) and self._more():
                continue  # a number may go on past the window
            break
        self.position += len(self._text[self._index:end].encode("utf-8"))
        self._index = end
        return value, start, self.position

    def _more(self) -> bool:
        """Decode the next window of bytes (never cutting a UTF-8 sequence); False at the end."""
        data = self._data
        if self._loaded >= len(data):
            return False
        end = min(self._loaded + max(self._CHUNK, len(self._text)), len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1
        try:
            chunk = data[self._loaded:end].decode("utf-8")
        except UnicodeDecodeError:
            raise _UnsplittableError from None
        self._text = self._text[self._index:] + chunk
        self._index = 0
        self._loaded = end
        return True
