from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from wnh.admin import CheckedAutocompleteAdmin, ReadOnlyAdmin

from .models import StaffScope, User
from .phones import to_e164

# allauth.mfa's own admin shows the secrets and its form cannot be saved unchanged (it
# requires last_used_at, which is empty until first use). It registers first (INSTALLED_APPS).
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """Who has which second factor. A superuser deletes a lost one, so that its owner is
    asked to set up a new one at their next login; nobody sees or edits a secret here."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class UserChangeForm(BaseUserAdmin.form):
    def clean_phone(self):
        # Typed as people type it, kept in E.164; a number another account has is refused
        # by the unique check of the model form, not by a 500.
        typed = self.cleaned_data.get("phone")
        return to_e164(typed) if typed else None

    def clean_email(self):
        return self.cleaned_data.get("email") or None


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    ordering = ["email"]
    list_display = [
        "email",
        "phone",
        "full_name",
        "home_pin_code",
        "language",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "full_name", "phone", "home_pin_code"]
    readonly_fields = ["calendar_token", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "phone_verified", "language"]}),
        (
            _("Home"),
            {"fields": ["home_pin_code", "home_place", "home_latitude", "home_longitude"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "calendar_token"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(StaffScope)
class StaffScopeAdmin(CheckedAutocompleteAdmin):
    """Who manages which centres, who coordinates which district. The person also needs the
    "Centre managers" or "District coordinators" group for what they may do there."""

    list_display = ["user", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["user__email", "user__full_name", "centres__name"]
    list_select_related = ["user"]
    filter_horizontal = ["centres"]
    autocomplete_fields = ["user"]
