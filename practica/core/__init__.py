"""The partnership, its organisations, teams, locations, academic years and people."""
