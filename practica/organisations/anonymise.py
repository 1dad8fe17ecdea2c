"""Anonymising a person (UK GDPR erasure; issue 15): what identifies them is overwritten in
their rows and in every history version of those rows, while every row stays, so every report
counts the same before and after.

Which rows are theirs is found as the subject access export finds them (``subject_access``:
every relation of every model to the person, their login or their one-to-one records). What is
overwritten is said here, per relation and field, as data:

- ``ANONYMISED`` — relation → field → its new value (a value, or a function of the row's id
  for fields that must stay unique); a field that is empty stays empty;
- ``KEPT`` — relation → field → why it is left as it is (it describes a place, a course or a
  decision, not the person; or a report counts by it).

``organisations/tests/test_anonymise_coverage.py`` fails when a text field of a row about a
person is in neither, so a new field cannot be forgotten. Relations where the person acted as
staff on someone else's record are left alone: their name there is their login's, which is
anonymised.

The login (if any) is closed as well: its password made unusable, it is deactivated, its
authenticator and recovery codes deleted, its API tokens revoked and its sessions ended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from practica.core import audit_log
from practica.core.models import AuditAction
from practica.organisations.subject_access import (
    SUBJECT,
    _all_rows,
    _history_model,
    _subject_instances,
    invitations_to,
    placement_links_to,
    relations,
)

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.core.models import Person

ANONYMISED_NAME = "Anonymised"
ANONYMOUS_DOMAIN = "anonymised.invalid"

Replacement = str | bytes | None | Callable[[Any], str]

# the person's own row ("core.person") and login ("accounts.user"), then each relation
ANONYMISED: dict[str, dict[str, Replacement]] = {
    "core.person": {
        "first_name": ANONYMISED_NAME,
        "last_name": lambda pk: f"person {pk}",
        "email": "",
        "job_title": "",
    },
    "accounts.user": {
        "email": lambda pk: f"anonymised-{pk}@{ANONYMOUS_DOMAIN}",
        "first_name": "",
        "last_name": "",
    },
    "placements.student.person": {
        "student_ref": lambda pk: f"ANONYMISED-{pk}",
        "home_location": "",
        "needs": "",
    },
    "placements.placement.student": {"ended_reason": ANONYMISED_NAME},
    "educators.peapplication.applicant": {
        "statement": ANONYMISED_NAME,
        "line_manager_name": ANONYMISED_NAME,
        "line_manager_email": f"line-manager@{ANONYMOUS_DOMAIN}",
        "line_manager_statement": "",
        "feedback_letter": ANONYMISED_NAME,
        "feedback_sent_to": "",
    },
    "educators.changereport.educator": {"note": "", "decision_reason": ""},
    "learning.cpdneedsresponse.person": {"comments": ""},
    # the reflection is their words; the evidence (a certificate) bears their name
    "learning.outsidecpd.person": {"reflection": "", "evidence_name": "", "evidence": b""},
    "questionnaires.response.person": {"respondent_ref": lambda pk: f"anonymised-{pk}"},
    # the domains that came later: what they record about the person themselves
    "placements.preplacementcheck.student": {"reference": ""},
    "teaching.practitionerteacher.person": {
        "availability": "",
        "modules_taught": "",
        "career_level": "",
    },
    "teaching.livedexperiencecontributor.person": {
        "payment_preference": "",
        "accessibility_needs": "",
    },
    "teaching.expressionofinterest.person": {
        "knowledge": ANONYMISED_NAME,
        "skills": ANONYMISED_NAME,
        "experience": ANONYMISED_NAME,
        "other_areas": "",
        "line_manager_name": ANONYMISED_NAME,
        "line_manager_email": f"line-manager@{ANONYMOUS_DOMAIN}",
        "line_manager_comment": "",
    },
    "teaching.shadowing.practitioner_teacher": {"notes": ""},
    "teaching.requestoffer.practitioner_teacher": {"note": "", "reason": ""},
    "teaching.peerobservation.practitioner_teacher": {"strengths": "", "areas_to_develop": ""},
    # special category data: no answer is left to count (the row keeps only its consent dates)
    "teaching.practitionerdiversity.practitioner_teacher": {
        "ethnic_group": "",
        "disability": "",
        "gender": "",
        "age_band": "",
    },
}

# an invitation sent to one of their addresses (found by address, not by a relation)
INVITATION: dict[str, Replacement] = {
    "email": lambda pk: f"anonymised-invitation-{pk}@{ANONYMOUS_DOMAIN}"
}
# a placement's single-use link e-mailed to them as an off-site practice educator or on-site
# supervisor without a login (found by address too)
PLACEMENT_LINK: dict[str, Replacement] = {
    "email": lambda pk: f"anonymised-link-{pk}@{ANONYMOUS_DOMAIN}"
}

PLACE = "describes the placement setting, not the person"
KEPT: dict[str, dict[str, str]] = {
    "accounts.user": {"password": "made unusable rather than overwritten"},
    "core.auditevent.user": {
        "what": "names records by kind and number, never a person (a failed sign-in with a "
        "login's name is that login's event and its details are empty)",
        "address": "the audit trail keeps where an action came from; it names no one",
        "source": "the command or background task an action came from (its name only, never "
        "its arguments); it names no one",
    },
    "questionnaires.invitation.person": {"token_hash": "a hash of a link's token"},
    "educators.practiceeducator.person": {
        "last_training_source": "the course attended, which reports count",
        "last_training_source_url": "the course's web address",
    },
    "learning.outsidecpd.person": {
        "title": "the course or event they did, which describes no one",
        "provider": "who provided it",
        "evidence_type": "the kind of file the evidence was (PDF or picture)",
    },
    "educators.changereport.decided_by": {
        "note": "another educator's change, which this person decided",
        "decision_reason": "another educator's change, which this person decided",
    },
    "educators.peapplication.applicant": {"support_token_hash": "a hash of a link's token"},
    "placements.student.person": {"programme": "reports count students by programme"},
    "placements.placementoffer.practice_educator": {"setting": PLACE},
    "placements.placementoffer.onsite_supervisor": {"setting": PLACE},
    "placements.placement.student": {"setting": PLACE},
    "placements.placement.practice_educator": {
        "setting": PLACE,
        "ended_reason": "about the student's placement, which is the student's record",
    },
    "placements.placement.onsite_supervisor": {
        "setting": PLACE,
        "ended_reason": "about the student's placement, which is the student's record",
    },
    "educators.educatormessage.sent_by": {
        "subject": "a message sent to practice educators, which this person sent as staff",
        "body": "a message sent to practice educators, which this person sent as staff",
    },
    "educators.educatormessage.recipients": {
        "subject": "the same message went to every practice educator on a list",
        "body": "the same message went to every practice educator on a list",
    },
    "placements.allocationrun.created_by": {"error": "why a run failed, about the run"},
    "placements.allocationrun.confirmed_by": {"error": "why a run failed, about the run"},
    "placements.allocationproposal.student": {
        "explanation": "names offers, routes and journey times, not the student",
    },
    "placements.unplacedstudent.student": {
        "binding": "the rule that left the student unplaced, which reports count",
        "reason": "names offers and rules, not the student",
    },
    "placements.attendanceweek.logged_by": {"note": "about the student's week, as staff"},
    "placements.attendanceweek.signed_off_by": {"note": "about the student's week, as staff"},
    "placements.skillsdays.student": {"topic": "the skills day's subject, a course"},
    "placements.causeforconcern.raised_by": {
        "concern": "about the student's placement (their record), raised as staff",
        "meeting_notes": "about the student's placement (their record), raised as staff",
        "action_plan": "about the student's placement (their record), raised as staff",
        "outcome": "about the student's placement (their record), raised as staff",
    },
    "teaching.practitionerteacher.reviewed_by": {
        "availability": "another practitioner's entry, which this person reviewed",
        "modules_taught": "another practitioner's entry, which this person reviewed",
        "career_level": "another practitioner's entry, which this person reviewed",
    },
    "teaching.expressionofinterest.person": {"agreement_token_hash": "a hash of a link's token"},
    "teaching.shadowing.practitioner_teacher": {"session": "the session shadowed, a course"},
    "teaching.shadowing.shadowed": {
        "session": "the session shadowed, a course",
        "notes": "about the practitioner who shadowed, not this person",
    },
    "teaching.shadowing.recorded_by": {
        "session": "the session shadowed, a course",
        "notes": "recorded as staff about another practitioner",
    },
    "teaching.teachingrequest.raised_by": {
        "module": "the module, a course",
        "topic": "the session's subject",
        "place": "where the session is",
        "change_reason": "why the request changed, raised as staff",
    },
    "teaching.teachingrequest.contributors": {
        "module": "the module, a course",
        "topic": "the session's subject",
        "place": "where the session is",
        "change_reason": "why the request changed, raised as staff",
    },
    "teaching.requestoffer.offered_by": {
        "note": "an offer of another practitioner, made as staff",
        "reason": "an offer of another practitioner, made as staff",
    },
    "teaching.peerobservation.observer": {
        "strengths": "feedback about the practitioner observed, not the observer",
        "areas_to_develop": "feedback about the practitioner observed, not the observer",
    },
    "api.apitoken.user": {
        "name": "the token's own label; every token of the login is revoked",
        "prefix": "the first characters of a revoked token, to recognise it",
        "token_hash": "a hash of a revoked token",
    },
}


# what closing a login does to the rows that let it sign in or call the API
DELETE, REVOKE = "delete", "revoke"
CLOSE_LOGIN = {
    "otp_totp.totpdevice.user": DELETE,
    "otp_static.staticdevice.user": DELETE,
    "api.apitoken.user": REVOKE,
}


@dataclass(frozen=True)
class Anonymised:
    person_id: int
    rows: int  # rows overwritten, live and history


def text_fields(model: type[models.Model]) -> list[str]:
    """The fields that could hold words about a person: text without fixed choices, and files
    kept in the database (a certificate bears its holder's name)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if (isinstance(field, models.CharField | models.TextField) and not field.choices)
        or isinstance(field, models.BinaryField)
    ]


def _values(spec: dict[str, Replacement], pk: Any) -> dict[str, Any]:
    """The new value of each field; an empty field stays empty (the constraints that ask for
    words only when something happened, such as a reason a placement ended early, still hold)."""
    values: dict[str, Any] = {}
    for name, replacement in spec.items():
        value = replacement(pk) if callable(replacement) else replacement
        values[name] = (
            Case(When(**{name: ""}, then=Value("")), default=Value(value)) if value else value
        )
    return values


def _overwrite(model: type[models.Model], spec: dict[str, Replacement], ids: list[Any]) -> int:
    """Overwrites ``spec``'s fields in the rows ``ids`` of ``model`` and in every history
    version of them (without writing a new version: the old values must not survive)."""
    count = 0
    history = _history_model(model)
    for pk in ids:
        values = _values(spec, pk)
        count += model._base_manager.filter(pk=pk).update(**values)
        if history is not None:
            kept = {k: v for k, v in values.items() if _has(history, k)}
            count += history._base_manager.filter(id=pk).update(**kept)
    return count


def _has(model: type[models.Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


@transaction.atomic
def anonymise_person(*, actor: User | None, person: Person) -> Anonymised:
    """Overwrites what identifies ``person`` (see the module) and closes their login. The
    caller has checked ``actor`` may (the command line has no actor). Idempotent."""
    from practica.accounts.models import Invitation, User
    from practica.core.models import Person

    instances = _subject_instances(person)
    invitations = list(invitations_to(person).values_list("pk", flat=True))
    rows = _overwrite(Invitation, INVITATION, invitations)
    links = placement_links_to(person)
    rows += _overwrite(links.model, PLACEMENT_LINK, list(links.values_list("pk", flat=True)))
    rows += _overwrite(Person, ANONYMISED["core.person"], [person.pk])
    user = instances.get(User)
    if isinstance(user, User):
        rows += _overwrite(User, ANONYMISED["accounts.user"], [user.pk])
        _close_login(user)
    for relation in relations():
        spec = ANONYMISED.get(relation.key)
        target = instances.get(relation.field.related_model)
        if relation.kind != SUBJECT or spec is None or target is None:
            continue
        ids = list(
            _all_rows(relation.model)
            .filter(**{relation.field.name: target})
            .values_list("pk", flat=True)
        )
        history = _history_model(relation.model)
        if history is not None and _has(history, relation.field.name):
            # rows since moved to someone else or deleted keep versions that name them
            ids += list(
                history._base_manager.filter(**{relation.field.attname: target.pk})
                .exclude(id__in=ids)
                .values_list("id", flat=True)
                .distinct()
            )
        rows += _overwrite(relation.model, spec, sorted(set(ids)))
    audit_log.record(
        user=actor,
        action=AuditAction.ANONYMISED,
        what=f"Person #{person.pk}",
        partnership=person.organisation.partnership,
    )
    person.refresh_from_db()
    return Anonymised(person.pk, rows)


@transaction.atomic
def anonymise_record(*, actor: User | None, relation: str, record: models.Model, what: str) -> int:
    """Overwrites, in one ``record`` and its history, the words about the person that
    ``ANONYMISED[relation]`` names (an application not accepted, kept no longer), leaving the
    person as they are. Idempotent."""
    rows = _overwrite(type(record), ANONYMISED[relation], [record.pk])
    organisation = getattr(record, "organisation", None)
    audit_log.record(
        user=actor,
        action=AuditAction.ANONYMISED,
        what=what,
        partnership=organisation.partnership if organisation is not None else None,
    )
    return rows


def is_anonymised(person: Person) -> bool:
    return person.first_name == ANONYMISED_NAME and person.last_name == f"person {person.pk}"


def _close_login(user: User) -> None:
    user.refresh_from_db()
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["password", "is_active"])
    for relation in relations():
        if relation.key in CLOSE_LOGIN and relation.field.related_model is type(user):
            rows = relation.model._base_manager.filter(**{relation.field.name: user})
            if CLOSE_LOGIN[relation.key] == DELETE:
                rows.delete()
            else:
                rows.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
