from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from centres.models import Centre, District
from wnh.admin import ReadOnlyAdmin, run_service_for_each
from wnh.errors import InvalidInput

from . import noshow, occupancy
from .centre_admin import CentreAdmin, PodAdmin  # noqa: F401  (the centres' admin, registered there)
from .forms import DateRangeForm, is_id, parse_query
from .models import OccupancyDaily, PodReservation, ReservedPodDay, SeatBooking, WaitlistEntry
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
class SeatBookingAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "seat", "centre", "status", "company", "checked_in_at"]
    list_filter = [BookingDayFilter, "status", "seat__pod__centre__district", "seat__pod__centre"]
    list_select_related = ["user", "seat__pod__centre", "company"]
    search_fields = ["user__email", "user__full_name", "seat__label"]
    date_hierarchy = "day"
    show_full_result_count = False  # a count over millions of rows on every page is slow
    actions = ["check_in_selected", "cancel_selected"]

    @admin.display(ordering="seat__pod__centre__name")
    def centre(self, booking):
        return booking.seat.pod.centre

    @admin.action(description="Check in selected bookings (today)", permissions=["change"])
    def check_in_selected(self, request, queryset):
        run_service_for_each(self, request, queryset, lambda b: check_in(booking=b), "Checked in")

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
class PodReservationAdmin(ReadOnlyAdmin):
    list_display = ["company", "pod", "first_day", "last_day", "weekdays_label", "status"]
    list_filter = ["status", "pod__centre__district", "pod__centre"]
    list_select_related = ["company", "pod__centre"]
    search_fields = ["company__name", "pod__code", "pod__centre__name"]
    date_hierarchy = "first_day"
    actions = ["confirm_selected", "reject_selected", "cancel_selected"]

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
class ReservedPodDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "pod", "company", "reservation", "cancelled_at"]
    list_filter = ["pod__centre__district", "pod__centre"]
    list_select_related = [
        "pod__centre",
        "company",
        "reservation__company",
        "reservation__pod__centre",
    ]
    search_fields = ["company__name", "pod__code"]
    date_hierarchy = "day"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["day", "centre", "user", "status", "created_at", "offer_expires_at"]
    list_filter = ["status", "centre__district", "centre"]
    list_select_related = ["centre", "user"]
    search_fields = ["user__email"]
    date_hierarchy = "day"


# The occupancy report shows at most this many days at once (a row and a chart point each).
MAX_REPORT_DAYS = 3 * 366


@admin.register(OccupancyDaily)
class OccupancyDailyAdmin(ReadOnlyAdmin):
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
    list_filter = ["centre__district", "centre"]
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
        """Occupancy over time for one centre or one district: an SVG chart, a table, CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        dates = parse_query(DateRangeForm, request.GET, max_days=MAX_REPORT_DAYS)
        last = dates["to"] or timezone.localdate() - timedelta(days=1)
        first = dates["from"] or last - timedelta(days=29)
        if first > last:
            first, last = last, first
        if (last - first).days >= MAX_REPORT_DAYS:  # one day given, far from the default
            raise InvalidInput(f"Pick at most {MAX_REPORT_DAYS} days at once.")
        centre = district = None
        if request.GET.get("centre"):
            centre_id = request.GET["centre"]
            centre = Centre.objects.filter(pk=int(centre_id)).first() if is_id(centre_id) else None
            if centre is None:
                raise InvalidInput("centre: No such centre.")
        elif request.GET.get("district") in District.values:
            district = request.GET["district"]
        if centre is not None:
            series = occupancy.centre_series(centre=centre, first=first, last=last)
            title = f"Occupancy: {centre.name}"
            slug = centre.slug
        elif district is not None:
            series = occupancy.district_series(district=district, first=first, last=last)
            title = f"Occupancy: {District(district).label} district"
            slug = f"district-{district}"
        else:
            series, title, slug = [], "Occupancy", ""
        if series and request.GET.get("format") == "csv":
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
            "series": series,
            "chart": occupancy.chart_points(series),
            "centres": Centre.objects.order_by("name").only("pk", "name"),
            "districts": District.choices,
            "centre": centre,
            "district": district,
            "first": first,
            "last": last,
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/bookings/occupancydaily/report.html", context)

    def no_shows_view(self, request):
        """People who did not turn up, in the no-show rule's window."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        from django.conf import settings

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"No-shows in the last {settings.WNH_NO_SHOW_WINDOW_DAYS} days",
            "people": noshow.people_with_no_shows()[:200],
            "limit": settings.WNH_NO_SHOW_LIMIT,
        }
        return TemplateResponse(request, "admin/bookings/occupancydaily/no_shows.html", context)


# django-celery-beat's periodic task form has one inline script; under the strict CSP it
# runs only with the request's nonce, which this template adds.
admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    change_form_template = "admin/django_celery_beat/periodictask/change_form.html"
