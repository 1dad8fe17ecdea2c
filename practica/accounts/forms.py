from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from practica.accounts.models import Role
from practica.core.forms import GovUKForm, style


class SignInForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["username"].widget.attrs.pop("autofocus", None)  # GOV.UK: no autofocus
        self.fields["username"].error_messages["required"] = "Enter your e-mail address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        style(self)


class ResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        style(self)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        style(self)


class InvitationForm(GovUKForm):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, grantable: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if grantable is not None:
            field = self.fields["role"]
            field.choices = [(v, label) for v, label in Role.choices if v in grantable]  # type: ignore[attr-defined]


class AcceptInvitationForm(GovUKForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )


class SwitchOrganisationForm(forms.Form):
    membership = forms.IntegerField()
