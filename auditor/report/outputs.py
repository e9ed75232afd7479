"""Where a command's outputs go, checked before any work is written, and written together.

    plan = plan_outputs([("--json", "r.json"), ("--output", "-")], inputs=[inventory])
    ...                                             # the audit, the rendering
    with Staging(plan) as staged:
        staged.write(plan[0], chunks)               # temporary files beside each destination
        staged.write(plan[1], html_bytes)
        record_the_run()                            # anything else that may still fail
        staged.commit()                             # rename all into place, then stdout

`plan_outputs` refuses (OutputError, exit 2) a destination that is a symbolic link, a FIFO,
a device, a socket or a folder (such a file is never replaced: `-` is standard output), a
folder that does not exist or cannot be written, the same file named twice, and any file the
command reads (inventory, checklists, scan results...). `Staging` writes every output to a
temporary file beside its destination and renames them into place only when all are
complete; until `commit()`, a failure leaves nothing behind. Messages name the user's path,
never the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from auditor.errors import AuditorError
from auditor.files import write_durably
from auditor.messages import Msg, os_error

STDOUT = "-"


class OutputError(AuditorError):
    """An output destination cannot be used or written; the message names it and says why."""


class CommitError(OutputError):
    """Renaming the staged outputs into place failed part-way: some outputs may be in place
    (`written`), the others are not (`not_written`, the failed one first)."""

    def __init__(
        self, reason: Msg, written: Sequence[Output], not_written: Sequence[Output]
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.written = tuple(written)
        self.not_written = tuple(not_written)

    def recorded(self, run_id: int, store: str) -> OutputError:
        """This failure as reported after the run was recorded in the history store: the run
        is there (with its id), so say so, and which outputs are missing."""
        missing = _listed(self.not_written)
        message = Msg(
            f"{self.reason.vi}; lần đánh giá đã được ghi lại thành lần số {run_id} trong "
            f"{store}, nhưng các kết quả sau chưa được ghi: {missing.vi}",
            f"{self.reason.en}; the run is recorded as run {run_id} in {store}, but these "
            f"outputs were not written: {missing.en}",
        )
        if self.written:
            done = _listed(self.written)
            message = message.suffixed(f" (đã ghi: {done.vi})", f" (written: {done.en})")
        return OutputError(
            message.suffixed(
                "; chạy lại với --no-history để ghi chúng mà không ghi thêm một lần đánh giá",
                "; run again with --no-history to write them without recording another run",
            )
        )


def _listed(outputs: Sequence[Output]) -> Msg:
    names = [o.names for o in outputs]
    return Msg(", ".join(n.vi for n in names), ", ".join(n.en for n in names))


@dataclass(frozen=True)
class Output:
    """One requested output: the option that named it and its file (None: standard output)."""

    option: str
    path: Path | None

    @property
    def name(self) -> str:
        return "standard output" if self.path is None else str(self.path)

    @property
    def names(self) -> Msg:
        """How messages name it, in both languages."""
        return Msg("đầu ra chuẩn", self.name) if self.path is None else Msg.same(self.name)


def _kind(mode: int) -> Msg | None:
    """What a non-regular file is, for messages; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return Msg("một liên kết tượng trưng", "a symbolic link")
    if stat.S_ISDIR(mode):
        return Msg("một thư mục", "a folder")
    if stat.S_ISFIFO(mode):
        return Msg("một FIFO (đường ống có tên)", "a FIFO (named pipe)")
    if stat.S_ISCHR(mode):
        return Msg("một thiết bị ký tự", "a character device")
    if stat.S_ISBLK(mode):
        return Msg("một thiết bị khối", "a block device")
    if stat.S_ISSOCK(mode):
        return Msg("một socket", "a socket")
    return Msg("không phải tệp thông thường", "not a regular file")


def cannot_write(output: Output, error: OSError) -> Msg:
    names, reason = output.names, os_error(error)
    return Msg(
        f"không ghi được {names.vi}: {reason.vi}", f"cannot write {names.en}: {reason.en}"
    )


def plan_outputs(
    requested: Iterable[tuple[str, str | Path | None]],
    inputs: Iterable[Path] = (),
    *,
    no_stdout: Sequence[str] = (),
) -> list[Output]:
    """Check every requested destination (option, path or None or "-") before any is written.

    `inputs`: the files the command reads; none of them may be a destination. `no_stdout`:
    options whose output cannot go to standard output.
    """
    outputs: list[Output] = []
    for option, value in requested:
        if value is None or str(value) == "":
            continue
        if str(value) == STDOUT:
            if option in no_stdout:
                raise OutputError(
                    Msg(
                        f"{option} -: kết quả này không thể ghi ra đầu ra chuẩn",
                        f"{option} -: this output cannot go to standard output",
                    )
                )
            outputs.append(Output(option, None))
        else:
            outputs.append(Output(option, Path(value)))
    to_stdout = [o.option for o in outputs if o.path is None]
    if len(to_stdout) > 1:
        raise OutputError(
            Msg(
                f"{' và '.join(to_stdout)} cùng ghi ra đầu ra chuẩn ('-')",
                f"{' and '.join(to_stdout)} both write to standard output ('-')",
            )
        )
    for output in outputs:
        if output.path is not None:
            _check_destination(output)
    _check_distinct(outputs)
    check_not_inputs(outputs, inputs)
    return outputs


def _check_destination(output: Output) -> None:
    path = output.path
    assert path is not None  # noqa: S101
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        where = f"{output.option} {path}: "
        raise OutputError(os_error(error).prefixed(where, where)) from error
    where = f"{output.option} {path}"
    if mode is not None:
        kind = _kind(mode)
        if kind is not None:
            folder_kind = stat.S_ISDIR(mode)
            raise OutputError(
                Msg(
                    f"{where}: là {kind.vi}, không phải tệp thông thường: không ghi đè lên nó"
                    + ("" if folder_kind else "; hãy dùng '-' để ghi ra đầu ra chuẩn"),
                    f"{where}: is {kind.en}, not a regular file: it is not replaced"
                    + ("" if folder_kind else "; use '-' for standard output"),
                )
            )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            Msg(
                f"{where}: thư mục {folder} không tồn tại",
                f"{where}: the folder {folder} does not exist",
            )
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            Msg(
                f"{where}: không ghi được vào thư mục {folder}",
                f"{where}: the folder {folder} cannot be written",
            )
        )


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


def _check_distinct(outputs: Sequence[Output]) -> None:
    files = [o for o in outputs if o.path is not None]
    for i, first in enumerate(files):
        for second in files[i + 1 :]:
            assert first.path is not None and second.path is not None  # noqa: S101
            if _same(first.path, second.path):
                one, other = f"{first.option} {first.path}", f"{second.option} {second.path}"
                raise OutputError(
                    Msg(
                        f"{one} và {other} chỉ cùng một tệp",
                        f"{one} and {other} name the same file",
                    )
                )


def check_not_inputs(outputs: Sequence[Output], inputs: Iterable[Path]) -> None:
    """Refuse a destination that is one of the files the command reads."""
    existing = [o for o in outputs if o.path is not None and o.path.exists()]
    if not existing:
        return
    for source in inputs:
        for output in existing:
            assert output.path is not None  # noqa: S101
            with contextlib.suppress(OSError):
                if os.path.samefile(output.path, source):
                    where = f"{output.option} {output.path}"
                    raise OutputError(
                        Msg(
                            f"{where}: là tệp đầu vào của lệnh này ({source}); không ghi đè "
                            "lên nó",
                            f"{where}: is an input of this command ({source}); refusing to "
                            "overwrite it",
                        )
                    )


def input_files(paths: Iterable[Path], suffixes: Sequence[str] = ()) -> list[Path]:
    """The files `paths` name, a folder's files (with one of `suffixes`, if given) included."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in path.rglob("*")
                if p.is_file() and (not suffixes or p.suffix in suffixes)
            )
        elif path.exists():
            found.append(path)
    return found


class Staging:
    """Every output written to a temporary file first; `commit()` puts them all in place."""

    def __init__(self, outputs: Sequence[Output]) -> None:
        self._outputs = list(outputs)
        self._staged: dict[Output, Path] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.discard()

    def temporary(self, output: Output) -> Path:
        """A new, empty temporary file for `output`, for a writer that needs a path."""
        if output in self._staged:
            return self._staged[output]
        if output.path is None:
            directory = None
            prefix = "auditor-stdout-"
        else:
            directory = output.path.parent if str(output.path.parent) else Path(".")
            prefix = f".{output.path.name}."
        try:
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
        except OSError as error:
            raise OutputError(cannot_write(output, error)) from error
        os.close(fd)
        self._staged[output] = Path(name)
        return Path(name)

    def write(self, output: Output, data: bytes | Iterable[bytes]) -> None:
        """Write `output`'s whole content to its temporary file, flushed to disk."""
        temp = self.temporary(output)
        try:
            with temp.open("wb") as handle:
                write_durably(handle, data)
        except OSError as error:
            raise OutputError(cannot_write(output, error)) from error

    def commit(self) -> None:
        """Rename every file into place (permissions as any new file gets), then copy the
        standard-output one, if any, to standard output."""
        umask = os.umask(0)
        os.umask(umask)
        written: list[Output] = []
        for output in self._outputs:
            temp = self._staged.get(output)
            if temp is None or output.path is None:
                continue
            try:
                os.chmod(temp, 0o666 & ~umask)
                os.replace(temp, output.path)
            except OSError as error:
                missing = [o for o in self._outputs if o in self._staged]
                raise CommitError(cannot_write(output, error), written, missing) from error
            del self._staged[output]
            written.append(output)
        for output in self._outputs:
            temp = self._staged.get(output)
            if temp is None:
                continue
            sys.stdout.flush()
            with temp.open("rb") as source:
                shutil.copyfileobj(source, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        self._staged.clear()

    def discard(self) -> None:
        """Remove every temporary file still there (all of them, unless committed)."""
        for temp in self._staged.values():
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self._staged.clear()
