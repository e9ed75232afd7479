"""Scan results on disk: `auditor scan --save` writes them, `--scan-results` reads them back.

Our own JSON (the ScanRun as it was observed, versioned) or any nmap `-oX` file, told apart
by content. Reading either is bounded and never executes or fetches anything; a bad file is
an InputError naming it (exit code 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from auditor.errors import InputError, Location
from auditor.files import write_atomic
from auditor.library_messages import describe_error
from auditor.messages import Msg
from auditor.safe_text import json_safe_bytes
from auditor.scan.model import ScanRun
from auditor.scan.nmap_xml import parse_nmap_xml

FORMAT = "auditor-scan"
FORMAT_VERSION = 1
MAX_BYTES = 512 * 1024 * 1024
_ADAPTER: TypeAdapter[ScanRun] = TypeAdapter(ScanRun)


def scan_bytes(run: ScanRun) -> list[bytes]:
    """A saved scan's bytes, in chunks."""
    # pydantic-core writes the scan in one pass; json.dumps with an indent would fall back to
    # the pure-Python encoder (10x slower at 5,000 hosts, bench/README.md).
    head = f'{{"format": "{FORMAT}", "version": {FORMAT_VERSION}, "scan": '.encode()
    # Banners and script output come from the hosts scanned: C1 and bidi characters in them
    # are written as JSON escapes (the data stays exact; a terminal showing it acts on none).
    return [head, json_safe_bytes(_ADAPTER.dump_json(run)), b"}\n"]


def save_scan(run: ScanRun, path: Path) -> None:
    write_atomic(path, scan_bytes(run))


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InputError(
            Location(str(path)), Msg("không phải tệp thông thường", "not a regular file")
        )
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        mib = MAX_BYTES // (1024 * 1024)
        raise InputError(
            Location(str(path)), Msg(f"tệp quá lớn: hơn {mib} MiB", f"larger than {mib} MiB")
        )
    return data


def load_scan(path: Path) -> ScanRun:
    """A saved scan (JSON) or an nmap XML file."""
    data = _read(path)
    head = data.lstrip()[:1]
    if head == b"<":
        return parse_nmap_xml(data, source=str(path))  # NmapXmlError is an InputError
    return _load_json(path, data)


def _load_json(path: Path, data: bytes) -> ScanRun:
    try:
        document: Any = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(
            Location(str(path), line),
            Msg(
                "không phải XML của nmap cũng không phải kết quả quét của auditor (JSON)",
                "neither nmap XML nor an auditor scan (JSON)",
            ),
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        marker = f'"format": "{FORMAT}"'
        raise InputError(
            Location(str(path)),
            Msg(
                f"không phải kết quả quét của auditor: không có {marker}",
                f"not an auditor scan: no {marker}",
            ),
        )
    if document.get("version") != FORMAT_VERSION:
        version = repr(document.get("version"))
        raise InputError(
            Location(str(path), field="version"),
            Msg(
                f"phiên bản định dạng kết quả quét không được hỗ trợ: {version}",
                f"unsupported scan format version {version}",
            ),
        )
    try:
        return _ADAPTER.validate_python(document.get("scan"), strict=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(Location(str(path), field=f"scan.{where}"), describe_error(first)) from exc
