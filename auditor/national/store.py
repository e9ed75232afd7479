"""The national store (SQLite or PostgreSQL): imported submissions and their systems.

    with NationalStore.open(url) as store:             # created on first use
        store.find(sha256)                              # already imported?
        store.record(new, figures_json, system_lines)   # one transaction
    with NationalStore.open_reader(url) as store:      # nothing created or written
        store.submissions(2026)                         # per province, the counted one first
        for row in store.system_rows(2026): ...         # streamed, never a list

Opening, engines and URLs are the history store's (`auditor.store.database`): the same SQLite
settings (WAL, `BEGIN IMMEDIATE` for writers) and the same PostgreSQL driver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from auditor.messages import Msg
from auditor.national import schema
from auditor.report.annual.figures import SystemLine
from auditor.report.national.figures import SubmissionInfo
from auditor.store.database import (
    CHUNK,
    WRITE,
    StoreError,
    database_url,
    display_name,
    make_engine,
    parse_url,
)
from auditor.store.errors import no_driver, reason

_PG_LOCK_KEY = 0x6E6174696F6E616C  # "national": the advisory lock held while creating
_S = schema.submissions
_Y = schema.systems


@dataclass(frozen=True, slots=True)
class NewSubmission:
    province_id: str
    year: int
    sha256: str
    file_name: str
    signer: str | None
    signed_at: dt.datetime | None
    imported_at: dt.datetime
    organisation: str
    organisation_name: str
    run_id: str
    systems: int
    verification: dict[str, Any]


class DuplicateSubmissionError(Exception):
    """Another import recorded the same bundle at the same moment."""


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _failed(name: str, error: BaseException) -> StoreError:
    why = reason(error)
    return StoreError(
        Msg(f"kho quốc gia {name}: {why}", f"national store {name}: {why}")
    )


def _nothing_imported(name: str) -> Msg:
    return Msg(
        f"{name}: không có kho quốc gia: chưa có hồ sơ nào được nhập vào đó (auditor national "
        "import)",
        f"{name}: no national store: nothing was imported there yet (auditor national import)",
    )


class NationalStore:
    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = engine
        self.name = name

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, location: str) -> NationalStore:
        """Open the store at a path or URL, creating its tables if they are not there."""
        url = parse_url(database_url(location))
        name = display_name(url)
        try:
            engine = make_engine(url)
        except ImportError as error:
            raise StoreError(no_driver(name, error)) from error
        try:
            with engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    if connection.dialect.name == "postgresql":
                        connection.execute(
                            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
                        )
                    if _version(connection, name) is None:
                        schema.metadata.create_all(connection)
                        connection.execute(
                            schema.version.insert().values(version=schema.SCHEMA_VERSION)
                        )
        except StoreError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as error:
            engine.dispose()
            raise _failed(name, error) from error
        return cls(engine, name)

    @classmethod
    def open_reader(cls, location: str) -> NationalStore:
        """Open an existing store to read it; a missing or empty one is an error."""
        url = parse_url(database_url(location, create=False))
        name = display_name(url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            raise StoreError(_nothing_imported(name))
        try:
            engine = make_engine(url, read_only=True)
        except ImportError as error:
            raise StoreError(no_driver(name, error)) from error
        try:
            with engine.connect() as connection:
                found = _version(connection, name)
                connection.rollback()
        except StoreError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as error:
            engine.dispose()
            raise _failed(name, error) from error
        if found is None:
            engine.dispose()
            raise StoreError(_nothing_imported(name))
        return cls(engine, name)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------

    def find(self, sha256: str) -> SubmissionInfo | None:
        """The submission of a bundle with these bytes, if it was imported before."""
        with self._reading() as connection:
            row = connection.execute(select(*_COLUMNS).where(_S.c.sha256 == sha256)).first()
        return None if row is None else _info(row._mapping, counted=False)

    def record(
        self, new: NewSubmission, figures: dict[str, Any], lines: Iterable[SystemLine]
    ) -> int:
        """Record one submission and its systems in one transaction; its id."""
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    submission_id = _insert_submission(connection, new, figures)
                    batch: list[dict[str, Any]] = []
                    for line in lines:
                        batch.append(_system_row(submission_id, line))
                        if len(batch) >= CHUNK:
                            connection.execute(_Y.insert(), batch)
                            batch = []
                    if batch:
                        connection.execute(_Y.insert(), batch)
        except IntegrityError as error:
            raise DuplicateSubmissionError(new.sha256) from error
        except (SQLAlchemyError, OSError) as error:
            raise _failed(self.name, error) from error
        return submission_id

    # -- reading ----------------------------------------------------------------------------

    def submissions(self, year: int) -> list[list[SubmissionInfo]]:
        """The year's submissions per province (by province id), the counted one first: the
        latest signed, then the latest imported (a submission signed at no known time comes
        after every one that was)."""
        query = select(*_COLUMNS).where(_S.c.year == year).order_by(_S.c.province_id)
        with self._reading() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        by_province: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_province.setdefault(row["province_id"], []).append(row)
        out = []
        for group in by_province.values():
            group.sort(
                key=lambda r: (r["signed_at"] is not None, r["signed_at"] or "",
                               r["imported_at"], r["id"]),
                reverse=True,
            )  # fmt: skip
            out.append([_info(r, counted=i == 0) for i, r in enumerate(group)])
        return out

    def figures(self, submission_id: int) -> dict[str, Any]:
        """A submission's annual figures as recorded (the province's, without systems)."""
        with self._reading() as connection:
            value = connection.execute(
                select(_S.c.figures).where(_S.c.id == submission_id)
            ).scalar_one()
        return value  # type: ignore[no-any-return]

    def system_rows(self, submission_ids: Iterable[int]) -> Iterator[dict[str, Any]]:
        """The systems of these submissions, by submission then agency and system, streamed
        from a server-side cursor in batches of CHUNK rows."""
        ids = list(submission_ids)
        if not ids:
            return
        query = (
            select(_Y.c.submission_id, _Y.c.agency_id, _Y.c.system_id, _Y.c.name,
                   _Y.c.effective_level, _Y.c.governing_regime, _Y.c.dossier_status,
                   _Y.c.score, _Y.c.open_critical_high, _Y.c.kpis)
            .where(_Y.c.submission_id.in_(ids))
            .order_by(_Y.c.submission_id, _Y.c.agency_id, _Y.c.system_id)
        )  # fmt: skip
        with self._reading() as connection:
            result = connection.execution_options(yield_per=CHUNK).execute(query)
            for row in result:
                yield dict(row._mapping)

    def _reading(self) -> _Reading:
        return _Reading(self._engine, self.name)


class _Reading:
    """A read transaction whose database errors become one readable StoreError."""

    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = engine
        self._name = name
        self._connection: Connection | None = None

    def __enter__(self) -> Connection:
        try:
            self._connection = self._engine.connect()
        except (SQLAlchemyError, OSError) as error:
            raise _failed(self._name, error) from error
        return self._connection

    def __exit__(
        self,
        _type: type[BaseException] | None,
        value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        assert self._connection is not None  # noqa: S101 - set by __enter__
        self._connection.close()
        if isinstance(value, SQLAlchemyError):
            raise _failed(self._name, value) from value


_COLUMNS = (
    _S.c.id, _S.c.province_id, _S.c.year, _S.c.sha256, _S.c.file_name, _S.c.signer,
    _S.c.signed_at, _S.c.imported_at, _S.c.organisation, _S.c.organisation_name, _S.c.systems,
    _S.c.verification,
)  # fmt: skip


def _version(connection: Connection, name: str) -> int | None:
    """The store's schema version; None for an empty database. Refuses a newer store and a
    database whose national tables have no version."""
    tables = set(inspect(connection).get_table_names())
    if schema.version.name not in tables:
        if tables & {_S.name, _Y.name}:
            raise StoreError(
                Msg(
                    f"{name}: có bảng national_ nhưng không có phiên bản lược đồ; không phải "
                    "kho quốc gia do auditor tạo",
                    f"{name}: has national_ tables but no schema version; not a national "
                    "store auditor made",
                )
            )
        return None
    found = connection.execute(select(schema.version.c.version)).scalar()
    if found is None or found > schema.SCHEMA_VERSION:
        raise StoreError(
            Msg(
                f"{name}: kho quốc gia được tạo bởi một phiên bản auditor mới hơn (lược đồ "
                f"{found}); hãy nâng cấp auditor",
                f"{name}: the national store was made by a newer auditor (schema {found}); "
                "upgrade auditor",
            )
        )
    return int(found)


def _insert_submission(connection: Connection, new: NewSubmission, figures: dict[str, Any]) -> int:
    result = connection.execute(
        _S.insert().values(
            province_id=new.province_id,
            year=new.year,
            sha256=new.sha256,
            file_name=new.file_name,
            signer=new.signer,
            signed_at=_iso(new.signed_at),
            imported_at=_iso(new.imported_at),
            organisation=new.organisation,
            organisation_name=new.organisation_name,
            run_id=new.run_id,
            systems=new.systems,
            verification=new.verification,
            figures=figures,
        )
    )
    key = result.inserted_primary_key
    assert key is not None  # noqa: S101 - an INSERT of one row
    return int(key[0])


def _system_row(submission_id: int, line: SystemLine) -> dict[str, Any]:
    register = line.register
    return {
        "submission_id": submission_id,
        "agency_id": line.agency_id,
        "system_id": line.system_id,
        "name": line.name,
        "effective_level": line.effective_level,
        "governing_regime": line.governing_regime,
        "dossier_status": register.dossier_status if register is not None else None,
        "score": line.score,
        "score_earned": line.points[0],
        "score_possible": line.points[1],
        "open_critical_high": line.open_by_severity.get("critical", 0)
        + line.open_by_severity.get("high", 0),
        "kpis": {key: str(status) for key, status in line.kpis.items()},
    }


def _info(row: Any, *, counted: bool) -> SubmissionInfo:
    imported = _moment(row["imported_at"])
    assert imported is not None  # noqa: S101 - NOT NULL
    return SubmissionInfo(
        id=row["id"],
        province_id=row["province_id"],
        year=row["year"],
        sha256=row["sha256"],
        file_name=row["file_name"],
        signer=row["signer"],
        signed_at=_moment(row["signed_at"]),
        imported_at=imported,
        organisation=row["organisation"],
        organisation_name=row["organisation_name"],
        systems=row["systems"],
        counted=counted,
        revocation=_revocation_status(row["verification"]),
    )


def _revocation_status(verification: Any) -> str | None:
    """The signer's revocation status recorded at import; None in a summary without it."""
    found = verification.get("revocation") if isinstance(verification, dict) else None
    status = found.get("status") if isinstance(found, dict) else None
    return status if isinstance(status, str) else None
