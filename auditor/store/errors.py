"""What went wrong with the database, as one readable line (StoreError) for the user."""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from auditor.messages import Msg
from auditor.store import migrations
from auditor.store.database import StoreError


def open_error(error: BaseException, name: str, url: URL | None) -> BaseException:
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
        why = reason(error, url)
        return StoreError(
            Msg(
                f"không mở được kho lịch sử {name}: {why}",
                f"cannot open the history store {name}: {why}",
            )
        )
    return error


def no_driver(name: str, error: ImportError) -> Msg:
    """A store whose database driver is not installed."""
    driver = error.name or str(error)
    return Msg(
        f"{name}: chưa cài trình điều khiển cơ sở dữ liệu ({driver})",
        f"{name}: the database driver is not installed ({driver})",
    )


def cannot_read(name: str, error: BaseException) -> Msg:
    """A store that could not be read, and the driver's reason."""
    why = reason(error)
    return Msg(f"{name}: không đọc được: {why}", f"{name}: cannot read: {why}")


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
