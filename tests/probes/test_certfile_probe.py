"""Certificate files in every supported format, generated here with `cryptography`."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from tls_servers import Issued, ec_key, issue, pem, rsa_key

from auditor.probes.certfile import CertFileObservation, read_certificate_file

AS_OF = dt.date(2026, 11, 24)


def _at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


@dataclass
class Pki:
    root: Issued
    intermediate: Issued
    leaf: Issued
    expired: Issued


@pytest.fixture(scope="module")
def pki() -> Pki:
    root = issue("Root CA chuyên dùng (test)", key=ec_key(), not_before=_at(2024, 1, 1),
                 not_after=_at(2034, 1, 1), ca=True)
    inter = issue("Sub CA công vụ (test)", key=ec_key(), not_before=_at(2024, 6, 1),
                  not_after=_at(2029, 6, 1), issuer=root, ca=True)
    leaf = issue("so-tttt.test", key=rsa_key(2048), not_before=_at(2026, 1, 1),
                 not_after=_at(2027, 1, 1), issuer=inter, sans=("so-tttt.test",),
                 serial=0x5EED)
    expired = issue("het-han.test", key=ec_key(), not_before=_at(2023, 1, 1),
                    not_after=_at(2024, 1, 1), issuer=inter)
    return Pki(root, inter, leaf, expired)


def _key_pem(issued: Issued) -> bytes:
    return issued.key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read(path: Path, **kw: int) -> CertFileObservation:
    return read_certificate_file(path, as_of=AS_OF, **kw)


def _cns(obs: CertFileObservation) -> list[str | None]:
    return [c.subject_cn for c in obs.certificates]


CHAIN_CNS = ["so-tttt.test", "Sub CA công vụ (test)", "Root CA chuyên dùng (test)"]


def test_pem_single_certificate(tmp_path: Path, pki: Pki) -> None:
    path = _write(tmp_path, "leaf.crt", pem(pki.leaf.cert))
    obs = _read(path)
    assert (obs.error, obs.format, obs.path, obs.as_of) == (None, "pem", str(path), AS_OF)
    assert obs.leaf is not None and obs.leaf is obs.certificates[0]
    leaf = obs.leaf
    assert (leaf.subject_cn, leaf.san_dns, leaf.serial_hex) == ("so-tttt.test",
                                                                ("so-tttt.test",), "5eed")
    assert (leaf.not_after, leaf.days_left) == (dt.date(2027, 1, 1), 38)
    assert (leaf.key_type, leaf.key_bits) == ("rsa", 2048)
    assert leaf.intermediates == ()


def test_pem_bundle_in_any_order_puts_the_leaf_first(tmp_path: Path, pki: Pki) -> None:
    # Root, leaf, intermediate: the file order is not the chain order.
    data = pem(pki.root.cert) + pem(pki.leaf.cert) + pem(pki.intermediate.cert)
    obs = _read(_write(tmp_path, "bundle.pem", data))
    assert (obs.error, obs.format) == (None, "pem")
    assert _cns(obs) == CHAIN_CNS
    assert obs.leaf is not None
    assert [i.subject for i in obs.leaf.intermediates] == [
        c.subject for c in obs.certificates[1:]
    ]
    assert obs.certificates[2].self_signed is True and obs.leaf.self_signed is False
    assert obs.certificates[1].days_left == (dt.date(2029, 6, 1) - AS_OF).days


def test_pem_with_private_key_never_carries_key_material(tmp_path: Path, pki: Pki) -> None:
    key = _key_pem(pki.leaf)
    data = key + pem(pki.leaf.cert) + pem(pki.intermediate.cert)
    obs = _read(_write(tmp_path, "server.pem", data))
    assert (obs.error, obs.format) == (None, "pem")
    assert _cns(obs) == CHAIN_CNS[:2]
    text = repr(obs)
    body = b"".join(key.splitlines()[1:-1]).decode()
    assert "PRIVATE KEY" not in text
    assert not any(chunk in text for chunk in re.findall(r".{12}", body))


def test_private_key_only_is_an_error_without_key_material(tmp_path: Path, pki: Pki) -> None:
    key = _key_pem(pki.leaf)
    obs = _read(_write(tmp_path, "only.key", key))
    assert obs.error == "no certificate in the file: it holds a private key only"
    assert obs.certificates == () and obs.leaf is None
    assert key.splitlines()[1].decode() not in repr(obs)


def test_der(tmp_path: Path, pki: Pki) -> None:
    der = pki.leaf.cert.public_bytes(serialization.Encoding.DER)
    obs = _read(_write(tmp_path, "leaf.pem", der))  # the extension lies; content decides
    assert (obs.error, obs.format, _cns(obs)) == (None, "der", ["so-tttt.test"])


@pytest.mark.parametrize(("encoding", "fmt"), [(serialization.Encoding.PEM, "pkcs7-pem"),
                                               (serialization.Encoding.DER, "pkcs7-der")])
def test_pkcs7(tmp_path: Path, pki: Pki, encoding: serialization.Encoding, fmt: str) -> None:
    data = pkcs7.serialize_certificates(
        [pki.intermediate.cert, pki.root.cert, pki.leaf.cert], encoding
    )
    obs = _read(_write(tmp_path, "chain.p7b", data))
    assert (obs.error, obs.format) == (None, fmt)
    assert _cns(obs) == CHAIN_CNS


def test_pkcs12_without_password(tmp_path: Path, pki: Pki) -> None:
    data = pkcs12.serialize_key_and_certificates(
        b"chu-ky-so", pki.leaf.key, pki.leaf.cert, [pki.root.cert, pki.intermediate.cert],
        serialization.NoEncryption(),
    )
    obs = _read(_write(tmp_path, "cert.p12", data))
    assert (obs.error, obs.format) == (None, "pkcs12")
    assert _cns(obs) == CHAIN_CNS
    assert "PrivateKey" not in repr(obs) and "key=" not in repr(obs)


def test_pkcs12_with_password_is_refused_with_advice(tmp_path: Path, pki: Pki) -> None:
    data = pkcs12.serialize_key_and_certificates(
        b"chu-ky-so", pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert],
        serialization.BestAvailableEncryption(b"mat-khau"),
    )
    obs = _read(_write(tmp_path, "cert.pfx", data))
    assert obs.error == "PKCS#12 file is password-protected; export the certificate as PEM"
    assert (obs.format, obs.certificates, obs.leaf) == (None, (), None)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"hello, this is not a certificate\n", "not a certificate"),
        (b"\x30\x82\x01\x00" + b"\x30" * 300, "unreadable certificate: error parsing asn1"),
        (b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
         "unreadable certificate: "),
        (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
         "PEM block 1 (CERTIFICATE) is not valid base64"),
        (b"", "not a certificate"),
    ],
    ids=["text", "bad-der", "bad-pem", "bad-base64", "empty"],
)
def test_garbage_is_an_error(tmp_path: Path, data: bytes, error: str) -> None:
    obs = _read(_write(tmp_path, "x.crt", data))
    assert obs.error is not None and obs.error.startswith(error)
    assert obs.certificates == ()
    if data.startswith(b"-----BEGIN CERTIFICATE-----\nbm90"):
        assert obs.error.endswith("(PEM block 1)")


def test_missing_file(tmp_path: Path) -> None:
    obs = _read(tmp_path / "absent.crt")
    assert obs.error == "not found" and obs.path == str(tmp_path / "absent.crt")


def test_directory(tmp_path: Path) -> None:
    assert _read(tmp_path).error == "is a directory, not a certificate file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.crt"
    os.mkfifo(fifo)
    assert _read(fifo).error == "not a regular file (a FIFO, device or socket)"


def test_oversized_file(tmp_path: Path, pki: Pki) -> None:
    data = pem(pki.leaf.cert)
    path = _write(tmp_path, "big.pem", data + b"\n" * 2000)
    obs = _read(path, max_bytes=len(data) + 1999)
    assert obs.error == f"too large: {len(data) + 2000} bytes (limit {len(data) + 1999})"
    assert _read(path, max_bytes=len(data) + 2000).error is None


def test_expired_certificate_has_negative_days_left(tmp_path: Path, pki: Pki) -> None:
    obs = _read(_write(tmp_path, "old.pem", pem(pki.expired.cert)))
    assert obs.leaf is not None
    assert obs.leaf.days_left == (dt.date(2024, 1, 1) - AS_OF).days == -1058
    assert obs.leaf.expired is True


def test_leaf_selection_without_an_end_entity_picks_the_bottom_ca(
    tmp_path: Path, pki: Pki
) -> None:
    # Only CA certificates: the one that issued nothing else in the file comes first.
    obs = _read(_write(tmp_path, "cas.pem", pem(pki.root.cert) + pem(pki.intermediate.cert)))
    assert _cns(obs) == CHAIN_CNS[1:]


def test_leaf_selection_with_two_end_entities_keeps_file_order(tmp_path: Path, pki: Pki) -> None:
    data = pem(pki.intermediate.cert) + pem(pki.expired.cert) + pem(pki.leaf.cert)
    obs = _read(_write(tmp_path, "two.pem", data))
    assert _cns(obs) == ["het-han.test", "Sub CA công vụ (test)", "so-tttt.test"]


def test_duplicates_are_dropped(tmp_path: Path, pki: Pki) -> None:
    data = pem(pki.leaf.cert) * 2 + pem(pki.intermediate.cert)
    assert _cns(_read(_write(tmp_path, "dup.pem", data))) == CHAIN_CNS[:2]


# --- every certificate of the file: weak signatures and unreadable certificates (issue #16) ---

MALFORMED = ("duplicate_extension", "empty_rdn", "unsupported_general_name",
             "negative_validity", "bad_version")


def _der_pem(der: bytes) -> bytes:
    import base64
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = b"\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return b"-----BEGIN CERTIFICATE-----\n" + lines + b"\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("kind", MALFORMED)
def test_an_unreadable_certificate_is_reported_and_the_rest_is_judged(
    tmp_path: Path, pki: Pki, kind: str
) -> None:
    from der_certs import malformed

    data = pem(pki.leaf.cert) + _der_pem(malformed(kind)) + pem(pki.intermediate.cert)
    obs = _read(_write(tmp_path, "mixed.pem", data))
    assert obs.ok and obs.leaf is not None
    assert obs.leaf.subject_cn == "so-tttt.test"
    assert [c.subject for c in obs.certificates][1:] == [pki.intermediate.cert.subject
                                                        .rfc4514_string()]
    assert [u.position for u in obs.unreadable] == [2]  # the second certificate of the file
    assert obs.unreadable[0].reason.startswith("unreadable certificate: ")
    assert "Error" not in obs.unreadable[0].reason.split(":")[0]


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_file_of_one_unreadable_certificate_is_an_error_saying_why(
    tmp_path: Path, kind: str
) -> None:
    from der_certs import malformed

    for name, data in (("one.pem", _der_pem(malformed(kind))), ("one.der", malformed(kind))):
        obs = _read(_write(tmp_path, name, data))
        assert not obs.ok and obs.certificates == ()
        assert (obs.error or "").startswith("unreadable certificate: "), obs.error


def test_unreadable_certificates_become_error_items_of_their_own(tmp_path: Path, pki: Pki) -> None:
    from der_certs import malformed

    from auditor.probes.observe import file_item, file_unreadable_items
    from auditor.probes.runner import FileResult
    from auditor.probes.targets import CertFileTarget

    data = (pem(pki.leaf.cert) + _der_pem(malformed("empty_rdn"))
            + _der_pem(malformed("duplicate_extension")))
    path = _write(tmp_path, "two-bad.pem", data)
    result = FileResult(CertFileTarget("s", "two-bad.pem", path), _read(path))
    assert file_item(result).errors == {}
    broken = file_unreadable_items(result)
    assert [i.subject for i in broken] == ["file:two-bad.pem #2", "file:two-bad.pem #3"]
    assert "a relative distinguished name cannot be empty" in broken[0].errors[""]
    assert "Duplicate 1.2.3.4 extension" in broken[1].errors[""]
    assert all("certificate" in i.errors[""] and "of the file" in i.errors[""] for i in broken)


@pytest.fixture(scope="module")
def rsa_pki() -> Pki:
    root = issue("RSA Root (test)", key=rsa_key(2048), not_before=_at(2024, 1, 1),
                 not_after=_at(2034, 1, 1), ca=True)
    inter = issue("RSA Sub CA (test)", key=rsa_key(2048), not_before=_at(2024, 6, 1),
                  not_after=_at(2029, 6, 1), issuer=root, ca=True)
    leaf = issue("ky-so.test", key=ec_key(), not_before=_at(2026, 1, 1),
                 not_after=_at(2027, 1, 1), issuer=inter, sans=("ky-so.test",))
    return Pki(root, inter, leaf, leaf)


def _chain_facts(tmp_path: Path, *certs: bytes) -> dict[str, object]:
    from auditor.probes.observe import file_item
    from auditor.probes.runner import FileResult
    from auditor.probes.targets import CertFileTarget

    path = _write(tmp_path, "chain.pem", b"".join(certs))
    item = file_item(FileResult(CertFileTarget("s", "chain.pem", path), _read(path)))
    return dict(item.values)


def test_a_sha1_signed_intermediate_is_named_with_its_position(
    tmp_path: Path, rsa_pki: Pki
) -> None:
    from der_certs import resign_sha1

    weak_inter = resign_sha1(rsa_pki.intermediate.cert, rsa_pki.root.key)  # type: ignore[arg-type]
    values = _chain_facts(tmp_path, pem(rsa_pki.leaf.cert), pem(weak_inter),
                          pem(rsa_pki.root.cert))
    assert values["cert"]["signature_hash"] == "sha256"  # type: ignore[index]
    assert values["chain_signature_hash"] == "sha1"
    assert values["chain_weak_signatures"] == [
        "#2 CN=RSA Sub CA (test),O=auditor test PKI (sha1)"
    ]


def test_sha256_intermediates_and_a_sha1_root_pass(tmp_path: Path, rsa_pki: Pki) -> None:
    from der_certs import resign_sha1

    weak_root = resign_sha1(rsa_pki.root.cert, rsa_pki.root.key)  # type: ignore[arg-type]
    values = _chain_facts(tmp_path, pem(rsa_pki.leaf.cert), pem(rsa_pki.intermediate.cert),
                          pem(weak_root))
    # The root's own signature does not count; the intermediate's does, and it is SHA-256.
    assert values["chain_signature_hash"] == "sha256"
    assert values["chain_weak_signatures"] == []


def test_a_leaf_alone_has_no_chain_signature_fact(tmp_path: Path, rsa_pki: Pki) -> None:
    values = _chain_facts(tmp_path, pem(rsa_pki.leaf.cert))
    assert "chain_signature_hash" not in values


def test_the_roots_key_counts_though_its_signature_does_not(tmp_path: Path) -> None:
    root = issue("Weak Root (test)", key=rsa_key(1024), not_before=_at(2024, 1, 1),
                 not_after=_at(2034, 1, 1), ca=True)
    inter = issue("Sub CA (test)", key=ec_key(), not_before=_at(2024, 6, 1),
                  not_after=_at(2029, 6, 1), issuer=root, ca=True)
    leaf = issue("ky-so.test", key=ec_key(), not_before=_at(2026, 1, 1),
                 not_after=_at(2027, 1, 1), issuer=inter)
    values = _chain_facts(tmp_path, pem(leaf.cert), pem(inter.cert), pem(root.cert))
    assert values["chain_min_rsa_bits"] == 1024 and values["chain_min_ec_bits"] == 256
    assert values["chain_other_keys"] == 0
    assert values["chain_keys"] == [
        "#2 CN=Sub CA (test),O=auditor test PKI (ec 256)",
        "#3 CN=Weak Root (test),O=auditor test PKI (rsa 1024)",
    ]
    assert values["chain_signature_hash"] == "sha256"  # the root's own signature left out
