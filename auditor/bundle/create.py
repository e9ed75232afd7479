"""Making a bundle: the results (a results.json file, or a run of the history store), the
optional annual figures and reports, a manifest of them, and the signature over it.

Everything that can fail on the user's input fails before anything is written: the output is
checked (`plan_outputs`), every input read and checked (results that auditor can read, annual
figures of the same organisation, a PDF that is a PDF…), the signer loaded and checked; the
bundle is then written to a temporary file and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.bundle.cms import sign_detached
from auditor.bundle.credentials import Signer
from auditor.bundle.errors import SigningError
from auditor.bundle.manifest import MANIFEST, SIGNATURE, Member, manifest_bytes
from auditor.messages import Msg, os_error
from auditor.report.outputs import Output, Staging, plan_outputs

#: The member each optional input becomes, and what its bytes must start with.
_OPTIONAL = {
    "annual.json": b"",
    "report.html": b"",
    "annual.pdf": b"%PDF-",
    "annual.xlsx": b"PK\x03\x04",
}
_ANNUAL_FORMAT = "auditor-annual/1"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same bundle bytes for the same members


@dataclass(frozen=True)
class BundleRequest:
    output: Path
    signer: Signer
    results: Path | None = None  # a results.json file, or
    run_id: int | None = None  # a run of the history store (`db`)
    db: str | None = None
    optional: tuple[tuple[str, Path], ...] = ()  # (member name, file)
    province: str | None = None
    tsa: str | None = None  # an RFC 3161 time-stamping authority's URL
    now: dt.datetime | None = None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningError(os_error(error).prefixed(f"{path}: ", f"{path}: ")) from None


def _results(path: Path) -> tuple[bytes, dict[str, str], str]:
    """results.json's bytes, the organisation it is about, and a run id derived from it."""
    from auditor.report.json_check import check_results

    data = _read(path)
    # ResultsError (exit 2) if not results this auditor reads; checked one system at a time
    # rather than built into a whole AuditRun (over 2 GB at 10,000 systems).
    head = check_results(data, str(path))
    organisation = {"id": head.organisation.id, "name": head.organisation.name}
    return data, organisation, "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def _stored_run(run_id: int, db: str | None) -> tuple[bytes, dict[str, str], str]:
    """The run as the history store recorded it (`history show RUN --json`): the store
    keeps counts, systems and findings, not the full results file."""
    from auditor.report.history import detail_json
    from auditor.store import HistoryStore

    with HistoryStore.open_reader(db) as store:
        detail = store.run(run_id)
        name = store.name
    if detail is None:
        raise SigningError(Msg(f"không có lần đánh giá {run_id} trong {name}",
                               f"no run {run_id} in {name}"))
    data = json.dumps(detail_json(detail), ensure_ascii=False, sort_keys=True, indent=2)
    organisation = {"id": detail.run.organisation, "name": detail.run.organisation_name}
    return (data + "\n").encode(), organisation, str(run_id)


def _annual_year(data: bytes, path: Path, organisation: str) -> int:
    try:
        document: Any = json.loads(data)
        figures = document["figures"]
        year = figures["period"]["year"]
        owner = figures["organisation"]
        valid = document["format"] == _ANNUAL_FORMAT and isinstance(year, int)
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise SigningError(Msg(
            f"{path}: không phải số liệu báo cáo năm ({_ANNUAL_FORMAT}) do "
            "'auditor report annual --json' ghi",
            f"{path}: not annual figures ({_ANNUAL_FORMAT}) as 'auditor report annual --json' "
            "writes them",
        ))
    if owner != organisation:
        raise SigningError(Msg(
            f"{path}: số liệu năm của tổ chức {owner}, không phải {organisation} của kết quả",
            f"{path}: annual figures of organisation {owner}, not {organisation} as the "
            "results",
        ))
    return int(year)


def create_bundle(request: BundleRequest) -> Output:
    """Write the bundle `request` asks for; SigningError (or another AuditorError) before
    anything is written when an input is not acceptable."""
    inputs = [path for _, path in request.optional]
    if request.results is not None:
        inputs.append(request.results)
    (output,) = plan_outputs([("--output", request.output)], inputs=inputs, no_stdout=["--output"])
    if request.results is not None:
        main, organisation, run_id = _results(request.results)
        members = [("results.json", main)]
    elif request.run_id is not None:
        main, organisation, run_id = _stored_run(request.run_id, request.db)
        members = [("run.json", main)]
    else:
        raise SigningError(Msg("cần RUN hoặc tệp results.json", "give RUN or a results.json file"))
    year = None
    for name, path in request.optional:
        data = _read(path)
        if not data.startswith(_OPTIONAL[name]):
            raise SigningError(Msg(f"{path}: không phải tệp {name.rsplit('.', 1)[1].upper()}",
                                   f"{path}: not a {name.rsplit('.', 1)[1].upper()} file"))
        if name == "annual.json":
            year = _annual_year(data, path, organisation["id"])
        members.append((name, data))
    now = (request.now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    manifest = manifest_bytes(
        created=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        auditor_version=__version__,
        organisation=organisation,
        province=request.province if request.province is not None else organisation["id"],
        year=year,
        run_id=run_id,
        members=[Member.of(name, data) for name, data in members],
    )
    signature = sign_detached(manifest, request.signer)
    if request.tsa is not None:
        from auditor.bundle.timestamp import add_timestamp

        signature = add_timestamp(signature, request.tsa)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in [(MANIFEST, manifest), (SIGNATURE, signature), *members]:
            bundle.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    with Staging([output]) as staged:
        staged.write(output, archive.getvalue())
        staged.commit()
    return output
