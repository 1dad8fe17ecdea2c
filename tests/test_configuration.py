"""Start-up configuration: clear one-sentence errors, and a clean deploy check in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from practica.settings.environment import ConfigurationError, database_from_url

ROOT = Path(__file__).resolve().parent.parent
PRACTICA = str(Path(sys.executable).parent / "practica")
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "practica.settings.production",
    "SECRET_KEY": "k8#Xr2!pQz7@vLm4^Ns9&Wb3*Hd6(Jf1)Tg5+Yc0=Ue8-Ra2_Ko7~Ip4",
    "ALLOWED_HOSTS": "practica.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/practica",
}


def run_practica(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"}
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
    with pytest.raises(ConfigurationError, match=r"DATABASE_URL .* write it like postgres://"):
        database_from_url(url)


def test_a_postgres_url_becomes_a_psycopg_database() -> None:
    config = database_from_url("postgres://postgres@127.0.0.1:5432/practica")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "practica"


def test_the_cli_stops_with_one_sentence_and_no_traceback_on_a_bad_database_url(
    tmp_path: Path,
) -> None:
    result = run_practica(
        "migrate", env={"DATABASE_URL": "postgress:/oops", "PRACTICA_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "practica: DATABASE_URL 'postgress:/oops' is not a database address"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_production_without_a_secret_key_stops_with_one_sentence() -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_practica("check", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "practica: SECRET_KEY must be set to a long random value in production (50 characters or more)."
    )


def test_production_passes_the_deploy_check_with_the_documented_variables() -> None:
    result = run_practica("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_when_debug_is_forced_on() -> None:
    """The deploy test can fail: a weak secret key is reported."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": "django-insecure-" + "a1" * 30}
    result = run_practica("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
