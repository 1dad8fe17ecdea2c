"""PEPS training: the cohorts an organisation supports, their candidates and outcomes."""
