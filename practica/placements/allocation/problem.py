"""The allocation problem as plain arrays: students, offers, journey times, pins and forbids.

Everything is an index-aligned numpy array of integers, so a database adapter can fill it
with a few bulk queries and the engine never loops over Python objects. Ids are opaque
integers (the adapter's primary keys); codes (route, placement type, service area, team,
setting, location, practice educator) are small integers the adapter chooses, and
``Labels`` turns them back into words for explanations. ``NONE`` (-1) means "not recorded".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NONE = -1
"""An absent code: no travel limit, no employer team, no previous setting, no PE, unknown time."""

MAX_ROUTES = 62
"""Route codes are bits of ``Offers.routes`` (an int64 mask), so they run from 0 to 61."""


def as_ints(values: npt.ArrayLike, name: str, length: int | None = None) -> IntArray:
    """``values`` as a one-dimensional int64 array, checking its length if one is given."""
    array = np.asarray(values, dtype=np.int64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, not of shape {array.shape}")
    if length is not None and array.shape[0] != length:
        raise ValueError(f"{name} has {array.shape[0]} values where {length} were expected")
    return array


def route_mask(routes: Sequence[int]) -> int:
    """The ``Offers.routes`` bit mask of an offer accepting ``routes``."""
    mask = 0
    for route in routes:
        if not 0 <= route < MAX_ROUTES:
            raise ValueError(f"route code {route} is outside 0..{MAX_ROUTES - 1}")
        mask |= 1 << route
    return mask


@dataclass(frozen=True)
class Students:
    """The students to place, one index per student (all arrays have the same length).

    ``area_rank[i, a]`` is the rank student ``i`` gave service area ``a`` (1 = first choice,
    0 = not ranked); it has one column per service area code. ``hei`` is the student's
    university (for quotas). A student who needs two placements in one run (Step Up) is
    two entries, one per placement, joined by ``Problem.couples``.
    """

    ids: IntArray
    route: IntArray
    needs_type: IntArray
    location: IntArray
    travel_limit: IntArray
    employer_team: IntArray
    previous_setting: IntArray
    area_rank: IntArray
    hei: IntArray

    @classmethod
    def build(
        cls,
        *,
        ids: npt.ArrayLike,
        route: npt.ArrayLike,
        needs_type: npt.ArrayLike,
        location: npt.ArrayLike,
        travel_limit: npt.ArrayLike | None = None,
        employer_team: npt.ArrayLike | None = None,
        previous_setting: npt.ArrayLike | None = None,
        area_rank: npt.ArrayLike | None = None,
        hei: npt.ArrayLike | None = None,
    ) -> Students:
        """Checked arrays; the optional ones default to "not recorded" for everyone."""
        ids_ = as_ints(ids, "ids")
        n = ids_.shape[0]
        absent = np.full(n, NONE, dtype=np.int64)
        ranks = np.zeros((n, 0), np.int64) if area_rank is None else np.asarray(area_rank)
        if ranks.ndim != 2 or ranks.shape[0] != n:
            raise ValueError(f"area_rank must have one row per student, not shape {ranks.shape}")
        ranks = ranks.astype(np.int64)
        if (ranks < 0).any():
            raise ValueError("area_rank holds ranks from 1 (first choice) or 0 (not ranked)")
        return cls(
            ids=ids_,
            route=as_ints(route, "route", n),
            needs_type=as_ints(needs_type, "needs_type", n),
            location=as_ints(location, "location", n),
            travel_limit=absent if travel_limit is None else as_ints(travel_limit, "limit", n),
            employer_team=absent if employer_team is None else as_ints(employer_team, "team", n),
            previous_setting=(
                absent if previous_setting is None else as_ints(previous_setting, "setting", n)
            ),
            area_rank=ranks,
            hei=absent if hei is None else as_ints(hei, "hei", n),
        )

    def __len__(self) -> int:
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class Offers:
    """The offers of placement capacity, one index per offer (all arrays the same length).

    ``routes`` is a bit mask of the route codes the offer accepts (``route_mask``); ``pe`` is
    the index of the offer's practice educator in ``Problem.pe_capacity`` (``NONE`` if the
    offer names none, in which case only its ``slots`` limit it) and ``pe_stage`` that PE's
    stage (1 or 2; 0 = none or unknown). ``provider`` is the offering organisation (for
    quotas).
    """

    ids: IntArray
    slots: IntArray
    routes: IntArray
    placement_type: IntArray
    team: IntArray
    setting: IntArray
    service_area: IntArray
    location: IntArray
    pe: IntArray
    pe_stage: IntArray
    provider: IntArray

    @classmethod
    def build(
        cls,
        *,
        ids: npt.ArrayLike,
        slots: npt.ArrayLike,
        routes: npt.ArrayLike,
        placement_type: npt.ArrayLike,
        location: npt.ArrayLike,
        team: npt.ArrayLike | None = None,
        setting: npt.ArrayLike | None = None,
        service_area: npt.ArrayLike | None = None,
        pe: npt.ArrayLike | None = None,
        pe_stage: npt.ArrayLike | None = None,
        provider: npt.ArrayLike | None = None,
    ) -> Offers:
        """Checked arrays; each offer is its own team and setting unless told otherwise."""
        ids_ = as_ints(ids, "ids")
        m = ids_.shape[0]
        absent = np.full(m, NONE, dtype=np.int64)
        own = np.arange(m, dtype=np.int64)
        slots_ = as_ints(slots, "slots", m)
        if (slots_ < 0).any():
            raise ValueError("slots cannot be negative")
        return cls(
            ids=ids_,
            slots=slots_,
            routes=as_ints(routes, "routes", m),
            placement_type=as_ints(placement_type, "placement_type", m),
            team=own if team is None else as_ints(team, "team", m),
            setting=own if setting is None else as_ints(setting, "setting", m),
            service_area=absent if service_area is None else as_ints(service_area, "area", m),
            location=as_ints(location, "location", m),
            pe=absent if pe is None else as_ints(pe, "pe", m),
            pe_stage=np.zeros(m, np.int64) if pe_stage is None else as_ints(pe_stage, "stage", m),
            provider=absent if provider is None else as_ints(provider, "provider", m),
        )

    def __len__(self) -> int:
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class Travel:
    """Journey minutes between location codes: ``minutes[a, b]``, ``NONE`` where unknown."""

    minutes: IntArray

    @classmethod
    def from_triples(
        cls,
        locations: int,
        origin: npt.ArrayLike,
        destination: npt.ArrayLike,
        minutes: npt.ArrayLike,
        *,
        symmetric: bool = True,
    ) -> Travel:
        """A matrix from recorded journeys; a place is 0 minutes from itself.

        With ``symmetric`` a journey recorded one way also counts the other way, unless
        that way is recorded too (the later triple wins where both are given).
        """
        origin_ = as_ints(origin, "origin")
        destination_ = as_ints(destination, "destination", origin_.shape[0])
        minutes_ = as_ints(minutes, "minutes", origin_.shape[0])
        matrix = np.full((locations, locations), NONE, dtype=np.int64)
        np.fill_diagonal(matrix, 0)
        if symmetric:
            matrix[destination_, origin_] = minutes_
        matrix[origin_, destination_] = minutes_
        return cls(matrix)

    def lookup(self, origin: IntArray, destination: IntArray) -> IntArray:
        """Minutes for each pair (broadcasting), ``NONE`` where unknown or a location is."""
        size = self.minutes.shape[0]
        known = (origin >= 0) & (destination >= 0) & (origin < size) & (destination < size)
        found = self.minutes[np.where(known, origin, 0), np.where(known, destination, 0)]
        return np.where(known, found, NONE)


@dataclass(frozen=True)
class Weights:
    """How the cost of a (student, offer) pair is made up, in whole points.

    cost = preference + travel + PE stage, where preference is ``preference_step`` for each
    place below first choice of the offer's service area (``unranked_area`` if the student
    did not rank it), travel is ``travel_minute`` per journey minute (an unknown journey
    counts as the student's travel limit, or ``unknown_travel_minutes`` without one), and
    PE stage is ``pe_stage_shortfall`` for each stage the offer's PE is below stage 2.
    """

    preference_step: int = 10
    unranked_area: int = 40
    travel_minute: int = 1
    unknown_travel_minutes: int = 60
    pe_stage_shortfall: int = 15


@dataclass(frozen=True)
class Labels:
    """Words for codes, used only in explanations (codes without a label show as numbers)."""

    offers: Sequence[str] = ()
    routes: Mapping[int, str] = field(default_factory=dict)
    placement_types: Mapping[int, str] = field(default_factory=dict)
    service_areas: Mapping[int, str] = field(default_factory=dict)

    def offer(self, index: int, offer_id: int) -> str:
        return self.offers[index] if index < len(self.offers) else f"offer {offer_id}"

    def route(self, code: int) -> str:
        return self.routes.get(code, f"route {code}")

    def placement_type(self, code: int) -> str:
        return self.placement_types.get(code, f"type {code}")


UnknownTravel = Literal["allow", "exclude"]


@dataclass(frozen=True)
class Quota:
    """At most ``limit`` students of university ``hei`` placed with ``provider`` (with any
    provider when ``provider`` is NONE). ``name`` is the quota in words for the reasons of
    students it leaves unplaced ("the quota of 4 for Northbridge University with Eastshire
    Council"); without it the codes are named."""

    hei: int
    limit: int
    provider: int = NONE
    name: str = ""

    def words(self) -> str:
        if self.name:
            return self.name
        where = "any provider" if self.provider == NONE else f"provider {self.provider}"
        return f"the quota of {self.limit} for university {self.hei} with {where}"


@dataclass(frozen=True)
class Problem:
    """One allocation run's whole input.

    ``pinned`` and ``forbidden`` are (student id, offer id) pairs a coordinator set.
    ``unknown_travel`` says what a pair whose journey time is unknown does to a student with
    a travel limit: ``"allow"`` keeps it as a candidate, costed as if at the limit, and marks
    it "travel limit could not be checked" in the result; ``"exclude"`` drops it and names
    the unknown journey as the reason. Neither passes silently.

    ``couples`` and ``quotas`` are rules that couple students: a couple is the (first
    placement, final placement) entries of one Step Up student, both placed or neither, in
    different settings; a quota caps a university's students with a provider. With either,
    ``solve`` hands the problem to the integer program (coupled.py).
    """

    students: Students
    offers: Offers
    travel: Travel
    pe_capacity: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    pinned: Sequence[tuple[int, int]] = ()
    forbidden: Sequence[tuple[int, int]] = ()
    weights: Weights = field(default_factory=Weights)
    labels: Labels = field(default_factory=Labels)
    unknown_travel: UnknownTravel = "allow"
    couples: Sequence[tuple[int, int]] = ()
    quotas: Sequence[Quota] = ()

    def __post_init__(self) -> None:
        pes = self.offers.pe
        if pes.size and pes.max() >= self.pe_capacity.shape[0]:
            raise ValueError("an offer names a PE index beyond pe_capacity")
        if (self.students.route < 0).any() or (self.students.route >= MAX_ROUTES).any():
            raise ValueError(f"route codes run from 0 to {MAX_ROUTES - 1}")

    def student_index(self, ids: npt.ArrayLike) -> IntArray:
        """Indices of student ``ids`` (KeyError for an id that is not in the run)."""
        return index_of(self.students.ids, as_ints(ids, "student ids"), "student")

    def offer_index(self, ids: npt.ArrayLike) -> IntArray:
        """Indices of offer ``ids`` (KeyError for an id that is not in the run)."""
        return index_of(self.offers.ids, as_ints(ids, "offer ids"), "offer")


def index_of(known: IntArray, wanted: IntArray, what: str) -> IntArray:
    """Positions of ``wanted`` in ``known`` (whose values are unique)."""
    order = np.argsort(known, kind="stable")
    positions = np.searchsorted(known, wanted, sorter=order)
    positions = np.minimum(positions, max(known.shape[0] - 1, 0))
    found = order[positions] if known.size else positions
    missing = ~np.isin(wanted, known) if known.size else np.ones(wanted.shape, bool)
    if missing.any():
        raise KeyError(f"{what} id {int(wanted[missing][0])} is not in this run")
    return found.astype(np.int64)
