"""Hardened, streaming reader of nmap's XML output (`nmap -oX`) into a `ScanRun`.

The input is untrusted (an imported file may come from anywhere), so:

- XML is parsed by `defusedxml`'s expat parser: entity declarations (internal or external,
  hence XXE and entity-expansion bombs) and attribute-list declarations are refused, and no
  DTD or entity is ever resolved or fetched. nmap's own `<!DOCTYPE nmaprun>`, and the
  `PUBLIC "-//IDN nmap.org//DTD Nmap XML 1.04//EN" "…nmap.dtd"` form of some merging tools,
  still parse: expat reads neither.
- It streams: values are built as each element ends and each `<host>` is turned into a
  `HostObservation` as soon as it closes, so no document tree is ever held; what is not
  interpreted (`<hosthint>`, `<os>`, `<times>`, `<hostscript>`, `<prescript>`, …) is skipped
  without being stored.
- Counts, sizes and nesting are bounded (`Limits`); script text is cut at 64 KiB.
- It is strict: a truncated file (nmap killed before it closed its tags), XML that is not
  nmap's (root not `<nmaprun>`), or an invalid address, port number, count or time is an
  `NmapXmlError` naming file, line and column. A host that cannot be read is never skipped.

What is kept: the run's command line, version, start and end (ISO 8601 UTC from the epoch
attributes), what it scanned (`<scaninfo>`) and an error exit (a note); per host its IP
address (normalised; MAC addresses are not hosts), status, names, timeout and every listed
port with state, reason, service, CPEs and each NSE script's text and structured output
(`<table>`/`<elem>` as nested dicts and lists). A timed-out host keeps no port, as the model
says: nmap's results for it are incomplete.

Every nmap version's output has this shape (`xmloutputversion` 1.0x); masscan's `-oX`, which
imitates it with one `<host>` per open port, reads too (hosts are not merged here).
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from defusedxml import DefusedXmlException  # type: ignore[import-untyped, unused-ignore]
from defusedxml.common import (  # type: ignore[import-untyped, unused-ignore]
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import (  # type: ignore[import-untyped, unused-ignore]
    DefusedXMLParser,
)

from auditor.messages import Msg, cannot_read, number, os_error, too_large
from auditor.scan.model import ScanRun
from auditor.scan.nmap_elements import NmapBuilder
from auditor.scan.nmap_limits import DEFAULT_LIMITS, Limits, NmapXmlError, quote
from auditor.scan.nmap_values import TIMED_OUT

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "TIMED_OUT",
    "Limits",
    "NmapXmlError",
    "parse_nmap_xml",
    "read_nmap_xml",
]

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
_CHUNK = 1024 * 1024


def parse_nmap_xml(
    data: bytes,
    *,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: Limits = DEFAULT_LIMITS,
) -> ScanRun:
    """Parse nmap XML held in memory; `source` names it in errors and in `ScanRun.source`."""
    if len(data) > max_bytes:
        raise NmapXmlError(
            source, None, None,
            Msg(
                f"{number(len(data)).vi} byte XML, vượt giới hạn {number(max_bytes).vi} byte",
                f"{number(len(data)).en} bytes of XML, larger than the limit of "
                f"{number(max_bytes).en} bytes",
            ),
        )
    view = memoryview(data)
    chunks = (bytes(view[i : i + _CHUNK]) for i in range(0, len(view), _CHUNK))
    return _parse(chunks, source, limits)


def read_nmap_xml(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits = DEFAULT_LIMITS
) -> ScanRun:
    """Read and parse an nmap XML file, streaming it in 1 MiB chunks. Only regular files are
    read (a FIFO, device or directory is refused before it is opened, and again after)."""
    source = str(path)
    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind is not None:
            raise NmapXmlError(source, None, None, _not_regular(kind))
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise NmapXmlError(source, None, None, cannot_read(os_error(exc))) from exc
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        kind = _file_kind(info.st_mode)
        if kind is not None:  # replaced between stat and open
            raise NmapXmlError(source, None, None, _not_regular(kind))
        if info.st_size > max_bytes:
            raise NmapXmlError(source, None, None, too_large(max_bytes, info.st_size))
        return _parse(_read_chunks(handle, source, max_bytes), source, limits)


# Never block on open (a FIFO swapped in after the stat), never adopt a terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _file_kind(mode: int) -> Msg | None:
    """None for a regular file, else what it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Msg("một thư mục", "a directory")
    if stat.S_ISFIFO(mode):
        return Msg("một FIFO", "a FIFO")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Msg("một thiết bị", "a device")
    if stat.S_ISSOCK(mode):
        return Msg("một socket", "a socket")
    return Msg("không phải tệp", "not a file")


def _not_regular(kind: Msg) -> Msg:
    return Msg(f"không phải tệp thông thường ({kind.vi})", f"not a regular file ({kind.en})")


def _read_chunks(handle: io.FileIO, source: str, max_bytes: int) -> Iterator[bytes]:
    total = 0
    while True:
        try:
            chunk = handle.read(_CHUNK)
        except OSError as exc:
            raise NmapXmlError(source, None, None, cannot_read(os_error(exc))) from exc
        if not chunk:
            return
        total += len(chunk)
        if total > max_bytes:  # the file grew after fstat
            raise NmapXmlError(source, None, None, too_large(max_bytes))
        yield chunk


def _parse(chunks: Iterable[bytes], source: str, limits: Limits) -> ScanRun:
    builder = NmapBuilder(source, limits)
    # defusedxml's parser installs its refusals (entity declarations, external references) on
    # the expat parser it creates. Element events then go straight from expat to the builder,
    # not through ElementTree's pure-Python layer (time spent for nothing here), and
    # attribute-list declarations are refused too (they could add attributes to elements).
    defused: Any = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    raw: Any = defused.parser
    builder.expat = raw
    raw.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    raw.AttlistDeclHandler = builder.refuse_attlist
    raw.ordered_attributes = False
    raw.StartElementHandler = builder.start
    raw.EndElementHandler = builder.end
    raw.CharacterDataHandler = None  # installed while a text element is open
    size = 0
    closing = False
    try:
        for chunk in chunks:
            size += len(chunk)
            raw.Parse(chunk, False)
        if size == 0:
            raise NmapXmlError(
                source, None, None,
                Msg("tệp rỗng: không có nội dung XML nào", "empty file: no XML at all"),
            )
        closing = True
        raw.Parse(b"", True)
    except expat.ExpatError as exc:
        what = (
            Msg("XML bị cắt cụt hoặc sai cú pháp", "truncated or malformed XML")
            if closing
            else Msg("XML sai cú pháp", "malformed XML")
        )
        hint = exc.lineno == 1 and not builder.seen_root
        detail = expat.ErrorString(exc.code) if exc.code else str(exc).partition(":")[0]
        message = Msg(
            f"{what.vi}: {detail}" + (" (đây có phải kết quả nmap -oX không?)" if hint else ""),
            f"{what.en}: {detail}" + (" (is this nmap -oX output?)" if hint else ""),
        )
        raise NmapXmlError(source, exc.lineno, exc.offset + 1, message) from None
    except DefusedXmlException as exc:
        raise NmapXmlError(
            source, raw.CurrentLineNumber, raw.CurrentColumnNumber + 1, _refusal(exc)
        ) from None
    return builder.result()


def _refusal(exc: Any) -> Msg:
    if isinstance(exc, EntitiesForbidden):
        where = f" SYSTEM {quote(exc.sysid)}" if exc.sysid else ""
        declaration = f"<!ENTITY {quote(exc.name)}{where}>"
        return Msg(
            f"bị từ chối: khai báo thực thể {declaration} (không cho phép thực thể: thực thể "
            "ngoài (XXE) và khai triển thực thể; nmap không khai báo thực thể nào)",
            f"refused: entity declaration {declaration} (entities are not allowed: external "
            "entities (XXE) and entity expansion; nmap declares none)",
        )
    if isinstance(exc, ExternalReferenceForbidden):
        return Msg(
            f"bị từ chối: tham chiếu tới thực thể ngoài {quote(exc.sysid)}",
            f"refused: reference to an external entity {quote(exc.sysid)}",
        )
    return Msg.same(f"refused: {type(exc).__name__}")  # pragma: no cover - DTDs are allowed
