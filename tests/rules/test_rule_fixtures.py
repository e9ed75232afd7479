"""Every shipped rule has a passing and a failing fixture, and each fixture holds.

A fixture file `cases/<RULE-ID>.yaml` lists cases; each case deep-merges its overrides onto
the compliant base inventory (mappings merge, lists and scalars replace, null deletes) and
states the status the rule must give. The base is `base.yaml` plus any `base.*.yaml`
overlays (merged the same way, except that lists are extended; an overlay's `replace:`
section, `{organisation:, agency:, system:}` like a case, is merged with the case semantics
so that it can replace a list), so each group of rules can add the evidence it needs in its
own file. The whole shipped catalog is evaluated, so a case also proves the rule is selected
for that level and regime.

A case holds `name`, `expect` (a status, or `absent`: the rule is not selected at all),
optionally `message` (text the English message of a finding must contain), `severity` (the
severity every finding must have at the case's level) and `gate` (whether the findings block
the go-live gate), `as_of`,
`organisation` / `agency` / `system` overrides, `subject` (judge only the findings of that
subject, e.g. one address of a `per: tls` rule), `body` (`organisation`, `agency` or
`system`: judge only the findings for that kind of subject, for rules judged both for each
agency and for the organisation itself), `known_issue` (the case states what the
regulation asks but the rule does not do yet: it must fail, strictly, until the rule is fixed;
it counts for no rule's coverage) and `observed`: what the live probes saw,
passed to the engine as the system's `SystemObservations` (without `observed` the audit is
offline, as without `--live`)::

    observed:
      tls:   [{}]                               # one healthy connection (the template as is)
      certs: [{values: {cert: {days_left: 7}}}] # a certificate with 7 days left
      endpoints:
        "https://dichvucong.kiemthu.gov.vn/": {values: {ipv6: {has_aaaa: false}}}

`tls` and `certs` are lists of items, `endpoints` maps a declared endpoint's URL to what the
probes add to it. Each item is merged (the case semantics again) onto a template of the
`observed:` sections of the overlays (base.tls.yaml), in the exact layout of
auditor/probes/observe.py (a test below checks it): `tls` items onto `tls`, `certs` items onto
`certs` (a certificate an endpoint presented) or, with `template: cert_file`, onto `cert_file`
(a certificate file), endpoints onto `endpoint`. An item may set `subject`, `values` and
`errors` (a fact key, key prefix or "" mapped to the reason the probe could not observe it: a
missing fact under it is an observation error), or `failed: <reason>` for an observation that
failed as a whole, shaped as the probe shapes it: only the item's identity (url, host, port,
address, family, kind, source, path) is kept and errors is `{"": reason}` — for an endpoint,
no `ipv6` facts and errors `{ipv6: reason}`. Dates in observed values become ISO text, as the
probes give them. Derived facts are not recomputed: a case that changes `cert.days_left`
states `lifetime_left_fraction` too when a rule reads it, and one that changes
`ipv6.reachable` states `ipv6.ready`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.checks.context import Item
from auditor.engine import evaluate
from auditor.facts import SystemObservations
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import InventoryFile
from auditor.model.inventory import EndpointKind, Inventory
from auditor.model.results import Finding, Origin

HERE = Path(__file__).parent
CASES = HERE / "cases"
AS_OF = dt.date(2026, 11, 24)
FAILING = {"fail", "manual"}
CASE_KEYS = {"name", "expect", "message", "as_of", "organisation", "agency", "system",
             "subject", "body", "observed", "known_issue", "severity", "gate"}
OVERLAY_KEYS = {"organisation", "agency", "system", "replace", "observed"}
ORIGIN = Origin(source="observed", via="fixture")
_ITEM_KEYS = {"template", "subject", "values", "errors", "failed"}
_ENDPOINT_KEYS = {"values", "errors", "failed"}
#: What tls_items and file_item keep of an item whose observation failed as a whole.
_IDENTITY = ("url", "host", "port", "address", "family", "kind", "source", "path")


def _extend(base: Any, overlay: Any) -> Any:
    if overlay is None:
        return base
    if isinstance(base, dict) and isinstance(overlay, dict):
        return {**base, **{k: _extend(base.get(k), v) for k, v in overlay.items()}}
    if isinstance(base, list) and isinstance(overlay, list):
        return base + overlay
    return copy.deepcopy(overlay)


def merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = merge(base.get(key), value)
        return merged
    return copy.deepcopy(override)


def _apply(document: Any, parts: Mapping[str, Any], combine: Callable[[Any, Any], Any]) -> Any:
    """Combine {organisation:, agency:, system:} parts into the one-agency, one-system base."""
    agency = document["agencies"][0]
    system = combine(agency["systems"][0], parts.get("system") or {})
    agency = combine(agency, parts.get("agency") or {})
    agency["systems"] = [system]
    organisation = combine(document["organisation"], parts.get("organisation") or {})
    return {**document, "organisation": organisation, "agencies": [agency]}


def _base() -> tuple[Any, dict[str, Any]]:
    """base.yaml with each base.*.yaml overlay, and the observed-item templates they hold."""
    document = yaml.safe_load((HERE / "base.yaml").read_text(encoding="utf-8"))
    templates: dict[str, Any] = {}
    for path in sorted(HERE.glob("base.*.yaml")):
        overlay = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(overlay) <= OVERLAY_KEYS, f"{path.name}: unknown {set(overlay) - OVERLAY_KEYS}"
        document = _apply(document, overlay, _extend)
        document = _apply(document, overlay.get("replace") or {}, merge)
        templates = _extend(templates, overlay.get("observed"))
    return document, templates


BASE, TEMPLATES = _base()
CATALOG, _ = load_catalog()


def _case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def _cases() -> list[Any]:
    params = []
    for path in _case_files():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(spec["cases"]):
            case_id = f"{spec['rule']}-{index}-{case['expect']}"
            marks = ([pytest.mark.xfail(strict=True, reason=case["known_issue"])]
                     if "known_issue" in case else [])
            params.append(pytest.param(spec["rule"], case, id=case_id, marks=marks))
    return params


def build(case: dict[str, Any]) -> Inventory:
    document = _apply(copy.deepcopy(BASE), case, merge)
    parsed = InventoryFile.model_validate(document)
    assert parsed.organisation is not None
    return Inventory(organisation=parsed.organisation, agencies=parsed.agencies)


def _iso(value: Any) -> Any:
    """Observed values as the probes give them: dates as ISO text."""
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _values_and_errors(
    entry: Mapping[str, Any], template: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    values = _iso(merge(template.get("values") or {}, entry.get("values") or {}))
    errors = merge(template.get("errors") or {}, entry.get("errors") or {})
    return values, errors


def observed_item(entry: Mapping[str, Any], template_name: str) -> Item:
    """One `tls` or `certs` item of a case, merged onto its template."""
    assert set(entry) <= _ITEM_KEYS, f"unknown observed item keys {set(entry) - _ITEM_KEYS}"
    template = TEMPLATES[entry.get("template", template_name)]
    values, errors = _values_and_errors(entry, template)
    if "failed" in entry:
        values = {k: v for k, v in values.items() if k in _IDENTITY}
        errors = {"": entry["failed"]}
    return Item(entry.get("subject", template["subject"]), values, {"": ORIGIN}, errors)


def observed_endpoint(entry: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """What the probes add to one declared endpoint, merged onto the `endpoint` template."""
    assert set(entry) <= _ENDPOINT_KEYS, f"unknown observed keys {set(entry) - _ENDPOINT_KEYS}"
    if "failed" in entry:
        return {}, {"ipv6": entry["failed"]}
    return _values_and_errors(entry, TEMPLATES["endpoint"])


def observations(
    case: Mapping[str, Any], inventory: Inventory
) -> dict[str, SystemObservations] | None:
    """The case's `observed:` as the engine's observations of the (only) system."""
    spec = case.get("observed")
    if spec is None:
        return None
    assert set(spec) <= {"tls", "certs", "endpoints", "open_ports", "expected_ports"}, (
        f"unknown observed: {set(spec)}")
    system = inventory.agencies[0].systems[0]
    endpoints = spec.get("endpoints") or {}
    declared = {e.url for e in system.endpoints}
    assert set(endpoints) <= declared, f"not declared endpoints: {set(endpoints) - declared}"
    return {
        system.id: SystemObservations(
            collections={
                "tls": tuple(observed_item(e or {}, "tls") for e in spec.get("tls") or ()),
                "certs": tuple(observed_item(e or {}, "certs") for e in spec.get("certs") or ()),
                "open_ports": tuple(observed_item(e or {}, "open_port")
                                    for e in spec.get("open_ports") or ()),
                "expected_ports": tuple(observed_item(e or {}, "expected_port")
                                        for e in spec.get("expected_ports") or ()),
            },
            endpoints={
                url: observed_endpoint(e or {}) for url, e in endpoints.items()
            },
            origin=ORIGIN,
        )
    }


def findings_by_body(case: dict[str, Any]) -> dict[str, list[Finding]]:
    inventory = build(case)
    run = evaluate(inventory, CATALOG, case.get("as_of", AS_OF),
                   observations=observations(case, inventory))
    return {
        "organisation": list(run.organisation.findings),
        "agency": [f for a in run.agencies for f in a.findings],
        "system": [f for s in run.systems for f in s.findings],
    }


def findings_for_all(case: dict[str, Any]) -> list[Finding]:
    return [f for found in findings_by_body(case).values() for f in found]


def findings_for(rule_id: str, case: dict[str, Any]) -> list[Finding]:
    by_body = findings_by_body(case)
    found = by_body[case["body"]] if "body" in case else [f for v in by_body.values() for f in v]
    return [f for f in found if f.rule_id == rule_id
            and ("subject" not in case or f.subject == case["subject"])]


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_rule_fixture(rule_id: str, case: dict[str, Any]) -> None:
    assert set(case) <= CASE_KEYS, (case["name"], set(case) - CASE_KEYS)
    findings = findings_for(rule_id, case)
    expected = case["expect"]
    if expected == "absent":  # the rule is not selected at all (level or regime)
        assert findings == [], case["name"]
        return
    assert findings, f"{rule_id} was not evaluated for: {case['name']}"
    statuses = {f.status.value for f in findings}
    assert statuses == {expected}, (case["name"], [(f.status, f.message.en) for f in findings])
    if "message" in case:
        assert any(case["message"] in f.message.en for f in findings), (
            case["name"], [f.message.en for f in findings])
    if "severity" in case:
        assert {f.severity.value for f in findings} == {case["severity"]}, (
            case["name"], [f.severity for f in findings])
    if "gate" in case:
        assert {f.gate for f in findings} == {case["gate"]}, (
            case["name"], [f.gate for f in findings])


#: What the probes see of the compliant base: every template once.
HEALTHY = {
    "observed": {
        "tls": [{}],
        "certs": [{}, {"template": "cert_file"}],
        "endpoints": {BASE["agencies"][0]["systems"][0]["endpoints"][0]["url"]: {}},
        "open_ports": [{}],
        "expected_ports": [{}],
    }
}


@pytest.mark.parametrize("case", [{}, HEALTHY], ids=["offline", "observed"])
def test_base_inventory_is_compliant_with_every_applicable_rule(case: dict[str, Any]) -> None:
    failing = [(f.rule_id, f.subject, f.message.en) for f in findings_for_all(case)
               if f.status.value in FAILING | {"error"}]
    assert failing == []


def test_healthy_observations_are_judged() -> None:
    """Each observation rule gives a finding for the healthy templates (none is skipped)."""
    judged = {f.rule_id for f in findings_for_all(HEALTHY) if f.status.value == "pass"}
    observation_rules = {r.id for r in CATALOG
                         if r.per in ("tls", "certs", "open_ports", "expected_ports")}
    assert observation_rules <= judged


def test_every_shipped_rule_has_a_passing_and_a_failing_fixture() -> None:
    expectations: dict[str, set[str]] = {}
    for path in _case_files():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == spec["rule"], f"{path.name} holds cases of {spec['rule']}"
        expectations[spec["rule"]] = {case["expect"] for case in spec["cases"]
                                      if "known_issue" not in case}
    lacking = [rule.id for rule in CATALOG
               if "pass" not in expectations.get(rule.id, set())
               or not expectations.get(rule.id, set()) & FAILING]
    assert lacking == [], f"rules without a passing and a failing fixture: {lacking}"


# --- the templates have the probes' layout ------------------------------------------------


def _shape(value: Any) -> Any:
    """Keys and value types, recursively (a list by its first element)."""
    if isinstance(value, Mapping):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_shape(value[0])] if value else []
    return "number" if type(value) in (int, float) else type(value).__name__


def _probe_layouts() -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
    """What observe.py makes of healthy probe results: the layouts the templates must have."""
    from auditor.probes.caa import CaaObservation
    from auditor.probes.certfile import CertFileObservation
    from auditor.probes.certinfo import CertFacts, IntermediateFacts
    from auditor.probes.certtrust import FileTrust, TrustReason
    from auditor.probes.dnssec import DnssecObservation, DnssecStatus
    from auditor.probes.http import Redirect
    from auditor.probes.ipv6 import Ipv6Observation, NameServerIpv6, Reachability
    from auditor.probes.observe import file_item, ipv6_values, tls_items
    from auditor.probes.observe_dns import dns_values
    from auditor.probes.ocsp import CertStatus, OcspAnswer
    from auditor.probes.revocation import RevocationObservation, SourceAnswer
    from auditor.probes.runner import DnsResult, FileResult, Ipv6Result, TlsResult
    from auditor.probes.samesite import SiteComparison
    from auditor.probes.targets import CertFileTarget, EndpointTarget
    from auditor.probes.tls import TlsObservation

    host, url = "www.example", "https://www.example/"
    inter = IntermediateFacts("CN=CA", "CN=Root", dt.date(2029, 3, 1), 828, False, 2, "sha256",
                              "ec", 256)
    cert = CertFacts(
        subject="CN=www.example", subject_cn="www.example", san_dns=(host,), san_ip=(),
        issuer="CN=CA", serial_hex="c0ffee", not_before=dt.date(2026, 10, 1),
        not_after=dt.date(2027, 4, 19), as_of=AS_OF, days_left=146, lifetime_days=200,
        lifetime_left_fraction=0.73, public_lifetime_limit=200, exceeds_public_lifetime=False,
        key_type="ec", key_bits=256, signature_hash="sha256", self_signed=False,
        intermediates=(inter,),
    )
    target = EndpointTarget(system="s", url=url, scheme="https", host=host, port=443,
                            kind=EndpointKind.WEB, http_url=f"http://{host}/",
                            declared=("192.0.2.1",), ca_bundle=None)
    tls = TlsObservation(
        host=host, port=443, server_name=host, address="192.0.2.1", as_of=AS_OF,
        protocol="TLSv1.3", cipher="TLS_AES_256_GCM_SHA384", cert=cert, chain_presented=True,
        chain_verified=True, hostname_matches=True, legacy_checked=True,
        tls1_0_accepted=False, tls1_1_accepted=False,
    )
    redirect = Redirect(http_url=f"http://{host}/", address="192.0.2.1", status=301,
                        location=url, redirects_to_https=True)
    staple = OcspAnswer(status=CertStatus.GOOD, signer="issuer",
                        this_update=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC),
                        next_update=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    revocation = RevocationObservation(dt.datetime(2026, 11, 24, tzinfo=dt.UTC), False,
                                       "c0ffee", stapled=True, staple=staple)
    connection, presented = tls_items(TlsResult(target, tls, redirect, revocation))
    other = CertFacts(**{**cert.__dict__, "intermediates": ()})
    file = file_item(FileResult(
        CertFileTarget("s", "c.pem", Path("c.pem")),
        CertFileObservation(path="c.pem", as_of=AS_OF, format="pem",
                            certificates=(cert, other),
                            trust=FileTrust(True, TrustReason.OK, None,
                                            dt.datetime(2026, 11, 24, tzinfo=dt.UTC))),
        RevocationObservation(
            dt.datetime(2026, 11, 24, tzinfo=dt.UTC), False, "c0ffee", of_file=True,
            answers=(SourceAnswer("crl_file", "certs/ca.crl", OcspAnswer(
                status=CertStatus.GOOD, signer="issuer",
                this_update=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
                next_update=dt.datetime(2026, 11, 27, tzinfo=dt.UTC))),)),
    ))
    ipv6 = Ipv6Observation(
        host=host, ports=(443,), ipv4=("192.0.2.1",), ipv6=("2001:db8::1",), zone="example",
        name_servers=tuple(NameServerIpv6(f"ns{i}.example", (f"2001:db8::5{i}",), True)
                           for i in (1, 2)),
        reachability=(Reachability("2001:db8::1", 443, True),),
    )
    site = SiteComparison(same=True, status_v4=200, status_v6=200, header_names_differ=(),
                          content_difference=0.0)
    dnssec = DnssecObservation(
        host=host, anchor="example.", status=DnssecStatus.SECURE, zone="example.",
        chain=("example.",), judged_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    caa = CaaObservation(host=host, owner="example.", issue=("ca.example",),
                         iodef=("mailto:soc@example",),
                         records=('0 issue "ca.example"', '0 iodef "mailto:soc@example"'))
    ipv6_seen, ipv6_errors = ipv6_values(Ipv6Result(target, ipv6, site))
    dns_seen, dns_errors = dns_values(DnsResult(target, dnssec, caa), "anchor.ds")
    return {
        "tls": (dict(connection.values), dict(connection.errors)),
        "certs": (dict(presented.values), dict(presented.errors)),
        "cert_file": (dict(file.values), dict(file.errors)),
        "endpoint": ({**ipv6_seen, **dns_seen}, {**ipv6_errors, **dns_errors}),
        **_scan_layouts(),
    }


def _scan_layouts() -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
    """What scan/observe.py makes of a healthy scan of a dual-stack host."""
    from auditor.scan.model import HostObservation, PortObservation, ScanRun
    from auditor.scan.observe import scan_observations

    inventory = build({})
    system = inventory.agencies[0].systems[0]
    host = system.hosts[0]
    port = PortObservation("tcp", 443, "open", "syn-ack", "https", "nginx", "1.26.1")
    hosts = tuple(
        HostObservation(str(address), family, "up", ports=(port,))
        for address, family in ((host.ipv4[0], "ipv4"), (host.ipv6[0], "ipv6"))
    )
    observed, _ = scan_observations(inventory, [ScanRun("nmap", hosts)], AS_OF)
    seen = observed[system.id].collections
    open6 = next(i for i in seen["open_ports"] if i.values["family"] == "ipv6")
    expected = seen["expected_ports"][0]
    return {
        "open_port": (dict(open6.values), dict(open6.errors)),
        "expected_port": (dict(expected.values), dict(expected.errors)),
    }


@pytest.mark.parametrize("name", ["tls", "certs", "cert_file", "endpoint", "open_port",
                                  "expected_port"])
def test_observed_templates_have_the_probes_layout(name: str) -> None:
    values, errors = _probe_layouts()[name]
    template = TEMPLATES[name]
    assert _shape(template["values"]) == _shape(_iso(values))
    assert template.get("errors", {}) == errors
