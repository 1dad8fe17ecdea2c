"""Development and demo: SQLite under var/, e-mail printed on the console."""

from practica.settings import environment
from practica.settings.base import *  # noqa: F403
from practica.settings.base import ALLOWED_HOSTS

DEBUG = True
SECRET_KEY = environment.text(
    "PRACTICA_SECRET_KEY", default="dev-only-insecure-key-never-used-in-production-0123456789"
)
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
MAILERS = {
    "default": {
        "BACKEND": environment.text(
            "PRACTICA_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
        )
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make demo`: the demo logins sign in with their password alone; set
# PRACTICA_MFA_REQUIRED=true to try two-factor authentication as production asks for it.
PRACTICA_MFA_REQUIRED = environment.flag("PRACTICA_MFA_REQUIRED", default=False)
