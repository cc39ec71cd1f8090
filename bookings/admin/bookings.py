"""The admin of seat bookings, pod reservations and their days, and the waitlist: staff
decide, cancel and check in through the rules core's services, scoped to their centres."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from bookings.admin.scoped import CentreScopedAdmin, ScopedCentreFilter
from bookings.core.reservations import (
    cancel_pod_reservation,
    confirm_pod_reservation,
    reject_pod_reservation,
)
from bookings.core.services import cancel_booking, check_in
from bookings.models import (
    PodReservation,
    ReservedPodDay,
    SeatBooking,
    WaitlistEntry,
)
from wnh.admin import (
    Decision,
    DecisionsAdmin,
    ReadOnlyAdmin,
    run_service_for_each,
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
