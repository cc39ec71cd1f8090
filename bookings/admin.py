from django.contrib import admin

from wnh.admin import ReadOnlyAdmin, run_service_for_each

from .models import OccupancyDaily, PodReservation, ReservedPodDay, SeatBooking, WaitlistEntry
from .services import (
    cancel_booking,
    cancel_pod_reservation,
    check_in,
    confirm_pod_reservation,
    reject_pod_reservation,
)


@admin.register(SeatBooking)
class SeatBookingAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "seat", "centre", "status", "company", "checked_in_at"]
    list_filter = ["status", "seat__pod__centre__district", "seat__pod__centre"]
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
    list_select_related = ["pod__centre", "company", "reservation"]
    search_fields = ["company__name", "pod__code"]
    date_hierarchy = "day"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["day", "centre", "user", "status", "created_at", "offer_expires_at"]
    list_filter = ["status", "centre__district", "centre"]
    list_select_related = ["centre", "user"]
    search_fields = ["user__email"]
    date_hierarchy = "day"


@admin.register(OccupancyDaily)
class OccupancyDailyAdmin(ReadOnlyAdmin):
    list_display = [
        "day",
        "centre",
        "seats",
        "booked",
        "checked_in",
        "no_shows",
        "pod_days_reserved",
    ]
    list_filter = ["centre__district", "centre"]
    list_select_related = ["centre"]
    date_hierarchy = "day"
