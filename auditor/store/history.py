"""The audit history store: every recorded run, its systems' levels and all its findings.

    with HistoryStore.open() as store:          # $AUDITOR_DB or ~/.local/share/auditor/…
        run_id = store.record(run, inventory="inventories/example-province")
        for row in store.runs(organisation="tinh-an-binh"):
            ...

By default an SQLite file (`default_location()`); a `postgresql://…` URL gives the same store
on PostgreSQL through the same code (SQLAlchemy Core, psycopg 3). `open()` creates the schema
or upgrades it to this version's head (Alembic, `auditor.store.migrations`) and refuses a
store made by a newer auditor.

`record()` writes a run in ONE transaction: the run row, its agencies, its systems and every
finding (bulk inserts of `CHUNK` rows). A process killed meanwhile leaves nothing: the
transaction is never committed, and the next connection rolls the journal back. Concurrent
writers queue on the database's write lock (SQLite: `BEGIN IMMEDIATE` with a busy timeout;
PostgreSQL: row-level locking, nothing shared is updated), so runs recorded at the same time
are all complete.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Connection, Engine, Select, Table, and_, func, insert, select
from sqlalchemy.engine import URL, RowMapping
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Executable

from auditor.messages import Msg
from auditor.model.results import (
    AuditRun,
    BodyResult,
    Finding,
    InputFile,
    Obligation,
    OpenCriterionOut,
    Severity,
    Status,
    StatusCounts,
    Summary,
    SystemResult,
    WaiverNote,
)
from auditor.store import codec, migrations
from auditor.store.database import (
    WRITE,
    StoreError,
    database_url,
    default_location,
    display_name,
    make_engine,
    not_a_store,
    parse_url,
    writable_location,
)
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

CHUNK = 5_000  # findings per INSERT batch: bounded memory, few round trips
# The largest run id each database can hold (SQLite: a 64-bit rowid; PostgreSQL: INTEGER).
MAX_RUN_ID = {"sqlite": 2**63 - 1, "postgresql": 2**31 - 1}

# StatusCounts field -> the Status value it counts, the keys of every `counts` dict.
_COUNT_KEYS = {
    "passed": Status.PASS.value,
    "failed": Status.FAIL.value,
    "manual": Status.MANUAL.value,
    "not_applicable": Status.NOT_APPLICABLE.value,
    "error": Status.ERROR.value,
    "waived": Status.WAIVED.value,
}


class HistoryStore:
    """An open history store. Use `HistoryStore.open()`; close it (or use `with`)."""

    def __init__(
        self, engine: Engine, name: str, cleanup: Callable[[], None] | None = None
    ) -> None:
        self._engine = engine
        self.name = name  # the file, or the URL without its password, for messages
        self.dialect = engine.dialect.name  # "sqlite" | "postgresql"
        self._cleanup = cleanup

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, location: str | None = None, *, must_exist: bool = False) -> HistoryStore:
        """Open (creating or upgrading) the store at a path or URL; default_location() if None.

        `must_exist`: an SQLite file that does not exist is an error instead of a new store.
        """
        where = location if location is not None else default_location()
        url = parse_url(database_url(where, must_exist=must_exist))
        name = display_name(url)
        try:
            engine = make_engine(url)
        except ImportError as error:
            raise StoreError(_no_driver(name, error)) from error
        try:
            migrations.upgrade(engine)
        except BaseException as error:
            engine.dispose()
            raise _open_error(error, name, url) from error
        return cls(engine, name)

    @classmethod
    def check_writable(cls, location: str | None = None) -> None:
        """Fail now (StoreError) where recording into the store would surely fail later: an
        SQLite file or folder that cannot be written, a file that is not a store of this
        auditor's, a server that cannot be reached. Creates and writes nothing."""
        where = location if location is not None else default_location()
        url = parse_url(database_url(where, create=False))
        name = display_name(url)
        writable_location(url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            return  # a new store: its folder can be written
        try:
            engine = make_engine(url, read_only=True)
        except ImportError as error:
            raise StoreError(_no_driver(name, error)) from error
        try:
            with engine.connect() as connection:
                migrations.needs_upgrade(connection)
                connection.rollback()
        except BaseException as error:
            raise _open_error(error, name, url) from error
        finally:
            engine.dispose()

    @classmethod
    def open_reader(cls, location: str | None = None) -> HistoryStore:
        """Open an existing store to read it: nothing is created, upgraded or written.

        A store that does not exist is an error (StoreError). A store recorded by an older
        auditor is read through an upgraded private copy (SQLite: a temporary file, removed
        on close); on PostgreSQL it is refused until an audit records into it (which
        upgrades it), since a reader may not change the schema.
        """
        where = location if location is not None else default_location()
        url = parse_url(database_url(where, must_exist=True))
        name = display_name(url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            raise StoreError(not_a_store(name))
        try:
            engine = make_engine(url, read_only=True)
        except ImportError as error:
            raise StoreError(_no_driver(name, error)) from error
        try:
            with engine.connect() as connection:
                behind = migrations.needs_upgrade(connection)
                connection.rollback()
        except BaseException as error:
            engine.dispose()
            raise _open_error(error, name, url) from error
        if not behind:
            return cls(engine, name)
        try:
            if url.get_backend_name() != "sqlite":
                raise StoreError(
                    Msg(
                        f"{name}: kho lịch sử được ghi bởi một phiên bản auditor cũ hơn; lần "
                        "chạy `auditor audit` tiếp theo ghi vào kho sẽ nâng cấp nó, sau đó mới "
                        "đọc được",
                        f"{name}: the history store was recorded by an older auditor; the next "
                        "`auditor audit` recording into it upgrades it, then it can be read",
                    )
                )
            return cls._upgraded_copy(engine, name)
        finally:
            engine.dispose()

    @classmethod
    def _upgraded_copy(cls, engine: Engine, name: str) -> HistoryStore:
        """A private copy of an SQLite store, upgraded to this auditor's schema."""
        fd, temp_name = tempfile.mkstemp(prefix="auditor-history-", suffix=".sqlite")
        os.close(fd)
        copy = Path(temp_name)

        def remove() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

        try:
            source = engine.raw_connection()
            try:
                target = sqlite3.connect(copy)
                try:
                    source.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            finally:
                source.close()
            copy_url = parse_url(database_url(str(copy)))
            copied = make_engine(copy_url)
            try:
                migrations.upgrade(copied)
            except BaseException:
                copied.dispose()
                raise
        except BaseException as error:
            remove()
            raise _open_error(error, name, None) from error
        return cls(copied, name, remove)

    def close(self) -> None:
        self._engine.dispose()
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

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
            reason = _reason(error)
            raise StoreError(
                Msg(
                    f"{self.name}: lần đánh giá chưa được ghi lại: {reason}",
                    f"{self.name}: the run was not recorded: {reason}",
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
            "register": codec.body_register_value(run.organisation.register),
            **_summary_values(run.summary),
        }
        result = connection.execute(insert(runs).values(values))
        key = result.inserted_primary_key
        assert key is not None  # noqa: S101 - an INSERT always has one
        return int(key[0])

    # -- reading ---------------------------------------------------------------------------

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
            return [_run_row(row) for row in connection.execute(query).mappings()]

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
            agency_rows = tuple(_agency_row(a) for a in agencies)
            systems = connection.execute(
                select(run_systems)
                .where(run_systems.c.run_id == run_id)
                .order_by(run_systems.c.position)
            ).mappings()
            system_rows = tuple(_system_row(s) for s in systems)
            finding_rows: tuple[FindingRow, ...] = ()
            if with_findings:
                finding_rows = tuple(self._findings(connection, run_id))
            return RunDetail(_run_row(row), system_rows, finding_rows, agency_rows)

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
            until, since, organisation, _FINDING_COLUMNS, _finding
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
                found = _brief(values)
                if values[1] is None:
                    known[values] = found
            return found

        for run, system, found in self._iter_latest(
            until, since, organisation, _BRIEF_COLUMNS, brief
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
                row["id"]: _run_row(row)
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
            return [(run_rows[row["run_id"]], _agency_row(row)) for row in agencies]

    def _reading(self, *, snapshot: bool = False) -> _Reading:
        return _Reading(self, snapshot=snapshot)

    @property
    def engine(self) -> Engine:
        return self._engine


class _Reading:
    """A read transaction; database errors become StoreError.

    With `snapshot`, on PostgreSQL the transaction is REPEATABLE READ, so several queries see
    the same runs even while others are being recorded (SQLite: every transaction already
    reads one snapshot).
    """

    def __init__(self, store: HistoryStore, *, snapshot: bool) -> None:
        self._store = store
        self._snapshot = snapshot
        self._connection: Connection | None = None

    def __enter__(self) -> Connection:
        try:
            connection = self._store.engine.connect()
            if self._snapshot and connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            connection.begin()
        except SQLAlchemyError as error:
            raise StoreError(_cannot_read(self._store.name, error)) from error
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
            raise StoreError(_cannot_read(self._store.name, exc)) from exc
        if isinstance(exc, json.JSONDecodeError | DamagedRowError):
            name = self._store.name
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
        row["id"]: _run_row(row)
        for row in connection.execute(
            select(runs).where(runs.c.id.in_(select(latest.c.run_id).distinct()))
        ).mappings()
    }
    on_latest = and_(
        run_systems.c.run_id == latest.c.run_id, run_systems.c.system_id == latest.c.system_id
    )
    systems = {
        (row["run_id"], row["system_id"]): _system_row(row)
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


# -- run → rows -------------------------------------------------------------------------------


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


def _agency_values(run_id: int, position: int, agency: BodyResult) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "agency_id": agency.id,
        "position": position,
        "name": agency.name,
        "systems": list(agency.systems),
        "register": codec.body_register_value(agency.register),
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


# -- rows → dataclasses -----------------------------------------------------------------------


class DamagedRowError(Exception):
    """A stored row does not have the shape this auditor wrote (changed outside auditor)."""


_Converted = TypeVar("_Converted")


def _decoded(convert: Callable[[Any], _Converted]) -> Callable[[Any], _Converted]:
    """`convert`, with a row of the wrong shape reported as DamagedRowError (not a traceback)."""

    @functools.wraps(convert)
    def decode(row: Any) -> _Converted:
        try:
            return convert(row)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            what = convert.__name__.strip("_").replace("_", " ")
            raise DamagedRowError(f"{what}: {type(error).__name__}: {error}") from error

    return decode


def _points(row: RowMapping) -> dict[str, Any]:
    return {
        "counts": dict(row["counts"]),
        "score": row["score"],
        "score_without_waivers": row["score_without_waivers"],
        "points": (row["score_earned"], row["score_possible"]),
        "points_without_waivers": (
            row["score_without_waivers_earned"],
            row["score_without_waivers_possible"],
        ),
        "by_severity": dict(row["by_severity"]),
        "expired_waivers": row["expired_waivers"],
        "gate_blocked": bool(row["gate_blocked"]),
    }


@_decoded
def _run_row(row: RowMapping) -> RunRow:
    return RunRow(
        id=row["id"],
        recorded_at=row["recorded_at"],
        as_of=row["as_of"],
        inventory=row["inventory"],
        organisation=row["organisation"],
        organisation_name=row["organisation_name"],
        tool_version=row["tool_version"],
        schema_version=row["schema_version"],
        live=bool(row["live"]),
        systems=row["systems"],
        findings=row["findings"],
        lang=row["lang"],
        rules=row["rules"],
        observed_at=row["observed_at"],
        inputs=tuple(InputFile(i["path"], i["kind"], i["sha256"]) for i in row["inputs"]),
        register=codec.body_register(row["register"]),
        **_points(row),
    )


@_decoded
def _agency_row(row: RowMapping) -> AgencyRow:
    return AgencyRow(
        agency_id=row["agency_id"],
        name=row["name"],
        systems=tuple(row["systems"]),
        register=codec.body_register(row["register"]),
        **_points(row),
    )


def _stored_upper(value: Any) -> dict[str, int] | None:
    """The stored upper bounds; None for runs recorded before revision 0003."""
    if value is None:
        return None
    return {str(regime): int(level) for regime, level in value.items()}


def _stored_undecided(value: Any) -> dict[str, tuple[OpenCriterionOut, ...]] | None:
    if value is None:
        return None
    return {
        str(regime): tuple(
            OpenCriterionOut(
                id=str(c["id"]),
                level=int(c["level"]),
                reference=str(c["reference"]),
                component=c["component"],
                unknown=tuple(str(name) for name in c["unknown"]),
            )
            for c in entries
        )
        for regime, entries in value.items()
    }


@_decoded
def _system_row(row: RowMapping) -> SystemRow:
    return SystemRow(
        system_id=row["system_id"],
        agency_id=row["agency_id"],
        name=row["name"],
        lifecycle=row["lifecycle"],
        system_type=row["system_type"],
        declared=row["declared"],
        approved=row["approved"],
        effective=row["effective"],
        computed=dict(row["computed"]),
        governing_regime=row["governing_regime"],
        criteria={regime: tuple(ids) for regime, ids in row["criteria"].items()},
        register=codec.system_register(row["register"]),
        upper=_stored_upper(row["upper"]),
        undecided=_stored_undecided(row["undecided"]),
        **_points(row),
    )


_FINDING_COLUMNS = (
    findings.c.finding_id,
    findings.c.rule_id,
    findings.c.owner,
    findings.c.owner_kind,
    findings.c.system_id,
    findings.c.agency_id,
    findings.c.subject,
    findings.c.status,
    findings.c.measured_status,
    findings.c.severity,
    findings.c.rule_group,
    findings.c.obligation,
    findings.c.gate,
    findings.c.message_vi,
    findings.c.message_en,
    findings.c.waiver,
)


_BRIEF_COLUMNS = (
    findings.c.rule_id,
    findings.c.subject,
    findings.c.status,
    findings.c.measured_status,
    findings.c.severity,
    findings.c.rule_group,
    findings.c.obligation,
)

_STATUS = {s.value: s for s in Status}
_SEVERITY = {s.value: s for s in Severity}
_OBLIGATION = {o.value: o for o in Obligation}


@_decoded
def _finding(values: tuple[Any, ...]) -> FindingRow:
    (fid, rule, owner, kind, system, agency, subject, status, measured, severity, group,
     obligation, gate, vi, en, waiver) = values  # fmt: skip
    return FindingRow(
        finding_id=fid,
        rule_id=rule,
        owner=owner,
        owner_kind=kind,
        system_id=system,
        agency_id=agency,
        subject=subject,
        status=_STATUS[status],
        measured_status=_STATUS[measured],
        severity=_SEVERITY[severity],
        group=group,
        obligation=_OBLIGATION[obligation],
        gate=bool(gate),
        message_vi=vi,
        message_en=en,
        waiver=None if waiver is None else _waiver(waiver),
    )


@_decoded
def _brief(values: tuple[Any, ...]) -> FindingBrief:
    rule, subject, status, measured, severity, group, obligation = values
    return FindingBrief(
        rule_id=rule,
        subject=subject,
        status=_STATUS[status],
        measured_status=_STATUS[measured],
        severity=_SEVERITY[severity],
        group=group,
        obligation=_OBLIGATION[obligation],
    )


def _waiver(value: Mapping[str, Any]) -> WaiverNote:
    return WaiverNote(
        reason=value["reason"],
        approver=value["approver"],
        decision=value["decision"],
        expires=dt.date.fromisoformat(value["expires"]),
        expired=bool(value["expired"]),
    )


def _finding_rows(connection: Connection, query: Select[Any]) -> Iterator[FindingRow]:
    query = query.with_only_columns(*_FINDING_COLUMNS)
    for values in _stream(connection, query):
        yield _finding(tuple(values))


def _stream(connection: Connection, query: Executable) -> Iterator[Any]:
    """Rows in batches (a server-side cursor on PostgreSQL), so memory holds one batch."""
    result = connection.execute(query, execution_options={"yield_per": CHUNK})
    for batch in result.partitions():
        yield from batch


def _open_error(error: BaseException, name: str, url: URL | None) -> BaseException:
    """What opening a store failed with, as the StoreError to report (others unchanged)."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, migrations.NewerSchemaError):
        revision, head = error.revision, migrations.head_revision()
        return StoreError(
            Msg(
                f"{name}: kho lịch sử được tạo bởi một phiên bản auditor mới hơn (phiên bản "
                f"lược đồ {revision}; phiên bản này chỉ biết tới {head}); hãy nâng cấp auditor "
                "để dùng kho này",
                f"{name}: the history store was made by a newer auditor (schema revision "
                f"{revision}; this version knows up to {head}); upgrade auditor to use it",
            )
        )
    if isinstance(error, migrations.ForeignDatabaseError):
        return StoreError(
            Msg(
                f"{name}: có các bảng của auditor nhưng không có phiên bản lược đồ; không phải "
                "kho lịch sử do chương trình này tạo",
                f"{name}: has auditor tables but no schema version; not a history store "
                "this program made",
            )
        )
    if _is_database_error(error):
        reason = _reason(error, url)
        return StoreError(
            Msg(
                f"không mở được kho lịch sử {name}: {reason}",
                f"cannot open the history store {name}: {reason}",
            )
        )
    return error


def _no_driver(name: str, error: ImportError) -> Msg:
    driver = error.name or str(error)
    return Msg(
        f"{name}: chưa cài trình điều khiển cơ sở dữ liệu ({driver})",
        f"{name}: the database driver is not installed ({driver})",
    )


def _cannot_read(name: str, error: BaseException) -> Msg:
    reason = _reason(error)
    return Msg(f"{name}: không đọc được: {reason}", f"{name}: cannot read: {reason}")


def _is_database_error(error: BaseException) -> bool:
    if isinstance(error, SQLAlchemyError):
        return True
    # Errors raised by the DB-API inside a connect hook (e.g. "file is not a database")
    # reach us unwrapped.
    return any(
        klass.__name__ in ("DatabaseError", "OperationalError", "InterfaceError")
        and klass.__module__.split(".")[0] in ("sqlite3", "psycopg")
        for klass in type(error).__mro__
    )


def _reason(error: BaseException, url: URL | None = None) -> str:
    """The driver's message, first line only, without SQLAlchemy's boilerplate."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    reason = text[0].strip() if text else type(original).__name__
    if url is not None and url.password:
        reason = reason.replace(str(url.password), "***")
    return reason
