"""Rate limits of signing in and password reset (SECURITY.md §5; issue 15), counted with
``practica.core.rate_limits``. django-axes separately locks one user name from one address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from practica.core.rate_limits import Count, Limit, client_address, hit, release, too_many


def _password_reset_limits() -> tuple[Limit, Limit]:
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    return (
        Limit("password-reset-client", settings.PASSWORD_RESETS_PER_CLIENT, window),
        Limit("password-reset-email", settings.PASSWORD_RESETS_PER_EMAIL, window),
    )


def password_reset_refused(request: HttpRequest) -> HttpResponse | None:
    """Counts a password reset request per client address and per e-mail address (whether or
    not the address has an account, so the answer says nothing about that); the 429 page when
    either is over its limit, else None."""
    per_client, per_email = _password_reset_limits()
    by_client = hit(per_client, client_address(request))
    if by_client.over:
        return too_many(
            request,
            count=by_client,
            heading="Too many password reset requests",
            explanation="Password reset has been asked for many times from your network in "
            "the last hour, so Practica has paused it here.",
            what_to_do=_check_your_inbox(),
        )
    email = str(request.POST.get("email", "")).strip().lower()
    if not email:
        return None
    by_email = hit(per_email, email)
    if by_email.over:
        return too_many(
            request,
            count=by_email,
            heading="Too many password reset requests",
            explanation="Password reset has been asked for this e-mail address several times "
            "in the last hour, so Practica sends no more e-mails to it for now.",
            what_to_do=_check_your_inbox(),
        )
    return None


def _check_your_inbox() -> list[str]:
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    return [
        "If the address has a Practica account, the e-mails sent already are in its inbox or on "
        "their way: use the link in the latest one. Check your spam or junk folder too.",
        f"Each link works once, for {hours} hours.",
    ]


def _sign_in_limit() -> Limit:
    return Limit(
        "sign-in-client",
        settings.SIGN_IN_FAILURES_PER_CLIENT,
        settings.SIGN_IN_WINDOW_MINUTES * 60,
    )


def sign_in_attempt(request: HttpRequest) -> Count:
    """Counts a sign-in attempt from the client's address, whatever the user name; given back
    (``sign_in_succeeded``) when the password was right, so only failures add up."""
    return hit(_sign_in_limit(), client_address(request))


def sign_in_succeeded(count: Count) -> None:
    release(count)


def too_many_sign_ins(request: HttpRequest, count: Count) -> HttpResponse:
    return too_many(
        request,
        count=count,
        heading="Too many failed sign-ins",
        explanation="Many sign-ins from your network have failed in the last few minutes, "
        "so Practica has paused signing in from it.",
        what_to_do=[
            "Check you are using the e-mail address your invitation was sent to.",
            "If you have forgotten your password, reset it; Practica e-mails you a link.",
        ],
        link=(reverse("accounts:password-reset"), "Reset your password"),
    )
