"""The national report as one self-contained HTML page (inline CSS and SVG; no script)."""

from __future__ import annotations

import datetime as dt

from auditor.report.html import make_environment
from auditor.report.national.figures import NationalFigures
from auditor.report.national.page import build_page
from auditor.report.national.words import words


def render_national(figures: NationalFigures, lang: str, today: dt.date) -> str:
    template = make_environment().get_template("national.html.j2")
    return template.render(page=build_page(figures, lang, today), w=words(lang))
