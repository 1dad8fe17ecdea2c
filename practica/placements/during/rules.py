"""Who sees and does what with the records kept during a placement (docs/0029). Appended to
``placements/rules.py``'s ``RULES``; the ability names live here so that this sub-package
never imports the app's own rules module (which imports this one)."""

from __future__ import annotations

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    AboutThemselves,
    InOrganisation,
    Rules,
    Through,
)
from practica.accounts.models import Role
from practica.core.models import OrganisationKind
from practica.placements.during.models import (
    AttendanceWeek,
    CauseForConcern,
    DirectObservation,
    PlacementReview,
    PreferenceWindow,
    PreplacementCheck,
    SkillsDays,
    StudentPreference,
)
from practica.placements.models import Placement, Student

# on a placement: log a week's attendance (the student, the practice educator)
LOG_ATTENDANCE = "log_attendance"
# sign off the weeks logged (the practice educator)
SIGN_OFF = "sign_off_attendance"
# record the learning agreement meeting, the reviews and direct observations
RECORD_PROGRESS = "record_progress"
# raise a cause for concern (everyone involved: PE, supervisor, student, tutor, coordinator)
RAISE_CONCERN = "raise_concern"
# see and run the placement's causes for concern (its university and its provider)
CONCERNS = "concerns"
# a student states their own placement preferences
STATE_PREFERENCES = "state_preferences"

HEI = {OrganisationKind.HEI}
PROVIDERS = set(OrganisationKind.values) - HEI
HEI_STAFF = COORDINATORS | {Role.ACADEMIC}
STUDENT = "student__person__user"
EDUCATOR = "practice_educator__person__user"
SUPERVISOR = "onsite_supervisor__user"

RULES = [
    Rules(Student, AboutThemselves("person__user", {STATE_PREFERENCES})),
    # a university opens a window a year for its students' preferences; its students see it
    Rules(
        PreferenceWindow,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}, organisation_kinds=HEI),
        InOrganisation({Role.STUDENT}, {VIEW}, organisation_kinds=HEI),
        PARTNERSHIP_MANAGER_READS,
    ),
    # a student's choices: whoever reads the student reads them
    Rules(StudentPreference, Through("student", VIEW, {VIEW})),
    Rules(
        Placement,
        InOrganisation(
            COORDINATORS,
            {RECORD_PROGRESS, RAISE_CONCERN, CONCERNS},
            organisation_kinds=PROVIDERS,
        ),
        InOrganisation(
            HEI_STAFF,
            {RECORD_PROGRESS, RAISE_CONCERN, CONCERNS},
            via=("student__hei",),
            organisation_kinds=HEI,
        ),
        AboutThemselves(EDUCATOR, {LOG_ATTENDANCE, SIGN_OFF, RECORD_PROGRESS, RAISE_CONCERN}),
        AboutThemselves(SUPERVISOR, {RAISE_CONCERN}),
        AboutThemselves(STUDENT, {LOG_ATTENDANCE, RAISE_CONCERN}),
    ),
    # checks and skills days follow the student: their university keeps them, whoever reads
    # the student reads them (the providing organisation and PE of their placements)
    Rules(
        PreplacementCheck,
        Through("student", VIEW, {VIEW}),
        Through("student", MANAGE, {MANAGE}),
    ),
    Rules(
        SkillsDays,
        Through("student", VIEW, {VIEW}),
        Through("student", MANAGE, {MANAGE}),
    ),
    # attendance, reviews and observations follow the placement
    Rules(AttendanceWeek, Through("placement", VIEW, {VIEW})),
    Rules(PlacementReview, Through("placement", VIEW, {VIEW})),
    Rules(DirectObservation, Through("placement", VIEW, {VIEW})),
    # a cause for concern: the student's university and the providing organisation run it; the
    # people on the placement read it; no one else (not even the partnership manager)
    Rules(
        CauseForConcern,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}, organisation_kinds=PROVIDERS),
        InOrganisation(
            HEI_STAFF, {VIEW, MANAGE}, via=("placement__student__hei",), organisation_kinds=HEI
        ),
        AboutThemselves(f"placement__{EDUCATOR}", {VIEW}),
        AboutThemselves(f"placement__{SUPERVISOR}", {VIEW}),
        AboutThemselves(f"placement__{STUDENT}", {VIEW}),
    ),
]

__all__ = [
    "CONCERNS",
    "LOG_ATTENDANCE",
    "RAISE_CONCERN",
    "RECORD_PROGRESS",
    "RULES",
    "SIGN_OFF",
    "STATE_PREFERENCES",
]
