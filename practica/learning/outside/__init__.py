"""CPD a practice educator did outside Practica's events (a course, a conference, reading), with
its evidence: recorded by the educator, seen by whoever may see their CPD record."""
