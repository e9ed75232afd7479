"""`auditor bundle create` / `bundle verify` through the real CLI, with a test PKI made here
(root → "Government CA"-like intermediate → signer, `tests/signing_pki.py`).

A bundle made from the example province's results and annual figures verifies, and openssl
verifies its signature independently. Each way a bundle can go wrong is then made for real and
must be named: a flipped byte in a member, an edited manifest, an unlisted member, a missing
member, a signer the CA bundle does not lead to, a signer expired or not yet valid when it
signed, a signer without a signing key usage, and trust left unknown without --ca-bundle
(exit 1); a file that is no bundle, unsafe member names and a zip bomb (exit 2). Creating a
bundle with a key that is not the certificate's, or a certificate unfit for signing, is
refused (exit 2) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, CliResult, run_cli
from signing_pki import DAY, NOW, Pki, issue, make_pki

from auditor.bundle.create import BundleRequest, create_bundle
from auditor.bundle.credentials import Signer
from auditor.bundle.verify import MemberNotVerifiedError, verify_bundle


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example province audited into a store of its own, its results and annual
    figures, and the test PKI."""
    folder = tmp_path_factory.mktemp("bundle")
    db = folder / "history.sqlite"
    results = folder / "results.json"
    audited = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--json", results,
                      "--db", db, "-q")
    assert audited.code in (0, 1), audited.stderr
    annual = folder / "annual.json"
    made = run_cli("report", "annual", "--year", "2026", "--json", annual, "--db", db, "-q")
    assert made.code == 0, made.stderr
    return {"folder": folder, "db": db, "results": results, "annual": annual,
            "pki": make_pki(folder)}


def create(work: dict[str, Any], out: Path, *extra: str | Path,
           signer: list[str] | None = None) -> CliResult:
    pki: Pki = work["pki"]
    return run_cli("bundle", "create", work["results"], "-o", out, "--annual", work["annual"],
                   *(signer if signer is not None else pki.signer_files()), *extra,
                   "--lang", "en")


def verify(path: Path, *extra: str | Path) -> CliResult:
    return run_cli("bundle", "verify", path, *extra, "--lang", "en")


@pytest.fixture(scope="module")
def good(work: dict[str, Any]) -> Path:
    out = work["folder"] / "province-2026.bundle"
    made = create(work, out)
    assert made.code == 0, made.stderr
    return out


def rewrite(source: Path, target: Path, change: Any) -> Path:
    """A copy of the bundle `source` with its members changed by `change(dict)`."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


# --------------------------------------------------------------------------------------------
# A good bundle


def test_bundle_verifies_with_the_ca_bundle(work: dict[str, Any], good: Path) -> None:
    pki: Pki = work["pki"]
    result = verify(good, "--ca-bundle", pki.root_pem)
    assert result.code == 0, result.stdout + result.stderr
    assert "VERIFIED" in result.stdout
    assert "Test PKI" in result.stdout and "Khoa học" in result.stdout
    as_json = run_cli("bundle", "verify", good, "--ca-bundle", pki.root_pem, "--json")
    document = json.loads(as_json.stdout)
    assert as_json.code == 0 and document["ok"] is True and document["problems"] == []
    assert document["members"] == ["results.json", "annual.json"]


def test_manifest_lists_every_member_and_the_annual_year(work: dict[str, Any],
                                                          good: Path) -> None:
    with zipfile.ZipFile(good) as archive:
        names = sorted(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert names == ["annual.json", "manifest.json", "manifest.json.p7s", "results.json"]
    assert manifest["format"] == "auditor-bundle" and manifest["version"] == 1
    assert manifest["organisation"] == {"id": "tinh-an-binh",
                                        "name": "Ủy ban nhân dân tỉnh An Bình"}
    assert manifest["year"] == 2026
    assert [m["name"] for m in manifest["members"]] == ["results.json", "annual.json"]
    assert manifest["members"][0]["size"] == work["results"].stat().st_size


def test_openssl_verifies_the_signature_independently(work: dict[str, Any], good: Path,
                                                      tmp_path: Path) -> None:
    with zipfile.ZipFile(good) as archive:
        archive.extractall(tmp_path)
    command = ["openssl", "cms", "-verify", "-binary", "-inform", "DER",
               "-in", str(tmp_path / "manifest.json.p7s"),
               "-content", str(tmp_path / "manifest.json"),
               "-CAfile", str(work["pki"].root_pem), "-out", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out").read_bytes() == (tmp_path / "manifest.json").read_bytes()
    # and openssl refuses it against a root that did not issue the chain
    other = work["folder"] / "other-root.pem"
    other.write_bytes(issue("Other Root", None, ca=True, sign=False).pem())
    command[command.index("-CAfile") + 1] = str(other)
    refused = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert refused.returncode != 0


def test_api_gives_verified_members_only(work: dict[str, Any], good: Path,
                                         tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    result = verify_bundle(good, ca_bundle=pki.root_pem)
    assert result.ok() and result.signer is not None and "Government" not in result.signer
    assert result.member("results.json") == work["results"].read_bytes()
    assert result.manifest is not None and result.manifest["year"] == 2026
    assert result.signed_at is not None and abs(result.signed_at - NOW) < dt.timedelta(hours=1)
    with pytest.raises(MemberNotVerifiedError):
        result.member("report.html")
    unknown = verify_bundle(good, ca_bundle=None)
    assert not unknown.ok()
    with pytest.raises(MemberNotVerifiedError):
        unknown.member("results.json")


def test_without_ca_bundle_trust_is_unknown_not_a_pass(good: Path) -> None:
    result = verify(good)
    assert result.code == 1
    assert "unknown: no --ca-bundle" in result.stderr


def test_as_of_before_the_signature(work: dict[str, Any], good: Path) -> None:
    pki: Pki = work["pki"]
    today = NOW.date()
    before = verify(good, "--ca-bundle", pki.root_pem, "--as-of",
                    (today - dt.timedelta(days=1)).isoformat())
    assert before.code == 1 and "after --as-of" in before.stderr
    same_day = verify(good, "--ca-bundle", pki.root_pem, "--as-of", today.isoformat())
    assert same_day.code == 0, same_day.stderr


def test_bundle_of_a_stored_run(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    listed = run_cli("history", "list", "--db", work["db"], "--json")
    run_id = json.loads(listed.stdout)[0]["id"]
    out = tmp_path / "run.bundle"
    made = run_cli("bundle", "create", str(run_id), "-o", out, "--db", work["db"],
                   *pki.signer_files())
    assert made.code == 0, made.stderr
    result = verify_bundle(out, ca_bundle=pki.root_pem)
    assert result.ok(), result.problems
    assert result.manifest is not None and result.manifest["run_id"] == str(run_id)
    assert json.loads(result.member("run.json"))["run"]["id"] == run_id
    missing = run_cli("bundle", "create", "999999", "-o", tmp_path / "no.bundle",
                      "--db", work["db"], *pki.signer_files(), "--lang", "en")
    assert missing.code == 2 and "no run 999999" in missing.stderr
    assert not (tmp_path / "no.bundle").exists()


# --------------------------------------------------------------------------------------------
# Tampering: each named, exit 1


def test_flipped_byte_in_results_is_named(work: dict[str, Any], good: Path,
                                          tmp_path: Path) -> None:
    def flip(members: dict[str, bytes]) -> None:
        data = bytearray(members["results.json"])
        data[len(data) // 2] ^= 0x01
        members["results.json"] = bytes(data)

    result = verify(rewrite(good, tmp_path / "t.bundle", flip), "--ca-bundle",
                    work["pki"].root_pem)
    assert result.code == 1
    assert "member results.json was tampered with" in result.stderr
    assert "annual.json" not in result.stderr


def test_edited_manifest_breaks_the_signature(work: dict[str, Any], good: Path,
                                              tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        members["manifest.json"] = members["manifest.json"].replace(b'"year": 2026',
                                                                    b'"year": 2025')

    result = verify(rewrite(good, tmp_path / "t.bundle", edit), "--ca-bundle",
                    work["pki"].root_pem)
    assert result.code == 1
    assert "bad signature: manifest.json was altered" in result.stderr


def test_unlisted_and_missing_members_are_named(work: dict[str, Any], good: Path,
                                                tmp_path: Path) -> None:
    def extra(members: dict[str, bytes]) -> None:
        members["report.html"] = b"<html></html>"

    def drop(members: dict[str, bytes]) -> None:
        del members["annual.json"]

    root = work["pki"].root_pem
    added = verify(rewrite(good, tmp_path / "a.bundle", extra), "--ca-bundle", root)
    assert added.code == 1 and "member report.html is not listed" in added.stderr
    dropped = verify(rewrite(good, tmp_path / "d.bundle", drop), "--ca-bundle", root)
    assert dropped.code == 1 and "member annual.json is missing" in dropped.stderr
    same = verify(rewrite(good, tmp_path / "s.bundle", lambda m: None), "--ca-bundle", root)
    assert same.code == 0, same.stderr  # rewriting alone changes nothing that is checked


# --------------------------------------------------------------------------------------------
# The signer: trust, validity at signing time, key usage


def test_untrusted_signer(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    rogue_root = issue("Rogue Root", None, ca=True, sign=False)
    rogue = issue("Rogue signer", rogue_root)
    out = tmp_path / "rogue.bundle"
    made = create(work, out, signer=pki.signer_files(rogue, "rogue")[:4])
    assert made.code == 0, made.stderr
    result = verify(out, "--ca-bundle", pki.root_pem)
    assert result.code == 1 and "is not trusted" in result.stderr
    # the same bundle with the rogue root as the bundle verifies: the reason was the issuer
    rogue_pem = pki.write("rogue-root.pem", rogue_root.pem())
    assert verify(out, "--ca-bundle", rogue_pem).code == 0


@pytest.mark.parametrize(("not_before", "not_after", "named"), [
    (NOW - 400 * DAY, NOW - DAY, "expired on"),
    (NOW + DAY, NOW + 400 * DAY, "valid only from"),
])
def test_signer_outside_its_validity_at_signing_time(
    work: dict[str, Any], tmp_path: Path, not_before: dt.datetime, not_after: dt.datetime,
    named: str,
) -> None:
    pki: Pki = work["pki"]
    signer = issue("Out of validity", pki.gov_ca, not_before=not_before, not_after=not_after)
    out = tmp_path / "v.bundle"
    assert create(work, out, signer=pki.signer_files(signer, "v")).code == 0
    result = verify(out, "--ca-bundle", pki.root_pem)
    assert result.code == 1 and named in result.stderr


def test_signer_without_signing_key_usage(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    unfit = issue("Encryption only", pki.gov_ca, sign=False)
    out = tmp_path / "u.bundle"
    refused = create(work, out, signer=pki.signer_files(unfit, "u"))
    assert refused.code == 2
    assert "neither digitalSignature nor nonRepudiation" in refused.stderr
    assert not out.exists()
    # signed anyway (through the API, which takes a Signer as given): verify names it
    create_bundle(BundleRequest(output=out, signer=Signer(unfit.certificate, unfit.key,
                                                          (pki.gov_ca.certificate,)),
                                results=work["results"]))
    result = verify(out, "--ca-bundle", pki.root_pem)
    assert result.code == 1 and "(wrong key usage)" in result.stderr


def test_signer_for_tls_only_is_refused(work: dict[str, Any], tmp_path: Path) -> None:
    from cryptography.x509.oid import ExtendedKeyUsageOID

    pki: Pki = work["pki"]
    tls_only = issue("TLS server", pki.gov_ca, purposes=[ExtendedKeyUsageOID.SERVER_AUTH])
    out = tmp_path / "tls.bundle"
    refused = create(work, out, signer=pki.signer_files(tls_only, "tls"))
    assert refused.code == 2 and "(serverAuth) has no signing purpose" in refused.stderr
    assert not out.exists()
    signing = issue("Document signer", pki.gov_ca,
                    purposes=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CODE_SIGNING])
    made = create(work, out, signer=pki.signer_files(signing, "doc"))
    assert made.code == 0, made.stderr
    assert verify(out, "--ca-bundle", pki.root_pem).code == 0


def test_key_that_is_not_the_certificates(work: dict[str, Any], tmp_path: Path) -> None:
    pki: Pki = work["pki"]
    other = issue("Other", pki.gov_ca)
    files = pki.signer_files()
    files[files.index("--key") + 1] = str(pki.write("other.key", other.key_pem()))
    out = tmp_path / "m.bundle"
    result = create(work, out, signer=files)
    assert result.code == 2
    assert "the private key does not match the certificate" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_encrypted_key_and_pkcs12_with_passphrase_from_the_environment(
    work: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    pki: Pki = work["pki"]
    key = pki.write("enc.key", pki.signer.key_pem(b"mat-khau-thu"))
    p12 = pki.write("signer.p12", pkcs12.serialize_key_and_certificates(
        b"signer", pki.signer.key, pki.signer.certificate, [pki.gov_ca.certificate],
        BestAvailableEncryption(b"mat-khau-thu")))
    cert = str(pki.write("enc.pem", pki.signer.pem()))
    chain = str(pki.write("chain.pem", pki.gov_ca.pem()))
    with_key = ["--cert", cert, "--key", str(key), "--chain", chain]
    with_p12 = ["--pkcs12", str(p12)]
    monkeypatch.delenv("AUDITOR_KEY_PASSPHRASE", raising=False)
    for signer in (with_key, with_p12):
        refused = create(work, tmp_path / "n.bundle", signer=signer)
        assert refused.code == 2 and "passphrase is wrong or missing" in refused.stderr
    monkeypatch.setenv("AUDITOR_KEY_PASSPHRASE", "sai")
    assert create(work, tmp_path / "n.bundle", signer=with_key).code == 2
    assert not (tmp_path / "n.bundle").exists()
    monkeypatch.setenv("AUDITOR_KEY_PASSPHRASE", "mat-khau-thu")
    for index, signer in enumerate((with_key, with_p12)):
        out = tmp_path / f"ok{index}.bundle"
        made = create(work, out, signer=signer)
        assert made.code == 0, made.stderr
        assert verify(out, "--ca-bundle", pki.root_pem).code == 0


def test_annual_figures_of_another_organisation_are_refused(work: dict[str, Any],
                                                            tmp_path: Path) -> None:
    document = json.loads(work["annual"].read_text(encoding="utf-8"))
    document["figures"]["organisation"] = "tinh-khac"
    other = tmp_path / "other-annual.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    pki: Pki = work["pki"]
    out = tmp_path / "o.bundle"
    result = run_cli("bundle", "create", work["results"], "-o", out, "--annual", other,
                     *pki.signer_files(), "--lang", "en")
    assert result.code == 2 and "not tinh-an-binh" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda d: d["systems"][1]["findings"][0].update(message=10**6),
         "field 'systems.1.findings.0': a text or fact it names is not there"),
        (lambda d: d["systems"][1].update(level="high"), "systems.1.level"),
        (lambda d: d.update(schema_version="3.0"), "'3.0' is not one this auditor reads"),
    ],
    ids=["reference", "system field", "schema version"],
)
def test_results_that_do_not_read_are_refused(work: dict[str, Any], tmp_path: Path,
                                              damage: Any, says: str) -> None:
    """Checked one system at a time, still refused as the full reader refuses them."""
    document = json.loads(work["results"].read_bytes())
    damage(document)
    results = tmp_path / "results.json"
    results.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    pki: Pki = work["pki"]
    out = tmp_path / "o.bundle"
    made = run_cli("bundle", "create", results, "-o", out, *pki.signer_files(), "--lang", "en")
    assert made.code == 2 and says in made.stderr, made.stderr
    assert str(results) in made.stderr and "Traceback" not in made.stderr
    assert not out.exists()


# --------------------------------------------------------------------------------------------
# Not a bundle at all: exit 2


def _zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_malformed_bundles_exit_2(good: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good) as archive:
        manifest = archive.read("manifest.json")
        signature = archive.read("manifest.json.p7s")
    cases = {
        "not a valid ZIP file": tmp_path / "plain.bundle",
        "member name not allowed: '../evil.json'": _zip(
            tmp_path / "dotdot.bundle", [("manifest.json", manifest), ("../evil.json", b"{}")]),
        "member name not allowed: '/etc/passwd'": _zip(
            tmp_path / "abs.bundle", [("manifest.json", manifest), ("/etc/passwd", b"x")]),
        "abnormal compression ratio": _zip(
            tmp_path / "bomb.bundle", [("manifest.json", manifest),
                                       ("manifest.json.p7s", signature),
                                       ("results.json", b"\0" * (64 << 20))]),
        "manifest.json.p7s is missing": _zip(tmp_path / "nosig.bundle",
                                             [("manifest.json", manifest)]),
        "manifest.json: not valid UTF-8 JSON": _zip(
            tmp_path / "badjson.bundle", [("manifest.json", b"{"),
                                          ("manifest.json.p7s", signature)]),
    }
    (tmp_path / "plain.bundle").write_text("not a zip", encoding="utf-8")
    for message, path in cases.items():
        result = verify(path)
        assert result.code == 2, (message, result.stderr)
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_duplicate_member_names_exit_2(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "dup.bundle"
    shutil.copy(good, path)
    with (pytest.warns(UserWarning, match="Duplicate name"),
          zipfile.ZipFile(path, "a") as archive):
        archive.writestr("results.json", b"{}")
    result = verify(path)
    assert result.code == 2 and "member results.json appears twice" in result.stderr
