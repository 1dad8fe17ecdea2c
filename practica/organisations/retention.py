"""How long Practica keeps personal data, and the anonymising of what is due (UK GDPR storage
limitation; issue 15).

Each app registers its rules (``register``) in its ``apps.py``: what kind of record, how many
years after which date, and what is done when it falls due (the person anonymised, or one
record's words about them overwritten; ``organisations.anonymise``). The years are settings
(``RETENTION_YEARS``, each from an environment variable), so a partnership's information
governance sets them. ``practica retention --plan`` and the retention page say what is due and
what falls due next; ``practica retention`` (run daily from the server's scheduler, or the
``apply_retention`` task) anonymises what is due.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

if TYPE_CHECKING:
    from practica.accounts.models import User

# what the plan shows ahead of today: records falling due within this many days
LOOK_AHEAD_DAYS = 90


@dataclass(frozen=True)
class Candidate:
    """One record a rule keeps an eye on: when its period started, and how to anonymise it."""

    record: str  # a kind and a number ("Student #12"); never a name
    partnership_id: int
    counted_from: datetime.date
    anonymise: Callable[[User | None], object]


@dataclass(frozen=True)
class RetentionRule:
    key: str  # the key of settings.RETENTION_YEARS
    records: str  # what it keeps, in words ("Students")
    after: str  # from when ("after their course ends")
    action: str  # what happens when due ("the student is anonymised")
    # the records to watch: of the partnerships given (a set of ids), or of all (None)
    candidates: Callable[[set[int] | None], list[Candidate]]

    @property
    def years(self) -> int:
        return int(settings.RETENTION_YEARS[self.key])

    @property
    def period(self) -> str:
        return f"{self.years} {'year' if self.years == 1 else 'years'} {self.after}"


@dataclass(frozen=True)
class Planned:
    rule: RetentionRule
    candidate: Candidate
    due_on: datetime.date

    @property
    def record(self) -> str:
        return self.candidate.record


_RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    if rule.key not in settings.RETENTION_YEARS:
        raise LookupError(f"settings.RETENTION_YEARS has no period for {rule.key!r}")
    _RULES[rule.key] = rule


def rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda rule: rule.records)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def plan(
    *,
    today: datetime.date | None = None,
    partnership_ids: set[int] | None = None,
    look_ahead_days: int = LOOK_AHEAD_DAYS,
) -> list[Planned]:
    """What is due by ``today`` and what falls due in the next ``look_ahead_days``, soonest
    first (only ``partnership_ids``' records, when given)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=look_ahead_days)
    found: list[Planned] = []
    for rule in rules():
        for candidate in rule.candidates(partnership_ids):
            due_on = _add_years(candidate.counted_from, rule.years)
            if due_on <= horizon:
                found.append(Planned(rule, candidate, due_on))
    return sorted(found, key=lambda planned: (planned.due_on, planned.rule.key, planned.record))


def apply(*, actor: User | None = None, today: datetime.date | None = None) -> list[Planned]:
    """Anonymises every record due by ``today``; each in its own transaction, so one that
    fails leaves the others done. Returns those done."""
    today = today or timezone.localdate()
    done: list[Planned] = []
    for planned in plan(today=today, look_ahead_days=0):
        with transaction.atomic():
            planned.candidate.anonymise(actor)
        done.append(planned)
    return done


@task()
def apply_retention() -> int:
    """The background task that anonymises what is due (``practica retention`` does the same)."""
    return len(apply())
