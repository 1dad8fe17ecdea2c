"""Recruiting practice educators: applications, the line manager's support, selection panels
scoring against published criteria, decisions and feedback letters, and the applicant's and
panel member's own pages."""
