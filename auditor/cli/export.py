"""export oscal catalog / results: the rule catalog and an audit run as OSCAL documents."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor.cli.options import WARNING, as_paths, checklist_option, db_option, lang_option
from auditor.messages import Msg

if TYPE_CHECKING:
    from auditor.oscal import RunView

# A RUN that is a whole number is a history store run id; anything else is a results file
# (write ./3 for a file named 3).
_RUN_ID = re.compile(r"^[0-9]{1,19}$")

output_option = click.option(
    "-o", "--output", metavar="FILE", default="-", show_default=True,
    help="Where to write the OSCAL JSON document ('-': standard output).",
)


@click.group()
def export() -> None:
    """Export the rule catalog and audit results in formats other tools read."""


@export.group()
def oscal() -> None:
    """OSCAL (NIST's Open Security Controls Assessment Language) JSON documents."""


def _write(option_value: str, data: bytes | Iterable[bytes], inputs: list[Path]) -> None:
    from auditor.report.outputs import Staging, plan_outputs

    plan = plan_outputs([("--output", option_value)], inputs=inputs)
    with Staging(plan) as staged:
        staged.write(plan[0], data)
        staged.commit()


@oscal.command("catalog")
@checklist_option
@output_option
@lang_option
def oscal_catalog(checklists: tuple[str, ...], output: str, lang: str) -> None:
    """The rule catalog (shipped checklists plus --checklist ones) as an OSCAL catalog: a
    group per checklist, a control per rule with its per-level parameters and references.
    --lang chooses the prose; the other language is kept in auditor's namespace."""
    from auditor.loading.catalog import load_catalog_files
    from auditor.oscal import CatalogSource, build_catalog, document_bytes
    from auditor.resources import shipped_dir

    paths = [shipped_dir("checklists"), *as_paths(checklists)]
    files, inputs = load_catalog_files(paths)
    sources = [
        CatalogSource(path, found.sha256, checklist)
        for (path, checklist), found in zip(files, inputs, strict=True)
    ]
    data = document_bytes(build_catalog(sources, lang))
    _write(output, data, [Path(i.path) for i in inputs])


_NO_EVIDENCE = Msg(
    "sổ lịch sử không lưu bằng chứng của phát hiện, cũng như các xác nhận không được sử "
    "dụng: để có chúng, hãy xuất từ tệp kết quả JSON của lần đánh giá (auditor audit --json)",
    "the history store keeps neither the findings' evidence nor the attestations no rule "
    "reads: export the run's JSON results file (auditor audit --json) for them",
)


def _from_store(run_id: int, db: str | None) -> tuple[RunView, list[Path]]:
    from auditor.oscal import view_of_detail
    from auditor.store import HistoryStore
    from auditor.store.database import store_file

    with HistoryStore.open_reader(db) as store:
        detail = store.run(run_id)
        if detail is None:
            raise click.BadParameter(f"no run {run_id} in {store.name}", param_hint="RUN")
    where = store_file(db)
    return view_of_detail(detail), [where] if where else []


def _from_file(path: Path) -> RunView:
    from auditor.messages import cannot_read, os_error
    from auditor.oscal import view_of_run
    from auditor.report.json_in import ResultsError, results_from_bytes

    try:
        data = path.read_bytes()
    except OSError as error:
        from auditor.errors import Location

        raise ResultsError(Location(str(path)), cannot_read(os_error(error))) from error
    run = results_from_bytes(data, str(path))
    return view_of_run(run, f"results\x1f{hashlib.sha256(data).hexdigest()}")


@oscal.command("results")
@click.argument("run", metavar="RUN|RESULTS.json")
@db_option
@output_option
@lang_option
def oscal_results(run: str, db: str | None, output: str, lang: str) -> None:
    """An audit run as OSCAL assessment results: an observation (with its evidence) and a
    finding per finding of the run, for each system, agency and the organisation. RUN is a
    run id of the history store (--db; its findings are stored without evidence) or a JSON
    results file written by `auditor audit --json` (with evidence)."""
    from auditor.errors import AuditorError
    from auditor.oscal import assessment_results_chunks

    if _RUN_ID.match(run):
        run_id = int(run)
        if run_id < 1 or run_id > 2**63 - 1:
            raise click.BadParameter(f"{run} is not a run id", param_hint="RUN")
        view, inputs = _from_store(run_id, db)
        click.echo(f"{WARNING.get(lang)}{_NO_EVIDENCE.get(lang)}", err=True)
    else:
        view, inputs = _from_file(Path(run)), [Path(run)]
    if not view.findings:
        raise AuditorError(
            Msg(
                f"{run}: lần đánh giá không có phát hiện nào để xuất",
                f"{run}: the run holds no finding to export",
            )
        )
    _write(output, assessment_results_chunks(view, lang), inputs)
