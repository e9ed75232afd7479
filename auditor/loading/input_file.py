"""Reading an input file: a regular file (never a pipe, device or socket), UTF-8 text with
no NUL byte, within the size limit; an OSError in words that name a symbolic link's problem.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import InputError, Location
from auditor.messages import Msg, cannot_read, os_error, too_large


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 5_000_000  # values after alias expansion


DEFAULT_LIMITS = Limits()


_KINDS = (
    (stat.S_ISDIR, Msg("một thư mục", "a folder")),
    (stat.S_ISFIFO, Msg("một đường ống có tên (named pipe)", "a named pipe")),
    (stat.S_ISSOCK, Msg("một socket", "a socket")),
    (stat.S_ISCHR, Msg("một thiết bị ký tự", "a character device")),
    (stat.S_ISBLK, Msg("một thiết bị khối", "a block device")),
)


def not_a_file(mode: int) -> Msg | None:
    """Why a file of this mode cannot be an input (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), Msg("không phải tệp", "not a file"))
    return Msg(
        f"{kind.vi}, không phải tệp thông thường: hãy lưu nội dung YAML vào một tệp rồi chỉ ra "
        "đường dẫn của tệp đó",
        f"{kind.en}, not a regular file: save the YAML text to a file and give its path",
    )


def read_text(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[str, bytes]:
    """Read a regular file as UTF-8 text within the size limit; return (text, raw bytes).

    Pipes, devices and sockets are refused without waiting for a writer: the file is opened
    non-blocking and checked before anything is read."""
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(Location(source), cannot_read(os_reason(path, exc))) from exc
    info = os.fstat(fd)
    problem = not_a_file(info.st_mode)
    if problem is not None:
        os.close(fd)
        raise InputError(Location(source), problem)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limits.max_bytes:
            raise InputError(Location(source), too_large(limits.max_bytes, info.st_size))
        try:
            # Read at most one byte past the limit, in case the file grows meanwhile.
            raw = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise InputError(Location(source), cannot_read(os_error(exc))) from exc
    if len(raw) > limits.max_bytes:
        raise InputError(Location(source), too_large(limits.max_bytes))
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            Location(source, line),
            Msg(
                "dữ liệu nhị phân (có byte NUL): không phải tệp văn bản YAML",
                "binary data (NUL byte): not a YAML text file",
            ),
        )
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        line = raw[:offset].count(b"\n") + 1
        raise InputError(
            Location(source, line),
            Msg(
                f"không phải UTF-8 hợp lệ (byte 0x{raw[offset]:02x} tại vị trí {offset}); "
                "hãy lưu tệp với bảng mã UTF-8",
                f"not valid UTF-8 (byte 0x{raw[offset]:02x} at offset {offset}); "
                "save the file as UTF-8",
            ),
        ) from exc
    return text, raw


def os_reason(path: Path, exc: OSError) -> Msg:
    """An OSError on opening `path` in words, naming a symbolic link's problem."""
    if exc.errno == errno.ELOOP:
        return Msg(
            "vòng lặp liên kết tượng trưng (không lần theo)", "symbolic link loop (not followed)"
        )
    if exc.errno == errno.ENOENT and path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return Msg(
            f"liên kết tượng trưng hỏng (trỏ tới '{target}', không tồn tại)",
            f"dangling symbolic link (to '{target}', which does not exist)",
        )
    if exc.errno == errno.ENOENT:
        return Msg("không có tệp này", "no such file")
    return os_error(exc)
