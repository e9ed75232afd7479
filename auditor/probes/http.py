"""A tiny HTTP/1.1 client pinned to one IP address: blocking functions that never raise.

`fetch` sends exactly one `GET` with `Connection: close` to the IP literal it is given (the URL's
host only goes into `Host:` and, for https, into SNI), so no DNS, proxy, environment variable,
cookie or redirect ever changes what is observed. TLS is *not* verified here: the TLS probe
judges certificates; this module only looks at what the web server answers.

Two judgements are built on it: `check_redirect` here (does plain HTTP redirect to HTTPS on
the same host?), and `probes/samesite.py`'s `compare_sites` (internet.nl's "same website over
IPv4 and IPv6", which compares two answers fetched here).

Every expected failure (refused, timed out, reset, not HTTP, TLS failed) becomes `error`.
`timeout` is one deadline for connect, handshake, request and the whole response together,
so a server that trickles one byte at a time cannot hold a probe longer than `timeout`.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, quote, urlsplit

USER_AGENT = "auditor-probe/0.1"

#: Limits on what the server may send before the body.
MAX_LINE = 8192
MAX_HEADERS = 100
MAX_HEAD_BYTES = 65_536
#: 1xx interim responses (100 Continue, 103 Early Hints) skipped before giving up.
MAX_INTERIM = 5

#: Redirect status codes that count for `check_redirect`.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

#: Header names that legitimately differ between two answers of the same website, ignored by
#: `compare_sites`. Besides the caching/tracing ones, the framing headers (transfer-encoding,
#: connection, keep-alive) are ignored like content-length: they say how the bytes were sent.
VOLATILE_HEADERS = frozenset({
    "date", "set-cookie", "content-length", "age", "expires", "last-modified", "etag",
    "x-request-id", "server-timing", "report-to", "nel", "cf-ray",
    "transfer-encoding", "connection", "keep-alive",
})

_READ_CHUNK = 16_384
_STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([0-9]{3})(?: [^\r\n]*)?")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
_PRINTABLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))


@dataclass(frozen=True)
class HttpResponse:
    """One response, or why there is none. `error` set ⇒ status, headers and body are empty."""

    url: str
    address: str
    port: int
    error: str | None = None
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()  # lower-cased names, in the order received
    location: str | None = None
    body: bytes = field(default=b"", repr=False)  # de-chunked; at most `max_bytes`
    truncated: bool = False  # the body was longer than `max_bytes`

    @property
    def ok(self) -> bool:
        return self.error is None

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)


class _HttpError(Exception):
    """An expected failure of the one request."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    host_header: str
    request_target: str


def _parse_url(url: str) -> _Target:
    if _URL_UNSAFE.search(url):
        raise _HttpError(f"invalid URL: {url!r} contains whitespace or control characters")
    try:
        parts: SplitResult = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _HttpError(f"invalid URL: {url!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _HttpError(f"unsupported URL scheme: {url!r} (only http and https)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise _HttpError(f"invalid URL: {url!r} has no host")
    is_ipv6 = False
    try:
        is_ipv6 = ipaddress.ip_address(host).version == 6
    except ValueError:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise _HttpError(f"invalid host name in URL: {url!r}") from exc
    default = 443 if scheme == "https" else 80
    port = default if port is None else port
    host_header = f"[{host}]" if is_ipv6 else host
    if port != default:
        host_header += f":{port}"
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    # Whitespace and controls were refused above; only non-ASCII is left to percent-encode.
    return _Target(scheme, host, port, host_header, quote(target, safe=_PRINTABLE_ASCII))


def _sockaddr(address: str, port: int) -> tuple[socket.AddressFamily, tuple[Any, ...]]:
    ip = ipaddress.ip_address(address.strip("[]"))  # ValueError for anything but an IP literal
    if ip.version == 6:
        return socket.AF_INET6, (str(ip), port, 0, 0)
    return socket.AF_INET, (str(ip), port)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, ssl.SSLError):
        return _ssl_reason(exc)
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
        return "connection refused"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return "connection reset by peer"
    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return f"unreachable: {exc.strerror or exc}"
    return f"network error: {exc.strerror or exc}"


def _ssl_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLEOFError):
        return "connection reset: closed during TLS"
    reason = exc.reason or ""
    if reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG",
                  "HTTP_REQUEST", "UNKNOWN_PROTOCOL"):
        return f"not TLS: the server did not answer with TLS ({reason})"
    return f"TLS failed: {reason or exc}"


def _tls_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the TLS probe judges certificates, not this one
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


class _Reader:
    """Buffered reads from one socket, all bounded by one monotonic deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._buf = bytearray()
        self.eof = False

    def _fill(self) -> bool:
        """Read more into the buffer; False at end of stream."""
        if self.eof:
            return False
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self._sock.settimeout(remaining)
        try:
            data = self._sock.recv(_READ_CHUNK)
        except ssl.SSLEOFError:  # a TLS peer closing without close_notify: end of stream
            data = b""
        if not data:
            self.eof = True
            return False
        self._buf += data
        return True

    def line(self, limit: int = MAX_LINE) -> bytes | None:
        """One line without its CRLF/LF; None at end of stream before any byte of it."""
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                if end > limit:
                    raise _HttpError(f"malformed response: a line is longer than {limit} bytes")
                line = bytes(self._buf[:end])
                del self._buf[: end + 1]
                return line.removesuffix(b"\r")
            if len(self._buf) > limit:
                raise _HttpError(f"malformed response: a line is longer than {limit} bytes")
            if not self._fill():
                if not self._buf:
                    return None
                line = bytes(self._buf)
                self._buf.clear()
                return line.removesuffix(b"\r")

    def peek(self, size: int) -> bytes:
        while len(self._buf) < size and self._fill():
            pass
        return bytes(self._buf[:size])

    def exactly(self, size: int) -> tuple[bytes, bool]:
        """Up to `size` bytes; the flag is False when the stream ended first."""
        while len(self._buf) < size and self._fill():
            pass
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data, len(data) == size

    def until_close(self, limit: int) -> tuple[bytes, bool]:
        """Everything up to end of stream, at most `limit` bytes; flag True if there was more."""
        while len(self._buf) <= limit and self._fill():
            pass
        data = bytes(self._buf[:limit])
        more = len(self._buf) > limit
        self._buf.clear()
        return data, more


def _read_head(reader: _Reader) -> tuple[int, list[tuple[str, str]]]:
    start = reader.peek(5)
    if not start:
        raise _HttpError("connection closed without a response")
    if start != b"HTTP/":
        raise _HttpError("not HTTP: the answer does not start with an HTTP status line")
    status_line = reader.line()
    match = _STATUS_LINE.fullmatch(status_line or b"")
    if match is None:
        raise _HttpError("not HTTP: malformed status line")
    status = int(match.group(1))
    headers: list[tuple[str, str]] = []
    head_bytes = len(status_line or b"")
    while True:
        raw = reader.line()
        if raw is None:
            raise _HttpError("malformed response: connection closed inside the headers")
        if raw == b"":
            return status, headers
        head_bytes += len(raw)
        if head_bytes > MAX_HEAD_BYTES:
            raise _HttpError(f"malformed response: headers longer than {MAX_HEAD_BYTES} bytes")
        text = raw.decode("latin-1")
        if text[0] in " \t" and headers:  # obsolete line folding: continues the last value
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {text.strip()}".strip())
            continue
        name, sep, value = text.partition(":")
        if not sep or not _TOKEN.fullmatch(name):
            raise _HttpError("malformed response: invalid header line")
        if len(headers) >= MAX_HEADERS:
            raise _HttpError(f"malformed response: more than {MAX_HEADERS} headers")
        headers.append((name.lower(), value.strip(" \t")))


def _read_chunked(reader: _Reader, max_bytes: int) -> tuple[bytes, bool]:
    body = bytearray()
    while True:
        size_line = reader.line()
        if size_line is None:
            raise _HttpError("incomplete response: connection closed inside the chunked body")
        size_text = size_line.split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            raise _HttpError("malformed response: invalid chunk size")
        size = int(size_text, 16)
        if size == 0:
            return bytes(body), False  # trailers, if any, are not needed: the request is over
        room = max_bytes - len(body)
        data, complete = reader.exactly(min(size, room))
        body += data
        if not complete:
            raise _HttpError("incomplete response: connection closed inside a chunk")
        if size > room:
            return bytes(body), True
        if reader.line() is None:  # the CRLF after the chunk data
            raise _HttpError("incomplete response: connection closed inside the chunked body")


def _content_length(headers: Sequence[tuple[str, str]]) -> int | None:
    values = {v.strip() for k, value in headers if k == "content-length" for v in value.split(",")}
    if not values:
        return None
    if len(values) > 1 or not all(v.isdigit() for v in values):
        raise _HttpError("malformed response: invalid Content-Length")
    return int(values.pop())


def _read_body(
    reader: _Reader, status: int, headers: Sequence[tuple[str, str]], max_bytes: int
) -> tuple[bytes, bool]:
    if status in (204, 304) or 100 <= status < 200:
        return b"", False
    codings = [
        c.strip().lower() for k, v in headers if k == "transfer-encoding" for c in v.split(",")
    ]
    if codings and codings[-1] == "chunked":
        return _read_chunked(reader, max_bytes)
    length = None if codings else _content_length(headers)
    if length is None:
        return reader.until_close(max_bytes)
    data, complete = reader.exactly(min(length, max_bytes))
    if not complete:
        raise _HttpError(
            f"incomplete response: connection closed after {len(data)} of {length} body bytes"
        )
    return data, length > max_bytes


def _exchange(
    target: _Target, family: socket.AddressFamily, sockaddr: tuple[Any, ...], timeout: float,
    max_bytes: int, with_body: bool,
) -> tuple[int, list[tuple[str, str]], bytes, bool]:
    deadline = time.monotonic() + timeout
    sock: socket.socket = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
        if target.scheme == "https":
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            sni = None if _is_ip(target.host) else target.host
            sock = _tls_context().wrap_socket(sock, server_hostname=sni)
        request = (
            f"GET {target.request_target} HTTP/1.1\r\n"
            f"Host: {target.host_header}\r\n"
            f"User-Agent: {USER_AGENT}\r\n"
            "Accept: */*\r\n"
            "Accept-Encoding: identity\r\n"
            "Connection: close\r\n\r\n"
        ).encode("ascii")
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        sock.sendall(request)
        reader = _Reader(sock, deadline)
        for _ in range(MAX_INTERIM + 1):
            status, headers = _read_head(reader)
            if not 100 <= status < 200 or status == 101:
                break
        else:
            raise _HttpError(f"malformed response: more than {MAX_INTERIM} interim responses")
        if not with_body:
            return status, headers, b"", False
        body, truncated = _read_body(reader, status, headers, max_bytes)
        return status, headers, body, truncated
    finally:
        sock.close()


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def fetch(url: str, address: str, *, timeout: float, max_bytes: int = 262_144) -> HttpResponse:
    """GET `url` from the IP literal `address` (the URL's host goes in Host: and in SNI), one
    request, `Connection: close`, no redirect followed, TLS without certificate verification
    (the TLS probe judges certificates; here only content matters). Never raises.

    The body is read by Content-Length, chunked framing or until the server closes, and kept up
    to `max_bytes` (`truncated` says there was more). `timeout` bounds the whole exchange.
    A body cut short by the server closing early is an error, not a truncated body.
    """
    return _fetch(url, address, timeout=timeout, max_bytes=max_bytes, with_body=True)


def _fetch(
    url: str, address: str, *, timeout: float, max_bytes: int, with_body: bool
) -> HttpResponse:
    try:
        target = _parse_url(url)
    except _HttpError as failure:
        return HttpResponse(url=url, address=address, port=0, error=failure.reason)
    base: dict[str, Any] = {"url": url, "address": address, "port": target.port}
    try:
        family, sockaddr = _sockaddr(address, target.port)
    except ValueError:
        return HttpResponse(**base, error=f"not an IP address: {address!r}")
    try:
        status, headers, body, truncated = _exchange(
            target, family, sockaddr, timeout, max(0, max_bytes), with_body
        )
    except _HttpError as failure:
        return HttpResponse(**base, error=failure.reason)
    except OSError as exc:
        return HttpResponse(**base, error=_os_reason(exc))
    location = next((v for k, v in headers if k == "location"), None)
    return HttpResponse(
        **base, status=status, headers=tuple(headers), location=location, body=body,
        truncated=truncated,
    )


# --- HTTP → HTTPS redirect -------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """What plain HTTP at `http_url` answered. `redirects_to_https` is None if not observed."""

    http_url: str
    address: str
    error: str | None = None
    status: int | None = None
    location: str | None = None
    redirects_to_https: bool | None = None


def _same_host(a: str, b: str) -> bool:
    def norm(host: str) -> str:
        host = host.rstrip(".").lower()
        try:
            return str(ipaddress.ip_address(host))
        except ValueError:
            pass
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return host

    return bool(a) and norm(a) == norm(b)


def _is_https_redirect(http_host: str, status: int, location: str | None) -> bool:
    if status not in REDIRECT_STATUSES or not location:
        return False
    try:
        parts = urlsplit(location.strip())
        parts.port  # noqa: B018 - raises ValueError on an invalid port
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and _same_host(parts.hostname or "", http_host)


def check_redirect(http_url: str, address: str, *, timeout: float) -> Redirect:
    """Does plain HTTP at `http_url` (fetched from `address`) redirect to HTTPS? Never raises.

    `redirects_to_https` is True exactly when the status is 301, 302, 303, 307 or 308 and the
    Location header is an absolute `https://` URL whose host equals the host of `http_url`
    (case-insensitive, trailing dot ignored, IDN compared in its ASCII form; any port). Any other
    answer is False: no redirect, a redirect to `http://`, to another host (even a subdomain or
    `www.`), or a relative or scheme-relative Location (it stays on http). Only the first answer
    is judged; the redirect is not followed. None when there was no answer (`error` says why).
    """
    base: dict[str, Any] = {"http_url": http_url, "address": address}
    try:
        parts = urlsplit(http_url)
        scheme, host = parts.scheme.lower(), parts.hostname or ""
    except ValueError:
        scheme, host = "", ""
    if scheme != "http":
        return Redirect(**base, error=f"not an http:// URL: {http_url!r}")
    # Only the status line and headers matter: the body is not read at all, so a server that
    # keeps the connection open after a length-less redirect is still judged at once.
    response = _fetch(http_url, address, timeout=timeout, max_bytes=0, with_body=False)
    if response.error is not None or response.status is None:
        return Redirect(**base, error=response.error or "no status")
    return Redirect(
        **base,
        status=response.status,
        location=response.location,
        redirects_to_https=_is_https_redirect(host, response.status, response.location),
    )
