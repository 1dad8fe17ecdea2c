"""Forms: answering a version (one field per question, named by its code), and the modest
editor's forms (a questionnaire, a section, a question), and sending."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from practica.core.forms import GovUKForm, style
from practica.core.models import Person
from practica.questionnaires.models import Question, QuestionnaireVersion, QuestionType
from practica.questionnaires.services import (
    RawAnswer,
    missing_message,
    parse_answers,
    questions_of,
)


class AnswerForm(GovUKForm):
    """One field per question, named by its code. Saving answers to return to later
    (``sending=False``) asks for none of them; sending them asks for the required ones (and
    the service checks again, with the same messages)."""

    def __init__(
        self,
        *args: Any,
        version: QuestionnaireVersion,
        saved: Mapping[str, RawAnswer] | None = None,
        sending: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, initial=dict(saved or {}), **kwargs)
        self.questions = questions_of(version)
        for question in self.questions:
            field = _field(question)
            field.required = question.required and sending
            field.error_messages["required"] = missing_message(question)
            self.fields[question.code] = field
        self.version = version
        style(self)

    def clean(self) -> dict[str, Any]:
        """Checks each answer's value as the service will (a number that is not one is named
        with the questions left unanswered)."""
        cleaned = super().clean() or {}
        try:
            parse_answers(self.version, self.answers(), complete=False)
        except ValidationError as error:
            for code, messages in error.message_dict.items():
                if code in self.fields and code not in self.errors:
                    self.add_error(code, messages)
        return cleaned

    def answers(self) -> dict[str, RawAnswer]:
        answers: dict[str, RawAnswer] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.code) if hasattr(self, "cleaned_data") else None
            if value in (None, "", []):
                continue
            answers[question.code] = list(value) if isinstance(value, list) else str(value)
        return answers

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields grouped by section, in order, for the page's headings."""
        grouped: list[tuple[Any, list[forms.BoundField]]] = []
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.section:
                grouped.append((question.section, []))
            grouped[-1][1].append(self[question.code])
        return grouped


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.help_text,
    }
    if question.type == QuestionType.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if question.type == QuestionType.NUMBER:
        # read as text: the service says what is wrong with a number, naming the question
        return forms.CharField(
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
            **common,
        )
    if question.type == QuestionType.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=question.options(), widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=question.options(), widget=forms.RadioSelect, **common)


class QuestionnaireForm(GovUKForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Anonymous: keep answers with no link to who gave them",
        help_text="Decide before sending it: it cannot change once people have been asked.",
    )


class SectionForm(GovUKForm):
    title = forms.CharField(max_length=200, label="Section title")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class QuestionForm(GovUKForm):
    section = forms.TypedChoiceField(coerce=int, label="Section")
    text = forms.CharField(max_length=500, label="Question")
    help_text = forms.CharField(max_length=500, required=False, label="Hint (optional)")
    type = forms.ChoiceField(
        choices=QuestionType.choices, widget=forms.RadioSelect, label="Kind of answer"
    )
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Answers to choose from",
        help_text=(
            "One on each line, for one- and several-choice questions. For a scale from 1 to 5, "
            "five labels from 1 to 5, or leave it empty for Strongly disagree to Strongly agree."
        ),
    )
    required = forms.BooleanField(required=False, initial=True, label="An answer is required")

    def __init__(self, *args: Any, sections: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(section.pk, section.title) for section in sections]

    def choice_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class PersonChoiceField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.organisation.name})"


class DistributeForm(GovUKForm):
    title = forms.CharField(
        max_length=200, help_text="Says what it is about, for example Final placements 2019/20."
    )
    academic_year = forms.CharField(
        max_length=9, required=False, help_text="For example, 2019/20 (optional)"
    )
    closes_on = forms.DateField(
        label="Links work until",
        help_text="For example, 31/5/2020",
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter a date like 31/5/2020"},
    )
    people = PersonChoiceField(
        queryset=Person.objects.none(),  # the viewer's, set in __init__
        widget=forms.CheckboxSelectMultiple,
        label="Who to ask",
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = people

    def closes_at(self) -> datetime.datetime:
        day: datetime.date = self.cleaned_data["closes_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
