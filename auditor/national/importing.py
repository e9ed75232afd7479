"""`auditor national import`: each province's bundle verified, then recorded in the national
store, or refused with the reasons.

Every bundle named is first checked to be a readable regular file, and the CA bundle too: an
unreadable input is bad input (exit 2) before anything is imported. Then each bundle on its
own: already imported (the same bytes: same SHA-256) → said so, not duplicated; refused →
the reasons, and the others go on; verified → recorded in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.bundle.signer_revocation import RevocationSources
from auditor.errors import AuditorError
from auditor.messages import Msg, os_error
from auditor.national.intake import Accepted, file_sha256, read_bundle
from auditor.national.provinces import load_provinces
from auditor.national.store import DuplicateSubmissionError, NationalStore, NewSubmission


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    outcome: str  # "imported" | "already" | "refused"
    reasons: tuple[Msg, ...] = ()
    province_id: str = ""
    province_name: str = ""
    listed: bool = True
    year: int | None = None
    submission_id: int | None = None
    counted: bool = False  # the submission that counts for its province and year
    others: int = 0  # other submissions of the same province and year, kept
    revocation_note: Msg | None = None  # the signer's revocation (checked or not), in words


def check_readable(path: Path, what: Msg) -> None:
    """Fail (exit 2) unless `path` is a regular file this process can read."""
    try:
        with path.open("rb"):
            pass
        regular = path.is_file()
    except OSError as error:
        reason = os_error(error)
        raise AuditorError(
            Msg(f"{path}: không đọc được {what.vi}: {reason.vi}",
                f"{path}: cannot read the {what.en}: {reason.en}")
        ) from error  # fmt: skip
    if not regular:
        raise AuditorError(
            Msg(f"{path}: {what.vi} không phải tệp thông thường",
                f"{path}: the {what.en} is not a regular file")
        )  # fmt: skip


def run_import(
    paths: Sequence[Path],
    db: str,
    ca_bundle: Path | None,
    *,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    revocation: RevocationSources | None = None,
) -> Iterator[ImportResult]:
    """Each bundle's result as soon as it is known (the command prints it at once)."""
    for path in paths:
        check_readable(path, Msg("hồ sơ", "bundle"))
    if ca_bundle is not None:
        check_readable(ca_bundle, Msg("tệp CA", "CA bundle"))
    provinces = load_provinces()
    with NationalStore.open(db) as store:
        for path in paths:
            sha256 = file_sha256(path)
            before = store.find(sha256)
            if before is not None:
                yield ImportResult(path, "already", province_id=before.province_id,
                                   province_name=before.organisation_name, year=before.year,
                                   submission_id=before.id)  # fmt: skip
                continue
            read = read_bundle(path, ca_bundle=ca_bundle, provinces=provinces,
                               revocation=revocation)
            if not isinstance(read, Accepted):
                yield ImportResult(path, "refused", read.reasons)
                continue
            yield _record(store, path, sha256, read, now())


def _record(
    store: NationalStore, path: Path, sha256: str, read: Accepted, imported_at: dt.datetime
) -> ImportResult:
    new = NewSubmission(
        province_id=read.province_id,
        year=read.year,
        sha256=sha256,
        file_name=path.name,
        signer=read.signer,
        signed_at=read.signed_at,
        imported_at=imported_at,
        organisation=read.figures.organisation,
        organisation_name=read.figures.organisation_name,
        run_id=read.run_id,
        systems=len(read.figures.systems),
        verification=read.verification,
    )
    try:
        submission_id = store.record(new, read.figures_json, read.figures.systems)
    except DuplicateSubmissionError:  # imported by another process meanwhile
        return ImportResult(path, "already", province_id=read.province_id,
                            province_name=read.province_name, year=read.year)  # fmt: skip
    group = next(
        (g for g in store.submissions(read.year) if g[0].province_id == read.province_id), []
    )
    return ImportResult(
        path,
        "imported",
        province_id=read.province_id,
        province_name=read.province_name,
        listed=read.listed,
        year=read.year,
        submission_id=submission_id,
        counted=bool(group) and group[0].id == submission_id,
        others=max(len(group) - 1, 0),
        revocation_note=read.revocation_note,
    )
