"""Subject access also finds what no relation leads to (issue 15): invitations sent to the
person's e-mail address before they had a login, and the login's open sessions; anonymising
overwrites those invitations and the placement links e-mailed to them."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from practica.accounts.models import Role, User
from practica.accounts.services import invite
from practica.core.models import Organisation, Person
from practica.organisations.anonymise import anonymise_person
from practica.organisations.subject_access import subject_access_document
from practica.organisations.tests.factories import PersonFactory, member
from practica.placements.models import PlacementLink
from practica.placements.services import create_placement_link
from practica.placements.tests.factories import PlacementFactory


def sections(person: Person) -> dict[str, list[dict[str, Any]]]:
    return {s["title"]: s["records"] for s in subject_access_document(person)["sections"]}


def test_an_invitation_sent_before_they_had_a_login_is_found(
    org_a: Organisation, alice: User
) -> None:
    invite(actor=alice, email="Kim.Lowe@Example.test", organisation=org_a, role=Role.ACADEMIC)
    invite(actor=alice, email="someone.else@example.test", organisation=org_a, role=Role.ACADEMIC)
    kim = PersonFactory.create(organisation=org_a, email="kim.lowe@example.test")
    found = sections(kim)["Invitations sent to their e-mail address"]
    assert [record["fields"]["email"] for record in found] == ["kim.lowe@example.test"]
    assert found[0]["history"]
    assert "token" not in json.dumps(found).lower()


def test_a_person_with_no_invitation_has_no_such_section(org_a: Organisation) -> None:
    kim = PersonFactory.create(organisation=org_a, email="kim.lowe@example.test")
    assert "Invitations sent to their e-mail address" not in sections(kim)


def test_the_logins_open_sessions_are_listed_without_their_keys(
    client: Client, org_a: Organisation
) -> None:
    user = member(Role.ACADEMIC, org_a, email="kim.lowe@example.test")
    kim = PersonFactory.create(organisation=org_a, email="kim.lowe@example.test", user=user)
    client.force_login(user)
    other = Client()
    other.force_login(member(Role.ACADEMIC, org_a, email="lee@example.test"))
    found = sections(kim)["Sessions signed in now"]
    assert len(found) == 1
    assert set(found[0]) == {"ends"}
    key = client.session.session_key
    assert key is not None
    assert key not in json.dumps(subject_access_document(kim))
    signed_in = sections(kim)["Audit events"]
    assert [record["fields"]["action"] for record in signed_in] == ["Signed in"]


def test_anonymising_also_overwrites_the_invitations_to_their_address(
    org_a: Organisation, alice: User
) -> None:
    invitation, _token = invite(
        actor=alice, email="kim.lowe@example.test", organisation=org_a, role=Role.ACADEMIC
    )
    kim = PersonFactory.create(organisation=org_a, email="kim.lowe@example.test")
    anonymise_person(actor=alice, person=kim)
    invitation.refresh_from_db()
    assert invitation.email == f"anonymised-invitation-{invitation.pk}@anonymised.invalid"
    assert {v.email for v in invitation.history.all()} == {invitation.email}


def test_anonymising_also_overwrites_the_placement_links_sent_to_their_address(
    org_a: Organisation, alice: User
) -> None:
    placement = PlacementFactory.create(organisation=org_a)
    create_placement_link(placement=placement, email="Kim.Lowe@Example.test")
    create_placement_link(placement=placement, email="someone.else@example.test")
    kim = PersonFactory.create(organisation=org_a, email="kim.lowe@example.test")
    anonymise_person(actor=alice, person=kim)
    links = {link.email: link for link in PlacementLink.objects.unscoped("test").all()}
    assert "Kim.Lowe@Example.test" not in links
    assert "someone.else@example.test" in links  # another person's link is left alone
    (theirs,) = [link for address, link in links.items() if address != "someone.else@example.test"]
    assert theirs.email == f"anonymised-link-{theirs.pk}@anonymised.invalid"
    assert {v.email for v in theirs.history.all()} == {theirs.email}
