"""The report registry: named queries over raw records, their pages, charts and CSV/XLSX/JSON exports."""
