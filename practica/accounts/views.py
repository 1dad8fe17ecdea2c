"""Sign-in, password reset, invitations and the organisation switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from practica.accounts import permissions, selectors, services
from practica.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    NewPasswordForm,
    ResetForm,
    SignInForm,
    SwitchOrganisationForm,
)
from practica.accounts.middleware import SESSION_KEY
from practica.accounts.models import AuthenticatedRequest, Invitation, Role
from practica.core.listing import listing
from practica.core.rate_limits import token_link_rate_limit
from practica.core.views import submitted


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


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
    invitations = selectors.invitations_visible_to(request.user)
    sorts = {
        "email": ("E-mail", "email"),
        "organisation": ("Organisation", "organisation__name"),
        "role": ("Role", "role"),
        "created": ("Sent", "created_at"),
    }
    context = {
        "listing": listing(request, invitations, sorts=sorts, default_sort="-created"),
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


# The page is served with Referrer-Policy: no-referrer (the token must not leak), so browsers
# post its form with "Origin: null", which Django's CSRF check refuses. The single-use secret
# token in the path is what authorises the request; there is no session to ride on yet.
@csrf_exempt
@token_link_rate_limit
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        response = render(request, "accounts/invitation_invalid.html", status=404)
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
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
