"""The audit's "from where" for changes not made on the web (issue 15): a change made by a
``practica`` command, by a background task or written in bulk shows how it was made, on the
page, in its download and through the "from where" filter."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica import cli
from practica.accounts.models import User
from practica.core.audit import create_all_audited, update_all_audited
from practica.core.change_source import changes_from
from practica.core.models import AuditAction, ChangeAddress, Organisation, Person
from practica.imports.services import queue_upload

AUDIT = reverse("organisations:audit")


@pytest.fixture
def practica_command(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], None]:
    """Runs ``practica <argv>`` as the shell would (``practica.cli.main``), but the command
    through ``call_command``: ``execute_from_command_line`` closes the database connections
    when the command ends, the test's own among them."""
    from django.core import management

    def execute(argv: list[str]) -> None:
        management.call_command(*argv[1:])

    monkeypatch.setattr(management, "execute_from_command_line", execute)
    return cli.main


def rows(client: Client, **query: str) -> list[dict[str, str]]:
    response = client.get(AUDIT, {**query, "download": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_a_change_made_by_a_command_shows_the_command(
    client: Client,
    manager: User,
    org_a: Organisation,
    tmp_path: Path,
    practica_command: Callable[[list[str]], None],
) -> None:
    file = tmp_path / "teams.csv"
    file.write_text(f"organisation,name,service_area\n{org_a.code},Night team,childrens\n")
    practica_command(["import", "teams", str(file)])
    client.force_login(manager)
    created = rows(client, what="+", record="core.team")
    assert [(r["What was done"], r["From where"]) for r in created] == [
        ("Created", "Command line: practica import")
    ]
    # the file's name is not repeated in the audit
    assert "teams.csv" not in created[0]["From where"]
    page = client.get(AUDIT, {"record": "core.team"}).content.decode()
    assert "Command line: practica import" in page
    assert len(rows(client, record="core.team", where="command line")) == 1
    assert not rows(client, record="core.team", where="background task")


def test_a_change_made_by_a_background_task_shows_the_task(
    client: Client,
    manager: User,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_upload(
            actor=alice,
            organisation=org_a,
            kind="teams",
            file_name="teams.csv",
            content=f"organisation,name,service_area\n{org_a.code},Day team,adults\n".encode(),
            dry_run=False,
        )
    client.force_login(manager)
    created = rows(client, what="+", record="core.team", where="background task")
    assert [(r["E-mail"], r["From where"]) for r in created] == [
        (alice.email, "Background task: process import")
    ]
    assert not rows(client, record="core.team", where="command line")


def test_a_bulk_import_shows_its_source_on_every_row_written_in_bulk(
    client: Client,
    manager: User,
    org_a: Organisation,
    tmp_path: Path,
    practica_command: Callable[[list[str]], None],
) -> None:
    file = tmp_path / "people.csv"
    lines = [f"{org_a.code},Person,Number {n},person{n}@example.test" for n in range(12)]
    file.write_text("organisation,first_name,last_name,email\n" + "\n".join(lines) + "\n")
    practica_command(["import", "people", str(file)])
    client.force_login(manager)
    created = rows(client, what="+", record="core.person", where="command line")
    assert len(created) == 12
    assert {r["From where"] for r in created} == {"Command line: practica import"}


def test_bulk_writes_keep_where_they_came_from_in_a_few_statements_not_one_a_row(
    org_a: Organisation, alice: User
) -> None:
    people = [
        Person(organisation=org_a, first_name="Bulk", last_name=f"Person {n}") for n in range(40)
    ]
    with changes_from("Command line: practica import"):
        with CaptureQueriesContext(connection) as created:
            create_all_audited(people, actor=alice)
        for person in people:
            person.job_title = "Social worker"
        with CaptureQueriesContext(connection) as changed:
            update_all_audited(people, fields=["job_title"], actor=alice)
    kept = ChangeAddress.objects.filter(history_model="core.historicalperson")
    assert kept.count() == 80
    assert set(kept.values_list("source", flat=True)) == {"Command line: practica import"}
    assert set(kept.values_list("address", flat=True)) == {""}
    for queries in (created, changed):
        # one INSERT (SQLite) or the id sequence and a COPY (PostgreSQL), whatever the rows
        writes = [q for q in queries if "core_changeaddress" in q["sql"]]
        assert 1 <= len(writes) <= 2, [q["sql"][:200] for q in writes]


def test_without_a_request_or_a_source_nothing_is_kept(org_a: Organisation, alice: User) -> None:
    people = [Person(organisation=org_a, first_name="Quiet", last_name="Person")]
    create_all_audited(people, actor=alice)
    assert not ChangeAddress.objects.exists()


def test_an_event_recorded_by_a_command_shows_the_command(
    client: Client, manager: User, alice: User
) -> None:
    from practica.core import audit_log

    with changes_from("Command line: practica subject-access"):
        audit_log.record(user=alice, action=AuditAction.EXPORT, what="Subject access export")
    client.force_login(manager)
    found = rows(client, what=AuditAction.EXPORT, where="subject-access")
    assert [r["From where"] for r in found] == ["Command line: practica subject-access"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "people", "Jo Bloggs.csv"], "Command line: practica import"),
        (["--version"], "Command line: practica"),
        ([], "Command line: practica"),
    ],
)
def test_a_commands_source_is_its_name_never_its_arguments(argv: list[str], expected: str) -> None:
    from practica.core.change_source import command_source

    assert command_source(argv) == expected
