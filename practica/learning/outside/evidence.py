"""Checks on an evidence file before it is kept: the same rules as imports (size first, type
by content, never by name — ``imports/reading.py``), for the kinds of file evidence comes as.

Only PDF, PNG and JPEG are kept: certificates and programmes come as these, and none of them
is a container that could hide a macro or a zip bomb. The file is served back only as a
download (``Content-Disposition: attachment``) with the type found here.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError

from practica.imports.reading import limits

KINDS: dict[bytes, tuple[str, tuple[str, ...]]] = {
    b"%PDF-": ("application/pdf", (".pdf",)),
    b"\x89PNG\r\n\x1a\n": ("image/png", (".png",)),
    b"\xff\xd8\xff": ("image/jpeg", (".jpg", ".jpeg")),
}


def safe_name(name: str) -> str:
    """The file's own name without any folder, control characters or quotes, at most 200
    characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>')
    return cleaned[-200:] or "evidence"


def check_evidence(name: str, content: bytes) -> str:
    """The file's content type; ValidationError (one sentence saying what to do) if it is too
    large, empty, or not the PDF, PNG or JPEG its name says."""
    max_bytes = limits()[0]
    if len(content) > max_bytes:
        raise ValidationError(
            f"{name} is {len(content) / 1_048_576:.1f} MB; evidence files over "
            f"{max_bytes / 1_048_576:.0f} MB are refused. Save a smaller copy."
        )
    if not content:
        raise ValidationError(f"{name} is empty.")
    for magic, (content_type, suffixes) in KINDS.items():
        if content.startswith(magic):
            if not name.lower().endswith(suffixes):
                raise ValidationError(
                    f"{name} is named as something else but holds a {suffixes[0][1:].upper()} "
                    f"file. Rename it to end in {suffixes[0]}."
                )
            return content_type
    raise ValidationError(
        f"{name} is not a PDF, PNG or JPEG file. Save the evidence as a PDF or a picture."
    )
