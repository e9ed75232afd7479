"""Agencies answer in spreadsheets: export an agency's workbook, import what it filled in.

- `fields`     the facts the Systems sheet asks for, their headers, help and choices
- `sheets`     the sheets of facts (Systems, Documents, Staff): whose rows, which columns
- `cells`      one cell read the way people type it, and written as an office program shows it
- `layout`     sheet names, rows, the metadata, a system's declared values as canonical text
- `requests`   the evidence requests: manual findings an attestation would close
- `audit_scope` the audit those come from, of the exported agencies only
- `export`     writing the workbook (openpyxl)
- `reading`    reading a filled workbook safely (size limits, no formulas, no links)
- `answers`    what the agency answered: changes, bad cells, answers to a stale export
- `yaml_edit`  the inventory file edited in place (ruamel.yaml round trip), cells cited
- `importing`  the import, start to end: nothing is written unless every cell is good

The YAML inventory stays the source of truth; the workbook is how agencies fill it in.
"""
