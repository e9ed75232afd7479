"""The visible signature's appearance: one PDF page exactly the size of the signature box,
saying who signed, for which organisation and when, with Vietnamese diacritics.

Why a page printed by Chromium: the PDF standard fonts a signing library can write text in
(pyHanko's text stamp) have no Vietnamese letters beyond Latin-1, and pyHanko's own font
embedding (0.38) needs fontTools and HarfBuzz and still lays the glyphs out at wrong widths.
Chromium, which already prints the annual report (`report/pdf.py`), shapes the text with
HarfBuzz and embeds a subset of DejaVu Sans with a ToUnicode map: the stamp reads right in any
PDF reader and its text extracts back to the same Unicode ("Nguyễn Thị Hồng Ngọc").

The text is shrunk to fit the box by a small static script in the page (a name cut short
would name someone else); the page says in its title whether everything fit, and a stamp
that does not fit even at the smallest size is refused rather than signed.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from auditor.errors import AuditorError
from auditor.messages import Msg, day
from auditor.resources import shipped_dir

#: Vietnam's time (ICT, UTC+07:00 all year, no daylight saving): the time Vietnamese documents
#: are signed in, whatever the signing machine's own zone.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
MAX_FONT = 8.0  # points: the stamp's text never larger than the form's own small print
MIN_FONT = 3.0  # points: smaller is no longer legible once printed
_TEMPLATE = "signature_stamp.html.j2"


class StampError(AuditorError):
    """The stamp could not be made (no browser, text too long for the box); nothing signed."""


@dataclass(frozen=True)
class StampLine:
    label: str  # e.g. "Ký bởi:", empty for none
    text: str
    strong: bool = False
    wraps: bool = False  # may take two lines (the organisation), the others never do


def stamp_lines(name: str, organisation: str | None, moment: dt.datetime,
                lang: str) -> list[StampLine]:
    """The stamp's words: the signer, the organisation (when the certificate names one) and
    the signing time in Vietnam time, in `lang` (the date as `messages.day` writes it)."""
    local = moment.astimezone(VIETNAM)
    when = f"{day(local.date()).get(lang)} {local:%H:%M} (+07:00)"
    lines = [StampLine(Msg("Ký bởi:", "Signed by:").get(lang), name, strong=True)]
    if organisation:
        lines.append(StampLine("", organisation, wraps=True))
    lines.append(StampLine(Msg("Thời gian ký:", "Signed at:").get(lang), when))
    return lines


def render_stamp_html(lines: Sequence[StampLine], width: float, height: float,
                      lang: str) -> str:
    """The stamp's page: `width` × `height` points, every word escaped (autoescape)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped_dir("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(_TEMPLATE).render(
        lines=lines, width=f"{width:g}", height=f"{height:g}", lang=lang,
        max_font=f"{MAX_FONT:g}", min_font=f"{MIN_FONT:g}",
    )


def print_stamp(lines: Sequence[StampLine], width: float, height: float, lang: str,
                pdf: Path, *, browser: Path | None = None) -> None:
    """Print the stamp's page to `pdf` with Chromium. StampError when there is no browser to
    print with, or the text does not fit the box even at MIN_FONT."""
    from auditor.report import pdf as printing

    with tempfile.TemporaryDirectory(prefix="auditor-stamp-") as scratch:
        page = Path(scratch) / "stamp.html"
        page.write_text(render_stamp_html(lines, width, height, lang), encoding="utf-8")
        try:
            printing.html_to_pdf(page, pdf, browser=browser)
        except printing.PdfError as error:
            raise StampError(Msg(
                f"không in được chữ ký hiển thị (cần Chromium để viết tiếng Việt có dấu): "
                f"{error}",
                f"cannot print the visible signature (Chromium writes it with its Vietnamese "
                f"diacritics): {error}",
            )) from None
    verdict = _title(pdf)
    if verdict.startswith("fits "):
        return
    if verdict != "overflow":  # the browser did not run the page's script: fit unknown
        raise StampError(Msg(
            "không kiểm tra được chữ ký hiển thị có vừa ô không (trình duyệt không chạy "
            "script của trang)",
            "cannot tell whether the visible signature's text fits its box (the browser did "
            "not run the page's script)",
        ))
    raise StampError(Msg(
        f"tên người ký hoặc cơ quan quá dài cho ô chữ ký ({width:g} × {height:g} pt, "
        f"chữ nhỏ nhất {MIN_FONT:g} pt)",
        f"the signer's name or organisation is too long for the signature box "
        f"({width:g} × {height:g} pt, smallest text {MIN_FONT:g} pt)",
    ))


def _title(pdf: Path) -> str:
    """The printed page's title: the script's verdict on whether the text fits."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
    title = reader.document_meta_view.title
    return str(title) if title is not None else ""
