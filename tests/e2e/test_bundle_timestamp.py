"""`bundle create --tsa URL`: an RFC 3161 time stamp from a real TSA (`openssl ts -reply`
behind an HTTP server on 127.0.0.1, tests/tsa_server.py) added to the bundle's signature as
an unsigned attribute. The signature still verifies with openssl; `bundle verify` checks the
token (imprint, the TSA's signature, the TSA's trust) and takes its
time as the signing time; a TSA that cannot be reached leaves nothing written."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, run_cli
from signing_pki import Pki, make_pki
from tsa_server import loopback_tsa


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tsa") / "results.json"
    done = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--json", path, "--no-history",
                   "-q")
    assert done.code in (0, 1), done.stderr
    return path


def test_time_stamped_bundle_verifies(results: Path, tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    out = tmp_path / "stamped.bundle"
    with loopback_tsa(pki) as url:
        made = run_cli("bundle", "create", results, "-o", out, *pki.signer_files(),
                       "--tsa", url)
    assert made.code == 0, made.stderr
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "x")
    signature = tmp_path / "x" / "manifest.json.p7s"
    printed = subprocess.run(
        ["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", str(signature)],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    assert "id-smime-aa-timeStampToken" in printed
    checked = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(signature),
         "-content", str(tmp_path / "x" / "manifest.json"), "-CAfile", str(pki.root_pem),
         "-out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    verified = run_cli("bundle", "verify", out, "--ca-bundle", pki.root_pem, "--json")
    assert verified.code == 0, verified.stdout
    moment = dt.datetime.fromisoformat(json.loads(verified.stdout)["signed_at"])
    assert abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)


def test_untrusted_tsa_is_named(results: Path, tmp_path: Path) -> None:
    pki: Pki = make_pki(tmp_path)
    out = tmp_path / "stamped.bundle"
    with loopback_tsa(pki, trusted=False) as url:
        made = run_cli("bundle", "create", results, "-o", out, *pki.signer_files(),
                       "--tsa", url)
    assert made.code == 0, made.stderr
    verified = run_cli("bundle", "verify", out, "--ca-bundle", pki.root_pem, "--lang", "en")
    assert verified.code == 1
    assert "time stamp: the TSA (CN=Test Time-Stamping Authority" in verified.stderr
    assert "is not trusted" in verified.stderr


def test_unreachable_tsa_writes_nothing(results: Path, tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    with socket.socket() as closed:  # a loopback port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    out = tmp_path / "none.bundle"
    made = run_cli("bundle", "create", results, "-o", out, *pki.signer_files(),
                   "--tsa", f"http://127.0.0.1:{port}/", "--lang", "en")
    assert made.code == 2 and "no time stamp obtained" in made.stderr
    assert not out.exists()
    wrong = run_cli("bundle", "create", results, "-o", out, *pki.signer_files(),
                    "--tsa", "file:///etc/passwd", "--lang", "en")
    assert wrong.code == 2 and "an http:// or https:// URL is needed" in wrong.stderr


def test_a_token_of_another_signature_is_refused(results: Path, tmp_path: Path) -> None:
    """The token is an unsigned attribute (the signature does not cover it): one moved from
    another bundle's signature must be caught by its imprint, not trusted for its time."""
    from asn1crypto import cms

    pki = make_pki(tmp_path)
    bundles = [tmp_path / "a.bundle", tmp_path / "b.bundle"]
    with loopback_tsa(pki) as url:
        for out in bundles:
            made = run_cli("bundle", "create", results, "-o", out, *pki.signer_files(),
                           "--tsa", url)
            assert made.code == 0, made.stderr

    def signature(path: Path) -> cms.ContentInfo:
        with zipfile.ZipFile(path) as archive:
            return cms.ContentInfo.load(archive.read("manifest.json.p7s"))

    first, second = signature(bundles[0]), signature(bundles[1])
    first["content"]["signer_infos"][0]["unsigned_attrs"] = (
        second["content"]["signer_infos"][0]["unsigned_attrs"].copy())
    with zipfile.ZipFile(bundles[0]) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["manifest.json.p7s"] = first.dump(force=True)
    moved = tmp_path / "moved.bundle"
    with zipfile.ZipFile(moved, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = run_cli("bundle", "verify", moved, "--ca-bundle", pki.root_pem, "--lang", "en")
    assert result.code == 1
    assert "time stamp: not for this signature" in result.stderr
    assert "bad signature" not in result.stderr  # the signature itself still holds
