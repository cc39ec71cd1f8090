from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import StaffScope, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "home_pin_code", "language", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "full_name", "phone", "home_pin_code"]
    readonly_fields = ["calendar_token", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "language"]}),
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
class StaffScopeAdmin(admin.ModelAdmin):
    """Who manages which centres, who coordinates which district. The person also needs the
    "Centre managers" or "District coordinators" group for what they may do there."""

    list_display = ["user", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["user__email", "user__full_name", "centres__name"]
    list_select_related = ["user"]
    filter_horizontal = ["centres"]
    autocomplete_fields = ["user"]
