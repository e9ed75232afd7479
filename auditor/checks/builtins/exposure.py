"""Builtin check of exposed services (NET-05): is the version nmap identified still supported
upstream?"""

from __future__ import annotations

import types
from collections.abc import Mapping

from auditor.checks.builtins.common import evidence_of, pass_or_fail, value_of
from auditor.checks.context import EvalContext, Outcome
from auditor.model.results import Status, Text2

# Oldest release line still supported upstream at the end of 2026, by the product name nmap
# reports (-sV). A best-effort table [U]: distributions backport fixes into older versions,
# which is why NET-05 is advisory. Keys are lower-case product names.
SUPPORTED_SINCE: Mapping[str, tuple[int, ...]] = types.MappingProxyType(
    {
        "openssh": (9, 0),
        "apache httpd": (2, 4, 58),
        "nginx": (1, 26),
        "microsoft iis httpd": (10, 0),
        "apache tomcat": (9, 0),
        "vsftpd": (3, 0, 5),
        "proftpd": (1, 3, 8),
        "postfix smtpd": (3, 6),
        "exim smtpd": (4, 97),
        "openssl": (3, 0),
        "php": (8, 2),
        "mysql": (8, 0),
        "postgresql db": (13, 0),
        "redis key-value store": (7, 0),
        "isc bind": (9, 18),
        "lighttpd": (1, 4, 70),
    }
)


def _version_tuple(text: str) -> tuple[int, ...]:
    """'7.4p1 Debian' -> (7, 4); leading numeric dotted part only."""
    numbers: list[int] = []
    for part in text.strip().split(".")[:4]:
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) < len(part):
            break
    return tuple(numbers)


def service_version_supported(ctx: EvalContext) -> Outcome:
    """NET-05: the version nmap identified is not older than the oldest supported release."""
    product = str(value_of(ctx, "product") or "")
    version = str(value_of(ctx, "version") or "")
    evidence = evidence_of(ctx, "product", "version")
    minimum = SUPPORTED_SINCE.get(product.lower())
    seen = _version_tuple(version)
    if minimum is None or not seen:
        return Outcome(
            Status.NOT_APPLICABLE,
            Text2(
                vi=f"Không có dữ liệu phiên bản hỗ trợ cho '{product} {version}'",
                en=f"No support data for '{product} {version}'",
            ),
            evidence,
        )
    wanted = ".".join(str(n) for n in minimum)
    return pass_or_fail(
        seen >= minimum,
        vi=f"{product} {version}: phiên bản còn hỗ trợ từ {wanted}",
        en=f"{product} {version}: supported releases start at {wanted}",
        evidence=evidence,
    )
