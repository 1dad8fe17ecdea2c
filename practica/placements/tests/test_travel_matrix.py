"""The journey matrix the allocation adapter reads agrees with one journey at a time."""

from __future__ import annotations

from practica.placements.travel import JourneyTimes

TOWNS = [
    ("Chatham", 51.3782, 0.5290),
    ("Gillingham", 51.3887, 0.5453),
    ("Maidstone", 51.2720, 0.5290),
    ("Dover", 51.1279, 1.3134),
    ("Canterbury", 51.2802, 1.0789),
]


def test_every_pair_matches_the_journey_rules() -> None:
    times = JourneyTimes(
        recorded=[("Chatham", "Dover", 95), ("dover", "CHATHAM", 90), ("Ashford", "Deal", 40)],
        coordinates=TOWNS,
    )
    starts = ["Chatham", " dover ", "Ashford", "Nowhere", "", "Canterbury"]
    ends = ["Dover", "Chatham", "Deal", "Maidstone", "Gillingham", "nowhere", "", "canterbury"]

    matrix = times.minutes_between(starts, ends)

    for i, start in enumerate(starts):
        for j, end in enumerate(ends):
            expected = times.journey(start, end).minutes
            assert matrix[i, j] == (-1 if expected is None else expected), (start, end)
    assert matrix[0, 0] == 95  # recorded wins over the estimate
    assert matrix[1, 1] == 90  # the way back as recorded
    assert matrix[3, 5] == 0  # the same town, even without coordinates


def test_no_towns_give_an_empty_matrix() -> None:
    assert JourneyTimes([], TOWNS).minutes_between([], ["Dover"]).shape == (0, 1)
