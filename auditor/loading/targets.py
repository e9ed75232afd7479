"""Read the annual report's targets file (`auditor report annual --targets FILE`)."""

from __future__ import annotations

from pathlib import Path

from auditor.loading.safe_yaml import Limits, load_yaml_file
from auditor.loading.validation import validate
from auditor.model.targets import TargetsFile

# A targets file is a dozen lines; anything large is a mistake, not a province's plan.
_LIMITS = Limits(max_bytes=1024 * 1024, max_depth=16, max_nodes=10_000)


def load_targets(path: Path) -> TargetsFile:
    """The targets file at `path`, or an InputError naming the file, line and field."""
    data, _ = load_yaml_file(path, _LIMITS)
    return validate(TargetsFile, data if data is not None else {}, str(path))
