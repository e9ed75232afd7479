"""The probes' English reasons as a Vietnamese page shows them (auditor/probe_reasons.py)."""

from __future__ import annotations

import pytest

from auditor.probe_reasons import reason_in


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("timed out", "hết thời gian chờ"),
    ("connection refused", "kết nối bị từ chối"),
    # Nested reasons: each part where it begins; the values between stay as they are.
    ("verification handshake failed: timed out",
     "bắt tay xác minh thất bại: hết thời gian chờ"),
    ("name does not resolve: www.a.test ([Errno -2] Name or service not known)",
     "tên miền không phân giải được: www.a.test ([Errno -2] Name or service not known)"),
    ("timed out querying 127.0.0.1:5353", "hết thời gian chờ khi truy vấn 127.0.0.1:5353"),
    ("no handshake completed (TLS handshake failed: unsupported protocol); the certificate was "
     "read from a certificate-only TLS 1.2 handshake",
     "không hoàn tất được lần bắt tay nào (bắt tay TLS thất bại: unsupported protocol); "
     "chứng thư được đọc từ một lần bắt tay TLS 1.2 chỉ để lấy chứng thư"),
])
def test_known_phrases_are_translated_where_a_reason_begins(english: str, vietnamese: str) -> None:
    assert reason_in(english, "vi") == vietnamese
    assert reason_in(english, "en") == english


def test_dnssec_alias_and_anchor_reasons_in_vietnamese() -> None:
    from auditor.probes.targets import TRUST_ANCHOR_REFUSED

    assert reason_in("CNAME loop: a.test. → b.test. → a.test.", "vi") == (
        "vòng lặp CNAME: a.test. → b.test. → a.test.")
    assert reason_in("too many CNAMEs (more than 8): a.test. → b.test.", "vi") == (
        "quá nhiều CNAME (hơn 8): a.test. → b.test.")
    assert reason_in("www.d.test.: redirected by the DNAME at d.test.; DNAME is not followed by "
                     "this validator", "vi") == (
        "www.d.test.: bị chuyển hướng bởi DNAME tại d.test.; bộ xác thực này không theo DNAME")
    assert reason_in(TRUST_ANCHOR_REFUSED, "vi").startswith("không xác thực: tệp neo tin cậy")
    assert reason_in("timed out querying 127.0.0.1:53 (via a.test. CNAME b.test.)", "vi") == (
        "hết thời gian chờ khi truy vấn 127.0.0.1:53 (qua a.test. CNAME b.test.)")


def test_revocation_reasons() -> None:
    reason = ("OCSP responder: the certificate is unknown to it; CRL file certs/a.crl: stale: "
              "its nextUpdate 2026-11-20T00:00:00Z is before the audit instant …")
    assert reason_in(reason, "vi") == (
        "máy chủ OCSP: không biết chứng thư này; tệp CRL certs/a.crl: đã cũ: nextUpdate "
        "2026-11-20T00:00:00Z is before the audit instant …")
    assert reason_in("timed out during the status request", "vi") == (
        "hết thời gian chờ khi yêu cầu trạng thái chứng thư")


def test_a_phrase_inside_a_value_is_left_alone() -> None:
    """A host or subject that happens to contain a phrase is data, not a reason."""
    reason = "hostname mismatch: certificate is not valid for 'timed-out.a.test'"
    assert reason_in(reason, "vi") == (
        "sai tên máy: chứng thư không có hiệu lực cho 'timed-out.a.test'"
    )
    assert reason_in("CN=connection refused", "vi") == "CN=connection refused"


def test_an_unknown_reason_stays_in_english_whole() -> None:
    assert reason_in("a reason no table lists", "vi") == "a reason no table lists"
    assert reason_in("", "vi") == ""


def test_the_longest_phrase_wins() -> None:
    """'connection refused by X' is not 'connection refused' followed by ' by X'."""
    assert reason_in("connection refused by 127.0.0.1:53", "vi") == (
        "bị từ chối kết nối bởi 127.0.0.1:53"
    )
