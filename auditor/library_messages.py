"""Vietnamese for the messages libraries write in English: libyaml's syntax problems, Python's
reasons for a date or number it cannot read, and pydantic's validation errors.

Our own errors carry both languages from the place they are raised (`auditor.messages.Msg`);
these texts come from elsewhere, so they are translated here, from the library's own words or
(pydantic) from each error's `type` and `ctx`. What is not listed stays in the library's
English in both languages: a new library version can add a message, never break one.
`describe_error` makes one pydantic error a message (any input: inventories, scans, results).
Pure; no I/O, no pydantic import (a foundation every layer may use).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from auditor.messages import Msg, MsgValueError

# ---- YAML (libyaml, PyYAML) and Python -----------------------------------------------------

#: Python's reasons for a date or time that does not exist, in Vietnamese.
_DATE_REASONS_VI = {
    "day is out of range for month": "ngày vượt quá số ngày của tháng",
    "month must be in 1..12": "tháng phải từ 1 đến 12",
    "hour must be in 0..23": "giờ phải từ 0 đến 23",
    "minute must be in 0..59": "phút phải từ 0 đến 59",
    "second must be in 0..59": "giây phải từ 0 đến 59",
    "microsecond must be in 0..999999": "micrô giây phải từ 0 đến 999999",
}
#: libyaml's (and PyYAML's) frequent syntax problems, in Vietnamese; others are shown as
#: the parser says them.
_YAML_PROBLEMS_VI = {
    "mapping values are not allowed in this context": (
        "không được viết cặp 'khóa: giá trị' ở đây (thiếu dấu cách sau ':' hoặc thụt lề sai?)"
    ),
    "mapping values are not allowed here": (
        "không được viết cặp 'khóa: giá trị' ở đây (thiếu dấu cách sau ':' hoặc thụt lề sai?)"
    ),
    "could not find expected ':'": "không tìm thấy dấu ':' cần có",
    "found character that cannot start any token": (
        "gặp ký tự không được phép ở đầu một giá trị (tab, @, `…)"
    ),
    "found unexpected end of stream": "tệp kết thúc giữa chừng (thiếu dấu nháy đóng?)",
    "found unknown escape character": "gặp chuỗi thoát (escape) không hợp lệ",
    "found unexpected ':'": "gặp dấu ':' không đúng chỗ",
    "did not find expected key": "không tìm thấy khóa cần có (thụt lề sai?)",
    "did not find expected node content": "thiếu nội dung cần có",
    "did not find expected ',' or ']'": "thiếu dấu ',' hoặc ']'",
    "did not find expected ',' or '}'": "thiếu dấu ',' hoặc '}'",
    "did not find expected '-' indicator": "thiếu dấu '-' của phần tử danh sách (thụt lề sai?)",
    "did not find expected <document start>": "không tìm thấy điểm bắt đầu tài liệu",
    "found a tab character that violates indentation": "ký tự tab làm sai thụt lề",
    "block sequence entries are not allowed in this context": (
        "không được viết phần tử danh sách ('- ') ở đây"
    ),
    "found undefined tag handle": "gặp tiền tố thẻ chưa được định nghĩa",
    "found duplicate anchor": "gặp neo (anchor) trùng lặp",
    "found unknown directive name": "gặp chỉ thị (directive) không xác định",
    "found incompatible YAML document": "tài liệu YAML không tương thích",
}
_INT_DIGITS = re.compile(r"Exceeds the limit \((\d+) digits\).*value has (\d+) digits")


def python_reason(text: str) -> Msg:
    """Why Python refused a scalar's text (a date that does not exist, a number too long)."""
    digits = _INT_DIGITS.match(text)
    if digits is not None:  # Python's limit on integer text (and its advice for programmers)
        limit, count = digits.groups()
        return Msg(
            f"số quá dài ({count} chữ số; tối đa {limit})",
            f"number too long ({count} digits; at most {limit})",
        )
    return Msg(_DATE_REASONS_VI.get(text, text), text)


def yaml_problem(problem: str) -> Msg:
    """PyYAML's description of a syntax error, in Vietnamese where it is a known one."""
    return Msg(_YAML_PROBLEMS_VI.get(problem, problem), problem).prefixed(
        "YAML không hợp lệ: ", "invalid YAML: "
    )


# ---- pydantic ----------------------------------------------------------------------------------
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


def pydantic_vi(kind: str, ctx: dict[str, Any]) -> str | None:
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


# ---- pydantic errors, whole ------------------------------------------------------------

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
    message = Msg(pydantic_vi(kind, ctx) or english, english)
    if kind not in _NOT_QUOTED:  # our own validators quote the value themselves
        shown = _quoted(error.get("input"))
        if shown is not None:
            message = message.suffixed(f" (nhận được {shown})", f" (got {shown})")
    return message
