"""Per-level references: the annex item and clause a system of each level is cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.loading.catalog import load_catalog
from auditor.model.inventory import Regime

CATALOG, _ = load_catalog()

#: (rule, level, what the citation must hold) on both sides of every renumbering boundary,
#: read from Circular 12/2022 Annexes I-V part II.2 (docs/legal-sources.md).
CASES = [
    ("TC-NET-03", 1, "Phụ lục I, mục II.2, STT 1.1.2 (TCVN 11930:2017 mục 5.2.1.3)"),
    ("TC-NET-03", 2, "Phụ lục II, mục II.2, STT 1.1.3 (TCVN 11930:2017 mục 6.2.1.4)"),
    ("TC-NET-03", 5, "Phụ lục V, mục II.2, STT 1.1.3 (TCVN 11930:2017 mục 9.2.1.4)"),
    ("TC-NET-04", 1, "mục 5.2.1.4"),
    ("TC-NET-04", 2, "mục 6.2.1.5"),
    ("TC-NET-06", 1, "STT 1.1.4 (TCVN 11930:2017 mục 5.2.1.5)"),
    ("TC-NET-06", 2, "STT 1.1.5 (TCVN 11930:2017 mục 6.2.1.6)"),
    ("TC-NET-06", 3, "STT 1.1.6 (TCVN 11930:2017 mục 7.2.1.7)"),
    ("TC-NET-06", 4, "mục 8.2.1.7"),
    ("TC-APP-04", 2, "STT 1.3.4 (TCVN 11930:2017 mục 6.2.3.4)"),
    ("TC-APP-04", 3, "STT 1.3.6 (TCVN 11930:2017 mục 7.2.3.6)"),
    ("TC-APP-05", 3, "STT 1.3.4 (TCVN 11930:2017 mục 7.2.3.4)"),
    ("TC-DAT-01", 1, "STT 1.4.1 (TCVN 11930:2017 mục 5.2.4.1)"),
    ("TC-DAT-01", 2, "STT 1.4.2 (TCVN 11930:2017 mục 6.2.4.2)"),
    ("TC-DAT-01", 3, "STT 1.4.3 (TCVN 11930:2017 mục 7.2.4.3)"),
    ("TC-DAT-02", 2, "STT 1.4.1 (TCVN 11930:2017 mục 6.2.4.1)"),
    ("TC-DAT-02", 3, "STT 1.4.2 (TCVN 11930:2017 mục 7.2.4.2)"),
    ("TC-DAT-03", 3, "STT 1.4.1 (TCVN 11930:2017 mục 7.2.4.1)"),
]


@pytest.mark.parametrize(("rule_id", "level", "expected"), CASES)
def test_reference_gives_the_clause_of_the_systems_level(
    rule_id: str, level: int, expected: str
) -> None:
    rule = CATALOG.get(rule_id)
    assert rule is not None
    assert expected in rule.reference_text(Regime.ND85, level)


def test_the_other_levels_clause_is_not_cited() -> None:
    rule = CATALOG.get("TC-NET-06")
    assert rule is not None
    at3 = rule.reference_text(Regime.ND85, 3)
    assert "7.2.1.5" not in at3 and "6.2.1.6" not in at3
    # Without a level (the rules list) the general clause is shown, no level's number.
    assert "7.2.1.7" not in rule.reference_text(Regime.ND85)


def _checklist(tmp_path: Path, levels: str, scope: str = "{min_level: 2, max_level: 3}") -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(
        f"""catalog: {{id: t, title: {{vi: "T", en: "T"}}}}
rules:
  - id: PROV-01
    title: {{vi: "A", en: "A"}}
    remediation: {{vi: "B", en: "B"}}
    group: network
    levels: {scope}
    severity: low
    references:
      - document: "Thông tư 12/2022/TT-BTTTT"
        levels: {levels}
    check: {{kind: present, fact: x}}
""",
        encoding="utf-8",
    )
    return path


def test_a_complete_per_level_map_loads(tmp_path: Path) -> None:
    catalog, _ = load_catalog([_checklist(tmp_path, "{2: {clause: a}, 3: {item: b}}")])
    rule = catalog.get("PROV-01")
    assert rule is not None
    assert rule.reference_text(None, 2) == "Thông tư 12/2022/TT-BTTTT, a"
    assert rule.reference_text(None, 3) == "Thông tư 12/2022/TT-BTTTT, b"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("{2: {clause: a}}", "no entry for level(s) 3"),
        ("{1: {clause: a}, 2: {clause: b}, 3: {clause: c}}", "level(s) 1 outside"),
        ("{2: {clause: a}, 3: {}}", "needs 'item', 'clause' or both"),
        ("{}", "at least one level"),
        ("{2: {clause: a}, 3: {clause: b, page: 4}}", "page"),
    ],
)
def test_a_bad_per_level_map_is_a_clear_checklist_error(
    tmp_path: Path, levels: str, message: str
) -> None:
    with pytest.raises(InputError) as error:
        load_catalog([_checklist(tmp_path, levels)])
    assert message in str(error.value)
    assert "c.yaml" in str(error.value)
