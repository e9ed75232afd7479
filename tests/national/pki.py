"""A test PKI made by the test: root → "Government CA"-like intermediate → signers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def _issue(cn: str, issuer: Issued | None, *, ca: bool, days: int = 3650) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.cert.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=not ca, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    return Issued(builder.sign(issuer.key if issuer else key, hashes.SHA256()), key)


@dataclass(frozen=True)
class Pki:
    ca_bundle: Path  # the root: what the ministry trusts
    chain: Path  # the intermediate, included in each bundle
    root: Issued
    intermediate: Issued

    def signer(self, folder: Path, cn: str) -> tuple[Path, Path]:
        """A signer certificate and key (PEM files) issued by the intermediate."""
        issued = _issue(cn, self.intermediate, ca=False, days=365)
        cert, key = folder / f"{cn}.pem", folder / f"{cn}.key"
        cert.write_bytes(issued.cert.public_bytes(serialization.Encoding.PEM))
        key.write_bytes(issued.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ))  # fmt: skip
        return cert, key


def make_pki(folder: Path) -> Pki:
    root = _issue("Test Root CA", None, ca=True)
    intermediate = _issue("Test Government CA", root, ca=True)
    ca_bundle, chain = folder / "root.pem", folder / "chain.pem"
    ca_bundle.write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    chain.write_bytes(intermediate.cert.public_bytes(serialization.Encoding.PEM))
    return Pki(ca_bundle, chain, root, intermediate)
