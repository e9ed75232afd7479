"""Reading the history store: runs, one run with its findings, and each system or agency as
the last run of a period saw it (the annual report), streamed in batches."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Select, Table, and_, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Executable

from auditor.messages import Msg
from auditor.store.database import CHUNK, StoreError
from auditor.store.decode import (
    BRIEF_COLUMNS,
    FINDING_COLUMNS,
    DamagedRowError,
    agency_row,
    brief_row,
    finding_row,
    run_row,
    system_row,
)
from auditor.store.errors import cannot_read
from auditor.store.rows import (
    AgencyRow,
    BriefSnapshot,
    FindingBrief,
    FindingRow,
    RunDetail,
    RunRow,
    SystemRow,
    SystemSnapshot,
)
from auditor.store.schema import findings, run_agencies, run_systems, runs

_T = TypeVar("_T")

# The largest run id each database can hold (SQLite: a 64-bit rowid; PostgreSQL: INTEGER).
MAX_RUN_ID = {"sqlite": 2**63 - 1, "postgresql": 2**31 - 1}


class StoreReads:
    """The reading half of HistoryStore (auditor.store.history): every method reads in one
    transaction, and database errors or damaged rows become a StoreError."""

    _engine: Engine
    name: str
    dialect: str

    def runs(
        self,
        *,
        organisation: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[RunRow]:
        """Recorded runs, newest first (by audit date, then by order of recording)."""
        query = select(runs)
        if organisation is not None:
            query = query.where(runs.c.organisation == organisation)
        if since is not None:
            query = query.where(runs.c.as_of >= since)
        if until is not None:
            query = query.where(runs.c.as_of <= until)
        query = query.order_by(runs.c.as_of.desc(), runs.c.id.desc())
        with self._reading() as connection:
            return [run_row(row) for row in connection.execute(query).mappings()]

    def run(self, run_id: int, *, with_findings: bool = True) -> RunDetail | None:
        """One run with its agencies, systems and (unless told not to) every finding; None if
        there is no run `run_id` (also for ids no database column could hold)."""
        if not 0 < run_id <= MAX_RUN_ID[self.dialect]:
            return None
        with self._reading() as connection:
            row = connection.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
            if row is None:
                return None
            agencies = connection.execute(
                select(run_agencies)
                .where(run_agencies.c.run_id == run_id)
                .order_by(run_agencies.c.position)
            ).mappings()
            agency_rows = tuple(agency_row(a) for a in agencies)
            systems = connection.execute(
                select(run_systems)
                .where(run_systems.c.run_id == run_id)
                .order_by(run_systems.c.position)
            ).mappings()
            system_rows = tuple(system_row(s) for s in systems)
            finding_rows: tuple[FindingRow, ...] = ()
            if with_findings:
                finding_rows = tuple(self._findings(connection, run_id))
            return RunDetail(run_row(row), system_rows, finding_rows, agency_rows)

    def findings(
        self,
        run_id: int,
        *,
        system_id: str | None = None,
        rule_id: str | None = None,
        owner_kind: str | None = None,
    ) -> list[FindingRow]:
        """The findings of one run, optionally of one system, one rule or one kind of owner."""
        with self._reading() as connection:
            return list(
                self._findings(
                    connection, run_id, system_id=system_id, rule_id=rule_id, owner_kind=owner_kind
                )
            )

    @staticmethod
    def _findings(
        connection: Connection,
        run_id: int,
        *,
        system_id: str | None = None,
        rule_id: str | None = None,
        owner_kind: str | None = None,
    ) -> Iterator[FindingRow]:
        query = select(findings).where(findings.c.run_id == run_id)
        if system_id is not None:
            query = query.where(findings.c.system_id == system_id)
        if rule_id is not None:
            query = query.where(findings.c.rule_id == rule_id)
        if owner_kind is not None:
            query = query.where(findings.c.owner_kind == owner_kind)
        yield from _finding_rows(connection, query.order_by(findings.c.id))

    def latest_per_system(
        self,
        *,
        until: dt.date,
        since: dt.date | None = None,
        organisation: str | None = None,
        with_findings: bool = True,
    ) -> list[SystemSnapshot]:
        """For the annual report: each system as the LAST run of the period that included it saw it.

        The period is the audit dates (`as_of`) from `since` (inclusive, or the beginning)
        to `until` (inclusive). Among the runs of the period containing a system (of the
        same organisation), the last is the one with the latest `as_of`, ties going to the
        one recorded last; the snapshot holds that run, the system's row in it and the
        system's own findings in it (agency and organisation findings are not included: take
        them from `run()`). A system absent from every run of the period — retired from the
        inventory, or audited only before `since` — has no snapshot. A run of part of an
        inventory (one agency's file) thus updates only its systems. Sorted by organisation,
        then system id.
        """
        if with_findings:
            snapshots = list(
                self.iter_latest_per_system(until=until, since=since, organisation=organisation)
            )
        else:
            latest = _latest(run_systems, "system_id", until, since, organisation)
            with self._reading(snapshot=True) as connection:
                run_rows, systems = _latest_rows(connection, latest)
            snapshots = [
                SystemSnapshot(run_rows[run_id], system, ())
                for (run_id, _), system in systems.items()
            ]
        snapshots.sort(key=lambda s: (s.run.organisation, s.system.system_id))
        return snapshots

    def iter_latest_per_system(
        self,
        *,
        until: dt.date,
        since: dt.date | None = None,
        organisation: str | None = None,
    ) -> Iterator[SystemSnapshot]:
        """`latest_per_system()` with findings, one system at a time, in no particular order.

        For reports over tens of thousands of systems: the system rows (small) are read
        first, then the findings stream ordered by system, and each snapshot is handed out as
        soon as its last finding is read, so memory holds one system's findings rather than
        the million of a whole province. The whole read is one snapshot of the store.
        """
        for run, system, found in self._iter_latest(
            until, since, organisation, FINDING_COLUMNS, finding_row
        ):
            yield SystemSnapshot(run, system, found)

    def iter_latest_briefs(
        self,
        *,
        until: dt.date,
        since: dt.date | None = None,
        organisation: str | None = None,
    ) -> Iterator[BriefSnapshot]:
        """`iter_latest_per_system()` with each finding in brief (no messages, no waiver)."""
        # Briefs are immutable and most repeat exactly across systems (same rule, status and
        # severity, no subject): one object per distinct row, a dict lookup per finding
        # instead of a construction. Rows with a subject (an endpoint, a certificate) are
        # mostly unique and are not kept, so the cache stays as small as the catalog.
        known: dict[tuple[Any, ...], FindingBrief] = {}

        def brief(values: tuple[Any, ...]) -> FindingBrief:
            found = known.get(values)
            if found is None:
                found = brief_row(values)
                if values[1] is None:
                    known[values] = found
            return found

        for run, system, found in self._iter_latest(
            until, since, organisation, BRIEF_COLUMNS, brief
        ):
            yield BriefSnapshot(run, system, found)

    def _iter_latest(
        self,
        until: dt.date,
        since: dt.date | None,
        organisation: str | None,
        columns: tuple[Any, ...],
        make: Callable[[tuple[Any, ...]], _T],
    ) -> Iterator[tuple[RunRow, SystemRow, tuple[_T, ...]]]:
        latest = _latest(run_systems, "system_id", until, since, organisation)
        with self._reading(snapshot=True) as connection:
            run_rows, pending = _latest_rows(connection, latest)
            query = (
                select(findings.c.run_id, findings.c.system_id, *columns)
                .join(
                    latest,
                    and_(
                        findings.c.run_id == latest.c.run_id,
                        findings.c.system_id == latest.c.system_id,
                    ),
                )
                .order_by(findings.c.system_id, findings.c.run_id, findings.c.id)
            )
            current: tuple[int, str] | None = None
            batch: list[_T] = []
            for values in _stream(connection, query):
                key = (values[0], values[1])
                if key != current:
                    if current is not None:
                        yield run_rows[current[0]], pending.pop(current), tuple(batch)
                    current, batch = key, []
                batch.append(make(tuple(values[2:])))
            if current is not None:
                yield run_rows[current[0]], pending.pop(current), tuple(batch)
            for (run_id, _), system in pending.items():  # systems without any finding
                yield run_rows[run_id], system, ()

    def latest_per_agency(
        self,
        *,
        until: dt.date,
        since: dt.date | None = None,
        organisation: str | None = None,
    ) -> list[tuple[RunRow, AgencyRow]]:
        """Each agency as the last run of the period that included it saw it (by agency id)."""
        latest = _latest(run_agencies, "agency_id", until, since, organisation)
        with self._reading(snapshot=True) as connection:
            run_rows = {
                row["id"]: run_row(row)
                for row in connection.execute(
                    select(runs).where(runs.c.id.in_(select(latest.c.run_id).distinct()))
                ).mappings()
            }
            agencies = connection.execute(
                select(run_agencies)
                .join(
                    latest,
                    and_(
                        run_agencies.c.run_id == latest.c.run_id,
                        run_agencies.c.agency_id == latest.c.agency_id,
                    ),
                )
                .order_by(run_agencies.c.agency_id, run_agencies.c.run_id)
            ).mappings()
            return [(run_rows[row["run_id"]], agency_row(row)) for row in agencies]

    def _reading(self, *, snapshot: bool = False) -> _Reading:
        return _Reading(self._engine, self.name, snapshot=snapshot)



class _Reading:
    """A read transaction; database errors become StoreError.

    With `snapshot`, on PostgreSQL the transaction is REPEATABLE READ, so several queries see
    the same runs even while others are being recorded (SQLite: every transaction already
    reads one snapshot).
    """

    def __init__(self, engine: Engine, name: str, *, snapshot: bool) -> None:
        self._engine = engine
        self._name = name
        self._snapshot = snapshot
        self._connection: Connection | None = None

    def __enter__(self) -> Connection:
        try:
            connection = self._engine.connect()
            if self._snapshot and connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            connection.begin()
        except SQLAlchemyError as error:
            raise StoreError(cannot_read(self._name, error)) from error
        self._connection = connection
        return connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        assert self._connection is not None  # noqa: S101
        try:
            self._connection.rollback()  # nothing to keep: reading only
        finally:
            self._connection.close()
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(cannot_read(self._name, exc)) from exc
        if isinstance(exc, json.JSONDecodeError | DamagedRowError):
            name = self._name
            raise StoreError(
                Msg(
                    f"{name}: dữ liệu trong kho lịch sử bị hỏng ({exc}); kho đã bị sửa đổi bên "
                    "ngoài auditor",
                    f"{name}: damaged data in the history store ({exc}); it was changed outside "
                    "auditor",
                )
            ) from exc


def _latest_rows(
    connection: Connection, latest: Any
) -> tuple[dict[int, RunRow], dict[tuple[int, str], SystemRow]]:
    """The runs and system rows `latest` (see `_latest`) points at."""
    run_rows = {
        row["id"]: run_row(row)
        for row in connection.execute(
            select(runs).where(runs.c.id.in_(select(latest.c.run_id).distinct()))
        ).mappings()
    }
    on_latest = and_(
        run_systems.c.run_id == latest.c.run_id, run_systems.c.system_id == latest.c.system_id
    )
    systems = {
        (row["run_id"], row["system_id"]): system_row(row)
        for row in connection.execute(select(run_systems).join(latest, on_latest)).mappings()
    }
    return run_rows, systems


def _latest(
    table: Table,
    key: str,
    until: dt.date,
    since: dt.date | None,
    organisation: str | None,
) -> Any:
    """(run_id, key) of the last run of the period holding each `key` of `table`, per
    organisation: the run with the latest `as_of`, ties going to the one recorded last."""
    ranked = (
        select(
            table.c.run_id,
            table.c[key],
            func.row_number()
            .over(
                partition_by=(runs.c.organisation, table.c[key]),
                order_by=(runs.c.as_of.desc(), runs.c.id.desc()),
            )
            .label("rank"),
        )
        .join(runs, runs.c.id == table.c.run_id)
        .where(runs.c.as_of <= until)
    )
    if since is not None:
        ranked = ranked.where(runs.c.as_of >= since)
    if organisation is not None:
        ranked = ranked.where(runs.c.organisation == organisation)
    ranked_q = ranked.subquery("ranked")
    return (
        select(ranked_q.c.run_id, ranked_q.c[key]).where(ranked_q.c.rank == 1).subquery("latest")
    )



def _finding_rows(connection: Connection, query: Select[Any]) -> Iterator[FindingRow]:
    query = query.with_only_columns(*FINDING_COLUMNS)
    for values in _stream(connection, query):
        yield finding_row(tuple(values))


def _stream(connection: Connection, query: Executable) -> Iterator[Any]:
    """Rows in batches (a server-side cursor on PostgreSQL), so memory holds one batch."""
    result = connection.execute(query, execution_options={"yield_per": CHUNK})
    for batch in result.partitions():
        yield from batch
