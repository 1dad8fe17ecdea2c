"""Questionnaires: versioned definitions, personal links, collation (docs/0024)."""
