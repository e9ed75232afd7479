"""The annual report as one self-contained HTML page (inline CSS and SVG; no script or font)."""

from __future__ import annotations

import datetime as dt

from auditor.model.targets import TargetsFile
from auditor.report.annual.figures import AnnualFigures
from auditor.report.annual.form08 import LetterOptions, governs_nd331
from auditor.report.annual.page import build_page
from auditor.report.annual.words import words
from auditor.report.html import make_environment
from auditor.rules import Catalog


def render_annual(
    figures: AnnualFigures,
    catalog: Catalog,
    lang: str,
    targets: TargetsFile,
    today: dt.date,
    annex_limit: int | None = None,
    letter: LetterOptions | None = None,
) -> str:
    """The page in `lang`; `annex_limit` cuts the per-system annex (for printing);
    `letter`, what the command line sets on the covering letter."""
    template = make_environment().get_template("annual.html.j2")
    page = build_page(figures, catalog, lang, targets, today, annex_limit, letter)
    return template.render(page=page, w=words(lang, nd331=governs_nd331(figures.period)))
