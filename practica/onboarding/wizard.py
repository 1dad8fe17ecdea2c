"""The wizard's draft: the answers given so far, kept in the user's session until the
partnership is set up (nothing is written to the partnership's records before the last step).

The session is enough: set-up is one sitting of one administrator, and a draft lost when the
session ends (two hours idle, twelve at most) is re-entered in minutes. Rules about the answers
(codes unique in the draft, which tasks may start) live here, not in the views.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError

from practica.core.academic_years import format_academic_year
from practica.core.models import OrganisationKind
from practica.onboarding.services import OrganisationPlan, SetupPlan

DRAFT_KEY = "practica_setup_draft"
OUTCOME_KEY = "practica_setup_outcome"

Status = Literal["Completed", "In progress", "Not yet started", "Cannot start yet"]


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    hint: str
    url_name: str
    status: Status

    @property
    def can_start(self) -> bool:
        return self.status != "Cannot start yet"


@dataclass
class SetupDraft:
    partnership: str = ""
    lead: dict[str, str] | None = None  # {"code", "name", "kind"}
    members: list[dict[str, str]] = field(default_factory=list)
    members_done: bool = False
    year: int | None = None
    coordinators: dict[str, str] = field(default_factory=dict)  # code → e-mail address
    coordinators_done: bool = False

    @classmethod
    def load(cls, session: SessionBase) -> SetupDraft:
        stored: dict[str, Any] = session.get(DRAFT_KEY) or {}
        known = {name: stored[name] for name in cls.__dataclass_fields__ if name in stored}
        return cls(**known)

    def save(self, session: SessionBase) -> None:
        session[DRAFT_KEY] = asdict(self)

    @staticmethod
    def forget(session: SessionBase) -> None:
        session.pop(DRAFT_KEY, None)

    # answers

    def organisations(self) -> list[OrganisationPlan]:
        """The lead first, then the member organisations in the order they were added."""
        chosen = ([self.lead] if self.lead else []) + self.members
        return [OrganisationPlan(o["code"], o["name"], o["kind"]) for o in chosen]

    def set_lead(self, organisation: OrganisationPlan) -> None:
        """Refuses a code a member organisation already has."""
        if any(member["code"] == organisation.code for member in self.members):
            raise ValidationError(
                {"code": f"{organisation.code} is already a member organisation's code."}
            )
        if self.lead and self.lead["code"] != organisation.code:
            self.coordinators.pop(self.lead["code"], None)
        self.lead = asdict(organisation)

    def add_member(self, organisation: OrganisationPlan) -> None:
        """Refuses a code the draft already holds."""
        if organisation.code in {o.code for o in self.organisations()}:
            raise ValidationError({"code": f"You have already added {organisation.code}."})
        self.members.append(asdict(organisation))
        self.members_done = False

    def remove_member(self, code: str) -> None:
        self.members = [member for member in self.members if member["code"] != code]
        self.coordinators.pop(code, None)

    def set_coordinators(self, emails: dict[str, str]) -> None:
        codes = {o.code for o in self.organisations()}
        self.coordinators = {
            code: email for code, email in emails.items() if code in codes and email
        }
        self.coordinators_done = True

    def plan(self) -> SetupPlan:
        codes = {o.code for o in self.organisations()}
        return SetupPlan(
            partnership=self.partnership,
            organisations=tuple(self.organisations()),
            lead=self.lead["code"] if self.lead else "",
            year=self.year,
            coordinators=tuple(
                (code, email) for code, email in self.coordinators.items() if code in codes
            ),
        )

    @property
    def year_label(self) -> str:
        return format_academic_year(self.year) if self.year is not None else ""

    def organisation_rows(self) -> list[dict[str, Any]]:
        """The organisations as the pages list them: name, code, kind, lead or member."""
        lead_code = self.lead["code"] if self.lead else None
        return [
            {
                "code": organisation.code,
                "name": organisation.name,
                "kind": OrganisationKind(organisation.kind).label,
                "is_lead": organisation.code == lead_code,
                "coordinator": self.coordinators.get(organisation.code, ""),
            }
            for organisation in self.organisations()
        ]

    # progress

    def tasks(self) -> list[Task]:
        members: Status = (
            "Completed"
            if self.members_done
            else "In progress"
            if self.members
            else "Not yet started"
        )
        return [
            Task(
                "partnership",
                "Name the partnership",
                "As the partnership calls itself in reports to its board.",
                "onboarding:partnership",
                "Completed" if self.partnership else "Not yet started",
            ),
            Task(
                "lead",
                "Add the lead organisation",
                "The organisation that leads the partnership; you become its partnership manager.",
                "onboarding:lead",
                "Completed" if self.lead else "Not yet started",
            ),
            Task(
                "members",
                "Add the member organisations",
                "Local authorities, universities and others.",
                "onboarding:members",
                members if self.lead else "Cannot start yet",
            ),
            Task(
                "year",
                "Choose the academic year",
                "The year the partnership starts recording, such as 2019/20.",
                "onboarding:year",
                "Completed" if self.year is not None else "Not yet started",
            ),
            Task(
                "coordinators",
                "Invite each organisation's coordinator",
                "They are e-mailed a link to set up their account.",
                "onboarding:coordinators",
                (
                    "Completed"
                    if self.coordinators_done
                    else "Not yet started"
                    if self.lead and self.members_done
                    else "Cannot start yet"
                ),
            ),
        ]

    @property
    def ready(self) -> bool:
        """Whether every task is complete, so the answers can be checked and confirmed."""
        return all(task.status == "Completed" for task in self.tasks())
