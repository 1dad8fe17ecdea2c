"""How long a student's personal data is kept: ``RETENTION_YEARS["students"]`` years after
their course ends (``organisations.retention``). A course has ended when the student's
placements are complete; it ended on the last day of their last placement (or of its academic
year when no end date is recorded), else on the day their record last changed. One query reads
every candidate, however many students there are."""

from __future__ import annotations

import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from practica.core.academic_years import bounds
from practica.core.models import Person
from practica.organisations.anonymise import ANONYMISED_NAME, anonymise_person, is_anonymised
from practica.organisations.retention import Candidate, RetentionRule
from practica.placements.models import Student, StudentStage

if TYPE_CHECKING:
    from practica.accounts.models import User


def _course_ended_on(
    last_end: datetime.date | None,
    last_open_year: int | None,
    last_changed: datetime.datetime | None,
) -> datetime.date:
    """The last day of the student's last placement (of its academic year when it has no end
    date), else the day the record last changed."""
    ends = [last_end] if last_end else []
    if last_open_year is not None:
        ends.append(bounds(last_open_year)[1])
    if ends:
        return max(ends)
    return timezone.localdate(last_changed) if last_changed else timezone.localdate()


def _anonymise(person: Person, actor: User | None) -> object:
    return anonymise_person(actor=actor, person=person)


def candidates(partnership_ids: set[int] | None = None) -> list[Candidate]:
    students = (
        Student.objects.unscoped("retention looks at every finished student, for the system")
        .filter(stage=StudentStage.DONE)
        .exclude(person__first_name=ANONYMISED_NAME)  # the rest is checked below
        .select_related("person", "hei")
        .annotate(
            last_end=Max("placements__ends_on"),
            # a placement without an end date ends with its academic year
            last_open_year=Max(
                "placements__academic_year__start_year",
                filter=Q(placements__ends_on__isnull=True),
            ),
            last_changed=Subquery(
                Student.history.model.objects.filter(id=OuterRef("pk"))
                .order_by("-history_date")
                .values("history_date")[:1]
            ),
        )
        .order_by("pk")
    )
    if partnership_ids is not None:
        students = students.filter(hei__partnership_id__in=partnership_ids)
    return [
        Candidate(
            record=f"Student #{student.pk}",
            partnership_id=student.hei.partnership_id,
            counted_from=_course_ended_on(
                student.last_end, student.last_open_year, student.last_changed
            ),
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
