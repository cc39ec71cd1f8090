from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from accounts.scopes import centres_in_scope, sees_every_centre
from centres.models import Centre, District
from wnh.admin import (
    Decision,
    DecisionsAdmin,
    ReadOnlyAdmin,
    name_inputs,
    run_service_for_each,
)
from wnh.errors import InvalidInput

from . import noshow, occupancy
from .centre_admin import CentreAdmin, PodAdmin  # noqa: F401  (the centres' admin, registered there)
from .forms import DateRangeForm, is_id, parse_query
from .models import OccupancyDaily, PodReservation, ReservedPodDay, SeatBooking, WaitlistEntry
from .scoped_admin import CentreScopedAdmin, ScopedCentreFilter
from .services import (
    cancel_booking,
    cancel_pod_reservation,
    check_in,
    confirm_pod_reservation,
    reject_pod_reservation,
)


class BookingDayFilter(admin.SimpleListFilter):
    """Today's list at the entrance desk in one click (dates are local, Asia/Kolkata)."""

    title = "day"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("tomorrow", "Tomorrow"), ("upcoming", "Today and later")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "today":
            return queryset.filter(day=today)
        if self.value() == "tomorrow":
            return queryset.filter(day=today + timedelta(days=1))
        if self.value() == "upcoming":
            return queryset.filter(day__gte=today)
        return queryset


@admin.register(SeatBooking)
class SeatBookingAdmin(DecisionsAdmin, CentreScopedAdmin, ReadOnlyAdmin):
    centre_path = "seat__pod__centre"
    # Short columns, so status and company show at 1280 px without scrolling sideways.
    list_display = ["day", "person", "centre", "seat_label", "status_and_time", "company"]
    list_display_links = ["day", "person"]
    list_filter = [
        BookingDayFilter,
        "status",
        "seat__pod__centre__district",
        ("seat__pod__centre", ScopedCentreFilter),
    ]
    list_select_related = ["user", "seat__pod__centre", "company"]
    search_fields = ["user__email", "user__full_name", "seat__label"]
    date_hierarchy = "day"
    show_full_result_count = False  # a count over millions of rows on every page is slow
    actions = ["check_in_selected", "cancel_selected"]
    decisions = [
        Decision(
            name="check-in",
            label="Check in",
            question="Check {obj} in?",
            explanation="For a person at the desk whose code does not scan: the same check-in "
            "as the code at the entrance, today while the centre is open.",
            done="Checked in: {obj}.",
            applies=lambda b: (
                b.status == SeatBooking.Status.BOOKED and b.day == timezone.localdate()
            ),
            service=lambda b, user: check_in(booking=b, by=user),
        ),
        Decision(
            name="cancel",
            label="Cancel booking",
            question="Cancel {obj}?",
            explanation="The seat is freed and offered to the waitlist. Staff may cancel after "
            "the cutoff.",
            done="Cancelled: {obj}.",
            applies=lambda b: b.status == SeatBooking.Status.BOOKED,
            service=lambda b, user: cancel_booking(booking=b, by=user, enforce_cutoff=False),
        ),
    ]

    @admin.display(ordering="user__email")
    def person(self, booking):
        return booking.user.get_full_name()

    @admin.display(ordering="seat__pod__centre__name")
    def centre(self, booking):
        return booking.seat.pod.centre

    @admin.display(description="seat", ordering="seat__label")
    def seat_label(self, booking):
        return booking.seat.label  # it starts with the pod's code: P01-04

    @admin.display(description="status", ordering="status")
    def status_and_time(self, booking):
        if booking.checked_in_at is None:
            return booking.get_status_display()
        return f"{booking.get_status_display()} {timezone.localtime(booking.checked_in_at):%H:%M}"

    @admin.action(description="Check in selected bookings (today)", permissions=["change"])
    def check_in_selected(self, request, queryset):
        run_service_for_each(
            self, request, queryset, lambda b: check_in(booking=b, by=request.user), "Checked in"
        )

    @admin.action(
        description="Cancel selected bookings (ignores the cutoff)", permissions=["change"]
    )
    def cancel_selected(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            lambda b: cancel_booking(booking=b, by=request.user, enforce_cutoff=False),
            "Cancelled",
        )


@admin.register(PodReservation)
class PodReservationAdmin(DecisionsAdmin, CentreScopedAdmin, ReadOnlyAdmin):
    centre_path = "pod__centre"
    list_display = ["company", "pod", "first_day", "last_day", "weekdays_label", "status"]
    list_filter = ["status", "pod__centre__district", ("pod__centre", ScopedCentreFilter)]
    list_select_related = ["company", "pod__centre"]
    search_fields = ["company__name", "pod__code", "pod__centre__name"]
    date_hierarchy = "first_day"
    actions = ["confirm_selected", "reject_selected", "cancel_selected"]
    decisions = [
        Decision(
            name="confirm",
            label="Confirm",
            question="Confirm {obj}?",
            explanation="The pod is held for the company on every day of the request; refused "
            "if someone outside the company already holds a seat in it on one of them.",
            done="Confirmed: {obj}.",
            applies=lambda r: r.status == PodReservation.Status.REQUESTED,
            service=lambda r, user: confirm_pod_reservation(reservation=r, decided_by=user),
        ),
        Decision(
            name="reject",
            label="Reject",
            question="Reject {obj}?",
            done="Rejected: {obj}.",
            applies=lambda r: r.status == PodReservation.Status.REQUESTED,
            service=lambda r, user: reject_pod_reservation(reservation=r, decided_by=user),
        ),
        Decision(
            name="cancel",
            label="Cancel remaining days",
            question="Cancel the remaining days of {obj}?",
            explanation="The days not yet begun are given up (today too, before the centre "
            "opens); days in use or past stay reserved and on the statement.",
            done="Remaining days cancelled: {obj}.",
            applies=lambda r: r.status == PodReservation.Status.CONFIRMED,
            service=lambda r, user: cancel_pod_reservation(reservation=r, by=user),
        ),
    ]

    @admin.display(description="weekdays")
    def weekdays_label(self, reservation):
        from wnh.weekdays import describe

        return describe(reservation.weekdays)

    @admin.action(description="Confirm selected reservations", permissions=["change"])
    def confirm_selected(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            lambda r: confirm_pod_reservation(reservation=r, decided_by=request.user),
            "Confirmed",
        )

    @admin.action(description="Reject selected requests", permissions=["change"])
    def reject_selected(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            lambda r: reject_pod_reservation(reservation=r, decided_by=request.user),
            "Rejected",
        )

    @admin.action(description="Cancel selected reservations from today on", permissions=["change"])
    def cancel_selected(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            lambda r: cancel_pod_reservation(reservation=r, by=request.user),
            "Cancelled",
        )


@admin.register(ReservedPodDay)
class ReservedPodDayAdmin(CentreScopedAdmin, ReadOnlyAdmin):
    centre_path = "pod__centre"
    list_display = ["day", "pod", "company", "reservation", "cancelled_at"]
    list_filter = ["pod__centre__district", ("pod__centre", ScopedCentreFilter)]
    list_select_related = [
        "pod__centre",
        "company",
        "reservation__company",
        "reservation__pod__centre",
    ]
    search_fields = ["company__name", "pod__code"]
    date_hierarchy = "day"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(CentreScopedAdmin, ReadOnlyAdmin):
    list_display = ["day", "centre", "user", "status", "created_at", "offer_expires_at"]
    list_filter = ["status", "centre__district", ("centre", ScopedCentreFilter)]
    list_select_related = ["centre", "user"]
    search_fields = ["user__email"]
    date_hierarchy = "day"


# The longest range one report (or one "compute the figures" request) covers.
REPORT_MAX_DAYS = 366


@admin.register(OccupancyDaily)
class OccupancyDailyAdmin(CentreScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "day",
        "centre",
        "seats",
        "booked",
        "checked_in",
        "no_shows",
        "cancelled",
        "pod_days_reserved",
    ]
    list_filter = ["centre__district", ("centre", ScopedCentreFilter)]
    list_select_related = ["centre"]
    date_hierarchy = "day"
    change_list_template = "admin/bookings/occupancydaily/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("report/", view(self.report_view), name="bookings_occupancy_report"),
            path("no-shows/", view(self.no_shows_view), name="bookings_no_shows"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        """Occupancy over time for one centre or one district: an SVG chart, a table, CSV.

        Only the centres in the user's scope. When figures are missing, a button asks a
        worker to compute them (POST), and the page says when they are ready."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.POST if request.method == "POST" else request.GET
        dates = parse_query(DateRangeForm, params, max_days=REPORT_MAX_DAYS)
        last = dates["to"] or timezone.localdate() - timedelta(days=1)
        first = dates["from"] or last - timedelta(days=29)
        if first > last:
            first, last = last, first
        if (last - first).days >= REPORT_MAX_DAYS:  # one day given, far from the default
            raise InvalidInput(f"Pick at most {REPORT_MAX_DAYS} days at once.")
        scope = centres_in_scope(request.user)
        scope_districts = set(scope.values_list("district", flat=True).distinct())
        centre = district = centres = None
        centre_id = params.get("centre", "")
        if centre_id:
            if not is_id(centre_id) or not Centre.objects.filter(pk=int(centre_id)).exists():
                raise InvalidInput("centre: No such centre.")
            # A centre outside the officer's scope shows as none chosen: nothing of it.
            centre = scope.filter(pk=int(centre_id)).first()
        elif params.get("district") in scope_districts:
            district = params["district"]
        if centre is not None:
            centres = scope.filter(pk=centre.pk)
            title, slug = f"Occupancy: {centre.name}", centre.slug
        elif district is not None:
            centres = scope.filter(district=district)
            title = f"Occupancy: {District(district).label} district"
            slug = f"district-{district}"
        else:
            title, slug = "Occupancy", ""
        query = {"from": first.isoformat(), "to": last.isoformat()}
        query.update({"centre": centre.pk} if centre else {"district": district or ""})
        if request.method == "POST":
            if centres is None:
                raise PermissionDenied
            occupancy.request_rollup(first=first, last=last)
            self.message_user(
                request,
                f"The figures for {first:%d %b %Y} to {last:%d %b %Y} are being computed. "
                "The report shows them as soon as they are ready, usually within a minute.",
            )
            return redirect(f"{request.path}?{urlencode({**query, 'requested': 1})}")
        result = None
        if centres is not None:
            result = occupancy.report(centres=centres, first=first, last=last)
        series = result.series if result else []
        if series and params.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="occupancy-{slug}-{first}-{last}.csv"'
            )
            occupancy.write_csv(series, response)
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "report": result,
            "series": series,
            "chart": occupancy.chart_points(series),
            "centres": scope.order_by("name").only("pk", "name"),
            "districts": [
                (code, name) for code, name in District.choices if code in scope_districts
            ],
            "centre": centre,
            "district": district,
            "first": first,
            "last": last,
            "requested": bool(params.get("requested")),
            "query": urlencode(query),
        }
        return TemplateResponse(request, "admin/bookings/occupancydaily/report.html", context)

    def no_shows_view(self, request):
        """People who did not turn up, in the no-show rule's window."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        from django.conf import settings

        scope = None if sees_every_centre(request.user) else centres_in_scope(request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"No-shows in the last {settings.WNH_NO_SHOW_WINDOW_DAYS} days",
            "people": noshow.people_with_no_shows(centres=scope)[:200],
            "limit": settings.WNH_NO_SHOW_LIMIT,
        }
        return TemplateResponse(request, "admin/bookings/occupancydaily/no_shows.html", context)


# django-celery-beat's periodic task form has one inline script; under the strict CSP it
# runs only with the request's nonce, which this template adds.
admin.site.unregister(PeriodicTask)


# Staff pause a schedule or change when it runs; what it runs (its name, task, arguments and
# routing) is code's business: setup_schedules writes it, and only superusers change it.
STAFF_MAY_CHANGE = [
    "enabled",
    "interval",
    "crontab",
    "solar",
    "clocked",
    "start_time",
    "one_off",
    "expires",
    "expire_seconds",
]


class ScheduleTimingForm(forms.ModelForm):
    """When a task runs, and whether: all a non-superuser's form holds."""

    class Meta:
        model = PeriodicTask
        fields = STAFF_MAY_CHANGE

    def clean(self):
        data = super().clean()
        if data.get("expire_seconds") is not None and data.get("expires"):
            raise forms.ValidationError("Set either expires or expire seconds, not both.")
        return data


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    change_form_template = "admin/django_celery_beat/periodictask/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # The registered-task picker is a form field, not a column: it cannot be shown read-only.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "regtask"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        shown = [f for _, options in self.get_fieldsets(request, obj) for f in options["fields"]]
        return readonly + [f for f in shown if f not in STAFF_MAY_CHANGE and f not in readonly]

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = ScheduleTimingForm
        form = super().get_form(request, obj, **kwargs)
        name_inputs(form.base_fields, by_label=False)
        return form
