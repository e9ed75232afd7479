"""A live audit over signing-certificate files: CERT-08 judges each file's path to the CA
bundle the system declares (tls_policy.ca_bundle) at --as-of, with a distinct reason for each
defect, in Vietnamese and English; a system without a bundle is `manual` (issue #16, trust of
certificate files). No network: certificate files only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import run_cli
from cryptography.x509.oid import ExtendedKeyUsageOID
from probes.test_cert_trust import signer
from probes.tls_servers import ec_key, issue, pem

AS_OF = dt.date(2026, 11, 24)
MOMENT = dt.datetime.combine(AS_OF, dt.time(), tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

SYSTEM = """    - id: {id}
      name: {name}
      system_type: internal
      lifecycle: production
      declared_level: 2
{policy}      certificates:
{files}"""


def _inventory(directory: Path) -> Path:
    folder = directory / "inv"
    folder.mkdir()
    root = issue("CA gốc Chính phủ (test)", key=ec_key(), not_before=MOMENT - 900 * DAY,
                 not_after=MOMENT + 3000 * DAY, ca=True)
    inter = issue("CA công vụ (test)", key=ec_key(), not_before=MOMENT - 800 * DAY,
                  not_after=MOMENT + 2000 * DAY, issuer=root, ca=True)
    stranger = issue("CA lạ (test)", key=ec_key(), not_before=MOMENT - 900 * DAY,
                     not_after=MOMENT + 3000 * DAY, ca=True)
    stranger_inter = issue("CA lạ trung gian (test)", key=ec_key(),
                           not_before=MOMENT - 800 * DAY, not_after=MOMENT + 2000 * DAY,
                           issuer=stranger, ca=True)
    # Expired the day before the audit date / expiring during it (still valid on it).
    old_inter = issue("CA hết hạn (test)", key=ec_key(), not_before=MOMENT - 800 * DAY,
                      not_after=MOMENT - dt.timedelta(seconds=1), issuer=root, ca=True)
    last_inter = issue("CA ngày cuối (test)", key=ec_key(), not_before=MOMENT - 800 * DAY,
                       not_after=MOMENT + dt.timedelta(hours=20), issuer=root, ca=True)
    in_time = MOMENT - 30 * DAY

    def leaf(cn: str, issuer: Any, **kw: Any) -> bytes:
        return pem(signer(cn, issuer, not_before=in_time,
                          not_after=kw.pop("not_after", MOMENT + 300 * DAY), **kw).cert)

    files = {
        "good.pem": leaf("Tốt", inter) + pem(inter.cert),
        "self.pem": pem(signer("Tự ký", None, not_before=in_time,
                               not_after=MOMENT + 300 * DAY).cert),
        "unknown.pem": leaf("Lạ", stranger_inter) + pem(stranger_inter.cert)
        + pem(stranger.cert),
        "incomplete.pem": leaf("Thiếu", inter),
        "old-inter.pem": leaf("Cũ", old_inter, not_after=MOMENT - dt.timedelta(seconds=2))
        + pem(old_inter.cert),
        "last-day.pem": leaf("Cuối", last_inter, not_after=MOMENT + dt.timedelta(hours=19))
        + pem(last_inter.cert),
        "tls-server.pem": leaf("TLS", inter, ekus=(ExtendedKeyUsageOID.SERVER_AUTH,))
        + pem(inter.cert),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "ca-chinh-phu.pem").write_bytes(pem(root.cert))
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-thu\n  name: Tỉnh Thử\n", encoding="utf-8")
    declared = SYSTEM.format(
        id="ky-so", name="Ký số",
        policy="      tls_policy:\n        ca_bundle: ca-chinh-phu.pem\n",
        files="".join(f"        - file: {name}\n" for name in files),
    )
    undeclared = SYSTEM.format(id="khong-ca", name="Không CA", policy="",
                               files="        - file: good.pem\n")
    (folder / "so-a.yaml").write_text(
        f"agency:\n  id: so-a\n  name: Sở A\n  systems:\n{declared}{undeclared}",
        encoding="utf-8")
    return folder


def _findings(node: object, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if "rule_id" in node and "status" in node:
            found.append(node)
        for value in node.values():
            _findings(value, found)
    elif isinstance(node, list):
        for value in node:
            _findings(value, found)
    return found


def test_each_trust_defect_of_a_file_is_its_own_reason(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    out = tmp_path / "audit.json"
    result = run_cli("audit", inventory, "--live", "--resolver", "127.0.0.1", "--as-of",
                     AS_OF.isoformat(), "--json", out, "-q")
    assert result.code in (0, 1), result.stderr
    text = out.read_text(encoding="utf-8")
    assert "internal error" not in text.lower()
    document = json.loads(text)
    texts = document["texts"]  # messages are indexes into this table
    by_subject: dict[tuple[str, str], dict[str, Any]] = {}
    for system in document["systems"]:
        for finding in _findings(system, []):
            message = finding.get("message")
            if finding["rule_id"] == "CERT-08":  # a shared text is an index into `texts`
                text_of = texts[message] if isinstance(message, int) else message
                finding = {**finding, "message": text_of}
                by_subject[(system["id"], str(finding.get("subject")))] = finding
    expected = {
        "good.pem": ("pass", None, None),
        "last-day.pem": ("pass", None, None),
        "self.pem": ("fail", "self-signed certificate", "chứng thư tự ký"),
        "unknown.pem": ("fail", "issuer not trusted (unknown CA)",
                        "tổ chức cấp không được tin cậy"),
        "incomplete.pem": ("fail", "incomplete chain", "chuỗi chứng thư không đầy đủ"),
        "old-inter.pem": ("fail", "intermediate certificate expired",
                          "chứng thư trung gian đã hết hạn"),
        "tls-server.pem": ("fail", "certificate not meant for signing",
                           "chứng thư không dùng cho mục đích ký"),
    }
    for name, (status, en, vi) in expected.items():
        finding = by_subject[("ky-so", f"file:{name}")]
        assert finding["status"] == status, (name, finding["message"])
        if en is not None and vi is not None:
            assert en in finding["message"]["en"], (name, finding["message"])
            assert vi in finding["message"]["vi"], (name, finding["message"])
    manual = by_subject[("khong-ca", "file:good.pem")]
    assert manual["status"] == "manual", manual["message"]
    assert "tls_policy.ca_bundle" in manual["message"]["en"]


def test_the_probe_table_tells_each_file_trust_in_words(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    result = run_cli("probe", "tls", inventory, "--resolver", "127.0.0.1", "--as-of",
                     AS_OF.isoformat())
    assert result.code == 0, result.stderr
    rows = {line.split("│")[2].strip(): line for line in result.stdout.splitlines()
            if "file:" in line and "ky-so" in line}
    assert "không (chứng thư tự ký)" in rows["file:self.pem"]
    assert "không (chứng thư trung gian đã hết hạn)" in rows["file:old-inter.pem"]
    assert "│ có " in rows["file:last-day.pem"]


def test_a_bundle_outside_the_inventory_tree_is_an_error_not_a_verdict(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    outside = tmp_path / "ca-ngoai.pem"
    outside.write_bytes((inventory / "ca-chinh-phu.pem").read_bytes())
    system_file = inventory / "so-a.yaml"
    system_file.write_text(
        system_file.read_text(encoding="utf-8").replace(
            "ca_bundle: ca-chinh-phu.pem", "ca_bundle: ../ca-ngoai.pem"),
        encoding="utf-8")
    out = tmp_path / "audit.json"
    result = run_cli("audit", inventory, "--live", "--resolver", "127.0.0.1", "--as-of",
                     AS_OF.isoformat(), "--json", out, "-q")
    assert result.code in (0, 1), result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    system = next(s for s in document["systems"] if s["id"] == "ky-so")
    found = [f for f in _findings(system, []) if f["rule_id"] == "CERT-08"]
    assert found and {f["status"] for f in found} == {"error"}
    message = found[0]["message"]
    text = document["texts"][message] if isinstance(message, int) else message
    assert "tls_policy.ca_bundle" in text["en"] and "outside" in text["en"]
