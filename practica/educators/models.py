"""The app's models, as Django finds them (``<app>.models``): each is defined in the
sub-package of its area of work, so that area's code sits together."""

from practica.educators.recruitment.models import (
    ApplicationScore,
    Decision,
    PanelMember,
    PeApplication,
    SelectionCriterion,
)
from practica.educators.register.models import (
    QUALIFIED_STAGES,
    ActivityKind,
    CurrencyRule,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.educators.training.models import CohortStage, Outcome, PepsCohort, PepsEnrolment

__all__ = [
    "QUALIFIED_STAGES",
    "ActivityKind",
    "ApplicationScore",
    "CohortStage",
    "CurrencyRule",
    "Decision",
    "Outcome",
    "PanelMember",
    "PeApplication",
    "PepsCohort",
    "PepsEnrolment",
    "PepsStage",
    "PracticeEducator",
    "PracticeEducatorActivity",
    "SelectionCriterion",
]
