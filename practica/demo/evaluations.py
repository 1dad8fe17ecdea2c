"""The demo's placement evaluations: last year's (2018/19) completed placements evaluated by
their students and practice educators through placement-bound links, most of them answered
by both (docs/0031-placement-evaluation.md). Idempotent: people already asked about a
placement are not asked again, and a second load finds every placement asked."""

from __future__ import annotations

import random

from django.db.models import QuerySet

from practica.core.models import Organisation
from practica.demo import DEMO
from practica.demo.questionnaires import answers_for
from practica.placements import evaluation
from practica.placements.models import Placement, PlacementStatus
from practica.questionnaires import services
from practica.questionnaires.models import Invitation

YEAR = 2018  # last year, in the case study's winter of 2019/20
ASKED_SHARE = 0.9  # placements whose evaluation was sent
ANSWERED_SHARE = 0.85  # of the people asked, those who answered


def load(organisations: dict[str, Organisation]) -> None:
    partnership = organisations["MC"].partnership
    placements = list(
        Placement.objects.unscoped(DEMO)
        .filter(
            organisation__partnership=partnership,
            academic_year__start_year=YEAR,
            status=PlacementStatus.COMPLETED,
        )
        .select_related(
            "student__person",
            "organisation",
            "academic_year",
            "practice_educator__person",
            "onsite_supervisor",
        )
        .order_by("student__student_ref", "placement_type")
    )
    if not placements or evaluation.about(Invitation.objects.all(), _ids(placements)).exists():
        return  # none to evaluate, or loaded before
    rng = random.Random("placement-evaluations")  # the same answers on every load
    chosen = [p for p in placements if rng.random() < ASKED_SHARE]
    evaluation.send_evaluations(actor=None, placements=chosen, send=False)
    versions = evaluation.versions_for(partnership)
    invitations = evaluation.about(Invitation.objects.all(), _ids(chosen)).order_by(
        "subject_id", "person__email"
    )
    for invitation in invitations.select_related("distribution__version"):
        if rng.random() < ANSWERED_SHARE:
            version = invitation.distribution.version
            assert version in versions.values()
            services.submit_response(invitation=invitation, answers=answers_for(version, rng))


def _ids(placements: list[Placement]) -> QuerySet[Placement]:
    return Placement.objects.unscoped(DEMO).filter(pk__in=[p.pk for p in placements])
