"""Workshops and forums (events), registration and attendance, shadowing, CPD records and the CPD-needs survey."""
