"""The shipped list of provinces (`provinces-2025.yaml`) and which of them a bundle is from.

A bundle names its province as the province's own results do: the manifest's `province`, else
the organisation's id and name (`tinh-lao-cai`, "Ủy ban nhân dân tỉnh Lào Cai"). Each is
reduced to a key — lower case, without diacritics, without the words "ủy ban nhân dân",
"tỉnh", "thành phố" — and looked up among the list's ids, names and aliases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from auditor.loading.safe_yaml import load_yaml_file
from auditor.loading.validation import validate
from auditor.model.base import FrozenModel
from auditor.report.national.figures import Province

LIST_FILE = Path(__file__).resolve().parent / "provinces-2025.yaml"
_PREFIXES = ("uy-ban-nhan-dan-", "ubnd-", "tinh-", "thanh-pho-", "tp-")


class _Entry(FrozenModel):
    id: str
    name: str
    kind: str = Field(pattern="^(province|city)$")
    aliases: tuple[str, ...] = ()


class _ListFile(FrozenModel):
    source: str
    provinces: tuple[_Entry, ...]


@dataclass(frozen=True, slots=True)
class ProvinceList:
    provinces: tuple[Province, ...]
    source: str

    def match(self, *names: str | None) -> Province | None:
        """The province any of `names` designates, trying them in order."""
        index: dict[str, Province] = {}
        for province in self.provinces:
            for spelling in (province.id, province.name, *province.aliases):
                index.setdefault(key(spelling), province)
        for name in names:
            if name and (found := index.get(key(name))) is not None:
                return found
        return None


def key(name: str) -> str:
    """A spelling-insensitive key: "Ủy ban nhân dân Tỉnh Lào Cai" → "lao-cai"."""
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if slug.startswith(prefix):
                slug, changed = slug[len(prefix) :], True
    return slug


def load_provinces(path: Path = LIST_FILE) -> ProvinceList:
    data, _ = load_yaml_file(path)
    parsed = validate(_ListFile, data, str(path))
    return ProvinceList(
        tuple(Province(e.id, e.name, e.kind, e.aliases) for e in parsed.provinces),
        parsed.source,
    )
