"""GOV.UK Design System form rendering, and putting a service's refusal onto a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.widgets.Input, "govuk-input"),
]
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def _article(label: str) -> str:
    """'the ' for most labels; none for labels that read well alone (names, dates)."""
    return "" if label.startswith(("your ", "a ", "an ", "the ")) else "the "


def _required(verb: str, label: str) -> str:
    """The message for a required field left empty: "Enter the start time"; a question
    ("Why are you correcting it?") cannot follow "Enter the", so it is quoted."""
    if label.rstrip().endswith("?"):
        return f"{verb} an answer to “{label.strip()}”"
    label = label.replace("_", " ").lower()
    return f"{verb} {_article(label)}{label}"


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk/form.html"
    field_template_name = "forms/govuk/field.html"


class GovUKForm(forms.Form):
    """Adds the GOV.UK classes (and error classes) to every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        style(self)


class GovUKModelForm[M: models.Model](forms.ModelForm[M]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        style(self)


def style(form: forms.BaseForm) -> None:
    errors = form._errors or {}  # type: ignore[attr-defined]  # Django keeps a form's errors in _errors
    for name, field in form.fields.items():
        widget = field.widget
        css = next((c for kind, c in WIDGET_CLASSES if isinstance(widget, kind)), "")
        classes = [css] if css else []
        if name in errors and css in ERROR_CLASSES:
            classes.append(ERROR_CLASSES[css])
        if isinstance(widget, forms.widgets.Input) and getattr(field, "max_length", None) == 4:
            classes.append("govuk-input--width-4")
        widget.attrs["class"] = " ".join(classes)
        if isinstance(widget, forms.NumberInput):
            _as_text_input(
                widget, whole=not isinstance(field, forms.FloatField | forms.DecimalField)
            )
        if field.error_messages.get("required") == DJANGO_REQUIRED:
            verb = (
                "Select"
                if isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxInput)
                else "Enter"
            )
            field.error_messages["required"] = _required(verb, str(field.label or name))


def _as_text_input(widget: forms.NumberInput, *, whole: bool) -> None:
    """GOV.UK asks for numbers in a text input with a numeric keyboard, not type="number"
    (which rounds, scrolls and reads badly); the field still checks the number on the server."""
    widget.input_type = "text"
    for attribute in ("min", "max", "step"):
        widget.attrs.pop(attribute, None)
    widget.attrs["inputmode"] = "numeric" if whole else "decimal"
    widget.attrs["spellcheck"] = "false"


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submitted[T](request: HttpRequest, form: forms.BaseForm, write: Callable[[], T]) -> T | None:
    """What ``write`` returns when a valid form is posted; None on a GET, an invalid form or a
    write the service refuses, whose ValidationError then stands on the form.

    ``write`` calls one service and must not itself return None.
    """
    if request.method == "POST" and form.is_valid():
        try:
            return write()
        except ValidationError as error:
            apply_errors(form, error)
    return None
