"""CRL files the inventory declares (tls_policy.crl_files), end to end through `auditor audit
--live` (issue #16, revocation): signing-certificate files and one loopback endpoint
(`openssl s_server`) whose intermediate a CRL lists. Every declared CRL file is used or said
unused; a stale, forged or refused one is an error naming it; no file, no server else."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from conftest import read_results_json, run_cli
from probes.revocation_pki import DAY, crl, make_pki
from probes.test_cert_trust import signer
from probes.test_tls_revocation import s_server
from probes.tls_servers import Issued, ec_key, issue, pem

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TODAY = NOW.date()


def _system(sid: str, crls: list[str], files: list[str], endpoint: str | None = None) -> str:
    text = (f"    - id: {sid}\n      name: {sid}\n      system_type: internal\n"
            "      lifecycle: production\n      declared_level: 2\n"
            "      tls_policy:\n        ca_bundle: ca.pem\n")
    if crls:
        text += "        crl_files: [" + ", ".join(crls) + "]\n"
    if files:
        text += "      certificates:\n" + "".join(f"        - file: {f}\n" for f in files)
    if endpoint:
        text += f"      endpoints:\n        - url: {endpoint}\n          kind: api\n"
    return text


def test_crl_files_judge_files_and_chains(tmp_path: Path) -> None:
    pki = make_pki(NOW)
    root = pki.root
    inter = issue("Sub CA (test)", key=ec_key(), not_before=NOW - 300 * DAY,
                  not_after=NOW + 2000 * DAY, issuer=root, ca=True)
    folder = tmp_path / "inv"
    folder.mkdir()

    def signing(cn: str, by: Issued) -> Issued:
        return signer(cn, by, not_before=NOW - 30 * DAY, not_after=NOW + 300 * DAY)

    good, revoked = signing("Tốt", inter), signing("Thu hồi", inter)
    (folder / "good.pem").write_bytes(pem(good.cert) + pem(inter.cert))
    (folder / "revoked.pem").write_bytes(pem(revoked.cert) + pem(inter.cert))
    (folder / "ca.pem").write_bytes(pem(root.cert))
    # The sub-CA's CRL lists `revoked` (revoked yesterday); the root's lists nothing.
    (folder / "sub.crl").write_bytes(crl(inter, this_update=NOW - DAY, next_update=NOW + 6 * DAY,
                                         revoked=(revoked.cert.serial_number,),
                                         revoked_at=NOW - DAY))
    (folder / "root.crl").write_bytes(crl(root, this_update=NOW - DAY,
                                          next_update=NOW + 6 * DAY))
    # Stale: its nextUpdate a second before the start of the audit date.
    start = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)
    (folder / "stale.crl").write_bytes(crl(inter, this_update=start - 8 * DAY,
                                           next_update=start - dt.timedelta(seconds=1)))
    (folder / "other.crl").write_bytes(crl(pki.stranger, this_update=NOW - DAY,
                                           next_update=NOW + DAY))
    # Declared by a system with no certificate at all: read, an input, and unused.
    (folder / "lone.crl").write_bytes(crl(root, this_update=NOW - DAY, next_update=NOW + DAY))
    outside = tmp_path / "outside.crl"
    outside.write_bytes(crl(inter, this_update=NOW - DAY, next_update=NOW + DAY))

    # An endpoint whose intermediate the root's second CRL lists.
    listed_inter = issue("Listed CA (test)", key=ec_key(), not_before=NOW - 300 * DAY,
                         not_after=NOW + 2000 * DAY, issuer=root, ca=True)
    served = issue("cong.example.test", key=ec_key(), not_before=NOW - 30 * DAY,
                   not_after=NOW + 300 * DAY, issuer=listed_inter, sans=("cong.example.test",))
    (folder / "root-2.crl").write_bytes(crl(root, this_update=NOW - DAY,
                                            next_update=NOW + 6 * DAY,
                                            revoked=(listed_inter.cert.serial_number,)))
    with s_server(tmp_path / "srv", served, type(pki)(listed_inter, pki.responder, pki.stranger),
                  None) as port:
        (folder / "00-org.yaml").write_text(
            "organisation:\n  id: tinh-thu\n  name: Tỉnh Thử\n", encoding="utf-8")
        (folder / "so-a.yaml").write_text(
            "agency:\n  id: so-a\n  name: Sở A\n  systems:\n"
            + _system("ky-so", ["sub.crl", "root.crl", "other.crl"],
                      ["good.pem", "revoked.pem"])
            + _system("cu", ["stale.crl"], ["good.pem"])
            + _system("ngoai", [str(outside)], ["good.pem"])
            + _system("khong", [], ["good.pem"])
            + _system("trong", ["lone.crl"], [])
            + _system("web", ["root-2.crl"], [], f"https://127.0.0.1:{port}/"),
            encoding="utf-8")
        out = tmp_path / "r.json"
        result = run_cli("audit", folder, "--live", "--no-legacy", "--as-of",
                         TODAY.isoformat(), "--json", out, "-q", "--output",
                         tmp_path / "r.html", "--lang", "en")
    assert result.code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    document = read_results_json(out)
    by_system: dict[str, dict[str, dict[str, Any]]] = {}
    for system in document["systems"]:
        # CERT-11 judges certificate files, CERT-09 endpoints' certificates.
        by_system[system["id"]] = {
            str(f.get("subject")): f for f in system["findings"]
            if (f["rule_id"], str(f.get("subject")).startswith("file:")) in (
                ("CERT-11", True), ("CERT-09", False))}
    signing_files = by_system["ky-so"]
    assert signing_files["file:good.pem"]["status"] == "pass"
    assert signing_files["file:revoked.pem"]["status"] == "fail"
    assert "a CRL file the inventory declares" in signing_files["file:revoked.pem"]["message"]["en"]
    # other.crl names no issuer of either file: accounted for as unused, not dropped.
    assert "other.crl" in str(signing_files["file:good.pem"]["evidence"])
    stale = by_system["cu"]["file:good.pem"]
    assert stale["status"] == "error"
    assert "stale.crl: stale" in stale["message"]["en"]
    refused = by_system["ngoai"]["file:good.pem"]
    assert refused["status"] == "error"
    assert "outside the inventory's folder tree" in refused["message"]["en"]
    undeclared = by_system["khong"]["file:good.pem"]
    assert undeclared["status"] == "manual"
    assert "tls_policy.crl_files" in undeclared["message"]["en"]
    endpoint = by_system["web"][f"127.0.0.1:{port} [127.0.0.1]"]
    assert endpoint["status"] == "fail", endpoint
    assert "certificate 2 of the chain" in endpoint["message"]["en"]
    # The HTML certificate tables carry CERT-11's result for files, CERT-09's for endpoints.
    # Every declared CRL file read is an input of the run with its SHA-256; the two no verdict
    # rests on are reported unused with the reason, where the inventory names them.
    inputs = {Path(i["path"]).name: i for i in document["run"]["inputs"]
              if i["kind"] == "crl_file"}
    assert set(inputs) == {"sub.crl", "root.crl", "other.crl", "stale.crl", "root-2.crl",
                           "lone.crl"}  # outside.crl is refused unread
    assert inputs["sub.crl"]["sha256"] == hashlib.sha256(
        (folder / "sub.crl").read_bytes()).hexdigest()
    unused = {Path(u["path"]).name: u for u in document["run"]["unused_inputs"]}
    assert set(unused) == {"other.crl", "lone.crl"}
    assert "issuer of no certificate" in unused["other.crl"]["reason"]["en"]
    assert "no certificate judged" in unused["lone.crl"]["reason"]["en"]
    assert unused["other.crl"]["origin"]["file"].endswith("so-a.yaml")
    assert "CRL file" in result.stderr and "other.crl" in result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count(">revoked</td>") == 2  # revoked.pem and the endpoint
    assert page.count(">check failed</td>") == 2  # stale.crl and the refused file
