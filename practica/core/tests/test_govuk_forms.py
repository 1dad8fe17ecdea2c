"""GOV.UK form rendering rules that hold for every form of the site."""

from __future__ import annotations

from django import forms

from practica.core.forms import GovUKForm


class NumbersForm(GovUKForm):
    places = forms.IntegerField(min_value=1, max_value=40)
    latitude = forms.DecimalField(max_digits=9, decimal_places=6)


def test_numbers_are_asked_for_in_text_inputs_with_a_numeric_keyboard() -> None:
    html = str(NumbersForm())
    assert 'type="number"' not in html
    assert 'name="places" class="govuk-input" inputmode="numeric" spellcheck="false"' in html
    assert 'inputmode="decimal"' in html
    assert 'min="1"' not in html
    assert 'step="' not in html


def test_the_server_still_refuses_what_is_not_a_number_in_range() -> None:
    form = NumbersForm({"places": "41", "latitude": "north"})
    assert not form.is_valid()
    assert form.errors["places"] == ["Ensure this value is less than or equal to 40."]
    assert form.errors["latitude"] == ["Enter a number."]


class QuestionsForm(GovUKForm):
    start_time = forms.CharField(label="Start time")
    reason = forms.CharField(label="Why are you correcting the recorded outcome?")
    came = forms.ChoiceField(
        label="Did they attend?", choices=[("yes", "Yes")], widget=forms.RadioSelect
    )


def test_an_empty_required_field_is_named_and_a_question_is_quoted_whole() -> None:
    form = QuestionsForm({})
    assert not form.is_valid()
    assert form.errors["start_time"] == ["Enter the start time"]
    assert form.errors["reason"] == [
        "Enter an answer to “Why are you correcting the recorded outcome?”"
    ]
    assert form.errors["came"] == ["Select an answer to “Did they attend?”"]
