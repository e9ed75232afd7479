"""Every certificate a real loopback server presents is judged (issue #16, Correctness):
a SHA-1 signed intermediate, a chain ending in a root nobody trusts, unreadable certificates."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from der_certs import key_of, malformed, resign_sha1
from tls_servers import (
    Issued,
    LoopbackServer,
    ec_key,
    issue,
    pem,
    rsa_key,
    server_context,
    tls_handler,
    write_chain,
)

from auditor.model.inventory import EndpointKind
from auditor.probes.observe import tls_items, tls_unreadable_items
from auditor.probes.runner import TlsResult
from auditor.probes.targets import EndpointTarget
from auditor.probes.tls import TlsObservation, VerifyReason, probe_endpoint

TODAY = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)

Serve = Callable[..., LoopbackServer]


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[LoopbackServer] = []

    def start(chain: Path, *, weak: bool = False) -> LoopbackServer:
        # weak: OpenSSL's own security level refuses to serve a SHA-1 signed CA otherwise.
        ctx = server_context(chain, weak=weak)
        server = LoopbackServer("127.0.0.1", tls_handler(ctx)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def chains(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("chains")
    root = issue("Untrusted Root (test)", key=rsa_key(2048), not_before=TODAY - 400 * DAY,
                 not_after=TODAY + 3650 * DAY, ca=True)
    inter = issue("SHA-1 Sub CA (test)", key=rsa_key(2048), not_before=TODAY - 300 * DAY,
                  not_after=TODAY + 1000 * DAY, issuer=root, ca=True)
    weak_inter = resign_sha1(inter.cert, root.key)  # type: ignore[arg-type]
    leaf = issue("www.test", key=ec_key(), not_before=TODAY - 10 * DAY,
                 not_after=TODAY + 80 * DAY, issuer=Issued(weak_inter, inter.key),
                 sans=("www.test",))
    good_inter_leaf = issue("www.test", key=ec_key(), not_before=TODAY - 10 * DAY,
                            not_after=TODAY + 80 * DAY, issuer=inter, sans=("www.test",))
    found = {
        "sha1_inter": write_chain(d, "sha1_inter", leaf, weak_inter, root.cert),
        "untrusted_root": write_chain(d, "untrusted_root", good_inter_leaf, inter.cert,
                                      root.cert),
    }
    for kind in ("duplicate_extension", "empty_rdn", "negative_validity", "bad_version"):
        der = malformed(kind)
        body = base64.encodebytes(der)
        path = d / f"{kind}.pem"
        path.write_bytes(b"-----BEGIN CERTIFICATE-----\n" + body
                         + b"-----END CERTIFICATE-----\n")
        path.with_suffix(".key").write_bytes(key_of(der).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        found[kind] = path
    # A good leaf whose chain carries an unreadable certificate after it.
    with_bad = write_chain(d, "bad_in_chain", good_inter_leaf, inter.cert)
    with_bad.write_bytes(with_bad.read_bytes() + found["empty_rdn"].read_bytes())
    found["bad_in_chain"] = with_bad
    # One that does not even load (bad version) between the leaf and the intermediate.
    unloadable = write_chain(d, "unloadable_in_chain", good_inter_leaf)
    unloadable.write_bytes(unloadable.read_bytes() + found["bad_version"].read_bytes()
                           + pem(inter.cert))
    found["unloadable_in_chain"] = unloadable
    return found


def _probe(port: int) -> TlsObservation:
    return probe_endpoint("www.test", port, "www.test", "127.0.0.1", 3.0, None,
                          TODAY.date(), check_legacy=False)


def _items(obs: TlsObservation) -> tuple[dict[str, object], list[dict[str, str]]]:
    target = EndpointTarget(system="s", url="https://www.test/", scheme="https",
                            host="www.test", port=obs.port, kind=EndpointKind.WEB,
                            http_url=None, declared=("127.0.0.1",), ca_bundle=None)
    result = TlsResult(target, obs)
    _connection, cert = tls_items(result)
    return dict(cert.values), [dict(i.errors) for i in tls_unreadable_items(result)]


def test_a_sha1_intermediate_is_seen_and_named(serve: Serve, chains: dict[str, Path]) -> None:
    obs = _probe(serve(chains["sha1_inter"], weak=True).port)
    assert obs.error is None, obs.error
    assert obs.cert is not None and obs.cert.signature_hash == "sha256"
    if not obs.chain_presented:
        pytest.skip(f"this Python cannot read the presented chain: {obs.chain_note}")
    by_position = {i.position: i for i in obs.cert.intermediates}
    assert by_position[2].signature_hash == "sha1" and not by_position[2].self_signed
    assert by_position[3].self_signed  # the root: its own signature does not count
    values, _ = _items(obs)
    assert values["chain_signature_hash"] == "sha1"
    assert values["chain_weak_signatures"] == [
        "#2 CN=SHA-1 Sub CA (test),O=auditor test PKI (sha1)"
    ]


def test_a_chain_ending_in_an_unknown_root_is_not_self_signed(
    serve: Serve, chains: dict[str, Path]
) -> None:
    obs = _probe(serve(chains["untrusted_root"]).port)
    assert obs.error is None, obs.error
    assert obs.cert is not None and not obs.cert.self_signed
    assert obs.chain_verified is False
    assert obs.verify_reason is VerifyReason.UNKNOWN_ISSUER
    assert (obs.verify_error or "").startswith("issuer not trusted (unknown CA): ")
    if obs.chain_presented:
        values, _ = _items(obs)
        assert values["chain_signature_hash"] == "sha256"  # the intermediate; root left out
        assert values["chain_weak_signatures"] == []


@pytest.mark.parametrize("kind", ["duplicate_extension", "empty_rdn", "negative_validity",
                                  "bad_version"])
def test_an_unreadable_leaf_is_an_error_saying_why(
    serve: Serve, chains: dict[str, Path], kind: str
) -> None:
    obs = _probe(serve(chains[kind]).port)
    assert obs.cert is None
    assert (obs.error or "").startswith("unreadable certificate: "), obs.error


def test_an_unreadable_certificate_in_the_chain_is_an_error_of_its_own(
    serve: Serve, chains: dict[str, Path]
) -> None:
    obs = _probe(serve(chains["bad_in_chain"]).port)
    assert obs.error is None, obs.error
    if not obs.chain_presented:
        pytest.skip(f"this Python cannot read the presented chain: {obs.chain_note}")
    assert obs.cert is not None and obs.cert.subject_cn == "www.test"
    assert [i.position for i in obs.cert.intermediates] == [2]
    assert [(u.position, u.reason.startswith("unreadable certificate: "))
            for u in obs.cert.unreadable] == [(3, True)]
    values, broken = _items(obs)
    assert values["chain_signature_hash"] == "sha256"
    assert len(broken) == 1 and "position in the chain 3" in broken[0][""]


def test_a_certificate_that_does_not_load_keeps_its_place_in_the_chain(
    serve: Serve, chains: dict[str, Path]
) -> None:
    obs = _probe(serve(chains["unloadable_in_chain"]).port)
    assert obs.error is None, obs.error
    if not obs.chain_presented:
        pytest.skip(f"this Python cannot read the presented chain: {obs.chain_note}")
    assert obs.cert is not None
    assert [(u.position, "not a valid X509 version" in u.reason)
            for u in obs.cert.unreadable] == [(2, True)]
    assert [i.position for i in obs.cert.intermediates] == [3]  # not renumbered
    _, broken = _items(obs)
    assert len(broken) == 1 and "position in the chain 2" in broken[0][""]
