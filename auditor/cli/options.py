"""Options and helpers that several commands share.

Importing this module must stay cheap (click and the standard library): every command
imports it. The choices of --fail-on and --regime are written out here instead of read from
the model's enums, which would import pydantic models; tests/e2e/test_cli_lazy.py checks
that they are the same.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor.messages import DEFAULT_LANG, LANGS, Msg
from auditor.safe_text import json_safe, safe_text

if TYPE_CHECKING:
    from auditor.errors import InputWarning
    from auditor.model.results import AuditRun, UnusedInput
    from auditor.report.console import SafeConsole
    from auditor.report.outputs import Output

#: auditor.model.results.Severity, most severe first (the order --help shows).
SEVERITIES = ("critical", "high", "medium", "low", "info")
#: auditor.model.inventory.Regime.
REGIMES = ("nd85", "nd331")
#: auditor.store.DB_ENV: the environment variable naming the history store.
DB_ENV = "AUDITOR_DB"


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise click.BadParameter(f"'{value}' is not a date (use YYYY-MM-DD or dd/mm/yyyy)")


def optional_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return None if value is None else parse_date(ctx, param, value)


def as_paths(values: Sequence[str]) -> list[Path]:
    return [Path(v) for v in values]


as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=parse_date,
    metavar="DATE",
    help="Audit date (YYYY-MM-DD or dd/mm/yyyy); default today. Makes re-runs reproducible.",
)
checklist_option = click.option(
    "--checklist",
    "checklists",
    multiple=True,
    type=click.Path(dir_okay=True),
    help="Extra checklist file or folder, validated like the shipped ones (repeatable).",
)


@dataclass
class Session:
    """What `main` needs once a command has ended, however it ended: the language it asked
    for, to report an error in (Vietnamese until `--lang` says otherwise)."""

    lang: str = DEFAULT_LANG


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    session = ctx.find_object(Session)
    if session is not None:
        session.lang = value
    return value


# Errors and warnings (ours: input, output, store) follow --lang. Click's own usage errors
# ("No such option", "Invalid value for '--system'", help texts) stay in English: they are
# click's wording, and so are the usage errors our commands raise through click.
lang_option = click.option(
    "--lang",
    type=click.Choice(list(LANGS)),
    default=DEFAULT_LANG,
    show_default=True,
    callback=_remember_lang,
    help="Language of messages (errors and warnings included) and tables.",
)

ERROR = Msg("auditor: lỗi: ", "auditor: error: ")
WARNING = Msg("auditor: cảnh báo: ", "auditor: warning: ")

inventory_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(dir_okay=True)
)
db_option = click.option(
    "--db",
    metavar="PATH|URL",
    help=f"History store: a SQLite file or a database URL (postgresql+psycopg://…); default "
    f"${DB_ENV}, else ~/.local/share/auditor/history.sqlite.",
)


def warn(warnings: Sequence[InputWarning], lang: str) -> None:
    """Input accepted but almost surely wrong: one line each on stderr (never fatal)."""
    for warning in warnings:
        click.echo(f"{WARNING.get(lang)}{safe_text(warning.render(lang))}", err=True)


def warn_unused(run: AuditRun, lang: str) -> None:
    """Every attestation no rule reads, and every input no verdict rests on (a trust anchor
    covering no endpoint), with its file:line and the reason (on stderr)."""
    from auditor.accounting import unused_attestations

    for unused in unused_attestations(run):
        click.echo(f"{WARNING.get(lang)}{safe_text(unused.render(lang))}", err=True)
    warn_unused_inputs(run.run.unused_inputs, lang)


def warn_unused_inputs(unused: Sequence[UnusedInput], lang: str) -> None:
    from auditor.accounting import render_unused_input

    for one in unused:
        click.echo(f"{WARNING.get(lang)}{safe_text(render_unused_input(one, lang))}", err=True)


def console() -> SafeConsole:
    # Control and bidi characters in inventory text are shown escaped, never sent raw.
    from auditor.report.console import terminal_console

    return terminal_console()


def command_inputs(
    paths: Sequence[str],
    checklists: Sequence[str] = (),
    others: Sequence[str | None] = (),
    ca_bundle: str | None = None,
    db: str | None = None,
    *,
    store: bool = True,
) -> list[Path]:
    """Every file a command reads (or records into): no output may be written over one."""
    from auditor.loading.inventory import YAML_SUFFIXES
    from auditor.report.outputs import input_files

    found = input_files(as_paths([*paths, *checklists]), YAML_SUFFIXES)
    found += [Path(o) for o in (*others, ca_bundle) if o]
    if not store:
        return found
    from auditor.store.database import store_file

    where = store_file(db)
    return [*found, *([where] if where else [])]


def to_stdout(outputs: Sequence[Output]) -> bool:
    """Whether an output goes to standard output (then nothing else is printed there)."""
    return any(o.path is None for o in outputs)


def require_known(wanted: Sequence[str], known: set[str]) -> None:
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown system id(s): {', '.join(unknown)}", param_hint="--system"
        )


def json_text(data: Any, *, sort_keys: bool = True) -> str:
    """JSON as the commands print it: indented, UTF-8, and with DEL, C1 controls and bidi
    characters of inventory text written as JSON escapes (the data is exact; a terminal
    showing it acts on none of them)."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys))


def echo_json(data: Any, *, sort_keys: bool = True) -> None:
    click.echo(json_text(data, sort_keys=sort_keys))
