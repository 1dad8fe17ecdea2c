from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practica.accounts.models import Invitation, Membership, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["password"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    readonly_fields = ["token_hash"]
