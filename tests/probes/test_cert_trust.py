"""Trust of certificate files (certtrust.py): real certificates made here with `cryptography`,
read by the certfile probe against a CA bundle at the audit date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier
from probes.tls_servers import Issued, PrivateKey, ec_key, issue, pem

from auditor.probes.certfile import read_certificate_file
from auditor.probes.certtrust import FileTrust, TrustReason, signing_purpose

AS_OF = dt.date(2026, 11, 24)
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


def _at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


NOT_BEFORE = _at(2026, 1, 1)
NOT_AFTER = _at(2027, 6, 1)


def _usage(*, signing: bool = True, non_repudiation: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=non_repudiation,
        key_encipherment=not (signing or non_repudiation), data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False,
        decipher_only=False,
    )


def signer(
    cn: str,
    issuer: Issued | None,
    *,
    usage: x509.KeyUsage | None = None,
    ekus: tuple[ObjectIdentifier, ...] | None = (ExtendedKeyUsageOID.EMAIL_PROTECTION,),
    not_before: dt.datetime = NOT_BEFORE,
    not_after: dt.datetime = NOT_AFTER,
    key: PrivateKey | None = None,
) -> Issued:
    """An end-entity signing certificate (keyUsage digitalSignature by default)."""
    key = key or ec_key()
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.cert.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage or _usage(), critical=True)
    )
    if ekus is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(ekus)), critical=False)
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Issued(cert, key)


@dataclass
class Pki:
    root: Issued
    inter: Issued
    leaf: Issued
    other_root: Issued


@pytest.fixture(scope="module")
def pki() -> Pki:
    root = issue("CA gốc Chính phủ (test)", key=ec_key(), not_before=_at(2024, 1, 1),
                 not_after=_at(2040, 1, 1), ca=True)
    inter = issue("CA chuyên dùng công vụ (test)", key=ec_key(), not_before=_at(2024, 6, 1),
                  not_after=_at(2030, 6, 1), issuer=root, ca=True)
    leaf = signer("Nguyễn Văn A - Sở TTTT", inter)
    other = issue("CA lạ (test)", key=ec_key(), not_before=_at(2024, 1, 1),
                  not_after=_at(2040, 1, 1), ca=True)
    return Pki(root, inter, leaf, other)


def _file(tmp_path: Path, name: str, *certs: x509.Certificate) -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(pem(c) for c in certs))
    return path


def _trust(tmp_path: Path, bundle: Path | None, *certs: x509.Certificate,
           as_of: dt.date = AS_OF) -> FileTrust:
    obs = read_certificate_file(_file(tmp_path, "cert.pem", *certs), as_of=as_of,
                                ca_bundle=bundle)
    assert obs.error is None and obs.trust is not None
    return obs.trust


@pytest.fixture
def bundle(tmp_path: Path, pki: Pki) -> Path:
    return _file(tmp_path, "ca-chinh-phu.pem", pki.root.cert)


def test_a_full_chain_to_the_bundle_verifies(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    trust = _trust(tmp_path, bundle, pki.leaf.cert, pki.inter.cert)
    assert (trust.verified, trust.reason, trust.detail) == (True, TrustReason.OK, None)
    assert trust.judged_at == _at(2026, 11, 24)


def test_the_file_may_carry_the_root_too(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    trust = _trust(tmp_path, bundle, pki.leaf.cert, pki.inter.cert, pki.root.cert)
    assert trust.reason is TrustReason.OK


def test_an_intermediate_in_the_bundle_completes_the_chain(
    tmp_path: Path, pki: Pki
) -> None:
    both = _file(tmp_path, "bundle.pem", pki.root.cert, pki.inter.cert)
    assert _trust(tmp_path, both, pki.leaf.cert).reason is TrustReason.OK


def test_no_bundle_is_not_judged(tmp_path: Path, pki: Pki) -> None:
    trust = _trust(tmp_path, None, pki.leaf.cert, pki.inter.cert)
    assert (trust.verified, trust.reason) == (None, TrustReason.NO_CA_BUNDLE)
    assert "tls_policy.ca_bundle" in (trust.detail or "")


def test_an_empty_bundle_is_not_judged(tmp_path: Path, pki: Pki) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"not a certificate\n")
    trust = _trust(tmp_path, empty, pki.leaf.cert, pki.inter.cert)
    assert (trust.verified, trust.reason) == (None, TrustReason.OTHER)
    assert "no readable certificate" in (trust.detail or "")


def test_self_signed(tmp_path: Path, bundle: Path) -> None:
    alone = signer("Tự ký (test)", None)
    trust = _trust(tmp_path, bundle, alone.cert)
    assert (trust.verified, trust.reason) == (False, TrustReason.SELF_SIGNED)


def test_a_root_the_bundle_does_not_hold(tmp_path: Path, pki: Pki) -> None:
    other_bundle = _file(tmp_path, "other.pem", pki.other_root.cert)
    trust = _trust(tmp_path, other_bundle, pki.leaf.cert, pki.inter.cert, pki.root.cert)
    assert (trust.verified, trust.reason) == (False, TrustReason.UNKNOWN_ISSUER)
    assert "CA gốc Chính phủ" in (trust.detail or "")


def test_an_intermediate_missing_from_file_and_bundle(
    tmp_path: Path, pki: Pki, bundle: Path
) -> None:
    trust = _trust(tmp_path, bundle, pki.leaf.cert)
    assert (trust.verified, trust.reason) == (False, TrustReason.INCOMPLETE_CHAIN)
    assert "CA chuyên dùng công vụ" in (trust.detail or "")


@pytest.mark.parametrize(
    ("inter_not_after", "expected"),
    [
        # The audit date is a day: an intermediate expiring during it is still valid on it.
        (_at(2026, 11, 24) + dt.timedelta(hours=12), TrustReason.OK),
        (_at(2026, 11, 23) + dt.timedelta(hours=23, minutes=59), TrustReason.INTERMEDIATE_EXPIRED),
    ],
    ids=["expires-on-the-audit-date", "expired-the-day-before"],
)
def test_expired_intermediate_boundary(
    tmp_path: Path, pki: Pki, bundle: Path, inter_not_after: dt.datetime,
    expected: TrustReason,
) -> None:
    inter = issue("CA trung gian (test)", key=ec_key(), not_before=_at(2024, 6, 1),
                  not_after=inter_not_after, issuer=pki.root, ca=True)
    leaf = signer("Người ký (test)", inter, not_after=_at(2026, 11, 24) + dt.timedelta(hours=6))
    trust = _trust(tmp_path, bundle, leaf.cert, inter.cert)
    assert trust.reason is expected, trust.detail


def test_an_intermediate_not_yet_valid(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    inter = issue("CA tương lai (test)", key=ec_key(), not_before=_at(2026, 12, 1),
                  not_after=_at(2030, 1, 1), issuer=pki.root, ca=True)
    leaf = signer("Người ký (test)", inter)
    trust = _trust(tmp_path, bundle, leaf.cert, inter.cert)
    assert trust.reason is TrustReason.INTERMEDIATE_NOT_YET_VALID


def test_the_leaf_expired(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    leaf = signer("Hết hạn (test)", pki.inter, not_before=_at(2025, 1, 1),
                  not_after=_at(2026, 1, 1))
    trust = _trust(tmp_path, bundle, leaf.cert, pki.inter.cert)
    assert trust.reason is TrustReason.EXPIRED


def test_judged_at_the_audit_date_not_today(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    trust = _trust(tmp_path, bundle, pki.leaf.cert, pki.inter.cert, as_of=dt.date(2028, 1, 1))
    assert trust.reason is TrustReason.EXPIRED


@pytest.mark.parametrize(
    ("usage", "ekus", "fit"),
    [
        (_usage(), (ExtendedKeyUsageOID.EMAIL_PROTECTION,), True),
        (_usage(signing=False, non_repudiation=True), None, True),
        (_usage(), (DOCUMENT_SIGNING,), True),
        (_usage(), (ExtendedKeyUsageOID.CODE_SIGNING,), True),
        (_usage(), (ExtendedKeyUsageOID.SERVER_AUTH,), False),
        (_usage(), (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH), False),
        (_usage(signing=False), None, False),
    ],
    ids=["email", "non-repudiation", "document-signing", "code-signing", "server-auth",
         "server-client", "key-encipherment-only"],
)
def test_purpose(
    tmp_path: Path, pki: Pki, bundle: Path, usage: x509.KeyUsage,
    ekus: tuple[ObjectIdentifier, ...] | None, fit: bool,
) -> None:
    leaf = signer("Mục đích (test)", pki.inter, usage=usage, ekus=ekus)
    trust = _trust(tmp_path, bundle, leaf.cert, pki.inter.cert)
    assert trust.reason is (TrustReason.OK if fit else TrustReason.WRONG_PURPOSE), trust.detail
    assert (signing_purpose(leaf.cert) is None) is fit


def test_no_key_usage_is_not_fit_for_signing(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    leaf = issue("Không keyUsage (test)", key=ec_key(), not_before=_at(2026, 1, 1),
                 not_after=_at(2027, 1, 1), issuer=pki.inter)
    trust = _trust(tmp_path, bundle, leaf.cert, pki.inter.cert)
    assert trust.reason is TrustReason.WRONG_PURPOSE
    assert "no keyUsage" in (trust.detail or "")


def test_a_refused_bundle_is_told(tmp_path: Path, pki: Pki) -> None:
    obs = read_certificate_file(_file(tmp_path, "c.pem", pki.leaf.cert), as_of=AS_OF,
                                bundle_refused="not probed: outside")
    assert obs.trust == FileTrust(None, TrustReason.OTHER, "not probed: outside")


def test_a_leaf_signed_by_another_key_than_its_named_issuer_is_an_unknown_issuer(
    tmp_path: Path, pki: Pki, bundle: Path
) -> None:
    """The leaf names the intermediate as its issuer but another key signed it: the names
    build a path, the signature does not verify."""
    forged = signer("Giả mạo (test)", Issued(pki.inter.cert, ec_key()))
    trust = _trust(tmp_path, bundle, forged.cert, pki.inter.cert)
    assert (trust.verified, trust.reason) == (False, TrustReason.UNKNOWN_ISSUER)
    assert trust.detail is not None and "did not sign it" in trust.detail


def test_an_impostor_ca_named_like_the_bundles_root_is_an_unknown_issuer(
    tmp_path: Path, pki: Pki, bundle: Path
) -> None:
    """An intermediate signed by a key posing under the Government root's name: the name is
    in the bundle, the key is not."""
    impostor_root = Issued(pki.root.cert, ec_key())
    impostor = issue("CA chuyên dùng công vụ (test)", key=ec_key(), not_before=_at(2024, 6, 1),
                     not_after=_at(2030, 6, 1), issuer=impostor_root, ca=True)
    leaf = signer("Nguyễn Văn B - Sở TTTT", impostor)
    trust = _trust(tmp_path, bundle, leaf.cert, impostor.cert)
    assert (trust.verified, trust.reason) == (False, TrustReason.UNKNOWN_ISSUER)
    assert trust.detail is not None and "CA bundle" in trust.detail
    # The genuine chain under the same names still verifies: the key, not the name, decided.
    genuine = _trust(tmp_path, bundle, pki.leaf.cert, pki.inter.cert)
    assert (genuine.verified, genuine.reason) == (True, TrustReason.OK)


def test_every_format_is_judged_the_same(tmp_path: Path, pki: Pki, bundle: Path) -> None:
    """A PKCS#7 bag and a PKCS#12 file carry the chain as PEM does; a lone DER leaf has no
    intermediate, so its chain is incomplete."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

    bag = tmp_path / "chain.p7b"
    bag.write_bytes(pkcs7.serialize_certificates(
        [pki.leaf.cert, pki.inter.cert], serialization.Encoding.DER))
    p12 = tmp_path / "ky-so.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ky-so", pki.leaf.key, pki.leaf.cert, [pki.inter.cert],  # type: ignore[arg-type]
        serialization.NoEncryption()))
    der = tmp_path / "leaf.cer"
    der.write_bytes(pki.leaf.cert.public_bytes(serialization.Encoding.DER))
    found = {}
    for path in (bag, p12, der):
        obs = read_certificate_file(path, as_of=AS_OF, ca_bundle=bundle)
        assert obs.trust is not None, obs.error
        found[obs.format] = obs.trust.reason
    assert found == {"pkcs7-der": TrustReason.OK, "pkcs12": TrustReason.OK,
                     "der": TrustReason.INCOMPLETE_CHAIN}


def test_what_cannot_be_judged_is_no_verdict(
    tmp_path: Path, pki: Pki, bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.probes import certtrust

    def broken(_leaf: x509.Certificate) -> str | None:
        raise ValueError("duplicate extension")

    monkeypatch.setattr(certtrust, "signing_purpose", broken)
    trust = certtrust.judge_file_trust([pki.leaf.cert, pki.inter.cert], bundle, AS_OF)
    assert (trust.verified, trust.reason) == (None, TrustReason.OTHER)
    assert trust.detail == "trust not judged: duplicate extension"
