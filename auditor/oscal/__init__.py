"""OSCAL export: the rule catalog as an OSCAL catalog, an audit run as OSCAL assessment results.

Pure mapping from auditor's own types to OSCAL JSON documents (plain dicts, ready for
`json.dumps`): no file, database or terminal here. The CLI (auditor.cli.export) reads the
checklists, the results JSON or the history store and writes the document. See docs/oscal.md.
"""

from auditor.oscal.catalog import CatalogSource, build_catalog
from auditor.oscal.common import AUDITOR_NS, OSCAL_VERSION, control_id, document_bytes
from auditor.oscal.results import assessment_results_chunks, build_assessment_results
from auditor.oscal.run_view import FindingView, RunView, view_of_detail, view_of_run

__all__ = [
    "AUDITOR_NS",
    "OSCAL_VERSION",
    "CatalogSource",
    "FindingView",
    "RunView",
    "assessment_results_chunks",
    "build_assessment_results",
    "build_catalog",
    "control_id",
    "document_bytes",
    "view_of_detail",
    "view_of_run",
]
