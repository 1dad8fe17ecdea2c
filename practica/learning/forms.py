"""Forms for events and the CPD-needs survey (GOV.UK date input, radios and checkboxes)."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from practica.core.forms import GovUKForm, style
from practica.core.models import Location, Organisation
from practica.learning.events.models import Audience, Event, EventKind
from practica.learning.events.services import EventDetails
from practica.learning.surveys.models import CpdNeedsSurvey, PreferredFormat


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes in one fieldset."""

    template_name = "learning/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput() for _ in range(3)], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A real date from the GOV.UK date input, with GOV.UK's error messages."""

    widget = DateInput

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        name = label.lower()
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(
            fields,
            label=label,
            require_all_fields=False,
            error_messages={
                "required": f"Enter the {name}",
                "incomplete": f"The {name} must include a day, month and year",
                "invalid": f"The {name} must be a real date",
            },
            **kwargs,
        )

    def clean(self, value: Any) -> datetime.date | None:
        parts = [str(part).strip() if part is not None else "" for part in (value or [])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if len(parts) != 3 or not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(part) for part in parts)
            date = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 1990 <= date.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date

    def compress(self, data_list: list[Any]) -> None:  # clean() does the work
        raise NotImplementedError


class TimeField(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            input_formats=["%H:%M", "%H.%M", "%H%M"],
            help_text="Use the 24-hour clock, for example 09:30 or 14:00.",
            **kwargs,
        )


def _finish_styling(form: forms.BaseForm, widths: dict[str, str], *dates: str) -> None:
    """What core.forms.style does not do: narrow inputs, and the error class on the date boxes."""
    for name, width in widths.items():
        widget = form.fields[name].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {width}".strip()
    for name in dates:
        widget = form.fields[name].widget
        widget.attrs["class"] = "govuk-input--error" if name in (form._errors or {}) else ""  # type: ignore[attr-defined]


# the choices of an event form cross organisations by design (docs/0007-cpd-events-sharing.md)
PARTNERS = "an event's co-facilitators and venue may be any of its partnership's"


class EventForm(GovUKForm):
    """One day's event. The organiser is the coordinator's acting organisation."""

    kind = forms.ChoiceField(
        label="Type of event", choices=EventKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(max_length=200)
    theme = forms.CharField(
        max_length=200,
        required=False,
        help_text="For example reflective supervision, or unconscious bias.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    date = DateField(label="Date", help_text="For example, 27 2 2020")
    start_time = TimeField(label="Start time")
    end_time = TimeField(label="End time")
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        empty_label="No location",
        help_text="A location of the organising or a co-facilitating organisation.",
    )
    place = forms.CharField(
        max_length=300,
        required=False,
        label="Place",
        help_text="Or the venue in words, for example Medway campus, room 2.14.",
    )
    online_link = forms.URLField(
        max_length=500,
        required=False,
        label="Online meeting link",
        assume_scheme="https",
        error_messages={"invalid": "Enter the online link as a web address, like https://…"},
    )
    co_facilitators = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Co-facilitating organisations",
        widget=forms.CheckboxSelectMultiple,
        help_text="A quarterly joint forum needs at least one local authority and one university "
        "among the organisers.",
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=10_000,
        required=False,
        help_text="Places available. Leave empty for no limit.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": "Capacity must be at least 1 place (or leave it empty for no limit)",
            "invalid": "Enter the capacity as a whole number, like 40",
        },
    )
    audience = forms.ChoiceField(
        label="Who is it for?", choices=Audience.choices, widget=forms.RadioSelect
    )
    registration_open = forms.BooleanField(
        required=False, label="Registration is open", initial=True
    )

    def __init__(
        self, *args: Any, organisation: Organisation, instance: Event | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            starts = timezone.localtime(instance.starts_at)
            ends = timezone.localtime(instance.ends_at)
            kwargs.setdefault(
                "initial",
                {
                    "kind": instance.kind,
                    "title": instance.title,
                    "theme": instance.theme,
                    "description": instance.description,
                    "date": starts.date(),
                    "start_time": starts.strftime("%H:%M"),
                    "end_time": ends.strftime("%H:%M"),
                    "location": instance.location_id,
                    "place": instance.place,
                    "online_link": instance.online_link,
                    "co_facilitators": list(instance.co_facilitators.all()),
                    "capacity": instance.capacity,
                    "audience": instance.audience,
                    "registration_open": instance.registration_open,
                },
            )
        else:
            kwargs.setdefault("initial", {"audience": Audience.EVERYONE, "registration_open": True})
        super().__init__(*args, **kwargs)
        # any organisation of the partnership may co-facilitate, at any of its locations
        partnership_organisations = Organisation.objects.unscoped(PARTNERS).filter(
            partnership_id=organisation.partnership_id
        )
        self.fields["co_facilitators"].queryset = partnership_organisations.exclude(  # type: ignore[attr-defined]
            pk=organisation.pk
        ).order_by("name")
        self.fields["location"].queryset = (  # type: ignore[attr-defined]
            Location.objects.unscoped(PARTNERS)
            .filter(organisation__in=partnership_organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["location"].label_from_instance = (  # type: ignore[attr-defined]
            lambda location: f"{location.name} ({location.organisation.name})"
        )
        _finish_styling(self, self.WIDTHS, "date")

    WIDTHS = {
        "start_time": "govuk-input--width-5",
        "end_time": "govuk-input--width-5",
        "capacity": "govuk-input--width-4",
    }

    def full_clean(self) -> None:
        super().full_clean()
        _finish_styling(self, self.WIDTHS, "date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        return data

    def details(self) -> EventDetails:
        """The cleaned answers as the service takes them (times in the partnership's zone)."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return EventDetails(
            kind=data["kind"],
            title=data["title"],
            theme=data["theme"],
            description=data["description"],
            starts_at=datetime.datetime.combine(data["date"], data["start_time"], tzinfo=zone),
            ends_at=datetime.datetime.combine(data["date"], data["end_time"], tzinfo=zone),
            location=data["location"],
            place=data["place"],
            online_link=data["online_link"],
            co_facilitators=list(data["co_facilitators"]),
            capacity=data["capacity"],
            registration_open=data["registration_open"],
            audience=data["audience"],
        )


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
        _finish_styling(self, self.WIDTHS, "opens_on", "closes_on")

    def full_clean(self) -> None:
        super().full_clean()
        _finish_styling(self, self.WIDTHS, "opens_on", "closes_on")

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
