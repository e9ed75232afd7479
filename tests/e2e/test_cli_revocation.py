"""`auditor audit --live [--revocation]` end to end on a loopback inventory (issue #16,
revocation): `openssl s_server` endpoints on 127.0.0.1 that staple (or not) OCSP responses the
test made, the real `openssl ocsp` responder and a CRL over HTTP named by the certificates.
CERT-09 (revocation status) and CERT-10 (stapling) in the JSON results and the terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import findings_by_subject, read_results_json, run_cli
from cryptography.x509 import ocsp
from probes.revocation_pki import (
    DAY,
    Pki,
    crl,
    index_line,
    leaf,
    make_pki,
    ocsp_response,
    responder,
)
from probes.test_tls_revocation import s_server
from probes.tls_servers import free_port, pem

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TODAY = NOW.date()
NAME = "cong.example.test"


def _inventory(folder: Path, pki: Pki, ports: dict[str, int]) -> Path:
    folder.mkdir()
    (folder / "ca.pem").write_bytes(pem(pki.root.cert))
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-thu\n  name: Tỉnh Thử\n", encoding="utf-8")
    endpoints = "".join(f"        - url: https://127.0.0.1:{port}/\n          kind: api\n"
                        for port in ports.values())
    (folder / "so-a.yaml").write_text(
        "agency:\n  id: so-a\n  name: Sở A\n  systems:\n    - id: cong\n      name: Cổng\n"
        "      system_type: internal\n      lifecycle: production\n      declared_level: 3\n"
        "      tls_policy:\n        ca_bundle: ca.pem\n      endpoints:\n" + endpoints,
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki(NOW)


def test_audit_judges_revocation_with_and_without_the_option(
    tmp_path: Path, pki: Pki
) -> None:
    with responder(tmp_path / "ocsp", pki, "") as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        stapled = leaf(pki, NAME, NOW)
        revoked = leaf(pki, NAME, NOW, ocsp_url=base + "/")
        by_crl = leaf(pki, NAME, NOW, crl_url=base + "/ca.crl")
        dead = leaf(pki, NAME, NOW, ocsp_url=f"http://127.0.0.1:{free_port('127.0.0.1')}/")
        (tmp_path / "ocsp" / "index.txt").write_text(
            index_line(revoked.cert, NOW - 3 * DAY), encoding="ascii")
        server.crls["ca.crl"] = crl(pki.root, this_update=NOW - DAY, next_update=NOW + DAY)
        staple = ocsp_response(stapled.cert, pki.root.cert, pki.root,
                               status=ocsp.OCSPCertStatus.GOOD,
                               this_update=NOW - dt.timedelta(hours=1), next_update=NOW + DAY)
        with s_server(tmp_path / "a", stapled, pki, staple) as a, \
                s_server(tmp_path / "b", revoked, pki, None) as b, \
                s_server(tmp_path / "c", by_crl, pki, None) as c, \
                s_server(tmp_path / "d", dead, pki, None) as d:
            ports = {"stapled": a, "revoked": b, "crl": c, "dead": d}
            inventory = _inventory(tmp_path / "inv", pki, ports)
            runs = {}
            for label, extra in (("off", ()), ("on", ("--revocation",)),
                                 ("nostaple", ("--no-staple",))):
                out = tmp_path / f"{label}.json"
                result = run_cli("audit", inventory, "--live", "--no-legacy", "--as-of",
                                 TODAY.isoformat(), "--json", out, "-q", "--output",
                                 tmp_path / f"{label}.html", "--lang", "en", *extra)
                assert result.code in (0, 1), result.stderr
                assert "Traceback" not in result.stderr
                runs[label] = read_results_json(out)
            asked = list(server.requests)
            probe = run_cli("probe", "tls", inventory, "--no-legacy", "--revocation",
                            "--lang", "en")

    def subject(label: str) -> str:
        return f"127.0.0.1:{ports[label]} [127.0.0.1]"

    off, on = (findings_by_subject(runs[k], "CERT-09") for k in ("off", "on"))
    # Without --revocation: the staple decides; otherwise manual, naming the option.
    assert off[subject("stapled")]["status"] == "pass"
    for label in ("revoked", "crl", "dead"):
        finding = off[subject(label)]
        assert finding["status"] == "manual", finding
        assert "--revocation" in str(finding), finding
    # With it: the responder says revoked, the CRL does not list it, the dead one is an error.
    assert on[subject("stapled")]["status"] == "pass"
    assert on[subject("revoked")]["status"] == "fail", on[subject("revoked")]
    assert on[subject("crl")]["status"] == "pass"
    dead_finding = on[subject("dead")]
    assert dead_finding["status"] == "error"
    assert "connection refused" in str(dead_finding)
    # Only --revocation contacted the services: one OCSP request and one CRL download.
    assert sorted(p.endswith(".crl") for p in asked) == [False, True]
    # The certificate tables carry the status: the HTML report and `probe tls`.
    page = (tmp_path / "on.html").read_text(encoding="utf-8")
    assert page.count(">revoked</td>") == 1 and page.count(">not revoked</td>") == 2
    assert page.count(">check failed</td>") == 1
    assert probe.code == 0, probe.stderr
    assert "revoked (ocsp)" in probe.stdout and "not revoked (staple)" in probe.stdout
    assert "not revoked (crl)" in probe.stdout and "connection refused" in probe.stdout
    # --no-staple: the staple that decided is never asked for; CERT-09 says why it is manual.
    unasked = findings_by_subject(runs["nostaple"], "CERT-09")[subject("stapled")]
    assert unasked["status"] == "manual", unasked
    assert "--no-staple" in unasked["message"]["en"]
    unstapled = findings_by_subject(runs["nostaple"], "CERT-10")[subject("stapled")]
    assert unstapled["status"] == "manual"
    # CERT-10: only the server that staples passes.
    stapling = findings_by_subject(runs["off"], "CERT-10")
    assert stapling[subject("stapled")]["status"] == "pass"
    assert {stapling[subject(k)]["status"] for k in ("revoked", "crl", "dead")} == {"fail"}
