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
    execute_from_command_line(["practica", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
