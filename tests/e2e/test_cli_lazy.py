"""Start-up stays cheap (issue 13): a command imports what it uses, nothing more.

Each case runs the console script's entry point (`auditor.cli.main`) in a fresh interpreter and
then lists `sys.modules`: what the command imported. Nothing here is timed (bench/startup.py
measures the time); these tests only keep the heavy libraries out of the commands that do not
need them: the history store (SQLAlchemy, Alembic), nmap, Jinja2, openpyxl, matplotlib, the
probes (dnspython, cryptography), and for --version and --help even pydantic and rich.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib

import click
import pytest
from conftest import AS_OF, EXAMPLE, REPO, run_cli

from auditor.cli import cli, main
from auditor.cli.core import COMMANDS
from auditor.cli.live import ALL_PROBES, PROFILES
from auditor.cli.options import DB_ENV, REGIMES, SEVERITIES
from auditor.model.inventory import Regime
from auditor.model.results import Severity
from auditor.probes.runner import PROBES
from auditor.scan.nmap_runner import Profile
from auditor.store import DB_ENV as STORE_DB_ENV

# Run one command through the entry point, output swallowed; then print what was imported.
SCRIPT = """
import contextlib, io, json, sys
from auditor.cli import main
code = None
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

HEAVY = ("sqlalchemy", "alembic", "jinja2", "nmap", "openpyxl", "matplotlib", "dns",
         "cryptography")
EDGES = ("auditor.probes", "auditor.scan", "auditor.store", "auditor.report.views",
         "auditor.report.html", "auditor.report.json_out", "auditor.annual")
EXAMPLE_ARG = str(EXAMPLE)

CASES: dict[str, tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]] = {
    # name: (arguments, exit codes, modules that must not be imported)
    "version": (("--version",), (0,), (*HEAVY, *EDGES, "pydantic", "rich", "yaml")),
    "help": (("--help",), (0,), (*HEAVY, *EDGES, "pydantic", "rich", "yaml")),
    "validate": (("validate", EXAMPLE_ARG), (0,), (*HEAVY, *EDGES, "rich", "auditor.report")),
    "gate": (("gate", EXAMPLE_ARG, "--system", "cong-dvc-tinh", "--as-of", AS_OF.isoformat()),
             (0,), (*HEAVY, *EDGES)),
    "gate-blocked": (("gate", EXAMPLE_ARG, "--system", "hssk-dien-tu"), (1,), (*HEAVY, *EDGES)),
    "level": (("level", EXAMPLE_ARG), (0,), (*HEAVY, *EDGES)),
    "rules": (("rules", "list"), (0,), (*HEAVY, *EDGES)),
    "schema": (("schema",), (0,), (*HEAVY, *EDGES)),
    "history-help": (("history", "--help"), (0,), (*HEAVY, *EDGES, "pydantic", "rich")),
    "bundle-help": (("bundle", "--help"), (0,),
                    (*HEAVY, *EDGES, "pydantic", "rich", "auditor.bundle", "pyhanko")),
    "report-help": (("report", "--help"), (0,),
                    (*HEAVY, *EDGES, "pydantic", "rich", "auditor.bundle", "pyhanko")),
    "national-help": (("national", "--help"), (0,),
                      (*HEAVY, *EDGES, "pydantic", "rich", "auditor.bundle", "auditor.national")),
    "national-import-help": (("national", "import", "--help"), (0,),
                             (*HEAVY, *EDGES, "pydantic", "rich", "auditor.national")),
    "scan-help": (("scan", "--help"), (0,), (*HEAVY, *EDGES, "pydantic", "rich")),
    "workbook-help": (("workbook", "--help"), (0,),
                      (*HEAVY, *EDGES, "pydantic", "rich", "ruamel", "auditor.workbook")),
}


def _imported(*args: str) -> tuple[int | None, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=True,
    )
    data = json.loads(done.stdout)
    return data["code"], data["modules"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_command_imports_only_what_it_uses(case: str) -> None:
    args, codes, forbidden = CASES[case]
    code, modules = _imported(*args)
    assert code in codes
    loaded = sorted(
        m for m in modules if any(m == f or m.startswith(f + ".") for f in forbidden)
    )
    assert loaded == [], f"auditor {' '.join(args)} imported {loaded}"


def test_the_choices_written_out_for_start_up_are_the_models() -> None:
    assert tuple(s.value for s in Severity) == SEVERITIES
    assert tuple(r.value for r in Regime) == REGIMES
    assert tuple(p.value for p in Profile) == PROFILES
    assert frozenset(PROBES) == ALL_PROBES
    assert STORE_DB_ENV == DB_ENV


def test_help_lists_every_command_with_its_help() -> None:
    result = run_cli("--help")
    assert result.code == 0, result.stderr
    listed = dict(
        re.findall(r"^  (\w+) +(.+)$", result.stdout.split("Commands:", 1)[1], re.MULTILINE)
    )
    assert sorted(listed) == sorted(COMMANDS)
    context = click.Context(cli)
    for name, shown in listed.items():
        command = cli.get_command(context, name)
        assert command is not None and command.help
        assert shown.rstrip(".") in command.help, name


@pytest.mark.parametrize(
    ("group", "commands"),
    [("rules", ["list", "show"]), ("probe", ["dns", "ipv6", "tls"]),
     ("history", ["diff", "list", "show"]), ("report", ["annual", "national", "sign", "verify"]),
     ("national", ["import"]),
     ("bundle", ["create", "verify"]),
     ("workbook", ["export", "import"])],
)
def test_groups_list_their_commands(group: str, commands: list[str]) -> None:
    result = run_cli(group, "--help")
    assert result.code == 0, result.stderr
    section = result.stdout.split("Commands:", 1)[1]
    assert re.findall(r"^  (\w+)", section, re.MULTILINE) == commands


def test_an_unknown_command_is_a_usage_error() -> None:
    result = run_cli("audti", EXAMPLE)
    assert result.code == 2
    assert "No such command 'audti'" in result.stderr


def test_the_console_script_is_the_entry_point() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, name = project["project"]["scripts"]["auditor"].partition(":")
    assert (module, name) == ("auditor.cli", "main")
    assert main.__module__ == "auditor.cli.core"
    assert (REPO / "auditor" / "__main__.py").read_text(encoding="utf-8").startswith(
        "from auditor.cli import main"
    )


def test_the_cli_modules_stay_small() -> None:
    for path in sorted((REPO / "auditor" / "cli").glob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 500, f"{path.name}: {lines} lines"


def test_python_dash_m_auditor_version() -> None:
    from auditor import __version__

    result = run_cli("--version")
    assert result.code == 0
    assert result.stdout.strip() == f"auditor, version {__version__}"
