"""National roll-up fixtures: real signed bundles of two provinces over two years, and a
fresh national store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, run_cli
from store.pg_server import PostgresServer

from national.pki import make_pki


@dataclass(frozen=True)
class Submission:
    bundle: Path
    annual: dict[str, Any]  # the annual.json put in the bundle, as the test wrote it


def _province(base: Path, org_id: str, name: str) -> Path:
    """The example inventory as another province: only the organisation's id and name."""
    folder = base / org_id
    shutil.copytree(EXAMPLE, folder)
    org = folder / "00-tinh-an-binh.yaml"
    text = org.read_text(encoding="utf-8")
    text = text.replace("  id: tinh-an-binh\n", f"  id: {org_id}\n", 1)
    text = text.replace("  name: Ủy ban nhân dân tỉnh An Bình\n", f"  name: {name}\n", 1)
    org.write_text(text, encoding="utf-8")
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _submit(
    inventory: Path, as_of: str, year: int, out: Path, cert: Path, key: Path, chain: Path,
    *, annual: bool = True,
) -> Submission:
    out.mkdir()
    db = out / "history.sqlite"
    result = run_cli("audit", inventory, "--as-of", as_of, "--db", db, "--json",
                     out / "results.json", "-q")  # fmt: skip
    assert result.code == 0, result.stderr
    result = run_cli("report", "annual", "--year", str(year), "--db", db, "--json",
                     out / "annual.json", "-q")  # fmt: skip
    assert result.code == 0, result.stderr
    extra = ["--annual", out / "annual.json"] if annual else []
    result = run_cli("bundle", "create", out / "results.json", *extra, "-o",
                     out / "province.bundle", "--cert", cert, "--key", key, "--chain", chain,
                     "--db", db)  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads((out / "annual.json").read_text(encoding="utf-8"))
    return Submission(out / "province.bundle", document)


@pytest.fixture(scope="session")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("national")
    pki = make_pki(base)
    cert, key = pki.signer(base, "So Khoa hoc va Cong nghe")
    lao_cai = _province(base, "tinh-lao-cai", "Ủy ban nhân dân tỉnh Lào Cai")
    da_nang = _province(base, "thanh-pho-da-nang", "Ủy ban nhân dân thành phố Đà Nẵng")
    made: dict[str, Any] = {"pki": pki, "base": base}
    made["lao_cai_2025"] = _submit(lao_cai, "2025-06-01", 2025, base / "lc25", cert, key,
                                   pki.chain)  # fmt: skip
    made["lao_cai_v1"] = _submit(lao_cai, "2026-11-24", 2026, base / "lc26a", cert, key, pki.chain)
    made["da_nang"] = _submit(da_nang, "2026-11-24", 2026, base / "dn26", cert, key, pki.chain)
    # Lào Cai sends again, later, with Sở Giáo dục's staff now trained: this one counts.
    _edit(lao_cai / "so-giao-duc.yaml", "trained: 2 ", "trained: 5 ")
    made["lao_cai_v2"] = _submit(lao_cai, "2026-11-30", 2026, base / "lc26b", cert, key, pki.chain)
    made["no_annual"] = _submit(da_nang, "2026-11-24", 2026, base / "dn-noannual", cert, key,
                                pki.chain, annual=False)  # fmt: skip
    return made


@pytest.fixture(params=["sqlite", "postgresql"])
def national_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty national store: an SQLite file path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "national.sqlite")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()
