"""Every write to questionnaires: definitions and their versions, sending links, answers.

Who may call what is the caller's to check (``rules.py``: MANAGE for definitions, DISTRIBUTE for
sending); the respondent's own writes need no account, only a valid link
(``invitation_for_token``).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from practica.accounts.models import hash_token
from practica.core.audit import delete_audited, save_audited
from practica.core.models import AcademicYear, Organisation, Partnership, Person
from practica.questionnaires.models import (
    CHOICE_TYPES,
    PUBLISHED,
    Answer,
    Choice,
    Distribution,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    QuestionType,
    Response,
    Section,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

LINK_LIFETIME = datetime.timedelta(days=28)
NUMBER_LIMIT = Decimal("9999999999")

# how an export names a response that came through a link (it has no reference of its own)
PSEUDONYM_PREFIX = "R-"

# An answer as a form or a file gives it: the chosen value(s), a number or text, as text.
RawAnswer = str | Sequence[str]


# --- definitions and versions -----------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    *,
    actor: User | None,
    partnership: Partnership,
    organisation: Organisation | None,
    name: str,
    slug: str = "",
    description: str = "",
    anonymous: bool = False,
) -> Questionnaire:
    """Creates the questionnaire with an empty draft version 1. ``organisation`` None: the
    whole partnership's."""
    questionnaire = save_audited(
        Questionnaire(
            partnership=partnership,
            organisation=organisation,
            name=name.strip(),
            slug=slugify(slug or name)[:80],
            description=description.strip(),
            anonymous=anonymous,
        ),
        actor=actor,
    )
    save_audited(QuestionnaireVersion(questionnaire=questionnaire, number=1), actor=actor)
    return questionnaire


@transaction.atomic
def update_questionnaire(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    name: str,
    description: str = "",
    anonymous: bool | None = None,
) -> Questionnaire:
    """Renames it and changes its description; whether it is anonymous may change only until
    it is first sent (people were told how their answers would be kept)."""
    if anonymous is not None and anonymous != questionnaire.anonymous:
        sent = Distribution.objects.filter(version__questionnaire=questionnaire).exists()
        if sent:
            raise ValidationError(
                {"anonymous": "People have been sent this questionnaire; it stays as it is."}
            )
        questionnaire.anonymous = anonymous
    questionnaire.name, questionnaire.description = name.strip(), description.strip()
    return save_audited(questionnaire, actor=actor)


def latest_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    version = questionnaire.versions.order_by("-number").first()
    assert version is not None  # created with version 1
    return version


def latest_published(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.filter(published_at__isnull=False).order_by("-number").first()


@transaction.atomic
def draft_version(*, actor: User | None, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The version to edit: the draft if there is one, or else a new draft copied from the
    last version (its sections, questions and choices, keeping the questions' codes)."""
    last = latest_version(questionnaire)
    if not last.is_published:
        return last
    draft = save_audited(
        QuestionnaireVersion(questionnaire=questionnaire, number=last.number + 1), actor=actor
    )
    for section in last.sections.prefetch_related("questions__choices"):
        copy = save_audited(
            Section(
                version=draft,
                title=section.title,
                description=section.description,
                position=section.position,
            ),
            actor=actor,
        )
        for question in section.questions.all():
            new_question = save_audited(
                Question(
                    section=copy,
                    code=question.code,
                    text=question.text,
                    help_text=question.help_text,
                    type=question.type,
                    required=question.required,
                    position=question.position,
                ),
                actor=actor,
            )
            for choice in question.choices.all():
                save_audited(
                    Choice(
                        question=new_question,
                        value=choice.value,
                        label=choice.label,
                        position=choice.position,
                    ),
                    actor=actor,
                )
    return draft


@transaction.atomic
def add_version(
    *, actor: User | None, questionnaire: Questionnaire, number: int
) -> QuestionnaireVersion:
    """An empty draft version with this number (for versions loaded from a file, which say
    their own questions); refuses a number already used."""
    return save_audited(
        QuestionnaireVersion(questionnaire=questionnaire, number=number), actor=actor
    )


def _refuse_published(version: QuestionnaireVersion) -> None:
    if version.is_published:
        raise ValidationError(PUBLISHED)


@transaction.atomic
def add_section(
    *, actor: User | None, version: QuestionnaireVersion, title: str, description: str = ""
) -> Section:
    _refuse_published(version)
    last = version.sections.aggregate(last=models.Max("position"))["last"] or 0
    return save_audited(
        Section(
            version=version,
            title=title.strip(),
            description=description.strip(),
            position=last + 1,
        ),
        actor=actor,
    )


@transaction.atomic
def add_question(
    *,
    actor: User | None,
    section: Section,
    text: str,
    type: str,
    code: str = "",
    help_text: str = "",
    required: bool = True,
    choices: Sequence[str] = (),
) -> Question:
    """Adds a question at the end of ``section``. ``choices``: the answers to choose from
    (one- and several-choice questions, at least two), or the scale's five labels from 1 to 5
    (optional; the usual agree–disagree labels otherwise)."""
    _refuse_published(section.version)
    if type not in QuestionType.values:
        raise ValidationError({"type": "Choose a kind of question."})
    labels = [label.strip() for label in choices if label.strip()]
    if type in CHOICE_TYPES and len(labels) < 2:
        raise ValidationError({"choices": "Give at least two answers to choose from."})
    if type == QuestionType.LIKERT and labels and len(labels) != 5:
        raise ValidationError({"choices": "Give five labels, for 1 to 5, or none."})
    if type not in CHOICE_TYPES | {QuestionType.LIKERT} and labels:
        raise ValidationError({"choices": "Only choice questions and scales have answers to list."})
    values = [slugify(label)[:60] or f"choice-{n}" for n, label in enumerate(labels, start=1)]
    if type in CHOICE_TYPES and len(set(values)) != len(values):
        raise ValidationError({"choices": "Give each answer once."})
    version = section.version
    code = slugify(code or text)[:60] or "question"
    taken = set(Question.objects.filter(section__version=version).values_list("code", flat=True))
    base, n = code, 1
    while code in taken:
        n += 1
        code = f"{base[:56]}-{n}"
    last = section.questions.aggregate(last=models.Max("position"))["last"] or 0
    question = save_audited(
        Question(
            section=section,
            code=code,
            text=text.strip(),
            help_text=help_text.strip(),
            type=type,
            required=required,
            position=last + 1,
        ),
        actor=actor,
    )
    if type == QuestionType.LIKERT:
        values = [str(point) for point in range(1, len(labels) + 1)]
    for position, (value, label) in enumerate(zip(values, labels, strict=True), start=1):
        save_audited(
            Choice(question=question, value=value, label=label, position=position), actor=actor
        )
    return question


@transaction.atomic
def update_question(
    *,
    actor: User | None,
    question: Question,
    text: str,
    type: str,
    help_text: str = "",
    required: bool = True,
    choices: Sequence[str] = (),
) -> Question:
    """Changes a draft's question (its code stays); its choices are replaced by ``choices``."""
    section, code, position = question.section, question.code, question.position
    _refuse_published(section.version)
    delete_audited(question, actor=actor)
    changed = add_question(
        actor=actor,
        section=section,
        text=text,
        type=type,
        code=code,
        help_text=help_text,
        required=required,
        choices=choices,
    )
    changed.position = position
    return save_audited(changed, actor=actor)


@transaction.atomic
def remove_question(*, actor: User | None, question: Question) -> None:
    _refuse_published(question.section.version)
    delete_audited(question, actor=actor)


@transaction.atomic
def remove_section(*, actor: User | None, section: Section) -> None:
    _refuse_published(section.version)
    delete_audited(section, actor=actor)


@transaction.atomic
def publish_version(
    *,
    actor: User | None,
    version: QuestionnaireVersion,
    published_at: datetime.datetime | None = None,
) -> QuestionnaireVersion:
    """Publishes a draft: from now on it may be sent, and it never changes. ``published_at``:
    when it was published, for a version loaded from a file (now otherwise)."""
    _refuse_published(version)
    if not Question.objects.filter(section__version=version).exists():
        raise ValidationError("Add at least one question before publishing.")
    version.published_at = published_at or timezone.now()
    return save_audited(version, actor=actor)


# --- sending links ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone to ask, and optionally the record they are asked about (a domain's subject)."""

    person: Person
    subject: models.Model | None = None


@transaction.atomic
def distribute(
    *,
    actor: User | None,
    version: QuestionnaireVersion,
    title: str,
    recipients: Iterable[Recipient | Person],
    closes_at: datetime.datetime | None = None,
    academic_year: AcademicYear | None = None,
    base_url: str = "",
    send: bool = True,
) -> Distribution:
    """Sends a published version to people: each gets a personal link by e-mail (from the
    background worker, once this is committed). The links stop working at ``closes_at``
    (four weeks from now unless given).

    Refuses a draft, nobody to send to, someone without an e-mail address, someone of
    another partnership, the same person twice about the same subject, and a closing time in
    the past.
    """
    if not version.is_published:
        raise ValidationError("Publish this version before sending it.")
    questionnaire = version.questionnaire
    closes_at = closes_at or timezone.now() + LINK_LIFETIME
    if closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": "The links must stay open for a while: choose a later closing date."}
        )
    wanted = [r if isinstance(r, Recipient) else Recipient(r) for r in recipients]
    if not wanted:
        raise ValidationError({"recipients": "Choose at least one person to send it to."})
    errors = []
    seen: set[tuple[int, Any]] = set()
    for recipient in wanted:
        person = recipient.person
        if not person.email:
            errors.append(f"{person.full_name} has no e-mail address.")
        if person.organisation.partnership_id != questionnaire.partnership_id:
            errors.append(f"{person.full_name} is not in the questionnaire's partnership.")
        key = (person.pk, _subject_key(recipient.subject))
        if key in seen:
            errors.append(f"{person.full_name} is on the list twice.")
        seen.add(key)
    if errors:
        raise ValidationError({"recipients": errors})
    distribution = save_audited(
        Distribution(
            version=version,
            title=title.strip(),
            academic_year=academic_year,
            closes_at=closes_at,
            created_by=actor,
        ),
        actor=actor,
    )
    ids = []
    for recipient in wanted:
        invitation = Invitation(
            distribution=distribution,
            person=recipient.person,
            token_hash=hash_token(secrets.token_urlsafe(32)),  # replaced when e-mailed
        )
        invitation.set_subject(recipient.subject)
        ids.append(save_audited(invitation, actor=actor).pk)
    if send:
        transaction.on_commit(lambda: send_links.enqueue(ids, base_url, [0] * len(ids)))
    return distribution


def _subject_key(subject: models.Model | None) -> Any:
    return None if subject is None else (subject._meta.label_lower, subject.pk)


def waiting_invitations(distribution: Distribution) -> models.QuerySet[Invitation]:
    """The links of ``distribution`` not used yet."""
    return distribution.invitations.filter(used=False)


@transaction.atomic
def remind(*, actor: User | None, distribution: Distribution, base_url: str = "") -> int:
    """E-mails a fresh link to everyone who has not sent their answers (their earlier link
    stops working; answers they saved wait for them). Returns how many are reminded.

    Refuses a closed distribution and one that everybody has answered."""
    if distribution.is_closed:
        raise ValidationError("The links have closed; send the questionnaire again instead.")
    waiting = list(waiting_invitations(distribution).values_list("pk", "sent_count"))
    if not waiting:
        raise ValidationError("Everybody has answered: nobody is left to remind.")
    ids, counts = [pk for pk, _ in waiting], [count for _, count in waiting]
    transaction.on_commit(lambda: send_links.enqueue(ids, base_url, counts))
    return len(ids)


@transaction.atomic
def remind_invitations(
    *, actor: User | None, invitations: models.QuerySet[Invitation], base_url: str = ""
) -> int:
    """E-mails a fresh link to each of ``invitations`` not used yet whose distribution is
    still open (a domain's chosen links, across distributions: every link about its records,
    say). Returns how many are reminded; refuses when there is nobody left to remind."""
    waiting = list(
        invitations.filter(used=False, distribution__closes_at__gt=timezone.now()).values_list(
            "pk", "sent_count"
        )
    )
    if not waiting:
        raise ValidationError(
            "Nobody is left to remind: everyone has answered or the links have closed."
        )
    ids, counts = [pk for pk, _ in waiting], [count for _, count in waiting]
    transaction.on_commit(lambda: send_links.enqueue(ids, base_url, counts))
    return len(ids)


def issue_token(invitation: Invitation) -> str:
    """A fresh token for ``invitation``; the earlier one stops working. Only its hash is kept
    (not in history), so the raw token lives only in the e-mail."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=hash_token(token), sent_count=models.F("sent_count") + 1
    )
    invitation.token_hash = hash_token(token)
    return token


def link_message(invitation: Invitation, token: str, base_url: str) -> EmailMessage:
    distribution = invitation.distribution
    questionnaire = distribution.version.questionnaire
    reminder = invitation.sent_count > 0
    link = base_url + reverse("questionnaires:respond", args=[token])
    anonymity = (
        "Your answers are kept anonymous: nobody, not even Practica's administrators, can see "
        "which answers are yours.\n\n"
        if questionnaire.anonymous
        else ""
    )
    return EmailMessage(
        subject=f"{'Reminder: ' if reminder else ''}{questionnaire.name}",
        body=(
            f"Dear {invitation.person.first_name},\n\n"
            f"{questionnaire.owner_name} asks you to answer {questionnaire.name} "
            f"({distribution.title}). You do not need to sign in.\n\n"
            f"{anonymity}"
            f"Answer it here: {link}\n\n"
            f"The link is yours alone; you can save your answers and come back to them. It "
            f"works until {timezone.localtime(distribution.closes_at):%-d %B %Y}, and stops "
            f"working once you have sent your answers or when a newer reminder is sent.\n"
        ),
        to=[invitation.person.email],
    )


@task()
def send_links(
    invitation_ids: list[int], base_url: str, sent_counts: list[int] | None = None
) -> int:
    """The background worker's job: gives each waiting link a fresh token and e-mails it, over
    one connection. The tokens never pass through the task queue. Returns how many were sent.

    Idempotent when retried: ``sent_counts`` are the links' ``sent_count`` when the task was
    queued (in the order of ``invitation_ids``); a link whose count has moved on was e-mailed
    already (by this task before its worker stopped, or by a newer one) and is left alone. Each
    link's new token and count are committed only once its e-mail has gone, so a worker that
    dies between two e-mails leaves the rest to the retry."""
    expected = dict(zip(invitation_ids, sent_counts, strict=True)) if sent_counts else None
    ids = list(
        Invitation.objects.filter(pk__in=invitation_ids, used=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    with mailers["default"] as connection:
        for pk in ids:
            with transaction.atomic():
                invitation = (
                    Invitation.objects.select_for_update(of=("self",))
                    .select_related("person", "distribution__version__questionnaire__organisation")
                    .filter(pk=pk, used=False)
                    .first()
                )
                if invitation is None:
                    continue
                if expected is not None and invitation.sent_count != expected[pk]:
                    continue
                sent_before = invitation.sent_count
                token = issue_token(invitation)
                invitation.sent_count = sent_before
                sent += connection.send_messages([link_message(invitation, token, base_url)]) or 0
    return sent


def invitation_for_token(token: str) -> Invitation | None:
    """The unused link behind ``token`` while its distribution is open; None otherwise."""
    invitation = (
        Invitation.objects.select_related(
            "person__organisation",
            "distribution__academic_year",
            "distribution__version__questionnaire__organisation",
            "distribution__version__questionnaire__partnership",
        )
        .filter(token_hash=hash_token(token), used=False)
        .first()
    )
    if invitation is None or invitation.is_expired:
        return None
    return invitation


# --- answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    number: Decimal | None = None
    chosen: tuple[str, ...] = ()
    text: str = ""

    @property
    def is_blank(self) -> bool:
        return self.number is None and not self.chosen and not self.text


def questions_of(version: QuestionnaireVersion) -> list[Question]:
    return list(
        Question.objects.filter(section__version=version)
        .select_related("section")
        .prefetch_related("choices")
        .order_by("section__position", "section__pk", "position", "pk")
    )


def parse_answers(
    version: QuestionnaireVersion, raw: Mapping[str, RawAnswer], *, complete: bool
) -> dict[str, Parsed]:
    """Each question's answer (by code) read from ``raw`` (code → text, or a list of values
    for several choices). ``complete``: every required question must be answered.

    Refuses, naming each question (the form's field is the question's code): an unanswered
    required question, a value that is not one of its choices, a number that is not one, and
    answers to questions the version does not ask."""
    errors: dict[str, str] = {}
    answers: dict[str, Parsed] = {}
    questions = questions_of(version)
    for question in questions:
        value = raw.get(question.code)
        try:
            parsed = _parse(question, value)
        except ValidationError as error:
            errors[question.code] = error.messages[0]
            continue
        if parsed.is_blank:
            if complete and question.required:
                errors[question.code] = missing_message(question)
            continue
        answers[question.code] = parsed
    unknown = sorted(set(raw) - {question.code for question in questions})
    if unknown:
        errors["__all__"] = f"This version does not ask {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)
    return answers


def missing_message(question: Question) -> str:
    if question.type in {QuestionType.TEXT, QuestionType.NUMBER}:
        return f"Answer “{question.text}”"
    if question.type == QuestionType.MULTIPLE:
        return f"Select at least one answer to “{question.text}”"
    return f"Select an answer to “{question.text}”"


def _parse(question: Question, value: RawAnswer | None) -> Parsed:
    values = [value] if isinstance(value, str) or value is None else list(value)
    values = [v.strip() for v in values if v is not None and v.strip()]
    if not values:
        return Parsed()
    if question.type == QuestionType.TEXT:
        text = "\n".join(values)
        if len(text) > 5000:
            raise ValidationError(f"Keep the answer to “{question.text}” under 5,000 characters")
        return Parsed(text=text)
    if question.type == QuestionType.NUMBER:
        try:
            number = Decimal(values[0].replace(",", ""))
        except InvalidOperation:
            raise ValidationError(f"Enter a number for “{question.text}”, like 12") from None
        if not number.is_finite() or abs(number) > NUMBER_LIMIT:
            raise ValidationError(f"Enter a number for “{question.text}”, like 12")
        return Parsed(number=number.quantize(Decimal("0.01")))
    options = question.options()
    allowed = [option for option, _label in options]
    # a value, or its label as a paper form has it ("Strongly agree")
    by_lower = {label.lower(): option for option, label in options}
    by_lower |= {option.lower(): option for option in allowed}
    chosen = []
    for item in values:
        option = by_lower.get(item.lower())
        if option is None:
            raise ValidationError(
                f"“{item}” is not an answer to “{question.text}”; choose from {', '.join(allowed)}"
            )
        if option not in chosen:
            chosen.append(option)
    if question.type != QuestionType.MULTIPLE and len(chosen) > 1:
        raise ValidationError(f"Choose one answer to “{question.text}”")
    if question.type == QuestionType.LIKERT:
        return Parsed(number=Decimal(chosen[0]))
    return Parsed(chosen=tuple(chosen))


def draft_answers(invitation: Invitation) -> dict[str, RawAnswer]:
    return dict(invitation.draft or {})


@transaction.atomic
def save_draft(*, invitation: Invitation, answers: Mapping[str, RawAnswer]) -> Invitation:
    """Keeps the answers given so far, for the respondent to come back to with the same link.
    Only the values are checked (not that required questions are answered). Not kept in
    history: nothing of a draft outlives sending the answers."""
    invitation = _locked(invitation)
    parse_answers(invitation.distribution.version, answers, complete=False)
    draft = {
        code: value if isinstance(value, str) else list(value) for code, value in answers.items()
    }
    Invitation.objects.filter(pk=invitation.pk).update(draft=draft)
    invitation.draft = draft
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update()
        .select_related("person__organisation", "distribution__version__questionnaire")
        .get(pk=invitation.pk)
    )
    if locked.used:
        raise ValidationError("These answers have been sent already; the link works once.")
    if locked.is_expired:
        raise ValidationError("This link has closed.")
    return locked


@transaction.atomic
def submit_response(*, invitation: Invitation, answers: Mapping[str, RawAnswer]) -> Response:
    """Records the respondent's answers and uses up their link.

    For an anonymous questionnaire the response keeps only the version, the respondent's
    organisation, the academic year and the day the questionnaire was sent; the link is marked
    used with no date and no history row, so nothing ties the two together (docs/0024)."""
    invitation = _locked(invitation)
    distribution = invitation.distribution
    version = distribution.version
    parsed = parse_answers(version, answers, complete=True)
    anonymous = version.questionnaire.anonymous
    person = invitation.person
    response = Response(
        version=version,
        organisation=person.organisation,
        academic_year=distribution.academic_year,
        # anonymous: the day it was sent, the same for everyone asked, so that the day of an
        # answer cannot be set against who had not answered when a reminder went out
        submitted_on=(
            timezone.localdate(distribution.created_at) if anonymous else timezone.localdate()
        ),
    )
    if not anonymous:
        response.person = person
        response.invitation = invitation
        response.subject_type_id = invitation.subject_type_id
        response.subject_id = invitation.subject_id
    _save_response(response, parsed, version)
    if anonymous:
        # no save(): a history row's time would tie the link to the response
        Invitation.objects.filter(pk=invitation.pk).update(used=True, draft={})
    else:
        invitation.used, invitation.draft = True, {}
        invitation._history_user = None  # type: ignore[attr-defined]  # simple_history reads it
        invitation.save(update_fields=["used", "draft"])
    return response


def _save_response(
    response: Response, parsed: Mapping[str, Parsed], version: QuestionnaireVersion
) -> Response:
    response.full_clean()
    response.save()
    by_code = {question.code: question for question in questions_of(version)}
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=by_code[code],
            number=answer.number,
            chosen=list(answer.chosen),
            text=answer.text,
        )
        for code, answer in parsed.items()
    )
    return response


@transaction.atomic
def submit_open_response(
    *,
    version: QuestionnaireVersion,
    answers: Mapping[str, RawAnswer],
    subject: models.Model,
    organisation: Organisation | None,
    academic_year: AcademicYear | None,
    submitted_on: datetime.date,
) -> Response:
    """Answers given through a link shown to a whole room (a teaching session's students): no
    person, link or invitation, so nothing names who answered; the response is about
    ``subject`` (the session, never a person) and dated ``submitted_on`` (the session's day,
    the same for everyone in the room). Only for a published, anonymous questionnaire."""
    if not version.is_published:
        raise ValidationError("Only a published version can be answered.")
    if not version.questionnaire.anonymous:
        raise ValidationError(
            "Only an anonymous questionnaire can be answered through an open link."
        )
    parsed = parse_answers(version, answers, complete=True)
    response = Response(
        version=version,
        organisation=organisation,
        academic_year=academic_year,
        submitted_on=submitted_on,
    )
    response.set_subject(subject)
    return _save_response(response, parsed, version)


@transaction.atomic
def record_response(
    *,
    actor: User | None,
    version: QuestionnaireVersion,
    answers: Mapping[str, RawAnswer],
    respondent_ref: str,
    organisation: Organisation | None = None,
    academic_year: AcademicYear | None = None,
    submitted_on: datetime.date | None = None,
    person: Person | None = None,
    subject: models.Model | None = None,
) -> Response:
    """Records answers given earlier (a paper or Word form loaded by an import), under the
    form's ``respondent_ref``. Answers may be partial: a paper form's blanks stay blank. Refuses
    a draft version, and a person or subject for an anonymous questionnaire."""
    if not version.is_published:
        raise ValidationError("Only a published version's answers can be loaded.")
    if version.questionnaire.anonymous and (person is not None or subject is not None):
        raise ValidationError("This questionnaire is anonymous: its answers name no one.")
    parsed = parse_answers(version, answers, complete=False)
    response = Response(
        version=version,
        organisation=organisation or (person.organisation if person else None),
        academic_year=academic_year,
        submitted_on=submitted_on or timezone.localdate(),
        person=person,
        respondent_ref=respondent_ref.strip(),
    )
    response.set_subject(subject)
    return _save_response(response, parsed, version)


@transaction.atomic
def set_answer(
    *, actor: User | None, response: Response, question: Question, value: RawAnswer
) -> Answer | None:
    """Sets one loaded answer (the import's row): replaces what the response held for the
    question, or removes it when ``value`` is blank. For imported responses only."""
    if not response.respondent_ref:
        raise ValidationError("Only answers loaded from a file can be changed.")
    parsed = parse_answers(response.version, {question.code: value}, complete=False)
    Answer.objects.filter(response=response, question=question).delete()
    if question.code not in parsed:
        return None
    answer = parsed[question.code]
    return Answer.objects.create(
        response=response,
        question=question,
        number=answer.number,
        chosen=list(answer.chosen),
        text=answer.text,
    )


def pseudonym(response: Response) -> str:
    """How a file names a response that has no reference of its own: from its random id, so
    it says nothing about who answered."""
    return f"{PSEUDONYM_PREFIX}{response.pk.hex}"
