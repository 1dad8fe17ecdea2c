"""Files the command line writes for people to keep (exports): whole, or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError


def write_whole(output: Path, content: bytes) -> None:
    """Writes ``content`` to ``output`` through a temporary file beside it, then renames it, so
    a reader never finds half a file. Refuses a folder that does not exist (exit code 2)."""
    directory = output.resolve().parent
    if not directory.is_dir():
        raise CommandError(f"There is no folder {directory}.", returncode=2)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".practica-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
