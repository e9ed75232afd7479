"""The signer's options, shared by `bundle create` and `report sign`, and the passphrase;
the revocation options, shared by `bundle verify`, `report verify` and `national import`.

The passphrase of an encrypted key is never a command-line argument (other users of the
machine can read a process's arguments): it is read from $AUDITOR_KEY_PASSPHRASE, else asked
for on the terminal without echo; with neither, the key cannot be used (exit 2).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from auditor.messages import Msg

if TYPE_CHECKING:
    from auditor.bundle.credentials import Signer
    from auditor.bundle.signer_revocation import RevocationSources, SignerRevocation

PASSPHRASE_ENV = "AUDITOR_KEY_PASSPHRASE"  # noqa: S105 - the variable's name, no secret
_F = TypeVar("_F", bound=Callable[..., Any])


def signer_options(command: _F) -> _F:
    """--cert/--key, --pkcs12 and --chain on `command`."""
    for option in reversed([
        click.option("--cert", "cert", type=click.Path(dir_okay=False),
                     help="The signer's certificate (PEM or DER)."),
        click.option("--key", "key", type=click.Path(dir_okay=False),
                     help="The signer's private key (PEM or DER; passphrase from "
                     f"${PASSPHRASE_ENV} or a prompt, never an argument)."),
        click.option("--pkcs12", "pkcs12_file", type=click.Path(dir_okay=False),
                     help="The signer's certificate and key in one PKCS#12 file, instead of "
                     "--cert/--key."),
        click.option("--chain", "chain", type=click.Path(dir_okay=False),
                     help="Intermediate CA certificates to include (PEM)."),
    ]):
        command = option(command)
    return command


def _passphrase() -> bytes | None:
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env.encode("utf-8")
    if sys.stdin.isatty():
        entered: str = click.prompt("Mật khẩu khóa / key passphrase", hide_input=True,
                                    err=True, default="", show_default=False)
        return entered.encode("utf-8")
    return None


def load_cli_signer(
    cert: str | None, key: str | None, pkcs12_file: str | None, chain: str | None
) -> Signer:
    from auditor.bundle.credentials import load_signer

    if pkcs12_file is not None and (cert is not None or key is not None):
        raise click.UsageError("give --pkcs12, or --cert and --key, not both")
    if pkcs12_file is None and (cert is None or key is None):
        raise click.UsageError("a signer is needed: --cert FILE --key FILE, or --pkcs12 FILE")
    return load_signer(
        cert=Path(cert) if cert else None,
        key=Path(key) if key else None,
        pkcs12_file=Path(pkcs12_file) if pkcs12_file else None,
        chain=Path(chain) if chain else None,
        passphrase=_passphrase,
    )


def as_of_moment(value: dt.date | None) -> dt.datetime | None:
    """--as-of DATE as a moment: the end of that day (UTC), so a signature made that day
    existed on it."""
    if value is None:
        return None
    return dt.datetime.combine(value, dt.time.max, tzinfo=dt.UTC)


def ca_bundle_path(value: str | None) -> Path | None:
    """--ca-bundle, which must be a readable file (exit 2 otherwise)."""
    if value is None:
        return None
    path = Path(value)
    if not path.is_file():
        raise click.BadParameter(f"{value}: no such file", param_hint="--ca-bundle")
    return path


def revocation_options(command: _F) -> _F:
    """--crl (repeatable) and --revocation on a command that verifies signatures."""
    for option in reversed([
        click.option("--crl", "crl", multiple=True, type=click.Path(dir_okay=False),
                     metavar="FILE",
                     help="A CRL of the CA that issued the signer's certificate (DER or PEM, "
                     "e.g. the Government CA's published CRL); repeatable. It must be signed "
                     "by that CA and current, else the verification fails naming it."),
        click.option("--revocation", is_flag=True,
                     help="Also ask the OCSP responder, else fetch the CRL, at the http:// "
                     "URLs the signer's certificate names (servers the bundle does not name; "
                     "off by default). Without it or --crl, revocation is not checked (and "
                     "said so)."),
    ]):
        command = option(command)
    return command


def revocation_sources(crl: tuple[str, ...], revocation: bool) -> RevocationSources:
    """The sources --crl and --revocation name; an unreadable --crl file exits 2."""
    from auditor.bundle.signer_revocation import RevocationSources, read_crl_files

    return RevocationSources(crls=read_crl_files(crl), online=revocation)


def echo_revocation(result: SignerRevocation, lang: str) -> None:
    """The revocation line of a verification: not checked, not revoked, or revoked after the
    signature (a revocation that fails it is listed with the problems)."""
    if result.status in ("not_checked", "good", "revoked_after"):
        click.echo(result.note.get(lang))
        if result.unused:
            files = ", ".join(result.unused)
            click.echo(Msg(f"CRL không dùng (không của tổ chức cấp người ký): {files}",
                           f"CRLs not used (not from the signer's issuer): {files}").get(lang))
