"""“Did you mean …?” for a value an import file names that does not exist: the nearest valid
values, by spelling or because the value is part of a name (“MEDWAY” → MC (Medway Council))."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

MAX_SUGGESTIONS = 3


def words(text: str) -> str:
    """A name or label as typed or as shown: any case, curly or straight apostrophes, spaces."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def nearest(value: str, candidates: Mapping[str, str]) -> list[str]:
    """The displays of up to three ``candidates`` (key → display) nearest to ``value``: keys
    or displays that contain it or are spelt like it, best first."""
    wanted = value.strip().lower()
    if not wanted:
        return []
    keys = {key.lower(): key for key in candidates}
    displays = {display.lower(): key for key, display in candidates.items()}
    found: list[str] = []
    for pool in (keys, displays):
        for text, key in pool.items():
            if wanted in text and key not in found:
                found.append(key)
    for pool in (keys, displays):
        for text in difflib.get_close_matches(wanted, list(pool), n=MAX_SUGGESTIONS, cutoff=0.6):
            key = pool[text]
            if key not in found:
                found.append(key)
    return [candidates[key] for key in found[:MAX_SUGGESTIONS]]


def did_you_mean(value: str, candidates: Mapping[str, str]) -> str:
    """`` did you mean X?`` (with a leading space), or nothing when nothing is near."""
    near = nearest(value, candidates)
    if not near:
        return ""
    if len(near) == 1:
        return f" Did you mean {near[0]}?"
    return f" Did you mean {', '.join(near[:-1])} or {near[-1]}?"
