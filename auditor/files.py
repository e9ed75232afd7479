"""Writing files atomically and durably: readers never see a half-written file.

Below every layer that writes (report outputs, saved scans): plain file I/O, nothing about
what is written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO


def write_durably(handle: BinaryIO, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (whole, or in chunks so a large output is never whole in memory) and
    flush it to disk before the caller renames the file into place."""
    if isinstance(data, bytes):
        handle.write(data)
    else:
        handle.writelines(data)
    handle.flush()
    os.fsync(handle.fileno())


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp creates the file 0600; a report is meant to be shared, so give it the
        # permissions any new file gets (0666 less the umask).
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            write_durably(handle, data)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
