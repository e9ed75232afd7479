"""What went wrong with the database, as one readable line (StoreError) for the user."""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from auditor.store import migrations
from auditor.store.database import StoreError


def open_error(error: BaseException, name: str, url: URL | None) -> BaseException:
    """What opening a store failed with, as the StoreError to report (others unchanged)."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, migrations.NewerSchemaError):
        return StoreError(
            f"{name}: the history store was made by a newer auditor (schema revision "
            f"{error.revision}; this version knows up to {migrations.head_revision()}); "
            "upgrade auditor to use it"
        )
    if isinstance(error, migrations.ForeignDatabaseError):
        return StoreError(
            f"{name}: has auditor tables but no schema version; not a history store "
            "this program made"
        )
    if _is_database_error(error):
        return StoreError(f"cannot open the history store {name}: {reason(error, url)}")
    return error


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


def reason(error: BaseException, url: URL | None = None) -> str:
    """The driver's message, first line only, without SQLAlchemy's boilerplate."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    reason = text[0].strip() if text else type(original).__name__
    if url is not None and url.password:
        reason = reason.replace(str(url.password), "***")
    return reason
