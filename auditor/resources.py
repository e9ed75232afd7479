"""Where the shipped checklists/ and templates/ are: inside the wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """`checklists` or `templates`: the installed copy, else the checkout's top-level folder."""
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the shipped '{name}' folder is missing from this installation")
