"""A missing outside program fails the run as root and is skipped only for a non-root user."""

from __future__ import annotations

import pytest
from components import require_component


def test_a_present_component_neither_skips_nor_fails() -> None:
    require_component(True, "nmap", "apt-get install nmap")


def test_a_missing_component_fails_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 0)
    with pytest.raises(pytest.fail.Exception, match="nsd is not installed: apt-get install nsd"):
        require_component(False, "nsd", "apt-get install nsd")


def test_a_missing_component_is_skipped_only_when_not_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(pytest.skip.Exception, match="not root"):
        require_component(False, "nsd", "apt-get install nsd")
