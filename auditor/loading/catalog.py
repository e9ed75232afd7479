"""Read checklists (the shipped ones and the user's) into a validated Catalog."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel

from auditor.checks.builtins import BUILTINS
from auditor.checks.kinds import Builtin
from auditor.errors import InputError, Location, combine
from auditor.loading.inventory import yaml_files
from auditor.loading.safe_yaml import DEFAULT_LIMITS, Limits, LineDict, line_of, load_yaml_file
from auditor.loading.validation import field_path, validate
from auditor.messages import Msg
from auditor.model.results import InputFile
from auditor.resources import shipped_dir
from auditor.rules import Catalog, CatalogFile, Rule


def _walk(
    node: object, path: tuple[str | int, ...]
) -> Iterator[tuple[Builtin, tuple[str | int, ...]]]:
    if isinstance(node, Builtin):
        yield node, path
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), (*path, name))
    elif isinstance(node, tuple):
        for index, child in enumerate(node):
            yield from _walk(child, (*path, index))


def _check_builtins(rule: Rule, index: int, data: object, source: str) -> None:
    for builtin, path in _walk(rule, ("rules", index)):
        if builtin.name not in BUILTINS:
            loc = (*path, "name")
            known = ", ".join(sorted(BUILTINS))
            raise InputError(
                Location(source, line_of(data, loc), None, field_path(loc)),
                Msg(
                    f"kiểm tra dựng sẵn không xác định '{builtin.name}' (các kiểm tra có: {known})",
                    f"unknown builtin check '{builtin.name}' (known: {known})",
                ),
            )


def load_catalog_files(
    paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS
) -> tuple[list[tuple[str, CatalogFile]], list[InputFile]]:
    """Read and validate checklist files; every problem found is raised at once."""
    files: list[tuple[str, CatalogFile]] = []
    inputs: list[InputFile] = []
    seen: dict[str, str] = {}
    problems: list[InputError] = []
    for path in yaml_files(paths, "checklist", problems=problems):
        try:
            parsed, raw = _load_file(path, limits, seen, problems)
        except InputError as exc:
            problems.append(exc)
            continue
        files.append((str(path), parsed))
        inputs.append(
            InputFile(path=str(path), kind="checklist", sha256=hashlib.sha256(raw).hexdigest())
        )
    if problems:
        raise combine(problems)
    return files, inputs


def _load_file(
    path: Path, limits: Limits, seen: dict[str, str], problems: list[InputError]
) -> tuple[CatalogFile, bytes]:
    source = str(path)
    data, raw = load_yaml_file(path, limits)
    if not isinstance(data, LineDict):
        raise InputError(
            Location(source, 1),
            Msg(
                "tệp bộ tiêu chí phải là một ánh xạ (mapping) có 'catalog' và 'rules'",
                "a checklist file must be a mapping with 'catalog' and 'rules'",
            ),
        )
    parsed = validate(CatalogFile, data, source)
    for index, rule in enumerate(parsed.rules):
        try:
            _check_builtins(rule, index, data, source)
        except InputError as exc:
            problems.append(exc)
        if rule.id in seen:
            problems.append(
                InputError(
                    Location(
                        source, line_of(data, ("rules", index, "id")), None, f"rules[{index}].id"
                    ),
                    Msg(
                        f"mã quy tắc '{rule.id}' đã được định nghĩa trong {seen[rule.id]}",
                        f"rule id '{rule.id}' is already defined in {seen[rule.id]}",
                    ),
                )
            )
        else:
            seen[rule.id] = source
    return parsed, raw


def load_catalog(
    extra: Sequence[Path] = (), include_shipped: bool = True, limits: Limits = DEFAULT_LIMITS
) -> tuple[Catalog, list[InputFile]]:
    """The shipped checklists plus `extra` ones; rule ids must be unique across all of them."""
    paths = ([shipped_dir("checklists")] if include_shipped else []) + list(extra)
    files, inputs = load_catalog_files(paths, limits)
    return Catalog.merge(files), inputs
