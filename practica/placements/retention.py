"""How long a student's personal data is kept: ``RETENTION_YEARS["students"]`` years after
their course ends (``organisations.retention``). A course has ended when the student's
placements are complete; it ended on the last day of their last placement (or of its academic
year when no end date is recorded), else on the day their record last changed."""

from __future__ import annotations

import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from practica.core.models import Person
from practica.organisations.anonymise import anonymise_person, is_anonymised
from practica.organisations.retention import Candidate, RetentionRule
from practica.placements.models import Student, StudentStage

if TYPE_CHECKING:
    from practica.accounts.models import User


def course_ended_on(student: Student) -> datetime.date:
    ends: list[datetime.date] = []
    for placement in student.placements.select_related("academic_year"):
        ends.append(placement.ends_on or placement.academic_year.ends_on)
    if ends:
        return max(ends)
    changed = student.history.aggregate(last=Max("history_date"))["last"]
    return timezone.localdate(changed) if changed else timezone.localdate()


def _anonymise(person: Person, actor: User | None) -> object:
    return anonymise_person(actor=actor, person=person)


def candidates() -> list[Candidate]:
    students = (
        Student.objects.unscoped("retention looks at every finished student, for the system")
        .filter(stage=StudentStage.DONE)
        .select_related("person__organisation")
        .order_by("pk")
    )
    return [
        Candidate(
            record=f"Student #{student.pk}",
            partnership_id=student.person.organisation.partnership_id,
            counted_from=course_ended_on(student),
            anonymise=partial(_anonymise, student.person),
        )
        for student in students
        if not is_anonymised(student.person)
    ]


STUDENTS = RetentionRule(
    key="students",
    records="Students",
    after="after their course ends",
    action="The student is anonymised: name, e-mail address, reference, home town and needs.",
    candidates=candidates,
)
