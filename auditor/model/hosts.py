"""What the probes reach: where a system is hosted, its hosts, endpoints and certificates,
the local certificate policy and the DNS policy (the DNSSEC trust anchor).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from auditor.messages import MsgValueError
from auditor.model.addresses import Hostname, IPv4, IPv6, Port, Url, redact
from auditor.model.base import FrozenModel, Text


class Separation(StrEnum):
    NONE = "none"
    LOGICAL = "logical"
    PHYSICAL = "physical"


class Hosting(FrozenModel):
    kind: Literal["on_premise", "provincial_dc", "cloud", "rented_dc"] = "on_premise"
    provider: Text | None = None
    separation: Separation | None = None


class Host(FrozenModel):
    name: Hostname
    ipv4: tuple[IPv4, ...] = ()
    ipv6: tuple[IPv6, ...] = ()
    role: Text | None = None
    expected_ports: tuple[Port, ...] = Field(
        default=(), description="Ports that should answer (e.g. '443', '53/udp'); any other "
        "open port is undeclared (NET-01)"
    )


class EndpointKind(StrEnum):
    WEB = "web"  # a web site or portal: HTTP must redirect to HTTPS, IPv6 web tests apply
    API = "api"  # a service interface: TLS is judged, redirect and web IPv6 tests are not
    OTHER = "other"


class Endpoint(FrozenModel):
    url: Url
    kind: EndpointKind = Field(
        default=EndpointKind.WEB,
        description="web (trang/cổng thông tin), api or other; web endpoints get the HTTPS "
        "redirect and IPv6 website tests",
    )
    ipv6_claimed: bool = Field(
        default=False, description="The inventory says the endpoint is reachable over IPv6"
    )
    http_url: Url | None = Field(
        default=None,
        description="Plain-HTTP address that must redirect to HTTPS (default for web "
        "endpoints: http://<host>/)",
    )
    purpose: Text | None = None

    @field_validator("http_url")
    @classmethod
    def _plain_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("http://"):
            raise MsgValueError(
                f"'{redact(value)}' phải là một URL http:// thường (địa chỉ cần chuyển hướng "
                "sang HTTPS)",
                f"'{redact(value)}' must be a plain http:// URL (the one that should redirect "
                "to HTTPS)",
            )
        return value


class TlsPolicy(FrozenModel):
    """Local certificate policy (inheritable from organisation or agency defaults)."""

    ca_bundle: Text | None = Field(
        default=None,
        description="PEM file of extra trusted CAs (e.g. the Government CA, Ban Cơ yếu Chính "
        "phủ), relative to the inventory file that names it; the only trust anchors of the "
        "system's certificate files (CERT-08)",
    )
    crl_files: tuple[Text, ...] = Field(
        default=(),
        description="Certificate revocation lists (DER or PEM) to judge the system's "
        "certificates against (CERT-09), relative to the inventory file that names them; read "
        "only inside the inventory's folder tree (or --allow-cert-path)",
    )
    expiry_warning_days: Annotated[int, Field(ge=0, le=3650)] | None = Field(
        default=None,
        description="Warn this many days before a certificate expires; a value laxer than the "
        "level requires is itself a finding (CERT-POL-01)",
    )


class DnsPolicy(FrozenModel):
    """How the live probes judge the system's names (inheritable from organisation or agency
    defaults)."""

    trust_anchor: Text | None = Field(
        default=None,
        description="DNSSEC trust anchor file (DS or DNSKEY records, zone-file lines, e.g. an "
        "ldns-keygen .ds file), relative to the inventory file that names it; the endpoints' "
        "names are validated from it (DNS-01); --trust-anchor on the command line overrides it",
    )


class CertificateRef(FrozenModel):
    endpoint: Url | None = None
    file: Text | None = None
    purpose: Text | None = None

    @model_validator(mode="after")
    def _one_target(self) -> CertificateRef:
        if (self.endpoint is None) == (self.file is None):
            raise MsgValueError(
                "hãy ghi đúng một trong hai: 'endpoint' hoặc 'file'",
                "give exactly one of 'endpoint' or 'file'",
            )
        return self
