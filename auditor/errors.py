"""The package's error types. The CLI turns every AuditorError into one line and exit code 2.

Every error and warning carries its message in Vietnamese and English (`auditor.messages.Msg`);
the CLI shows it in the language of `--lang` with `render(lang)`. `str()` is the English text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditor.messages import Msg


class AuditorError(Exception):
    """Base of every error the CLI reports as bad input or usage (exit code 2).

    Raised with a `Msg` (both languages); a plain string is text without a translation, shown
    as it is in both languages."""

    text: Msg

    def __init__(self, message: Msg | str) -> None:
        self.text = message if isinstance(message, Msg) else Msg.same(message)
        super().__init__(self.text.en)

    def render(self, lang: str) -> str:
        """The message in `lang` ("vi" or "en")."""
        return self.text.get(lang)


@dataclass(frozen=True)
class Location:
    """Where in an input file something is: 1-based line and column, and a field path.

    Shown as `FILE:LINE:COL: field 'a.b[0]'` (in Vietnamese `FILE:LINE:COL: trường 'a.b[0]'`:
    the `FILE:LINE:COL` part is the same in both languages)."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def render(self, lang: str) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.field:
            word = "field" if lang == "en" else "trường"
            text += f": {word} '{self.field}'"
        return text

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class InputWarning:
    """Something in an input file that is accepted but almost surely wrong (shown, not fatal)."""

    location: Location
    text: Msg

    @property
    def message(self) -> str:
        """The message in English, without the location."""
        return self.text.en

    def render(self, lang: str) -> str:
        return f"{self.location.render(lang)}: {self.text.get(lang)}"

    def __str__(self) -> str:
        return self.render("en")


class InputError(AuditorError):
    """An input file (inventory, checklist, waiver list...) is not acceptable.

    `problem` is what is wrong (both languages), `location` where; `render(lang)` and `str()`
    give `FILE:LINE:COL: field '…': problem`."""

    def __init__(self, location: Location, problem: Msg) -> None:
        self.location = location
        self.problem = problem
        super().__init__(
            Msg(
                f"{location.render('vi')}: {problem.vi}",
                f"{location.render('en')}: {problem.en}",
            )
        )

    @property
    def message(self) -> str:
        """The problem in English, without the location."""
        return self.problem.en


#: At most this many problems are shown at once (the count of the rest is given).
MAX_REPORTED = 100


class CombinedInputError(InputError):
    """Several input errors found in one run, reported together (exit code 2).

    Shown grouped by file (in the order the files were read, then by line), one
    `FILE:LINE:COL: field '…': message` line each (in the language asked for), at most
    MAX_REPORTED of them. It is an InputError whose location and problem are the first
    problem's, so code that handles one error keeps working.
    """

    problems: tuple[InputError, ...]
    total: int
    files: tuple[str, ...]

    def __init__(self, problems: Sequence[InputError], total: int | None = None) -> None:
        flat: list[InputError] = []
        hidden = 0
        for problem in problems:
            if isinstance(problem, CombinedInputError):
                flat.extend(problem.problems)
                hidden += problem.total - len(problem.problems)
            else:
                flat.append(problem)
        if not flat:
            raise ValueError("CombinedInputError needs at least one problem")
        files: dict[str, int] = {}
        for problem in flat:
            files.setdefault(problem.location.file, len(files))
        flat.sort(key=lambda p: (files[p.location.file], p.location.line or 0))
        self.problems = tuple(flat[:MAX_REPORTED])
        self.total = max(total or 0, len(flat) + hidden)
        self.files = tuple(files)
        super().__init__(flat[0].location, flat[0].problem)

    def render(self, lang: str) -> str:
        if self.total == 1:
            return self.problems[0].render(lang)
        english = lang == "en"
        shown, rest = len(self.problems), self.total - len(self.problems)
        if len(self.files) == 1:
            noun = "problems" if english else "lỗi"
            lines = [f"{self.files[0]}: {self.total} {noun}:"]
        elif english:
            lines = [f"{self.total} problems in {len(self.files)} files:"]
        else:
            lines = [f"{self.total} lỗi trong {len(self.files)} tệp:"]
        lines.extend(f"  {problem.render(lang)}" for problem in self.problems)
        if rest > 0:
            lines.append(
                f"  ... and {rest} more (the first {shown} are shown; fix them and run again)"
                if english
                else f"  ... và {rest} lỗi khác (chỉ hiện {shown} lỗi đầu tiên; hãy sửa chúng "
                "rồi chạy lại)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("en")


def combine(problems: Sequence[InputError]) -> InputError:
    """One error for all of `problems` (itself when there is just one)."""
    if len(problems) == 1:
        return problems[0]
    return CombinedInputError(problems)
