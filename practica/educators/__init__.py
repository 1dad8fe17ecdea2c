"""The practice educator register: PEPS stages and currency, recruitment and selection, PEPS training cohorts."""
