"""The national report's workbook: Form 08 by province and in total, the indicators, the
ranking, the provinces that have not submitted, and every system of every counted submission.

The systems sheet is written from the store's stream (68,000 rows for 34 provinces of 2,000
systems) into a write-only workbook: no list of rows is ever held.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from auditor.report.annual.export_words import word
from auditor.report.annual.figures import KpiValue
from auditor.report.annual.kpis import KPIS
from auditor.report.annual.xlsx import Book
from auditor.report.national.figures import NationalFigures
from auditor.report.national.page import FORM08_COLUMNS, form08_value, revocation_word
from auditor.report.national.words import words

_CHUNK: Final = 1 << 20


def _form08(book: Book, f: NationalFigures, w: Mapping[str, str]) -> None:
    ws = book.sheet("Form 08", [34, *([14] * len(FORM08_COLUMNS))])
    header = [w["province"], *(w[key] for key, _ in FORM08_COLUMNS)]
    book.table(ws, header, len(f.provinces) + 1)
    for p in sorted(f.provinces, key=lambda p: p.province_id):
        ws.append([book.text(ws, p.name),
                   *(form08_value(p.figures.headline, field) for _, field in FORM08_COLUMNS)])
    ws.append([book.bold(ws, w["total"]),
               *(form08_value(f.headline, field) for _, field in FORM08_COLUMNS)])  # fmt: skip


def _indicators(book: Book, f: NationalFigures, w: Mapping[str, str], lang: str) -> None:
    ws = book.sheet(w["indicator"][:31], [60, 10, 10, 10, 12, 12, 10])
    header = [w["indicator"], w["target"], w["result"], w["met_of"], w["unverified"],
              w["achieved"], w["previous"]]  # fmt: skip
    values: list[KpiValue] = [*f.kpis, *f.layers, *f.ipv6, *f.assessments]
    book.table(ws, header, len(values))
    for k in values:
        achieved = "" if k.achieved is None else w["achieved_yes" if k.achieved else "achieved_no"]
        ws.append([book.text(ws, k.kpi.title_in(lang)), k.target, k.value,
                   f"{k.met} / {k.applicable}", k.unverified, achieved, k.previous])  # fmt: skip


def _ranking(book: Book, f: NationalFigures, w: Mapping[str, str]) -> None:
    ws = book.sheet(w["rank"][:31], [8, 34, 10, 10, 12, 14, 50, 22, 40])
    header = [w["rank"], w["province"], w["score"], w["previous_score"], w["c_systems"],
              w["open_ch"], w["signer"], w["signed_at"], w["revocation"]]  # fmt: skip
    book.table(ws, header, len(f.provinces))
    for p in f.provinces:
        signed = p.submission.signed_at
        ws.append([p.rank, book.text(ws, p.name), p.score, p.previous_score,
                   p.figures.headline.systems, p.open_critical_high,
                   book.text(ws, p.submission.signer or ""),
                   book.text(ws, signed.isoformat() if signed else ""),
                   book.text(ws, revocation_word(p.submission, w))])  # fmt: skip


def _missing(book: Book, f: NationalFigures, w: Mapping[str, str]) -> None:
    ws = book.sheet(w["s_missing"][:31], [12, 40])
    book.table(ws, ["id", w["province"]], len(f.missing))
    for p in f.missing:
        ws.append([p.id, book.text(ws, p.name)])


def _systems(
    book: Book,
    f: NationalFigures,
    rows: Iterable[Mapping[str, Any]],
    w: Mapping[str, str],
    lang: str,
) -> None:
    names = {p.submission.id: p.name for p in f.provinces}
    ws = book.sheet(w["c_systems"][:31], [28, 24, 28, 40, 8, 10, 14, 10, 12, *([14] * len(KPIS))])
    header = [w["province"], "agency_id", "system_id", w["c_systems"], w["level"], "regime",
              "dossier", w["score"], w["open_ch"], *(k.title_in(lang) for k in KPIS)]  # fmt: skip
    book.table(ws, header, f.headline.systems)
    for row in rows:
        kpis = row["kpis"]
        ws.append([
            book.text(ws, names.get(row["submission_id"], "")),
            book.text(ws, row["agency_id"]), book.text(ws, row["system_id"]),
            book.text(ws, row["name"]), row["effective_level"], row["governing_regime"],
            row["dossier_status"] or "", row["score"], row["open_critical_high"],
            *(word(f"kpi.{kpis.get(k.id, 'not_applicable')}", lang) for k in KPIS),
        ])  # fmt: skip


def national_workbook_chunks(
    figures: NationalFigures, rows: Iterable[Mapping[str, Any]], lang: str
) -> Iterator[bytes]:
    """The workbook's bytes in chunks; `rows`, the counted submissions' systems (streamed)."""
    w = words(lang)
    book = Book(lang)
    try:
        book.workbook.properties.title = f"{w['title']} {figures.year}"
        book.workbook.properties.creator = "auditor"
        _form08(book, figures, w)
        _indicators(book, figures, w, lang)
        _ranking(book, figures, w)
        _missing(book, figures, w)
        _systems(book, figures, rows, w, lang)
    except BaseException:
        book.discard()
        raise
    with tempfile.TemporaryFile() as spool:  # openpyxl needs a seekable file for the zip
        try:
            book.workbook.save(spool)
        except BaseException:
            book.discard()
            raise
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk
