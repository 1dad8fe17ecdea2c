"""Spreadsheet and CSV imports: validate every row, dry run, apply all or nothing."""
