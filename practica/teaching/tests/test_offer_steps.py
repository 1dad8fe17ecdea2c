"""Which step an offer may take next, and for whom, is the protocol's rule
(``services.offer_steps``), asked by the request page; ``take_offer_step`` takes one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from practica.accounts.grants import MANAGE
from practica.teaching.models import OfferStatus, RequestOffer, RequestStatus
from practica.teaching.sessions import services
from practica.teaching.sessions.abilities import ACCEPT, CONFIRM
from practica.teaching.tests.sessions_world import World, make_world, raise_teaching

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _offer(world: World) -> RequestOffer:
    request = raise_teaching(world, targets=[world.la1])
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    return offer


def _steps(offer: RequestOffer, *abilities: str) -> list[str]:
    offer.refresh_from_db()
    steps = services.offer_steps(offer, request=offer.request, abilities=set(abilities))
    return [step for step, _button in steps]


def test_each_party_has_its_own_next_steps_as_the_offer_moves_on(world: World) -> None:
    offer = _offer(world)
    assert _steps(offer, ACCEPT) == ["accept", "decline"]  # the university
    assert _steps(offer, CONFIRM) == ["withdraw"]  # the practitioner, before acceptance
    assert _steps(offer, MANAGE) == ["withdraw"]  # their employer

    services.take_offer_step(actor=world.academic, offer=offer, step="accept")
    assert _steps(offer, ACCEPT) == []
    assert _steps(offer, CONFIRM) == ["confirm", "withdraw"]

    services.take_offer_step(actor=world.pt_user, offer=offer, step="confirm")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CONFIRMED
    assert _steps(offer, CONFIRM) == ["withdraw"]
    assert _steps(offer, ACCEPT) == []


def test_an_offer_not_taken_up_or_of_a_cancelled_request_has_no_next_step(
    world: World,
) -> None:
    offer = _offer(world)
    services.take_offer_step(actor=world.academic, offer=offer, step="decline")
    assert _steps(offer, ACCEPT, CONFIRM, MANAGE) == []

    other = _offer(world)
    services.cancel_request(actor=world.academic, request=other.request, reason="Module moved.")
    other.request.refresh_from_db()
    assert other.request.status == RequestStatus.CANCELLED
    assert _steps(other, ACCEPT, CONFIRM, MANAGE) == []


def test_an_unknown_step_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="not a step"):
        services.take_offer_step(actor=world.academic, offer=_offer(world), step="promote")


def test_every_step_says_who_may_take_it() -> None:
    assert set(services.STEP_ABILITIES) == {"accept", "decline", "confirm", "withdraw"}
