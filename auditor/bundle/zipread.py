"""Reading a bundle's ZIP file without trusting it.

A bundle comes from outside (a province's submission), so before any member is used:
- a member name must be a plain file name (no folder, no absolute path, no `..`, no
  backslash, nothing but the names a bundle may hold is kept apart by the caller) and appear
  once (a duplicate name could show one reader one member and another reader the other);
- the number of entries, each member's declared size, the total and the compression ratio
  are bounded (a zip bomb is refused from its central directory, before inflating anything),
  and a member is inflated at most to its declared size (zipfile checks size and CRC);
- encrypted members and anything but stored/deflated data are refused.
Any of these makes the bundle malformed (`BundleFormatError`), not merely unverified.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

from auditor.messages import Msg, number

MAX_ENTRIES: Final = 16
MAX_MEMBER_BYTES: Final = 1 << 30  # 1 GiB: the results of a large province with room to spare
MAX_TOTAL_BYTES: Final = 2 << 30
MAX_MANIFEST_BYTES: Final = 1 << 20
#: JSON results compress about 20:1; far beyond this is a bomb, not a report.
MAX_RATIO: Final = 200
_CHUNK: Final = 1 << 20


class BundleFormatError(ValueError):
    """The file is not a well-formed bundle; `text` says why (both languages)."""

    def __init__(self, text: Msg) -> None:
        super().__init__(text.en)
        self.text = text


def _bad(vi: str, en: str) -> BundleFormatError:
    return BundleFormatError(Msg(vi, en))


def _check_name(name: str) -> None:
    if (not name or "/" in name or "\\" in name or name in {".", ".."} or ":" in name
            or name.startswith(".") or any(ord(c) < 32 for c in name)):
        raise _bad(f"tên thành phần không được phép: {name!r} (chỉ tên tệp, không thư mục)",
                   f"member name not allowed: {name!r} (a plain file name, no folder)")


def read_members(path: Path) -> dict[str, bytes]:
    """Every member of the ZIP file at `path`, by name, within the limits above."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise _bad(f"không phải tệp ZIP hợp lệ ({error})",
                   f"not a valid ZIP file ({error})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _bad(f"quá nhiều thành phần: {len(infos)} (tối đa {MAX_ENTRIES})",
                       f"too many members: {len(infos)} (at most {MAX_ENTRIES})")
        seen: set[str] = set()
        total = 0
        for info in infos:
            _check_name(info.filename)
            if info.filename in seen:
                raise _bad(f"thành phần {info.filename} xuất hiện hai lần",
                           f"member {info.filename} appears twice")
            seen.add(info.filename)
            _check_entry(info)
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _bad(f"tổng kích thước {number(total).vi} byte vượt giới hạn",
                       f"total size {number(total).en} bytes is over the limit")
        try:
            return {info.filename: _read(archive, info) for info in infos}
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise _bad(f"thành phần hỏng ({error})", f"damaged member ({error})") from None


def _check_entry(info: zipfile.ZipInfo) -> None:
    name = info.filename
    if info.flag_bits & 0x1:
        raise _bad(f"{name}: thành phần được mã hóa", f"{name}: member is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _bad(f"{name}: kiểu nén không được hỗ trợ", f"{name}: unsupported compression")
    limit = MAX_MANIFEST_BYTES if name.startswith("manifest.json") else MAX_MEMBER_BYTES
    if info.file_size > limit:
        raise _bad(
            f"{name}: {number(info.file_size).vi} byte, vượt giới hạn {number(limit).vi} byte",
            f"{name}: {number(info.file_size).en} bytes, over the limit of "
            f"{number(limit).en} bytes",
        )
    if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _bad(f"{name}: tỉ lệ nén bất thường (zip bomb?)",
                   f"{name}: abnormal compression ratio (a zip bomb?)")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than its declared size (zipfile also checks the CRC)."""
    parts: list[bytes] = []
    read = 0
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            read += len(chunk)
            if read > info.file_size:
                raise ValueError(f"{info.filename} inflates past its declared size")
            parts.append(chunk)
    return b"".join(parts)
