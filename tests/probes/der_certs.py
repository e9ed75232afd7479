"""Certificates `cryptography` will not make, made here by hand from DER.

- `resign_sha1`: the same certificate signed with SHA-1 by an RSA issuer (cryptography no longer
  signs certificates with SHA-1): the signature OIDs are rewritten and the TBS signed again.
- `malformed`: a well-formed certificate mutated so that `cryptography` loads it but raises
  when a part is first read (duplicate extension, empty RDN, unsupported general name), or
  refuses it at load (bad version). Signatures of mutated certificates no longer verify, which
  the probes must not care about.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

_SHA256_RSA = bytes.fromhex("06092a864886f70d01010b")
_SHA1_RSA = bytes.fromhex("06092a864886f70d010105")


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _length(len(body)) + body


def resign_sha1(cert: x509.Certificate, issuer_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """`cert` (signed sha256WithRSAEncryption) signed again by `issuer_key` with SHA-1."""
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(_SHA256_RSA) == 1, "the issuer must be RSA, signing with SHA-256"
    tbs = tbs.replace(_SHA256_RSA, _SHA1_RSA)
    signature = issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303
    algorithm = _tlv(0x30, _SHA1_RSA + b"\x05\x00")
    der = _tlv(0x30, tbs + algorithm + _tlv(0x03, b"\x00" + signature))
    return x509.load_der_x509_certificate(der)


_KEYS: dict[bytes, ec.EllipticCurvePrivateKey] = {}


def key_of(der: bytes) -> ec.EllipticCurvePrivateKey:
    """The private key of a certificate `malformed` made (a mutation keeps the public key)."""
    for public, key in _KEYS.items():
        if public in der:
            return key
    raise KeyError("not made by malformed()")


def _base(cn: str, *extensions: x509.ExtensionType) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    _KEYS[key.public_key().public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.UncompressedPoint)] = key
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(77)
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=300))
    )
    for extension in extensions:
        builder = builder.add_extension(extension, critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _replace_once(der: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new) and der.count(old) >= 1
    return der.replace(old, new)


def malformed(kind: str) -> bytes:
    """DER of a certificate with one defect: duplicate_extension | empty_rdn |
    unsupported_general_name | negative_validity | bad_version."""
    if kind == "duplicate_extension":
        der = _base("dup.test",
                    x509.UnrecognizedExtension(ObjectIdentifier("1.2.3.4"), b"\x05\x00"),
                    x509.UnrecognizedExtension(ObjectIdentifier("1.2.3.5"), b"\x05\x00"))
        return _replace_once(der, b"\x06\x03\x2a\x03\x05", b"\x06\x03\x2a\x03\x04")
    if kind == "unsupported_general_name":
        der = _base("gn.test", x509.SubjectAlternativeName([x509.DNSName("gn.test")]))
        return _replace_once(der, b"\x82\x07gn.test", b"\x83\x07gn.test")  # x400Address
    if kind == "negative_validity":  # notAfter (28/10/2026) moved before notBefore (01/01)
        der = _base("neg.test")
        return _replace_once(der, b"261028000000Z", b"251201000000Z")
    if kind == "bad_version":
        der = _base("ver.test")
        return der.replace(b"\xa0\x03\x02\x01\x02", b"\xa0\x03\x02\x01\x07", 1)
    if kind == "empty_rdn":
        der = _base("ee")  # subject and issuer: SEQ { SET { SEQ { OID cn, UTF8 "ee" } } }
        name = bytes.fromhex("300d310b300906035504030c026565")
        assert der.count(name) == 2
        return der.replace(name, _empty_rdn_name())
    raise ValueError(kind)


def _empty_rdn_name() -> bytes:
    """A 15-byte Name (as long as the one replaced) whose first RDN is empty:
    SEQ { SET {}, SET { SEQ { OID cn, UTF8 "" } } }."""
    attribute = _tlv(0x30, bytes.fromhex("0603550403") + _tlv(0x0C, b""))
    name = _tlv(0x30, _tlv(0x31, b"") + _tlv(0x31, attribute))
    assert len(name) == 15, len(name)
    return name
