"""Renderers of audit results: JSON, terminal tables (HTML arrives with the report issue)."""
