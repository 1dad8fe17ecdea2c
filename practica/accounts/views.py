"""Sign-in, two-factor authentication, password reset, invitations and the organisation
switcher."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from practica.accounts import permissions, selectors, services, throttles
from practica.accounts.authenticator import qr_code_svg, secret_key
from practica.accounts.forms import (
    AcceptInvitationForm,
    AuthenticatorCodeForm,
    InvitationForm,
    NewPasswordForm,
    ResetForm,
    SecondFactorForm,
    SignInForm,
    SwitchOrganisationForm,
)
from practica.accounts.middleware import SESSION_KEY, second_factor_page
from practica.accounts.models import AuthenticatedRequest, Invitation, Role
from practica.core.forms import GovUKForm, submitted
from practica.core.listing import listing
from practica.core.rate_limits import token_link_headers, token_link_rate_limit


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attempt = throttles.sign_in_attempt(request)
        if attempt.over:
            return throttles.too_many_sign_ins(request, attempt)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttles.sign_in_succeeded(attempt)
        return response


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = throttles.password_reset_refused(request)
        if refused is not None:
            return refused
        return super().post(request, *args, **kwargs)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


@login_required
@require_POST
def switch_organisation(request: AuthenticatedRequest) -> HttpResponse:
    form = SwitchOrganisationForm(request.POST)
    memberships = {m.pk: m for m in permissions.active_memberships(request.user)}
    if not form.is_valid() or form.cleaned_data["membership"] not in memberships:
        raise Http404("No such membership")
    membership = memberships[form.cleaned_data["membership"]]
    request.session[SESSION_KEY] = membership.pk
    messages.success(
        request,
        f"You are now working as {membership.get_role_display().lower()} in {membership.organisation.name}.",
    )
    return redirect("home")


@login_required
@permissions.requires_ability(permissions.VIEW, Invitation)
def invitation_list(request: AuthenticatedRequest) -> HttpResponse:
    waiting = request.GET.get("status") == "waiting"
    invitations = selectors.invitations_visible_to(request.user, waiting=waiting)
    sorts = {
        "email": ("E-mail", "email"),
        "organisation": ("Organisation", "organisation__name"),
        "role": ("Role", "role"),
        "created": ("Sent", "created_at"),
    }
    context = {
        "listing": listing(request, invitations, sorts=sorts, default_sort="-created"),
        "waiting_only": waiting,
        "can_create": permissions.can_in(request.user, permissions.MANAGE, Invitation),
    }
    return render(request, "accounts/invitation_list.html", context)


@login_required
def invitation_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = permissions.acting_organisation(request, permissions.MANAGE, Invitation)
    grantable = [r for r in Role.values if permissions.may_grant(request.user, r, organisation)]
    form = InvitationForm(request.POST if request.method == "POST" else None, grantable=grantable)
    sent = submitted(
        request,
        form,
        lambda: services.invite(
            actor=request.user,
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            base_url=request.build_absolute_uri("/")[:-1],
        ),
    )
    if sent is not None:
        invitation, _token = sent
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect("accounts:invitation-list")
    context = {"form": form, "title": f"Invite someone to {organisation.name}", "cancel_url": None}
    return render(request, "core/form.html", context)


# CSRF-protected like every form. ``token_link_headers``' Referrer-Policy: same-origin keeps
# the token from other sites and lets browsers send the Origin that Django's check compares.
@token_link_rate_limit
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        response = render(request, "accounts/invitation_invalid.html", status=404)
    elif selectors.account_to_sign_in_to(invitation) is not None:
        response = _accept_signed_in(request, invitation)
    else:
        form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
        user = submitted(
            request,
            form,
            lambda: services.accept_invitation(invitation=invitation, **form.cleaned_data),
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Practica, {user.display_name}.")
            return redirect("home")
        response = render(
            request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
        )
    return token_link_headers(response)


def _accept_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """An invitation to an existing account: its owner signs in as always (password, then
    second factor) and accepts here; the link by itself signs no one in."""
    here = request.get_full_path()
    user: Any = request.user
    if not user.is_authenticated:
        sign_in_url = f"{reverse('accounts:login')}?next={quote(here)}"
        context = {"invitation": invitation, "sign_in_url": sign_in_url}
        return render(request, "accounts/invitation_sign_in.html", context)
    second_factor = second_factor_page(user)
    if second_factor is not None and user.email.lower() == invitation.email.lower():
        return redirect(f"{reverse(second_factor)}?next={quote(here)}")
    form = GovUKForm(request.POST if request.method == "POST" else None)
    accepted = submitted(
        request,
        form,
        lambda: services.accept_invitation_signed_in(invitation=invitation, user=user),
    )
    if accepted is not None:
        messages.success(
            request,
            f"You are now {accepted.get_role_display().lower()} in {invitation.organisation.name}.",
        )
        return redirect("home")
    context = {
        "form": form,
        "invitation": invitation,
        "is_invitee": user.email.lower() == invitation.email.lower(),
    }
    return render(request, "accounts/invitation_accept_signed_in.html", context)


# --- Two-factor authentication (docs/0012-mfa.md) ------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """Where the user was going (``next``), if it is on this site; else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


# The set-up and verify pages are a step of signing in: no navigation or organisation switcher
# (their links would only lead back here). A view's context outweighs the context processor's.
SIGNING_IN: dict[str, object] = {"nav_items": [], "sub_nav_items": [], "current_membership": None}


def _verified(request: HttpRequest, device: object) -> None:
    """Marks the session as verified by ``device``, under a new session key (as signing in)."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _recovery_codes(request: HttpRequest, codes: list[str], *, continue_url: str) -> HttpResponse:
    """The page that shows new recovery codes, the only time Practica shows them (django-otp
    keeps them in its own table to check them, as it keeps the authenticator's key)."""
    text = "Practica recovery codes – each works once\n\n" + "\n".join(codes) + "\n"
    context = {
        "codes": codes,
        "download": "data:text/plain;charset=utf-8," + quote(text),
        "continue_url": continue_url,
    }
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "memberships": permissions.active_memberships(request.user),
        "two_factor": selectors.has_two_factor(request.user),
        "two_factor_required": permissions.two_factor_required(request.user),
        "recovery_codes_left": selectors.recovery_codes_left(request.user),
    }
    return render(request, "accounts/account.html", context)


@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    if selectors.has_two_factor(request.user):
        if request.user.is_verified():  # type: ignore[attr-defined]  # django-otp's middleware
            messages.success(request, "Two-factor authentication is already set up.")
            return redirect("accounts:account")
        return redirect(f"{reverse('accounts:two-factor-verify')}?next={quote(_next_url(request))}")
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    confirmed = submitted(
        request,
        form,
        lambda: services.confirm_totp_device(user=request.user, code=form.cleaned_data["code"]),
    )
    if confirmed is not None:
        device, codes = confirmed
        _verified(request, device)
        return _recovery_codes(request, codes, continue_url=_next_url(request))
    device = services.start_totp_setup(user=request.user)
    context = {
        "form": form,
        "qr_code": qr_code_svg(device),
        "secret_key": secret_key(device),
        "next": _next_url(request),
        "required": permissions.two_factor_required(request.user),
        **SIGNING_IN,
    }
    response = render(request, "accounts/two_factor_setup.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.user.is_verified() or not selectors.has_two_factor(request.user):  # type: ignore[attr-defined]  # django-otp's middleware adds is_verified
        return redirect(next_url)
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    device = submitted(
        request,
        form,
        lambda: services.verify_second_factor(user=request.user, code=form.cleaned_data["code"]),
    )
    if device is not None:
        _verified(request, device)
        if device.persistent_id.startswith("otp_static."):
            left = selectors.recovery_codes_left(request.user)
            messages.success(
                request,
                f"You used a recovery code; {left} left. Get new ones on your account page.",
            )
        return redirect(next_url)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": next_url, **SIGNING_IN}
    )


@login_required
def two_factor_recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.has_two_factor(request.user):
        return redirect("accounts:account")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    codes = submitted(
        request,
        form,
        lambda: services.regenerate_recovery_codes(
            user=request.user, code=form.cleaned_data["code"]
        ),
    )
    if codes is not None:
        return _recovery_codes(request, codes, continue_url=reverse("accounts:account"))
    context = {
        "form": form,
        "title": "Get new recovery codes",
        "intro": "Your recovery codes you have now stop working, and you get "
        f"{settings.PRACTICA_RECOVERY_CODES} new ones.",
        "button": "Get new recovery codes",
    }
    return render(request, "accounts/two_factor_confirm.html", context)


@login_required
def two_factor_turn_off(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.has_two_factor(request.user):
        return redirect("accounts:account")
    if permissions.two_factor_required(request.user):
        raise PermissionDenied("Your role requires two-factor authentication.")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    turned_off = submitted(
        request,
        form,
        lambda: services.turn_off_two_factor(user=request.user, code=form.cleaned_data["code"]),
    )
    if turned_off is not None:
        messages.success(request, "Two-factor authentication is off.")
        return redirect("accounts:account")
    context = {
        "form": form,
        "title": "Turn off two-factor authentication",
        "intro": "Practica will ask only for your password when you sign in.",
        "button": "Turn off two-factor authentication",
    }
    return render(request, "accounts/two_factor_confirm.html", context)
