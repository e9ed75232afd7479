"""The README is part of the contract: its help text and exit-code table match the code."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, run_cli

from auditor.exit_codes import ExitCode

README = (REPO / "README.md").read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    return text.split()


def test_readme_usage_block_is_the_real_help_text() -> None:
    block = re.search(r"```text\n(Usage: auditor.*?)```", README, re.S)
    assert block is not None, "README lost its Usage block"
    result = run_cli("--help")
    assert result.code == 0
    # Compare word by word: line wrapping depends on the terminal width.
    assert _words(block.group(1)) == _words(result.stdout)


def test_readme_exit_code_table_matches_exit_codes() -> None:
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)
    assert sorted(int(code) for code, _ in rows) == sorted(int(c) for c in ExitCode)
    meanings = {int(code): text for code, text in rows}
    assert "bad input" in meanings[ExitCode.BAD_INPUT]
    assert "--fail-on" in meanings[ExitCode.FINDINGS] and "gate" in meanings[ExitCode.FINDINGS]


def test_readme_states_exactly_two_setup_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert [c.strip() for c in commands] == [
        "pip install . && auditor audit inventories/example-province --json results.json",
        "bash scripts/test.sh",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_checklist_doc_lists_every_check_kind_and_builtin() -> None:
    from auditor.checks.builtins import BUILTINS
    from auditor.checks.kinds import CHECK_KINDS

    doc = (Path(REPO) / "docs" / "checklist-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, re.M))
    assert set(CHECK_KINDS) | set(BUILTINS) <= documented
