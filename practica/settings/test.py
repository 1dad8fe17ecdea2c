"""Tests: PRACTICA_DATABASE_URL chooses SQLite (default) or PostgreSQL; fast hashing; mail in memory."""

from practica.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-0123456789-0123456789-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Memory, not the database: conftest.py empties it before every test, with or without a
# database. One test process is one process, so the counts are exact.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off, so tests that use client.force_login reach their pages; the two-factor tests turn it on
# (the `settings` fixture, which the browser tests' live server sees as well).
PRACTICA_MFA_REQUIRED = False
