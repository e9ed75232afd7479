"""national import (bundles → the national store) and report national (the store → the
country's report). Only click and light helpers are imported at the top."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor.cli.options import lang_option
from auditor.cli.signing import revocation_options, revocation_sources
from auditor.exit_codes import ExitCode
from auditor.messages import Msg
from auditor.safe_text import safe_layout

if TYPE_CHECKING:  # the command's module stays light: the import runs only inside it
    from auditor.national.importing import ImportResult

_DB_HELP = "The national store: an SQLite file or a database URL (postgresql+psycopg://…)."


@click.group()
def national() -> None:
    """The ministry's side: provinces' signed bundles into the national store."""


@national.command("import")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--db", required=True, metavar="PATH|URL", help=_DB_HELP)
@click.option("--ca-bundle", type=click.Path(dir_okay=False),
              help="PEM file of the CA certificates a signer's certificate must chain to "
              "(e.g. the Government CA).")  # fmt: skip
@revocation_options
@lang_option
def national_import(
    bundles: tuple[str, ...], db: str, ca_bundle: str | None, crl: tuple[str, ...],
    revocation: bool, lang: str,
) -> None:
    """Verify each province's bundle and record the verified ones; with --crl or
    --revocation, a bundle whose signer's certificate was revoked before it signed is refused,
    and each submission records whether revocation was checked. Exit 1 if any bundle was
    refused (the others are still imported), 2 if a file cannot be read."""
    from auditor.national.importing import run_import

    refused = False
    sources = revocation_sources(crl, revocation)
    for result in run_import(
        [Path(b) for b in bundles], db, Path(ca_bundle) if ca_bundle else None,
        revocation=sources,
    ):
        name = str(result.path)
        if result.outcome == "refused":
            refused = True
            message = Msg(f"{name}: bị từ chối:", f"{name}: refused:")
            lines = [message.get(lang), *(f"  - {r.get(lang)}" for r in result.reasons)]
        elif result.outcome == "already":
            lines = [Msg(
                f"{name}: đã được nhập trước đó (hồ sơ #{result.submission_id}, "
                f"{result.province_id} năm {result.year}); không nhập lại",
                f"{name}: already imported (submission #{result.submission_id}, "
                f"{result.province_id} {result.year}); not imported again",
            ).get(lang)]  # fmt: skip
        else:
            lines = [_imported(result, name).get(lang)]
        for line in lines:
            click.echo(safe_layout(line))
    if refused:
        sys.exit(ExitCode.FINDINGS)


def _imported(result: ImportResult, name: str) -> Msg:
    text = Msg(
        f"{name}: đã nhập: {result.province_name} năm {result.year} (hồ sơ "
        f"#{result.submission_id})",
        f"{name}: imported: {result.province_name} {result.year} (submission "
        f"#{result.submission_id})",
    )
    if not result.listed:
        text = text.suffixed(
            f"; cảnh báo: {result.province_id!r} không có trong danh sách 34 tỉnh, thành phố",
            f"; warning: {result.province_id!r} is not on the list of 34 provinces",
        )
    if result.others:
        text = text.suffixed(
            f"; {result.others} hồ sơ khác cùng tỉnh, năm được giữ lại; "
            + ("hồ sơ này được tính" if result.counted else "hồ sơ ký sau được tính"),
            f"; {result.others} other submission(s) of the same province and year kept; "
            + ("this one counts" if result.counted else "a later-signed one counts"),
        )
    if result.revocation_note is not None:
        text = text.suffixed(f"; {result.revocation_note.vi}", f"; {result.revocation_note.en}")
    return text


@click.command("national")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Report year.")
@click.option("--db", required=True, metavar="PATH|URL", help=_DB_HELP)
@click.option("-o", "--output", "html_path", type=click.Path(dir_okay=False),
              help="Write the report as one self-contained HTML page.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False),
              help="Write the report as PDF (headless Chromium; A4).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False),
              help="Write the figures and every system as an Excel workbook.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the national figures as JSON.")
@click.option("--targets", "targets_path", type=click.Path(dir_okay=False),
              help="YAML file of the national targets (the annual report's format; default "
              "100 %; no expired certificate).")
@click.option("--browser", metavar="PATH",
              help="Chromium to print the PDF with (default $AUDITOR_CHROMIUM, else chromium "
              "on PATH).")
@lang_option
def report_national(
    year: int,
    db: str,
    html_path: str | None,
    pdf_path: str | None,
    xlsx_path: str | None,
    json_path: str | None,
    targets_path: str | None,
    browser: str | None,
    lang: str,
) -> None:
    """The country's report from the national store: Form 08 figures by province and in
    total, indicators against national targets, provinces ranked, provinces that have not
    submitted, trends against the year before."""  # fmt: skip
    from auditor.national.reporting import NationalRequest, run_national

    request = NationalRequest(
        year=year,
        db=db,
        lang=lang,
        targets=Path(targets_path) if targets_path else None,
        html=Path(html_path) if html_path else None,
        pdf=Path(pdf_path) if pdf_path else None,
        xlsx=Path(xlsx_path) if xlsx_path else None,
        json=Path(json_path) if json_path else None,
        browser=browser,
    )
    if not any((request.html, request.pdf, request.xlsx, request.json)):
        raise click.UsageError("nothing to write: give --output, --pdf, --xlsx or --json")
    outcome = run_national(request)
    for output in outcome.written:
        names = output.names
        click.echo(Msg(f"đã ghi: {names.vi}", f"written: {names.en}").get(lang), err=True)
    figures = outcome.figures
    listed = figures.listed - len(figures.missing)
    click.echo(
        Msg(
            f"{listed}/{figures.listed} tỉnh, thành phố đã gửi; {len(figures.missing)} chưa gửi",
            f"{listed}/{figures.listed} provinces submitted; {len(figures.missing)} have not",
        ).get(lang),
        err=True,
    )
