"""A small partnership for the request-protocol tests: a university (UNI) with its senior
academic, two local authorities (LA1, LA2) with their practitioner-teacher leads, and
practitioner teachers — one with a Practica account, one without."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership, ServiceArea
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
    member,
)
from practica.teaching.models import PractitionerTeacher, TeachingRequest
from practica.teaching.sessions import services
from practica.teaching.tests.factories import PractitionerTeacherFactory

DAY = datetime.date(2019, 11, 14)


@dataclass
class World:
    partnership: Partnership
    hei: Organisation
    la1: Organisation
    la2: Organisation
    academic: User
    lead1: User
    lead2: User
    pt_user: User
    pt_with_account: PractitionerTeacher
    pt_without_account: PractitionerTeacher
    other_pt: PractitionerTeacher


def make_world() -> World:
    partnership = PartnershipFactory.create(name="Protocol partnership")
    hei = OrganisationFactory.create(partnership=partnership, code="UNI", name="Uni", kind="hei")
    la1 = OrganisationFactory.create(partnership=partnership, code="LA1", name="Shire")
    la2 = OrganisationFactory.create(partnership=partnership, code="LA2", name="Borough")
    academic = member(Role.ACADEMIC, hei, email="prof@uni.test")
    lead1 = member(Role.COORDINATOR, la1, email="lead@shire.test")
    lead2 = member(Role.COORDINATOR, la2, email="lead@borough.test")
    adults = TeamFactory.create(
        organisation=la1, service_area=ServiceArea.objects.get(code="adults")
    )
    pt_user = member(Role.PRACTITIONER_TEACHER, la1, email="pat@shire.test")
    pt_with_account = PractitionerTeacherFactory.create(
        person=PersonFactory.create(
            organisation=la1, email="pat@shire.test", user=pt_user, team=adults
        )
    )
    pt_without_account = PractitionerTeacherFactory.create(
        person=PersonFactory.create(organisation=la1, email="noacc@shire.test", team=adults)
    )
    other_pt = PractitionerTeacherFactory.create(
        person=PersonFactory.create(organisation=la2, email="other@borough.test")
    )
    services.set_nominated_contact(
        actor=None,
        organisation=hei,
        person=PersonFactory.create(organisation=hei, email="prof@uni.test", user=academic),
    )
    for la, lead in ((la1, lead1), (la2, lead2)):
        services.set_nominated_contact(
            actor=None,
            organisation=la,
            person=PersonFactory.create(organisation=la, email=lead.email, user=lead),
        )
    return World(
        partnership,
        hei,
        la1,
        la2,
        academic,
        lead1,
        lead2,
        pt_user,
        pt_with_account,
        pt_without_account,
        other_pt,
    )


def raise_teaching(world: World, **changes: object) -> TeachingRequest:
    fields: dict[str, object] = {
        "actor": world.academic,
        "hei": world.hei,
        "kind": "teaching",
        "date": DAY,
        "starts_at": datetime.time(10, 0),
        "ends_at": datetime.time(12, 0),
        "module": "Adults",
        "topic": "Mental capacity",
        "place": "Room 2.14",
        **changes,
    }
    return services.raise_request(**fields)  # type: ignore[arg-type]
