"""Journey times between towns: recorded ones (the ``travel-times`` import kind) first, then an
estimate from the towns' coordinates, else unknown — never a silent guess.

The estimate is the great-circle (haversine) distance between the two towns' locations at
``AVERAGE_SPEED_KMH`` — a straight-line speed, so that it already allows for roads that do not
run straight (40 km/h on the straight line is about 55 km/h on the road, a fair average for
driving or public transport across Kent and Medway). It is shown as an estimate wherever it is
used. See docs/0022-placements-domain.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from practica.core.models import Location
from practica.placements.models import TravelTime

AVERAGE_SPEED_KMH = 40.0
EARTH_RADIUS_KM = 6371.0088
Source = Literal["same_town", "recorded", "estimated", "unknown"]
COORDINATES = "journey estimates read the coordinates of every town of the installation"


@dataclass(frozen=True)
class Journey:
    """The time a journey takes, one way, and where the figure comes from."""

    minutes: int | None
    source: Source

    @property
    def known(self) -> bool:
        return self.minutes is not None

    def describe(self) -> str:
        if self.minutes is None:
            return "journey time unknown"
        if self.source == "estimated":
            return f"about {self.minutes} min (estimated from distance)"
        return f"{self.minutes} min"


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance between two (latitude, longitude) points in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def estimated_minutes(km: float) -> int:
    """Whole minutes (rounded up) to travel ``km`` on the straight line at the stated speed."""
    return math.ceil(km / AVERAGE_SPEED_KMH * 60 - 1e-9)


def _key(town: str) -> str:
    return " ".join(town.split()).lower()


class JourneyTimes:
    """Every recorded journey time and every town's coordinates, read once (two queries), so
    that many journeys are answered without a query each."""

    def __init__(
        self,
        recorded: Iterable[tuple[str, str, int]],
        coordinates: Iterable[tuple[str, Decimal | float | None, Decimal | float | None]],
    ) -> None:
        self.recorded: dict[tuple[str, str], int] = {}
        for start, end, minutes in recorded:
            self.recorded[_key(start), _key(end)] = minutes
            # the way back takes as long unless it is recorded too
            self.recorded.setdefault((_key(end), _key(start)), minutes)
        self.coordinates: dict[str, tuple[float, float]] = {}
        for name, latitude, longitude in coordinates:
            if latitude is None or longitude is None:
                continue
            self.coordinates.setdefault(_key(name), (float(latitude), float(longitude)))

    @classmethod
    def load(cls) -> JourneyTimes:
        recorded = TravelTime.objects.values_list("from_location", "to_location", "minutes")
        located = (
            Location.objects.unscoped(COORDINATES)
            .filter(latitude__isnull=False, longitude__isnull=False)
            .order_by("name", "pk")
            .values_list("name", "latitude", "longitude")
        )
        return cls(recorded, located)

    def journey(self, start: str, end: str) -> Journey:
        a, b = _key(start), _key(end)
        if not a or not b:
            return Journey(None, "unknown")
        if a == b:
            return Journey(0, "same_town")
        if (a, b) in self.recorded:
            return Journey(self.recorded[a, b], "recorded")
        if a in self.coordinates and b in self.coordinates:
            km = great_circle_km(self.coordinates[a], self.coordinates[b])
            return Journey(estimated_minutes(km), "estimated")
        return Journey(None, "unknown")

    def minutes_between(self, starts: Sequence[str], ends: Sequence[str]) -> npt.NDArray[np.int64]:
        """``journey(start, end).minutes`` for every start and end, as a (starts, ends) array
        with -1 where unknown: the same rules, computed with numpy (the allocation adapter
        asks for every home town against every offer's town)."""
        a, b = [_key(s) for s in starts], [_key(e) for e in ends]
        out = np.full((len(a), len(b)), -1, np.int64)
        if not a or not b:
            return out

        def points(keys: list[str]) -> npt.NDArray[np.float64]:
            nowhere = (math.nan, math.nan)
            return np.radians(np.array([self.coordinates.get(k, nowhere) for k in keys]))

        (lat1, lon1), (lat2, lon2) = points(a).T, points(b).T
        h = (
            np.sin((lat2[None, :] - lat1[:, None]) / 2) ** 2
            + np.cos(lat1)[:, None]
            * np.cos(lat2)[None, :]
            * np.sin((lon2[None, :] - lon1[:, None]) / 2) ** 2
        )
        with np.errstate(invalid="ignore"):
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
            minutes = np.ceil(km / AVERAGE_SPEED_KMH * 60 - 1e-9)
        located = ~np.isnan(minutes)
        out[located] = minutes[located].astype(np.int64)
        rows = {key: i for i, key in enumerate(a)}
        columns = {key: j for j, key in enumerate(b)}
        for (start, end), recorded in self.recorded.items():
            if start in rows and end in columns:
                out[rows[start], columns[end]] = recorded
        codes = {key: code for code, key in enumerate(dict.fromkeys(a + b))}
        same = np.equal.outer([codes[k] for k in a], [codes[k] for k in b])
        out[same] = 0
        out[[not k for k in a], :] = -1
        out[:, [not k for k in b]] = -1
        return out


def journey(start: str, end: str) -> Journey:
    """One journey's time (reads the database; use ``JourneyTimes`` for many)."""
    return JourneyTimes.load().journey(start, end)
