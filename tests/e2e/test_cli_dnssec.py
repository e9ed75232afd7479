"""DNSSEC and CAA end to end: `auditor audit --live --trust-anchor`, `auditor probe dns` and a
bad trust anchor file, against real ldns-signed zones served by NSD on 127.0.0.1 (the hierarchy
of tests/probes/dnssec_zones.py). TLS connections to the endpoints are refused (nothing
listens on 127.0.0.1:443 here): those rules are errors, and the audit goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import read_results_json, run_cli
from probes.dns_server import NsdServer
from probes.dnssec_zones import AS_OF, build

URLS = {
    "secure": "https://www.tinh.test/",
    "secure_child": "https://www.an.tinh.test/",
    "unsigned": "https://www.unsigned.tinh.test/",
    "bogus": "https://www.tampered.tinh.test/",
    "expired": "https://www.expired.tinh.test/",
    "alias": "https://alias.tinh.test/",  # CNAME → www.tinh.test, both links signed
    "alias_unsigned": "https://tounsigned.tinh.test/",  # CNAME into the unsigned child
    "alias_tampered": "https://badalias.tampered.tinh.test/",  # its CNAME's RRSIG fails
    "loop": "https://loop1.tinh.test/",  # loop1 → loop2 → loop1
    "alias_caa": "https://toan3.tinh.test/",  # CNAME → an.tinh3.test, its own CAA set
}


def _inventory(folder: Path) -> Path:
    folder.mkdir()
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-thu\n  name: Tỉnh Thử (DNSSEC)\n", encoding="utf-8")
    endpoints = "".join(f"        - url: {url}\n" for url in URLS.values())
    (folder / "so-tt.yaml").write_text(
        "agency:\n  id: so-tt\n  name: Sở Thông tin (thử nghiệm)\n  systems:\n"
        "    - id: cong-ttdt\n      name: Cổng thông tin\n      system_type: citizen_facing\n"
        "      lifecycle: production\n      declared_level: 3\n      endpoints:\n"
        + endpoints,
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    d = tmp_path_factory.mktemp("dnssec-e2e")
    hierarchy = build(d / "zones")
    (d / "nsd").mkdir()
    with NsdServer(d / "nsd", hierarchy.zones) as nsd:
        yield {"inventory": _inventory(d / "inv"), "anchor": hierarchy.anchor_file,
               "resolver": f"127.0.0.1:{nsd.port}", "out": d}


def _args(world: dict[str, Any], *extra: str | Path) -> list[str | Path]:
    return ["--live", "--resolver", world["resolver"], "--timeout", "2",
            "--as-of", AS_OF.isoformat(), "--no-legacy", *extra]


def _dns_findings(path: Path) -> dict[tuple[str, str | None], dict[str, Any]]:
    data = read_results_json(path)
    system = data["systems"][0]
    return {(f["rule_id"], f["subject"]): f for f in system["findings"]
            if f["rule_id"] in ("DNS-01", "DNS-02")}


def test_audit_live_judges_dnssec_from_the_trust_anchor(world: dict[str, Any]) -> None:
    out = world["out"] / "with-anchor.json"
    html = world["out"] / "with-anchor.html"
    result = run_cli("audit", world["inventory"],
                     *_args(world, "--trust-anchor", world["anchor"]),
                     "--json", out, "--output", html, "--lang", "en")
    assert result.code == 0, result.stderr
    found = _dns_findings(out)
    status = {name: found[("DNS-01", url)]["status"] for name, url in URLS.items()}
    assert status == {"secure": "pass", "secure_child": "pass", "unsigned": "fail",
                      "bogus": "fail", "expired": "fail", "alias": "pass",
                      "alias_unsigned": "fail", "alias_tampered": "fail", "loop": "error",
                      "alias_caa": "pass"}
    # The chain followed: in the evidence of a finding that is not a pass, and observed.
    unsigned = str(found[("DNS-01", URLS["alias_unsigned"])]["evidence"])
    assert "tounsigned.tinh.test. CNAME www.unsigned.tinh.test." in unsigned
    observed = {r["subject"]: r["values"] for r in
                read_results_json(out)["systems"][0]["observed"] if r["collection"] == "endpoints"}
    assert observed[URLS["alias"]]["dnssec"]["aliases"] == ["alias.tinh.test. CNAME www.tinh.test."]
    assert "aliases" not in observed[URLS["secure"]]["dnssec"]
    assert "CNAME loop" in found[("DNS-01", URLS["loop"])]["message"]["en"]
    assert found[("DNS-01", URLS["secure"])]["severity"] == "medium"  # level 3
    evidence = str(found[("DNS-01", URLS["expired"])]["evidence"])
    assert "expired at 2026-11-15 00:00:00 UTC" in evidence
    assert "does not verify" in str(found[("DNS-01", URLS["bogus"])]["evidence"])
    # CAA: the child's own set forbids issuance; others inherit the parent's (RFC 8659).
    assert found[("DNS-02", URLS["secure_child"])]["status"] == "pass"
    assert found[("DNS-02", URLS["unsigned"])]["status"] == "pass"
    caa = observed[URLS["unsigned"]]["caa"]
    assert caa["owner"] == "tinh.test." and caa["issue"] == ["ca.example"]
    assert "aliases" not in caa
    # An alias's CAA is its target's set (RFC 8659 §3), not its parent's (ca.example).
    assert found[("DNS-02", URLS["alias_caa"])]["status"] == "pass"
    alias_caa = observed[URLS["alias_caa"]]["caa"]
    assert (alias_caa["owner"], alias_caa["issue"]) == ("toan3.tinh.test.", [""])
    assert alias_caa["aliases"] == ["toan3.tinh.test. CNAME an.tinh3.test."]
    # A CNAME loop leaves the relevant set unknown: an error, never "no CAA".
    loop_caa = found[("DNS-02", URLS["loop"])]
    assert loop_caa["status"] == "error"
    assert "CNAME loop: loop1.tinh.test. → loop2.tinh.test." in loop_caa["message"]["en"]
    page = html.read_text(encoding="utf-8")
    assert "<th scope=\"col\">DNSSEC</th>" in page
    assert "bogus (a signature, key or proof does not hold)" in page and "ca.example" in page
    assert "tounsigned.tinh.test. CNAME www.unsigned.tinh.test." in page  # the cell's note
    assert "toan3.tinh.test. — toan3.tinh.test. CNAME an.tinh3.test." in page  # CAA cell's


def test_without_a_trust_anchor_dnssec_is_manual_never_pass(world: dict[str, Any]) -> None:
    out = world["out"] / "no-anchor.json"
    result = run_cli("audit", world["inventory"], *_args(world), "--json", out)
    assert result.code == 0, result.stderr
    found = _dns_findings(out)
    assert {found[("DNS-01", url)]["status"] for url in URLS.values()} == {"manual"}
    assert "dnssec.trust_anchor" in found[("DNS-01", URLS["secure"])]["message"]["en"]


def test_unreachable_dns_server_is_an_error(world: dict[str, Any], tmp_path: Path) -> None:
    from probes.dns_server import free_port

    out = tmp_path / "r.json"
    result = run_cli("audit", world["inventory"], "--live", "--resolver",
                     f"127.0.0.1:{free_port()}", "--timeout", "0.5", "--no-legacy",
                     "--as-of", AS_OF.isoformat(), "--trust-anchor", world["anchor"],
                     "--json", out)
    assert result.code == 0, result.stderr
    found = _dns_findings(out)
    dnssec = found[("DNS-01", URLS["secure"])]
    assert dnssec["status"] == "error" and "127.0.0.1" in dnssec["message"]["en"]
    assert found[("DNS-02", URLS["secure"])]["status"] == "error"


def test_probe_dns_prints_status_and_caa(world: dict[str, Any]) -> None:
    result = run_cli("probe", "dns", world["inventory"], "--resolver", world["resolver"],
                     "--trust-anchor", world["anchor"], "--as-of", AS_OF.isoformat(),
                     "--lang", "en")
    assert result.code == 0, result.stderr
    assert "secure (chain validates)" in result.stdout
    assert "not signed" in result.stdout and "bogus" in result.stdout
    assert "ca.example (tinh.test.)" in result.stdout
    assert "CNAME loop" in result.stdout


@pytest.mark.parametrize(("content", "where"), [
    ("tinh.test. IN DS 1 13 2 zz\n", ":1:"),
    ("; comment\n\ntinh.test. IN A 127.0.0.1\n", ":3:"),
    ("; only comments\n", "no DS or DNSKEY"),
])
def test_bad_trust_anchor_is_exit_2_naming_the_line(
    world: dict[str, Any], tmp_path: Path, content: str, where: str
) -> None:
    anchor = tmp_path / "bad.ds"
    anchor.write_text(content, encoding="ascii")
    out = tmp_path / "r.json"
    result = run_cli("audit", world["inventory"], *_args(world, "--trust-anchor", anchor),
                     "--json", out)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert str(anchor) in result.stderr and where in result.stderr
    assert not out.exists()
