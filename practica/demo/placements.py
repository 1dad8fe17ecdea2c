"""Demo students of the two demo universities (idempotent: found by university and reference)."""

from __future__ import annotations

import random

from practica.core.models import Organisation, Person
from practica.demo import DEMO
from practica.placements import services
from practica.placements.models import Route, Student

HOMES = {
    "CCCU": [
        "Canterbury",
        "Whitstable",
        "Herne Bay",
        "Faversham",
        "Ashford",
        "Dover",
        "Folkestone",
    ],
    "UOK": ["Canterbury", "Chatham", "Gillingham", "Rochester", "Maidstone", "Sittingbourne"],
}
ROUTES = {
    "CCCU": [Route.BA, Route.BA, Route.BA, Route.MA, Route.STEP_UP, Route.APPRENTICE],
    "UOK": [Route.BA, Route.BA, Route.MA, Route.MA, Route.THINK_AHEAD, Route.FRONTLINE, Route.OU],
}
STUDENTS_PER_UNIVERSITY = 24
FIRST_NAMES = [
    "Alex",
    "Bea",
    "Cam",
    "Dami",
    "Eve",
    "Farah",
    "Gus",
    "Hana",
    "Ike",
    "Jo",
    "Kai",
    "Lola",
]
LAST_NAMES = ["Ansah", "Bell", "Chen", "Doyle", "Ellis", "Fox", "Gill", "Hart", "Ivanova", "Joshi"]


def load(organisations: dict[str, Organisation]) -> None:
    for code, homes in HOMES.items():
        hei = organisations[code]
        rng = random.Random(f"students/{code}")
        for number in range(1, STUDENTS_PER_UNIVERSITY + 1):
            ref = f"{code}{2019000 + number}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            route, home = rng.choice(ROUTES[code]), rng.choice(homes)
            year = rng.randint(1, 2 if route in (Route.MA, Route.STEP_UP, Route.FRONTLINE) else 3)
            travel = rng.choice([None, 45, 60, 75, 90])
            if Student.objects.unscoped(DEMO).filter(hei=hei, student_ref=ref).exists():
                continue
            services.create_student(
                actor=None,
                hei=hei,
                student_ref=ref,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{ref}@students.{code.lower()}.demo.practica.test".lower(),
                route=route,
                year_of_study=year,
                home_location=home,
                travel_limit_minutes=travel,
            )
    # the demo student login is a student of the University of Kent
    person = Person.objects.unscoped(DEMO).filter(email="student@demo.practica.test").first()
    if person is not None and not Student.objects.unscoped(DEMO).filter(person=person).exists():
        services.create_student(
            actor=None,
            hei=organisations["UOK"],
            student_ref="UOK2019999",
            first_name=person.first_name,
            last_name=person.last_name,
            route=Route.BA,
            year_of_study=2,
            home_location="Chatham",
            travel_limit_minutes=60,
            person=person,
        )
