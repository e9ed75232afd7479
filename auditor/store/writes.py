"""Recording a run: the run row, its agencies, its systems and every finding, in ONE
transaction (bulk inserts of `CHUNK` rows; COPY on PostgreSQL with psycopg).

A process killed meanwhile leaves nothing: the transaction is never committed, and the next
connection rolls the journal back. Concurrent writers queue on the database's write lock
(SQLite: `BEGIN IMMEDIATE` with a busy timeout; PostgreSQL: row-level locking, nothing shared
is updated), so runs recorded at the same time are all complete.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, insert
from sqlalchemy.exc import SQLAlchemyError

from auditor.messages import Msg
from auditor.model.results import (
    AuditRun,
    BodyResult,
    Finding,
    Status,
    StatusCounts,
    Summary,
    SystemResult,
    WaiverNote,
)
from auditor.scoring import score
from auditor.store import codec
from auditor.store.database import CHUNK, WRITE, StoreError
from auditor.store.errors import reason
from auditor.store.schema import findings, run_agencies, run_systems, runs

_T = TypeVar("_T")

# StatusCounts field -> the Status value it counts, the keys of every `counts` dict.
_COUNT_KEYS = {
    "passed": Status.PASS.value,
    "failed": Status.FAIL.value,
    "manual": Status.MANUAL.value,
    "not_applicable": Status.NOT_APPLICABLE.value,
    "error": Status.ERROR.value,
    "waived": Status.WAIVED.value,
}


class StoreWrites:
    """The writing half of HistoryStore (auditor.store.history)."""

    _engine: Engine
    name: str

    def record(self, run: AuditRun, *, inventory: str, recorded_at: str | None = None) -> int:
        """Store a whole run in one transaction and return its id."""
        stamp = _utc_stamp(recorded_at)
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    run_id = self._insert_run(connection, run, inventory, stamp)
                    if run.agencies:
                        connection.execute(
                            insert(run_agencies),
                            [_agency_values(run_id, i, a) for i, a in enumerate(run.agencies)],
                        )
                    for chunk in _chunks(_system_values(run_id, run.systems), CHUNK):
                        connection.execute(insert(run_systems), chunk)
                    _insert_many(connection, findings, _FINDING_KEYS, _finding_values(run_id, run))
        except SQLAlchemyError as error:
            why = reason(error)
            raise StoreError(
                Msg(
                    f"{self.name}: lần đánh giá chưa được ghi lại: {why}",
                    f"{self.name}: the run was not recorded: {why}",
                )
            ) from error
        return run_id

    @staticmethod
    def _insert_run(connection: Connection, run: AuditRun, inventory: str, stamp: str) -> int:
        info = run.run
        total = len(run.organisation.findings) + sum(len(a.findings) for a in run.agencies)
        total += sum(len(s.findings) for s in run.systems)
        values = {
            "recorded_at": stamp,
            "as_of": info.as_of,
            "inventory": inventory,
            "organisation": run.organisation.id,
            "organisation_name": run.organisation.name,
            "tool_version": info.tool_version,
            "schema_version": run.schema_version,
            "lang": info.lang,
            "live": info.live,
            "observed_at": info.observed_at,
            "rules": info.rules,
            "systems": len(run.systems),
            "findings": total,
            "inputs": [{"path": f.path, "kind": f.kind, "sha256": f.sha256} for f in info.inputs],
            "register": codec.body_register_value(
                run.organisation.register, _own_points(run.organisation)
            ),
            **_summary_values(run.summary),
        }
        result = connection.execute(insert(runs).values(values))
        key = result.inserted_primary_key
        assert key is not None  # noqa: S101 - an INSERT always has one
        return int(key[0])


def _counts(counts: StatusCounts) -> dict[str, int]:
    return {key: getattr(counts, name) for name, key in _COUNT_KEYS.items()}


def _summary_values(summary: Summary) -> dict[str, Any]:
    return {
        "score": summary.score.value,
        "score_earned": summary.score.earned,
        "score_possible": summary.score.possible,
        "score_without_waivers": summary.score_without_waivers.value,
        "score_without_waivers_earned": summary.score_without_waivers.earned,
        "score_without_waivers_possible": summary.score_without_waivers.possible,
        "counts": _counts(summary.counts),
        "by_severity": dict(summary.by_severity),
        "expired_waivers": summary.expired_waivers,
        "gate_blocked": summary.gate_blocked,
    }


def _own_points(body: BodyResult) -> tuple[int, int]:
    """The points of the body's own findings, by the audit's own scoring function."""
    own = score(body.findings)
    return (own.earned, own.possible)


def _agency_values(run_id: int, position: int, agency: BodyResult) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "agency_id": agency.id,
        "position": position,
        "name": agency.name,
        "systems": list(agency.systems),
        "register": codec.body_register_value(agency.register, _own_points(agency)),
        **_summary_values(agency.summary),
    }


def _system_values(run_id: int, systems: Iterable[SystemResult]) -> Iterator[dict[str, Any]]:
    for position, system in enumerate(systems):
        level = system.level
        yield {
            "run_id": run_id,
            "system_id": system.id,
            "position": position,
            "agency_id": system.agency,
            "name": system.name,
            "lifecycle": system.lifecycle,
            "system_type": system.system_type,
            "declared": level.declared,
            "approved": level.approved,
            "effective": level.effective,
            "computed": dict(level.computed),
            "criteria": {regime: [c.id for c in fired] for regime, fired in level.criteria.items()},
            "governing_regime": level.governing_regime,
            "upper": dict(level.upper),
            "undecided": {
                regime: [
                    {"id": c.id, "level": c.level, "reference": c.reference,
                     "component": c.component, "unknown": list(c.unknown)}
                    for c in entries
                ]
                for regime, entries in level.undecided.items()
            },
            "register": codec.system_register_value(system.register),
            **_summary_values(system.summary),
        }


# The columns of a finding row as `_finding_values` builds them (tuples, not dicts: a large
# run has a million of them).
_FINDING_KEYS = (
    "run_id", "finding_id", "rule_id", "owner", "owner_kind", "system_id", "agency_id",
    "subject", "status", "measured_status", "severity", "rule_group", "obligation", "gate",
    "message_vi", "message_en", "waiver",
)  # fmt: skip


def _finding_values(run_id: int, run: AuditRun) -> Iterator[tuple[Any, ...]]:
    organisation = run.organisation
    yield from _owned(run_id, organisation.findings, organisation.id, "organisation", None, None)
    for agency in run.agencies:
        yield from _owned(run_id, agency.findings, agency.id, "agency", None, agency.id)
    for system in run.systems:
        yield from _owned(run_id, system.findings, system.id, "system", system.id, system.agency)


def _owned(
    run_id: int,
    items: Iterable[Finding],
    owner: str,
    kind: str,
    system_id: str | None,
    agency_id: str | None,
) -> Iterator[tuple[Any, ...]]:
    for f in items:
        waiver = f.waiver
        yield (
            run_id, f.id, f.rule_id, owner, kind, system_id, agency_id, f.subject,
            f.status._value_, f.measured_status._value_, f.severity._value_, f.group,
            f.obligation._value_, f.gate, f.message.vi, f.message.en,
            None if waiver is None else json.dumps(_waiver_value(waiver)),
        )  # fmt: skip


def _waiver_value(waiver: WaiverNote) -> dict[str, Any]:
    return {
        "reason": waiver.reason,
        "approver": waiver.approver,
        "decision": waiver.decision,
        "expires": waiver.expires.isoformat(),
        "expired": waiver.expired,
    }


def _chunks(rows: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_many(
    connection: Connection, table: Table, keys: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """INSERT rows given as tuples of `keys`, in chunks, straight to the DB-API.

    The statement is SQLAlchemy's, compiled for the connection's dialect, run with the
    driver's executemany; only Core's per-row parameter processing is skipped (it was 40 % of
    a million-row insert), so values must already be what the driver takes: str, int, bool,
    None, JSON as text. On PostgreSQL with psycopg the rows go through COPY instead, in the
    same transaction: psycopg's executemany costs ~25 µs a row, COPY a third of that.
    """
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy(connection, table, keys, rows)
        return
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(keys))
    order = compiled.positiontup
    if compiled.positional and (order is None or tuple(order) != keys):  # pragma: no cover
        raise AssertionError(f"unexpected parameter order {order}")
    for chunk in _chunks(rows, CHUNK):
        params: list[Any] = (
            chunk if compiled.positional else [dict(zip(keys, row, strict=True)) for row in chunk]
        )
        connection.exec_driver_sql(compiled.string, params)


def _copy(
    connection: Connection, table: Table, keys: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    preparer = connection.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(key) for key in keys)
    sql = f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN"
    driver_connection: Any = connection.connection.driver_connection  # a psycopg.Connection
    with driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _utc_stamp(recorded_at: str | None) -> str:
    if recorded_at is None:
        moment = dt.datetime.now(dt.UTC)
    else:
        moment = dt.datetime.fromisoformat(recorded_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

