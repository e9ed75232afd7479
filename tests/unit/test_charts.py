"""The report's inline SVG charts: valid SVG, escaped text, faithful geometry, both languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from markupsafe import Markup

from auditor.report.charts import (
    Bar,
    KpiBar,
    Series,
    bar_chart,
    grouped_bar_chart,
    kpi_chart,
    stacked_bar,
)
from auditor.report.filters import percent

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script> & co"


def parse(chart: Markup | str) -> ET.Element:
    # The input is this module's own output, never outside data, so the stdlib parser is safe.
    return ET.fromstring(str(chart))  # noqa: S314


def with_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(NS + tag) if css in (e.get("class") or "").split()]


def texts(root: ET.Element, css: str | None = None) -> list[str]:
    elements = root.iter(NS + "text") if css is None else with_class(root, "text", css)
    return [e.text or "" for e in elements]


def all_text(root: ET.Element) -> str:
    return " ".join(root.itertext())


SAMPLES: dict[str, Callable[[str], Markup]] = {
    "bar": lambda lang: bar_chart(
        [Bar("Cấp độ 1", 3, "level-1"), Bar("Cấp độ 2", 7.5, "level-2")],
        title="Theo cấp độ",
        lang=lang,
    ),
    "bar-empty": lambda lang: bar_chart([], title="Theo cấp độ", lang=lang),
    "kpi": lambda lang: kpi_chart(
        [KpiBar("Phê duyệt", 87.5, 90, previous=80, met=False), KpiBar("Giám sát", None, 50)],
        title="KPI",
        lang=lang,
    ),
    "kpi-empty": lambda lang: kpi_chart([], title="KPI", lang=lang),
    "grouped": lambda lang: grouped_bar_chart(
        ["Cao", "Thấp"],
        [Series("2025", (1, 2), "bar-prev"), Series("2026", (3, 0))],
        title="Theo mức độ",
        lang=lang,
    ),
    "grouped-dense": lambda lang: grouped_bar_chart(
        [f"c{i}" for i in range(120)],
        [Series(f"s{j}", tuple(float(i % 7 + j) for i in range(120))) for j in range(3)],
        title="Nhiều nhóm",
        lang=lang,
    ),
    "grouped-empty": lambda lang: grouped_bar_chart([], [], title="Theo mức độ", lang=lang),
    "stacked": lambda lang: stacked_bar(
        [Bar("Cao", 1, "sev-high"), Bar("Thấp", 3, "sev-low")], title="Tỷ trọng", lang=lang
    ),
    "stacked-empty": lambda lang: stacked_bar([], title="Tỷ trọng", lang=lang),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_chart_is_one_accessible_scalable_svg(kind: str, lang: str) -> None:
    chart = SAMPLES[kind](lang)
    assert isinstance(chart, Markup)
    root = parse(chart)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root[0].tag == NS + "title"
    assert root[0].text == root.get("aria-label")
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox") or "")
    assert root.get("width") == "100%"
    assert "max-width:" in (root.get("style") or "")
    assert "font-family:inherit" in (root.get("style") or "")
    assert "chart" in (root.get("class") or "").split()
    # Nothing that could reach outside the page: no script, link, image or foreign content.
    for tag in ("script", "a", "image", "use", "foreignObject", "style"):
        assert list(root.iter(NS + tag)) == []
    assert "http" not in str(chart).replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_coordinates_have_at_most_one_decimal(kind: str) -> None:
    root = parse(SAMPLES[kind]("vi"))
    for element in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "width", "height"):
            value = element.get(name)
            if value is not None and value != "100%":
                assert re.fullmatch(r"-?\d+(\.\d)?", value), (element.tag, name, value)
                if name in ("width", "height"):
                    assert float(value) >= 0, (element.tag, name, value)
        for number in re.findall(r"-?\d+\.\d+", element.get("d") or ""):
            assert len(number.split(".")[1]) == 1, number


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_output_is_deterministic(kind: str) -> None:
    assert str(SAMPLES[kind]("vi")) == str(SAMPLES[kind]("vi"))
    assert str(SAMPLES[kind]("en")) == str(SAMPLES[kind]("en"))


def _evil_charts() -> list[Markup]:
    return [
        bar_chart([Bar(EVIL, 2, css=EVIL)], title=EVIL, lang="vi", unit=EVIL),
        kpi_chart([KpiBar(EVIL, 50, 60)], title=EVIL, lang="en"),
        grouped_bar_chart([EVIL], [Series(EVIL, (1,), css=EVIL)], title=EVIL, lang="vi"),
        stacked_bar([Bar(EVIL, 1, css=EVIL)], title=EVIL, lang="en"),
        stacked_bar([], title=EVIL, lang="vi"),
    ]


@pytest.mark.parametrize("index", range(5))
def test_user_text_is_escaped(index: int) -> None:
    chart = str(_evil_charts()[index])
    assert "<script" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in chart
    root = parse(chart)
    assert list(root.iter(NS + "script")) == []
    # The text survives intact for the reader: aria-label and <title> hold it whole.
    assert root.get("aria-label") == EVIL
    assert EVIL in [e.text for e in root.iter(NS + "title")]


def test_control_characters_do_not_break_the_xml() -> None:
    root = parse(bar_chart([Bar("a\x00b\x1bc", 1)], title="t\x0b", lang="en"))
    assert "abc" in all_text(root)


def test_bar_heights_are_proportional_to_values() -> None:
    root = parse(bar_chart([Bar("a", 10), Bar("b", 20), Bar("c", 40)], title="t", lang="en"))
    bars = with_class(root, "rect", "bar")
    heights = [float(b.get("height") or "nan") for b in bars]
    assert len(heights) == 3
    assert heights[0] > 0
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.1)
    # Bars stand on one baseline.
    bottoms = {round(float(b.get("y") or 0) + float(b.get("height") or 0), 1) for b in bars}
    assert len(bottoms) == 1


def test_bar_scale_is_at_least_one() -> None:
    def height(value: float) -> float:
        root = parse(bar_chart([Bar("a", value)], title="t", lang="en"))
        return float(with_class(root, "rect", "bar")[0].get("height") or "nan")

    assert height(0.5) == pytest.approx(height(1) / 2, abs=0.1)
    assert height(5) == pytest.approx(height(1), abs=0.1)  # the maximum fills the plot


def test_bar_values_use_the_language_number_format() -> None:
    bars = [Bar("a", 1234), Bar("b", 7.5), Bar("c", 3.0)]
    assert texts(parse(bar_chart(bars, title="t", lang="vi")), "value") == ["1.234", "7,5", "3"]
    assert texts(parse(bar_chart(bars, title="t", lang="en")), "value") == ["1,234", "7.5", "3"]
    vi = texts(parse(bar_chart([Bar("a", 40)], title="t", lang="vi", unit="%")), "value")
    en = texts(parse(bar_chart([Bar("a", 40)], title="t", lang="en", unit="%")), "value")
    assert (vi, en) == (["40 %"], ["40%"])


def test_bar_classes_map_to_inline_fills() -> None:
    root = parse(
        bar_chart(
            [Bar("c", 1, "sev-critical"), Bar("i", 1, "sev-info"), Bar("l1", 1, "level-1")],
            title="t",
            lang="en",
        )
    )
    bars = with_class(root, "rect", "bar")
    assert [b.get("fill") for b in bars] == ["#a4161a", "#5b6573", "#9cc3e6"]
    assert "sev-critical" in (bars[0].get("class") or "").split()


def test_long_category_labels_are_shortened_with_the_full_text_kept() -> None:
    label = "Hệ thống thông tin quản lý văn bản và điều hành của Ủy ban nhân dân tỉnh"
    many = [Bar(f"{label} {i}", i + 1) for i in range(8)]
    root = parse(bar_chart(many, title="t", lang="vi"))
    shown = texts(root, "label")
    assert all(len(line) < len(label) for line in shown)
    assert any(line.endswith("…") for line in shown)
    assert f"{label} 0" in [e.text for e in root.iter(NS + "title")]


@pytest.mark.parametrize(("lang", "expected"), [("vi", "87,5 %"), ("en", "87.5%")])
def test_kpi_value_text_in_each_language(lang: str, expected: str) -> None:
    root = parse(kpi_chart([KpiBar("Phê duyệt", 87.5, 90)], title="t", lang=lang))
    assert texts(root, "value") == [expected]
    # Same convention as the page's own percent filter.
    assert expected == percent(875, 1000, lang)


@pytest.mark.parametrize("target", [0, 25, 90, 100])
def test_kpi_target_marker_sits_at_the_target_share_of_the_track(target: float) -> None:
    root = parse(kpi_chart([KpiBar("k", 50, target)], title="t", lang="en"))
    track = with_class(root, "rect", "track")[0]
    x, width = float(track.get("x") or "nan"), float(track.get("width") or "nan")
    row = next(g for g in root.iter(NS + "g") if "kpi-row" in (g.get("class") or ""))
    marker = with_class(row, "line", "bar-target")[0]
    assert float(marker.get("x1") or "nan") == pytest.approx(x + width * target / 100, abs=0.1)
    assert marker.get("x1") == marker.get("x2")  # vertical


def test_kpi_bar_length_is_the_value_share_of_the_track() -> None:
    root = parse(kpi_chart([KpiBar("k", 40, 50), KpiBar("over", 130, 50)], title="t", lang="vi"))
    track = with_class(root, "rect", "track")[0]
    width = float(track.get("width") or "nan")
    bars = with_class(root, "rect", "bar")
    assert float(bars[0].get("width") or "nan") == pytest.approx(width * 0.4, abs=0.1)
    # Over-achievement is written as is, but the bar stops at the end of the track.
    assert float(bars[1].get("width") or "nan") == pytest.approx(width, abs=0.1)
    assert texts(root, "value") == ["40,0 %", "130,0 %"]


def test_kpi_without_data_shows_a_dash_and_a_hatched_empty_track() -> None:
    root = parse(kpi_chart([KpiBar("k", None, 50)], title="t", lang="vi"))
    assert texts(root, "value") == ["—"]
    assert with_class(root, "rect", "bar") == []
    assert len(with_class(root, "path", "hatch")) == 1
    assert len(with_class(root, "line", "bar-target")) == 2  # the row's marker and the legend's


def test_kpi_colours_follow_met() -> None:
    items = [KpiBar("a", 95, 90, met=True), KpiBar("b", 10, 90, met=False), KpiBar("c", 5, 9)]
    root = parse(kpi_chart(items, title="t", lang="en"))
    rows = [g for g in root.iter(NS + "g") if "kpi-row" in (g.get("class") or "")]
    fills = [with_class(row, "rect", "bar")[0].get("fill") for row in rows]
    assert fills == ["#1e6b33", "#a4161a", "#5b6573"]
    legend = all_text(root)
    assert "met" in legend
    assert "not met" in legend


def test_kpi_legend_names_the_target_once_and_previous_year_only_when_given() -> None:
    vi = parse(kpi_chart([KpiBar("a", 50, 60), KpiBar("b", 70, 60)], title="t", lang="vi"))
    assert texts(vi, "legend").count("mục tiêu") == 1
    assert "năm trước" not in texts(vi, "legend")
    assert with_class(vi, "rect", "bar-prev") == []
    en = parse(kpi_chart([KpiBar("a", 50, 60, previous=40)], title="t", lang="en"))
    assert texts(en, "legend") == ["target", "previous year"]
    track = with_class(en, "rect", "track")[0]
    prev = with_class(en, "rect", "bar-prev")
    assert len(prev) == 2  # the row's bar and the legend swatch
    width = float(track.get("width") or "nan")
    assert float(prev[0].get("width") or "nan") == pytest.approx(width * 0.4, abs=0.1)


def test_long_kpi_labels_are_truncated_with_the_full_text_in_the_row_title() -> None:
    label = "Tỷ lệ hệ thống thông tin được phê duyệt hồ sơ đề xuất cấp độ đúng hạn theo quy định"
    root = parse(kpi_chart([KpiBar(label, 87.5, 90)], title="t", lang="vi"))
    shown = texts(root, "label")[0]
    assert len(shown) <= 40
    assert shown.endswith("…")
    assert label.startswith(shown[:-1])
    row = next(g for g in root.iter(NS + "g") if "kpi-row" in (g.get("class") or ""))
    row_title = row.find(NS + "title")
    assert row_title is not None
    assert label in (row_title.text or "")


def test_truncation_never_splits_a_letter_from_its_tone_mark() -> None:
    decomposed = "a" * 38 + "e\u0302\u0301" + "xyz"  # NFD: ế as e + two combining marks
    root = parse(kpi_chart([KpiBar(decomposed, 1, 2)], title="t", lang="vi"))
    shown = texts(root, "label")[0]
    assert shown.endswith("…")
    assert "e" not in shown  # the whole composed letter went, not just its marks


@pytest.mark.parametrize(
    "make",
    [
        lambda lang: bar_chart([], title="t", lang=lang),
        lambda lang: bar_chart([Bar("a", 0), Bar("b", 0)], title="t", lang=lang),
        lambda lang: kpi_chart([], title="t", lang=lang),
        lambda lang: grouped_bar_chart([], [], title="t", lang=lang),
        lambda lang: grouped_bar_chart(["a"], [Series("s", (0,))], title="t", lang=lang),
        lambda lang: grouped_bar_chart(["a", "b"], [], title="t", lang=lang),
        lambda lang: stacked_bar([], title="t", lang=lang),
        lambda lang: stacked_bar([Bar("a", 0)], title="t", lang=lang),
    ],
)
def test_empty_input_gives_the_no_data_text(make: Callable[[str], Markup]) -> None:
    for lang, words in (("vi", "Không có dữ liệu"), ("en", "No data")):
        root = parse(make(lang))
        assert words in texts(root)
        assert with_class(root, "rect", "bar") == []
        assert root.get("aria-label") == "t"


def test_grouped_bars_per_category_and_series_with_a_legend() -> None:
    root = parse(
        grouped_bar_chart(
            ["Nghiêm trọng", "Cao", "Thấp"],
            [Series("Năm 2025", (2, 4, 6), "bar-prev"), Series("Năm 2026", (1, 2, 12))],
            title="t",
            lang="vi",
        )
    )
    bars = with_class(root, "rect", "bar")
    assert len(bars) == 6
    heights = [float(b.get("height") or "nan") for b in bars]
    # Order: category by category, series within; one scale for all.
    unit = heights[1]
    assert heights == pytest.approx(
        [2 * unit, unit, 4 * unit, 2 * unit, 6 * unit, 12 * unit], abs=0.1
    )
    assert texts(root, "legend") == ["Năm 2025", "Năm 2026"]
    fills = {b.get("fill") for b in bars[0::2]}, {b.get("fill") for b in bars[1::2]}
    assert len(fills[0]) == 1
    assert len(fills[1]) == 1
    assert fills[0] != fills[1]
    assert "Nghiêm trọng" in texts(root, "label")


def test_grouped_rejects_a_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        grouped_bar_chart(["a", "b", "c"], [Series("s", (1, 2))], title="t", lang="vi")
    with pytest.raises(ValueError):
        grouped_bar_chart([], [Series("s", (1,))], title="t", lang="en")


def test_stacked_parts_are_proportional_and_fill_the_bar() -> None:
    parts = [Bar("Cao", 1, "sev-high"), Bar("Không", 0), Bar("Thấp", 3, "sev-low")]
    root = parse(stacked_bar(parts, title="t", lang="vi"))
    bars = with_class(root, "rect", "bar")
    assert len(bars) == 2  # a zero part draws nothing but keeps its legend line
    widths = [float(b.get("width") or "nan") for b in bars]
    total = float((root.get("viewBox") or "").split()[2])
    assert sum(widths) == pytest.approx(total, abs=0.1)
    assert widths[1] == pytest.approx(3 * widths[0], abs=0.1)
    assert float(bars[1].get("x") or "nan") == pytest.approx(widths[0], abs=0.1)
    assert [b.get("fill") for b in bars] == ["#d9480f", "#2b6cb0"]
    assert texts(root, "legend") == ["Cao: 1 (25,0 %)", "Không: 0 (0,0 %)", "Thấp: 3 (75,0 %)"]
    en = parse(stacked_bar(parts, title="t", lang="en"))
    assert texts(en, "legend")[2] == "Thấp: 3 (75.0%)"


def test_unknown_language_is_refused_even_without_data() -> None:
    with pytest.raises(ValueError, match="unknown report language"):
        bar_chart([], title="t", lang="fr")
    with pytest.raises(ValueError, match="unknown report language"):
        kpi_chart([KpiBar("k", 1, 2)], title="t", lang="fr")


@pytest.mark.parametrize(
    "make",
    [
        lambda: Bar("a", -1),
        lambda: Bar("a", float("nan")),
        lambda: Series("s", (1, -2)),
        lambda: KpiBar("k", 50, 101),
        lambda: KpiBar("k", float("inf"), 50),
    ],
)
def test_invalid_values_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()
