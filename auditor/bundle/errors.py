"""The errors of signing: bad signer credentials or bundle inputs (exit code 2)."""

from __future__ import annotations

from auditor.errors import AuditorError


class SigningError(AuditorError):
    """The signer's certificate, key or chain cannot be used (unreadable, mismatched, unfit for
    signing), or an input of the bundle is not acceptable; nothing was written."""
