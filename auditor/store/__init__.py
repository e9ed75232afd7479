"""The audit history store: recorded runs, systems' levels and findings (SQLite or PostgreSQL).

`HistoryStore` (auditor.store.history) opens a store; its queries are in auditor.store.reads,
recording a run in auditor.store.writes, schema upgrades in auditor.store.migrations.
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
