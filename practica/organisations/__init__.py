"""The partnership's organisations, teams, locations and people as people use them: their pages, the home page, imports, reports and the subject access export."""
