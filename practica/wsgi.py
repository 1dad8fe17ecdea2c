"""WSGI entry point (gunicorn, granian): `practica.wsgi:application`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from practica.settings.environment import ConfigurationError, show_old_names

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings.production")
show_old_names()
try:
    application = get_wsgi_application()
except ConfigurationError as error:
    sys.stderr.write(f"practica: {error}\n")
    raise SystemExit(2) from None
