"""The learning app's own abilities, by name; ``learning/rules.py`` says who holds each.

The names live apart from the rules because the rules name the models of the events and surveys
sub-packages, which in turn name these abilities: kept in rules.py, the two would import each
other (the acyclic_siblings contract in pyproject.toml).
"""

from __future__ import annotations

# see an event's registrations and who attended (its organisers and co-facilitators run the day)
ATTENDEES = "attendees"
# record who attended (the organising and co-facilitating coordinators, not the manager)
RECORD_ATTENDANCE = "record_attendance"
# register oneself: the event's audience includes one of one's roles
REGISTER = "register"
# see a person's CPD record: the person, and whoever may see the person's record
CPD_RECORD = "cpd_record"
# see a CPD-needs survey's results; answer it
RESULTS = "results"
ANSWER = "answer"
