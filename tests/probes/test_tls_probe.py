"""TLS probe against real TLS servers on 127.0.0.1 and ::1 with certificates made here."""

from __future__ import annotations

import datetime as dt
import shutil
import ssl
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from tls_servers import (
    Issued,
    LoopbackServer,
    ec_key,
    free_port,
    http_handler,
    issue,
    pem,
    rsa_key,
    server_context,
    silent_handler,
    tls_handler,
    write_chain,
)

from auditor.probes import chaintime, tls
from auditor.probes.certinfo import cert_facts, hostname_matches
from auditor.probes.tls import TlsObservation, VerifyReason, probe_endpoint

FIXED_AS_OF = dt.date(2026, 11, 24)
TODAY = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
DAY = dt.timedelta(days=1)
SHA1_CERT = Path(__file__).resolve().parent.parent / "data" / "certs" / "sha1-self-signed.pem"
TODAY_DATE = TODAY.date()


def _at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


@dataclass
class Pki:
    directory: Path
    root: Issued
    intermediate: Issued
    ca_bundle: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    d = tmp_path_factory.mktemp("pki")
    root = issue("auditor Test Root CA", key=ec_key(), not_before=TODAY - 400 * DAY,
                 not_after=TODAY + 3650 * DAY, ca=True)
    inter = issue("auditor Test Intermediate", key=ec_key(), not_before=TODAY - 300 * DAY,
                  not_after=TODAY + 1000 * DAY, issuer=root, ca=True)
    ca_bundle = d / "ca.pem"
    ca_bundle.write_bytes(pem(root.cert))

    def leaf(name: str, **kw: object) -> None:
        params: dict[str, object] = {
            "key": ec_key(), "not_before": TODAY - 10 * DAY, "not_after": TODAY + 80 * DAY,
            "issuer": inter, "sans": ("www.test",),
        }
        params.update(kw)
        cert = issue("www.test", **params)  # type: ignore[arg-type]
        write_chain(d, name, cert, inter.cert)

    leaf("valid", serial=0xC0FFEE)
    leaf("expired", not_before=_at(2020, 1, 1), not_after=_at(2021, 1, 1))
    leaf("future", not_before=_at(2098, 1, 1), not_after=_at(2099, 1, 1))
    leaf("wronghost", sans=("other.test",))
    leaf("weak", key=rsa_key(1024))
    leaf("long", not_before=TODAY - 10 * DAY, not_after=TODAY + 800 * DAY)
    leaf("expired_recently", not_before=TODAY - 60 * DAY, not_after=TODAY - 5 * DAY)
    self_signed = issue("www.test", key=ec_key(), not_before=TODAY - DAY,
                        not_after=TODAY + 30 * DAY, sans=("www.test",))
    write_chain(d, "selfsigned", self_signed)
    missing = issue("www.test", key=ec_key(), not_before=TODAY - DAY, not_after=TODAY + 30 * DAY,
                    issuer=inter, sans=("www.test",))
    write_chain(d, "missing", missing)  # the intermediate is not sent
    # SHA-1: a static certificate (tests/data/certs), since cryptography and OpenSSL 3 refuse
    # to make SHA-1 signatures at runtime; self-signed, so only its signature hash is judged.
    for suffix in ("pem", "key"):
        shutil.copyfile(SHA1_CERT.with_suffix(f".{suffix}"), d / f"sha1.{suffix}")
    return Pki(d, root, inter, ca_bundle)


@pytest.fixture
def serve(pki: Pki) -> Iterator[object]:
    servers: list[LoopbackServer] = []

    def start(name: str, host: str = "127.0.0.1", **kw: object) -> LoopbackServer:
        ctx = server_context(pki.directory / f"{name}.pem", **kw)  # type: ignore[arg-type]
        server = LoopbackServer(host, tls_handler(ctx)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _probe(port: int, *, address: str = "127.0.0.1", ca: Path | None = None,
           name: str = "www.test", as_of: dt.date = TODAY_DATE,
           timeout: float = 3.0, **kw: object) -> TlsObservation:
    return probe_endpoint("www.test", port, name, address, timeout, ca, as_of,
                          **kw)  # type: ignore[arg-type]


# --- live conditions ----------------------------------------------------------------------


def test_valid_chain_verifies_with_the_test_ca_and_facts_are_exact(serve, pki) -> None:  # type: ignore[no-untyped-def]
    server = serve("valid")
    obs = _probe(server.port, ca=pki.ca_bundle)
    assert obs.error is None, obs.error
    assert obs.chain_verified is True and obs.verify_error is None
    assert obs.hostname_matches is True
    assert obs.protocol in ("TLSv1.2", "TLSv1.3")
    cert = obs.cert
    assert cert is not None
    assert cert.subject_cn == "www.test" and cert.san_dns == ("www.test",)
    assert "auditor Test Intermediate" in cert.issuer
    assert cert.serial_hex == "c0ffee"
    assert (cert.days_left, cert.lifetime_days) == (80, 90)
    assert cert.lifetime_left_fraction == round(80 / 90, 4)
    assert cert.exceeds_public_lifetime is False
    assert (cert.key_type, cert.key_bits, cert.signature_hash) == ("ec", 256, "sha256")
    assert cert.self_signed is False
    # Default server context allows TLS 1.2+ only: the legacy check runs and finds both refused.
    if obs.legacy_checked:
        assert (obs.tls1_0_accepted, obs.tls1_1_accepted) == (False, False)
    else:
        assert obs.legacy_note
    # The presented chain is read (SSLSocket.get_unverified_chain, or the same call on the
    # underlying object before Python 3.13).
    assert obs.chain_presented and obs.chain_note is None
    assert "CN=auditor Test Intermediate" in next(i.subject for i in cert.intermediates)


def test_valid_chain_is_untrusted_without_the_ca_bundle(serve) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("valid").port, ca=None)
    assert obs.error is None
    assert obs.chain_verified is False
    assert obs.verify_reason is VerifyReason.UNKNOWN_ISSUER
    assert "issuer" in (obs.verify_error or "")


def test_expired_is_observed_with_exact_days(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("expired").port, ca=pki.ca_bundle, as_of=FIXED_AS_OF)
    assert obs.error is None and obs.cert is not None
    assert obs.cert.days_left == (dt.date(2021, 1, 1) - FIXED_AS_OF).days == -2153
    assert obs.cert.expired and obs.cert.lifetime_left_fraction == 0.0
    assert obs.chain_verified is False
    assert obs.verify_reason is VerifyReason.EXPIRED
    assert "expired" in (obs.verify_error or "")


def test_not_yet_valid(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("future").port, ca=pki.ca_bundle)
    assert obs.cert is not None and obs.cert.not_yet_valid
    assert obs.cert.not_before == dt.date(2098, 1, 1)
    assert obs.verify_reason is VerifyReason.NOT_YET_VALID
    assert "not yet valid" in (obs.verify_error or "")


def test_self_signed(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("selfsigned").port, ca=pki.ca_bundle)
    assert obs.cert is not None and obs.cert.self_signed
    assert obs.chain_verified is False
    assert obs.verify_reason is VerifyReason.SELF_SIGNED
    assert "self-signed" in (obs.verify_error or "") or "self signed" in (obs.verify_error or "")


def test_wrong_host_chain_ok_but_name_mismatch(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("wronghost").port, ca=pki.ca_bundle)
    assert obs.cert is not None and obs.cert.san_dns == ("other.test",)
    assert obs.hostname_matches is False
    assert obs.chain_verified is True  # the chain is fine; the name is the problem
    assert obs.verify_reason is VerifyReason.HOSTNAME_MISMATCH
    assert "hostname mismatch" in (obs.verify_error or "")


def test_missing_intermediate_is_unknown_issuer(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("missing").port, ca=pki.ca_bundle)
    assert obs.error is None
    assert obs.chain_verified is False
    assert obs.verify_reason is VerifyReason.UNKNOWN_ISSUER
    assert "local issuer" in (obs.verify_error or "")


# --- the chain judged at --as-of, consistently with the certificate's own dates ----------------


def _valid_leaf(pki: Pki) -> x509.Certificate:
    return x509.load_pem_x509_certificate((pki.directory / "valid.pem").read_bytes())


def test_chain_verdict_follows_as_of_at_both_ends_of_the_leaf(serve, pki) -> None:  # type: ignore[no-untyped-def]
    """A chain valid today, audited as of dates around its validity: the verdict at each date
    is the one the leaf's own facts (what CERT-01 reads) give at that date."""
    port = serve("valid").port
    leaf = _valid_leaf(pki)
    first, last = leaf.not_valid_before_utc.date(), leaf.not_valid_after_utc.date()
    seen = {}
    for as_of in (first - DAY, first, last, last + DAY):
        obs = _probe(port, ca=pki.ca_bundle, as_of=as_of)
        assert obs.error is None and obs.cert is not None, obs.error
        valid_then = not obs.cert.expired and not obs.cert.not_yet_valid
        assert obs.chain_verified is valid_then, (as_of, obs.verify_error)
        assert obs.verified_at is not None and obs.verified_at.date() == as_of
        assert obs.observed_at is not None and obs.observed_at.date() >= TODAY.date()
        seen[as_of] = (obs.chain_verified, obs.verify_reason)
    assert seen[first - DAY] == (False, VerifyReason.NOT_YET_VALID)
    assert seen[first] == (True, None)
    assert seen[last] == (True, None)  # expiring during the audit date: 0 days left, valid
    assert seen[last + DAY] == (False, VerifyReason.EXPIRED)


def test_chain_expired_today_was_trusted_on_an_earlier_audit_date(serve, pki) -> None:  # type: ignore[no-untyped-def]
    """The handshake (real clock) refuses the expired chain; as of a date when the leaf and the
    intermediate were both valid, the same chain verifies."""
    port = serve("expired_recently").port
    today = _probe(port, ca=pki.ca_bundle)
    assert (today.chain_verified, today.verify_reason) == (False, VerifyReason.EXPIRED)
    then = (TODAY - 20 * DAY).date()
    earlier = _probe(port, ca=pki.ca_bundle, as_of=then)
    assert earlier.cert is not None and not earlier.cert.expired
    assert (earlier.chain_verified, earlier.verify_reason) == (True, None)
    assert earlier.verify_error is None


def test_time_never_hides_a_chain_problem(serve, pki) -> None:  # type: ignore[no-untyped-def]
    """Reasons time does not change stand at any audit date."""
    for name, reason in (("selfsigned", VerifyReason.SELF_SIGNED),
                         ("missing", VerifyReason.UNKNOWN_ISSUER)):
        obs = _probe(serve(name).port, ca=pki.ca_bundle)
        assert (obs.chain_verified, obs.verify_reason) == (False, reason)
        assert obs.verified_at is None  # the handshake's verdict, as it was
    untrusted = _probe(serve("valid").port, ca=None)
    assert (untrusted.chain_verified, untrusted.verify_reason) == (
        False, VerifyReason.UNKNOWN_ISSUER)


def test_one_certificate_on_many_endpoints_is_judged_per_endpoint(serve, pki) -> None:  # type: ignore[no-untyped-def]
    """Parsed certificates, their facts and chain verdicts are memoised per process (tls.py,
    chaintime.py): what differs between endpoints serving the same chain (the name asked for,
    the trust, the audit date) must still give each its own verdict, in any order."""
    port, other = serve("valid").port, serve("valid").port
    for _ in range(2):  # the second round is served from the memos
        good = _probe(port, ca=pki.ca_bundle)
        assert (good.chain_verified, good.hostname_matches, good.verify_reason) == (
            True, True, None)
        wrong = _probe(other, ca=pki.ca_bundle, name="wrong.test")
        assert (wrong.chain_verified, wrong.hostname_matches, wrong.verify_reason) == (
            True, False, VerifyReason.HOSTNAME_MISMATCH)
        untrusted = _probe(other, ca=None)
        assert (untrusted.chain_verified, untrusted.verify_reason) == (
            False, VerifyReason.UNKNOWN_ISSUER)
        later = _probe(port, ca=pki.ca_bundle, as_of=TODAY_DATE + 81 * DAY)
        assert (later.chain_verified, later.verify_reason) == (False, VerifyReason.EXPIRED)
        assert later.cert is not None and later.cert.days_left == -1
        assert good.cert == wrong.cert == untrusted.cert  # the same facts, whoever asked
        assert good.cert is not None and good.cert.days_left == 80
    # The memos hold plain keys (DER, digests, dates): a parsed certificate would keep its
    # parsed extensions alive, ~40 objects each, for every garbage collection to scan.
    for memo in (tls._FACTS, chaintime._VERDICTS, chaintime._SUBJECTS):
        for key in list(memo._data):
            flat = [q for part in key for q in (part if isinstance(part, tuple) else (part,))]
            assert not any(isinstance(q, x509.Certificate) for q in flat), key


def test_weak_rsa_1024_key_is_observed(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("weak", weak=True).port, ca=pki.ca_bundle)
    assert obs.error is None, obs.error
    assert obs.cert is not None
    assert (obs.cert.key_type, obs.cert.key_bits) == ("rsa", 1024)


def test_sha1_signature_is_observed(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("sha1", weak=True).port, ca=pki.ca_bundle)
    assert obs.error is None, obs.error
    assert obs.cert is not None and obs.cert.signature_hash == "sha1"
    assert obs.cert.key_type == "rsa" and obs.cert.san_dns == ("www.test",)


def test_long_lifetime_exceeds_public_limit(serve, pki) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(serve("long").port, ca=pki.ca_bundle, as_of=TODAY.date())
    assert obs.cert is not None
    assert obs.cert.lifetime_days == 810 and obs.cert.exceeds_public_lifetime


def test_ipv6_loopback(serve, pki) -> None:  # type: ignore[no-untyped-def]
    server = serve("valid", host="::1")
    obs = _probe(server.port, address="::1", ca=pki.ca_bundle)
    assert obs.error is None, obs.error
    assert obs.address == "::1" and obs.chain_verified is True


def test_tls10_only_server_is_seen_as_accepting_legacy(serve, pki) -> None:  # type: ignore[no-untyped-def]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            server = serve("valid", tls_version=ssl.TLSVersion.TLSv1)
    except (ssl.SSLError, ValueError) as exc:
        pytest.skip(f"local OpenSSL cannot serve TLS 1.0: {exc}")
    obs = _probe(server.port, ca=pki.ca_bundle)
    if obs.error is not None or not obs.legacy_checked:
        pytest.skip(f"local OpenSSL will not speak TLS 1.0: {obs.error or obs.legacy_note}")
    assert obs.protocol == "TLSv1"
    assert obs.tls1_0_accepted is True and obs.tls1_1_accepted is False


# --- failures become errors, never exceptions --------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_refused_port(host: str) -> None:
    obs = _probe(free_port(host), address=host)
    assert obs.error is not None and "refused" in obs.error
    assert obs.cert is None


@pytest.fixture
def raw_server() -> Iterator[object]:
    servers: list[LoopbackServer] = []

    def start(handler: object, host: str = "127.0.0.1") -> LoopbackServer:
        server = LoopbackServer(host, handler).start()  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_silent_tcp_server_times_out_within_the_timeout(raw_server) -> None:  # type: ignore[no-untyped-def]
    server = raw_server(silent_handler)
    started = time.monotonic()
    obs = _probe(server.port, timeout=0.5, retries=0)
    elapsed = time.monotonic() - started
    assert obs.error == "timed out" and obs.attempts == 1
    assert 0.4 < elapsed < 1.5


def test_timeout_is_retried_once(raw_server) -> None:  # type: ignore[no-untyped-def]
    server = raw_server(silent_handler)
    started = time.monotonic()
    obs = _probe(server.port, timeout=0.3)
    assert obs.error == "timed out" and obs.attempts == 2
    assert time.monotonic() - started < 2.0


def test_plain_http_server_is_not_tls(raw_server) -> None:  # type: ignore[no-untyped-def]
    obs = _probe(raw_server(http_handler).port, timeout=2.0)
    assert obs.error is not None and obs.cert is None
    assert "not TLS" in obs.error or "reset" in obs.error


def test_address_must_be_an_ip_literal() -> None:
    obs = _probe(443, address="www.test")
    assert obs.error is not None and "not an IP address" in obs.error


# --- pure certinfo ----------------------------------------------------------------------


def test_certinfo_fixed_dates(pki: Pki) -> None:
    facts = cert_facts(pki.intermediate.cert, [pki.root.cert], as_of=TODAY.date())
    assert facts.days_left == 1000 and facts.lifetime_days == 1300
    assert facts.exceeds_public_lifetime
    assert facts.intermediates[0].self_signed  # the root, if a server sends it
    assert facts.intermediates[0].days_left == 3650


@pytest.mark.parametrize(
    ("name", "dns", "ips", "expected"),
    [
        ("www.test", ["www.test"], [], True),
        ("WWW.Test.", ["www.test"], [], True),
        ("a.example.test", ["*.example.test"], [], True),
        ("a.b.example.test", ["*.example.test"], [], False),
        ("example.test", ["*.example.test"], [], False),
        ("a.example.test", ["a*.example.test"], [], False),
        ("a.example.test", ["*"], [], False),
        ("www.test", ["other.test"], [], False),
        ("127.0.0.1", ["127.0.0.1"], [], False),
        ("127.0.0.1", [], ["127.0.0.1"], True),
        ("::1", [], ["0:0::1"], True),
        ("cổng.anbinh.test", ["xn--cng-qmz.anbinh.test"], [], True),
    ],
)
def test_hostname_matches(name: str, dns: list[str], ips: list[str], expected: bool) -> None:
    assert hostname_matches(name, dns, ips) is expected


def test_ca_bundle_adds_to_the_system_store_instead_of_replacing_it(pki: Pki) -> None:
    from auditor.probes.tls_connect import verify_context as _verify_context

    system = ssl.create_default_context().cert_store_stats()["x509_ca"]
    with_bundle = _verify_context(pki.ca_bundle).cert_store_stats()["x509_ca"]
    assert with_bundle == system + 1  # the test root, on top of every system CA
    assert _verify_context(pki.ca_bundle) is _verify_context(pki.ca_bundle)  # built once
