"""Probe results → the facts rules read (plain values keyed as in checklists/*.yaml).

Probes never decide compliance; this module only names what they saw:

- collection `tls`: one item per endpoint and address, subject `host:port [address]`, with
  `observed_at` (when the handshake was made, UTC), `verified_at` (the audit-date instant the
  chain verdict stands for), `protocol`, `tls13`, `chain_verified`, `verify_reason`,
  `hostname_matches`, `tls1_0_accepted`, `tls1_1_accepted`, `legacy_accepted`, `redirect.*`,
  `cert.*` and `revocation.*` (revocation_facts.py);
- collection `certs`: one item per certificate seen, on an endpoint address (same subject) or
  in a file (`file:<path>`), with `cert.*` and `intermediates_min_days_left`; a file also has
  `trust_verified`, `trust_reason`, `trust_error`, `trust_judged_at` (certtrust.py; absent
  when no CA bundle is declared, an error when the bundle could not be used);
- each declared web endpoint gains `ipv6.*` (internet.nl's web tests) keyed by its URL;
- each declared endpoint with a host name gains `dnssec.*` and `caa.*` (observe_dns.py).

Whatever could not be observed goes into the item's `errors` with the probe's reason, so the
rules that needed it report `error` with that reason instead of "not declared".
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from auditor.checks.context import Item
from auditor.facts import SystemObservations
from auditor.model.results import Origin
from auditor.probes.certinfo import CertFacts, IntermediateFacts, chain_keys, weakest_signatures
from auditor.probes.observe_dns import dns_values
from auditor.probes.revocation_facts import revocation_facts
from auditor.probes.runner import FileResult, Ipv6Result, ProbeResults, TlsResult
from auditor.probes.tls import TlsObservation

_TLS_ORIGIN = "tls probe"
_IPV6_ORIGIN = "ipv6/dns probes"  # an endpoint's ipv6.*, dnssec.* and caa.* facts
_FILE_ORIGIN = "certificate file"


def _family(address: str | None) -> str | None:
    if address is None:
        return None
    return "ipv6" if ipaddress.ip_address(address).version == 6 else "ipv4"


def tls_subject(host: str, port: int, address: str | None) -> str:
    return f"{host}:{port}" + (f" [{address}]" if address else "")


def cert_values(cert: CertFacts) -> dict[str, Any]:
    return {
        "subject": cert.subject,
        "common_name": cert.subject_cn,
        "san_dns": list(cert.san_dns),
        "san_ip": list(cert.san_ip),
        "issuer": cert.issuer,
        "serial": cert.serial_hex,
        "not_before": cert.not_before.isoformat(),
        "not_after": cert.not_after.isoformat(),
        "days_left": cert.days_left,
        "expired": cert.expired,
        "not_yet_valid": cert.not_yet_valid,
        "lifetime_days": cert.lifetime_days,
        "lifetime_left_fraction": cert.lifetime_left_fraction,
        "public_lifetime_limit": cert.public_lifetime_limit,
        "exceeds_public_lifetime": cert.exceeds_public_lifetime,
        "key_type": cert.key_type,
        "key_bits": cert.key_bits,
        "signature_hash": cert.signature_hash,
        "self_signed": cert.self_signed,
    }


def chain_signatures(values: dict[str, Any], chain: tuple[IntermediateFacts, ...]) -> None:
    """`chain_signature_hash` (the weakest hash signing a certificate after the leaf, a
    self-signed root's own signature left out) and `chain_weak_signatures` naming each weak
    one with its position (the leaf is 1); absent when no such certificate is in hand."""
    weakest, weak = weakest_signatures(chain)
    if weakest is not None:
        values["chain_signature_hash"] = weakest
        values["chain_weak_signatures"] = list(weak)
    values.update(chain_keys(chain))  # CERT-04: the keys after the leaf, the root's included


def unreadable_items(
    subject: str, values: Mapping[str, Any], origins: Mapping[str, Origin], cert: CertFacts,
    where: str,
) -> list[Item]:
    """One `certs` item in error per certificate of the chain that cannot be parsed."""
    return [
        Item(f"{subject} #{u.position}", {**values, "position": u.position}, origins,
             {"": f"{u.reason} ({where} {u.position})"})
        for u in cert.unreadable
    ]


def _intermediates(
    values: dict[str, Any], cert: CertFacts, observable: bool, note: str | None
) -> dict[str, str]:
    """The chain's facts into `values`; the errors of those that could not be observed.

    When the chain the server sent could not be read at all, its signatures are unknown, not
    absent: CERT-05 must not pass on the leaf alone (it still fails on a weak leaf).
    """
    chain_signatures(values, cert.intermediates)
    if cert.intermediates:
        values["intermediates_min_days_left"] = min(i.days_left for i in cert.intermediates)
        values["intermediates"] = [
            {"subject": i.subject, "not_after": i.not_after.isoformat(), "days_left": i.days_left}
            for i in cert.intermediates
        ]
    values["chain_observable"] = observable
    if observable or not note:
        return {}
    values["chain_note"] = note
    return {"chain_signature_hash": f"the chain the server sent was not read ({note}): "
            "only the leaf's signature is known"}


def _legacy(tls: TlsObservation, values: dict[str, Any], errors: dict[str, str]) -> None:
    if not tls.legacy_checked:
        reason = tls.legacy_note or "legacy protocol versions not checked"
        for key in ("tls1_0_accepted", "tls1_1_accepted", "legacy_accepted"):
            errors[key] = reason
        return
    accepted = []
    for key, value in (
        ("tls1_0_accepted", tls.tls1_0_accepted),
        ("tls1_1_accepted", tls.tls1_1_accepted),
    ):
        if value is None:
            errors[key] = "network error during the legacy handshake: could not tell"
        else:
            values[key] = value
            accepted.append(value)
    if any(accepted):
        values["legacy_accepted"] = True
    elif len(accepted) == 2:
        values["legacy_accepted"] = False
    else:
        errors["legacy_accepted"] = "network error during the legacy handshake: could not tell"


def _redirect(result: TlsResult, values: dict[str, Any], errors: dict[str, str]) -> None:
    redirect = result.redirect
    if redirect is None:
        return
    values["redirect"] = {
        "http_url": redirect.http_url,
        "status": redirect.status,
        "location": redirect.location,
    }
    if redirect.redirects_to_https is None:
        errors["redirect.redirects_to_https"] = redirect.error or "no answer to plain HTTP"
    else:
        values["redirect"]["redirects_to_https"] = redirect.redirects_to_https


def tls_unreadable_items(result: TlsResult) -> list[Item]:
    """One `certs` item in error per certificate after the leaf that cannot be parsed."""
    tls = result.tls
    if tls.cert is None or not tls.cert.unreadable:
        return []
    target = result.target
    subject = tls_subject(target.host, target.port, tls.address)
    origins = {"": Origin(source="observed", via=f"{_TLS_ORIGIN} · {tls.address or target.host}")}
    base = {"url": target.url, "host": target.host, "port": target.port, "address": tls.address,
            "family": _family(tls.address), "kind": target.kind.value, "source": "tls"}
    return unreadable_items(subject, base, origins, tls.cert, "position in the chain")


def tls_items(result: TlsResult) -> tuple[Item, Item]:
    """The `tls` item and the `certs` item for one endpoint address."""
    tls = result.tls
    target = result.target
    subject = tls_subject(target.host, target.port, tls.address)
    via = f"{_TLS_ORIGIN} · {tls.address or target.host}"
    origins = {"": Origin(source="observed", via=via)}
    base: dict[str, Any] = {
        "url": target.url,
        "host": target.host,
        "port": target.port,
        "address": tls.address,
        "family": _family(tls.address),
        "kind": target.kind.value,
    }
    if tls.observed_at is not None:  # when this observation was made (UTC)
        base["observed_at"] = tls.observed_at.isoformat()
    if tls.error is not None:
        failed = {"": tls.error}
        connection = dict(base)
        _redirect(result, connection, failed)  # plain HTTP may answer though TLS does not
        return (
            Item(subject, connection, origins, failed),
            Item(subject, {**base, "source": "tls"}, origins, failed),
        )
    values = dict(base)
    errors: dict[str, str] = {}
    if tls.handshake_note is not None:  # only the certificate was seen: no protocol to judge
        for key in ("protocol", "tls13", "cipher"):
            errors[key] = tls.handshake_note
    else:
        values["protocol"] = tls.protocol
        values["tls13"] = tls.protocol == "TLSv1.3"
        values["cipher"] = tls.cipher
    values["hostname_matches"] = tls.hostname_matches
    if tls.chain_verified is None:
        errors["chain_verified"] = tls.verify_error or "chain verification did not complete"
    else:
        values["chain_verified"] = tls.chain_verified
        values["verify_reason"] = tls.verify_reason.value if tls.verify_reason else "ok"
        if tls.verified_at is not None:  # the instant the verdict stands for (the audit date)
            values["verified_at"] = tls.verified_at.isoformat()
        if tls.verify_error:
            values["verify_error"] = tls.verify_error
    _legacy(tls, values, errors)
    _redirect(result, values, errors)
    if result.revocation is not None:
        revocation_facts(result.revocation, values, errors,
                         tls.cert.serial_hex if tls.cert is not None else None)
    cert_item_values: dict[str, Any] = {**base, "source": "tls"}
    cert_errors: dict[str, str] = {}
    if tls.cert is not None:
        values["cert"] = cert_values(tls.cert)
        cert_item_values["cert"] = values["cert"]
        cert_errors = _intermediates(cert_item_values, tls.cert, tls.chain_presented,
                                     tls.chain_note)
    if "revocation" in values:  # CERT-09 judges the certificate (per: certs) as well
        cert_item_values["revocation"] = values["revocation"]
        cert_errors.update({k: v for k, v in errors.items() if k.startswith("revocation.")})
    return (Item(subject, values, origins, errors),
            Item(subject, cert_item_values, origins, cert_errors))


def file_unreadable_items(result: FileResult) -> list[Item]:
    """One `certs` item in error per certificate of the file that cannot be parsed (its place
    in the file, 1 = the first), besides the file's own item."""
    path = result.target.path
    origins = {"": Origin(source="observed", file=path, via=_FILE_ORIGIN)}
    return [
        Item(f"file:{path} #{u.position}",
             {"source": "file", "path": path, "position": u.position}, origins,
             {"": f"{u.reason} (certificate {u.position} of the file)"})
        for u in result.observation.unreadable
    ]


def file_item(result: FileResult) -> Item:
    observation = result.observation
    subject = f"file:{result.target.path}"
    origins = {"": Origin(source="observed", file=result.target.path, via=_FILE_ORIGIN)}
    values: dict[str, Any] = {"source": "file", "path": result.target.path}
    leaf = observation.leaf
    if observation.error is not None or leaf is None:
        return Item(subject, values, origins, {"": observation.error or "no certificate found"})
    values["format"] = observation.format
    values["cert"] = cert_values(leaf)
    values["certificates"] = len(observation.certificates)
    others = [c for c in observation.certificates if c is not leaf]
    if others:
        values["intermediates_min_days_left"] = min(c.days_left for c in others)
    values["chain_observable"] = True  # everything the file holds is in hand
    chain_signatures(values, leaf.intermediates)
    errors: dict[str, str] = {}
    if result.revocation is not None:
        revocation_facts(result.revocation, values, errors)
    trust = observation.trust
    if trust is not None and trust.reason.value != "no_ca_bundle":
        if trust.verified is None:
            for key in ("trust_verified", "trust_reason"):
                errors[key] = trust.detail or "trust not judged"
        else:
            values["trust_verified"] = trust.verified
            values["trust_reason"] = trust.reason.value
            if trust.detail:
                values["trust_error"] = trust.detail
            if trust.judged_at is not None:
                values["trust_judged_at"] = trust.judged_at.isoformat()
    return Item(subject, values, origins, errors)


def ipv6_values(result: Ipv6Result) -> tuple[dict[str, Any], dict[str, str]]:
    """`ipv6.*` facts for one web endpoint, and the reasons for what could not be seen."""
    obs = result.ipv6
    if obs.error is not None:
        return {}, {"ipv6": obs.error}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "host": obs.host,
        "ipv4": list(obs.ipv4),
        "aaaa": list(obs.ipv6),
        "aaaa_mapped": list(obs.ipv6_mapped),
        "has_aaaa": obs.has_aaaa,
        "zone": obs.zone,
        "name_servers": [
            {"name": ns.name, "ipv6": list(ns.ipv6), "answers_over_ipv6": ns.answers_over_ipv6}
            for ns in obs.name_servers
        ],
        "ns_with_ipv6": obs.ns_with_ipv6,
        "unreachable": [f"[{r.address}]:{r.port}" for r in obs.reachability if not r.reachable],
    }
    if obs.zone_error is not None:
        for key in ("ns_with_ipv6", "ns_reachable_ipv6"):
            errors[f"ipv6.{key}"] = obs.zone_error
        del values["ns_with_ipv6"]
    _optional(
        values,
        errors,
        "ns_reachable_ipv6",
        obs.ns_reachable_ipv6,
        "no name server has an IPv6 address to try",
    )
    _optional(values, errors, "reachable", obs.reachable_ipv6, "no IPv6 address to connect to")
    if obs.reachable_share is not None:
        values["reachable_share"] = round(obs.reachable_share, 4)
    values["ready"] = obs.has_aaaa and obs.reachable_ipv6 is True
    site = result.site
    # internet.nl compares only when the name has both families; without an AAAA IP6-08 does
    # not apply (IP6-02/IP6-04 judge the missing AAAA), so no comparison is no error.
    values["comparable"] = bool(obs.ipv4 and obs.ipv6)
    if site is not None and site.same is None:
        errors["ipv6.same_site"] = site.reason or "one side did not answer"
    elif site is not None:
        values["same_site"] = site.same
        values["site"] = {
            "status_v4": site.status_v4,
            "status_v6": site.status_v6,
            "header_names_differ": list(site.header_names_differ),
            "content_difference": site.content_difference,
        }
    return {"ipv6": values}, errors


def _optional(
    values: dict[str, Any], errors: dict[str, str], key: str, value: bool | None, reason: str
) -> None:
    if value is None:
        errors[f"ipv6.{key}"] = reason
    else:
        values[key] = value


def system_observations(results: ProbeResults) -> dict[str, SystemObservations]:
    """Group what the probes saw by system, in a stable order."""
    tls: dict[str, list[Item]] = defaultdict(list)
    certs: dict[str, list[Item]] = defaultdict(list)
    endpoints: dict[str, dict[str, tuple[Mapping[str, Any], Mapping[str, str]]]] = defaultdict(dict)
    for result in results.tls:
        connection, cert = tls_items(result)
        tls[result.target.system].append(connection)
        certs[result.target.system].extend([cert, *tls_unreadable_items(result)])
    for file_result in results.files:
        certs[file_result.target.system].append(file_item(file_result))
        certs[file_result.target.system].extend(file_unreadable_items(file_result))
    for ipv6 in results.ipv6:
        endpoints[ipv6.target.system][ipv6.target.url] = ipv6_values(ipv6)
    for dns_result in results.dns:
        by_url = endpoints[dns_result.target.system]
        values, errors = dns_values(dns_result, dns_result.anchor_file)
        before, before_errors = by_url.get(dns_result.target.url, ({}, {}))
        by_url[dns_result.target.url] = ({**before, **values}, {**before_errors, **errors})
    origin = Origin(source="observed", via=_IPV6_ORIGIN)
    systems = sorted(set(tls) | set(certs) | set(endpoints))
    return {
        system: SystemObservations(
            collections={"tls": tuple(tls[system]), "certs": tuple(certs[system])},
            endpoints=dict(endpoints[system]),
            origin=origin,
        )
        for system in systems
    }
