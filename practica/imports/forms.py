from __future__ import annotations

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

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; files over "
                f"{limit / 1_048_576:.0f} MB are refused. Split it into smaller files."
            )
        return upload
