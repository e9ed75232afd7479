"""Turn pydantic validation errors into InputError naming file, line and field path."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import MAX_REPORTED, CombinedInputError, InputError, Location
from auditor.loading.safe_yaml import field_path, line_of
from auditor.messages import Msg, MsgValueError

M = TypeVar("M", bound=BaseModel)

__all__ = ["describe_error", "field_path", "validate"]


def _clean_loc(loc: tuple[int | str, ...], data: Any) -> tuple[int | str, ...]:
    """Drop location parts that exist only inside pydantic, not in the input file.

    Discriminated unions add the tag (e.g. 'present' for a check of kind present) and
    function validators add 'function-after[...]'; walking the input alongside the location
    tells which parts are real keys.
    """
    cleaned: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(part, str) and ("[" in part or "(" in part):
            continue
        if isinstance(node, dict):
            if part in node:
                node = node[part]
            elif node.get("kind") == part:
                continue  # the discriminator's tag
            else:
                node = None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
        cleaned.append(part)
    return tuple(cleaned)


_QUOTED_MAX = 80  # characters of an offending value quoted in a message
_USERINFO = re.compile(r"(//)[^/@\s]*@")
_NOT_QUOTED = frozenset({"extra_forbidden", "missing", "value_error", "assertion_error"})


def _quoted(value: Any) -> str | None:
    """The offending value as the message shows it: short, escaped, no password."""
    if isinstance(value, bool | int | float | dt.date | dt.time):
        text = repr(value) if isinstance(value, bool | int | float) else value.isoformat()
    elif isinstance(value, str):
        shown = _USERINFO.sub(r"\1***@", value)
        if len(shown) > _QUOTED_MAX:
            shown = shown[: _QUOTED_MAX - 1] + "…"
        text = repr(shown)
    else:
        return None  # a mapping or a list: the field path says where it is
    return text if len(text) <= _QUOTED_MAX + 10 else text[: _QUOTED_MAX + 9] + "…"


# ---- pydantic's messages in Vietnamese -------------------------------------------------------
# pydantic writes its messages in English only. Each error has a `type` and a `ctx` with the
# numbers and names the message needs, so the Vietnamese text is built from those; the English
# one stays pydantic's own. A type not listed here is shown in English in both languages.

#: The reasons pydantic gives (in `ctx["error"]`) for a date, time or datetime it cannot read.
_TIME_REASONS_VI = {
    "month value is outside expected range of 1-12": "tháng phải từ 1 đến 12",
    "day value is outside expected range": "ngày vượt quá số ngày của tháng",
    "hour value is outside expected range of 0-23": "giờ phải từ 0 đến 23",
    "minute value is outside expected range of 0-59": "phút phải từ 0 đến 59",
    "second value is outside expected range of 0-59": "giây phải từ 0 đến 59",
    "invalid character in year": "năm có ký tự không hợp lệ",
    "invalid character in month": "tháng có ký tự không hợp lệ",
    "invalid character in day": "ngày có ký tự không hợp lệ",
    "invalid character in hour": "giờ có ký tự không hợp lệ",
    "invalid character in minute": "phút có ký tự không hợp lệ",
    "invalid character in second": "giây có ký tự không hợp lệ",
    "input is too short": "quá ngắn",
    "input is too long": "quá dài",
    "invalid date separator, expected `-`": "dấu phân cách ngày không hợp lệ, cần `-`",
    "invalid time separator, expected `:`": "dấu phân cách giờ không hợp lệ, cần `:`",
    "invalid datetime separator, expected `T`, `t`, `_` or space": (
        "dấu phân cách giữa ngày và giờ không hợp lệ, cần `T`, `t`, `_` hoặc dấu cách"
    ),
    "unexpected extra characters at the end of the input": "có ký tự thừa ở cuối",
    "year 0 is out of range": "năm 0 nằm ngoài phạm vi cho phép",
    "timezone offset must be less than 24 hours": "độ lệch múi giờ phải nhỏ hơn 24 giờ",
    "dates after 9999 are not supported as unix timestamps": (
        "không hỗ trợ ngày sau năm 9999 dưới dạng dấu thời gian unix"
    ),
    "dates before 0000 are not supported as unix timestamps": (
        "không hỗ trợ ngày trước năm 0000 dưới dạng dấu thời gian unix"
    ),
    "second fraction digits missing after `.`": "thiếu phần lẻ của giây sau dấu `.`",
}
_COLLECTIONS_VI = {
    "List": "danh sách",
    "Tuple": "danh sách",
    "Set": "tập hợp",
    "Frozenset": "tập hợp",
    "Dictionary": "ánh xạ",
    "Data": "dữ liệu",
}
_MAPPING_VI = "phải là một ánh xạ (các cặp 'khóa: giá trị')"
_LIST_VI = "phải là một danh sách"
_FIXED_VI = {  # types whose Vietnamese text needs nothing from ctx
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không xác định (kiểm tra chính tả; xem `auditor schema`)",
    "int_type": "phải là một số nguyên",
    "int_parsing": "phải là một số nguyên hợp lệ",
    "int_parsing_size": "số nguyên quá lớn",
    "int_from_float": "phải là một số nguyên (không có phần thập phân)",
    "float_type": "phải là một số",
    "float_parsing": "phải là một số hợp lệ",
    "finite_number": "phải là một số hữu hạn",
    "bool_type": "phải là giá trị đúng/sai (true hoặc false)",
    "bool_parsing": "phải là giá trị đúng/sai (true hoặc false)",
    "string_type": "phải là một chuỗi văn bản",
    "string_sub_type": "phải là một chuỗi văn bản",
    "string_unicode": "phải là một chuỗi văn bản Unicode hợp lệ",
    "string_not_ascii": "chỉ được chứa ký tự ASCII",
    "none_required": "phải để trống (null)",
    "list_type": _LIST_VI,
    "tuple_type": _LIST_VI,
    "set_type": _LIST_VI,
    "frozen_set_type": _LIST_VI,
    "iterable_type": _LIST_VI,
    "set_item_not_hashable": "phần tử của tập hợp phải là giá trị đơn",
    "dict_type": _MAPPING_VI,
    "mapping_type": _MAPPING_VI,
    "model_type": _MAPPING_VI,
    "model_attributes_type": _MAPPING_VI,
    "dataclass_type": _MAPPING_VI,
    "invalid_key": "khóa phải là chuỗi văn bản",
    "date_type": "phải là một ngày (YYYY-MM-DD)",
    "date_from_datetime_inexact": "phải là một ngày (không kèm giờ, hoặc giờ bằng 00:00:00)",
    "date_past": "phải là một ngày trong quá khứ",
    "date_future": "phải là một ngày trong tương lai",
    "datetime_type": "phải là một ngày giờ",
    "datetime_past": "phải là thời điểm trong quá khứ",
    "datetime_future": "phải là thời điểm trong tương lai",
    "time_type": "phải là một giờ (HH:MM[:SS])",
    "timezone_naive": "không được kèm múi giờ",
    "timezone_aware": "phải kèm múi giờ",
    "url_type": "phải là một URL",
    "ip_v4_address": "không phải địa chỉ IPv4 hợp lệ",
    "ip_v6_address": "không phải địa chỉ IPv6 hợp lệ",
    "ip_any_address": "không phải địa chỉ IPv4 hoặc IPv6 hợp lệ",
    "ip_v4_network": "không phải mạng IPv4 hợp lệ",
    "ip_v6_network": "không phải mạng IPv6 hợp lệ",
    "ip_any_network": "không phải mạng IPv4 hoặc IPv6 hợp lệ",
    "ip_v4_interface": "không phải giao diện IPv4 hợp lệ",
    "ip_v6_interface": "không phải giao diện IPv6 hợp lệ",
    "ip_any_interface": "không phải giao diện IPv4 hoặc IPv6 hợp lệ",
    "frozen_field": "trường này không được thay đổi",
    "uuid_type": "phải là một UUID",
    "decimal_type": "phải là một số thập phân",
    "decimal_parsing": "phải là một số thập phân hợp lệ",
}
_BOUNDS_VI = {  # (ctx key, Vietnamese wording)
    "greater_than": ("gt", "phải lớn hơn {}"),
    "greater_than_equal": ("ge", "phải lớn hơn hoặc bằng {}"),
    "less_than": ("lt", "phải nhỏ hơn {}"),
    "less_than_equal": ("le", "phải nhỏ hơn hoặc bằng {}"),
    "multiple_of": ("multiple_of", "phải là bội số của {}"),
    "string_too_short": ("min_length", "phải có ít nhất {} ký tự"),
    "string_too_long": ("max_length", "chỉ được có tối đa {} ký tự"),
    "url_too_long": ("max_length", "URL chỉ được có tối đa {} ký tự"),
    "string_pattern_mismatch": ("pattern", "không khớp mẫu '{}'"),
    "url_scheme": ("expected_schemes", "URL phải có giao thức {}"),
}
_REASONED_VI = {  # types whose ctx["error"] says why
    "date_parsing": "phải là một ngày hợp lệ dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "phải là một ngày (hoặc ngày giờ) hợp lệ",
    "datetime_parsing": "phải là một ngày giờ hợp lệ",
    "datetime_from_date_parsing": "phải là một ngày giờ (hoặc ngày) hợp lệ",
    "time_parsing": "phải là một giờ hợp lệ",
    "url_parsing": "phải là một URL hợp lệ",
    "url_syntax_violation": "URL vi phạm quy tắc cú pháp",
    "uuid_parsing": "phải là một UUID hợp lệ",
}


def _choices_vi(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" in Vietnamese: "'a', 'b' hoặc 'c'"."""
    head, sep, last = expected.rpartition(" or ")
    return f"{head} hoặc {last}" if sep else expected


def _vietnamese(kind: str, ctx: dict[str, Any]) -> str | None:
    """pydantic's message for an error of `kind` in Vietnamese, or None when not translated."""
    fixed = _FIXED_VI.get(kind)
    if fixed is not None:
        return fixed
    if kind in _BOUNDS_VI:
        key, text = _BOUNDS_VI[kind]
        if key not in ctx:
            return None
        bound = ctx[key]
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)  # as pydantic writes it: "greater than 0", not 0.0
        return text.format(bound)
    if kind in _REASONED_VI:
        reason = str(ctx.get("error", ""))
        reason_vi = _TIME_REASONS_VI.get(reason, reason)
        return f"{_REASONED_VI[kind]}: {reason_vi}" if reason else _REASONED_VI[kind]
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"phải là {_choices_vi(str(ctx['expected']))}"
    if kind in ("too_short", "too_long") and "actual_length" in ctx:
        what = _COLLECTIONS_VI.get(str(ctx.get("field_type")), "giá trị")
        bound = (
            f"ít nhất {ctx.get('min_length')}"
            if kind == "too_short"
            else f"tối đa {ctx.get('max_length')}"
        )
        return f"{what} phải có {bound} phần tử, hiện có {ctx['actual_length']}"
    if kind == "union_tag_invalid" and "tag" in ctx:
        return (
            f"giá trị '{ctx['tag']}' của trường {ctx.get('discriminator', '')} không thuộc các "
            f"loại được phép: {ctx.get('expected_tags', '')}"
        )
    if kind == "union_tag_not_found":
        return f"không xác định được loại: thiếu {ctx.get('discriminator', 'trường phân loại')}"
    return None


def describe_error(error: Any) -> Msg:
    """One pydantic error in both languages, quoting the offending value."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, MsgValueError):  # our own validators: their text in both languages
        return cause.text
    english = str(error["msg"])
    if kind == "extra_forbidden":
        english = "unknown field (check the spelling; see `auditor schema`)"
    elif kind == "missing":
        english = "required field is missing"
    if english.startswith("Value error, "):
        english = english[len("Value error, ") :]
    message = Msg(_vietnamese(kind, ctx) or english, english)
    if kind not in _NOT_QUOTED:  # our own validators quote the value themselves
        shown = _quoted(error.get("input"))
        if shown is not None:
            message = message.suffixed(f" (nhận được {shown})", f" (got {shown})")
    return message


def validate(model: type[M], data: Any, source: str) -> M:
    """Validate `data` (read from `source`) as `model`, or raise one InputError for all errors.

    Several problems become an CombinedInputError (each with its line and field path; at most
    MAX_REPORTED are kept, with the total count)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: list[InputError] = []
        for error in exc.errors()[:MAX_REPORTED]:
            loc = _clean_loc(tuple(error["loc"]), data)
            location = Location(source, line_of(data, loc), None, field_path(loc) or None)
            problems.append(InputError(location, describe_error(error)))
        if len(problems) == 1:
            raise problems[0] from None
        raise CombinedInputError(problems, exc.error_count()) from None
