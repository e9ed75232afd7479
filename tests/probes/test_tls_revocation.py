"""Revocation of an endpoint's certificate against real servers on loopback (issue #16):
`openssl s_server -status_file` stapling responses the test made, the real `openssl ocsp`
responder (index.txt: one good, one revoked) and a CRL served over HTTP, all on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
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
    write_pem,
)
from probes.tls_servers import Issued, free_port, pem

from auditor.probes.ocsp import CertStatus, Unusable
from auditor.probes.revocation import endpoint_revocation, observe_revocation, summarise

NAME = "cong.example.test"


@contextmanager
def s_server(folder: Path, served: Issued, pki: Pki, staple: bytes | None, *,
             send_chain: bool = True, options: tuple[str, ...] = ()) -> Iterator[int]:
    """`openssl s_server` on 127.0.0.1 serving `served` (+ the CA), stapling `staple`."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = write_pem(folder / "server", served)
    (folder / "chain.pem").write_bytes(pem(pki.root.cert))
    port = free_port("127.0.0.1")
    command = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", str(cert),
               "-key", str(key), "-quiet", *options]
    if send_chain:
        command += ["-cert_chain", str(folder / "chain.pem")]
    if staple is not None:
        (folder / "staple.der").write_bytes(staple)
        command += ["-status_file", str(folder / "staple.der")]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stdin is not None:
            process.stdin.close()


@pytest.fixture(scope="module")
def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def pki(now: dt.datetime) -> Pki:
    return make_pki(now)


def _observe(port: int, pki: Pki, **kw: object) -> object:
    return observe_revocation("127.0.0.1", port, NAME, timeout=5, as_of=kw.pop(  # type: ignore[arg-type]
        "as_of", dt.datetime.now(dt.UTC).date()), **kw)


@pytest.mark.parametrize(("case", "status", "unusable"), [
    ("good", CertStatus.GOOD, None),
    ("revoked", CertStatus.REVOKED, None),
    ("unknown", CertStatus.UNKNOWN, None),
    ("expired", None, Unusable.STALE),
    ("wrong-signer", None, Unusable.BAD_SIGNATURE),
])
def test_stapled_response_is_judged(
    tmp_path: Path, now: dt.datetime, pki: Pki, case: str, status: CertStatus | None,
    unusable: Unusable | None,
) -> None:
    served = leaf(pki, NAME, now)
    kinds = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
             "unknown": ocsp.OCSPCertStatus.UNKNOWN}
    this_update = now - 2 * DAY if case == "expired" else now - dt.timedelta(hours=1)
    staple = ocsp_response(
        served.cert, pki.root.cert, pki.stranger if case == "wrong-signer" else pki.root,
        status=kinds.get(case, ocsp.OCSPCertStatus.GOOD), this_update=this_update,
        next_update=this_update + DAY, revoked_at=now - 5 * DAY)
    with s_server(tmp_path, served, pki, staple) as port:
        seen = _observe(port, pki)
    assert seen.stapled is True, seen  # type: ignore[attr-defined]
    assert seen.staple is not None, seen  # type: ignore[attr-defined]
    assert seen.staple.status is status  # type: ignore[attr-defined]
    assert seen.staple.unusable is unusable  # type: ignore[attr-defined]
    verdict = summarise(seen)  # type: ignore[arg-type]
    assert verdict.status == (str(status) if status in (CertStatus.GOOD, CertStatus.REVOKED)
                              else None)
    if verdict.status is None:
        assert verdict.note is not None and "--revocation" in verdict.note


def test_no_staple_is_its_own_answer(tmp_path: Path, now: dt.datetime, pki: Pki) -> None:
    with s_server(tmp_path, leaf(pki, NAME, now), pki, None) as port:
        seen = _observe(port, pki)
    assert seen.stapled is False and seen.staple is None  # type: ignore[attr-defined]
    verdict = summarise(seen)  # type: ignore[arg-type]
    assert verdict.status is None and verdict.note is not None
    assert verdict.note.startswith("the server staples no OCSP response")


def test_a_staple_made_after_the_audit_date_did_not_exist(
    tmp_path: Path, now: dt.datetime, pki: Pki
) -> None:
    served = leaf(pki, NAME, now)
    staple = ocsp_response(served.cert, pki.root.cert, pki.root, this_update=now - 60 * (
        dt.timedelta(seconds=1)), next_update=now + DAY)
    with s_server(tmp_path, served, pki, staple) as port:
        seen = _observe(port, pki, as_of=(now - DAY).date())
    assert seen.staple.unusable is Unusable.NOT_YET  # type: ignore[attr-defined]


def test_the_responder_and_the_crl_named_in_the_certificate(
    tmp_path: Path, now: dt.datetime, pki: Pki
) -> None:
    with responder(tmp_path / "ocsp", pki, "") as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        good = leaf(pki, NAME, now, ocsp_url=base + "/")
        revoked = leaf(pki, NAME, now, ocsp_url=base + "/")
        (tmp_path / "ocsp" / "index.txt").write_text(
            index_line(good.cert, None) + index_line(revoked.cert, now - 3 * DAY),
            encoding="ascii")
        by_crl = leaf(pki, NAME, now, crl_url=base + "/ca.crl")
        server.crls["ca.crl"] = crl(pki.root, this_update=now - DAY, next_update=now + DAY,
                                    revoked=(by_crl.cert.serial_number,))
        stranger = leaf(pki, NAME, now, ocsp_url=base + "/")  # not in the responder's index
        results = {}
        for label, served in (("good", good), ("revoked", revoked), ("crl", by_crl),
                              ("unknown", stranger)):
            with s_server(tmp_path / label, served, pki, None) as port:
                results[label] = summarise(_observe(port, pki, online=True))  # type: ignore[arg-type]
                off = summarise(_observe(port, pki))  # type: ignore[arg-type]
                assert off.status is None  # not asked without --revocation
        asked = len(server.requests)
    assert (results["good"].status, results["good"].source) == ("good", "ocsp")
    assert (results["revoked"].status, results["revoked"].source) == ("revoked", "ocsp")
    assert results["revoked"].revoked_at is not None
    assert (results["crl"].status, results["crl"].source) == ("revoked", "crl")
    # The responder does not know it: no evidence either way (manual), never a pass.
    assert results["unknown"].status is None and results["unknown"].error is None
    assert results["unknown"].note is not None
    assert "OCSP responder: the certificate is unknown to it" in results["unknown"].note
    assert asked == 4  # three OCSP requests and one CRL download, nothing without --revocation


def test_an_unreachable_responder_is_an_error(tmp_path: Path, now: dt.datetime,
                                              pki: Pki) -> None:
    dead = free_port("127.0.0.1")
    served = leaf(pki, NAME, now, ocsp_url=f"http://127.0.0.1:{dead}/")
    with s_server(tmp_path, served, pki, None) as port:
        verdict = summarise(_observe(port, pki, online=True))  # type: ignore[arg-type]
    assert verdict.status is None
    assert verdict.error is not None and "connection refused" in verdict.error


def test_the_issuer_may_come_from_the_ca_bundle(tmp_path: Path, now: dt.datetime,
                                                pki: Pki) -> None:
    served = leaf(pki, NAME, now)
    staple = ocsp_response(served.cert, pki.root.cert, pki.root, this_update=now - DAY,
                           next_update=now + DAY)
    with s_server(tmp_path, served, pki, staple, send_chain=False) as port:
        alone = _observe(port, pki)
        with_bundle = _observe(port, pki, ca_bundle_certs=(pki.stranger.cert, pki.root.cert))
    assert alone.error is not None and "issuer" in alone.error  # type: ignore[attr-defined]
    assert summarise(alone).error == alone.error  # type: ignore[arg-type, attr-defined]
    assert summarise(with_bundle).status == "good"  # type: ignore[arg-type]


@pytest.mark.parametrize("options", [("-tls1_3",), ("-tls1_2",)])
def test_tls13_only_and_tls12_only_servers(
    tmp_path: Path, now: dt.datetime, pki: Pki, options: tuple[str, ...]
) -> None:
    """A TLS 1.3-only server refuses the TLS 1.2 hello that reads the staple in the clear: the
    full handshake asks instead; a TLS 1.2-only one answers the hello."""
    served = leaf(pki, NAME, now)
    staple = ocsp_response(served.cert, pki.root.cert, pki.root,
                           status=ocsp.OCSPCertStatus.REVOKED, revoked_at=now - DAY,
                           this_update=now - DAY, next_update=now + DAY)
    with s_server(tmp_path, served, pki, staple, options=options) as port:
        seen = _observe(port, pki)
    assert summarise(seen).status == "revoked"  # type: ignore[arg-type]


def test_the_status_request_hello_is_tls_peeks_plus_one_extension() -> None:
    from auditor.probes.staple_peek import hello_with_status_request
    from auditor.probes.tls_peek import client_hello

    plain, asked = client_hello("cong.example.test"), hello_with_status_request(
        "cong.example.test")
    assert len(asked) == len(plain) + 9
    assert asked.endswith(b"\x00\x05\x00\x05\x01\x00\x00\x00\x00")
    assert int.from_bytes(asked[3:5], "big") == len(asked) - 5
    assert int.from_bytes(asked[6:9], "big") == len(asked) - 9


def test_without_the_staple_and_nothing_else_to_judge_no_connection_is_made() -> None:
    """--no-staple: nothing listens on the port, and no connection means no error."""
    port = free_port("127.0.0.1")
    as_of = dt.datetime.now(dt.UTC).date()
    quiet = endpoint_revocation(NAME, port, "127.0.0.1", None, 2.0, as_of, False, staple=False)
    assert (quiet.staple_asked, quiet.error, quiet.stapled) == (False, None, None)
    assert "--no-staple" in (summarise(quiet).note or "")
    # Asked for, the same port is refused: the first call did not connect.
    asked = endpoint_revocation(NAME, port, "127.0.0.1", None, 2.0, as_of, False)
    assert asked.error is not None and "refused" in asked.error
