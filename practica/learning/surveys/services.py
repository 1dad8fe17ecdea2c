"""Every write to the CPD-needs survey: the survey and its topics, the answers, and each
mailing (sent from the background worker, or recorded from an import)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from practica.core import academic_years
from practica.core.audit import delete_audited, save_audited
from practica.core.models import Partnership, Person
from practica.core.services import ensure_academic_year
from practica.learning.surveys.models import (
    CpdNeedsRating,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsSurveyDelivery,
    CpdNeedsSurveyMailing,
    CpdNeedsTopic,
    PreferredFormat,
)
from practica.learning.surveys.selectors import survey_recipients

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"

if TYPE_CHECKING:
    from practica.accounts.models import User


@transaction.atomic
def create_cpd_needs_survey(
    *,
    actor: User | None,
    partnership: Partnership,
    academic_year: str,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    topics: Sequence[str],
) -> CpdNeedsSurvey:
    """Creates the partnership's survey for an academic year (written like 2019/20).

    Refuses a malformed academic year, a second survey for the same year, a closing date before
    the opening date, no topics, and the same topic twice.
    """
    try:
        start_year = academic_years.parse_academic_year(academic_year)
    except ValidationError as error:
        raise ValidationError({"academic_year": error.messages}) from error
    names = _topic_names(topics)
    year = ensure_academic_year(start_year=start_year)
    if (
        CpdNeedsSurvey.objects.unscoped(SERVICE)
        .filter(partnership=partnership, academic_year=year)
        .exists()
    ):
        raise ValidationError(
            {"academic_year": f"There is already a CPD-needs survey for {year.label}."}
        )
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "The survey must close on or after the day it opens."})
    survey = save_audited(
        CpdNeedsSurvey(
            partnership=partnership,
            academic_year=year,
            title=title.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor,
        ),
        actor=actor,
    )
    for position, name in enumerate(names, start=1):
        save_audited(CpdNeedsTopic(survey=survey, name=name, position=position), actor=actor)
    return survey


def _topic_names(topics: Sequence[str]) -> list[str]:
    names = [name.strip() for name in topics if name.strip()]
    if not names:
        raise ValidationError({"topics": "Give at least one topic, one on each line."})
    repeated = sorted(
        {name for name in names if [n.lower() for n in names].count(name.lower()) > 1}
    )
    if repeated:
        raise ValidationError(
            {"topics": f"Each topic once, please: {', '.join(repeated)} is repeated."}
        )
    return names


@transaction.atomic
def update_cpd_needs_survey(
    *,
    actor: User | None,
    survey: CpdNeedsSurvey,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    topics: Sequence[str],
) -> CpdNeedsSurvey:
    """Changes the survey's title, dates and topics (in the order given; a topic is matched by
    name, without regard to case). Refuses what creating refuses, and dropping a topic that
    people have already rated."""
    names = _topic_names(topics)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "The survey must close on or after the day it opens."})
    existing = {topic.name.lower(): topic for topic in survey.topics.all()}
    dropped = [
        topic.name
        for key, topic in existing.items()
        if key not in {name.lower() for name in names} and topic.ratings.exists()
    ]
    if dropped:
        raise ValidationError(
            {"topics": f"People have already rated {', '.join(dropped)}; keep it in the survey."}
        )
    survey.title, survey.opens_on, survey.closes_on = title.strip(), opens_on, closes_on
    save_audited(survey, actor=actor)
    wanted = {name.lower() for name in names}
    for key, topic in existing.items():
        if key not in wanted:
            delete_audited(topic, actor=actor)
    for position, name in enumerate(names, start=1):
        topic = existing.get(name.lower()) or CpdNeedsTopic(survey=survey)
        if topic.pk is None or (topic.name, topic.position) != (name, position):
            topic.name, topic.position = name, position
            save_audited(topic, actor=actor)
    return survey


@transaction.atomic
def submit_cpd_needs_response(
    *,
    actor: User | None,
    survey: CpdNeedsSurvey,
    person: Person,
    interest: Mapping[int, int],
    preferred_format: str,
    comments: str = "",
    submitted_at: datetime.datetime | None = None,
) -> CpdNeedsResponse:
    """Records one person's answers: ``interest`` maps each topic's id to 1–5. Answers given
    earlier (from an import) carry their ``submitted_at``, which must fall while the survey was
    open.

    Refuses a survey that is not open today, a person outside the survey's partnership, a second
    response from the same person, a missing or out-of-range rating for any topic, and an
    unknown preferred format.
    """
    submitted_at = submitted_at or timezone.now()
    if not survey.is_open_on(timezone.localdate(submitted_at)):
        raise ValidationError(
            f"This survey is open from {survey.opens_on:%-d %B %Y} to {survey.closes_on:%-d %B %Y}."
        )
    if person.organisation.partnership_id != survey.partnership_id:
        raise ValidationError("This survey is for people of another partnership.")
    if CpdNeedsResponse.objects.filter(survey=survey, person=person).exists():
        raise ValidationError(f"{person.full_name} has already answered this survey.")
    errors: dict[str, str] = {}
    topics = list(survey.topics.all())
    for topic in topics:
        value = interest.get(topic.pk)
        if value is None:
            errors[f"topic_{topic.pk}"] = f"Say how much you want CPD on {topic.name}."
        elif not 1 <= value <= 5:
            errors[f"topic_{topic.pk}"] = f"Rate {topic.name} from 1 to 5."
    unknown = set(interest) - {topic.pk for topic in topics}
    if unknown:
        errors["__all__"] = "Some answers are for topics this survey does not ask about."
    if preferred_format not in PreferredFormat.values:
        errors["preferred_format"] = "Choose how you prefer to learn: forum, workshop or online."
    if errors:
        raise ValidationError(errors)
    try:
        response = save_audited(
            CpdNeedsResponse(
                survey=survey,
                person=person,
                organisation=person.organisation,
                preferred_format=preferred_format,
                comments=comments.strip(),
                submitted_at=submitted_at,
            ),
            actor=actor,
        )
    except ValidationError as error:
        raise ValidationError(f"{person.full_name} has already answered this survey.") from error
    ratings = [
        CpdNeedsRating(response=response, topic=topic, interest=interest[topic.pk])
        for topic in topics
    ]
    try:
        bulk_create_with_history(ratings, CpdNeedsRating, default_user=actor)
    except IntegrityError as error:  # pragma: no cover - values were checked above
        raise ValidationError("These answers could not be saved; please try again.") from error
    return response


@transaction.atomic
def send_cpd_needs_survey(
    *,
    actor: User | None,
    survey: CpdNeedsSurvey,
    base_url: str = "",
    today: datetime.date | None = None,
) -> CpdNeedsSurveyMailing:
    """E-mails the survey's link to every practice educator of the partnership who has not
    answered it (the first time, or as a reminder); the e-mails go out from the background
    worker once this is committed. Records who was sent it, when and by whom.

    Refuses a survey that is not open today and one that nobody is left to answer.
    """
    today = today or timezone.localdate()
    if not survey.is_open_on(today):
        raise ValidationError(
            f"The survey is open from {survey.opens_on:%-d %B %Y} to {survey.closes_on:%-d %B %Y}; "
            "send it while it is open."
        )
    people = list(survey_recipients(survey))
    if not people:
        raise ValidationError(
            "Every practice educator with an e-mail address has answered: nobody is left to send "
            "it to."
        )
    mailing = CpdNeedsSurveyMailing.objects.create(survey=survey, sent_by=actor)
    mailing.recipients.set(people)
    link = base_url + reverse("learning:survey-respond", args=[survey.pk])
    transaction.on_commit(lambda: send_survey_mailing.enqueue(mailing.pk, link))
    return mailing


@transaction.atomic
def record_survey_mailing(
    *,
    actor: User | None,
    survey: CpdNeedsSurvey,
    sent_at: datetime.datetime,
    sent_by: User | None,
    recipients: Sequence[Person],
) -> CpdNeedsSurveyMailing:
    """Records a mailing from an earlier record (an import), found by its time; sends nothing.
    Refuses recipients from outside the survey's partnership."""
    outside = [p for p in recipients if p.organisation.partnership_id != survey.partnership_id]
    if outside:
        raise ValidationError(
            {"recipients": f"{outside[0].full_name} is not in the survey's partnership."}
        )
    mailing = survey.mailings.filter(sent_at=sent_at).first() or CpdNeedsSurveyMailing(
        survey=survey, sent_at=sent_at
    )
    mailing.sent_by = sent_by
    mailing.save()
    mailing.recipients.set(recipients)
    # an earlier mailing's e-mails went: a retried send_survey_mailing must not send them
    mailing.deliveries.exclude(person__in=recipients).delete()
    CpdNeedsSurveyDelivery.objects.bulk_create(
        [CpdNeedsSurveyDelivery(mailing=mailing, person=p, sent_at=sent_at) for p in recipients],
        ignore_conflicts=True,
    )
    return mailing


def survey_mailing_messages(
    mailing: CpdNeedsSurveyMailing, link: str
) -> list[tuple[Person, EmailMessage]]:
    """The e-mails of one mailing not sent yet, one per recipient (nobody sees the others'
    addresses), each with its recipient."""
    survey = mailing.survey
    reminder = survey.mailings.filter(sent_at__lt=mailing.sent_at).exists()
    subject = f"{'Reminder: ' if reminder else ''}{survey.title} {survey.academic_year.label}"
    waiting = mailing.recipients.exclude(pk__in=mailing.deliveries.values("person_id")).order_by(
        "email"
    )
    return [
        (
            person,
            EmailMessage(
                subject=subject,
                body=(
                    f"Dear {person.first_name},\n\n"
                    f"{'This is a reminder: ' if reminder else ''}the partnership asks every "
                    f"practice educator which CPD they need this year. The survey takes a few "
                    f"minutes and is open until {survey.closes_on:%-d %B %Y}.\n\n"
                    f"Answer it here (sign in first): {link}\n"
                ),
                to=[person.email],
            ),
        )
        for person in waiting
    ]


@task()
def send_survey_mailing(mailing_id: int, link: str) -> int:
    """The background worker's job: sends one mailing's e-mails over one connection;
    returns how many were sent.

    Idempotent when retried: each e-mail is recorded as sent (a ``CpdNeedsSurveyDelivery``)
    in the transaction that sends it, committed only once it has gone, and a recipient with a
    record is left alone; so a worker that dies between two e-mails leaves the rest to the
    retry (the way ``questionnaires.services.send_links`` is)."""
    mailing = CpdNeedsSurveyMailing.objects.select_related("survey__academic_year").get(
        pk=mailing_id
    )
    sent = 0
    with mailers["default"] as connection:  # one connection for the whole mailing
        for person, message in survey_mailing_messages(mailing, link):
            with transaction.atomic():
                _, first = CpdNeedsSurveyDelivery.objects.get_or_create(
                    mailing=mailing, person=person
                )
                if first:  # not sent by an earlier try that is still running or has finished
                    sent += connection.send_messages([message]) or 0
    return sent
