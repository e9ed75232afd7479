"""DNSSEC and CAA observations → the `dnssec.*` and `caa.*` facts of a declared endpoint.

- `dnssec.host`; with trust anchors (`--trust-anchor`) also `dnssec.trust_anchor` (the file),
  and, once validated, `dnssec.anchor` (the anchored zone the walk began at), `dnssec.status`
  (`secure`, `insecure`, `unsigned`, `bogus`), `dnssec.reason`, `dnssec.zone`, `dnssec.chain`,
  `dnssec.judged_at`. Without trust anchors `dnssec.trust_anchor` is absent, so DNS-01 is
  `manual` naming it; a failed validation (timeout, no such name…) is an error of
  `dnssec.status` with the reason.
- `caa.host`, `caa.present`, `caa.owner` (where the relevant set was found, RFC 8659),
  `caa.issue`, `caa.issuewild`, `caa.iodef`, `caa.records`; a failed look-up is an error of
  `caa.present`.
"""

from __future__ import annotations

from typing import Any

from auditor.probes.runner import DnsResult


def dnssec_values(result: DnsResult, anchor_file: str | None) -> tuple[dict[str, Any],
                                                                       dict[str, str]]:
    seen = result.dnssec
    values: dict[str, Any] = {"host": seen.host}
    errors: dict[str, str] = {}
    if anchor_file is None:
        return values, errors
    values["trust_anchor"] = anchor_file
    if seen.anchor is not None:
        values["anchor"] = seen.anchor
    if seen.status is None:
        errors["dnssec.status"] = seen.error or "DNSSEC not validated"
        return values, errors
    values["status"] = seen.status.value
    if seen.reason is not None:
        values["reason"] = seen.reason
    values["zone"] = seen.zone
    values["chain"] = list(seen.chain)
    if seen.judged_at is not None:
        values["judged_at"] = seen.judged_at.isoformat()
    return values, errors


def caa_values(result: DnsResult) -> tuple[dict[str, Any], dict[str, str]]:
    seen = result.caa
    values: dict[str, Any] = {"host": seen.host}
    if seen.error is not None:
        return values, {"caa.present": seen.error}
    values.update({
        "present": seen.present,
        "owner": seen.owner,
        "issue": list(seen.issue),
        "issuewild": list(seen.issuewild),
        "iodef": list(seen.iodef),
        "records": list(seen.records),
    })
    return values, {}


def dns_values(result: DnsResult, anchor_file: str | None) -> tuple[dict[str, Any],
                                                                    dict[str, str]]:
    """`dnssec` and `caa` facts for one endpoint, and the reasons for what was not seen."""
    dnssec, dnssec_errors = dnssec_values(result, anchor_file)
    caa, caa_errors = caa_values(result)
    return {"dnssec": dnssec, "caa": caa}, {**dnssec_errors, **caa_errors}
