"""report sign / report verify: the annual report PDF signed as PAdES, and checked."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.options import lang_option
from auditor.cli.signing import (
    ca_bundle_path,
    echo_revocation,
    load_cli_signer,
    revocation_options,
    revocation_sources,
    signer_options,
)
from auditor.exit_codes import ExitCode
from auditor.messages import Msg


@click.command("sign")
@click.argument("pdf", metavar="ANNUAL.pdf", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The signed PDF to write (may be ANNUAL.pdf itself, replaced when signed).")
@signer_options
@click.option("--tsa", metavar="URL",
              help="An RFC 3161 time-stamping authority: its token makes the signing time "
              "the TSA's, not the signer's clock.")
@click.option("--signer-name", metavar="TEXT",
              help="The name the visible signature shows: the certificate's name (CN) written "
              "with its Vietnamese diacritics, e.g. 'Nguyễn Văn A' for 'NGUYEN VAN A' "
              "(default: the CN as it is; another name is refused).")
@click.option("--browser", metavar="PATH",
              help="Chromium to print the visible signature with (default $AUDITOR_CHROMIUM, "
              "else chromium on PATH); without one nothing is signed.")
@lang_option
def report_sign(
    pdf: str, output: str, cert: str | None, key: str | None, pkcs12_file: str | None,
    chain: str | None, tsa: str | None, signer_name: str | None, browser: str | None,
    lang: str,
) -> None:
    """Sign the annual report PDF ('report annual --pdf') as PAdES, with a visible signature
    in the blank of Form 08's signer block: who signed, the organisation (the certificate's O)
    and the signing time (Vietnam time), in the language of --lang, with Vietnamese
    diacritics (printed by Chromium, as the report itself)."""
    from auditor.bundle.pades import sign_pdf
    from auditor.report.outputs import Staging, plan_outputs

    (target,) = plan_outputs([("--output", output)], no_stdout=["--output"])
    signer = load_cli_signer(cert, key, pkcs12_file, chain)
    signed = sign_pdf(Path(pdf), signer, tsa=tsa, lang=lang, signer_name=signer_name,
                      browser=Path(browser) if browser else None)
    with Staging([target]) as staged:
        staged.write(target, signed)
        staged.commit()
    click.echo(Msg(f"đã ghi: {target.name}", f"written: {target.name}").get(lang), err=True)


@click.command("verify")
@click.argument("pdf", metavar="ANNUAL.pdf", type=click.Path(dir_okay=False, exists=True))
@click.option("--ca-bundle", metavar="FILE",
              help="The CA certificates the signer must chain to (e.g. the Government CA). "
              "Without it trust is unknown and the PDF does not verify.")
@revocation_options
@lang_option
def report_verify(
    pdf: str, ca_bundle: str | None, crl: tuple[str, ...], revocation: bool, lang: str
) -> None:
    """Verify a signed annual report PDF: the signature intact and covering the whole file,
    the signer trusted at signing time, its key usage; with --crl or --revocation, the
    signer's certificate not revoked before it signed. Exit 0 only if all hold, else 1 (2 if
    the file is not a readable PDF)."""
    from auditor.bundle.pades import verify_pdf
    from auditor.safe_text import safe_layout

    sources = revocation_sources(crl, revocation)
    result = verify_pdf(Path(pdf), ca_bundle=ca_bundle_path(ca_bundle), revocation=sources)
    if result.signer is not None:
        click.echo(safe_layout(Msg(f"người ký: {result.signer}",
                                   f"signer: {result.signer}").get(lang)))
    if result.signed_at is not None:
        moment = f"{result.signed_at:%Y-%m-%d %H:%M:%S} UTC"
        click.echo(Msg(f"thời điểm ký: {moment}", f"signed at: {moment}").get(lang))
    if not result.malformed:
        echo_revocation(result.revocation, lang)
    if result.ok():
        click.echo(Msg("HỢP LỆ: chữ ký nguyên vẹn, bao trùm toàn bộ tệp, người ký tin cậy",
                       "VERIFIED: signature intact, covering the whole file, trusted signer")
                   .get(lang))
        return
    click.echo(Msg("KHÔNG HỢP LỆ:", "NOT VERIFIED:").get(lang), err=True)
    for problem in result.problems:
        click.echo(f"  - {safe_layout(problem.get(lang))}", err=True)
    sys.exit(ExitCode.BAD_INPUT if result.malformed else ExitCode.FINDINGS)
