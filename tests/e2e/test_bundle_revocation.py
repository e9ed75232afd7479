"""`bundle verify --crl FILE` / `--revocation`: the signer's certificate checked for revocation
through the real CLI, with CRLs made here by `cryptography`'s CertificateRevocationListBuilder,
the real `openssl ocsp` responder on 127.0.0.1 (tests/probes/revocation_pki.py) and a real
TSA on 127.0.0.1 (tests/tsa_server.py).

Revoked at or before the signing time → exit 1 named; revoked after it → the signature stands
with a time stamp (a note), fails without one (the signing time is then the signer's claim);
a CRL not listing it → pass and "checked"; no source → "revocation not checked" said, exit as
before; a stale CRL, one signed by another key, one by another CA → exit 1 naming the file;
a --crl file that is no CRL or is missing → exit 2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, CliResult, run_cli
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from probes.revocation_pki import Pki as ResponderPki
from probes.revocation_pki import index_line, responder
from probes.tls_servers import Issued as TlsIssued
from signing_pki import DAY, NOW, Issued, Pki, crl_file, issue, make_pki
from tsa_server import loopback_tsa

from auditor.bundle.create import BundleRequest, create_bundle
from auditor.bundle.credentials import Signer
from auditor.bundle.verify import verify_bundle

TOMORROW = (NOW + DAY).date().isoformat()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("signrev")
    results = folder / "results.json"
    done = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--json", results,
                   "--no-history", "-q")
    assert done.code in (0, 1), done.stderr
    return {"folder": folder, "results": results, "pki": make_pki(folder)}


def make_bundle(work: dict[str, Any], out: Path, signer: Issued | None = None,
                tsa: str | None = None) -> dt.datetime:
    """A bundle signed by `signer` (default the PKI's); its signing time as verified."""
    pki: Pki = work["pki"]
    who = signer or pki.signer
    create_bundle(BundleRequest(output=out, results=work["results"], tsa=tsa, signer=Signer(
        who.certificate, who.key, (pki.gov_ca.certificate,))))
    signed_at = verify_bundle(out, ca_bundle=pki.root_pem).signed_at
    assert signed_at is not None
    return signed_at


def verify(path: Path, pki: Pki, *extra: str | Path) -> CliResult:
    return run_cli("bundle", "verify", path, "--ca-bundle", pki.root_pem, *extra,
                   "--lang", "en")


@pytest.fixture(scope="module")
def plain(work: dict[str, Any]) -> tuple[Path, dt.datetime]:
    out = work["folder"] / "plain.bundle"
    return out, make_bundle(work, out)


def test_no_source_says_not_checked_and_keeps_the_exit_code(
    work: dict[str, Any], plain: tuple[Path, dt.datetime]
) -> None:
    pki: Pki = work["pki"]
    text = verify(plain[0], pki)
    assert text.code == 0, text.stderr
    assert "revocation not checked" in text.stdout
    as_json = run_cli("bundle", "verify", plain[0], "--ca-bundle", pki.root_pem, "--json")
    revocation = json.loads(as_json.stdout)["revocation"]
    assert as_json.code == 0
    assert revocation["checked"] is False and revocation["status"] == "not_checked"
    assert "revocation not checked" in revocation["note"]["en"]


def test_a_crl_not_listing_the_signer_passes_and_says_checked(
    work: dict[str, Any], plain: tuple[Path, dt.datetime]
) -> None:
    pki: Pki = work["pki"]
    other = issue("Someone else", pki.gov_ca).certificate.serial_number
    crl = crl_file(work["folder"], "clean.crl", pki.gov_ca, revoked=((other, NOW - DAY),))
    result = verify(plain[0], pki, "--crl", crl)
    assert result.code == 0, result.stderr
    assert "revocation checked: the signer's certificate is not revoked" in result.stdout
    assert "clean.crl" in result.stdout
    as_json = run_cli("bundle", "verify", plain[0], "--ca-bundle", pki.root_pem, "--crl", crl,
                      "--json")
    revocation = json.loads(as_json.stdout)["revocation"]
    assert revocation["checked"] is True and revocation["status"] == "good"


@pytest.mark.parametrize("offset", [dt.timedelta(0), -DAY])
def test_revoked_at_or_before_signing_fails_named(
    work: dict[str, Any], plain: tuple[Path, dt.datetime], offset: dt.timedelta
) -> None:
    pki: Pki = work["pki"]
    path, signed_at = plain
    when = signed_at + offset
    crl = crl_file(work["folder"], "before.crl", pki.gov_ca,
                   revoked=((pki.signer.certificate.serial_number, when),))
    result = verify(path, pki, "--crl", crl)
    assert result.code == 1, result.stdout + result.stderr
    assert f"revoked on {when:%Y-%m-%d %H:%M:%S} UTC (keyCompromise), before it signed" \
        in result.stderr
    vi = run_cli("bundle", "verify", path, "--ca-bundle", pki.root_pem, "--crl", crl)
    assert f"bị thu hồi ngày {when:%d/%m/%Y}" in vi.stderr and "trước khi ký" in vi.stderr


def test_revoked_after_signing_without_a_time_stamp_fails(
    work: dict[str, Any], plain: tuple[Path, dt.datetime]
) -> None:
    pki: Pki = work["pki"]
    path, signed_at = plain
    crl = crl_file(work["folder"], "after.crl", pki.gov_ca, revoked=(
        (pki.signer.certificate.serial_number, signed_at + dt.timedelta(seconds=1)),))
    result = verify(path, pki, "--crl", crl, "--as-of", TOMORROW)
    assert result.code == 1, result.stdout + result.stderr
    assert "is the signer's own claim (no time stamp)" in result.stderr


def test_revoked_after_a_time_stamped_signing_stands(work: dict[str, Any]) -> None:
    pki: Pki = work["pki"]
    out = work["folder"] / "stamped.bundle"
    with loopback_tsa(pki) as url:
        signed_at = make_bundle(work, out, tsa=url)
    serial = pki.signer.certificate.serial_number
    later = crl_file(work["folder"], "later.crl", pki.gov_ca,
                     revoked=((serial, signed_at + dt.timedelta(seconds=1)),))
    stands = verify(out, pki, "--crl", later, "--as-of", TOMORROW)
    assert stands.code == 0, stands.stderr
    assert "after the time-stamped signing time" in stands.stdout
    assert "the signature stands" in stands.stdout and "keyCompromise" in stands.stdout
    as_json = run_cli("bundle", "verify", out, "--ca-bundle", pki.root_pem, "--crl", later,
                      "--as-of", TOMORROW, "--json")
    revocation = json.loads(as_json.stdout)["revocation"]
    assert revocation["status"] == "revoked_after" and revocation["checked"] is True
    at_once = crl_file(work["folder"], "same.crl", pki.gov_ca, revoked=((serial, signed_at),))
    refused = verify(out, pki, "--crl", at_once, "--as-of", TOMORROW)
    assert refused.code == 1 and "before it signed" in refused.stderr


def test_unusable_crls_fail_naming_the_file(
    work: dict[str, Any], plain: tuple[Path, dt.datetime]
) -> None:
    pki: Pki = work["pki"]
    folder: Path = work["folder"]
    stale = crl_file(folder, "stale.crl", pki.gov_ca, this_update=NOW - 9 * DAY,
                     next_update=NOW - DAY)
    forged = crl_file(folder, "forged.crl", pki.gov_ca, key=ec.generate_private_key(
        ec.SECP256R1()))
    elsewhere = crl_file(folder, "root.crl", pki.root)
    cases = {stale: "stale: its nextUpdate", forged: "signature does not verify",
             elsewhere: "no --crl file is from the signer's issuer"}
    for crl, named in cases.items():
        result = verify(plain[0], pki, "--crl", crl)
        assert result.code == 1, (crl, result.stdout, result.stderr)
        assert crl.name in result.stderr and named in result.stderr, result.stderr
    # another CA's CRL beside the signer's issuer's: not used, and said so
    beside = verify(plain[0], pki, "--crl", elsewhere, "--crl",
                    crl_file(folder, "gov.crl", pki.gov_ca))
    assert beside.code == 0, beside.stderr
    assert f"CRLs not used (not from the signer's issuer): {elsewhere}" in beside.stdout
    # the same stale CRL was current on a day before its nextUpdate (--as-of)
    earlier = verify(plain[0], pki, "--crl", stale, "--as-of", (NOW - 2 * DAY).date().isoformat())
    assert "stale" not in earlier.stderr


@pytest.mark.parametrize(("this_update", "next_update", "said_vi", "said_en"), [
    (NOW - 9 * DAY, NOW - DAY, "đã cũ: nextUpdate {next:%d/%m/%Y %H:%M:%S} UTC trước thời "
     "điểm xác minh ", "stale: its nextUpdate {next:%Y-%m-%d %H:%M:%S} UTC is before the "
     "verification instant "),
    (NOW + DAY, NOW + 9 * DAY, "phát hành lúc {this:%d/%m/%Y %H:%M:%S} UTC, sau thời điểm xác "
     "minh ", "issued {this:%Y-%m-%d %H:%M:%S} UTC, after the verification instant "),
])
def test_an_out_of_date_crl_names_the_verification_instant_in_each_language(
    work: dict[str, Any], plain: tuple[Path, dt.datetime], this_update: dt.datetime,
    next_update: dt.datetime, said_vi: str, said_en: str,
) -> None:
    """The reason is worded for a signature (the verification instant, not an audit's), and
    the Vietnamese output has no English left in it."""
    pki: Pki = work["pki"]
    crl = crl_file(work["folder"], "out-of-date.crl", pki.gov_ca, this_update=this_update,
                   next_update=next_update)
    dates = {"this": this_update, "next": next_update}
    vi = run_cli("bundle", "verify", plain[0], "--ca-bundle", pki.root_pem, "--crl", crl,
                 "--lang", "vi")
    assert vi.code == 1, vi.stdout + vi.stderr
    assert said_vi.format(**dates) in vi.stderr, vi.stderr
    assert "không xác định được tình trạng thu hồi chứng thư số của người ký từ --crl" \
        in vi.stderr
    for english in ("audit", "instant", "stale", "issued", "before", "after", "exist",
                    "revocation", "cannot", "signer"):
        assert english not in vi.stdout + vi.stderr, english
    en = verify(plain[0], pki, "--crl", crl)
    assert en.code == 1 and said_en.format(**dates) in en.stderr, en.stderr
    assert "audit instant" not in en.stderr


def test_a_crl_file_that_cannot_be_used_is_bad_input(
    work: dict[str, Any], plain: tuple[Path, dt.datetime]
) -> None:
    pki: Pki = work["pki"]
    junk = work["folder"] / "junk.crl"
    junk.write_bytes(b"not a CRL")
    for crl, named in ((junk, "junk.crl: not a CRL"),
                       (work["folder"] / "missing.crl", "missing.crl: cannot be read")):
        result = verify(plain[0], pki, "--crl", crl)
        assert result.code == 2 and named in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_revocation_asks_the_ocsp_responder_the_certificate_names(
    work: dict[str, Any], plain: tuple[Path, dt.datetime], tmp_path: Path
) -> None:
    pki: Pki = work["pki"]
    delegate = issue("OCSP responder (test)", pki.gov_ca,
                     purposes=[ExtendedKeyUsageOID.OCSP_SIGNING])
    served = ResponderPki(TlsIssued(pki.gov_ca.certificate, pki.gov_ca.key),
                          TlsIssued(delegate.certificate, delegate.key),
                          TlsIssued(pki.root.certificate, pki.root.key))
    with responder(tmp_path / "ocsp", served, "") as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        aia = x509.AuthorityInformationAccess([x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url))])
        good = issue("Good signer", pki.gov_ca, extensions=[aia])
        revoked = issue("Revoked signer", pki.gov_ca, extensions=[aia])
        (tmp_path / "ocsp" / "index.txt").write_text(
            index_line(good.certificate, None) + index_line(revoked.certificate, NOW - DAY),
            encoding="ascii")
        good_path, revoked_path = tmp_path / "good.bundle", tmp_path / "revoked.bundle"
        make_bundle(work, good_path, good)
        make_bundle(work, revoked_path, revoked)
        passed = verify(good_path, pki, "--revocation")
        failed = verify(revoked_path, pki, "--revocation")
        asked = len(server.requests)
    assert passed.code == 0, passed.stderr
    assert f"revocation checked: the signer's certificate is not revoked (OCSP {url})" \
        in passed.stdout
    assert failed.code == 1 and "before it signed" in failed.stderr, failed.stderr
    assert asked == 2
    # a certificate that names no service: asked for, not established → named failure
    silent = verify(plain[0], pki, "--revocation")
    assert silent.code == 1 and "names no OCSP responder" in silent.stderr


def test_revocation_falls_back_to_the_crl_distribution_point(
    work: dict[str, Any], tmp_path: Path
) -> None:
    """No usable OCSP answer (a responder that refuses, one that does not know the
    certificate): the CRL the certificate names decides; with no CRL either, a named failure."""
    pki: Pki = work["pki"]
    delegate = issue("OCSP responder (test)", pki.gov_ca,
                     purposes=[ExtendedKeyUsageOID.OCSP_SIGNING])
    served = ResponderPki(TlsIssued(pki.gov_ca.certificate, pki.gov_ca.key),
                          TlsIssued(delegate.certificate, delegate.key),
                          TlsIssued(pki.root.certificate, pki.root.key))
    with responder(tmp_path / "ocsp", served, "") as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        names = [
            x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(base + "/"))]),
            x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(base + "/gov.crl")], None, None, None)]),
        ]
        signer = issue("Signer unknown to OCSP", pki.gov_ca, extensions=names)
        path = tmp_path / "dp.bundle"
        make_bundle(work, path, signer)
        missing = verify(path, pki, "--revocation")  # the responder: unknown; no CRL served
        missing_vi = run_cli("bundle", "verify", path, "--ca-bundle", pki.root_pem,
                             "--revocation", "--lang", "vi")
        listed = crl_file(tmp_path, "gov.crl", pki.gov_ca,
                          revoked=((signer.certificate.serial_number, NOW - DAY),))
        server.crls["gov.crl"] = listed.read_bytes()
        revoked = verify(path, pki, "--revocation")
        server.crls["gov.crl"] = crl_file(tmp_path, "gov.crl", pki.gov_ca).read_bytes()
        clean = verify(path, pki, "--revocation")
    assert missing.code == 1, missing.stdout + missing.stderr
    assert "status unknown" in missing.stderr and "answered HTTP 404" in missing.stderr
    assert missing_vi.code == 1, missing_vi.stdout + missing_vi.stderr
    assert "(trạng thái unknown)" in missing_vi.stderr
    assert f"từ CRL {base}/gov.crl: {base}/gov.crl trả lời HTTP 404" in missing_vi.stderr
    for english in ("answered", "responder", "does not know", "cannot be established"):
        assert english not in missing_vi.stderr, (english, missing_vi.stderr)
    assert revoked.code == 1 and f"per CRL {base}/gov.crl" in revoked.stderr, revoked.stderr
    assert "before it signed" in revoked.stderr
    assert clean.code == 0, clean.stderr
    assert f"not revoked (CRL {base}/gov.crl)" in clean.stdout


def test_an_unreachable_responder_is_a_named_failure(work: dict[str, Any], tmp_path: Path) -> None:
    import socket

    pki: Pki = work["pki"]
    with socket.socket() as closed:  # a port nobody listens on once closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    signer = issue("Signer of a silent responder", pki.gov_ca, extensions=[
        x509.AuthorityInformationAccess([x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url))])])
    path = tmp_path / "silent.bundle"
    make_bundle(work, path, signer)
    result = verify(path, pki, "--revocation")
    assert result.code == 1, result.stdout + result.stderr
    assert f"cannot be established from OCSP {url}" in result.stderr
    # without --revocation the responder is not asked: not checked, exit as before
    quiet = verify(path, pki)
    assert quiet.code == 0 and "revocation not checked" in quiet.stdout
