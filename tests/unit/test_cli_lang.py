"""Every command that can report an input, output or store error takes --lang (issue 12):
its errors and warnings follow it, Vietnamese by default."""

from __future__ import annotations

from collections.abc import Iterator

import click

from auditor.cli import cli

# Commands that read no input file and no store: nothing of theirs can be reported.
_NO_INPUT = {"schema"}


def _leaves(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    # The `auditor` group loads its commands lazily: ask it for each one by name.
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        path = f"{prefix} {name}".strip()
        if isinstance(command, click.Group):
            yield from _leaves(command, path)
        else:
            yield path, command


def test_every_command_that_reads_input_takes_lang_vietnamese_by_default() -> None:
    leaves = dict(_leaves(cli))
    assert {"validate", "audit", "rules show", "report annual", "history list"} <= set(leaves)
    missing = []
    for name, command in leaves.items():
        if name in _NO_INPUT:
            continue
        option = next((p for p in command.params if p.name == "lang"), None)
        if option is None:
            missing.append(name)
            continue
        assert option.default == "vi", name
    assert missing == []
