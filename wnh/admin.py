"""What the admin's actions share: run a service per selected row, report each outcome."""

from collections.abc import Callable

from django.contrib import admin, messages

from wnh.errors import DomainError


def run_service_for_each(
    modeladmin: admin.ModelAdmin, request, queryset, service: Callable, done: str
) -> None:
    """Call `service(obj)` for each selected row; a refused row is reported, not fatal."""
    succeeded = 0
    for obj in queryset:
        try:
            service(obj)
            succeeded += 1
        except DomainError as error:  # Busy is not one: the page answers 503, try again
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
    if succeeded:
        modeladmin.message_user(request, f"{done}: {succeeded}.", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: staff look, filter and act, but never edit by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
