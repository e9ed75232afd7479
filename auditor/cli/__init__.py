"""Command-line interface: parse, call the core, print, choose the exit code. Nothing more.

One module per group of commands, each importing what it uses only when its command runs:

- `core`     the `auditor` click group (it loads a command's module when that command is
             asked for), `--version`, and `main`: errors become one line and an exit code
- `options`  options and helpers several commands share (dates, paths, --lang, --db, ...)
- `live`     the --live probe options and the nmap scan options, and the requests built
             from them
- `audit`    audit, validate, level, gate
- `rules`    rules list / show, schema
- `probe`    probe tls / ipv6, scan
- `history`  history list / show / diff
- `report`   report annual
- `workbook` workbook export / import (agencies answer in spreadsheets)

So `auditor --version` imports click alone, and `auditor validate` neither the history store
(SQLAlchemy, Alembic), nor the probes, nmap, Jinja2 or the report renderers
(tests/e2e/test_cli_lazy.py keeps it that way; bench/startup.py measures it).
"""

from auditor.cli.core import cli, main

__all__ = ["cli", "main"]
