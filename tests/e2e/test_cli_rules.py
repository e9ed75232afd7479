"""`rules list` and `rules show` print the same bytes on every run: a rule's regimes (a set)
come in their declared order (Decree 85, then Decree 331), not in an order PYTHONHASHSEED
decides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO

from auditor.model.inventory import Regime

# Two seeds under which a two-regime set iterates in different orders (64-bit CPython): before
# the regimes were ordered, the JSON of every rule under both regimes differed between them.
SEEDS = ("1", "4")


def _stdout(seed: str, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True, cwd=REPO, env=env, timeout=120, check=True,
    )
    return done.stdout


@pytest.mark.parametrize(
    "args",
    [("rules", "list", "--format", "json"), ("rules", "show", "GOV-04", "--format", "json")],
    ids=["list", "show"],
)
def test_rules_json_is_the_same_under_any_hash_seed(args: tuple[str, ...]) -> None:
    first, second = (_stdout(seed, *args) for seed in SEEDS)
    assert first == second
    assert b'"regimes"' in first


def test_regimes_are_listed_in_their_declared_order() -> None:
    rules = json.loads(_stdout(SEEDS[0], "rules", "list", "--format", "json"))
    declared = [regime.value for regime in Regime]
    assert declared == ["nd85", "nd331"]
    for rule in rules:
        assert rule["regimes"] == [r for r in declared if r in rule["regimes"]], rule["id"]
    assert any(rule["regimes"] == declared for rule in rules)
