"""auditor.loading.safe_yaml: line tracking, merge keys, anchors, scalar types and limits."""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.loading.safe_yaml import (
    Limits,
    LineDict,
    LineList,
    line_of,
    parse_yaml,
    read_text,
)

SRC = "test.yaml"



def parse(text: str, limits: Limits | None = None) -> object:
    return parse_yaml(text, SRC, limits) if limits is not None else parse_yaml(text, SRC)


def refused(text: str, limits: Limits | None = None) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, limits)
    assert info.value.location.file == SRC
    return info.value


# --------------------------------------------------------------------------------------------
# Line numbers
# --------------------------------------------------------------------------------------------

DOC = """\
# a comment on line 1
organisation:
  id: tinh-thu
  name: Tỉnh Thử

agencies:
  - id: so-a
    systems:
      - id: he-thong-1
        hosts:
          - name: app.example.test
            ipv4:
              - 192.0.2.10
              - 192.0.2.11
  - id: so-b
"""


def test_mappings_and_lists_know_their_line() -> None:
    data = parse(DOC)
    assert isinstance(data, LineDict)
    assert data.line == 2
    assert data["organisation"].line == 3
    assert isinstance(data["agencies"], LineList)
    assert data["agencies"].line == 7
    assert data["agencies"][0].line == 7
    assert data["agencies"][1].line == 15
    assert data["agencies"][0]["systems"][0]["hosts"][0].line == 11


def test_keys_know_their_line() -> None:
    data = parse(DOC)
    assert data.key_lines == {"organisation": 2, "agencies": 6}
    assert data["organisation"].key_lines == {"id": 3, "name": 4}
    assert data["agencies"][0].key_lines == {"id": 7, "systems": 8}


def test_scalar_list_items_know_their_line() -> None:
    data = parse(DOC)
    ipv4 = data["agencies"][0]["systems"][0]["hosts"][0]["ipv4"]
    assert ipv4 == ["192.0.2.10", "192.0.2.11"]
    assert ipv4.item_lines == [13, 14]
    flow = parse("a: [x,\n  y, z]\n")["a"]
    assert flow.item_lines == [1, 2, 2]


def test_collection_list_items_know_the_line_they_start_on() -> None:
    data = parse(DOC)
    assert data["agencies"].item_lines == [7, 15]
    nested = parse("- [1,\n   2]\n- {a: 1,\n   b: 2}\n- k: v\n  j: w\n")
    assert nested.item_lines == [1, 3, 5]


def test_line_of_follows_a_pydantic_location() -> None:
    data = parse(DOC)
    assert line_of(data, ()) == 2
    assert line_of(data, ("organisation", "name")) == 4
    assert line_of(data, ("agencies", 0, "systems", 0, "hosts", 0, "ipv4", 1)) == 14
    assert line_of(data, ("agencies", 0, "systems", 0, "hosts", 0, "name")) == 11


def test_line_of_stops_at_the_deepest_part_that_exists() -> None:
    data = parse(DOC)
    # A part that is not in the data (an unset field, an index out of range) ends the walk:
    # the answer is the line of the last part that was found.
    assert line_of(data, ("organisation", "kind")) == 2
    assert line_of(data, ("agencies", 0, "systems", 0, "hosts", 5)) == 10
    assert line_of(data, ("agencies", 0, "systems", 0, "hosts", -1)) == 10
    assert line_of(data, ("nope",)) == 2
    assert line_of({"a": 1}, ("a",)) is None


def test_line_of_a_missing_field_of_a_list_item_is_the_item_line() -> None:
    data = parse(DOC)
    # systems[0] lacks 'system_type': the error belongs on the '- id: he-thong-1' line (9),
    # not on the line where the item ends.
    assert line_of(data, ("agencies", 0, "systems", 0, "system_type")) == 9
    assert line_of(data, ("agencies", 1, "name")) == 15


def test_duplicate_key_names_both_lines() -> None:
    error = refused("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n")
    assert error.location.line == 5
    assert error.location.column == 3
    assert error.message == "duplicate key 'c' (first written on line 3)"


def test_same_key_in_different_mappings_is_fine() -> None:
    assert parse("a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}


def test_keys_equal_after_resolution_are_duplicates() -> None:
    # YAML 1.1: 'yes' and 'on' are both the boolean true.
    error = refused("yes: 1\non: 2\n")
    assert error.location.line == 2
    assert "duplicate key 'True'" in error.message


def test_syntax_error_has_line_and_column() -> None:
    error = refused("a: 1\nb: [1, 2\nc: 3\n")
    assert error.location.line == 3
    assert error.location.column is not None
    assert error.message.startswith("invalid YAML: ")


# --------------------------------------------------------------------------------------------
# Merge keys, anchors and aliases
# --------------------------------------------------------------------------------------------


def test_merge_key_explicit_keys_win_wherever_they_are_written() -> None:
    data = parse(
        "base: &b {x: 1, y: 2, z: 3}\nbefore:\n  x: 10\n  <<: *b\nafter:\n  <<: *b\n  y: 20\n"
    )
    assert data["before"] == {"x": 10, "y": 2, "z": 3}
    assert data["after"] == {"x": 1, "y": 20, "z": 3}
    assert "<<" not in data["before"]
    assert data["base"] == {"x": 1, "y": 2, "z": 3}  # the anchored mapping is not changed


def test_merge_key_list_earlier_mappings_win() -> None:
    data = parse("a: &a {k: from-a, x: 1}\nb: &b {k: from-b, y: 2}\nc:\n  <<: [*a, *b]\n")
    assert data["c"] == {"k": "from-a", "x": 1, "y": 2}


def test_merged_keys_keep_the_line_they_were_written_on() -> None:
    data = parse("base: &b\n  x: 1\n  y: 2\nc:\n  <<: *b\n  y: 3\n")
    assert data["c"].key_lines["x"] == 2  # inherited from the anchor
    assert data["c"].key_lines["y"] == 6  # written here


def test_merge_key_of_an_inline_mapping() -> None:
    assert parse("c:\n  <<: {x: 1}\n  y: 2\n")["c"] == {"x": 1, "y": 2}


@pytest.mark.parametrize(
    ("text", "line"),
    [("c:\n  <<: 1\n", 2), ("c:\n  <<: [{x: 1}, 2]\n", 2), ("l: &l [1]\nc:\n  <<: *l\n", 3)],
    ids=["scalar", "list-with-scalar", "alias-of-list"],
)
def test_merge_key_must_merge_mappings(text: str, line: int) -> None:
    error = refused(text)
    assert error.location.line == line
    assert "'<<' must merge a mapping" in error.message


@pytest.mark.parametrize("text", ["a: <<\n", "[<<]\n"], ids=["value", "list-item"])
def test_merge_token_outside_a_key_is_not_a_python_object(text: str) -> None:
    try:
        data = parse(text)
    except InputError:
        return  # refusing it is fine
    values = list(data.values()) if isinstance(data, dict) else list(data)
    assert values == ["<<"]


def test_aliases_within_the_limit_resolve_to_the_anchored_value() -> None:
    data = parse(
        "hosts: &h\n  - name: a.example.test\n  - name: b.example.test\n"
        "again: *h\n"
        "word: &w hello\n"
        "words: [*w, *w]\n"
    )
    assert data["again"] == data["hosts"]
    assert data["again"][1]["name"] == "b.example.test"
    assert data["words"] == ["hello", "hello"]


def test_recursive_alias_is_refused() -> None:
    error = refused("a: &x\n  b: *x\n")
    assert "recursive alias '*x'" in error.message
    assert error.location.line == 2
    error = refused("&l [1, *l]\n")
    assert "recursive alias '*l'" in error.message


def test_unknown_alias_is_refused() -> None:
    error = refused("a: 1\nb: *nope\n")
    assert error.location.line == 2
    assert "unknown alias '*nope'" in error.message


def test_alias_bomb_is_refused_by_the_node_limit() -> None:
    lines = ["a: &a [" + ", ".join(["x"] * 10) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    error = refused("\n".join(lines) + "\n")
    assert "expands to more than 5,000,000 values" in error.message
    assert error.location.line == 7  # 'g': where the running total first passes 5,000,000


# --------------------------------------------------------------------------------------------
# Scalars and tags
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24", dt.date(2026, 11, 24)),
        ("2026-11-24 08:30:00", dt.datetime(2026, 11, 24, 8, 30)),
        ("true", True),
        ("False", False),
        ("yes", True),  # YAML 1.1, as PyYAML reads it
        ("off", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("0x1F", 31),
        ("1_000", 1000),
        ("1.5", 1.5),
        ("1.0e+3", 1000.0),
        ('"42"', "42"),
        ("'2026-11-24'", "2026-11-24"),
        ("!!str 42", "42"),
        ("!!int '42'", 42),
        ("Tỉnh Thử", "Tỉnh Thử"),
        ("192.0.2.10", "192.0.2.10"),
        ('"2001:db8::10"', "2001:db8::10"),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_scalar_types(text: str, expected: object) -> None:
    value = parse(f"v: {text}\n")["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_special_floats() -> None:
    data = parse("a: .inf\nb: -.inf\nc: .nan\n")
    assert data["a"] == math.inf
    assert data["b"] == -math.inf
    assert math.isnan(data["c"])


def test_timestamp_with_zone_is_aware() -> None:
    value = parse("t: 2026-11-24T10:00:00+07:00\n")["t"]
    assert value.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("d: 2026-02-30\n", "invalid value '2026-02-30'"),
        ("n: " + "9" * 5000 + "\n", "invalid value"),
    ],
    ids=["date-out-of-range", "integer-too-long"],
)
def test_invalid_scalar_values_are_refused(text: str, message: str) -> None:
    error = refused(text)
    assert error.location.line == 1
    assert message in error.message


@pytest.mark.parametrize(
    "text",
    [
        'a: !!python/object/apply:os.system ["echo pwned"]\n',
        "a: !!python/name:os.system\n",
        "a: !!python/object:collections.OrderedDict {}\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x, y}\n",
        "a: !!omap [x: 1]\n",
        "a: !custom 1\n",
        "a: !custom [1]\n",
    ],
    ids=["apply", "name", "object", "binary", "set", "omap", "local-scalar", "local-seq"],
)
def test_unsafe_or_unknown_tags_are_refused(text: str) -> None:
    error = refused(text)
    assert error.location.line == 1
    assert error.message.startswith("unsupported YAML tag")


def test_standard_collection_tags_are_accepted() -> None:
    assert parse("a: !!map {x: 1}\nb: !!seq [1]\n") == {"a": {"x": 1}, "b": [1]}


def test_a_mapping_key_must_be_a_plain_value() -> None:
    error = refused("? [a, b]\n: 1\n")
    assert "a mapping key must be a plain value" in error.message


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\n---\nb: 2\n", 2), ("---\na: 1\n...\n---\nb: 2\n", 4), ("---\n---\n", 2)],
    ids=["two", "explicit-end", "two-empty"],
)
def test_multiple_documents_are_refused(text: str, line: int) -> None:
    error = refused(text)
    assert error.location.line == line
    assert "only one YAML document per file" in error.message


def test_one_explicit_document_is_fine() -> None:
    assert parse("---\na: 1\n...\n") == {"a": 1}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"], ids=repr)
def test_empty_document_is_none(text: str) -> None:
    assert parse(text) is None


# --------------------------------------------------------------------------------------------
# Limits, exactly at the boundary
# --------------------------------------------------------------------------------------------

SMALL = Limits(max_bytes=1000, max_depth=3, max_nodes=50)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("[[[1]]]", True),
        ("[[[[1]]]]", False),
        ("{a: {b: {c: 1}}}", True),
        ("{a: {b: {c: {d: 1}}}}", False),
        ("a:\n  b:\n    c: 1\n", True),
        ("a:\n  b:\n    c:\n      d: 1\n", False),
        ("- - - x\n", True),
        ("- - - - x\n", False),
    ],
    ids=["seq-3", "seq-4", "map-3", "map-4", "block-3", "block-4", "dash-3", "dash-4"],
)
def test_depth_limit_is_exact(text: str, ok: bool) -> None:
    if ok:
        assert parse(text, SMALL) is not None
    else:
        error = refused(text, SMALL)
        assert error.message == "nesting deeper than 3 levels"


def test_depth_limit_names_the_line_of_the_fourth_level() -> None:
    error = refused("a:\n  b:\n    c:\n      d: 1\n", SMALL)
    assert error.location.line == 4


def test_deep_nesting_far_beyond_the_limit_fails_fast() -> None:
    error = refused("[" * 100_000)
    assert error.message == "nesting deeper than 64 levels"
    # Our limit stops at the 65th bracket; libyaml >= 0.2.5 (PyYAML 6.0.4 wheels) looks ahead
    # and stops at its own limit of 1,000 levels first. Either way: line 1, same message.
    assert error.location.line == 1 and error.location.column in (65, 1001)


# Nodes: every collection and every scalar (keys included) counts one, aliases count the size
# of what they repeat.
@pytest.mark.parametrize(
    ("text", "nodes"),
    [
        ("[" + ", ".join(["1"] * 49) + "]", 50),
        ("[" + ", ".join(["1"] * 50) + "]", 51),
        ("{" + ", ".join(f"k{i}: v" for i in range(23)) + ", z: [1]}", 50),
        ("{" + ", ".join(f"k{i}: v" for i in range(23)) + ", z: [1, 2]}", 51),
    ],
    ids=["list-50", "list-51", "map-50", "map-51"],
)
def test_node_limit_is_exact(text: str, nodes: int) -> None:
    if nodes <= SMALL.max_nodes:
        assert parse(text, SMALL) is not None
    else:
        error = refused(text, SMALL)
        assert "expands to more than 50 values" in error.message


def test_node_limit_counts_alias_expansion() -> None:
    text = "[&a [1, 2, 3, 4], *a]"  # 1 + (1 + 4) + 5 = 11 values
    assert parse(text, Limits(max_nodes=11)) == [[1, 2, 3, 4], [1, 2, 3, 4]]
    error = refused(text, Limits(max_nodes=10))
    assert "expands to more than 10 values" in error.message


# --------------------------------------------------------------------------------------------
# read_text: size, encoding, binary
# --------------------------------------------------------------------------------------------


def test_size_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * 995)  # 1000 bytes
    text, raw = read_text(path, SMALL)
    assert len(raw) == 1000
    assert text.startswith("a: 1\n")
    path.write_bytes(b"a: 1\n" + b"#" * 996)
    with pytest.raises(InputError) as info:
        read_text(path, SMALL)
    assert "1,001 bytes, larger than the limit of 1,000 bytes" in info.value.message
    assert info.value.location.file == str(path)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: T\xe1\xbb\x89nh\n")
    text, _ = read_text(path)
    assert text == "name: Tỉnh\n"


def test_latin1_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: 2\nname: S\xf3 A\n")
    with pytest.raises(InputError) as info:
        read_text(path)
    assert info.value.location.line == 3
    assert "byte 0xf3 at offset 17" in info.value.message


def test_latin1_byte_after_a_bom_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bom-latin1.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n\xe9: 2\n")
    with pytest.raises(InputError) as info:
        read_text(path)
    assert info.value.location.line == 2
    assert "byte 0xe9 at offset 8" in info.value.message


def test_nul_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"a: 1\nb: 2\nc: \x00\n")
    with pytest.raises(InputError) as info:
        read_text(path)
    assert info.value.location.line == 3
    assert "binary data (NUL byte)" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_text(tmp_path / "nope.yaml")
    assert info.value.message.startswith("cannot read: ")
    assert info.value.location.file == str(tmp_path / "nope.yaml")


def test_control_character_names_its_line() -> None:
    error = refused("a: 1\nb: x\x1b[31m\n")
    assert error.location.line == 2
    assert "\n" not in error.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: !!timestamp not-a-date\n", "invalid value 'not-a-date': !!timestamp needs a date"),
        ("x: !!timestamp 2026-13-01\n", "!!timestamp needs a date"),
        ("x: !!bool maybe\n", "invalid value 'maybe': !!bool needs true or false"),
        ("x: !!int ''\n", "invalid value '': !!int needs an integer"),
        ("x: !!int\n", "invalid value '': !!int needs an integer"),
        ("x: !!int 0b\n", "invalid value '0b': !!int needs an integer"),
        ("x: !!float ''\n", "invalid value '': !!float needs a number"),
        ("x: !!float abc\n", "invalid value 'abc': !!float needs a number"),
    ],
    ids=["timestamp", "timestamp-month", "bool", "int-empty", "int-nothing", "int-0b",
         "float-empty", "float-text"],
)
def test_a_tagged_scalar_of_the_wrong_type_is_an_input_error(text: str, message: str) -> None:
    """PyYAML's constructors raise KeyError, IndexError or AttributeError on these: each is
    an InputError with line, column and field, never a traceback."""
    error = refused(text)
    assert (error.location.line, error.location.column) == (1, 4)
    assert error.location.field == "x"
    assert message in error.message


def test_errors_inside_the_document_name_the_field_path() -> None:
    error = refused("a:\n  - b: 1\n  - b: [1, !!bool perhaps]\n")
    assert error.location.field == "a[1].b[1]"
    assert (error.location.line, error.location.column) == (3, 12)
    duplicate = refused("a:\n  - {b: 1, b: 2}\n")
    assert duplicate.location.field == "a[0].b"
    assert refused("a: {b: !!python/none x}\n").location.field == "a.b"


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        read_text(fifo)  # no writer: an ordinary open() would wait forever
    assert info.value.message.startswith("a named pipe, not a regular file")


def test_a_folder_is_not_read_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_text(tmp_path)
    assert info.value.message.startswith("a folder, not a regular file")
