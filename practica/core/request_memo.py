"""Facts about the signed-in user that several parts of one page ask for, looked up once.

Every page's navigation asks whether the user is on the register, sits on a panel, has
teaching sessions…; the home page's panels ask the same again. ``remembered`` keeps the answer
of such a function of the user for the rest of the request, on the request's user object,
only while ``start`` has opened a memo there: the accounts middleware opens one for each GET
or HEAD request (which writes nothing, so no answer goes stale within it). Anywhere else (a
POST, a task, the command line, a test calling a selector) each call asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

MEMO = "_practica_request_memo"


def start(user: Any) -> None:
    """Open the memo on this request's ``user`` (the object the views and templates get)."""
    user.__dict__[MEMO] = {}


def remembered[R](function: Callable[[Any], R]) -> Callable[[Any], R]:
    """Decorate a function of the user alone: within a request that opened a memo on that user
    object, it runs once."""
    key = f"{function.__module__}.{function.__qualname__}"

    @wraps(function)
    def wrapped(user: Any) -> R:
        memo: dict[str, Any] | None = getattr(user, "__dict__", {}).get(MEMO)
        if memo is None:
            return function(user)
        if key not in memo:
            memo[key] = function(user)
        result: R = memo[key]
        return result

    return wrapped
