"""Configuration read from environment variables, with one clear sentence when it is wrong.

Every variable Practica reads starts with ``PRACTICA_`` and is read here, by ``_value``. The
names used before that (``DATABASE_URL``, ``SECRET_KEY``, …) still work for one release, each
with a DeprecationWarning naming its new name.
"""

from __future__ import annotations

import os
import warnings
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
# PostgreSQL's JIT compiler costs more than it saves on Practica's queries: the pe-register
# report at 20,000 practice educators spent 0.45 s of 0.49 s compiling its plan, 50 ms with JIT
# off (docs/0025-scaling-fixes.md). Sent as a start-up option on every connection; a ``jit``
# setting given in the URL's ``options`` wins.
POSTGRESQL_SERVER_OPTIONS = "-c jit=off"

PREFIX = "PRACTICA_"
# The names before every variable started with PRACTICA_. Each is read, with a warning, while
# its PRACTICA_ name is unset; the next release deletes this list and the old names stop working.
OLD_NAMES = frozenset(
    {
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        "SECURE_SSL_REDIRECT",
        "LOG_LEVEL",
        "AXES_FAILURE_LIMIT",
        "TOKEN_LINK_ATTEMPTS",
        "IMPORT_MAX_BYTES",
        "IMPORT_MAX_ROWS",
        "IMPORT_MAX_UNPACKED_BYTES",
    }
)


class ConfigurationError(ImproperlyConfigured):
    """Start-up configuration is missing or malformed; the message is meant for the operator."""


def _value(name: str) -> str | None:
    """The variable ``name`` (PRACTICA_…) as set, or None when it is not set.

    Only while ``name`` is unset, its old name (``name`` without the prefix, if in OLD_NAMES) is
    read instead, with a DeprecationWarning naming both; when both are set the new one wins
    silently. Refuses (ValueError, a programming error) a name without the prefix.
    """
    if not name.startswith(PREFIX):
        raise ValueError(f"{name} does not start with {PREFIX}; every Practica variable does.")
    if name in os.environ:
        return os.environ[name]
    old = name.removeprefix(PREFIX)
    if old not in OLD_NAMES or old not in os.environ:
        return None
    # Attributed to this line, not to the settings that asked: the environment is at fault, and
    # a name read by several settings modules is then shown once.
    message = (
        f"{old} is deprecated; set {name} instead (the old name stops working in the next release)"
    )
    warnings.warn(message, DeprecationWarning, stacklevel=1)
    return os.environ[old]


def show_old_names() -> None:
    """Lets the warnings about old names through to stderr, once each.

    Python hides DeprecationWarnings outside ``__main__``, and the operator must see these
    before the next release: the command line and the web server call this before loading the
    settings. The tests do not: pytest's ``filterwarnings = error`` makes an old name fail them.
    """
    warnings.filterwarnings("default", category=DeprecationWarning, module=r"practica\.settings\.")


def database_from_url(url: str) -> dict[str, Any]:
    """Turn a PRACTICA_DATABASE_URL into Django's DATABASES entry, refusing anything malformed."""
    example = "postgres://USER@HOST:5432/NAME or sqlite:////absolute/path/practica.sqlite3"
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ConfigurationError(
            f"PRACTICA_DATABASE_URL {url!r} is not a database address Practica understands; "
            f"write it like {example}."
        )
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as error:
        raise ConfigurationError(
            f"PRACTICA_DATABASE_URL {url!r} could not be read ({error}); write it like {example}."
        ) from error
    if not config.get("NAME"):
        raise ConfigurationError(
            f"PRACTICA_DATABASE_URL {url!r} names no database; write it like {example}."
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.pop("CONN_MAX_AGE", None)
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = SQLITE_OPTIONS
    else:
        parsed = config.get("OPTIONS")
        options: dict[str, Any] = dict(parsed) if isinstance(parsed, dict) else {}
        config["OPTIONS"] = options
        given = str(options.get("options", ""))
        if "jit" not in given:
            options["options"] = f"{given} {POSTGRESQL_SERVER_OPTIONS}".strip()
    return config


def database(default_sqlite: Path) -> dict[str, Any]:
    """The database PRACTICA_DATABASE_URL names, or the embedded SQLite file when it is unset."""
    url = (_value("PRACTICA_DATABASE_URL") or "").strip()
    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            "OPTIONS": SQLITE_OPTIONS,
        }
    return database_from_url(url)


def text(name: str, *, default: str) -> str:
    """A variable as it is set (even blank), or ``default`` when it is unset."""
    value = _value(name)
    return default if value is None else value


def required(name: str, *, why: str) -> str:
    """A variable that must be set; `why` completes the sentence in the error."""
    value = (_value(name) or "").strip()
    if not value:
        raise ConfigurationError(f"{name} must be set {why}.")
    return value


def listing(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list without blanks."""
    value = _value(name)
    items = default if value is None else value
    return [item.strip() for item in items.split(",") if item.strip()]


def flag(name: str, *, default: bool) -> bool:
    """A true/false variable (1/0, yes/no, on/off too); blank or unset is ``default``."""
    value = _value(name)
    if value is None or not value.strip():
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}.")


def integer(name: str, *, default: int) -> int:
    """A whole-number variable; blank or unset is ``default``."""
    value = (_value(name) or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from error
