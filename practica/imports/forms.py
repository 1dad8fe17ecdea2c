from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from practica.core.forms import GovUKForm


class UploadForm(GovUKForm):
    file = forms.FileField(
        label="Spreadsheet (CSV or Excel .xlsx)",
        help_text="The first row must hold the column names; download the template to start.",
    )
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            ("check", "Check the file – nothing is imported yet"),
            ("import", "Check and import it, if every row is right"),
        ],
        initial="check",
        widget=forms.RadioSelect,
    )

    invite = forms.BooleanField(
        label="E-mail an invitation to each new user",
        help_text="Untick to add the accounts now and invite people later.",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, invites: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not invites:
            del self.fields["invite"]

    def options(self, *, base_url: str) -> dict[str, Any]:
        """What the person chose, and the site's address for links in e-mails."""
        options: dict[str, Any] = {"base_url": base_url}
        if "invite" in self.fields:
            options["invite"] = bool(self.cleaned_data.get("invite"))
        return options

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; files over "
                f"{limit / 1_048_576:.0f} MB are refused. Split it into smaller files."
            )
        return upload


class BatchUploadForm(UploadForm):
    """A ZIP of spreadsheets named after their kinds, or a workbook with a sheet per kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "ZIP of spreadsheets, or a workbook with a sheet per kind"
        self.fields[
            "file"
        ].help_text = (
            "Name each file (or sheet) after its kind, for example teams.csv or people.xlsx."
        )
        self.fields[
            "invite"
        ].help_text = (
            "If the files include users: untick to add the accounts now and invite people later."
        )

    def clean_file(self) -> UploadedFile[bytes]:
        upload = super().clean_file()
        if not (upload.name or "").lower().endswith((".zip", ".xlsx")):
            raise forms.ValidationError("Choose a .zip file or an Excel workbook (.xlsx).")
        return upload
