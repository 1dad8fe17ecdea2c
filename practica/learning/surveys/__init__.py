"""The annual CPD-needs survey of practice educators: topics, answers, mailings and reminders,
small-number suppression and the cpd-needs report."""
