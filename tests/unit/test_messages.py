"""Errors and warnings exist in Vietnamese (the default) and English (issue 12).

Three kinds of evidence:
- the source: every place that raises an input, output or store error (or a model validator's
  error) hands over a bilingual `Msg`, never a bare string, and each `Msg` written out in the
  source has a Vietnamese text that differs from its English one;
- pydantic's own messages: real validation errors of each kind we can meet are translated
  from their `type` and `ctx`, quoting the offending value in both languages;
- the error types themselves: location, grouped header and "... and K more" in both languages.

The bad-input corpus (tests/e2e/test_bad_input.py) checks the same through the real CLI.
"""

from __future__ import annotations

import ast
import datetime as dt
import errno
import ipaddress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.errors import (
    MAX_REPORTED,
    AuditorError,
    CombinedInputError,
    InputError,
    InputWarning,
    Location,
)
from auditor.loading.validation import describe_error, validate
from auditor.messages import Msg, MsgValueError, number, os_error
from auditor.model.inventory import Inventory, System

PACKAGE = Path(__file__).resolve().parents[2] / "auditor"

# -- the source --------------------------------------------------------------------------------

#: Calls whose message argument (the first positional one, unless said) must be a bilingual
#: Msg: the error types the CLI reports, and the helpers that build them.
_MESSAGE_ARGUMENT = {
    "InputError": 1,
    "InputWarning": 1,
    "NmapXmlError": 3,
    "OutputError": 0,
    "StoreError": 0,
    "ExportError": 0,
    "NoAuditsError": 0,
    "ScanTargetError": 0,
    "AuditorError": 0,
    "fail": 0,  # the nmap XML reader's self.fail(message, frame)
    "error": 1,  # the YAML builder's self.error(mark, message)
}
#: Where a ValueError reaches the user as an input error: model and checklist validators.
_VALIDATORS = ("model", "rules.py", "checks/kinds.py")
_VIETNAMESE = frozenset("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _is_text(node: ast.expr) -> bool:
    """A string written in place: a literal, an f-string, or str(...)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Call) and _name(node) == "str"


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def test_every_reported_error_is_raised_with_a_bilingual_message() -> None:
    bare: list[str] = []
    seen = 0
    for path in _sources():
        if path.name == "errors.py":
            continue
        for call in _calls(path):
            name = _name(call)
            if name not in _MESSAGE_ARGUMENT:
                continue
            index = _MESSAGE_ARGUMENT[name]
            if len(call.args) <= index:
                continue
            seen += 1
            if _is_text(call.args[index]):
                bare.append(f"{path.relative_to(PACKAGE)}:{call.lineno}: {name}(...)")
    assert seen > 60  # the walk does see the raise sites
    assert bare == [], "raised with an English-only string:\n" + "\n".join(bare)


def test_validators_raise_bilingual_value_errors() -> None:
    plain: list[str] = []
    for name in _VALIDATORS:
        root = PACKAGE / name
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            plain.extend(
                f"{path.relative_to(PACKAGE)}:{call.lineno}"
                for call in _calls(path)
                if _name(call) == "ValueError"
            )
    assert plain == [], "a validator raises ValueError, not MsgValueError: " + ", ".join(plain)


def _words(node: ast.expr) -> str:
    """The text written in a string literal or f-string, without what it interpolates."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.JoinedStr)
    return "".join(str(part.value) for part in node.values if isinstance(part, ast.Constant))


def _literal_pairs() -> list[tuple[str, str, str]]:
    """(where, Vietnamese words, English words) of every Msg(vi, en) / MsgValueError(vi, en)
    written with two string arguments, except those that only join other messages (the same
    words in both, e.g. f"{location.vi}: {problem.vi}")."""
    pairs = []
    for path in _sources():
        for call in _calls(path):
            if _name(call) not in ("Msg", "MsgValueError") or len(call.args) != 2:
                continue
            vi, en = call.args
            if all(isinstance(a, ast.Constant | ast.JoinedStr) for a in (vi, en)):
                if ast.unparse(vi) != ast.unparse(en) and _words(vi) == _words(en):
                    continue  # a composition of bilingual parts
                where = f"{path.relative_to(PACKAGE)}:{call.lineno}"
                pairs.append((where, _words(vi), _words(en)))
    return pairs


# Vietnamese words that are written without diacritics (code_words: severity "high").
_NO_DIACRITICS = frozenset({"cao"})


def test_each_written_message_has_a_vietnamese_text_of_its_own() -> None:
    pairs = _literal_pairs()
    assert len(pairs) > 150
    untranslated = [where for where, vi, en in pairs if vi == en]
    assert untranslated == []
    without_diacritics = [
        f"{where}: {vi}" for where, vi, _ in pairs
        if not _VIETNAMESE & set(vi.lower()) and vi not in _NO_DIACRITICS
    ]
    assert without_diacritics == [], "\n".join(without_diacritics)


# -- pydantic's messages -----------------------------------------------------------------------


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: Annotated[int, Field(ge=0, le=5, strict=True)] = 0
    ratio: Annotated[float, Field(gt=0, lt=1)] = 0.5
    flag: bool = False
    name: Annotated[str, Field(min_length=2, max_length=4, pattern=r"^[a-z]+$")] = "ab"
    day: dt.date = dt.date(2026, 1, 1)
    when: dt.datetime = dt.datetime(2026, 1, 1)
    kind: Literal["web", "api", "other"] = "web"
    colour: Colour = Colour.RED
    items: Annotated[tuple[int, ...], Field(min_length=1, max_length=2)] = (1,)
    table: dict[str, int] = Field(default_factory=dict)
    address: ipaddress.IPv4Address = ipaddress.IPv4Address("192.0.2.1")
    address6: ipaddress.IPv6Address = ipaddress.IPv6Address("2001:db8::1")
    required: str


def _errors(data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"required": "x", **data})
    return caught.value.errors()


CASES: list[tuple[dict[str, Any], str, str, str]] = [
    # (input, pydantic's error type, Vietnamese text expected, the value quoted)
    ({"count": "3"}, "int_type", "phải là một số nguyên", "'3'"),
    ({"count": 7}, "less_than_equal", "phải nhỏ hơn hoặc bằng 5", "7"),
    ({"count": -1}, "greater_than_equal", "phải lớn hơn hoặc bằng 0", "-1"),
    ({"ratio": 0}, "greater_than", "phải lớn hơn 0", "0"),
    ({"ratio": 2}, "less_than", "phải nhỏ hơn 1", "2"),
    ({"ratio": "x"}, "float_parsing", "phải là một số hợp lệ", "'x'"),
    ({"flag": "maybe"}, "bool_parsing", "phải là giá trị đúng/sai", "'maybe'"),
    ({"name": 5}, "string_type", "phải là một chuỗi văn bản", "5"),
    ({"name": "a"}, "string_too_short", "phải có ít nhất 2 ký tự", "'a'"),
    ({"name": "abcdef"}, "string_too_long", "chỉ được có tối đa 4 ký tự", "'abcdef'"),
    ({"name": "AB"}, "string_pattern_mismatch", "không khớp mẫu '^[a-z]+$'", "'AB'"),
    ({"day": "2026-13-01"}, "date_from_datetime_parsing", "tháng phải từ 1 đến 12",
     "'2026-13-01'"),
    ({"day": "2026-02-30"}, "date_from_datetime_parsing", "ngày vượt quá số ngày của tháng",
     "'2026-02-30'"),
    ({"when": "2026-13-01T10:00:00"}, "datetime_from_date_parsing", "tháng phải từ 1 đến 12",
     "'2026-13-01T10:00:00'"),
    ({"kind": "website"}, "literal_error", "phải là 'web', 'api' hoặc 'other'", "'website'"),
    ({"colour": "blue"}, "enum", "phải là 'red' hoặc 'green'", "'blue'"),
    ({"items": []}, "too_short", "danh sách phải có ít nhất 1 phần tử, hiện có 0", None),
    ({"items": [1, 2, 3]}, "too_long", "danh sách phải có tối đa 2 phần tử, hiện có 3", None),
    ({"items": 5}, "tuple_type", "phải là một danh sách", "5"),
    ({"table": [1]}, "dict_type", "phải là một ánh xạ", None),
    ({"address": "192.0.2.300"}, "ip_v4_address", "không phải địa chỉ IPv4 hợp lệ",
     "'192.0.2.300'"),
    ({"address6": "2001:db8::zz"}, "ip_v6_address", "không phải địa chỉ IPv6 hợp lệ",
     "'2001:db8::zz'"),
    ({"colr": "red"}, "extra_forbidden",
     "trường không xác định (kiểm tra chính tả; xem `auditor schema`)", None),
]


@pytest.mark.parametrize(("data", "kind", "vietnamese", "quoted"), CASES,
                         ids=[c[1] + "-" + next(iter(c[0])) for c in CASES])
def test_pydantic_errors_are_translated_by_type(
    data: dict[str, Any], kind: str, vietnamese: str, quoted: str | None
) -> None:
    (error,) = _errors(data)
    assert error["type"] == kind  # the case really produces the error type it is about
    message = describe_error(error)
    assert vietnamese in message.vi, message.vi
    assert message.vi != message.en
    if quoted is not None:
        assert message.vi.endswith(f"(nhận được {quoted})")
        assert message.en.endswith(f"(got {quoted})")


def test_a_missing_field_in_both_languages() -> None:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({})
    (error,) = caught.value.errors()
    assert describe_error(error) == Msg("thiếu trường bắt buộc", "required field is missing")


def test_an_untranslated_error_type_falls_back_to_english() -> None:
    class Frozen(BaseModel):
        model_config = ConfigDict(frozen=True)
        value: int = 1

    with pytest.raises(ValidationError) as caught:
        Frozen().value = 2  # type: ignore[misc]
    (error,) = caught.value.errors()
    error = {**error, "type": "no_such_type_in_our_table"}
    message = describe_error(error)
    assert message.en == "Instance is frozen (got 2)"
    assert message.vi == "Instance is frozen (nhận được 2)"  # pydantic's words, our frame


def test_a_validator_speaks_both_languages_through_pydantic() -> None:
    """A MsgValueError raised inside a model validator keeps both texts to the user."""
    data = {"id": "he-thong", "name": "Hệ thống", "system_type": "internal",
            "lifecycle": "production", "hosts": [{"name": "-oX/tmp/pwn"}]}
    with pytest.raises(InputError) as caught:
        validate(System, data, "inventory.yaml")
    error = caught.value
    assert error.location == Location("inventory.yaml", None, None, "hosts[0].name")
    assert error.render("vi").startswith(
        "inventory.yaml: trường 'hosts[0].name': '-oX/tmp/pwn' không phải tên máy (host name)"
    )
    assert error.render("en").startswith(
        "inventory.yaml: field 'hosts[0].name': '-oX/tmp/pwn' is not a valid host name"
    )
    assert str(error) == error.render("en")


def test_a_whole_inventory_reports_each_problem_in_both_languages() -> None:
    data = {"organisation": {"id": "tinh", "name": "Tỉnh", "level": 3}}
    with pytest.raises(InputError) as caught:
        validate(Inventory, data, "x.yaml")
    vietnamese = caught.value.render("vi")
    assert "trường 'organisation.level': trường không xác định" in vietnamese
    assert "field 'organisation.level': unknown field" in caught.value.render("en")


# -- the error types ---------------------------------------------------------------------------


def test_a_location_keeps_file_line_column_and_translates_only_the_word_field() -> None:
    where = Location("a.yaml", 3, 7, "agencies[0].id")
    assert where.render("en") == "a.yaml:3:7: field 'agencies[0].id'"
    assert where.render("vi") == "a.yaml:3:7: trường 'agencies[0].id'"
    assert str(where) == where.render("en")
    assert Location("a.yaml").render("vi") == "a.yaml"


def test_a_warning_in_both_languages() -> None:
    warning = InputWarning(Location("a.yaml", 4, None, "x"), Msg("đề ngày sau", "dated after"))
    assert warning.render("vi") == "a.yaml:4: trường 'x': đề ngày sau"
    assert warning.render("en") == "a.yaml:4: field 'x': dated after"
    assert warning.message == "dated after"


def _problem(file: str, line: int) -> InputError:
    return InputError(Location(file, line, None, "f"), Msg(f"lỗi ở {line}", f"problem at {line}"))


def test_the_grouped_header_in_both_languages() -> None:
    one_file = CombinedInputError([_problem("a.yaml", 2), _problem("a.yaml", 1)])
    assert one_file.render("en").splitlines() == [
        "a.yaml: 2 problems:",
        "  a.yaml:1: field 'f': problem at 1",
        "  a.yaml:2: field 'f': problem at 2",
    ]
    assert one_file.render("vi").splitlines() == [
        "a.yaml: 2 lỗi:",
        "  a.yaml:1: trường 'f': lỗi ở 1",
        "  a.yaml:2: trường 'f': lỗi ở 2",
    ]
    two_files = CombinedInputError([_problem("a.yaml", 1), _problem("b.yaml", 1)])
    assert two_files.render("en").splitlines()[0] == "2 problems in 2 files:"
    assert two_files.render("vi").splitlines()[0] == "2 lỗi trong 2 tệp:"
    assert str(two_files) == two_files.render("en")


def test_more_problems_than_shown_are_counted_in_both_languages() -> None:
    many = CombinedInputError([_problem("a.yaml", n) for n in range(1, MAX_REPORTED + 8)])
    assert many.render("en").splitlines()[-1] == (
        f"  ... and 7 more (the first {MAX_REPORTED} are shown; fix them and run again)"
    )
    assert many.render("vi").splitlines()[-1] == (
        f"  ... và 7 lỗi khác (chỉ hiện {MAX_REPORTED} lỗi đầu tiên; hãy sửa chúng rồi chạy lại)"
    )


def test_a_single_problem_is_shown_without_a_header() -> None:
    alone = CombinedInputError([_problem("a.yaml", 1)])
    assert alone.render("vi") == "a.yaml:1: trường 'f': lỗi ở 1"


def test_an_error_made_with_plain_text_shows_it_in_both_languages() -> None:
    error = AuditorError("something from a library")
    assert error.render("vi") == error.render("en") == str(error) == "something from a library"


def test_msg_value_error_is_a_value_error_with_english_text() -> None:
    error = MsgValueError("giá trị sai", "bad value")
    assert isinstance(error, ValueError)
    assert str(error) == "bad value"
    assert error.text == Msg("giá trị sai", "bad value")


def test_numbers_are_grouped_as_each_language_writes_them() -> None:
    assert number(67_108_864) == Msg("67.108.864", "67,108,864")
    assert number(12) == Msg("12", "12")


def test_system_errors_are_translated_where_common() -> None:
    denied = os_error(PermissionError(errno.EACCES, "Permission denied"))
    assert denied == Msg("không có quyền truy cập", "Permission denied")
    odd = os_error(OSError(errno.EPROTO, "Protocol error"))
    assert odd == Msg("Protocol error", "Protocol error")
