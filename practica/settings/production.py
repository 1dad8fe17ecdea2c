"""Production: every secret from the environment, HTTPS only, PostgreSQL expected."""

from practica.settings import environment
from practica.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = environment.required(
    "PRACTICA_SECRET_KEY", why="to a long random value in production (50 characters or more)"
)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise environment.ConfigurationError(
        "PRACTICA_SECRET_KEY must be at least 50 characters with at least 5 different characters."
    )
ALLOWED_HOSTS = environment.listing(
    "PRACTICA_ALLOWED_HOSTS",
    environment.required("PRACTICA_ALLOWED_HOSTS", why="to the site's host names"),
)

SECURE_SSL_REDIRECT = environment.flag("PRACTICA_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
