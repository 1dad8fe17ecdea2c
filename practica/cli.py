"""The `practica` command: Django's manage.py with clear start-up errors."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings.dev")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from practica.settings.environment import ConfigurationError, show_old_names

    show_old_names()
    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading settings validates the environment
    except ConfigurationError as error:
        sys.stderr.write(f"practica: {error}\n")
        raise SystemExit(2) from None
    from practica.core.change_source import changes_from, command_source

    arguments = sys.argv[1:] if argv is None else argv
    # what a command changes is recorded as made from the command line (the audit's
    # "from where"); a background task the worker runs names itself instead
    with changes_from(command_source(arguments)):
        execute_from_command_line(["practica", *arguments])


if __name__ == "__main__":
    main()
