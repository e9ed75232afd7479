"""DNSSEC validation and CAA against real signed zones (ldns-signzone) served by a real NSD on
loopback, from the test's own trust anchor (dnssec_zones.py describes the hierarchy)."""

from __future__ import annotations

from collections.abc import Iterator

import dns.message
import dns.name
import dns.rdatatype
import pytest
from dns_server import NsdServer
from dnssec_zones import AS_OF, Hierarchy, build

from auditor.probes.caa import probe_caa
from auditor.probes.dns_wire import Wire
from auditor.probes.dnssec import DnssecStatus, validate_name
from auditor.probes.trust_anchor import TrustAnchors, read_trust_anchors


@pytest.fixture(scope="module")
def hierarchy(tmp_path_factory: pytest.TempPathFactory) -> Hierarchy:
    return build(tmp_path_factory.mktemp("signed"))


@pytest.fixture(scope="module")
def nsd(tmp_path_factory: pytest.TempPathFactory, hierarchy: Hierarchy) -> Iterator[NsdServer]:
    with NsdServer(tmp_path_factory.mktemp("nsd"), hierarchy.zones) as server:
        yield server


@pytest.fixture(scope="module")
def wire(nsd: NsdServer) -> Wire:
    return Wire(nsd.resolver_config())


@pytest.fixture(scope="module")
def anchors(hierarchy: Hierarchy) -> TrustAnchors:
    return read_trust_anchors(hierarchy.anchor_file)


@pytest.mark.parametrize("host", ["www.tinh.test", "www.an.tinh.test", "an.tinh.test",
                                  "www.x.ent.tinh.test", "www.tinh3.test", "www.an.tinh3.test"])
def test_secure(host: str, wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name(host, wire, anchors, AS_OF)
    assert seen.error is None, seen.error
    assert seen.status is DnssecStatus.SECURE, seen.reason
    assert seen.reason is None
    assert seen.chain[0] == host.split(".", host.count(".") - 1)[-1] + "."


def test_wildcard_answer_with_nsec_proof_is_secure(wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name("www.wild.tinh.test", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.SECURE, (seen.error, seen.reason)


def test_wildcard_answer_without_its_proof_is_bogus(wire: Wire, anchors: TrustAnchors) -> None:
    """The server's real answer with the NSEC records removed in transit (as an attacker
    replaying a wildcard answer for a name that exists would)."""
    class Stripping(Wire):
        def ask(self, name: dns.name.Name,
                rdtype: dns.rdatatype.RdataType) -> dns.message.Message:
            response = super().ask(name, rdtype)
            if rdtype == dns.rdatatype.A:
                response.authority = [r for r in response.authority
                                      if dns.rdatatype.NSEC not in (r.rdtype, r.covers)]
            return response

    seen = validate_name("www.wild.tinh.test", Stripping(wire.config), anchors, AS_OF)
    assert seen.status is DnssecStatus.BOGUS
    assert "without an NSEC proving that no closer name exists" in (seen.reason or "")


def test_wildcard_under_nsec3_is_an_error_not_a_verdict(wire: Wire,
                                                       anchors: TrustAnchors) -> None:
    seen = validate_name("www.wild.tinh3.test", wire, anchors, AS_OF)
    assert seen.status is None
    assert "wildcard" in (seen.error or "") and "not checked" in (seen.error or "")


@pytest.mark.parametrize("parent", ["tinh.test", "tinh3.test"])
def test_unsigned_child_without_ds(parent: str, wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name(f"www.unsigned.{parent}", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.UNSIGNED, (seen.error, seen.reason)
    assert seen.zone == f"unsigned.{parent}."
    assert "delegation without DS" in (seen.reason or "")
    assert "no DNSKEY" in (seen.reason or "")


def test_opt_out_span_is_insecure_and_said_so(wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name("www.unsigned.optout.test", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.UNSIGNED, (seen.error, seen.reason)
    assert "NSEC3 opt-out span of optout.test." in (seen.reason or "")
    signed = validate_name("www.an.optout.test", wire, anchors, AS_OF)
    assert signed.status is DnssecStatus.SECURE, signed.reason


@pytest.mark.parametrize("parent", ["tinh.test", "tinh3.test"])
def test_signed_child_without_ds_is_insecure(parent: str, wire: Wire,
                                             anchors: TrustAnchors) -> None:
    seen = validate_name(f"www.island.{parent}", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.INSECURE, (seen.error, seen.reason)
    assert seen.zone == f"island.{parent}."
    assert "not vouched for by any DS" in (seen.reason or "")


@pytest.mark.parametrize(("child", "words"), [
    ("tampered", "does not verify"),
    ("expired", "expired at 2026-11-15 00:00:00 UTC"),
    ("wrongds", "no DNSKEY of wrongds.tinh.test. matches its DS"),
    ("nosig", "www.nosig.tinh.test. A: no RRSIG"),
])
def test_bogus(child: str, words: str, wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name(f"www.{child}.tinh.test", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.BOGUS, (seen.error, seen.reason)
    assert words in (seen.reason or "")


def test_expired_zone_is_secure_on_a_day_it_was_valid(wire: Wire, anchors: TrustAnchors) -> None:
    import datetime as dt

    seen = validate_name("www.expired.tinh.test", wire, anchors, dt.date(2026, 11, 14))
    assert seen.status is DnssecStatus.SECURE, seen.reason


def test_before_inception_is_bogus(wire: Wire, anchors: TrustAnchors) -> None:
    import datetime as dt

    seen = validate_name("www.tinh.test", wire, anchors, dt.date(2026, 10, 31))
    assert seen.status is DnssecStatus.BOGUS
    assert "not valid before 2026-11-01 00:00:00 UTC" in (seen.reason or "")


def test_no_anchor_validates_nothing(wire: Wire) -> None:
    seen = validate_name("www.tinh.test", wire, None, AS_OF)
    assert seen.status is None and seen.error is None and seen.anchor is None


def test_name_outside_the_anchors_is_an_error(wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name("www.other.test", wire, anchors, AS_OF)
    assert seen.status is None
    assert "no trust anchor covers www.other.test" in (seen.error or "")


@pytest.mark.parametrize(("host", "words"), [
    ("ghost.tinh.test", "does not exist (NXDOMAIN)"),
    ("www.alias.tinh.test", "alias (CNAME), so no name exists below it"),
])
def test_nothing_to_validate_is_an_error(host: str, words: str, wire: Wire,
                                         anchors: TrustAnchors) -> None:
    seen = validate_name(host, wire, anchors, AS_OF)
    assert seen.status is None
    assert words in (seen.error or "")


# -- aliases (CNAME chains): each link validated, the weakest link decides ---------------------


@pytest.mark.parametrize(("host", "aliases", "zone"), [
    ("alias.tinh.test", ["alias.tinh.test. CNAME www.tinh.test."], "tinh.test."),
    ("totinh3.tinh.test", ["totinh3.tinh.test. CNAME www.an.tinh3.test."], "an.tinh3.test."),
])
def test_alias_whose_links_all_validate_is_secure(host: str, aliases: list[str], zone: str,
                                                  wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name(host, wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.SECURE, (seen.error, seen.reason)
    assert list(seen.aliases) == aliases
    assert seen.zone == zone and seen.anchor == "tinh.test."
    assert zone in seen.chain


@pytest.mark.parametrize(("host", "status", "zone"), [
    ("tounsigned.tinh.test", DnssecStatus.UNSIGNED, "unsigned.tinh.test."),
    ("toisland.tinh.test", DnssecStatus.INSECURE, "island.tinh.test."),
])
def test_alias_into_an_unsigned_or_insecure_zone(host: str, status: DnssecStatus, zone: str,
                                                 wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name(host, wire, anchors, AS_OF)
    assert seen.status is status, (seen.error, seen.reason)
    assert seen.zone == zone and "delegation without DS" in (seen.reason or "")
    assert len(seen.aliases) == 1 and seen.aliases[0].startswith(f"{host}. CNAME www.")


def test_alias_whose_cname_signature_was_tampered_is_bogus(wire: Wire,
                                                          anchors: TrustAnchors) -> None:
    seen = validate_name("badalias.tampered.tinh.test", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.BOGUS, (seen.error, seen.reason)
    assert "badalias.tampered.tinh.test. CNAME" in (seen.reason or "")
    assert "does not verify" in (seen.reason or "")
    assert seen.aliases == ()  # a CNAME that does not validate is not followed


def test_bogus_after_an_insecure_link_is_bogus(wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name("tobogus.island.tinh.test", wire, anchors, AS_OF)
    assert seen.status is DnssecStatus.BOGUS, (seen.error, seen.reason)
    assert "www.tampered.tinh.test. A" in (seen.reason or "")
    assert seen.aliases == ("tobogus.island.tinh.test. CNAME www.tampered.tinh.test.",)


def test_alias_loop_is_an_error(wire: Wire, anchors: TrustAnchors) -> None:
    seen = validate_name("loop1.tinh.test", wire, anchors, AS_OF)
    assert seen.status is None
    assert "CNAME loop: loop1.tinh.test. → loop2.tinh.test. → loop1.tinh.test." in (
        seen.error or "")


@pytest.mark.parametrize("host", ["www.dn.tinh.test", "dn.dn.tinh.test"])
def test_dname_redirection_is_an_error_never_a_false_bogus(host: str, wire: Wire,
                                                           anchors: TrustAnchors) -> None:
    seen = validate_name(host, wire, anchors, AS_OF)
    assert seen.status is None, seen.reason
    assert "redirected by the DNAME at dn.tinh.test." in (seen.error or "")


def test_alias_chain_is_bounded(wire: Wire, anchors: TrustAnchors) -> None:
    from auditor.probes.dnssec import MAX_ALIASES

    longest = validate_name("hop1.tinh.test", wire, anchors, AS_OF)
    assert longest.status is DnssecStatus.SECURE, (longest.error, longest.reason)
    assert len(longest.aliases) == MAX_ALIASES == 8
    too_long = validate_name("hop0.tinh.test", wire, anchors, AS_OF)
    assert too_long.status is None
    assert f"too many CNAMEs (more than {MAX_ALIASES}): hop0.tinh.test." in (too_long.error or "")


def test_unreachable_server_is_an_error(nsd: NsdServer, anchors: TrustAnchors) -> None:
    from dns_server import free_port

    silent = Wire(nsd.resolver_config(port=free_port(), timeout=0.5))
    seen = validate_name("www.tinh.test", silent, anchors, AS_OF)
    assert seen.status is None
    assert "127.0.0.1" in (seen.error or "")


def test_caa_of_the_name_itself(wire: Wire) -> None:
    caa = probe_caa("an.tinh.test", wire)
    assert caa.error is None and caa.owner == "an.tinh.test."
    assert caa.issue == ("",)  # ";": issuance forbidden


def test_caa_climbs_to_the_closest_ancestor(wire: Wire) -> None:
    caa = probe_caa("www.unsigned.tinh.test", wire)
    assert caa.owner == "tinh.test."
    assert caa.issue == ("ca.example",)
    assert caa.iodef == ("mailto:soc@tinh.test",)
    assert caa.present


def test_caa_from_an_nsec3_parent(wire: Wire) -> None:
    caa = probe_caa("www.island.tinh3.test", wire)
    assert caa.error is None and caa.owner == "tinh3.test."


def test_caa_unknown_above_the_served_zones_is_an_error_not_none(wire: Wire) -> None:
    """optout.test has no CAA; asking `test.` gets REFUSED from this authoritative server, so
    whether an ancestor has CAA is unknown: an error, never "no CAA"."""
    caa = probe_caa("www.optout.test", wire)
    assert not caa.present
    assert "answered REFUSED to test. CAA" in (caa.error or "")


# -- CAA of an alias (RFC 8659 §3): CAA(X) chases the CNAMEs; the climb goes on from X's parent


def test_caa_of_an_alias_is_its_targets_set(wire: Wire) -> None:
    """toan3.tinh.test → an.tinh3.test (another zone), whose own set forbids issuance: that set
    is the alias's, not the alias's parent's (tinh.test allows ca.example)."""
    caa = probe_caa("toan3.tinh.test", wire)
    assert caa.error is None, caa.error
    assert caa.owner == "toan3.tinh.test."
    assert caa.issue == ("",)
    assert caa.aliases == ("toan3.tinh.test. CNAME an.tinh3.test.",)


def test_caa_under_a_dname_is_its_targets_set(wire: Wire) -> None:
    """own.dn.tinh.test: the CNAME the DNAME synthesises leads to own.an.tinh3.test, whose own
    set is the alias's (not dn.tinh.test's parent's, nor an.tinh3.test's)."""
    caa = probe_caa("own.dn.tinh.test", wire)
    assert caa.error is None, caa.error
    assert (caa.owner, caa.issue) == ("own.dn.tinh.test.", ("other-ca.example",))
    assert caa.aliases == ("own.dn.tinh.test. CNAME own.an.tinh3.test.",)


class _NotChasing(Wire):
    """The real server's answers cut after the first CNAME: what an authoritative server that
    does not serve the alias target's zone answers (NSD here serves them all, and chases)."""

    def ask(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> dns.message.Message:
        response = super().ask(name, rdtype)
        first = next((i for i, r in enumerate(response.answer)
                      if r.rdtype == dns.rdatatype.CNAME), None)
        if first is not None:  # keep the CNAME and its RRSIG, drop what the server chased
            alias = response.answer[first].name
            response.answer = [r for i, r in enumerate(response.answer)
                               if i <= first or r.name == alias]
        return response


@pytest.mark.parametrize(("host", "owner", "issue"), [
    ("toan3.tinh.test", "toan3.tinh.test.", ("",)),  # the target's own set, asked for
    ("totinh3.tinh.test", "tinh.test.", ("ca.example",)),  # the target has none
])
def test_caa_alias_target_the_server_did_not_resolve_is_asked_for(
        host: str, owner: str, issue: tuple[str, ...], wire: Wire) -> None:
    caa = probe_caa(host, _NotChasing(wire.config))
    assert caa.error is None, caa.error
    assert (caa.owner, caa.issue) == (owner, issue)


def test_caa_alias_target_nobody_answers_for_is_an_error_not_the_parents_set(
        wire: Wire) -> None:
    """tofar.tinh.test → www.far.example, a zone this server does not serve (REFUSED): CAA of
    the alias is unknown, so the climb stops with an error instead of taking tinh.test's."""
    caa = probe_caa("tofar.tinh.test", wire)
    assert not caa.present
    assert (caa.error or "").endswith(
        "answered REFUSED to www.far.example. CAA (via tofar.tinh.test. CNAME www.far.example.)")
    assert caa.aliases == ("tofar.tinh.test. CNAME www.far.example.",)


@pytest.mark.parametrize("host", ["totinh3.tinh.test", "www.dn.tinh.test"])
def test_caa_of_an_alias_whose_target_has_none_climbs_from_the_alias(host: str,
                                                                    wire: Wire) -> None:
    """The target (www.an.tinh3.test, via a CNAME or a DNAME) has no CAA, its parent
    an.tinh3.test forbids issuance, the alias's parent tinh.test allows ca.example. RFC 8659
    climbs from the alias: tinh.test's set is the relevant one (RFC 6844 would have taken
    an.tinh3.test's)."""
    caa = probe_caa(host, wire)
    assert caa.error is None, caa.error
    assert caa.owner == "tinh.test."
    assert caa.issue == ("ca.example",)
    assert caa.aliases == ()  # the set was found at tinh.test, which is no alias


def test_caa_of_an_alias_to_no_name_climbs_from_the_alias(wire: Wire) -> None:
    caa = probe_caa("todangling.tinh.test", wire)
    assert caa.error is None, caa.error
    assert caa.owner == "tinh.test." and caa.issue == ("ca.example",)


def test_caa_alias_loop_is_an_error_never_no_caa(wire: Wire) -> None:
    caa = probe_caa("loop1.tinh.test", wire)
    assert not caa.present
    assert caa.error == "CNAME loop: loop1.tinh.test. → loop2.tinh.test. → loop1.tinh.test."
    assert caa.aliases == ("loop1.tinh.test. CNAME loop2.tinh.test.",
                           "loop2.tinh.test. CNAME loop1.tinh.test.")


def test_caa_alias_chain_is_bounded(wire: Wire) -> None:
    """hop1 → … → hop8 → www: 8 CNAMEs are followed (www has no CAA: tinh.test's set);
    hop0 is one more: an error."""
    from auditor.probes.dnssec import MAX_ALIASES

    longest = probe_caa("hop1.tinh.test", wire)
    assert longest.error is None and longest.owner == "tinh.test."
    too_long = probe_caa("hop0.tinh.test", wire)
    assert not too_long.present
    assert (too_long.error or "").startswith(
        f"too many CNAMEs (more than {MAX_ALIASES}): hop0.tinh.test. → hop1.tinh.test.")
    assert len(too_long.aliases) == MAX_ALIASES + 1
