"""The options of live observation (--live probes, nmap scans) and the requests built from them.

Cheap to import: the probes, dnspython and python-nmap are imported only when a command
actually probes or scans (or parses --resolver / --ports).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor.cli.options import as_paths

if TYPE_CHECKING:
    from auditor.audit import LiveRequest, ScanRequest
    from auditor.probes.runner import ProbeOptions, ProgressListener
    from auditor.probes.trust_anchor import TrustAnchors
    from auditor.scan.nmap_runner import ScanOptions

#: auditor.scan.nmap_runner.Profile.
PROFILES = ("quick", "standard", "full")
#: Every probe the runner knows (auditor.probes.runner.PROBES).
ALL_PROBES = frozenset({"tls", "ipv6", "dns", "files"})


def _resolver(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, int] | None:
    if value is None:
        return None
    from auditor.probes.dns import parse_resolver

    try:
        return parse_resolver(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _trust_anchor(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> TrustAnchors | None:
    """Read the file at once: a bad anchor is a usage error (exit 2) naming file and line."""
    if value is None:
        return None
    from auditor.probes.trust_anchor import TrustAnchorError, read_trust_anchors

    try:
        return read_trust_anchors(Path(value))
    except TrustAnchorError as exc:
        raise click.BadParameter(str(exc)) from exc


_LIVE_OPTIONS = (
    click.option(
        "--live",
        is_flag=True,
        help="Probe the endpoints and certificates the "
        "inventory names (TLS, HTTP redirect, DNS/IPv6, certificate files).",
    ),
    click.option(
        "--resolver",
        callback=_resolver,
        metavar="ADDR[:PORT]",
        help="DNS server to ask (an IP address); default: the system's resolver.",
    ),
    click.option(
        "--ns-port",
        type=click.IntRange(1, 65535),
        default=53,
        show_default=True,
        help="Port for querying name servers directly (IPv6 test 2; lab setups).",
    ),
    click.option(
        "--trust-anchor",
        callback=_trust_anchor,
        type=click.Path(exists=True, dir_okay=False),
        metavar="FILE",
        help="DNSSEC trust anchors (DS or DNSKEY records, zone-file lines) to validate the "
        "endpoints' names from; overrides every dns_policy.trust_anchor the inventory "
        "declares. With neither, DNSSEC is not judged (DNS-01 manual).",
    ),
    click.option(
        "--ca-bundle",
        type=click.Path(exists=True, dir_okay=False),
        help="Extra trusted CAs (PEM), e.g. the Government CA, where the inventory "
        "names no tls_policy.ca_bundle.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(0.1, 120),
        default=5.0,
        show_default=True,
        help="Seconds per connection attempt or DNS query.",
    ),
    click.option(
        "--workers",
        type=click.IntRange(1, 512),
        default=32,
        show_default=True,
        help="Probes running at once.",
    ),
    click.option(
        "--per-host",
        type=click.IntRange(1, 64),
        default=4,
        show_default=True,
        help="Connections at once to one address.",
    ),
    click.option(
        "--no-legacy",
        is_flag=True,
        help="Skip the TLS 1.0/1.1 handshakes (two per address); TLS-02 then reports "
        "an error (not checked).",
    ),
    click.option(
        "--revocation",
        is_flag=True,
        help="Also ask the OCSP responder, else fetch the CRL, at the http:// URLs each "
        "endpoint's certificate names (servers the inventory does not name; off by default). "
        "Without it only the OCSP response the server staples is judged.",
    ),
    click.option(
        "--no-staple",
        is_flag=True,
        help="Do not ask the servers for an OCSP staple (one connection per address fewer). "
        "CERT-09 and CERT-10 are then manual unless --revocation or declared CRL files "
        "decide (these still need the connection).",
    ),
    click.option(
        "--allow-cert-path",
        "allow_cert_paths",
        multiple=True,
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Also read certificate files named in the inventory from this folder "
        "(repeatable); by default only files inside the inventory's folder tree are read.",
    ),
    click.option(
        "--time-limit",
        type=click.FloatRange(1, 86400),
        default=None,
        help="Seconds for all probes; targets not started by then are reported "
        "as errors (not probed).",
    ),
)


def live_options(function: Any) -> Any:
    for option in reversed(_LIVE_OPTIONS):
        function = option(function)
    return function


def probe_options(
    as_of: dt.date, live: dict[str, Any], probes: frozenset[str] = ALL_PROBES
) -> ProbeOptions:
    from auditor.probes.dns import ResolverConfig
    from auditor.probes.runner import ProbeOptions

    resolver = live["resolver"]
    config = ResolverConfig(
        address=resolver[0] if resolver else None,
        port=resolver[1] if resolver else 53,
        ns_port=live["ns_port"],
        timeout=live["timeout"],
    )
    return ProbeOptions(
        as_of=as_of,
        timeout=live["timeout"],
        workers=live["workers"],
        per_host=live["per_host"],
        time_limit=live["time_limit"],
        resolver=config,
        check_legacy=not live["no_legacy"],
        probes=probes,
        revocation=live["revocation"],
        staple=not live["no_staple"],
        trust_anchors=live["trust_anchor"],
    )


def live_request(
    as_of: dt.date, live: dict[str, Any], progress: ProgressListener
) -> LiveRequest | None:
    if not live["live"]:
        return None
    from auditor.audit import LiveRequest

    bundle = Path(live["ca_bundle"]) if live["ca_bundle"] else None
    allowed = tuple(as_paths(live["allow_cert_paths"]))
    return LiveRequest(probe_options(as_of, live), bundle, progress, allowed)


_LIVE_KEYS = (
    "live",
    "no_legacy",
    "revocation",
    "no_staple",
    "resolver",
    "ns_port",
    "trust_anchor",
    "ca_bundle",
    "timeout",
    "workers",
    "per_host",
    "time_limit",
    "allow_cert_paths",
)


def take_live(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: kwargs.pop(key) for key in _LIVE_KEYS}


def _ports_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from auditor.scan.nmap_runner import validate_ports

    try:
        return validate_ports(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


_SCAN_CHOICES = (
    click.option("--profile", type=click.Choice(PROFILES), default="standard",
                 show_default=True,
                 help="quick: top 100 ports; standard: top 1000 with service detection; "
                 "full: every TCP port with service detection."),
    click.option("--ports", callback=_ports_option, metavar="LIST",
                 help="Ports instead of the profile's, e.g. '22,80,443,8000-8100' or "
                 "'T:443,U:53'."),
    click.option("--timing", type=click.IntRange(0, 5), help="nmap timing template -T0…-T5."),
    click.option("--tls-scripts", is_flag=True,
                 help="Run nmap's ssl-cert and ssl-enum-ciphers scripts (certificate facts)."),
    click.option("--host-timeout", type=click.FloatRange(1, 86400), default=300,
                 show_default=True, help="Seconds nmap may spend on one host."),
    click.option("--allow-large-networks", is_flag=True,
                 help="Scan declared networks larger than 1,024 addresses."),
)
_SCAN_KEYS = ("profile", "ports", "timing", "tls_scripts", "host_timeout",
              "allow_large_networks")


def scan_choices(function: Any) -> Any:
    for option in reversed(_SCAN_CHOICES):
        function = option(function)
    return function


def scan_options(choices: dict[str, Any], time_limit: float | None) -> ScanOptions:
    from auditor.scan.nmap_runner import Profile, ScanOptions

    return ScanOptions(
        profile=Profile(choices["profile"]),
        ports=choices["ports"],
        timing=choices["timing"],
        tls_scripts=choices["tls_scripts"],
        host_timeout=choices["host_timeout"],
        time_limit=time_limit,
        allow_large_networks=choices["allow_large_networks"],
    )


_AUDIT_SCAN_OPTIONS = (
    click.option("--scan", "scan_now", is_flag=True,
                 help="With --live: port-scan the hosts and networks the inventory names "
                 "(nmap)."),
    click.option("--scan-results", "scan_results", multiple=True,
                 type=click.Path(exists=True, dir_okay=False),
                 help="A saved scan (auditor scan --save) or an nmap -oX file to judge; "
                 "repeatable; no network I/O."),
)


def audit_scan_options(function: Any) -> Any:
    for option in reversed(_AUDIT_SCAN_OPTIONS):
        function = option(function)
    return scan_choices(function)


def scan_request(kwargs: dict[str, Any], live: dict[str, Any], progress: ProgressListener
                 ) -> ScanRequest | None:
    choices = {key: kwargs.pop(key) for key in _SCAN_KEYS}
    scan_now, results = kwargs.pop("scan_now"), kwargs.pop("scan_results")
    if scan_now and not live["live"]:
        raise click.UsageError("--scan needs --live (it sends traffic to the hosts)")
    if not scan_now and not results:
        return None
    from auditor.audit import ScanRequest

    options = scan_options(choices, live["time_limit"]) if scan_now else None
    return ScanRequest(options, tuple(Path(r) for r in results), progress)
