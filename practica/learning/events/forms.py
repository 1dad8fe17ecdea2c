"""The form a coordinator adds or changes an event with (GOV.UK date input, radios and
checkboxes)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from practica.core.forms import GovUKForm
from practica.core.models import Location, Organisation
from practica.learning.date_fields import DateField, TimeField, finish_styling
from practica.learning.events.models import Attendance, Audience, Event, EventKind
from practica.learning.events.services import EventDetails

# the choices of an event form cross organisations by design (docs/0007-cpd-events-sharing.md)
PARTNERS = "an event's co-facilitators and venue may be any of its partnership's"


class LocationField(forms.ModelChoiceField[Location]):
    """A location, named with its organisation's name (any organisation of the partnership)."""

    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} ({obj.organisation.name})"


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
    location = LocationField(
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
        co_facilitators = cast(
            "forms.ModelMultipleChoiceField[Organisation]", self.fields["co_facilitators"]
        )
        co_facilitators.queryset = partnership_organisations.exclude(pk=organisation.pk).order_by(
            "name"
        )
        cast(LocationField, self.fields["location"]).queryset = (
            Location.objects.unscoped(PARTNERS)
            .filter(organisation__in=partnership_organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        finish_styling(self, self.WIDTHS, "date")

    WIDTHS = {
        "start_time": "govuk-input--width-5",
        "end_time": "govuk-input--width-5",
        "capacity": "govuk-input--width-4",
    }

    def full_clean(self) -> None:
        super().full_clean()
        finish_styling(self, self.WIDTHS, "date")

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


class UpdateTrainingForm(GovUKForm):
    kinds = forms.MultipleChoiceField(
        label="Which kinds of event count as update training?",
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Attending one moves a practice educator's last update training to the day of the "
            "event. Attendance already recorded keeps the dates it gave."
        ),
    )


class BookingForm(GovUKForm):
    """Someone booked by a coordinator; once the event has started, whether they came."""

    email = forms.EmailField(
        label="E-mail address",
        help_text="The address Practica holds for them, for example sam.jones@medway.gov.uk.",
    )
    attended = forms.ChoiceField(
        label="Did they attend?",
        choices=[(Attendance.YES, "Yes, they attended"), (Attendance.NO, "No, they did not")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, started: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not started:
            del self.fields["attended"]
