"""report annual: the yearly report built from the runs recorded in the history store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from auditor.cli.national import report_national
from auditor.cli.options import (
    as_paths,
    checklist_option,
    console,
    db_option,
    lang_option,
    optional_date,
    to_stdout,
)
from auditor.messages import Msg


@click.group()
def report() -> None:
    """Reports built from the audits recorded in the history store."""


# `report national` lives beside `national import` (auditor/cli/national.py).
report.add_command(report_national)


@report.command("annual")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Report year; its data period runs 15/12 of the year before to 14/12. "
              "Default: this year.")
@click.option("--since", callback=optional_date, metavar="DATE",
              help="Start of a non-statutory data period (default 15/12 of the year before).")
@click.option("--until", callback=optional_date, metavar="DATE",
              help="End of a non-statutory data period (default 14/12 of the year).")
@click.option("-o", "--output", "html_path", type=click.Path(dir_okay=False),
              help="Write the report as one self-contained HTML page.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False),
              help="Write the report as PDF (headless Chromium; A4).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False),
              help="Write the annex (one row per system, indicators) as an Excel workbook.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Write the annex's system rows as CSV (UTF-8).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the report's figures as JSON.")
@click.option("--targets", "targets_path", type=click.Path(dir_okay=False),
              help="YAML file of the province's targets (default: 100 %; no expired "
              "certificate).")
@click.option("--organisation", help="The organisation id, when the store holds several.")
@checklist_option
@click.option("--browser", metavar="PATH",
              help="Chromium to print the PDF with (default $AUDITOR_CHROMIUM, else chromium "
              "on PATH).")
@click.option("--letter-number", metavar="TEXT",
              help="The letter's number (Số), e.g. 125/BC-UBND; default: the inventory's "
              "annual_letter.number, else a blank to fill in.")
@click.option("--letter-date", callback=optional_date, metavar="DATE",
              help="The letter's date; default: a blank to fill in when signing.")
@click.option("--place", metavar="TEXT", help="The place written before the date.")
@click.option("--recipient", metavar="TEXT",
              help="Kính gửi (default: the inventory's, else Bộ Công an, Decree 331 "
              "Art. 35.4.b).")
@click.option("--signer", metavar="NAME", help="Who signs the letter.")
@click.option("--signer-position", metavar="TEXT", help="The signer's position.")
@click.option("--signer-authority", metavar="TEXT",
              help="The signing authority line, e.g. 'KT. CHỦ TỊCH'.")
@lang_option
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Do not print the indicators table.")
def report_annual(
    year: int | None,
    since: dt.date | None,
    until: dt.date | None,
    html_path: str | None,
    pdf_path: str | None,
    xlsx_path: str | None,
    csv_path: str | None,
    json_path: str | None,
    targets_path: str | None,
    organisation: str | None,
    checklists: tuple[str, ...],
    browser: str | None,
    letter_number: str | None,
    letter_date: dt.date | None,
    place: str | None,
    recipient: str | None,
    signer: str | None,
    signer_position: str | None,
    signer_authority: str | None,
    lang: str,
    db: str | None,
    quiet: bool,
) -> None:
    """The annual report to the ministry (Decree 331 Form 08) from the audits already run:
    each system as its last audit of the period saw it, indicators against targets, and the
    trend against the year before."""
    from auditor.annual import AnnualRequest, run_annual
    from auditor.report.annual import terminal as annual_terminal
    from auditor.report.annual.figures import custom_period, statutory_period
    from auditor.report.annual.form08 import LetterOptions

    year = year if year is not None else dt.date.today().year
    if since is None and until is None:
        period = statutory_period(year)
    else:
        default = statutory_period(year)
        try:
            period = custom_period(year, since or default.since, until or default.until)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--since/--until") from None
    request = AnnualRequest(
        period=period,
        lang=lang,
        db=db,
        organisation=organisation,
        targets=Path(targets_path) if targets_path else None,
        checklists=tuple(as_paths(checklists)),
        html=Path(html_path) if html_path else None,
        pdf=Path(pdf_path) if pdf_path else None,
        xlsx=Path(xlsx_path) if xlsx_path else None,
        csv=Path(csv_path) if csv_path else None,
        json=Path(json_path) if json_path else None,
        browser=browser,
        letter=LetterOptions(
            number=letter_number,
            date=letter_date,
            place=place,
            recipient=recipient,
            signer=signer,
            signer_position=signer_position,
            signer_authority=signer_authority,
        ),
    )
    if not request.outputs():
        raise click.UsageError("nothing to write: give --output, --pdf, --xlsx, --csv or --json")
    outcome = run_annual(request)
    for output in outcome.written:
        names = output.names
        click.echo(Msg(f"đã ghi: {names.vi}", f"written: {names.en}").get(lang), err=True)
    if not quiet and not to_stdout(outcome.written):
        annual_terminal.annual_summary(outcome.figures, console(), lang)


def _signing_commands() -> None:
    # `report sign` and `report verify` live in their own module (PAdES); it imports only
    # click and light helpers at its top, like every command module.
    from auditor.cli.report_sign import report_sign, report_verify

    report.add_command(report_sign)
    report.add_command(report_verify)


_signing_commands()
