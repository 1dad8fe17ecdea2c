"""The demo's finished practice educator time audit, after the case study (002): 11 of Kent's
practice educators, across its service areas, logged every week of their 2018/19 final
(100-day) placement — 1,922 hours in the working day and 236 out of hours in all, at most 28
daytime and 19 out-of-hours hours in one week. Four of them split their weeks by activity.
Idempotent: the audit is found by its name before it is created."""

from __future__ import annotations

import random
from decimal import Decimal

from practica.core.models import Organisation
from practica.demo import DEMO
from practica.placements.models import Placement, PlacementStatus, PlacementType
from practica.timeaudit import services
from practica.timeaudit.models import Activity, TimeAudit, monday_of
from practica.timeaudit.selectors import WEEK

NAME = "Practice educator time audit 2019"
YEAR = 2018  # last year's final placements, seen from the case study's 2019/20
EDUCATORS = 11
DAYTIME, OOH = 1922, 236  # the case study's totals
DAYTIME_HIGHEST, OOH_HIGHEST = 28, 19
SPLIT_BY = 4  # how many of the educators split their weeks by activity


def load(organisations: dict[str, Organisation]) -> None:
    kent = organisations["KCC"]
    if TimeAudit.objects.unscoped(DEMO).filter(organisation=kent, name=NAME).exists():
        return
    placements = _placements(kent)
    if len(placements) < EDUCATORS:
        return  # the placements were not loaded
    audit = services.create_audit(
        actor=None,
        organisation=kent,
        name=NAME,
        academic_year=placements[0].academic_year,
        placement_type=PlacementType.FINAL_100,
    )
    enrolments = [
        services.enrol_educator(
            actor=None,
            audit=audit,
            practice_educator=placement.practice_educator,  # type: ignore[arg-type]  # chosen with one
            placement=placement,
        )
        for placement in placements
    ]
    weeks = {e.pk: _mondays(e.placement) for e in enrolments}  # type: ignore[arg-type]  # linked above
    count = sum(len(mondays) for mondays in weeks.values())
    rng = random.Random("timeaudit/demo")  # the same hours on every load
    daytime = _spread(rng, count, DAYTIME, DAYTIME_HIGHEST, low=3, high=12)
    ooh = _spread(rng, count, OOH, OOH_HIGHEST, low=0, high=3, quiet=0.6)
    index = 0
    for number, enrolment in enumerate(enrolments):
        for week, monday in enumerate(weeks[enrolment.pk], start=1):
            hours = Decimal(daytime[index]), Decimal(ooh[index])
            services.log_week(
                actor=None,
                enrolment=enrolment,
                week_start=monday,
                daytime_hours=hours[0],
                ooh_hours=hours[1],
                activities=_split(hours[0] + hours[1], week, len(weeks[enrolment.pk]))
                if number < SPLIT_BY
                else None,
            )
            index += 1


def _placements(kent: Organisation) -> list[Placement]:
    """One completed 2018/19 final placement for each of 11 Kent practice educators, taken in
    turn from each service area so that every area has some."""
    by_area: dict[str, list[Placement]] = {}
    seen: set[int] = set()
    for placement in (
        Placement.objects.unscoped(DEMO)
        .filter(
            organisation=kent,
            academic_year__start_year=YEAR,
            placement_type=PlacementType.FINAL_100,
            status=PlacementStatus.COMPLETED,
            practice_educator__isnull=False,
            team__isnull=False,
            starts_on__isnull=False,
            ends_on__isnull=False,
        )
        .select_related("team__service_area", "academic_year", "practice_educator")
        .order_by("practice_educator__person__email", "starts_on", "student__student_ref", "pk")
    ):
        if placement.practice_educator_id in seen:
            continue
        seen.add(placement.practice_educator_id)  # type: ignore[arg-type]  # filtered above
        area = placement.team.service_area.code if placement.team else ""
        by_area.setdefault(area, []).append(placement)
    chosen: list[Placement] = []
    while len(chosen) < EDUCATORS and any(by_area.values()):
        for area in sorted(by_area):
            if by_area[area] and len(chosen) < EDUCATORS:
                chosen.append(by_area[area].pop(0))
    return chosen


def _mondays(placement: Placement) -> list:  # type: ignore[type-arg]
    first = monday_of(placement.starts_on)  # type: ignore[arg-type]  # chosen with dates
    last = monday_of(placement.ends_on)  # type: ignore[arg-type]
    mondays = []
    while first <= last:
        mondays.append(first)
        first += WEEK
    return mondays


def _spread(
    rng: random.Random,
    count: int,
    total: int,
    highest: int,
    *,
    low: int,
    high: int,
    quiet: float = 0,
) -> list[int]:
    """``count`` whole hours adding up to ``total``, the largest exactly ``highest``; a share
    ``quiet`` of them 0."""
    values = [0 if rng.random() < quiet else rng.randint(low, high) for _ in range(count)]
    peak = rng.randrange(count)
    values[peak] = highest
    others = [i for i in range(count) if i != peak]
    while (gap := total - sum(values)) != 0:
        i = rng.choice(others)
        step = 1 if gap > 0 else -1
        if 0 <= values[i] + step < highest and (
            values[i] > 0 or quiet == 0 or step < 0 or rng.random() < 0.3
        ):
            values[i] += step
    return values


def _split(total: Decimal, week: int, weeks: int) -> dict[str, Decimal]:
    """A week's hours by activity: weekly supervision, observations now and then, meetings
    with the university at the start, middle and end, report writing in the last weeks."""
    left = total
    split: dict[str, Decimal] = {}

    def take(activity: Activity, hours: Decimal) -> None:
        nonlocal left
        hours = min(hours, left)
        split[activity] = hours
        left -= hours

    take(Activity.SUPERVISION, Decimal("1.5"))
    take(Activity.OBSERVATION, Decimal(3) if week % 5 == 3 else Decimal(0))
    take(Activity.HEI_MEETINGS, Decimal(2) if week in (1, weeks // 2, weeks) else Decimal(0))
    take(
        Activity.REPORT_WRITING,
        (left / 2).quantize(Decimal("0.5")) if week > weeks - 4 else Decimal(0),
    )
    take(Activity.PORTFOLIO, (left / 2).quantize(Decimal("0.5")))
    take(Activity.OTHER, left)
    return split
