"""The DNSSEC trust anchor declared in the inventory (`dns_policy.trust_anchor`) end to end:
inherited from the organisation's defaults or declared by a system, relative to the file that
names it, overridden by `--trust-anchor`, listed in the run's inputs with its SHA-256, and
reported as unused when it covers no endpoint name. Real ldns-signed zones on NSD on
127.0.0.1 (tests/probes/dnssec_zones.py); nothing listens on 443, so TLS rules are errors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import read_results_json, run_cli
from probes.dns_server import NsdServer
from probes.dnssec_zones import AS_OF, build

SECURE = "https://www.tinh.test/"
BOGUS = "https://www.tampered.tinh.test/"
ELSEWHERE = "https://www.an.tinh3.test/"  # under tinh3.test: the narrow anchor misses it


def _system(system_id: str, urls: list[str], policy: str = "") -> str:
    endpoints = "".join(f"        - url: {url}\n" for url in urls)
    return (f"    - id: {system_id}\n      name: Hệ thống {system_id}\n"
            "      system_type: citizen_facing\n      lifecycle: production\n"
            f"      declared_level: 3\n{policy}      endpoints:\n{endpoints}")


def _inventory(folder: Path, org_anchor: str | None, systems: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    defaults = (f"  defaults:\n    dns_policy:\n      trust_anchor: {org_anchor}\n"
                if org_anchor is not None else "")
    (folder / "00-org.yaml").write_text(
        f"organisation:\n  id: tinh-thu\n  name: Tỉnh Thử\n{defaults}", encoding="utf-8")
    (folder / "so-tt.yaml").write_text(
        "agency:\n  id: so-tt\n  name: Sở Thông tin\n  systems:\n" + systems, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    d = tmp_path_factory.mktemp("anchor-e2e")
    hierarchy = build(d / "zones")
    lines = hierarchy.anchor_file.read_text(encoding="ascii").splitlines()
    (d / "nsd").mkdir()
    with NsdServer(d / "nsd", hierarchy.zones) as nsd:
        yield {"anchor": hierarchy.anchor_file, "lines": lines, "out": d,
               "resolver": f"127.0.0.1:{nsd.port}"}


def _only(world: dict[str, Any], folder: Path, zone: str) -> Path:
    """An anchor file holding only `zone`'s DS line, written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{zone}ds"
    kept = [line for line in world["lines"] if line.split()[:1] == [zone]]
    assert kept, f"no DS of {zone} in the test anchors"
    path.write_text("\n".join(kept) + "\n", encoding="ascii")
    return path


def _audit(world: dict[str, Any], inventory: Path, out: Path, *extra: str | Path) -> Any:
    return run_cli("audit", inventory, "--live", "--resolver", world["resolver"],
                   "--timeout", "2", "--as-of", AS_OF.isoformat(), "--no-legacy",
                   "--json", out, "--lang", "en", *extra)


def _dns01(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["id"], f["subject"]): f for s in data["systems"] for f in s["findings"]
            if f["rule_id"] == "DNS-01"}


def test_anchor_from_organisation_defaults_judges_and_is_an_input(
        world: dict[str, Any]) -> None:
    base = world["out"] / "defaults"
    anchors = base / "inv" / "keys"
    anchors.mkdir(parents=True)
    anchor = anchors / "all.ds"
    anchor.write_bytes(world["anchor"].read_bytes())
    yaml = _inventory(base / "inv" / "yaml", "../keys/all.ds", _system("cong", [SECURE, BOGUS]))
    # Given only the yaml folder, the anchor lies outside the inventory's tree: not read, and
    # DNS-01 says why (an error, never a silent manual or a verdict without the anchor).
    refused = base / "refused.json"
    result = _audit(world, yaml, refused)
    assert result.code == 0, result.stderr
    found = _dns01(read_results_json(refused))
    assert found[("cong", SECURE)]["status"] == "error"
    assert "--allow-cert-path" in found[("cong", SECURE)]["message"]["en"]
    # Given the whole folder, it is read: the verdicts rest on it and it is an input.
    out = base / "r.json"
    result = _audit(world, base / "inv", out)
    assert result.code == 0, result.stderr
    data = read_results_json(out)
    found = _dns01(data)
    assert found[("cong", SECURE)]["status"] == "pass"
    assert found[("cong", BOGUS)]["status"] == "fail"
    evidence = str(found[("cong", SECURE)]["evidence"])
    assert "keys/all.ds" in evidence  # dnssec.trust_anchor names the file it rests on
    inputs = [i for i in data["run"]["inputs"] if i["kind"] == "trust_anchor"]
    assert len(inputs) == 1 and Path(inputs[0]["path"]).resolve() == anchor.resolve()
    assert inputs[0]["sha256"] == hashlib.sha256(anchor.read_bytes()).hexdigest()
    assert data["run"]["unused_inputs"] == []
    assert "not used" not in result.stderr


def test_anchor_covering_no_endpoint_is_reported_unused(world: dict[str, Any]) -> None:
    base = world["out"] / "narrow"
    inv = base / "inv"
    _only(world, inv, "tinh.test.")
    _only(world, inv, "tinh3.test.")
    policy = "      dns_policy:\n        trust_anchor: tinh3.test.ds\n"
    systems = _system("cong", [SECURE]) + _system("khac", [SECURE], policy)
    inventory = _inventory(inv, "tinh.test.ds", systems)
    out, html = base / "r.json", base / "r.html"
    result = _audit(world, inventory, out, "--output", html)
    assert result.code == 0, result.stderr
    data = read_results_json(out)
    found = _dns01(data)
    assert found[("cong", SECURE)]["status"] == "pass"  # the inherited anchor covers it
    assert found[("khac", SECURE)]["status"] == "error"  # its own does not
    assert "no trust anchor covers www.tinh.test" in found[("khac", SECURE)]["message"]["en"]
    unused = data["run"]["unused_inputs"]
    assert [(u["path"], u["kind"]) for u in unused] == [(str(inv / "tinh3.test.ds"),
                                                       "trust_anchor")]
    assert unused[0]["origin"]["file"] == str(inv / "so-tt.yaml")
    line = unused[0]["origin"]["line"]
    assert "trust_anchor: tinh3.test.ds" in (inv / "so-tt.yaml").read_text().splitlines()[
        line - 1]
    assert "cover no endpoint name (www.tinh.test)" in unused[0]["reason"]["en"]
    assert f"so-tt.yaml:{line}: DNSSEC trust anchor file" in result.stderr
    kinds = sorted(i["path"] for i in data["run"]["inputs"] if i["kind"] == "trust_anchor")
    assert kinds == sorted([str(inv / "tinh.test.ds"), str(inv / "tinh3.test.ds")])
    page = html.read_text(encoding="utf-8")  # the report's method section says it too
    assert "Inputs not used" in page
    assert f"so-tt.yaml:{line}: {inv / 'tinh3.test.ds'} — its zones (tinh3.test.)" in page


def test_command_line_anchor_overrides_the_declared_one(world: dict[str, Any]) -> None:
    base = world["out"] / "override"
    inv = base / "inv"
    _only(world, inv, "tinh3.test.")  # declared: would not cover www.tinh.test
    inventory = _inventory(inv, "tinh3.test.ds", _system("cong", [SECURE]))
    out = base / "r.json"
    result = _audit(world, inventory, out, "--trust-anchor", world["anchor"])
    assert result.code == 0, result.stderr
    data = read_results_json(out)
    assert _dns01(data)[("cong", SECURE)]["status"] == "pass"
    inputs = [i["path"] for i in data["run"]["inputs"] if i["kind"] == "trust_anchor"]
    assert inputs == [str(world["anchor"])]  # the declared file is not read
    unused = data["run"]["unused_inputs"]
    assert [u["path"] for u in unused] == [str(inv / "tinh3.test.ds")]
    assert "overrides this declaration" in unused[0]["reason"]["en"]
    assert unused[0]["origin"]["file"] == str(inv / "00-org.yaml")


def test_command_line_anchor_covering_no_endpoint_is_unused(world: dict[str, Any]) -> None:
    base = world["out"] / "cli-narrow"
    inv = base / "inv"
    narrow = _only(world, base, "tinh3.test.")
    inventory = _inventory(inv, None, _system("cong", [SECURE]))
    out = base / "r.json"
    result = _audit(world, inventory, out, "--trust-anchor", narrow)
    assert result.code == 0, result.stderr
    unused = read_results_json(out)["run"]["unused_inputs"]
    assert [(u["path"], u["origin"]["source"]) for u in unused] == [(str(narrow),
                                                                    "not_declared")]
    assert f"DNSSEC trust anchor file {narrow} is not used" in result.stderr
    # Covering one endpoint is enough: the same file, an endpoint under tinh3.test.
    both = _inventory(base / "inv2", None, _system("cong", [SECURE, ELSEWHERE]))
    again = _audit(world, both, base / "r2.json", "--trust-anchor", narrow)
    assert again.code == 0, again.stderr
    assert read_results_json(base / "r2.json")["run"]["unused_inputs"] == []


@pytest.mark.parametrize(("content", "words"), [
    (None, "cannot read"),
    ("tinh.test. IN A 127.0.0.1\n", "not a DS or DNSKEY record"),
])
def test_bad_declared_anchor_is_exit_2_naming_the_inventory_line(
        world: dict[str, Any], tmp_path: Path, content: str | None, words: str) -> None:
    inv = tmp_path / "inv"
    inventory = _inventory(inv, "anchor.ds", _system("cong", [SECURE]))
    if content is not None:
        (inv / "anchor.ds").write_text(content, encoding="ascii")
    out = tmp_path / "r.json"
    result = _audit(world, inventory, out)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    org = inv / "00-org.yaml"
    line = org.read_text().splitlines().index("      trust_anchor: anchor.ds") + 1
    assert f"{org}:{line}" in result.stderr
    assert "dns_policy.trust_anchor" in result.stderr and words in result.stderr
    assert not out.exists()


def test_probe_dns_and_gate_use_the_declared_anchor(world: dict[str, Any]) -> None:
    base = world["out"] / "probe-gate"
    inv = base / "inv"
    _only(world, inv, "tinh.test.")
    _only(world, inv, "tinh3.test.")
    policy = "      dns_policy:\n        trust_anchor: tinh3.test.ds\n"
    inventory = _inventory(inv, "tinh.test.ds",
                           _system("cong", [SECURE]) + _system("khac", [SECURE], policy))
    probe = run_cli("probe", "dns", inventory, "--resolver", world["resolver"],
                    "--as-of", AS_OF.isoformat(), "--lang", "en", "--system", "cong")
    assert probe.code == 0, probe.stderr
    assert "secure (chain validates)" in probe.stdout
    # The gate judges (and probes) one system: the other system's anchor is unused there.
    gate = run_cli("gate", inventory, "--system", "khac", "--live", "--resolver",
                   world["resolver"], "--timeout", "2", "--no-legacy",
                   "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert gate.code in (0, 1), gate.stderr
    assert "tinh3.test.ds is not used: its zones (tinh3.test.) cover no endpoint name" in (
        gate.stderr)
