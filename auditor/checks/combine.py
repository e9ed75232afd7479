"""Checks made of checks: all, any, not, for_each over a collection, and named builtins.

The combinators work on compiled parts (closures) and compose their messages lazily: the
parts' texts are joined only when the finding's message is read.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.text import LazyText, joined, pick, prefixed
from auditor.model.results import Evidence, Status, Text2

# Worst first: the status a combination takes when its parts disagree.
_PRECEDENCE = (Status.FAIL, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)
_RANK = {status: rank for rank, status in enumerate(_PRECEDENCE)}
_UNRANKED = len(_RANK)
_NO_CHECKS = Outcome(Status.NOT_APPLICABLE, Text2(vi="Không có kiểm tra", en="No checks"))


def _rank(outcome: Outcome) -> int:
    return _RANK.get(outcome.status, _UNRANKED)


def evidence_of(outcomes: Sequence[Outcome]) -> tuple[Evidence, ...]:
    return tuple(e for o in outcomes for e in o.evidence)


def combine_all(outcomes: Sequence[Outcome]) -> Outcome:
    """All parts must pass; not-applicable parts are ignored unless everything is."""
    worst, rank = None, _UNRANKED
    for outcome in outcomes:  # the first of the worst status (min over the precedence)
        found = _RANK.get(outcome.status, _UNRANKED)
        if found < rank:
            worst, rank = outcome.status, found
    if worst is None:
        return _NO_CHECKS
    if len(outcomes) == 1:
        return outcomes[0]  # its own message, evidence, severity and undecidedness
    chosen = [o for o in outcomes if o.status is worst]
    severities = [o.severity for o in chosen if o.severity is not None]
    return Outcome(
        worst,
        joined([o.message for o in chosen]),
        evidence_of(outcomes),
        max(severities, key=lambda s: s.rank) if severities else None,
        any(o.undecided for o in chosen),
    )


def compile_all(parts: Sequence[Compiled]) -> Compiled:
    def check(ctx: EvalContext) -> Outcome:
        return combine_all([part(ctx) for part in parts])

    return check


def _is_attestation(evidence: Evidence) -> bool:
    return evidence.fact.startswith("attestation.")


def _cites_attestation(outcome: Outcome) -> bool:
    return any(_is_attestation(e) for e in outcome.evidence)


def _on_attestation(en: bool, winner: Text2, data: tuple[Text2, ...]) -> str:
    rest = "; ".join(pick(en, t) for t in data)
    if en:
        return f"Passed on the attestation: {winner.en}; declared data: {rest}"
    return f"Đạt nhờ xác nhận: {winner.vi}; dữ liệu khai báo: {rest}"


def _on_data(en: bool, winner: Text2, attested: tuple[Text2, ...]) -> str:
    rest = "; ".join(pick(en, t) for t in attested)
    if en:
        return (
            f"Passed on the declared data: {winner.en}; the attestation was not relied on: "
            + rest
        )
    return f"Đạt theo dữ liệu khai báo: {winner.vi}; không dựa vào xác nhận: {rest}"


def compile_any(parts: Sequence[Compiled]) -> Compiled:
    """One alternative suffices. A pass cites the alternative that passed (its evidence first,
    the others' only for the attestations they looked at) and, when declared data and an
    attestation were both weighed, says which of them the verdict rests on."""

    def check(ctx: EvalContext) -> Outcome:
        outcomes = [part(ctx) for part in parts]
        passing = [o for o in outcomes if o.status is Status.PASS]
        if not passing:
            # Three-valued "or": while a part depends on undeclared facts, a failing part does
            # not decide the whole — the undecided part may still pass. (Evidence that is
            # merely awaited, an `attested` with no attestation, does not count: the burden of
            # proof is the auditee's, so failing data still fails.)
            undecided = [o for o in outcomes if o.undecided]
            if undecided:
                combined = combine_all(undecided)
                return Outcome(
                    combined.status, combined.message, evidence_of(outcomes), combined.severity,
                    True,
                )
            return combine_all(outcomes)
        winner = passing[0]
        # An outcome is among the attested ones exactly when it cites an attestation (two
        # outcomes are equal only with equal evidence), so no message is compared here.
        cites = [_cites_attestation(o) for o in outcomes]
        attested = [o for o, cited in zip(outcomes, cites, strict=True) if cited]
        evidence = winner.evidence + tuple(
            e
            for o in attested
            if o is not winner
            for e in o.evidence
            if _is_attestation(e) and e not in winner.evidence
        )
        data = [o for o, cited in zip(outcomes, cites, strict=True) if not cited]
        if not attested or not data:
            message = winner.message
        elif _cites_attestation(winner):
            message = LazyText(_on_attestation, winner.message, tuple(o.message for o in data))
        else:
            message = LazyText(_on_data, winner.message, tuple(o.message for o in attested))
        return Outcome(Status.PASS, message, evidence)

    return check


_FLIPPED = {Status.PASS: Status.FAIL, Status.FAIL: Status.PASS}


def compile_not(part: Compiled) -> Compiled:
    def check(ctx: EvalContext) -> Outcome:
        inner = part(ctx)
        return Outcome(
            _FLIPPED.get(inner.status, inner.status),
            prefixed("Phủ định: ", "Negated: ", inner.message),
            inner.evidence,
            undecided=inner.undecided,
        )

    return check


def compile_for_each(over: str, part: Compiled, when_empty: str) -> Compiled:
    """Every host / endpoint / certificate must satisfy the part."""
    empty = Outcome(
        Status(when_empty),
        Text2(vi=f"Không có mục nào trong '{over}'", en=f"No entries in '{over}'"),
    )

    def check(ctx: EvalContext) -> Outcome:
        items = ctx.collections.get(over, ())
        if not items:
            return empty
        outcomes = []
        for item in items:
            outcome = part(ctx.with_item(item))
            label = f"{item.subject}: "
            outcomes.append(
                Outcome(
                    outcome.status,
                    prefixed(label, label, outcome.message),
                    outcome.evidence,
                    outcome.severity,
                )
            )
        return combine_all(outcomes)

    return check


def compile_builtin(name: str) -> Compiled:
    """A named check written in Python (checks/builtins.py), looked up in the context."""
    unknown = Outcome(
        Status.ERROR,
        Text2(vi=f"Không có kiểm tra '{name}'", en=f"Unknown builtin check '{name}'"),
    )

    def check(ctx: EvalContext) -> Outcome:
        function = ctx.builtins.get(name)
        if function is None:  # validated at load time; kept as a guard for library users
            return unknown
        return function(ctx)

    return check
