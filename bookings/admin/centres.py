"""The admin of centres, pods, seats, closure days and rates. Its forms ask the rules core
(bookings/core/closures.py) whether a smaller or closed pod, or a closure day, would strand
someone, and say so before saving."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bookings.admin.scoped import CentreScopedAdmin, ScopedCentreFilter
from bookings.core.closures import (
    add_closure,
    ensure_centre_may_close_on,
    ensure_pod_may_close,
    ensure_seats_may_retire,
    save_pod,
)
from centres.errors import ClosureOverBookings
from centres.forms import AmenitiesField
from centres.models import Centre, CentreClosure, CentreRate, Locality, Pod, Seat
from wnh.admin import TabularInline
from wnh.errors import DomainError


def _as_form_error(check) -> None:
    try:
        check()
    except DomainError as error:
        raise forms.ValidationError(str(error.message)) from error


def _on_day(path: str, centre: Centre, day) -> str:
    """The changelist filter of one centre's rows on one day (its date hierarchy)."""
    filters = {f"{path}__id__exact": centre.pk}
    return urlencode(
        {**filters, "day__year": day.year, "day__month": day.month, "day__day": day.day}
    )


def closure_refusal(error: ClosureOverBookings, centre: Centre):
    """The refusal, naming what holds the day, with links to those rows in the admin."""
    links = []
    if error.bookings:
        url = reverse("admin:bookings_seatbooking_changelist")
        links.append((f"{url}?{_on_day('seat__pod__centre', centre, error.day)}", "the bookings"))
    if error.pod_days:
        url = reverse("admin:bookings_reservedpodday_changelist")
        links.append((f"{url}?{_on_day('pod__centre', centre, error.day)}", "the reserved pods"))
    return format_html(
        "{} See {}.",
        error.message,
        format_html_join(" and ", '<a href="{}">{}</a>', links),
    )


def _closure_error(centre: Centre, day) -> None:
    try:
        ensure_centre_may_close_on(centre=centre, day=day)
    except ClosureOverBookings as error:
        raise forms.ValidationError(closure_refusal(error, centre), code=error.code) from error


class PodForm(forms.ModelForm):
    """Says on the form, before saving, when a smaller or closed pod would strand people."""

    class Meta:
        model = Pod
        fields = ["code", "capacity", "is_active"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        _as_form_error(lambda: ensure_seats_may_retire(pod=self.instance, capacity=capacity))
        return capacity

    def clean_is_active(self):
        is_active = self.cleaned_data["is_active"]
        if not is_active and self.instance.is_active:
            _as_form_error(lambda: ensure_pod_may_close(pod=self.instance))
        return is_active


class PodInline(TabularInline):
    model = Pod
    form = PodForm
    can_delete = False  # pods keep their bookings' history: deactivate instead
    extra = 0
    fields = ["code", "capacity", "is_active"]
    show_change_link = True


class CentreClosureForm(forms.ModelForm):
    class Meta:
        model = CentreClosure
        fields = ["day", "reason"]

    def clean_day(self):
        day = self.cleaned_data["day"]
        # A new closure day, or one moved to another day, must not strand bookings. (On a
        # centre not yet saved there is nothing to strand.)
        if self.instance.centre_id and day != self.instance.day:
            _closure_error(self.instance.centre, day)
        return day


class CentreClosureInline(TabularInline):
    model = CentreClosure
    form = CentreClosureForm
    extra = 0


class CentreForm(forms.ModelForm):
    amenities = AmenitiesField(label="Amenities")

    class Meta:
        model = Centre
        fields = ["amenities"]  # the admin passes the fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amenities"].keep_choices_of(self.instance.amenities)


class CentreRateForm(forms.ModelForm):
    """Rates are history: a rate in force stays as it was (statements priced days at it);
    a change is a new rate from today or a later day."""

    class Meta:
        model = CentreRate
        fields = ["effective_from", "seat_day_rate", "pod_seat_day_rate"]

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        if self.instance.pk and self.instance.effective_from <= today and self.has_changed():
            raise forms.ValidationError(
                "This rate is already in force and is kept as history: add a new rate "
                "from the day the change takes effect."
            )
        day = cleaned.get("effective_from")
        if day is not None and day < today and self.has_changed():
            raise forms.ValidationError(
                "A new rate takes effect today or later: days gone by keep their rate."
            )
        return cleaned


class CentreRateInline(TabularInline):
    model = CentreRate
    form = CentreRateForm
    extra = 0
    can_delete = False  # a rate that was in force priced statements
    verbose_name_plural = "rates (each from the day it takes effect)"


@admin.register(Centre)
class CentreAdmin(CentreScopedAdmin):
    centre_path = "pk"
    audit_references = True  # its History shows its pods, closures and rates too
    form = CentreForm
    list_display = ["name", "district", "local_body", "host_kind", "status", "opened_on"]
    list_filter = ["status", "district", "host_kind"]
    search_fields = [
        "name",
        "name_ml",
        "local_body",
        "local_body_ml",
        "pin_code",
        "address",
        "host_name",
        "host_name_ml",
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PodInline, CentreClosureInline, CentreRateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "status",
                    "opened_on",
                    "host_kind",
                    "host_name",
                ]
            },
        ),
        (
            "Where",
            {
                "fields": [
                    "district",
                    "local_body",
                    "address",
                    "pin_code",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        (
            "Malayalam",
            {
                "description": "Shown to people reading in Malayalam; a blank one shows the "
                "English.",
                "fields": ["name_ml", "local_body_ml", "host_name_ml", "address_ml"],
            },
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
                    "printed_check_in_code_allowed",
                    "auto_confirm_pod_reservations",
                ]
            },
        ),
        ("Amenities", {"fields": ["amenities"]}),
    ]

    def get_deleted_objects(self, objs, request):
        # Django's delete page fetches and lists every row that would go or that blocks it:
        # every waitlist place and occupancy day of a busy centre (an N+1 query each),
        # minutes at state size, to end in "protected" anyway (its pods keep their bookings).
        # A centre with a history is refused at once: it closes (its status) instead.
        kept = [
            f"{centre}: it has pods, waitlist places or occupancy figures. Set its status to "
            "Closed instead: its history stays."
            for centre in objs
            if centre.pods.exists() or centre.waitlist.exists() or centre.occupancy.exists()
        ]
        if kept:
            return [], {}, set(), kept
        return super().get_deleted_objects(objs, request)

    def save_formset(self, request, form, formset, change):
        if formset.model is CentreClosure:
            return _save_closures(self, request, formset)
        if formset.model is not Pod:
            return super().save_formset(request, form, formset, change)
        # Pods go through the service so their seats follow their capacity.
        for pod in formset.save(commit=False):
            _save_pod_or_report(self, request, pod)
        formset.save_m2m()


def _save_closures(modeladmin, request, formset) -> None:
    """New closure days go through add_closure, which checks under the pods' locks."""
    for closure in formset.save(commit=False):
        if closure.pk:
            closure.save()
            continue
        try:
            add_closure(centre=closure.centre, day=closure.day, reason=closure.reason)
        except DomainError as error:
            modeladmin.message_user(request, f"{closure.day}: {error.message}", messages.ERROR)
    for closure in formset.deleted_objects:
        closure.delete()


def _save_pod_or_report(modeladmin, request, pod: Pod) -> None:
    try:
        save_pod(pod=pod)
    except DomainError as error:
        modeladmin.message_user(request, f"{pod.code}: {error.message}", messages.ERROR)


class ClosureDayFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("coming", "Today and later"), ("past", "Past")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "coming":
            return queryset.filter(day__gte=today)
        if self.value() == "past":
            return queryset.filter(day__lt=today)
        return queryset


class ClosureForm(forms.ModelForm):
    """A closure day on its own page: the same check as the centre's inline rows."""

    class Meta:
        model = CentreClosure
        fields = ["centre", "day", "reason"]

    def clean(self):
        data = super().clean()
        centre, day = data.get("centre"), data.get("day")
        moved = (centre and centre.pk, day) != (self.instance.centre_id, self.instance.day)
        if centre and day and moved:
            try:
                _closure_error(centre, day)
            except forms.ValidationError as error:
                self.add_error("day", error)  # next to the day, at the top of the form
        return data


@admin.register(CentreClosure)
class CentreClosureAdmin(CentreScopedAdmin):
    centre_path = "centre"
    form = ClosureForm
    list_display = ["day", "centre", "reason"]
    list_filter = [ClosureDayFilter, "centre__district", ("centre", ScopedCentreFilter)]
    list_select_related = ["centre"]
    search_fields = ["centre__name", "reason"]
    date_hierarchy = "day"
    ordering = ["day", "centre__name"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        try:
            closure = add_closure(centre=obj.centre, day=obj.day, reason=obj.reason)
        except DomainError as error:
            self.message_user(request, f"{obj.day}: {error.message}", messages.ERROR)
            return
        obj.pk = closure.pk


class SeatInline(TabularInline):
    model = Seat
    extra = 0
    fields = ["label", "position", "is_active"]
    readonly_fields = ["label", "position", "is_active"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pod)
class PodAdmin(CentreScopedAdmin):
    form = PodForm
    audit_references = True  # its History shows its seats and reservations too
    fields = ["centre", "code", "capacity", "is_active"]
    list_display = ["code", "centre", "capacity", "is_active"]
    list_filter = ["is_active", "centre__district", ("centre", ScopedCentreFilter)]
    list_select_related = ["centre"]
    search_fields = ["code", "centre__name"]
    inlines = [SeatInline]

    def save_model(self, request, obj, form, change):
        _save_pod_or_report(self, request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    """India Post's offices (centres/post_offices.py): staff add only the Malayalam names."""

    list_display = ["name", "name_ml", "pin_code", "district", "office_type"]
    list_filter = ["district", "office_type"]
    search_fields = ["name", "name_ml", "pin_code"]
    fieldsets = [
        (None, {"fields": ["name", "pin_code", "district", "office_type"]}),
        ("Malayalam", {"fields": ["name_ml"]}),
    ]
    readonly_fields = ["name", "pin_code", "district", "office_type"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
