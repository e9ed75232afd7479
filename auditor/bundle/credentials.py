"""The signer's credentials: a certificate and its private key (PEM files, or one PKCS#12
file), with the chain to send along; checked before anything is signed.

The key's passphrase never comes from the command line: `passphrase` is asked for only when
the key (or PKCS#12 file) turns out to be encrypted, and the CLI answers it from
`$AUDITOR_KEY_PASSPHRASE` or a hidden prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from auditor.bundle.errors import SigningError
from auditor.messages import Msg, os_error
from auditor.probes.certtrust import SIGNING_EKUS

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
#: Asked for the passphrase when the key is encrypted; None when there is none to give.
PassphraseSource = Callable[[], bytes | None]
_MAX_FILE = 1 << 20


@dataclass(frozen=True)
class Signer:
    certificate: x509.Certificate
    key: SigningKey
    chain: tuple[x509.Certificate, ...]  # intermediates (and root if given), to include


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except OSError as error:
        raise SigningError(os_error(error).prefixed(f"{path}: ", f"{path}: ")) from None
    if len(data) > _MAX_FILE:
        raise SigningError(Msg(f"{path}: tệp quá lớn", f"{path}: file too large"))
    return data


def _certificates(path: Path) -> list[x509.Certificate]:
    data = _read(path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise SigningError(Msg(f"{path}: không đọc được chứng thư số ({error})",
                               f"{path}: cannot read a certificate ({error})")) from None


def _encrypted(error: Exception) -> bool:
    text = str(error).lower()
    return "password" in text or "encrypted" in text or "decrypt" in text


def _load_key(path: Path, passphrase: PassphraseSource) -> object:
    data = _read(path)
    loader = (serialization.load_pem_private_key if b"-----BEGIN" in data
              else serialization.load_der_private_key)
    try:
        return loader(data, None)
    except (TypeError, ValueError) as error:
        if not _encrypted(error):
            raise SigningError(Msg(f"{path}: không đọc được khóa bí mật ({error})",
                                   f"{path}: cannot read the private key ({error})")) from None
    secret = passphrase()
    try:
        return loader(data, secret)
    except (TypeError, ValueError):
        raise SigningError(Msg(
            f"{path}: khóa bí mật được mã hóa và mật khẩu không đúng hoặc không có",
            f"{path}: the private key is encrypted and the passphrase is wrong or missing",
        )) from None


def _load_pkcs12(
    path: Path, passphrase: PassphraseSource
) -> tuple[object, x509.Certificate | None, list[x509.Certificate]]:
    data = _read(path)
    try:
        return pkcs12.load_key_and_certificates(data, None)
    except (TypeError, ValueError) as error:
        if not _encrypted(error) and "mac" not in str(error).lower():
            raise SigningError(Msg(f"{path}: không đọc được tệp PKCS#12 ({error})",
                                   f"{path}: cannot read the PKCS#12 file ({error})")) from None
    try:
        return pkcs12.load_key_and_certificates(data, passphrase())
    except (TypeError, ValueError):
        raise SigningError(Msg(
            f"{path}: tệp PKCS#12 được mã hóa và mật khẩu không đúng hoặc không có",
            f"{path}: the PKCS#12 file is encrypted and the passphrase is wrong or missing",
        )) from None


def load_signer(
    *,
    cert: Path | None,
    key: Path | None,
    pkcs12_file: Path | None,
    chain: Path | None,
    passphrase: PassphraseSource,
) -> Signer:
    """The signer, checked: the key matches the certificate, and the certificate allows
    digitalSignature or nonRepudiation. SigningError (exit 2) otherwise."""
    extra: list[x509.Certificate] = []
    if pkcs12_file is not None:
        private, certificate, extra = _load_pkcs12(pkcs12_file, passphrase)
        where = str(pkcs12_file)
        if certificate is None or private is None:
            raise SigningError(Msg(f"{where}: thiếu chứng thư số hoặc khóa bí mật",
                                   f"{where}: holds no certificate or no private key"))
    elif cert is not None and key is not None:
        certificate = _certificates(cert)[0]
        private = _load_key(key, passphrase)
        where = f"{cert}, {key}"
    else:
        raise SigningError(Msg("cần --cert và --key, hoặc --pkcs12",
                               "give --cert and --key, or --pkcs12"))
    if chain is not None:
        extra = [*extra, *_certificates(chain)]
    if not isinstance(private, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        kind = "Ed25519/Ed448" if isinstance(
            private, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey) else type(private).__name__
        raise SigningError(Msg(f"{where}: loại khóa {kind} không được hỗ trợ (cần RSA hoặc EC)",
                               f"{where}: key type {kind} not supported (RSA or EC)"))
    if private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise SigningError(Msg(
            f"{where}: khóa bí mật không khớp với chứng thư số "
            f"{certificate.subject.rfc4514_string()}",
            f"{where}: the private key does not match the certificate "
            f"{certificate.subject.rfc4514_string()}",
        ))
    problem = usage_problem(certificate)
    if problem is not None:
        raise SigningError(problem.prefixed(f"{where}: ", f"{where}: "))
    return Signer(certificate, private, tuple(c for c in extra if c != certificate))


def usage_problem(certificate: x509.Certificate) -> Msg | None:
    """None when the certificate is fit for signing as CERT-08 judges certificate files
    (`auditor.probes.certtrust`): a keyUsage with digitalSignature or nonRepudiation (none
    at all is not evidence of a signing certificate), and, when an extendedKeyUsage is
    present, a signing purpose in it (serverAuth/clientAuth only is not one)."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return Msg("chứng thư số không có phần mở rộng keyUsage",
                   "the certificate has no keyUsage extension")
    if not (usage.digital_signature or usage.content_commitment):
        return Msg("keyUsage của chứng thư số không có digitalSignature hay nonRepudiation",
                   "the certificate's keyUsage has neither digitalSignature nor "
                   "nonRepudiation")
    try:
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if SIGNING_EKUS & set(purposes):
        return None
    names = ", ".join(getattr(p, "_name", p.dotted_string) for p in purposes)
    return Msg(f"extendedKeyUsage của chứng thư số ({names}) không có mục đích ký",
               f"the certificate's extendedKeyUsage ({names}) has no signing purpose")
