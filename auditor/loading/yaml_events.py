"""YAML values built from libyaml's event stream: mappings and lists that remember the line
of every key and item, duplicate keys refused, only the safe scalar tags, '<<' merge keys,
anchors and aliases, and the depth and alias-expansion limits checked as the values are
built. `auditor.loading.safe_yaml` runs it on a parser.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from auditor.errors import InputError, Location
from auditor.library_messages import python_reason
from auditor.loading.input_file import Limits
from auditor.messages import Msg, number


class LineDict(dict[Any, Any]):
    """A dict that remembers where it and each of its keys were written (1-based lines)."""

    __slots__ = ("key_lines", "line")

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.key_lines: dict[Any, int] = {}


class LineList(list[Any]):
    __slots__ = ("item_lines", "line")

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.item_lines: list[int] = []


_SAFE_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_EXPECTED = {  # what each scalar tag accepts, for the message when its text is not that
    "tag:yaml.org,2002:int": Msg("một số nguyên", "an integer"),
    "tag:yaml.org,2002:float": Msg("một số", "a number"),
    "tag:yaml.org,2002:bool": Msg("true hoặc false", "true or false"),
    "tag:yaml.org,2002:timestamp": Msg(
        "một ngày (YYYY-MM-DD) hoặc ngày giờ theo ISO 8601",
        "a date (YYYY-MM-DD) or an ISO 8601 date and time",
    ),
}
_SHOWN_MAX = 80  # characters of an offending value quoted in a message


def _shown(value: str) -> str:
    """A scalar's text as a message quotes it: escaped, and cut when it is long."""
    return repr(value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1] + "…")


def field_path(loc: Sequence[Any]) -> str:
    """A location (keys and list indexes) -> 'agencies[0].systems[2].hosts[0].name'."""
    text = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


_NOT_CACHED = object()
#: The first characters of the plain scalars an implicit YAML type (bool, int, float, null,
#: timestamp, merge…) may take; any other plain scalar is a string, no resolver needed.
_RESOLVED_FIRST: frozenset[Any] = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)
#: A resolver registered for any first character (None) would make every plain scalar a
#: candidate: then each one goes through the resolver.
_EVERY_FIRST = None in _RESOLVED_FIRST
_MERGE = object()


class EventBuilder:
    """Builds Python values from the parser's event stream, without recursion.

    Working from events (not PyYAML's node tree) keeps depth checks ahead of any
    recursion (the C composer overflows the C stack on deeply nested input), lets
    alias expansion be counted as it happens, and is faster than the stock composer.
    """

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.pending_anchors: set[str] = set()
        self.expanded = 0
        self.cache: dict[tuple[str, str], Any] = {}
        self.plain_cache: dict[str, Any] = {}
        self.stack: list[_Frame] = []

    def path(self) -> list[Any]:
        """Where the builder is: the keys and list indexes leading to the next value."""
        parts: list[Any] = []
        for frame in self.stack:
            if isinstance(frame.container, LineList):
                parts.append(len(frame.container))
            elif frame.key is not _NOT_CACHED:
                parts.append(frame.key)
            else:  # the next value is a key of this mapping
                break
        return parts

    def error(self, mark: Any, message: Msg, key: Any = _NOT_CACHED) -> InputError:
        """An error at `mark`, with the field path of the value being built (plus `key`)."""
        parts = self.path()
        if key is not _NOT_CACHED:
            parts.append(key)
        return InputError(
            Location(self.source, mark.line + 1, mark.column + 1, field_path(parts) or None),
            message,
        )

    def count(self, mark: Any, amount: int) -> None:
        self.expanded += amount
        if self.expanded > self.limits.max_nodes:
            limit = number(self.limits.max_nodes)
            raise self.error(
                mark,
                Msg(
                    f"tài liệu khai triển ra hơn {limit.vi} giá trị (quá lớn, hoặc là một "
                    "“bom alias”)",
                    f"the document expands to more than {limit.en} values "
                    "(too large, or an alias bomb)",
                ),
            )

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None:
            plain, _ = event.implicit
            if not plain:  # quoted or block text without a tag: always a string
                return event.value
            cached = self.plain_cache.get(event.value, _NOT_CACHED)
            if cached is not _NOT_CACHED:  # a plain scalar's type depends on its text alone
                return cached
            return self._plain(event)
        return self._scalar_slow(event)

    def _plain(self, event: Any) -> Any:
        """A plain scalar not seen before: resolved and remembered."""
        text = event.value
        if text and not _EVERY_FIRST and text[0] not in _RESOLVED_FIRST:
            value: Any = text  # no implicit type starts with this character: a string
        else:
            value = self._scalar_slow(event)
        if len(self.plain_cache) < 200_000:
            self.plain_cache[text] = value
        return value

    def _scalar_slow(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
        if tag not in _SAFE_SCALAR_TAGS and tag != _MERGE_TAG:
            raise self.error(event.start_mark, unsupported_tag(event.tag or tag))
        cache_key = (tag, event.value)
        cached = self.cache.get(cache_key, _NOT_CACHED)
        if cached is not _NOT_CACHED:
            return cached
        if tag == _MERGE_TAG:
            value: Any = _MERGE
        elif tag == _STR_TAG:
            value = event.value
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
            try:
                value = self.constructor.yaml_constructors[tag](self.constructor, node)
            except Exception as exc:
                raise self._invalid(event, tag, exc) from exc
        if len(self.cache) < 100_000:
            self.cache[cache_key] = value
        return value

    def _invalid(self, event: Any, tag: str, exc: Exception) -> InputError:
        """A tagged (or implicitly typed) scalar whose text is not of its type."""
        short = _short_tag(tag)
        expected = _EXPECTED.get(tag, Msg(f"một giá trị {short}", f"a {short} value"))
        text = str(exc) if isinstance(exc, ValueError) else ""
        if text.startswith(("could not convert", "invalid literal")):
            text = ""  # Python's wording for "not a number": ours says it better
        reason = python_reason(text) if text else None
        if event.tag is not None and event.tag != "!":  # the user wrote the tag
            message = Msg(f"{short} cần {expected.vi}", f"{short} needs {expected.en}")
            if reason is not None:
                message = message.suffixed(f" ({reason.vi})", f" ({reason.en})")
        else:  # plain text that looks like a date or number but is not a valid one
            message = reason or expected.prefixed("không phải ", "not ")
        value = _shown(event.value)
        return self.error(
            event.start_mark,
            message.prefixed(f"giá trị không hợp lệ {value}: ", f"invalid value {value}: "),
        )

    def build(self, parser: Any) -> Any:
        stack = self.stack
        root: Any = None
        documents = 0
        get_event = parser.get_event
        limit = self.limits.max_nodes
        plain_cache = self.plain_cache
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:  # most events are scalars: test them first
                self.expanded += 1
                if self.expanded > limit:
                    self.count(event.start_mark, 0)
                if event.tag is None:  # the common cases of `scalar`, inline
                    if not event.implicit[0]:
                        value = event.value
                    else:
                        value = plain_cache.get(event.value, _NOT_CACHED)
                        if value is _NOT_CACHED:
                            value = self._plain(event)
                else:
                    value = self._scalar_slow(event)
                if value is _MERGE and not (stack and stack[-1].awaiting_key()):
                    value = "<<"  # only a mapping key '<<' merges; elsewhere it is text
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                mark = event.start_mark
            elif kind is mapping_start or kind is sequence_start:
                start: Any = event.start_mark
                if len(stack) >= self.limits.max_depth:
                    raise self.error(start, too_deep(self.limits.max_depth))
                is_map = kind is mapping_start
                if event.tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
                    raise self.error(start, unsupported_tag(event.tag))
                self.count(start, 1)
                container: LineDict | LineList = LineDict() if is_map else LineList()
                container.line = start.line + 1
                if event.anchor:
                    self.pending_anchors.add(event.anchor)
                stack.append(_Frame(container, event.anchor, self.expanded - 1, start))
                continue
            elif kind is mapping_end or kind is sequence_end:
                frame = stack.pop()
                value = frame.finish(self)
                if frame.anchor:
                    self.pending_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (value, self.expanded - frame.start)
                mark = frame.start_mark  # a collection is "where it starts", not where it ends
            elif kind is alias_event:
                if event.anchor in self.pending_anchors:
                    raise self.error(
                        event.start_mark,
                        Msg(
                            f"alias đệ quy '*{event.anchor}'", f"recursive alias '*{event.anchor}'"
                        ),
                    )
                if event.anchor not in self.anchors:
                    raise self.error(
                        event.start_mark,
                        Msg(
                            f"alias không xác định '*{event.anchor}'",
                            f"unknown alias '*{event.anchor}'",
                        ),
                    )
                value, size = self.anchors[event.anchor]
                self.count(event.start_mark, size)
                mark = event.start_mark
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.error(
                        event.start_mark,
                        Msg(
                            "mỗi tệp chỉ được chứa một tài liệu YAML",
                            "only one YAML document per file",
                        ),
                    )
                continue
            elif event is None or kind is yaml.StreamEndEvent:
                break
            else:  # stream start, document end
                continue
            if not stack:
                root = value
                continue
            frame = stack[-1]  # _Frame.add, its common cases inline
            if not frame.is_map:
                frame.container.append(value)
                frame.container.item_lines.append(mark.line + 1)
            elif frame.key is _NOT_CACHED or frame.key is _MERGE:
                frame.add(self, value, mark)
            else:
                key, frame.key = frame.key, _NOT_CACHED
                mapping = frame.container
                if key in mapping:
                    first = mapping.key_lines[key]
                    raise self.error(frame.key_mark, _duplicate_key(key, first), key)
                mapping[key] = value
                mapping.key_lines[key] = frame.key_mark.line + 1
        return root


class _Frame:
    __slots__ = (
        "anchor", "container", "is_map", "key", "key_mark", "merges", "start", "start_mark"
    )

    def __init__(
        self, container: LineDict | LineList, anchor: str | None, start: int, start_mark: Any
    ) -> None:
        self.container: Any = container
        self.is_map = isinstance(container, LineDict)
        self.anchor = anchor
        self.start = start
        self.start_mark = start_mark
        self.key: Any = _NOT_CACHED
        self.key_mark: Any = None
        self.merges: list[tuple[Any, Any]] = []

    def awaiting_key(self) -> bool:
        return isinstance(self.container, LineDict) and self.key is _NOT_CACHED

    def add(self, builder: EventBuilder, value: Any, mark: Any) -> None:
        container = self.container
        if isinstance(container, LineList):
            container.append(value)
            container.item_lines.append(mark.line + 1)
            return
        if self.key is _NOT_CACHED:
            if isinstance(value, LineDict | LineList):
                raise builder.error(
                    mark,
                    Msg(
                        "khóa của ánh xạ (mapping) phải là một giá trị đơn",
                        "a mapping key must be a plain value",
                    ),
                )
            self.key, self.key_mark = value, mark
            return
        key, key_mark = self.key, self.key_mark
        self.key = _NOT_CACHED
        if key is _MERGE:
            self.merges.append((value, mark))
            return
        if key in container:
            raise builder.error(key_mark, _duplicate_key(key, container.key_lines[key]), key)
        container[key] = value
        container.key_lines[key] = key_mark.line + 1

    def finish(self, builder: EventBuilder) -> Any:
        container = self.container
        if isinstance(container, LineDict):
            # '<<' merge keys: explicit keys win, then earlier merged mappings win.
            for merged, mark in self.merges:
                sources = merged if isinstance(merged, list) else [merged]
                for source in sources:
                    if not isinstance(source, LineDict):
                        raise builder.error(
                            mark,
                            Msg(
                                "'<<' chỉ gộp được một ánh xạ hoặc danh sách các ánh xạ",
                                "'<<' must merge a mapping or list of mappings",
                            ),
                        )
                    for key, value in source.items():
                        if key not in container:
                            container[key] = value
                            container.key_lines[key] = source.key_lines.get(key, mark.line + 1)
        return container


def _duplicate_key(key: Any, first: int) -> Msg:
    return Msg(
        f"khóa trùng lặp '{key}' (đã viết lần đầu ở dòng {first})",
        f"duplicate key '{key}' (first written on line {first})",
    )


def too_deep(levels: int) -> Msg:
    return Msg(f"lồng nhau sâu quá {levels} cấp", f"nesting deeper than {levels} levels")


def unsupported_tag(tag: str) -> Msg:
    return Msg(f"thẻ YAML không được hỗ trợ '{tag}'", f"unsupported YAML tag '{tag}'")
