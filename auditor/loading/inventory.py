"""Read an inventory (one YAML file, or a folder of them) into a validated Inventory.

Each file may hold `organisation:` (exactly one across the inventory), `agency:` (one agency)
and/or `agencies:` (a list). Defaults declared at organisation and agency level are inherited
by systems: a section as a whole, except `four_layer`, which is inherited layer by layer.
Every value keeps its origin (file and line, and whether it was inherited).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from auditor.asof import future_evidence
from auditor.errors import InputError, InputWarning, Location, combine
from auditor.loading.control_chars import control_char_warnings
from auditor.loading.marks import cited_cells
from auditor.loading.safe_yaml import (
    DEFAULT_LIMITS,
    Limits,
    LineDict,
    LineList,
    line_of,
    load_yaml_file,
    not_a_file,
    os_reason,
)
from auditor.loading.validation import field_path, validate
from auditor.messages import Msg, os_error
from auditor.model.base import FrozenModel
from auditor.model.inventory import (
    Agency,
    FourLayer,
    Inventory,
    Organisation,
    System,
    SystemDefaults,
)
from auditor.model.results import InputFile, Origin

YAML_SUFFIXES = (".yaml", ".yml")
_ORIGIN_DEPTH = 3  # keys deeper than this share the origin of their ancestor


class InventoryFile(FrozenModel):
    """What one inventory file may contain."""

    organisation: Organisation | None = None
    agency: Agency | None = None
    agencies: tuple[Agency, ...] = Field(default=())


Origins = dict[str, Origin]


@dataclass(frozen=True)
class LoadedInventory:
    inventory: Inventory
    files: tuple[InputFile, ...]
    system_origins: Mapping[str, Origins] = field(default_factory=dict)
    agency_origins: Mapping[str, Origins] = field(default_factory=dict)
    organisation_origins: Origins = field(default_factory=dict)
    #: Accepted but almost surely wrong, e.g. a document dated after today (file:line, field).
    warnings: tuple[InputWarning, ...] = ()


def yaml_files(
    paths: Iterable[Path],
    what: Literal["inventory", "checklist"] = "inventory",
    problems: list[InputError] | None = None,
    notes: list[InputWarning] | None = None,
) -> list[Path]:
    """The YAML files named by `paths` (folders are searched recursively, in sorted order).

    Nothing that looks like an input file is skipped in silence: an unreadable folder, a
    dangling or looping symbolic link named *.yaml, or a pipe or device is a problem naming
    it. A folder behind a symbolic link is not searched (a note says so). A file named twice
    (the same path, or through a folder and a link) is read once. Problems are appended to
    `problems` when given (the caller reports them with the rest), else raised together.
    """
    collected: list[InputError] = [] if problems is None else problems
    before = len(collected)
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for path in paths:
        candidates: list[tuple[Path, os.stat_result]] = []
        try:
            info = path.stat()
        except OSError as exc:
            reason: Msg | None = None
            if exc.errno == errno.ENOENT:
                reason = Msg("không có tệp hoặc thư mục này", "no such file or folder")
            if reason is None or path.is_symlink():
                reason = os_reason(path, exc)
            collected.append(InputError(Location(str(path)), reason))
            continue
        if stat.S_ISDIR(info.st_mode):
            _search(path, candidates, collected, notes)
            candidates.sort(key=lambda item: item[0])
        else:
            problem = not_a_file(info.st_mode)
            if problem is not None:
                collected.append(InputError(Location(str(path)), problem))
                continue
            candidates.append((path, info))
        for candidate, info in candidates:
            identity = (info.st_dev, info.st_ino)
            if identity not in seen:
                seen.add(identity)
                found.append(candidate)
    if problems is None and collected:
        raise combine(collected)
    if not found and len(collected) == before:
        what_vi = "danh mục kiểm kê" if what == "inventory" else "bộ tiêu chí"
        raise InputError(
            Location(", ".join(str(p) for p in paths)),
            Msg(f"không tìm thấy tệp YAML {what_vi} nào", f"no YAML {what} files found"),
        )
    return found


def _search(
    folder: Path,
    into: list[tuple[Path, os.stat_result]],
    problems: list[InputError],
    notes: list[InputWarning] | None,
) -> None:
    """Every *.yaml / *.yml file under `folder` (not hidden ones), without recursion."""
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError as exc:
            problems.append(
                InputError(
                    Location(str(current)),
                    os_error(exc).prefixed("không đọc được thư mục: ", "cannot read folder: "),
                )
            )
            continue
        for entry in listed:
            path = current / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
            except OSError:
                pass  # not a folder we can tell; treated as a file below
            if entry.name.startswith("."):
                continue  # hidden files (editor backups, .gitlab-ci.yml...) are not inventory
            named = path.suffix in YAML_SUFFIXES
            if not named and not entry.is_symlink():
                continue
            try:
                info = path.stat()
            except OSError as exc:
                if named:
                    problems.append(InputError(Location(str(path)), os_reason(path, exc)))
                continue
            if stat.S_ISDIR(info.st_mode):  # a symbolic link to a folder
                if notes is not None:
                    notes.append(
                        InputWarning(
                            Location(str(path)),
                            Msg(
                                "không tìm trong thư mục mà liên kết tượng trưng trỏ tới: nếu "
                                "thư mục đó thuộc danh mục kiểm kê, hãy ghi chính thư mục đó "
                                "trên dòng lệnh",
                                "a symbolic link to a folder is not searched: name the folder "
                                "itself on the command line if it belongs to the inventory",
                            ),
                        )
                    )
                continue
            if not named:
                continue
            problem = not_a_file(info.st_mode)
            if problem is not None:
                problems.append(InputError(Location(str(path)), problem))
                continue
            into.append((path, info))


def _record_origins(
    data: Any,
    file: str,
    prefix: str,
    out: Origins,
    depth: int = 0,
    cells: Mapping[int, str] | None = None,
) -> None:
    """The origin of every key down to _ORIGIN_DEPTH: its file and line, or, for a value
    imported from a workbook, the cell its comment cites (auditor/loading/marks.py)."""
    if not isinstance(data, LineDict) or depth >= _ORIGIN_DEPTH:
        return
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        line = data.key_lines.get(key)
        if cells:
            out[path] = _origin(file, line, cells)
        else:
            out[path] = Origin(source="declared", file=file, line=line)
        if path == "attestations" and isinstance(value, LineList):
            # Each attestation is accounted for on its own (used or not): cite its own line.
            for index, item_line in enumerate(value.item_lines):
                out[f"attestations.{index}"] = _origin(file, item_line, cells)
        _record_origins(value, file, path, out, depth + 1, cells)


def _origin(file: str, line: int | None, cells: Mapping[int, str] | None) -> Origin:
    """Declared at file:line, or imported from the workbook cell cited on that line."""
    cell = cells.get(line) if cells and line is not None else None
    if cell is not None:
        return Origin(source="workbook", file=file, line=line, via=cell)
    return Origin(source="declared", file=file, line=line)


@dataclass
class _Collected:
    organisation: tuple[Organisation, Any, str] | None = None
    # (agency, its raw mapping, file, field path of the agency inside that file)
    agencies: list[tuple[Agency, Any, str, str]] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    #: file -> line -> the workbook cell its value was imported from
    cells: dict[str, dict[int, str]] = field(default_factory=dict)


def _future_dates(
    parsed: InventoryFile, data: Any, source: str, today: dt.date
) -> list[InputWarning]:
    """Evidence (a decision, document, assessment, attestation…) dated after today cannot exist
    yet: typically a typing error (2062 for 2026). Deadlines and expiries are not evidence."""
    found = []
    for loc, day in future_evidence(parsed, today):
        location = Location(source, line_of(data, loc), None, field_path(loc))
        found.append(
            InputWarning(
                location,
                Msg(
                    f"đề ngày {day:%d/%m/%Y}, sau ngày hôm nay ({today:%d/%m/%Y}): văn bản hay "
                    "kết quả đánh giá không thể đề ngày trong tương lai (gõ nhầm?); khi đánh giá, "
                    "mục này bị bỏ qua cho đến ngày đó",
                    f"dated {day.isoformat()}, after today ({today.isoformat()}): a document or "
                    "assessment cannot be dated in the future (a typing error?); an audit "
                    "ignores it until that date",
                ),
            )
        )
    return found


def _collect(path: Path, limits: Limits, into: _Collected, today: dt.date) -> None:
    source = str(path)
    data, raw = load_yaml_file(path, limits)
    into.files.append(
        InputFile(path=source, kind="inventory", sha256=hashlib.sha256(raw).hexdigest())
    )
    if b".xlsx!" in raw:
        into.cells[source] = cited_cells(raw.decode("utf-8", errors="replace"))
    if not isinstance(data, LineDict):
        raise InputError(
            Location(source, getattr(data, "line", 1)),
            Msg(
                "tệp danh mục kiểm kê phải là một ánh xạ (mapping) có 'organisation', 'agency' "
                "hoặc 'agencies'",
                "an inventory file must be a mapping with 'organisation', 'agency' or 'agencies'",
            ),
        )
    parsed = validate(InventoryFile, data, source)
    into.warnings.extend(_future_dates(parsed, data, source, today))
    into.warnings.extend(control_char_warnings(data, raw, source))
    if parsed.organisation is not None:
        if into.organisation is not None:
            raise InputError(
                Location(source, data.key_lines.get("organisation"), None, "organisation"),
                Msg(
                    f"tổ chức thứ hai; tổ chức thứ nhất ở {into.organisation[2]}",
                    f"a second organisation; the first is in {into.organisation[2]}",
                ),
            )
        into.organisation = (parsed.organisation, data["organisation"], source)
    if parsed.agency is not None:
        into.agencies.append((parsed.agency, data["agency"], source, "agency"))
    raw_agencies = data.get("agencies") or []
    for index, (agency, raw_agency) in enumerate(zip(parsed.agencies, raw_agencies, strict=True)):
        into.agencies.append((agency, raw_agency, source, f"agencies[{index}]"))


class _Inheritance:
    """Fills what a system leaves unset from its agency's, then its organisation's, defaults.

    Sections are inherited whole, except `four_layer`, which is inherited layer by layer:
    a system may name its own layer-3 assessor and still use the province's SOC (layer 2).
    `design` is whole on purpose: a system that declares its own design declares all of it,
    so a missing solution (no DB firewall) can never be hidden by a shared default.
    The origins a defaults section hands down are built once and shared by every system.
    """

    def __init__(self, chain: Sequence[tuple[SystemDefaults, str, Origins]]) -> None:
        self.chain = chain
        self.cache: dict[tuple[str, str, str], dict[str, Origin]] = {}

    def update_for(self, own: System, origins: Origins) -> dict[str, Any]:
        update: dict[str, Any] = {}
        for name in SystemDefaults.model_fields:
            if name == "four_layer":
                merged = self._merge_layers(own.four_layer, origins)
                if merged is not own.four_layer:
                    update[name] = merged
                continue
            if name in own.model_fields_set:
                continue
            for default, label, source in self.chain:
                if name in default.model_fields_set:
                    update[name] = getattr(default, name)
                    origins.update(self._origins(source, label, f"defaults.{name}", name))
                    break
        return update

    def _merge_layers(self, own: FourLayer, origins: Origins) -> FourLayer:
        update: dict[str, Any] = {}
        for layer in FourLayer.model_fields:
            if layer in own.model_fields_set and getattr(own, layer) is not None:
                continue
            for default, label, source in self.chain:
                layers = default.four_layer
                if layers is not None and getattr(layers, layer) is not None:
                    update[layer] = getattr(layers, layer)
                    origins.update(
                        self._origins(
                            source, label, f"defaults.four_layer.{layer}", f"four_layer.{layer}"
                        )
                    )
                    break
        return own.model_copy(update=update) if update else own

    def _origins(self, source: Origins, label: str, src: str, dst: str) -> dict[str, Origin]:
        key = (label, src, dst)
        found = self.cache.get(key)
        if found is None:
            found = {
                dst + path[len(src) :]: _inherited(origin, label)
                for path, origin in source.items()
                if path == src or path.startswith(src + ".")
            }
            if not found:  # deeper than the recorded origins: cite the nearest ancestor
                ancestor = src
                while ancestor and ancestor not in source:
                    ancestor = ancestor.rpartition(".")[0]
                if ancestor:
                    found = {dst: _inherited(source[ancestor], label)}
            self.cache[key] = found
        return found


def _inherited(origin: Origin, label: str) -> Origin:
    return Origin(source="inherited", file=origin.file, line=origin.line, via=label)


def load_inventory(
    paths: Sequence[Path],
    limits: Limits = DEFAULT_LIMITS,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadedInventory:
    """Load and validate; `today` (default: the real date) dates the future-date warnings.

    Every problem found is reported at once (an CombinedInputError, grouped by file): a file that
    cannot be read, parsed or validated stops that file only; the others are still checked.
    `progress`, when given, is called as `progress(done, total)` after each file is read."""
    collected = _Collected()
    problems: list[InputError] = []
    notes: list[InputWarning] = []
    files = yaml_files(paths, problems=problems, notes=notes)
    for done, path in enumerate(files, start=1):
        try:
            _collect(path, limits, collected, today or dt.date.today())
        except InputError as exc:
            problems.append(exc)
        if progress is not None:
            progress(done, len(files))
    collected.warnings[:0] = notes
    problems.extend(_duplicate_ids(collected))
    if collected.organisation is None and not problems:
        problems.append(
            InputError(
                Location(", ".join(str(p) for p in paths)),
                Msg(
                    "không tìm thấy mục 'organisation:' trong danh mục kiểm kê",
                    "no 'organisation:' section found in the inventory",
                ),
            )
        )
    if problems or collected.organisation is None:
        raise combine(problems)
    organisation, raw_org, org_file = collected.organisation
    org_origins: Origins = {"": Origin(source="declared", file=org_file, line=raw_org.line)}
    _record_origins(raw_org, org_file, "", org_origins, cells=collected.cells.get(org_file))

    agencies: list[Agency] = []
    agency_origins: dict[str, Origins] = {}
    system_origins: dict[str, Origins] = {}
    for agency, raw_agency, file, _ in collected.agencies:
        cells = collected.cells.get(file)
        own: Origins = {"": Origin(source="declared", file=file, line=raw_agency.line)}
        _record_origins(raw_agency, file, "", own, cells=cells)
        agency_origins[agency.id] = own
        inheritance = _Inheritance(
            [
                (agency.defaults, f"agency defaults ({agency.id})", own),
                (organisation.defaults, f"organisation defaults ({organisation.id})", org_origins),
            ]
        )
        systems: list[System] = []
        raw_systems = raw_agency.get("systems") or LineList()
        for system, raw_system in zip(agency.systems, raw_systems, strict=True):
            origins: Origins = {"": Origin(source="declared", file=file, line=raw_system.line)}
            _record_origins(raw_system, file, "", origins, cells=cells)
            update = inheritance.update_for(system, origins)
            systems.append(system.model_copy(update=update) if update else system)
            system_origins[system.id] = origins
        agencies.append(agency.model_copy(update={"systems": tuple(systems)}))

    inventory = Inventory(organisation=organisation, agencies=tuple(agencies))
    return LoadedInventory(
        inventory=inventory,
        files=tuple(collected.files),
        system_origins=system_origins,
        agency_origins=agency_origins,
        organisation_origins=org_origins,
        warnings=tuple(collected.warnings),
    )


def _duplicate_ids(collected: _Collected) -> list[InputError]:
    """Agency and system ids used twice, each named at its second use (with the first)."""
    found: list[InputError] = []
    seen_agencies: dict[str, str] = {}
    seen_systems: dict[str, str] = {}
    for agency, raw_agency, file, field_prefix in collected.agencies:
        if agency.id in seen_agencies:
            found.append(
                InputError(
                    Location(file, raw_agency.key_lines.get("id"), None, f"{field_prefix}.id"),
                    Msg(
                        f"mã cơ quan '{agency.id}' đã được dùng ở {seen_agencies[agency.id]}",
                        f"agency id '{agency.id}' is already used at {seen_agencies[agency.id]}",
                    ),
                )
            )
        else:
            seen_agencies[agency.id] = f"{file}:{raw_agency.line}"
        raw_systems = raw_agency.get("systems") or LineList()
        for index, (system, raw_system) in enumerate(zip(agency.systems, raw_systems, strict=True)):
            if system.id in seen_systems:
                found.append(
                    InputError(
                        Location(
                            file,
                            raw_system.key_lines.get("id"),
                            None,
                            f"{field_prefix}.systems[{index}].id",
                        ),
                        Msg(
                            f"mã hệ thống '{system.id}' đã được dùng ở {seen_systems[system.id]}",
                            f"system id '{system.id}' is already used at "
                            f"{seen_systems[system.id]}",
                        ),
                    )
                )
            else:
                seen_systems[system.id] = f"{file}:{raw_system.line}"
    return found
