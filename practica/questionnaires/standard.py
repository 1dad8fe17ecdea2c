"""The questionnaires Practica ships with, as data: the Practice Placement Evaluation Tool in its
student and practice educator versions, and the session feedback form.

They are installed for a partnership by ``practica questionnaires-install`` (and by the demo),
not by a data migration: a questionnaire belongs to a partnership, and a fresh installation has
none until it is set up (docs/0024-questionnaire-engine.md). Installing is idempotent: a
questionnaire whose short name the partnership already has is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from practica.core.models import Partnership
from practica.questionnaires import services
from practica.questionnaires.models import Questionnaire, QuestionType

if TYPE_CHECKING:
    from practica.accounts.models import User

L, S, M, Y, N, T = (
    QuestionType.LIKERT,
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.YES_NO,
    QuestionType.NUMBER,
    QuestionType.TEXT,
)
WHY = "Why? Do not name service users; you may name teams and roles."


@dataclass(frozen=True)
class Q:
    code: str
    text: str
    type: str
    required: bool = True
    help_text: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    title: str
    questions: tuple[Q, ...]
    description: str = ""


@dataclass(frozen=True)
class Standard:
    slug: str
    name: str
    description: str
    parts: tuple[Part, ...]
    anonymous: bool = False


def _ppet(who: str) -> tuple[Part, ...]:
    """The evaluation's sections; ``who`` is "student" or "educator" and picks the wording."""
    student = who == "student"
    return (
        Part(
            "Preparation",
            (
                Q(
                    "preparation-information",
                    "I was sent enough information about the placement before it started"
                    if student
                    else "I was sent enough information about the student before the placement started",
                    L,
                ),
                Q(
                    "preparation-meeting",
                    "A pre-placement meeting took place",
                    Y,
                ),
                Q(
                    "preparation-ready",
                    "The team was ready for the student's arrival",
                    L,
                ),
            ),
        ),
        Part(
            "Induction",
            (
                Q(
                    "induction-plan",
                    "There was an induction plan for the first weeks",
                    Y,
                ),
                Q(
                    "induction-quality",
                    "The induction helped the student settle into the team"
                    if not student
                    else "The induction helped me settle into the team",
                    L,
                ),
                Q(
                    "induction-access",
                    "IT, building access and case-recording training were in place in the first week",
                    L,
                ),
            ),
        ),
        Part(
            "Supervision",
            (
                Q(
                    "supervision-frequency",
                    "How often did formal supervision take place?",
                    S,
                    choices=("Weekly", "Fortnightly", "Less often than fortnightly"),
                ),
                Q(
                    "supervision-quality",
                    "Supervision was reflective and helped me link theory to practice"
                    if student
                    else "I could give supervision that was reflective and linked theory to practice",
                    L,
                ),
                Q(
                    "supervision-on-site",
                    "The on-site supervisor and practice educator worked well together",
                    L,
                    required=False,
                    help_text="Leave it blank when there was no on-site supervisor.",
                ),
            ),
        ),
        Part(
            "Learning opportunities",
            (
                Q(
                    "learning-range",
                    "The placement offered enough range of work to meet the Professional Capabilities Framework"
                    if student
                    else "The team offered the student enough range of work to meet the Professional Capabilities Framework",
                    L,
                ),
                Q(
                    "learning-observations",
                    "Direct observations took place as planned",
                    Y,
                ),
                Q(
                    "learning-kinds",
                    "Which learning opportunities were offered?",
                    M,
                    required=False,
                    choices=(
                        "Shadowing",
                        "Co-working cases",
                        "Own caseload",
                        "Court or panel work",
                        "Multi-agency meetings",
                        "Training sessions",
                    ),
                ),
            ),
        ),
        Part(
            "Workload",
            (
                Q(
                    "workload-cases",
                    "How many cases did the student hold at the busiest point?",
                    N,
                    required=False,
                ),
                Q(
                    "workload-manageable",
                    "My workload was manageable"
                    if student
                    else "The practice educator role fitted into my workload",
                    L,
                ),
                Q(
                    "workload-protected-time",
                    "Time for practice educator work was protected by my manager",
                    Y,
                )
                if not student
                else Q(
                    "workload-study-time",
                    "I had study time as agreed in the learning agreement",
                    Y,
                ),
            ),
        ),
        Part(
            "Support from the university",
            (
                Q(
                    "hei-tutor",
                    "The university tutor was available when needed",
                    L,
                ),
                Q(
                    "hei-concerns",
                    "Concerns were dealt with promptly",
                    L,
                    required=False,
                    help_text="Leave it blank when there were no concerns.",
                ),
                Q(
                    "hei-information",
                    "The university's placement documents were clear",
                    L,
                ),
            ),
        ),
        Part(
            "Overall",
            (
                Q(
                    "overall-rating",
                    "Overall, how would you rate the placement?",
                    L,
                    choices=("Poor", "Fair", "Good", "Very good", "Excellent"),
                ),
                Q(
                    "overall-recommend",
                    "I would recommend this placement to another student"
                    if student
                    else "I would be a practice educator again",
                    Y,
                ),
                Q("overall-went-well", "What went well?", T, required=False),
                Q("overall-improve", "What could be better?", T, required=False, help_text=WHY),
            ),
        ),
    )


STANDARDS = (
    Standard(
        slug="placement-evaluation-student",
        name="Practice Placement Evaluation Tool: student",
        description=(
            "The student's evaluation of their placement: preparation, induction, "
            "supervision, learning opportunities, workload, support from the university and "
            "overall. Answered at the end of each placement; compared with the practice "
            "educator's evaluation of the same placement."
        ),
        parts=_ppet("student"),
    ),
    Standard(
        slug="placement-evaluation-educator",
        name="Practice Placement Evaluation Tool: practice educator",
        description=(
            "The practice educator's evaluation of the placement, asking about the same areas "
            "as the student's version so that the two can be compared."
        ),
        parts=_ppet("educator"),
    ),
    Standard(
        slug="session-feedback",
        name="Session feedback",
        description="Feedback on a teaching session, forum or workshop.",
        anonymous=True,
        parts=(
            Part(
                "The session",
                (
                    Q("session-objectives", "The session met its stated objectives", L),
                    Q("session-useful", "The session will be useful in my practice", L),
                    Q("session-presenter", "The presenters knew their subject", L),
                    Q(
                        "session-format",
                        "The format suited the subject",
                        S,
                        choices=("Yes", "Partly", "No"),
                    ),
                    Q("session-best", "What was most useful?", T, required=False),
                    Q("session-improve", "What would improve the session?", T, required=False),
                ),
            ),
        ),
    ),
)


@transaction.atomic
def install_standard_questionnaires(
    *, actor: User | None, partnership: Partnership
) -> list[Questionnaire]:
    """Creates and publishes, for the whole partnership, each shipped questionnaire the
    partnership does not have yet (by short name). Returns those created."""
    existing = set(
        Questionnaire.objects.unscoped("the short names a partnership already uses")
        .filter(partnership=partnership)
        .values_list("slug", flat=True)
    )
    created = []
    for standard in STANDARDS:
        if standard.slug in existing:
            continue
        questionnaire = services.create_questionnaire(
            actor=actor,
            partnership=partnership,
            organisation=None,
            name=standard.name,
            slug=standard.slug,
            description=standard.description,
            anonymous=standard.anonymous,
        )
        version = services.latest_version(questionnaire)
        for part in standard.parts:
            section = services.add_section(
                actor=actor, version=version, title=part.title, description=part.description
            )
            for question in part.questions:
                services.add_question(
                    actor=actor,
                    section=section,
                    code=question.code,
                    text=question.text,
                    type=question.type,
                    required=question.required,
                    help_text=question.help_text,
                    choices=question.choices,
                )
        services.publish_version(actor=actor, version=version)
        created.append(questionnaire)
    return created
