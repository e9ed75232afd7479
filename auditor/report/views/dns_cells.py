"""The DNSSEC and CAA cells of a live IPv6 row: the words, a status class, and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from auditor.code_words import word_in


@dataclass(frozen=True, slots=True)
class DnsCell:
    """A DNSSEC or CAA cell: the words, a status class for the badge, and a note (why)."""

    text: str
    css: str  # "pass" | "fail" | "error" | "manual" | "" (not observed)
    note: str | None = None


_ERROR_WORD: Final = {"vi": "lỗi", "en": "error"}
_NO_ANCHOR: Final = {"vi": "chưa khai báo trust anchor", "en": "no trust anchor declared"}
_NO_CAA: Final = {"vi": "không có", "en": "none"}
_FORBIDDEN: Final = {"vi": "cấm cấp (;)", "en": "issuance forbidden (;)"}


def dnssec_why(seen: Mapping[str, Any]) -> str | None:
    """The reason a name is not secure, and the CNAMEs followed to judge it (an alias)."""
    reason = seen.get("reason")
    aliases = seen.get("aliases")
    parts = [reason] if isinstance(reason, str) else []
    if isinstance(aliases, list) and aliases:
        parts.append("; ".join(str(a) for a in aliases))
    return " — ".join(parts) or None


def dnssec_cell(seen: Mapping[str, Any], errors: Mapping[str, str], lang: str) -> DnsCell:
    """The name's DNSSEC status in words (with the reason), an error, or no trust anchor."""
    if "dnssec.status" in errors:
        return DnsCell(_ERROR_WORD[lang], "error", errors["dnssec.status"])
    status = seen.get("status")
    if isinstance(status, str):
        return DnsCell(word_in(status, lang, "DnssecStatus"),
                       "pass" if status == "secure" else "fail", dnssec_why(seen))
    if seen:  # observed, but no trust anchor to validate from
        return DnsCell(_NO_ANCHOR[lang], "manual")
    return DnsCell("", "")


def caa_where(seen: Mapping[str, Any]) -> str | None:
    """The name the relevant CAA set was found at and, for an alias, the CNAMEs followed to
    the records (RFC 8659 §3)."""
    owner = seen.get("owner")
    aliases = seen.get("aliases")
    parts = [owner] if isinstance(owner, str) else []
    if isinstance(aliases, list) and aliases:
        parts.append("; ".join(str(a) for a in aliases))
    return " — ".join(parts) or None


def caa_cell(seen: Mapping[str, Any], errors: Mapping[str, str], lang: str) -> DnsCell:
    """The issuers of the relevant CAA set and the name it was found at, or none, or why not."""
    if "caa.present" in errors:
        return DnsCell(_ERROR_WORD[lang], "error", errors["caa.present"])
    if not seen:
        return DnsCell("", "")
    if seen.get("present") is not True:
        return DnsCell(_NO_CAA[lang], "fail")
    issue = seen.get("issue")
    issuers = [i or _FORBIDDEN[lang] for i in issue] if isinstance(issue, list) else []
    return DnsCell(", ".join(issuers) or _NO_CAA[lang], "pass", caa_where(seen))
