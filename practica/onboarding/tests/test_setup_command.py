"""`practica setup`: the wizard's work from the command line; clear errors with exit code 2 and
nothing written; running it again changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Invitation, Role
from practica.core.models import AcademicYear, Organisation, Partnership

NAME = "Kent and Medway Teaching Partnership"
FULL = [
    "--partnership",
    NAME,
    "--organisation",
    "MC:Medway Council:local_authority",
    "--organisation",
    "CCCU:Canterbury Christ Church University:hei",
    "--lead",
    "MC",
    "--year",
    "2019/20",
    "--coordinator",
    "MC:lead@medway.example",
    "--coordinator",
    "CCCU:placements@cccu.example",
    "--manager",
    "pat@medway.example",
]


def setup(*args: str) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("setup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_sets_up_the_partnership_organisations_year_and_invitations(
    db: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        out, _err = setup(*FULL)
    partnership = Partnership.objects.get()
    assert partnership.name == NAME
    assert partnership.lead_organisation is not None
    assert partnership.lead_organisation.code == "MC"
    assert sorted(Organisation.objects.unscoped("test").values_list("code", "kind")) == [
        ("CCCU", "hei"),
        ("MC", "local_authority"),
    ]
    assert AcademicYear.objects.filter(start_year=2019).exists()
    assert sorted(
        Invitation.objects.unscoped("test").values_list("email", "organisation__code", "role")
    ) == [
        ("lead@medway.example", "MC", Role.COORDINATOR),
        ("pat@medway.example", "MC", Role.PARTNERSHIP_MANAGER),
        ("placements@cccu.example", "CCCU", Role.COORDINATOR),
    ]
    assert len(mail.outbox) == 3
    assert "Created the organisation Medway Council (MC)" in out


def test_running_it_again_changes_nothing(db: None) -> None:
    setup(*FULL)
    counts = (
        Organisation.objects.unscoped("test").count(),
        Invitation.objects.unscoped("test").count(),
    )
    out, _err = setup(*FULL)
    assert f"{NAME} is already set up; nothing changed." in out
    assert (
        Organisation.objects.unscoped("test").count(),
        Invitation.objects.unscoped("test").count(),
    ) == counts


def test_it_adds_organisations_and_renames_them_on_a_later_run(db: None) -> None:
    setup(*FULL)
    out, _err = setup(
        "--partnership",
        NAME,
        "--organisation",
        "MC:Medway Borough Council:local_authority",
        "--organisation",
        "KCC:Kent County Council:local_authority",
    )
    assert Organisation.objects.unscoped("test").get(code="MC").name == "Medway Borough Council"
    assert Organisation.objects.unscoped("test").filter(code="KCC").exists()
    assert "Updated the organisation Medway Borough Council (MC)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "MC-Medway"], "write it as CODE:NAME:KIND"),
        (["--organisation", "M:Medway Council:local_authority"], "“M” is not an organisation code"),
        (
            ["--organisation", "MC:Medway Council:council"],
            "“council” is not a kind of organisation",
        ),
        (["--organisation", "MC::local_authority"], "Enter the name of the organisation MC."),
        (
            ["--organisation", "MC:A:other", "--organisation", "mc:B:other"],
            "The code MC is given to two organisations.",
        ),
        (["--lead", "KCC"], "The lead organisation KCC is not one of the organisations."),
        (["--year", "2019/21"], "--year: “2019/21” is not an academic year"),
        (["--coordinator", "MC"], "write it as CODE:EMAIL"),
        (["--coordinator", "XX:a@b.example"], "XX, for the coordinator a@b.example, is not one"),
        (
            ["--organisation", "MC:Medway:local_authority", "--coordinator", "MC:nobody"],
            "The coordinator's e-mail address for MC, “nobody”, is not an e-mail address.",
        ),
        (["--manager", "pat@medway.example"], "name the lead too"),
    ],
)
def test_a_bad_option_exits_with_code_2_names_the_problem_and_writes_nothing(
    db: None, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("setup", "--partnership", NAME, *args)
    assert caught.value.returncode == 2
    assert message in capsys.readouterr().err
    assert not Partnership.objects.exists()
    assert not Organisation.objects.unscoped("test").exists()


def test_every_problem_is_listed_at_once(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("setup", "--partnership", " ", "--organisation", "x:y:z", "--year", "19/20")
    assert str(caught.value) == "4 problem(s) found; nothing was set up."
    err = capsys.readouterr().err
    assert "Enter the partnership's name." in err
    assert "“X” is not an organisation code" in err
    assert "“z” is not a kind of organisation" in err
    assert "--year" in err


def test_it_refuses_a_second_partnership(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    setup(*FULL)
    with pytest.raises(CommandError):
        call_command("setup", "--partnership", "Another partnership")
    assert "Practica already holds the partnership “Kent and Medway" in capsys.readouterr().err
    assert Partnership.objects.count() == 1


def test_a_dry_run_checks_and_writes_nothing(db: None) -> None:
    out, _err = setup(*FULL, "--dry-run")
    assert "dry run: nothing written" in out
    assert not Partnership.objects.exists()
