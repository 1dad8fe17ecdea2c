"""What the register's lists hold when downloaded (``reports.lists``): the register, the shared
Stage 2 register, the lapsing list and reviews due."""

from __future__ import annotations

from typing import Any

from practica.educators.register.currency import CurrencyStatus
from practica.reports.lists import ListColumn, ListDownload


def _activities(educator: Any) -> str:
    return "; ".join(a.get_kind_display() for a in getattr(educator, "current_activities", []))


def _currency(educator: Any) -> str:
    status = getattr(educator, "currency_status", "")
    return str(CurrencyStatus(status).label) if status in CurrencyStatus.values else ""


NAME = [
    ListColumn("Last name", lambda e: e.person.last_name),
    ListColumn("First name", lambda e: e.person.first_name),
]
PLACE = [
    ListColumn("Organisation", lambda e: e.person.organisation.name),
    ListColumn("Team", lambda e: e.person.team.name if e.person.team else ""),
]

REGISTER = ListDownload(
    "practice-educator-register",
    "Practice educator register",
    [
        *NAME,
        ListColumn("E-mail", lambda e: e.person.email),
        *PLACE,
        ListColumn("Location", lambda e: e.place_name),
        ListColumn("Service area", lambda e: e.area_name),
        ListColumn("PEPS stage", lambda e: e.get_peps_stage_display()),
        ListColumn("Stage 1 date", lambda e: e.stage1_date, "date"),
        ListColumn("Stage 2 date", lambda e: e.stage2_date, "date"),
        ListColumn("Last student", lambda e: e.last_student_date, "date"),
        ListColumn("Last update training", lambda e: e.last_training_date, "date"),
        ListColumn("Last reviewed", lambda e: e.reviewed_on, "date"),
        ListColumn("Current activities", _activities),
        ListColumn("Currency", _currency),
    ],
)

SHARED_REGISTER = ListDownload(
    "stage-2-register",
    "PEPS Stage 2 practice educators in the partnership",
    [
        *NAME,
        *PLACE,
        ListColumn("Location", lambda e: e.place_name),
        ListColumn("Service area", lambda e: e.area_name),
        ListColumn("Current activities", _activities),
    ],
)

LAPSING = ListDownload(
    "practice-educators-lapsing",
    "Practice educators who are lapsing or have lapsed",
    [
        *NAME,
        ListColumn("E-mail", lambda e: e.person.email),
        *PLACE,
        ListColumn("PEPS stage", lambda e: e.get_peps_stage_display()),
        ListColumn("Currency", _currency),
        ListColumn("Lapses on", lambda e: e.currency_detail.lapses_on, "date"),
        ListColumn("Why", lambda e: "; ".join(e.currency_detail.reasons)),
    ],
)

REVIEWS_DUE = ListDownload(
    "register-reviews-due",
    "Register entries due for review",
    [
        *NAME,
        *PLACE,
        ListColumn("Last reviewed", lambda e: e.reviewed_on, "date"),
    ],
)
