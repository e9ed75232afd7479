"""Asking what a certificate names (revocation_fetch.py, `--revocation` only): only http:// is
followed, one request, the answer bounded; every failure a reason. Loopback servers only."""

from __future__ import annotations

import datetime as dt

from probes.revocation_pki import leaf, make_pki
from probes.tls_servers import LoopbackServer, html_response, http_raw_handler

from auditor.probes.revocation_fetch import MAX_OCSP_BYTES, crl_urls, get, ocsp_urls

NOW = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)


def test_only_http_urls_are_followed() -> None:
    for url in ("https://127.0.0.1/ocsp", "ldap://127.0.0.1/cn=crl", "file:///etc/passwd"):
        fetched = get(url, timeout=1, max_bytes=10)
        assert fetched.body is None
        assert fetched.error is not None and "only http:// URLs" in fetched.error


def test_answer_size_status_and_body() -> None:
    requests: list[bytes] = []
    big = LoopbackServer("127.0.0.1", http_raw_handler(
        html_response(b"x" * (MAX_OCSP_BYTES + 1)), requests=requests)).start()
    exact = LoopbackServer("127.0.0.1", http_raw_handler(
        html_response(b"y" * MAX_OCSP_BYTES))).start()
    missing = LoopbackServer("127.0.0.1", http_raw_handler(
        html_response(b"", status="404 Not Found"))).start()
    try:
        too_big = get(f"http://127.0.0.1:{big.port}/r", timeout=5, max_bytes=MAX_OCSP_BYTES)
        fits = get(f"http://127.0.0.1:{exact.port}/r", timeout=5, max_bytes=MAX_OCSP_BYTES)
        absent = get(f"http://127.0.0.1:{missing.port}/r", timeout=5, max_bytes=MAX_OCSP_BYTES)
    finally:
        for server in (big, exact, missing):
            server.stop()
    assert too_big.body is None and too_big.error is not None
    assert "larger than 65536 bytes" in too_big.error
    assert fits.body == b"y" * MAX_OCSP_BYTES and fits.error is None
    assert absent.body is None and absent.error is not None and "HTTP 404" in absent.error
    assert len(requests) == 1 and requests[0].startswith(b"GET /r HTTP/1.1\r\n")


def test_the_urls_a_certificate_names() -> None:
    pki = make_pki(NOW)
    named = leaf(pki, "a.example.test", NOW, ocsp_url="http://127.0.0.1:9/",
                 crl_url="http://127.0.0.1:9/ca.crl")
    assert ocsp_urls(named.cert) == ("http://127.0.0.1:9/",)
    assert crl_urls(named.cert) == ("http://127.0.0.1:9/ca.crl",)
    bare = leaf(pki, "b.example.test", NOW)
    assert (ocsp_urls(bare.cert), crl_urls(bare.cert)) == ((), ())
