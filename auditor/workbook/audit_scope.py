"""The audit a workbook's evidence requests come from: of the agencies exported, not more.

An agency's findings, and its systems', rest on its own facts and the organisation's (its
defaults, its policy); no rule compares one agency with another. So exporting one agency's
workbook judges that agency alone — the same findings the whole province's audit gives it
(tests/e2e/test_cli_workbook.py compares them), in a fraction of the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from auditor.engine import evaluate
from auditor.facts import Provenance
from auditor.loading.inventory import LoadedInventory
from auditor.model.results import AuditRun
from auditor.rules import Catalog


def audit_agencies(
    loaded: LoadedInventory,
    catalog: Catalog,
    as_of: dt.date,
    agency_ids: Sequence[str],
    lang: str,
) -> AuditRun:
    wanted = set(agency_ids)
    inventory = loaded.inventory.model_copy(
        update={"agencies": tuple(a for a in loaded.inventory.agencies if a.id in wanted)}
    )
    provenance = Provenance(
        systems=loaded.system_origins,
        agencies=loaded.agency_origins,
        organisation=loaded.organisation_origins,
    )
    return evaluate(inventory, catalog, as_of, provenance=provenance, inputs=loaded.files,
                    lang=lang)
