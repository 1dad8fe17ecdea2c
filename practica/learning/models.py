"""The learning app's models, imported here so that Django finds them: events and registrations
live in ``learning/events/models.py``, the CPD-needs survey in ``learning/surveys/models.py``.
Import them from there; their tables and migrations are the ``learning`` app's.
"""

from __future__ import annotations

from practica.learning.events.models import Event, Registration
from practica.learning.outside.models import OutsideCpd
from practica.learning.surveys.models import (
    CpdNeedsRating,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsSurveyDelivery,
    CpdNeedsSurveyMailing,
    CpdNeedsTopic,
)

__all__ = [
    "CpdNeedsRating",
    "CpdNeedsResponse",
    "CpdNeedsSurvey",
    "CpdNeedsSurveyDelivery",
    "CpdNeedsSurveyMailing",
    "CpdNeedsTopic",
    "Event",
    "OutsideCpd",
    "Registration",
]
