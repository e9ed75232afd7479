"""auditor: repeatable security-compliance audits of government information systems."""

__version__ = "0.1.0"
