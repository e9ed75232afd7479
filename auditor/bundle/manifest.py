"""The bundle's manifest: what it lists, how it is written, and how it is read back strictly.

    {"format": "auditor-bundle", "version": 1, "created": "2026-12-06T17:00:00Z",
     "auditor_version": "0.1.0", "organisation": {"id": "…", "name": "…"},
     "province": "…" | null, "year": 2026 | null, "run_id": "…",
     "members": [{"name": "results.json", "sha256": "…", "size": 123, "role": "results"}, …]}

Every member of the ZIP file other than `manifest.json` and its signature `manifest.json.p7s`
is listed with its SHA-256 and size; nothing unlisted may be present. Member names are fixed
(`MEMBER_ROLES`): no folders, so no path in a bundle can point anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from auditor.messages import Msg

FORMAT: Final = "auditor-bundle"
VERSION: Final = 1
MANIFEST: Final = "manifest.json"
SIGNATURE: Final = "manifest.json.p7s"

#: The members a bundle may hold, by name, with their role.
MEMBER_ROLES: Final[Mapping[str, str]] = {
    "results.json": "results",
    # A run of the history store, as `auditor history show RUN --json` prints it: the store
    # keeps a run's counts, systems and findings, not its full results file.
    "run.json": "run",
    "annual.json": "annual",
    "report.html": "html",
    "annual.pdf": "annual-pdf",
    "annual.xlsx": "annual-xlsx",
}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEYS = frozenset({
    "format", "version", "created", "auditor_version", "organisation", "province", "year",
    "run_id", "members",
})


class ManifestError(ValueError):
    """manifest.json is not a manifest of this format; `text` says what is wrong."""

    def __init__(self, text: Msg) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class Member:
    name: str
    sha256: str
    size: int
    role: str

    @staticmethod
    def of(name: str, data: bytes) -> Member:
        return Member(name, hashlib.sha256(data).hexdigest(), len(data), MEMBER_ROLES[name])


def manifest_bytes(
    *,
    created: str,
    auditor_version: str,
    organisation: Mapping[str, str],
    province: str | None,
    year: int | None,
    run_id: str,
    members: list[Member],
) -> bytes:
    """The manifest as the exact bytes that are signed (UTF-8, keys sorted, one trailing
    newline): the same inputs always give the same bytes."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "created": created,
        "auditor_version": auditor_version,
        "organisation": dict(organisation),
        "province": province,
        "year": year,
        "run_id": run_id,
        "members": [
            {"name": m.name, "sha256": m.sha256, "size": m.size, "role": m.role} for m in members
        ],
    }
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _bad(vi: str, en: str) -> ManifestError:
    return ManifestError(Msg(f"{MANIFEST}: {vi}", f"{MANIFEST}: {en}"))


def parse_manifest(data: bytes) -> tuple[dict[str, Any], tuple[Member, ...]]:
    """The manifest's document and its members; ManifestError when it is not one."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _bad(f"không phải JSON UTF-8 hợp lệ ({error})",
                   f"not valid UTF-8 JSON ({error})") from None
    if not isinstance(document, dict):
        raise _bad("không phải một đối tượng JSON", "not a JSON object")
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise _bad(
            f"không phải định dạng {FORMAT} phiên bản {VERSION}",
            f"not the {FORMAT} format, version {VERSION}",
        )
    unknown = sorted(set(document) - _KEYS)
    missing = sorted(_KEYS - set(document))
    if unknown or missing:
        raise _bad(
            f"trường thiếu {missing} hoặc không biết {unknown}",
            f"missing fields {missing} or unknown fields {unknown}",
        )
    organisation = document["organisation"]
    if not (isinstance(organisation, dict)
            and all(isinstance(organisation.get(k), str) for k in ("id", "name"))):
        raise _bad("trường 'organisation' phải có 'id' và 'name'",
                   "field 'organisation' must hold 'id' and 'name'")
    year = document["year"]
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise _bad("trường 'year' phải là số nguyên hoặc null",
                   "field 'year' must be a whole number or null")
    for key in ("created", "auditor_version", "run_id"):
        if not isinstance(document[key], str):
            raise _bad(f"trường '{key}' phải là chuỗi", f"field '{key}' must be a string")
    if document["province"] is not None and not isinstance(document["province"], str):
        raise _bad("trường 'province' phải là chuỗi hoặc null",
                   "field 'province' must be a string or null")
    return document, _members(document["members"])


def _members(entries: Any) -> tuple[Member, ...]:
    if not isinstance(entries, list):
        raise _bad("trường 'members' phải là một danh sách", "field 'members' must be a list")
    members: list[Member] = []
    for position, entry in enumerate(entries):
        where = f"members[{position}]"
        if not isinstance(entry, dict) or set(entry) != {"name", "sha256", "size", "role"}:
            raise _bad(f"{where}: phải có đúng name, sha256, size, role",
                       f"{where}: must hold exactly name, sha256, size, role")
        name, digest, size, role = entry["name"], entry["sha256"], entry["size"], entry["role"]
        if not isinstance(name, str) or MEMBER_ROLES.get(name) != role:
            raise _bad(f"{where}: thành phần {name!r} với vai trò {role!r} không được phép",
                       f"{where}: member {name!r} with role {role!r} is not allowed")
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise _bad(f"{where}: sha256 phải là 64 chữ số hệ 16 (chữ thường)",
                       f"{where}: sha256 must be 64 lowercase hex digits")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _bad(f"{where}: size phải là số nguyên không âm",
                       f"{where}: size must be a non-negative whole number")
        if any(m.name == name for m in members):
            raise _bad(f"{where}: thành phần {name} được liệt kê hai lần",
                       f"{where}: member {name} is listed twice")
        members.append(Member(name, digest, size, role))
    return tuple(members)
