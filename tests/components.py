"""The outside programs the suite tests against: present, or the run fails (as root).

The README's test command (`bash scripts/test.sh`) installs nmap, NSD, PostgreSQL and Chromium
with apt-get when run as root, so as root (CI, a fresh machine) a missing one is a broken
setup and must fail loudly — a skip would let a green run hide that the real component was
never exercised. Only a developer who is not root, and so cannot install it, gets a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_component(present: bool, what: str, install: str) -> None:
    """Fail as root, skip otherwise, when `what` is missing; do nothing when it is there."""
    if present:
        return
    message = f"{what} is not installed: {install} (or run `bash scripts/test.sh` as root)"
    if os.geteuid() != 0:
        pytest.skip(f"{message} (skipped: not root, so this machine cannot install it)")
    pytest.fail(message, pytrace=False)


def require_nmap() -> None:
    require_component(shutil.which("nmap") is not None, "nmap", "apt-get install nmap")
