"""The counts an import reports: what its check found, and nothing created when another import
wrote the same rows between its check and its apply (two people importing one file at once)."""

from __future__ import annotations

from typing import Any

import pytest

from practica.accounts import permissions
from practica.core.models import Organisation, Team
from practica.imports import framework
from practica.imports.models import ImportRun
from practica.imports.registry import get_importer
from practica.imports.services import import_files
from practica.imports.tests.test_import_errors import HEADER, run

CONTENT = (HEADER + "MC,Assessment,childrens,\nMC,Adults north,adults,\n").encode()


def test_an_import_overtaken_by_another_reports_nothing_created(
    mc: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = framework.check_file

    def check_then_another_import_runs(*args: Any) -> framework.FilePlan:
        plan = checked(*args)  # this import found two rows to create ...
        monkeypatch.setattr(framework, "check_file", checked)
        assert run(CONTENT) == []  # ... and another import created them meanwhile
        return plan

    monkeypatch.setattr(framework, "check_file", check_then_another_import_runs)
    result = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[(get_importer("teams"), "mine.csv", CONTENT)],
        dry_run=False,
    )
    assert result.applied
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 2}
    assert Team.objects.unscoped("test").count() == 2
    mine = ImportRun.objects.unscoped("test").get(file_name="mine.csv")
    assert (mine.created_count, mine.updated_count, mine.unchanged_count) == (0, 0, 2)


def test_an_applied_import_counts_what_it_created_and_changed(mc: Organisation) -> None:
    first = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[(get_importer("teams"), "teams.csv", CONTENT)],
        dry_run=False,
    )
    assert first.counts() == {"create": 2, "update": 0, "unchanged": 0}
    changed = CONTENT.replace(b"Adults north,adults", b"Adults north,childrens")
    second = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[(get_importer("teams"), "teams.csv", changed)],
        dry_run=False,
    )
    assert second.counts() == {"create": 0, "update": 1, "unchanged": 1}
