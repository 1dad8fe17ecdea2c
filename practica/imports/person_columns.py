"""The columns that name a person in the import kinds about people of an organisation (practice
educators, practitioner teachers, contributors): written once, so each kind reads and exports
a person the same way."""

from __future__ import annotations

from practica.imports import parsers as p
from practica.imports.framework import Column


def name_columns(*, email: str, first_name: str, last_name: str) -> list[Column]:
    """``email``, ``first_name`` and ``last_name`` of the record's person (the arguments are
    the template's examples)."""
    return [
        Column("email", p.email, required=True, example=email, source="person.email"),
        Column(
            "first_name",
            p.text(max_length=100),
            required=True,
            example=first_name,
            source="person.first_name",
        ),
        Column(
            "last_name",
            p.text(max_length=100),
            required=True,
            example=last_name,
            source="person.last_name",
        ),
    ]


def employer_columns() -> list[Column]:
    """``organisation`` (the employer's code) and ``team`` of the record's person."""
    return [
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="Employer's code",
            example="MC",
            source="person.organisation",
        ),
        Column(
            "team",
            p.text(max_length=200, ignore_case=True),
            help="A team of the organisation",
            source="person.team.name",
        ),
    ]
