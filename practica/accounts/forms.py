from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from practica.accounts.models import Role, User
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


class NewPasswordForm(SetPasswordForm[User]):
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
            field.choices = [(v, label) for v, label in Role.choices if v in grantable]  # type: ignore[attr-defined]  # a ChoiceField; fields are typed as Field


class AcceptInvitationForm(GovUKForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )


class SwitchOrganisationForm(forms.Form):
    membership = forms.IntegerField()


class AuthenticatorCodeForm(GovUKForm):
    """The 6-digit code an authenticator app shows (setting it up)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        help_text="The 6-digit code the app shows for Practica, for example 123456.",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class SecondFactorForm(GovUKForm):
    """A code from the authenticator app or one of the recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows for Practica, or one of your "
        "recovery codes.",
        error_messages={
            "required": "Enter the code from your authenticator app or a recovery code"
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
