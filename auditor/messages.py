"""Bilingual messages for errors and warnings: Vietnamese (first, the default) and English.

Like the rule texts, a message carries both languages from the place it is made; the CLI shows
the one `--lang` asks for (`Msg.get(lang)`). `str()` of a message, and of the errors that hold
one, is the English text: stable for logs and for code that only needs "what went wrong".

    raise InputError(location, Msg(f"khóa trùng lặp '{key}'", f"duplicate key '{key}'"))

Validators of the models raise `MsgValueError` (a ValueError, which pydantic turns into a
validation error keeping the exception itself in `ctx["error"]`), so what they say reaches
the user in both languages too. Texts libraries write in English (libyaml, Python, pydantic)
are translated in `auditor.library_messages`; a text without a translation is shown
as it is in both languages (`Msg.same`). Pure; no I/O.
"""

from __future__ import annotations

import datetime as dt
import errno
from dataclasses import dataclass
from typing import Final

#: The languages messages are written in; Vietnamese is the default everywhere.
LANGS: Final = ("vi", "en")
DEFAULT_LANG: Final = "vi"


@dataclass(frozen=True, slots=True)
class Msg:
    """One message in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang` (English for "en", Vietnamese otherwise)."""
        return self.en if lang == "en" else self.vi

    def __str__(self) -> str:
        return self.en

    @staticmethod
    def same(text: str) -> Msg:
        """Text that is the same in both languages (a name, a number, an untranslated detail)."""
        return Msg(text, text)

    def prefixed(self, vi: str, en: str) -> Msg:
        """This message after a prefix in each language (`prefix + text`)."""
        return Msg(vi + self.vi, en + self.en)

    def suffixed(self, vi: str, en: str) -> Msg:
        """This message followed by a suffix in each language (`text + suffix`)."""
        return Msg(self.vi + vi, self.en + en)


class MsgValueError(ValueError):
    """A ValueError whose message exists in both languages (raised by model validators).

    `str()` is the English text, as pydantic shows it; `text` holds both."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.text = Msg(vi, en)


def number(value: int) -> Msg:
    """A whole number with thousands grouped as each language writes it (1.024 / 1,024)."""
    english = f"{value:,}"
    return Msg(english.replace(",", "."), english)


def cannot_read(reason: Msg) -> Msg:
    """An input file that could not be read, and why."""
    return reason.prefixed("không đọc được: ", "cannot read: ")


def too_large(limit: int, size: int | None = None) -> Msg:
    """An input file over its size limit (with its size, when known before reading)."""
    if size is None:
        return Msg(
            f"tệp quá lớn, vượt giới hạn {number(limit).vi} byte",
            f"file is larger than the limit of {number(limit).en} bytes",
        )
    return Msg(
        f"tệp quá lớn: {number(size).vi} byte, vượt giới hạn {number(limit).vi} byte",
        f"file is {number(size).en} bytes, larger than the limit of {number(limit).en} bytes",
    )


#: Operating-system errors a user can meet reading or writing, in Vietnamese (the English is
#: the system's own text, as `strerror` gives it).
_OS_VI: Final = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "thao tác không được phép",
    errno.EISDIR: "là một thư mục",
    errno.ENOTDIR: "không phải thư mục",
    errno.ENOSPC: "hết dung lượng trên thiết bị",
    errno.EROFS: "hệ thống tệp chỉ đọc",
    errno.ELOOP: "quá nhiều mức liên kết tượng trưng",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EEXIST: "tệp đã tồn tại",
    errno.EXDEV: "không thể liên kết giữa hai thiết bị khác nhau",
    errno.EIO: "lỗi vào/ra",
    errno.EBUSY: "thiết bị hoặc tài nguyên đang bận",
    errno.EDQUOT: "vượt hạn ngạch đĩa",
    errno.ETXTBSY: "tệp đang được sử dụng",
}


def os_error(error: OSError) -> Msg:
    """An OSError in words: the system's text in English, translated for the common cases."""
    english = str(error.strerror or error)
    vietnamese = _OS_VI.get(error.errno) if error.errno is not None else None
    return Msg(vietnamese or english, english)


def day(value: dt.date) -> Msg:
    """A date as each language writes it: dd/mm/yyyy in Vietnamese, ISO 8601 in English
    (the one format English texts, HTML pages and spreadsheets use throughout)."""
    return Msg(f"{value.day:02d}/{value.month:02d}/{value.year:04d}", value.isoformat())


def day_in(value: dt.date, lang: str) -> str:
    """`day(value)` in one language."""
    return day(value).get(lang)


def days(count: int) -> Msg:
    """A number of days: "1 ngày" / "1 day", "525 ngày" / "525 days"."""
    return Msg(f"{number(count).vi} ngày", f"{number(count).en} day{'' if count == 1 else 's'}")
