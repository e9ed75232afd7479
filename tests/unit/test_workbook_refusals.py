"""Which answers a validation error of the edited inventory comes from: the cells cited on the
error's line and in the block under it, no further, and only the workbook being imported."""

from __future__ import annotations

from auditor.workbook.importing import _cells_behind

EDITED = """\
agency:
  id: so-a
  staff:
    security_staff: 4
    trained: 5  # bảng tính: a.xlsx!Staff!G3
  systems:
    - id: he-thong-1  # bảng tính: a.xlsx!Systems!A3
      name: Hệ thống 1
      classification:
        users: 12000  # bảng tính: a.xlsx!Systems!V3
        state_budget: true  # cũ · bảng tính: old.xlsx!Systems!W3
    - id: he-thong-2
      lifecycle: retired  # bảng tính: a.xlsx!Systems!E4
"""


def test_a_mapping_error_names_the_cells_inside_the_mapping_only() -> None:
    assert _cells_behind(EDITED, 3, "a.xlsx") == ["a.xlsx!Staff!G3"]


def test_a_list_item_covers_its_own_lines_not_the_next_item() -> None:
    assert _cells_behind(EDITED, 7, "a.xlsx") == ["a.xlsx!Systems!A3", "a.xlsx!Systems!V3"]
    assert _cells_behind(EDITED, 12, "a.xlsx") == ["a.xlsx!Systems!E4"]


def test_cells_of_another_workbook_are_not_this_import_s_answers() -> None:
    assert _cells_behind(EDITED, 9, "a.xlsx") == ["a.xlsx!Systems!V3"]
    assert _cells_behind(EDITED, 9, "old.xlsx") == ["old.xlsx!Systems!W3"]


def test_a_line_with_no_answer_under_it_has_no_cells() -> None:
    assert _cells_behind(EDITED, 8, "a.xlsx") == []
    assert _cells_behind(EDITED, None, "a.xlsx") == []
    assert _cells_behind(EDITED, 99, "a.xlsx") == []


def test_a_list_at_its_key_s_own_indent_is_under_the_key() -> None:
    text = "hosts:\n- name: a  # bảng tính: a.xlsx!Hosts!B3\nother: 1  # bảng tính: a.xlsx!X!A1\n"
    assert _cells_behind(text, 1, "a.xlsx") == ["a.xlsx!Hosts!B3"]


def test_the_round_trip_loader_builds_no_python_object() -> None:
    # The import reads an inventory already validated by the safe loader; even so, the round
    # trip must never construct what a Python tag names.
    from ruamel.yaml.comments import TaggedScalar

    from auditor.workbook.yaml_edit import YamlDocument

    document = YamlDocument(
        'a: !!python/object/apply:os.getcwd []\nb: !!python/name:os.system\n'
    )
    assert list(document.data["a"]) == []
    assert isinstance(document.data["b"], TaggedScalar)
