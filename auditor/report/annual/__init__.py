"""The annual report to the ministry: figures from the history store, HTML, PDF, XLSX, CSV."""
