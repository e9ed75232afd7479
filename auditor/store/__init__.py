"""The audit history store: recorded runs, systems' levels and findings (SQLite or PostgreSQL).

See `auditor.store.history` for the API and `auditor.store.migrations` for schema upgrades.
"""

from auditor.store.database import DB_ENV, StoreError, database_url, default_location
from auditor.store.history import HistoryStore
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

__all__ = [
    "DB_ENV",
    "AgencyRow",
    "BriefSnapshot",
    "FindingBrief",
    "FindingRow",
    "HistoryStore",
    "RunDetail",
    "RunRow",
    "StoreError",
    "SystemRow",
    "SystemSnapshot",
    "database_url",
    "default_location",
]
