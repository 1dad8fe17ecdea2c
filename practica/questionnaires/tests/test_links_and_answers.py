"""Personal links (hashed tokens, expiry, single use, reminders), saving and sending answers,
and anonymous answers that no one can trace back to a person."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.core.models import Organisation, Person
from practica.core.tests.interrupted_mail import outbox_to, tasks_held, worker_dies_after
from practica.questionnaires import services
from practica.questionnaires.models import (
    Answer,
    Distribution,
    Invitation,
    Questionnaire,
    Response,
)
from practica.questionnaires.tests.factories import FULL_ANSWERS, published


def send(questionnaire: Questionnaire, people: list[Person], **kwargs: Any) -> Distribution:
    return services.distribute(
        actor=None,
        version=published(questionnaire),
        title="Final placements 2019/20",
        recipients=people,
        send=False,
        **kwargs,
    )


def token_for(distribution: Distribution, person: Person) -> str:
    return services.issue_token(distribution.invitations.get(person=person))


def test_sending_e_mails_each_person_their_own_link(
    questionnaire: Questionnaire,
    students: list[Person],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.distribute(
            actor=None,
            version=published(questionnaire),
            title="Final placements 2019/20",
            recipients=students[:2],
            base_url="https://practica.test",
        )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(s.email for s in students[:2])
    body = mail.outbox[0].body
    token = body.split("https://practica.test/questionnaires/answer/")[1].split("/")[0]
    invitation = services.invitation_for_token(token)
    assert invitation is not None
    assert invitation.person.email == mail.outbox[0].to[0]


def test_only_the_tokens_hash_is_stored(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    distribution = send(questionnaire, students[:1])
    token = token_for(distribution, students[0])
    invitation = Invitation.objects.get()
    assert token not in str(Invitation.objects.values().get())
    assert invitation.token_hash != token
    assert len(invitation.token_hash) == 64
    assert (
        not invitation.history.filter(token_hash=token).exists()
        if hasattr(invitation.history.model, "token_hash")
        else True
    )


def test_an_unknown_or_expired_link_is_refused(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    distribution = send(questionnaire, students[:1])
    token = token_for(distribution, students[0])
    assert services.invitation_for_token("not-a-token") is None
    Distribution.objects.filter(pk=distribution.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.invitation_for_token(token) is None


def test_a_link_works_once(questionnaire: Questionnaire, students: list[Person]) -> None:
    distribution = send(questionnaire, students[:1])
    token = token_for(distribution, students[0])
    invitation = services.invitation_for_token(token)
    assert invitation is not None
    services.submit_response(invitation=invitation, answers=FULL_ANSWERS)

    assert services.invitation_for_token(token) is None
    with pytest.raises(ValidationError, match="works once"):
        services.submit_response(invitation=invitation, answers=FULL_ANSWERS)
    assert Response.objects.count() == 1


def test_a_reminder_sends_a_fresh_link_and_the_old_one_stops_working(
    questionnaire: Questionnaire,
    students: list[Person],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    distribution = send(questionnaire, students[:2])
    old = token_for(distribution, students[0])
    answered = services.invitation_for_token(token_for(distribution, students[1]))
    assert answered is not None
    services.submit_response(invitation=answered, answers=FULL_ANSWERS)

    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.remind(actor=None, distribution=distribution)

    assert reminded == 1
    assert [m.to for m in mail.outbox] == [[students[0].email]]
    assert mail.outbox[0].subject.startswith("Reminder: ")
    assert services.invitation_for_token(old) is None


def test_nobody_without_an_e_mail_address_or_outside_the_partnership_is_sent_it(
    questionnaire: Questionnaire, students: list[Person], org_a: Organisation
) -> None:
    from practica.organisations.tests.factories import (
        OrganisationFactory,
        PartnershipFactory,
        PersonFactory,
    )

    elsewhere = PersonFactory.create(
        organisation=OrganisationFactory.create(partnership=PartnershipFactory.create(name="Other"))
    )
    no_email = PersonFactory.create(organisation=org_a, email="")
    with pytest.raises(ValidationError) as caught:
        send(questionnaire, [elsewhere, no_email, students[0], students[0]])
    messages = caught.value.message_dict["recipients"]
    assert any("not in the questionnaire's partnership" in m for m in messages)
    assert any("no e-mail address" in m for m in messages)
    assert any("twice" in m for m in messages)


def test_a_draft_version_cannot_be_sent(org_a: Organisation, students: list[Person]) -> None:
    from practica.questionnaires.tests.factories import make_questionnaire

    draft = make_questionnaire(org_a, publish=False)
    with pytest.raises(ValidationError, match="Publish"):
        services.distribute(
            actor=None,
            version=services.latest_version(draft),
            title="Too soon",
            recipients=students[:1],
        )


def test_required_questions_and_wrong_values_are_refused_question_by_question(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    invitation = services.invitation_for_token(
        token_for(send(questionnaire, students[:1]), students[0])
    )
    assert invitation is not None
    with pytest.raises(ValidationError) as caught:
        services.submit_response(
            invitation=invitation,
            answers={"supervision": "7", "setting": "", "caseload": "lots"},
        )
    assert caught.value.message_dict == {
        "supervision": [
            "“7” is not an answer to “Supervision was regular”; choose from 1, 2, 3, 4, 5"
        ],
        "setting": ["Select an answer to “Setting”"],
        "induction": ["Select an answer to “Had an induction”"],
        "caseload": ["Enter a number for “Cases held”, like 12"],
    }
    assert not Response.objects.exists()


def test_answers_can_be_saved_and_returned_to_before_sending(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    distribution = send(questionnaire, students[:1])
    token = token_for(distribution, students[0])
    invitation = services.invitation_for_token(token)
    assert invitation is not None

    services.save_draft(invitation=invitation, answers={"supervision": "2", "support": ["tutor"]})

    back = services.invitation_for_token(token)
    assert back is not None
    assert services.draft_answers(back) == {"supervision": "2", "support": ["tutor"]}
    assert not Response.objects.exists()
    response = services.submit_response(invitation=back, answers=FULL_ANSWERS)
    assert Invitation.objects.get().draft == {}
    assert response.person == students[0]
    assert response.version == published(questionnaire)
    assert {a.question.code: a.as_cell() for a in response.answers.all()} == {
        "supervision": "4",
        "setting": "statutory",
        "support": "tutor; library",
        "induction": "yes",
        "caseload": "6",
        "comments": "A good team.",
    }


def test_a_response_records_which_version_was_answered(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    first = published(questionnaire)
    token = token_for(send(questionnaire, students[:1]), students[0])
    draft = services.draft_version(actor=None, questionnaire=questionnaire)
    services.publish_version(actor=None, version=draft)
    invitation = services.invitation_for_token(token)
    assert invitation is not None

    response = services.submit_response(invitation=invitation, answers=FULL_ANSWERS)

    assert response.version == first
    assert {answer.question.section.version for answer in response.answers.all()} == {first}


# --- anonymous questionnaires -----------------------------------------------------------------


def _values_of(model: type[models.Model]) -> list[dict[str, Any]]:
    return list(model._base_manager.values())


def test_an_anonymous_answer_cannot_be_traced_to_the_person_even_in_the_database(
    anonymous_questionnaire: Questionnaire,
    students: list[Person],
) -> None:
    distribution = send(anonymous_questionnaire, students)
    invitation = services.invitation_for_token(token_for(distribution, students[2]))
    assert invitation is not None
    services.save_draft(invitation=invitation, answers={"comments": "Draft words"})
    history_before = Invitation.history.count()

    response = services.submit_response(invitation=invitation, answers=FULL_ANSWERS)

    # the response names no person, link or subject, and keeps the day, not the time
    stored = Response.objects.values().get()
    assert stored["person_id"] is None
    assert stored["invitation_id"] is None
    assert stored["subject_type_id"] is None
    assert stored["subject_id"] is None
    assert stored["respondent_ref"] == ""
    assert isinstance(stored["submitted_on"], datetime.date)
    assert not isinstance(stored["submitted_on"], datetime.datetime)
    # neither responses nor answers have a time of day, or a history with one
    for model in (Response, Answer):
        assert not [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        assert not hasattr(model, "history")
    # no other table points at a response, an answer or the person through them
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.related_model in {Response, Answer} and model not in {Answer}:
                pytest.fail(f"{model.__name__}.{field.name} points at a response")
    # the link says only that it was used: no date, no history row, no draft left
    used = Invitation.objects.values().get(pk=invitation.pk)
    assert used["used"] is True
    assert used["draft"] == {}
    assert not [
        f.name
        for f in Invitation._meta.concrete_fields
        if isinstance(f, models.DateTimeField | models.DateField)
    ]
    assert Invitation.history.count() == history_before
    # and the answers hold nothing that names the person
    person = students[2]
    for row in _values_of(Answer) + _values_of(Response):
        text = " ".join(str(value) for value in row.values())
        assert person.email not in text
        assert person.first_name not in text
    # the ids are random, so their order says nothing about the order people answered in
    assert isinstance(response.pk, type(stored["id"]))
    assert len(str(response.pk)) == 36


def test_the_respondents_of_an_anonymous_questionnaire_cannot_be_ordered_by_answering(
    anonymous_questionnaire: Questionnaire, students: list[Person]
) -> None:
    distribution = send(anonymous_questionnaire, students)
    for person in students:
        invitation = services.invitation_for_token(token_for(distribution, person))
        assert invitation is not None
        services.submit_response(invitation=invitation, answers=FULL_ANSWERS)
    # every response has the same day and nothing of the link, and the links say only "used"
    assert Response.objects.values("submitted_on").distinct().count() == 1
    assert not Response.objects.filter(
        Q(person__isnull=False) | Q(invitation__isnull=False) | Q(subject_id__isnull=False)
    ).exists()
    assert set(Invitation.objects.values_list("used", flat=True)) == {True}
    assert Invitation.history.filter(used=True).count() == 0


def test_a_domain_attaches_its_own_record_and_filters_the_collation_by_it(
    questionnaire: Questionnaire, students: list[Person], org_a: Organisation, org_b: Organisation
) -> None:
    """The engine knows nothing of placements: any record (here, organisations standing in for
    two placements) can be what a link and its response are about."""
    from django.contrib.contenttypes.models import ContentType

    from practica.questionnaires import selectors

    recipients = [
        services.Recipient(person, org_a if n < 5 else org_b) for n, person in enumerate(students)
    ]
    # the same person may be asked about two different subjects
    recipients.append(services.Recipient(students[0], org_b))
    distribution = services.distribute(
        actor=None,
        version=published(questionnaire),
        title="Placements",
        recipients=recipients,
        send=False,
    )
    for invitation in distribution.invitations.all():
        services.submit_response(invitation=invitation, answers=FULL_ANSWERS)

    kind = ContentType.objects.get_for_model(Organisation)

    def about_org_a(responses: Any) -> Any:
        return responses.filter(subject_type=kind, subject_id=org_a.pk)

    collation = selectors.collate(
        published(questionnaire), selectors.ResponseFilters(subject=about_org_a)
    )
    assert collation.respondents == 5
    assert Response.objects.filter(subject_type=kind, subject_id=org_b.pk).count() == 2


def test_a_subject_access_export_holds_named_answers_and_never_anonymous_ones(
    questionnaire: Questionnaire, anonymous_questionnaire: Questionnaire, students: list[Person]
) -> None:
    from practica.organisations.subject_access import subject_access_document, to_json

    for asked in (questionnaire, anonymous_questionnaire):
        invitation = services.invitation_for_token(
            token_for(send(asked, students[:1]), students[0])
        )
        assert invitation is not None
        services.submit_response(
            invitation=invitation, answers={**FULL_ANSWERS, "comments": f"Said to {asked.name}"}
        )

    exported = to_json(subject_access_document(students[0])).decode()

    assert "Said to Placement evaluation" in exported
    assert "Said to Session feedback" not in exported
    assert (
        Invitation.objects.get(distribution__version__questionnaire=questionnaire).token_hash
        not in exported
    )


def links_in(outbox: list[Any]) -> list[str]:
    return [
        message.body.split("https://practica.test/questionnaires/answer/")[1].split("/")[0]
        for message in outbox
    ]


def test_a_sending_whose_worker_dies_part_way_e_mails_each_person_once_when_run_again(
    questionnaire: Questionnaire,
    students: list[Person],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Issue 15, "Reliability": the task is retried with the arguments it was queued with."""
    with tasks_held() as held, django_capture_on_commit_callbacks(execute=True):
        distribution = services.distribute(
            actor=None,
            version=published(questionnaire),
            title="Final placements 2019/20",
            recipients=students[:3],
            base_url="https://practica.test",
        )
    with worker_dies_after(1):
        held.run()
    assert len(mail.outbox) == 1
    assert held.run() == 2  # the same task, handed out again: the two not e-mailed yet
    assert held.run() == 0  # and again: nobody is e-mailed twice
    assert outbox_to(mail.outbox) == sorted(s.email for s in students[:3])
    assert not any(message.subject.startswith("Reminder") for message in mail.outbox)
    assert all(services.invitation_for_token(token) for token in links_in(mail.outbox))
    assert sorted(distribution.invitations.values_list("sent_count", flat=True)) == [1, 1, 1]


def test_a_reminder_whose_worker_dies_part_way_reminds_each_person_once_when_run_again(
    questionnaire: Questionnaire,
    students: list[Person],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    distribution = send(questionnaire, students[:3])
    with tasks_held() as held, django_capture_on_commit_callbacks(execute=True):
        services.remind(actor=None, distribution=distribution, base_url="https://practica.test")
    with worker_dies_after(2):
        held.run()
    held.run()
    held.run()
    assert outbox_to(mail.outbox) == sorted(s.email for s in students[:3])
    assert all(services.invitation_for_token(token) for token in links_in(mail.outbox))
