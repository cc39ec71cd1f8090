"""Why a booking or reservation was refused, in words a person can act on."""

from datetime import time

from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from wnh.errors import DomainError


class BookingError(DomainError):
    code = "booking_error"


class SeatTaken(BookingError):
    message = _("Sorry, that seat was just taken. Please pick another one.")
    code = "seat_taken"


class AlreadyBookedThatDay(BookingError):
    message = _("You already have a seat booked that day.")
    code = "already_booked_that_day"


class OutsideBookingWindow(BookingError):
    message = _("That date is outside the booking window.")
    status = 400
    code = "outside_booking_window"


class CentreClosedThatDay(BookingError):
    message = _("The centre is closed that day.")
    status = 400
    code = "centre_closed_that_day"


class CentreNotOpen(BookingError):
    message = _("This centre is not open for bookings.")
    status = 400
    code = "centre_not_open"


class SeatNotBookable(BookingError):
    message = _("That seat is not available for booking.")
    status = 400
    code = "seat_not_bookable"


class PodReserved(BookingError):
    message = _("That pod is reserved for a company that day; only its members can sit there.")
    code = "pod_reserved"


class NoFreeSeat(BookingError):
    message = _("The centre is full that day. You can join the waitlist or try another centre.")
    code = "no_free_seat"


class NotYourBooking(BookingError):
    message = _("That booking was not found.")
    status = 404
    code = "not_your_booking"


class OutsideYourCentres(BookingError):
    message = _("That is not at a centre you run, or you may not do that.")
    status = 403
    code = "outside_your_centres"


class BookingNotActive(BookingError):
    message = _("That booking is no longer active.")
    code = "booking_not_active"


class CancellationTooLate(BookingError):
    message = _("It is too late to cancel this booking.")
    code = "cancellation_too_late"


class CheckInNotOpen(BookingError):
    message = _("Check-in is only possible at the centre on the day of the booking.")
    code = "check_in_not_open"


class CheckInNotOpenYet(CheckInNotOpen):
    """The booking's day, before the centre opens: say when check-in opens."""

    code = "check_in_not_open_yet"

    def __init__(self, *, opens_at: time, message=None):
        self.opens_at = opens_at
        super().__init__(
            message
            or _("Check-in opens at %(time)s today, when the centre opens.")
            % {"time": time_format(opens_at)}
        )


class CheckInClosed(CheckInNotOpen):
    """The booking's day, after the centre closed."""

    code = "check_in_closed"

    def __init__(self, *, closes_at: time, message=None):
        self.closes_at = closes_at
        super().__init__(
            message
            or _("Check-in closed at %(time)s today, when the centre closed.")
            % {"time": time_format(closes_at)}
        )


class NoBookingHereToday(BookingError):
    message = _("You have no booking at this centre today.")
    status = 404
    code = "no_booking_here_today"


class CompanyNotApproved(BookingError):
    message = _("The company is not approved to reserve or book pods.")
    status = 403
    code = "company_not_approved"


class NotCompanyAdmin(BookingError):
    message = _("Only the company's admins can do that.")
    status = 403
    code = "not_company_admin"


class ReservationNotPending(BookingError):
    message = _("Only a requested reservation can be confirmed or rejected.")
    code = "reservation_not_pending"


class InvalidReservationDates(BookingError):
    message = _("Pick a first and last day from today on, at most a year apart.")
    status = 400
    code = "invalid_reservation_dates"


class NoDaysToReserve(BookingError):
    message = _("The centre is not open on any of the chosen days.")
    status = 400
    code = "no_days_to_reserve"


class RefusedOnSomeDays(BookingError):
    """A refusal that names the days it is about (the first five): `days_message`."""

    days_message: str  # each subclass's "... on %(days)s." sentence

    def __init__(self, days=(), message=None):
        self.days = sorted(days)
        if message is None and self.days:
            listed = ", ".join(day.isoformat() for day in self.days[:5])
            message = self.days_message % {"days": listed}
        super().__init__(message)


class PodAlreadyReserved(RefusedOnSomeDays):
    message = _("The pod is already reserved by another company on some of those days.")
    days_message = _("The pod is already reserved on %(days)s.")
    code = "pod_already_reserved"


class PodHeldByOutsiders(RefusedOnSomeDays):
    message = _("People outside the company already hold seats in that pod on some days.")
    days_message = _("People outside the company already hold seats in that pod on %(days)s.")
    code = "pod_held_by_outsiders"


class NoShowLimitReached(BookingError):
    message = _("You missed several recent bookings, so for now you can book only a day ahead.")
    status = 403
    code = "no_show_limit_reached"

    def __init__(self, no_shows: int = 0, days_ahead: int = 0, message=None):
        self.no_shows, self.days_ahead = no_shows, days_ahead
        if message is None and no_shows:
            message = _(
                "You did not turn up for %(count)s bookings in the last weeks, so for now you "
                "can book at most %(days)s day(s) ahead."
            ) % {"count": no_shows, "days": days_ahead}
        super().__init__(message)


class CentreNotFull(BookingError):
    message = _("There are free seats at this centre that day: book one instead of waiting.")
    code = "centre_not_full"


class AlreadyOnWaitlist(BookingError):
    message = _("You are already on the waitlist for this centre that day.")
    code = "already_on_waitlist"


class OfferNotOpen(BookingError):
    message = _("This offer has expired or is no longer yours to take.")
    code = "offer_not_open"


class SeatOutsideCompanyPod(BookingError):
    message = _("Members can be assigned only to seats in a pod the company has reserved.")
    status = 400
    code = "seat_outside_company_pod"


class AssignmentRefused(BookingError):
    """One day of a seat assignment over a range was refused, so none of it was made."""

    code = "assignment_refused"

    def __init__(self, *, day, error: BookingError):
        self.day = day
        self.error = error
        self.status = error.status
        super().__init__(
            _("%(day)s: %(reason)s Nothing was assigned.")
            % {"day": day.strftime("%a %d %b"), "reason": error.message}
        )


class TooManyWrongCodes(BookingError):
    message = _("Too many wrong codes. Wait half an hour, or ask the desk to check you in.")
    status = 429
    code = "too_many_wrong_codes"


class CheckInCodeExpired(BookingError):
    message = _(
        "That code has expired: the codes change every minute. "
        "Type the code the entrance screen shows now, or scan it again."
    )
    status = 400
    code = "check_in_code_expired"


class WrongCheckInCode(BookingError):
    message = _("That is not the code on the entrance screen of this centre.")
    status = 400
    code = "wrong_check_in_code"
