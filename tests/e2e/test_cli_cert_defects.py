"""A live audit over a certificate file with unreadable certificates and a SHA-1 intermediate:
each unreadable certificate is an `error` of its own saying why, the rest of the file is still
judged, and no rule reports an internal error (issue #16, Correctness)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import run_cli
from probes.der_certs import malformed, resign_sha1
from probes.tls_servers import ec_key, issue, pem, rsa_key

AS_OF = dt.date(2026, 11, 24)


def _pem_der(der: bytes) -> bytes:
    return (b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der)
            + b"-----END CERTIFICATE-----\n")


def _inventory(directory: Path) -> Path:
    folder = directory / "inv"
    folder.mkdir()
    moment = dt.datetime.combine(AS_OF, dt.time(), tzinfo=dt.UTC)
    root = issue("Root (test)", key=rsa_key(2048), not_before=moment - dt.timedelta(days=900),
                 not_after=moment + dt.timedelta(days=3000), ca=True)
    inter = issue("Sub CA (test)", key=rsa_key(2048), not_before=moment - dt.timedelta(days=800),
                  not_after=moment + dt.timedelta(days=2000), issuer=root, ca=True)
    weak_inter = resign_sha1(inter.cert, root.key)  # type: ignore[arg-type]
    leaf = issue("ky-so.anbinh.test", key=ec_key(), not_before=moment - dt.timedelta(days=30),
                 not_after=moment + dt.timedelta(days=300), issuer=inter)
    (folder / "mixed.pem").write_bytes(
        pem(leaf.cert) + _pem_der(malformed("empty_rdn")) + pem(weak_inter)
        + _pem_der(malformed("bad_version")) + pem(root.cert))
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-thu\n  name: Tỉnh Thử\n", encoding="utf-8")
    (folder / "so-a.yaml").write_text(
        """agency:
  id: so-a
  name: Sở A
  systems:
    - id: ky-so
      name: Ký số
      system_type: internal
      lifecycle: production
      declared_level: 2
      certificates:
        - file: mixed.pem
""",
        encoding="utf-8",
    )
    return folder


def _findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "rule_id" in node and "status" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


def test_unreadable_certificates_are_errors_and_the_rest_is_judged(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    out = tmp_path / "audit.json"
    result = run_cli("audit", inventory, "--live", "--resolver", "127.0.0.1", "--as-of",
                     AS_OF.isoformat(), "--json", out, "-q")
    assert result.code in (0, 1), result.stderr
    text = out.read_text(encoding="utf-8")
    assert "internal error" not in text.lower()
    findings = {(f["rule_id"], f.get("subject")): f for f in _findings(json.loads(text))
                if str(f["rule_id"]).startswith("CERT-")}
    assert findings, text[:2000]
    # The two unreadable certificates (2nd and 4th of the file) are errors of their own,
    # saying why, on every CERT rule.
    for rule in ("CERT-01", "CERT-04", "CERT-05"):
        second = findings[(rule, "file:mixed.pem #2")]
        fourth = findings[(rule, "file:mixed.pem #4")]
        assert (second["status"], fourth["status"]) == ("error", "error")
        second_text = json.dumps(second, ensure_ascii=False)
        assert "unreadable certificate: a relative distinguished name cannot be empty" in (
            second_text)
        assert "(certificate 2 of the file)" in second_text
        assert "not a valid X509 version" in json.dumps(fourth, ensure_ascii=False)
        # The file itself is still judged.
        assert findings[(rule, "file:mixed.pem")]["status"] in ("pass", "fail")
    assert findings[("CERT-01", "file:mixed.pem")]["status"] == "pass"
    assert findings[("CERT-04", "file:mixed.pem")]["status"] == "pass"
    # The SHA-1 intermediate (the leaf's issuer, second once the file is ordered) is found.
    cert05 = findings[("CERT-05", "file:mixed.pem")]
    assert cert05["status"] == "fail"
    assert "'chain_signature_hash' is 'sha1'" in cert05["message"]["en"]
    # The evidence it cites (explain: chain_weak_signatures) names the certificate.
    assert "#2 CN=Sub CA (test),O=auditor test PKI (sha1)" in text
