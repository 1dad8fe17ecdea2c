"""The forms of the CPD-needs survey: setting it up, changing it, and answering it."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from practica.core.forms import GovUKForm, style
from practica.learning.date_fields import DateField, finish_styling
from practica.learning.surveys.models import CpdNeedsSurvey, PreferredFormat


class SurveyForm(GovUKForm):
    title = forms.CharField(max_length=200, initial="Practice educator CPD needs")
    academic_year = forms.CharField(
        max_length=9,
        label="Academic year",
        help_text="For example, 2019/20",
    )
    opens_on = DateField(label="Opening date", help_text="For example, 1 10 2019")
    closes_on = DateField(label="Closing date", help_text="For example, 31 10 2019")
    topics = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One topic on each line, for example Reflective supervision.",
    )

    WIDTHS: ClassVar[dict[str, str]] = {"academic_year": "govuk-input--width-5"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finish_styling(self, self.WIDTHS, "opens_on", "closes_on")

    def full_clean(self) -> None:
        super().full_clean()
        finish_styling(self, self.WIDTHS, "opens_on", "closes_on")

    def topic_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["topics"].splitlines() if line.strip()]


class SurveyChangeForm(SurveyForm):
    """The same questions, but the academic year stays: each year has its own survey."""

    WIDTHS: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["academic_year"]
        self.fields["topics"].help_text = (
            "One topic on each line. Topics people have already rated must stay; new ones are "
            "asked of those who answer from now on."
        )


INTEREST_CHOICES = [
    ("1", "1 – not needed"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 – needed very much"),
]


class SurveyResponseForm(GovUKForm):
    """One radio group per topic (1 to 5), the preferred format and comments."""

    preferred_format = forms.ChoiceField(
        label="How do you prefer to learn?",
        choices=PreferredFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you prefer to learn"},
    )
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=2000,
        label="Anything else you would like from CPD?",
        help_text="Do not name students or people who use services.",
    )

    def __init__(self, *args: Any, survey: CpdNeedsSurvey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics = list(survey.topics.all())
        topic_fields = {
            f"topic_{topic.pk}": forms.ChoiceField(
                label=f"How much do you want CPD on {topic.name}?",
                choices=INTEREST_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say how much you want CPD on {topic.name}"},
            )
            for topic in self.topics
        }
        self.fields = {**topic_fields, **self.fields}
        style(self)

    def interest(self) -> dict[int, int]:
        return {topic.pk: int(self.cleaned_data[f"topic_{topic.pk}"]) for topic in self.topics}
