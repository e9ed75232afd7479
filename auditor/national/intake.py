"""One province's bundle, verified (`auditor.bundle.verify`), read into what the national
store records: who signed it and when, for which province and year, and its annual figures.

A bundle is refused — with every reason — when its signature, certificate path or members do
not verify, when it holds no `annual.json` (the roll-up is built from the annual figures),
when that file is not `auditor report annual --json` output, or when the figures and the
signed manifest disagree on the organisation or the year. A refusal is an answer about the
bundle, not bad input: the import goes on with the other bundles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from auditor.bundle.signer_revocation import RevocationSources
from auditor.bundle.verify import verify_bundle
from auditor.messages import Msg
from auditor.national.provinces import ProvinceList, key
from auditor.report.annual.figures import AnnualFigures
from auditor.report.annual.json_out import FORMAT as ANNUAL_FORMAT

ANNUAL_MEMBER = "annual.json"
_FIGURES: TypeAdapter[AnnualFigures] = TypeAdapter(AnnualFigures)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A verified bundle with usable annual figures."""

    province_id: str
    province_name: str
    listed: bool
    year: int
    signer: str | None
    signed_at: dt.datetime | None
    run_id: str
    figures: AnnualFigures
    figures_json: dict[str, Any]  # as signed, without the per-system rows
    verification: dict[str, Any]
    revocation_note: Msg | None = None  # the signer's revocation, in words


@dataclass(frozen=True, slots=True)
class Refused:
    reasons: tuple[Msg, ...]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_bundle(
    path: Path, *, ca_bundle: Path | None, provinces: ProvinceList,
    revocation: RevocationSources | None = None,
) -> Accepted | Refused:
    """The bundle verified now, its signer's revocation judged from the `revocation`
    sources: one revoked before it signed is refused."""
    verified = verify_bundle(path, ca_bundle=ca_bundle, revocation=revocation)
    if not verified.ok():
        return Refused(tuple(verified.problems))
    manifest: Mapping[str, Any] = verified.manifest or {}
    names = {m.get("name") for m in manifest.get("members", ()) if isinstance(m, Mapping)}
    if ANNUAL_MEMBER not in names:
        return Refused((
            Msg(
                "hồ sơ không có annual.json (số liệu báo cáo năm): tổng hợp toàn quốc cần số "
                "liệu này; hãy tạo lại hồ sơ kèm `auditor report annual --json`",
                "the bundle holds no annual.json (the annual figures): the national roll-up "
                "needs them; make the bundle again with `auditor report annual --json`",
            ),
        ))  # fmt: skip
    parsed = _annual(verified.member(ANNUAL_MEMBER))
    if isinstance(parsed, Refused):
        return parsed
    figures, raw = parsed
    mismatch = _mismatch(manifest, figures)
    if mismatch is not None:
        return Refused((mismatch,))
    declared = manifest.get("province")
    declared = declared if isinstance(declared, str) else None
    province = provinces.match(declared, figures.organisation, figures.organisation_name)
    organisation = manifest.get("organisation")
    run_id = manifest.get("run_id")
    return Accepted(
        province_id=province.id if province else key(declared or figures.organisation),
        province_name=province.name if province else figures.organisation_name,
        listed=province is not None,
        year=figures.period.year,
        signer=verified.signer,
        signed_at=verified.signed_at,
        run_id=str(run_id) if run_id is not None else "",
        figures=figures,
        figures_json={k: v for k, v in raw.items() if k != "systems"},
        verification={
            "verified": True,
            "ca_bundle": str(ca_bundle) if ca_bundle else None,
            "signer": verified.signer,
            "signed_at": verified.signed_at.isoformat() if verified.signed_at else None,
            "manifest_created": manifest.get("created"),
            "auditor_version": manifest.get("auditor_version"),
            "organisation": organisation if isinstance(organisation, Mapping) else None,
            "members": sorted(n for n in names if isinstance(n, str)),
            # whether the signer's certificate was checked for revocation, and what was found
            "revocation": verified.revocation.as_json(),
        },
        revocation_note=verified.revocation.note,
    )


def _annual(data: bytes) -> tuple[AnnualFigures, dict[str, Any]] | Refused:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        return Refused((
            Msg(f"annual.json không phải JSON: {error}", f"annual.json is not JSON: {error}"),
        ))  # fmt: skip
    if not isinstance(document, dict) or document.get("format") != ANNUAL_FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        return Refused((
            Msg(
                f"annual.json không phải số liệu báo cáo năm (format {found!r}, cần "
                f"{ANNUAL_FORMAT!r})",
                f"annual.json is not annual figures (format {found!r}, expected "
                f"{ANNUAL_FORMAT!r})",
            ),
        ))  # fmt: skip
    raw = document.get("figures")
    try:
        figures = _FIGURES.validate_python(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return Refused((
            Msg(
                f"annual.json: trường figures.{where}: {first['msg']}",
                f"annual.json: field figures.{where}: {first['msg']}",
            ),
        ))  # fmt: skip
    assert isinstance(raw, dict)  # noqa: S101 - validated as a dataclass from a dict
    return figures, raw


def _mismatch(manifest: Mapping[str, Any], figures: AnnualFigures) -> Msg | None:
    """Where the signed manifest and the annual figures disagree (organisation, year)."""
    organisation = manifest.get("organisation")
    org_id = organisation.get("id") if isinstance(organisation, Mapping) else None
    if org_id is not None and org_id != figures.organisation:
        return Msg(
            f"manifest.json ghi tổ chức {org_id!r} nhưng annual.json là của "
            f"{figures.organisation!r}",
            f"manifest.json names the organisation {org_id!r} but annual.json is "
            f"{figures.organisation!r}'s",
        )
    year = manifest.get("year")
    if year is not None and year != figures.period.year:
        return Msg(
            f"manifest.json ghi năm {year} nhưng annual.json là số liệu năm {figures.period.year}",
            f"manifest.json says the year {year} but annual.json holds the figures of "
            f"{figures.period.year}",
        )
    return None
