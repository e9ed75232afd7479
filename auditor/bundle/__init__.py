"""Signed deliverables: a bundle (one ZIP file) of an audit's results and reports with a
detached CMS signature over its manifest, and the PAdES signature of the annual report PDF.

`auditor.bundle.create` makes a bundle, `auditor.bundle.verify` checks one (the API the
national roll-up reads bundles through), `auditor.bundle.pades` signs and verifies a PDF.
"""
