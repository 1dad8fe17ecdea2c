"""Start-up configuration: PRACTICA_* variables (old names for one release, with a warning),
clear one-sentence errors, and a clean deploy check in production."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from practica.settings import environment
from practica.settings.environment import ConfigurationError, database_from_url

ROOT = Path(__file__).resolve().parent.parent
PRACTICA = str(Path(sys.executable).parent / "practica")
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "practica.settings.production",
    "PRACTICA_SECRET_KEY": "k8#Xr2!pQz7@vLm4^Ns9&Wb3*Hd6(Jf1)Tg5+Yc0=Ue8-Ra2_Ko7~Ip4",
    "PRACTICA_ALLOWED_HOSTS": "practica.example.org",
    "PRACTICA_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/practica",
}


def deprecation(old: str) -> str:
    return (
        f"{old} is deprecated; set PRACTICA_{old} instead "
        "(the old name stops working in the next release)"
    )


def run_practica(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`practica ARGS` with exactly `env` as Practica's configuration: none of this process's
    PRACTICA_* variables (e.g. the PostgreSQL run's database) or old names leak into it."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(environment.PREFIX)
        and key not in environment.OLD_NAMES
        and key != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [PRACTICA, *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


# Reading a variable: its PRACTICA_ name, else (for one release) its old name with a warning.


@pytest.fixture
def unset(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No Practica variable set, new or old, whatever the run's own environment holds."""
    for key in list(os.environ):
        if key.startswith(environment.PREFIX) or key in environment.OLD_NAMES:
            monkeypatch.delenv(key)
    return monkeypatch


def test_a_variable_is_read_by_its_practica_name(unset: pytest.MonkeyPatch) -> None:
    unset.setenv("PRACTICA_TOKEN_LINK_ATTEMPTS", "7")
    assert environment.integer("PRACTICA_TOKEN_LINK_ATTEMPTS", default=20) == 7


def test_an_old_name_alone_still_works_with_a_deprecation_warning_naming_both(
    unset: pytest.MonkeyPatch,
) -> None:
    unset.setenv("TOKEN_LINK_ATTEMPTS", "7")
    with pytest.warns(DeprecationWarning, match=re.escape(deprecation("TOKEN_LINK_ATTEMPTS"))):
        assert environment.integer("PRACTICA_TOKEN_LINK_ATTEMPTS", default=20) == 7


def test_when_both_names_are_set_the_practica_name_wins_silently(
    unset: pytest.MonkeyPatch,
) -> None:
    unset.setenv("PRACTICA_LOG_LEVEL", "WARNING")
    unset.setenv("LOG_LEVEL", "DEBUG")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert environment.text("PRACTICA_LOG_LEVEL", default="INFO") == "WARNING"


def test_when_neither_name_is_set_the_default_applies_silently(
    unset: pytest.MonkeyPatch,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert environment.flag("PRACTICA_EMAIL_USE_TLS", default=True) is True
        assert environment.listing("PRACTICA_ALLOWED_HOSTS") == []


def test_a_name_that_was_always_prefixed_has_no_old_name(unset: pytest.MonkeyPatch) -> None:
    unset.setenv("MFA_REQUIRED", "false")
    assert environment.flag("PRACTICA_MFA_REQUIRED", default=True) is True


def test_a_variable_without_the_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="every Practica variable does"):
        environment.text("DATABASE_URL", default="")


def test_an_error_names_the_practica_variable_even_when_the_old_name_was_set(
    unset: pytest.MonkeyPatch,
) -> None:
    unset.setenv("IMPORT_MAX_ROWS", "lots")
    with (
        pytest.warns(DeprecationWarning, match=re.escape(deprecation("IMPORT_MAX_ROWS"))),
        pytest.raises(
            ConfigurationError,
            match=r"^PRACTICA_IMPORT_MAX_ROWS must be a whole number, not 'lots'\.$",
        ),
    ):
        environment.integer("PRACTICA_IMPORT_MAX_ROWS", default=20_000)


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "mysql://root@localhost/practica",
        "postgres://",
        "postgres//postgres@127.0.0.1/x",
        "postgres://h:notaport/db",
    ],
)
def test_a_malformed_database_url_is_refused_with_a_clear_sentence(url: str) -> None:
    with pytest.raises(
        ConfigurationError, match=r"^PRACTICA_DATABASE_URL .* write it like postgres://"
    ):
        database_from_url(url)


def test_a_postgres_url_becomes_a_psycopg_database() -> None:
    config = database_from_url("postgres://postgres@127.0.0.1:5432/practica")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "practica"


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("", "-c jit=off"),
        ("?options=-c%20statement_timeout%3D5000", "-c statement_timeout=5000 -c jit=off"),
        ("?options=-c%20jit%3Don", "-c jit=on"),  # a jit setting given in the URL wins
    ],
)
def test_postgres_connections_start_with_jit_off(query: str, options: str) -> None:
    config = database_from_url(f"postgres://postgres@127.0.0.1:5432/practica{query}")
    assert config["OPTIONS"]["options"] == options


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="jit is a PostgreSQL setting")
def test_the_postgres_connection_in_use_has_jit_off() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


# The settings modules: every variable in README's table, by its PRACTICA_ name.

SETTINGS_PROBE = """
import json
from django.conf import settings as s
mailer = s.MAILERS["default"]
print(json.dumps({
    "DATABASE_URL": s.DATABASES["default"]["NAME"],
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "EMAIL_BACKEND": mailer["BACKEND"],
    "EMAIL_HOST": mailer["OPTIONS"]["host"],
    "EMAIL_PORT": mailer["OPTIONS"]["port"],
    "EMAIL_HOST_USER": mailer["OPTIONS"]["username"],
    "EMAIL_HOST_PASSWORD": mailer["OPTIONS"]["password"],
    "EMAIL_USE_TLS": mailer["OPTIONS"]["use_tls"],
    "DEFAULT_FROM_EMAIL": s.DEFAULT_FROM_EMAIL,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "LOG_LEVEL": s.LOGGING["root"]["level"],
    "AXES_FAILURE_LIMIT": s.AXES_FAILURE_LIMIT,
    "TOKEN_LINK_ATTEMPTS": s.TOKEN_LINK_ATTEMPTS,
    "TOKEN_LINK_ATTEMPTS_PER_ADDRESS": s.TOKEN_LINK_ATTEMPTS_PER_ADDRESS,
    "SIGN_IN_FAILURES_PER_CLIENT": s.SIGN_IN_FAILURES_PER_CLIENT,
    "PASSWORD_RESETS_PER_EMAIL": s.PASSWORD_RESETS_PER_EMAIL,
    "PASSWORD_RESETS_PER_CLIENT": s.PASSWORD_RESETS_PER_CLIENT,
    "IMPORT_MAX_BYTES": s.IMPORT_MAX_BYTES,
    "IMPORT_MAX_ROWS": s.IMPORT_MAX_ROWS,
    "IMPORT_MAX_UNPACKED_BYTES": s.IMPORT_MAX_UNPACKED_BYTES,
    "VAR_DIR": str(s.VAR_DIR),
    "BASE_URL": s.PRACTICA_BASE_URL,
    "MFA_REQUIRED": s.PRACTICA_MFA_REQUIRED,
}))
"""
# Each variable (its name without the prefix): the value set, and the setting it must give.
# None of them is the default, so a variable the settings do not read fails the test.
VARIABLES: dict[str, tuple[str, Any]] = {
    "DATABASE_URL": ("postgres://practica@db.example.org:5432/kent", "kent"),
    "SECRET_KEY": (PRODUCTION_ENV["PRACTICA_SECRET_KEY"], PRODUCTION_ENV["PRACTICA_SECRET_KEY"]),
    "ALLOWED_HOSTS": ("a.example.org, b.example.org", ["a.example.org", "b.example.org"]),
    "CSRF_TRUSTED_ORIGINS": ("https://a.example.org", ["https://a.example.org"]),
    "EMAIL_BACKEND": (
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ),
    "EMAIL_HOST": ("smtp.example.org", "smtp.example.org"),
    "EMAIL_PORT": ("587", 587),
    "EMAIL_HOST_USER": ("mailer", "mailer"),
    "EMAIL_HOST_PASSWORD": ("mail-password", "mail-password"),
    "EMAIL_USE_TLS": ("true", True),
    "DEFAULT_FROM_EMAIL": ("Kent <kent@example.org>", "Kent <kent@example.org>"),
    "SECURE_SSL_REDIRECT": ("false", False),
    "LOG_LEVEL": ("WARNING", "WARNING"),
    "AXES_FAILURE_LIMIT": ("9", 9),
    "TOKEN_LINK_ATTEMPTS": ("7", 7),
    "TOKEN_LINK_ATTEMPTS_PER_ADDRESS": ("70", 70),
    "SIGN_IN_FAILURES_PER_CLIENT": ("40", 40),
    "PASSWORD_RESETS_PER_EMAIL": ("2", 2),
    "PASSWORD_RESETS_PER_CLIENT": ("15", 15),
    "IMPORT_MAX_BYTES": ("1000", 1000),
    "IMPORT_MAX_ROWS": ("10", 10),
    "IMPORT_MAX_UNPACKED_BYTES": ("5000", 5000),
    "BASE_URL": ("https://practica.example.org/", "https://practica.example.org"),
    "MFA_REQUIRED": ("false", False),
}
ALWAYS_PREFIXED = {
    "VAR_DIR",
    "BASE_URL",
    "MFA_REQUIRED",
    "TOKEN_LINK_ATTEMPTS_PER_ADDRESS",
    "SIGN_IN_FAILURES_PER_CLIENT",
    "PASSWORD_RESETS_PER_EMAIL",
    "PASSWORD_RESETS_PER_CLIENT",
}


def test_the_variables_table_covers_every_old_name() -> None:
    assert set(VARIABLES) - ALWAYS_PREFIXED == environment.OLD_NAMES


def probe_production(env: dict[str, str]) -> tuple[dict[str, Any], str]:
    result = run_practica(
        "shell",
        "--no-imports",
        "-c",
        SETTINGS_PROBE,
        env={"DJANGO_SETTINGS_MODULE": "practica.settings.production", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_the_settings_read_every_variable_by_its_practica_name(tmp_path: Path) -> None:
    env = {f"PRACTICA_{name}": value for name, (value, _) in VARIABLES.items()}
    settings, stderr = probe_production({**env, "PRACTICA_VAR_DIR": str(tmp_path)})
    assert settings == {
        **{name: expected for name, (_, expected) in VARIABLES.items()},
        "VAR_DIR": str(tmp_path),
    }
    assert stderr == ""


def test_the_settings_still_read_every_old_name_and_the_command_line_says_so(
    tmp_path: Path,
) -> None:
    env = {
        name if name in environment.OLD_NAMES else f"PRACTICA_{name}": value
        for name, (value, _) in VARIABLES.items()
    }
    settings, stderr = probe_production({**env, "PRACTICA_VAR_DIR": str(tmp_path)})
    assert settings == {
        **{name: expected for name, (_, expected) in VARIABLES.items()},
        "VAR_DIR": str(tmp_path),
    }
    for old in environment.OLD_NAMES:
        assert stderr.count(f"DeprecationWarning: {deprecation(old)}") == 1, old


# The command line and production.


def test_the_cli_stops_with_one_sentence_and_no_traceback_on_a_bad_database_url(
    tmp_path: Path,
) -> None:
    result = run_practica(
        "migrate",
        env={"PRACTICA_DATABASE_URL": "postgress:/oops", "PRACTICA_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "practica: PRACTICA_DATABASE_URL 'postgress:/oops' is not a database address"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_production_without_a_secret_key_stops_with_one_sentence() -> None:
    env = {**PRODUCTION_ENV, "PRACTICA_SECRET_KEY": ""}
    result = run_practica("check", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "practica: PRACTICA_SECRET_KEY must be set to a long random value in production (50 characters or more)."
    )


def test_production_passes_the_deploy_check_with_the_documented_variables() -> None:
    result = run_practica("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stderr == ""


def test_the_deploy_check_fails_when_debug_is_forced_on() -> None:
    """The deploy test can fail: a weak secret key is reported."""
    env = {**PRODUCTION_ENV, "PRACTICA_SECRET_KEY": "django-insecure-" + "a1" * 30}
    result = run_practica("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
