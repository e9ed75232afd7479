"""Declared DNSSEC trust anchors (probes/anchors.py) without the network: which file each
endpoint gets, every bad file reported at once at its inventory line, and the account of
inputs and unused anchors. The DS records are well-formed text; nothing is validated here."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.loading.inventory import load_inventory
from auditor.probes.anchors import AnchorAccount, account, read_anchors
from auditor.probes.targets import TRUST_ANCHOR_REFUSED, ProbePlan, cert_roots, plan_probes
from auditor.probes.trust_anchor import parse_trust_anchors

DS = "31964 13 2 " + "ab" * 32


def _system(system_id: str, url: str, anchor: str | None = None) -> str:
    policy = f"      dns_policy: {{trust_anchor: {anchor}}}\n" if anchor else ""
    return (f"    - id: {system_id}\n      name: S {system_id}\n"
            "      system_type: internal\n      lifecycle: production\n"
            f"{policy}      endpoints:\n        - url: {url}\n")


def _plan(folder: Path, org_anchor: str | None, systems: str, *, roots: bool = True
          ) -> ProbePlan:
    defaults = (f"  defaults:\n    dns_policy: {{trust_anchor: {org_anchor}}}\n"
                if org_anchor else "")
    (folder / "org.yaml").write_text(f"organisation:\n  id: o\n  name: O\n{defaults}",
                                     encoding="utf-8")
    (folder / "a.yaml").write_text("agency:\n  id: a\n  name: A\n  systems:\n" + systems,
                                   encoding="utf-8")
    loaded = load_inventory([folder])
    return plan_probes(loaded.inventory, loaded.system_origins,
                       cert_roots=cert_roots([folder]) if roots else None)


def test_inherited_anchor_is_one_input_and_one_unused_entry(tmp_path: Path) -> None:
    (tmp_path / "k.ds").write_text(f"other.test. IN DS {DS}\n", encoding="ascii")
    plan = _plan(tmp_path, "k.ds", _system("s1", "https://www.a.test/")
                 + _system("s2", "https://www.b.test/"))
    assert [t.trust_anchor for t in plan.endpoints] == [tmp_path / "k.ds"] * 2
    anchors = read_anchors(plan, None)
    result = account(plan, anchors)
    assert [(i.path, i.kind) for i in result.inputs] == [(str(tmp_path / "k.ds"),
                                                        "trust_anchor")]
    assert len(result.unused) == 1  # two systems inherit it from one line
    assert result.unused[0].origin.file == str(tmp_path / "org.yaml")
    assert result.unused[0].origin.line == 5  # dns_policy: {trust_anchor: …}
    assert "cover no endpoint name (www.a.test, www.b.test)" in result.unused[0].reason.en


def test_anchor_used_by_one_system_is_used(tmp_path: Path) -> None:
    (tmp_path / "k.ds").write_text(f"b.test. IN DS {DS}\n", encoding="ascii")
    plan = _plan(tmp_path, "k.ds", _system("s1", "https://www.a.test/")
                 + _system("s2", "https://www.b.test/"))
    assert account(plan, read_anchors(plan, None)).unused == ()


def test_anchor_of_a_system_without_host_names_is_unused(tmp_path: Path) -> None:
    (tmp_path / "k.ds").write_text(f"a.test. IN DS {DS}\n", encoding="ascii")
    plan = _plan(tmp_path, None, _system("s1", "https://192.0.2.10/", "k.ds"))
    (unused,) = account(plan, read_anchors(plan, None)).unused
    assert unused.reason.en == "no endpoint with a host name to validate DNSSEC for"
    assert unused.origin.file == str(tmp_path / "a.yaml")


def test_every_bad_declared_anchor_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.ds").write_text("a.test. IN A 192.0.2.1\n", encoding="ascii")
    plan = _plan(tmp_path, "missing.ds", _system("s1", "https://www.a.test/")
                 + _system("s2", "https://www.b.test/", "bad.ds"))
    with pytest.raises(InputError) as caught:
        read_anchors(plan, None)
    text = caught.value.render("en")
    assert f"{tmp_path / 'org.yaml'}:5" in text and "missing.ds" in text
    assert f"{tmp_path / 'a.yaml'}:" in text and "not a DS or DNSKEY record" in text
    assert text.count("dns_policy.trust_anchor") == 2
    # The command line's anchor replaces them: the declared files are not even read.
    override = parse_trust_anchors(f"a.test. DS {DS}\n", "cli.ds")
    result = account(plan, read_anchors(plan, override))
    assert [i.path for i in result.inputs] == ["cli.ds"]
    assert [u.path for u in result.unused] == [str(tmp_path / "missing.ds"),
                                               str(tmp_path / "bad.ds")]
    assert all("overrides this declaration" in u.reason.en for u in result.unused)


def test_anchor_outside_the_inventory_tree_is_refused_unread(tmp_path: Path) -> None:
    inside = tmp_path / "inv"
    inside.mkdir()
    (tmp_path / "k.ds").write_text("not even a record\n", encoding="ascii")
    plan = _plan(inside, "../k.ds", _system("s1", "https://www.a.test/"))
    assert plan.endpoints[0].anchor_refused == TRUST_ANCHOR_REFUSED
    anchors = read_anchors(plan, None)  # never opened, so its content cannot fail
    assert anchors.for_target(plan.endpoints[0]) == (None, TRUST_ANCHOR_REFUSED)
    assert account(plan, anchors) == AnchorAccount()  # accounted for by the error instead
    unrestricted = _plan(inside, "../k.ds", _system("s1", "https://www.a.test/"), roots=False)
    with pytest.raises(InputError, match="not a DS or DNSKEY record"):
        read_anchors(unrestricted, None)
