"""DNSSEC and CAA observations → the `dnssec.*` and `caa.*` facts of a declared endpoint.

- `dnssec.host`; with trust anchors (`dns_policy.trust_anchor` in the inventory, or
  `--trust-anchor`) also `dnssec.trust_anchor` (the file), and, once validated,
  `dnssec.anchor` (the anchored zone the walk began at), `dnssec.status` (`secure`,
  `insecure`, `unsigned`, `bogus`), `dnssec.reason`, `dnssec.zone`, `dnssec.chain`,
  `dnssec.judged_at`, and `dnssec.aliases` (the CNAMEs followed, `alias. CNAME target.`, when
  the name is an alias; each link validated, the weakest decides). Without trust anchors
  `dnssec.trust_anchor` is absent, so DNS-01 is `manual` naming it; a failed validation
  (timeout, no such name, a CNAME loop…) is an error of `dnssec.status` with the reason.
- `caa.host`, `caa.present`, `caa.owner` (the name, the host or an ancestor, whose CAA query
  found the relevant set, RFC 8659 §3), `caa.issue`, `caa.issuewild`, `caa.iodef`,
  `caa.records`, and `caa.aliases` (the CNAMEs that query followed to the records, when the
  owner is an alias); a failed look-up (an unreachable server, a CNAME loop…) is an error of
  `caa.present`, with `caa.aliases` the CNAMEs followed before it.
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
    if seen.aliases:
        values["aliases"] = list(seen.aliases)
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
    if seen.aliases:
        values["aliases"] = list(seen.aliases)
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
