"""bundle create / verify: the signed deliverable a province sends to the ministry."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor.cli.options import db_option, echo_json, lang_option, optional_date
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

if TYPE_CHECKING:
    from auditor.bundle.verify import BundleVerification


@click.group()
def bundle() -> None:
    """Sign results and reports for the ministry in one bundle, or verify one."""


@bundle.command("create")
@click.argument("source", metavar="RUN|RESULTS.json")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The bundle file to write (e.g. province-2026.bundle).")
@click.option("--annual", type=click.Path(dir_okay=False),
              help="The annual figures ('auditor report annual --json').")
@click.option("--html", type=click.Path(dir_okay=False), help="The HTML report.")
@click.option("--annual-pdf", type=click.Path(dir_okay=False), help="The annual report PDF.")
@click.option("--annual-xlsx", type=click.Path(dir_okay=False), help="The annual annex XLSX.")
@click.option("--province", metavar="TEXT",
              help="The province written in the manifest (default: the organisation id).")
@signer_options
@click.option("--tsa", metavar="URL",
              help="An RFC 3161 time-stamping authority: its token over the signature makes "
              "the signing time the TSA's, not the signer's clock.")
@db_option
@lang_option
def bundle_create(
    source: str,
    output: str,
    annual: str | None,
    html: str | None,
    annual_pdf: str | None,
    annual_xlsx: str | None,
    province: str | None,
    cert: str | None,
    key: str | None,
    pkcs12_file: str | None,
    chain: str | None,
    tsa: str | None,
    db: str | None,
    lang: str,
) -> None:
    """Sign and write a bundle of RUN (a run id of the history store) or of a results.json
    file written by 'auditor audit --json', with the annual figures and reports given."""
    from auditor.bundle.create import BundleRequest, create_bundle

    run_id = int(source) if source.isdigit() else None
    if run_id is None and not Path(source).is_file():
        raise click.BadParameter(f"{source}: neither a run id nor a results file",
                                 param_hint="RUN|RESULTS.json")
    optional = tuple(
        (name, Path(path))
        for name, path in (("annual.json", annual), ("report.html", html),
                           ("annual.pdf", annual_pdf), ("annual.xlsx", annual_xlsx))
        if path
    )
    signer = load_cli_signer(cert, key, pkcs12_file, chain)
    written = create_bundle(BundleRequest(
        output=Path(output),
        signer=signer,
        results=None if run_id is not None else Path(source),
        run_id=run_id,
        db=db,
        optional=optional,
        province=province,
        tsa=tsa,
    ))
    click.echo(Msg(f"đã ghi: {written.name}", f"written: {written.name}").get(lang), err=True)


@bundle.command("verify")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--ca-bundle", metavar="FILE",
              help="The CA certificates the signer must chain to (e.g. the Government CA). "
              "Without it trust is unknown and the bundle does not verify.")
@click.option("--as-of", callback=optional_date, metavar="DATE",
              help="Verify as on this day: a bundle signed after it did not exist yet (and a "
              "CRL or OCSP answer must be current at the end of that day).")
@revocation_options
@click.option("--json", "as_json", is_flag=True, help="Print the verification as JSON.")
@lang_option
def bundle_verify(
    path: str, ca_bundle: str | None, as_of: dt.date | None, crl: tuple[str, ...],
    revocation: bool, as_json: bool, lang: str,
) -> None:
    """Verify a bundle: the signature over its manifest, the signer's path to the CA bundle
    at signing time and key usage, every member's SHA-256 and size, nothing missing or
    unlisted; with --crl or --revocation, the signer's certificate not revoked before it
    signed. Exit 0 only if all hold; 1 with each failure named; 2 if it is no bundle."""
    from auditor.bundle.verify import verify_bundle
    from auditor.cli.signing import as_of_moment

    if not Path(path).is_file():
        raise click.BadParameter(f"{path}: no such file", param_hint="FILE")
    sources = revocation_sources(crl, revocation)
    result = verify_bundle(Path(path), ca_bundle=ca_bundle_path(ca_bundle),
                           as_of=as_of_moment(as_of), revocation=sources)
    if as_json:
        echo_json({
            "file": str(result.path),
            "ok": result.ok(),
            "malformed": result.malformed,
            "signer": result.signer,
            "signed_at": result.signed_at.isoformat() if result.signed_at else None,
            "members": list(result.names()),
            "revocation": result.revocation.as_json(),
            "problems": [{"vi": p.vi, "en": p.en} for p in result.problems],
        })
    else:
        _print_verification(result, lang)
    if result.malformed:
        sys.exit(ExitCode.BAD_INPUT)
    if not result.ok():
        sys.exit(ExitCode.FINDINGS)


def _print_verification(result: BundleVerification, lang: str) -> None:
    from auditor.safe_text import safe_layout

    if result.signer is not None:
        click.echo(safe_layout(Msg(f"người ký: {result.signer}",
                                   f"signer: {result.signer}").get(lang)))
    if result.signed_at is not None:
        moment = f"{result.signed_at:%Y-%m-%d %H:%M:%S} UTC"
        click.echo(Msg(f"thời điểm ký: {moment}", f"signed at: {moment}").get(lang))
    if not result.malformed:
        echo_revocation(result.revocation, lang)
    if result.ok():
        names = ", ".join(result.names())
        click.echo(Msg(f"HỢP LỆ: chữ ký, người ký tin cậy và mọi thành phần ({names})",
                       f"VERIFIED: signature, trusted signer and every member ({names})")
                   .get(lang))
        return
    click.echo(Msg("KHÔNG HỢP LỆ:", "NOT VERIFIED:").get(lang), err=True)
    for problem in result.problems:
        click.echo(f"  - {safe_layout(problem.get(lang))}", err=True)
