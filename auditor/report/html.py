"""The HTML report: one self-contained page (inline CSS, no script, font or image).

Templates only lay out the view models of `report/views/`; every piece of data is escaped
(autoescape on, nothing marked safe), and a misspelt name fails the render (StrictUndefined).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import jinja2

from auditor.model.results import AuditRun
from auditor.report import filters, labels
from auditor.report.views import build_page
from auditor.resources import shipped_dir
from auditor.rules import Catalog


def make_environment() -> jinja2.Environment:
    """The one Jinja environment of the package."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped_dir("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters.FILTERS)
    return env


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Rendering makes millions of small acyclic objects; the cyclic collector would rescan
    the audit's whole heap several times over (a 10,000-system page: 7 s → 2.5 s without)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_html(run: AuditRun, catalog: Catalog, lang: str, full: bool | None = None) -> str:
    """The whole report as one HTML document in `lang` ('vi' or 'en').

    `full`: every finding with evidence, legal basis and remediation; None decides by size
    (views.FULL_DETAIL_MAX_SYSTEMS) so that a 10,000-system page stays loadable.
    """
    template = make_environment().get_template("report.html.j2")
    with _cyclic_gc_paused():
        page = build_page(run, catalog, lang, full)
        return template.render(page=page, t=labels.ui(lang), lang=lang)
