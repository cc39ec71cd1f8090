"""The admin's people page erases instead of deleting (bookings/privacy/services.py).

A person's past bookings are seat-days that occupancy and statements count, so their row
cannot go (SeatBooking.user is PROTECT, and a superuser's "delete" used to fail with "Cannot
delete user ... seat booking"). Deleting a person in the admin, one or selected, erases them.
Registered from BookingsConfig.ready, after accounts/admin.py registered the plain page.
"""

from django.contrib import admin, messages

from accounts.admin import UserAdmin
from accounts.models import User
from bookings.privacy.services import erase_person


class ErasingUserAdmin(UserAdmin):
    actions = ["erase_selected"]

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: the confirm page lists the people, and nothing blocks it.
        perms_needed = set() if self.has_delete_permission(request) else {"user"}
        return (
            [f"{obj} (erased: name, email, home removed; past seat-days kept)" for obj in objs],
            {},
            perms_needed,
            [],
        )

    def delete_model(self, request, obj):
        erase_person(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            erase_person(user=user, by=request.user)

    @admin.action(description="Erase selected people (on their request)", permissions=["delete"])
    def erase_selected(self, request, queryset):
        erased = 0
        for user in queryset.filter(erased_at__isnull=True):
            if user.pk == request.user.pk:
                self.message_user(request, "You cannot erase yourself here.", messages.ERROR)
                continue
            erase_person(user=user, by=request.user)
            erased += 1
        self.message_user(request, f"Erased: {erased}.", messages.SUCCESS)


def register() -> None:
    if admin.site.is_registered(User):
        admin.site.unregister(User)
    admin.site.register(User, ErasingUserAdmin)
