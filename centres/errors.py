from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wnh.errors import DomainError


class CapacityOutOfRange(DomainError):
    message = _("A pod has 4 to 12 seats.")
    status = 400
    code = "capacity_out_of_range"


class PodStillInUse(DomainError):
    message = _(
        "The pod has bookings or company reservations ahead. Cancel them before closing it."
    )
    code = "pod_still_in_use"


class ClosureOverBookings(DomainError):
    message = _(
        "People have bookings or pod reservations at this centre that day. Cancel them first."
    )
    code = "closure_over_bookings"

    def __init__(self, *, day: date | None = None, bookings: int = 0, pod_days: int = 0):
        """`bookings` seat bookings and `pod_days` reserved pods hold the centre on `day`."""
        self.day, self.bookings, self.pod_days = day, bookings, pod_days
        message = None
        if day is not None:
            held = []
            if bookings:
                held.append(
                    ngettext("%(count)d seat booking", "%(count)d seat bookings", bookings)
                    % {"count": bookings}
                )
            if pod_days:
                held.append(
                    ngettext("%(count)d reserved pod", "%(count)d reserved pods", pod_days)
                    % {"count": pod_days}
                )
            message = gettext("%(held)s at this centre on %(day)s. Cancel them first.") % {
                "held": gettext(" and ").join(held),
                "day": date_format(day, "l j F Y"),
            }
        super().__init__(message)


class SeatsStillBooked(DomainError):
    message = _(
        "Some of the seats you are removing have bookings ahead. Cancel or move them first."
    )
    code = "seats_still_booked"
