"""Network names and addresses as an inventory writes them: host names, URLs, ports, IP
addresses and networks.

Anything that may one day reach a probe is validated here, at load time: a host name can never
begin with '-' (it would read as an nmap option), a URL carries no user name or password.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator

from auditor.messages import MsgValueError

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.?$")


def _check_hostname(value: str) -> str:
    name = value.strip().lower()
    if len(name) > 253 or not _HOSTNAME_RE.match(name):
        raise MsgValueError(
            f"'{value}' không phải tên máy (host name) hợp lệ (gồm chữ, số và '-' trong các "
            "nhãn ngăn cách bởi dấu chấm; nhãn không được bắt đầu hay kết thúc bằng '-')",
            f"'{value}' is not a valid host name (letters, digits and '-' in dot-separated "
            "labels; a label may not begin or end with '-')",
        )
    return name.rstrip(".")


Hostname = Annotated[str, AfterValidator(_check_hostname)]


def redact(url: str) -> str:
    """The URL without any user:password part, safe to print in an error message."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest.split("/", 1)[0]:
        return f"{scheme}{sep}***@{rest.split('@', 1)[1]}"
    return url


def _check_url(value: str) -> str:
    shown = redact(value)
    if any(ch.isspace() for ch in value):
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ (có khoảng trắng)",
            f"'{shown}' is not a valid URL (contains white space)",
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: giao thức phải là http hoặc https",
            f"'{shown}' is not a valid URL: the scheme must be http or https",
        )
    if parts.username or parts.password:
        raise MsgValueError(
            f"'{shown}' không được chứa tên người dùng hay mật khẩu",
            f"'{shown}' must not carry a user name or password",
        )
    host = parts.hostname
    if not host:
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: thiếu tên máy",
            f"'{shown}' is not a valid URL: no host",
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: cổng sai", f"'{shown}' is not a valid URL: bad port"
        ) from exc
    if port == 0:
        raise MsgValueError(
            f"'{shown}' không phải URL hợp lệ: cổng 0", f"'{shown}' is not a valid URL: port 0"
        )
    try:
        ipaddress.ip_address(host)
    except ValueError:
        host = _check_hostname(host)
    # Scheme and host are case-insensitive (RFC 3986 §6.2.2.1): keep one spelling, so rules
    # matching '^https://' or '.gov.vn' and finding subjects see the same URL however written.
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return parts._replace(scheme=parts.scheme.lower(), netloc=netloc).geturl()


Url = Annotated[str, AfterValidator(_check_url)]


def _check_port(value: str | int) -> str:
    text = str(value).strip().lower()
    number, _, proto = text.partition("/")
    proto = proto or "tcp"
    valid = number.isascii() and number.isdigit() and 1 <= int(number) <= 65535
    if not valid or proto not in ("tcp", "udp"):
        raise MsgValueError(
            f"'{value}' không phải cổng: hãy ghi một số từ 1 đến 65535, có thể kèm '/tcp' hoặc "
            "'/udp'",
            f"'{value}' is not a port: use a number 1-65535, optionally '/tcp' or '/udp'",
        )
    return f"{int(number)}/{proto}"


Port = Annotated[str | int, AfterValidator(_check_port)]


def _address_text(value: object) -> object:
    """Addresses are written as text; a bare integer (3221225994) is almost surely a typo."""
    if not isinstance(value, str):
        raise MsgValueError(
            f"hãy ghi địa chỉ dưới dạng văn bản, ví dụ '192.0.2.10' (nhận được {value!r})",
            f"write the address as text, e.g. '192.0.2.10' (got {value!r})",
        )
    return value


IPv4 = Annotated[ipaddress.IPv4Address, BeforeValidator(_address_text)]
IPv6 = Annotated[ipaddress.IPv6Address, BeforeValidator(_address_text)]


def _network(value: object) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A declared network in CIDR notation, written as text, with no host bits set."""
    if not isinstance(value, str):
        raise MsgValueError(
            f"hãy ghi mạng dưới dạng văn bản, ví dụ '192.0.2.0/28' (nhận được {value!r})",
            f"write the network as text, e.g. '192.0.2.0/28' (got {value!r})",
        )
    try:
        return ipaddress.ip_network(value.strip(), strict=True)
    except ValueError as exc:
        raise MsgValueError(
            f"'{value}' không phải mạng viết theo ký hiệu CIDR: {_network_reason_vi(str(exc))}",
            f"'{value}' is not a network in CIDR notation: {exc}",
        ) from exc


def _network_reason_vi(reason: str) -> str:
    """Why `ipaddress` refuses a network, in Vietnamese (its own words when not recognised)."""
    if reason.endswith("has host bits set"):
        return reason.removesuffix("has host bits set") + "có bit phần máy (host bits) khác 0"
    if "does not appear to be an IPv4 or IPv6 network" in reason:
        return reason.replace(
            "does not appear to be an IPv4 or IPv6 network", "không phải mạng IPv4 hay IPv6"
        )
    return reason


Network = Annotated[
    ipaddress.IPv4Network | ipaddress.IPv6Network, BeforeValidator(_network)
]
