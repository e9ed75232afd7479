"""What a check sees while it evaluates: facts by dotted key, the level, the audit date.

Pure: the context reads values that were prepared before evaluation and never performs I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, TypeVar

from auditor.model.results import Evidence, Fact, Origin, Severity, Status, Text2

_MISSING = object()
_DECLARED = Origin(source="declared")

#: Collections a rule may run over, one finding (or one check) per element: the inventory's
#: hosts, endpoints and certificates, and what the live probes saw — `tls`, one element per
#: endpoint and address; `certs`, one per certificate observed (on an endpoint, in a file or
#: by nmap); `open_ports`, one per open port found by the port scan; `expected_ports`, one per
#: port the inventory declares, with whether the scan found it open.
CollectionName = Literal[
    "hosts", "endpoints", "certificates", "tls", "certs", "open_ports", "expected_ports"
]
OBSERVED_COLLECTIONS: tuple[CollectionName, ...] = (
    "tls", "certs", "open_ports", "expected_ports"
)


_SPLIT: dict[str, tuple[str, ...]] = {}


def lookup(data: Mapping[str, Any], key: str) -> Any:
    """Walk a nested mapping by a dotted key; return _MISSING when any step is absent."""
    parts = _SPLIT.get(key)
    if parts is None:  # fact keys come from a small, fixed set of rules: split each once
        parts = _SPLIT[key] = tuple(key.split("."))
    node: Any = data
    for part in parts:
        if (type(node) is dict or isinstance(node, Mapping)) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


@dataclass(slots=True)
class Outcome:
    """The result of evaluating one check (before waivers).

    Never changed once made (plans share constant outcomes between subjects); not a frozen
    dataclass only because a large audit makes millions and a frozen one costs three times
    as much to make (bench/README.md)."""

    status: Status
    message: Text2
    evidence: tuple[Evidence, ...] = ()
    severity: Severity | None = None  # a builtin may scale the rule's severity
    # The result depends on facts the inventory does not declare (unknown, not "no"): in an
    # `any`, such a part keeps the whole undecided instead of letting a failing part decide.
    undecided: bool = False


#: A check compiled into a function of the context (see checks/kinds.py, `compile`).
Compiled = Callable[["EvalContext"], Outcome]


@dataclass(frozen=True, slots=True)
class Item:
    """One element of a collection (host, endpoint, certificate, observed TLS connection).

    `errors` maps a fact key (or a prefix of keys, "" for all) to the reason a probe could not
    observe it: a missing fact under such a key is an observation error, never "not declared".
    """

    subject: str
    values: Mapping[str, Any]
    origins: Mapping[str, Origin]
    errors: Mapping[str, str] = field(default_factory=dict)


V = TypeVar("V")


def nearest(by_key: Mapping[str, V], key: str) -> V | None:
    """The entry for dotted `key` or its closest recorded ancestor ("" last): origins and
    observation errors are recorded for a section and hold for everything inside it."""
    probe = key
    while probe:
        found = by_key.get(probe)
        if found is not None:
            return found
        probe = probe.rpartition(".")[0]
    return by_key.get("")


@dataclass(frozen=True)
class EvalContext:
    """Facts for one subject (system, agency or organisation) plus the audit parameters."""

    as_of: dt.date
    level: int
    rule_id: str
    values: Mapping[str, Any]
    origins: Mapping[str, Origin]
    observed: Mapping[str, Fact] = field(default_factory=dict)
    scoped_origins: Mapping[str, Mapping[str, Origin]] = field(default_factory=dict)
    attestations: Sequence[Mapping[str, Any]] = ()
    collections: Mapping[str, Sequence[Item]] = field(default_factory=dict)
    builtins: Mapping[str, Callable[[EvalContext], Outcome]] = field(default_factory=dict)
    # Memo tables shared by every rule evaluated for the same subject: the values do not change
    # between rules, and a large audit asks for the same facts hundreds of thousands of times.
    memo: dict[str, Fact | None] = field(default_factory=dict)
    evidence_memo: dict[str, Evidence] = field(default_factory=dict)
    item_errors: Mapping[str, str] = field(default_factory=dict)
    #: Facts withdrawn because they are dated after the audit date (auditor/asof.py): the key
    #: (or an ancestor key) -> why. Such a fact is missing, like an undeclared one.
    not_yet: Mapping[str, Text2] = field(default_factory=dict)
    #: The outcome of each `applies_if` condition of the compiled plan, by its number: many
    #: rules share a condition ("the system is operating"), judged once per subject.
    conditions: dict[int, Outcome] = field(default_factory=dict)
    cited: dict[str, tuple[Evidence]] = field(default_factory=dict)
    #: The context of each item (host, endpoint…) once made: rules over the same items share
    #: it, and with it its memo of facts (item id -> (item, context)).
    items: dict[int, tuple[Item, EvalContext]] = field(default_factory=dict)

    def not_yet_reason(self, key: str) -> Text2 | None:
        """Why the fact at `key` is missing when it is evidence dated after the audit date."""
        return nearest(self.not_yet, key) if self.not_yet else None

    def fact(self, key: str) -> Fact | None:
        """The fact at `key`, observed facts first; None when the inventory does not say."""
        try:
            return self.memo[key]
        except KeyError:
            pass
        found = self.observed.get(key)
        if found is None:
            value = lookup(self.values, key)
            if value is not _MISSING and value is not None:
                found = Fact(key=key, value=value, origin=self.origin(key))
            elif self.item_errors:
                reason = nearest(self.item_errors, key)
                if reason is not None:
                    found = Fact(key=key, value=None, origin=self.origin(key), error=reason)
        self.memo[key] = found
        return found

    def origin(self, key: str) -> Origin:
        head, _, rest = key.partition(".")
        origins = self.origins
        if head in self.scoped_origins:  # e.g. "agency.security_unit" -> the agency's file
            origins, key = self.scoped_origins[head], rest
        return nearest(origins, key) or _DECLARED

    def evidence(self, key: str, fact: Fact | None) -> Evidence:
        if fact is None:
            return Evidence(fact=key, value=None)
        cached = self.evidence_memo.get(key)
        if cached is not None and self.memo.get(key) is fact:
            return cached
        made = Evidence(fact=key, value=plain(fact.value), origin=fact.origin)
        self.evidence_memo[key] = made
        return made

    def cite(self, key: str, fact: Fact) -> tuple[Evidence]:
        """`(evidence(key, fact),)`, the evidence of a check of one fact, made once per key."""
        cited = self.cited.get(key)
        if cited is not None and self.memo.get(key) is fact:
            return cited
        made = (self.evidence(key, fact),)
        if self.memo.get(key) is fact:
            self.cited[key] = made
        return made

    def with_item(self, item: Item) -> EvalContext:
        """A context for one host/endpoint/certificate; `system.*` still reaches the system."""
        made = self.items.get(id(item))
        if made is not None and made[0] is item:  # the cache holds the item: its id is its own
            return made[1]
        context = self.items[id(item)] = item, self._item_context(item)
        return context[1]

    def _item_context(self, item: Item) -> EvalContext:
        return EvalContext(
            as_of=self.as_of,
            level=self.level,
            rule_id=self.rule_id,
            values={**item.values, "system": self.values},
            origins=item.origins,
            scoped_origins={"system": self.origins},
            attestations=self.attestations,
            builtins=self.builtins,
            item_errors=item.errors,
            not_yet={f"system.{k}": v for k, v in self.not_yet.items()},
        )


_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """Evidence values are JSON-friendly: dates as ISO text, sets as sorted lists."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value
