"""Background work of the learning app, run by the database-backed worker."""

from __future__ import annotations

from django.core.mail import mailers
from django.tasks import task


@task()
def send_survey_mailing(mailing_id: int, link: str) -> int:
    """Sends one mailing's e-mails over one connection; returns how many were sent."""
    from practica.learning.models import CpdNeedsSurveyMailing
    from practica.learning.services import survey_mailing_messages

    mailing = CpdNeedsSurveyMailing.objects.select_related("survey__academic_year").get(
        pk=mailing_id
    )
    messages = survey_mailing_messages(mailing, link)
    with mailers["default"] as connection:  # one connection for the whole mailing
        return connection.send_messages(messages) or 0
