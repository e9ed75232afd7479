"""OSCAL assessment results of a live audit: what a probe observed is TEST evidence, collected
when the probes ran. A live audit of certificate files the test makes (no network), then
`auditor export oscal results` through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import read_results_json, run_cli
from probes.test_cert_trust import signer
from probes.tls_servers import ec_key, issue, pem
from trestle.oscal.assessment_results import AssessmentResults

AS_OF = dt.date(2026, 11, 24)
MOMENT = dt.datetime.combine(AS_OF, dt.time(), tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _inventory(directory: Path) -> Path:
    folder = directory / "inv"
    folder.mkdir()
    root = issue("CA gốc (test)", key=ec_key(), not_before=MOMENT - 900 * DAY,
                 not_after=MOMENT + 3000 * DAY, ca=True)
    good = signer("Ký số", root, not_before=MOMENT - 30 * DAY, not_after=MOMENT + 300 * DAY)
    (folder / "ky-so.pem").write_bytes(pem(good.cert))
    (folder / "self.pem").write_bytes(pem(signer("Tự ký", None, not_before=MOMENT - 30 * DAY,
                                                 not_after=MOMENT + 300 * DAY).cert))
    (folder / "ca.pem").write_bytes(pem(root.cert))
    (folder / "00-org.yaml").write_text(
        "organisation:\n  id: tinh-thu\n  name: Tỉnh Thử\n", encoding="utf-8")
    (folder / "so-a.yaml").write_text(
        "agency:\n  id: so-a\n  name: Sở A\n  systems:\n"
        "    - id: ky-so\n      name: Ký số\n      system_type: internal\n"
        "      lifecycle: production\n      declared_level: 2\n"
        "      tls_policy:\n        ca_bundle: ca.pem\n"
        "      certificates:\n        - file: ky-so.pem\n        - file: self.pem\n",
        encoding="utf-8")
    return folder


def _stamp(text: str) -> str:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_observed_evidence_is_a_test_collected_when_probed(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    results_path = tmp_path / "r.json"
    audited = run_cli("audit", inventory, "--live", "--resolver", "127.0.0.1", "--as-of",
                      AS_OF.isoformat(), "--json", results_path, "-q",
                      "--db", tmp_path / "h.sqlite")
    assert audited.code in (0, 1), audited.stderr
    exported = run_cli("export", "oscal", "results", results_path, "--lang", "en")
    assert exported.code == 0, exported.stderr
    document: dict[str, Any] = json.loads(exported.stdout)["assessment-results"]
    AssessmentResults.model_validate(document)

    results = read_results_json(results_path)
    observed_at = results["run"]["observed_at"]
    assert observed_at
    start = f"{AS_OF.isoformat()}T00:00:00Z"
    probed = max(_stamp(observed_at), start)  # the probes' time, unless before the audit day
    result = document["results"][0]
    observations = {o["uuid"]: o for o in result["observations"]}
    finding_ids = {f["uuid"]: next(p["value"] for p in f["props"] if p["name"] == "finding-id")
                   for f in result["findings"]}
    by_id = {
        finding_ids[f["uuid"]]: observations[f["related-observations"][0]["observation-uuid"]]
        for f in result["findings"]
    }
    tested = 0
    for system in results["systems"]:
        for found in system["findings"]:
            observation = by_id[found["id"]]
            origins = {e["origin"]["source"] for e in found["evidence"]}
            if "observed" in origins:
                tested += 1
                assert "TEST" in observation["methods"]
                assert observation["collected"] == probed
            else:
                assert "TEST" not in observation["methods"]
                assert observation["collected"] == start
    assert tested >= 2  # both certificate files were observed
    statuses = {f["id"]: f["status"] for s in results["systems"] for f in s["findings"]}
    cert08 = {k: v for k, v in statuses.items() if k.startswith("CERT-08")}
    assert sorted(cert08.values()) == ["fail", "pass"]  # the self-signed one fails
    if probed > start:
        assert result["end"] == probed
    else:
        assert "end" not in result
