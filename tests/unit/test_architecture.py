"""The dependency rule, enforced: the core does no I/O and knows nothing of the edges.

model, checks, levels, rules, facts, regime, engine (with plan, judging, parallel) and scoring
may not import YAML, Jinja2, network, database or terminal libraries, nor the loading /
report / probes / store / cli layers. If this test fails, the import belongs at an edge
(loading, report, cli) instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "auditor"
CORE = [
    "model", "checks", "levels", "rules.py", "facts.py", "regime.py", "engine.py", "scoring.py",
    "accounting.py", "asof.py", "plan.py", "judging.py", "parallel.py",
]
FORBIDDEN_EXTERNAL = {
    "yaml",
    "ruamel",
    "jinja2",
    "socket",
    "ssl",
    "nmap",
    "sqlite3",
    "sqlalchemy",
    "click",
    "rich",
    "subprocess",
    "urllib.request",
    "http",
    "requests",
}
FORBIDDEN_INTERNAL = {
    "auditor.loading",
    "auditor.report",
    "auditor.probes",
    "auditor.scan",
    "auditor.store",
    "auditor.cli",
    "auditor.audit",
    "auditor.workbook",
}


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        path = PACKAGE / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_imports_no_io_and_no_edge_layer(path: Path) -> None:
    bad = sorted(
        name
        for name in _imports(path)
        if any(
            name == f or name.startswith(f + ".") for f in FORBIDDEN_EXTERNAL | FORBIDDEN_INTERNAL
        )
    )
    assert bad == [], f"{path.name} imports {bad}"


def test_the_rule_sees_the_core() -> None:
    assert len(_core_files()) >= 10  # guards against the list silently matching nothing
