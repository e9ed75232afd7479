"""The probe pipeline around the probes themselves: what is planned (scope), how tasks run
(limits, isolation, deduplication) and how observations become facts. No network here: the
probes are exercised against real servers in tests/probes and tests/e2e/test_cli_live.py.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE

from auditor.audit import AuditRequest, ScanRequest, run_audit
from auditor.loading.inventory import load_inventory
from auditor.model.inventory import EndpointKind
from auditor.probes.certinfo import CertFacts, public_lifetime_limit
from auditor.probes.dns import Addresses
from auditor.probes.ipv6 import Ipv6Observation, NameServerIpv6, Reachability
from auditor.probes.observe import ipv6_values, tls_items
from auditor.probes.runner import (
    Ipv6Result,
    ProbeOptions,
    TlsResult,
    _addresses_of,
    _dedupe,
    _Pool,
    _round_robin,
    _Task,
)
from auditor.probes.targets import EndpointTarget, plan_probes
from auditor.probes.tls import TlsObservation, VerifyReason
from auditor.progress import Silent

AS_OF = dt.date(2026, 12, 1)

ORG = "organisation: {id: tinh-thu, name: Tỉnh Thử}\n"
AGENCY = """agency:
  id: so-a
  name: Sở A
  defaults:
    tls_policy: {ca_bundle: certs/gov-ca.pem}
  systems:
    - id: cong
      name: Cổng
      system_type: citizen_facing
      lifecycle: production
      hosts:
        - {name: www.a.test, ipv4: [192.0.2.10], ipv6: ["2001:db8::10"]}
      endpoints:
        - {url: "https://www.a.test/"}
        - {url: "https://api.a.test:8443/v1", kind: api}
        - {url: "http://old.a.test/"}
        - {url: "https://www.a.test:444/", http_url: "http://www.a.test:8080/"}
      certificates:
        - {endpoint: "https://sign.a.test/"}
        - {file: keys/signing.pem}
    - id: khac
      name: Khác
      system_type: internal
      lifecycle: production
      tls_policy: {expiry_warning_days: 30}   # its own policy, whole: no CA bundle
      endpoints:
        - {url: "https://[2001:db8::20]/"}
"""


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    (tmp_path / "00.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "agency").mkdir()
    (tmp_path / "agency" / "a.yaml").write_text(AGENCY, encoding="utf-8")
    return tmp_path


def _plan(folder: Path, **kw: object):  # type: ignore[no-untyped-def]
    loaded = load_inventory([folder])
    return plan_probes(loaded.inventory, loaded.system_origins, **kw)  # type: ignore[arg-type]


def test_plan_holds_exactly_what_the_inventory_names(inventory: Path) -> None:
    plan = _plan(inventory)
    urls = [t.url for t in plan.endpoints]
    assert urls == [
        "https://www.a.test/", "https://api.a.test:8443/v1", "http://old.a.test/",
        "https://www.a.test:444/", "https://sign.a.test/", "https://[2001:db8::20]/",
    ]
    assert plan.host_names() == ("api.a.test", "old.a.test", "sign.a.test", "www.a.test")
    web = plan.endpoints[0]
    assert (web.host, web.port, web.kind) == ("www.a.test", 443, EndpointKind.WEB)
    assert web.declared == ("192.0.2.10", "2001:db8::10")
    assert web.http_url == "http://www.a.test/"  # the default redirect check for web sites
    api = plan.endpoints[1]
    assert (api.port, api.kind, api.http_url, api.declared) == (8443, EndpointKind.API, None, ())
    assert plan.endpoints[2].http_url is None  # plain http: nothing to redirect to
    assert plan.endpoints[3].http_url == "http://www.a.test:8080/"
    assert plan.endpoints[4].kind is EndpointKind.OTHER  # a certificate named by URL
    literal = plan.endpoints[5]
    assert literal.host == "2001:db8::20" and literal.declared == ("2001:db8::20",)
    assert literal.http_url == "http://[2001:db8::20]/"


def test_paths_are_relative_to_the_file_that_names_them(inventory: Path) -> None:
    plan = _plan(inventory, ca_bundle=Path("/cli/bundle.pem"))
    cong = [t for t in plan.endpoints if t.system == "cong"]
    # Inherited from the agency's defaults, so relative to the agency's file.
    assert {t.ca_bundle for t in cong} == {inventory / "agency" / "certs" / "gov-ca.pem"}
    # Where the inventory names no bundle, the command line's is used.
    assert [t.ca_bundle for t in plan.endpoints if t.system == "khac"] == [
        Path("/cli/bundle.pem")]
    (file_target,) = plan.cert_files
    assert file_target.path == "keys/signing.pem"
    assert file_target.resolved == inventory / "agency" / "keys" / "signing.pem"


def test_plan_for_one_system_only(inventory: Path) -> None:
    plan = _plan(inventory, only_system="khac")
    assert plan.systems == ("khac",) and [t.system for t in plan.endpoints] == ["khac"]
    assert plan.cert_files == ()


def test_declared_addresses_come_first_then_dns_answers_once_each() -> None:
    target = EndpointTarget("s", "https://w.test/", "https", "w.test", 443, EndpointKind.WEB,
                            None, ("192.0.2.1",), None)
    resolved = {"w.test": Addresses("w.test", ("192.0.2.1", "192.0.2.2"), ("2001:db8::1",))}
    assert _addresses_of(target, resolved) == ("192.0.2.1", "192.0.2.2", "2001:db8::1")


# --- the pool --------------------------------------------------------------------------------


def test_round_robin_interleaves_addresses() -> None:
    keys = ["a", "a", "a", "b", "c", "c"]
    assert [keys[i] for i in _round_robin(range(6), key=lambda i: keys[i])] == [
        "a", "b", "c", "a", "c", "a"]


def test_per_host_limit_is_respected() -> None:
    running: dict[str, int] = {"a": 0}
    peak = {"a": 0}
    lock = threading.Lock()

    def work() -> str:
        with lock:
            running["a"] += 1
            peak["a"] = max(peak["a"], running["a"])
        time.sleep(0.02)
        with lock:
            running["a"] -= 1
        return "ok"

    pool = _Pool(ProbeOptions(as_of=AS_OF, workers=16, per_host=3), Silent())
    results = pool.map([_Task("a", "t", work, lambda reason: reason) for _ in range(12)])
    assert results == ["ok"] * 12 and peak["a"] == 3


def test_a_task_that_raises_becomes_an_internal_error_for_its_target_only() -> None:
    def boom() -> str:
        raise RuntimeError("bug in a probe")

    pool = _Pool(ProbeOptions(as_of=AS_OF), Silent())
    results = pool.map([
        _Task("a", "bad", boom, lambda reason: f"error: {reason}"),
        _Task("b", "good", lambda: "observed", lambda reason: f"error: {reason}"),
    ])
    assert results == ["error: internal error: RuntimeError: bug in a probe", "observed"]


def test_tasks_not_started_by_the_time_limit_are_reported_not_dropped() -> None:
    pool = _Pool(ProbeOptions(as_of=AS_OF, workers=1, time_limit=1.0), Silent())

    def slow() -> str:
        time.sleep(1.2)
        return "done"

    tasks = [_Task(str(i), str(i), slow, lambda reason: reason) for i in range(3)]
    results = pool.map(tasks)
    assert results[0] == "done"
    assert results[1:] == ["not probed: the time limit of 1 s was reached"] * 2


def test_progress_is_told_the_total_and_each_task() -> None:
    seen: list[str] = []
    total: list[int] = []

    class Recorder:
        def planned(self, tasks: int) -> None:
            total.append(tasks)

        def done(self, label: str) -> None:
            seen.append(label)

    pool = _Pool(ProbeOptions(as_of=AS_OF), Recorder())
    pool.map([_Task("a", f"t{i}", lambda: 1, lambda r: 0) for i in range(4)])
    assert total == [4] and sorted(seen) == ["t0", "t1", "t2", "t3"]


def test_the_same_endpoint_named_twice_is_probed_once() -> None:
    tasks = [(("h", 443), _Task("h", "1", lambda: 1, lambda r: 0)),
             (("h", 443), _Task("h", "2", lambda: 2, lambda r: 0)),
             (("g", 443), _Task("g", "3", lambda: 3, lambda r: 0))]
    kept, index = _dedupe(tasks)
    assert [t.label for t in kept] == ["1", "3"] and index == [0, 0, 1]


# --- observations → facts ----------------------------------------------------------------------

TARGET = EndpointTarget("cong", "https://www.a.test/", "https", "www.a.test", 443,
                        EndpointKind.WEB, "http://www.a.test/", (), None)


def test_a_failed_connection_marks_every_fact_of_both_items() -> None:
    observation = TlsObservation(host="www.a.test", port=443, server_name="www.a.test",
                                 address="192.0.2.10", as_of=AS_OF, error="timed out")
    tls, cert = tls_items(TlsResult(TARGET, observation))
    assert tls.subject == cert.subject == "www.a.test:443 [192.0.2.10]"
    assert tls.errors == {"": "timed out"} and cert.errors == {"": "timed out"}
    assert tls.values["family"] == "ipv4" and tls.values["url"] == "https://www.a.test/"


def test_unknown_legacy_and_verification_become_errors_not_values() -> None:
    observation = TlsObservation(
        host="www.a.test", port=443, server_name="www.a.test", address="2001:db8::10",
        as_of=AS_OF, protocol="TLSv1.3", chain_verified=None,
        verify_error="verification handshake failed: timed out", hostname_matches=True,
        legacy_checked=True, tls1_0_accepted=False, tls1_1_accepted=None,
    )
    tls, _ = tls_items(TlsResult(TARGET, observation))
    assert tls.values["tls13"] is True and tls.values["family"] == "ipv6"
    assert "chain_verified" not in tls.values
    assert tls.errors["chain_verified"] == "verification handshake failed: timed out"
    assert tls.values["tls1_0_accepted"] is False and "tls1_1_accepted" in tls.errors
    assert "legacy_accepted" in tls.errors  # one of two unknown: cannot say "not accepted"


def test_legacy_accepted_when_either_old_version_is() -> None:
    observation = TlsObservation(
        host="www.a.test", port=443, server_name="www.a.test", address="192.0.2.10",
        as_of=AS_OF, protocol="TLSv1.2", chain_verified=False,
        verify_reason=VerifyReason.SELF_SIGNED, verify_error="self-signed certificate",
        hostname_matches=False, legacy_checked=True, tls1_0_accepted=True,
        tls1_1_accepted=None,
    )
    tls, _ = tls_items(TlsResult(TARGET, observation))
    assert tls.values["legacy_accepted"] is True
    assert tls.values["verify_reason"] == "self_signed"


def _leaf_facts(signature_hash: str) -> CertFacts:
    return CertFacts(
        subject="CN=www.a.test", subject_cn="www.a.test", san_dns=("www.a.test",), san_ip=(),
        issuer="CN=Test CA", serial_hex="01", not_before=dt.date(2026, 6, 1),
        not_after=dt.date(2027, 6, 1), as_of=AS_OF, days_left=182, lifetime_days=365,
        lifetime_left_fraction=0.5, public_lifetime_limit=398, exceeds_public_lifetime=False,
        key_type="ec", key_bits=256, signature_hash=signature_hash, self_signed=False,
    )


@pytest.mark.parametrize("readable", [True, False])
def test_an_unread_chain_makes_its_signatures_unknown_not_absent(readable: bool) -> None:
    observation = TlsObservation(
        host="www.a.test", port=443, server_name="www.a.test", address="192.0.2.10",
        as_of=AS_OF, protocol="TLSv1.3", cert=_leaf_facts("sha256"), chain_presented=readable,
        chain_note=None if readable else "chain unparsable: boom", chain_verified=True,
        hostname_matches=True,
    )
    _, cert = tls_items(TlsResult(TARGET, observation))
    if readable:
        assert cert.errors == {} and cert.values["chain_observable"] is True
    else:
        assert cert.values["chain_observable"] is False
        assert "chain unparsable: boom" in cert.errors["chain_signature_hash"]
        assert cert.values["chain_note"] == "chain unparsable: boom"


def test_ipv6_facts_follow_internet_nl_tests() -> None:
    observation = Ipv6Observation(
        host="www.a.test", ports=(443,), ipv4=("192.0.2.10",), ipv6=("2001:db8::10",),
        ipv6_mapped=("::ffff:192.0.2.10",), zone="a.test.",
        name_servers=(NameServerIpv6("ns1.a.test.", ("2001:db8::53",), True),
                      NameServerIpv6("ns2.a.test.", (), None, "no usable AAAA record")),
        reachability=(Reachability("2001:db8::10", 443, True),),
    )
    values, errors = ipv6_values(Ipv6Result(TARGET, observation, None))
    ipv6 = values["ipv6"]
    assert ipv6["has_aaaa"] is True and ipv6["reachable"] is True and ipv6["ready"] is True
    assert ipv6["ns_with_ipv6"] == 1 and ipv6["ns_reachable_ipv6"] is True
    assert ipv6["aaaa_mapped"] == ["::ffff:192.0.2.10"]
    assert ipv6["comparable"] is True and "same_site" not in ipv6 and errors == {}


def test_a_name_without_ipv6_is_not_comparable_and_that_is_no_error() -> None:
    observation = Ipv6Observation(host="www.a.test", ports=(443,), ipv4=("192.0.2.10",),
                                  ipv6_mapped=("::ffff:192.0.2.10",), zone="a.test.")
    values, errors = ipv6_values(Ipv6Result(TARGET, observation, None))
    assert values["ipv6"]["comparable"] is False and values["ipv6"]["has_aaaa"] is False
    assert values["ipv6"]["ready"] is False
    assert "ipv6.same_site" not in errors and "ipv6.reachable" in errors


def test_ipv6_lookup_failure_is_one_error_for_the_whole_block() -> None:
    observation = Ipv6Observation(host="www.a.test", ports=(443,),
                                  error="name does not exist (NXDOMAIN)")
    assert ipv6_values(Ipv6Result(TARGET, observation)) == (
        {}, {"ipv6": "name does not exist (NXDOMAIN)"})


@pytest.mark.parametrize(
    ("issued", "limit"),
    [(dt.date(2019, 1, 1), 825), (dt.date(2025, 6, 1), 398), (dt.date(2026, 3, 15), 200),
     (dt.date(2027, 3, 14), 200), (dt.date(2027, 3, 15), 100), (dt.date(2029, 3, 15), 47)],
)
def test_public_lifetime_limit_follows_the_sc081_schedule(issued: dt.date, limit: int) -> None:
    assert public_lifetime_limit(issued) == limit


def test_an_audit_without_live_touches_no_network(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every way to the network fails loudly here; the offline audit must not notice."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network I/O without --live: {args!r}")

    for name in ("getaddrinfo", "create_connection", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    for folder in (inventory, EXAMPLE):
        outcome = run_audit(AuditRequest([folder], AS_OF))
        assert outcome.probes is None and outcome.run.run.live is False
        assert all(s.observed == () for s in outcome.run.systems)
    # Judging a saved or imported scan reads a file, nothing more.
    nmap_xml = Path(__file__).parents[1] / "data" / "nmap" / "multi-host.xml"
    outcome = run_audit(AuditRequest([inventory], AS_OF, scan=ScanRequest(results=[nmap_xml])))
    assert outcome.run.run.live is False and len(outcome.scans) == 1
