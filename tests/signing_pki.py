"""A test PKI made with `cryptography`: a root, a "Government CA"-like intermediate and
signers with the key usages, validity and keys each test needs. Names use `.test`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])


def _usage(*, sign: bool, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign, content_commitment=sign, key_encipherment=not sign and not ca,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, passphrase: bytes | None = None) -> bytes:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase) if passphrase
            else serialization.NoEncryption()
        )
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )


def issue(
    common: str,
    issuer: Issued | None,
    *,
    ca: bool = False,
    sign: bool = True,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    purposes: list[x509.ObjectIdentifier] | None = None,
    organisation: str = "Auditor Test PKI",
    extensions: Sequence[x509.ExtensionType] = (),
) -> Issued:
    """A certificate for `common` by `issuer` (self-signed without); `extensions` are added
    non-critical (e.g. an AuthorityInformationAccess naming a loopback OCSP responder)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(common, organisation)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - 30 * DAY)
        .not_valid_after(not_after or NOW + 365 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(sign=sign, ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
    )
    if purposes is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(purposes), critical=True)
    for extension in extensions:
        builder = builder.add_extension(extension, critical=False)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    signing_key = issuer.key if issuer else key
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


@dataclass(frozen=True)
class Pki:
    root: Issued
    gov_ca: Issued
    signer: Issued
    folder: Path

    def write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    def signer_files(self, who: Issued | None = None, prefix: str = "signer") -> list[str]:
        """--cert, --key and --chain options for `who` (default: the signer)."""
        who = who or self.signer
        return [
            "--cert", str(self.write(f"{prefix}.pem", who.pem())),
            "--key", str(self.write(f"{prefix}.key", who.key_pem())),
            "--chain", str(self.write("chain.pem", self.gov_ca.pem())),
        ]

    @property
    def root_pem(self) -> Path:
        return self.write("root.pem", self.root.pem())


def make_pki(folder: Path) -> Pki:
    root = issue("Auditor Test Root CA", None, ca=True, sign=False,
                 not_before=NOW - 3650 * DAY, not_after=NOW + 3650 * DAY)
    gov_ca = issue("Test Government CA", root, ca=True, sign=False,
                   not_before=NOW - 3000 * DAY, not_after=NOW + 3000 * DAY)
    signer = issue("Sở Khoa học và Công nghệ tỉnh An Bình", gov_ca)
    return Pki(root, gov_ca, signer, folder)


def crl_file(
    folder: Path, name: str, issuer: Issued, *,
    revoked: tuple[tuple[int, dt.datetime], ...] = (),
    this_update: dt.datetime = NOW - DAY, next_update: dt.datetime = NOW + 7 * DAY,
    key: ec.EllipticCurvePrivateKey | None = None,
) -> Path:
    """A PEM CRL of `issuer` (signed with `key` if given, to forge one) listing the serial
    numbers `revoked` on their dates, each for keyCompromise."""
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.certificate.subject)
               .last_update(this_update).next_update(next_update))
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build())
    path = folder / name
    path.write_bytes(builder.sign(key or issuer.key, hashes.SHA256()).public_bytes(
        serialization.Encoding.PEM))
    return path
