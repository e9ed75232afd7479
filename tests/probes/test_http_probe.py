"""The pinned HTTP client against real HTTP and HTTPS servers on 127.0.0.1 and ::1.

Host names are `.test` names: the address is always pinned, so no name is ever resolved.
"""

from __future__ import annotations

import datetime as dt
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tls_servers import (
    LoopbackServer,
    ec_key,
    free_port,
    html_response,
    http_handler,
    http_raw_handler,
    issue,
    server_context,
    silent_handler,
    trickle_handler,
    write_chain,
)

from auditor.probes.http import HttpResponse, Redirect, check_redirect, fetch
from auditor.probes.samesite import (
    SiteComparison,
    compare_sites,
    content_difference,
    remove_nonces,
)

TODAY = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
DAY = dt.timedelta(days=1)
TIMEOUT = 3.0

Handler = Callable[..., None]
Serve = Callable[..., LoopbackServer]


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = issue("auditor HTTP Test Root", key=ec_key(), not_before=TODAY - DAY,
                 not_after=TODAY + 30 * DAY, ca=True)
    leaf = issue("www.test", key=ec_key(), not_before=TODAY - DAY, not_after=TODAY + 30 * DAY,
                 issuer=root, sans=("www.test",))
    return write_chain(tmp_path_factory.mktemp("http-pki"), "www", leaf, root.cert)


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[LoopbackServer] = []

    def start(handler: Handler, host: str = "127.0.0.1") -> LoopbackServer:
        server = LoopbackServer(host, handler).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _raw(serve: Serve, response: bytes | Callable[[bytes], bytes], host: str = "127.0.0.1",
         requests: list[bytes] | None = None) -> int:
    return serve(http_raw_handler(response, requests=requests), host).port


def _redirect(location: str | None, status: str = "301 Moved Permanently") -> bytes:
    headers = (("Location", location),) if location is not None else ()
    return html_response("", status=status, headers=headers)


# --- fetch ----------------------------------------------------------------------------------


def test_fetch_sends_one_pinned_request_and_parses_the_answer(serve: Serve) -> None:
    requests: list[bytes] = []
    body = "<html><body>Cổng dịch vụ công</body></html>"
    port = _raw(serve, html_response(body, headers=(("X-Frame-Options", "DENY"),)),
                requests=requests)
    response = fetch(f"http://www.test:{port}/tra-cuu?ma=1#frag", "127.0.0.1", timeout=TIMEOUT)
    assert response.error is None, response.error
    assert (response.url, response.address, response.port) == (
        f"http://www.test:{port}/tra-cuu?ma=1#frag", "127.0.0.1", port)
    assert response.status == 200
    assert response.headers == (
        ("content-type", "text/html; charset=utf-8"),
        ("content-length", str(len(body.encode()))),
        ("connection", "close"),
        ("x-frame-options", "DENY"),
    )
    assert response.header("X-Frame-Options") == "DENY"
    assert response.body == body.encode("utf-8") and response.truncated is False
    assert response.location is None
    [request] = requests
    lines = request.decode("ascii").split("\r\n")
    assert lines[0] == "GET /tra-cuu?ma=1 HTTP/1.1"  # the fragment is never sent
    assert f"Host: www.test:{port}" in lines
    assert "Connection: close" in lines
    assert not any(line.lower().startswith(("cookie", "proxy")) for line in lines)


def test_non_ascii_path_is_percent_encoded(serve: Serve) -> None:
    requests: list[bytes] = []
    port = _raw(serve, html_response("ok"), requests=requests)
    response = fetch(f"http://www.test:{port}/thủ-tục?q=đăng ký".replace(" ", "%20"),
                     "127.0.0.1", timeout=TIMEOUT)
    assert response.status == 200, response.error
    assert requests[0].startswith(
        b"GET /th%E1%BB%A7-t%E1%BB%A5c?q=%C4%91%C4%83ng%20k%C3%BD HTTP/1.1\r\n")


def test_fetch_over_ipv6(serve: Serve) -> None:
    requests: list[bytes] = []
    port = _raw(serve, html_response("v6 page"), host="::1", requests=requests)
    response = fetch(f"http://www.test:{port}/", "::1", timeout=TIMEOUT)
    assert response.error is None, response.error
    assert (response.status, response.body) == (200, b"v6 page")
    assert f"Host: www.test:{port}".encode() in requests[0]
    bracketed = fetch(f"http://[::1]:{port}/", "[::1]", timeout=TIMEOUT)
    assert (bracketed.status, bracketed.body) == (200, b"v6 page")
    assert f"Host: [::1]:{port}".encode() in requests[1]


def test_fetch_https_without_verification_sends_sni(serve: Serve, chain: Path) -> None:
    context = server_context(chain)
    names: list[str | None] = []
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    requests: list[bytes] = []
    port = serve(http_raw_handler(html_response("secure"), context=context,
                                  requests=requests)).port
    response = fetch(f"https://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error is None, response.error  # untrusted test CA: not verified, by design
    assert (response.status, response.body) == (200, b"secure")
    assert names == ["www.test"]
    assert f"Host: www.test:{port}".encode() in requests[0]


def test_https_body_until_close_survives_a_missing_close_notify(serve: Serve,
                                                                chain: Path) -> None:
    # The test server closes the TCP connection without a TLS close_notify, as many do.
    raw = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"ragged " * 100
    port = serve(http_raw_handler(raw, context=server_context(chain))).port
    response = fetch(f"https://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error is None, response.error
    assert (response.body, response.truncated) == (b"ragged " * 100, False)


def test_https_url_against_plain_http_is_a_tls_error(serve: Serve) -> None:
    port = serve(http_handler).port  # answers the ClientHello with an HTTP 400
    response = fetch(f"https://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error is not None and response.error.startswith("not TLS")
    assert response.status is None and response.body == b""


def test_chunked_body_is_decoded(serve: Serve) -> None:
    raw = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n")
    response = fetch(f"http://www.test:{_raw(serve, raw)}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error is None, response.error
    assert (response.body, response.truncated) == (b"hello, world", False)


def test_chunked_body_larger_than_max_bytes_is_truncated(serve: Serve) -> None:
    raw = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"a\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n")
    response = fetch(f"http://www.test:{_raw(serve, raw)}/", "127.0.0.1", timeout=TIMEOUT,
                     max_bytes=15)
    assert (response.error, response.body, response.truncated) == (None, b"0123456789abcde", True)


def test_content_length_body_larger_than_max_bytes_is_truncated(serve: Serve) -> None:
    payload = bytes(range(256)) * 40  # 10 240 bytes
    port = _raw(serve, html_response(payload))
    response = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT, max_bytes=1000)
    assert response.error is None, response.error
    assert response.body == payload[:1000] and response.truncated is True
    whole = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT, max_bytes=10_240)
    assert whole.body == payload and whole.truncated is False


def test_body_until_close_is_bounded(serve: Serve) -> None:
    raw = b"HTTP/1.0 200 OK\r\n\r\n" + b"x" * 5000
    port = _raw(serve, raw)
    response = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT, max_bytes=4096)
    assert (len(response.body), response.truncated) == (4096, True)
    whole = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert (whole.body, whole.truncated) == (b"x" * 5000, False)


def test_body_cut_short_is_an_error(serve: Serve) -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"
    response = fetch(f"http://www.test:{_raw(serve, raw)}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error == "incomplete response: connection closed after 9 of 100 body bytes"
    assert response.status is None and response.body == b""


def test_interim_100_continue_is_skipped(serve: Serve) -> None:
    raw = b"HTTP/1.1 100 Continue\r\n\r\n" + html_response("after continue")
    response = fetch(f"http://www.test:{_raw(serve, raw)}/", "127.0.0.1", timeout=TIMEOUT)
    assert (response.status, response.body) == (200, b"after continue")


def test_not_http_garbage_is_an_error(serve: Serve) -> None:
    port = _raw(serve, b"SSH-2.0-OpenSSH_9.6\r\n")
    response = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error == "not HTTP: the answer does not start with an HTTP status line"
    assert response.status is None


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"HTTP/1.1 2OO OK\r\n\r\n", "not HTTP: malformed status line"),
        (b"HTTP/1.1 200 OK\r\nbad header line\r\n\r\n", "malformed response: invalid header line"),
        (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n",
         "malformed response: a line is longer than 8192 bytes"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n",
         "malformed response: more than 100 headers"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
         "malformed response: invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
         "malformed response: invalid chunk size"),
        (b"", "connection closed without a response"),
    ],
    ids=["status", "header", "long-line", "many-headers", "content-length", "chunk-size",
         "empty"],
)
def test_malformed_responses_are_errors(serve: Serve, raw: bytes, error: str) -> None:
    response = fetch(f"http://www.test:{_raw(serve, raw)}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error == error


def test_refused_port() -> None:
    port = free_port("127.0.0.1")
    response = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert response.error == "connection refused"


def test_silent_server_times_out_within_the_bound(serve: Serve) -> None:
    port = serve(silent_handler).port
    start = time.monotonic()
    response = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=0.5)
    elapsed = time.monotonic() - start
    assert response.error == "timed out"
    assert 0.45 <= elapsed < 1.5


def test_trickling_server_is_bounded_by_one_deadline(serve: Serve) -> None:
    # One byte every 50 ms: a per-recv timeout would wait forever, the overall deadline does not.
    port = serve(trickle_handler(b"HTTP/1.1 200 OK\r\nX-Slow: ", 0.05)).port
    start = time.monotonic()
    response = fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=0.6)
    elapsed = time.monotonic() - start
    assert response.error == "timed out"
    assert 0.55 <= elapsed < 1.5


@pytest.mark.parametrize("address", ["www.test", "", "127.0.0.1:80", "256.1.1.1"])
def test_address_must_be_an_ip_literal(address: str) -> None:
    response = fetch("http://www.test/", address, timeout=TIMEOUT)
    assert response.error == f"not an IP address: {address!r}"


@pytest.mark.parametrize(
    ("url", "error_start"),
    [
        ("ftp://www.test/", "unsupported URL scheme"),
        ("http:///path", "invalid URL"),
        ("http://www.test:99999/", "invalid URL"),
        ("http://www.test/a b", "invalid URL"),
        ("http://www.test/\r\nX-Injected: 1", "invalid URL"),
    ],
)
def test_bad_urls_are_errors_before_any_io(url: str, error_start: str) -> None:
    response = fetch(url, "127.0.0.1", timeout=TIMEOUT)
    assert response.error is not None and response.error.startswith(error_start)


# --- check_redirect -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "location", "expected"),
    [
        ("301 Moved Permanently", "https://www.test/", True),
        ("308 Permanent Redirect", "https://WWW.Test./dang-nhap?x=1", True),
        ("302 Found", "https://www.test:8443/", True),
        ("302 Found", "http://www.test/", False),
        ("301 Moved Permanently", "https://other.test/", False),
        ("301 Moved Permanently", "https://sub.www.test/", False),
        ("301 Moved Permanently", "/secure", False),
        ("301 Moved Permanently", "//www.test/", False),
        ("301 Moved Permanently", None, False),
        ("300 Multiple Choices", "https://www.test/", False),
        ("200 OK", "https://www.test/", False),
    ],
)
def test_redirect_rule(serve: Serve, status: str, location: str | None, expected: bool) -> None:
    port = _raw(serve, _redirect(location, status))
    result = check_redirect(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert result == Redirect(
        http_url=f"http://www.test:{port}/", address="127.0.0.1", status=int(status[:3]),
        location=location, redirects_to_https=expected,
    )


def _redirect_then_hold(conn: socket.socket, stop: threading.Event) -> None:
    conn.settimeout(5)
    conn.recv(4096)
    conn.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.test/\r\n\r\n")
    stop.wait(10)  # no Content-Length and the connection stays open


def test_redirect_is_judged_from_the_head_without_waiting_for_a_body(serve: Serve) -> None:
    port = serve(_redirect_then_hold).port
    start = time.monotonic()
    result = check_redirect(f"http://www.test:{port}/", "127.0.0.1", timeout=2.0)
    assert (result.error, result.status, result.redirects_to_https) == (None, 301, True)
    assert time.monotonic() - start < 1.0
    # fetch, which reads the body, waits for the end that never comes.
    assert fetch(f"http://www.test:{port}/", "127.0.0.1", timeout=0.3).error == "timed out"


def test_plain_200_page_does_not_redirect(serve: Serve) -> None:
    port = _raw(serve, html_response("<h1>Xin chào</h1>"))
    result = check_redirect(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert (result.error, result.status, result.redirects_to_https) == (None, 200, False)


def test_redirect_over_ipv6(serve: Serve) -> None:
    port = _raw(serve, _redirect("https://www.test/"), host="::1")
    result = check_redirect(f"http://www.test:{port}/", "::1", timeout=TIMEOUT)
    assert (result.status, result.redirects_to_https) == (301, True)


def test_redirect_refused_is_not_observed() -> None:
    port = free_port("127.0.0.1")
    result = check_redirect(f"http://www.test:{port}/", "127.0.0.1", timeout=TIMEOUT)
    assert result.error == "connection refused"
    assert (result.status, result.redirects_to_https) == (None, None)


def test_redirect_needs_an_http_url() -> None:
    result = check_redirect("https://www.test/", "127.0.0.1", timeout=TIMEOUT)
    assert result.error == "not an http:// URL: 'https://www.test/'"
    assert result.redirects_to_https is None


# --- compare_sites --------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Sở Thông tin và Truyền thông</title>
<script nonce="{nonce}">var t = 1;</script></head><body>
<form method="post"><input type="hidden" name="__RequestVerificationToken" value="{token}">
<input name="q" value="tìm kiếm"></form>
<p>Thủ tục hành chính</p><a href="/app.js?v={build}">app</a></body></html>"""


def _page(**kw: str) -> str:
    values = {"nonce": "n0nce", "token": "t0ken", "build": "1"}
    values.update(kw)
    return PAGE.format(**values)


def _fetch_both(serve: Serve, v4: bytes | Callable[[bytes], bytes],
                v6: bytes | Callable[[bytes], bytes]) -> tuple[HttpResponse, HttpResponse]:
    p4, p6 = _raw(serve, v4), _raw(serve, v6, host="::1")
    return (fetch(f"http://www.test:{p4}/", "127.0.0.1", timeout=TIMEOUT),
            fetch(f"http://www.test:{p6}/", "::1", timeout=TIMEOUT))


def test_identical_pages_over_v4_and_v6_are_the_same(serve: Serve) -> None:
    v4, v6 = _fetch_both(serve, html_response(_page()), html_response(_page()))
    assert compare_sites(v4, v6) == SiteComparison(
        same=True, status_v4=200, status_v6=200, header_names_differ=(), content_difference=0.0,
    )


def test_pages_differing_only_by_nonces_and_volatile_headers_are_the_same(serve: Serve) -> None:
    def dynamic(_request: bytes) -> bytes:
        page = _page(nonce=secrets.token_urlsafe(18), token=secrets.token_hex(24))
        return html_response(page, headers=(
            ("Date", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())),
            ("Set-Cookie", f"sid={secrets.token_hex(8)}"),
            ("ETag", f'"{secrets.token_hex(4)}"'),
        ))

    v4, v6 = _fetch_both(serve, dynamic, lambda request: dynamic(request).replace(
        b"ETag", b"X-Request-Id"))
    assert v4.body != v6.body  # the nonces really differ on the wire
    result = compare_sites(v4, v6)
    assert result.same is True, result.reason
    assert (result.content_difference, result.header_names_differ) == (0.0, ())


def test_a_different_page_is_not_the_same(serve: Serve) -> None:
    other = ("<!doctype html><html><head><title>Trang bảo trì</title></head><body>"
             "<h1>Hệ thống đang bảo trì</h1><p>Vui lòng quay lại sau.</p></body></html>")
    v4, v6 = _fetch_both(serve, html_response(_page()), html_response(other))
    result = compare_sites(v4, v6)
    assert result.same is False
    assert result.content_difference is not None and result.content_difference > 0.1
    assert result.reason is not None and "content differs" in result.reason


def test_a_small_edit_stays_within_ten_percent(serve: Serve) -> None:
    big = _page() + "".join(f"<p>Mục {i}: văn bản số {i}/QĐ-UBND</p>" for i in range(200))
    edited = big.replace("Mục 7:", "Mục bảy:")
    v4, v6 = _fetch_both(serve, html_response(big), html_response(edited))
    result = compare_sites(v4, v6)
    assert result.same is True
    assert result.content_difference is not None and 0.0 < result.content_difference <= 0.1


def test_different_status_is_not_the_same(serve: Serve) -> None:
    v4, v6 = _fetch_both(serve, html_response(_page()),
                         html_response(_page(), status="503 Service Unavailable"))
    result = compare_sites(v4, v6)
    assert (result.same, result.status_v4, result.status_v6) == (False, 200, 503)
    assert result.content_difference == 0.0
    assert result.reason == "status differs: 200 over IPv4, 503 over IPv6"


def test_extra_header_on_one_side_is_listed(serve: Serve) -> None:
    v4, v6 = _fetch_both(
        serve,
        html_response(_page(), headers=(("Strict-Transport-Security", "max-age=31536000"),
                                        ("Date", "Mon, 23 Nov 2026 01:00:00 GMT"))),
        html_response(_page(), headers=(("X-Powered-By", "PHP/8.1"),)),
    )
    result = compare_sites(v4, v6)
    assert result.same is False
    assert result.header_names_differ == ("strict-transport-security", "x-powered-by")


def test_one_side_error_is_not_comparable(serve: Serve) -> None:
    v4 = fetch(f"http://www.test:{_raw(serve, html_response(_page()))}/", "127.0.0.1",
               timeout=TIMEOUT)
    v6 = fetch(f"http://www.test:{free_port('::1')}/", "::1", timeout=TIMEOUT)
    result = compare_sites(v4, v6)
    assert result.same is None and result.content_difference is None
    assert result.status_v4 == 200 and result.status_v6 is None
    assert result.reason == "not comparable: the IPv6 fetch failed: connection refused"


def test_remove_nonces_blanks_only_per_request_values() -> None:
    html = ('<script nonce="abc123">x</script><meta name="csrf-token" content="Zm9vYmFy">'
            '<input type="hidden" name="_token" value="q1w2e3"><input name="q" value="giữ">'
            '<img src="/static/a1b2c3d4e5f6a7b8c9d0.png"> internationalization')
    assert remove_nonces(html) == (
        '<script nonce="">x</script><meta name="csrf-token" content="">'
        '<input type="hidden" name="_token" value=""><input name="q" value="giữ">'
        '<img src="#.png"> internationalization'
    )


def test_content_difference_is_fast_on_256_kib() -> None:
    rows = [f"<tr><td>{i}</td><td>Hồ sơ {i * 7919 % 10007}</td></tr>" for i in range(6000)]
    a = "".join(rows)[:262_144]
    b = "".join(rows[:3000] + rows[3100:])[:262_144]
    c = "".join(reversed(rows))[:262_144]
    start = time.monotonic()
    near = content_difference(a, b, gate=0.1)
    far = content_difference(a, c, gate=0.1)
    assert time.monotonic() - start < 3.0
    assert 0.0 < near < 0.05
    assert far > 0.1
