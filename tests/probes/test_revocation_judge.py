"""The judgement of OCSP responses and CRLs at the audit instant (ocsp.py, crl.py), and the
verdict CERT-09 reads (revocation.summarise): each boundary on both sides, with responses and
CRLs made by `cryptography`."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.x509 import ocsp
from probes.revocation_pki import DAY, crl, leaf, make_pki, ocsp_response
from probes.tls_servers import ec_key, issue

from auditor.probes.crl import judge_crl, load_crl
from auditor.probes.ocsp import CertStatus, OcspAnswer, Unusable, judge_response
from auditor.probes.revocation import (
    RevocationObservation,
    SourceAnswer,
    audit_instant,
    summarise,
)

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)
PKI = make_pki(NOW)
LEAF = leaf(PKI, "cong.example.test", NOW)


def _judge(at: dt.datetime, **kw: object) -> OcspAnswer:
    kw.setdefault("this_update", NOW)
    kw.setdefault("next_update", NOW + DAY)
    der = ocsp_response(LEAF.cert, PKI.root.cert, kw.pop("signer", PKI.root), **kw)  # type: ignore[arg-type]
    return judge_response(der, LEAF.cert, PKI.root.cert, at)


@pytest.mark.parametrize(("at", "status", "unusable"), [
    (NOW - SECOND, None, Unusable.NOT_YET),  # produced after the instant: did not exist
    (NOW, CertStatus.GOOD, None),  # thisUpdate == instant
    (NOW + DAY, CertStatus.GOOD, None),  # nextUpdate == instant
    (NOW + DAY + SECOND, None, Unusable.STALE),
])
def test_ocsp_freshness_boundaries(
    at: dt.datetime, status: CertStatus | None, unusable: Unusable | None
) -> None:
    answer = _judge(at)
    assert (answer.status, answer.unusable) == (status, unusable)
    if unusable is not None:
        assert answer.problem and ("stale" in answer.problem or "did not exist" in answer.problem)


def test_no_next_update_is_fresh_from_this_update() -> None:
    assert _judge(NOW + 900 * DAY, next_update=None).status is CertStatus.GOOD
    assert _judge(NOW - SECOND, next_update=None).unusable is Unusable.NOT_YET


def test_revoked_and_unknown_are_told_apart() -> None:
    revoked = _judge(NOW, status=ocsp.OCSPCertStatus.REVOKED, revoked_at=NOW - 3 * DAY)
    assert revoked.status is CertStatus.REVOKED
    assert revoked.revoked_at == NOW - 3 * DAY
    assert _judge(NOW, status=ocsp.OCSPCertStatus.UNKNOWN).status is CertStatus.UNKNOWN


def test_delegated_responder_only_when_the_issuer_made_it_one() -> None:
    # Carried in the response, issued by the CA, id-kp-OCSPSigning: accepted.
    good = _judge(NOW, signer=PKI.responder, include_signer=True)
    assert good.status is CertStatus.GOOD
    assert good.signer == "CN=OCSP (test)"
    # Not carried: the signature cannot be tied to the issuer.
    assert _judge(NOW, signer=PKI.responder).unusable is Unusable.BAD_SIGNATURE
    # Issued by the CA but without id-kp-OCSPSigning (an ordinary server certificate).
    plain = leaf(PKI, "other.example.test", NOW)
    refused = _judge(NOW, signer=plain, include_signer=True)
    assert refused.unusable is Unusable.BAD_SIGNATURE
    assert refused.problem is not None and "OCSPSigning" in refused.problem
    # Another CA signing for this one's certificate.
    assert _judge(NOW, signer=PKI.stranger).unusable is Unusable.BAD_SIGNATURE


def test_a_response_for_another_certificate_is_not_evidence() -> None:
    other = leaf(PKI, "khac.example.test", NOW)
    der = ocsp_response(other.cert, PKI.root.cert, PKI.root, this_update=NOW,
                        next_update=NOW + DAY)
    answer = judge_response(der, LEAF.cert, PKI.root.cert, NOW)
    assert answer.unusable is Unusable.WRONG_CERTIFICATE


def test_garbage_and_unsuccessful_responses() -> None:
    assert judge_response(b"\x30\x03\x0a\x01\x00", LEAF.cert, PKI.root.cert, NOW).unusable in (
        Unusable.MALFORMED, Unusable.NOT_SUCCESSFUL)
    assert judge_response(b"nonsense", LEAF.cert, PKI.root.cert, NOW).unusable is (
        Unusable.MALFORMED)
    from cryptography.hazmat.primitives import serialization
    refused = ocsp.OCSPResponseBuilder.build_unsuccessful(
        ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(serialization.Encoding.DER)
    answer = judge_response(refused, LEAF.cert, PKI.root.cert, NOW)
    assert answer.unusable is Unusable.NOT_SUCCESSFUL
    assert answer.problem == "the responder answered 'unauthorized'"


@pytest.mark.parametrize(("at", "status", "unusable"), [
    (NOW - SECOND, None, Unusable.NOT_YET),
    (NOW, CertStatus.REVOKED, None),
    (NOW + 7 * DAY, CertStatus.REVOKED, None),
    (NOW + 7 * DAY + SECOND, None, Unusable.STALE),
])
def test_crl_freshness_boundaries(
    at: dt.datetime, status: CertStatus | None, unusable: Unusable | None
) -> None:
    data = crl(PKI.root, this_update=NOW, next_update=NOW + 7 * DAY,
               revoked=(LEAF.cert.serial_number,))
    loaded = load_crl(data, "test.crl")
    assert loaded.crl is not None
    answer = judge_crl(loaded.crl, LEAF.cert, PKI.root.cert, at)
    assert (answer.status, answer.unusable) == (status, unusable)


def test_crl_not_listing_is_good_and_a_foreign_crl_is_not_usable() -> None:
    listing_other = load_crl(crl(PKI.root, this_update=NOW, next_update=NOW + DAY,
                                 revoked=(LEAF.cert.serial_number + 1,)), "a.crl").crl
    assert listing_other is not None
    assert judge_crl(listing_other, LEAF.cert, PKI.root.cert, NOW).status is CertStatus.GOOD
    foreign = load_crl(crl(PKI.stranger, this_update=NOW, next_update=NOW + DAY), "b.crl").crl
    assert foreign is not None
    assert judge_crl(foreign, LEAF.cert, PKI.root.cert, NOW).unusable is (
        Unusable.WRONG_CERTIFICATE)
    # Same name as the issuer, another key: the signature does not verify.
    impostor = issue("Revocation CA (test)", key=ec_key(), not_before=NOW - DAY,
                     not_after=NOW + DAY, ca=True)
    forged = load_crl(crl(impostor, this_update=NOW, next_update=NOW + DAY), "c.crl").crl
    assert forged is not None
    assert judge_crl(forged, LEAF.cert, PKI.root.cert, NOW).unusable is Unusable.BAD_SIGNATURE
    assert load_crl(b"not a crl", "d.crl").error is not None


def test_the_audit_instant() -> None:
    observed = dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.UTC)
    assert audit_instant(dt.date(2026, 11, 24), observed) == observed
    start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    assert audit_instant(dt.date(2026, 11, 23), observed) == start
    assert audit_instant(dt.date(2026, 11, 23), None) == start


GOOD = OcspAnswer(status=CertStatus.GOOD, this_update=NOW, next_update=NOW + DAY)
REVOKED = OcspAnswer(status=CertStatus.REVOKED, this_update=NOW, revoked_at=NOW - DAY)
STALE = OcspAnswer(unusable=Unusable.STALE, problem="stale: …")


def _observation(**kw: object) -> RevocationObservation:
    base: dict[str, object] = {"instant": NOW, "asked_online": False, "serial": "1",
                               "stapled": True}
    base.update(kw)
    return RevocationObservation(**base)  # type: ignore[arg-type]


def test_summarise_revoked_wins_then_good() -> None:
    both = _observation(staple=GOOD, asked_online=True,
                        answers=(SourceAnswer("crl", "http://x/a.crl", REVOKED),))
    verdict = summarise(both)
    assert (verdict.status, verdict.source) == ("revoked", "crl")
    assert summarise(_observation(staple=GOOD)).status == "good"


def test_summarise_no_information_is_manual_naming_the_option() -> None:
    verdict = summarise(_observation(stapled=False))
    assert verdict.status is None and verdict.error is None
    assert verdict.note is not None
    assert "staples no OCSP response" in verdict.note and "--revocation" in verdict.note
    # A stale staple alone is no evidence: manual (CERT-10 fails the staple itself).
    stale = summarise(_observation(staple=STALE))
    assert stale.error is None and stale.note is not None and "stale" in stale.note


def test_summarise_a_service_that_failed_is_an_error() -> None:
    unreachable = summarise(_observation(stapled=False, asked_online=True, answers=(
        SourceAnswer("ocsp", "http://127.0.0.1:9/", error="connection refused"),)))
    assert unreachable.status is None and unreachable.error == "connection refused"
    stale = summarise(_observation(stapled=False, asked_online=True, answers=(
        SourceAnswer("crl", "http://127.0.0.1:9/a.crl", STALE),)))
    assert stale.error is not None and "CRL: stale" in stale.error
    unknown = summarise(_observation(stapled=False, asked_online=True, answers=(
        SourceAnswer("ocsp", "http://127.0.0.1:9/", OcspAnswer(status=CertStatus.UNKNOWN)),)))
    assert unknown.error is None and unknown.note is not None
    assert "unknown to it" in unknown.note


def test_facts_of_another_certificate_are_not_this_ones() -> None:
    """Behind one address a load balancer may answer the status request with another server:
    its certificate's status is not the probed certificate's."""
    from auditor.probes.revocation_facts import revocation_facts

    seen = _observation(serial="c0ffee", staple=GOOD)
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    revocation_facts(seen, values, errors, "c0ffee")
    assert errors == {}
    assert values["revocation"]["status"] == "good"  # type: ignore[index]
    values, errors = {}, {}
    revocation_facts(seen, values, errors, "beef")
    assert "status" not in values["revocation"]  # type: ignore[operator]
    assert errors["revocation.status"] == (
        "the status request saw another certificate (serial c0ffee) than the TLS probe "
        "(serial beef)")
