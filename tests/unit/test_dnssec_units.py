"""DNSSEC pieces without a network: the audit instant at the edges of a signature's validity
window (both sides of each boundary), signature checks, trust anchor files, status words.

Signatures are made here with dnspython and a P-256 key from `cryptography`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dns.dnssec
import dns.name
import dns.rdataset
import dns.rrset
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from auditor.code_words import word_in
from auditor.probes.dnssec import DnssecStatus
from auditor.probes.dnssec_sigs import BogusError, Clock, trusted_keys, verify
from auditor.probes.trust_anchor import TrustAnchorError, parse_trust_anchors, read_trust_anchors

ZONE = dns.name.from_text("tinh.test.")
AS_OF = dt.date(2026, 12, 1)
DAY_START = int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp())
KEY = ec.generate_private_key(ec.SECP256R1())
DNSKEY = dns.dnssec.make_dnskey(KEY.public_key(), dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257)
KEYS = dns.rdataset.from_rdata_list(300, [DNSKEY])
RRSET = dns.rrset.from_text("www.tinh.test.", 300, "IN", "A", "127.0.0.1")


def _signed(inception: int, expiration: int, rrset: dns.rrset.RRset = RRSET,
            signer: dns.name.Name = ZONE) -> dns.rrset.RRset:
    rrsig = dns.dnssec.sign(rrset, KEY, signer, DNSKEY, inception=inception,
                            expiration=expiration)
    return dns.rrset.from_rdata_list(rrset.name, 300, [rrsig])


@pytest.mark.parametrize(("expiration", "valid"), [
    (DAY_START, True),  # expires exactly at the audit instant: still valid (RFC 4035 5.3.1)
    (DAY_START - 1, False),  # one second before it: expired
])
def test_expiration_at_the_audit_instant(expiration: int, valid: bool) -> None:
    sigs = _signed(DAY_START - 30 * 86400, expiration)
    if valid:
        assert verify(RRSET, sigs, ZONE, KEYS, Clock.of(AS_OF)) == DAY_START
    else:
        with pytest.raises(BogusError, match="expired at 2026-11-30 23:59:59 UTC, before the "
                           "audit instant 2026-12-01 00:00:00 UTC"):
            verify(RRSET, sigs, ZONE, KEYS, Clock.of(AS_OF))


@pytest.mark.parametrize(("inception", "valid"), [
    (DAY_START, True),  # signed at the start of the audit day
    (DAY_START + 86399, True),  # signed during the audit day: it exists on that day
    (DAY_START + 86400, False),  # signed the next day: it did not exist yet
    (DAY_START - 1, True),  # signed the day before
])
def test_inception_and_the_audit_day(inception: int, valid: bool) -> None:
    sigs = _signed(inception, DAY_START + 60 * 86400)
    if valid:
        assert verify(RRSET, sigs, ZONE, KEYS, Clock.of(AS_OF)) == max(inception, DAY_START)
    else:
        with pytest.raises(BogusError, match="not valid before 2026-12-02 00:00:00 UTC"):
            verify(RRSET, sigs, ZONE, KEYS, Clock.of(AS_OF))


def test_a_changed_record_does_not_verify() -> None:
    sigs = _signed(DAY_START - 86400, DAY_START + 86400)
    changed = dns.rrset.from_text("www.tinh.test.", 300, "IN", "A", "127.0.0.2")
    with pytest.raises(BogusError, match="does not verify"):
        verify(changed, sigs, ZONE, KEYS, Clock.of(AS_OF))


def test_missing_rrsig_and_wrong_signer_are_bogus() -> None:
    with pytest.raises(BogusError, match="no RRSIG in a signed zone"):
        verify(RRSET, None, ZONE, KEYS, Clock.of(AS_OF))
    other = dns.name.from_text("khac.test.")
    sigs = _signed(DAY_START - 86400, DAY_START + 86400, signer=other)
    with pytest.raises(BogusError, match=r"is by khac\.test\., not by the zone tinh\.test\."):
        verify(RRSET, sigs, ZONE, KEYS, Clock.of(AS_OF))


def test_dnskey_set_trusted_only_through_a_matching_ds() -> None:
    dnskeys = dns.rrset.from_rdata_list(ZONE, 300, [DNSKEY])
    sigs = _signed(DAY_START - 86400, DAY_START + 86400, rrset=dnskeys)
    good = dns.dnssec.make_ds(ZONE, DNSKEY, "SHA256")
    keys, _ = trusted_keys(ZONE, dnskeys, sigs, [good], [], Clock.of(AS_OF))
    assert list(keys) == [DNSKEY]
    stranger = dns.dnssec.make_dnskey(ec.generate_private_key(ec.SECP256R1()).public_key(),
                                      dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257)
    wrong = dns.dnssec.make_ds(ZONE, stranger, "SHA256")
    with pytest.raises(BogusError, match=r"no DNSKEY of tinh\.test\. matches its DS"):
        trusted_keys(ZONE, dnskeys, sigs, [wrong], [], Clock.of(AS_OF))
    # A pinned DNSKEY is trusted as it is, with no DS.
    keys, _ = trusted_keys(ZONE, dnskeys, sigs, [], [DNSKEY], Clock.of(AS_OF))
    assert list(keys) == [DNSKEY]


def test_trust_anchor_lines_ds_and_dnskey(tmp_path: Path) -> None:
    ds = dns.dnssec.make_ds(ZONE, DNSKEY, "SHA256")
    text = (f"; anchors\n\ntinh.test. 3600 IN DS {ds.to_text()}\n"
            f"khac.test. DNSKEY {DNSKEY.to_text()}  ; pinned key\n")
    path = tmp_path / "anchors"
    path.write_text(text, encoding="ascii")
    anchors = read_trust_anchors(path)
    assert anchors.anchors[ZONE].ds == (ds,)
    assert anchors.anchors[dns.name.from_text("khac.test.")].dnskeys == (DNSKEY,)
    found = anchors.covering(dns.name.from_text("www.an.tinh.test."))
    assert found is not None and found.zone == ZONE
    assert anchors.covering(dns.name.from_text("tinh3.test.")) is None


def test_the_closest_anchor_wins() -> None:
    ds = dns.dnssec.make_ds(ZONE, DNSKEY, "SHA256").to_text()
    anchors = parse_trust_anchors(f"test. DS {ds}\ntinh.test. DS {ds}\n", "a")
    found = anchors.covering(dns.name.from_text("www.tinh.test."))
    assert found is not None and found.zone == ZONE


@pytest.mark.parametrize(("text", "words"), [
    ("tinh.test. IN A 127.0.0.1\n", "a:1: not a DS or DNSKEY record"),
    ("; ok\ntinh.test. DS 1 13 2 nothex\n", "a:2: not a DS or DNSKEY record"),
    ("tinh.test.\n", "a:1:"),
    ("; nothing\n", "a: no DS or DNSKEY record found"),
])
def test_bad_trust_anchor_names_file_and_line(text: str, words: str) -> None:
    with pytest.raises(TrustAnchorError, match=words):
        parse_trust_anchors(text, "a")


def test_trust_anchor_file_not_text(tmp_path: Path) -> None:
    path = tmp_path / "binary"
    path.write_bytes(b"tinh.test. DS \xff\n")
    with pytest.raises(TrustAnchorError, match="not ASCII text"):
        read_trust_anchors(path)


@pytest.mark.parametrize("status", list(DnssecStatus))
def test_every_status_has_words_in_both_languages(status: DnssecStatus) -> None:
    vi, en = word_in(status, "vi"), word_in(status, "en")
    assert vi and en and vi != en and status.value not in (vi, en)


def test_report_cells_say_what_was_and_was_not_seen() -> None:
    from auditor.report.views.dns_cells import caa_cell

    assert caa_cell({}, {}, "en").css == ""  # not observed: an empty cell, not "none"
    failed = caa_cell({"host": "a.test"}, {"caa.present": "timed out querying 127.0.0.1:53"},
                      "vi")
    assert (failed.text, failed.css, failed.note) == ("lỗi", "error",
                                                      "timed out querying 127.0.0.1:53")
    absent = caa_cell({"present": False, "owner": None}, {}, "en")
    assert (absent.text, absent.css) == ("none", "fail")
    forbidden = caa_cell({"present": True, "owner": "a.test.", "issue": ["", "ca.example"]},
                         {}, "en")
    assert forbidden.text == "issuance forbidden (;), ca.example"
    assert forbidden.note == "a.test."
    alias = caa_cell({"present": True, "owner": "w.a.test.", "issue": ["ca.example"],
                      "aliases": ["w.a.test. CNAME b.test."]}, {}, "en")
    assert alias.note == "w.a.test. — w.a.test. CNAME b.test."  # where the records really are


def test_a_ds_the_validator_cannot_check_means_no_authentication_path() -> None:
    from dns.rdtypes.ANY.DS import DS

    from auditor.probes.dnssec_sigs import UnsupportedDsError, require_supported

    good = dns.dnssec.make_ds(ZONE, DNSKEY, "SHA256")
    gost = DS(good.rdclass, good.rdtype, good.key_tag, 12, 3, good.digest)  # GOST, GOST digest
    require_supported(ZONE, [good, gost])  # one checkable DS is enough
    require_supported(ZONE, [])  # no DS at all is decided by the denial proof, not here
    with pytest.raises(UnsupportedDsError, match="algorithm 12 digest 3"):
        require_supported(ZONE, [gost])
