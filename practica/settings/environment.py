"""Configuration read from environment variables, with one clear sentence when it is wrong."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
# The web server and the background worker share the SQLite file: write-ahead logging lets
# readers go on while one writes, and IMMEDIATE transactions wait for the lock instead of failing.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


class ConfigurationError(ImproperlyConfigured):
    """Start-up configuration is missing or malformed; the message is meant for the operator."""


def database_from_url(url: str) -> dict[str, Any]:
    """Turn a DATABASE_URL into Django's DATABASES entry, refusing anything malformed."""
    example = "postgres://USER@HOST:5432/NAME or sqlite:////absolute/path/practica.sqlite3"
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ConfigurationError(
            f"DATABASE_URL {url!r} is not a database address Practica understands; "
            f"write it like {example}."
        )
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as error:
        raise ConfigurationError(
            f"DATABASE_URL {url!r} could not be read ({error}); write it like {example}."
        ) from error
    if not config.get("NAME"):
        raise ConfigurationError(
            f"DATABASE_URL {url!r} names no database; write it like {example}."
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.pop("CONN_MAX_AGE", None)
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = SQLITE_OPTIONS
    return config


def database(default_sqlite: Path) -> dict[str, Any]:
    """The database from DATABASE_URL, or the embedded SQLite file when it is not set."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": SQLITE_OPTIONS,
        }
    return database_from_url(url)


def required(name: str, *, why: str) -> str:
    """An environment variable that must be set; `why` completes the sentence in the error."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"{name} must be set {why}.")
    return value


def listing(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def flag(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}.")


def integer(name: str, *, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from error
