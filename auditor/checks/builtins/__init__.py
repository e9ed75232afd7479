"""Checks too specific for the generic kinds, written in Python and named by rules.

The registry is a read-only mapping built from literals: adding a builtin means adding a
function and one entry. Each function is pure: it reads the EvalContext and returns an Outcome.

Grouped by what they judge: levels (the level dossier and its approval), governance (people,
budget, independent assessment), exposure (services found by a port scan), revocation (an
endpoint certificate's revocation status).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping

from auditor.checks.builtins.exposure import service_version_supported
from auditor.checks.builtins.governance import (
    assessor_independent,
    budget_plan_appraised,
    budget_share,
    operators_certified,
)
from auditor.checks.builtins.levels import (
    appraisal_independent,
    approver_competent,
    dossier_complete,
    level_not_below_computed,
    transition_deadlines,
)
from auditor.checks.builtins.revocation import revocation_status
from auditor.checks.context import EvalContext, Outcome

BUILTINS: Mapping[str, Callable[[EvalContext], Outcome]] = types.MappingProxyType(
    {
        "level_not_below_computed": level_not_below_computed,
        "dossier_complete": dossier_complete,
        "approver_competent": approver_competent,
        "appraisal_independent": appraisal_independent,
        "transition_deadlines": transition_deadlines,
        "assessor_independent": assessor_independent,
        "budget_share": budget_share,
        "budget_plan_appraised": budget_plan_appraised,
        "operators_certified": operators_certified,
        "service_version_supported": service_version_supported,
        "revocation_status": revocation_status,
    }
)
