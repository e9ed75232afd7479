"""Certificate files are read only from the inventory's folder tree (issue 12, item 10).

A path that resolves outside the folders given on the command line (`../../etc/passwd`, an
absolute path, a symbolic link pointing out) is refused without being opened, with the same
reason whether or not the file exists, unless `--allow-cert-path DIR` allows its folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import read_results_json, run_cli
from tls_servers import ec_key, issue, pem

from auditor.loading.inventory import load_inventory
from auditor.probes.targets import CA_BUNDLE_REFUSED, CERT_PATH_REFUSED, cert_roots, plan_probes

AS_OF = "2026-11-24"


def _inventory(folder: Path, files: list[str]) -> Path:
    listed = "".join(f"        - file: {json.dumps(f)}\n" for f in files)
    text = (
        "organisation: {id: tinh-thu, name: Tỉnh Thử}\n"
        "agencies:\n"
        "  - id: so-a\n"
        "    name: Sở A\n"
        "    systems:\n"
        "      - id: ky-so\n"
        "        name: Ký số\n"
        "        system_type: internal\n"
        "        lifecycle: production\n"
        "        certificates:\n" + listed
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _certificate(path: Path) -> Path:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    issued = issue("signing", key=ec_key(), not_before=at, not_after=at + dt.timedelta(days=400))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pem(issued.cert))
    return path


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    inventory_dir = tmp_path / "province" / "inventory"
    inside = _certificate(inventory_dir / "keys" / "signing.pem")
    outside = _certificate(tmp_path / "elsewhere" / "secret.pem")
    (inventory_dir / "keys" / "link.pem").symlink_to(outside)
    return {"dir": inventory_dir, "inside": inside, "outside": outside}


def _errors(result_stdout: str) -> dict[str, Any]:
    data = json.loads(result_stdout)
    return {r["subject"]: r for r in data["observations"] if r["collection"] == "certs"}


def test_paths_outside_the_inventory_tree_are_refused_alike(layout: dict[str, Path]) -> None:
    inventory = _inventory(
        layout["dir"],
        [
            "keys/signing.pem",
            "../../../../../../../../etc/passwd",
            "../../../../../../../../etc/no-such-file",
            "/etc/passwd",
            "/proc/self/environ",
            str(layout["outside"]),
            "keys/link.pem",
            "keys/missing.pem",
        ],
    )
    result = run_cli("probe", "tls", inventory, "--as-of", AS_OF, "--json")
    assert result.code == 0, result.stderr
    records = _errors(result.stdout)
    assert records["file:keys/signing.pem"]["errors"] == {}, records
    refused = [
        "../../../../../../../../etc/passwd",
        "../../../../../../../../etc/no-such-file",
        "/etc/passwd",
        "/proc/self/environ",
        str(layout["outside"]),
        "keys/link.pem",
    ]
    for path in refused:
        errors = records[f"file:{path}"]["errors"]
        # The same reason whether the file exists or not: nothing about it leaks.
        assert set(errors.values()) == {CERT_PATH_REFUSED}, (path, errors)
    assert "not found" in json.dumps(records["file:keys/missing.pem"]["errors"])  # inside: told


def test_allow_cert_path_lets_a_folder_be_read(layout: dict[str, Path]) -> None:
    inventory = _inventory(layout["dir"], [str(layout["outside"]), "keys/link.pem"])
    refused = run_cli("probe", "tls", inventory, "--as-of", AS_OF, "--json")
    assert all(r["errors"] for r in _errors(refused.stdout).values())
    allowed = run_cli(
        "probe", "tls", inventory, "--as-of", AS_OF, "--json",
        "--allow-cert-path", layout["outside"].parent,
    )
    assert allowed.code == 0, allowed.stderr
    for record in _errors(allowed.stdout).values():
        assert record["errors"] == {}, record
        assert record["values"]["cert"]["days_left"] > 0


def test_audit_live_reports_a_refused_path_as_an_error_finding(
    layout: dict[str, Path], tmp_path: Path
) -> None:
    inventory = _inventory(layout["dir"], ["/etc/passwd"])
    out = tmp_path / "results.json"
    result = run_cli(
        "audit", inventory, "--as-of", AS_OF, "--live", "--no-history", "-q", "--json", out,
    )
    assert result.code == 0, result.stderr
    data = read_results_json(out)
    findings = [
        f for s in data["systems"] for f in s["findings"] if f.get("subject") == "file:/etc/passwd"
    ]
    errors = [f for f in findings if f["status"] == "error"]
    assert errors and {f["status"] for f in findings} <= {"error", "not_applicable"}, findings
    assert all("--allow-cert-path" in f["message"]["en"] for f in errors), errors


def test_a_folder_argument_is_its_own_root_and_a_file_its_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.yaml").write_text("")
    roots = cert_roots([tmp_path / "a" / "x.yaml", tmp_path / "b"], [tmp_path / "c"])
    assert roots == (
        (tmp_path / "a").resolve(), (tmp_path / "b").resolve(), (tmp_path / "c").resolve()
    )


def test_plan_without_roots_is_unconfined_and_with_roots_refuses(layout: dict[str, Path]) -> None:
    inventory = _inventory(layout["dir"], ["/etc/passwd", "keys/signing.pem"])
    loaded = load_inventory([inventory])
    free = plan_probes(loaded.inventory, loaded.system_origins)
    assert [t.refused for t in free.cert_files] == [None, None]
    confined = plan_probes(
        loaded.inventory, loaded.system_origins, cert_roots=cert_roots([inventory])
    )
    assert [t.refused for t in confined.cert_files] == [CERT_PATH_REFUSED, None]


def _bundle_inventory(folder: Path, bundle: str, port: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "inventory.yaml"
    path.write_text(
        "organisation: {id: tinh-thu, name: Tỉnh Thử}\n"
        "agencies:\n"
        "  - id: so-a\n"
        "    name: Sở A\n"
        "    systems:\n"
        "      - id: cong\n"
        "        name: Cổng\n"
        "        system_type: internal\n"
        "        lifecycle: production\n"
        f"        tls_policy: {{ca_bundle: {json.dumps(bundle)}}}\n"
        f"        endpoints: [{{url: 'https://127.0.0.1:{port}/', kind: api}}]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("where", ["outside", "missing-outside", "inside"])
def test_a_ca_bundle_outside_the_tree_is_not_read_and_the_endpoint_not_contacted(
    layout: dict[str, Path], where: str
) -> None:
    from tls_servers import LoopbackServer

    (layout["dir"] / "keys" / "ca.pem").write_bytes(layout["inside"].read_bytes())
    bundle = {
        "outside": str(layout["outside"]),
        "missing-outside": "../../../../../../../../etc/no-such-bundle.pem",
        "inside": "keys/ca.pem",
    }[where]
    listener = LoopbackServer("127.0.0.1", lambda conn, _stop: conn.close()).start()
    try:
        inventory = _bundle_inventory(layout["dir"], bundle, listener.port)
        loaded = load_inventory([inventory])
        plan = plan_probes(
            loaded.inventory, loaded.system_origins, cert_roots=cert_roots([inventory])
        )
        (target,) = plan.endpoints
        result = run_cli("probe", "tls", inventory, "--as-of", AS_OF, "--json", "--timeout", "1")
        assert result.code == 0, result.stderr
        tls = [r for r in json.loads(result.stdout)["observations"] if r["collection"] == "tls"]
    finally:
        listener.stop()
    if where == "inside":
        assert target.refused is None and target.ca_bundle is not None
        assert listener._conns  # probed
        return
    # Refused alike whether the bundle exists or not; never opened, and no connection made.
    assert (target.refused, target.ca_bundle) == (CA_BUNDLE_REFUSED, None)
    assert listener._conns == []
    assert tls and all(set(r["errors"].values()) == {CA_BUNDLE_REFUSED} for r in tls), tls
