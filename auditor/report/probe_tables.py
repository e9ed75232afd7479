"""Terminal tables and JSON for `auditor probe tls|ipv6|dns`: what was observed, not judged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.checks.context import Item, plain
from auditor.code_words import word_in
from auditor.facts import SystemObservations
from auditor.probe_reasons import reason_in
from auditor.report.views.dns_cells import caa_where
from auditor.scan.model import HostObservation

_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "tls_title": "Chứng thư và TLS quan sát được",
        "ipv6_title": "Sẵn sàng IPv6 quan sát được",
        "system": "Hệ thống",
        "target": "Điểm truy cập / tệp",
        "protocol": "Giao thức",
        "days": "Còn (ngày)",
        "not_after": "Hết hạn",
        "issuer": "Nơi cấp",
        "trust": "Tin cậy",
        "name": "Đúng tên",
        "legacy": "TLS 1.0/1.1",
        "revocation": "Thu hồi",
        "revocation_good": "chưa thu hồi",
        "revocation_revoked": "đã thu hồi",
        "revocation_unknown": "chưa rõ",
        "url": "Địa chỉ",
        "aaaa": "AAAA",
        "ns": "NS có IPv6",
        "ns_reach": "NS qua IPv6",
        "reach": "Truy cập IPv6",
        "same": "Cùng nội dung",
        "ready": "Sẵn sàng",
        "error": "lỗi",
        "yes": "có",
        "no": "không",
        "none": "—",
        "empty": "Danh mục kiểm kê không nêu điểm truy cập hay tệp chứng thư nào để thăm dò.",
        "ports_title": "Cổng mở quan sát được",
        "host": "Máy chủ",
        "address": "Địa chỉ",
        "port": "Cổng",
        "service": "Dịch vụ",
        "declared": "Đã khai báo",
        "no_ports": "Không thấy cổng mở nào trên các địa chỉ của danh mục kiểm kê.",
        "unmatched": "Không có trong danh mục kiểm kê (không đánh giá): {hosts}",
        "note": "Ghi chú: {note}",
        "dns_title": "DNSSEC và CAA quan sát được",
        "dnssec": "DNSSEC",
        "zone": "Vùng",
        "why": "Lý do",
        "caa": "CAA (được cấp)",
        "no_anchor": "chưa khai báo trust anchor (--trust-anchor)",
        "no_caa": "không có",
    },
    "en": {
        "tls_title": "Certificates and TLS observed",
        "ipv6_title": "IPv6 readiness observed",
        "system": "System",
        "target": "Endpoint / file",
        "protocol": "Protocol",
        "days": "Days left",
        "not_after": "Expires",
        "issuer": "Issuer",
        "trust": "Trusted",
        "name": "Name ok",
        "legacy": "TLS 1.0/1.1",
        "revocation": "Revocation",
        "revocation_good": "not revoked",
        "revocation_revoked": "revoked",
        "revocation_unknown": "not known",
        "url": "URL",
        "aaaa": "AAAA",
        "ns": "NS with IPv6",
        "ns_reach": "NS over IPv6",
        "reach": "IPv6 reachable",
        "same": "Same site",
        "ready": "Ready",
        "error": "error",
        "yes": "yes",
        "no": "no",
        "none": "—",
        "empty": "The inventory names no endpoint or certificate file to probe.",
        "ports_title": "Open ports observed",
        "host": "Host",
        "address": "Address",
        "port": "Port",
        "service": "Service",
        "declared": "Declared",
        "no_ports": "No open port seen on the inventory's addresses.",
        "unmatched": "Not in the inventory (not judged): {hosts}",
        "note": "Note: {note}",
        "dns_title": "DNSSEC and CAA observed",
        "dnssec": "DNSSEC",
        "zone": "Zone",
        "why": "Reason",
        "caa": "CAA (may issue)",
        "no_anchor": "no trust anchor declared (--trust-anchor)",
        "no_caa": "none",
    },
}


def records(
    observations: Mapping[str, SystemObservations], collections: Sequence[str]
) -> list[dict[str, Any]]:
    """Plain records, one per observed item, in system order (the `--json` output)."""
    out: list[dict[str, Any]] = []
    for system, seen in observations.items():
        for name in collections:
            if name == "endpoints":
                for url, (values, errors) in seen.endpoints.items():
                    out.append(_record(system, name, url, values, errors))
                continue
            out.extend(
                _record(system, name, item.subject, item.values, item.errors)
                for item in seen.collections.get(name, ())
            )
    return out


def _record(
    system: str, collection: str, subject: str, values: Mapping[str, Any], errors: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "system": system,
        "collection": collection,
        "subject": subject,
        "values": plain(dict(values)),
        "errors": dict(errors),
    }


def _yes(value: Any, labels: Mapping[str, str]) -> str:
    if value is None:
        return labels["none"]
    return labels["yes"] if value else labels["no"]


def _cell(item: Item | Mapping[str, Any], key: str, labels: Mapping[str, str]) -> str:
    values = item.values if isinstance(item, Item) else item
    node: Any = values
    for part in key.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    if isinstance(node, bool) or node is None:
        return _yes(node, labels)
    return escape(str(node))


def tls_table(observations: Mapping[str, SystemObservations], console: Console, lang: str) -> None:
    labels = _LABELS.get(lang, _LABELS["en"])
    table = Table(title=labels["tls_title"])
    for key in (
        "system",
        "target",
        "protocol",
        "days",
        "not_after",
        "issuer",
        "trust",
        "name",
        "legacy",
        "revocation",
    ):
        table.add_column(labels[key])
    rows = 0
    for system, seen in observations.items():
        tls = {item.subject: item for item in seen.collections.get("tls", ())}
        for cert in seen.collections.get("certs", ()):
            rows += 1
            connection = tls.get(cert.subject)
            error = cert.errors.get("")
            if error is not None:
                table.add_row(
                    escape(system),
                    escape(cert.subject),
                    _error_cell(error, labels, lang),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                )
                continue
            issuer = str(cert.values.get("cert", {}).get("issuer", ""))
            table.add_row(
                escape(system),
                escape(cert.subject),
                _cell(connection, "protocol", labels) if connection else labels["none"],
                _cell(cert, "cert.days_left", labels),
                _cell(cert, "cert.not_after", labels),
                escape(issuer[:48]),
                _trust_cell(connection, cert, labels, lang),
                _cell(connection, "hostname_matches", labels) if connection else labels["none"],
                _cell(connection, "legacy_accepted", labels) if connection else labels["none"],
                _revocation_cell(cert, labels, lang),
            )
    if rows:
        console.print(table)
    else:
        console.print(labels["empty"])


def _revocation_cell(cert: Item, labels: Mapping[str, str], lang: str) -> str:
    """What is known of the certificate's revocation (revocation_facts.py), not judged."""
    reason = cert.errors.get("revocation.status")
    if reason is not None:
        return _error_cell(reason, labels, lang)
    revocation = cert.values.get("revocation")
    status = revocation.get("status") if isinstance(revocation, Mapping) else None
    if status is None:
        return labels["revocation_unknown"]
    words = labels.get(f"revocation_{status}", escape(str(status)))
    source = revocation.get("source") if isinstance(revocation, Mapping) else None
    shown = f"{words} ({escape(str(source))})" if source else words
    return f"[red]{shown}[/red]" if status == "revoked" else shown


def _error_cell(reason: str, labels: Mapping[str, str], lang: str) -> str:
    return f"[red]{labels['error']}: {escape(reason_in(reason, lang))}[/red]"


def _trust_cell(
    connection: Item | None, cert: Item, labels: Mapping[str, str], lang: str
) -> str:
    """An endpoint's chain verdict, or a certificate file's trust (CERT-08, certtrust.py)."""
    if connection is not None:
        return _cell(connection, "chain_verified", labels)
    reason = cert.errors.get("trust_reason")
    if reason is not None:
        return _error_cell(reason, labels, lang)
    verdict = _cell(cert, "trust_verified", labels)
    why = cert.values.get("trust_reason")
    if cert.values.get("trust_verified") is False and isinstance(why, str):
        return f"{verdict} ({escape(word_in(why, lang, 'TrustReason'))})"
    return verdict


def ipv6_table(observations: Mapping[str, SystemObservations], console: Console, lang: str) -> None:
    labels = _LABELS.get(lang, _LABELS["en"])
    table = Table(title=labels["ipv6_title"])
    for key in ("system", "url", "aaaa", "ns", "ns_reach", "reach", "same", "ready"):
        table.add_column(labels[key])
    rows = 0
    for system, seen in observations.items():
        for url, (values, errors) in seen.endpoints.items():
            rows += 1
            if "ipv6" in errors:
                table.add_row(
                    escape(system),
                    escape(url),
                    _error_cell(errors["ipv6"], labels, lang),
                    "",
                    "",
                    "",
                    "",
                    "",
                )
                continue
            ipv6 = values.get("ipv6", {})
            table.add_row(
                escape(system),
                escape(url),
                escape(", ".join(ipv6.get("aaaa", ())) or labels["none"]),
                _cell(ipv6, "ns_with_ipv6", labels),
                _cell(ipv6, "ns_reachable_ipv6", labels),
                _cell(ipv6, "reachable", labels),
                _cell(ipv6, "same_site", labels),
                _cell(ipv6, "ready", labels),
            )
    if rows:
        console.print(table)
    else:
        console.print(labels["empty"])


def dnssec_cell(dnssec: Mapping[str, Any], errors: Mapping[str, str],
                labels: Mapping[str, str], lang: str) -> str:
    """The DNSSEC status in words, an error, or why nothing was validated."""
    if "dnssec.status" in errors:
        return f"[red]{labels['error']}: {escape(errors['dnssec.status'])}[/red]"
    status = dnssec.get("status")
    if not isinstance(status, str):
        return labels["no_anchor"] if dnssec else labels["none"]
    return escape(word_in(status, lang, "DnssecStatus"))


def caa_cell(caa: Mapping[str, Any], errors: Mapping[str, str],
             labels: Mapping[str, str]) -> str:
    """Who may issue (at which name the set was found, and the CNAMEs followed from there),
    or none, or the error."""
    if "caa.present" in errors:
        return f"[red]{labels['error']}: {escape(errors['caa.present'])}[/red]"
    if not caa:
        return labels["none"]
    if not caa.get("present"):
        return labels["no_caa"]
    issuers = [i or ";" for i in caa.get("issue", ())]
    return escape(f"{', '.join(issuers) or labels['none']} ({caa_where(caa)})")


def _dnssec_why(dnssec: Mapping[str, Any]) -> str:
    """The reason, and the CNAMEs followed for an alias (as the HTML cell's note says it)."""
    aliases = dnssec.get("aliases")
    chain = "; ".join(str(a) for a in aliases) if isinstance(aliases, list) else ""
    return " — ".join(p for p in (str(dnssec.get("reason") or ""), chain) if p)


def dns_table(observations: Mapping[str, SystemObservations], console: Console, lang: str) -> None:
    """`auditor probe dns`: DNSSEC status and CAA per endpoint name."""
    labels = _LABELS.get(lang, _LABELS["en"])
    table = Table(title=labels["dns_title"])
    for key in ("system", "url", "dnssec", "zone", "why", "caa"):
        table.add_column(labels[key])
    rows = 0
    for system, seen in observations.items():
        for url, (values, errors) in seen.endpoints.items():
            dnssec = values.get("dnssec") or {}
            caa = values.get("caa") or {}
            if not dnssec and not caa:
                continue
            rows += 1
            table.add_row(
                escape(system), escape(url), dnssec_cell(dnssec, errors, labels, lang),
                escape(str(dnssec.get("zone") or labels["none"])),
                escape(_dnssec_why(dnssec)), caa_cell(caa, errors, labels),
            )
    if rows:
        console.print(table)
    else:
        console.print(labels["empty"])


def ports_table(
    observations: Mapping[str, SystemObservations],
    unmatched: Sequence[HostObservation],
    notes: Sequence[str],
    console: Console,
    lang: str,
) -> None:
    """`auditor scan`: open ports per system and address, declared or not, and scan errors."""
    labels = _LABELS.get(lang, _LABELS["en"])
    table = Table(title=labels["ports_title"])
    for key in ("system", "host", "address", "port", "service", "declared"):
        table.add_column(labels[key])
    rows = 0
    for system, seen in observations.items():
        for item in seen.collections.get("open_ports", ()):
            rows += 1
            values = item.values
            error = item.errors.get("")
            if error is not None:
                table.add_row(escape(system), escape(str(values.get("host") or "")),
                              escape(str(values.get("address"))),
                              _error_cell(error, labels, lang), "", "")
                continue
            service = " ".join(
                str(values[k]) for k in ("service", "product", "version") if values.get(k)
            )
            table.add_row(
                escape(system),
                escape(str(values.get("host") or labels["none"])),
                escape(str(values["address"])),
                f"{values['port']}/{values['protocol']}",
                escape(service or labels["none"]),
                _yes(values.get("declared"), labels),
            )
    if rows:
        console.print(table)
    else:
        console.print(labels["no_ports"])
    if unmatched:
        hosts = ", ".join(sorted({h.address for h in unmatched}))
        console.print(escape(labels["unmatched"].format(hosts=hosts)))
    for note in notes:
        console.print(escape(labels["note"].format(note=note)))
