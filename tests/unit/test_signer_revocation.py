"""The signer's revocation judged from CRLs (auditor.bundle.signer_revocation), each boundary
on both sides: revoked at the signing time / one second after, with and without a time stamp;
a CRL current at the verification instant / one second past its nextUpdate / issued one
second after it; the issuer not in hand; a good CRL beside an unusable one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from signing_pki import DAY, NOW, Pki, crl_file, make_pki

from auditor.bundle.signer_revocation import (
    NOT_CHECKED,
    RevocationSources,
    SignerRevocation,
    _unusable_why,
    judge_signer,
    read_crl_files,
)
from auditor.errors import AuditorError
from auditor.probes.ocsp import RESPONDER_NOT_VALID_THEN, OcspAnswer, Unusable

SECOND = dt.timedelta(seconds=1)
SIGNED = NOW - DAY  # when the signature says it was made


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _judge(pki: Pki, *crls: Path, stamped: bool = True, at: dt.datetime = NOW,
           with_issuer: bool = True) -> SignerRevocation:
    sources = RevocationSources(crls=read_crl_files([str(c) for c in crls]))
    candidates = (pki.gov_ca.certificate,) if with_issuer else (pki.root.certificate,)
    return judge_signer(pki.signer.certificate, candidates, SIGNED, time_stamped=stamped,
                        sources=sources, at=at)


def _revoking(pki: Pki, folder: Path, when: dt.datetime) -> Path:
    serial = pki.signer.certificate.serial_number
    return crl_file(folder, "c.crl", pki.gov_ca, revoked=((serial, when),))


def test_no_source_is_not_checked(pki: Pki) -> None:
    judged = _judge(pki)
    assert judged is NOT_CHECKED and not judged.checked and not judged.problems
    assert judged.as_json()["status"] == "not_checked"


@pytest.mark.parametrize(("offset", "stamped", "status"), [
    (dt.timedelta(0), True, "revoked"),  # at the signing time: before it signed
    (SECOND, True, "revoked_after"),  # one second later, time-stamped: stands
    (SECOND, False, "revoked"),  # one second later, the signer's own time: fails
    (-SECOND, False, "revoked"),
])
def test_revocation_date_against_the_signing_time(
    pki: Pki, tmp_path: Path, offset: dt.timedelta, stamped: bool, status: str
) -> None:
    judged = _judge(pki, _revoking(pki, tmp_path, SIGNED + offset), stamped=stamped)
    assert judged.status == status and judged.checked
    assert judged.revoked_at == SIGNED + offset and judged.reason == "keyCompromise"
    assert bool(judged.problems) == (status == "revoked")


def test_a_revocation_after_the_verification_instant_is_not_yet_one(
    pki: Pki, tmp_path: Path
) -> None:
    crl = _revoking(pki, tmp_path, NOW + SECOND)
    assert _judge(pki, crl, at=NOW).status == "good"
    assert _judge(pki, crl, at=NOW + SECOND).status == "revoked_after"


def test_freshness_of_the_crl_at_the_verification_instant(pki: Pki, tmp_path: Path) -> None:
    crl = crl_file(tmp_path, "c.crl", pki.gov_ca, this_update=NOW - DAY, next_update=NOW)
    assert _judge(pki, crl, at=NOW).status == "good"
    assert _judge(pki, crl, at=NOW - DAY).status == "good"
    stale = _judge(pki, crl, at=NOW + SECOND)
    assert stale.status == "unknown" and "stale" in stale.problems[0].en
    early = _judge(pki, crl, at=NOW - DAY - SECOND)
    assert early.status == "unknown" and "did not exist yet" in early.problems[0].en
    # worded for a signature: the verification instant, not an audit's, in both languages
    late, first = NOW + SECOND, NOW - DAY - SECOND
    assert (f"nextUpdate {NOW:%Y-%m-%d %H:%M:%S} UTC is before the verification instant "
            f"{late:%Y-%m-%d %H:%M:%S} UTC") in stale.problems[0].en
    assert (f"đã cũ: nextUpdate {NOW:%d/%m/%Y %H:%M:%S} UTC trước thời điểm xác minh "
            f"{late:%d/%m/%Y %H:%M:%S} UTC") in stale.problems[0].vi
    assert (f"issued {NOW - DAY:%Y-%m-%d %H:%M:%S} UTC, after the verification instant "
            f"{first:%Y-%m-%d %H:%M:%S} UTC") in early.problems[0].en
    assert (f"phát hành lúc {NOW - DAY:%d/%m/%Y %H:%M:%S} UTC, sau thời điểm xác minh "
            f"{first:%d/%m/%Y %H:%M:%S} UTC") in early.problems[0].vi
    for judged in (stale, early):
        assert "audit" not in judged.problems[0].en
        assert "stale" not in judged.problems[0].vi and "instant" not in judged.problems[0].vi


def test_other_unusable_answers_are_worded_for_a_signature() -> None:
    """A delegated responder's certificate not valid then: the verification instant too; a
    probe's other reasons are translated as the TLS tables do (the values kept)."""
    at = NOW
    responder = _unusable_why(OcspAnswer(unusable=Unusable.BAD_SIGNATURE,
                                         problem=RESPONDER_NOT_VALID_THEN), at)
    assert responder.en.endswith("not valid at the verification instant")
    assert responder.vi.endswith("không hợp lệ tại thời điểm xác minh")
    unreadable = _unusable_why(OcspAnswer(unusable=Unusable.MALFORMED,
                                          problem="unreadable OCSP response: bad tag 0x30"), at)
    assert unreadable.en == "unreadable OCSP response: bad tag 0x30"
    assert unreadable.vi == "phản hồi OCSP không đọc được: bad tag 0x30"


def test_issuer_not_in_hand(pki: Pki, tmp_path: Path) -> None:
    judged = _judge(pki, crl_file(tmp_path, "c.crl", pki.gov_ca), with_issuer=False)
    assert judged.status == "unknown" and "issuer's certificate is not in hand" in \
        judged.problems[0].en


def test_a_good_crl_beside_an_unusable_one_is_not_a_pass(pki: Pki, tmp_path: Path) -> None:
    good = crl_file(tmp_path, "good.crl", pki.gov_ca)
    stale = crl_file(tmp_path, "stale.crl", pki.gov_ca, this_update=NOW - 3 * DAY,
                     next_update=NOW - DAY)
    judged = _judge(pki, good, stale)
    assert judged.status == "unknown" and len(judged.problems) == 1
    assert "stale.crl" in judged.problems[0].en and "stale" in judged.problems[0].en
    assert _judge(pki, good).status == "good"


def test_another_cas_crl_is_listed_unused_and_alone_is_no_evidence(
    pki: Pki, tmp_path: Path
) -> None:
    """Several --crl files (one per CA, as the ministry holds for the provinces' signers):
    those not from this signer's issuer are not used, and said so; none from it fails."""
    good = crl_file(tmp_path, "gov.crl", pki.gov_ca)
    other = crl_file(tmp_path, "root.crl", pki.root)
    both = _judge(pki, good, other)
    assert both.status == "good" and both.unused == (str(other),)
    assert both.as_json()["crl_files_unused"] == [str(other)]
    alone = _judge(pki, other)
    assert alone.status == "unknown" and alone.unused == (str(other),)
    assert "no --crl file is from the signer's issuer" in alone.problems[0].en
    assert "root.crl" in alone.problems[0].en


def test_crl_files_that_are_no_crl_are_bad_input(tmp_path: Path) -> None:
    junk = tmp_path / "junk.crl"
    junk.write_text("junk", encoding="ascii")
    with pytest.raises(AuditorError, match=r"junk\.crl: not a CRL"):
        read_crl_files([str(junk)])
    with pytest.raises(AuditorError, match="cannot be read"):
        read_crl_files([str(tmp_path / "absent.crl")])
    with pytest.raises(AuditorError, match="cannot be read"):
        read_crl_files([str(tmp_path)])  # a directory
