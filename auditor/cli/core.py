"""The `auditor` command group and the entry point.

Commands are registered by name and module (`COMMANDS`); a command's module is imported only
when that command runs, or when `--help` lists the commands (every command module imports
only click and light helpers at its top, and everything heavy inside its functions).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from auditor import __version__
from auditor.cli.options import ERROR, Session
from auditor.errors import AuditorError
from auditor.exit_codes import ExitCode
from auditor.messages import os_error
from auditor.safe_text import safe_layout

#: Command name -> "module:attribute" of its click command or group.
COMMANDS: Mapping[str, str] = {
    "audit": "auditor.cli.audit:audit",
    "bundle": "auditor.cli.bundle:bundle",
    "export": "auditor.cli.export:export",
    "gate": "auditor.cli.audit:gate",
    "history": "auditor.cli.history:history",
    "level": "auditor.cli.audit:level",
    "national": "auditor.cli.national:national",
    "probe": "auditor.cli.probe:probe",
    "report": "auditor.cli.report:report",
    "rules": "auditor.cli.rules:rules",
    "scan": "auditor.cli.probe:scan",
    "schema": "auditor.cli.rules:schema",
    "validate": "auditor.cli.audit:validate",
    "workbook": "auditor.cli.workbook:workbook",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported when first asked for (click's
    "lazily loading subcommands" pattern)."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = self.lazy.get(cmd_name)
        if where is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = where.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{where} is not a click command")
        return command


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit Vietnamese government information systems against their security level:
    Decree 85/2016 and Decree 331/2026 levels, TCVN 11930 / Circular 12 requirements,
    the 4-layer model of Directive 14, go-live conditions; with --live, certificates,
    TLS and IPv6 readiness as observed."""


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: every AuditorError becomes one line on stderr and exit code 2, in the
    language of the command's --lang (Vietnamese by default)."""
    session = Session()
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="auditor",
            standalone_mode=False,
            obj=session,
        )
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.BAD_INPUT)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    except AuditorError as exc:
        lang = session.lang
        click.echo(f"{ERROR.get(lang)}{safe_layout(exc.render(lang))}", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    except OSError as exc:
        lang = session.lang
        reason = f"{os_error(exc).get(lang)}: {exc.filename or ''}".rstrip(": ")
        click.echo(f"{ERROR.get(lang)}{safe_layout(reason)}", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    sys.exit(ExitCode.OK)
