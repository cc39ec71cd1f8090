from django import forms
from django.contrib import admin, messages

from wnh.errors import DomainError

from .models import Centre, CentreClosure, Pod, Seat
from .services import ensure_seats_may_retire, save_pod


class PodForm(forms.ModelForm):
    """Says on the form, before saving, when a smaller pod would retire a booked seat."""

    class Meta:
        model = Pod
        fields = ["code", "capacity", "is_active"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        try:
            ensure_seats_may_retire(pod=self.instance, capacity=capacity)
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
        return capacity


class PodInline(admin.TabularInline):
    model = Pod
    form = PodForm
    extra = 0
    fields = ["code", "capacity", "is_active"]
    show_change_link = True


class CentreClosureInline(admin.TabularInline):
    model = CentreClosure
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "local_body", "host_kind", "status", "opened_on"]
    list_filter = ["status", "district", "host_kind"]
    search_fields = ["name", "local_body", "pin_code", "address"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PodInline, CentreClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "opened_on", "host_kind"]}),
        (
            "Where",
            {"fields": ["district", "local_body", "address", "pin_code", "latitude", "longitude"]},
        ),
        (
            "Hours and rules",
            {
                "fields": [
                    "opens_at",
                    "closes_at",
                    "open_weekdays",
                    "booking_horizon_days",
                    "cancellation_cutoff_hours",
                    "check_in_deadline",
                    "auto_confirm_pod_reservations",
                ]
            },
        ),
        ("Pricing and amenities", {"fields": ["seat_day_rate", "amenities"]}),
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Pod:
            return super().save_formset(request, form, formset, change)
        # Pods go through the service so their seats follow their capacity.
        for pod in formset.save(commit=False):
            _save_pod_or_report(self, request, pod)
        formset.save_m2m()


def _save_pod_or_report(modeladmin, request, pod: Pod) -> None:
    try:
        save_pod(pod=pod)
    except DomainError as error:
        modeladmin.message_user(request, f"{pod.code}: {error.message}", messages.ERROR)


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["label", "position", "is_active"]
    readonly_fields = ["label", "position", "is_active"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pod)
class PodAdmin(admin.ModelAdmin):
    form = PodForm
    fields = ["centre", "code", "capacity", "is_active"]
    list_display = ["code", "centre", "capacity", "is_active"]
    list_filter = ["is_active", "centre__district", "centre"]
    list_select_related = ["centre"]
    search_fields = ["code", "centre__name"]
    inlines = [SeatInline]

    def save_model(self, request, obj, form, change):
        _save_pod_or_report(self, request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
