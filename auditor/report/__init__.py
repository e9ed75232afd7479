"""Renderers of audit results and of the history: the JSON results (`json_out`), the HTML
report (`html`, built from the view models in `views`), PDF (`pdf`), terminal tables
(`terminal`, `probe_tables`, `history`), the annual report (`annual`), live progress
(`progress`) and where outputs are written (`outputs`, `files`)."""
