"""Edit one inventory file in place, keeping its comments and layout (ruamel.yaml round trip).

Only what an import changes is touched: a value set where it was, a new key placed where the
model orders it (so `classification:` lands after `go_live:`, not at the end), an attestation
appended to the subject's list. Each value written carries an end-of-line comment citing the
cell it came from (`# bảng tính: so-y-te.xlsx!Systems!D12`), which the loader reads back as the
value's origin (auditor/loading/marks.py). A file the import does not change is not rewritten.

Safety: the text is first read by the project's own safe loader (auditor.loading.safe_yaml:
size, depth and alias limits, only plain YAML types), and only then by ruamel's round-trip
loader, which builds plain mappings, lists and scalars (tags become TaggedScalar values, never
Python objects).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from auditor.loading.marks import MARK_WORD
from auditor.model.base import DocumentRef
from auditor.model.inventory import (
    Agency,
    Assessment,
    Attestation,
    CertificateRef,
    ClassificationAttributes,
    Decision,
    Endpoint,
    FourLayer,
    Host,
    Layer1,
    Layer2,
    Layer3,
    Layer4,
    LevelDossier,
    OperatorTraining,
    SecurityPlan,
    SecurityUnit,
    StaffFigures,
    System,
)

_MARK = re.compile(rf"\s*·?\s*{MARK_WORD}: \S+\.xlsx!\w+![A-Z]{{1,3}}[0-9]+")

_ORDER: dict[str, list[str]] = {
    "system": list(System.model_fields),
    "classification": list(ClassificationAttributes.model_fields),
    # An agency's own keys first, then its facts, defaults and systems (as files write them).
    "agency": ["id", "name", *(k for k in Agency.model_fields
                              if k not in ("id", "name", "defaults", "systems")),
               "defaults", "systems"],
    "attestation": list(Attestation.model_fields),
    "document": list(DocumentRef.model_fields),
    "dossier": list(LevelDossier.model_fields),
    "decision": list(Decision.model_fields),
    "appraisal": list(DocumentRef.model_fields),
    "security_regulation": list(DocumentRef.model_fields),
    "acceptance_test": list(DocumentRef.model_fields),
    "security_plan": list(SecurityPlan.model_fields),
    "security_unit": list(SecurityUnit.model_fields),
    "staff": list(StaffFigures.model_fields),
    "four_layer": list(FourLayer.model_fields),
    "layer1": list(Layer1.model_fields),
    "layer2": list(Layer2.model_fields),
    "layer3": list(Layer3.model_fields),
    "layer4": list(Layer4.model_fields),
    "pre_operation_assessment": list(Assessment.model_fields),
    "pentest": list(Assessment.model_fields),
    "operators": list(OperatorTraining.model_fields),
    "hosts": list(Host.model_fields),
    "endpoints": list(Endpoint.model_fields),
    "certificates": list(CertificateRef.model_fields),
}


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    # A value written twice (the same date in two answers) stays written twice, never `*id001`;
    # only the file's own anchors (`&ttdl-who`) are written as anchors and aliases.
    yaml.representer.ignore_aliases = _without_anchor
    return yaml


def _without_anchor(data: Any) -> bool:
    anchor = getattr(data, "anchor", None)
    return not (anchor is not None and getattr(anchor, "value", None))


def _keep_anchors(node: Any) -> None:
    """Anchors nothing refers to would be dropped on output: keep every one."""
    pending = [node]
    while pending:
        current = pending.pop()
        anchor = getattr(current, "anchor", None)
        if isinstance(current, CommentedBase) and anchor is not None and anchor.value:
            anchor.always_dump = True
        if isinstance(current, dict):
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)


class YamlDocument:
    """One inventory file, loaded for a round trip."""

    def __init__(self, text: str) -> None:
        self.yaml = _yaml()
        self.text = text
        # Safe: the text was read and validated by the project's safe loader first (sizes,
        # aliases, tags; importing.py), and ruamel's round-trip constructor builds only
        # mappings, sequences and scalars — a `!!python/...` tag stays a tagged node, never an
        # object (tests/unit/test_workbook_refusals.py).
        self.data: Any = self.yaml.load(text)
        _keep_anchors(self.data)
        self._systems: dict[tuple[int, str], CommentedMap] = {}

    def dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()

    def agency(self, agency_id: str) -> CommentedMap:
        one = self.data.get("agency")
        if isinstance(one, CommentedMap) and one.get("id") == agency_id:
            return one
        for item in self.data.get("agencies") or ():
            if isinstance(item, CommentedMap) and item.get("id") == agency_id:
                return item
        raise KeyError(agency_id)

    def system(self, agency: CommentedMap, system_id: str) -> CommentedMap:
        found = self._systems.get((id(agency), system_id))
        if found is None:
            for item in agency.get("systems") or ():
                if isinstance(item, CommentedMap):
                    self._systems[(id(agency), str(item.get("id")))] = item
            found = self._systems.get((id(agency), system_id))
        if found is None:
            raise KeyError(system_id)
        return found


# -- comments ---------------------------------------------------------------------------------


def _comment(mapping: CommentedMap, key: Any) -> CommentToken | None:
    entry = mapping.ca.items.get(key)
    if entry and len(entry) > 2 and isinstance(entry[2], CommentToken):
        return entry[2]
    return None


def _mark(mapping: CommentedMap, key: Any, ref: str) -> None:
    """Cite `ref` at the end of `key`'s line, after any comment already there."""
    marker = f"{MARK_WORD}: {ref}"
    token = _comment(mapping, key)
    if token is None:  # two spaces, then the comment (never aligned to others: a short diff)
        mapping.ca.items[key] = [None, None, CommentToken(f" # {marker}\n", _start(), None), None]
        return
    first, newline, rest = token.value.partition("\n")
    first = _MARK.sub("", first.rstrip())
    first = f"{first} · {marker}" if first.strip() not in ("", "#") else f"# {marker}"
    token.value = first + newline + rest


def _last_child(node: Any) -> tuple[Any, Any] | None:
    """The container and key (or index) of the last thing written inside `node`."""
    if isinstance(node, CommentedMap) and node:
        return node, list(node.keys())[-1]
    if isinstance(node, CommentedSeq) and node:
        return node, len(node) - 1
    return None


def _take_trailing(node: Any) -> str | None:
    """Take the comment lines written after the last value of `node` (they introduce what
    follows it, e.g. the next system's banner): they move below anything appended."""
    found = _last_child(node)
    while found is not None:
        container, key = found
        child = container[key]
        deeper = _last_child(child) if isinstance(child, CommentedMap | CommentedSeq) else None
        if deeper is not None:
            found = deeper
            continue
        entry = container.ca.items.get(key)
        index = 2 if isinstance(container, CommentedMap) else 0
        token = entry[index] if entry and len(entry) > index else None
        if not isinstance(token, CommentToken):
            return None
        first, newline, rest = token.value.partition("\n")
        if not rest:
            return None
        token.value = first + newline
        return rest
    return None


def _give_trailing(node: Any, text: str) -> None:
    found = _last_child(node)
    while found is not None:
        container, key = found
        child = container[key]
        deeper = _last_child(child) if isinstance(child, CommentedMap | CommentedSeq) else None
        if deeper is not None:
            found = deeper
            continue
        if isinstance(container, CommentedMap):
            token = _comment(container, key)
            if token is None:
                container.ca.items[key] = [None, None, CommentToken("\n" + text, _start(), None),
                                           None]
            else:
                token.value = token.value.rstrip("\n") + "\n" + text
        else:
            container.ca.items[key] = [CommentToken("\n" + text, _start(), None), None]
        return


def _start() -> Any:
    from ruamel.yaml.error import CommentMark

    return CommentMark(0)


# -- edits ------------------------------------------------------------------------------------


def _insert(mapping: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Insert `key` before the first key the model orders after it; else append it (moving
    the comment that closed the mapping below it)."""
    rank = order.index(key) if key in order else len(order)
    for position, existing in enumerate(mapping.keys()):
        if existing in order and order.index(existing) > rank:
            mapping.insert(position, key, value)
            return
    trailing = _take_trailing(mapping)
    mapping[key] = value
    if trailing is not None:
        _give_trailing(mapping, trailing)


_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def _text(value: Any) -> Any:
    """Text the project's loader (PyYAML, YAML 1.1) would read as something else — '2024',
    'yes', '2001:10:20' — is written quoted; ruamel alone follows YAML 1.2."""
    if isinstance(value, str) and (
        not value
        or _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        != _STR
    ):
        return SingleQuotedScalarString(value)
    return value


def _yaml_value(value: Any) -> Any:
    if isinstance(value, list):
        seq = CommentedSeq([_text(item) for item in value])
        seq.fa.set_flow_style()
        return seq
    return _text(value)


def set_fact(
    subject: CommentedMap, key: str, value: Any, ref: str, kind: str = "system"
) -> None:
    """Set dotted `key` of a system (or agency) to `value` (None: remove the declaration)."""
    parts = key.split(".")
    parent = subject
    order = _ORDER[kind]
    ancestors: list[tuple[CommentedMap, str]] = []
    for part in parts[:-1]:
        child = parent.get(part)
        if not isinstance(child, CommentedMap):
            if value is None:
                return
            child = CommentedMap()
            _insert(parent, part, child, order)
        ancestors.append((parent, part))
        parent = child
        order = _ORDER.get(part, [])
    leaf = parts[-1]
    if value is None:
        if leaf in parent:
            _remove(parent, leaf)
        for holder, part in reversed(ancestors):  # a section left empty goes too
            if holder[part]:
                break
            _remove(holder, part)
        return
    if leaf in parent:
        parent[leaf] = _yaml_value(value)
    else:
        _insert(parent, leaf, _yaml_value(value), order)
    _mark(parent, leaf, ref)


def _remove(mapping: CommentedMap, key: str) -> None:
    """Remove `key`; comment lines written after its value (about what follows) stay."""
    keys = list(mapping.keys())
    value = mapping[key]
    if isinstance(value, CommentedMap | CommentedSeq):
        rest = _take_trailing(value) or ""
    else:
        token = _comment(mapping, key)
        rest = token.value.partition("\n")[2] if token is not None else ""
    del mapping[key]
    mapping.ca.items.pop(key, None)
    position = keys.index(key)
    if not rest or position == 0:
        return
    previous = keys[position - 1]
    child = mapping[previous]
    if isinstance(child, CommentedMap | CommentedSeq) and child:
        _give_trailing(child, rest)
        return
    token = _comment(mapping, previous)
    if token is None:
        mapping.ca.items[previous] = [None, None, CommentToken("\n" + rest, _start(), None), None]
    else:
        token.value = token.value.rstrip("\n") + "\n" + rest


def _mapping(items: Iterable[tuple[str, Any]]) -> CommentedMap:
    out = CommentedMap()
    for key, value in items:
        if value is not None:
            out[key] = _text(value)
    return out


def add_attestation(
    subject: CommentedMap, attestation: Mapping[str, Any], ref: str, kind: str = "system"
) -> None:
    """Append an attestation to the subject's `attestations:` list (made when missing)."""
    document = _mapping((k, attestation["document"].get(k)) for k in _ORDER["document"])
    item = _mapping(
        (k, document if k == "document" else attestation.get(k)) for k in _ORDER["attestation"]
    )
    listed = subject.get("attestations")
    if not isinstance(listed, CommentedSeq):
        listed = CommentedSeq([item])
        _insert(subject, "attestations", listed, _ORDER[kind])
    else:
        trailing = _take_trailing(listed)
        listed.append(item)
        if trailing is not None:
            _give_trailing(listed, trailing)
    _mark(item, "rule", ref)


def _plain(value: Any) -> Any:
    """A model's dump as YAML values: enumerations as their codes, mappings in order."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _plain(item)
        return out
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def seed_section(subject: CommentedMap, path: list[str], values: Mapping[str, Any]) -> None:
    """Write `values` at `path` (e.g. four_layer.layer3) unless the subject declares it: an
    inherited section becomes the subject's own, whole, before one of its values changes."""
    parent = subject
    order = _ORDER["system"]
    for part in path[:-1]:
        child = parent.get(part)
        if not isinstance(child, CommentedMap):
            child = CommentedMap()
            _insert(parent, part, child, order)
        parent = child
        order = _ORDER.get(part, [])
    if path[-1] not in parent:
        _insert(parent, path[-1], _plain(dict(values)), order)
